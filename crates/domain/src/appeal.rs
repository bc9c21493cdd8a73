//! Citizens' appeals (Law on Citizens' Appeals): applications, proposals and
//! complaints, registered with a number and a receipt, answered within a
//! statutory deadline in working days that only more checking or one
//! extension may move, passed to the competent body within days of receipt,
//! and rated by the applicant once closed.
//!
//! The rules as they are kept here:
//!
//! - The answer is due `answer_days` working days after receipt under the
//!   rule in force on the day of receipt (`Rules::appeal_answer_deadline`).
//!   More checking moves it to `checking_days` from receipt, once; one
//!   extension (`max_extensions`) adds at most `max_extension_days` to the
//!   deadline in force, with a reason. Both are granted before the deadline
//!   passes and the applicant is told.
//! - An answer after the deadline is refused (`appeal.deadline_passed`)
//!   unless it states why it is late (`late_reason`), as a crime report's
//!   decision is; it is then recorded as late and counted overdue.
//! - An appeal for another body is referred within `referral_days` working
//!   days of receipt (`appeal.referral_late` after), the applicant told; the
//!   referral closes it (`referred`). One for another unit of the registry
//!   is referred within the same days and stays open: that unit handles it
//!   from then on (`Appeal::handled_by`), its deadline still counted from
//!   receipt.
//! - An anonymous appeal is not examined (`not_examined` at once), unless it
//!   mentions an offence: then it waits, with the referral's deadline, for
//!   its content to be passed to the police by `report_from_appeal`, which
//!   closes it (`passed_to_police`). It is never answered or rated.
//! - An appeal mentioning an offence becomes a crime report through one act
//!   (`report_from_appeal`) that registers the report and links the two, once
//!   per appeal; a named appeal is still answered.
//! - A repeat appeal names the earlier one on the same matter (`repeat_of`);
//!   it carries the days the matter was answered before (`matter_answers`,
//!   kept in the act, so replay never needs the earlier appeal). When the
//!   matter was answered three times in the year before the answer, the
//!   office may leave it unconsidered (`left_unconsidered`, judging that the
//!   applicant brought nothing new); otherwise that decision is refused.

use crate::context::Context;
use crate::error::{Checks, Violation};
use crate::reception::Reception;
use crate::report::{self, NewReport};
use crate::units::UnitCode;
use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How many answers within a year allow a repeat appeal to be left unconsidered.
pub const ANSWERS_BEFORE_UNCONSIDERED: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppealChannel {
    Written,
    Online,
    Email,
    Reception,
    Telephone,
}

impl AppealChannel {
    pub const ALL: [AppealChannel; 5] = [
        AppealChannel::Written,
        AppealChannel::Online,
        AppealChannel::Email,
        AppealChannel::Reception,
        AppealChannel::Telephone,
    ];

    /// The serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            AppealChannel::Written => "written",
            AppealChannel::Online => "online",
            AppealChannel::Email => "email",
            AppealChannel::Reception => "reception",
            AppealChannel::Telephone => "telephone",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppealKind {
    Application,
    Proposal,
    Complaint,
}

impl AppealKind {
    pub const ALL: [AppealKind; 3] = [AppealKind::Application, AppealKind::Proposal, AppealKind::Complaint];

    /// The serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            AppealKind::Application => "application",
            AppealKind::Proposal => "proposal",
            AppealKind::Complaint => "complaint",
        }
    }
}

/// One person who signs an appeal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    pub full_name: String,
    /// Where the answer is sent: a postal or e-mail address.
    #[serde(default)]
    pub address: String,
}

/// Who appeals: one person, several (a collective appeal), an organisation,
/// or nobody named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Applicants {
    Person {
        person: Applicant,
    },
    Collective {
        people: Vec<Applicant>,
    },
    Organisation {
        name: String,
        #[serde(default)]
        representative: Option<Applicant>,
    },
    Anonymous,
}

impl Applicants {
    pub fn is_anonymous(&self) -> bool {
        matches!(self, Applicants::Anonymous)
    }

    /// Every name the appeal carries, for search.
    pub fn names(&self) -> Vec<&str> {
        match self {
            Applicants::Person { person } => vec![person.full_name.as_str()],
            Applicants::Collective { people } => people.iter().map(|p| p.full_name.as_str()).collect(),
            Applicants::Organisation { name, representative } => {
                std::iter::once(name.as_str()).chain(representative.iter().map(|r| r.full_name.as_str())).collect()
            }
            Applicants::Anonymous => Vec::new(),
        }
    }

