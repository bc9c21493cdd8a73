//! A chief's receptions of citizens: a session scheduled on a day and hours,
//! places booked in it by telephone, online or at the desk, and the record of
//! who came and about what; some matters are settled on the spot, others
//! become written appeals of the appeals register. Each is an act on the
//! journal of the unit whose chief holds the session.

use crate::context::Context;
use crate::error::{Checks, Violation};
use crate::units::UnitCode;
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The most places one session offers, and the most visitors its record names.
pub const MAX_PLACES: u32 = 500;

/// The most days one read of a unit's schedule spans.
pub const MAX_SCHEDULE_DAYS: i64 = 366;

/// Who holds a reception: a unit's head, a deputy minister, or who stands in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Chief {
    pub full_name: String,
    pub position: String,
}

/// One session of a chief's reception schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewReception {
    pub unit: UnitCode,
    pub chief: Chief,
    pub day: NaiveDate,
    /// Local time, the civil zone of the rules.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "10:00:00"))]
    pub from: NaiveTime,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "13:00:00"))]
    pub to: NaiveTime,
    /// Where the citizens are received (an address, a room).
    pub place: String,
    /// The places citizens may book.
    pub capacity: u32,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BookedVia {
    Telephone,
    Online,
    Desk,
}

/// A citizen who books a place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Visitor {
    pub full_name: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

/// A place booked in a session, with what the visitor comes about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Booking {
    pub reception_id: Uuid,
    pub visitor: Visitor,
    pub subject: String,
    pub booked_via: BookedVia,
}

/// A booked place given up (the visitor called off, or booked twice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancelBooking {
    pub reception_id: Uuid,
    /// The booking's number within the session.
    pub place: u32,
    pub reason: String,
}

/// A session called off: it takes no bookings and no record from then on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancelReception {
    pub reception_id: Uuid,
    pub reason: String,
    /// Whether the visitors who booked were told.
    pub visitors_told: bool,
}

/// What came of a visitor's matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Outcome {
    SettledOnTheSpot,
    /// A written appeal is to be registered in the appeals register, naming
    /// this reception.
    AppealToRegister,
    /// Another body's matter: the visitor is sent there.
    ReferredElsewhere {
        body: String,
    },
}

/// A visitor the chief heard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Heard {
    /// The place booked, or none for a visitor who came without booking.
    #[serde(default)]
    pub place: Option<u32>,
    pub full_name: String,
    pub subject: String,
    pub outcome: Outcome,
    #[serde(default)]
    pub note: String,
}

/// The record of a session: it is then held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReceptionRecord {
    pub reception_id: Uuid,
    /// The chief, or who stood in for them.
    pub held_by: Chief,
    pub visitors: Vec<Heard>,
    /// The booked places whose visitor did not come.
    #[serde(default)]
    pub absent: Vec<u32>,
}

/// A place as booked, and whether it was given up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookedPlace {
    pub place: u32,
    pub visitor: Visitor,
    pub subject: String,
    pub booked_via: BookedVia,
    pub booked_on: NaiveDate,
    /// The reason it was given up, if it was.
    #[serde(default)]
    pub cancelled: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cancellation {
    pub on: NaiveDate,
    pub reason: String,
    pub visitors_told: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Held {
    pub recorded_on: NaiveDate,
    pub held_by: Chief,
    pub visitors: Vec<Heard>,
    pub absent: Vec<u32>,
}

/// A session as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reception {
    pub id: Uuid,
    pub number: String,
    pub scheduled: NewReception,
    /// Every booking in the order made; a place's number is its position
    /// from 1, kept when it is given up.
    pub bookings: Vec<BookedPlace>,
    pub cancelled: Option<Cancellation>,
    pub record: Option<Held>,
}

