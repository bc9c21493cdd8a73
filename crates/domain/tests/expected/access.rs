//! Who may do what, and where, as it is meant to be: written out cell by cell
//! (role × action → reach), apart from `access.rs`, so a change to the matrix or
//! to the scope rules there shows as a failing test and not as a new expectation.
//! The domain's `access_matrix` test checks `allows` and `authorize` against it;
//! the web crate's access tests (`#[path]`-included) expect each route's answer
//! from it.

use crimeboard_domain::access::{Action, Denied, Role};

/// Where a role may take an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Nowhere: the role may not take the action.
    No,
    /// In the home unit and every unit below it.
    Home,
    /// In the home unit's subtree and the subtrees of the units granted.
    HomeGrants,
    /// Only in the subtrees of the units granted.
    Grants,
    /// In every unit.
    All,
}

use Reach::{All, Grants, Home, HomeGrants, No};

/// The columns of [`MATRIX`].
pub const ROLES: [Role; 13] = [
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

#[rustfmt::skip]
pub const MATRIX: [(Action, [Reach; 13]); 37] = [
    //                           adm  analyst chief       investig.   duty        forens press secr  ctrl  appl  pub  system inspector
    (Action::ReadPublicFigures,  [All, All,    All,        All,        All,        All,  All,  All,  All,  All,  All, No, All]),
    (Action::ReadFigures,        [No,  All,    Home,       No,         No,         No,   Home, Home, Home, No,   No,  No, All]),
    (Action::ExportFigures,      [No,  All,    Home,       No,         No,         No,   Home, No,   No,   No,   No,  No, No]),
    (Action::PublishFigures,     [No,  No,     No,         No,         No,         No,   Home, No,   No,   No,   No,  All, No]),
    (Action::ReadRecords,        [No,  All,    Home,       Home,       Home,       Home, No,   No,   No,   No,   No,  No, All]),
    (Action::ReadPersonalData,   [No,  Grants, HomeGrants, HomeGrants, HomeGrants, No,   No,   No,   No,   No,   No,  No, All]),
    (Action::ExportRecords,      [No,  No,     Home,       No,         No,         No,   No,   No,   No,   No,   No,  No, No]),
    (Action::ReadJournal,        [No,  No,     Home,       No,         No,         No,   No,   No,   No,   No,   No,  No, All]),
    (Action::RegisterReport,     [No,  No,     No,         Home,       Home,       No,   No,   No,   No,   No,   No,  All, No]),
    (Action::DecideReport,       [No,  No,     Home,       Home,       No,         No,   No,   No,   No,   No,   No,  All, No]),
    (Action::WorkCase,           [No,  No,     No,         Home,       No,         No,   No,   No,   No,   No,   No,  All, No]),
    (Action::RecordAccident,     [No,  No,     No,         Home,       Home,       No,   No,   No,   No,   No,   No,  All, No]),
    (Action::RecordExamination,  [No,  No,     No,         No,         No,         Home, No,   No,   No,   No,   No,  All, No]),
    (Action::AnnulAct,           [No,  No,     Home,       No,         No,         No,   No,   No,   No,   No,   No,  All, No]),
    (Action::VerifyChains,       [All, All,    No,         No,         No,         No,   No,   No,   No,   No,   No,  No, No]),
    (Action::AdministerUsers,    [All, No,     No,         No,         No,         No,   No,   No,   No,   No,   No,  No, No]),
    (Action::ReadAudit,          [All, No,     No,         No,         No,         No,   No,   No,   No,   No,   No,  No, No]),
    (Action::ManageUnits,        [No,  No,     No,         No,         No,         No,   No,   No,   No,   No,   No,  All, No]),
    (Action::ManageJurisdiction, [All, No,     No,         No,         No,         No,   No,   No,   No,   No,   No,  All, No]),
    (Action::ManageMeetings,     [No,  No,     No,         No,         No,         No,   No,   Home, No,   No,   No,  All, No]),
    (Action::ReportOnTasks,      [No,  No,     Home,       No,         No,         No,   No,   No,   No,   No,   No,  All, No]),
    (Action::ControlTasks,       [No,  No,     No,         No,         No,         No,   No,   No,   Home, No,   No,  All, No]),
    (Action::ReadTasks,          [No,  All,    Home,       No,         No,         No,   No,   Home, Home, No,   No,  No, No]),
    (Action::DraftReleases,      [No,  No,     No,         No,         No,         No,   Home, No,   No,   No,   No,  All, No]),
    (Action::ApproveReleases,    [No,  No,     No,         No,         No,         No,   Home, No,   No,   No,   No,  All, No]),
    (Action::ManageReceptions,   [No,  No,     Home,       No,         No,         No,   No,   No,   No,   No,   No,  All, No]),
    (Action::BookReceptions,     [No,  No,     Home,       No,         Home,       No,   No,   No,   No,   Home, No,  All, No]),
    (Action::HandleAppeals,      [No,  No,     Home,       No,         No,         No,   No,   No,   No,   Home, No,  All, No]),
    (Action::ReadAppeals,        [No,  Grants, Home,       No,         No,         No,   No,   No,   No,   Home, No,  No, No]),
    (Action::RecordIdentifiers,  [No,  No,     No,         Home,       Home,       No,   No,   No,   No,   No,   No,  All, No]),
    (Action::ReadSignals,        [No,  All,    Home,       No,         No,         No,   No,   No,   Home, No,   No,  No, All]),
    (Action::AnalyseSeries,      [No,  Home,   No,         No,         No,         No,   No,   No,   No,   No,   No,  All, No]),
    (Action::SubmitOnline,       [No,  No,     No,         No,         No,         No,   No,   No,   No,   No,   All, All, No]),
    (Action::ApproveCancellation, [No,  No,     Home,       No,         No,         No,   No,   No,   No,   No,   No,  All, No]),
    (Action::DrawSample,         [No,  No,     No,         No,         No,         No,   No,   No,   No,   No,   No,  All, All]),
    (Action::ReviewSample,       [No,  No,     No,         No,         No,         No,   No,   No,   No,   No,   No,  All, All]),
    (Action::ReadSamples,        [No,  All,    Home,       No,         No,         No,   No,   No,   Home, No,   No,  No,  All]),
];

pub fn reach(role: Role, action: Action) -> Reach {
    let column = ROLES.iter().position(|r| *r == role).expect("every role has a column");
    let (_, row) = MATRIX.iter().find(|(a, _)| *a == action).unwrap_or_else(|| panic!("no row for {action}"));
    row[column]
}

/// A unit tree as `(child, parent)` pairs, written out by the test.
pub struct Tree<'a>(pub &'a [(&'a str, &'a str)]);

impl Tree<'_> {
    /// Whether `unit` is `root` or lies below it.
    pub fn within(&self, unit: &str, root: &str) -> bool {
        let mut here = Some(unit);
        while let Some(u) = here {
            if u == root {
                return true;
            }
            here = self.0.iter().find(|(child, _)| *child == u).map(|(_, parent)| *parent);
        }
        false
    }
}

/// The answer the table gives a user of `role` at `home` with `grants` taking
/// `action` on data of `unit` (`None`: on no unit in particular).
pub fn expected(
    role: Role,
    home: &str,
    grants: &[&str],
    action: Action,
    unit: Option<&str>,
    tree: &Tree,
) -> Result<(), Denied> {
    let roots: Vec<&str> = match reach(role, action) {
        No if role == Role::Public => return Err(Denied::Unauthenticated),
        No => return Err(Denied::Role),
        All => return Ok(()),
        Home => vec![home],
        HomeGrants => std::iter::once(home).chain(grants.iter().copied()).collect(),
        Grants => grants.to_vec(),
    };
    match unit {
        Some(u) if !roots.iter().any(|root| tree.within(u, root)) => Err(Denied::Scope),
        _ => Ok(()),
    }
}
