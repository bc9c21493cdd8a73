//! Counters equal a recount from the registers, whatever sequence of acts
//! led there: a property checked over random sequences on both backends.

use crate::support::*;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use crimeboard_domain::act::Annul;
use crimeboard_domain::case::{AddPerson, CaseDecision, Procedural, Reclassify, RecordDamage, Reimburse};
use crimeboard_domain::catalogue::ArticleRef;
use crimeboard_domain::registers::{
    CompleteExamination, ExaminationKind, Liability, NewAccident, NewAccountability, NewExamination, NewSeizure,
};
use crimeboard_domain::report::{DecideReport, RateHandling, ReportOutcome};
use crimeboard_domain::{Command, Entity};
use crimeboard_service::Receipt;
use crimeboard_stats::Period;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n.max(1)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| items[self.below(items.len() as u64) as usize])
    }
}

const UNITS: &[&str] = &["BAK-NSM", "BAK-YAS", "GNC", "PGO-BAK"];
const ARTICLES: &[&str] = &["177.1", "177.2", "178.1", "180.1", "182.1", "126.1", "221.1", "234.1", "273.1", "120.1"];

/// One random act against what exists so far; `t` moves forward.
fn random_command(
    rng: &mut Rng,
    env: &Env,
    t: DateTime<Utc>,
    reports: &[Uuid],
    cases: &[Uuid],
    exams: &[Uuid],
) -> Command {
    let unit_code = UNITS[rng.below(UNITS.len() as u64) as usize];
    let article = || ArticleRef::parse(ARTICLES[(t.timestamp() as usize / 7) % ARTICLES.len()]).unwrap();
    match rng.below(16) {
        0..=2 => {
            let mut r = new_report(&t.to_rfc3339());
            r.unit = unit(unit_code);
            Command::RegisterReport(r)
        }
        3 | 4 => {
            // The newest report is still within its deadline; an older one may
            // be decided already or overdue, and is refused then, as it should be.
            let report = if rng.below(5) == 0 { rng.pick(reports) } else { reports.last().copied() };
            let mut c = new_case(report.into_iter().collect(), &t.to_rfc3339());
            c.unit = unit(unit_code);
            c.occurred_at = t - Duration::hours(5);
            c.detected_by_police = c.report_ids.is_empty();
            c.articles = vec![article()];
            c.flags.it_enabled = rng.below(3) == 0;
            c.flags.non_obvious = rng.below(2) == 0;
            c.persons = vec![suspect("Orxan Quliyev", if rng.below(3) == 0 { "2008-06-01" } else { "1985-01-01" })];
            c.persons[0].previously_convicted = rng.below(4) == 0;
            Command::OpenCase(c)
        }
        5 => Command::AddPerson(AddPerson {
            case_id: rng.pick(cases).unwrap_or_default(),
            person: suspect("Nicat Rəhimov", "2007-03-03"),
        }),
        6 => Command::Reclassify(Reclassify {
            case_id: rng.pick(cases).unwrap_or_default(),
            articles: vec![ArticleRef::parse(ARTICLES[rng.below(ARTICLES.len() as u64) as usize]).unwrap()],
            reason: "Qualification changed after expert opinion".into(),
            decided_at: t,
        }),
        7 | 8 => {
            let decision = match rng.below(5) {
                0 | 1 => Procedural::Solved { how: "Operative measures".into(), forensic_methods: vec![] },
                2 => Procedural::Suspended,
                3 => Procedural::Resumed,
                _ => Procedural::Terminated { ground: "CPC 39.1.2".into() },
            };
            Command::DecideCase(CaseDecision { case_id: rng.pick(cases).unwrap_or_default(), decided_at: t, decision })
        }
        9 => Command::RecordDamage(RecordDamage {
            case_id: rng.pick(cases).unwrap_or_default(),
            amount_qepik: 1 + rng.below(1_000_000) as i64,
            victim_id: None,
            assessed_at: t,
        }),
        10 => Command::Reimburse(Reimburse {
            case_id: rng.pick(cases).unwrap_or_default(),
            amount_qepik: 1 + rng.below(300_000) as i64,
            reimbursed_at: t,
        }),
        11 => match rng.below(3) {
            0 => Command::RecordSeizure(NewSeizure {
                unit: unit(unit_code),
                case_id: rng.pick(cases),
                substance: "heroin".into(),
                net_grams: 1 + rng.below(5000) as i64,
                seized_at: t,
            }),
            1 => Command::RecordAccident(NewAccident {
                unit: unit(unit_code),
                occurred_at: t,
                place: Default::default(),
                killed: rng.below(3) as i64,
                injured: rng.below(4) as i64,
                cause: "Speeding".into(),
            }),
            _ => Command::HoldAccountable(NewAccountability {
                unit: unit(unit_code),
                full_name: "Tural Abbasov".into(),
                fin: None,
                liability: if rng.below(2) == 0 { Liability::Criminal } else { Liability::Administrative },
                offence: "234.1".into(),
                narcotics: true,
                case_id: None,
                decided_at: t,
            }),
        },
        12 => match rng.pick(exams) {
            Some(id) if rng.below(2) == 0 => Command::CompleteExamination(CompleteExamination {
                examination_id: id,
                done_at: t,
                result: "Match".into(),
                identified_person: rng.below(2) == 0,
            }),
            _ => Command::RequestExamination(NewExamination {
                unit: unit(unit_code),
                case_id: rng.pick(cases).unwrap_or_default(),
                kind: ExaminationKind::Dna,
                requested_at: t,
                question: "Whose traces?".into(),
            }),
        },
        13 => {
            let report_id = rng.pick(reports).unwrap_or_default();
            match rng.below(2) {
                0 => Command::DecideReport(DecideReport {
                    report_id,
                    decided_at: t,
                    outcome: ReportOutcome::Refuse { ground: "No crime".into() },
                    late_reason: Some("Backlog".into()),
                }),
                _ => Command::RateHandling(RateHandling { report_id, rated_at: t, score: 1 + rng.below(5) as i64 }),
            }
        }
        _ => {
            let journal = env.registry.journal(None, 0, 1000).unwrap();
            match rng.pick(&journal.iter().map(|e| (e.seq, rng_unit(&e.unit))).collect::<Vec<_>>()) {
                Some((seq, u)) => Command::Annul(Annul {
                    unit: unit(UNITS.iter().find(|x| **x == u).copied().unwrap_or("BAK-NSM")),
                    seq,
                    reason: "Recorded in error".into(),
                }),
                None => Command::RegisterReport(new_report(&t.to_rfc3339())),
            }
        }
    }
}

