//! A chief's receptions of citizens: listed and searched as a register, a
//! session read with its bookings, its record and the appeals it produced,
//! and a unit's schedule with the places still free. Sessions are
//! scheduled, booked, called off and recorded through `POST /api/acts`
//! (`schedule_reception`, `book_reception`, `cancel_booking`,
//! `cancel_reception`, `record_reception`), a schedule of several sessions
//! through `/api/acts/batch`.

use super::dto::{ListQuery, ListView};
use crate::auth::Caller;
use crate::params::{EntityId, decode_query};
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use chrono::{NaiveDate, NaiveTime};
use crimeboard_domain::access::Action;
use crimeboard_domain::reception::{Chief, Reception};
use crimeboard_domain::units::{Language, UnitCode};
use crimeboard_domain::{EntityKind, Violation};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// How far ahead a schedule reads when `to` is not given.
const SCHEDULE_DAYS: u64 = 30;

/// A record that names the session as its parent: an appeal registered
/// from a visitor's matter.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProducedView {
    pub kind: EntityKind,
    pub id: Uuid,
    pub number: String,
    pub status: String,
    pub day: NaiveDate,
}

/// A session as it stands, with its places and what it produced.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceptionView {
    #[serde(flatten)]
    pub reception: Reception,
    /// `scheduled`, `held` or `cancelled`.
    pub status: String,
    pub free_places: u32,
    /// The visitors heard whose matter is to become a written appeal.
    pub appeals_to_register: u32,
    /// The records naming this session: the appeals registered from it.
    pub produced: Vec<ProducedView>,
}

/// A session of a unit's schedule.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub id: Uuid,
    pub number: String,
    /// `scheduled`, `held` or `cancelled`.
    pub status: String,
    pub day: NaiveDate,
    #[schema(value_type = String, example = "10:00:00")]
    pub from: NaiveTime,
    #[schema(value_type = String, example = "13:00:00")]
    pub to: NaiveTime,
    pub chief: Chief,
    pub place: String,
    pub capacity: u32,
    pub booked: u32,
    pub free: u32,
}

/// A unit's sessions between two days, earliest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleView {
    pub unit: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub sessions: Vec<SessionView>,
}

/// The days of a schedule.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ScheduleQuery {
    /// The first day; today if not given.
    pub from: Option<NaiveDate>,
    /// The last day, at most 366 days after `from` (`reception.schedule_too_long`); 30 days after `from` if not given.
    pub to: Option<NaiveDate>,
    /// Language of messages: az, ru or en, of those the installation's jurisdiction pack offers
    /// (another is refused, 422), its default language if not given; wins over Accept-Language.
    #[allow(dead_code)] // read by the problem middleware; here so it is checked and documented
    #[param(inline)]
    pub lang: Option<Language>,
}

/// The receptions of citizens, filtered like every register (`unit`,
/// `status`, `from`/`to` by the session's day, `q` through the chief's and
/// the visitors' names in any script).
#[utoipa::path(get, path = "/api/receptions", tag = "receptions", params(ListQuery),
    responses((status = 200, description = "A page of sessions", body = ListView<Reception>)))]
pub async fn list(
    State(registry): Shared,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<ListView<Value>>, Problem> {
    super::registers::list(registry, caller, EntityKind::Reception, query).await
}

/// A session with its bookings, its record, and the records naming it (the
/// appeals registered from its visitors' matters).
#[utoipa::path(get, path = "/api/receptions/{id}", tag = "receptions",
    params(("id" = uuid::Uuid, Path, description = "The session's id")),
    responses((status = 200, description = "The session", body = ReceptionView)))]
pub async fn get(
    State(registry): Shared,
    caller: Caller,
    EntityId(id): EntityId,
) -> Result<Json<ReceptionView>, Problem> {
    blocking(&registry, move |r| {
        let action = Action::to_read(EntityKind::Reception);
        caller.require(r, action, None)?;
        let record = r.get(id).map_err(Problem::from_service)?;
        if record.kind != EntityKind::Reception {
            return Err(Problem::not_found());
        }
        caller.require(r, action, Some(&record.unit))?;
        caller.audit(r, "view.reception", &id.to_string(), &record.number)?;
        let view = r.reception(id).map_err(Problem::from_service)?;
        let reception = view.reception;
        let produced = view
            .produced
            .into_iter()
            .map(|p| ProducedView { kind: p.kind, id: p.id, number: p.number, status: p.status, day: p.day })
            .collect();
        Ok(Json(ReceptionView {
            status: reception.status().to_string(),
            free_places: reception.free_places(),
            appeals_to_register: reception.appeals_to_register().count() as u32,
            produced,
            reception,
        }))
    })
    .await
}

/// A unit's schedule of receptions (its own sessions, not those of the units
/// below): from today for 30 days unless asked otherwise, earliest first,
/// with the places booked and free; sessions called off are listed with
/// their status, so the desk can tell a caller. Read by those who book.
#[utoipa::path(get, path = "/api/units/{code}/receptions", tag = "receptions",
    params(("code" = String, Path, description = "The unit's code", pattern = "^[A-Z0-9-]{1,32}$"), ScheduleQuery),
    responses((status = 200, description = "The unit's schedule", body = ScheduleView)))]
pub async fn schedule(
    State(registry): Shared,
    caller: Caller,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<ScheduleView>, Problem> {
    let q: ScheduleQuery = decode_query(query.as_deref())?;
    let unit = UnitCode::parse(&code).map_err(|v| Problem::param(Violation::new("code", &v.rule)))?;
    blocking(&registry, move |r| {
        caller.require(r, Action::BookReceptions, Some(unit.as_str()))?;
        let from = q.from.unwrap_or_else(|| r.jurisdiction().rules.local_date(r.now()));
        let to = q.to.unwrap_or_else(|| from + chrono::Days::new(SCHEDULE_DAYS));
        let sessions = r.reception_schedule(unit.as_str(), from, to).map_err(Problem::from_query)?;
        let sessions = sessions
            .into_iter()
            .map(|s| SessionView {
                id: s.id,
                number: s.number,
                status: s.status.to_string(),
                day: s.day,
                from: s.from,
                to: s.to,
                chief: s.chief,
                place: s.place,
                capacity: s.capacity,
                booked: s.booked,
                free: s.free,
            })
            .collect();
        Ok(Json(ScheduleView { unit: unit.to_string(), from, to, sessions }))
    })
    .await
}
