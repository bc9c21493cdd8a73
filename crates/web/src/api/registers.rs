//! The registers' own routes: create (where a register takes entries of its
//! own), list and read, each with its own OpenAPI operation.

use super::acts::{Created, record};
use super::dto::*;
use super::required;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::params::{EntityId, decode_query};
use crate::problem::{Nesting, Problem};
use crate::state::{Shared, blocking};
use axum::Json;
use axum::extract::{RawQuery, State};
use crimeboard_domain::access::Action;
use crimeboard_domain::{Command, EntityKind};
use crimeboard_service::{Registry, Submission};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;

/// What is typed for a new entry of a register, and the act that records it.
pub trait NewEntry: DeserializeOwned + utoipa::ToSchema {
    /// What recording one needs, checked before the body is read.
    const ACTION: Action;
    fn into_command(self) -> Command;
}

macro_rules! new_entries {
    ($($new:ty => $variant:ident, $action:ident),* $(,)?) => {
        $(impl NewEntry for $new {
            const ACTION: Action = Action::$action;
            fn into_command(self) -> Command {
                Command::$variant(self)
            }
        })*
    };
}

new_entries! {
    crimeboard_domain::report::NewReport => RegisterReport, RegisterReport,
    crimeboard_domain::case::NewCase => OpenCase, WorkCase,
    crimeboard_domain::registers::NewSeizure => RecordSeizure, WorkCase,
    crimeboard_domain::registers::NewAccountability => HoldAccountable, WorkCase,
    crimeboard_domain::registers::NewAccident => RecordAccident, RecordAccident,
    crimeboard_domain::registers::NewExamination => RequestExamination, WorkCase,
}

pub async fn create<T: NewEntry>(registry: Arc<Registry>, caller: Caller, value: Value) -> Result<Created, Problem> {
    // The role first: who may not record here learns nothing of the rules.
    caller.require(&registry, T::ACTION, None)?;
    let missing = {
        use utoipa::PartialSchema;
        required::missing_fields(&Filing::<T>::schema(), &required::schemas_of::<T>(), &value)
    };
    let filing: Filing<T> = crate::body::decode(value, "").map_err(required::naming_missing(missing))?;
    let submission = Submission {
        actor: filing.actor,
        legal_ground: filing.legal_ground,
        command: filing.data.into_command(),
        late: filing.late,
    };
    record(&registry, &caller, submission, Nesting::Data).await
}

/// Registers whose entries name people: each look at them is audited.
fn has_personal_data(kind: EntityKind) -> bool {
    matches!(Action::to_read(kind), Action::ReadPersonalData | Action::ReadAppeals)
}

pub async fn list(
    registry: Arc<Registry>,
    caller: Caller,
    kind: EntityKind,
    query: Option<String>,
) -> Result<Json<ListView<Value>>, Problem> {
    let mut params = decode_query::<ListQuery>(query.as_deref())?.params(kind);
    blocking(&registry, move |r| {
        let action = Action::to_read(kind);
        caller.require(r, action, params.unit.as_deref())?;
        params.within = r.visible_units(&caller.principal, action);
        let page = r.list(&params).map_err(Problem::from_query)?;
        if has_personal_data(kind) {
            caller.audit(r, &format!("list.{}", kind.as_str()), "", query.as_deref().unwrap_or(""))?;
        }
        ListView::of(page).map(Json).map_err(|e| Problem::from_service(e.into()))
    })
    .await
}

/// One entry with its state and, but for persons, the acts that made it.
/// An id of another register is not found here: the path names the register.
pub async fn get(
    registry: Arc<Registry>,
    caller: Caller,
    kind: EntityKind,
    id: uuid::Uuid,
) -> Result<Json<RecordView<Value>>, Problem> {
    blocking(&registry, move |r| {
        let action = Action::to_read(kind);
        caller.require(r, action, None)?;
        let record = r.get(id).map_err(Problem::from_service)?;
        if record.kind != kind {
            return Err(Problem::not_found());
        }
        caller.require(r, action, Some(&record.unit))?;
        if has_personal_data(kind) {
            caller.audit(r, &format!("view.{}", kind.as_str()), &id.to_string(), &record.number)?;
        }
        let mut view = RecordView::of(record).map_err(|e| Problem::from_service(e.into()))?;
        if kind != EntityKind::Person {
            view.history = Some(history(r, id)?);
        }
        Ok(Json(view))
    })
    .await
}

