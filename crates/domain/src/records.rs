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
    /// The statutory deadline of a report awaiting a decision, of an open
    /// appeal or of an unanswered freeze request, which puts it in its unit's
    /// queue of its register; for a case whose cancellation awaits its
    /// decision, when it was asked (the approvers' queue, oldest first); none
    /// for anything else (a decided report or a closed appeal leaves the
    /// queue).
    pub deadline: Option<DateTime<Utc>>,
    /// The full state, JSON.
    pub state: String,
}

impl Entity {
    pub fn index_rows(&self, rules: &Rules) -> Vec<IndexRow> {
        self.unserialised_rows(rules).into_iter().map(Unserialised::serialised).collect()
    }

    /// The rows with their state still to serialise, which is most of what
    /// indexing costs and which a row that did not change never needs.
    fn unserialised_rows(&self, rules: &Rules) -> Vec<Unserialised<'_>> {
        let row = |number: &str, status: &str, day, parent, text: String| Unserialised {
            row: IndexRow {
                kind: self.kind(),
                id: self.id(),
                unit: self.unit().clone(),
                number: number.to_string(),
                status: status.to_string(),
                day,
                parent,
                text,
                deadline: None,
                state: String::new(),
            },
            of: StateOf::Entity(self),
        };
        match self {
            Entity::Report(r) => {
                let day = rules.local_date(r.received_at);
                let mut report = row(&r.register_no, r.status(), day, None, r.summary.clone());
                report.row.deadline = r.decision.is_none().then_some(r.deadline);
                let mut rows = vec![report];
                rows.extend(r.applicant.iter().map(|p| person_row(p, &r.unit, &r.register_no, r.id, day)));
                rows
            }
            Entity::Case(c) => {
                let day = rules.local_date(c.registered_at);
                let articles: Vec<String> = c.articles.iter().map(crate::search::article_keys).collect();
                let flags: Vec<String> = c.flags.set_names().into_iter().filter_map(crate::search::flag_key).collect();
                let mut text =
                    format!("{} {} {} {}", c.description, c.place.address, articles.join(" "), flags.join(" "));
                if let Some(category) = &c.category {
                    text.push(' ');
                    text.push_str(category);
                }
                // A request to cancel the crime waits in the approvers' queue
                // from the moment it was made, so the oldest comes first.
                let mut case = row(&c.number, c.status.as_str(), day, None, text);
                case.row.deadline = c.pending_cancellation().map(|p| p.requested_at);
                let mut rows = vec![case];
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
            Entity::Meeting(m) => {
                let topics = m.scheduled.agenda.iter().map(|i| i.topic.as_str());
                let text = std::iter::once(m.scheduled.title.as_str()).chain(topics).collect::<Vec<_>>().join(" ");
                vec![row(&m.number, m.status(), m.scheduled.held_on, None, text)]
            }
            // A task's day is its due date as it now stands, so lists sort
            // and filter by it; its parent is the task it is part of, else
            // the meeting that issued it.
            Entity::Task(t) => {
                let parent = t.issued.parent_task_id.or(t.meeting_id);
                let text = format!("{} {} {}", t.issued.text, t.issued.authority, t.issued.controller);
                vec![row(&t.number, t.status.as_str(), t.due_on, parent, text)]
            }
            // A meeting's release: its day the meeting's, its parent the
            // meeting; one written from scratch: the day it was written. It
            // is found by its number and titles.
            Entity::Release(r) => {
                let text = format!("{} {} {} {}", r.number, r.titles.az, r.titles.ru, r.titles.en);
                vec![row(&r.number, r.status.as_str(), r.held_on.unwrap_or(r.drafted_on), r.meeting_id, text)]
            }
            // A session's day is the day it is held, so a unit's schedule is
            // read by unit and day; the appeals it produces name it as parent.
            Entity::Reception(r) => vec![row(&r.number, r.status(), r.scheduled.day, None, r.search_text())],
            // An appeal is found by its applicants' names, number, receipt and
            // subject, and by its kind's and channel's keys; its parent is the
            // reception it was made at, so the session's read lists it, else
            // the earlier appeal on the same matter (docs/appeals.md); an open
            // one waits in its unit's queue by its deadline.
            Entity::Appeal(a) => {
                let marks = [a.kind.as_str(), a.channel.as_str()].map(crate::search::appeal_mark_key);
                let mut words = a.applicants.names();
                words.extend([a.register_no.as_str(), a.receipt_no.as_str(), a.subject.as_str()]);
                words.extend(marks.iter().flatten().map(String::as_str));
                let day = rules.local_date(a.received_at);
                let parent = a.reception_id.or(a.repeat_of);
                let mut appeal = row(&a.register_no, a.status(), day, parent, words.join(" "));
                appeal.row.deadline = (!a.is_closed()).then_some(a.deadline);
                vec![appeal]
            }
            // A publication's day is the last of its period, so a period's
            // publications are found by it.
            Entity::Publication(p) => {
                let text = format!("{} {} {}", p.number, p.kind.as_str(), p.note);
                vec![row(&p.number, p.status(), p.period_to, None, text)]
            }
            // A freeze request is found by its number, its case's and the
            // institution, listed under its case, and waits in its unit's
            // queue until the institution answers.
            Entity::Freeze(f) => {
                let text = format!("{} {} {}", f.number, f.case_number, f.request.institution);
                let day = rules.local_date(f.request.sent_at);
                let mut request = row(&f.number, f.status(), day, Some(f.request.case_id), text);
                request.row.deadline = f.answer.is_none().then_some(f.deadline);
                vec![request]
            }
            // A sample's day is the day it was drawn; it is found by its
            // number and kind.
            Entity::Sample(s) => {
                let text = format!("{} {}", s.number, s.kind.as_str());
                vec![row(&s.number, s.status(), s.drawn_on, None, text)]
            }
        }
    }
}