    fn check(&self, checks: &mut Checks) {
        let person = |checks: &mut Checks, field: String, p: &Applicant| {
            checks.check(!p.full_name.trim().is_empty(), || {
                Violation::new(format!("{field}.full_name"), "text.required")
            });
            checks.check(p.full_name.chars().count() <= 200, || {
                Violation::new(format!("{field}.full_name"), "text.too_long").with("max", 200)
            });
            checks.check(p.address.chars().count() <= 500, || {
                Violation::new(format!("{field}.address"), "text.too_long").with("max", 500)
            });
        };
        match self {
            Applicants::Person { person: p } => person(checks, "applicants.person".into(), p),
            Applicants::Collective { people } => {
                checks.check(people.len() >= 2, || {
                    Violation::new("applicants.people", "appeal.collective_needs_people").with("min", 2)
                });
                checks.check(people.len() <= 500, || {
                    Violation::new("applicants.people", "list.too_long").with("max", 500)
                });
                for (i, p) in people.iter().enumerate() {
                    person(checks, format!("applicants.people[{i}]"), p);
                }
            }
            Applicants::Organisation { name, representative } => {
                checks.check(!name.trim().is_empty(), || Violation::new("applicants.name", "text.required"));
                checks.check(name.chars().count() <= 300, || {
                    Violation::new("applicants.name", "text.too_long").with("max", 300)
                });
                if let Some(r) = representative {
                    person(checks, "applicants.representative".into(), r);
                }
            }
            Applicants::Anonymous => {}
        }
    }
}

/// What an appeals office types when an appeal comes in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAppeal {
    /// The unit that handles it, in whose register and journal it is kept.
    pub unit: UnitCode,
    /// The unit the applicant addressed.
    pub addressed_to: UnitCode,
    pub channel: AppealChannel,
    pub kind: AppealKind,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub received_at: DateTime<Utc>,
    pub applicants: Applicants,
    pub subject: String,
    pub text: String,
    /// What came with it, described (the documents are kept on paper).
    #[serde(default)]
    pub attachments: Vec<String>,
    /// The earlier appeal on the same matter.
    #[serde(default)]
    pub repeat_of: Option<Uuid>,
    /// Whether it tells of an offence, which the police must check.
    #[serde(default)]
    pub mentions_offence: bool,
    /// The chief's reception it was made at (channel `reception`): a held
    /// session of the appeal's unit or a unit above it.
    #[serde(default)]
    pub reception_id: Option<Uuid>,
}

/// How the applicant was told, or how the answer reached them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    Post,
    EMail,
    InPerson,
    Online,
}

/// Where an appeal is referred: out of the police to the competent body, or
/// to another unit of the registry, which handles it from then on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Referral {
    /// Another body: the referral closes the appeal.
    Body { name: String },
    /// A unit of the registry: the appeal stays open, in that unit's queue.
    Unit { unit: UnitCode },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReferAppeal {
    pub appeal_id: Uuid,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub referred_at: DateTime<Utc>,
    pub to: Referral,
    pub applicant_told: Delivery,
}

