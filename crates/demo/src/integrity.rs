//! What the inspector finds in the demo (docs/integrity.md, "How an
//! inspector uses it"): in the last whole quarter before the clock, three of
//! Baku's districts stand out on the signals, each on its own — one
//! reclassifies downward far more than its peers (who reclassify both ways),
//! one registers reports days after their receipt (each with the late
//! envelope's reason, as its duty officer gives it), one records a run of
//! crimes in the quarter's last week; in the weeks before the clock, two
//! cancellation requests in the demo accounts' district, one approved from
//! the city's headquarters with the victim told and one awaiting the
//! approvers' queue; and the inspector's sample of the downgrading
//! district's reclassifications, partly reviewed.
//!
//! Everything is planned from the existing cases and fixed numbers, so the
//! same clock gives the same acts; the story's figures are untouched (the
//! quarter is after it, or its last, whose report the seed does not pin).

use crate::clock::MovedClock;
use crate::emit::Emitter;
use anyhow::{Context as _, Result, anyhow};
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc};
use crimeboard_domain::access::{Principal, Role};
use crimeboard_domain::cancellation::{DecideCancellation, RequestCancellation, TellingMeans, VictimTold};
use crimeboard_domain::case::{CaseFlags, CriminalCase, Direction, NewCase, Place, Reclassify, direction};
use crimeboard_domain::catalogue::ArticleRef;
use crimeboard_domain::inspection::{DrawSample, Finding, ReviewSample, SampleKind};
use crimeboard_domain::late::StatedReason;
use crimeboard_domain::report::{DecideReport, NewReport, ReportOutcome};
use crimeboard_domain::units::{Agency, UnitCode};
use crimeboard_domain::{Command, Entity, EntityKind};
use crimeboard_service::audit::Audited;
use crimeboard_service::{ListParams, ListSort, Registry, Submission};

/// The district that reclassifies downward.
pub const DOWNGRADES: &str = "BAK-SAB";
/// The district that registers reports late.
pub const LATE: &str = "BAK-XTA";
/// The district whose crimes bunch in the quarter's last week.
pub const QUARTER_END: &str = "BAK-NRM";
/// The district of the demo accounts, whose cancellations wait for the city.
const CANCELLING: &str = "BAK-NSM";

const GROUND: &str = "CPC art. 207";
/// Reclassifications of the downgrading district (all down), and each peer's either way.
const DOWNGRADED: usize = 30;
const PEER_EACH_WAY: usize = 4;
const LATE_REPORTS: u32 = 20;
const BUNCHED: u32 = 40;
/// Articles a reclassification may go to, tried in order for the direction wanted.
const ARTICLES: [&str; 8] = ["177.1", "177.2", "177.3.2", "178.1", "178.2", "186.1", "221.1", "221.2"];

/// The first day of the quarter `day` is in.
fn quarter_start(day: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(day.year(), (day.month0() / 3) * 3 + 1, 1).unwrap_or(day)
}

/// The last whole quarter before the registry's clock: its first and last day.
pub fn quarter_before(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let last = quarter_start(today).pred_opt().unwrap_or(today);
    (quarter_start(last), last)
}

pub(crate) fn record(emitter: &mut Emitter) -> Result<()> {
    let registry = emitter.registry();
    let rules = registry.jurisdiction().rules.clone();
    let today = rules.local_date(registry.now());
    let (first, last) = quarter_before(today);
    let at = |day: NaiveDate, hour: u32| {
        rules.from_local(day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default()))
    };
    reclassifications(emitter, first, last, &at)?;
    late_registrations(emitter, first, last, &at)?;
    bunched(emitter, last, &at)?;
    cancellations(emitter, crate::seed::last_day(&rules, registry.now()), &at)?;
    sample(emitter.registry(), first, last)
}

fn cases_of(registry: &Registry, unit: &str, from: NaiveDate, to: NaiveDate) -> Result<Vec<CriminalCase>> {
    let params = ListParams {
        kind: Some(EntityKind::Case),
        unit: Some(unit.into()),
        from: Some(from),
        to: Some(to),
        sort: Some(ListSort::Oldest),
        per_page: Some(200),
        ..ListParams::default()
    };
    let found = registry.list(&params)?;
    found
        .items
        .iter()
        .map(|r| match crimeboard_service::entity_of(r)? {
            Entity::Case(c) => Ok(c),
            _ => Err(anyhow!("{unit}: a case's row holds something else")),
        })
        .filter(|c| c.as_ref().map_or(true, |c| c.unit.as_str() == unit))
        .collect()
}

fn submission(actor: &str, command: Command) -> Submission {
    Submission { actor: actor.into(), legal_ground: GROUND.into(), command, late: None }
}

/// Baku's districts below the city: the downgrading one and its peers.
fn baku_districts(registry: &Registry) -> Vec<UnitCode> {
    let tree = registry.units();
    let baku = UnitCode::parse("BAK").ok();
    tree.all()
        .filter(|u| u.agency == Agency::Mia && u.parent.as_ref() == baku.as_ref())
        .map(|u| u.code.clone())
        .collect()
}

