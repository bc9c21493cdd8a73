//! Acts that come late: a report registered longer after its receipt than the
//! installation's rules allow (`[registration] late_after_hours`), or an act
//! that changes a figure already published. Either needs a reason from the
//! rules' fixed list (`[[registration.late_reason]]`) and a text, given with
//! the act's envelope ([`StatedReason`]) and kept in the act
//! (`Assigned::late`), so what the act changed says why it came late.

use crate::context::Context;
use crate::error::{Checks, Violation};
use crate::report::NewReport;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest text a reason may have.
pub const MAX_TEXT: usize = 2000;

/// Why an act comes late, as the user states it: a code of the rules' list
/// and the circumstances in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StatedReason {
    /// A code of the installation's `[[registration.late_reason]]` list.
    pub reason: String,
    pub text: String,
}

/// The reason a late act was recorded with, kept in the act; for a late
/// registration, how many whole hours after its receipt the report was
/// registered (derived by the system, never typed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Late {
    pub reason: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_after_receipt: Option<i64>,
}

/// How many whole hours after its receipt a report is registered at `now`,
/// when that is beyond the rules' limit; None within it, for a report a
/// source system registered (an import keeps its source's registration) or
/// under rules that set no limit.
pub fn late_registration(r: &NewReport, ctx: &Context) -> Option<i64> {
    let limit = ctx.rules.registration.as_ref()?.late_after_hours;
    if r.source.is_some() {
        return None;
    }
    let hours = hours_between(r.received_at, ctx.now);
    (hours > i64::from(limit)).then_some(hours)
}

fn hours_between(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    (to - from).num_hours()
}

/// The refusal of a late registration given no reason: the limit and the
/// time of receipt, at the reason's field.
pub fn registration_needs_reason(r: &NewReport, ctx: &Context) -> Violation {
    let limit = ctx.rules.registration.as_ref().map_or(0, |g| g.late_after_hours);
    Violation::new("late.reason", "registration.late").with("hours", limit).with("received_at", r.received_at)
}

/// Checks a stated reason: a code of the rules' list and a text.
pub fn check_stated(stated: &StatedReason, ctx: &Context, checks: &mut Checks) {
    let known = ctx.rules.registration.as_ref().is_some_and(|g| g.late_reasons.iter().any(|r| r.code == stated.reason));
    checks.check(known, || Violation::new("late.reason", "late.unknown_reason").with("reason", &stated.reason));
    ctx.check_text(checks, "late.text", &stated.text, MAX_TEXT);
}

/// A reason given for an act that is neither late nor changes a published figure.
pub fn not_needed() -> Violation {
    Violation::new("late", "late.not_needed")
}

/// What the act keeps of a stated reason.
pub fn kept(stated: &StatedReason, hours_after_receipt: Option<i64>) -> Late {
    Late { reason: stated.reason.clone(), text: stated.text.trim().to_string(), hours_after_receipt }
}
