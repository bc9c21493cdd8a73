//! Series of linked records (docs/identifiers.md, "Series"): the list of
//! series (JSON, CSV or XLSX), one series as an analyst reads it, and a
//! unit's alerts. The analyst's decisions are
//! acts (`decide_linking` through `POST /api/acts`).

use crate::auth::Caller;
use crate::params::{EntityId, decode_query};
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use crimeboard_domain::Violation;
use crimeboard_domain::access::Action;
use crimeboard_domain::identifier::IdentifierKey;
use crimeboard_domain::series::Linking;
use crimeboard_domain::units::UnitCode;
use crimeboard_export::sheet::{self, Cell};
use crimeboard_service::series::{Confirmation, LinkEnd, SeriesAlert, SeriesFilter, SeriesPage, SeriesView};
use serde::{Deserialize, Serialize};
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
    /// The last confirmation in force, if the series (or one it grew from)
    /// was confirmed: who, when, and what changed since.
    pub confirmation: Option<ConfirmationView>,
}

/// An analyst's confirmation of a series and what changed since.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConfirmationView {
    /// The id the series had when confirmed.
    pub series: Uuid,
    pub by: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub note: String,
    /// Records that joined since: of another unit's, only the unit.
    pub joined: Vec<LinkEndView>,
    /// Records that left since.
    pub left: Vec<LinkEndView>,
    pub links_added: usize,
    pub links_gone: usize,
}

impl From<LinkEnd> for LinkEndView {
    fn from(e: LinkEnd) -> Self {
        LinkEndView {
            unit: e.unit.to_string(),
            record: e.record,
            number: e.number,
            attached_at: e.attached_at,
            attached_by: e.attached_by,
        }
    }
}

impl From<Confirmation> for ConfirmationView {
    fn from(c: Confirmation) -> Self {
        ConfirmationView {
            series: c.series,
            by: c.by,
            at: c.at,
            note: c.note,
            joined: c.joined.into_iter().map(LinkEndView::from).collect(),
            left: c.left.into_iter().map(LinkEndView::from).collect(),
            links_added: c.links_added,
            links_gone: c.links_gone,
        }
    }
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
                ends: l.ends.into_iter().map(LinkEndView::from).collect(),
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
            confirmation: s.confirmation.map(ConfirmationView::from),
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

/// Filters of the list of series; all optional.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SeriesQuery {
    /// Series holding records of this unit or of a unit below it.
    #[param(pattern = "^[A-Z0-9-]{1,32}$")] // as `UnitCode::parse` reads one
    pub unit: Option<String>,
    /// Series of at least this many records.
    #[param(minimum = 0)]
    pub min_size: Option<usize>,
    /// Series of at most this many records.
    #[param(minimum = 0)]
    pub max_size: Option<usize>,
    /// `true`: confirmed series only; `false`: those not confirmed.
    pub confirmed: Option<bool>,
    /// `true`: series whose records hold a hub; `false`: those holding none.
    pub hub: Option<bool>,
    /// `true`: series with a weak link; `false`: those without.
    pub weak: Option<bool>,
    /// From 1.
    #[param(minimum = 1, maximum = 100_000)]
    pub page: Option<u64>,
    /// 1 to 200; 50 if not given. A file (CSV, XLSX) holds every series the filters let through.
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<u64>,
    /// `json` (default), `csv` or `xlsx`.
    #[param(inline)]
    pub format: Option<ListFormat>,
    /// Language of messages: az, ru or en, of those the installation's jurisdiction pack offers.
    #[allow(dead_code)] // read by the problem middleware; here so it is checked and documented
    #[param(inline)]
    pub lang: Option<crate::api::dto::Language>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ListFormat {
    #[default]
    Json,
    Csv,
    Xlsx,
}

/// A series as the list shows it: no record's number, only units and counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesItem {
    pub id: Uuid,
    /// How many records it holds.
    pub size: usize,
    /// Each unit holding records of it, and how many.
    pub units: Vec<UnitCount>,
    pub confirmed: bool,
    /// Keys its records hold that are hubs.
    pub hubs: usize,
    /// Weak links: keys that alone hold two parts of it together.
    pub weak: usize,
    /// The series' address in the API.
    pub link: String,
}

/// One page of the list of series.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesList {
    pub items: Vec<SeriesItem>,
    /// Series the filters let through, on every page.
    pub total: usize,
    pub page: u64,
    pub per_page: u64,
}

