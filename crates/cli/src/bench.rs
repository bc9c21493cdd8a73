//! Registration throughput through the very path the API uses
//! (`Registry::record_batch`): access, validation, numbering, the journal's
//! hash chain and the projections, committed in batches, recorded by the
//! system principal `generator`.

use crate::generate::{detected_case, report_and_case, submission};
use crate::progress::ProgressLine;
use anyhow::Result;
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use crimeboard_demo::Rng;
use crimeboard_domain::Command;
use crimeboard_domain::case::{CaseDecision, Procedural};
use crimeboard_domain::rules::Rules;
use crimeboard_domain::units::{UnitCode, UnitKind};
use crimeboard_service::audit::Audited;
use crimeboard_service::{Receipt, Registry, Submission};
use std::time::{Duration as Elapsed, Instant};

/// The system principal the generators record as, named as their acts' actor.
const GENERATOR: &str = "generator";

/// Records generated acts in one transaction, as the generator, without audit records.
fn record(registry: &Registry, batch: &[Submission]) -> crimeboard_service::Result<Vec<Receipt>> {
    registry.record_batch(&registry.system(GENERATOR), batch, None, &Audited::No)
}

/// Registers `cases` cases, each as two acts (report, then case opened from
/// it with a suspect and a victim), `batch` cases per transaction pair.
pub fn register(registry: &Registry, cases: u64, batch: usize) -> Result<()> {
    if registry.units().is_empty() {
        registry.add_units(
            &registry.system(GENERATOR),
            &crimeboard_service::demo_units(),
            &registry.units_added_today(GENERATOR),
        )?;
    }
    let units = leaf_units(registry);
    let mut rng = Rng::new(2024);
    let start = Utc.with_ymd_and_hms(2015, 1, 1, 6, 0, 0).single().expect("valid start");
    let mut done = 0u64;
    let (mut gen_time, mut report_time, mut case_time) = (Elapsed::ZERO, Elapsed::ZERO, Elapsed::ZERO);
    let began = Instant::now();
    let mut last_print = Instant::now();
    while done < cases {
        let n = (cases - done).min(batch as u64);
        let t = Instant::now();
        let mut reports = Vec::with_capacity(n as usize);
        let mut opened = Vec::with_capacity(n as usize);
        for i in 0..n {
            let unit = &units[((done + i) % units.len() as u64) as usize];
            // Spread over ten years, about 270 seconds apart.
            let received = start + Duration::seconds(((done + i) * 270 + rng.below(200)) as i64);
            let (r, c) = report_and_case(&mut rng, unit, received);
            reports.push(r);
            opened.push(c);
        }
        gen_time += t.elapsed();
        let t = Instant::now();
        let receipts = record(registry, &reports)?;
        report_time += t.elapsed();
        let t = Instant::now();
        let cases: Vec<_> = opened
            .into_iter()
            .zip(&receipts)
            .map(|(mut c, r)| {
                c.report_ids = vec![r.entity_id];
                submission(Command::OpenCase(c))
            })
            .collect();
        gen_time += t.elapsed();
        let t = Instant::now();
        record(registry, &cases)?;
        case_time += t.elapsed();
        done += n;
        if last_print.elapsed().as_secs() >= 5 {
            eprintln!("  {done} cases, {:.0} cases/s", done as f64 / began.elapsed().as_secs_f64());
            last_print = Instant::now();
        }
    }
    let total = began.elapsed().as_secs_f64();
    println!("backend:       {:?}", registry.store().backend());
    println!("cases:         {done} ({} acts, {} persons)", done * 2, done * 3);
    println!("batch:         {batch} acts per transaction");
    println!("elapsed:       {total:.1} s");
    println!("rate:          {:.0} cases/s ({:.0} acts/s)", done as f64 / total, 2.0 * done as f64 / total);
    println!("  generating:  {:.1} s", gen_time.as_secs_f64());
    println!("  reports:     {:.1} s", report_time.as_secs_f64());
    println!("  cases:       {:.1} s", case_time.as_secs_f64());
    print_thread_cpu(done);
    Ok(())
}

