//! Criminal cases: the articles they are opened under, the flags the Board
//! counts, their persons and money, and their procedural history. A change of
//! article is a reclassification act with a reason, never an edit.

use crate::catalogue::{ArticleRef, Classification, Gravity, Tag};
use crate::context::Context;
use crate::error::{Checks, Violation};
use crate::person::{Person, PersonInput};
use crate::source::{self, SourceRef};
use crate::units::{Agency, UnitCode};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Place {
    #[serde(default)]
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
}

impl Eq for Place {}

/// The circumstances the Board counts, as typed by the investigator.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseFlags {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub it_enabled: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub group: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub family_conflict: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub public_place: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub intoxication: bool,
    /// Perpetrator unknown at registration ("non-obvious circumstances").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub non_obvious: bool,
    /// Derived from the suspects' dates of birth; giving it is an error.
    #[serde(default, skip_serializing)]
    pub minor: Option<bool>,
}

impl CaseFlags {
    /// The flags' names, as forms, lists and search keys use them, in the
    /// order of [`CaseFlags::values`].
    pub const NAMES: [&'static str; 6] =
        ["it_enabled", "group", "family_conflict", "public_place", "intoxication", "non_obvious"];

    fn values(&self) -> [bool; 6] {
        [self.it_enabled, self.group, self.family_conflict, self.public_place, self.intoxication, self.non_obvious]
    }

    /// The names of the flags that are set.
    pub fn set_names(&self) -> Vec<&'static str> {
        Self::NAMES.into_iter().zip(self.values()).filter(|(_, set)| *set).map(|(name, _)| name).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCase {
    pub unit: UnitCode,
    pub agency: Agency,
    /// The reports the case is opened from; empty only when detected by the police.
    #[serde(default)]
    pub report_ids: Vec<Uuid>,
    #[serde(default)]
    pub detected_by_police: bool,
    pub articles: Vec<ArticleRef>,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub occurred_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub registered_at: DateTime<Utc>,
    #[serde(default)]
    pub place: Place,
    #[serde(default)]
    pub flags: CaseFlags,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub persons: Vec<PersonInput>,
    /// Why the reports' decision comes after their deadline, if it does.
    #[serde(default)]
    pub late_reason: Option<String>,
    /// The source system's own classification, verbatim (e.g. "Vehicle crime"),
    /// shown and counted beside the articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Where an imported case comes from; an identity is imported once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AddPerson {
    pub case_id: Uuid,
    pub person: PersonInput,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Reclassify {
    pub case_id: Uuid,
    pub articles: Vec<ArticleRef>,
    pub reason: String,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub decided_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ForensicMethod {
    Fingerprints,
    Dna,
    Ballistics,
    Digital,
    Handwriting,
    NarcoticsChemistry,
    Traces,
    Video,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Procedural {
    /// The perpetrator is identified.
    Solved {
        how: String,
        #[serde(default)]
        forensic_methods: Vec<ForensicMethod>,
    },
    /// Suspended because the perpetrator is not identified.
    Suspended,
    Resumed,
    Terminated {
        ground: String,
    },
    SentToCourt,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseDecision {
    pub case_id: Uuid,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub decided_at: DateTime<Utc>,
    pub decision: Procedural,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RecordDamage {
    pub case_id: Uuid,
    /// Material damage in qəpik (1 manat = 100 qəpik).
    pub amount_qepik: i64,
    /// The victim, when the damage is theirs (a person of the case).
    #[serde(default)]
    pub victim_id: Option<Uuid>,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub assessed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Reimburse {
    pub case_id: Uuid,
    pub amount_qepik: i64,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub reimbursed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Investigating,
    Solved,
    Suspended,
    Terminated,
    SentToCourt,
}

impl CaseStatus {
    /// The status as stored and filtered by: its serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Investigating => "investigating",
            CaseStatus::Solved => "solved",
            CaseStatus::Suspended => "suspended",
            CaseStatus::Terminated => "terminated",
            CaseStatus::SentToCourt => "sent_to_court",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    pub amount_qepik: i64,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub victim_id: Option<Uuid>,
    /// The freeze request a reimbursement is money returned from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freeze_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub at: DateTime<Utc>,
    pub decision: Procedural,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reclassification {
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub at: DateTime<Utc>,
    pub from: Vec<ArticleRef>,
    pub to: Vec<ArticleRef>,
    pub reason: String,
    /// Which way it moved the case, under the catalogue in force on the day
    /// of the crime; none when it moved neither way or the catalogue has no gravity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
}

/// Which way a reclassification moved a case: to a lighter or a heavier
/// heaviest article (docs/jurisdiction.md, "reclassified").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Down,
    Up,
}

/// How heavy a list of articles is: its heaviest article's gravity and,
/// between articles of one gravity, the longest maximum penalty (life above
/// any term). None under a catalogue without gravity or for an unknown article.
fn weight(articles: &[ArticleRef], day: NaiveDate, catalogue: &crate::catalogue::Catalogue) -> Option<(Gravity, u32)> {
    let thresholds = catalogue.gravity.as_ref()?;
    let mut heaviest = None;
    for a in articles {
        let max = catalogue.entry("articles", a, day).ok()?.max_penalty?;
        let months = match max {
            crate::catalogue::MaxPenalty::Months(m) => m,
            crate::catalogue::MaxPenalty::Life => u32::MAX,
        };
        heaviest = heaviest.max(Some((thresholds.classify(max), months)));
    }
    heaviest
}

/// The direction from `from` to `to`: down to a lighter gravity (or, of
/// equal gravity, a shorter maximum penalty), up to a heavier one.
pub fn direction(
    from: &[ArticleRef],
    to: &[ArticleRef],
    day: NaiveDate,
    catalogue: &crate::catalogue::Catalogue,
) -> Option<Direction> {
    let (before, after) = (weight(from, day, catalogue)?, weight(to, day, catalogue)?);
    match after.cmp(&before) {
        std::cmp::Ordering::Less => Some(Direction::Down),
        std::cmp::Ordering::Greater => Some(Direction::Up),
        std::cmp::Ordering::Equal => None,
    }
}

/// A case as it stands after its acts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CriminalCase {
    pub id: Uuid,
    pub number: String,
    pub unit: UnitCode,
    pub agency: Agency,
    pub report_ids: Vec<Uuid>,
    pub detected_by_police: bool,
    pub articles: Vec<ArticleRef>,
    /// The gravest class among the articles, under the catalogue in force on
    /// the day of the crime; none under a catalogue without gravity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gravity: Option<Gravity>,
    /// Every Board category of any of the articles.
    pub tags: Vec<Tag>,
    /// The amounts (qəpik) above which any of its articles would be a
    /// heavier one, least first, as the catalogue gives them on the day of
    /// the crime: what `amount_below_threshold_pct` compares its damage with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amount_thresholds_qepik: Vec<i64>,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub occurred_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub registered_at: DateTime<Utc>,
    pub place: Place,
    pub flags: CaseFlags,
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub persons: Vec<Person>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub damage: Vec<Money>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reimbursements: Vec<Money>,
    pub status: CaseStatus,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "crate::iso8601::serialize_option")]
    pub solved_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forensic_methods: Vec<ForensicMethod>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<HistoryEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reclassifications: Vec<Reclassification>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
    /// Digital identifiers attached to the case by acts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<crate::identifier::Held>,
    /// Requests to cancel the recorded crime, oldest first, with their decisions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cancellations: Vec<crate::cancellation::Cancellation>,
}

impl CriminalCase {
    pub fn damage_qepik(&self) -> i64 {
        self.damage.iter().map(|m| m.amount_qepik).sum()
    }

    pub fn reimbursed_qepik(&self) -> i64 {
        self.reimbursements.iter().map(|m| m.amount_qepik).sum()
    }

    /// Whether any suspect or accused was under 18 on the day of the crime.
    pub fn by_minor(&self, rules: &crate::rules::Rules) -> bool {
        let day = rules.local_date(self.occurred_at);
        self.persons.iter().any(|p| p.input.role.is_offender() && p.minor_on(day) == Some(true))
    }

    pub fn by_previously_convicted(&self) -> bool {
        self.persons.iter().any(|p| p.input.role.is_offender() && p.input.previously_convicted)
    }

    /// Rules that must hold whatever acts led here; checked again after an annulment.
    pub fn check_invariants(&self, checks: &mut Checks) {
        let damage = self.damage_qepik();
        let reimbursed = self.reimbursed_qepik();
        checks.check(reimbursed <= damage, || {
            Violation::new("amount_qepik", "reimbursement.exceeds_damage")
                .with("damage", damage)
                .with("reimbursed", reimbursed)
        });
        checks.check(self.articles.iter().len() > 0, || Violation::new("articles", "case.no_article"));
    }
}

/// Classifies a list of articles on the day of the crime: every article must
/// be known and in force; the case takes the gravest class, all tags and
/// every amount threshold of any article.
pub(crate) fn classify(
    articles: &[ArticleRef],
    occurred_on: NaiveDate,
    ctx: &Context,
    checks: &mut Checks,
) -> Option<Classification> {
    if articles.is_empty() {
        checks.push(Violation::new("articles", "case.no_article"));
        return None;
    }
    let mut all = Classification { gravity: None, tags: Vec::new(), amount_thresholds_qepik: Vec::new() };
    let mut ok = true;
    for (i, a) in articles.iter().enumerate() {
        match ctx.catalogue.classify(&format!("articles[{i}]"), a, occurred_on) {
            Ok(c) => {
                all.gravity = all.gravity.max(c.gravity);
                all.tags.extend(c.tags);
                all.amount_thresholds_qepik.extend(c.amount_thresholds_qepik);
            }
            Err(v) => {
                checks.push(v);
                ok = false;
            }
        }
    }
    // In the catalogue's order, so the stored state does not depend on the articles' order.
    all.tags.sort_by_key(|t| ctx.catalogue.tag_rank(t));
    all.tags.dedup();
    all.amount_thresholds_qepik.sort_unstable();
    all.amount_thresholds_qepik.dedup();
    ok.then_some(all)
}

pub(crate) fn check_new(c: &NewCase, ctx: &Context, checks: &mut Checks) {
    checks.absorb(ctx.units.require("unit", &c.unit));
    ctx.check_not_future(checks, "registered_at", c.registered_at);
    ctx.check_not_future(checks, "occurred_at", c.occurred_at);
    checks.check(c.occurred_at <= c.registered_at, || {
        Violation::new("occurred_at", "date.after_registration").with("registered", c.registered_at)
    });
    checks.check(c.flags.minor.is_none(), || Violation::new("flags.minor", "field.derived").with("from", "birth_date"));
    checks.check(!c.report_ids.is_empty() || c.detected_by_police, || {
        Violation::new("report_ids", "case.no_report_not_detected")
    });
    ctx.check_text(checks, "description", &c.description, 8000);
    source::check_category(c.category.as_deref(), checks);
    if let Some(s) = &c.source {
        s.check("source", checks);
    }
    check_place(&c.place, checks);
    for (i, p) in c.persons.iter().enumerate() {
        p.check(&format!("persons[{i}]"), ctx.today(), checks);
    }
    classify(&c.articles, ctx.rules.local_date(c.occurred_at), ctx, checks);
}

fn check_place(p: &Place, checks: &mut Checks) {
    if let Some(lat) = p.latitude {
        checks.check((-90.0..=90.0).contains(&lat), || {
            Violation::new("place.latitude", "number.range").with("min", -90).with("max", 90)
        });
    }
    if let Some(lon) = p.longitude {
        checks.check((-180.0..=180.0).contains(&lon), || {
            Violation::new("place.longitude", "number.range").with("min", -180).with("max", 180)
        });
    }
    checks.check(p.latitude.is_some() == p.longitude.is_some(), || Violation::new("place", "place.both_coordinates"));
    checks
        .check(p.address.chars().count() <= 500, || Violation::new("place.address", "text.too_long").with("max", 500));
}

pub(crate) fn open(id: Uuid, number: &str, person_ids: &[Uuid], c: &NewCase, ctx: &Context) -> CriminalCase {
    let mut ignored = Checks::default();
    let Classification { gravity, tags, amount_thresholds_qepik } =
        classify(&c.articles, ctx.rules.local_date(c.occurred_at), ctx, &mut ignored).unwrap_or(Classification {
            gravity: None,
            tags: Vec::new(),
            amount_thresholds_qepik: Vec::new(),
        });
    CriminalCase {
        id,
        number: number.to_string(),
        unit: c.unit.clone(),
        agency: c.agency,
        report_ids: c.report_ids.clone(),
        detected_by_police: c.detected_by_police,
        articles: c.articles.clone(),
        gravity,
        tags,
        amount_thresholds_qepik,
        occurred_at: c.occurred_at,
        registered_at: c.registered_at,
        place: c.place.clone(),
        flags: CaseFlags { minor: None, ..c.flags.clone() },
        description: c.description.trim().to_string(),
        persons: c
            .persons
            .iter()
            .zip(person_ids)
            .map(|(p, id)| Person { id: *id, input: p.clone(), identifiers: Vec::new() })
            .collect(),
        damage: Vec::new(),
        reimbursements: Vec::new(),
        status: CaseStatus::Investigating,
        solved_at: None,
        forensic_methods: Vec::new(),
        history: Vec::new(),
        reclassifications: Vec::new(),
        category: c.category.clone(),
        source: c.source.clone(),
        identifiers: Vec::new(),
        cancellations: Vec::new(),
    }
}

pub(crate) fn check_reclassify(case: &CriminalCase, r: &Reclassify, ctx: &Context, checks: &mut Checks) {
    checks.check(!r.reason.trim().is_empty(), || Violation::new("reason", "text.required"));
    checks.check(r.articles != case.articles, || Violation::new("articles", "reclassify.same_articles"));
    check_not_before_registration(case, "decided_at", r.decided_at, checks);
    ctx.check_not_future(checks, "decided_at", r.decided_at);
    classify(&r.articles, ctx.rules.local_date(case.occurred_at), ctx, checks);
}

pub(crate) fn reclassify(case: &mut CriminalCase, r: &Reclassify, ctx: &Context) {
    let mut ignored = Checks::default();
    if let Some(c) = classify(&r.articles, ctx.rules.local_date(case.occurred_at), ctx, &mut ignored) {
        case.gravity = c.gravity;
        case.tags = c.tags;
        case.amount_thresholds_qepik = c.amount_thresholds_qepik;
    }
    let day = ctx.rules.local_date(case.occurred_at);
    case.reclassifications.push(Reclassification {
        at: r.decided_at,
        from: case.articles.clone(),
        to: r.articles.clone(),
        reason: r.reason.trim().to_string(),
        direction: direction(&case.articles, &r.articles, day, ctx.catalogue),
    });
    case.articles = r.articles.clone();
}

fn check_not_before_registration(case: &CriminalCase, field: &str, at: DateTime<Utc>, checks: &mut Checks) {
    checks.check(at >= case.registered_at, || {
        Violation::new(field, "date.before_registration").with("registered", case.registered_at)
    });
}

/// Which procedural decisions may follow which state.
fn allowed(from: CaseStatus, decision: &Procedural) -> bool {
    use CaseStatus as S;
    match decision {
        Procedural::Solved { .. } => from == S::Investigating,
        Procedural::Suspended => from == S::Investigating,
        Procedural::Resumed => matches!(from, S::Suspended | S::Terminated),
        Procedural::Terminated { .. } => matches!(from, S::Investigating | S::Suspended | S::Solved),
        Procedural::SentToCourt => from == S::Solved,
    }
}

pub(crate) fn check_decision(case: &CriminalCase, d: &CaseDecision, ctx: &Context, checks: &mut Checks) {
    check_not_before_registration(case, "decided_at", d.decided_at, checks);
    ctx.check_not_future(checks, "decided_at", d.decided_at);
    if let Some(last) = case.history.last() {
        checks.check(d.decided_at >= last.at, || {
            Violation::new("decided_at", "date.before_previous_decision").with("previous", last.at)
        });
    }
    checks.check(allowed(case.status, &d.decision), || {
        Violation::new("decision", "case.transition_not_allowed").with("status", format!("{:?}", case.status))
    });
    match &d.decision {
        Procedural::Solved { how, .. } => {
            checks.check(!how.trim().is_empty(), || Violation::new("decision.how", "text.required"))
        }
        Procedural::Terminated { ground } => {
            checks.check(!ground.trim().is_empty(), || Violation::new("decision.ground", "text.required"))
        }
        _ => {}
    }
    if matches!(d.decision, Procedural::Solved { .. } | Procedural::SentToCourt) {
        checks.check(case.persons.iter().any(|p| p.input.role.is_offender()), || {
            Violation::new("decision", "case.solved_needs_suspect")
        });
    }
}

pub(crate) fn decide(case: &mut CriminalCase, d: &CaseDecision) {
    case.status = match &d.decision {
        Procedural::Solved { forensic_methods, .. } => {
            case.solved_at = Some(d.decided_at);
            case.forensic_methods = forensic_methods.clone();
            CaseStatus::Solved
        }
        Procedural::Suspended => CaseStatus::Suspended,
        Procedural::Resumed => CaseStatus::Investigating,
        Procedural::Terminated { .. } => CaseStatus::Terminated,
        Procedural::SentToCourt => CaseStatus::SentToCourt,
    };
    case.history.push(HistoryEntry { at: d.decided_at, decision: d.decision.clone() });
}

pub(crate) fn check_damage(case: &CriminalCase, d: &RecordDamage, ctx: &Context, checks: &mut Checks) {
    checks.check(d.amount_qepik > 0, || Violation::new("amount_qepik", "amount.not_positive"));
    ctx.check_not_future(checks, "assessed_at", d.assessed_at);
    check_not_before_registration(case, "assessed_at", d.assessed_at, checks);
    if let Some(v) = d.victim_id {
        checks
            .check(case.persons.iter().any(|p| p.id == v && p.input.role == crate::person::PersonRole::Victim), || {
                Violation::new("victim_id", "case.not_a_victim_of_case")
            });
    }
}

pub(crate) fn check_reimbursement(case: &CriminalCase, r: &Reimburse, ctx: &Context, checks: &mut Checks) {
    checks.check(r.amount_qepik > 0, || Violation::new("amount_qepik", "amount.not_positive"));
    ctx.check_not_future(checks, "reimbursed_at", r.reimbursed_at);
    check_not_before_registration(case, "reimbursed_at", r.reimbursed_at, checks);
    let after = case.reimbursed_qepik().saturating_add(r.amount_qepik);
    checks.check(after <= case.damage_qepik(), || {
        Violation::new("amount_qepik", "reimbursement.exceeds_damage")
            .with("damage", case.damage_qepik())
            .with("reimbursed", after)
    });
}