impl Reception {
    /// `scheduled`, then `held` or `cancelled`.
    pub fn status(&self) -> &'static str {
        match (&self.record, &self.cancelled) {
            (Some(_), _) => "held",
            (None, Some(_)) => "cancelled",
            (None, None) => "scheduled",
        }
    }

    /// The bookings not given up.
    pub fn active_bookings(&self) -> impl Iterator<Item = &BookedPlace> {
        self.bookings.iter().filter(|b| b.cancelled.is_none())
    }

    /// Places still free.
    pub fn free_places(&self) -> u32 {
        let booked = self.active_bookings().count() as u32;
        self.scheduled.capacity.saturating_sub(booked)
    }

    /// The visitors whose matter is to become a written appeal.
    pub fn appeals_to_register(&self) -> impl Iterator<Item = &Heard> {
        self.record.iter().flat_map(|r| r.visitors.iter()).filter(|v| v.outcome == Outcome::AppealToRegister)
    }

    /// The names and matters search looks through: the chief's, the
    /// visitors' who booked and those heard.
    pub fn search_text(&self) -> String {
        let s = &self.scheduled;
        let mut words = vec![s.chief.full_name.as_str(), s.place.as_str()];
        for b in &self.bookings {
            words.extend([b.visitor.full_name.as_str(), b.subject.as_str()]);
        }
        if let Some(held) = &self.record {
            words.push(held.held_by.full_name.as_str());
            for v in &held.visitors {
                words.extend([v.full_name.as_str(), v.subject.as_str()]);
            }
        }
        words.join(" ")
    }
}

fn check_chief(checks: &mut Checks, ctx: &Context, field: &str, chief: &Chief) {
    ctx.check_text(checks, &format!("{field}.full_name"), &chief.full_name, 200);
    ctx.check_text(checks, &format!("{field}.position"), &chief.position, 200);
}

pub(crate) fn check_new(r: &NewReception, ctx: &Context, checks: &mut Checks) {
    checks.absorb(ctx.units.require("unit", &r.unit));
    check_chief(checks, ctx, "chief", &r.chief);
    ctx.check_text(checks, "place", &r.place, 300);
    checks.check(r.note.chars().count() <= 2000, || Violation::new("note", "text.too_long").with("max", 2000));
    checks.check(r.from < r.to, || Violation::new("to", "reception.hours_reversed").with("from", r.from));
    checks.check((1..=MAX_PLACES).contains(&r.capacity), || {
        Violation::new("capacity", "number.range").with("min", 1).with("max", MAX_PLACES)
    });
    checks.check(r.day >= ctx.today(), || Violation::new("day", "reception.day_past").with("today", ctx.today()));
}

/// The same chief is not scheduled twice at overlapping hours: `others` are
/// the unit's sessions on the day not called off, each with what names it
/// (a register number, or its place in a batch), which the service reads.
/// A chief is known by their name's search keys, so a name typed in another
/// script or spelling is the same chief.
pub fn check_overlap<'a>(
    r: &NewReception,
    others: impl IntoIterator<Item = (&'a str, &'a NewReception)>,
    checks: &mut Checks,
) {
    let name = crate::search::search_keys(&r.chief.full_name);
    let clash = others.into_iter().find(|(_, o)| {
        o.unit == r.unit
            && o.day == r.day
            && o.from < r.to
            && r.from < o.to
            && crate::search::search_keys(&o.chief.full_name) == name
    });
    if let Some((named, _)) = clash {
        checks.push(Violation::new("from", "reception.chief_overlap").with("other", named));
    }
}

/// The days a schedule is read for: in order, and at most a year and a day apart.
pub fn check_schedule_span(from: NaiveDate, to: NaiveDate, checks: &mut Checks) {
    checks.check(from <= to, || Violation::new("from", "date.range_reversed"));
    checks.check((to - from).num_days() <= MAX_SCHEDULE_DAYS, || {
        Violation::new("to", "reception.schedule_too_long").with("max", MAX_SCHEDULE_DAYS)
    });
}

/// A session that was called off or has been held takes nothing more.
fn check_open(r: &Reception, checks: &mut Checks) {
    checks.check(r.cancelled.is_none(), || Violation::new("reception_id", "reception.cancelled"));
    checks.check(r.record.is_none(), || Violation::new("reception_id", "reception.already_held"));
}

