//! One entry of a register: as it stands, and its whole journal as a
//! timeline (who, when, what, on what legal ground; annulled acts marked).

use super::format::{self, outcome_code};
use super::held;
use super::layout::page;
use super::respond::{PageId as EntityId, error_page};
use super::timeline::timeline;
use super::viewer::Viewer;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::extract::{RawQuery, State};
use axum::response::Response;
use crimeboard_domain::EntityKind;
use crimeboard_domain::access::Action;
use crimeboard_domain::act::Entity;
use crimeboard_domain::identifier::{Subject, SubjectKind};
use crimeboard_domain::journal::JournalEntry;
use crimeboard_domain::person::Person;
use crimeboard_domain::report::{CrimeReport, ReportOutcome};
use crimeboard_service::{ListParams, Registry};
use crimeboard_store::Record;
use maud::{Markup, html};
use std::sync::Arc;

/// What a record page shows: the entry, its acts and, for a case, what hangs off it.
pub struct Loaded {
    pub record: Record,
    pub entity: Option<Entity>,
    /// The entry's journal; a person's, that of the report or case it belongs to.
    pub history: Vec<(JournalEntry, bool)>,
    pub children: Vec<Record>,
    /// For a case, the register numbers of the reports it was opened from.
    pub report_numbers: Vec<(uuid::Uuid, String)>,
    /// The series a report or case is in, if any.
    pub series: Option<uuid::Uuid>,
}

/// Loads an entry of `kind`; an id of another register is not found here.
/// The guard has checked the record's unit; a look at an entry that names
/// people leaves its line in the audit trail.
pub async fn load(v: &Viewer, registry: &Arc<Registry>, kind: EntityKind, id: uuid::Uuid) -> Result<Loaded, Problem> {
    let v = v.clone();
    blocking(registry, move |r| {
        let record = r.get(id).map_err(Problem::from_service)?;
        if record.kind != kind {
            return Err(Problem::not_found());
        }
        if Action::to_read(kind) == Action::ReadPersonalData {
            v.audit(r, &format!("view.{}", kind.as_str()), &id.to_string(), &record.number)?;
        }
        let entity = if kind == EntityKind::Person {
            None
        } else {
            Some(crimeboard_service::entity_of(&record).map_err(Problem::from_service)?)
        };
        // A person's acts are recorded in the journal of its report or case.
        let journal_of = if kind == EntityKind::Person { record.parent } else { Some(id) };
        let history = match journal_of {
            Some(of) => r.history(of).map_err(Problem::from_service)?,
            None => vec![],
        };
        let children = if kind == EntityKind::Case {
            let params = ListParams {
                parent: Some(id),
                per_page: Some(200),
                sort: Some(crimeboard_service::ListSort::Oldest),
                ..Default::default()
            };
            r.list(&params).map_err(Problem::from_query)?.items
        } else {
            vec![]
        };
        let report_numbers = match &entity {
            Some(Entity::Case(c)) => c
                .report_ids
                .iter()
                .map(|id| r.get(*id).map(|rec| (*id, rec.number)).map_err(Problem::from_service))
                .collect::<Result<_, _>>()?,
            _ => vec![],
        };
        // Only reports and cases are linked into series (their persons' identifiers count for them).
        let series = if matches!(kind, EntityKind::Report | EntityKind::Case) {
            r.store().series_of(id).map_err(|e| Problem::from_service(e.into()))?
        } else {
            None
        };
        Ok(Loaded { record, entity, history, children, report_numbers, series })
    })
    .await
}

pub async fn report(v: Viewer, State(registry): Shared, EntityId(id): EntityId) -> Response {
    let loaded = match load(&v, &registry, EntityKind::Report, id).await {
        Ok(l) => l,
        Err(p) => return error_page(&v, &p),
    };
    let Some(Entity::Report(rep)) = &loaded.entity else { return error_page(&v, &Problem::not_found()) };
    let title = v.fill("ui.record.report", &[("number", &rep.register_no)]);
    let body = html! {
        h1 { (title) }
        @if rep.decision.is_none() && (v.may(Action::DecideReport) || v.may(Action::WorkCase)) {
            ul.actions {
                @if v.may(Action::DecideReport) {
                    li { a.button href={ "/reports/" (rep.id) "/decide" } { (v.t("ui.action.decide")) } }
                }
                @if v.may(Action::WorkCase) {
                    li { a.button.secondary href={ "/cases/new?report=" (rep.id) } { (v.t("ui.action.open_case")) } }
                }
            }
        }
        (report_facts(&v, &registry, rep))
        (held::section(&v, &registry, Subject { kind: SubjectKind::Report, id: rep.id }, &rep.identifiers, &loaded.history, loaded.series))
        h2 { (v.t("ui.record.history")) }
        (timeline(&v, &registry, &loaded.history))
    };
    page(&v, &title, body)
}

