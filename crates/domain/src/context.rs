//! What a rule may consult besides the act itself: the catalogue, the
//! deadline rules, the unit tree and the present moment. Passed in, so the
//! domain reads no clock and no file.

use crate::catalogue::Catalogue;
use crate::error::{Checks, Violation};
use crate::rules::Rules;
use crate::units::UnitTree;
use chrono::{DateTime, NaiveDate, Utc};

pub struct Context<'a> {
    pub catalogue: &'a Catalogue,
    pub rules: &'a Rules,
    pub units: &'a UnitTree,
    pub now: DateTime<Utc>,
}

impl Context<'_> {
    pub fn today(&self) -> NaiveDate {
        self.rules.local_date(self.now)
    }

    pub fn check_not_future(&self, checks: &mut Checks, field: &str, at: DateTime<Utc>) {
        checks.check(at <= self.now, || Violation::new(field, "date.in_future").with("now", self.now));
    }

    /// Required, trimmed, and at most `max` characters.
    pub fn check_text(&self, checks: &mut Checks, field: &str, text: &str, max: usize) {
        checks.check(!text.trim().is_empty(), || Violation::new(field, "text.required"));
        checks.check(text.chars().count() <= max, || Violation::new(field, "text.too_long").with("max", max));
    }
}
