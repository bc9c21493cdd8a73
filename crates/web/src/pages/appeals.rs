//! Citizens' appeals on the staff pages: a unit's queue by deadline, the
//! registration form, an appeal's page with its timeline, and the forms of
//! the acts it may take next (more checking or an extension, referral, the
//! answer, the applicant's rating, passing an offence on as a crime report),
//! each offered only where the appeal can take it and the user may. The
//! register's list is a register list like any other (`lists::APPEALS`).

use super::form::{self, Form, field, local_value, options};
use super::format;
use super::home::{Urgency, mark, urgency_at};
use super::layout::{page, page_with_status};
use super::paths::link;
use super::records::load;
use super::reports::{by_number, record};
use super::respond::{PageId, error_page};
use super::timeline::timeline;
use super::viewer::Viewer;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Days, Utc};
use crimeboard_domain::access::Action;
use crimeboard_domain::act::Entity;
use crimeboard_domain::appeal::{
    AnswerAppeal, Appeal, AppealExtension, Applicant, Applicants, ExtendAppeal, NewAppeal, RateAppeal, ReferAppeal,
    Referral, ReportFromAppeal,
};
use crimeboard_domain::report::{Channel, NewReport};
use crimeboard_domain::rules::{AppealDeadlineRule, Procedure, Rules};
use crimeboard_domain::{Command, EntityKind, Violation};
use crimeboard_service::{QueueParams, Queued, Registry};
use maud::{Markup, html};
use std::sync::Arc;

pub const QUEUE_PATH: &str = "/appeals/queue";
pub const NEW_PATH: &str = "/appeals/new";
const PER_PAGE: u64 = 50;
/// Rows offered for the signatories of a collective appeal.
pub const PEOPLE_ROWS: usize = 5;

pub const CHANNELS: [(&str, &str); 5] = [
    ("written", "ui.appeal_channel.written"),
    ("online", "ui.appeal_channel.online"),
    ("email", "ui.appeal_channel.email"),
    ("reception", "ui.appeal_channel.reception"),
    ("telephone", "ui.appeal_channel.telephone"),
];

pub const KINDS: [(&str, &str); 3] = [
    ("application", "ui.appeal_kind.application"),
    ("proposal", "ui.appeal_kind.proposal"),
    ("complaint", "ui.appeal_kind.complaint"),
];

const APPLICANTS: [(&str, &str); 4] = [
    ("person", "ui.appeal.applicants_person"),
    ("collective", "ui.appeal.applicants_collective"),
    ("organisation", "ui.appeal.applicants_organisation"),
    ("anonymous", "ui.appeal.applicants_anonymous"),
];

const DELIVERIES: [(&str, &str); 4] = [
    ("post", "ui.delivery.post"),
    ("e_mail", "ui.delivery.e_mail"),
    ("in_person", "ui.delivery.in_person"),
    ("online", "ui.delivery.online"),
];

const REFERRALS: [(&str, &str); 2] = [("unit", "ui.appeal.to_a_unit"), ("body", "ui.appeal.to_a_body")];

const DECISIONS: [(&str, &str); 5] = [
    ("satisfied", "ui.appeal_decision.satisfied"),
    ("partly", "ui.appeal_decision.partly"),
    ("refused", "ui.appeal_decision.refused"),
    ("explained", "ui.appeal_decision.explained"),
    ("left_unconsidered", "ui.appeal_decision.left_unconsidered"),
];

const EXTENSIONS: [(&str, &str); 2] =
    [("more_checking", "ui.appeal.more_checking"), ("extension", "ui.appeal.extension")];

const SCORES: [(&str, &str); 5] =
    [("1", "ui.score.1"), ("2", "ui.score.2"), ("3", "ui.score.3"), ("4", "ui.score.4"), ("5", "ui.score.5")];

/// The acts an appeal's page offers, each with its address and button.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Step {
    Extend,
    Refer,
    Answer,
    Rate,
    Report,
}

impl Step {
    const ALL: [Step; 5] = [Step::Extend, Step::Refer, Step::Answer, Step::Rate, Step::Report];

