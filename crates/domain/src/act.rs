//! Acts: every change to a register is a procedural act, appended to the
//! journal and never changed. A command is what a user asks for; the act is
//! the command plus what the system assigned (ids, register numbers). The
//! current state of every entity is a fold of its acts.

use crate::appeal::{self, AnswerAppeal, Appeal, ExtendAppeal, NewAppeal, RateAppeal, ReferAppeal, ReportFromAppeal};
use crate::cancellation::{self, DecideCancellation, RequestCancellation};
use crate::case::{self, AddPerson, CaseDecision, CriminalCase, NewCase, Reclassify, RecordDamage, Reimburse};
use crate::context::Context;
use crate::error::{Checks, Rejected, Violation};
use crate::freeze::{self, AnswerFreeze, FreezeRequest, NewFreeze, ReturnFrozen};
use crate::identifier::{self, AttachIdentifier, RemoveIdentifier};
use crate::inspection::{self, DrawSample, Drawn, ReviewSample, Sample};
use crate::jurisdiction::Adoption;
use crate::late::Late;
use crate::meeting::{self, Meeting, MeetingMinutes, NewMeeting};
use crate::person::{Person, PersonRole};
use crate::publication::{self, NewPublication, Publication, Published, Revised};
use crate::reception::{self, Booking, CancelBooking, CancelReception, NewReception, Reception, ReceptionRecord};
use crate::registers::{
    self, Accident, Accountability, CompleteExamination, Examination, ExaminationResult, NewAccident,
    NewAccountability, NewExamination, NewSeizure, Registered, Seizure,
};
use crate::release::{self, ApproveRelease, Draft, DraftRelease, EditRelease, PublishRelease, Release, WriteRelease};
use crate::report::{self, CrimeReport, DecideReport, ExtendCheck, NewReport, RateHandling, ReportOutcome};
use crate::task::{self, NewTask, Reading, Task, TaskControl, TaskReport};
use crate::units::{MergeUnits, MoveUnit, NewUnit, RenameUnit, SetUnitContacts, TreeChange, UnitCode};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Annuls an earlier act named by its place in a unit's journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Annul {
    pub unit: UnitCode,
    pub seq: i64,
    pub reason: String,
}

/// What a user asks the registers to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "act", rename_all = "snake_case")]
pub enum Command {
    RegisterReport(NewReport),
    ExtendCheck(ExtendCheck),
    DecideReport(DecideReport),
    RateHandling(RateHandling),
    OpenCase(NewCase),
    AddPerson(AddPerson),
    Reclassify(Reclassify),
    DecideCase(CaseDecision),
    RecordDamage(RecordDamage),
    Reimburse(Reimburse),
    RecordSeizure(NewSeizure),
    HoldAccountable(NewAccountability),
    RecordAccident(NewAccident),
    RequestExamination(NewExamination),
    CompleteExamination(CompleteExamination),
    Annul(Annul),
    /// Adopts a jurisdiction pack; recorded in the root unit's journal.
    AdoptJurisdiction(Adoption),
    RenameUnit(RenameUnit),
    MoveUnit(MoveUnit),
    MergeUnits(MergeUnits),
    /// How the public reaches a unit from a day on (docs/public-site.md).
    SetUnitContacts(SetUnitContacts),
    /// Adds a unit to a loaded tree; recorded in the new unit's own journal,
    /// which it opens.
    AddUnit(NewUnit),
    /// The Board's secretary schedules a meeting with its agenda.
    ScheduleMeeting(NewMeeting),
    /// The attendance and minutes of a meeting: it is held.
    RecordMinutes(MeetingMinutes),
    IssueTask(NewTask),
    /// The owner's report back: interim, or asking for closure or extension.
    ReportOnTask(TaskReport),
    /// The controller closes, extends or returns a task.
    ControlTask(TaskControl),
    /// The press service's draft of a held meeting's release, which the
    /// system writes from the figures.
    DraftRelease(DraftRelease),
    /// The press officer's words for one language of a draft.
    EditRelease(EditRelease),
    ApproveRelease(ApproveRelease),
    /// Publishing an approved release.
    PublishRelease(PublishRelease),
    /// A session of a chief's reception of citizens.
    ScheduleReception(NewReception),
    /// A citizen books a place in a session.
    BookReception(Booking),
    CancelBooking(CancelBooking),
    CancelReception(CancelReception),
    /// Who came and what came of each matter: the session is held.
    RecordReception(ReceptionRecord),
    /// A citizen's appeal received: numbered, with its receipt and deadline.
    RegisterAppeal(NewAppeal),
    /// An appeal passed to the competent body, the applicant told.
    ReferAppeal(ReferAppeal),
    /// More checking, or the one extension, granted before the deadline.
    ExtendAppeal(ExtendAppeal),
    AnswerAppeal(AnswerAppeal),
    /// The applicant's rating of a closed appeal's handling.
    RateAppeal(RateAppeal),
    /// A crime report registered from an appeal mentioning an offence,
    /// the two linked.
    ReportFromAppeal(ReportFromAppeal),
    /// Publishing a period's figures for a scope (the Board's report, open
    /// data): recorded in the scope unit's journal, stamped with the journal
    /// position its figures stand at.
    PublishReport(NewPublication),
    /// A digital identifier attached to a report, a case or a person: the
    /// parsed identifier only, never what was typed.
    AttachIdentifier(AttachIdentifier),
    RemoveIdentifier(RemoveIdentifier),
    /// An analyst's decision on how an identifier links records into series.
    DecideLinking(crate::series::DecideLinking),
    /// A request to cancel a recorded crime on a ground of the rules.
    RequestCancellation(RequestCancellation),
    /// The second approver's decision on a cancellation request.
    DecideCancellation(DecideCancellation),
    /// A request to a bank or payment service to freeze an account of a case.
    RequestFreeze(NewFreeze),
    /// The institution's answer: frozen, partly, refused, no funds.
    AnswerFreeze(AnswerFreeze),
    /// Frozen money given back to a victim: a reimbursement of the case.
    ReturnFrozen(ReturnFrozen),
    /// An inspector's random sample of a unit's decisions of one kind, for
    /// review: recorded in the unit's journal with the seed and the drawn.
    DrawSample(DrawSample),
    /// An inspector's finding on one decision of a sample.
    ReviewSample(ReviewSample),
    /// An analyst confirms a series as it stands.
    ConfirmSeries(crate::series::ConfirmSeries),
    /// An analyst splits a series by excluding the key that alone joins two parts.
    SplitSeries(crate::series::SplitSeries),
    /// A unit marks its alert on a series seen: the alert shows no more in
    /// its queue.
    AcknowledgeSeriesAlert(crate::series::AcknowledgeSeriesAlert),
    /// The press officer's release written from scratch.
    WriteRelease(WriteRelease),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Report,
    Case,
    Person,
    Seizure,
    Accountability,
    Accident,
    Examination,
    Meeting,
    Task,
    Release,
    Reception,
    Appeal,
    Publication,
    Freeze,
    Sample,
}

impl EntityKind {
    pub const ALL: [EntityKind; 15] = [
        EntityKind::Report,
        EntityKind::Case,
        EntityKind::Person,
        EntityKind::Seizure,
        EntityKind::Accountability,
        EntityKind::Accident,
        EntityKind::Examination,
        EntityKind::Meeting,
        EntityKind::Task,
        EntityKind::Release,
        EntityKind::Reception,
        EntityKind::Appeal,
        EntityKind::Publication,
        EntityKind::Freeze,
        EntityKind::Sample,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Report => "report",
            EntityKind::Case => "case",
            EntityKind::Person => "person",
            EntityKind::Seizure => "seizure",
            EntityKind::Accountability => "accountability",
            EntityKind::Accident => "accident",
            EntityKind::Examination => "examination",
            EntityKind::Meeting => "meeting",
            EntityKind::Task => "task",
            EntityKind::Release => "release",
            EntityKind::Reception => "reception",
            EntityKind::Appeal => "appeal",
            EntityKind::Publication => "publication",
            EntityKind::Freeze => "freeze",
            EntityKind::Sample => "sample",
        }
    }

    pub fn parse(s: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The prefix of the register numbers this kind is given.
    pub fn number_prefix(self) -> &'static str {
        match self {
            EntityKind::Report => "M",
            EntityKind::Case => "C",
            EntityKind::Person => "P",
            EntityKind::Seizure => "N",
            EntityKind::Accountability => "H",
            EntityKind::Accident => "T",
            EntityKind::Examination => "E",
            // `T` is the accidents': a Board's meeting and task have two letters.
            EntityKind::Meeting => "BM",
            EntityKind::Task => "BT",
            // `P` is the persons': a press release has two letters too.
            EntityKind::Release => "PR",
            // `R` alone would read as a report's.
            EntityKind::Reception => "RC",
            // `A` would read as an accident's: a citizen's appeal has two letters.
            EntityKind::Appeal => "AP",
            EntityKind::Publication => "PB",
            // `F` alone would read as nothing of its own: two letters, as the newer registers'.
            EntityKind::Freeze => "FZ",
            // An inspection's sample.
            EntityKind::Sample => "IS",
        }
    }
}

