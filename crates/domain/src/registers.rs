//! The other registers the figures need: narcotics seizures, persons held
//! accountable, traffic accidents and forensic examinations.

use crate::context::Context;
use crate::error::{Checks, Violation};
use crate::person::Fin;
use crate::units::UnitCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewSeizure {
    pub unit: UnitCode,
    #[serde(default)]
    pub case_id: Option<Uuid>,
    /// e.g. heroin, marijuana, methamphetamine.
    pub substance: String,
    /// Net weight in grams (1,329 kg is 1,329,000 g).
    pub net_grams: i64,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub seized_at: DateTime<Utc>,
}

pub type Seizure = Registered<NewSeizure>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Liability {
    Criminal,
    Administrative,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAccountability {
    pub unit: UnitCode,
    pub full_name: String,
    #[serde(default)]
    pub fin: Option<Fin>,
    pub liability: Liability,
    /// The article of the Criminal Code or of the Code of Administrative Offences.
    pub offence: String,
    #[serde(default)]
    pub narcotics: bool,
    #[serde(default)]
    pub case_id: Option<Uuid>,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub decided_at: DateTime<Utc>,
}

pub type Accountability = Registered<NewAccountability>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAccident {
    pub unit: UnitCode,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub occurred_at: DateTime<Utc>,
    #[serde(default)]
    pub place: crate::case::Place,
    pub killed: i64,
    pub injured: i64,
    pub cause: String,
}

impl Eq for NewAccident {}

pub type Accident = Registered<NewAccident>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExaminationKind {
    Fingerprints,
    Dna,
    Ballistics,
    Digital,
    Handwriting,
    NarcoticsChemistry,
    Traces,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewExamination {
    pub unit: UnitCode,
    pub case_id: Uuid,
    pub kind: ExaminationKind,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub requested_at: DateTime<Utc>,
    #[serde(default)]
    pub question: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CompleteExamination {
    pub examination_id: Uuid,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub done_at: DateTime<Utc>,
    pub result: String,
    /// Whether the examination identified a person.
    pub identified_person: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExaminationResult {
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub done_at: DateTime<Utc>,
    pub result: String,
    pub identified_person: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Examination {
    pub id: Uuid,
    pub number: String,
    pub request: NewExamination,
    pub result: Option<ExaminationResult>,
}

/// A simple register entry: what was typed, plus its id and register number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Registered<T> {
    pub id: Uuid,
    pub number: String,
    pub entry: T,
}

pub(crate) fn check_seizure(s: &NewSeizure, ctx: &Context, checks: &mut Checks) {
    checks.absorb(ctx.units.require("unit", &s.unit));
    checks.check(s.net_grams > 0, || Violation::new("net_grams", "amount.not_positive"));
    ctx.check_text(checks, "substance", &s.substance, 200);
    ctx.check_not_future(checks, "seized_at", s.seized_at);
}

pub(crate) fn check_accountability(a: &NewAccountability, ctx: &Context, checks: &mut Checks) {
    checks.absorb(ctx.units.require("unit", &a.unit));
    ctx.check_text(checks, "full_name", &a.full_name, 200);
    ctx.check_text(checks, "offence", &a.offence, 200);
    ctx.check_not_future(checks, "decided_at", a.decided_at);
}

pub(crate) fn check_accident(a: &NewAccident, ctx: &Context, checks: &mut Checks) {
    checks.absorb(ctx.units.require("unit", &a.unit));
    checks.check(a.killed >= 0, || Violation::new("killed", "amount.negative"));
    checks.check(a.injured >= 0, || Violation::new("injured", "amount.negative"));
    ctx.check_text(checks, "cause", &a.cause, 500);
    ctx.check_not_future(checks, "occurred_at", a.occurred_at);
}

pub(crate) fn check_examination(e: &NewExamination, ctx: &Context, checks: &mut Checks) {
    checks.absorb(ctx.units.require("unit", &e.unit));
    ctx.check_not_future(checks, "requested_at", e.requested_at);
    checks.check(e.question.chars().count() <= 4000, || Violation::new("question", "text.too_long").with("max", 4000));
}

pub(crate) fn check_completion(e: &Examination, c: &CompleteExamination, ctx: &Context, checks: &mut Checks) {
    checks.check(e.result.is_none(), || Violation::new("examination_id", "examination.already_done"));
    checks.check(c.done_at >= e.request.requested_at, || {
        Violation::new("done_at", "date.before_registration").with("registered", e.request.requested_at)
    });
    ctx.check_not_future(checks, "done_at", c.done_at);
    ctx.check_text(checks, "result", &c.result, 8000);
}