/// Where the time went, thread by thread: the caller's thread checks and
/// prepares acts, SQLite's writer thread runs the statements, and its
/// checkpoint thread copies the log into the database. The busiest thread
/// bounds the rate. Linux only; elsewhere nothing is printed.
fn print_thread_cpu(cases: u64) {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return };
    let mut threads: Vec<(String, f64)> = tasks
        .flatten()
        .filter_map(|task| {
            let name = std::fs::read_to_string(task.path().join("comm")).ok()?.trim().to_string();
            let stat = std::fs::read_to_string(task.path().join("stat")).ok()?;
            // After the name in parentheses: utime and stime are the 12th and
            // 13th fields, in clock ticks (100 a second on Linux).
            let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
            let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
            Some((name, ticks / 100.0))
        })
        .filter(|(_, seconds)| *seconds > 0.0)
        .collect();
    threads.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!("CPU by thread:");
    for (name, seconds) in threads {
        println!("  {name:<17} {seconds:>7.1} s  {:>6.1} µs a case", seconds * 1e6 / cases.max(1) as f64);
    }
}

/// The `i`th registration of the civil day `at` falls on: in its working hours,
/// 08:00 to 20:59 on the local clock, whatever the zone's offset that day.
fn in_working_hours(rules: &Rules, at: DateTime<Utc>, i: u64) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(8 + (i % 13) as u32, (i % 60) as u32, 0).expect("valid time");
    rules.from_local(rules.local_date(at).and_time(time))
}

fn leaf_units(registry: &Registry) -> Vec<UnitCode> {
    let tree = registry.units();
    tree.all().filter(|u| matches!(u.kind, UnitKind::District | UnitKind::City)).map(|u| u.code.clone()).collect()
}

/// Times the full report from the counters, `runs` times, and prints the
/// median and spread; with `scan`, also the same report by a full scan.
pub fn report(registry: &Registry, period: &crimeboard_stats::Period, runs: usize, scan: bool) -> Result<()> {
    let first = registry.report(*period, None)?;
    let cells: usize = first.units.iter().map(|u| u.figures.len() + u.shares.len()).sum();
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let r = registry.report(*period, None)?;
        times.push(t.elapsed());
        std::hint::black_box(r);
    }
    times.sort();
    let at = |q: f64| quantile_ms(&times, q);
    println!("backend:        {:?}", registry.store().backend());
    println!("journal:        {} acts", first.position);
    println!("report:         {period} vs {}, {} units, {cells} figures", first.previous, first.units.len());
    println!(
        "crimes:         {} recorded in the period",
        first.figure("crimes_recorded").map_or(0, |f| f.change.current)
    );
    println!(
        "from counters:  median {:.2} ms, p90 {:.2} ms, min {:.2} ms, max {:.2} ms ({} runs)",
        at(0.5),
        at(0.9),
        at(0.0),
        at(1.0),
        times.len()
    );
    if scan {
        let t = Instant::now();
        let scanned = registry.report_by_scan(*period, None)?;
        println!(
            "by full scan:   {:.0} ms (1 run, every indicator, reading every entity)",
            t.elapsed().as_secs_f64() * 1000.0
        );
        println!("scan agrees:    {}", scanned.units == first.units);
    }
    Ok(())
}

/// What the search box is asked at the desk: surnames and first names in
/// Azerbaijani, Russian and Latin spellings, the first letters of a name,
/// a street, an article, two words together, two common words no record has
/// together (a woman's surname with a man's name), and a word nothing has.
const SEARCHES: [&str; 15] = [
    "Məmmədov",
    "Мамедов",
    "Aliyev",
    "Hüseynova",
    "Rəşad",
    "Шахла",
    "mə",
    "əli",
    "Abbasov Rəşad",
    "Füzuli küç",
    "177.2",
    "Nizami",
    "Qasımova Aynur",
    "Hüseynova Rəşad",
    "zzqx",
];

/// Latency of searches through `Registry::list` (first page of 50), each
/// query over every register, over persons only, and within one district.
pub fn search(registry: &Registry, runs: usize) -> Result<()> {
    use crimeboard_domain::EntityKind;
    use crimeboard_service::ListParams;
    let district = leaf_units(registry).first().map(|u| u.to_string());
    let scopes: [(&str, Option<EntityKind>, Option<String>); 3] =
        [("everything", None, None), ("persons", Some(EntityKind::Person), None), ("one district", None, district)];
    println!("backend:        {:?}", registry.store().backend());
    println!("journal:        {} acts", registry.store().position()?);
    let mut all = Vec::new();
    for (label, kind, unit) in scopes {
        let mut times = Vec::new();
        let mut slowest = (Elapsed::ZERO, "");
        for q in SEARCHES {
            let params = ListParams { kind, unit: unit.clone(), q: Some(q.into()), ..Default::default() };
            let mut runs_of_q = Vec::new();
            for _ in 0..runs.max(1) {
                let t = Instant::now();
                std::hint::black_box(registry.list(&params)?);
                runs_of_q.push(t.elapsed());
            }
            runs_of_q.sort();
            let median = runs_of_q[runs_of_q.len() / 2];
            if median > slowest.0 {
                slowest = (median, q);
            }
            times.extend(runs_of_q);
        }
        println!("{label:<15} {}", latency_line(&mut times));
        println!("{:<15} slowest search {:?}: median {:.2} ms", "", slowest.1, slowest.0.as_secs_f64() * 1000.0);
        all.extend(times);
    }
    println!("all searches:   {}", latency_line(&mut all));
    Ok(())
}

