//! Citizens' appeals (docs/appeals.md) in every police unit from the lead-in
//! quarter to the data set's end: tens a quarter in a district, more in the
//! busy ones; applications, complaints and proposals, written, online, by
//! e-mail and telephone, and those made at the chiefs' receptions
//! (`receptions.rs`), naming their session; one person, a collective, an
//! organisation, a few anonymous. Most are answered on time; some get more
//! checking or an extension; a few are answered late with the reason; some
//! are referred out to the competent body or to another police unit, which
//! answers them; most of those telling of an offence become crime reports
//! (`report_from_appeal`), checked and decided as any report; many
//! applicants rate the handling, mostly 4 or 5, less so in two units, so the
//! funnel plot has something to show.
//!
//! Every moment is planned against the pack's working-day deadlines (its
//! holidays skipped): an answer on time falls before the deadline in force,
//! a late one after it with its reason, a referral within the referral's
//! days, an extension before the deadline it moves. Each unit's quarter
//! draws from its own random stream. What would come after the data set's
//! end is left undone: the newest appeals wait in the queues.

use crate::clock::{DAY_END, Local, day_between, quarter_span, ymd};
use crate::emit::{Emitter, STREETS};
use crate::people;
use crate::receptions::SessionPlan;
use crate::rng::Rng;
use crate::units::Recorders;
use anyhow::{Result, anyhow};
use chrono::{Datelike, Days, Duration, NaiveDate};
use crimeboard_domain::Command;
use crimeboard_domain::appeal::{
    AnswerAppeal, AppealChannel, AppealDecision, AppealExtension, AppealKind, Applicant, Applicants, Delivery,
    ExtendAppeal, NewAppeal, RateAppeal, ReferAppeal, Referral, ReportFromAppeal,
};
use crimeboard_domain::person::{PersonInput, PersonRole};
use crimeboard_domain::reception::Outcome;
use crimeboard_domain::report::{Channel, DecideReport, NewReport, ReportOutcome};
use crimeboard_domain::rules::{Procedure, Rules};
use crimeboard_domain::units::{UnitCode, UnitTree};
use crimeboard_service::Submission;
use uuid::Uuid;

/// One stream per unit and quarter, far from the story's and the receptions'.
const APPEAL_STREAMS: u64 = 5 << 32;
const RECEPTION_APPEAL_STREAM: u64 = (6 << 32) - 1;
const FIRST_QUARTER: (i32, u32) = (2022, 4);
/// Appeals a quarter: this many in every police unit, and this many more per
/// unit of its crime volume (`Recorders::police_volume`, 9 in the busiest).
const PER_QUARTER: f64 = 8.0;
const PER_VOLUME: f64 = 3.5;
/// The units whose applicants are noticeably less satisfied and answered
/// late more often: the funnel plots' outliers.
const LESS_SATISFIED: &[&str] = &["BAK-SAB", "SMQ"];
const GROUND: &str = "Vətəndaşların müraciətləri haqqında qanun";

/// How applicants score the handling: 79 % satisfied (4 or 5)...
const SCORES: [(i64, f64); 5] = [(5, 0.52), (4, 0.27), (3, 0.09), (2, 0.05), (1, 0.07)];
/// ...and 35 % in the less satisfied units.
const LOW_SCORES: [(i64, f64); 5] = [(5, 0.15), (4, 0.20), (3, 0.20), (2, 0.20), (1, 0.25)];

