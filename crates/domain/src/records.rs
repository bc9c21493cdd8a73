//! How an entity is indexed for lists and search: a few typed columns every
//! register shares, beside the full state as JSON. Persons of a case or a
//! report get rows of their own so they can be listed and found.

use crate::act::{Entity, EntityKind};
use crate::person::Person;
use crate::rules::Rules;
use crate::units::UnitCode;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq)]
pub struct IndexRow {
    pub kind: EntityKind,
    pub id: Uuid,
    pub unit: UnitCode,
    /// The register number (for a person, that of the case or report).
    pub number: String,
    pub status: String,
    /// The date lists filter by: received, registered, seized, occurred.
    pub day: NaiveDate,
    /// The case or report a seizure, examination or person belongs to.
    pub parent: Option<Uuid>,
    /// Text that search looks through.
    pub text: String,
    /// The statutory deadline of a report awaiting a decision, which puts it
    /// in its unit's queue; none for anything else (a decided report leaves
    /// the queue).
    pub deadline: Option<DateTime<Utc>>,
    /// The full state, JSON.
    pub state: String,
}

impl Entity {
    pub fn index_rows(&self, rules: &Rules) -> Vec<IndexRow> {
        let state = match self {
            Entity::Report(r) => serde_json::to_string(r),
            Entity::Case(c) => serde_json::to_string(c),
            Entity::Seizure(s) => serde_json::to_string(s),
            Entity::Accountability(a) => serde_json::to_string(a),
            Entity::Accident(a) => serde_json::to_string(a),
            Entity::Examination(e) => serde_json::to_string(e),
        }
        .expect("entity state serialises");
        let row = |number: &str, status: &str, day, parent, text: String| IndexRow {
            kind: self.kind(),
            id: self.id(),
            unit: self.unit().clone(),
            number: number.to_string(),
            status: status.to_string(),
            day,
            parent,
            text,
            deadline: None,
            state: state.clone(),
        };
        match self {
            Entity::Report(r) => {
                let day = rules.local_date(r.received_at);
                let mut report = row(&r.register_no, r.status(), day, None, r.summary.clone());
                report.deadline = r.decision.is_none().then_some(r.deadline);
                let mut rows = vec![report];
                rows.extend(r.applicant.iter().map(|p| person_row(p, &r.unit, &r.register_no, r.id, day)));
                rows
            }
            Entity::Case(c) => {
                let day = rules.local_date(c.registered_at);
                let status = serde_json::to_value(c.status)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                let articles: Vec<String> = c.articles.iter().map(crate::search::article_keys).collect();
                let flags: Vec<String> = c.flags.set_names().into_iter().filter_map(crate::search::flag_key).collect();
                let mut text =
                    format!("{} {} {} {}", c.description, c.place.address, articles.join(" "), flags.join(" "));
                if let Some(category) = &c.category {
                    text.push(' ');
                    text.push_str(category);
                }
                let mut rows = vec![row(&c.number, &status, day, None, text)];
                rows.extend(c.persons.iter().map(|p| person_row(p, &c.unit, &c.number, c.id, day)));
                rows
            }
            Entity::Seizure(s) => {
                vec![row(
                    &s.number,
                    "recorded",
                    rules.local_date(s.entry.seized_at),
                    s.entry.case_id,
                    s.entry.substance.clone(),
                )]
            }
            Entity::Accountability(a) => {
                let status = if a.entry.liability == crate::registers::Liability::Criminal {
                    "criminal"
                } else {
                    "administrative"
                };
                let text = format!("{} {}", a.entry.full_name, a.entry.offence);
                vec![row(&a.number, status, rules.local_date(a.entry.decided_at), a.entry.case_id, text)]
            }
            Entity::Accident(a) => {
                let text = format!("{} {}", a.entry.cause, a.entry.place.address);
                vec![row(&a.number, "recorded", rules.local_date(a.entry.occurred_at), None, text)]
            }
            Entity::Examination(e) => {
                let status = if e.result.is_some() { "done" } else { "requested" };
                vec![row(
                    &e.number,
                    status,
                    rules.local_date(e.request.requested_at),
                    Some(e.request.case_id),
                    e.request.question.clone(),
                )]
            }
        }
    }
}

fn person_row(p: &Person, unit: &UnitCode, number: &str, parent: Uuid, day: NaiveDate) -> IndexRow {
    let role = serde_json::to_value(p.input.role).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    let fin = p.input.fin.as_ref().map(|f| f.as_str()).unwrap_or("");
    IndexRow {
        kind: EntityKind::Person,
        id: p.id,
        unit: unit.clone(),
        number: number.to_string(),
        status: role,
        day,
        parent: Some(parent),
        text: format!("{} {}", p.input.full_name, fin),
        deadline: None,
        state: serde_json::to_string(p).expect("person serialises"),
    }
}

impl Entity {
    /// Reads back the state an index row stored.
    pub fn from_state(kind: EntityKind, state: &str) -> Result<Entity, serde_json::Error> {
        Ok(match kind {
            EntityKind::Report => Entity::Report(serde_json::from_str(state)?),
            EntityKind::Case => Entity::Case(serde_json::from_str(state)?),
            EntityKind::Seizure => Entity::Seizure(serde_json::from_str(state)?),
            EntityKind::Accountability => Entity::Accountability(serde_json::from_str(state)?),
            EntityKind::Accident => Entity::Accident(serde_json::from_str(state)?),
            EntityKind::Examination => Entity::Examination(serde_json::from_str(state)?),
            EntityKind::Person => {
                return Err(serde::de::Error::custom("a person is part of a case or report, not an entity of its own"));
            }
        })
    }
}