/// The `q` quantile of sorted times, in milliseconds.
fn quantile_ms(sorted: &[Elapsed], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1000.0
}

fn latency_line(times: &mut [Elapsed]) -> String {
    times.sort();
    let at = |q: f64| quantile_ms(times, q);
    format!("median {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} searches)", at(0.5), at(0.95), at(1.0), times.len())
}

/// A few of the report's figures straight from the registers with plain SQL
/// on a SQLite file, both periods, per unit: what a report costs without
/// counters, even when it asks for only five figures.
pub fn plain_sql_scan(path: &str, period: &crimeboard_stats::Period, runs: usize) -> Result<()> {
    let conn = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let queries = [
        ("crimes_recorded", "SELECT unit, count(*) FROM records WHERE kind = 'case' AND day BETWEEN ?1 AND ?2 GROUP BY unit"),
        (
            "serious",
            "SELECT unit, count(*) FROM records WHERE kind = 'case' AND day BETWEEN ?1 AND ?2
               AND json_extract(state, '$.gravity') IN ('serious', 'especially_serious') GROUP BY unit",
        ),
        (
            "theft",
            "SELECT unit, count(*) FROM records WHERE kind = 'case' AND day BETWEEN ?1 AND ?2
               AND EXISTS (SELECT 1 FROM json_each(state, '$.tags') WHERE value = 'theft') GROUP BY unit",
        ),
        (
            "solved_in_period",
            "SELECT unit, count(*) FROM records WHERE kind = 'case'
               AND date(json_extract(state, '$.solved_at'), '+4 hours') BETWEEN ?1 AND ?2 GROUP BY unit",
        ),
        (
            "damage",
            "SELECT unit, sum((SELECT coalesce(sum(json_extract(value, '$.amount_qepik')), 0) FROM json_each(state, '$.damage')))
               FROM records WHERE kind = 'case' AND day BETWEEN ?1 AND ?2 GROUP BY unit",
        ),
    ];
    let previous = period.year_before();
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let mut total = 0i64;
        for (_, sql) in &queries {
            let mut stmt = conn.prepare_cached(sql)?;
            for p in [period, &previous] {
                let rows = stmt.query_map([p.from.to_string(), p.to.to_string()], |r| r.get::<_, i64>(1))?;
                for v in rows {
                    total += v?;
                }
            }
        }
        std::hint::black_box(total);
        times.push(t.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2].as_secs_f64() * 1000.0;
    println!("plain SQL scan: median {median:.0} ms ({} runs; 5 of the figures, both periods, per unit)", times.len());
    Ok(())
}

/// A large, lean data set for the report benchmarks: `cases` cases over
/// `years` years ending with June 2024, spread evenly over the district and
/// city departments, each opened by the police with its persons inline, and
/// most solved (65 %) or suspended (15 %) a few days later: about 1.8 acts a
/// case, through the same write path as every other act.
pub fn lean(registry: &Registry, years: u32, units: u32, cases: u64) -> Result<()> {
    if registry.units().is_empty() {
        registry.add_units(
            &registry.system(GENERATOR),
            &crimeboard_demo::demo_units(units),
            &registry.units_added_today(GENERATOR),
        )?;
    }
    let leaves = leaf_units(registry);
    let pack = registry.jurisdiction();
    let rules = &pack.rules;
    let end = Utc.with_ymd_and_hms(2024, 6, 30, 17, 0, 0).single().expect("valid end");
    let start = end - Duration::days(365 * i64::from(years.max(1)));
    let step = (end - start).num_seconds() as f64 / cases.max(1) as f64;
    let mut rng = Rng::new(10_000_000);
    let mut line = ProgressLine::new();
    let mut done = 0u64;
    while done < cases {
        let n = (cases - done).min(1000);
        let opened: Vec<_> = (done..done + n)
            .map(|i| {
                let registered = in_working_hours(rules, start + Duration::seconds((i as f64 * step) as i64), i);
                submission(Command::OpenCase(detected_case(
                    &mut rng,
                    &leaves[(i % leaves.len() as u64) as usize],
                    registered,
                )))
            })
            .collect();
        let receipts = record(registry, &opened)?;
        let decisions: Vec<_> = receipts
            .iter()
            .zip(&opened)
            .filter_map(|(receipt, s)| {
                let Command::OpenCase(c) = &s.command else { return None };
                let decided_at = (c.registered_at + Duration::days(1 + rng.below(20) as i64)).min(end);
                let decision = match rng.below(100) {
                    0..65 => Procedural::Solved { how: "Operative measures".into(), forensic_methods: vec![] },
                    65..80 => Procedural::Suspended,
                    _ => return None,
                };
                Some(submission(Command::DecideCase(CaseDecision { case_id: receipt.entity_id, decided_at, decision })))
            })
            .collect();
        record(registry, &decisions)?;
        done += n;
        line.draw(done, cases, "cases");
    }
    Ok(())
}

