//! Cancelling a recorded crime (docs/integrity.md, "Cancellations"). A
//! recorded crime is a criminal case: what the counters count as crimes
//! recorded. It may be cancelled only on a ground of the rules' fixed list
//! (`[cancellation] ground`), shown by evidence described in the request,
//! and only when a second person approves (`second_approver`): anyone but
//! the requester, or, under `outside_unit`, someone whose home unit lies
//! above the crime's unit. The victim must have been told before the
//! approval, which records how and when. An approved cancellation takes the
//! case out of the crimes recorded (the counting rules' `cancelled` filter);
//! annulling the approval puts it back.

use crate::access::{Principal, Role};
use crate::case::CriminalCase;
use crate::context::Context;
use crate::error::{Checks, Violation};
use crate::units::{Names, UnitCode, UnitTree};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use uuid::Uuid;

/// The longest text a request, its evidence or an approver's note may have.
pub const MAX_TEXT: usize = 4000;

/// Who must approve a cancellation besides the one who asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecondApprover {
    /// Someone whose home unit lies above the crime's unit (a city's or the
    /// country's headquarters), never the requester.
    OutsideUnit,
    /// Anyone permitted but the requester.
    AnyOther,
    /// The requester may approve their own request.
    None,
}

/// A ground a cancellation may be asked on, named in the installation's languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ground {
    pub code: String,
    pub name: Names,
}

/// The rules' `[cancellation]` table, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancellationRules {
    pub second_approver: SecondApprover,
    /// The fixed list, in the order the rules give it.
    pub grounds: Vec<Ground>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CancellationFile {
    second_approver: SecondApprover,
    #[serde(default)]
    ground: Vec<Ground>,
}

impl CancellationFile {
    /// A non-empty list of distinct codes, each with a name.
    pub(crate) fn check(self) -> Result<CancellationRules, String> {
        if self.ground.is_empty() {
            return Err("cancellation.ground: list at least one ground a cancellation may be asked on".into());
        }
        let mut seen = BTreeSet::new();
        for (i, g) in self.ground.iter().enumerate() {
            if g.code.is_empty() || !g.code.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                return Err(format!("cancellation.ground[{i}].code: {:?} is not a code (a-z and _)", g.code));
            }
            if !seen.insert(g.code.as_str()) {
                return Err(format!("cancellation.ground[{i}].code: {:?} is listed twice", g.code));
            }
            if g.name.az.is_empty() && g.name.ru.is_empty() && g.name.en.is_empty() {
                return Err(format!("cancellation.ground[{i}].name: give a name in az, ru or en"));
            }
        }
        Ok(CancellationRules { second_approver: self.second_approver, grounds: self.ground })
    }
}

/// An investigator's request to cancel a recorded crime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RequestCancellation {
    pub case_id: Uuid,
    /// A code of the rules' `[[cancellation.ground]]` list.
    pub ground: String,
    pub text: String,
    /// The additional verifiable information the request rests on, described.
    pub evidence: String,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub requested_at: DateTime<Utc>,
}

/// How the victim was told that their crime is to be cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TellingMeans {
    Letter,
    Telephone,
    InPerson,
    Email,
}

impl TellingMeans {
    pub const ALL: [TellingMeans; 4] =
        [TellingMeans::Letter, TellingMeans::Telephone, TellingMeans::InPerson, TellingMeans::Email];

    pub fn as_str(self) -> &'static str {
        match self {
            TellingMeans::Letter => "letter",
            TellingMeans::Telephone => "telephone",
            TellingMeans::InPerson => "in_person",
            TellingMeans::Email => "email",
        }
    }
}

/// That the victim was told, how and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VictimTold {
    pub how: TellingMeans,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub at: DateTime<Utc>,
}

/// The second approver's decision on a pending request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecideCancellation {
    pub case_id: Uuid,
    pub approve: bool,
    pub note: String,
    /// Required to approve; kept when given with a refusal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub victim_told: Option<VictimTold>,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub decided_at: DateTime<Utc>,
}

