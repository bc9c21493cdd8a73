//! Who may do what, and where. A role names the work a person does; an
//! action names what a route or command needs; one table says which roles
//! may take which actions. Scope is the unit tree: a person acts within their
//! home unit and the units below it, except that an analyst reads figures
//! everywhere and personal data only in the units granted to them. The
//! system itself (an import, the demo, the generators) is a principal too:
//! it records acts everywhere and reads nothing.
//!
//! Also the password policy, since what makes a password acceptable is a rule
//! and not a matter of storage.

use crate::error::{Checks, Rejected, Violation};
use crate::units::{UnitCode, UnitTree};
use serde::{Deserialize, Serialize};

/// The work a user does, which decides what they may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Administrator,
    HqAnalyst,
    UnitChief,
    Investigator,
    DutyOfficer,
    ForensicExpert,
    PressOfficer,
    /// The Board's secretary: meetings, their agendas and minutes, and the
    /// tasks they decide.
    BoardSecretary,
    /// Follows the Board's tasks up and alone closes, extends or returns
    /// those naming them as controller.
    Controller,
    /// A unit's appeals office: registers citizens' appeals, refers,
    /// extends and answers them, and passes an offence on as a crime report.
    AppealsOfficer,
    Public,
    /// The system recording on its own account (an import, the demo, the
    /// generators): no person, so no account to sign in with.
    System,
    /// Inspects the recording of every unit: draws samples of a unit's
    /// decisions, reviews them, and reads the figures and signals that
    /// point to a unit worth asking about.
    Inspector,
}