const SUBJECTS: &[(AppealKind, &str)] = &[
    (AppealKind::Application, "Arayışın verilməsi barədə"),
    (AppealKind::Application, "Oğurlanmış əmlakın axtarışı barədə"),
    (AppealKind::Application, "Sürücülük vəsiqəsinin bərpası barədə"),
    (AppealKind::Application, "Həyətdə işıqlandırma və asayiş barədə"),
    (AppealKind::Complaint, "Sahə polis inspektorunun hərəkətsizliyindən şikayət"),
    (AppealKind::Complaint, "Müraciətə vaxtında baxılmamasından şikayət"),
    (AppealKind::Complaint, "Yol polisi əməkdaşının davranışından şikayət"),
    (AppealKind::Proposal, "Məktəb ətrafında piyada keçidi barədə təklif"),
    (AppealKind::Proposal, "Qəbul saatlarının uzadılması barədə təklif"),
];
const OFFENCE_SUBJECTS: &[&str] = &[
    "Mənzildən oğurluq barədə",
    "İnternet vasitəsilə dələduzluq barədə",
    "Hədə-qorxu gəlmə barədə",
    "Narkotik vasitələrin satışı barədə",
];
const ORGANISATIONS: &[&str] =
    &["“Günəş” Mənzil-Tikinti Kooperativi", "“Yaşıl Bağ” MMC", "Məhəllə komitəsi", "“Aztexservis” ASC"];
const BODIES: &[&str] =
    &["Bakı Şəhər İcra Hakimiyyəti", "Dövlət Vergi Xidməti", "Səhiyyə Nazirliyi", "Dövlət Miqrasiya Xidməti"];

/// What happens to an appeal after its registration, in time order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    MoreChecking,
    Extension {
        days: u32,
    },
    Refer(Referral),
    /// Its offence passed on as a crime report...
    Report,
    /// ...and that report's check decided: refused or passed to another body.
    DecideReport {
        refuse: bool,
        late: bool,
    },
    Answer {
        decision: AppealDecision,
        late: bool,
    },
    Rate(i64),
}

#[derive(Debug, Clone)]
pub(crate) struct AppealPlan {
    pub unit: UnitCode,
    pub addressed_to: UnitCode,
    pub received: Local,
    pub channel: AppealChannel,
    pub kind: AppealKind,
    pub applicants: Applicants,
    pub subject: String,
    pub mentions_offence: bool,
    /// The reception it was made at, by its place in the sessions' plan.
    pub session: Option<usize>,
    /// Its later acts, each at its moment, oldest first.
    pub steps: Vec<(Local, Step)>,
}

/// What the Board's report counts of a planned appeal, for checking the
/// figures against the plan: the day it was received, the day the applicant
/// was answered or told of the referral out and whether that was before the
/// deadline in force, and the applicant's score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppealOutline {
    /// The unit handling it at the end (the last unit it was referred to).
    pub unit: String,
    pub received: NaiveDate,
    pub replied: Option<NaiveDate>,
    pub replied_on_time: bool,
    pub score: Option<i64>,
    pub anonymous: bool,
    pub mentions_offence: bool,
    pub reported: bool,
    pub at_reception: bool,
}

impl AppealPlan {
    pub fn outline(&self) -> AppealOutline {
        let replied = self.steps.iter().find_map(|(at, step)| match step {
            Step::Answer { late, .. } => Some((at.day, !late)),
            Step::Refer(Referral::Body { .. }) => Some((at.day, true)),
            _ => None,
        });
        let handled_by = self.steps.iter().rev().find_map(|(_, step)| match step {
            Step::Refer(Referral::Unit { unit }) => Some(unit),
            _ => None,
        });
        AppealOutline {
            unit: handled_by.unwrap_or(&self.unit).to_string(),
            received: self.received.day,
            replied: replied.map(|(day, _)| day),
            replied_on_time: replied.is_some_and(|(_, on_time)| on_time),
            score: self.steps.iter().find_map(|(_, s)| if let Step::Rate(score) = s { Some(*score) } else { None }),
            anonymous: self.applicants.is_anonymous(),
            mentions_offence: self.mentions_offence,
            reported: self.steps.iter().any(|(_, s)| *s == Step::Report),
            at_reception: self.session.is_some(),
        }
    }
}