pub(crate) fn check_booking(r: &Reception, b: &Booking, ctx: &Context, checks: &mut Checks) {
    check_open(r, checks);
    let s = &r.scheduled;
    let begins = s.day.and_time(s.from);
    checks.check(ctx.rules.local_time(ctx.now) < begins, || {
        Violation::new("reception_id", "reception.started").with("begins", begins)
    });
    checks.check(r.free_places() > 0, || Violation::new("reception_id", "reception.full").with("capacity", s.capacity));
    ctx.check_text(checks, "visitor.full_name", &b.visitor.full_name, 200);
    ctx.check_text(checks, "subject", &b.subject, 2000);
    if let Some(phone) = &b.visitor.phone {
        ctx.check_text(checks, "visitor.phone", phone, 40);
    }
    if let Some(email) = &b.visitor.email {
        ctx.check_text(checks, "visitor.email", email, 200);
        checks.check(email.contains('@'), || Violation::new("visitor.email", "reception.email_format"));
    }
}

pub(crate) fn check_cancel_booking(r: &Reception, c: &CancelBooking, ctx: &Context, checks: &mut Checks) {
    check_open(r, checks);
    ctx.check_text(checks, "reason", &c.reason, 1000);
    match booked(r, c.place) {
        None => checks.push(Violation::new("place", "reception.no_such_place").with("place", c.place)),
        Some(b) => checks.check(b.cancelled.is_none(), || Violation::new("place", "reception.booking_cancelled")),
    }
}

pub(crate) fn check_cancel(r: &Reception, c: &CancelReception, ctx: &Context, checks: &mut Checks) {
    check_open(r, checks);
    ctx.check_text(checks, "reason", &c.reason, 1000);
}

pub(crate) fn check_record(r: &Reception, rec: &ReceptionRecord, ctx: &Context, checks: &mut Checks) {
    check_open(r, checks);
    let day = r.scheduled.day;
    checks.check(ctx.today() >= day, || Violation::new("reception_id", "reception.not_yet_day").with("day", day));
    check_chief(checks, ctx, "held_by", &rec.held_by);
    checks.check(rec.visitors.len() <= MAX_PLACES as usize, || {
        Violation::new("visitors", "list.too_long").with("max", MAX_PLACES)
    });
    checks.check(rec.absent.len() <= MAX_PLACES as usize, || {
        Violation::new("absent", "list.too_long").with("max", MAX_PLACES)
    });
    for (i, v) in rec.visitors.iter().enumerate() {
        ctx.check_text(checks, &format!("visitors[{i}].full_name"), &v.full_name, 200);
        ctx.check_text(checks, &format!("visitors[{i}].subject"), &v.subject, 2000);
        checks.check(v.note.chars().count() <= 2000, || {
            Violation::new(format!("visitors[{i}].note"), "text.too_long").with("max", 2000)
        });
        if let Outcome::ReferredElsewhere { body } = &v.outcome {
            ctx.check_text(checks, &format!("visitors[{i}].outcome.body"), body, 300);
        }
    }
    check_places(r, &rec.visitors, &rec.absent, checks);
}

/// Every place booked and not given up is heard or absent, once, and only
/// those: checked when a session is recorded, and as an invariant when an
/// annulment rebuilds it (a booking annulled under a record would renumber
/// the places the record names, so that annulment is refused).
pub(crate) fn check_places(r: &Reception, visitors: &[Heard], absent: &[u32], checks: &mut Checks) {
    let mut seen = Vec::new();
    let mut account = |field: String, place: u32, checks: &mut Checks| {
        let active = booked(r, place).is_some_and(|b| b.cancelled.is_none());
        if !active {
            checks.push(Violation::new(field, "reception.no_such_place").with("place", place));
        } else if seen.contains(&place) {
            checks.push(Violation::new(field, "reception.place_twice").with("place", place));
        } else {
            seen.push(place);
        }
    };
    for (i, v) in visitors.iter().enumerate() {
        if let Some(place) = v.place {
            account(format!("visitors[{i}].place"), place, checks);
        }
    }
    for (i, place) in absent.iter().enumerate() {
        account(format!("absent[{i}]"), *place, checks);
    }
    for b in r.active_bookings().filter(|b| !seen.contains(&b.place)) {
        checks.push(Violation::new("absent", "reception.place_unaccounted").with("place", b.place));
    }
}

fn booked(r: &Reception, place: u32) -> Option<&BookedPlace> {
    place.checked_sub(1).and_then(|i| r.bookings.get(i as usize))
}

