//! What the generator means to record, before it is turned into commands:
//! each case with its report, persons, fate, money and drugs, planned with
//! local (Baku) moments. Both sizes plan this way; the emitter records it.

use crate::clock::Local;
use crate::crimes::{CRIMES, Crime};
use crate::people::Offender;
use crate::rng::Rng;
use chrono::NaiveDate;
use crimeboard_domain::registers::ExaminationKind;
use crimeboard_domain::report::Channel;
use crimeboard_domain::units::{Agency, UnitCode};

/// Where the data set ends, and what becomes of work planned past it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reach {
    /// The last day with acts.
    pub end: NaiveDate,
    /// Work that would be done after `end` is left undone (a case still
    /// under investigation, an examination awaited), as on the day the demo
    /// starts; otherwise it is hurried to fit by `end`.
    pub leave_undone: bool,
}

impl Reach {
    /// Work hurried to fit by `end`.
    pub fn hurried(end: NaiveDate) -> Reach {
        Reach { end, leave_undone: false }
    }

    /// A moment `lo..=hi` days after `from`, as this reach treats work past its end.
    pub fn after(self, rng: &mut Rng, from: Local, lo: u32, hi: u32) -> Option<Local> {
        if self.leave_undone { from.after_within(rng, lo, hi, self.end) } else { from.after(rng, lo, hi, self.end) }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Flags {
    pub it_enabled: bool,
    pub group: bool,
    pub family_conflict: bool,
    pub public_place: bool,
    pub intoxication: bool,
    pub non_obvious: bool,
}

/// Where a case's investigation stands at the end of the data set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    Open,
    Solved(Local),
    /// Suspended because the perpetrator was not identified.
    Suspended(Local),
}

impl Fate {
    pub fn is_solved(self) -> bool {
        matches!(self, Fate::Solved(_))
    }
}

/// The report a case is opened from.
#[derive(Debug, Clone)]
pub(crate) struct CaseReport {
    pub received: Local,
    pub channel: Channel,
    /// When the unit chief extended the check, if they did.
    pub extended: Option<Local>,
    pub rating: Option<Rating>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Rating {
    pub score: i64,
    pub at: Local,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Damage {
    pub qepik: i64,
    pub assessed: Local,
    /// Reimbursed during the investigation; zero for none.
    pub reimbursed: i64,
    pub reimbursed_at: Local,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Seizure {
    pub grams: i64,
    pub at: Local,
    pub substance: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Examination {
    pub kind: ExaminationKind,
    pub requested: Local,
    /// When it was done and whether it identified a person.
    pub done: Option<(Local, bool)>,
}

#[derive(Debug, Clone)]
pub(crate) struct CasePlan {
    pub unit: UnitCode,
    pub agency: Agency,
    /// Index into [`CRIMES`].
    pub crime: usize,
    pub article: &'static str,
    pub occurred: Local,
    pub registered: Local,
    /// None when the police detected the crime themselves.
    pub report: Option<CaseReport>,
    /// A second report on the same crime, attached to the case: received, decided.
    pub attached: Option<(Local, Local)>,
    pub flags: Flags,
    /// Known at opening unless the case is non-obvious; then added when solved.
    pub offenders: Vec<Offender>,
    pub fate: Fate,
    pub court: Option<Local>,
    pub damage: Option<Damage>,
    pub seizure: Option<Seizure>,
    pub examination: Option<Examination>,
}

impl CasePlan {
    pub fn crime(&self) -> &'static Crime {
        &CRIMES[self.crime]
    }

    /// Whether the case will have a suspect on record by the end.
    pub fn has_offender_on_record(&self) -> bool {
        !self.flags.non_obvious || self.fate.is_solved()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoneOutcome {
    Refuse,
    Transfer,
}

/// A report that does not open a case: refused or passed on, or still
/// awaiting the decision when the data set ends.
#[derive(Debug, Clone)]
pub(crate) struct LoneReport {
    pub unit: UnitCode,
    pub received: Local,
    pub channel: Channel,
    pub anonymous: bool,
    pub extended: Option<Local>,
    /// None while the report awaits a decision.
    pub decided: Option<Local>,
    pub outcome: LoneOutcome,
    pub rating: Option<Rating>,
}

#[derive(Debug, Clone)]
pub(crate) struct AccidentPlan {
    pub unit: UnitCode,
    pub at: Local,
    pub killed: i64,
    pub injured: i64,
}

/// An administrative drug offence (no criminal case).
#[derive(Debug, Clone)]
pub(crate) struct AdminOffence {
    pub unit: UnitCode,
    pub at: Local,
}

/// One slice of the data set, recorded together.
#[derive(Debug, Default)]
pub(crate) struct Chunk {
    pub cases: Vec<CasePlan>,
    pub lone: Vec<LoneReport>,
    pub accidents: Vec<AccidentPlan>,
    pub admin: Vec<AdminOffence>,
}

/// How applicants rate the handling of their report: three in four are
/// satisfied (4 or 5 of 5).
pub(crate) fn rating(rng: &mut Rng, decided: Local, end: NaiveDate) -> Option<Rating> {
    const SCORES: [(i64, f64); 5] = [(5, 0.46), (4, 0.29), (3, 0.10), (2, 0.07), (1, 0.08)];
    let at = decided.after(rng, 1, 14, end)?;
    let mut x = rng.unit();
    for (score, p) in SCORES {
        if x < p {
            return Some(Rating { score, at });
        }
        x -= p;
    }
    Some(Rating { score: 1, at })
}

/// How a report reaches the police.
pub(crate) fn channel(rng: &mut Rng) -> Channel {
    let x = rng.unit();
    match x {
        _ if x < 0.45 => Channel::InPerson,
        _ if x < 0.75 => Channel::Line102,
        _ if x < 0.85 => Channel::Written,
        _ if x < 0.95 => Channel::Online,
        _ => Channel::Referral,
    }
}

/// The case's report: received up to two days before the case is opened;
/// some checks are extended (then up to nine days), a few run late. About
/// `rated` of the applicants rate the handling.
pub(crate) fn case_report(rng: &mut Rng, registered: Local, end: NaiveDate, rated: f64) -> CaseReport {
    let x = rng.unit();
    let (received, extended) = if x < 0.03 {
        let received = registered.before(rng, 4, 9);
        let extended = received.after(rng, 0, 2, registered.day - chrono::Days::new(1));
        (received, extended)
    } else if x < 0.045 {
        // Decided after the deadline without an extension: recorded as late.
        (registered.before(rng, 4, 6), None)
    } else {
        (registered.before(rng, 0, 2), None)
    };
    let rating = if rng.chance(rated) { rating(rng, registered, end) } else { None };
    CaseReport { received, channel: channel(rng), extended, rating }
}

/// Whether a report that opens no case is anonymous, and how it came:
/// anonymous ones by the 102 line or online.
fn lone_channel(rng: &mut Rng) -> (bool, Channel) {
    let anonymous = rng.chance(0.1);
    let channel =
        if anonymous { if rng.chance(0.6) { Channel::Line102 } else { Channel::Online } } else { channel(rng) };
    (anonymous, channel)
}

/// A report that opens no case: mostly refused, some passed to another body.
pub(crate) fn lone_report(
    rng: &mut Rng,
    unit: UnitCode,
    received: Local,
    end: NaiveDate,
    rated: f64,
) -> Option<LoneReport> {
    let (anonymous, channel) = lone_channel(rng);
    let x = rng.unit();
    let (extended, decided) = if x < 0.04 {
        let extended = received.after(rng, 0, 2, end)?;
        let limit = (received.day + chrono::Days::new(10)).min(end);
        (Some(extended), extended.after(rng, 0, 7, limit)?)
    } else if x < 0.06 {
        (None, received.after(rng, 4, 8, end)?)
    } else {
        let limit = (received.day + chrono::Days::new(3)).min(end);
        (None, received.after(rng, 0, 3, limit)?)
    };
    let outcome = if rng.chance(0.85) { LoneOutcome::Refuse } else { LoneOutcome::Transfer };
    let rating = if !anonymous && rng.chance(rated) { rating(rng, decided, end) } else { None };
    Some(LoneReport { unit, received, channel, anonymous, extended, decided: Some(decided), outcome, rating })
}

/// A report received when the data set is about to end, its check not
/// decided yet; `outcome` is what the check will come to.
pub(crate) fn awaiting_report(rng: &mut Rng, unit: UnitCode, received: Local) -> LoneReport {
    let (anonymous, channel) = lone_channel(rng);
    let outcome = if rng.chance(0.85) { LoneOutcome::Refuse } else { LoneOutcome::Transfer };
    LoneReport { unit, received, channel, anonymous, extended: None, decided: None, outcome, rating: None }
}

/// Which examination a crime calls for.
pub(crate) fn examination_kind(rng: &mut Rng, crime: &Crime) -> ExaminationKind {
    use crate::crimes::Kind;
    match crime.kind {
        Kind::Narcotics => ExaminationKind::NarcoticsChemistry,
        Kind::Firearms => ExaminationKind::Ballistics,
        Kind::Computer | Kind::Fraud => ExaminationKind::Digital,
        Kind::Murder | Kind::SeriousHarm => *rng.pick(&[ExaminationKind::Dna, ExaminationKind::Traces]),
        _ => *rng.pick(&[ExaminationKind::Fingerprints, ExaminationKind::Traces, ExaminationKind::Handwriting]),
    }
}

/// A forensic examination requested after registration and done within
/// weeks (awaited still, or hurried, when the data set ends first, as
/// `reach` says); about a third identify someone.
pub(crate) fn examination(rng: &mut Rng, crime: &Crime, registered: Local, reach: Reach) -> Option<Examination> {
    let requested = registered.after(rng, 0, 4, reach.end)?;
    let done = reach.after(rng, requested, 2, 20).map(|d| (d, rng.chance(0.35)));
    Some(Examination { kind: examination_kind(rng, crime), requested, done })
}