/// Every appeal from the lead-in quarter to `end`: each police unit's, and
/// those the receptions' records call for.
pub(crate) fn plan(
    recorders: &Recorders,
    tree: &UnitTree,
    sessions: &[SessionPlan],
    seed: u64,
    rules: &Rules,
    end: NaiveDate,
) -> Result<Vec<AppealPlan>> {
    let mut out = Vec::new();
    let (mut year, mut quarter) = FIRST_QUARTER;
    while quarter_span(year, quarter).0 <= end {
        let (first, last) = quarter_span(year, quarter);
        let last = last.min(end);
        let share =
            ((last - first).num_days() + 1) as f64 / ((quarter_span(year, quarter).1 - first).num_days() + 1) as f64;
        for (i, (unit, volume)) in recorders.police.iter().zip(&recorders.police_volume).enumerate() {
            let stream = APPEAL_STREAMS + (year as u64 * 4 + u64::from(quarter)) * 64 + i as u64;
            let mut rng = Rng::stream(seed, stream);
            let n = ((PER_QUARTER + PER_VOLUME * volume) * share).round() as usize;
            for _ in 0..n {
                let mut a = written(&mut rng, rules, tree, unit, first, last);
                handle(&mut rng, rules, recorders, &mut a)?;
                out.push(a);
            }
        }
        (year, quarter) = if quarter == 4 { (year + 1, 1) } else { (year, quarter + 1) };
    }
    let mut rng = Rng::stream(seed, RECEPTION_APPEAL_STREAM);
    for (s, session) in sessions.iter().enumerate() {
        let Some(record) = &session.record else { continue };
        for heard in record.heard.iter().filter(|h| h.outcome == Outcome::AppealToRegister) {
            let Some(received) = record.at.after(&mut rng, 0, 1, end) else { continue };
            let mut a = AppealPlan {
                unit: session.unit.clone(),
                addressed_to: session.unit.clone(),
                received,
                channel: AppealChannel::Reception,
                kind: if rng.chance(0.6) { AppealKind::Application } else { AppealKind::Complaint },
                applicants: Applicants::Person { person: applicant(&mut rng, &heard.full_name) },
                subject: heard.subject.clone(),
                mentions_offence: rng.chance(0.1),
                session: Some(s),
                steps: Vec::new(),
            };
            handle(&mut rng, rules, recorders, &mut a)?;
            out.push(a);
        }
    }
    for a in &mut out {
        a.steps.sort_by_key(|(at, _)| *at);
        // What would be done after the data set's end is not done yet.
        a.steps.retain(|(at, _)| at.day <= end);
    }
    out.sort_by_key(|a| a.received);
    Ok(out)
}

/// An appeal that comes in writing, online, by e-mail or telephone on a
/// day of `first..=last` (a working day, bar online and e-mail).
fn written(
    rng: &mut Rng,
    rules: &Rules,
    tree: &UnitTree,
    unit: &UnitCode,
    first: NaiveDate,
    last: NaiveDate,
) -> AppealPlan {
    let channel = *rng.pick(&[
        AppealChannel::Written,
        AppealChannel::Written,
        AppealChannel::Written,
        AppealChannel::Online,
        AppealChannel::Online,
        AppealChannel::Email,
        AppealChannel::Telephone,
    ]);
    let mut day = day_between(rng, first, last);
    if !matches!(channel, AppealChannel::Online | AppealChannel::Email) {
        while !rules.is_working_day(day) && day > first {
            day = day - Days::new(1);
        }
    }
    let x = rng.unit();
    let applicants = if x < 0.05 {
        Applicants::Anonymous
    } else if x < 0.10 {
        let people = (0..rng.range(2, 6))
            .map(|_| {
                let name = people::name(rng);
                applicant(rng, &name)
            })
            .collect();
        Applicants::Collective { people }
    } else if x < 0.15 {
        let name = people::name(rng);
        let representative = Some(applicant(rng, &name));
        Applicants::Organisation { name: rng.choice(ORGANISATIONS).into(), representative }
    } else {
        let name = people::applicant(rng, day).full_name;
        Applicants::Person { person: applicant(rng, &name) }
    };
    let anonymous = applicants.is_anonymous();
    let mentions_offence = rng.chance(if anonymous { 0.5 } else { 0.1 });
    let (kind, subject) =
        if mentions_offence { (AppealKind::Application, rng.choice(OFFENCE_SUBJECTS)) } else { rng.choice(SUBJECTS) };
    // Most write to their district; some to the department above it.
    let addressed_to = match tree.get(unit).and_then(|u| u.parent.clone()) {
        Some(parent) if rng.chance(0.12) => parent,
        _ => unit.clone(),
    };
    AppealPlan {
        unit: unit.clone(),
        addressed_to,
        received: Local::anchor(rng, day),
        channel,
        kind,
        applicants,
        subject: subject.into(),
        mentions_offence,
        session: None,
        steps: Vec::new(),
    }
}