fn person_row<'a>(p: &'a Person, unit: &UnitCode, number: &str, parent: Uuid, day: NaiveDate) -> Unserialised<'a> {
    let fin = p.input.fin.as_ref().map(|f| f.as_str()).unwrap_or("");
    Unserialised {
        row: IndexRow {
            kind: EntityKind::Person,
            id: p.id,
            unit: unit.clone(),
            number: number.to_string(),
            status: p.input.role.as_str().to_string(),
            day,
            parent: Some(parent),
            text: [p.input.full_name.as_str(), fin].join(" "),
            deadline: None,
            state: String::new(),
        },
        of: StateOf::Person(p),
    }
}

/// A row whose `state` is not written yet, with what it is the state of.
struct Unserialised<'a> {
    row: IndexRow,
    of: StateOf<'a>,
}

/// The value a row's state is the JSON of: the entity, or one of its persons.
#[derive(PartialEq)]
enum StateOf<'a> {
    Entity(&'a Entity),
    Person(&'a Person),
}

impl StateOf<'_> {
    fn json(&self) -> String {
        match self {
            StateOf::Entity(Entity::Report(r)) => serde_json::to_string(r),
            StateOf::Entity(Entity::Case(c)) => serde_json::to_string(c),
            StateOf::Entity(Entity::Seizure(s)) => serde_json::to_string(s),
            StateOf::Entity(Entity::Accountability(a)) => serde_json::to_string(a),
            StateOf::Entity(Entity::Accident(a)) => serde_json::to_string(a),
            StateOf::Entity(Entity::Examination(e)) => serde_json::to_string(e),
            StateOf::Entity(Entity::Meeting(m)) => serde_json::to_string(m),
            StateOf::Entity(Entity::Task(t)) => serde_json::to_string(t),
            StateOf::Entity(Entity::Release(r)) => serde_json::to_string(r),
            StateOf::Entity(Entity::Reception(r)) => serde_json::to_string(r),
            StateOf::Entity(Entity::Appeal(a)) => serde_json::to_string(a),
            StateOf::Entity(Entity::Publication(p)) => serde_json::to_string(p),
            StateOf::Entity(Entity::Freeze(f)) => serde_json::to_string(f),
            StateOf::Entity(Entity::Sample(s)) => serde_json::to_string(s),
            StateOf::Person(p) => serde_json::to_string(p),
        }
        .expect("entity state serialises")
    }
}

impl Unserialised<'_> {
    fn serialised(self) -> IndexRow {
        IndexRow { state: self.of.json(), ..self.row }
    }
}

/// What the index must write when entities change: each row is inserted,
/// updated (when its state, status or search text differ) or deleted.
#[derive(Debug, Default, PartialEq)]
pub struct RowChanges {
    /// Rows the index does not hold yet.
    pub fresh: Vec<IndexRow>,
    /// Rows whose state, status or search text changed.
    pub changed: Vec<IndexRow>,
    /// Ids of rows whose entity or person no longer has them.
    pub gone: Vec<Uuid>,
}

impl RowChanges {
    /// Adds the changes of one entity that went from `before` to `after`
    /// (None where it did not exist). Equal values serialise alike, so a row
    /// whose entity or person did not change is not serialised at all, and a
    /// row whose status or text changed needs only its new state.
    pub fn add(&mut self, before: Option<&Entity>, after: Option<&Entity>, rules: &Rules) {
        if before == after {
            return;
        }
        let old = before.map(|e| e.unserialised_rows(rules)).unwrap_or_default();
        let new = after.map(|e| e.unserialised_rows(rules)).unwrap_or_default();
        self.gone.extend(old.iter().map(|was| was.row.id).filter(|id| !new.iter().any(|now| now.row.id == *id)));
        for now in new {
            match old.iter().find(|was| was.row.id == now.row.id) {
                None => self.fresh.push(now.serialised()),
                Some(was) if was.row.status != now.row.status || was.row.text != now.row.text => {
                    self.changed.push(now.serialised())
                }
                Some(was) if was.of == now.of => {}
                Some(was) => {
                    let state = now.of.json();
                    if was.of.json() != state {
                        self.changed.push(IndexRow { state, ..now.row });
                    }
                }
            }
        }
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
            EntityKind::Meeting => Entity::Meeting(serde_json::from_str(state)?),
            EntityKind::Task => Entity::Task(serde_json::from_str(state)?),
            EntityKind::Release => Entity::Release(serde_json::from_str(state)?),
            EntityKind::Reception => Entity::Reception(serde_json::from_str(state)?),
            EntityKind::Appeal => Entity::Appeal(serde_json::from_str(state)?),
            EntityKind::Publication => Entity::Publication(serde_json::from_str(state)?),
            EntityKind::Freeze => Entity::Freeze(serde_json::from_str(state)?),
            EntityKind::Sample => Entity::Sample(serde_json::from_str(state)?),
            EntityKind::Person => {
                return Err(serde::de::Error::custom("a person is part of a case or report, not an entity of its own"));
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::case::CaseStatus;
    use crate::person::PersonRole;

    #[test]
    fn the_statuses_rows_hold_are_the_serialised_names() {
        use CaseStatus::*;
        for s in [Investigating, Solved, Suspended, Terminated, SentToCourt] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        use PersonRole::*;
        for r in [Suspect, Accused, Victim, Applicant] {
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
    }
}