fn rng_unit(u: &str) -> &'static str {
    UNITS.iter().find(|x| **x == u).copied().unwrap_or("BAK-NSM")
}

/// Runs a random sequence; returns each accepted command with its receipt.
fn run_sequence(env: &Env, seed: u64, steps: usize) -> Vec<(Receipt, Command)> {
    let mut accepted = Vec::new();
    let mut rng = Rng(seed);
    let (mut reports, mut cases, mut exams) = (vec![], vec![], vec![]);
    // Acts spread over Q1 2023 and Q1 2024 so both periods of a report have data.
    let mut t = at("2023-01-02T08:00:00Z");
    for step in 0..steps {
        t += Duration::hours(1 + rng.below(30) as i64);
        if step == steps / 2 {
            t = at("2024-01-02T08:00:00Z");
        }
        let command = random_command(&mut rng, env, t, &reports, &cases, &exams);
        if let Ok(r) = submit(env, command.clone()) {
            match env.registry.entity(r.entity_id) {
                Ok(Entity::Report(_)) if r.number.is_some() => reports.push(r.entity_id),
                Ok(Entity::Case(_)) if r.number.is_some() => cases.push(r.entity_id),
                Ok(Entity::Examination(_)) if r.number.is_some() => exams.push(r.entity_id),
                _ => {}
            }
            accepted.push((r, command));
        }
    }
    accepted
}