fn applicant(rng: &mut Rng, name: &str) -> Applicant {
    Applicant {
        full_name: name.into(),
        address: format!("Bakı ş., {}, ev {}", rng.choice(STREETS), 1 + rng.below(180)),
    }
}

/// The last day a deadline allows (it is the first instant after it).
fn last_allowed(rules: &Rules, deadline: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    rules.local_date(deadline - Duration::seconds(1))
}

/// A moment on a working day `lo..=hi` days after `from` (moved on to the
/// next working day), strictly after it and not after `limit`.
fn working_after(rng: &mut Rng, rules: &Rules, from: Local, lo: u32, hi: u32, limit: NaiveDate) -> Option<Local> {
    let mut at = from.after(rng, lo, hi, limit)?;
    while !rules.is_working_day(at.day) {
        let next = at.day + Days::new(1);
        if next > limit {
            return None;
        }
        at = Local::any(rng, next);
    }
    Some(at)
}

/// Plans what the office does with an appeal, against the deadlines of the
/// rule in force on its day of receipt.
fn handle(rng: &mut Rng, rules: &Rules, recorders: &Recorders, a: &mut AppealPlan) -> Result<()> {
    let received = a.received.utc(rules);
    let day = a.received.day;
    let no_rule = |v| anyhow!("no appeal rule for {day}: {v}");
    let referral_due = last_allowed(rules, rules.appeal_referral_deadline(received).map_err(no_rule)?);
    let mut deadline = rules.appeal_answer_deadline(received, false).map_err(no_rule)?;
    let mut cursor = a.received;
    if a.mentions_offence && rng.chance(if a.applicants.is_anonymous() { 0.95 } else { 0.85 }) {
        report(rng, rules, a, referral_due)?;
    }
    if a.applicants.is_anonymous() {
        return Ok(());
    }
    let less_satisfied = LESS_SATISFIED.contains(&a.unit.as_str());
    // Referrals within the referral's days; an offence stays with the police.
    let x = rng.unit();
    let referred =
        (!a.mentions_offence && x < 0.12).then(|| working_after(rng, rules, a.received, 0, 2, referral_due)).flatten();
    if let Some(at) = referred {
        if x < 0.07 {
            a.steps.push((at, Step::Refer(Referral::Body { name: rng.choice(BODIES).into() })));
            rate(rng, a, at, less_satisfied);
            return Ok(());
        }
        let others: Vec<&UnitCode> = recorders.police.iter().filter(|u| **u != a.unit).collect();
        if !others.is_empty() {
            let unit = (*rng.pick(&others)).clone();
            a.steps.push((at, Step::Refer(Referral::Unit { unit })));
            cursor = at;
        }
    }
    // More checking, then perhaps the one extension; or the extension alone.
    let y = rng.unit();
    let checking = (y < 0.09).then(|| working_after(rng, rules, cursor, 1, 4, last_allowed(rules, deadline)));
    if let Some(at) = checking.flatten() {
        a.steps.push((at, Step::MoreChecking));
        deadline = rules.appeal_answer_deadline(received, true).map_err(no_rule)?;
        cursor = at;
    }
    if (0.06..0.12).contains(&y) {
        let days = rng.range(5, 20) as u32;
        if let Some(at) = working_after(rng, rules, cursor, 3, 20, last_allowed(rules, deadline)) {
            a.steps.push((at, Step::Extension { days }));
            deadline = rules.appeal_extended_deadline(received, deadline, days).map_err(no_rule)?;
            cursor = at;
        }
    }
    let late = rng.chance(if less_satisfied { 0.12 } else { 0.04 });
    let due = last_allowed(rules, deadline);
    let on_time = if late { None } else { working_after(rng, rules, cursor, 2, 20, due) };
    let (at, late) = match on_time {
        Some(at) => (at, false),
        None => {
            let after_due = Local { day: due, minute: DAY_END - 1 }.max(cursor);
            let far = due + Days::new(60);
            let at =
                working_after(rng, rules, after_due, 1, 8, far).ok_or_else(|| anyhow!("no working day after {due}"))?;
            (at, true)
        }
    };
    let decision = *rng.pick(&[
        AppealDecision::Satisfied,
        AppealDecision::Satisfied,
        AppealDecision::Partly,
        AppealDecision::Refused,
        AppealDecision::Explained,
        AppealDecision::Explained,
    ]);
    a.steps.push((at, Step::Answer { decision, late }));
    rate(rng, a, at, less_satisfied || late);
    Ok(())
}

