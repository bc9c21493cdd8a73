//! Pins the bytes the registry stores for a fixed history of acts: each
//! payload and entry hash, each entity's index rows (state JSON, search
//! keys, deadline) and counter contributions, and the search keys of odd
//! texts. Storing the same history must always give the same bytes, however
//! the code that writes them changes; a deliberate change of format rewrites
//! `golden/history.txt` (run with `CRIMEBOARD_BLESS=1`) and says why.
//!
//! The file is rendered in memory from the domain's own functions. The history
//! is also written through the `Store` trait to each backend and read back: the
//! journal's payloads and hashes must be the pinned bytes on both, and each
//! record's final state the pinned bytes on SQLite and the same JSON value on
//! PostgreSQL, whose JSONB column keeps the value and not the text.

use chrono::{DateTime, NaiveDate, Utc};
use crimeboard_domain::Context;
use crimeboard_domain::act::{Act, Assigned, Command, Entity, Envelope, Loaded};
use crimeboard_domain::audit::AuditEvent;
use crimeboard_domain::journal::{GENESIS, entry_hash};
use crimeboard_domain::records::{IndexRow, RowChanges};
use crimeboard_domain::search::{query_keys, search_keys};
use crimeboard_domain::units::UnitTree;
use crimeboard_service::{Jurisdiction, demo_units};
use crimeboard_store::Backend;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write;
use uuid::Uuid;

const GOLDEN: &str = "tests/registry/golden/history.txt";

/// The ids the history's acts are given: act `n` creates or changes `id(n)`.
fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 + n)
}