/// What moves an appeal's deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum AppealExtension {
    /// The longer term where more checking is needed, counted from receipt.
    MoreChecking,
    /// Days added to the deadline in force, with the reason.
    Extension { days: u32, reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExtendAppeal {
    pub appeal_id: Uuid,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub granted_at: DateTime<Utc>,
    pub extension: AppealExtension,
    /// Who granted it (the unit's chief, by name or post).
    pub granted_by: String,
    pub applicant_told: Delivery,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppealDecision {
    Satisfied,
    Partly,
    Refused,
    Explained,
    /// A repeat with nothing new after three answers within a year.
    LeftUnconsidered,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AnswerAppeal {
    pub appeal_id: Uuid,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub answered_at: DateTime<Utc>,
    pub decision: AppealDecision,
    pub text: String,
    pub signed_by: String,
    pub delivered_by: Delivery,
    /// Why the answer comes after the deadline; required then, refused before.
    #[serde(default)]
    pub late_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RateAppeal {
    pub appeal_id: Uuid,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub rated_at: DateTime<Utc>,
    /// 1 (very dissatisfied) to 5 (very satisfied), as for crime reports.
    pub score: i64,
}

/// The crime report an appeal's offence becomes, registered by the same act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportFromAppeal {
    pub appeal_id: Uuid,
    pub report: NewReport,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantedAppealExtension {
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub granted_at: DateTime<Utc>,
    pub extension: AppealExtension,
    pub granted_by: String,
    pub applicant_told: Delivery,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub new_deadline: DateTime<Utc>,
}

/// A referral as made: where to, by which unit, when, the applicant told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MadeReferral {
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub referred_at: DateTime<Utc>,
    /// The unit handling the appeal when it referred it.
    pub from: UnitCode,
    pub to: Referral,
    pub applicant_told: Delivery,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub answered_at: DateTime<Utc>,
    pub decision: AppealDecision,
    pub text: String,
    pub signed_by: String,
    pub delivered_by: Delivery,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_reason: Option<String>,
    /// Whether it came after the deadline then in force.
    pub late: bool,
}

/// The crime report an appeal became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedReport {
    pub report_id: Uuid,
    pub register_no: String,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub at: DateTime<Utc>,
}

/// An appeal as it stands after its acts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Appeal {
    pub id: Uuid,
    pub register_no: String,
    pub receipt_no: String,
    pub unit: UnitCode,
    pub addressed_to: UnitCode,
    pub channel: AppealChannel,
    pub kind: AppealKind,
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub received_at: DateTime<Utc>,
    pub applicants: Applicants,
    pub subject: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_of: Option<Uuid>,
    /// The days the same matter was answered before, in earlier appeals.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matter_answers: Vec<NaiveDate>,
    pub mentions_offence: bool,
    /// The chief's reception it was made at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reception_id: Option<Uuid>,
    /// The deadline in force: the answer's, or for an anonymous appeal
    /// about an offence, the day its content is to be passed on by.
    #[serde(serialize_with = "crate::iso8601::serialize")]
    pub deadline: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<GrantedAppealExtension>,
    /// Its referrals, oldest first: to other units (each handling it from
    /// then on), and at most one, the last, to another body.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referrals: Vec<MadeReferral>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Answer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<LinkedReport>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<i64>,
}

impl Appeal {
    pub fn is_anonymous(&self) -> bool {
        self.applicants.is_anonymous()
    }

    /// The unit handling it: the last unit it was referred to, else the one
    /// that registered it. Its index row, queue, scope, later acts' journal
    /// and counters are this unit's (docs/appeals.md, "Referral inside the
    /// ministry").
    pub fn handled_by(&self) -> &UnitCode {
        self.referrals
            .iter()
            .rev()
            .find_map(|r| match &r.to {
                Referral::Unit { unit } => Some(unit),
                Referral::Body { .. } => None,
            })
            .unwrap_or(&self.unit)
    }

    /// Its referral to another body, which closed it.
    pub fn referral_out(&self) -> Option<&MadeReferral> {
        self.referrals.iter().find(|r| matches!(r.to, Referral::Body { .. }))
    }

    /// The index row's status.
    pub fn status(&self) -> &'static str {
        if self.is_anonymous() {
            return match (&self.report, self.mentions_offence) {
                (Some(_), _) => "passed_to_police",
                (None, false) => "not_examined",
                (None, true) => "open",
            };
        }
        match (&self.answer, self.referral_out()) {
            (Some(_), _) => "answered",
            (None, Some(_)) => "referred",
            (None, None) if !self.extensions.is_empty() => "extended",
            (None, None) => "open",
        }
    }

    /// Whether nothing more is owed: answered, referred, passed on or not examined.
    pub fn is_closed(&self) -> bool {
        self.status() != "open" && self.status() != "extended"
    }

    /// When the applicant was answered or told of the referral.
    pub fn replied_at(&self) -> Option<DateTime<Utc>> {
        match (&self.answer, self.referral_out()) {
            (Some(a), _) => Some(a.answered_at),
            (None, Some(r)) => Some(r.referred_at),
            (None, None) => None,
        }
    }

    /// When it was closed: replied to, or its content passed to the police.
    /// An appeal not examined was closed on receipt.
    pub fn closed_at(&self) -> Option<DateTime<Utc>> {
        match self.status() {
            "passed_to_police" => self.report.as_ref().map(|r| r.at),
            "not_examined" => Some(self.received_at),
            _ => self.replied_at(),
        }
    }

    /// Whether it has a deadline to keep: all but one not examined.
    pub fn has_deadline(&self) -> bool {
        self.status() != "not_examined"
    }

    /// Closed before its deadline.
    pub fn closed_on_time(&self) -> bool {
        self.has_deadline() && self.closed_at().is_some_and(|at| at < self.deadline)
    }

    /// Not closed before its deadline: closed late, or still open (which
    /// it is, as the counters count it, from its deadline on).
    pub fn overdue(&self) -> bool {
        self.has_deadline() && !self.closed_on_time()
    }

    /// The answers the matter had within the year before `at`, this
    /// appeal's earlier ones.
    pub fn matter_answers_in_year_before(&self, at: NaiveDate) -> usize {
        let year_before = at.checked_sub_months(Months::new(12)).unwrap_or(NaiveDate::MIN);
        self.matter_answers.iter().filter(|d| **d > year_before && **d <= at).count()
    }
}