/// The offence passed to the police as a crime report within the
/// referral's days, and the report's check decided within days.
fn report(rng: &mut Rng, rules: &Rules, a: &mut AppealPlan, referral_due: NaiveDate) -> Result<()> {
    let Some(at) = a.received.after(rng, 0, 1, referral_due) else { return Ok(()) };
    let decided = at.after(rng, 0, 2, at.day + Days::new(2)).unwrap_or(at);
    let due = rules
        .deadline(Procedure::CrimeReport, at.utc(rules), 0)
        .map_err(|v| anyhow!("no deadline rule for a report received {}: {v}", at.day))?;
    a.steps.push((at, Step::Report));
    a.steps.push((decided, Step::DecideReport { refuse: rng.chance(0.7), late: decided.utc(rules) >= due }));
    Ok(())
}

/// Nearly half the applicants rate the handling within two weeks of the reply.
fn rate(rng: &mut Rng, a: &mut AppealPlan, replied: Local, less_satisfied: bool) {
    if !rng.chance(0.45) {
        return;
    }
    let Some(at) = replied.after(rng, 1, 14, ymd(9999, 1, 1)) else { return };
    let scores = if less_satisfied { &LOW_SCORES } else { &SCORES };
    let mut x = rng.unit();
    let mut score = 1;
    for (s, p) in scores {
        if x < *p {
            score = *s;
            break;
        }
        x -= p;
    }
    a.steps.push((at, Step::Rate(score)));
}

/// Records the appeals a quarter at a time: the registrations, then each
/// appeal's first step, its second, and so on, every round in batches.
pub(crate) fn emit(emitter: &mut Emitter, appeals: &[AppealPlan], sessions: &[Uuid]) -> Result<()> {
    let rules = emitter.registry().jurisdiction().rules.clone();
    let mut start = 0;
    let quarter = |a: &AppealPlan| (a.received.day.year(), a.received.day.month0() / 3);
    while start < appeals.len() {
        let key = quarter(&appeals[start]);
        let len = appeals[start..].iter().take_while(|a| quarter(a) == key).count();
        emit_chunk(emitter, &rules, &appeals[start..start + len], sessions)?;
        start += len;
    }
    Ok(())
}

fn emit_chunk(emitter: &mut Emitter, rules: &Rules, appeals: &[AppealPlan], sessions: &[Uuid]) -> Result<()> {
    let subs: Vec<Submission> = appeals
        .iter()
        .map(|a| submission(a, &a.unit, Command::RegisterAppeal(new_appeal(a, rules, sessions))))
        .collect();
    let receipts = emitter.record(emitter.registry(), &subs)?;
    let ids: Vec<Uuid> = receipts.iter().map(|r| r.entity_id).collect();
    let mut reports: Vec<Option<Uuid>> = vec![None; appeals.len()];
    let rounds = appeals.iter().map(|a| a.steps.len()).max().unwrap_or(0);
    for round in 0..rounds {
        let mut which = Vec::new();
        let mut subs = Vec::new();
        for (i, a) in appeals.iter().enumerate() {
            let Some((at, step)) = a.steps.get(round) else { continue };
            let command = command(a, ids[i], reports[i], *at, step, rules)?;
            subs.push(submission(a, &handling_unit(a, round), command));
            which.push(i);
        }
        let registry = emitter.registry();
        for ((i, sub), receipt) in which.iter().zip(&subs).zip(emitter.record(registry, &subs)?) {
            if matches!(sub.command, Command::ReportFromAppeal(_)) {
                reports[*i] = Some(receipt.entity_id);
            }
        }
    }
    Ok(())
}