/// A history touching every act and the awkward values: Azerbaijani and
/// Cyrillic text, characters JSON escapes, timestamps with milli-, micro-
/// and nanoseconds and a leap second, a year below 1000, coordinates.
fn history() -> Vec<(serde_json::Value, Assigned)> {
    let assigned = |n: u128, number: &str, persons: &[u128]| Assigned {
        id: id(n),
        number: number.into(),
        person_ids: persons.iter().map(|p| id(*p)).collect(),
        ..Assigned::default()
    };
    let target = |n: u128| Assigned { id: id(n), ..Assigned::default() };
    vec![
        (
            json!({"act": "register_report", "unit": "BAK-NSM", "channel": "in_person",
                "received_at": "2024-03-01T08:15:30Z", "officer": " Leytenant Həsənov ",
                "applicant": {"role": "applicant", "full_name": "Məmmədova Leyla Əli qızı", "fin": "5ABC12D",
                    "birth_date": "1990-02-28", "sex": "female"},
                "summary": "Mənzildən oğurluq: \"qızıl\" üzük, 2 ədəd; Füzuli küç. 59/3"}),
            assigned(1, "M-BAK-NSM-2024-000001", &[101]),
        ),
        (
            json!({"act": "register_report", "unit": "BAK-NSM", "channel": "line102",
                "received_at": "2024-03-02T23:59:59.123Z", "officer": "Дежурный Алиев",
                "summary": "Заявление: Мамедов Джафар\tул. Низами 5\nкв. 12 \\ 'срочно' \u{1}",
                "category": "Vehicle crime", "source": {"system": "police.uk", "id": "ab/12%", "outcome": ""}}),
            assigned(2, "M-BAK-NSM-2024-000002", &[]),
        ),
        (
            json!({"act": "extend_check", "report_id": id(2), "granted_at": "2024-03-03T10:00:00.000001Z",
                "granted_by": "unit_chief", "reference": "Əmr № 17"}),
            target(2),
        ),
        (
            json!({"act": "open_case", "unit": "BAK-NSM", "agency": "mia", "report_ids": [id(1)],
                "articles": ["177.2", "178.1"], "occurred_at": "2024-02-29T22:00:00Z",
                "registered_at": "2024-03-04T12:00:00.123456789Z",
                "place": {"address": "Füzuli küç. 59", "latitude": 40.3777, "longitude": 49.892},
                "flags": {"it_enabled": true, "public_place": true, "non_obvious": true},
                "description": "  Cinayət işi başlanıb İSMAYILLI  ",
                "persons": [
                    {"role": "suspect", "full_name": "İsmayılov Rəşad", "birth_date": "2008-03-01", "sex": "male",
                        "previously_convicted": true},
                    {"role": "victim", "full_name": "Мамедова Лейла", "birth_date": "0999-12-31"}
                ],
                "late_reason": null}),
            assigned(4, "C-BAK-NSM-2024-000001", &[104, 105]),
        ),
        (
            json!({"act": "decide_report", "report_id": id(2), "decided_at": "2024-03-20T09:00:00.5Z",
                "outcome": {"kind": "refuse", "ground": "Cinayət tərkibi yoxdur"}, "late_reason": "Ekspertiza gecikdi"}),
            target(2),
        ),
        (
            json!({"act": "rate_handling", "report_id": id(1), "rated_at": "2024-03-21T10:00:00Z", "score": 4}),
            target(1),
        ),
        (
            json!({"act": "add_person", "case_id": id(4),
                "person": {"role": "accused", "full_name": "Quliyev Tural", "fin": "7XYZ9A1", "birth_date": "1985-07-15",
                    "sex": "male"}}),
            Assigned { id: id(4), number: String::new(), person_ids: vec![id(107)], ..Assigned::default() },
        ),
        (
            json!({"act": "reclassify", "case_id": id(4), "articles": ["177.3"], "reason": "Yeni faktlar",
                "decided_at": "2024-03-22T11:11:11Z"}),
            target(4),
        ),
        (
            json!({"act": "record_damage", "case_id": id(4), "amount_qepik": 1234567, "victim_id": id(105),
                "assessed_at": "2024-03-23T00:00:00Z"}),
            target(4),
        ),
        (
            json!({"act": "reimburse", "case_id": id(4), "amount_qepik": 100000,
                "reimbursed_at": "2024-03-24T00:00:00.010Z"}),
            target(4),
        ),
        (
            json!({"act": "decide_case", "case_id": id(4), "decided_at": "2024-03-25T08:00:00Z",
                "decision": {"kind": "suspended"}}),
            target(4),
        ),
        (
            json!({"act": "decide_case", "case_id": id(4), "decided_at": "2024-03-26T08:00:00Z",
                "decision": {"kind": "resumed"}}),
            target(4),
        ),
        (
            json!({"act": "decide_case", "case_id": id(4), "decided_at": "2024-03-27T08:00:00Z",
                "decision": {"kind": "solved", "how": "Barmaq izləri", "forensic_methods": ["fingerprints", "dna"]}}),
            target(4),
        ),
        (
            json!({"act": "record_seizure", "unit": "BAK-NSM", "case_id": id(4), "substance": "heroin",
                "net_grams": 1329000, "seized_at": "2024-03-28T14:30:00Z"}),
            assigned(14, "N-BAK-NSM-2024-000001", &[]),
        ),
        (
            json!({"act": "hold_accountable", "unit": "GNC", "full_name": "Əliyev Kamran", "fin": "1AB2CD3",
                "liability": "criminal", "offence": "234.1", "narcotics": true, "case_id": id(4),
                "decided_at": "2024-03-29T09:00:00Z"}),
            assigned(15, "H-GNC-2024-000001", &[]),
        ),
        (
            json!({"act": "hold_accountable", "unit": "GNC", "full_name": "Babayev Elvin", "liability": "administrative",
                "offence": "İXM 206", "decided_at": "2024-03-29T09:30:00Z"}),
            assigned(16, "H-GNC-2024-000002", &[]),
        ),
        (
            json!({"act": "record_accident", "unit": "LNK", "occurred_at": "2016-12-31T23:59:60.5Z",
                "place": {"address": "Lənkəran–Astara yolu, 12-ci km"}, "killed": 1, "injured": 3,
                "cause": "Sürət həddinin aşılması"}),
            assigned(17, "T-LNK-2016-000001", &[]),
        ),
        (
            json!({"act": "request_examination", "unit": "BAK-NSM", "case_id": id(4), "kind": "dna",
                "requested_at": "2024-03-30T10:00:00Z", "question": "DNT nümunəsi kimə məxsusdur?"}),
            assigned(18, "E-BAK-NSM-2024-000001", &[]),
        ),
        (
            json!({"act": "complete_examination", "examination_id": id(18), "done_at": "2024-04-02T16:45:00.000300Z",
                "result": "  Şübhəliyə məxsusdur  ", "identified_person": true}),
            target(18),
        ),
        (
            json!({"act": "open_case", "unit": "GNC", "agency": "prosecutor", "detected_by_police": true,
                "articles": ["126.1"], "occurred_at": "2023-12-31T20:30:00Z", "registered_at": "2023-12-31T21:00:00Z",
                "description": "Ağır xəsarət", "category": "Violence/assault 100%",
                "source": {"system": "import", "id": "row-7"}}),
            assigned(20, "C-GNC-2023-000001", &[]),
        ),
        (
            json!({"act": "register_report", "unit": "GNC", "channel": "written", "received_at": "2024-01-02T06:00:00Z",
                "officer": "Növbətçi", "applicant": {"role": "applicant", "full_name": "Cəfərov Nicat"},
                "summary": "Ərizə"}),
            assigned(21, "M-GNC-2024-000001", &[121]),
        ),
        (
            json!({"act": "decide_report", "report_id": id(21), "decided_at": "2024-01-03T06:00:00Z",
                "outcome": {"kind": "attach", "case_id": id(20)}}),
            target(21),
        ),
        (
            json!({"act": "decide_case", "case_id": id(20), "decided_at": "2024-01-10T08:00:00Z",
                "decision": {"kind": "terminated", "ground": "Barışıq"}}),
            target(20),
        ),
        (
            json!({"act": "register_report", "unit": "SMQ", "channel": "online", "received_at": "2024-04-01T12:00:00Z",
                "officer": "Online", "summary": "Saxta sayt", "category": "Fraud"}),
            assigned(24, "M-SMQ-2024-000001", &[]),
        ),
        (
            json!({"act": "decide_report", "report_id": id(24), "decided_at": "2024-04-02T12:00:00Z",
                "outcome": {"kind": "transfer", "to_body": "DTX"}}),
            target(24),
        ),
        (json!({"act": "annul", "unit": "GNC", "seq": 3, "reason": "Səhv qeyd"}), target(22)),
        // Added with the jurisdiction pack's storage: the one act that changes
        // no entity, on the root's chain, its files kept verbatim (a small
        // pack, so the pin does not move with the shipped pack's files).
        (
            json!({"act": "adopt_jurisdiction", "effective_from": "2024-04-01",
                "files": {"jurisdiction.toml": "code = \"XT\"\n# ə \"q\"\n", "units.toml": "[[unit]]\r\n"}}),
            Assigned::default(),
        ),
    ]
}

