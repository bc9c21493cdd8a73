use chrono::{DateTime, Utc};
use crimeboard_domain::Command;
use crimeboard_domain::access::{Principal, Role};
use crimeboard_domain::case::{CaseFlags, NewCase, Place};
use crimeboard_domain::catalogue::ArticleRef;
use crimeboard_domain::identifier::{Identifier, IdentifierKind};
use crimeboard_domain::person::{PersonInput, PersonRole, Sex};
use crimeboard_domain::report::{Channel, NewReport};
use crimeboard_domain::rules::Procedure;
use crimeboard_domain::units::UnitCode;
use crimeboard_identifiers::Normalising;
use crimeboard_service::audit::Audited;
use crimeboard_service::{Receipt, Registry, ServiceError, Submission, demo_units};
use crimeboard_store::testing::{TestStore, backends};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// "Now" for every test: the day of the Board meeting in the seed.
pub const NOW: &str = "2024-04-19T10:00:00Z";

/// Every act's payload in the journal, one a line: for looking for what must not be there.
pub fn journal_text(env: &Env) -> String {
    let entries = env.registry.journal(None, 0, 1000).unwrap();
    entries.iter().map(|e| e.payload.as_str()).collect::<Vec<_>>().join("\n")
}

pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub struct Env {
    pub db: TestStore,
    pub registry: Registry,
}

/// One registry per backend, with the demo units and a fixed clock.
pub fn each_backend(test: impl Fn(&Env)) {
    for db in backends() {
        let clock = Arc::new(|| at(NOW));
        let registry = Registry::new(db.store.clone(), clock).unwrap().with_card_key(CARD_KEY.to_vec());
        registry.add_units(&as_system(&registry), &demo_units(), &registry.units_added_today("tests")).unwrap();
        let env = Env { db, registry };
        eprintln!("-- backend: {}", env.db.name);
        test(&env);
    }
}

/// The card key of the tests' registries.
pub const CARD_KEY: &[u8] = b"the tests' card key, 32 bytes!!!";

/// An identifier parsed as the tests' registries parse it (country AZ).
pub fn parsed(kind: IdentifierKind, typed: &str) -> Identifier {
    let ctx = Normalising { default_country: "AZ", card_key: CARD_KEY };
    crimeboard_identifiers::parse(kind, typed, &ctx).unwrap()
}

pub fn phone(typed: &str) -> Identifier {
    parsed(IdentifierKind::Phone, typed)
}

pub fn unit(code: &str) -> UnitCode {
    UnitCode::parse(code).unwrap()
}

/// The principal tests record as where access is not what they test: the
/// system, which may record every act in every unit.
pub fn as_system(registry: &Registry) -> Principal {
    registry.system("tests")
}

/// A signed-in person of `role` whose home is `home`.
pub fn person(login: &str, role: Role, home: &str) -> Principal {
    Principal { login: login.into(), role, home: unit(home), grants: vec![], token_scope: None }
}

/// Records a batch as the system, without audit records.
pub fn record_all(registry: &Registry, batch: &[Submission]) -> Result<Vec<Receipt>, ServiceError> {
    registry.record_batch(&as_system(registry), batch, None, &Audited::No)
}

pub fn submit(env: &Env, command: Command) -> Result<Receipt, ServiceError> {
    let s = Submission { actor: "officer-1".into(), legal_ground: "CPC art. 207".into(), command, late: None };
    env.registry.record(&as_system(&env.registry), &s, &Audited::No)
}

pub fn ok(env: &Env, command: Command) -> Receipt {
    submit(env, command).unwrap_or_else(|e| panic!("{} on {}", e, env.db.name))
}

/// The rule codes a rejected submission named, with their fields.
pub fn rejected(env: &Env, command: Command) -> Vec<(String, String)> {
    let before = env.registry.store().position().unwrap();
    let err = submit(env, command).expect_err("the command should be rejected");
    let after = env.registry.store().position().unwrap();
    assert_eq!(before, after, "a rejected command wrote to the journal on {}", env.db.name);
    match err {
        ServiceError::Rejected(r) => r.0.into_iter().map(|v| (v.field, v.rule)).collect(),
        other => panic!("expected a rule violation, got {other}"),
    }
}

pub fn assert_rule(found: &[(String, String)], field: &str, rule: &str) {
    assert!(found.iter().any(|(f, r)| f == field && r == rule), "expected {field}: {rule}, found {found:?}");
}

pub fn applicant(name: &str) -> PersonInput {
    PersonInput {
        role: PersonRole::Applicant,
        full_name: name.into(),
        fin: None,
        birth_date: None,
        sex: Some(Sex::Female),
        previously_convicted: false,
    }
}

pub fn suspect(name: &str, born: &str) -> PersonInput {
    PersonInput {
        role: PersonRole::Suspect,
        full_name: name.into(),
        fin: None,
        birth_date: Some(born.parse().unwrap()),
        sex: Some(Sex::Male),
        previously_convicted: false,
    }
}

pub fn new_report(received_at: &str) -> NewReport {
    NewReport {
        unit: unit("BAK-NSM"),
        procedure: Procedure::CrimeReport,
        channel: Channel::InPerson,
        received_at: at(received_at),
        officer: "Duty officer Məmmədov".into(),
        applicant: Some(applicant("Leyla Əliyeva")),
        summary: "Mənzildən zinət əşyaları oğurlanıb".into(),
        category: None,
        source: None,
    }
}

pub fn report(env: &Env, received_at: &str) -> Receipt {
    ok(env, Command::RegisterReport(new_report(received_at)))
}