    fn slug(self) -> &'static str {
        match self {
            Step::Extend => "extend",
            Step::Refer => "refer",
            Step::Answer => "answer",
            Step::Rate => "rate",
            Step::Report => "report",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Step::Extend => "ui.appeal.do_extend",
            Step::Refer => "ui.appeal.do_refer",
            Step::Answer => "ui.appeal.do_answer",
            Step::Rate => "ui.appeal.do_rate",
            Step::Report => "ui.appeal.do_report",
        }
    }

    /// Whether the appeal, as it stands, can take the act: the domain's
    /// rules refuse the rest anyway; a button for them would only mislead.
    pub fn possible(self, a: &Appeal) -> bool {
        let open = !a.is_closed();
        match self {
            Step::Extend => open && !a.is_anonymous() && a.extensions.iter().all(|e| !is_extension(&e.extension)),
            Step::Refer => open && !a.is_anonymous(),
            Step::Answer => open && !a.is_anonymous(),
            Step::Rate => !a.is_anonymous() && a.satisfaction.is_none() && a.replied_at().is_some(),
            Step::Report => a.mentions_offence && a.report.is_none() && a.referral_out().is_none(),
        }
    }
}

fn is_extension(e: &AppealExtension) -> bool {
    matches!(e, AppealExtension::Extension { .. })
}

fn path_of(id: uuid::Uuid, step: Step) -> String {
    format!("/appeals/{id}/{}", step.slug())
}

async fn load_appeal(registry: &Arc<Registry>, id: uuid::Uuid) -> Result<Appeal, Problem> {
    blocking(registry, move |r| match r.entity(id).map_err(Problem::from_service)? {
        Entity::Appeal(a) => Ok(a),
        _ => Err(Problem::not_found()),
    })
    .await
}

/// The rule of the Law on Citizens' Appeals in force on a day of receipt, as the help texts quote it.
fn rule_at(rules: &Rules, at: DateTime<Utc>) -> Option<&AppealDeadlineRule> {
    rules.appeal_rule(at).ok()
}

/// The legal deadlines in words, from the rule in force (never typed into the page).
fn deadlines_help(v: &Viewer, rule: Option<&AppealDeadlineRule>) -> String {
    match rule {
        Some(r) => v.fill(
            "ui.appeal.deadlines_help",
            &[
                ("answer", &r.answer_days.to_string()),
                ("checking", &r.checking_days.to_string()),
                ("extension", &r.max_extension_days.to_string()),
                ("referral", &r.referral_days.to_string()),
            ],
        ),
        None => v.t("ui.appeal.no_rule_help").to_string(),
    }
}

/// Working days from `today` to the deadline's last day, both counted; none once it has passed.
pub fn working_days_left(rules: &Rules, today: chrono::NaiveDate, deadline: DateTime<Utc>) -> i64 {
    let Some(last) = rules.local_date(deadline).checked_sub_days(Days::new(1)) else { return 0 };
    today.iter_days().take_while(|d| *d <= last).filter(|d| rules.is_working_day(*d)).count() as i64
}

// A unit's queue.