/// A request as the case keeps it, with its decision once made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cancellation {
    pub ground: String,
    pub text: String,
    pub evidence: String,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub requested_at: DateTime<Utc>,
    pub requested_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<CancellationDecision>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancellationDecision {
    pub approved: bool,
    pub by: String,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub at: DateTime<Utc>,
    pub note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub victim_told: Option<VictimTold>,
}

impl Cancellation {
    pub fn is_pending(&self) -> bool {
        self.decision.is_none()
    }

    pub fn is_approved(&self) -> bool {
        self.decision.as_ref().is_some_and(|d| d.approved)
    }
}

impl CriminalCase {
    /// The request waiting for a decision, if any.
    pub fn pending_cancellation(&self) -> Option<&Cancellation> {
        self.cancellations.last().filter(|c| c.is_pending())
    }

    /// The approved cancellation that took the case out of the crimes recorded.
    pub fn cancellation(&self) -> Option<&Cancellation> {
        self.cancellations.iter().find(|c| c.is_approved())
    }

    /// When the cancellation was approved; none for a crime still recorded.
    pub fn cancelled_at(&self) -> Option<DateTime<Utc>> {
        self.cancellation().and_then(|c| c.decision.as_ref()).map(|d| d.at)
    }
}

pub(crate) fn check_request(case: &CriminalCase, r: &RequestCancellation, ctx: &Context, checks: &mut Checks) {
    let Some(rules) = &ctx.rules.cancellation else {
        checks.push(Violation::new("case_id", "cancellation.no_rule"));
        return;
    };
    checks.check(rules.grounds.iter().any(|g| g.code == r.ground), || {
        let known: Vec<&str> = rules.grounds.iter().map(|g| g.code.as_str()).collect();
        Violation::new("ground", "cancellation.unknown_ground").with("known", known.join(", "))
    });
    ctx.check_text(checks, "text", &r.text, MAX_TEXT);
    ctx.check_text(checks, "evidence", &r.evidence, MAX_TEXT);
    checks.check(case.cancellation().is_none(), || Violation::new("case_id", "cancellation.already_cancelled"));
    checks.check(case.pending_cancellation().is_none(), || Violation::new("case_id", "cancellation.pending"));
    checks.check(r.requested_at >= case.registered_at, || {
        Violation::new("requested_at", "date.before_registration").with("registered", case.registered_at)
    });
    ctx.check_not_future(checks, "requested_at", r.requested_at);
}

pub(crate) fn check_decision(case: &CriminalCase, d: &DecideCancellation, ctx: &Context, checks: &mut Checks) {
    let Some(pending) = case.pending_cancellation() else {
        checks.push(Violation::new("case_id", "cancellation.no_request"));
        return;
    };
    ctx.check_text(checks, "note", &d.note, MAX_TEXT);
    let requested = pending.requested_at;
    let not_before_request = |field: &str, at: DateTime<Utc>, checks: &mut Checks| {
        checks.check(at >= requested, || Violation::new(field, "date.before_request").with("requested", requested));
    };
    not_before_request("decided_at", d.decided_at, checks);
    ctx.check_not_future(checks, "decided_at", d.decided_at);
    match &d.victim_told {
        Some(told) => {
            not_before_request("victim_told.at", told.at, checks);
            checks.check(told.at <= d.decided_at, || {
                Violation::new("victim_told.at", "cancellation.told_after_decision").with("decided", d.decided_at)
            });
        }
        None => checks.check(!d.approve, || Violation::new("victim_told", "cancellation.victim_not_told")),
    }
}

/// Who asked, read from the act (`Assigned::by`): the login the journal names.
pub(crate) fn request(case: &mut CriminalCase, r: &RequestCancellation, by: &str) {
    case.cancellations.push(Cancellation {
        ground: r.ground.clone(),
        text: r.text.trim().to_string(),
        evidence: r.evidence.trim().to_string(),
        requested_at: r.requested_at,
        requested_by: by.to_string(),
        decision: None,
    });
}

