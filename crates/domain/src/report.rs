//! Crime reports ("müraciət"): registered at once, whatever the channel, with
//! a register number and a receipt; each gets exactly one decision within a
//! statutory deadline that only a recorded extension may move.

use crate::context::Context;
use crate::error::{Checks, Violation};
use crate::late::Late;
use crate::person::{Person, PersonInput, PersonRole};
use crate::rules::{Authority, Procedure};
use crate::source::{self, SourceRef};
use crate::units::UnitCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    InPerson,
    Line102,
    Written,
    Online,
    Referral,
    DetectedByPolice,
}

/// What a duty officer types when a report comes in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    pub unit: UnitCode,
    #[serde(default = "crime_report")]
    pub procedure: Procedure,
    pub channel: Channel,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub received_at: DateTime<Utc>,
    /// The officer who received it (service number or name).
    pub officer: String,
    /// None for anonymous information.
    #[serde(default)]
    pub applicant: Option<PersonInput>,
    pub summary: String,
    /// The source system's own classification, verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Where an imported report comes from; an identity is imported once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

fn crime_report() -> Procedure {
    Procedure::CrimeReport
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExtendCheck {
    pub report_id: Uuid,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub granted_at: DateTime<Utc>,
    pub granted_by: Authority,
    /// The chief's order or the prosecutor's consent that grants it.
    pub reference: String,
}

/// The one decision a report gets, other than opening a case (which the
/// `open_case` act records for every report it names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ReportOutcome {
    OpenCase { case_id: Uuid },
    Refuse { ground: String },
    Transfer { to_body: String },
    Attach { case_id: Uuid },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecideReport {
    pub report_id: Uuid,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub decided_at: DateTime<Utc>,
    pub outcome: ReportOutcome,
    /// Why a decision comes after the deadline; required then, refused before.
    #[serde(default)]
    pub late_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RateHandling {
    pub report_id: Uuid,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub rated_at: DateTime<Utc>,
    /// 1 (very dissatisfied) to 5 (very satisfied).
    pub score: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantedExtension {
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub granted_at: DateTime<Utc>,
    pub granted_by: Authority,
    pub reference: String,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub new_deadline: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub decided_at: DateTime<Utc>,
    pub outcome: ReportOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_reason: Option<String>,
    /// Whether it came after the deadline then in force.
    pub late: bool,
}

/// A report as it stands after its acts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrimeReport {
    pub id: Uuid,
    pub register_no: String,
    pub receipt_no: String,
    pub unit: UnitCode,
    pub procedure: Procedure,
    pub channel: Channel,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub received_at: DateTime<Utc>,
    pub officer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicant: Option<Person>,
    pub summary: String,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub deadline: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<GrantedExtension>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
    /// The citizen's appeal it was registered from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appeal_id: Option<Uuid>,
    /// Registered longer after its receipt than the rules allow: the reason
    /// given and how many hours after receipt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_registration: Option<Late>,
    /// Digital identifiers attached to the report by acts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<crate::identifier::Held>,
}

impl CrimeReport {
    pub fn is_anonymous(&self) -> bool {
        self.applicant.is_none()
    }

    pub fn status(&self) -> &'static str {
        match &self.decision {
            None => "awaiting_decision",
            Some(d) => match d.outcome {
                ReportOutcome::OpenCase { .. } => "case_opened",
                ReportOutcome::Refuse { .. } => "refused",
                ReportOutcome::Transfer { .. } => "transferred",
                ReportOutcome::Attach { .. } => "attached",
            },
        }
    }

    /// Checks a decision taken at `at`: one decision only, not before receipt,
    /// and after the deadline only with a stated reason.
    pub fn check_decision(&self, field: &str, at: DateTime<Utc>, late_reason: Option<&str>, checks: &mut Checks) {
        if self.decision.is_some() {
            checks.push(Violation::new(field, "report.already_decided").with("register_no", &self.register_no));
            return;
        }
        checks.check(at >= self.received_at, || {
            Violation::new("decided_at", "date.before_registration").with("registered", self.received_at)
        });
        let late = at >= self.deadline;
        let reason_given = late_reason.is_some_and(|r| !r.trim().is_empty());
        checks.check(!late || reason_given, || {
            Violation::new("decided_at", "report.deadline_passed").with("deadline", self.deadline)
        });
        checks.check(late || late_reason.is_none(), || Violation::new("late_reason", "report.not_late"));
    }

    pub(crate) fn decide(&mut self, at: DateTime<Utc>, outcome: ReportOutcome, late_reason: Option<String>) {
        let late = at >= self.deadline;
        self.decision = Some(Decision { decided_at: at, outcome, late_reason, late });
    }
}

pub(crate) fn check_new(r: &NewReport, ctx: &Context, checks: &mut Checks) {
    checks.absorb(ctx.units.require("unit", &r.unit));
    ctx.check_not_future(checks, "received_at", r.received_at);
    checks.check(!r.officer.trim().is_empty(), || Violation::new("officer", "text.required"));
    ctx.check_text(checks, "summary", &r.summary, 4000);
    source::check_category(r.category.as_deref(), checks);
    if let Some(s) = &r.source {
        s.check("source", checks);
    }
    if let Some(a) = &r.applicant {
        a.check("applicant", ctx.today(), checks);
        checks.check(a.role == PersonRole::Applicant, || {
            Violation::new("applicant.role", "person.role_must_be_applicant")
        });
    }
    checks.check(r.applicant.is_some() || r.channel != Channel::InPerson, || {
        Violation::new("applicant", "report.in_person_needs_applicant")
    });
    if let Err(v) = ctx.rules.deadline(r.procedure, r.received_at, 0) {
        checks.push(v);
    }
}

pub(crate) fn register(
    id: Uuid,
    register_no: &str,
    applicant_id: Uuid,
    r: &NewReport,
    late_registration: Option<Late>,
    ctx: &Context,
) -> CrimeReport {
    let deadline = ctx.rules.deadline(r.procedure, r.received_at, 0).expect("checked before");
    CrimeReport {
        id,
        register_no: register_no.to_string(),
        receipt_no: receipt_no(register_no),
        unit: r.unit.clone(),
        procedure: r.procedure,
        channel: r.channel,
        received_at: r.received_at,
        officer: r.officer.trim().to_string(),
        applicant: r.applicant.clone().map(|input| Person { id: applicant_id, input, identifiers: Vec::new() }),
        summary: r.summary.trim().to_string(),
        deadline,
        extensions: Vec::new(),
        decision: None,
        satisfaction: None,
        category: r.category.clone(),
        source: r.source.clone(),
        appeal_id: None,
        late_registration,
        identifiers: Vec::new(),
    }
}

/// The receipt handed to the applicant carries the register number and a
/// check digit, so a mistyped receipt is caught when the applicant quotes it.
pub fn receipt_no(register_no: &str) -> String {
    let sum: u32 = register_no.bytes().enumerate().map(|(i, b)| (i as u32 + 1) * u32::from(b)).sum();
    format!("Q-{register_no}-{}", sum % 10)
}

pub(crate) fn check_extension(r: &CrimeReport, e: &ExtendCheck, ctx: &Context, checks: &mut Checks) {
    checks.check(r.decision.is_none(), || Violation::new("report_id", "report.already_decided"));
    ctx.check_not_future(checks, "granted_at", e.granted_at);
    checks.check(e.granted_at < r.deadline, || {
        Violation::new("granted_at", "extension.after_deadline").with("deadline", r.deadline)
    });
    checks.check(!e.reference.trim().is_empty(), || Violation::new("reference", "text.required"));
    let allowed = ctx.rules.extensions(r.procedure, r.received_at);
    match allowed.get(r.extensions.len()) {
        None => {
            checks.push(Violation::new("report_id", "deadline.no_further_extension").with("allowed", allowed.len()))
        }
        Some(next) => checks.check(next.granted_by == e.granted_by, || {
            Violation::new("granted_by", "extension.wrong_authority").with("required", format!("{:?}", next.granted_by))
        }),
    }
}

pub(crate) fn extend(r: &mut CrimeReport, e: &ExtendCheck, ctx: &Context) {
    let level = r.extensions.len() + 1;
    let new_deadline = ctx.rules.deadline(r.procedure, r.received_at, level).unwrap_or(r.deadline);
    r.extensions.push(GrantedExtension {
        granted_at: e.granted_at,
        granted_by: e.granted_by,
        reference: e.reference.clone(),
        new_deadline,
    });
    r.deadline = new_deadline;
}

pub(crate) fn check_rating(r: &CrimeReport, rate: &RateHandling, ctx: &Context, checks: &mut Checks) {
    checks
        .check((1..=5).contains(&rate.score), || Violation::new("score", "number.range").with("min", 1).with("max", 5));
    checks.check(r.decision.is_some(), || Violation::new("report_id", "report.not_decided"));
    checks.check(r.applicant.is_some(), || Violation::new("report_id", "report.anonymous"));
    checks.check(r.satisfaction.is_none(), || Violation::new("report_id", "report.already_rated"));
    ctx.check_not_future(checks, "rated_at", rate.rated_at);
}
