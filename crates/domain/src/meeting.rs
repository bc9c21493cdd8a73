//! The Board's meetings: scheduled with their period under review, agenda and
//! rapporteurs, then held when the secretary records the attendance and the
//! minutes. Each is an act on the journal of the unit holding the Board.

use crate::context::Context;
use crate::error::{Checks, Violation};
use crate::units::UnitCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The most agenda items, rapporteurs or attendees one meeting holds.
pub const MAX_LIST: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    Quarterly,
    Extended,
    Field,
}

/// One item of the agenda: a topic, and the indicators and units it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    pub topic: String,
    /// Codes of the counting rules in force (`crimes_recorded`, ...).
    #[serde(default)]
    pub indicators: Vec<String>,
    #[serde(default)]
    pub units: Vec<UnitCode>,
}

/// A chief who reports on an agenda item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Rapporteur {
    pub full_name: String,
    pub position: String,
    pub unit: UnitCode,
    /// The agenda item reported on, counted from 0.
    pub item: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewMeeting {
    /// The body holding the Board, normally the root of the unit tree.
    pub unit: UnitCode,
    pub held_on: NaiveDate,
    pub kind: MeetingKind,
    /// The first day of the period under review.
    pub period_from: NaiveDate,
    /// The last day of the period under review.
    pub period_to: NaiveDate,
    pub title: String,
    pub agenda: Vec<AgendaItem>,
    #[serde(default)]
    pub rapporteurs: Vec<Rapporteur>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Attendee {
    pub full_name: String,
    pub position: String,
    #[serde(default)]
    pub unit: Option<UnitCode>,
    pub present: bool,
}

/// The attendance and minutes of a scheduled meeting: it is then held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MeetingMinutes {
    pub meeting_id: Uuid,
    pub attendance: Vec<Attendee>,
    pub minutes: String,
}

/// What the minutes recorded, and on which civil day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Minutes {
    pub recorded_on: NaiveDate,
    pub attendance: Vec<Attendee>,
    pub minutes: String,
}

/// A meeting as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Meeting {
    pub id: Uuid,
    pub number: String,
    pub scheduled: NewMeeting,
    pub minutes: Option<Minutes>,
}

impl Meeting {
    /// `scheduled`, or `held` once its minutes are recorded.
    pub fn status(&self) -> &'static str {
        if self.minutes.is_some() { "held" } else { "scheduled" }
    }
}

pub(crate) fn check_new(m: &NewMeeting, ctx: &Context, checks: &mut Checks) {
    checks.absorb(ctx.units.require("unit", &m.unit));
    ctx.check_text(checks, "title", &m.title, 500);
    checks.check(m.period_from <= m.period_to, || Violation::new("period_from", "date.range_reversed"));
    checks.check(!m.agenda.is_empty(), || Violation::new("agenda", "meeting.agenda_required"));
    checks.check(m.agenda.len() <= MAX_LIST, || Violation::new("agenda", "list.too_long").with("max", MAX_LIST));
    for (i, item) in m.agenda.iter().enumerate() {
        ctx.check_text(checks, &format!("agenda[{i}].topic"), &item.topic, 1000);
        for (j, unit) in item.units.iter().enumerate() {
            checks.absorb(ctx.units.require(&format!("agenda[{i}].units[{j}]"), unit));
        }
    }
    checks.check(m.rapporteurs.len() <= MAX_LIST, || {
        Violation::new("rapporteurs", "list.too_long").with("max", MAX_LIST)
    });
    for (i, r) in m.rapporteurs.iter().enumerate() {
        ctx.check_text(checks, &format!("rapporteurs[{i}].full_name"), &r.full_name, 200);
        ctx.check_text(checks, &format!("rapporteurs[{i}].position"), &r.position, 200);
        checks.absorb(ctx.units.require(&format!("rapporteurs[{i}].unit"), &r.unit));
        checks.check(r.item < m.agenda.len(), || {
            Violation::new(format!("rapporteurs[{i}].item"), "meeting.no_such_item").with("items", m.agenda.len())
        });
    }
}

/// The agenda's indicators are codes of the counting rules in force, which
/// the service knows and asks about through `known`.
pub fn check_indicators(m: &NewMeeting, known: &dyn Fn(&str) -> bool, checks: &mut Checks) {
    for (i, item) in m.agenda.iter().enumerate() {
        for (j, code) in item.indicators.iter().enumerate() {
            checks.check(known(code), || {
                Violation::new(format!("agenda[{i}].indicators[{j}]"), "indicator.unknown").with("code", code)
            });
        }
    }
}

pub(crate) fn check_minutes(meeting: &Meeting, m: &MeetingMinutes, ctx: &Context, checks: &mut Checks) {
    checks.check(meeting.minutes.is_none(), || Violation::new("meeting_id", "meeting.already_held"));
    let held_on = meeting.scheduled.held_on;
    checks.check(ctx.today() >= held_on, || {
        Violation::new("meeting_id", "meeting.not_yet_held").with("held_on", held_on)
    });
    ctx.check_text(checks, "minutes", &m.minutes, 100_000);
    checks
        .check(m.attendance.len() <= MAX_LIST, || Violation::new("attendance", "list.too_long").with("max", MAX_LIST));
    for (i, a) in m.attendance.iter().enumerate() {
        ctx.check_text(checks, &format!("attendance[{i}].full_name"), &a.full_name, 200);
        ctx.check_text(checks, &format!("attendance[{i}].position"), &a.position, 200);
        if let Some(unit) = &a.unit {
            checks.absorb(ctx.units.require(&format!("attendance[{i}].unit"), unit));
        }
    }
}

pub(crate) fn schedule(id: Uuid, number: &str, m: &NewMeeting) -> Meeting {
    Meeting { id, number: number.to_string(), scheduled: m.clone(), minutes: None }
}

pub(crate) fn hold(meeting: &mut Meeting, m: &MeetingMinutes, on: NaiveDate) {
    meeting.minutes =
        Some(Minutes { recorded_on: on, attendance: m.attendance.clone(), minutes: m.minutes.trim().to_string() });
}