/// What the accepted acts add to a few indicators, as `(indicator, unit, Baku day,
/// value)`, counted from the commands themselves by their definitions in
/// data/jurisdictions/azerbaijan/indicators.toml (not through `contributions()`): reports received on the
/// day received, cases recorded and their damage on the day the case was
/// registered, cases solved on the day of their last solving decision in force,
/// seized grams on the day seized, the killed on the day of the accident. An
/// annulled act adds nothing, nor does an act on a case whose opening was annulled.
fn counted_from_acts(accepted: &[(Receipt, Command)]) -> Vec<(&'static str, String, NaiveDate, i64)> {
    // An annulment's receipt names the act it annulled.
    let annulled: HashSet<Uuid> =
        accepted.iter().filter(|(_, c)| matches!(c, Command::Annul(_))).map(|(r, _)| r.entity_id).collect();
    let in_force: Vec<&Command> = accepted
        .iter()
        .filter(|(r, c)| !annulled.contains(&r.act_id) && !matches!(c, Command::Annul(_)))
        .map(|(_, c)| c)
        .collect();
    let opened: HashMap<Uuid, (String, DateTime<Utc>)> = accepted
        .iter()
        .filter(|(r, _)| !annulled.contains(&r.act_id))
        .filter_map(|(r, c)| match c {
            Command::OpenCase(c) => Some((r.entity_id, (c.unit.to_string(), c.registered_at))),
            _ => None,
        })
        .collect();
    // Asia/Baku has been UTC+4 all year since 2016 (data/jurisdictions/azerbaijan/rules.toml).
    let day = |t: DateTime<Utc>| (t + Duration::hours(4)).date_naive();
    let mut counted = Vec::new();
    let mut last_solved = HashMap::new();
    for command in in_force {
        match command {
            Command::RegisterReport(r) => counted.push(("reports_received", r.unit.to_string(), day(r.received_at), 1)),
            Command::OpenCase(c) => counted.push(("crimes_recorded", c.unit.to_string(), day(c.registered_at), 1)),
            Command::RecordSeizure(s) => {
                counted.push(("narcotics_grams", s.unit.to_string(), day(s.seized_at), s.net_grams))
            }
            Command::RecordAccident(a) => {
                counted.push(("traffic_killed", a.unit.to_string(), day(a.occurred_at), a.killed))
            }
            Command::RecordDamage(d) => {
                if let Some((unit, registered)) = opened.get(&d.case_id) {
                    counted.push(("damage", unit.clone(), day(*registered), d.amount_qepik));
                }
            }
            Command::DecideCase(d) if matches!(d.decision, Procedural::Solved { .. }) => {
                last_solved.insert(d.case_id, d.decided_at);
            }
            _ => {}
        }
    }
    for (case_id, solved_at) in last_solved {
        if let Some((unit, _)) = opened.get(&case_id) {
            counted.push(("solved_in_period", unit.clone(), day(solved_at), 1));
        }
    }
    counted
}

#[test]
fn counters_equal_a_recount_after_random_acts() {
    each_backend(|env| {
        let mut accepted = Vec::new();
        for seed in 1..=3 {
            accepted.extend(run_sequence(env, seed, 160));
            let mismatches = env.registry.verify_counters().unwrap();
            assert!(mismatches.is_empty(), "seed {seed} on {}: {mismatches:?}", env.db.name);
        }
        assert_counters_equal_the_acts(env, &accepted);
        let kinds: Vec<String> = env.registry.journal(None, 0, 1000).unwrap().into_iter().map(|e| e.kind).collect();
        for kind in ["reclassify", "annul", "decide_case", "reimburse", "open_case"] {
            assert!(kinds.iter().any(|k| k == kind), "the random sequence never recorded {kind}");
        }
    });
}

