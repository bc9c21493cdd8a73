//! Every required field a body lacks, at any depth, by the schema the API
//! documents for it. serde stops at the first problem; a body missing five
//! fields would take five answers to learn them all, so each route walks the
//! body against its schema first and names every missing field beside
//! serde's problem, in one answer.

use crate::problem::{Problem, join_path};
use crimeboard_domain::Violation;
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ArrayItems, Schema};

/// Named schemas, as the document's components hold them.
pub type Schemas = BTreeMap<String, RefOr<Schema>>;

/// The named schemas of `T` and of every type it refers to.
pub fn schemas_of<T: utoipa::ToSchema>() -> Schemas {
    // A generic's parameter is referred to by name but not listed among the schemas of what holds it.
    let mut schemas = vec![(T::name().into_owned(), T::schema())];
    T::schemas(&mut schemas);
    schemas.into_iter().collect()
}

/// Every required field of `schema` that `value` lacks, named by its path
/// (`submissions[2].command.officer`). The schema follows serde's: an
/// `Option` or a defaulted field is not required.
pub fn missing_fields(schema: &RefOr<Schema>, schemas: &Schemas, value: &Value) -> Vec<Violation> {
    let mut missing = Vec::new();
    Walk { schemas, missing: &mut missing }.visit(schema, value, "", 0);
    missing
}

/// `problem` (serde's first) with every missing field named before it, each once.
pub fn naming_missing(missing: Vec<Violation>) -> impl FnOnce(Problem) -> Problem {
    move |mut problem| {
        let first = std::mem::take(&mut problem.errors);
        problem.errors = missing;
        for v in first {
            if !problem.errors.contains(&v) {
                problem.errors.push(v);
            }
        }
        problem
    }
}

struct Walk<'a> {
    schemas: &'a Schemas,
    missing: &'a mut Vec<Violation>,
}

impl Walk<'_> {
    fn visit(&mut self, schema: &RefOr<Schema>, value: &Value, path: &str, depth: usize) {
        // A body is at most 128 levels deep by the JSON parser; a schema that refers to itself stops here.
        if depth > 64 {
            return;
        }
        let schema = match schema {
            RefOr::Ref(r) => {
                if let Some(named) = named(self.schemas, &r.ref_location) {
                    self.visit(named, value, path, depth + 1);
                }
                return;
            }
            RefOr::T(s) => s,
        };
        match (schema, value) {
            (Schema::Object(object), Value::Object(fields)) => {
                for name in object.required.iter().filter(|name| !fields.contains_key(*name)) {
                    self.missing.push(Violation::new(join_path(path, name), "json.missing_field"));
                }
                for (name, property) in &object.properties {
                    if let Some(field) = fields.get(name) {
                        self.visit(property, field, &join_path(path, name), depth + 1);
                    }
                }
            }
            (Schema::Array(array), Value::Array(items)) => {
                if let ArrayItems::RefOrSchema(item_schema) = &array.items {
                    for (i, item) in items.iter().enumerate() {
                        self.visit(item_schema, item, &join_path(path, &format!("[{i}]")), depth + 1);
                    }
                }
            }
            (Schema::AllOf(all), _) => {
                for part in &all.items {
                    self.visit(part, value, path, depth + 1);
                }
            }
            (Schema::OneOf(choice), _) => {
                // A command is one of the acts, told apart by its `act`: the act named is walked.
                if let Some(discriminator) = &choice.discriminator {
                    let tag = value.get(&discriminator.property_name).and_then(Value::as_str);
                    if let Some(named) =
                        tag.and_then(|t| discriminator.mapping.get(t)).and_then(|r| named(self.schemas, r))
                    {
                        self.visit(named, value, path, depth + 1);
                    }
                    return;
                }
                // An `Option` is one of null and the type; any other choice between types is left to serde.
                if let [only] = choice.items.iter().filter(|item| !is_null(item)).collect::<Vec<_>>()[..] {
                    self.visit(only, value, path, depth + 1);
                }
            }
            _ => {}
        }
    }
}

/// The schema a reference (`#/components/schemas/Name`) names.
fn named<'a>(schemas: &'a Schemas, reference: &str) -> Option<&'a RefOr<Schema>> {
    schemas.get(reference.rsplit('/').next().unwrap_or(""))
}

fn is_null(schema: &RefOr<Schema>) -> bool {
    let null = utoipa::openapi::schema::SchemaType::Type(utoipa::openapi::Type::Null);
    matches!(schema, RefOr::T(Schema::Object(o)) if o.schema_type == null)
}