/// The chain an act goes on: its unit's, and an adoption's on the root's,
/// as the registry records them.
fn chain_of(command: &Command, loaded: &Loaded, assigned: &Assigned) -> String {
    match command.unit(loaded, assigned) {
        Some(unit) => unit.to_string(),
        None => "AZ".to_string(),
    }
}

/// Texts whose search keys are pinned: every alphabet and separator the
/// registers see, and the letters that lower-case to more than one.
const TEXTS: &[&str] = &[
    "",
    "  ... ",
    "Məmmədov Мамедов Mammadov MAMEDOV",
    "Əliyev, Алиев; Aliyev/Aliev",
    "Cəfərov Джафаров Jafarov Dzhafarov",
    "Şərifzadə Шарифзаде Sharifzade — Çingiz Чингиз",
    "AVTOMOBİL avtomobıl İSMAYILLI i̇stanbul",
    "Щукин Ёлкин Юрий Ячменев Цой Хабибов Ғафаров Ҹабиров Һәсән Ҝәнҹә Өмәр Үнсал Јусиф",
    "Cinayət işi, 177.2 — Füzuli küç. 59/3, mənzil 12",
    "art177p2z art177p2p1z flag3z",
    "Eyvaz yeni ev, Yevlax; yyy ddzh zhzh",
    "Straße ǅemal ﬁle Ⅻ ½ ²³ ١٢٣ 日本語 😀 ok",
    "aaaa bbbb 1111 0000 abba",
    "ä é î ö ü ı ğ ç ş ə",
    "tab\there\nnewline\u{0}nul",
];

