//! Series of linked records (docs/identifiers.md, "Series"): one series as
//! an analyst reads it, and a unit's alerts. The analyst's decisions are
//! acts (`decide_linking` through `POST /api/acts`).

use crate::auth::Caller;
use crate::params::EntityId;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::Json;
use axum::extract::{Path, State};
use crimeboard_domain::Violation;
use crimeboard_domain::access::Action;
use crimeboard_domain::identifier::IdentifierKey;
use crimeboard_domain::series::Linking;
use crimeboard_domain::units::UnitCode;
use crimeboard_service::series::{SeriesAlert, SeriesView};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// Records of a unit outside the asker's scope: how many, no more.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitCount {
    pub unit: String,
    pub count: usize,
}

/// A report or case of the series, in the asker's units.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    pub record: Uuid,
    /// `report` or `case`.
    pub kind: String,
    pub unit: String,
    pub number: String,
    /// The record's address in the API.
    pub link: String,
}

/// A record holding a linking key; of another unit's record, only the unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkEndView {
    pub unit: String,
    pub record: Option<Uuid>,
    pub number: Option<String>,
    /// When the act that attached it was recorded.
    pub attached_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Who recorded it.
    pub attached_by: Option<String>,
}

/// A key linking records of the series, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkView {
    pub key: IdentifierKey,
    /// As a page shows it (a card masked).
    pub display: String,
    /// It alone holds two parts of the series together.
    pub weak: bool,
    pub ends: Vec<LinkEndView>,
}

/// A key held by more records than the hub threshold.
#[derive(Debug, Serialize, ToSchema)]
pub struct HubView {
    pub key: IdentifierKey,
    pub display: String,
    /// Records holding it, counted up to the threshold and one more.
    pub holders: usize,
    /// The analyst's decision on it, if any (`always`: it links).
    pub decided: Option<Linking>,
}

/// A series: its records in the asker's units by unit, the other units and
/// how many, its links with their reasons, and the hubs it touches.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesJson {
    pub id: Uuid,
    pub records: Vec<MemberView>,
    pub elsewhere: Vec<UnitCount>,
    pub links: Vec<LinkView>,
    /// Links only other units' records hold.
    pub hidden_links: usize,
    pub hubs: Vec<HubView>,
}

impl From<SeriesView> for SeriesJson {
    fn from(s: SeriesView) -> Self {
        let records = s
            .visible
            .into_iter()
            .map(|m| MemberView {
                record: m.record,
                kind: m.kind.as_str().to_string(),
                unit: m.unit.to_string(),
                number: m.number,
                link: format!("/api/{}s/{}", m.kind.as_str(), m.record),
            })
            .collect();
        let links = s
            .links
            .into_iter()
            .map(|l| LinkView {
                key: l.key,
                display: l.display,
                weak: l.weak,
                ends: l
                    .ends
                    .into_iter()
                    .map(|e| LinkEndView {
                        unit: e.unit.to_string(),
                        record: e.record,
                        number: e.number,
                        attached_at: e.attached_at,
                        attached_by: e.attached_by,
                    })
                    .collect(),
            })
            .collect();
        SeriesJson {
            id: s.id,
            records,
            elsewhere: s
                .elsewhere
                .into_iter()
                .map(|e| UnitCount { unit: e.unit.to_string(), count: e.count })
                .collect(),
            links,
            hidden_links: s.hidden_links,
            hubs: s
                .hubs
                .into_iter()
                .map(|h| HubView { key: h.key, display: h.display, holders: h.holders, decided: h.decided })
                .collect(),
        }
    }
}

/// A unit's alert: a series holding its records and other units'.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertView {
    pub series: Uuid,
    /// How many of the series' records are the unit's.
    pub own: usize,
    pub elsewhere: Vec<UnitCount>,
    /// The series' address in the API.
    pub link: String,
}

impl From<SeriesAlert> for AlertView {
    fn from(a: SeriesAlert) -> Self {
        AlertView {
            series: a.series,
            own: a.own,
            elsewhere: a
                .elsewhere
                .into_iter()
                .map(|e| UnitCount { unit: e.unit.to_string(), count: e.count })
                .collect(),
            link: format!("/api/series/{}", a.series),
        }
    }
}

/// A series by its id (its earliest record's), scoped to the caller's units.
#[utoipa::path(get, path = "/api/series/{id}", tag = "identifiers",
    params(("id" = Uuid, Path, description = "The series' id: its earliest record's")),
    responses((status = 200, description = "The series", body = SeriesJson),
        (status = 404, description = "No series has this id")))]
pub async fn get(State(registry): Shared, caller: Caller, EntityId(id): EntityId) -> Result<Json<SeriesJson>, Problem> {
    blocking(&registry, move |r| {
        caller.require(r, Action::ReadPersonalData, None)?;
        r.series(&caller.principal, id).map(|s| Json(s.into())).map_err(Problem::from_service)
    })
    .await
}

/// The series a unit's records share with other units' records, each alerted once.
#[utoipa::path(get, path = "/api/units/{code}/series-alerts", tag = "identifiers",
    params(("code" = String, Path, description = "The unit's code", pattern = "^[A-Z0-9-]{1,32}$")),
    responses((status = 200, description = "The unit's alerts", body = Vec<AlertView>)))]
pub async fn alerts(
    State(registry): Shared,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<Json<Vec<AlertView>>, Problem> {
    let unit = UnitCode::parse(&code).map_err(|v| Problem::param(Violation::new("code", &v.rule)))?;
    blocking(&registry, move |r| {
        caller.require(r, Action::ReadPersonalData, Some(unit.as_str()))?;
        let found = r.series_alerts(&caller.principal, &unit).map_err(Problem::from_service)?;
        Ok(Json(found.into_iter().map(AlertView::from).collect()))
    })
    .await
}