pub fn new_case(report_ids: Vec<uuid::Uuid>, registered_at: &str) -> NewCase {
    NewCase {
        unit: unit("BAK-NSM"),
        agency: crimeboard_domain::units::Agency::Mia,
        report_ids,
        detected_by_police: false,
        articles: vec![ArticleRef::parse("177.2").unwrap()],
        occurred_at: at("2024-04-01T20:00:00Z"),
        registered_at: at(registered_at),
        place: Place {
            address: "Nəsimi r., S. Vurğun küç. 12".into(), latitude: Some(40.38), longitude: Some(49.83)
        },
        flags: CaseFlags { non_obvious: true, ..CaseFlags::default() },
        description: "Mənzil oğurluğu".into(),
        persons: vec![],
        late_reason: None,
        category: None,
        source: None,
    }
}

/// A report and the case opened from it, with one suspect.
pub fn case_with_suspect(env: &Env) -> Receipt {
    let r = report(env, "2024-04-02T08:00:00Z");
    let mut c = new_case(vec![r.entity_id], "2024-04-03T09:00:00Z");
    c.persons.push(suspect("Orxan Quliyev", "1990-05-01"));
    ok(env, Command::OpenCase(c))
}

/// A quarterly meeting of the Board at `unit` on 18 April reviewing 2024Q1,
/// one agenda item on the crimes recorded in Baku, one rapporteur.
pub fn new_meeting(unit_code: &str) -> crimeboard_domain::meeting::NewMeeting {
    use crimeboard_domain::meeting::{AgendaItem, MeetingKind, NewMeeting, Rapporteur};
    NewMeeting {
        unit: unit(unit_code),
        held_on: "2024-04-18".parse().unwrap(),
        kind: MeetingKind::Quarterly,
        period_from: "2024-01-01".parse().unwrap(),
        period_to: "2024-03-31".parse().unwrap(),
        title: "Birinci rübün yekunları".into(),
        agenda: vec![AgendaItem {
            topic: "Mənzil oğurluqları".into(),
            indicators: vec!["crimes_recorded".into()],
            units: vec![unit("BAK")],
        }],
        rapporteurs: vec![Rapporteur {
            full_name: "Polkovnik Əliyev".into(),
            position: "Bakı Baş Polis İdarəsinin rəisi".into(),
            unit: unit("BAK"),
            item: 0,
        }],
    }
}

/// A task of `meeting` for `owner`, controlled by `controller`, due on `due_on`, without targets.
pub fn new_task(
    meeting: Option<uuid::Uuid>,
    owner: &str,
    controller: &str,
    due_on: &str,
) -> crimeboard_domain::task::NewTask {
    use crimeboard_domain::task::{ControlLevel, NewTask};
    NewTask {
        meeting_id: meeting,
        parent_task_id: None,
        text: "Mənzil oğurluqlarının açılmasını gücləndirmək".into(),
        authority: "Nazir".into(),
        owner: unit(owner),
        co_executors: vec![],
        controller: controller.into(),
        due_on: due_on.parse().unwrap(),
        control_level: ControlLevel::Minister,
        targets: vec![],
    }
}

/// A registry whose clock the test moves (microseconds since the epoch).
pub fn each_backend_with_clock(test: impl Fn(&Env, &AtomicI64)) {
    for db in backends() {
        let now = Arc::new(AtomicI64::new(at(NOW).timestamp_micros()));
        let read = now.clone();
        let clock = Arc::new(move || DateTime::from_timestamp_micros(read.load(Ordering::SeqCst)).unwrap());
        let registry = Registry::new(db.store.clone(), clock).unwrap().with_card_key(CARD_KEY.to_vec());
        registry.add_units(&as_system(&registry), &demo_units(), &registry.units_added_today("tests")).unwrap();
        let env = Env { db, registry };
        eprintln!("-- backend: {}", env.db.name);
        test(&env, &now);
    }
}

/// Sets a test's clock to 10:00 UTC of `day` (`2024-05-20`).
pub fn move_clock(clock: &AtomicI64, day: &str) {
    clock.store(at(&format!("{day}T10:00:00Z")).timestamp_micros(), Ordering::SeqCst);
}

/// A named citizen's complaint to BAK-NSM, mentioning no offence.
pub fn new_appeal(received_at: &str) -> crimeboard_domain::appeal::NewAppeal {
    use crimeboard_domain::appeal::{AppealChannel, AppealKind, Applicant, Applicants, NewAppeal};
    NewAppeal {
        unit: unit("BAK-NSM"),
        addressed_to: unit("BAK"),
        channel: AppealChannel::Written,
        kind: AppealKind::Complaint,
        received_at: at(received_at),
        applicants: Applicants::Person {
            person: Applicant { full_name: "Məmmədov Rauf".into(), address: "Bakı, Nəsimi r., 5".into() },
        },
        subject: "Sahə müvəkkilinin cavabsızlığı".into(),
        text: "Müraciətimə cavab verilmir".into(),
        attachments: vec!["Ərizənin surəti, 1 vərəq".into()],
        repeat_of: None,
        reception_id: None,
        mentions_offence: false,
    }
}

/// An answer to an appeal, explaining, sent by post.
pub fn answer_of(appeal_id: uuid::Uuid, answered_at: &str) -> crimeboard_domain::appeal::AnswerAppeal {
    use crimeboard_domain::appeal::{AnswerAppeal, AppealDecision, Delivery};
    AnswerAppeal {
        appeal_id,
        answered_at: at(answered_at),
        decision: AppealDecision::Explained,
        text: "Yoxlama aparılıb, izah verilib".into(),
        signed_by: "Polkovnik Əliyev".into(),
        delivered_by: Delivery::Post,
        late_reason: None,
    }
}