fn report_facts(v: &Viewer, registry: &Registry, rep: &CrimeReport) -> Markup {
    let rules = &registry.jurisdiction().rules;
    let units = registry.units();
    let urgency = super::home::urgency(registry, rep.deadline);
    html! {
        dl.facts {
            dt { (v.t("ui.col.status")) } dd { (format::label(v, "status", rep.status())) }
            dt { (v.t("ui.field.receipt_no")) } dd { (rep.receipt_no) }
            dt { (v.t("ui.col.unit")) } dd { (format::unit_name(v, &units, rep.unit.as_str())) }
            dt { (v.t("ui.col.channel")) } dd { (format::enum_label(v, "channel", &rep.channel)) }
            dt { (v.t("ui.col.received")) } dd { (format::instant(v, rules, rep.received_at)) }
            dt { (v.t("ui.col.deadline")) } dd {
                (format::deadline(v, rules, rep.deadline))
                @if rep.decision.is_none() { " " (super::home::mark(v, urgency)) }
            }
            @if let Some(late) = &rep.late_registration {
                dt { (v.t("ui.form.late")) } dd { (format::late_reason_name(v, rules, &late.reason)) ": " (late.text) }
            }
            dt { (v.t("ui.field.officer")) } dd { (rep.officer) }
            dt { (v.t("ui.field.applicant")) } dd {
                @match &rep.applicant {
                    Some(p) => a href={ "/persons/" (p.id) } { (p.input.full_name) },
                    None => (v.t("ui.record.anonymous")),
                }
            }
            dt { (v.t("ui.col.summary")) } dd { (rep.summary) }
            @if let Some(d) = &rep.decision {
                dt { (v.t("ui.record.decision")) } dd {
                    (format::enum_label(v, "outcome", &outcome_code(&d.outcome))) ", "
                    (format::instant(v, rules, d.decided_at))
                    @match &d.outcome {
                        ReportOutcome::OpenCase { case_id } | ReportOutcome::Attach { case_id } => {
                            " — " a href={ "/cases/" (case_id) } { (v.t("ui.col.case")) }
                        }
                        ReportOutcome::Refuse { ground } => { " — " (ground) }
                        ReportOutcome::Transfer { to_body } => { " — " (to_body) }
                    }
                    @if d.late { " " span.mark.overdue { (v.t("ui.record.late")) } }
                }
            }
            @for e in &rep.extensions {
                dt { (v.t("ui.record.extension")) } dd {
                    (format::deadline(v, rules, e.new_deadline)) " (" (e.reference) ")"
                }
            }
        }
    }
}

pub async fn case(v: Viewer, State(registry): Shared, EntityId(id): EntityId) -> Response {
    let loaded = match load(&v, &registry, EntityKind::Case, id).await {
        Ok(l) => l,
        Err(p) => return error_page(&v, &p),
    };
    let Some(Entity::Case(c)) = &loaded.entity else { return error_page(&v, &Problem::not_found()) };
    let title = v.fill("ui.record.case", &[("number", &c.number)]);
    let body = html! {
        h1 { (title) }
        @if v.may(Action::WorkCase) { ul.actions {
            li { a.button href={ "/cases/" (c.id) "/persons/new" } { (v.t("ui.action.add_person")) } }
            li { a.button.secondary href={ "/cases/" (c.id) "/decide" } { (v.t("ui.action.case_decision")) } }
            li { a.button.secondary href={ "/cases/" (c.id) "/money" } { (v.t("ui.action.money")) } }
            li { a.button.secondary href={ "/cases/" (c.id) "/reclassify" } { (v.t("ui.action.reclassify")) } }
            li { a.button.secondary href={ "/seizures/new?case=" (c.id) } { (v.t("ui.action.new_seizure")) } }
            li { a.button.secondary href={ "/examinations/new?case=" (c.id) } { (v.t("ui.action.new_examination")) } }
            li { a.button.secondary href={ "/cases/" (c.id) "/freeze" } { (v.t("ui.freeze.request")) } }
        } }
        (super::case_page::facts(&v, &registry, c, &loaded.report_numbers))
        (super::case_page::persons(&v, c))
        (super::case_page::money(&v, &registry, c))
        (super::case_page::children(&v, &registry, &loaded.children))
        (super::cancellations::section(&v, &registry, c))
        (held::section(&v, &registry, Subject { kind: SubjectKind::Case, id: c.id }, &c.identifiers, &loaded.history, loaded.series))
        h2 { (v.t("ui.record.history")) }
        (timeline(&v, &registry, &loaded.history))
    };
    page(&v, &title, body)
}

