//! Chiefs' receptions of citizens beyond the domain's rules: the check that
//! a chief is not scheduled twice at overlapping hours, which needs the
//! unit's other sessions from the index, and the reads: a unit's schedule
//! with its free places, and a session with what it produced.
//!
//! The overlap is read from the index as committed, and across the sessions
//! of one batch: two writers scheduling the same chief at the same hours in
//! the same instant can both pass (a limit, as a unit's sessions are
//! scheduled by its chief's office, one person at a time).

use crate::{ListParams, Registry, Result, ServiceError, Submission, entity_of};
use chrono::NaiveDate;
use crimeboard_domain::error::{Checks, Violation};
use crimeboard_domain::reception::{self, NewReception, Reception};
use crimeboard_domain::{Command, Entity, EntityKind};
use crimeboard_store::{ListQuery, ListSort, Record};
use serde::Serialize;
use uuid::Uuid;

/// The most sessions of a unit on one day the overlap check reads.
const MAX_SESSIONS_A_DAY: u64 = 200;

/// The most sessions one schedule read returns.
pub const MAX_SCHEDULE: u64 = 500;

/// What scheduling a session needs checked beyond the domain's rules: the
/// same chief's other sessions in the unit that day, from the index.
pub(crate) fn facts(registry: &Registry, command: &Command, checks: &mut Checks) -> Result<()> {
    if let Command::ScheduleReception(r) = command {
        let day = sessions(registry, &[r.unit.to_string()], r.day, r.day, MAX_SESSIONS_A_DAY)?;
        let standing = day.iter().filter(|s| s.cancelled.is_none());
        reception::check_overlap(r, standing.map(|s| (s.number.as_str(), &s.scheduled)), checks);
    }
    Ok(())
}

/// A batch that schedules the same chief twice at overlapping hours is
/// refused at the later session: the index does not hold the earlier yet.
pub(crate) fn check_batch(submissions: &[Submission]) -> Result<()> {
    let scheduled: Vec<(usize, &NewReception)> = submissions
        .iter()
        .enumerate()
        .filter_map(|(i, s)| if let Command::ScheduleReception(r) = &s.command { Some((i, r)) } else { None })
        .collect();
    let names: Vec<String> = scheduled.iter().map(|(i, _)| format!("#{i}")).collect();
    for (k, (index, r)) in scheduled.iter().enumerate() {
        let mut checks = Checks::default();
        let earlier = scheduled[..k].iter().zip(&names).map(|((_, o), name)| (name.as_str(), *o));
        reception::check_overlap(r, earlier, &mut checks);
        if let Err(rejected) = checks.finish() {
            return Err(ServiceError::BatchItem { index: *index, rejected });
        }
    }
    Ok(())
}

fn sessions(
    registry: &Registry,
    units: &[String],
    from: NaiveDate,
    to: NaiveDate,
    limit: u64,
) -> Result<Vec<Reception>> {
    let query = ListQuery {
        kind: Some(EntityKind::Reception),
        units: Some(units.to_vec()),
        day_from: Some(from),
        day_to: Some(to),
        sort: Some(ListSort::Oldest),
        limit,
        ..ListQuery::default()
    };
    registry.store.list(&query)?.items.iter().map(as_reception).collect()
}

fn as_reception(record: &Record) -> Result<Reception> {
    match entity_of(record)? {
        Entity::Reception(r) => Ok(r),
        _ => Err(ServiceError::NotFound),
    }
}

/// A session of a unit's schedule, with its places booked and free.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduledSession {
    pub id: Uuid,
    pub number: String,
    pub unit: String,
    pub status: &'static str,
    pub day: NaiveDate,
    pub from: chrono::NaiveTime,
    pub to: chrono::NaiveTime,
    pub chief: reception::Chief,
    pub place: String,
    pub capacity: u32,
    pub booked: u32,
    pub free: u32,
}

impl ScheduledSession {
    fn of(r: &Reception) -> ScheduledSession {
        let s = &r.scheduled;
        ScheduledSession {
            id: r.id,
            number: r.number.clone(),
            unit: s.unit.to_string(),
            status: r.status(),
            day: s.day,
            from: s.from,
            to: s.to,
            chief: s.chief.clone(),
            place: s.place.clone(),
            capacity: s.capacity,
            booked: r.active_bookings().count() as u32,
            free: r.free_places(),
        }
    }
}

/// A session with the records that name it as their parent: the appeals
/// registered from its visitors' matters.
#[derive(Debug, Clone)]
pub struct ReceptionView {
    pub reception: Reception,
    pub produced: Vec<Record>,
}

impl Registry {
    /// A unit's sessions (not those of the units below: each chief keeps
    /// their own schedule) from `from` to `to`, earliest first, with their
    /// places booked and free; those called off included, so the desk can
    /// tell a caller.
    pub fn reception_schedule(&self, unit: &str, from: NaiveDate, to: NaiveDate) -> Result<Vec<ScheduledSession>> {
        let mut checks = Checks::default();
        let code = crimeboard_domain::units::UnitCode::parse(unit).map_err(|v| Violation::new("unit", &v.rule));
        let code = checks.absorb(code);
        if let Some(code) = &code {
            checks.absorb(self.units().require("unit", code));
        }
        reception::check_schedule_span(from, to, &mut checks);
        checks.finish()?;
        let unit = code.map(|c| c.to_string()).unwrap_or_default();
        Ok(sessions(self, &[unit], from, to, MAX_SCHEDULE)?.iter().map(ScheduledSession::of).collect())
    }

    /// A session with its bookings and record, and the records naming it as
    /// their parent (the appeals it produced, newest first).
    pub fn reception(&self, id: Uuid) -> Result<ReceptionView> {
        let reception = match self.entity(id)? {
            Entity::Reception(r) => r,
            _ => return Err(ServiceError::NotFound),
        };
        let produced =
            self.list(&ListParams { parent: Some(id), per_page: Some(crate::MAX_PER_PAGE), ..ListParams::default() })?;
        Ok(ReceptionView { reception, produced: produced.items })
    }
}