/// An entity of a register as it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "state", rename_all = "snake_case")]
pub enum Entity {
    Report(CrimeReport),
    Case(CriminalCase),
    Seizure(Seizure),
    Accountability(Accountability),
    Accident(Accident),
    Examination(Examination),
    Meeting(Meeting),
    Task(Task),
    Release(Release),
    Reception(Reception),
    Appeal(Appeal),
    Publication(Publication),
    Freeze(FreezeRequest),
    Sample(Sample),
}

impl Entity {
    pub fn kind(&self) -> EntityKind {
        match self {
            Entity::Report(_) => EntityKind::Report,
            Entity::Case(_) => EntityKind::Case,
            Entity::Seizure(_) => EntityKind::Seizure,
            Entity::Accountability(_) => EntityKind::Accountability,
            Entity::Accident(_) => EntityKind::Accident,
            Entity::Examination(_) => EntityKind::Examination,
            Entity::Meeting(_) => EntityKind::Meeting,
            Entity::Task(_) => EntityKind::Task,
            Entity::Release(_) => EntityKind::Release,
            Entity::Reception(_) => EntityKind::Reception,
            Entity::Appeal(_) => EntityKind::Appeal,
            Entity::Publication(_) => EntityKind::Publication,
            Entity::Freeze(_) => EntityKind::Freeze,
            Entity::Sample(_) => EntityKind::Sample,
        }
    }

    pub fn id(&self) -> Uuid {
        match self {
            Entity::Report(r) => r.id,
            Entity::Case(c) => c.id,
            Entity::Seizure(s) => s.id,
            Entity::Accountability(a) => a.id,
            Entity::Accident(a) => a.id,
            Entity::Examination(e) => e.id,
            Entity::Meeting(m) => m.id,
            Entity::Task(t) => t.id,
            Entity::Release(r) => r.id,
            Entity::Reception(r) => r.id,
            Entity::Appeal(a) => a.id,
            Entity::Publication(p) => p.id,
            Entity::Freeze(f) => f.id,
            Entity::Sample(s) => s.id,
        }
    }

    pub fn unit(&self) -> &UnitCode {
        match self {
            Entity::Report(r) => &r.unit,
            Entity::Case(c) => &c.unit,
            Entity::Seizure(s) => &s.entry.unit,
            Entity::Accountability(a) => &a.entry.unit,
            Entity::Accident(a) => &a.entry.unit,
            Entity::Examination(e) => &e.request.unit,
            Entity::Meeting(m) => &m.scheduled.unit,
            Entity::Task(t) => t.owner(),
            Entity::Release(r) => &r.unit,
            Entity::Reception(r) => &r.scheduled.unit,
            // Referred to another unit, it is that unit's from then on.
            Entity::Appeal(a) => a.handled_by(),
            Entity::Publication(p) => &p.scope,
            Entity::Freeze(f) => &f.request.unit,
            Entity::Sample(s) => &s.unit,
        }
    }

    pub fn check_invariants(&self, checks: &mut Checks) {
        match self {
            Entity::Case(c) => c.check_invariants(checks),
            Entity::Freeze(f) => f.check_invariants(checks),
            Entity::Reception(r) => {
                if let Some(held) = &r.record {
                    reception::check_places(r, &held.visitors, &held.absent, checks);
                }
            }
            Entity::Report(_)
            | Entity::Appeal(_)
            | Entity::Seizure(_)
            | Entity::Accountability(_)
            | Entity::Accident(_)
            | Entity::Examination(_)
            | Entity::Meeting(_)
            | Entity::Task(_)
            | Entity::Release(_)
            | Entity::Publication(_)
            | Entity::Sample(_) => {}
        }
    }
}

/// What the system assigns when it records a command.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assigned {
    /// The entity the act creates or changes.
    pub id: Uuid,
    /// The register number of a created entity.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub number: String,
    /// Ids of the persons the act brings in, in the order given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub person_ids: Vec<Uuid>,
    /// Figures the act was recorded with, read from the counters by the
    /// service (a task's baselines; its targets' indicators when closure is
    /// asked or decided): derived facts, kept so replay reproduces them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<Reading>,
    /// The civil day a Board's act was recorded on, which its state dates
    /// itself by (a task's issue, a report back, a decision, minutes): kept
    /// in the act, since replay runs under another day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_on: Option<NaiveDate>,
    /// A press release's draft, written by the system from the meeting and
    /// the Board's report: derived, kept so replay reproduces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<Draft>,
    /// The days a repeat appeal's matter was answered in earlier appeals,
    /// read from the earlier appeal: kept so replay needs only this act.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matter_answers: Vec<NaiveDate>,
    /// Why the act comes late (a registration beyond the rules' limit, a
    /// change to a published figure), as the submission stated it: kept so
    /// the act and the state it makes (a report's late mark) say it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late: Option<Late>,
    /// A publication's journal position and revision, which the service reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Published>,
    /// The published figures the act changed (it carries a `late` reason
    /// then), found by the service from the counters' changes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revises: Vec<Revised>,
    /// The login that recorded an act whose state names who did it (a
    /// cancellation's requester and approver): the journal's actor, kept in
    /// the act so replay needs the act alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// What a freeze request copied from its case (its number, the account
    /// as shown): derived, kept so replay needs the act alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_case: Option<freeze::FromCase>,
    /// A sample's draw: the seed, the population's size and the decisions
    /// drawn, which the service reads from the unit's journal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drawn: Option<Drawn>,
    /// The records and links of a series an analyst confirmed, read by the
    /// service as the series stood.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<crate::series::Confirmed>,
}

/// The journal's payload: the command and what was assigned to it.
/// Serialised from borrowed parts by [`Act::payload`], read back whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Act {
    pub command: Command,
    pub assigned: Assigned,
}

/// Who recorded an act, when, and on what legal ground.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Envelope {
    pub act_id: Uuid,
    pub recorded_at: DateTime<Utc>,
    pub actor: String,
    pub legal_ground: String,
}

/// Entities loaded for one command, by id.
pub type Loaded = BTreeMap<Uuid, Entity>;

/// What a command creates, so the caller can assign an id and a number.
pub enum Creates {
    Nothing,
    /// A new entity of `kind` in `unit`, dated `at` (its register number
    /// counts within that year), bringing in `persons` persons.
    Entity {
        kind: EntityKind,
        unit: UnitCode,
        persons: usize,
        at: Dated,
    },
}

/// What places a new entity in a year of its register.
pub enum Dated {
    /// An instant, placed on its civil day.
    At(DateTime<Utc>),
    /// A civil day.
    On(NaiveDate),
    /// The day the act is recorded.
    Today,
}

impl Dated {
    pub fn day(&self, ctx: &Context) -> NaiveDate {
        match self {
            Dated::At(at) => ctx.rules.local_date(*at),
            Dated::On(day) => *day,
            Dated::Today => ctx.today(),
        }
    }
}

impl Act {
    /// The JSON text of an act, as the journal stores and hashes it.
    pub fn payload(command: &Command, assigned: &Assigned) -> String {
        #[derive(Serialize)]
        struct ActRef<'a> {
            command: &'a Command,
            assigned: &'a Assigned,
        }
        serde_json::to_string(&ActRef { command, assigned }).expect("acts serialise")
    }

    pub fn from_payload(payload: &str) -> Result<Act, serde_json::Error> {
        serde_json::from_str(payload)
    }
}

impl Command {
    /// The journal's name of an adoption, which the store finds its latest by.
    pub const ADOPT_JURISDICTION: &'static str = "adopt_jurisdiction";