pub(crate) fn decide(case: &mut CriminalCase, d: &DecideCancellation, by: &str) {
    if let Some(pending) = case.cancellations.last_mut().filter(|c| c.is_pending()) {
        pending.decision = Some(CancellationDecision {
            approved: d.approve,
            by: by.to_string(),
            at: d.decided_at,
            note: d.note.trim().to_string(),
            victim_told: d.victim_told.clone(),
        });
    }
}

/// The second-approver rule: whoever decides a request is not its requester
/// (unless the rules say `none`) and, under `outside_unit`, has a home unit
/// above the crime's unit, so the decision comes from outside the unit whose
/// figures it changes. The system (an import, the demo) records decisions
/// taken elsewhere and is not held to it.
pub fn check_approver(
    rule: SecondApprover,
    requester: &str,
    approver: &Principal,
    case_unit: &UnitCode,
    tree: &UnitTree,
) -> Result<(), Violation> {
    if approver.role == Role::System || rule == SecondApprover::None {
        return Ok(());
    }
    if approver.login == requester {
        return Err(Violation::new("approve", "cancellation.approver_is_requester").with("requester", requester));
    }
    let outside = approver.home != *case_unit && !tree.is_within(&approver.home, case_unit);
    if rule == SecondApprover::OutsideUnit && !outside {
        return Err(Violation::new("approve", "cancellation.approver_inside_unit")
            .with("unit", case_unit)
            .with("home", &approver.home));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chief(login: &str, home: &str) -> Principal {
        Principal {
            login: login.into(),
            role: Role::UnitChief,
            home: UnitCode::parse(home).unwrap(),
            grants: vec![],
            token_scope: None,
        }
    }

    fn rule_of(rule: SecondApprover, requester: &str, approver: &Principal) -> Option<String> {
        let nsm = UnitCode::parse("BAK-NSM").unwrap();
        check_approver(rule, requester, approver, &nsm, &crate::units::test_tree()).err().map(|v| v.rule)
    }

    #[test]
    fn outside_the_unit_is_a_home_unit_above_it_and_never_the_requester() {
        let inside = Some("cancellation.approver_inside_unit".to_string());
        let same = Some("cancellation.approver_is_requester".to_string());
        let rule = SecondApprover::OutsideUnit;
        assert_eq!(rule_of(rule, "inv", &chief("c1", "BAK")), None, "the city above");
        assert_eq!(rule_of(rule, "inv", &chief("c1", "AZ")), None, "the country above");
        assert_eq!(rule_of(rule, "inv", &chief("c1", "BAK-NSM")), inside, "the unit's own chief");
        assert_eq!(rule_of(rule, "c1", &chief("c1", "BAK")), same);
        assert_eq!(rule_of(SecondApprover::AnyOther, "inv", &chief("c1", "BAK-NSM")), None);
        assert_eq!(rule_of(SecondApprover::AnyOther, "c1", &chief("c1", "BAK")), same);
        assert_eq!(rule_of(SecondApprover::None, "c1", &chief("c1", "BAK-NSM")), None);
        let system = Principal::system("demo", UnitCode::parse("AZ").unwrap());
        assert_eq!(rule_of(rule, "demo", &system), None, "the system records decisions taken elsewhere");
    }

    #[test]
    fn the_ground_list_is_checked_when_the_rules_load() {
        let file = |grounds: &str| -> Result<CancellationRules, String> {
            let text = format!("second_approver = \"any_other\"\n{grounds}");
            toml::from_str::<CancellationFile>(&text).map_err(|e| e.to_string())?.check()
        };
        assert!(file("").unwrap_err().contains("list at least one ground"));
        let one = "[[ground]]\ncode = \"recorded_twice\"\nname = { en = \"Twice\" }\n";
        assert_eq!(file(one).unwrap().grounds.len(), 1);
        assert!(file(&format!("{one}{one}")).unwrap_err().contains("listed twice"));
        assert!(file("[[ground]]\ncode = \"Twice\"\nname = { en = \"T\" }\n").unwrap_err().contains("not a code"));
        assert!(file("[[ground]]\ncode = \"twice\"\nname = {}\n").unwrap_err().contains("give a name"));
    }
}