pub async fn queue(v: Viewer, State(registry): Shared, RawQuery(query): RawQuery) -> Response {
    let mut form = Form::parse(query.as_deref().unwrap_or("").as_bytes());
    form.reject_control_characters();
    if form.get("unit").is_empty() {
        form = form.with("unit", v.unit.clone().unwrap_or_default());
    }
    let page_no = form.text("page").parse::<u64>().ok().filter(|p| *p >= 1).unwrap_or(1);
    let params = QueueParams {
        register: Queued::Appeals,
        unit: form.optional_text("unit"),
        page: Some(page_no),
        per_page: Some(PER_PAGE),
        within: v.within(),
    };
    let found = if form.has_errors() {
        None
    } else {
        let viewer = v.clone();
        let unit = form.text("unit");
        match blocking(&registry, move |r| {
            let queue = r.queue(&params).map_err(Problem::from_query)?;
            viewer.audit(r, "list.appeal_queue", &unit, "")?;
            let appeals = queue
                .items
                .iter()
                .map(|rec| match crimeboard_service::entity_of(rec).map_err(Problem::from_service)? {
                    Entity::Appeal(a) => Ok(a),
                    _ => Err(Problem::internal("a queue of appeals holds something else")),
                })
                .collect::<Result<Vec<_>, Problem>>()?;
            Ok((queue, appeals))
        })
        .await
        {
            Ok(found) => Some(found),
            Err(p) if p.status == StatusCode::BAD_REQUEST => {
                form.reject_all(p.errors);
                None
            }
            Err(p) => return error_page(&v, &p),
        }
    };
    let units = registry.units();
    let rules = &registry.jurisdiction().rules;
    let title = v.t("ui.appeal.queue");
    let body = html! {
        h1 { (title) }
        p.help { (v.t("ui.appeal.queue_help")) }
        (form::summary(&v, &form))
        form.filters method="get" action=(QUEUE_PATH) aria-label=(v.t("ui.filters")) {
            (field("unit", "ui.field.unit").select(&v, &form, &format::unit_options(&v, &units, format::Blank::Choose)))
            button type="submit" { (v.t("ui.action.show")) }
        }
        @if let Some((queue, appeals)) = &found {
            p { (v.fill("ui.appeal.queue_counts", &[
                ("waiting", &format::integer(&v, queue.total.waiting)),
                ("overdue", &format::integer(&v, queue.total.overdue)),
                ("due_today", &format::integer(&v, queue.total.due_today)),
            ])) }
            @let today = rules.local_date(queue.now);
            table {
                caption { (title) }
                thead { tr {
                    th scope="col" { (v.t("ui.col.number")) }
                    th scope="col" { (v.t("ui.col.received")) }
                    th scope="col" { (v.t("ui.col.deadline")) }
                    th scope="col" { (v.t("ui.appeal.days_left")) }
                    th scope="col" { (v.t("ui.appeal.subject")) }
                    th scope="col" { (v.t("ui.col.unit")) }
                } }
                tbody {
                    @for a in appeals {
                        @let urgency = urgency_at(queue.now, queue.due_by, a.deadline);
                        tr class=[(urgency == Urgency::Overdue).then_some("overdue")] {
                            td { a href={ "/appeals/" (a.id) } { (a.register_no) } }
                            td { (format::instant(&v, rules, a.received_at)) }
                            td { (format::deadline(&v, rules, a.deadline)) " " (mark(&v, urgency)) }
                            td.num { (format::integer(&v, working_days_left(rules, today, a.deadline))) }
                            td { (format::short(&a.subject)) }
                            td { (format::unit_name(&v, &units, a.handled_by().as_str())) }
                        }
                    }
                }
            }
            nav aria-label=(v.t("ui.pager.label")) {
                ul.pager {
                    @if queue.page > 1 {
                        li { a href=(link(QUEUE_PATH, &[("unit", form.get("unit")), ("page", &(queue.page - 1).to_string())])) rel="prev" { "← " (v.t("ui.pager.prev")) } }
                    }
                    li { (v.fill("ui.pager.page", &[("page", &format::integer(&v, queue.page as i64))])) }
                    @if queue.has_more {
                        li { a href=(link(QUEUE_PATH, &[("unit", form.get("unit")), ("page", &(queue.page + 1).to_string())])) rel="next" { (v.t("ui.pager.next")) " →" } }
                    }
                }
            }
        }
    };
    page(&v, title, body)
}

// Registering an appeal.

pub async fn new_form(v: Viewer, State(registry): Shared) -> Response {
    let now = local_value(&registry.jurisdiction().rules, registry.now());
    let unit = v.unit.clone().unwrap_or_default();
    let form = Form::default()
        .with("received_at", now)
        .with("unit", unit.clone())
        .with("addressed_to", unit)
        .with("applicants.kind", "person");
    let sessions = held_sessions(&v, &registry).await;
    register_page(&v, &registry, &sessions, &form, StatusCode::OK)
}

/// How far back a reception an appeal names may have been held, for the form's choice.
const RECEPTION_DAYS: u64 = 60;

/// The sessions the registration form offers for an appeal made at a
/// reception: those its office's unit held in the last days, newest first.
async fn held_sessions(v: &Viewer, registry: &Arc<Registry>) -> Vec<(String, String)> {
    let mut choices = vec![(String::new(), v.t("ui.appeal.no_reception").to_string())];
    let Some(unit) = v.unit.clone() else { return choices };
    let today = registry.jurisdiction().rules.local_date(registry.now());
    let from = today.checked_sub_days(Days::new(RECEPTION_DAYS)).unwrap_or(today);
    let found = blocking(registry, move |r| r.reception_schedule(&unit, from, today).map_err(Problem::from_query));
    let mut held: Vec<_> = found.await.unwrap_or_default().into_iter().filter(|s| s.status == "held").collect();
    held.reverse();
    choices.extend(
        held.into_iter()
            .map(|s| (s.id.to_string(), format!("{} — {} — {}", s.number, format::day(v, s.day), s.chief.full_name))),
    );
    choices
}

fn person_row(v: &Viewer, form: &Form, prefix: &str, legend: String) -> Markup {
    html! {
        fieldset {
            legend { (legend) }
            (field(&format!("{prefix}.full_name"), "ui.field.full_name").input(v, form, "text"))
            (field(&format!("{prefix}.address"), "ui.appeal.address").help(v.t("ui.appeal.address_help")).input(v, form, "text"))
        }
    }
}

