//! A publication of figures: the Board's report (or an open-data release)
//! of a period for a scope unit, as it stood at a journal position. The
//! position and the revision number are the system's (`Assigned::published`),
//! never typed: the figures as published are the report recounted at that
//! position, and every later act that changes one of them needs a reason
//! (`crimeboard_domain::late`) and shows in the publication's revisions.
//! Publishing the same period and scope again is a new publication, the
//! next revision.

use crate::context::Context;
use crate::error::{Checks, Violation};
use crate::units::UnitCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The longest note a publication may carry.
pub const MAX_NOTE: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PublicationKind {
    BoardReport,
    OpenData,
}

impl PublicationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PublicationKind::BoardReport => "board_report",
            PublicationKind::OpenData => "open_data",
        }
    }
}

/// What is typed to publish a period's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPublication {
    /// The unit whose report (with every unit below it) is published.
    pub scope: UnitCode,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub kind: PublicationKind,
    #[serde(default)]
    pub note: String,
}

/// What the system stamps on a publication: the journal position its
/// figures stand at and its revision of the period and scope (1 the first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Published {
    pub position: i64,
    pub revision: u32,
}

/// What an act changed in a publication's figures: the counters of one
/// unit and indicator (a counter code) over the days of its period, kept in
/// the act (`Assigned::revises`) so the publication's revisions name the acts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Revised {
    pub publication: Uuid,
    pub unit: UnitCode,
    pub indicator: String,
    pub delta: i64,
}

/// A publication as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Publication {
    pub id: Uuid,
    pub number: String,
    pub scope: UnitCode,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub kind: PublicationKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// The journal position the published figures stand at.
    pub position: i64,
    /// The how-manieth publication of this period, scope and kind.
    pub revision: u32,
    pub published_on: NaiveDate,
}

impl Publication {
    pub fn status(&self) -> &'static str {
        "published"
    }

    /// Whether a counter cell of `day` falls in the published period.
    pub fn covers_day(&self, day: NaiveDate) -> bool {
        (self.period_from..=self.period_to).contains(&day)
    }
}

/// A period must be whole and over before its figures are published.
pub(crate) fn check_new(p: &NewPublication, ctx: &Context, checks: &mut Checks) {
    checks.absorb(ctx.units.require("scope", &p.scope));
    checks.check(p.period_from <= p.period_to, || Violation::new("period_from", "date.range_reversed"));
    checks.check(p.period_to < ctx.today(), || {
        Violation::new("period_to", "publication.period_not_over").with("today", ctx.today())
    });
    checks.check(p.note.chars().count() <= MAX_NOTE, || Violation::new("note", "text.too_long").with("max", MAX_NOTE));
}

pub(crate) fn publish(id: Uuid, number: &str, p: &NewPublication, stamp: Published, on: NaiveDate) -> Publication {
    Publication {
        id,
        number: number.to_string(),
        scope: p.scope.clone(),
        period_from: p.period_from,
        period_to: p.period_to,
        kind: p.kind,
        note: p.note.trim().to_string(),
        position: stamp.position,
        revision: stamp.revision,
        published_on: on,
    }
}
