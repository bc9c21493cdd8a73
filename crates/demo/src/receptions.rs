//! The chiefs' receptions of citizens (docs/receptions.md): every police
//! unit's chief receives citizens once a month, on a set weekday of a set
//! week (moved to the next working day when it falls on a holiday), from
//! ten to one. Citizens book places in the weeks before, a few give theirs
//! up, a few sessions are called off; a held session's record says who was
//! heard (on a booking or walking in), who did not come and what came of
//! each matter. A matter to become a written appeal is registered by the
//! appeals office after the session (`appeals.rs`), naming it.
//!
//! A reception's acts are dated by the day they are recorded (a session is
//! scheduled for a day not past, booked before it begins, recorded on its
//! day), so they go through a registry whose clock the demo moves
//! ([`MovedClock`]), day by day in the order they happen. The month after
//! the data set's end is scheduled and partly booked too, so the schedule
//! shows sessions to come.

use crate::clock::{DAY_END, Local, MovedClock, month_span};
use crate::emit::Emitter;
use crate::people;
use crate::rng::Rng;
use crate::units::Recorders;
use anyhow::{Result, anyhow};
use chrono::{Days, NaiveDate, NaiveTime, Weekday};
use crimeboard_domain::Command;
use crimeboard_domain::reception::{
    BookedVia, Booking, CancelBooking, CancelReception, Chief, Heard, NewReception, Outcome, ReceptionRecord, Visitor,
};
use crimeboard_domain::rules::Rules;
use crimeboard_domain::units::UnitCode;
use crimeboard_service::Submission;
use uuid::Uuid;

/// Streams of their own: one per unit and month, so a later end adds
/// months without moving the draws of those before.
const SESSION_STREAMS: u64 = 3 << 32;
const CHIEF_STREAMS: u64 = 4 << 32;
/// The first month with sessions: the lead-in quarter's.
const FIRST_MONTH: (i32, u32) = (2022, 10);
/// Sessions are scheduled this many days ahead.
const SCHEDULED_AHEAD: u64 = 21;
/// How far past the data set's end the schedule runs.
const SCHEDULE_AFTER_END: u64 = 35;
const CAPACITY: u32 = 8;
/// A session from ten to one, recorded at three.
const FROM: u32 = 10 * 60;
const TO: u32 = 13 * 60;
const RECORDED_AT: u32 = 15 * 60;
const GROUND: &str = "Vətəndaşların qəbulu qaydaları";

pub(crate) const SUBJECTS: &[&str] = &[
    "Torpaq sahəsi ilə bağlı mübahisə",
    "Qonşularla münaqişə",
    "Oğlunun cinayət işi barədə",
    "İtkin düşmüş qohumun axtarışı",
    "Sahə polis inspektorunun fəaliyyətindən şikayət",
    "Dələduzluq barədə məlumat",
    "Yol hərəkəti qaydalarının pozulması",
    "Pasport və qeydiyyat məsələsi",
    "Məişət zorakılığı barədə",
    "Həyətdə səs-küy və asayiş",
];
const BODIES: &[&str] = &[
    "Rayon İcra Hakimiyyəti",
    "Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi",
    "Dövlət Miqrasiya Xidməti",
    "Dövlət Torpaq və Xəritəçəkmə Komitəsi",
];

#[derive(Debug, Clone)]
pub(crate) struct BookingPlan {
    pub visitor: Visitor,
    pub subject: &'static str,
    pub via: BookedVia,
    pub at: Local,
    /// When the visitor gave the place up.
    pub given_up: Option<Local>,
}

#[derive(Debug, Clone)]
pub(crate) struct RecordPlan {
    pub at: Local,
    pub held_by: Chief,
    pub heard: Vec<Heard>,
    pub absent: Vec<u32>,
}

/// One session as planned: its bookings in the order made (a place's
/// number is its position from 1), and what became of it.
#[derive(Debug, Clone)]
pub(crate) struct SessionPlan {
    pub unit: UnitCode,
    pub chief: Chief,
    pub day: NaiveDate,
    pub scheduled: Local,
    pub bookings: Vec<BookingPlan>,
    pub called_off: Option<Local>,
    pub record: Option<RecordPlan>,
}

impl SessionPlan {
    fn new_reception(&self) -> NewReception {
        let time = |minute: u32| NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).unwrap_or(NaiveTime::MIN);
        NewReception {
            unit: self.unit.clone(),
            chief: self.chief.clone(),
            day: self.day,
            from: time(FROM),
            to: time(TO),
            place: "Rəisin qəbul otağı, inzibati bina".into(),
            capacity: CAPACITY,
            note: "Hər ay, əvvəlcədən yazılmaqla".into(),
        }
    }
}

