//! Crime reports: registering one, and deciding on it (refuse, pass to
//! another body, attach to a case; opening a case has its own form).

use super::form::{self, Form, field, local_value, options};
use super::format;
use super::layout::page_with_status;
use super::respond::{PageId, error_page, see_other};
use super::viewer::Viewer;
use super::write::{Submitted, submit};
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use crimeboard_domain::act::Entity;
use crimeboard_domain::person::PersonRole;
use crimeboard_domain::report::{Channel, CrimeReport, DecideReport, NewReport, ReportOutcome};
use crimeboard_domain::rules::Procedure;
use crimeboard_domain::{Command, EntityKind, Violation};
use crimeboard_service::{ListParams, Registry, Submission};
use maud::html;
use std::sync::Arc;

const CHANNELS: [(&str, &str); 6] = [
    ("in_person", "ui.channel.in_person"),
    ("line102", "ui.channel.line102"),
    ("written", "ui.channel.written"),
    ("online", "ui.channel.online"),
    ("referral", "ui.channel.referral"),
    ("detected_by_police", "ui.channel.detected_by_police"),
];

pub async fn new_form(v: Viewer, State(registry): Shared) -> Response {
    let now = local_value(&registry.jurisdiction().rules, registry.now());
    let form = Form::default().with("received_at", now).with("unit", v.unit.clone().unwrap_or_default());
    register_page(&v, &registry, &form, StatusCode::OK)
}

fn register_page(v: &Viewer, registry: &Registry, form: &Form, status: StatusCode) -> Response {
    let units = registry.units();
    let fields = html! {
        (field("unit", "ui.field.unit").required().select(v, form, &format::unit_options(v, &units, format::Blank::Choose)))
        (field("channel", "ui.field.channel").required().select(v, form, &options(v, Some("ui.choose"), &CHANNELS)))
        (field("received_at", "ui.field.received_at").required().help(v.t("ui.help.local_time")).input(v, form, "datetime-local"))
        (field("officer", "ui.field.officer").required().input(v, form, "text"))
        (field("summary", "ui.field.summary").required().textarea(v, form))
        (form::person_fields(v, form, "applicant", "ui.form.applicant", false))
        p.help { (v.t("ui.help.anonymous")) }
        (form::envelope(v, form))
    };
    let title = v.t("ui.form.register_report");
    let body = html! {
        h1 { (title) }
        (form::summary(v, form))
        (form::post(v, "/reports/new", "ui.action.register", fields))
    };
    page_with_status(v, status, title, body)
}