fn register_page(
    v: &Viewer,
    registry: &Registry,
    sessions: &[(String, String)],
    form: &Form,
    status: StatusCode,
) -> Response {
    let units = registry.units();
    let unit_choices = format::unit_options(v, &units, format::Blank::Choose);
    let pack = registry.jurisdiction();
    let rule = rule_at(&pack.rules, registry.now());
    let fields = html! {
        (field("unit", "ui.appeal.handling_unit").required().select(v, form, &unit_choices))
        (field("addressed_to", "ui.appeal.addressed_to").required().select(v, form, &unit_choices))
        (field("channel", "ui.field.channel").required().select(v, form, &options(v, Some("ui.choose"), &CHANNELS)))
        (field("reception_id", "ui.appeal.reception").help(v.t("ui.appeal.reception_help")).select(v, form, sessions))
        (field("kind", "ui.appeal.kind").required().select(v, form, &options(v, Some("ui.choose"), &KINDS)))
        (field("received_at", "ui.field.received_at").required().help(v.t("ui.help.local_time")).input(v, form, "datetime-local"))
        (form::radios(v, form, "applicants.kind", "ui.appeal.applicants", &APPLICANTS))
        (person_row(v, form, "applicants.person", v.t("ui.appeal.applicants_person").to_string()))
        fieldset {
            legend { (v.t("ui.appeal.applicants_collective")) }
            p.help { (v.t("ui.appeal.people_help")) }
            @for i in 0..PEOPLE_ROWS {
                (person_row(v, form, &format!("applicants.people.{i}"), v.fill("ui.appeal.person_number", &[("number", &(i + 1).to_string())])))
            }
        }
        fieldset {
            legend { (v.t("ui.appeal.applicants_organisation")) }
            (field("applicants.name", "ui.appeal.organisation").input(v, form, "text"))
            (person_row(v, form, "applicants.representative", v.t("ui.appeal.representative").to_string()))
        }
        (field("subject", "ui.appeal.subject").required().input(v, form, "text"))
        (field("text", "ui.appeal.text").required().textarea(v, form))
        (field("attachments", "ui.appeal.attachments").help(v.t("ui.appeal.attachments_help")).textarea(v, form))
        (field("repeat_of", "ui.appeal.repeat_of").help(v.t("ui.appeal.repeat_of_help")).input(v, form, "text"))
        (field("mentions_offence", "ui.appeal.mentions_offence").checkbox(v, form, "true"))
        (form::envelope(v, form))
    };
    let title = v.t("ui.appeal.register");
    let body = html! {
        h1 { (title) }
        p.help { (deadlines_help(v, rule)) }
        (form::summary(v, form))
        (form::post(v, NEW_PATH, "ui.action.register", fields))
    };
    page_with_status(v, status, title, body)
}

/// One person typed under `prefix`; None when no name was typed.
fn applicant(form: &Form, prefix: &str) -> Option<Applicant> {
    let full_name = form.text(&format!("{prefix}.full_name"));
    let address = form.text(&format!("{prefix}.address"));
    (!full_name.is_empty() || !address.is_empty()).then_some(Applicant { full_name, address })
}

/// Who appeals, as the kind chosen says; the rows of a collective appeal
/// left blank are left out, and each problem lands in its row.
fn applicants(form: &mut Form) -> Option<Applicants> {
    match form.get("applicants.kind") {
        "person" => Some(Applicants::Person {
            person: applicant(form, "applicants.person")
                .unwrap_or(Applicant { full_name: String::new(), address: String::new() }),
        }),
        "collective" => {
            let (mut people, mut rows) = (Vec::new(), Vec::new());
            for i in 0..PEOPLE_ROWS {
                if let Some(p) = applicant(form, &format!("applicants.people.{i}")) {
                    people.push(p);
                    rows.push(i);
                }
            }
            form.numbered("applicants.people", rows);
            Some(Applicants::Collective { people })
        }
        "organisation" => Some(Applicants::Organisation {
            name: form.text("applicants.name"),
            representative: applicant(form, "applicants.representative"),
        }),
        "anonymous" => Some(Applicants::Anonymous),
        _ => {
            form.reject(Violation::new("applicants.kind", "text.required"));
            None
        }
    }
}