#[test]
fn the_stored_bytes_of_a_history_do_not_change() {
    let got = render();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(GOLDEN);
    if std::env::var_os("CRIMEBOARD_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    if got != want {
        let line = got.lines().zip(want.lines()).position(|(g, w)| g != w).unwrap_or(0);
        panic!(
            "stored bytes changed, first at line {}:\n  was: {}\n  now: {}",
            line + 1,
            want.lines().nth(line).unwrap_or("<end>"),
            got.lines().nth(line).unwrap_or("<end>")
        );
    }
}

/// The pinned lines that start with one of `prefixes`, in order.
fn pinned(prefixes: &[&str]) -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(GOLDEN);
    let text = std::fs::read_to_string(path).expect("the pinned history");
    text.lines().filter(|l| prefixes.iter().any(|p| l.starts_with(p))).map(String::from).collect()
}

/// The history written through the `Store` trait, with the render's act ids,
/// times and envelope, and its index rows as the registry projects them.
fn store_history(store: &dyn crimeboard_store::Store) -> BTreeSet<Uuid> {
    let (reference, units) = (Jurisdiction::demo(), UnitTree::new(demo_units()).unwrap());
    let ctx = context(&reference, &units);
    let mut loaded = Loaded::new();
    let mut tx = store.begin().unwrap();
    for (n, (command, assigned)) in history().into_iter().enumerate() {
        let command: Command = serde_json::from_value(command).unwrap();
        let payload = Act::payload(&command, &assigned);
        let unit = chain_of(&command, &loaded, &assigned);
        let envelope = Envelope {
            act_id: id(1000 + n as u128),
            recorded_at: recorded_at(n),
            actor: "officer-1".into(),
            legal_ground: "CPC art. 207".into(),
        };
        let subjects = command.subjects(&assigned);
        tx.append(&unit, &envelope, command.name(), &payload, &subjects).unwrap();
        let before = loaded.clone();
        command.apply(&assigned, &mut loaded, &ctx);
        let mut changes = RowChanges::default();
        for subject in &subjects {
            changes.add(before.get(subject), loaded.get(subject), &reference.rules);
        }
        tx.insert(changes.fresh).unwrap();
        tx.update(changes.changed).unwrap();
        tx.delete(&changes.gone).unwrap();
    }
    tx.commit().unwrap();
    loaded.keys().copied().collect()
}

#[test]
fn the_stored_history_reads_back_as_pinned_from_each_backend() {
    let journal_lines = pinned(&["== act ", "payload ", "hash "]);
    let states = pinned(&["row ", "state "]);
    // The last state pinned for each record: how it stands after the whole history.
    let mut final_state: BTreeMap<String, String> = BTreeMap::new();
    for pair in states.chunks(2) {
        let id = pair[0].split(' ').nth(2).unwrap().to_string();
        final_state.insert(id, pair[1].trim_start_matches("state ").to_string());
    }
    crate::support::each_backend(|env| {
        let store = env.registry.store().as_ref();
        let entities = store_history(store);
        let mut read_back = Vec::new();
        for (n, e) in store.journal(None, 0, 1000).unwrap().iter().enumerate() {
            read_back.push(format!("== act {n} {} in {} #{}", e.kind, e.unit, e.seq));
            read_back.push(format!("payload {}", e.payload));
            read_back.push(format!("hash {}", e.hash));
        }
        assert_eq!(read_back, journal_lines, "the journal as stored on {}", env.db.name);
        assert!(!entities.is_empty());
        for id in entities {
            let record = store.get(id).unwrap().unwrap_or_else(|| panic!("{id} on {}", env.db.name));
            let want = &final_state[&id.to_string()];
            if store.backend() == Backend::Sqlite {
                assert_eq!(&record.state, want, "{id} as stored on {}", env.db.name);
            } else {
                // JSONB keeps the value, not the text: the same JSON, written its own way.
                let value = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
                assert_eq!(value(&record.state), value(want), "{id} as stored on {}", env.db.name);
            }
        }
    });
}

