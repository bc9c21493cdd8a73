//! The signs of under-recording (docs/integrity.md): each signal of the
//! shipped counting rules counted from acts whose answer is known, read per
//! unit below Baku, and recounted from the registers by `stats verify`.

use crate::support::*;
use crimeboard_domain::Command;
use crimeboard_domain::access::Role;
use crimeboard_domain::appeal::ReportFromAppeal;
use crimeboard_domain::late::StatedReason;
use crimeboard_domain::report::{DecideReport, ReportOutcome};
use crimeboard_service::audit::Audited;
use crimeboard_service::{Registry, Submission};
use crimeboard_stats::Period;
use crimeboard_stats::signals::SignalReading;

fn report_in(env: &Env, district: &str, received_at: &str) -> uuid::Uuid {
    let mut r = new_report(received_at);
    r.unit = unit(district);
    ok(env, Command::RegisterReport(r)).entity_id
}

fn decide(env: &Env, report_id: uuid::Uuid, decided_at: &str, outcome: ReportOutcome) {
    ok(env, Command::DecideReport(DecideReport { report_id, decided_at: at(decided_at), outcome, late_reason: None }));
}

fn refuse() -> ReportOutcome {
    ReportOutcome::Refuse { ground: "CPC art. 39.1.1: no event of a crime".into() }
}

fn transfer() -> ReportOutcome {
    ReportOutcome::Transfer { to_body: "Prosecutor's Office".into() }
}

/// A report a duty officer registers 74 hours after its receipt (NOW is
/// 2024-04-19T10:00Z), with the reason the rules ask for.
fn register_late(env: &Env, district: &str) {
    let mut r = new_report("2024-04-16T08:00:00Z");
    r.unit = unit(district);
    let late = StatedReason { reason: "applicant_came_late".into(), text: "Brought three days later".into() };
    let s = Submission {
        actor: "duty".into(),
        legal_ground: "CPC art. 207".into(),
        command: Command::RegisterReport(r),
        late: Some(late),
    };
    let officer = person("duty", Role::DutyOfficer, district);
    env.registry.record(&officer, &s, &Audited::No).unwrap();
}

fn case_in(env: &Env, district: &str, registered_at: &str) {
    let mut c = new_case(vec![], registered_at);
    c.unit = unit(district);
    c.detected_by_police = true;
    c.occurred_at = at("2024-01-05T10:00:00Z");
    ok(env, Command::OpenCase(c));
}

fn appeal_telling_of_offence(env: &Env, district: &str, received_at: &str) -> uuid::Uuid {
    let mut a = new_appeal(received_at);
    a.unit = unit(district);
    a.mentions_offence = true;
    ok(env, Command::RegisterAppeal(a)).entity_id
}

/// Each district's (numerator, denominator) of a signal, in the report's order.
fn counts(readings: &[SignalReading], code: &str) -> Vec<(String, i64, i64)> {
    let reading = readings.iter().find(|r| r.code == code).unwrap_or_else(|| panic!("no signal {code}"));
    reading.funnel.points.iter().map(|p| (p.unit.clone(), p.numerator, p.denominator)).collect()
}

fn signals(registry: &Registry, period: &str) -> Vec<SignalReading> {
    registry.signals(Period::parse(period).unwrap(), Some("BAK")).unwrap().1
}

fn of(unit: &str, numerator: i64, denominator: i64) -> (String, i64, i64) {
    (unit.to_string(), numerator, denominator)
}