    pub fn name(&self) -> &'static str {
        match self {
            Command::RegisterReport(_) => "register_report",
            Command::ExtendCheck(_) => "extend_check",
            Command::DecideReport(_) => "decide_report",
            Command::RateHandling(_) => "rate_handling",
            Command::OpenCase(_) => "open_case",
            Command::AddPerson(_) => "add_person",
            Command::Reclassify(_) => "reclassify",
            Command::DecideCase(_) => "decide_case",
            Command::RecordDamage(_) => "record_damage",
            Command::Reimburse(_) => "reimburse",
            Command::RecordSeizure(_) => "record_seizure",
            Command::HoldAccountable(_) => "hold_accountable",
            Command::RecordAccident(_) => "record_accident",
            Command::RequestExamination(_) => "request_examination",
            Command::CompleteExamination(_) => "complete_examination",
            Command::Annul(_) => "annul",
            Command::AdoptJurisdiction(_) => Command::ADOPT_JURISDICTION,
            Command::RenameUnit(_) => "rename_unit",
            Command::MoveUnit(_) => "move_unit",
            Command::MergeUnits(_) => "merge_units",
            Command::SetUnitContacts(_) => "set_unit_contacts",
            Command::AddUnit(_) => "add_unit",
            Command::ScheduleMeeting(_) => "schedule_meeting",
            Command::RecordMinutes(_) => "record_minutes",
            Command::IssueTask(_) => "issue_task",
            Command::ReportOnTask(_) => "report_on_task",
            Command::ControlTask(_) => "control_task",
            Command::DraftRelease(_) => "draft_release",
            Command::EditRelease(_) => "edit_release",
            Command::ApproveRelease(_) => "approve_release",
            Command::PublishRelease(_) => "publish_release",
            Command::ScheduleReception(_) => "schedule_reception",
            Command::BookReception(_) => "book_reception",
            Command::CancelBooking(_) => "cancel_booking",
            Command::CancelReception(_) => "cancel_reception",
            Command::RecordReception(_) => "record_reception",
            Command::RegisterAppeal(_) => "register_appeal",
            Command::ReferAppeal(_) => "refer_appeal",
            Command::ExtendAppeal(_) => "extend_appeal",
            Command::AnswerAppeal(_) => "answer_appeal",
            Command::RateAppeal(_) => "rate_appeal",
            Command::ReportFromAppeal(_) => "report_from_appeal",
            Command::PublishReport(_) => "publish_report",
            Command::AttachIdentifier(_) => "attach_identifier",
            Command::RemoveIdentifier(_) => "remove_identifier",
            Command::DecideLinking(_) => "decide_linking",
            Command::RequestCancellation(_) => "request_cancellation",
            Command::DecideCancellation(_) => "decide_cancellation",
            Command::RequestFreeze(_) => "request_freeze",
            Command::AnswerFreeze(_) => "answer_freeze",
            Command::ReturnFrozen(_) => "return_frozen",
            Command::DrawSample(_) => "draw_sample",
            Command::ReviewSample(_) => "review_sample",
            Command::ConfirmSeries(_) => "confirm_series",
            Command::SplitSeries(_) => "split_series",
            Command::AcknowledgeSeriesAlert(_) => "acknowledge_series_alert",
            Command::WriteRelease(_) => "write_release",
        }
    }

    pub fn creates(&self) -> Creates {
        let new = |kind, unit: &UnitCode, persons, at| Creates::Entity { kind, unit: unit.clone(), persons, at };
        match self {
            Command::RegisterReport(r) => {
                new(EntityKind::Report, &r.unit, usize::from(r.applicant.is_some()), Dated::At(r.received_at))
            }
            Command::OpenCase(c) => new(EntityKind::Case, &c.unit, c.persons.len(), Dated::At(c.registered_at)),
            Command::RecordSeizure(s) => new(EntityKind::Seizure, &s.unit, 0, Dated::At(s.seized_at)),
            Command::HoldAccountable(a) => new(EntityKind::Accountability, &a.unit, 0, Dated::At(a.decided_at)),
            Command::RecordAccident(a) => new(EntityKind::Accident, &a.unit, 0, Dated::At(a.occurred_at)),
            Command::RequestExamination(e) => new(EntityKind::Examination, &e.unit, 0, Dated::At(e.requested_at)),
            Command::ScheduleMeeting(m) => new(EntityKind::Meeting, &m.unit, 0, Dated::On(m.held_on)),
            Command::IssueTask(t) => new(EntityKind::Task, &t.owner, 0, Dated::Today),
            Command::DraftRelease(d) => new(EntityKind::Release, &d.unit, 0, Dated::Today),
            Command::ScheduleReception(r) => new(EntityKind::Reception, &r.unit, 0, Dated::On(r.day)),
            Command::RegisterAppeal(a) => new(EntityKind::Appeal, &a.unit, 0, Dated::At(a.received_at)),
            Command::ReportFromAppeal(r) => new(
                EntityKind::Report,
                &r.report.unit,
                usize::from(r.report.applicant.is_some()),
                Dated::At(r.report.received_at),
            ),
            Command::PublishReport(p) => new(EntityKind::Publication, &p.scope, 0, Dated::Today),
            Command::RequestFreeze(f) => new(EntityKind::Freeze, &f.unit, 0, Dated::At(f.sent_at)),
            Command::DrawSample(d) => new(EntityKind::Sample, &d.unit, 0, Dated::Today),
            Command::WriteRelease(w) => new(EntityKind::Release, &w.unit, 0, Dated::Today),
            Command::ExtendCheck(_)
            | Command::DecideReport(_)
            | Command::RateHandling(_)
            | Command::AddPerson(_)
            | Command::Reclassify(_)
            | Command::DecideCase(_)
            | Command::RecordDamage(_)
            | Command::Reimburse(_)
            | Command::CompleteExamination(_)
            | Command::Annul(_)
            | Command::AdoptJurisdiction(_)
            | Command::RenameUnit(_)
            | Command::MoveUnit(_)
            | Command::MergeUnits(_)
            | Command::SetUnitContacts(_)
            | Command::AddUnit(_)
            | Command::RecordMinutes(_)
            | Command::ReportOnTask(_)
            | Command::ControlTask(_)
            | Command::EditRelease(_)
            | Command::ApproveRelease(_)
            | Command::PublishRelease(_)
            | Command::BookReception(_)
            | Command::CancelBooking(_)
            | Command::CancelReception(_)
            | Command::RecordReception(_)
            | Command::ReferAppeal(_)
            | Command::ExtendAppeal(_)
            | Command::AnswerAppeal(_)
            | Command::RateAppeal(_)
            | Command::AttachIdentifier(_)
            | Command::RemoveIdentifier(_)
            | Command::DecideLinking(_)
            | Command::RequestCancellation(_)
            | Command::DecideCancellation(_)
            | Command::AnswerFreeze(_)
            | Command::ReturnFrozen(_)
            | Command::ReviewSample(_)
            | Command::ConfirmSeries(_)
            | Command::SplitSeries(_)
            | Command::AcknowledgeSeriesAlert(_) => Creates::Nothing,
        }
    }

    /// Existing entities the command needs to see, each with the input field
    /// that named it (for the message when it does not exist).
    pub fn reads(&self) -> Vec<(Uuid, &'static str)> {
        match self {
            Command::RegisterReport(_)
            | Command::RecordAccident(_)
            | Command::HoldAccountable(_)
            | Command::Annul(_)
            | Command::AdoptJurisdiction(_)
            | Command::RenameUnit(_)
            | Command::MoveUnit(_)
            | Command::MergeUnits(_)
            | Command::SetUnitContacts(_)
            | Command::AddUnit(_)
            | Command::ScheduleMeeting(_)
            | Command::ScheduleReception(_)
            | Command::PublishReport(_)
            | Command::DrawSample(_)
            | Command::WriteRelease(_) => vec![],
            Command::ExtendCheck(e) => vec![(e.report_id, "report_id")],
            Command::DecideReport(d) => {
                let mut ids = vec![(d.report_id, "report_id")];
                if let ReportOutcome::Attach { case_id } = d.outcome {
                    ids.push((case_id, "outcome.case_id"));
                }
                ids
            }
            Command::RateHandling(r) => vec![(r.report_id, "report_id")],
            Command::OpenCase(c) => c.report_ids.iter().map(|id| (*id, "report_ids")).collect(),
            Command::AddPerson(a) => vec![(a.case_id, "case_id")],
            Command::Reclassify(r) => vec![(r.case_id, "case_id")],
            Command::DecideCase(d) => vec![(d.case_id, "case_id")],
            Command::RecordDamage(d) => vec![(d.case_id, "case_id")],
            Command::Reimburse(r) => vec![(r.case_id, "case_id")],
            Command::RecordSeizure(s) => s.case_id.map(|c| (c, "case_id")).into_iter().collect(),
            Command::RequestExamination(e) => vec![(e.case_id, "case_id")],
            Command::CompleteExamination(c) => vec![(c.examination_id, "examination_id")],
            Command::RecordMinutes(m) => vec![(m.meeting_id, "meeting_id")],
            Command::IssueTask(t) => {
                let meeting = t.meeting_id.map(|id| (id, "meeting_id"));
                meeting.into_iter().chain(t.parent_task_id.map(|id| (id, "parent_task_id"))).collect()
            }
            Command::ReportOnTask(r) => vec![(r.task_id, "task_id")],
            Command::ControlTask(c) => vec![(c.task_id, "task_id")],
            Command::DraftRelease(d) => vec![(d.meeting_id, "meeting_id")],
            Command::EditRelease(e) => vec![(e.release_id, "release_id")],
            Command::ApproveRelease(a) => vec![(a.release_id, "release_id")],
            Command::PublishRelease(p) => vec![(p.release_id, "release_id")],
            Command::BookReception(b) => vec![(b.reception_id, "reception_id")],
            Command::CancelBooking(c) => vec![(c.reception_id, "reception_id")],
            Command::CancelReception(c) => vec![(c.reception_id, "reception_id")],
            Command::RecordReception(r) => vec![(r.reception_id, "reception_id")],
            Command::RegisterAppeal(a) => a
                .repeat_of
                .map(|id| (id, "repeat_of"))
                .into_iter()
                .chain(a.reception_id.map(|id| (id, "reception_id")))
                .collect(),
            Command::ReferAppeal(r) => vec![(r.appeal_id, "appeal_id")],
            Command::ExtendAppeal(e) => vec![(e.appeal_id, "appeal_id")],
            Command::AnswerAppeal(a) => vec![(a.appeal_id, "appeal_id")],
            Command::RateAppeal(r) => vec![(r.appeal_id, "appeal_id")],
            Command::ReportFromAppeal(r) => vec![(r.appeal_id, "appeal_id")],
            Command::AttachIdentifier(a) => vec![(a.record, "record")],
            Command::RemoveIdentifier(r) => vec![(r.record, "record")],
            Command::DecideLinking(_) => vec![],
            Command::RequestCancellation(r) => vec![(r.case_id, "case_id")],
            Command::DecideCancellation(d) => vec![(d.case_id, "case_id")],
            Command::RequestFreeze(f) => vec![(f.case_id, "case_id")],
            Command::AnswerFreeze(a) => vec![(a.request_id, "request_id")],
            Command::ReturnFrozen(r) => vec![(r.case_id, "case_id"), (r.request_id, "request_id")],
            Command::ReviewSample(r) => vec![(r.sample_id, "sample_id")],
            Command::ConfirmSeries(_) | Command::SplitSeries(_) | Command::AcknowledgeSeriesAlert(_) => vec![],
        }
    }

    /// The entities the act changes: the created one and the ones it reads
    /// and alters. Cases referenced by seizures or examinations are not changed.
    pub fn subjects(&self, assigned: &Assigned) -> Vec<Uuid> {
        let mut ids = self.subjects_in_order(assigned);
        let mut seen = std::collections::BTreeSet::new();
        ids.retain(|id| seen.insert(*id));
        ids
    }

    fn subjects_in_order(&self, assigned: &Assigned) -> Vec<Uuid> {
        match self {
            Command::OpenCase(c) => std::iter::once(assigned.id).chain(c.report_ids.iter().copied()).collect(),
            Command::ReportFromAppeal(r) => vec![assigned.id, r.appeal_id],
            // The request is changed, and the case its return reimburses.
            Command::ReturnFrozen(r) => vec![r.request_id, r.case_id],
            Command::DecideReport(d) => match d.outcome {
                ReportOutcome::Attach { case_id } => vec![d.report_id, case_id],
                ReportOutcome::OpenCase { .. } | ReportOutcome::Refuse { .. } | ReportOutcome::Transfer { .. } => {
                    vec![d.report_id]
                }
            },
            // A unit change changes no entity of a register: the tree.
            Command::Annul(_)
            | Command::AdoptJurisdiction(_)
            | Command::RenameUnit(_)
            | Command::MoveUnit(_)
            | Command::MergeUnits(_)
            | Command::SetUnitContacts(_)
            | Command::AddUnit(_) => vec![],
            Command::RegisterReport(_)
            | Command::ExtendCheck(_)
            | Command::RateHandling(_)
            | Command::AddPerson(_)
            | Command::Reclassify(_)
            | Command::DecideCase(_)
            | Command::RecordDamage(_)
            | Command::Reimburse(_)
            | Command::RecordSeizure(_)
            | Command::HoldAccountable(_)
            | Command::RecordAccident(_)
            | Command::RequestExamination(_)
            | Command::CompleteExamination(_)
            // A task's meeting and parent are read, not changed: the
            // roll-up of sub-tasks is read from the index.
            | Command::ScheduleMeeting(_)
            | Command::RecordMinutes(_)
            | Command::IssueTask(_)
            | Command::ReportOnTask(_)
            | Command::ControlTask(_)
            // A release's meeting is read, not changed.
            | Command::DraftRelease(_)
            | Command::WriteRelease(_)
            | Command::EditRelease(_)
            | Command::ApproveRelease(_)
            | Command::PublishRelease(_)
            | Command::ScheduleReception(_)
            | Command::BookReception(_)
            | Command::CancelBooking(_)
            | Command::CancelReception(_)
            | Command::RecordReception(_)
            // A repeat's earlier appeal is read, not changed.
            | Command::RegisterAppeal(_)
            | Command::ReferAppeal(_)
            | Command::ExtendAppeal(_)
            | Command::AnswerAppeal(_)
            | Command::RateAppeal(_)
            | Command::PublishReport(_)
            // The report or case holding the subject.
            | Command::AttachIdentifier(_)
            | Command::RemoveIdentifier(_)
            // The key's decisions, filed under it.
            | Command::DecideLinking(_)
            | Command::RequestCancellation(_)
            | Command::DecideCancellation(_)
            // The case a request names is read, not changed.
            | Command::RequestFreeze(_)
            | Command::AnswerFreeze(_)
            | Command::DrawSample(_)
            | Command::ReviewSample(_)
            // A split among the key's decisions.
            | Command::SplitSeries(_)
            | Command::AcknowledgeSeriesAlert(_) => vec![assigned.id],
            // Filed under each record it confirmed, so the series finds it
            // from any of them, whatever id it has since.
            Command::ConfirmSeries(_) => match &assigned.confirmed {
                Some(c) => c.members.iter().map(|m| crate::series::confirmation_subject(*m)).collect(),
                None => vec![assigned.id],
            },
        }
    }

    /// The unit whose journal the act goes into: the unit of the entity it
    /// creates or changes first.
    pub fn unit<'a>(&'a self, loaded: &'a Loaded, assigned: &Assigned) -> Option<&'a UnitCode> {
        self.named_unit().or_else(|| loaded.get(&assigned.id).map(Entity::unit))
    }

    /// The unit the command itself names: that of the entity it creates, or
    /// of the journal an annulment goes into. `None` for an act on an
    /// existing entity, which is recorded in that entity's unit.
    pub fn named_unit(&self) -> Option<&UnitCode> {
        match self {
            Command::RegisterReport(r) => Some(&r.unit),
            Command::OpenCase(c) => Some(&c.unit),
            Command::RecordSeizure(s) => Some(&s.unit),
            Command::HoldAccountable(a) => Some(&a.unit),
            Command::RecordAccident(a) => Some(&a.unit),
            Command::RequestExamination(e) => Some(&e.unit),
            Command::Annul(a) => Some(&a.unit),
            Command::RenameUnit(r) => Some(&r.unit),
            Command::MoveUnit(m) => Some(&m.unit),
            Command::MergeUnits(m) => Some(&m.absorbed),
            Command::SetUnitContacts(c) => Some(&c.unit),
            Command::AddUnit(n) => Some(&n.code),
            Command::ScheduleMeeting(m) => Some(&m.unit),
            Command::IssueTask(t) => Some(&t.owner),
            Command::DraftRelease(d) => Some(&d.unit),
            Command::ScheduleReception(r) => Some(&r.unit),
            Command::RegisterAppeal(a) => Some(&a.unit),
            // The report's journal; the appeal's unit is authorized as the
            // unit of an entry the act reads.
            Command::ReportFromAppeal(r) => Some(&r.report.unit),
            Command::PublishReport(p) => Some(&p.scope),
            Command::DecideLinking(d) => Some(&d.unit),
            Command::RequestFreeze(f) => Some(&f.unit),
            Command::DrawSample(d) => Some(&d.unit),
            Command::WriteRelease(w) => Some(&w.unit),
            Command::ConfirmSeries(c) => Some(&c.unit),
            Command::SplitSeries(s) => Some(&s.unit),
            Command::AcknowledgeSeriesAlert(a) => Some(&a.unit),
            Command::ExtendCheck(_)
            | Command::DecideReport(_)
            | Command::RateHandling(_)
            | Command::AddPerson(_)
            | Command::Reclassify(_)
            | Command::DecideCase(_)
            | Command::RecordDamage(_)
            | Command::Reimburse(_)
            | Command::CompleteExamination(_)
            | Command::AdoptJurisdiction(_)
            | Command::RecordMinutes(_)
            | Command::ReportOnTask(_)
            | Command::ControlTask(_)
            | Command::EditRelease(_)
            | Command::ApproveRelease(_)
            | Command::PublishRelease(_)
            | Command::BookReception(_)
            | Command::CancelBooking(_)
            | Command::CancelReception(_)
            | Command::RecordReception(_)
            | Command::ReferAppeal(_)
            | Command::ExtendAppeal(_)
            | Command::AnswerAppeal(_)
            | Command::RateAppeal(_)
            | Command::AttachIdentifier(_)
            | Command::RemoveIdentifier(_)
            | Command::RequestCancellation(_)
            | Command::DecideCancellation(_)
            | Command::AnswerFreeze(_)
            | Command::ReturnFrozen(_)
            | Command::ReviewSample(_) => None,
        }
    }

    /// Where the record a command creates was imported from, if it was.
    pub fn source(&self) -> Option<&crate::source::SourceRef> {
        match self {
            Command::RegisterReport(r) => r.source.as_ref(),
            Command::OpenCase(c) => c.source.as_ref(),
            Command::ExtendCheck(_)
            | Command::DecideReport(_)
            | Command::RateHandling(_)
            | Command::AddPerson(_)
            | Command::Reclassify(_)
            | Command::DecideCase(_)
            | Command::RecordDamage(_)
            | Command::Reimburse(_)
            | Command::RecordSeizure(_)
            | Command::HoldAccountable(_)
            | Command::RecordAccident(_)
            | Command::RequestExamination(_)
            | Command::CompleteExamination(_)
            | Command::Annul(_)
            | Command::AdoptJurisdiction(_)
            | Command::RenameUnit(_)
            | Command::MoveUnit(_)
            | Command::MergeUnits(_)
            | Command::SetUnitContacts(_)
            | Command::AddUnit(_)
            | Command::ScheduleMeeting(_)
            | Command::RecordMinutes(_)
            | Command::IssueTask(_)
            | Command::ReportOnTask(_)
            | Command::ControlTask(_)
            | Command::DraftRelease(_)
            | Command::WriteRelease(_)
            | Command::EditRelease(_)
            | Command::ApproveRelease(_)
            | Command::PublishRelease(_)
            | Command::ScheduleReception(_)
            | Command::BookReception(_)
            | Command::CancelBooking(_)
            | Command::CancelReception(_)
            | Command::RecordReception(_)
            | Command::RegisterAppeal(_)
            | Command::ReferAppeal(_)
            | Command::ExtendAppeal(_)
            | Command::AnswerAppeal(_)
            | Command::RateAppeal(_)
            | Command::ReportFromAppeal(_)
            | Command::PublishReport(_)
            | Command::AttachIdentifier(_)
            | Command::RemoveIdentifier(_)
            | Command::DecideLinking(_)
            | Command::RequestCancellation(_)
            | Command::DecideCancellation(_)
            | Command::RequestFreeze(_)
            | Command::AnswerFreeze(_)
            | Command::ReturnFrozen(_)
            | Command::DrawSample(_)
            | Command::ReviewSample(_)
            | Command::ConfirmSeries(_)
            | Command::SplitSeries(_)
            | Command::AcknowledgeSeriesAlert(_) => None,
        }
    }

    /// The id of the existing entity a command changes, if it changes one.
    pub fn target(&self) -> Option<Uuid> {
        match self {
            Command::ExtendCheck(e) => Some(e.report_id),
            Command::DecideReport(d) => Some(d.report_id),
            Command::RateHandling(r) => Some(r.report_id),
            Command::AddPerson(a) => Some(a.case_id),
            Command::Reclassify(r) => Some(r.case_id),
            Command::DecideCase(d) => Some(d.case_id),
            Command::RecordDamage(d) => Some(d.case_id),
            Command::Reimburse(r) => Some(r.case_id),
            Command::CompleteExamination(c) => Some(c.examination_id),
            Command::RecordMinutes(m) => Some(m.meeting_id),
            Command::ReportOnTask(r) => Some(r.task_id),
            Command::ControlTask(c) => Some(c.task_id),
            Command::EditRelease(e) => Some(e.release_id),
            Command::ApproveRelease(a) => Some(a.release_id),
            Command::PublishRelease(p) => Some(p.release_id),
            Command::AttachIdentifier(a) => Some(a.record),
            Command::RemoveIdentifier(r) => Some(r.record),
            Command::DecideLinking(d) => Some(crate::series::linking_subject(&d.key)),
            Command::RequestCancellation(r) => Some(r.case_id),
            Command::DecideCancellation(d) => Some(d.case_id),
            Command::ConfirmSeries(c) => Some(crate::series::confirmation_subject(c.series)),
            Command::SplitSeries(s) => Some(crate::series::linking_subject(&s.key)),
            Command::AcknowledgeSeriesAlert(a) => Some(crate::series::alert_subject(&a.unit, a.series)),
            Command::BookReception(b) => Some(b.reception_id),
            Command::CancelBooking(c) => Some(c.reception_id),
            Command::CancelReception(c) => Some(c.reception_id),
            Command::RecordReception(r) => Some(r.reception_id),
            Command::ReferAppeal(r) => Some(r.appeal_id),
            Command::ExtendAppeal(e) => Some(e.appeal_id),
            Command::AnswerAppeal(a) => Some(a.appeal_id),
            Command::RateAppeal(r) => Some(r.appeal_id),
            Command::ReportFromAppeal(r) => Some(r.appeal_id),
            Command::AnswerFreeze(a) => Some(a.request_id),
            Command::ReturnFrozen(r) => Some(r.request_id),
            Command::ReviewSample(r) => Some(r.sample_id),
            Command::RegisterAppeal(_)
            | Command::RequestFreeze(_)
            | Command::RegisterReport(_)
            | Command::OpenCase(_)
            | Command::RecordSeizure(_)
            | Command::HoldAccountable(_)
            | Command::RecordAccident(_)
            | Command::RequestExamination(_)
            | Command::Annul(_)
            | Command::AdoptJurisdiction(_)
            | Command::RenameUnit(_)
            | Command::MoveUnit(_)
            | Command::MergeUnits(_)
            | Command::SetUnitContacts(_)
            | Command::AddUnit(_)
            | Command::ScheduleMeeting(_)
            | Command::IssueTask(_)
            | Command::DraftRelease(_)
            | Command::WriteRelease(_)
            | Command::ScheduleReception(_)
            | Command::PublishReport(_)
            | Command::DrawSample(_) => None,
        }
    }

    /// The change of the unit tree the command makes, if it makes one.
    pub fn unit_change(&self) -> Option<TreeChange> {
        match self {
            Command::RenameUnit(r) => Some(TreeChange::Dated(r.into())),
            Command::MoveUnit(m) => Some(TreeChange::Dated(m.into())),
            Command::MergeUnits(m) => Some(TreeChange::Dated(m.into())),
            Command::SetUnitContacts(c) => Some(TreeChange::Dated(c.into())),
            Command::AddUnit(n) => Some(n.into()),
            Command::RegisterReport(_)
            | Command::ExtendCheck(_)
            | Command::DecideReport(_)
            | Command::RateHandling(_)
            | Command::OpenCase(_)
            | Command::AddPerson(_)
            | Command::Reclassify(_)
            | Command::DecideCase(_)
            | Command::RecordDamage(_)
            | Command::Reimburse(_)
            | Command::RecordSeizure(_)
            | Command::HoldAccountable(_)
            | Command::RecordAccident(_)
            | Command::RequestExamination(_)
            | Command::CompleteExamination(_)
            | Command::Annul(_)
            | Command::AdoptJurisdiction(_)
            | Command::ScheduleMeeting(_)
            | Command::RecordMinutes(_)
            | Command::IssueTask(_)
            | Command::ReportOnTask(_)
            | Command::ControlTask(_)
            | Command::DraftRelease(_)
            | Command::WriteRelease(_)
            | Command::EditRelease(_)
            | Command::ApproveRelease(_)
            | Command::PublishRelease(_)
            | Command::ScheduleReception(_)
            | Command::BookReception(_)
            | Command::CancelBooking(_)
            | Command::CancelReception(_)
            | Command::RecordReception(_)
            | Command::RegisterAppeal(_)
            | Command::ReferAppeal(_)
            | Command::ExtendAppeal(_)
            | Command::AnswerAppeal(_)
            | Command::RateAppeal(_)
            | Command::ReportFromAppeal(_)
            | Command::PublishReport(_)
            | Command::AttachIdentifier(_)
            | Command::RemoveIdentifier(_)
            | Command::DecideLinking(_)
            | Command::RequestCancellation(_)
            | Command::DecideCancellation(_)
            | Command::RequestFreeze(_)
            | Command::AnswerFreeze(_)
            | Command::ReturnFrozen(_)
            | Command::DrawSample(_)
            | Command::ReviewSample(_)
            | Command::ConfirmSeries(_)
            | Command::SplitSeries(_)
            | Command::AcknowledgeSeriesAlert(_) => None,
        }
    }

    /// The days a repeat appeal's matter was answered before, read from
    /// the earlier appeal it names (the service keeps them in the act).
    pub fn matter_answers(&self, loaded: &Loaded, rules: &crate::rules::Rules) -> Vec<NaiveDate> {
        match (self, self.reads().first().and_then(|(id, _)| loaded.get(id))) {
            (Command::RegisterAppeal(_), Some(Entity::Appeal(earlier))) => appeal::matter_answers(earlier, rules),
            _ => Vec::new(),
        }
    }

    /// What a freeze request copies from the case it names, which the
    /// service keeps in the act.
    pub fn from_case(&self, loaded: &Loaded) -> Option<freeze::FromCase> {
        let Command::RequestFreeze(f) = self else { return None };
        match loaded.get(&f.case_id) {
            Some(Entity::Case(c)) => Some(freeze::from_case(f, c)),
            _ => None,
        }
    }

    /// Every rule the command must satisfy, given the entities it reads.
    pub fn check(&self, loaded: &Loaded, ctx: &Context) -> Result<(), Rejected> {
        let mut checks = Checks::default();
        for (id, field) in self.reads() {
            if !loaded.contains_key(&id) {
                checks.push(Violation::new(field, "reference.not_found").with("id", id));
            }
        }
        if !checks.is_empty() {
            return checks.finish();
        }
        self.check_loaded(loaded, ctx, &mut checks);
        checks.finish()
    }

    fn check_loaded(&self, loaded: &Loaded, ctx: &Context, checks: &mut Checks) {
        match self {
            Command::RegisterReport(r) => report::check_new(r, ctx, checks),
            Command::ExtendCheck(e) => {
                if let Some(r) = as_report(loaded, e.report_id, "report_id", checks) {
                    report::check_extension(r, e, ctx, checks);
                }
            }
            Command::DecideReport(d) => check_report_decision(d, loaded, ctx, checks),
            Command::RateHandling(rate) => {
                if let Some(r) = as_report(loaded, rate.report_id, "report_id", checks) {
                    report::check_rating(r, rate, ctx, checks);
                }
            }
            Command::OpenCase(c) => check_open_case(c, loaded, ctx, checks),
            Command::AddPerson(a) => {
                if let Some(c) = as_case(loaded, a.case_id, "case_id", checks) {
                    a.person.check("person", ctx.today(), checks);
                    checks.check(a.person.role != PersonRole::Applicant, || {
                        Violation::new("person.role", "person.applicant_belongs_to_report")
                    });
                    checks.check(c.persons.len() < 500, || {
                        Violation::new("case_id", "case.too_many_persons").with("max", 500)
                    });
                }
            }
            Command::Reclassify(r) => {
                if let Some(c) = as_case(loaded, r.case_id, "case_id", checks) {
                    case::check_reclassify(c, r, ctx, checks);
                }
            }
            Command::DecideCase(d) => {
                if let Some(c) = as_case(loaded, d.case_id, "case_id", checks) {
                    case::check_decision(c, d, ctx, checks);
                }
            }
            Command::RecordDamage(d) => {
                if let Some(c) = as_case(loaded, d.case_id, "case_id", checks) {
                    case::check_damage(c, d, ctx, checks);
                }
            }
            Command::Reimburse(r) => {
                if let Some(c) = as_case(loaded, r.case_id, "case_id", checks) {
                    case::check_reimbursement(c, r, ctx, checks);
                }
            }
            Command::RecordSeizure(s) => {
                if let Some(id) = s.case_id {
                    as_case(loaded, id, "case_id", checks);
                }
                registers::check_seizure(s, ctx, checks);
            }
            Command::HoldAccountable(a) => registers::check_accountability(a, ctx, checks),
            Command::RecordAccident(a) => registers::check_accident(a, ctx, checks),
            Command::RequestExamination(e) => {
                if let Some(c) = as_case(loaded, e.case_id, "case_id", checks) {
                    checks.check(e.requested_at >= c.registered_at, || {
                        Violation::new("requested_at", "date.before_registration").with("registered", c.registered_at)
                    });
                }
                registers::check_examination(e, ctx, checks);
            }
            Command::CompleteExamination(done) => match loaded.get(&done.examination_id) {
                Some(Entity::Examination(e)) => registers::check_completion(e, done, ctx, checks),
                _ => checks
                    .push(Violation::new("examination_id", "reference.wrong_kind").with("expected", "examination")),
            },
            Command::Annul(a) => {
                checks.check(!a.reason.trim().is_empty(), || Violation::new("reason", "text.required"));
                checks.check(a.seq > 0, || Violation::new("seq", "number.range").with("min", 1));
            }
            // What a pack's files mean is read and checked by the service,
            // which knows the counting rules; the domain sees only files.
            Command::AdoptJurisdiction(_) => {}
            // Against the current tree; the registry checks the order of the
            // effective dates against the changes already recorded.
            Command::RenameUnit(_)
            | Command::MoveUnit(_)
            | Command::MergeUnits(_)
            | Command::SetUnitContacts(_)
            | Command::AddUnit(_) => {
                if let Some(change) = self.unit_change() {
                    ctx.units.check_change(&change.change(), checks);
                }
            }
            Command::ScheduleMeeting(m) => meeting::check_new(m, ctx, checks),
            Command::RecordMinutes(m) => {
                if let Some(meeting) = as_meeting(loaded, m.meeting_id, "meeting_id", checks) {
                    meeting::check_minutes(meeting, m, ctx, checks);
                }
            }
            Command::IssueTask(t) => {
                let meeting = t.meeting_id.and_then(|id| as_meeting(loaded, id, "meeting_id", checks));
                let parent = t.parent_task_id.and_then(|id| as_task(loaded, id, "parent_task_id", checks));
                task::check_new(t, meeting, parent, ctx, checks);
            }
            Command::ReportOnTask(r) => {
                if let Some(t) = as_task(loaded, r.task_id, "task_id", checks) {
                    task::check_report(t, r, ctx, checks);
                }
            }
            Command::ControlTask(c) => {
                if let Some(t) = as_task(loaded, c.task_id, "task_id", checks) {
                    task::check_control(t, c, checks);
                }
            }
            Command::DraftRelease(d) => {
                if let Some(m) = as_meeting(loaded, d.meeting_id, "meeting_id", checks) {
                    release::check_draft(m, &d.unit, checks);
                }
            }
            Command::EditRelease(e) => {
                if let Some(r) = as_release(loaded, e.release_id, checks) {
                    release::check_edit(r, e, ctx, checks);
                }
            }
            Command::ApproveRelease(a) => {
                if let Some(r) = as_release(loaded, a.release_id, checks) {
                    release::check_approve(r, checks);
                }
            }
            Command::PublishRelease(p) => {
                if let Some(r) = as_release(loaded, p.release_id, checks) {
                    release::check_publish(r, p, ctx, checks);
                }
            }
            Command::ScheduleReception(r) => reception::check_new(r, ctx, checks),
            Command::BookReception(b) => {
                if let Some(r) = as_reception(loaded, b.reception_id, checks) {
                    reception::check_booking(r, b, ctx, checks);
                }
            }
            Command::CancelBooking(c) => {
                if let Some(r) = as_reception(loaded, c.reception_id, checks) {
                    reception::check_cancel_booking(r, c, ctx, checks);
                }
            }
            Command::CancelReception(c) => {
                if let Some(r) = as_reception(loaded, c.reception_id, checks) {
                    reception::check_cancel(r, c, ctx, checks);
                }
            }
            Command::RecordReception(rec) => {
                if let Some(r) = as_reception(loaded, rec.reception_id, checks) {
                    reception::check_record(r, rec, ctx, checks);
                }
            }
            Command::RegisterAppeal(a) => {
                let earlier = a.repeat_of.and_then(|id| as_appeal(loaded, id, "repeat_of", checks));
                let reception = a.reception_id.and_then(|id| as_reception(loaded, id, checks));
                appeal::check_new(a, earlier, reception, ctx, checks);
            }
            Command::ReferAppeal(r) => {
                if let Some(a) = as_appeal(loaded, r.appeal_id, "appeal_id", checks) {
                    appeal::check_referral(a, r, ctx, checks);
                }
            }
            Command::ExtendAppeal(e) => {
                if let Some(a) = as_appeal(loaded, e.appeal_id, "appeal_id", checks) {
                    appeal::check_extension(a, e, ctx, checks);
                }
            }
            Command::AnswerAppeal(ans) => {
                if let Some(a) = as_appeal(loaded, ans.appeal_id, "appeal_id", checks) {
                    appeal::check_answer(a, ans, ctx, checks);
                }
            }
            Command::RateAppeal(rate) => {
                if let Some(a) = as_appeal(loaded, rate.appeal_id, "appeal_id", checks) {
                    appeal::check_rating(a, rate, ctx, checks);
                }
            }
            Command::ReportFromAppeal(r) => {
                if let Some(a) = as_appeal(loaded, r.appeal_id, "appeal_id", checks) {
                    appeal::check_report(a, r, ctx, checks);
                }
            }
            Command::PublishReport(p) => publication::check_new(p, ctx, checks),
            Command::AttachIdentifier(a) => identifier::check_attach(a, loaded, checks),
            Command::RemoveIdentifier(r) => identifier::check_remove(r, loaded, checks),
            Command::DecideLinking(d) => crate::series::check_decision(d, checks),
            Command::RequestCancellation(r) => {
                if let Some(c) = as_case(loaded, r.case_id, "case_id", checks) {
                    cancellation::check_request(c, r, ctx, checks);
                }
            }
            Command::DecideCancellation(d) => {
                if let Some(c) = as_case(loaded, d.case_id, "case_id", checks) {
                    cancellation::check_decision(c, d, ctx, checks);
                }
            }
            Command::RequestFreeze(f) => {
                if let Some(c) = as_case(loaded, f.case_id, "case_id", checks) {
                    freeze::check_new(f, c, ctx, checks);
                }
            }
            Command::AnswerFreeze(a) => {
                if let Some(r) = as_freeze(loaded, a.request_id, checks) {
                    freeze::check_answer(r, a, ctx, checks);
                }
            }
            Command::ReturnFrozen(ret) => {
                let case = as_case(loaded, ret.case_id, "case_id", checks);
                if let (Some(c), Some(r)) = (case, as_freeze(loaded, ret.request_id, checks)) {
                    freeze::check_return(r, c, ret, ctx, checks);
                }
            }
            Command::DrawSample(d) => inspection::check_draw(d, ctx, checks),
            Command::ReviewSample(r) => match loaded.get(&r.sample_id) {
                Some(Entity::Sample(s)) => inspection::check_review(s, r, checks),
                _ => checks.push(Violation::new("sample_id", "reference.wrong_kind").with("expected", "sample")),
            },
            Command::ConfirmSeries(c) => crate::series::check_confirm(c, checks),
            Command::SplitSeries(s) => crate::series::check_split(s, checks),
            Command::AcknowledgeSeriesAlert(_) => {}
            Command::WriteRelease(w) => release::check_write(w, ctx, checks),
        }
    }

    /// Applies an act to the entities it changes. Infallible: an act in the
    /// journal was checked when it was recorded, and replay must reproduce it.
    pub fn apply(&self, assigned: &Assigned, loaded: &mut Loaded, ctx: &Context) {
        let id = assigned.id;
        let number = assigned.number.as_str();
        // Recorded acts always carry their day; today's is only for an act being checked.
        let recorded_on = assigned.recorded_on.unwrap_or_else(|| ctx.today());
        match self {
            Command::RegisterReport(r) => {
                let applicant_id = assigned.person_ids.first().copied().unwrap_or(id);
                let late = assigned.late.clone().filter(|l| l.hours_after_receipt.is_some());
                loaded.insert(id, Entity::Report(report::register(id, number, applicant_id, r, late, ctx)));
            }
            Command::ExtendCheck(e) => {
                if let Some(Entity::Report(r)) = loaded.get_mut(&e.report_id) {
                    report::extend(r, e, ctx);
                }
            }
            Command::DecideReport(d) => {
                if let Some(Entity::Report(r)) = loaded.get_mut(&d.report_id) {
                    r.decide(d.decided_at, d.outcome.clone(), d.late_reason.clone());
                }
                if let ReportOutcome::Attach { case_id } = d.outcome
                    && let Some(Entity::Case(c)) = loaded.get_mut(&case_id)
                {
                    c.report_ids.push(d.report_id);
                }
            }
            Command::RateHandling(rate) => {
                if let Some(Entity::Report(r)) = loaded.get_mut(&rate.report_id) {
                    r.satisfaction = Some(rate.score);
                }
            }
            Command::OpenCase(c) => {
                for report_id in &c.report_ids {
                    if let Some(Entity::Report(r)) = loaded.get_mut(report_id) {
                        r.decide(c.registered_at, ReportOutcome::OpenCase { case_id: id }, c.late_reason.clone());
                    }
                }
                loaded.insert(id, Entity::Case(case::open(id, number, &assigned.person_ids, c, ctx)));
            }
            Command::AddPerson(a) => {
                if let Some(Entity::Case(c)) = loaded.get_mut(&a.case_id) {
                    let pid = assigned.person_ids.first().copied().unwrap_or_else(Uuid::nil);
                    c.persons.push(Person { id: pid, input: a.person.clone(), identifiers: Vec::new() });
                }
            }
            Command::Reclassify(r) => with_case(loaded, r.case_id, |c| case::reclassify(c, r, ctx)),
            Command::DecideCase(d) => with_case(loaded, d.case_id, |c| case::decide(c, d)),
            Command::RecordDamage(d) => with_case(loaded, d.case_id, |c| {
                c.damage.push(case::Money {
                    amount_qepik: d.amount_qepik,
                    at: d.assessed_at,
                    victim_id: d.victim_id,
                    freeze_id: None,
                })
            }),
            Command::Reimburse(r) => with_case(loaded, r.case_id, |c| {
                c.reimbursements.push(case::Money {
                    amount_qepik: r.amount_qepik,
                    at: r.reimbursed_at,
                    victim_id: None,
                    freeze_id: None,
                })
            }),
            Command::RecordSeizure(s) => {
                loaded.insert(id, Entity::Seizure(Registered { id, number: number.into(), entry: s.clone() }));
            }
            Command::HoldAccountable(a) => {
                loaded.insert(id, Entity::Accountability(Registered { id, number: number.into(), entry: a.clone() }));
            }
            Command::RecordAccident(a) => {
                loaded.insert(id, Entity::Accident(Registered { id, number: number.into(), entry: a.clone() }));
            }
            Command::RequestExamination(e) => {
                let exam = Examination { id, number: number.into(), request: e.clone(), result: None };
                loaded.insert(id, Entity::Examination(exam));
            }
            Command::CompleteExamination(done) => {
                if let Some(Entity::Examination(e)) = loaded.get_mut(&done.examination_id) {
                    e.result = Some(ExaminationResult {
                        done_at: done.done_at,
                        result: done.result.trim().to_string(),
                        identified_person: done.identified_person,
                    });
                }
            }
            // The tree is not an entity: the registry applies the change to it.
            Command::Annul(_)
            | Command::AdoptJurisdiction(_)
            | Command::RenameUnit(_)
            | Command::MoveUnit(_)
            | Command::MergeUnits(_)
            | Command::SetUnitContacts(_)
            | Command::AddUnit(_) => {}
            Command::ScheduleMeeting(m) => {
                loaded.insert(id, Entity::Meeting(meeting::schedule(id, number, m)));
            }
            Command::RecordMinutes(m) => {
                if let Some(Entity::Meeting(meeting)) = loaded.get_mut(&m.meeting_id) {
                    meeting::hold(meeting, m, recorded_on);
                }
            }
            Command::IssueTask(t) => {
                loaded.insert(id, Entity::Task(task::issue(id, number, t, &assigned.readings, recorded_on)));
            }
            Command::ReportOnTask(r) => {
                if let Some(Entity::Task(t)) = loaded.get_mut(&r.task_id) {
                    task::report(t, r, &assigned.readings, recorded_on);
                }
            }
            Command::ControlTask(c) => {
                if let Some(Entity::Task(t)) = loaded.get_mut(&c.task_id) {
                    task::control(t, c, &assigned.readings, recorded_on);
                }
            }
            Command::DraftRelease(d) => {
                if let Some(Entity::Meeting(m)) = loaded.get(&d.meeting_id) {
                    let made = release::draft(id, number, m, assigned.release.as_ref(), recorded_on);
                    loaded.insert(id, Entity::Release(made));
                }
            }
            Command::EditRelease(e) => with_release(loaded, e.release_id, |r| release::edit(r, e)),
            Command::ApproveRelease(a) => with_release(loaded, a.release_id, |r| release::approve(r, recorded_on)),
            Command::PublishRelease(p) => with_release(loaded, p.release_id, |r| release::publish(r, p, recorded_on)),
            Command::ScheduleReception(r) => {
                loaded.insert(id, Entity::Reception(reception::schedule(id, number, r)));
            }
            Command::BookReception(b) => with_reception(loaded, b.reception_id, |r| reception::book(r, b, recorded_on)),
            Command::CancelBooking(c) => with_reception(loaded, c.reception_id, |r| reception::cancel_booking(r, c)),
            Command::CancelReception(c) => {
                with_reception(loaded, c.reception_id, |r| reception::cancel(r, c, recorded_on))
            }
            Command::RecordReception(rec) => {
                with_reception(loaded, rec.reception_id, |r| reception::hold(r, rec, recorded_on))
            }
            Command::RegisterAppeal(a) => {
                loaded.insert(id, Entity::Appeal(appeal::register(id, number, a, &assigned.matter_answers, ctx)));
            }
            Command::ReferAppeal(r) => with_appeal(loaded, r.appeal_id, |a| appeal::refer(a, r)),
            Command::ExtendAppeal(e) => with_appeal(loaded, e.appeal_id, |a| appeal::extend(a, e, ctx)),
            Command::AnswerAppeal(ans) => with_appeal(loaded, ans.appeal_id, |a| appeal::answer(a, ans)),
            Command::RateAppeal(rate) => with_appeal(loaded, rate.appeal_id, |a| a.satisfaction = Some(rate.score)),
            Command::ReportFromAppeal(r) => {
                let applicant_id = assigned.person_ids.first().copied().unwrap_or(id);
                let late = assigned.late.clone().filter(|l| l.hours_after_receipt.is_some());
                let mut made = report::register(id, number, applicant_id, &r.report, late, ctx);
                made.appeal_id = Some(r.appeal_id);
                loaded.insert(id, Entity::Report(made));
                with_appeal(loaded, r.appeal_id, |a| appeal::link_report(a, id, number, r.report.received_at));
            }
            Command::PublishReport(p) => {
                // Recorded acts always carry their stamp; a zero one is only for an act being checked.
                let stamp = assigned.published.unwrap_or(Published { position: 0, revision: 1 });
                loaded.insert(id, Entity::Publication(publication::publish(id, number, p, stamp, recorded_on)));
            }
            Command::AttachIdentifier(a) => identifier::attach(a, loaded),
            Command::RemoveIdentifier(r) => identifier::remove(r, loaded),
            // A decision changes no record: the series, which the service works out again.
            Command::DecideLinking(_)
            | Command::ConfirmSeries(_)
            | Command::SplitSeries(_)
            | Command::AcknowledgeSeriesAlert(_) => {}
            Command::RequestCancellation(r) => with_case(loaded, r.case_id, |c| {
                cancellation::request(c, r, assigned.by.as_deref().unwrap_or_default())
            }),
            Command::DecideCancellation(d) => {
                with_case(loaded, d.case_id, |c| cancellation::decide(c, d, assigned.by.as_deref().unwrap_or_default()))
            }
            Command::RequestFreeze(f) => {
                // Recorded acts always carry what they copied; an act being checked reads its case.
                let copied = assigned.from_case.clone().or_else(|| self.from_case(loaded)).unwrap_or_default();
                loaded.insert(id, Entity::Freeze(freeze::request(id, number, f, copied, ctx)));
            }
            Command::AnswerFreeze(a) => with_freeze(loaded, a.request_id, |r| freeze::answer(r, a)),
            Command::ReturnFrozen(ret) => {
                with_freeze(loaded, ret.request_id, |r| freeze::give_back(r, ret));
                with_case(loaded, ret.case_id, |c| c.reimbursements.push(freeze::reimbursement(ret)));
            }
            Command::DrawSample(d) => {
                // Recorded acts always carry their draw; an empty one is only for an act being checked.
                let drawn = assigned.drawn.clone().unwrap_or(Drawn { seed: 0, population: 0, items: Vec::new() });
                loaded.insert(id, Entity::Sample(inspection::open(id, number, d, &drawn, recorded_on)));
            }
            Command::ReviewSample(r) => {
                if let Some(Entity::Sample(s)) = loaded.get_mut(&r.sample_id) {
                    inspection::review(s, r, recorded_on);
                }
            }
            Command::WriteRelease(w) => {
                loaded.insert(id, Entity::Release(release::write(id, number, w, recorded_on)));
            }
        }
    }
}