/// The index changes as first written: every row of before and after
/// serialised, then compared by id. Kept to show that skipping what did not
/// change writes the very same rows.
fn changes_as_first_written(before: &[IndexRow], after: &[IndexRow]) -> RowChanges {
    let old: HashMap<Uuid, &IndexRow> = before.iter().map(|r| (r.id, r)).collect();
    let mut changes = RowChanges::default();
    for row in after {
        match old.get(&row.id) {
            None => changes.fresh.push(row.clone()),
            Some(prev) if prev.state != row.state || prev.status != row.status || prev.text != row.text => {
                changes.changed.push(row.clone())
            }
            Some(_) => {}
        }
    }
    let kept: HashSet<Uuid> = after.iter().map(|r| r.id).collect();
    changes.gone = before.iter().map(|r| r.id).filter(|id| !kept.contains(id)).collect();
    changes
}

/// The context the history is applied in: the shipped reference data, the
/// demo units and the tests' "now".
fn context<'a>(reference: &'a Jurisdiction, units: &'a UnitTree) -> Context<'a> {
    Context {
        catalogue: &reference.catalogue,
        rules: &reference.rules,
        units,
        now: crate::support::NOW.parse().unwrap(),
    }
}

#[test]
fn index_changes_are_those_of_comparing_every_row() {
    let (reference, units) = (Jurisdiction::demo(), UnitTree::new(demo_units()).unwrap());
    let ctx = context(&reference, &units);
    let rules = &reference.rules;
    let rows = |e: Option<&Entity>| e.map(|e| e.index_rows(rules)).unwrap_or_default();
    let mut loaded = Loaded::new();
    let mut seen = 0;
    for (command, assigned) in history() {
        let command: Command = serde_json::from_value(command).unwrap();
        let subjects = command.subjects(&assigned);
        let before = loaded.clone();
        command.apply(&assigned, &mut loaded, &ctx);
        // Forward as recorded, backward as annulled, and into and out of existence.
        for id in &subjects {
            let (was, now) = (before.get(id), loaded.get(id));
            for (from, to) in [(was, now), (now, was), (None, now), (now, None), (now, now)] {
                let mut changes = RowChanges::default();
                changes.add(from, to, rules);
                assert_eq!(changes, changes_as_first_written(&rows(from), &rows(to)), "{}", command.name());
                seen += changes.fresh.len() + changes.changed.len() + changes.gone.len();
            }
        }
    }
    assert!(seen > 100, "the history changes rows");
}

/// When act `n` of the history is recorded.
fn recorded_at(n: usize) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(1_711_000_000_000_000 + n as i64 * 1_234_567).unwrap()
}