#[test]
fn each_signal_counts_what_the_acts_say_per_district_and_verify_recounts_it() {
    each_backend(|env| {
        // Refusals: Nasimi refuses 2 of 3 reports decided, Yasamal none of 2.
        for (district, received, outcome) in [
            ("BAK-NSM", "2024-04-01T08:00:00Z", refuse()),
            ("BAK-NSM", "2024-04-02T08:00:00Z", refuse()),
            ("BAK-NSM", "2024-04-03T08:00:00Z", transfer()),
            ("BAK-YAS", "2024-04-01T09:00:00Z", transfer()),
            ("BAK-YAS", "2024-04-02T09:00:00Z", transfer()),
        ] {
            let id = report_in(env, district, received);
            let decided = received.replace("T08", "T15").replace("T09", "T15");
            decide(env, id, &decided, outcome);
        }
        // Late registration: one more Nasimi report, registered beyond the 72 hours.
        register_late(env, "BAK-NSM");
        // Appeals telling of an offence in Yasamal: one passed on as a report, one not.
        let passed = appeal_telling_of_offence(env, "BAK-YAS", "2024-04-04T08:00:00Z");
        appeal_telling_of_offence(env, "BAK-YAS", "2024-04-05T08:00:00Z");
        let mut from_appeal = new_report("2024-04-04T08:00:00Z");
        from_appeal.unit = unit("BAK-YAS");
        ok(env, Command::ReportFromAppeal(ReportFromAppeal { appeal_id: passed, report: from_appeal }));
        // The quarter's end: Nasimi records 2 of its 3 crimes of 2024Q1 in
        // its last 7 days (from 25 March, Baku time), Yasamal 0 of 1.
        case_in(env, "BAK-NSM", "2024-03-10T09:00:00Z");
        case_in(env, "BAK-NSM", "2024-03-25T09:00:00Z");
        case_in(env, "BAK-NSM", "2024-03-31T19:00:00Z");
        case_in(env, "BAK-YAS", "2024-03-24T09:00:00Z");

        let q2 = signals(&env.registry, "2024Q2");
        assert_eq!(counts(&q2, "refusals"), [of("BAK-NSM", 2, 3), of("BAK-YAS", 0, 2)], "on {}", env.db.name);
        assert_eq!(
            counts(&q2, "late_registration"),
            [of("BAK-NSM", 1, 4), of("BAK-YAS", 0, 3)],
            "the report from the appeal is no late registration, on {}",
            env.db.name
        );
        assert_eq!(counts(&q2, "appeals_unreported"), [of("BAK-YAS", 1, 2)], "on {}", env.db.name);
        let q1 = signals(&env.registry, "2024Q1");
        let quarter_end = q1.iter().find(|r| r.code == "quarter_end").unwrap();
        assert_eq!(counts(&q1, "quarter_end"), [of("BAK-NSM", 2, 3), of("BAK-YAS", 0, 1)], "on {}", env.db.name);
        assert_eq!(quarter_end.funnel.target, Some(7.0 / 91.0), "against the calendar");
        assert_eq!(quarter_end.worth_asking, ["BAK-NSM"], "2 of 3 against 7.7 %, on {}", env.db.name);
        assert!(env.registry.verify_counters().unwrap().is_empty(), "stats verify recounts them, on {}", env.db.name);
    });
}

fn case_returned(env: &Env, district: &str, registered_at: &str) -> uuid::Uuid {
    let mut c = new_case(vec![], registered_at);
    c.unit = unit(district);
    c.detected_by_police = true;
    c.occurred_at = at("2024-01-05T10:00:00Z");
    ok(env, Command::OpenCase(c)).entity_id
}

fn reclassify(env: &Env, case_id: uuid::Uuid, articles: &[&str], decided_at: &str) {
    let articles = articles.iter().map(|a| crimeboard_domain::catalogue::ArticleRef::parse(a).unwrap()).collect();
    let r = crimeboard_domain::case::Reclassify {
        case_id,
        articles,
        reason: "New facts".into(),
        decided_at: at(decided_at),
    };
    ok(env, Command::Reclassify(r));
}