fn as_freeze<'a>(loaded: &'a Loaded, id: Uuid, checks: &mut Checks) -> Option<&'a FreezeRequest> {
    match loaded.get(&id) {
        Some(Entity::Freeze(r)) => Some(r),
        _ => {
            checks.push(Violation::new("request_id", "reference.wrong_kind").with("expected", "freeze"));
            None
        }
    }
}

fn with_freeze(loaded: &mut Loaded, id: Uuid, f: impl FnOnce(&mut FreezeRequest)) {
    if let Some(Entity::Freeze(r)) = loaded.get_mut(&id) {
        f(r);
    }
}

fn as_appeal<'a>(loaded: &'a Loaded, id: Uuid, field: &str, checks: &mut Checks) -> Option<&'a Appeal> {
    match loaded.get(&id) {
        Some(Entity::Appeal(a)) => Some(a),
        _ => {
            checks.push(Violation::new(field, "reference.wrong_kind").with("expected", "appeal"));
            None
        }
    }
}

fn with_appeal(loaded: &mut Loaded, id: Uuid, f: impl FnOnce(&mut Appeal)) {
    if let Some(Entity::Appeal(a)) = loaded.get_mut(&id) {
        f(a);
    }
}

fn as_meeting<'a>(loaded: &'a Loaded, id: Uuid, field: &str, checks: &mut Checks) -> Option<&'a Meeting> {
    match loaded.get(&id) {
        Some(Entity::Meeting(m)) => Some(m),
        _ => {
            checks.push(Violation::new(field, "reference.wrong_kind").with("expected", "meeting"));
            None
        }
    }
}

