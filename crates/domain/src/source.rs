//! Where an imported record comes from: the other system's name and that
//! system's own identity of the record, kept with the entity it became so
//! that importing the same record twice is refused, and the last outcome the
//! other system gave it, verbatim, so its own labels can still be counted.

use crate::error::{Checks, Violation};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// The system the record was exported from, e.g. `police.uk`.
    pub system: String,
    /// The record's identity in that system (its id, or a digest of a row that has none).
    pub id: String,
    /// The last outcome that system gave the record, as its label reads (possibly empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
}

pub const MAX_SYSTEM: usize = 100;
pub const MAX_ID: usize = 200;
pub const MAX_LABEL: usize = 200;

impl SourceRef {
    pub fn check(&self, field: &str, checks: &mut Checks) {
        let text = |checks: &mut Checks, name: &str, value: &str, max: usize| {
            checks.check(!value.trim().is_empty(), || Violation::new(format!("{field}.{name}"), "text.required"));
            checks.check(value.chars().count() <= max, || {
                Violation::new(format!("{field}.{name}"), "text.too_long").with("max", max)
            });
        };
        text(checks, "system", &self.system, MAX_SYSTEM);
        text(checks, "id", &self.id, MAX_ID);
        if let Some(o) = &self.outcome {
            checks.check(o.chars().count() <= MAX_LABEL, || {
                Violation::new(format!("{field}.outcome"), "text.too_long").with("max", MAX_LABEL)
            });
        }
    }
}

/// A source system's own classification label (e.g. "Vehicle crime"): kept
/// verbatim, so given it must say something, within a label's length.
pub fn check_category(category: Option<&str>, checks: &mut Checks) {
    if let Some(c) = category {
        checks.check(!c.trim().is_empty(), || Violation::new("category", "text.required"));
        checks.check(c.chars().count() <= MAX_LABEL, || {
            Violation::new("category", "text.too_long").with("max", MAX_LABEL)
        });
    }
}