/// The downgrading district reclassifies 30 of the quarter's cases to a
/// lighter article; each peer four each way, so the share has peers to be
/// read against.
fn reclassifications(
    emitter: &mut Emitter,
    first: NaiveDate,
    last: NaiveDate,
    at: &impl Fn(NaiveDate, u32) -> DateTime<Utc>,
) -> Result<()> {
    let registry = emitter.registry();
    let catalogue = registry.jurisdiction().catalogue.clone();
    let mut subs = Vec::new();
    for unit in baku_districts(registry) {
        let wanted: Vec<Direction> = if unit.as_str() == DOWNGRADES {
            vec![Direction::Down; DOWNGRADED]
        } else {
            [Direction::Down, Direction::Up].repeat(PEER_EACH_WAY)
        };
        let mut wanted = wanted.into_iter().peekable();
        for case in cases_of(registry, unit.as_str(), first, last)? {
            let Some(want) = wanted.peek().copied() else { break };
            let day = (case.registered_at.date_naive() + Days::new(10)).min(last);
            let to = ARTICLES
                .iter()
                .filter_map(|a| ArticleRef::parse(a))
                .find(|to| direction(&case.articles, std::slice::from_ref(to), day, &catalogue) == Some(want));
            let Some(to) = to else { continue };
            wanted.next();
            let reason = match want {
                Direction::Down => "The damage assessed is below the qualifying amount",
                Direction::Up => "The examination found the qualifying circumstance",
            };
            let command = Command::Reclassify(Reclassify {
                case_id: case.id,
                articles: vec![to],
                reason: reason.into(),
                decided_at: at(day, 15),
            });
            subs.push(submission(&format!("Investigator ({unit})"), command));
        }
    }
    emitter.record(registry, &subs)?;
    Ok(())
}

/// The late district's duty officer registers reports three days and more
/// after their receipt, giving the reason the rules ask for; each is then
/// attached to a case of the district as a further report of its crime.
fn late_registrations(
    emitter: &mut Emitter,
    first: NaiveDate,
    last: NaiveDate,
    at: &impl Fn(NaiveDate, u32) -> DateTime<Utc>,
) -> Result<()> {
    let registry = emitter.registry();
    let unit = UnitCode::parse(LATE).map_err(|v| anyhow!("{LATE}: {}", v.rule))?;
    let cases = cases_of(registry, LATE, first, last)?;
    let officer = Principal {
        login: "duty-xta".into(),
        role: Role::DutyOfficer,
        home: unit.clone(),
        grants: vec![],
        token_scope: None,
    };
    let moved = MovedClock::over(registry)?;
    let rules = registry.jurisdiction().rules.clone();
    for i in 0..LATE_REPORTS {
        let received = first + Days::new(u64::from(3 + i * 4));
        let registered = received + Days::new(3);
        if registered >= last {
            break;
        }
        moved.set(crate::clock::Local { day: registered, minute: 12 * 60 });
        let report = NewReport {
            unit: unit.clone(),
            procedure: crimeboard_domain::rules::Procedure::CrimeReport,
            channel: crimeboard_domain::report::Channel::Written,
            received_at: at(received, 10),
            officer: "duty-xta".into(),
            applicant: None,
            summary: "Written statement on a theft from a parked car".into(),
            category: None,
            source: None,
        };
        let late = StatedReason {
            reason: "applicant_came_late".into(),
            text: "The statement was left at the reception desk and reached the duty unit days later".into(),
        };
        let s = Submission { late: Some(late), ..submission("duty-xta", Command::RegisterReport(report)) };
        let receipt = moved.registry.record(&officer, &s, &Audited::No).context("a late registration")?;
        let Some(case) = cases.get(i as usize) else { continue };
        let decided_at = rules.from_local(registered.and_hms_opt(13, 0, 0).unwrap_or_default());
        let deadline = match registry.entity(receipt.entity_id)? {
            Entity::Report(r) => r.deadline,
            _ => decided_at,
        };
        let late_reason = (decided_at >= deadline).then(|| "Registered after its receipt's deadline".to_string());
        let decide = DecideReport {
            report_id: receipt.entity_id,
            decided_at,
            outcome: ReportOutcome::Attach { case_id: case.id },
            late_reason,
        };
        emitter.record(registry, &[submission("duty-xta", Command::DecideReport(decide))])?;
    }
    Ok(())
}