fn as_task<'a>(loaded: &'a Loaded, id: Uuid, field: &str, checks: &mut Checks) -> Option<&'a Task> {
    match loaded.get(&id) {
        Some(Entity::Task(t)) => Some(t),
        _ => {
            checks.push(Violation::new(field, "reference.wrong_kind").with("expected", "task"));
            None
        }
    }
}

fn as_release<'a>(loaded: &'a Loaded, id: Uuid, checks: &mut Checks) -> Option<&'a Release> {
    match loaded.get(&id) {
        Some(Entity::Release(r)) => Some(r),
        _ => {
            checks.push(Violation::new("release_id", "reference.wrong_kind").with("expected", "release"));
            None
        }
    }
}

fn as_reception<'a>(loaded: &'a Loaded, id: Uuid, checks: &mut Checks) -> Option<&'a Reception> {
    match loaded.get(&id) {
        Some(Entity::Reception(r)) => Some(r),
        _ => {
            checks.push(Violation::new("reception_id", "reference.wrong_kind").with("expected", "reception"));
            None
        }
    }
}

fn with_reception(loaded: &mut Loaded, id: Uuid, f: impl FnOnce(&mut Reception)) {
    if let Some(Entity::Reception(r)) = loaded.get_mut(&id) {
        f(r);
    }
}