pub(crate) fn schedule(id: Uuid, number: &str, r: &NewReception) -> Reception {
    Reception {
        id,
        number: number.to_string(),
        scheduled: r.clone(),
        bookings: Vec::new(),
        cancelled: None,
        record: None,
    }
}

pub(crate) fn book(r: &mut Reception, b: &Booking, on: NaiveDate) {
    r.bookings.push(BookedPlace {
        place: r.bookings.len() as u32 + 1,
        visitor: b.visitor.clone(),
        subject: b.subject.trim().to_string(),
        booked_via: b.booked_via,
        booked_on: on,
        cancelled: None,
    });
}

pub(crate) fn cancel_booking(r: &mut Reception, c: &CancelBooking) {
    if let Some(b) = c.place.checked_sub(1).and_then(|i| r.bookings.get_mut(i as usize)) {
        b.cancelled = Some(c.reason.trim().to_string());
    }
}

pub(crate) fn cancel(r: &mut Reception, c: &CancelReception, on: NaiveDate) {
    r.cancelled = Some(Cancellation { on, reason: c.reason.trim().to_string(), visitors_told: c.visitors_told });
}

pub(crate) fn hold(r: &mut Reception, rec: &ReceptionRecord, on: NaiveDate) {
    r.record = Some(Held {
        recorded_on: on,
        held_by: rec.held_by.clone(),
        visitors: rec.visitors.clone(),
        absent: rec.absent.clone(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(unit: &str, chief: &str, day: &str, from: &str, to: &str) -> NewReception {
        let time = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").unwrap();
        NewReception {
            unit: UnitCode::parse(unit).unwrap(),
            chief: Chief { full_name: chief.into(), position: "Rəis".into() },
            day: day.parse().unwrap(),
            from: time(from),
            to: time(to),
            place: "Otaq 5".into(),
            capacity: 5,
            note: String::new(),
        }
    }

    fn clashes(new: &NewReception, other: &NewReception) -> Vec<String> {
        let mut checks = Checks::default();
        check_overlap(new, [("RC-1", other)], &mut checks);
        checks.finish().err().map(|r| r.rules().map(String::from).collect()).unwrap_or_default()
    }

    #[test]
    fn a_chief_clashes_only_with_their_own_overlapping_hours_in_the_unit_that_day() {
        let held = session("BAK-NSM", "Əliyev Rauf", "2024-04-22", "10:00", "13:00");
        let overlap = ["reception.chief_overlap".to_string()];
        assert_eq!(clashes(&session("BAK-NSM", "Алиев Рауф", "2024-04-22", "12:00", "14:00"), &held), overlap);
        assert_eq!(clashes(&session("BAK-NSM", "Aliyev Rauf", "2024-04-22", "09:00", "10:30"), &held), overlap);
        assert_eq!(clashes(&session("BAK-NSM", "Əliyev Rauf", "2024-04-22", "11:00", "12:00"), &held), overlap);
        // One ends as the other begins; another day, unit or chief.
        assert!(clashes(&session("BAK-NSM", "Əliyev Rauf", "2024-04-22", "13:00", "15:00"), &held).is_empty());
        assert!(clashes(&session("BAK-NSM", "Əliyev Rauf", "2024-04-23", "10:00", "13:00"), &held).is_empty());
        assert!(clashes(&session("BAK-YAS", "Əliyev Rauf", "2024-04-22", "10:00", "13:00"), &held).is_empty());
        assert!(clashes(&session("BAK-NSM", "Həsənov Tural", "2024-04-22", "10:00", "13:00"), &held).is_empty());
    }

    #[test]
    fn a_schedule_is_read_over_days_in_order_and_at_most_a_year_and_a_day() {
        let rules = |from: &str, to: &str| {
            let mut checks = Checks::default();
            check_schedule_span(from.parse().unwrap(), to.parse().unwrap(), &mut checks);
            checks.finish().err().map(|r| r.rules().map(String::from).collect::<Vec<_>>()).unwrap_or_default()
        };
        assert!(rules("2024-04-19", "2025-04-20").is_empty());
        assert_eq!(rules("2024-04-19", "2025-04-21"), ["reception.schedule_too_long"]);
        assert_eq!(rules("2024-04-20", "2024-04-19"), ["date.range_reversed"]);
    }
}