pub async fn person(v: Viewer, State(registry): Shared, EntityId(id): EntityId) -> Response {
    let loaded = match load(&v, &registry, EntityKind::Person, id).await {
        Ok(l) => l,
        Err(p) => return error_page(&v, &p),
    };
    let Ok(p) = serde_json::from_str::<Person>(&loaded.record.state) else {
        return error_page(&v, &Problem::internal(format!("person {id}: state does not read")));
    };
    let r = &loaded.record;
    let parent_kind = if r.number.starts_with("M-") { EntityKind::Report } else { EntityKind::Case };
    let title = p.input.full_name.clone();
    let body = html! {
        h1 { (title) }
        dl.facts {
            dt { (v.t("ui.col.role")) } dd { (format::enum_label(&v, "status", &p.input.role)) }
            dt { (v.t("ui.col.fin")) } dd { (p.input.fin.as_ref().map(|f| f.as_str()).unwrap_or("—")) }
            dt { (v.t("ui.col.birth_date")) } dd {
                @match p.input.birth_date { Some(d) => (format::date(&v, d)), None => "—" }
            }
            dt { (v.t("ui.field.sex")) } dd {
                @match &p.input.sex { Some(s) => (format::enum_label(&v, "sex", s)), None => "—" }
            }
            dt { (v.t("ui.field.previously_convicted")) } dd {
                (v.t(if p.input.previously_convicted { "ui.yes" } else { "ui.no" }))
            }
            dt { (v.t("ui.col.belongs_to")) } dd {
                @match r.parent {
                    Some(parent) => a href=(super::paths::record_path(parent_kind, parent)) { (r.number) },
                    None => (r.number),
                }
            }
        }
        (held::section(&v, &registry, Subject { kind: SubjectKind::Person, id }, &p.identifiers, &loaded.history, None))
    };
    page(&v, &title, body)
}

/// The simple registers: the entry's facts and its journal, under the
/// register's own title (`title_key` takes the entry's `{number}`).
async fn simple(
    v: Viewer,
    registry: Arc<Registry>,
    kind: EntityKind,
    title_key: &'static str,
    id: uuid::Uuid,
) -> Response {
    let loaded = match load(&v, &registry, kind, id).await {
        Ok(l) => l,
        Err(p) => return error_page(&v, &p),
    };
    let Some(entity) = &loaded.entity else { return error_page(&v, &Problem::not_found()) };
    let title = v.fill(title_key, &[("number", &loaded.record.number)]);
    let pending = matches!(entity, Entity::Examination(e) if e.result.is_none()) && v.may(Action::RecordExamination);
    let body = html! {
        h1 { (title) }
        @if pending {
            ul.actions { li { a.button href={ "/examinations/" (id) "/complete" } { (v.t("ui.action.complete_examination")) } } }
        }
        @if let Entity::Freeze(f) = entity { @if v.may(Action::WorkCase) { (super::freezes::actions(&v, f)) } }
        (super::case_page::register_facts(&v, &registry, entity))
        h2 { (v.t("ui.record.history")) }
        (timeline(&v, &registry, &loaded.history))
    };
    page(&v, &title, body)
}

pub async fn seizure(v: Viewer, State(registry): Shared, EntityId(id): EntityId) -> Response {
    simple(v, registry, EntityKind::Seizure, "ui.record.seizure", id).await
}