fn with_release(loaded: &mut Loaded, id: Uuid, f: impl FnOnce(&mut Release)) {
    if let Some(Entity::Release(r)) = loaded.get_mut(&id) {
        f(r);
    }
}

fn with_case(loaded: &mut Loaded, id: Uuid, f: impl FnOnce(&mut CriminalCase)) {
    if let Some(Entity::Case(c)) = loaded.get_mut(&id) {
        f(c);
    }
}

fn as_report<'a>(loaded: &'a Loaded, id: Uuid, field: &str, checks: &mut Checks) -> Option<&'a CrimeReport> {
    match loaded.get(&id) {
        Some(Entity::Report(r)) => Some(r),
        _ => {
            checks.push(Violation::new(field, "reference.wrong_kind").with("expected", "report"));
            None
        }
    }
}

fn as_case<'a>(loaded: &'a Loaded, id: Uuid, field: &str, checks: &mut Checks) -> Option<&'a CriminalCase> {
    match loaded.get(&id) {
        Some(Entity::Case(c)) => Some(c),
        _ => {
            checks.push(Violation::new(field, "reference.wrong_kind").with("expected", "case"));
            None
        }
    }
}

fn check_report_decision(d: &DecideReport, loaded: &Loaded, ctx: &Context, checks: &mut Checks) {
    let Some(r) = as_report(loaded, d.report_id, "report_id", checks) else { return };
    ctx.check_not_future(checks, "decided_at", d.decided_at);
    r.check_decision("report_id", d.decided_at, d.late_reason.as_deref(), checks);
    match &d.outcome {
        ReportOutcome::OpenCase { .. } => checks.push(Violation::new("outcome.kind", "report.open_case_through_case")),
        ReportOutcome::Refuse { ground } => {
            checks.check(!ground.trim().is_empty(), || Violation::new("outcome.ground", "text.required"))
        }
        ReportOutcome::Transfer { to_body } => {
            checks.check(!to_body.trim().is_empty(), || Violation::new("outcome.to_body", "text.required"))
        }
        ReportOutcome::Attach { case_id } => {
            as_case(loaded, *case_id, "outcome.case_id", checks);
        }
    }
}