/// The reports' figures, read from the maintained counters, against the test's own count.
fn assert_counters_equal_the_acts(env: &Env, accepted: &[(Receipt, Command)]) {
    let counted = counted_from_acts(accepted);
    let indicators =
        ["reports_received", "crimes_recorded", "solved_in_period", "damage", "narcotics_grams", "traffic_killed"];
    for indicator in indicators {
        let total: i64 = counted.iter().filter(|c| c.0 == indicator).map(|c| c.3).sum();
        assert!(total > 0, "the random acts never added to {indicator}");
    }
    for period in ["2023Q1", "2023Q2", "2024Q1", "2024Q2"] {
        let p = Period::parse(period).unwrap();
        for scope in std::iter::once(None).chain(UNITS.iter().copied().map(Some)) {
            let report = env.registry.report(p, scope).unwrap();
            for indicator in indicators {
                let want: i64 = counted
                    .iter()
                    .filter(|(code, unit, day, _)| {
                        *code == indicator && scope.is_none_or(|s| s == unit) && (p.from..=p.to).contains(day)
                    })
                    .map(|c| c.3)
                    .sum();
                let got = report.figure(indicator).unwrap().change.current;
                assert_eq!(got, want, "{indicator} in {period} for {scope:?} on {}", env.db.name);
            }
        }
    }
}

#[test]
fn a_tampered_counter_is_found() {
    each_backend(|env| {
        run_sequence(env, 7, 40);
        assert!(env.registry.verify_counters().unwrap().is_empty());
        env.db.tamper("UPDATE counters_day SET value = value + 1 WHERE indicator = 'reports_received'").unwrap();
        let found = env.registry.verify_counters().unwrap();
        assert!(
            !found.is_empty() && found.iter().all(|m| m.indicator == "reports_received" && m.counter == m.recount + 1),
            "{found:?}"
        );
    });
}

#[test]
fn the_report_from_counters_equals_the_recount_and_reruns_at_its_position() {
    each_backend(|env| {
        run_sequence(env, 11, 200);
        let q1 = Period::parse("2024Q1").unwrap();
        let published = env.registry.report(q1, None).unwrap();
        assert!(published.figure("crimes_recorded").unwrap().change.current > 0);
        assert_eq!(env.registry.report_at(q1, None, published.position).unwrap(), published);
        assert_eq!(env.registry.report_by_scan(q1, None).unwrap(), published);

        // More acts change today's figures, but not the report rerun at its position.
        run_sequence(env, 12, 60);
        let later = env.registry.report(q1, None).unwrap();
        assert!(later.position > published.position);
        assert_eq!(env.registry.report_at(q1, None, published.position).unwrap(), published);
        assert_eq!(env.registry.report_at(q1, None, later.position).unwrap(), later);
    });
}

#[test]
fn figures_roll_up_the_tree() {
    each_backend(|env| {
        run_sequence(env, 21, 120);
        let report = env.registry.report(Period::parse("2024Q1").unwrap(), None).unwrap();
        let value = |unit: &str| {
            report
                .units
                .iter()
                .find(|u| u.unit.as_str() == unit)
                .unwrap()
                .figures
                .iter()
                .find(|f| f.code == "crimes_recorded")
                .unwrap()
                .change
                .current
        };
        assert_eq!(
            value("BAK"),
            report
                .units
                .iter()
                .filter(|u| u.parent.as_ref().is_some_and(|p| p.as_str() == "BAK"))
                .map(|u| value(u.unit.as_str()))
                .sum::<i64>()
        );
        assert_eq!(value("AZ"), value("MIA") + value("PGO"));
        assert_eq!(report.scope().unit.as_str(), "AZ");
        let baku = env.registry.report(Period::parse("2024Q1").unwrap(), Some("BAK")).unwrap();
        assert_eq!(baku.scope().unit.as_str(), "BAK");
        assert!(baku.units.iter().all(|u| u.unit.as_str().starts_with("BAK")));
    });
}