fn render() -> String {
    let (reference, units) = (Jurisdiction::demo(), UnitTree::new(demo_units()).unwrap());
    let ctx = context(&reference, &units);
    let mut out = String::new();
    let mut loaded = Loaded::new();
    let mut chains: BTreeMap<String, (i64, String)> = BTreeMap::new();
    for (n, (command, assigned)) in history().into_iter().enumerate() {
        let command: Command = serde_json::from_value(command).unwrap();
        let payload = Act::payload(&command, &assigned);
        let unit = chain_of(&command, &loaded, &assigned);
        let recorded_at = recorded_at(n);
        let (seq, prev) = chains.entry(unit.clone()).or_insert((0, GENESIS.to_string()));
        *seq += 1;
        let hash = entry_hash(
            prev,
            &unit,
            *seq,
            id(1000 + n as u128),
            command.name(),
            recorded_at,
            "officer-1",
            "CPC art. 207",
            &payload,
        );
        writeln!(out, "== act {n} {} in {unit} #{seq}\npayload {payload}\nhash {hash}", command.name()).unwrap();
        *prev = hash;
        command.apply(&assigned, &mut loaded, &ctx);
        for subject in command.subjects(&assigned) {
            if let Some(entity) = loaded.get(&subject) {
                render_entity(&mut out, entity, &reference);
            }
        }
    }
    out.push_str("== search keys\n");
    for text in TEXTS {
        writeln!(out, "{text:?} -> {:?} / {:?}", search_keys(text), query_keys(text)).unwrap();
    }
    out.push_str("== audit hashes\n");
    let mut prev = GENESIS.to_string();
    for (seq, at) in [(1, "2024-04-19T10:00:00Z"), (2, "2024-04-19T10:00:00.000007Z"), (3, "1999-01-01T00:00:00.5Z")] {
        let event = AuditEvent {
            at: at.parse().unwrap(),
            actor: "aliyev".into(),
            address: "127.0.0.1".into(),
            action: "view_person".into(),
            target: id(seq as u128).to_string(),
            detail: "{\"why\":\"yoxlama\"}".into(),
        };
        let entry = event.chained(seq, &prev);
        writeln!(out, "{seq} {}", entry.hash).unwrap();
        prev = entry.hash;
    }
    out.push_str("== timestamps\n");
    for at in timestamps() {
        writeln!(out, "{}", serde_json::to_string(&at).unwrap()).unwrap();
    }
    for day in [(0, 1, 1), (999, 12, 31), (2024, 2, 29), (9999, 12, 31), (10000, 1, 1), (-1, 6, 15)] {
        let day = NaiveDate::from_ymd_opt(day.0, day.1, day.2).unwrap();
        writeln!(out, "{}", serde_json::to_string(&day).unwrap()).unwrap();
    }
    out
}

/// Instants at the edges of the textual form: years of fewer and more than
/// four digits and before year 0, each fraction length, leap seconds.
pub fn timestamps() -> Vec<DateTime<Utc>> {
    let mut all = Vec::new();
    for (y, m, d) in [
        (0, 1, 1),
        (7, 2, 3),
        (999, 12, 31),
        (1970, 1, 1),
        (2024, 2, 29),
        (9999, 12, 31),
        (10000, 1, 1),
        (-1, 6, 15),
        (-10000, 1, 1),
    ] {
        let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        for nano in [
            0,
            1,
            999,
            1_000,
            120_000,
            500_000_000,
            123_456_789,
            999_999_999,
            1_000_000_000,
            1_250_000_000,
            1_999_999_999,
        ] {
            for (h, min, s) in [(0, 0, 0), (23, 59, 59), (9, 5, 7)] {
                if let Some(t) = day.and_hms_nano_opt(h, min, s, nano) {
                    all.push(t.and_utc());
                }
            }
        }
    }
    all
}

fn render_entity(out: &mut String, entity: &Entity, reference: &Jurisdiction) {
    for row in entity.index_rows(&reference.rules) {
        writeln!(
            out,
            "row {} {} {} {} {} {} {:?} {:?}\ntext {:?}\nkeys {}\nstate {}",
            row.kind.as_str(),
            row.id,
            row.unit,
            row.number,
            row.status,
            row.day,
            row.parent,
            row.deadline,
            row.text,
            search_keys(&row.text),
            row.state
        )
        .unwrap();
    }
    for cell in reference.indicators.contributions(entity, &reference.rules) {
        writeln!(out, "cell {} {} {} {}", cell.unit, cell.indicator, cell.day, cell.value).unwrap();
    }
}
