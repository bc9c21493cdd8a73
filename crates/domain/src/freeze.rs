//! Requests to banks and payment services to freeze an account or card a
//! case's money went through (docs/identifiers.md, "Freeze requests"): the
//! request (`RequestFreeze`), the institution's answer (`AnswerFreeze`) and
//! the money given back to a victim (`ReturnFrozen`).
//!
//! A request names one of the account identifiers the case or its persons
//! hold, by its key (a card's keyed hash): the clear number is in no act and
//! no state, the request keeps the masked form the case shows. Its deadline
//! is the rules' `[freeze] answer_within_hours` after it was sent, in hours
//! rather than working days, since a bank freezes money within hours or not
//! at all. A return is recorded on the case too, as a reimbursement naming
//! the request, so the reimbursed damage counts it once, under the case's
//! rule that nothing is reimbursed beyond the damage.

use crate::case::{CriminalCase, Money};
use crate::context::Context;
use crate::error::{Checks, Violation};
use crate::identifier::{Held, IdentifierKey, IdentifierKind};
use crate::person::PersonRole;
use crate::units::UnitCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The longest institution name and note, in characters.
pub const MAX_INSTITUTION: usize = 200;
pub const MAX_NOTE: usize = 2000;

/// The identifier kinds money is held under, which a request may name.
pub const ACCOUNT_KINDS: [IdentifierKind; 5] = [
    IdentifierKind::Card,
    IdentifierKind::Iban,
    IdentifierKind::Account,
    IdentifierKind::Wallet,
    IdentifierKind::Crypto,
];

/// `[freeze]` of the rules: how long an institution has to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FreezeRules {
    pub answer_within_hours: u32,
}

/// What is typed to ask an institution to freeze an account of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewFreeze {
    /// The case's unit, whose register the request enters.
    pub unit: UnitCode,
    pub case_id: Uuid,
    /// The bank or payment service asked.
    pub institution: String,
    /// The account identifier, as the case or one of its persons holds it.
    pub identifier: IdentifierKey,
    /// The amount asked to be frozen, in minor units.
    pub amount_qepik: i64,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub sent_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FreezeOutcome {
    /// The whole amount asked is frozen.
    Frozen,
    /// Less than asked is frozen: the account held less.
    PartlyFrozen,
    Refused,
    /// Nothing left on the account to freeze.
    NoFunds,
}

impl FreezeOutcome {
    pub const ALL: [FreezeOutcome; 4] =
        [FreezeOutcome::Frozen, FreezeOutcome::PartlyFrozen, FreezeOutcome::Refused, FreezeOutcome::NoFunds];

    pub fn as_str(self) -> &'static str {
        match self {
            FreezeOutcome::Frozen => "frozen",
            FreezeOutcome::PartlyFrozen => "partly_frozen",
            FreezeOutcome::Refused => "refused",
            FreezeOutcome::NoFunds => "no_funds",
        }
    }
}

/// The institution's answer to a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AnswerFreeze {
    pub request_id: Uuid,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub answered_at: DateTime<Utc>,
    pub outcome: FreezeOutcome,
    /// What the institution froze: the amount asked when `frozen`, less when
    /// `partly_frozen`, nothing when refused or no funds.
    #[serde(default)]
    pub amount_frozen_qepik: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Frozen money given back to a victim of the case, recorded on the case
/// as a reimbursement from the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturnFrozen {
    pub case_id: Uuid,
    pub request_id: Uuid,
    pub victim_id: Uuid,
    pub amount_qepik: i64,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub returned_at: DateTime<Utc>,
}

/// The answer as the request keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub answered_at: DateTime<Utc>,
    pub outcome: FreezeOutcome,
    pub amount_frozen_qepik: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A return as the request keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Returned {
    pub victim_id: Uuid,
    pub amount_qepik: i64,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub returned_at: DateTime<Utc>,
}

/// What a request copies from its case when it is recorded: kept in the
/// act (`Assigned::from_case`), so replaying the request needs no case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FromCase {
    pub case_number: String,
    /// The identifier as the case shows it (a card masked).
    pub display: String,
}