fn check_open_case(c: &NewCase, loaded: &Loaded, ctx: &Context, checks: &mut Checks) {
    case::check_new(c, ctx, checks);
    let mut reports = Vec::new();
    for (i, id) in c.report_ids.iter().enumerate() {
        if let Some(r) = as_report(loaded, *id, &format!("report_ids[{i}]"), checks) {
            r.check_decision(&format!("report_ids[{i}]"), c.registered_at, c.late_reason.as_deref(), checks);
            reports.push(r);
        }
    }
    let mut sorted = c.report_ids.clone();
    sorted.sort();
    sorted.dedup();
    checks.check(sorted.len() == c.report_ids.len(), || Violation::new("report_ids", "list.duplicate"));
    let only_anonymous = !reports.is_empty() && reports.iter().all(|r| r.is_anonymous());
    checks.check(!only_anonymous || c.detected_by_police, || Violation::new("report_ids", "case.anonymous_only"));
}

/// Rebuilds entities from their acts, in journal order, skipping annulled ones.
pub fn replay<'a>(acts: impl IntoIterator<Item = &'a Act>, ctx: &Context) -> Loaded {
    let mut loaded = Loaded::new();
    for act in acts {
        act.command.apply(&act.assigned, &mut loaded, ctx);
    }
    loaded
}