#[test]
fn downgrades_and_cancellations_count_what_the_catalogue_and_the_approvals_say() {
    use crimeboard_domain::cancellation::{DecideCancellation, RequestCancellation, TellingMeans, VictimTold};
    each_backend(|env| {
        // Opened under 177.2 (84 months, serious). Nasimi moves three down to
        // 177.1 (24 months) and one up to 177.3 (144 months); Yasamal two up
        // and one to 177.1 beside 177.2, which leaves its heaviest article as it was.
        let nsm: Vec<_> = (1..=4).map(|d| case_returned(env, "BAK-NSM", &format!("2024-03-0{d}T09:00:00Z"))).collect();
        let yas: Vec<_> = (1..=3).map(|d| case_returned(env, "BAK-YAS", &format!("2024-03-0{d}T09:00:00Z"))).collect();
        for (i, case) in nsm.iter().enumerate() {
            let to = if i < 3 { "177.1" } else { "177.3" };
            reclassify(env, *case, &[to], &format!("2024-04-0{}T09:00:00Z", i + 1));
        }
        reclassify(env, yas[0], &["177.3"], "2024-04-01T10:00:00Z");
        reclassify(env, yas[1], &["177.3"], "2024-04-02T10:00:00Z");
        reclassify(env, yas[2], &["177.1", "177.2"], "2024-04-03T10:00:00Z");
        // Nasimi's second case of March is cancelled in April.
        let request = RequestCancellation {
            case_id: nsm[1],
            ground: "no_crime_additional_information".into(),
            text: "The bicycle was lent, not stolen".into(),
            evidence: "The owner's signed statement of 10 April".into(),
            requested_at: at("2024-04-10T09:00:00Z"),
        };
        ok(env, Command::RequestCancellation(request));
        ok(
            env,
            Command::DecideCancellation(DecideCancellation {
                case_id: nsm[1],
                approve: true,
                note: "Statement checked".into(),
                victim_told: Some(VictimTold { how: TellingMeans::Telephone, at: at("2024-04-11T09:00:00Z") }),
                decided_at: at("2024-04-12T09:00:00Z"),
            }),
        );

        let q2 = signals(&env.registry, "2024Q2");
        assert_eq!(
            counts(&q2, "downgrades"),
            [of("BAK-NSM", 2, 3), of("BAK-YAS", 0, 2)],
            "three down and one up in Nasimi, less the cancelled crime's, on {}",
            env.db.name
        );
        let q1 = signals(&env.registry, "2024Q1");
        assert_eq!(
            counts(&q1, "cancellations"),
            [of("BAK-NSM", 1, 4), of("BAK-YAS", 0, 3)],
            "by the day each crime was recorded, on {}",
            env.db.name
        );
        // Listed with who asked and who decided, in April's quarter (the
        // decision's day), not in March's (the crime's), and under Baku as under Nasimi.
        let listed = env.registry.cancellations_decided(Period::parse("2024Q2").unwrap(), Some("BAK")).unwrap();
        let seen: Vec<(&str, &str, &str, &str, bool, bool)> = listed
            .iter()
            .map(|c| {
                let told = c.victim_told.is_some();
                (c.unit.as_str(), c.ground.as_str(), c.requested_by.as_str(), c.decided_by.as_str(), c.approved, told)
            })
            .collect();
        assert_eq!(
            seen,
            [("BAK-NSM", "no_crime_additional_information", "tests", "tests", true, true)],
            "on {}",
            env.db.name
        );
        assert_eq!(listed[0].case_id, nsm[1]);
        assert!(env.registry.cancellations_decided(Period::parse("2024Q1").unwrap(), Some("BAK")).unwrap().is_empty());
        assert!(
            env.registry.cancellations_decided(Period::parse("2024Q2").unwrap(), Some("BAK-YAS")).unwrap().is_empty()
        );
        let report = env.registry.report(Period::parse("2024Q2").unwrap(), Some("BAK-NSM")).unwrap();
        assert_eq!(report.figure("crimes_cancelled").map(|f| f.change.current), Some(1), "on the approval's day");
        assert!(env.registry.verify_counters().unwrap().is_empty(), "stats verify recounts them, on {}", env.db.name);
    });
}

/// A crime under `article` in a district, registered on `day` of April 2024,
/// with its damage assessed at `qepik` (none for 0).
fn case_with_damage(env: &Env, district: &str, article: &str, day: u32, qepik: i64) {
    let mut c = new_case(vec![], &format!("2024-04-{day:02}T09:00:00Z"));
    c.unit = unit(district);
    c.detected_by_police = true;
    c.articles = vec![crimeboard_domain::catalogue::ArticleRef::parse(article).unwrap()];
    c.occurred_at = at("2024-03-30T20:00:00Z");
    let case_id = ok(env, Command::OpenCase(c)).entity_id;
    if qepik > 0 {
        let damage = crimeboard_domain::case::RecordDamage {
            case_id,
            amount_qepik: qepik,
            victim_id: None,
            assessed_at: at(&format!("2024-04-{day:02}T12:00:00Z")),
        };
        ok(env, Command::RecordDamage(damage));
    }
}

/// Theft (177.1) is aggravated theft (177.2) above 500 manat of damage, and
/// 177.2 especially aggravated above 5,000 (the catalogue's thresholds): a
/// recorded amount at or within 10 % below one is just below it.
#[test]
fn amounts_just_below_the_catalogues_thresholds_are_counted_by_hand() {
    each_backend(|env| {
        // Nasimi: 440 (12 % below), 450 (10 % below: in), 499.99 (in), 500
        // (at, still theft: in), 500.01 (above: the heavier article's
        // threshold is 5,000, far above); one theft without damage and one
        // assault (126.1, no threshold) with damage are no amount the share reads.
        for (day, qepik) in [(1, 44_000), (2, 45_000), (3, 49_999), (4, 50_000), (5, 50_001), (6, 0)] {
            case_with_damage(env, "BAK-NSM", "177.1", day, qepik);
        }
        case_with_damage(env, "BAK-NSM", "126.1", 7, 49_000);
        // Yasamal: aggravated theft of 4,800 manat (4 % below 5,000: in) and of 3,000 (out).
        case_with_damage(env, "BAK-YAS", "177.2", 1, 480_000);
        case_with_damage(env, "BAK-YAS", "177.2", 2, 300_000);

        let q2 = signals(&env.registry, "2024Q2");
        assert_eq!(
            counts(&q2, "just_below_threshold"),
            [of("BAK-NSM", 3, 5), of("BAK-YAS", 1, 2)],
            "on {}",
            env.db.name
        );
        assert!(env.registry.verify_counters().unwrap().is_empty(), "stats verify recounts them, on {}", env.db.name);
    });
}
