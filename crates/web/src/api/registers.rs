//! The registers' own routes: create (where a register takes entries of its
//! own), list and read, each with its own OpenAPI operation.

use super::acts::{Created, record};
use super::dto::*;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::params::{EntityId, decode_query};
use crate::problem::{Nesting, Problem, join_path};
use crate::state::{Shared, blocking};
use axum::Json;
use axum::extract::{RawQuery, State};
use crimeboard_domain::access::Action;
use crimeboard_domain::{Command, EntityKind, Violation};
use crimeboard_service::{Registry, Submission};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;

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
    let missing = missing_fields::<T>(&value);
    let filing: Filing<T> = crate::body::decode(value, "").map_err(|mut p| {
        // serde stops at the first problem; every required field that is missing is named with it.
        let first = std::mem::take(&mut p.errors);
        p.errors = missing.clone();
        p.errors.extend(first.into_iter().filter(|v| !missing.contains(v)));
        p
    })?;
    let submission =
        Submission { actor: filing.actor, legal_ground: filing.legal_ground, command: filing.data.into_command() };
    record(&registry, &caller, submission, Nesting::Data).await
}

/// Every required field absent from a filing of `T`, at any depth, by the
/// schema the API documents for it (which follows serde's: an `Option` or a
/// defaulted field is not required), so one answer names them all.
fn missing_fields<T: utoipa::ToSchema>(value: &Value) -> Vec<Violation> {
    use utoipa::PartialSchema;
    // A generic's parameter is referred to by name but not listed among the filing's schemas.
    let mut components = vec![(T::name().into_owned(), T::schema())];
    T::schemas(&mut components);
    let components: BTreeMap<String, RefOr<Schema>> = components.into_iter().collect();
    let mut missing = Vec::new();
    walk_required(&Filing::<T>::schema(), value, "", &components, &mut missing, 0);
    missing
}

fn walk_required(
    schema: &RefOr<Schema>,
    value: &Value,
    path: &str,
    components: &BTreeMap<String, RefOr<Schema>>,
    missing: &mut Vec<Violation>,
    depth: usize,
) {
    // A body is at most 128 levels deep by the JSON parser; a schema that refers to itself stops here.
    if depth > 64 {
        return;
    }
    let schema = match schema {
        RefOr::Ref(r) => {
            let name = r.ref_location.rsplit('/').next().unwrap_or("");
            if let Some(named) = components.get(name) {
                walk_required(named, value, path, components, missing, depth + 1);
            }
            return;
        }
        RefOr::T(s) => s,
    };
    match (schema, value) {
        (Schema::Object(object), Value::Object(fields)) => {
            for name in object.required.iter().filter(|name| !fields.contains_key(*name)) {
                missing.push(Violation::new(join_path(path, name), "json.missing_field"));
            }
            for (name, property) in &object.properties {
                if let Some(field) = fields.get(name) {
                    walk_required(property, field, &join_path(path, name), components, missing, depth + 1);
                }
            }
        }
        (Schema::AllOf(all), _) => {
            for part in &all.items {
                walk_required(part, value, path, components, missing, depth + 1);
            }
        }
        // An `Option` is one of null and the type; a choice between types is left to serde.
        (Schema::OneOf(choice), _) => {
            if let [only] = choice.items.iter().filter(|item| !is_null(item)).collect::<Vec<_>>()[..] {
                walk_required(only, value, path, components, missing, depth + 1);
            }
        }
        _ => {}
    }
}

fn is_null(schema: &RefOr<Schema>) -> bool {
    let null = utoipa::openapi::schema::SchemaType::Type(utoipa::openapi::Type::Null);
    matches!(schema, RefOr::T(Schema::Object(o)) if o.schema_type == null)
}

/// Registers whose entries name people: each look at them is audited.
fn has_personal_data(kind: EntityKind) -> bool {
    Action::to_read(kind) == Action::ReadPersonalData
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
            use crimeboard_domain::{case::*, person::*, registers::*, report::*};

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