pub(crate) fn check_new(
    a: &NewAppeal,
    earlier: Option<&Appeal>,
    reception: Option<&Reception>,
    ctx: &Context,
    checks: &mut Checks,
) {
    checks.absorb(ctx.units.require("unit", &a.unit));
    checks.absorb(ctx.units.require("addressed_to", &a.addressed_to));
    ctx.check_not_future(checks, "received_at", a.received_at);
    ctx.check_text(checks, "subject", &a.subject, 500);
    ctx.check_text(checks, "text", &a.text, 20_000);
    a.applicants.check(checks);
    checks.check(a.attachments.len() <= 100, || Violation::new("attachments", "list.too_long").with("max", 100));
    for (i, d) in a.attachments.iter().enumerate() {
        ctx.check_text(checks, &format!("attachments[{i}]"), d, 500);
    }
    if let Some(e) = earlier {
        checks.check(e.received_at <= a.received_at, || {
            Violation::new("repeat_of", "appeal.repeat_of_later").with("received", e.received_at)
        });
    }
    if let Some(r) = reception {
        check_reception(a, r, ctx, checks);
    }
    checks.absorb(ctx.rules.appeal_answer_deadline(a.received_at, false));
}

/// An appeal made at a reception comes through that channel, from a session
/// held, of its unit or a unit above (a chief hears the units below), on or
/// after the session's day.
fn check_reception(a: &NewAppeal, r: &Reception, ctx: &Context, checks: &mut Checks) {
    checks.check(a.channel == AppealChannel::Reception, || {
        Violation::new("channel", "appeal.reception_channel").with("channel", a.channel.as_str())
    });
    checks.check(r.status() == "held", || {
        Violation::new("reception_id", "appeal.reception_not_held").with("status", r.status())
    });
    let session_unit = &r.scheduled.unit;
    let below = a.unit == *session_unit || ctx.units.is_within(&a.unit, session_unit);
    checks.check(below, || Violation::new("reception_id", "appeal.reception_unit").with("unit", session_unit));
    checks.check(ctx.rules.local_date(a.received_at) >= r.scheduled.day, || {
        Violation::new("received_at", "appeal.before_reception").with("day", r.scheduled.day)
    });
}

/// The days the matter of a repeat appeal was answered: those of the
/// earlier appeal, and its own answer. The service keeps them in the act.
pub fn matter_answers(earlier: &Appeal, rules: &crate::rules::Rules) -> Vec<NaiveDate> {
    let mut days = earlier.matter_answers.clone();
    days.extend(earlier.answer.as_ref().map(|a| rules.local_date(a.answered_at)));
    days
}

pub(crate) fn register(
    id: Uuid,
    register_no: &str,
    a: &NewAppeal,
    matter_answers: &[NaiveDate],
    ctx: &Context,
) -> Appeal {
    let deadline = if a.applicants.is_anonymous() {
        ctx.rules.appeal_referral_deadline(a.received_at)
    } else {
        ctx.rules.appeal_answer_deadline(a.received_at, false)
    };
    Appeal {
        id,
        register_no: register_no.to_string(),
        receipt_no: report::receipt_no(register_no),
        unit: a.unit.clone(),
        addressed_to: a.addressed_to.clone(),
        channel: a.channel,
        kind: a.kind,
        received_at: a.received_at,
        applicants: a.applicants.clone(),
        subject: a.subject.trim().to_string(),
        text: a.text.trim().to_string(),
        attachments: a.attachments.iter().map(|d| d.trim().to_string()).collect(),
        repeat_of: a.repeat_of,
        matter_answers: matter_answers.to_vec(),
        mentions_offence: a.mentions_offence,
        reception_id: a.reception_id,
        // Checked before; replay under a pack without the rule keeps the receipt.
        deadline: deadline.unwrap_or(a.received_at),
        extensions: Vec::new(),
        referrals: Vec::new(),
        answer: None,
        report: None,
        satisfaction: None,
    }
}