pub async fn accident(v: Viewer, State(registry): Shared, EntityId(id): EntityId) -> Response {
    simple(v, registry, EntityKind::Accident, "ui.record.accident", id).await
}

pub async fn accountability(v: Viewer, State(registry): Shared, EntityId(id): EntityId) -> Response {
    simple(v, registry, EntityKind::Accountability, "ui.record.accountability", id).await
}

pub async fn examination(v: Viewer, State(registry): Shared, EntityId(id): EntityId) -> Response {
    simple(v, registry, EntityKind::Examination, "ui.record.examination", id).await
}

pub async fn freeze(v: Viewer, State(registry): Shared, EntityId(id): EntityId) -> Response {
    simple(v, registry, EntityKind::Freeze, "ui.record.freeze", id).await
}

/// Where a unit's freeze requests awaiting their answer are listed.
pub const FREEZE_QUEUE_PATH: &str = "/freezes/queue";

/// A unit's freeze requests awaiting the institution's answer (`?unit=`, the
/// viewer's own unit by default, with the units below it), the nearest
/// deadline first, the overdue and those due today marked.
pub async fn freeze_queue(v: Viewer, State(registry): Shared, RawQuery(query): RawQuery) -> Response {
    let asked = form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "unit")
        .map(|(_, unit)| unit.into_owned())
        .filter(|unit| !unit.is_empty());
    let unit = asked.or_else(|| v.unit.clone());
    let params = crimeboard_service::QueueParams {
        register: crimeboard_service::Queued::Freezes,
        unit: unit.clone(),
        within: v.within(),
        ..Default::default()
    };
    let viewer = v.clone();
    let found = blocking(&registry, move |r| {
        let queue = r.queue(&params).map_err(Problem::from_query)?;
        viewer.audit(r, "list.freeze_queue", unit.as_deref().unwrap_or(""), "")?;
        let requests = queue
            .items
            .iter()
            .map(|rec| match crimeboard_service::entity_of(rec).map_err(Problem::from_service)? {
                Entity::Freeze(f) => Ok(f),
                _ => Err(Problem::internal("a queue of freeze requests holds something else")),
            })
            .collect::<Result<Vec<_>, Problem>>()?;
        Ok((queue, requests))
    })
    .await;
    let (queue, requests) = match found {
        Ok(found) => found,
        Err(p) => return error_page(&v, &p),
    };
    let units = registry.units();
    let rules = &registry.jurisdiction().rules;
    let title = v.t("ui.freeze.queue");
    let body = html! {
        h1 { (title) }
        p.help { (v.t("ui.freeze.queue_help")) }
        p { (v.fill("ui.appeal.queue_counts", &[
            ("waiting", &format::integer(&v, queue.total.waiting)),
            ("overdue", &format::integer(&v, queue.total.overdue)),
            ("due_today", &format::integer(&v, queue.total.due_today)),
        ])) }
        @if requests.is_empty() {
            p { (v.t("ui.list.empty")) }
        } @else {
            div.table-wrap role="region" tabindex="0" aria-label=(title) {
                table {
                    caption { (title) }
                    thead { tr {
                        th scope="col" { (v.t("ui.col.number")) }
                        th scope="col" { (v.t("ui.col.sent")) }
                        th scope="col" { (v.t("ui.col.deadline")) }
                        th scope="col" { (v.t("ui.col.institution")) }
                        th scope="col" { (v.t("ui.col.account")) }
                        th scope="col" { (v.t("ui.col.asked")) }
                        th scope="col" { (v.t("ui.col.unit")) }
                    } }
                    tbody {
                        @for f in &requests {
                            @let urgency = super::home::urgency_at(queue.now, queue.due_by, f.deadline);
                            tr class=[(urgency == super::home::Urgency::Overdue).then_some("overdue")] {
                                td { a href={ "/freezes/" (f.id) } { (f.number) } }
                                td { (format::instant(&v, rules, f.request.sent_at)) }
                                td { (format::deadline(&v, rules, f.deadline)) " " (super::home::mark(&v, urgency)) }
                                td { (f.request.institution) }
                                td { (f.display) }
                                td.num { (format::money(&v, f.request.amount_qepik)) }
                                td { (format::unit_name(&v, &units, f.request.unit.as_str())) }
                            }
                        }
                    }
                }
            }
        }
    };
    page(&v, title, body)
}