/// The largest page, as the registers' lists have.
const MAX_PER_PAGE: u64 = 200;
/// Series a file holds at most, as a register's list as a file.
pub const MAX_FILE_ROWS: u64 = 20_000;

/// The query's filters, each bad one named.
pub fn filter_of(q: &SeriesQuery) -> Result<SeriesFilter, Violation> {
    let unit = q.unit.as_deref().map(UnitCode::parse).transpose().map_err(|v| Violation::new("unit", &v.rule))?;
    Ok(SeriesFilter {
        unit,
        min_size: q.min_size,
        max_size: q.max_size,
        confirmed: q.confirmed,
        hub: q.hub,
        weak: q.weak,
    })
}

/// One line per series, for a file: its id, size, units, confirmation, hubs, weak links.
pub fn table(page: &SeriesPage) -> (Vec<String>, Vec<Vec<Cell>>) {
    let header = ["series", "size", "units", "confirmed", "hubs", "weak_links"].map(String::from).to_vec();
    let rows = page
        .items
        .iter()
        .map(|s| {
            let units: Vec<String> = s.units.iter().map(|e| format!("{} ({})", e.unit, e.count)).collect();
            vec![
                s.id.to_string().into(),
                Cell::Number(s.size as f64),
                units.join(", ").into(),
                if s.confirmed { "yes" } else { "no" }.into(),
                Cell::Number(s.hubs as f64),
                Cell::Number(s.weak as f64),
            ]
        })
        .collect();
    (header, rows)
}

/// The series holding records in the caller's units, those across units first.
#[utoipa::path(get, path = "/api/series", tag = "identifiers",
    params(SeriesQuery),
    responses((status = 200, description = "The series, in the format asked for",
        content((SeriesList = "application/json"), (String = "text/csv; charset=utf-8"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
pub async fn list(State(registry): Shared, caller: Caller, RawQuery(query): RawQuery) -> Result<Response, Problem> {
    let q: SeriesQuery = decode_query(query.as_deref())?;
    let filter = filter_of(&q).map_err(Problem::param)?;
    let page = q.page.unwrap_or(1);
    let per_page = q.per_page.unwrap_or(50);
    if !(1..=100_000).contains(&page) {
        return Err(Problem::param(Violation::new("page", "number.range").with("min", 1).with("max", 100_000)));
    }
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(Problem::param(
            Violation::new("per_page", "number.range").with("min", 1).with("max", MAX_PER_PAGE),
        ));
    }
    let format = q.format.unwrap_or_default();
    let bytes = blocking(&registry, move |r| {
        caller.require(r, Action::ReadPersonalData, None)?;
        let (page, per_page) = if format == ListFormat::Json { (page, per_page) } else { (1, MAX_FILE_ROWS) };
        let found = r.series_list(&caller.principal, &filter, page, per_page).map_err(Problem::from_service)?;
        if format != ListFormat::Json {
            caller.audit(r, "export.series", "", query.as_deref().unwrap_or(""))?;
        }
        let (header, rows) = table(&found);
        Ok(match format {
            ListFormat::Json => {
                serde_json::to_vec(&list_json(found, page, per_page)).map_err(|e| Problem::internal(e.to_string()))?
            }
            ListFormat::Csv => sheet::csv(&header, &rows),
            ListFormat::Xlsx => sheet::xlsx("series", &header, &rows).map_err(|e| Problem::internal(e.to_string()))?,
        })
    })
    .await?;
    let (content_type, file) = match format {
        ListFormat::Json => ("application/json", None),
        ListFormat::Csv => ("text/csv; charset=utf-8", Some("series.csv")),
        ListFormat::Xlsx => ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Some("series.xlsx")),
    };
    let mut response = ([(CONTENT_TYPE, HeaderValue::from_static(content_type))], bytes).into_response();
    if let Some(name) = file {
        let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).expect("a plain name");
        response.headers_mut().insert(CONTENT_DISPOSITION, disposition);
    }
    Ok(response)
}

fn list_json(found: SeriesPage, page: u64, per_page: u64) -> SeriesList {
    let items = found
        .items
        .into_iter()
        .map(|s| SeriesItem {
            id: s.id,
            size: s.size,
            units: s.units.into_iter().map(|e| UnitCount { unit: e.unit.to_string(), count: e.count }).collect(),
            confirmed: s.confirmed,
            hubs: s.hubs,
            weak: s.weak,
            link: format!("/api/series/{}", s.id),
        })
        .collect();
    SeriesList { items, total: found.total, page, per_page }
}
