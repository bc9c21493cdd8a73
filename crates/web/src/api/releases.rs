//! A Board meeting's press release: listed as a register and read with its
//! texts as the public reads them (each figure written out) beside the texts
//! as kept (each figure a `{{fig:N}}` token) and the figures with their
//! provenance. A release is drafted, edited, approved and published through
//! `POST /api/acts` (`draft_release`, whose texts and figures the system
//! writes, or `write_release`, the press officer's own from scratch;
//! `edit_release`, `approve_release`, `publish_release`, at once or at a
//! civil date and time).

use super::dto::{ListQuery, ListView};
use crate::auth::Caller;
use crate::params::EntityId;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::Json;
use axum::extract::{RawQuery, State};
use chrono::{NaiveDate, NaiveDateTime};
use crimeboard_domain::EntityKind;
use crimeboard_domain::access::Action;
use crimeboard_domain::release::{Figure, Release, ReleaseStatus, Tags, Texts};
use crimeboard_domain::units::Language;
use crimeboard_service::Registry;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

/// A figure a release states, where it comes from, and how each language writes it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReleaseFigureView {
    /// The token that stands for it in the texts as kept: `{{fig:0}}`.
    pub token: String,
    #[serde(flatten)]
    pub figure: Figure,
    /// The value as each language writes it.
    pub shown: Texts,
}

/// A release as it stands.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ReleaseView)]
pub struct ReleaseView {
    pub id: Uuid,
    pub number: String,
    pub status: ReleaseStatus,
    /// The Board meeting it reports; none for a release written from scratch.
    pub meeting_id: Option<Uuid>,
    pub unit: String,
    pub held_on: Option<NaiveDate>,
    pub drafted_on: NaiveDate,
    pub approved_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    /// The civil date and time (Asia/Baku) a scheduled publication reaches the public.
    #[schema(value_type = Option<String>)]
    pub publish_at: Option<NaiveDateTime>,
    /// The languages it is published in: those with a text.
    pub languages: Vec<Language>,
    pub titles: Texts,
    pub tags: Tags,
    /// The texts with each figure written out.
    pub rendered: Texts,
    /// The texts as kept, each figure a token.
    pub texts: Texts,
    pub figures: Vec<ReleaseFigureView>,
}

impl ReleaseView {
    pub fn of(r: &Registry, release: Release) -> ReleaseView {
        let in_each = |write: &dyn Fn(Language) -> String| Texts {
            az: write(Language::Az),
            ru: write(Language::Ru),
            en: write(Language::En),
        };
        let languages = release.languages();
        let rendered = in_each(&|lang| r.release_text(&release, lang));
        let figures = release
            .figures
            .iter()
            .enumerate()
            .map(|(i, figure)| ReleaseFigureView {
                token: crimeboard_domain::release::token(i),
                figure: figure.clone(),
                shown: in_each(&|lang| r.figure_text(figure, lang)),
            })
            .collect();
        ReleaseView {
            id: release.id,
            number: release.number,
            status: release.status,
            meeting_id: release.meeting_id,
            unit: release.unit.to_string(),
            held_on: release.held_on,
            drafted_on: release.drafted_on,
            approved_on: release.approved_on,
            published_on: release.published_on,
            publish_at: release.publish_at,
            languages,
            titles: release.titles,
            tags: release.tags,
            rendered,
            texts: release.texts,
            figures,
        }
    }
}

/// The press releases, newest first, filtered like every register.
#[utoipa::path(get, path = "/api/releases", tag = "board", params(ListQuery),
    responses((status = 200, description = "A page of releases", body = ListView<Release>)))]
pub async fn list(
    State(registry): Shared,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<ListView<Value>>, Problem> {
    super::registers::list(registry, caller, EntityKind::Release, query).await
}

/// A release with its texts written out and as kept, and its figures with
/// their indicator, unit, period, value and journal position.
#[utoipa::path(get, path = "/api/releases/{id}", tag = "board",
    params(("id" = uuid::Uuid, Path, description = "The release's id")),
    responses((status = 200, description = "The release", body = ReleaseView)))]
pub async fn get(
    State(registry): Shared,
    caller: Caller,
    EntityId(id): EntityId,
) -> Result<Json<ReleaseView>, Problem> {
    blocking(&registry, move |r| {
        let action = Action::to_read(EntityKind::Release);
        caller.require(r, action, None)?;
        let record = r.get(id).map_err(Problem::from_service)?;
        if record.kind != EntityKind::Release {
            return Err(Problem::not_found());
        }
        caller.require(r, action, Some(&record.unit))?;
        let release = r.release(id).map_err(Problem::from_service)?;
        Ok(Json(ReleaseView::of(r, release)))
    })
    .await
}