pub async fn register(v: Viewer, State(registry): Shared, body: Bytes) -> Response {
    // The person's errors come as `applicants.person.*`; too few people as `applicants.people`, said at the kind.
    let mut form = Form::parse(&body).renamed(&[("applicants.people", "applicants.kind")]);
    let rules = registry.jurisdiction().rules.clone();
    let unit = form.unit("unit");
    let addressed_to = form.unit("addressed_to");
    let channel = form.choice("channel");
    let kind = form.choice("kind");
    let received_at = form.instant("received_at", &rules);
    let applicants = applicants(&mut form);
    let repeat_of = match form.optional_text("repeat_of") {
        Some(number) => match by_number(&registry, EntityKind::Appeal, number.to_uppercase()).await {
            Ok(Some(id)) => Some(id),
            Ok(None) => {
                form.reject(Violation::new("repeat_of", "reference.not_found"));
                None
            }
            Err(p) => return error_page(&v, &p),
        },
        None => None,
    };
    let reception_id = form.optional_text("reception_id").and_then(|id| {
        let parsed = uuid::Uuid::parse_str(&id).ok();
        if parsed.is_none() {
            form.reject(Violation::new("reception_id", "form.choice"));
        }
        parsed
    });
    let sessions = held_sessions(&v, &registry).await;
    let (Some(unit), Some(addressed_to), Some(channel), Some(kind), Some(received_at), Some(applicants), false) =
        (unit, addressed_to, channel, kind, received_at, applicants, form.has_errors())
    else {
        form.require_texts(&["subject", "text", "legal_ground"]);
        return register_page(&v, &registry, &sessions, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let attachments = form.get("attachments").lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from);
    let command = Command::RegisterAppeal(NewAppeal {
        unit,
        addressed_to,
        channel,
        kind,
        received_at,
        applicants,
        subject: form.text("subject"),
        text: form.text("text"),
        attachments: attachments.collect(),
        repeat_of,
        mentions_offence: form.is_checked("mentions_offence", "true"),
        reception_id,
    });
    record(&v, &registry, form, command, |f, s| register_page(&v, &registry, &sessions, f, s)).await
}

// An appeal's page.

pub async fn show(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let loaded = match load(&v, &registry, EntityKind::Appeal, id).await {
        Ok(l) => l,
        Err(p) => return error_page(&v, &p),
    };
    let Some(Entity::Appeal(a)) = &loaded.entity else { return error_page(&v, &Problem::not_found()) };
    let title = v.fill("ui.appeal.title", &[("number", &a.register_no)]);
    let steps: Vec<Step> = Step::ALL.into_iter().filter(|s| s.possible(a) && v.may(Action::HandleAppeals)).collect();
    let body = html! {
        h1 { (title) }
        @if !steps.is_empty() {
            ul.actions {
                @for s in &steps { li { a.button href=(path_of(a.id, *s)) { (v.t(s.title())) } } }
            }
        }
        (facts(&v, &registry, a))
        h2 { (v.t("ui.record.history")) }
        (timeline(&v, &registry, &loaded.history))
    };
    page(&v, &title, body)
}

fn applicants_text(v: &Viewer, a: &Applicants) -> String {
    match a {
        Applicants::Anonymous => v.t("ui.appeal.applicants_anonymous").to_string(),
        Applicants::Organisation { name, representative } => match representative {
            Some(r) => format!("{name} ({})", r.full_name),
            None => name.clone(),
        },
        _ => a.names().join("; "),
    }
}

/// Where a referral sent the appeal: a unit by its name, another body as typed.
fn referred_where(v: &Viewer, units: &crimeboard_domain::units::UnitTree, to: &Referral) -> String {
    match to {
        Referral::Unit { unit } => format::unit_name(v, units, unit.as_str()),
        Referral::Body { name } => name.clone(),
    }
}

fn facts(v: &Viewer, registry: &Registry, a: &Appeal) -> Markup {
    let rules = &registry.jurisdiction().rules;
    let units = registry.units();
    let now = registry.now();
    let urgency = super::home::urgency(registry, a.deadline);
    html! {
        dl.facts {
            dt { (v.t("ui.col.status")) } dd #appeal-status { (format::label(v, "status", a.status())) }
            dt { (v.t("ui.field.receipt_no")) } dd { (a.receipt_no) }
            dt { (v.t("ui.appeal.kind")) } dd { (format::enum_label(v, "appeal_kind", &a.kind)) }
            dt { (v.t("ui.field.channel")) } dd { (format::enum_label(v, "appeal_channel", &a.channel)) }
            dt { (v.t("ui.col.received")) } dd { (format::instant(v, rules, a.received_at)) }
            dt { (v.t("ui.appeal.handling_unit")) } dd #appeal-unit { (format::unit_name(v, &units, a.handled_by().as_str())) }
            dt { (v.t("ui.appeal.addressed_to")) } dd { (format::unit_name(v, &units, a.addressed_to.as_str())) }
            dt { (v.t("ui.appeal.applicants")) } dd { (applicants_text(v, &a.applicants)) }
            dt { (v.t("ui.appeal.subject")) } dd { (a.subject) }
            dt { (v.t("ui.col.deadline")) } dd #appeal-deadline {
                (format::deadline(v, rules, a.deadline))
                @if !a.is_closed() {
                    " " (mark(v, urgency)) " · "
                    (v.fill("ui.appeal.days_left_of", &[("days", &format::integer(v, working_days_left(rules, rules.local_date(now), a.deadline)))]))
                }
            }
            @if !a.attachments.is_empty() {
                dt { (v.t("ui.appeal.attachments")) } dd { ul { @for item in &a.attachments { li { (item) } } } }
            }
            @if a.mentions_offence { dt { (v.t("ui.appeal.mentions_offence")) } dd { (v.t("ui.yes")) } }
            @if let Some(r) = &a.report {
                dt { (v.t("ui.appeal.crime_report")) } dd { a href={ "/reports/" (r.report_id) } { (r.register_no) } }
            }
            @if !a.referrals.is_empty() {
                dt { (v.t("ui.appeal.referred_to")) } dd { ul {
                    @for r in &a.referrals {
                        li { (format::instant(v, rules, r.referred_at)) " · " (referred_where(v, &units, &r.to)) }
                    }
                } }
            }
            @if let Some(ans) = &a.answer {
                dt { (v.t("ui.appeal.decision")) } dd { (format::enum_label(v, "appeal_decision", &ans.decision)) }
            }
            @if let Some(score) = a.satisfaction {
                dt { (v.t("ui.appeal.score")) } dd #appeal-score { (score) }
            }
        }
        p.prose { (a.text) }
    }
}