/// The telephone number of the `i`th generated case, as the index keys it:
/// Azerbaijani mobile numbers (+99450, +99451, +99455, +99470, +99477), one a case.
fn generated_phone(i: u64) -> String {
    const PREFIXES: [&str; 5] = ["50", "51", "55", "70", "77"];
    format!("+994{}{:07}", PREFIXES[(i / 10_000_000) as usize % 5], i % 10_000_000)
}

/// The same number as a person types it: the national form with spaces.
fn typed_phone(key: &str) -> String {
    let national = &key[4..];
    format!("0{} {} {} {}", &national[..2], &national[2..5], &national[5..7], &national[7..])
}

/// A Luhn-valid card number of 16 digits for the `i`th generated case.
fn generated_card(i: u64) -> String {
    let body = format!("4{:014}", i.wrapping_mul(2_654_435_761) % 100_000_000_000_000);
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(pos, b)| {
            let d = u32::from(b - b'0');
            if pos % 2 == 0 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// Fills the identifier index with `cases` cases' identifiers (a telephone
/// number on the case, a card on its suspect), `batch` rows a transaction,
/// through the statement the acts' projection writes with
/// (`Tx::identifiers`), without the acts and the records: the lookup reads
/// the index alone, and registering ten million cases and attaching their
/// identifiers would take the better part of an hour (docs/benchmarks.md).
fn fill_identifiers(registry: &Registry, cases: u64, batch: u64) -> Result<()> {
    use crimeboard_domain::identifier::{IdentifierChanges, IdentifierKind, IdentifierRow, SubjectKind};
    let leaves = leaf_units(registry);
    let mut line = ProgressLine::new();
    let mut done = 0u64;
    while done < cases {
        let n = (cases - done).min(batch);
        let mut rows = Vec::with_capacity(2 * n as usize);
        for i in done..done + n {
            let unit = leaves[(i % leaves.len() as u64) as usize].clone();
            let number = format!("C-{unit}-2024-{:06}", i / leaves.len() as u64 + 1);
            let record_id = uuid::Uuid::from_u64_pair(i, 0);
            let card = registry.parse_identifier(IdentifierKind::Card, &generated_card(i), "card")?;
            let phone = generated_phone(i);
            rows.push(IdentifierRow {
                kind: IdentifierKind::Phone,
                display: typed_phone(&phone),
                key: phone,
                subject_kind: SubjectKind::Case,
                subject_id: record_id,
                record_id,
                unit: unit.clone(),
                number: number.clone(),
            });
            rows.push(IdentifierRow {
                kind: IdentifierKind::Card,
                key: card.value().to_string(),
                subject_kind: SubjectKind::Person,
                subject_id: uuid::Uuid::from_u64_pair(i, 1),
                record_id,
                unit,
                number,
                display: card.display().to_string(),
            });
        }
        let mut tx = registry.store().begin()?;
        tx.identifiers(IdentifierChanges { added: rows, removed: Vec::new() })?;
        tx.commit()?;
        done += n;
        line.draw(done, cases, "cases");
    }
    Ok(())
}

/// Latency of the identifier lookup (`Registry::lookup_identifier`: the
/// parse of what is typed, the index read, the split by scope and the audit
/// record) and of the index read alone, for `runs` identifiers of the
/// `cases` cases the index holds (and as many absent ones), typed in another
/// form than the one stored, by a district investigator (most matches fall
/// outside the district, as they would).
pub fn lookup(registry: &Registry, cases: u64, fill: bool, batch: u64, runs: usize) -> Result<()> {
    use crimeboard_domain::access::{Principal, Role};
    use crimeboard_domain::identifier::IdentifierKind;
    if registry.units().is_empty() {
        registry.add_units(
            &registry.system(GENERATOR),
            &crimeboard_service::demo_units(),
            &registry.units_added_today(GENERATOR),
        )?;
    }
    if fill {
        let began = Instant::now();
        fill_identifiers(registry, cases, batch)?;
        println!("filled:         {cases} cases, {} rows in {:.1} s", 2 * cases, began.elapsed().as_secs_f64());
    }
    let leaves = leaf_units(registry);
    let by = Principal {
        login: "bench".into(),
        role: Role::Investigator,
        home: leaves[0].clone(),
        grants: vec![],
        token_scope: None,
    };
    let actor = crimeboard_service::audit::Actor::new("bench", "cli");
    // The first parse of a telephone number loads the numbering plans: timed apart.
    let t = Instant::now();
    registry.lookup_identifier(&by, &actor, IdentifierKind::Phone, &typed_phone(&generated_phone(0)))?;
    let first = t.elapsed();
    let mut rng = Rng::new(19);
    let (mut looked, mut read, mut missing) = (Vec::new(), Vec::new(), Vec::new());
    let mut found = 0usize;
    for run in 0..runs.max(1) {
        let i = rng.below(cases.max(1));
        let (kind, typed) = if run % 2 == 0 {
            (IdentifierKind::Phone, typed_phone(&generated_phone(i)))
        } else {
            let card = generated_card(i);
            (IdentifierKind::Card, format!("{}-{}-{}-{}", &card[..4], &card[4..8], &card[8..12], &card[12..]))
        };
        let t = Instant::now();
        let answer = registry.lookup_identifier(&by, &actor, kind, &typed)?;
        looked.push(t.elapsed());
        found += answer.visible.len() + answer.elsewhere.iter().map(|e| e.count).sum::<usize>();
        let t = Instant::now();
        std::hint::black_box(registry.store().identifiers(kind, &answer.key, crimeboard_service::MAX_LOOKUP_ROWS)?);
        read.push(t.elapsed());
        // A number nobody holds: past the generated ones.
        let absent = typed_phone(&generated_phone(cases + i));
        let t = Instant::now();
        std::hint::black_box(registry.lookup_identifier(&by, &actor, IdentifierKind::Phone, &absent)?);
        missing.push(t.elapsed());
    }
    println!("backend:        {:?}", registry.store().backend());
    println!("index:          {cases} cases, {} identifiers", 2 * cases);
    println!("found:          {found} holders in {} lookups", looked.len());
    println!("first lookup:   {:.1} ms (loads the numbering plans)", first.as_secs_f64() * 1000.0);
    println!("lookup:         {}", percentiles(&mut looked));
    println!("index read:     {}", percentiles(&mut read));
    println!("absent:         {}", percentiles(&mut missing));
    Ok(())
}

fn percentiles(times: &mut [Elapsed]) -> String {
    times.sort();
    let at = |q: f64| quantile_ms(times, q);
    format!("median {:.3} ms, p99 {:.3} ms, max {:.3} ms ({} runs)", at(0.5), at(0.99), at(1.0), times.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrations_fall_in_the_working_hours_of_the_civil_day() {
        let text = include_str!("../../../data/jurisdictions/azerbaijan/rules.toml")
            .replace("\"Asia/Baku\"", "\"Europe/London\"");
        let london = Rules::from_toml(&text).unwrap();
        // 22:30 UTC on 30 June is 23:30 BST in London, and 02:30 on 1 July in Baku.
        let late = Utc.with_ymd_and_hms(2024, 6, 30, 22, 30, 0).unwrap();
        for i in 0..60 {
            let at = in_working_hours(&london, late, i);
            let local = london.local_time(at);
            assert_eq!(local.date().to_string(), "2024-06-30");
            assert!((8..21).contains(&chrono::Timelike::hour(&local)), "{local}");
        }
        // 08:00 BST is 07:00 UTC; 08:00 in Baku (UTC+4) on 1 July is 04:00 UTC.
        assert_eq!(in_working_hours(&london, late, 0).to_rfc3339(), "2024-06-30T07:00:00+00:00");
        let baku = crimeboard_service::Jurisdiction::demo().rules.clone();
        assert_eq!(in_working_hours(&baku, late, 0).to_rfc3339(), "2024-07-01T04:00:00+00:00");
    }
}