/// What a request names of its case, for the act to keep.
pub fn from_case(f: &NewFreeze, case: &CriminalCase) -> FromCase {
    let display = held_by(case, &f.identifier).map(|h| h.identifier.display().to_string()).unwrap_or_default();
    FromCase { case_number: case.number.clone(), display }
}

/// A freeze request as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FreezeRequest {
    pub id: Uuid,
    pub number: String,
    pub request: NewFreeze,
    /// The identifier as the case shows it (a card masked), copied from the case.
    pub display: String,
    /// The case's register number, for lists and pages.
    pub case_number: String,
    /// When the institution's answer is due.
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub deadline: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Answer>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub returns: Vec<Returned>,
}

impl FreezeRequest {
    /// `sent` until answered, then the answer's outcome.
    pub fn status(&self) -> &'static str {
        self.answer.as_ref().map_or("sent", |a| a.outcome.as_str())
    }

    pub fn frozen_qepik(&self) -> i64 {
        self.answer.as_ref().map_or(0, |a| a.amount_frozen_qepik)
    }

    pub fn returned_qepik(&self) -> i64 {
        self.returns.iter().map(|r| r.amount_qepik).sum()
    }

    /// What an annulment must leave true: nothing returned beyond what is frozen.
    pub fn check_invariants(&self, checks: &mut Checks) {
        let (frozen, returned) = (self.frozen_qepik(), self.returned_qepik());
        checks.check(returned <= frozen, || {
            Violation::new("amount_qepik", "freeze.return_exceeds_frozen")
                .with("frozen", frozen)
                .with("returned", returned)
        });
    }
}

/// Whether an identifier held names a kind money is held under.
pub fn is_account(kind: IdentifierKind) -> bool {
    ACCOUNT_KINDS.contains(&kind)
}

/// The account identifiers the case and its persons hold, as a request may name them.
pub fn accounts_of(case: &CriminalCase) -> Vec<&Held> {
    let persons = case.persons.iter().flat_map(|p| p.identifiers.iter());
    case.identifiers.iter().chain(persons).filter(|h| is_account(h.identifier.kind())).collect()
}

fn held_by<'a>(case: &'a CriminalCase, key: &IdentifierKey) -> Option<&'a Held> {
    let persons = case.persons.iter().flat_map(|p| p.identifiers.iter());
    case.identifiers.iter().chain(persons).find(|h| IdentifierKey::of(&h.identifier) == *key)
}

pub(crate) fn check_new(f: &NewFreeze, case: &CriminalCase, ctx: &Context, checks: &mut Checks) {
    if let Err(no_rule) = ctx.rules.freeze_deadline(f.sent_at) {
        checks.push(no_rule);
    }
    checks.check(f.unit == case.unit, || Violation::new("unit", "freeze.not_case_unit").with("case_unit", &case.unit));
    ctx.check_text(checks, "institution", &f.institution, MAX_INSTITUTION);
    checks.check(f.amount_qepik > 0, || Violation::new("amount_qepik", "amount.not_positive"));
    ctx.check_not_future(checks, "sent_at", f.sent_at);
    checks.check(f.sent_at >= case.registered_at, || {
        Violation::new("sent_at", "date.before_registration").with("registered", case.registered_at)
    });
    if !is_account(f.identifier.kind) {
        let accounts: Vec<&str> = ACCOUNT_KINDS.iter().map(|k| k.code()).collect();
        checks.push(
            Violation::new("identifier.kind", "freeze.not_an_account")
                .with("kind", f.identifier.kind.code())
                .with("accounts", accounts.join(", ")),
        );
    } else {
        checks.check(held_by(case, &f.identifier).is_some(), || {
            Violation::new("identifier", "freeze.identifier_not_on_case").with("kind", f.identifier.kind.code())
        });
    }
}