// The forms of the acts an appeal takes.

/// The page of one act's form: the appeal it is about, the deadlines in
/// force, and the form, or a notice when the appeal can no longer take it.
fn step_page(
    v: &Viewer,
    registry: &Registry,
    a: &Appeal,
    step: Step,
    form: &Form,
    status: StatusCode,
    fields: Markup,
) -> Response {
    let rules = &registry.jurisdiction().rules;
    let title = format!("{} — {}", v.t(step.title()), a.register_no);
    let body = html! {
        h1 { (title) }
        p { a href={ "/appeals/" (a.id) } { (v.t("ui.appeal.back")) } }
        dl.facts {
            dt { (v.t("ui.col.status")) } dd { (format::label(v, "status", a.status())) }
            dt { (v.t("ui.col.received")) } dd { (format::instant(v, rules, a.received_at)) }
            dt { (v.t("ui.col.deadline")) } dd { (format::deadline(v, rules, a.deadline)) }
            dt { (v.t("ui.appeal.subject")) } dd { (a.subject) }
        }
        p.help { (deadlines_help(v, rule_at(rules, a.received_at))) }
        @if !step.possible(a) && status == StatusCode::OK {
            p.notice { (v.t("ui.appeal.not_possible")) }
        } @else {
            (form::summary(v, form))
            (form::post(v, &path_of(a.id, step), "ui.action.save", fields))
        }
    };
    page_with_status(v, status, &title, body)
}