fn history(r: &Registry, id: uuid::Uuid) -> Result<Vec<HistoryItem>, Problem> {
    let acts = r.history(id).map_err(Problem::from_service)?;
    acts.into_iter()
        .map(|(e, annulled)| HistoryItem::of(e, annulled))
        .collect::<Result<_, _>>()
        .map_err(|e| Problem::from_service(e.into()))
}

/// Per register: create (where the register takes entries of its own),
/// list and read, each with its own OpenAPI operation.
macro_rules! register {
    ($module:ident, $kind:expr, $tag:tt, $list:tt, $item:tt, [$($state:tt)+] $(, create: $new:ty)?) => {
        pub mod $module {
            use super::*;
            #[allow(unused_imports)]
            use crimeboard_domain::{
                appeal::*, case::*, freeze::*, inspection::Sample, meeting::*, person::*, publication::*, registers::*,
                report::*,
            };

            $(
            /// Records a new entry: `data` is what was typed.
            #[utoipa::path(post, path = $list, tag = $tag, request_body = Filing<$new>,
                responses((status = 201, description = "Recorded", body = ReceiptView)))]
            pub async fn create(State(registry): Shared, caller: Caller, JsonBody(value): JsonBody) -> Result<Created, Problem> {
                super::create::<$new>(registry, caller, value).await
            }
            )?

            /// Lists entries, newest first, filtered.
            #[utoipa::path(get, path = $list, tag = $tag, params(ListQuery),
                responses((status = 200, description = "A page of entries", body = ListView<$($state)+>)))]
            pub async fn list(State(registry): Shared, caller: Caller, RawQuery(query): RawQuery) -> Result<Json<ListView<Value>>, Problem> {
                super::list(registry, caller, $kind, query).await
            }

            /// One entry as it stands, with its history.
            #[utoipa::path(get, path = $item, tag = $tag, params(("id" = uuid::Uuid, Path, description = "The entry's id")),
                responses((status = 200, description = "The entry", body = RecordView<$($state)+>)))]
            pub async fn get(State(registry): Shared, caller: Caller, EntityId(id): EntityId) -> Result<Json<RecordView<Value>>, Problem> {
                super::get(registry, caller, $kind, id).await
            }
        }
    };
}

register!(reports, EntityKind::Report, "reports", "/api/reports", "/api/reports/{id}", [CrimeReport], create: NewReport);
register!(cases, EntityKind::Case, "cases", "/api/cases", "/api/cases/{id}", [CriminalCase], create: NewCase);
register!(seizures, EntityKind::Seizure, "seizures", "/api/seizures", "/api/seizures/{id}", [SeizureState], create: NewSeizure);
register!(accountability, EntityKind::Accountability, "accountability", "/api/accountability", "/api/accountability/{id}",
    [AccountabilityState], create: NewAccountability);
register!(accidents, EntityKind::Accident, "accidents", "/api/accidents", "/api/accidents/{id}", [AccidentState], create: NewAccident);
register!(examinations, EntityKind::Examination, "examinations", "/api/examinations", "/api/examinations/{id}", [Examination],
    create: NewExamination);
register!(persons, EntityKind::Person, "persons", "/api/persons", "/api/persons/{id}", [Person]);
register!(meetings, EntityKind::Meeting, "board", "/api/meetings", "/api/meetings/{id}", [Meeting]);
register!(appeals, EntityKind::Appeal, "appeals", "/api/appeals", "/api/appeals/{id}", [Appeal]);
register!(
    publications,
    EntityKind::Publication,
    "figures",
    "/api/publications",
    "/api/publications/{id}",
    [Publication]
);
register!(freezes, EntityKind::Freeze, "freezes", "/api/freezes", "/api/freezes/{id}", [FreezeRequest]);
register!(samples, EntityKind::Sample, "inspection", "/api/samples", "/api/samples/{id}", [Sample]);