/// The unit handling the appeal when its step `round` is taken.
fn handling_unit(a: &AppealPlan, round: usize) -> UnitCode {
    a.steps[..round]
        .iter()
        .rev()
        .find_map(|(_, s)| match s {
            Step::Refer(Referral::Unit { unit }) => Some(unit.clone()),
            _ => None,
        })
        .unwrap_or_else(|| a.unit.clone())
}

fn submission(a: &AppealPlan, unit: &UnitCode, command: Command) -> Submission {
    let desk = if a.session.is_some() { "Rəisin katibliyi" } else { "Müraciətlər şöbəsi" };
    Submission { actor: format!("{desk} ({unit})"), legal_ground: GROUND.into(), command, late: None }
}

fn new_appeal(a: &AppealPlan, rules: &Rules, sessions: &[Uuid]) -> NewAppeal {
    NewAppeal {
        unit: a.unit.clone(),
        addressed_to: a.addressed_to.clone(),
        channel: a.channel,
        kind: a.kind,
        received_at: a.received.utc(rules),
        applicants: a.applicants.clone(),
        subject: a.subject.clone(),
        text: format!("{}. Xahiş edirəm, məsələyə baxılsın.", a.subject),
        attachments: if a.channel == AppealChannel::Written {
            vec!["Ərizənin surəti, 1 vərəq".into()]
        } else {
            vec![]
        },
        repeat_of: None,
        mentions_offence: a.mentions_offence,
        reception_id: a.session.and_then(|s| sessions.get(s).copied()),
    }
}

fn command(
    a: &AppealPlan,
    appeal_id: Uuid,
    report_id: Option<Uuid>,
    at: Local,
    step: &Step,
    rules: &Rules,
) -> Result<Command> {
    let when = at.utc(rules);
    let extend = |extension| {
        Command::ExtendAppeal(ExtendAppeal {
            appeal_id,
            granted_at: when,
            extension,
            granted_by: "Polis orqanının rəisi".into(),
            applicant_told: Delivery::Post,
        })
    };
    Ok(match step {
        Step::MoreChecking => extend(AppealExtension::MoreChecking),
        Step::Extension { days } => extend(AppealExtension::Extension {
            days: *days,
            reason: "Digər qurumlardan sənədlər sorğulanıb".into(),
        }),
        Step::Refer(to) => Command::ReferAppeal(ReferAppeal {
            appeal_id,
            referred_at: when,
            to: to.clone(),
            applicant_told: Delivery::Post,
        }),
        Step::Report => Command::ReportFromAppeal(ReportFromAppeal {
            appeal_id,
            report: NewReport {
                unit: a.unit.clone(),
                procedure: Procedure::CrimeReport,
                channel: Channel::Written,
                received_at: when,
                officer: "Növbətçi".into(),
                applicant: reporting_person(&a.applicants),
                summary: format!("{} (vətəndaş müraciəti əsasında)", a.subject),
                category: None,
                source: None,
            },
        }),
        Step::DecideReport { refuse, late } => Command::DecideReport(DecideReport {
            report_id: report_id.ok_or_else(|| anyhow!("a report's decision came before the report"))?,
            decided_at: when,
            outcome: if *refuse {
                ReportOutcome::Refuse { ground: "Cinayət tərkibi yoxdur (CPK 39.1.2)".into() }
            } else {
                ReportOutcome::Transfer { to_body: "Prokurorluq".into() }
            },
            late_reason: late.then(|| "Yoxlama materialları gec daxil olub".into()),
        }),
        Step::Answer { decision, late } => Command::AnswerAppeal(AnswerAppeal {
            appeal_id,
            answered_at: when,
            decision: *decision,
            text: "Müraciətinizə baxılmış, nəticəsi barədə məlumat verilir.".into(),
            signed_by: "Polis orqanının rəisi".into(),
            delivered_by: if a.channel == AppealChannel::Email { Delivery::EMail } else { Delivery::Post },
            late_reason: late.then(|| "Cavab üçün lazım olan sənədlər gec daxil olub".into()),
        }),
        Step::Rate(score) => Command::RateAppeal(RateAppeal { appeal_id, rated_at: when, score: *score }),
    })
}