/// The trend's months equal the report of each month on its own, for the
/// whole country, a region and one group of a grouped indicator.
#[test]
fn the_trend_by_month_equals_each_months_report() {
    each_backend(|env| {
        run_sequence(env, 31, 200);
        let range = Period::parse("2024-01-10..2024-03-31").unwrap();
        for received in ["2024-02-05T09:00:00Z", "2024-02-07T09:00:00Z", "2023-02-06T09:00:00Z"] {
            let mut r = new_report(received);
            r.category = Some("Burglary".into());
            ok(env, Command::RegisterReport(r));
        }
        let grouped = "reports_by_category/Burglary";
        for (code, unit) in [("crimes_recorded", None), ("crimes_recorded", Some("BAK")), (grouped, None)] {
            let trend = env.registry.trend(code, unit, range).unwrap();
            assert_eq!(trend.unit.as_str(), unit.unwrap_or("AZ"));
            let months: Vec<String> = trend.months.iter().map(|m| m.month.to_string()).collect();
            assert_eq!(months, ["2024-01-10..2024-01-31", "2024-02-01..2024-02-29", "2024-03-01..2024-03-31"]);
            for m in &trend.months {
                let report = env.registry.report(m.month, unit).unwrap();
                let change = report.figure(code).map(|f| f.change).unwrap_or(crimeboard_stats::Change::of_counts(0, 0));
                assert_eq!((m.value, m.year_before), (change.current, change.previous), "{code} {unit:?} {}", m.month);
            }
            let total: i64 = trend.months.iter().map(|m| m.value).sum();
            assert!(total > 0, "{code} {unit:?}: nothing counted");
        }
        let rejected = env.registry.trend("no_such_indicator", None, range).unwrap_err().to_string();
        assert!(rejected.contains("indicator"), "{rejected}");
        let decade = Period::parse("2015-01-01..2024-12-31").unwrap();
        assert_eq!(env.registry.trend("crimes_recorded", None, decade).unwrap().months.len(), 120);
        let too_long = Period::parse("2014-12-01..2024-12-31").unwrap();
        let rejected = env.registry.trend("crimes_recorded", None, too_long).unwrap_err().to_string();
        assert!(rejected.contains("months"), "{rejected}");
    });
}

/// The units side by side, read from the report of their parent, equal each
/// unit's own report.
#[test]
fn the_units_side_by_side_equal_their_own_reports() {
    each_backend(|env| {
        run_sequence(env, 32, 160);
        let q1 = Period::parse("2024Q1").unwrap();
        for scope in ["AZ", "BAK"] {
            let report = env.registry.report(q1, Some(scope)).unwrap();
            let children = report.children("crimes_recorded");
            assert!(!children.is_empty(), "{scope} has units below it");
            for (unit, figure) in children {
                let own = env.registry.report(q1, Some(unit.unit.as_str())).unwrap();
                assert_eq!(figure.map(|f| f.change), own.figure("crimes_recorded").map(|f| f.change));
            }
        }
    });
}

/// The first and the last day with figures, read from the counters: none
/// before anything is counted, then the days acts were counted on; a day
/// whose counts went back to zero (its act annulled) has none.
#[test]
fn counted_days_are_the_first_and_the_last_with_figures() {
    let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    each_backend(|env| {
        assert_eq!(env.registry.counted_days().unwrap(), None, "{}", env.db.name);
        report(env, "2024-02-10T08:00:00Z");
        report(env, "2024-04-02T08:00:00Z");
        let last = report(env, "2024-04-18T08:00:00Z");
        assert_eq!(env.registry.counted_days().unwrap(), Some((day("2024-02-10"), day("2024-04-18"))));
        let annul = Annul { unit: unit("BAK-NSM"), seq: last.seq, reason: "Registered twice".into() };
        ok(env, Command::Annul(annul));
        assert_eq!(env.registry.counted_days().unwrap(), Some((day("2024-02-10"), day("2024-04-02"))));
    });
}