/// Refused on an appeal closed already, and on an anonymous one for
/// anything but passing its content on.
fn check_open(a: &Appeal, checks: &mut Checks) -> bool {
    if a.is_closed() {
        checks.push(Violation::new("appeal_id", "appeal.closed").with("status", a.status()));
        return false;
    }
    if a.is_anonymous() {
        checks.push(Violation::new("appeal_id", "appeal.anonymous"));
        return false;
    }
    true
}

pub(crate) fn check_referral(a: &Appeal, r: &ReferAppeal, ctx: &Context, checks: &mut Checks) {
    ctx.check_not_future(checks, "referred_at", r.referred_at);
    match &r.to {
        Referral::Body { name } => ctx.check_text(checks, "to.name", name, 300),
        Referral::Unit { unit } => {
            checks.absorb(ctx.units.require("to.unit", unit));
            checks.check(unit != a.handled_by(), || {
                Violation::new("to.unit", "appeal.referral_same_unit").with("unit", unit)
            });
        }
    }
    if !check_open(a, checks) {
        return;
    }
    checks.check(r.referred_at >= a.received_at, || {
        Violation::new("referred_at", "date.before_registration").with("registered", a.received_at)
    });
    if let Some(due) = checks.absorb(ctx.rules.appeal_referral_deadline(a.received_at)) {
        checks
            .check(r.referred_at < due, || Violation::new("referred_at", "appeal.referral_late").with("deadline", due));
    }
}

pub(crate) fn refer(a: &mut Appeal, r: &ReferAppeal) {
    let to = match &r.to {
        Referral::Body { name } => Referral::Body { name: name.trim().to_string() },
        Referral::Unit { unit } => Referral::Unit { unit: unit.clone() },
    };
    let from = a.handled_by().clone();
    a.referrals.push(MadeReferral { referred_at: r.referred_at, from, to, applicant_told: r.applicant_told });
}

pub(crate) fn check_extension(a: &Appeal, e: &ExtendAppeal, ctx: &Context, checks: &mut Checks) {
    ctx.check_not_future(checks, "granted_at", e.granted_at);
    ctx.check_text(checks, "granted_by", &e.granted_by, 200);
    if !check_open(a, checks) {
        return;
    }
    checks.check(e.granted_at >= a.received_at, || {
        Violation::new("granted_at", "date.before_registration").with("registered", a.received_at)
    });
    checks.check(e.granted_at < a.deadline, || {
        Violation::new("granted_at", "extension.after_deadline").with("deadline", a.deadline)
    });
    let Some(rule) = checks.absorb(ctx.rules.appeal_rule(a.received_at)) else { return };
    match &e.extension {
        AppealExtension::MoreChecking => {
            let checked = a.extensions.iter().any(|g| g.extension == AppealExtension::MoreChecking);
            checks.check(!checked, || Violation::new("extension.kind", "appeal.more_checking_twice"));
            let extended = a.extensions.iter().any(|g| matches!(g.extension, AppealExtension::Extension { .. }));
            checks.check(!extended, || Violation::new("extension.kind", "appeal.more_checking_after_extension"));
        }
        AppealExtension::Extension { days, reason } => {
            let granted = a.extensions.iter().filter(|g| matches!(g.extension, AppealExtension::Extension { .. }));
            checks.check(granted.count() < rule.max_extensions as usize, || {
                Violation::new("appeal_id", "appeal.second_extension").with("allowed", rule.max_extensions)
            });
            checks.check(*days >= 1, || Violation::new("extension.days", "number.range").with("min", 1));
            checks.check(*days <= rule.max_extension_days, || {
                Violation::new("extension.days", "appeal.extension_too_long").with("max", rule.max_extension_days)
            });
            ctx.check_text(checks, "extension.reason", reason, 2000);
        }
    }
}