/// The report's applicant: the appeal's first signatory, or the
/// organisation's representative; none for an anonymous appeal.
fn reporting_person(applicants: &Applicants) -> Option<PersonInput> {
    let name = match applicants {
        Applicants::Person { person } => &person.full_name,
        Applicants::Collective { people } => &people.first()?.full_name,
        Applicants::Organisation { representative, .. } => &representative.as_ref()?.full_name,
        Applicants::Anonymous => return None,
    };
    Some(PersonInput {
        role: PersonRole::Applicant,
        full_name: name.to_string(),
        fin: None,
        birth_date: None,
        sex: None,
        previously_convicted: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::receptions;
    use std::collections::BTreeMap;

    struct Planned {
        appeals: Vec<AppealPlan>,
        sessions: Vec<SessionPlan>,
        rules: std::sync::Arc<Rules>,
        police: Vec<UnitCode>,
    }

    fn planned() -> Planned {
        let tree = UnitTree::new(crimeboard_service::demo_units()).unwrap();
        let rules = crimeboard_service::Jurisdiction::demo().rules.clone();
        let recorders = Recorders::of(&tree).unwrap();
        let end = ymd(2024, 10, 15);
        let sessions = receptions::plan(&recorders, 20_240_419, &rules, end);
        let appeals = plan(&recorders, &tree, &sessions, 20_240_419, &rules, end).unwrap();
        Planned { appeals, sessions, rules, police: recorders.police }
    }

    #[test]
    fn every_police_unit_gets_tens_of_appeals_a_quarter_of_every_kind_channel_and_applicant() {
        let p = planned();
        let mut per: BTreeMap<(String, i32, u32), usize> = BTreeMap::new();
        for a in &p.appeals {
            *per.entry((a.unit.to_string(), a.received.day.year(), a.received.day.month0() / 3)).or_default() += 1;
        }
        for unit in &p.police {
            for (year, q) in [(2022, 3), (2023, 0), (2023, 1), (2023, 2), (2023, 3), (2024, 0), (2024, 1), (2024, 2)] {
                let n = per.get(&(unit.to_string(), year, q)).copied().unwrap_or(0);
                assert!((10..60).contains(&n), "{unit} {year}Q{}: {n} appeals", q + 1);
            }
        }
        for kind in AppealKind::ALL {
            assert!(p.appeals.iter().any(|a| a.kind == kind), "{kind:?}");
        }
        for channel in AppealChannel::ALL {
            assert!(p.appeals.iter().any(|a| a.channel == channel), "{channel:?}");
        }
        let share =
            |f: &dyn Fn(&AppealPlan) -> bool| p.appeals.iter().filter(|a| f(a)).count() as f64 / p.appeals.len() as f64;
        let anonymous = share(&|a| a.applicants.is_anonymous());
        assert!((0.02..0.08).contains(&anonymous), "{anonymous} anonymous");
        assert!(share(&|a| matches!(a.applicants, Applicants::Collective { .. })) > 0.02);
        assert!(share(&|a| matches!(a.applicants, Applicants::Organisation { .. })) > 0.02);
    }

    /// Every planned act keeps the pack's working-day deadlines as the
    /// registry computes them: the deadline is replayed here step by step.
    #[test]
    fn answers_referrals_and_extensions_keep_the_working_day_deadlines() {
        let p = planned();
        let rules = &p.rules;
        let (mut late, mut on_time, mut checked, mut extended, mut referred) = (0, 0, 0, 0, 0);
        for a in &p.appeals {
            let received = a.received.utc(rules);
            let mut deadline = rules.appeal_answer_deadline(received, false).unwrap();
            let referral = rules.appeal_referral_deadline(received).unwrap();
            let mut previous = a.received;
            for (at, step) in &a.steps {
                assert!(*at > previous || matches!(step, Step::DecideReport { .. } | Step::Rate(_)), "{a:?}");
                previous = previous.max(*at);
                let when = at.utc(rules);
                match step {
                    Step::MoreChecking => {
                        assert!(when < deadline);
                        deadline = rules.appeal_answer_deadline(received, true).unwrap();
                        checked += 1;
                    }
                    Step::Extension { days } => {
                        assert!(when < deadline && (1..=30).contains(days));
                        deadline = rules.appeal_extended_deadline(received, deadline, *days).unwrap();
                        extended += 1;
                    }
                    Step::Refer(_) => {
                        assert!(when < referral);
                        referred += 1;
                    }
                    Step::Answer { late: is_late, .. } => {
                        assert_eq!(*is_late, when >= deadline, "{a:?}");
                        assert!(rules.is_working_day(at.day));
                        if *is_late { late += 1 } else { on_time += 1 }
                    }
                    Step::Report | Step::DecideReport { .. } | Step::Rate(_) => {}
                }
            }
        }
        assert!(late > 0 && on_time > 10 * late, "{on_time} on time, {late} late");
        assert!(checked > 50 && extended > 50 && referred > 100, "{checked} {extended} {referred}");
    }

    #[test]
    fn most_appeals_telling_of_an_offence_become_crime_reports_and_some_are_referred_out_or_to_another_unit() {
        let p = planned();
        let outlines: Vec<AppealOutline> = p.appeals.iter().map(AppealPlan::outline).collect();
        let offence: Vec<&AppealOutline> = outlines.iter().filter(|o| o.mentions_offence).collect();
        let reported = offence.iter().filter(|o| o.reported).count();
        assert!(reported * 10 > offence.len() * 7 && reported < offence.len(), "{reported} of {}", offence.len());
        let steps = || p.appeals.iter().flat_map(|a| &a.steps);
        assert!(steps().any(|(_, s)| matches!(s, Step::Refer(Referral::Body { .. }))));
        let to_unit =
            p.appeals.iter().filter(|a| a.steps.iter().any(|(_, s)| matches!(s, Step::Refer(Referral::Unit { .. }))));
        for a in to_unit {
            assert_ne!(a.outline().unit, a.unit.to_string(), "handled by the unit it went to");
        }
    }

    #[test]
    fn applicants_are_mostly_satisfied_and_less_so_in_two_units() {
        let p = planned();
        let satisfied = |less: bool| {
            let scores: Vec<i64> = p
                .appeals
                .iter()
                .filter(|a| LESS_SATISFIED.contains(&a.unit.as_str()) == less)
                .filter_map(|a| a.outline().score)
                .collect();
            scores.iter().filter(|s| **s >= 4).count() as f64 / scores.len() as f64
        };
        let (most, less) = (satisfied(false), satisfied(true));
        assert!((0.70..0.85).contains(&most), "{most}");
        assert!(less < most - 0.2, "{less} against {most}");
        let rated = p.appeals.iter().filter(|a| a.outline().score.is_some()).count();
        assert!(rated * 3 > p.appeals.len(), "{rated} rated");
    }

    #[test]
    fn an_appeal_made_at_a_reception_names_a_held_session_of_its_unit_on_its_day_or_after() {
        let p = planned();
        let at_receptions: Vec<&AppealPlan> = p.appeals.iter().filter(|a| a.session.is_some()).collect();
        assert!(at_receptions.len() > 100, "{}", at_receptions.len());
        for a in at_receptions {
            let session = &p.sessions[a.session.unwrap()];
            assert!(session.record.is_some() && session.unit == a.unit && a.channel == AppealChannel::Reception);
            assert!(a.received > session.record.as_ref().unwrap().at);
        }
    }

    #[test]
    fn the_newest_appeals_wait_in_the_queue() {
        let p = planned();
        let open = p.appeals.iter().filter(|a| {
            let o = a.outline();
            !o.anonymous && o.replied.is_none()
        });
        assert!(open.clone().count() > 50 && open.clone().all(|a| a.received.day >= ymd(2024, 8, 1)));
    }
}
