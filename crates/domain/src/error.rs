//! A broken rule names the field it is about, a stable rule code that the outer
//! layer translates, and the values the message needs. The domain never
//! formats text for a user: the English `detail` is for logs and tests.

use std::fmt;

/// One violated rule on one field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Violation {
    /// Dotted path of the offending input field, e.g. `articles[0]` or `decided_at`.
    pub field: String,
    /// Stable code of the rule, e.g. `article.unknown`; the key of its translations.
    pub rule: String,
    /// Values the message refers to, e.g. the deadline that was missed.
    pub params: Vec<(String, String)>,
}

impl Violation {
    pub fn new(field: impl Into<String>, rule: &str) -> Self {
        Violation { field: field.into(), rule: rule.to_string(), params: Vec::new() }
    }

    pub fn with(mut self, name: &str, value: impl fmt::Display) -> Self {
        self.params.push((name.to_string(), value.to_string()));
        self
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.rule)?;
        for (name, value) in &self.params {
            write!(f, " {name}={value}")?;
        }
        Ok(())
    }
}

/// Every rule a command broke; a command with any violation changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(|v| v.to_string()).collect::<Vec<_>>().join("; "))]
pub struct Rejected(pub Vec<Violation>);

impl Rejected {
    pub fn one(v: Violation) -> Self {
        Rejected(vec![v])
    }

    pub fn rules(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|v| v.rule.as_str())
    }
}

impl From<Violation> for Rejected {
    fn from(v: Violation) -> Self {
        Rejected::one(v)
    }
}

/// Collects violations so a user sees every problem of a form at once.
#[derive(Default)]
pub struct Checks(Vec<Violation>);

impl Checks {
    pub fn push(&mut self, v: Violation) {
        self.0.push(v);
    }

    pub fn check(&mut self, ok: bool, v: impl FnOnce() -> Violation) {
        if !ok {
            self.0.push(v());
        }
    }

    pub fn absorb<T>(&mut self, r: Result<T, Violation>) -> Option<T> {
        match r {
            Ok(t) => Some(t),
            Err(v) => {
                self.0.push(v);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The violations collected, to be placed under another field.
    pub fn into_violations(self) -> Vec<Violation> {
        self.0
    }

    pub fn finish(self) -> Result<(), Rejected> {
        if self.0.is_empty() { Ok(()) } else { Err(Rejected(self.0)) }
    }
}