impl Role {
    pub const ALL: [Role; 13] = [
        Role::Administrator,
        Role::HqAnalyst,
        Role::UnitChief,
        Role::Investigator,
        Role::DutyOfficer,
        Role::ForensicExpert,
        Role::PressOfficer,
        Role::BoardSecretary,
        Role::Controller,
        Role::AppealsOfficer,
        Role::Public,
        Role::System,
        Role::Inspector,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::HqAnalyst => "hq_analyst",
            Role::UnitChief => "unit_chief",
            Role::Investigator => "investigator",
            Role::DutyOfficer => "duty_officer",
            Role::ForensicExpert => "forensic_expert",
            Role::PressOfficer => "press_officer",
            Role::BoardSecretary => "board_secretary",
            Role::Controller => "controller",
            Role::AppealsOfficer => "appeals_officer",
            Role::Public => "public",
            Role::System => "system",
            Role::Inspector => "inspector",
        }
    }

    /// The stored name, or a short alias a person types (`admin`, `analyst`, `chief`).
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Administrator),
            "analyst" => Some(Role::HqAnalyst),
            "chief" => Some(Role::UnitChief),
            "secretary" => Some(Role::BoardSecretary),
            _ => Role::ALL.into_iter().find(|r| r.as_str() == s),
        }
    }

    /// Staff sign in with a second factor; the public and the system have no account.
    pub fn is_staff(self) -> bool {
        match self {
            Role::Public | Role::System => false,
            Role::Administrator
            | Role::HqAnalyst
            | Role::UnitChief
            | Role::Investigator
            | Role::DutyOfficer
            | Role::ForensicExpert
            | Role::PressOfficer
            | Role::BoardSecretary
            | Role::Controller
            | Role::AppealsOfficer
            | Role::Inspector => true,
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a route or a command needs permission for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Figures after small-cell suppression, the unit tree: anyone.
    ReadPublicFigures,
    /// The Board's figures as counted, before suppression.
    ReadFigures,
    /// The figures as a file (CSV, workbook, open data).
    ExportFigures,
    /// Releases figures to the public.
    PublishFigures,
    /// Registers without personal data: seizures, accidents, examinations.
    ReadRecords,
    /// Reports, cases, persons and accountability: they name people.
    ReadPersonalData,
    /// Records with personal data taken out of the system as a file.
    ExportRecords,
    /// The journal: every act as recorded, personal data included.
    ReadJournal,
    RegisterReport,
    /// Decisions on a report: extend the check, decide, rate the handling.
    DecideReport,
    /// Open a case and every act on it: persons, articles, decisions, damage,
    /// seizures, accountability, asking for an examination.
    WorkCase,
    RecordAccident,
    /// A forensic examination's result.
    RecordExamination,
    /// Annul a recorded act, naming the reason.
    AnnulAct,
    /// Walk the hash chains.
    VerifyChains,
    AdministerUsers,
    ReadAudit,
    /// Add units to the unit tree: the country's structure, which the
    /// system loads (`crimeboard units`, an import, the demo).
    ManageUnits,
    /// Adopt a jurisdiction pack: the rules, catalogue, counting rules and
    /// units the whole installation works under.
    ManageJurisdiction,
    /// The Board's meetings (schedule, minutes) and the tasks they issue.
    ManageMeetings,
    /// The owner unit's reports back on its tasks.
    ReportOnTasks,
    /// Close, extend or return a task (only the controller it names).
    ControlTasks,
    /// The Board's meetings, tasks, queues and follow-up sheet.
    ReadTasks,
    /// A meeting's press release: the system's draft asked for, its words edited.
    DraftReleases,
    /// A press release approved as it stands, frozen from then on.
    ApproveReleases,
    /// A chief's receptions of citizens: schedule a session, call it off,
    /// record who came and what came of each matter.
    ManageReceptions,
    /// Book a citizen's place in a session (by telephone, online, at the
    /// desk), or give a booked place up.
    BookReceptions,
    /// Citizens' appeals: register, refer, extend, answer, record the
    /// rating, and register a crime report from one.
    HandleAppeals,
    /// The appeals register, its queue and timelines: they name people.
    ReadAppeals,
    /// Attach digital identifiers to reports, cases and persons, and remove them.
    RecordIdentifiers,
    /// The signs of under-recording per unit: the questions an inspector
    /// asks of the units below one, with their funnel plots.
    ReadSignals,
    /// Decide how an identifier links records into series: exclude it,
    /// let a hub link, or give it back to the rules.
    AnalyseSeries,
    /// The public site's own forms: a crime report or a citizen's appeal
    /// received online, and the applicant's rating of its handling once
    /// closed (docs/public-site.md). Nothing else a public caller records.
    SubmitOnline,
    /// Approve or refuse a request to cancel a recorded crime: the second
    /// approver, whom the rules' `[cancellation]` may require from a unit
    /// above the crime's.
    ApproveCancellation,
    /// Draw a random sample of a unit's refusals, reclassifications,
    /// annulments or cancellations for review.
    DrawSample,
    /// Record a review's finding on a decision of a sample.
    ReviewSample,
    /// The samples, their findings and the estimated error rates.
    ReadSamples,
}

impl Action {
    pub const ALL: [Action; 37] = [
        Action::ReadPublicFigures,
        Action::ReadFigures,
        Action::ExportFigures,
        Action::PublishFigures,
        Action::ReadRecords,
        Action::ReadPersonalData,
        Action::ExportRecords,
        Action::ReadJournal,
        Action::RegisterReport,
        Action::DecideReport,
        Action::WorkCase,
        Action::RecordAccident,
        Action::RecordExamination,
        Action::AnnulAct,
        Action::VerifyChains,
        Action::AdministerUsers,
        Action::ReadAudit,
        Action::ManageUnits,
        Action::ManageJurisdiction,
        Action::ManageMeetings,
        Action::ReportOnTasks,
        Action::ControlTasks,
        Action::ReadTasks,
        Action::DraftReleases,
        Action::ApproveReleases,
        Action::ManageReceptions,
        Action::BookReceptions,
        Action::HandleAppeals,
        Action::ReadAppeals,
        Action::RecordIdentifiers,
        Action::ReadSignals,
        Action::AnalyseSeries,
        Action::SubmitOnline,
        Action::ApproveCancellation,
        Action::DrawSample,
        Action::ReviewSample,
        Action::ReadSamples,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::ReadPublicFigures => "read_public_figures",
            Action::ReadFigures => "read_figures",
            Action::ExportFigures => "export_figures",
            Action::PublishFigures => "publish_figures",
            Action::ReadRecords => "read_records",
            Action::ReadPersonalData => "read_personal_data",
            Action::ExportRecords => "export_records",
            Action::ReadJournal => "read_journal",
            Action::RegisterReport => "register_report",
            Action::DecideReport => "decide_report",
            Action::WorkCase => "work_case",
            Action::RecordAccident => "record_accident",
            Action::RecordExamination => "record_examination",
            Action::AnnulAct => "annul_act",
            Action::VerifyChains => "verify_chains",
            Action::AdministerUsers => "administer_users",
            Action::ReadAudit => "read_audit",
            Action::ManageUnits => "manage_units",
            Action::ManageJurisdiction => "manage_jurisdiction",
            Action::ManageMeetings => "manage_meetings",
            Action::ReportOnTasks => "report_on_tasks",
            Action::ControlTasks => "control_tasks",
            Action::ReadTasks => "read_tasks",
            Action::DraftReleases => "draft_releases",
            Action::ApproveReleases => "approve_releases",
            Action::ManageReceptions => "manage_receptions",
            Action::BookReceptions => "book_receptions",
            Action::HandleAppeals => "handle_appeals",
            Action::ReadAppeals => "read_appeals",
            Action::RecordIdentifiers => "record_identifiers",
            Action::ReadSignals => "read_signals",
            Action::AnalyseSeries => "analyse_series",
            Action::SubmitOnline => "submit_online",
            Action::ApproveCancellation => "approve_cancellation",
            Action::DrawSample => "draw_sample",
            Action::ReviewSample => "review_sample",
            Action::ReadSamples => "read_samples",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Whether the action is about the whole system rather than a unit's
    /// data: it has no unit to be scoped by.
    pub fn is_system_wide(self) -> bool {
        matches!(
            self,
            Action::ReadPublicFigures
                | Action::VerifyChains
                | Action::AdministerUsers
                | Action::ReadAudit
                | Action::ManageUnits
                | Action::ManageJurisdiction
        )
    }

    /// The action a registry command needs.
    pub fn for_command(command: &crate::Command) -> Action {
        use crate::Command as C;
        match command {
            C::RegisterReport(_) => Action::RegisterReport,
            C::ExtendCheck(_) | C::DecideReport(_) | C::RateHandling(_) => Action::DecideReport,
            C::OpenCase(_)
            | C::AddPerson(_)
            | C::Reclassify(_)
            | C::DecideCase(_)
            | C::RecordDamage(_)
            | C::Reimburse(_)
            | C::RecordSeizure(_)
            | C::HoldAccountable(_)
            | C::RequestExamination(_)
            | C::RequestCancellation(_)
            // Freezing the money of a case is the investigator's work on it.
            | C::RequestFreeze(_)
            | C::AnswerFreeze(_)
            | C::ReturnFrozen(_) => Action::WorkCase,
            C::RecordAccident(_) => Action::RecordAccident,
            C::CompleteExamination(_) => Action::RecordExamination,
            C::Annul(_) => Action::AnnulAct,
            C::AdoptJurisdiction(_) => Action::ManageJurisdiction,
            C::RenameUnit(_) | C::MoveUnit(_) | C::MergeUnits(_) | C::SetUnitContacts(_) | C::AddUnit(_) => {
                Action::ManageUnits
            }
            C::ScheduleMeeting(_) | C::RecordMinutes(_) | C::IssueTask(_) => Action::ManageMeetings,
            C::ReportOnTask(_) => Action::ReportOnTasks,
            C::ControlTask(_) => Action::ControlTasks,
            C::DraftRelease(_) | C::EditRelease(_) => Action::DraftReleases,
            C::ApproveRelease(_) => Action::ApproveReleases,
            // A release published is figures released to the public.
            C::PublishRelease(_) | C::PublishReport(_) => Action::PublishFigures,
            C::ScheduleReception(_) | C::CancelReception(_) | C::RecordReception(_) => Action::ManageReceptions,
            C::BookReception(_) | C::CancelBooking(_) => Action::BookReceptions,
            C::RegisterAppeal(_)
            | C::ReferAppeal(_)
            | C::ExtendAppeal(_)
            | C::AnswerAppeal(_)
            | C::RateAppeal(_)
            | C::ReportFromAppeal(_) => Action::HandleAppeals,
            C::AttachIdentifier(_) | C::RemoveIdentifier(_) => Action::RecordIdentifiers,
            C::DecideLinking(_) | C::ConfirmSeries(_) | C::SplitSeries(_) => Action::AnalyseSeries,
            C::DecideCancellation(_) => Action::ApproveCancellation,
            C::DrawSample(_) => Action::DrawSample,
            C::ReviewSample(_) => Action::ReviewSample,
            // Marking seen what the unit's queue shows: those who work the
            // unit's queue of reports, its chief and investigators.
            C::AcknowledgeSeriesAlert(_) => Action::DecideReport,
            C::WriteRelease(_) => Action::DraftReleases,
        }
    }

    /// The action an act needs of a principal of `role`: the public records
    /// only through the public site's forms, so what it submits online (a
    /// report or an appeal received through the online channel, a rating)
    /// needs [`Action::SubmitOnline`]; anything else needs what
    /// [`Action::for_command`] says, which the public is never allowed.
    pub fn for_act(role: Role, command: &crate::Command) -> Action {
        use crate::Command as C;
        let online = match command {
            C::RegisterReport(r) => r.channel == crate::report::Channel::Online,
            C::RegisterAppeal(a) => a.channel == crate::appeal::AppealChannel::Online,
            C::RateHandling(_) | C::RateAppeal(_) => true,
            _ => false,
        };
        if role == Role::Public && online { Action::SubmitOnline } else { Action::for_command(command) }
    }

    /// The action reading a register's entries needs.
    pub fn to_read(kind: crate::EntityKind) -> Action {
        use crate::EntityKind as K;
        match kind {
            K::Report | K::Case | K::Person | K::Accountability => Action::ReadPersonalData,
            K::Seizure | K::Accident | K::Examination => Action::ReadRecords,
            K::Meeting | K::Task => Action::ReadTasks,
            // A release states the Board's figures, counted before suppression.
            // A publication names its figures by position, counted before suppression.
            K::Release | K::Publication => Action::ReadFigures,
            // A session names its visitors and what they came about.
            K::Reception => Action::ReadPersonalData,
            K::Appeal => Action::ReadAppeals,
            // A request names a victim's account and the money returned to them.
            K::Freeze => Action::ReadPersonalData,
            K::Sample => Action::ReadSamples,
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The permission matrix, one row per action, one column per role in the
/// order of [`Role::ALL`]: administrator, hq_analyst, unit_chief,
/// investigator, duty_officer, forensic_expert, press_officer,
/// board_secretary, controller, appeals_officer, public, system, inspector.
/// Administrators manage accounts and the audit trail but read no records:
/// whoever can create accounts should not also read what the accounts protect.
/// The system records every act, everywhere ([`scope`]), and reads nothing:
/// what it writes comes from a file or a generator, never from a person's view.
/// It alone changes the unit tree, which is the country's structure and not
/// anyone's work in it.
/// Administrators and the system adopt a jurisdiction pack (the rules the
/// installation works under); a pack that adds units needs the system too.
/// The Board's secretary keeps meetings and issues their tasks, unit chiefs
/// report back on their units' tasks, the controller decides on them; all
/// three and headquarters read the follow-up, and the secretary and the
/// controller read the figures the meetings review.
/// The press officer has a meeting's release drafted from the figures, edits
/// and approves it, and publishes it (publishing figures); the system drafts
/// and approves too (the demo), and publishes, as it records every act.
/// A unit's chief schedules their receptions of citizens, calls one off and
/// records it; places are booked by the chief's office, the appeals office
/// or the duty officer at the desk, who take the citizens' calls.
/// Administrators do neither: a session names its visitors, and they read
/// no records.
/// A unit's appeals office handles its citizens' appeals, the unit's chief
/// too; they and headquarters (where granted, as appeals name people) read
/// the appeals register, which no other register's reader sees.
/// The signs of under-recording are read by headquarters' analysts (who
/// inspect), the Board's controllers and a unit's chief for the units below
/// it: questions to ask of a unit's recording, not figures to publish.
/// Headquarters' analysts decide how identifiers link records into series
/// (in the units they are scoped to); the system too, as it records every act.
/// The public submits a crime report or an appeal online and rates its
/// handling through the public site's forms ([`Action::for_act`]); staff
/// register what reaches them online with their own actions.
/// The inspector inspects every unit's recording: draws samples of a unit's
/// decisions and reviews them, which needs the decisions themselves (records,
/// personal data, the journal, where an annulment is), and reads the figures
/// and signals that point to a unit worth sampling. Headquarters' analysts,
/// the Board's controllers and a unit's chief (for the units below it) read
/// the samples and their estimates, as they read the signals.
const MATRIX: [(Action, [bool; 13]); 37] = {
    const Y: bool = true;
    const N: bool = false;
    [
        //                                adm hq  chf inv dut for prs sec ctl apl pub sys ins
        (Action::ReadPublicFigures, [Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, N, Y]),
        (Action::ReadFigures, [N, Y, Y, N, N, N, Y, Y, Y, N, N, N, Y]),
        (Action::ExportFigures, [N, Y, Y, N, N, N, Y, N, N, N, N, N, N]),
        (Action::PublishFigures, [N, N, N, N, N, N, Y, N, N, N, N, Y, N]),
        (Action::ReadRecords, [N, Y, Y, Y, Y, Y, N, N, N, N, N, N, Y]),
        (Action::ReadPersonalData, [N, Y, Y, Y, Y, N, N, N, N, N, N, N, Y]),
        (Action::ExportRecords, [N, N, Y, N, N, N, N, N, N, N, N, N, N]),
        (Action::ReadJournal, [N, N, Y, N, N, N, N, N, N, N, N, N, Y]),
        (Action::RegisterReport, [N, N, N, Y, Y, N, N, N, N, N, N, Y, N]),
        (Action::DecideReport, [N, N, Y, Y, N, N, N, N, N, N, N, Y, N]),
        (Action::WorkCase, [N, N, N, Y, N, N, N, N, N, N, N, Y, N]),
        (Action::RecordAccident, [N, N, N, Y, Y, N, N, N, N, N, N, Y, N]),
        (Action::RecordExamination, [N, N, N, N, N, Y, N, N, N, N, N, Y, N]),
        (Action::AnnulAct, [N, N, Y, N, N, N, N, N, N, N, N, Y, N]),
        (Action::VerifyChains, [Y, Y, N, N, N, N, N, N, N, N, N, N, N]),
        (Action::AdministerUsers, [Y, N, N, N, N, N, N, N, N, N, N, N, N]),
        (Action::ReadAudit, [Y, N, N, N, N, N, N, N, N, N, N, N, N]),
        (Action::ManageUnits, [N, N, N, N, N, N, N, N, N, N, N, Y, N]),
        (Action::ManageJurisdiction, [Y, N, N, N, N, N, N, N, N, N, N, Y, N]),
        (Action::ManageMeetings, [N, N, N, N, N, N, N, Y, N, N, N, Y, N]),
        (Action::ReportOnTasks, [N, N, Y, N, N, N, N, N, N, N, N, Y, N]),
        (Action::ControlTasks, [N, N, N, N, N, N, N, N, Y, N, N, Y, N]),
        (Action::ReadTasks, [N, Y, Y, N, N, N, N, Y, Y, N, N, N, N]),
        (Action::DraftReleases, [N, N, N, N, N, N, Y, N, N, N, N, Y, N]),
        (Action::ApproveReleases, [N, N, N, N, N, N, Y, N, N, N, N, Y, N]),
        (Action::ManageReceptions, [N, N, Y, N, N, N, N, N, N, N, N, Y, N]),
        (Action::BookReceptions, [N, N, Y, N, Y, N, N, N, N, Y, N, Y, N]),
        (Action::HandleAppeals, [N, N, Y, N, N, N, N, N, N, Y, N, Y, N]),
        (Action::ReadAppeals, [N, Y, Y, N, N, N, N, N, N, Y, N, N, N]),
        (Action::RecordIdentifiers, [N, N, N, Y, Y, N, N, N, N, N, N, Y, N]),
        (Action::ReadSignals, [N, Y, Y, N, N, N, N, N, Y, N, N, N, Y]),
        (Action::AnalyseSeries, [N, Y, N, N, N, N, N, N, N, N, N, Y, N]),
        (Action::SubmitOnline, [N, N, N, N, N, N, N, N, N, N, Y, Y, N]),
        (Action::ApproveCancellation, [N, N, Y, N, N, N, N, N, N, N, N, Y, N]),
        (Action::DrawSample, [N, N, N, N, N, N, N, N, N, N, N, Y, Y]),
        (Action::ReviewSample, [N, N, N, N, N, N, N, N, N, N, N, Y, Y]),
        (Action::ReadSamples, [N, Y, Y, N, N, N, N, N, Y, N, N, N, Y]),
    ]
};

/// Whether a role may take an action at all (scope aside).
pub fn allows(role: Role, action: Action) -> bool {
    let column = Role::ALL.iter().position(|r| *r == role).unwrap_or(usize::MAX);
    MATRIX.iter().find(|(a, _)| *a == action).and_then(|(_, row)| row.get(column).copied()).unwrap_or(false)
}

/// The matrix as a Markdown table, for docs/access.md (a test keeps the two equal).
pub fn matrix_markdown() -> String {
    let mut out = String::from("| action |");
    for r in Role::ALL {
        out.push_str(&format!(" {} |", r.as_str()));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(Role::ALL.len()));
    out.push('\n');
    for a in Action::ALL {
        out.push_str(&format!("| `{}` |", a.as_str()));
        for r in Role::ALL {
            out.push_str(if allows(r, a) { " yes |" } else { " |" });
        }
        out.push('\n');
    }
    out
}

/// The actor the journal names for what the public site's forms record.
pub const ONLINE_LOGIN: &str = "public-site";

/// Who is asking: a signed-in user or a machine client's token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub login: String,
    pub role: Role,
    pub home: UnitCode,
    /// Units (with those below them) where the user may read personal data
    /// beyond their home unit: how an analyst is let into a district's cases.
    pub grants: Vec<UnitCode>,
    /// For an API token: the only actions it may take, within what its user may.
    pub token_scope: Option<Vec<Action>>,
}

impl Principal {
    /// The unsigned visitor: public figures only.
    pub fn public(root: UnitCode) -> Principal {
        Principal { login: String::new(), role: Role::Public, home: root, grants: Vec::new(), token_scope: None }
    }

    /// The public site's forms, which record what a citizen submits online
    /// as `public-site`: the journal says where it came from, never the
    /// citizen's address.
    pub fn online(root: UnitCode) -> Principal {
        Principal { login: ONLINE_LOGIN.to_string(), ..Principal::public(root) }
    }

    /// The system recording on its own account under `name` (`import`,
    /// `demo`, `generator`), which the journal and the audit trail then name.
    /// It acts everywhere, so its home is the root of the unit tree only for
    /// the record.
    pub fn system(name: &str, root: UnitCode) -> Principal {
        Principal { login: name.to_string(), role: Role::System, home: root, grants: Vec::new(), token_scope: None }
    }

    /// The machine's owner at the server's command line, named `login` in
    /// the audit trail: an administrator over every unit, who needs no
    /// account, since whoever holds the machine holds the database. It is
    /// not [`Principal::system`]: the system's principals are named by
    /// import files and generators, and those may record acts but never
    /// administer accounts.
    pub fn console(login: &str, root: UnitCode) -> Principal {
        Principal {
            login: login.to_string(),
            role: Role::Administrator,
            home: root,
            grants: Vec::new(),
            token_scope: None,
        }
    }
}

/// Where an action may be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Everywhere,
    /// These units and every unit below them.
    Within(Vec<UnitCode>),
}

impl Scope {
    pub fn contains(&self, unit: &UnitCode, tree: &UnitTree) -> bool {
        match self {
            Scope::Everywhere => true,
            Scope::Within(roots) => roots.iter().any(|r| tree.is_within(unit, r)),
        }
    }
}

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Denied {
    /// Nobody signed in, and the action needs someone.
    #[error("sign in first")]
    Unauthenticated,
    /// The role may not take the action anywhere.
    #[error("the role may not do this")]
    Role,
    /// The API token was not given this action.
    #[error("the token may not do this")]
    Token,
    /// The role may, but not in this unit.
    #[error("outside the user's units")]
    Scope,
    /// The role may, but the task names another controller.
    #[error("only the task's controller may decide on it")]
    NotController,
}

impl Denied {
    /// The stable rule code the interfaces translate.
    pub fn rule(self) -> &'static str {
        match self {
            Denied::Unauthenticated => "access.unauthenticated",
            Denied::Role => "access.role",
            Denied::Token => "access.token",
            Denied::Scope => "access.scope",
            Denied::NotController => "access.not_controller",
        }
    }
}

/// The units where a principal may take an action (the role permitting it).
pub fn scope(principal: &Principal, action: Action) -> Scope {
    if action.is_system_wide() {
        return Scope::Everywhere;
    }
    let home = || Scope::Within(vec![principal.home.clone()]);
    match principal.role {
        // An inspector inspects any unit's recording: what it may do, it
        // may do in every unit.
        Role::Public | Role::System | Role::Inspector => Scope::Everywhere,
        // Headquarters sees every unit's figures and records without names,
        // and names only where granted.
        Role::HqAnalyst
            if matches!(
                action,
                Action::ReadFigures
                    | Action::ExportFigures
                    | Action::ReadRecords
                    | Action::ReadTasks
                    | Action::ReadSignals
                    | Action::ReadSamples
            ) =>
        {
            Scope::Everywhere
        }
        // A decision on how an identifier links goes into the analyst's own
        // unit's journal: headquarters, whose subtree is the installation.
        Role::HqAnalyst if action == Action::AnalyseSeries => home(),
        Role::HqAnalyst => Scope::Within(principal.grants.clone()),
        Role::Administrator
        | Role::UnitChief
        | Role::Investigator
        | Role::DutyOfficer
        | Role::ForensicExpert
        | Role::PressOfficer
        | Role::BoardSecretary
        | Role::Controller
        | Role::AppealsOfficer
            if action == Action::ReadPersonalData =>
        {
            Scope::Within(std::iter::once(principal.home.clone()).chain(principal.grants.iter().cloned()).collect())
        }
        Role::Administrator
        | Role::UnitChief
        | Role::Investigator
        | Role::DutyOfficer
        | Role::ForensicExpert
        | Role::PressOfficer
        | Role::BoardSecretary
        | Role::Controller
        | Role::AppealsOfficer => home(),
    }
}

/// The one access check: may this principal take this action on data of
/// this unit (`None` for an action on no unit's data in particular, such as
/// listing: the list is then narrowed to [`scope`])?
pub fn authorize(
    principal: &Principal,
    action: Action,
    unit: Option<&UnitCode>,
    tree: &UnitTree,
) -> Result<(), Denied> {
    if !allows(principal.role, action) {
        return Err(if principal.role == Role::Public { Denied::Unauthenticated } else { Denied::Role });
    }
    if principal.token_scope.as_ref().is_some_and(|actions| !actions.contains(&action)) {
        return Err(Denied::Token);
    }
    match unit {
        Some(u) if !scope(principal, action).contains(u, tree) => Err(Denied::Scope),
        _ => Ok(()),
    }
}

/// The units a list may show the principal for an action: `None` for every
/// unit, else the codes of the scope's units and all below them.
pub fn visible_units(principal: &Principal, action: Action, tree: &UnitTree) -> Option<Vec<String>> {
    match scope(principal, action) {
        Scope::Everywhere => None,
        s => Some(tree.all().filter(|u| s.contains(&u.code, tree)).map(|u| u.code.to_string()).collect()),
    }
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Passwords of twelve characters or more that lists of leaked passwords
/// put near the top; compared without regard to case.
const COMMON_PASSWORDS: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456123456",
    "password1234",
    "password12345",
    "passwordpassword",
    "qwertyuiop12",
    "qwertyuiop123",
    "qwerty123456",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "qazwsxedcrfv",
    "asdfghjkl123",
    "iloveyou1234",
    "welcome12345",
    "administrator",
    "admin1234567",
    "letmein12345",
    "changeme1234",
    "baku12345678",
    "azerbaijan123",
    "azerbaycan123",
    "azerbaycan2024",
    "parol1234567",
    "qwertyqwerty",
    "abcdefghijkl",
    "abc123abc123",
    "trustno1trustno1",
    "football1234",
    "superman1234",
    "sunshine1234",
];

/// Checks a new password for a login; every broken rule is reported.
pub fn check_password(login: &str, password: &str) -> Result<(), Rejected> {
    let mut checks = Checks::default();
    let chars: Vec<char> = password.chars().collect();
    let v = |rule| Violation::new("password", rule);
    checks.check(chars.len() >= MIN_PASSWORD_CHARS, || v("password.too_short").with("min", MIN_PASSWORD_CHARS));
    checks.check(!is_mostly_one_character(&chars), || v("password.repetitive"));
    let lower = password.to_lowercase();
    let login = login.trim().to_lowercase();
    checks.check(login.is_empty() || !lower.contains(&login), || v("password.contains_login"));
    checks.check(!COMMON_PASSWORDS.contains(&lower.as_str()), || v("password.common"));
    checks.finish()
}

/// Half or more of the characters are one and the same, or there are fewer
/// than four different ones (`aaaaaaaaaaab`, `abababababab`).
fn is_mostly_one_character(chars: &[char]) -> bool {
    let mut counts = std::collections::BTreeMap::new();
    for c in chars {
        *counts.entry(c.to_lowercase().next().unwrap_or(*c)).or_insert(0usize) += 1;
    }
    let most = counts.values().copied().max().unwrap_or(0);
    !chars.is_empty() && (most * 2 >= chars.len() || counts.len() < 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> UnitCode {
        UnitCode::parse(s).unwrap()
    }

    fn user(role: Role, home: &str) -> Principal {
        Principal { login: "u".into(), role, home: code(home), grants: vec![], token_scope: None }
    }

    #[test]
    fn the_matrix_has_one_row_per_action_in_order() {
        assert_eq!(MATRIX.len(), Action::ALL.len());
        for (row, action) in MATRIX.iter().zip(Action::ALL) {
            assert_eq!(row.0, action);
        }
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
        }
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn the_matrix_says_who_does_what() {
        assert!(allows(Role::DutyOfficer, Action::RegisterReport));
        assert!(!allows(Role::DutyOfficer, Action::WorkCase));
        assert!(allows(Role::Investigator, Action::WorkCase));
        assert!(allows(Role::ForensicExpert, Action::RecordExamination));
        assert!(!allows(Role::ForensicExpert, Action::ReadPersonalData));
        assert!(allows(Role::PressOfficer, Action::PublishFigures));
        assert!(!allows(Role::PressOfficer, Action::ReadRecords));
        assert!(!allows(Role::Administrator, Action::ReadPersonalData));
        assert!(allows(Role::Administrator, Action::AdministerUsers));
        for a in Action::ALL {
            let public = [Action::ReadPublicFigures, Action::SubmitOnline];
            assert_eq!(allows(Role::Public, a), public.contains(&a), "{a}");
        }
    }

    /// The public's online forms need `submit_online`, the same acts typed
    /// by staff need their own actions, and the public reaches nothing else
    /// by choosing a channel.
    #[test]
    fn what_the_public_submits_online_needs_submit_online_alone() {
        use crate::Command;
        use crate::report::{Channel, NewReport, RateHandling};
        let report = |channel| {
            Command::RegisterReport(NewReport {
                unit: UnitCode::parse("BAK").unwrap(),
                procedure: crate::rules::Procedure::CrimeReport,
                channel,
                received_at: chrono::DateTime::UNIX_EPOCH,
                officer: String::new(),
                applicant: None,
                summary: String::new(),
                category: None,
                source: None,
            })
        };
        let rating = Command::RateHandling(RateHandling {
            report_id: uuid::Uuid::nil(),
            rated_at: chrono::DateTime::UNIX_EPOCH,
            score: 5,
        });
        assert_eq!(Action::for_act(Role::Public, &report(Channel::Online)), Action::SubmitOnline);
        assert_eq!(Action::for_act(Role::Public, &rating), Action::SubmitOnline);
        assert_eq!(Action::for_act(Role::Public, &report(Channel::InPerson)), Action::RegisterReport);
        assert!(!allows(Role::Public, Action::for_act(Role::Public, &report(Channel::InPerson))));
        assert_eq!(Action::for_act(Role::DutyOfficer, &report(Channel::Online)), Action::RegisterReport);
        assert_eq!(Action::for_act(Role::UnitChief, &rating), Action::DecideReport);
        let online = Principal::online(UnitCode::parse("BAK").unwrap());
        assert_eq!((online.login.as_str(), online.role), (ONLINE_LOGIN, Role::Public));
    }

    /// docs/access.md shows the matrix this file defines; with
    /// `CRIMEBOARD_BLESS=1` the test writes it there instead of failing.
    #[test]
    fn the_documented_matrix_is_the_one_in_force() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/access.md");
        let doc = std::fs::read_to_string(&path).expect("docs/access.md");
        let (begin, end) = ("<!-- matrix:begin -->\n", "<!-- matrix:end -->");
        let start = doc.find(begin).expect("docs/access.md has a matrix:begin marker") + begin.len();
        let stop = doc.find(end).expect("docs/access.md has a matrix:end marker");
        let table = matrix_markdown();
        if doc[start..stop] != table {
            if std::env::var("CRIMEBOARD_BLESS").is_ok_and(|v| v == "1") {
                std::fs::write(&path, format!("{}{table}{}", &doc[..start], &doc[stop..])).unwrap();
            } else {
                panic!("docs/access.md shows another matrix than access.rs: run with CRIMEBOARD_BLESS=1 to rewrite it");
            }
        }
    }

    #[test]
    fn a_district_investigator_stays_in_the_district() {
        let t = crate::units::test_tree();
        let inv = user(Role::Investigator, "BAK-NSM");
        assert_eq!(authorize(&inv, Action::ReadPersonalData, Some(&code("BAK-NSM")), &t), Ok(()));
        assert_eq!(authorize(&inv, Action::ReadPersonalData, Some(&code("BAK-YAS")), &t), Err(Denied::Scope));
        assert_eq!(authorize(&inv, Action::WorkCase, Some(&code("BAK")), &t), Err(Denied::Scope));
        assert_eq!(authorize(&inv, Action::ReadFigures, Some(&code("BAK-NSM")), &t), Err(Denied::Role));
        assert_eq!(visible_units(&inv, Action::ReadPersonalData, &t), Some(vec!["BAK-NSM".to_string()]));
    }

    #[test]
    fn a_chief_sees_the_units_below() {
        let t = crate::units::test_tree();
        let chief = user(Role::UnitChief, "BAK");
        assert_eq!(authorize(&chief, Action::ReadPersonalData, Some(&code("BAK-YAS")), &t), Ok(()));
        assert_eq!(authorize(&chief, Action::ReadFigures, Some(&code("MIA")), &t), Err(Denied::Scope));
        let mut seen = visible_units(&chief, Action::ReadFigures, &t).unwrap();
        seen.sort();
        assert_eq!(seen, ["BAK", "BAK-NSM", "BAK-YAS"]);
    }

    #[test]
    fn an_analyst_sees_figures_everywhere_and_names_only_where_granted() {
        let t = crate::units::test_tree();
        let mut analyst = user(Role::HqAnalyst, "MIA");
        assert_eq!(authorize(&analyst, Action::ReadFigures, Some(&code("BAK-YAS")), &t), Ok(()));
        assert_eq!(authorize(&analyst, Action::ReadRecords, Some(&code("BAK-YAS")), &t), Ok(()));
        assert_eq!(authorize(&analyst, Action::ReadPersonalData, Some(&code("BAK-YAS")), &t), Err(Denied::Scope));
        assert_eq!(authorize(&analyst, Action::ReadPersonalData, Some(&code("MIA")), &t), Err(Denied::Scope));
        analyst.grants = vec![code("BAK-YAS")];
        assert_eq!(authorize(&analyst, Action::ReadPersonalData, Some(&code("BAK-YAS")), &t), Ok(()));
        assert_eq!(authorize(&analyst, Action::ReadPersonalData, Some(&code("BAK-NSM")), &t), Err(Denied::Scope));
        assert_eq!(visible_units(&analyst, Action::ReadFigures, &t), None);
    }

    #[test]
    fn a_token_takes_only_its_actions() {
        let t = crate::units::test_tree();
        let mut client = user(Role::UnitChief, "BAK");
        client.token_scope = Some(vec![Action::ReadFigures]);
        assert_eq!(authorize(&client, Action::ReadFigures, Some(&code("BAK")), &t), Ok(()));
        assert_eq!(authorize(&client, Action::ReadPersonalData, Some(&code("BAK")), &t), Err(Denied::Token));
        // A token cannot widen what its user may do.
        client.token_scope = Some(vec![Action::WorkCase]);
        assert_eq!(authorize(&client, Action::WorkCase, Some(&code("BAK")), &t), Err(Denied::Role));
    }

    #[test]
    fn the_system_records_every_act_everywhere_changes_the_unit_tree_and_reads_nothing() {
        let t = crate::units::test_tree();
        let system = Principal::system("import", code("AZ"));
        assert_eq!(system.login, "import");
        assert!(!Role::System.is_staff(), "the system has no account to sign in with");
        let records = [
            Action::RegisterReport,
            Action::DecideReport,
            Action::WorkCase,
            Action::RecordAccident,
            Action::RecordExamination,
            Action::AnnulAct,
            Action::ManageUnits,
            Action::ManageJurisdiction,
            Action::ManageMeetings,
            Action::ReportOnTasks,
            Action::ControlTasks,
            Action::DraftReleases,
            Action::ApproveReleases,
            Action::PublishFigures,
            Action::ManageReceptions,
            Action::BookReceptions,
            Action::HandleAppeals,
            Action::RecordIdentifiers,
            Action::AnalyseSeries,
            Action::SubmitOnline,
            Action::ApproveCancellation,
            Action::DrawSample,
            Action::ReviewSample,
        ];
        for a in Action::ALL {
            let expected = if records.contains(&a) { Ok(()) } else { Err(Denied::Role) };
            assert_eq!(authorize(&system, a, Some(&code("BAK-YAS")), &t), expected, "{a}");
        }
    }

    #[test]
    fn the_console_administers_accounts_everywhere_and_reads_no_records() {
        let t = crate::units::test_tree();
        let console = Principal::console("cli:root", code("AZ"));
        assert_eq!(console.login, "cli:root");
        assert_eq!(authorize(&console, Action::AdministerUsers, Some(&code("BAK-YAS")), &t), Ok(()));
        assert_eq!(authorize(&console, Action::ReadPersonalData, Some(&code("BAK-YAS")), &t), Err(Denied::Role));
        assert_eq!(authorize(&console, Action::RegisterReport, Some(&code("BAK-YAS")), &t), Err(Denied::Role));
    }

    #[test]
    fn the_public_is_asked_to_sign_in() {
        let t = crate::units::test_tree();
        let public = Principal::public(code("AZ"));
        assert_eq!(authorize(&public, Action::ReadPublicFigures, None, &t), Ok(()));
        assert_eq!(authorize(&public, Action::ReadFigures, None, &t), Err(Denied::Unauthenticated));
    }

    #[test]
    fn each_password_rule_is_broken_by_a_password() {
        let rules =
            |login, pw| check_password(login, pw).err().map(|r| r.rules().map(String::from).collect::<Vec<_>>());
        assert_eq!(rules("aliyev", "Kür çayı axır 1987"), None);
        assert_eq!(rules("aliyev", "short1!"), Some(vec!["password.too_short".to_string()]));
        assert_eq!(rules("aliyev", "aaaaaaaaaaaaaaab"), Some(vec!["password.repetitive".to_string()]));
        assert_eq!(rules("aliyev", "abababababababab"), Some(vec!["password.repetitive".to_string()]));
        assert_eq!(rules("aliyev", "my-ALIYEV-password"), Some(vec!["password.contains_login".to_string()]));
        assert_eq!(rules("aliyev", "Password1234"), Some(vec!["password.common".to_string()]));
    }
}