/// Forty crimes detected by the district's police in the quarter's last week.
fn bunched(emitter: &mut Emitter, last: NaiveDate, at: &impl Fn(NaiveDate, u32) -> DateTime<Utc>) -> Result<()> {
    let registry = emitter.registry();
    let unit = UnitCode::parse(QUARTER_END).map_err(|v| anyhow!("{QUARTER_END}: {}", v.rule))?;
    let article = ArticleRef::parse("177.1").ok_or_else(|| anyhow!("article 177.1"))?;
    let subs: Vec<Submission> = (0..BUNCHED)
        .map(|i| {
            let day = last - Days::new(u64::from(i % 6));
            let case = NewCase {
                unit: unit.clone(),
                agency: Agency::Mia,
                report_ids: vec![],
                detected_by_police: true,
                articles: vec![article.clone()],
                occurred_at: at(day, 9),
                registered_at: at(day, 11 + i % 8),
                place: Place { address: "Nərimanov r., Təbriz küç.".into(), latitude: None, longitude: None },
                flags: CaseFlags::default(),
                description: "Theft found in a check of the district's markets".into(),
                persons: vec![],
                late_reason: None,
                category: None,
                source: None,
            };
            submission(&format!("Investigator ({QUARTER_END})"), Command::OpenCase(case))
        })
        .collect();
    emitter.record(registry, &subs)?;
    Ok(())
}

/// In the weeks before the clock: one request approved from the city's
/// headquarters once the victim was told by telephone, one still waiting.
fn cancellations(emitter: &mut Emitter, end: NaiveDate, at: &impl Fn(NaiveDate, u32) -> DateTime<Utc>) -> Result<()> {
    let registry = emitter.registry();
    // Within the current quarter where it has the cases, so the last whole
    // quarter's signals show the three districts alone.
    let from = (end - Days::new(40)).max(quarter_start(end));
    let recent = cases_of(registry, CANCELLING, from, end - Days::new(2))?;
    let cases = if recent.len() >= 2 {
        recent
    } else {
        cases_of(registry, CANCELLING, end - Days::new(40), end - Days::new(2))?
    };
    let [approved, pending, ..] = cases.as_slice() else { return Ok(()) };
    let investigator = principal("investigator", Role::Investigator, CANCELLING)?;
    let headquarters = principal("chief-bak", Role::UnitChief, "BAK")?;
    let asked_on = approved.registered_at.date_naive() + Days::new(1);
    let request = |case: &CriminalCase, day: NaiveDate| {
        Command::RequestCancellation(RequestCancellation {
            case_id: case.id,
            ground: "recorded_twice".into(),
            text: "The same burglary was opened again from the victim's second statement".into(),
            evidence: "Both statements name the same flat, night and stolen goods".into(),
            requested_at: at(day, 10),
        })
    };
    let record = |by: &Principal, command| registry.record(by, &submission(&by.login, command), &Audited::No);
    record(&investigator, request(approved, asked_on))?;
    let told = VictimTold { how: TellingMeans::Telephone, at: at((asked_on + Days::new(1)).min(end), 11) };
    let decision = DecideCancellation {
        case_id: approved.id,
        approve: true,
        note: "Checked against the first case: the same crime".into(),
        victim_told: Some(told),
        decided_at: at((asked_on + Days::new(2)).min(end), 16),
    };
    record(&headquarters, Command::DecideCancellation(decision))?;
    record(&investigator, request(pending, end.min(pending.registered_at.date_naive() + Days::new(5))))?;
    emitter.summary.acts += 3;
    Ok(())
}

fn principal(login: &str, role: Role, home: &str) -> Result<Principal> {
    let home = UnitCode::parse(home).map_err(|v| anyhow!("{home}: {}", v.rule))?;
    Ok(Principal { login: login.into(), role, home, grants: vec![], token_scope: None })
}

/// The inspector draws ten of the downgrading district's reclassifications
/// of the quarter and has reviewed four: two wrong, one correct, one unclear.
fn sample(registry: &Registry, first: NaiveDate, last: NaiveDate) -> Result<()> {
    let inspector = principal("inspector", Role::Inspector, "AZ")?;
    let draw = DrawSample {
        unit: UnitCode::parse(DOWNGRADES).map_err(|v| anyhow!("{DOWNGRADES}: {}", v.rule))?,
        kind: SampleKind::Reclassifications,
        period_from: first,
        period_to: last,
        size: 10,
        seed: Some(20_240_419),
    };
    let drawn = registry.record(&inspector, &submission("inspector", Command::DrawSample(draw)), &Audited::No)?;
    let Entity::Sample(s) = registry.entity(drawn.entity_id)? else { return Err(anyhow!("not a sample")) };
    let findings = [
        (Finding::Wrong, "The file shows the damage above the qualifying amount: the lighter article is not borne out"),
        (Finding::Correct, ""),
        (Finding::Wrong, "No assessment of the damage is on file before the reclassification"),
        (Finding::Unclear, "The expert's valuation is missing from the file"),
    ];
    for (item, (finding, note)) in s.items.iter().zip(findings) {
        let review = ReviewSample { sample_id: s.id, seq: item.drawn.seq, finding, note: note.into() };
        registry.record(&inspector, &submission("inspector", Command::ReviewSample(review)), &Audited::No)?;
    }
    Ok(())
}