pub(crate) fn check_answer(r: &FreezeRequest, a: &AnswerFreeze, ctx: &Context, checks: &mut Checks) {
    checks.check(r.answer.is_none(), || Violation::new("request_id", "freeze.already_answered"));
    ctx.check_not_future(checks, "answered_at", a.answered_at);
    checks.check(a.answered_at >= r.request.sent_at, || {
        Violation::new("answered_at", "freeze.answer_before_request").with("sent", r.request.sent_at)
    });
    if let Some(note) = &a.note {
        checks
            .check(note.chars().count() <= MAX_NOTE, || Violation::new("note", "text.too_long").with("max", MAX_NOTE));
    }
    let (amount, asked) = (a.amount_frozen_qepik, r.request.amount_qepik);
    let fits = match a.outcome {
        FreezeOutcome::Frozen => amount == asked,
        FreezeOutcome::PartlyFrozen => amount > 0 && amount < asked,
        FreezeOutcome::Refused | FreezeOutcome::NoFunds => amount == 0,
    };
    checks.check(fits, || {
        Violation::new("amount_frozen_qepik", "freeze.amount_for_outcome")
            .with("outcome", a.outcome.as_str())
            .with("asked", asked)
    });
}

pub(crate) fn check_return(
    r: &FreezeRequest,
    case: &CriminalCase,
    ret: &ReturnFrozen,
    ctx: &Context,
    checks: &mut Checks,
) {
    checks.check(r.request.case_id == case.id, || {
        Violation::new("request_id", "freeze.not_of_case").with("case", &r.case_number)
    });
    checks.check(ret.amount_qepik > 0, || Violation::new("amount_qepik", "amount.not_positive"));
    ctx.check_not_future(checks, "returned_at", ret.returned_at);
    let Some(answer) = &r.answer else {
        checks.push(Violation::new("request_id", "freeze.nothing_frozen"));
        return;
    };
    checks.check(answer.amount_frozen_qepik > 0, || Violation::new("request_id", "freeze.nothing_frozen"));
    checks.check(ret.returned_at >= answer.answered_at, || {
        Violation::new("returned_at", "freeze.return_before_answer").with("answered", answer.answered_at)
    });
    let after = r.returned_qepik().saturating_add(ret.amount_qepik);
    checks.check(after <= answer.amount_frozen_qepik, || {
        Violation::new("amount_qepik", "freeze.return_exceeds_frozen")
            .with("frozen", answer.amount_frozen_qepik)
            .with("returned", after)
    });
    checks.check(case.persons.iter().any(|p| p.id == ret.victim_id && p.input.role == PersonRole::Victim), || {
        Violation::new("victim_id", "case.not_a_victim_of_case")
    });
    let reimbursed = case.reimbursed_qepik().saturating_add(ret.amount_qepik);
    checks.check(reimbursed <= case.damage_qepik(), || {
        Violation::new("amount_qepik", "reimbursement.exceeds_damage")
            .with("damage", case.damage_qepik())
            .with("reimbursed", reimbursed)
    });
}

/// The request as recorded: its display and case number as the act kept
/// them from the case, its deadline from the rules.
pub(crate) fn request(id: Uuid, number: &str, f: &NewFreeze, copied: FromCase, ctx: &Context) -> FreezeRequest {
    FreezeRequest {
        id,
        number: number.to_string(),
        request: NewFreeze { institution: f.institution.trim().to_string(), ..f.clone() },
        display: copied.display,
        case_number: copied.case_number,
        // Checked when recorded: a pack without the rule records no request.
        deadline: ctx.rules.freeze_deadline(f.sent_at).unwrap_or(f.sent_at),
        answer: None,
        returns: Vec::new(),
    }
}

pub(crate) fn answer(r: &mut FreezeRequest, a: &AnswerFreeze) {
    r.answer = Some(Answer {
        answered_at: a.answered_at,
        outcome: a.outcome,
        amount_frozen_qepik: a.amount_frozen_qepik,
        note: a.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(String::from),
    });
}

pub(crate) fn give_back(r: &mut FreezeRequest, ret: &ReturnFrozen) {
    r.returns.push(Returned { victim_id: ret.victim_id, amount_qepik: ret.amount_qepik, returned_at: ret.returned_at });
}

/// The return as the case's reimbursement, naming the request it came from.
pub(crate) fn reimbursement(ret: &ReturnFrozen) -> Money {
    Money {
        amount_qepik: ret.amount_qepik,
        at: ret.returned_at,
        victim_id: Some(ret.victim_id),
        freeze_id: Some(ret.request_id),
    }
}