/// Every police unit's sessions from the lead-in quarter to a month past `end`.
pub(crate) fn plan(recorders: &Recorders, seed: u64, rules: &Rules, end: NaiveDate) -> Vec<SessionPlan> {
    let last = end + Days::new(SCHEDULE_AFTER_END);
    let mut out = Vec::new();
    for (i, unit) in recorders.police.iter().enumerate() {
        let chief = chief(&mut Rng::stream(seed, CHIEF_STREAMS + i as u64));
        let (mut year, mut month) = FIRST_MONTH;
        while month_span(year, month).0 <= last {
            let day = session_day(rules, i, year, month);
            if day <= last {
                let stream = SESSION_STREAMS + (year as u64 * 12 + u64::from(month)) * 64 + i as u64;
                let mut rng = Rng::stream(seed, stream);
                out.push(session(&mut rng, unit, &chief, day, end));
            }
            (year, month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
        }
    }
    out.sort_by_key(|s| (s.day, s.scheduled));
    out
}

fn chief(rng: &mut Rng) -> Chief {
    Chief { full_name: format!("Polkovnik {}", people::officer(rng)), position: "Polis orqanının rəisi".into() }
}

/// The unit's day of the month: the unit's weekday (Tuesday to Thursday) of
/// its week (first to third), moved on past holidays.
fn session_day(rules: &Rules, unit_index: usize, year: i32, month: u32) -> NaiveDate {
    let weekday = [Weekday::Tue, Weekday::Wed, Weekday::Thu][unit_index % 3];
    let week = 1 + (unit_index / 3 % 3) as u8;
    let mut day = NaiveDate::from_weekday_of_month_opt(year, month, weekday, week).unwrap_or(month_span(year, month).0);
    while !rules.is_working_day(day) {
        day = day + Days::new(1);
    }
    day
}

fn session(rng: &mut Rng, unit: &UnitCode, chief: &Chief, day: NaiveDate, end: NaiveDate) -> SessionPlan {
    let ahead = day - Days::new(SCHEDULED_AHEAD);
    let scheduled = if ahead <= end { Local { day: ahead, minute: FROM } } else { Local { day: end, minute: 9 * 60 } };
    // Bookings come on the days between, none past the data set's end.
    let last_booking_day = (day - Days::new(1)).min(end);
    let mut bookings: Vec<BookingPlan> = (0..rng.range(2, 6))
        .filter_map(|_| {
            let at = scheduled.after(rng, 0, 20, last_booking_day)?;
            Some(BookingPlan {
                visitor: visitor(rng, at.day),
                subject: rng.choice(SUBJECTS),
                via: rng.choice(&[BookedVia::Telephone, BookedVia::Telephone, BookedVia::Online, BookedVia::Desk]),
                at,
                given_up: None,
            })
        })
        .collect();
    bookings.sort_by_key(|b| b.at);
    for b in &mut bookings {
        if rng.chance(0.12) {
            b.given_up = b.at.after(rng, 0, 10, last_booking_day);
        }
    }
    let held = day <= end;
    let called_off = (held && rng.chance(0.04)).then_some(Local { day, minute: 8 * 60 });
    let record = (held && called_off.is_none()).then(|| record(rng, chief, day, &bookings));
    SessionPlan { unit: unit.clone(), chief: chief.clone(), day, scheduled, bookings, called_off, record }
}

fn visitor(rng: &mut Rng, day: NaiveDate) -> Visitor {
    let full_name = people::applicant(rng, day).full_name;
    let phone =
        rng.chance(0.8).then(|| format!("+994 50 {:03} {:02} {:02}", rng.below(1000), rng.below(100), rng.below(100)));
    Visitor { full_name, phone, email: None }
}

/// Each place not given up heard or absent, walk-ins after them, and what
/// came of each matter: settled on the spot, a written appeal to register,
/// or another body's.
fn record(rng: &mut Rng, chief: &Chief, day: NaiveDate, bookings: &[BookingPlan]) -> RecordPlan {
    let mut heard = Vec::new();
    let mut absent = Vec::new();
    for (i, b) in bookings.iter().enumerate() {
        let place = i as u32 + 1;
        if b.given_up.is_some() {
            continue;
        }
        if rng.chance(0.87) {
            heard.push(hear(rng, Some(place), b.visitor.full_name.clone(), b.subject));
        } else {
            absent.push(place);
        }
    }
    for _ in 0..rng.range(0, 2) {
        let name = people::applicant(rng, day).full_name;
        let subject = rng.choice(SUBJECTS);
        heard.push(hear(rng, None, name, subject));
    }
    let held_by = if rng.chance(0.1) {
        Chief { full_name: format!("Polkovnik-leytenant {}", people::officer(rng)), position: "Rəis müavini".into() }
    } else {
        chief.clone()
    };
    RecordPlan { at: Local { day, minute: RECORDED_AT }, held_by, heard, absent }
}

fn hear(rng: &mut Rng, place: Option<u32>, full_name: String, subject: &str) -> Heard {
    let x = rng.unit();
    let outcome = if x < 0.45 {
        Outcome::SettledOnTheSpot
    } else if x < 0.8 {
        Outcome::AppealToRegister
    } else {
        Outcome::ReferredElsewhere { body: rng.choice(BODIES).into() }
    };
    Heard { place, full_name, subject: subject.into(), outcome, note: String::new() }
}

/// One act of a session, at its moment.
#[derive(Debug, Clone, Copy)]
enum Event {
    Schedule,
    Book(usize),
    GiveUp(usize),
    CallOff,
    Record,
}

/// Records every session's acts in the order they happen, each day's in a
/// batch on the moved clock; returns each session's id.
pub(crate) fn emit(emitter: &mut Emitter, sessions: &[SessionPlan]) -> Result<Vec<Uuid>> {
    let story = MovedClock::over(emitter.registry())?;
    let mut events: Vec<(Local, usize, Event)> = Vec::new();
    for (s, plan) in sessions.iter().enumerate() {
        events.push((plan.scheduled, s, Event::Schedule));
        for (b, booking) in plan.bookings.iter().enumerate() {
            events.push((booking.at, s, Event::Book(b)));
            if let Some(at) = booking.given_up {
                events.push((at, s, Event::GiveUp(b)));
            }
        }
        if let Some(at) = plan.called_off {
            events.push((at, s, Event::CallOff));
        }
        if let Some(r) = &plan.record {
            events.push((r.at, s, Event::Record));
        }
    }
    events.sort_by_key(|(at, s, _)| (*at, *s));
    let mut ids: Vec<Option<Uuid>> = vec![None; sessions.len()];
    let mut batch: Vec<(usize, Submission)> = Vec::new();
    let mut last = None;
    for (at, s, event) in events {
        // A day's acts share the clock; an act on a session scheduled in
        // the same batch waits for its id.
        let unscheduled = !matches!(event, Event::Schedule) && ids[s].is_none();
        if last.is_some_and(|l: Local| l.day != at.day) || unscheduled {
            flush(emitter, &story, &mut batch, &mut ids, last)?;
        }
        last = Some(at);
        let plan = &sessions[s];
        let command = match event {
            Event::Schedule => Command::ScheduleReception(plan.new_reception()),
            other => act(plan, id_of(&ids, s)?, other),
        };
        batch.push((s, Submission { actor: actor(plan, event), legal_ground: GROUND.into(), command, late: None }));
    }
    flush(emitter, &story, &mut batch, &mut ids, last)?;
    ids.into_iter().map(|id| id.ok_or_else(|| anyhow!("a planned reception was not scheduled"))).collect()
}

fn id_of(ids: &[Option<Uuid>], s: usize) -> Result<Uuid> {
    ids[s].ok_or_else(|| anyhow!("a reception's act came before its schedule"))
}

fn act(plan: &SessionPlan, reception_id: Uuid, event: Event) -> Command {
    match event {
        Event::Book(b) => {
            let booking = &plan.bookings[b];
            Command::BookReception(Booking {
                reception_id,
                visitor: booking.visitor.clone(),
                subject: booking.subject.into(),
                booked_via: booking.via,
            })
        }
        Event::GiveUp(b) => Command::CancelBooking(CancelBooking {
            reception_id,
            place: b as u32 + 1,
            reason: "Vətəndaş zəng edib gəlməyəcəyini bildirdi".into(),
        }),
        Event::CallOff => Command::CancelReception(CancelReception {
            reception_id,
            reason: "Rəis Nazirliyin iclasına çağırılıb".into(),
            visitors_told: true,
        }),
        Event::Record => {
            let r = plan.record.as_ref();
            Command::RecordReception(ReceptionRecord {
                reception_id,
                held_by: r.map_or_else(|| plan.chief.clone(), |r| r.held_by.clone()),
                visitors: r.map(|r| r.heard.clone()).unwrap_or_default(),
                absent: r.map(|r| r.absent.clone()).unwrap_or_default(),
            })
        }
        Event::Schedule => Command::ScheduleReception(plan.new_reception()),
    }
}

fn actor(plan: &SessionPlan, event: Event) -> String {
    let desk = match event {
        Event::Book(_) | Event::GiveUp(_) => "Növbətçi hissə",
        Event::Schedule | Event::CallOff | Event::Record => "Rəisin katibliyi",
    };
    format!("{desk} ({})", plan.unit)
}

/// Records the batch with the clock at its last act's moment (every act of
/// a batch is of one day) and files the sessions' ids.
fn flush(
    emitter: &mut Emitter,
    story: &MovedClock,
    batch: &mut Vec<(usize, Submission)>,
    ids: &mut [Option<Uuid>],
    at: Option<Local>,
) -> Result<()> {
    let (Some(at), false) = (at, batch.is_empty()) else { return Ok(()) };
    // Within the working band, so a same-day act never reads as tomorrow's.
    story.set(Local { day: at.day, minute: at.minute.min(DAY_END - 1) });
    let (sessions, subs): (Vec<usize>, Vec<Submission>) = std::mem::take(batch).into_iter().unzip();
    let receipts = emitter.record(&story.registry, &subs)?;
    for ((s, sub), receipt) in sessions.iter().zip(&subs).zip(receipts) {
        if matches!(sub.command, Command::ScheduleReception(_)) {
            ids[*s] = Some(receipt.entity_id);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crimeboard_domain::units::UnitTree;

    fn planned(end: NaiveDate) -> (Vec<SessionPlan>, std::sync::Arc<Rules>) {
        let tree = UnitTree::new(crimeboard_service::demo_units()).unwrap();
        let rules = crimeboard_service::Jurisdiction::demo().rules.clone();
        (plan(&Recorders::of(&tree).unwrap(), 20_240_419, &rules, end), rules)
    }

    #[test]
    fn every_police_unit_holds_a_monthly_session_on_a_working_day_with_bookings_records_and_some_called_off() {
        let end = NaiveDate::from_ymd_opt(2024, 10, 15).unwrap();
        let (sessions, rules) = planned(end);
        let tree = UnitTree::new(crimeboard_service::demo_units()).unwrap();
        let police = Recorders::of(&tree).unwrap().police;
        for unit in &police {
            let september = NaiveDate::from_ymd_opt(2024, 9, 30).unwrap();
            let held: Vec<_> = sessions.iter().filter(|s| &s.unit == unit && s.day <= september).collect();
            // One a month, October 2022 to September 2024.
            assert_eq!(held.len(), 24, "{unit}");
            assert!(sessions.iter().any(|s| &s.unit == unit && s.day > end), "{unit} has a session to come");
        }
        assert!(sessions.iter().all(|s| rules.is_working_day(s.day)));
        assert!(sessions.iter().all(|s| s.scheduled.day <= s.day && s.bookings.iter().all(|b| b.at.day < s.day)));
        let called_off = sessions.iter().filter(|s| s.called_off.is_some()).count();
        assert!(called_off > 5 && called_off < sessions.len() / 10, "{called_off} called off");
        assert!(sessions.iter().filter(|s| s.day > end).all(|s| s.record.is_none() && s.called_off.is_none()));
        let given_up = sessions.iter().flat_map(|s| &s.bookings).filter(|b| b.given_up.is_some()).count();
        assert!(given_up > 10, "{given_up} places given up");
        let heard: Vec<&Heard> = sessions.iter().filter_map(|s| s.record.as_ref()).flat_map(|r| &r.heard).collect();
        assert!(heard.iter().any(|h| h.place.is_none()), "walk-ins");
        for outcome in [Outcome::SettledOnTheSpot, Outcome::AppealToRegister] {
            assert!(heard.iter().any(|h| h.outcome == outcome), "{outcome:?}");
        }
        assert!(heard.iter().any(|h| matches!(h.outcome, Outcome::ReferredElsewhere { .. })));
        assert!(sessions.iter().filter_map(|s| s.record.as_ref()).any(|r| !r.absent.is_empty()), "absent visitors");
    }

    #[test]
    fn a_record_accounts_for_every_place_not_given_up_once() {
        let (sessions, _) = planned(NaiveDate::from_ymd_opt(2024, 10, 15).unwrap());
        for s in &sessions {
            let Some(r) = &s.record else { continue };
            let mut places: Vec<u32> = r.heard.iter().filter_map(|h| h.place).chain(r.absent.iter().copied()).collect();
            places.sort();
            let active: Vec<u32> =
                (1..=s.bookings.len() as u32).filter(|p| s.bookings[*p as usize - 1].given_up.is_none()).collect();
            assert_eq!(places, active, "{} on {}", s.unit, s.day);
        }
    }
}