pub async fn register(v: Viewer, State(registry): Shared, body: Bytes) -> Response {
    let mut form = Form::parse(&body);
    let rules = registry.jurisdiction().rules.clone();
    let unit = form.unit("unit");
    let channel: Option<Channel> = form.choice("channel");
    let received_at = form.instant("received_at", &rules);
    let applicant = form.person("applicant", Some(PersonRole::Applicant));
    let (Some(unit), Some(channel), Some(received_at), false) = (unit, channel, received_at, form.has_errors()) else {
        form.require_texts(&["officer", "summary", "legal_ground"]);
        return register_page(&v, &registry, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::RegisterReport(NewReport {
        unit,
        procedure: Procedure::CrimeReport,
        channel,
        received_at,
        officer: form.text("officer"),
        applicant,
        summary: form.text("summary"),
        category: None,
        source: None,
    });
    record(&v, &registry, form, command, |f, s| register_page(&v, &registry, f, s)).await
}

/// Submits a form's command: to the record's page when recorded, back to the
/// form with the broken rules when not.
pub async fn record(
    v: &Viewer,
    registry: &Arc<Registry>,
    mut form: Form,
    command: Command,
    again: impl FnOnce(&Form, StatusCode) -> Response,
) -> Response {
    form.reject_control_characters();
    if form.has_errors() {
        return again(&form, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let kind = command_kind(&command);
    let Some(caller) = v.caller.clone() else { return error_page(v, &crate::problem::unauthenticated()) };
    let (actor, legal_ground) = (caller.principal.login.clone(), form.legal_ground());
    let late = form.late();
    match submit(registry, &caller, Submission { actor, legal_ground, command, late }).await {
        Ok(Submitted::Recorded(receipt)) => see_other(&super::paths::record_path(kind, receipt.entity_id)),
        Ok(Submitted::Refused(violations)) => {
            form.reject_all(violations);
            again(&form, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(p) => error_page(v, &p),
    }
}

/// The register whose page shows what the command created or changed.
fn command_kind(c: &Command) -> EntityKind {
    match c {
        Command::RegisterReport(_) | Command::DecideReport(_) | Command::ExtendCheck(_) | Command::RateHandling(_) => {
            EntityKind::Report
        }
        Command::RecordSeizure(_) => EntityKind::Seizure,
        Command::RecordAccident(_) => EntityKind::Accident,
        Command::RequestExamination(_) | Command::CompleteExamination(_) => EntityKind::Examination,
        Command::HoldAccountable(_) => EntityKind::Accountability,
        Command::ScheduleMeeting(_) | Command::RecordMinutes(_) => EntityKind::Meeting,
        Command::IssueTask(_) | Command::ReportOnTask(_) | Command::ControlTask(_) => EntityKind::Task,
        Command::DraftRelease(_)
        | Command::EditRelease(_)
        | Command::ApproveRelease(_)
        | Command::PublishRelease(_) => EntityKind::Release,
        Command::ScheduleReception(_)
        | Command::BookReception(_)
        | Command::CancelBooking(_)
        | Command::CancelReception(_)
        | Command::RecordReception(_) => EntityKind::Reception,
        Command::RegisterAppeal(_)
        | Command::ReferAppeal(_)
        | Command::ExtendAppeal(_)
        | Command::AnswerAppeal(_)
        | Command::RateAppeal(_) => EntityKind::Appeal,
        // The report it registers is what the act is seen by.
        Command::ReportFromAppeal(_) => EntityKind::Report,
        Command::PublishReport(_) => EntityKind::Publication,
        Command::OpenCase(_)
        | Command::AddPerson(_)
        | Command::Reclassify(_)
        | Command::DecideCase(_)
        | Command::RecordDamage(_)
        | Command::Reimburse(_) => EntityKind::Case,
        // No page records an annulment or an adoption (the API does); they would land on the case register.
        Command::Annul(_) | Command::AdoptJurisdiction(_) => EntityKind::Case,
        // No page records a change of the unit tree (the command line does).
        Command::RenameUnit(_)
        | Command::MoveUnit(_)
        | Command::MergeUnits(_)
        | Command::SetUnitContacts(_)
        | Command::AddUnit(_) => EntityKind::Case,
        // The identifiers' pages go back to the subject's own page themselves.
        Command::AttachIdentifier(a) => a.subject.kind.entity_kind(),
        Command::RemoveIdentifier(r) => r.subject.kind.entity_kind(),
        // No page records a linking decision yet (the API does); it would land on the case register.
        Command::DecideLinking(_) => EntityKind::Case,
        Command::RequestCancellation(_) | Command::DecideCancellation(_) => EntityKind::Case,
        Command::RequestFreeze(_) | Command::AnswerFreeze(_) | Command::ReturnFrozen(_) => EntityKind::Freeze,
        Command::DrawSample(_) | Command::ReviewSample(_) => EntityKind::Sample,
        // The series' page goes back to the series itself.
        Command::ConfirmSeries(_) | Command::SplitSeries(_) => EntityKind::Case,
        // Acknowledged from the unit's queue, which its form goes back to.
        Command::AcknowledgeSeriesAlert(_) => EntityKind::Case,
        Command::WriteRelease(_) => EntityKind::Release,
    }
}

const OUTCOMES: [(&str, &str); 4] = [
    ("open_case", "ui.outcome.open_case"),
    ("refuse", "ui.outcome.refuse"),
    ("transfer", "ui.outcome.transfer"),
    ("attach", "ui.outcome.attach"),
];

pub async fn decide_form(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let report = match load_report(&registry, id).await {
        Ok(r) => r,
        Err(p) => return error_page(&v, &p),
    };
    let now = local_value(&registry.jurisdiction().rules, registry.now());
    let form = Form::default().with("decided_at", now);
    decide_page(&v, &registry, &report, &form, StatusCode::OK)
}

/// The report a decision is about.
async fn load_report(registry: &Arc<Registry>, id: uuid::Uuid) -> Result<CrimeReport, Problem> {
    blocking(registry, move |r| match r.entity(id).map_err(Problem::from_service)? {
        Entity::Report(report) => Ok(report),
        _ => Err(Problem::not_found()),
    })
    .await
}

fn decide_page(v: &Viewer, registry: &Registry, report: &CrimeReport, form: &Form, status: StatusCode) -> Response {
    let rules = &registry.jurisdiction().rules;
    let id = report.id;
    let fields = html! {
        (form::radios(v, form, "outcome.kind", "ui.field.outcome", &OUTCOMES))
        (field("decided_at", "ui.field.decided_at").required().help(v.t("ui.help.local_time")).input(v, form, "datetime-local"))
        (field("outcome.ground", "ui.field.refusal_ground").help(v.t("ui.help.refusal_ground")).input(v, form, "text"))
        (field("outcome.to_body", "ui.field.to_body").help(v.t("ui.help.to_body")).input(v, form, "text"))
        (field("outcome.case_number", "ui.field.case_number").help(v.t("ui.help.case_number")).input(v, form, "text"))
        (field("late_reason", "ui.field.late_reason").help(v.t("ui.help.late_reason")).textarea(v, form))
        (form::envelope(v, form))
    };
    let title = format!("{} — {}", v.t("ui.form.decide_report"), report.register_no);
    let body = html! {
        h1 { (title) }
        p { a href={ "/reports/" (id) } { (v.t("ui.form.back_to_report")) } }
        dl.facts {
            dt { (v.t("ui.col.received")) } dd { (format::instant(v, rules, report.received_at)) }
            dt { (v.t("ui.col.deadline")) } dd {
                (format::deadline(v, rules, report.deadline))
                @if report.decision.is_none() { " " (super::home::mark(v, super::home::urgency(registry, report.deadline))) }
            }
            dt { (v.t("ui.col.summary")) } dd { (report.summary) }
        }
        @if report.decision.is_some() && status == StatusCode::OK {
            p.notice { (v.t("ui.form.already_decided")) }
        } @else {
            (form::summary(v, form))
            (form::post(v, &format!("/reports/{id}/decide"), "ui.action.decide", fields))
        }
    };
    page_with_status(v, status, &title, body)
}

pub async fn decide(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let mut form = Form::parse(&body).renamed(&[("outcome.case_id", "outcome.case_number")]);
    if form.get("outcome.kind") == "open_case" {
        return see_other(&format!("/cases/new?report={id}"));
    }
    let report = match load_report(&registry, id).await {
        Ok(r) => r,
        Err(p) => return error_page(&v, &p),
    };
    let rules = registry.jurisdiction().rules.clone();
    let decided_at = form.instant("decided_at", &rules);
    let outcome = match form.get("outcome.kind") {
        "refuse" => Some(ReportOutcome::Refuse { ground: form.text("outcome.ground") }),
        "transfer" => Some(ReportOutcome::Transfer { to_body: form.text("outcome.to_body") }),
        "attach" => match case_by_number(&registry, form.text("outcome.case_number")).await {
            Ok(Some(case_id)) => Some(ReportOutcome::Attach { case_id }),
            Ok(None) => {
                form.reject(Violation::new("outcome.case_number", "reference.not_found"));
                None
            }
            Err(p) => return error_page(&v, &p),
        },
        _ => {
            form.reject(Violation::new("outcome.kind", "text.required"));
            None
        }
    };
    let (Some(decided_at), Some(outcome), false) = (decided_at, outcome, form.has_errors()) else {
        let outcome_text: &[&str] = match form.get("outcome.kind") {
            "refuse" => &["outcome.ground"],
            "transfer" => &["outcome.to_body"],
            _ => &[],
        };
        form.require_texts(&[outcome_text, &["legal_ground"]].concat());
        return decide_page(&v, &registry, &report, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let late_reason = form.optional_text("late_reason");
    let command = Command::DecideReport(DecideReport { report_id: id, decided_at, outcome, late_reason });
    record(&v, &registry, form, command, |f, s| decide_page(&v, &registry, &report, f, s)).await
}

/// The id of the case or report with this register number, if there is one.
pub async fn by_number(
    registry: &Arc<Registry>,
    kind: EntityKind,
    number: String,
) -> Result<Option<uuid::Uuid>, Problem> {
    // A number that cannot be one (a register number is letters, digits and
    // hyphens) is not looked up: it is simply not found.
    let possible = |c: char| c.is_ascii_alphanumeric() || c == '-';
    if number.is_empty() || number.len() > 64 || !number.chars().all(possible) {
        return Ok(None);
    }
    blocking(registry, move |r| {
        let params = ListParams { kind: Some(kind), number: Some(number), per_page: Some(1), ..Default::default() };
        Ok(r.list(&params).map_err(Problem::from_query)?.items.first().map(|rec| rec.id))
    })
    .await
}

async fn case_by_number(registry: &Arc<Registry>, number: String) -> Result<Option<uuid::Uuid>, Problem> {
    by_number(registry, EntityKind::Case, number.trim().to_uppercase()).await
}