fn fields_of(v: &Viewer, registry: &Registry, form: &Form, step: Step) -> Markup {
    let at = |name: &'static str, label: &'static str| {
        field(name, label).required().help(v.t("ui.help.local_time")).input(v, form, "datetime-local")
    };
    let told = || {
        field("applicant_told", "ui.appeal.applicant_told").required().select(
            v,
            form,
            &options(v, Some("ui.choose"), &DELIVERIES),
        )
    };
    let inner = match step {
        Step::Extend => html! {
            (form::radios(v, form, "extension.kind", "ui.appeal.extension_kind", &EXTENSIONS))
            (field("extension.days", "ui.appeal.extension_days").help(v.t("ui.appeal.extension_days_help")).input(v, form, "number"))
            (field("extension.reason", "ui.appeal.extension_reason").textarea(v, form))
            (at("granted_at", "ui.appeal.granted_at"))
            (field("granted_by", "ui.appeal.granted_by").required().input(v, form, "text"))
            (told())
        },
        Step::Refer => html! {
            (form::radios(v, form, "to.kind", "ui.appeal.referred_where", &REFERRALS))
            (field("to.unit", "ui.appeal.to_unit").help(v.t("ui.appeal.to_unit_help")).select(v, form, &format::unit_options(v, &registry.units(), format::Blank::Choose)))
            (field("to.name", "ui.field.to_body").help(v.t("ui.appeal.to_body_help")).input(v, form, "text"))
            (at("referred_at", "ui.appeal.referred_at"))
            (told())
        },
        Step::Answer => html! {
            (field("decision", "ui.appeal.decision").required().select(v, form, &options(v, Some("ui.choose"), &DECISIONS)))
            (field("text", "ui.appeal.answer_text").required().textarea(v, form))
            (field("signed_by", "ui.appeal.signed_by").required().input(v, form, "text"))
            (field("delivered_by", "ui.appeal.delivered_by").required().select(v, form, &options(v, Some("ui.choose"), &DELIVERIES)))
            (at("answered_at", "ui.appeal.answered_at"))
            (field("late_reason", "ui.field.late_reason").help(v.t("ui.help.late_reason")).textarea(v, form))
        },
        Step::Rate => html! {
            (form::radios(v, form, "score", "ui.appeal.score", &SCORES))
            (at("rated_at", "ui.appeal.rated_at"))
        },
        Step::Report => html! {
            (field("report.unit", "ui.field.unit").required().select(v, form, &format::unit_options(v, &registry.units(), format::Blank::Choose)))
            (at("report.received_at", "ui.field.received_at"))
            (field("report.officer", "ui.field.officer").required().input(v, form, "text"))
            (field("report.summary", "ui.field.summary").required().textarea(v, form))
        },
    };
    html! { (inner) (form::envelope(v, form)) }
}

fn time_field(step: Step) -> &'static str {
    match step {
        Step::Extend => "granted_at",
        Step::Refer => "referred_at",
        Step::Answer => "answered_at",
        Step::Rate => "rated_at",
        Step::Report => "report.received_at",
    }
}

async fn step_form(v: Viewer, registry: Arc<Registry>, id: uuid::Uuid, step: Step) -> Response {
    let a = match load_appeal(&registry, id).await {
        Ok(a) => a,
        Err(p) => return error_page(&v, &p),
    };
    let now = local_value(&registry.jurisdiction().rules, registry.now());
    let mut form = Form::default().with(time_field(step), now);
    if step == Step::Report {
        form = form
            .with("report.unit", a.unit.to_string())
            .with("report.summary", v.fill("ui.appeal.report_summary", &[("number", &a.register_no)]));
    }
    let fields = fields_of(&v, &registry, &form, step);
    step_page(&v, &registry, &a, step, &form, StatusCode::OK, fields)
}

/// The command a step's form makes; None when a value cannot be read (the problems are on the form).
fn command_of(form: &mut Form, rules: &Rules, a: &Appeal, step: Step) -> Option<Command> {
    let appeal_id = a.id;
    let at = form.instant(time_field(step), rules);
    let command = match step {
        Step::Extend => {
            let extension = match form.get("extension.kind") {
                "more_checking" => Some(AppealExtension::MoreChecking),
                "extension" => {
                    let days = form.integer("extension.days").and_then(|d| {
                        let days = u32::try_from(d).ok();
                        if days.is_none() {
                            form.reject(Violation::new("extension.days", "number.range").with("min", 1));
                        }
                        days
                    });
                    days.map(|days| AppealExtension::Extension { days, reason: form.text("extension.reason") })
                }
                _ => {
                    form.reject(Violation::new("extension.kind", "text.required"));
                    None
                }
            };
            let applicant_told = form.choice("applicant_told");
            let (extension, applicant_told, granted_at) = (extension?, applicant_told?, at?);
            Command::ExtendAppeal(ExtendAppeal {
                appeal_id,
                granted_at,
                extension,
                granted_by: form.text("granted_by"),
                applicant_told,
            })
        }
        Step::Refer => {
            let applicant_told = form.choice("applicant_told");
            let referred_at = at;
            let to = match form.get("to.kind") {
                "unit" => form.unit("to.unit").map(|unit| Referral::Unit { unit }),
                "body" => Some(Referral::Body { name: form.text("to.name") }),
                _ => {
                    form.reject(Violation::new("to.kind", "text.required"));
                    None
                }
            };
            let (to, applicant_told, referred_at) = (to?, applicant_told?, referred_at?);
            Command::ReferAppeal(ReferAppeal { appeal_id, referred_at, to, applicant_told })
        }
        Step::Answer => {
            let decision = form.choice("decision");
            let delivered_by = form.choice("delivered_by");
            let (decision, delivered_by, answered_at) = (decision?, delivered_by?, at?);
            Command::AnswerAppeal(AnswerAppeal {
                appeal_id,
                answered_at,
                decision,
                text: form.text("text"),
                signed_by: form.text("signed_by"),
                delivered_by,
                late_reason: form.optional_text("late_reason"),
            })
        }
        Step::Rate => {
            let score = if form.text("score").is_empty() {
                form.reject(Violation::new("score", "text.required"));
                None
            } else {
                form.integer("score")
            };
            let (score, rated_at) = (score?, at?);
            Command::RateAppeal(RateAppeal { appeal_id, rated_at, score })
        }
        Step::Report => {
            let unit = form.unit("report.unit");
            let (unit, received_at) = (unit?, at?);
            Command::ReportFromAppeal(ReportFromAppeal {
                appeal_id,
                report: NewReport {
                    unit,
                    procedure: Procedure::CrimeReport,
                    channel: Channel::Written,
                    received_at,
                    officer: form.text("report.officer"),
                    applicant: None,
                    summary: form.text("report.summary"),
                    category: None,
                    source: None,
                },
            })
        }
    };
    Some(command)
}