pub(crate) fn extend(a: &mut Appeal, e: &ExtendAppeal, ctx: &Context) {
    let moved = match &e.extension {
        AppealExtension::MoreChecking => ctx.rules.appeal_answer_deadline(a.received_at, true),
        AppealExtension::Extension { days, .. } => ctx.rules.appeal_extended_deadline(a.received_at, a.deadline, *days),
    };
    let new_deadline = moved.unwrap_or(a.deadline);
    a.extensions.push(GrantedAppealExtension {
        granted_at: e.granted_at,
        extension: e.extension.clone(),
        granted_by: e.granted_by.trim().to_string(),
        applicant_told: e.applicant_told,
        new_deadline,
    });
    a.deadline = new_deadline;
}

pub(crate) fn check_answer(a: &Appeal, ans: &AnswerAppeal, ctx: &Context, checks: &mut Checks) {
    ctx.check_not_future(checks, "answered_at", ans.answered_at);
    ctx.check_text(checks, "text", &ans.text, 20_000);
    ctx.check_text(checks, "signed_by", &ans.signed_by, 200);
    if let Some(answer) = &a.answer {
        checks.push(Violation::new("appeal_id", "appeal.already_answered").with("answered", answer.answered_at));
        return;
    }
    if !check_open(a, checks) {
        return;
    }
    checks.check(ans.answered_at >= a.received_at, || {
        Violation::new("answered_at", "date.before_registration").with("registered", a.received_at)
    });
    let late = ans.answered_at >= a.deadline;
    let reason_given = ans.late_reason.as_deref().is_some_and(|r| !r.trim().is_empty());
    checks.check(!late || reason_given, || {
        Violation::new("answered_at", "appeal.deadline_passed").with("deadline", a.deadline)
    });
    checks.check(late || ans.late_reason.is_none(), || Violation::new("late_reason", "appeal.not_late"));
    if ans.decision == AppealDecision::LeftUnconsidered {
        let answered = a.matter_answers_in_year_before(ctx.rules.local_date(ans.answered_at));
        checks.check(answered >= ANSWERS_BEFORE_UNCONSIDERED, || {
            Violation::new("decision", "appeal.not_repeated_enough")
                .with("answers", answered)
                .with("required", ANSWERS_BEFORE_UNCONSIDERED)
        });
    }
}

pub(crate) fn answer(a: &mut Appeal, ans: &AnswerAppeal) {
    a.answer = Some(Answer {
        answered_at: ans.answered_at,
        decision: ans.decision,
        text: ans.text.trim().to_string(),
        signed_by: ans.signed_by.trim().to_string(),
        delivered_by: ans.delivered_by,
        late_reason: ans.late_reason.clone(),
        late: ans.answered_at >= a.deadline,
    });
}

pub(crate) fn check_rating(a: &Appeal, rate: &RateAppeal, ctx: &Context, checks: &mut Checks) {
    checks
        .check((1..=5).contains(&rate.score), || Violation::new("score", "number.range").with("min", 1).with("max", 5));
    ctx.check_not_future(checks, "rated_at", rate.rated_at);
    checks.check(!a.is_anonymous(), || Violation::new("appeal_id", "appeal.anonymous"));
    match a.replied_at() {
        None => checks.push(Violation::new("appeal_id", "appeal.not_closed")),
        Some(at) => checks.check(rate.rated_at >= at, || {
            Violation::new("rated_at", "appeal.rated_before_closure").with("closed", at)
        }),
    }
    checks.check(a.satisfaction.is_none(), || Violation::new("appeal_id", "appeal.already_rated"));
}

pub(crate) fn check_report(a: &Appeal, r: &ReportFromAppeal, ctx: &Context, checks: &mut Checks) {
    checks.check(a.mentions_offence, || Violation::new("appeal_id", "appeal.no_offence_mentioned"));
    if let Some(linked) = &a.report {
        checks.push(Violation::new("appeal_id", "appeal.already_reported").with("register_no", &linked.register_no));
    }
    checks.check(a.status() != "referred", || Violation::new("appeal_id", "appeal.closed").with("status", "referred"));
    checks.check(r.report.received_at >= a.received_at, || {
        Violation::new("report.received_at", "date.before_registration").with("registered", a.received_at)
    });
    let mut report_checks = Checks::default();
    report::check_new(&r.report, ctx, &mut report_checks);
    for v in report_checks.into_violations() {
        checks.push(Violation { field: format!("report.{}", v.field), ..v });
    }
}

pub(crate) fn link_report(a: &mut Appeal, report_id: Uuid, register_no: &str, at: DateTime<Utc>) {
    a.report = Some(LinkedReport { report_id, register_no: register_no.to_string(), at });
}