/// The texts each step's form requires, checked when no command could be made.
fn required_texts(step: Step) -> &'static [&'static str] {
    match step {
        Step::Extend => &["granted_by", "legal_ground"],
        Step::Refer => &["legal_ground"],
        Step::Answer => &["text", "signed_by", "legal_ground"],
        Step::Rate => &["legal_ground"],
        Step::Report => &["report.officer", "report.summary", "legal_ground"],
    }
}

async fn take_step(v: Viewer, registry: Arc<Registry>, id: uuid::Uuid, step: Step, body: Bytes) -> Response {
    let a = match load_appeal(&registry, id).await {
        Ok(a) => a,
        Err(p) => return error_page(&v, &p),
    };
    let mut form = Form::parse(&body);
    let rules = registry.jurisdiction().rules.clone();
    let again = |f: &Form, s: StatusCode| step_page(&v, &registry, &a, step, f, s, fields_of(&v, &registry, f, step));
    let command = command_of(&mut form, &rules, &a, step);
    let Some(command) = command.filter(|_| !form.has_errors()) else {
        form.require_texts(required_texts(step));
        return again(&form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    // Every act on an appeal comes back to the appeal's page; a crime report registered from it too.
    let recorded = record(&v, &registry, form, command, again).await;
    if step == Step::Report && recorded.status() == StatusCode::SEE_OTHER {
        return super::respond::see_other(&format!("/appeals/{id}"));
    }
    recorded
}

pub async fn extend_form(v: Viewer, State(r): Shared, PageId(id): PageId) -> Response {
    step_form(v, r, id, Step::Extend).await
}
pub async fn extend(v: Viewer, State(r): Shared, PageId(id): PageId, body: Bytes) -> Response {
    take_step(v, r, id, Step::Extend, body).await
}
pub async fn refer_form(v: Viewer, State(r): Shared, PageId(id): PageId) -> Response {
    step_form(v, r, id, Step::Refer).await
}
pub async fn refer(v: Viewer, State(r): Shared, PageId(id): PageId, body: Bytes) -> Response {
    take_step(v, r, id, Step::Refer, body).await
}
pub async fn answer_form(v: Viewer, State(r): Shared, PageId(id): PageId) -> Response {
    step_form(v, r, id, Step::Answer).await
}
pub async fn answer(v: Viewer, State(r): Shared, PageId(id): PageId, body: Bytes) -> Response {
    take_step(v, r, id, Step::Answer, body).await
}
pub async fn rate_form(v: Viewer, State(r): Shared, PageId(id): PageId) -> Response {
    step_form(v, r, id, Step::Rate).await
}
pub async fn rate(v: Viewer, State(r): Shared, PageId(id): PageId, body: Bytes) -> Response {
    take_step(v, r, id, Step::Rate, body).await
}
pub async fn report_form(v: Viewer, State(r): Shared, PageId(id): PageId) -> Response {
    step_form(v, r, id, Step::Report).await
}
pub async fn report(v: Viewer, State(r): Shared, PageId(id): PageId, body: Bytes) -> Response {
    take_step(v, r, id, Step::Report, body).await
}
