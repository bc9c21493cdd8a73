//! Criminal cases: opening one, adding a person, recording damage and
//! reimbursements, procedural decisions and reclassification.

use super::form::{self, Form, field, local_value, options};
use super::format;
use super::layout::page_with_status;
use super::reports::{by_number, record};
use super::respond::{PageId, error_page};
use super::viewer::{Viewer, query_value};
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use crimeboard_domain::act::Entity;
use crimeboard_domain::case::*;
use crimeboard_domain::catalogue::ArticleRef;
use crimeboard_domain::person::PersonRole;
use crimeboard_domain::{Command, EntityKind, Violation};
use crimeboard_service::Registry;
use maud::{Markup, html};
use std::sync::Arc;

/// The flags the Board counts with their labels, in `CaseFlags::NAMES` order
/// (the case form's checkboxes, the case list's filter).
pub(super) const FLAGS: [(&str, &str); 6] = [
    ("it_enabled", "ui.flag.it_enabled"),
    ("group", "ui.flag.group"),
    ("family_conflict", "ui.flag.family_conflict"),
    ("public_place", "ui.flag.public_place"),
    ("intoxication", "ui.flag.intoxication"),
    ("non_obvious", "ui.flag.non_obvious"),
];

/// The case a form is about, for its title, its back link and its victims.
pub(super) async fn load_case(registry: &Arc<Registry>, id: uuid::Uuid) -> Result<CriminalCase, Problem> {
    blocking(registry, move |r| match r.entity(id).map_err(Problem::from_service)? {
        Entity::Case(c) => Ok(c),
        _ => Err(Problem::not_found()),
    })
    .await
}

/// A form page about a case: heading, back link, summary, the form.
pub(super) fn case_form_page(
    v: &Viewer,
    c: &CriminalCase,
    title_key: &'static str,
    action: &str,
    form: &Form,
    fields: Markup,
    status: StatusCode,
) -> Response {
    let title = format!("{} — {}", v.t(title_key), c.number);
    let body = html! {
        h1 { (title) }
        p { a href={ "/cases/" (c.id) } { (v.t("ui.form.back_to_case")) } }
        (form::summary(v, form))
        (form::post(v, &format!("/cases/{}/{action}", c.id), "ui.action.save", fields))
    };
    page_with_status(v, status, &title, body)
}

/// Articles typed as "177.2.1, 178"; a malformed one is named.
fn articles(form: &mut Form, name: &str) -> Vec<ArticleRef> {
    let typed = form.text(name);
    let mut out = Vec::new();
    for part in typed.split([',', ';', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
        match ArticleRef::parse(part) {
            Some(a) => out.push(a),
            None => form.reject(Violation::new(name, "article.format").with("article", part)),
        }
    }
    out
}

// Opening a case.

pub async fn open_form(v: Viewer, State(registry): Shared, RawQuery(query): RawQuery) -> Response {
    let rules = registry.jurisdiction().rules.clone();
    let now = local_value(&rules, registry.now());
    let mut form = Form::default()
        .with("registered_at", now)
        .with("unit", v.unit.clone().unwrap_or_default())
        .with("agency", "mia");
    if let Some(report) = query_value(query.as_deref(), "report").and_then(|r| uuid::Uuid::parse_str(&r).ok()) {
        match blocking(&registry, move |r| r.get(report).map_err(Problem::from_service)).await {
            Ok(rec) if rec.kind == EntityKind::Report => {
                form = form.with("report_numbers", rec.number).with("unit", rec.unit);
            }
            Ok(_) => {}
            Err(p) => return error_page(&v, &p),
        }
    }
    open_page(&v, &registry, &form, StatusCode::OK)
}

fn open_page(v: &Viewer, registry: &Registry, form: &Form, status: StatusCode) -> Response {
    let units = registry.units();
    let agencies = options(v, None, &[("mia", "ui.agency.mia"), ("prosecutor", "ui.agency.prosecutor")]);
    let fields = html! {
        (field("report_numbers", "ui.field.report_numbers").help(v.t("ui.help.report_numbers")).input(v, form, "text"))
        (field("detected_by_police", "ui.field.detected_by_police").checkbox(v, form, "true"))
        (field("unit", "ui.field.unit").required().select(v, form, &format::unit_options(v, &units, format::Blank::Choose)))
        (field("agency", "ui.field.agency").required().select(v, form, &agencies))
        (field("articles", "ui.field.articles").required().help(v.t("ui.help.articles")).input(v, form, "text"))
        (field("occurred_at", "ui.field.occurred_at").required().help(v.t("ui.help.local_time")).input(v, form, "datetime-local"))
        (field("registered_at", "ui.field.registered_at").required().help(v.t("ui.help.local_time")).input(v, form, "datetime-local"))
        (field("place.address", "ui.field.place.address").input(v, form, "text"))
        fieldset {
            legend { (v.t("ui.record.flags")) }
            @for (name, key) in FLAGS {
                (field(&format!("flags.{name}"), key).checkbox(v, form, "true"))
            }
        }
        (field("description", "ui.field.description").textarea(v, form))
        (form::person_fields(v, form, "persons", "ui.form.first_person", true))
        (field("late_reason", "ui.field.late_reason").help(v.t("ui.help.late_reason")).textarea(v, form))
        (form::envelope(v, form))
    };
    let title = v.t("ui.form.open_case");
    let body = html! {
        h1 { (title) }
        (form::summary(v, form))
        (form::post(v, "/cases/new", "ui.action.open_case", fields))
    };
    page_with_status(v, status, title, body)
}

pub async fn open(v: Viewer, State(registry): Shared, body: Bytes) -> Response {
    let mut form = Form::parse(&body).renamed(&[("report_ids", "report_numbers")]);
    let rules = registry.jurisdiction().rules.clone();
    let mut report_ids = Vec::new();
    let numbers = form.text("report_numbers").to_uppercase();
    for number in numbers.split([',', ';', ' ']).map(str::trim).filter(|n| !n.is_empty()) {
        match by_number(&registry, EntityKind::Report, number.to_string()).await {
            Ok(Some(id)) => report_ids.push(id),
            Ok(None) => form.reject(Violation::new("report_numbers", "reference.not_found").with("id", number)),
            Err(p) => return error_page(&v, &p),
        }
    }
    let unit = form.unit("unit");
    let agency = form.choice("agency");
    let articles = articles(&mut form, "articles");
    let occurred_at = form.instant("occurred_at", &rules);
    let registered_at = form.instant("registered_at", &rules);
    let person = form.person("persons", None);
    let flags = {
        let flag = |name: &str| form.is_checked(&format!("flags.{name}"), "true");
        CaseFlags {
            it_enabled: flag("it_enabled"),
            group: flag("group"),
            family_conflict: flag("family_conflict"),
            public_place: flag("public_place"),
            intoxication: flag("intoxication"),
            non_obvious: flag("non_obvious"),
            minor: None,
        }
    };
    let (Some(unit), Some(agency), Some(occurred_at), Some(registered_at), false) =
        (unit, agency, occurred_at, registered_at, form.has_errors())
    else {
        form.require_texts(&["articles", "legal_ground"]);
        return open_page(&v, &registry, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::OpenCase(NewCase {
        unit,
        agency,
        report_ids,
        detected_by_police: form.is_checked("detected_by_police", "true"),
        articles,
        occurred_at,
        registered_at,
        place: Place { address: form.text("place.address"), latitude: None, longitude: None },
        flags,
        description: form.text("description"),
        persons: person.into_iter().collect(),
        late_reason: form.optional_text("late_reason"),
        category: None,
        source: None,
    });
    record(&v, &registry, form, command, |f, s| open_page(&v, &registry, f, s)).await
}

// Adding a person.

pub async fn person_form(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    match load_case(&registry, id).await {
        Ok(c) => person_page(&v, &c, &Form::default(), StatusCode::OK),
        Err(p) => error_page(&v, &p),
    }
}

fn person_page(v: &Viewer, c: &CriminalCase, form: &Form, status: StatusCode) -> Response {
    let fields = html! {
        (form::person_fields(v, form, "person", "ui.form.person", true))
        (form::envelope(v, form))
    };
    case_form_page(v, c, "ui.form.add_person", "persons/new", form, fields, status)
}

pub async fn add_person(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let c = match load_case(&registry, id).await {
        Ok(c) => c,
        Err(p) => return error_page(&v, &p),
    };
    let mut form = Form::parse(&body);
    let person = form.person("person", None);
    let (Some(person), false) = (person, form.has_errors()) else {
        // A person without a name is not read at all: their role is asked for with the name.
        form.require_texts(&["person.role", "person.full_name", "legal_ground"]);
        return person_page(&v, &c, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::AddPerson(AddPerson { case_id: id, person });
    record(&v, &registry, form, command, |f, s| person_page(&v, &c, f, s)).await
}

// Damage and reimbursement.

pub async fn money_form(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let now = local_value(&registry.jurisdiction().rules, registry.now());
    match load_case(&registry, id).await {
        Ok(c) => money_page(&v, &c, &Form::default().with("at", now).with("kind", "damage"), StatusCode::OK),
        Err(p) => error_page(&v, &p),
    }
}

fn money_page(v: &Viewer, c: &CriminalCase, form: &Form, status: StatusCode) -> Response {
    let victims: Vec<(String, String)> = std::iter::once((String::new(), v.t("ui.money.no_victim").to_string()))
        .chain(
            c.persons
                .iter()
                .filter(|p| p.input.role == PersonRole::Victim)
                .map(|p| (p.id.to_string(), p.input.full_name.clone())),
        )
        .collect();
    let kinds = [("damage", "ui.money.damage"), ("reimbursement", "ui.money.reimbursement")];
    let fields = html! {
        (form::radios(v, form, "kind", "ui.field.money_kind", &kinds))
        (field("amount", "ui.field.amount").required().help(amount_help(v)).input(v, form, "text"))
        (field("victim_id", "ui.field.victim").help(v.t("ui.help.victim")).select(v, form, &victims))
        (field("at", "ui.field.money_at").required().help(v.t("ui.help.local_time")).input(v, form, "datetime-local"))
        (form::envelope(v, form))
    };
    case_form_page(v, c, "ui.form.money", "money", form, fields, status)
}

/// What the amount is typed in: the pack's currency and its decimal places.
fn amount_help(v: &Viewer) -> String {
    let currency = &v.pack.currency;
    let unit = format::names(v, &currency.unit);
    let decimals = currency.minor_units.to_string();
    v.fill("ui.help.amount", &[("currency", unit), ("symbol", &currency.symbol), ("decimals", &decimals)])
}

pub async fn money(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let c = match load_case(&registry, id).await {
        Ok(c) => c,
        Err(p) => return error_page(&v, &p),
    };
    let mut form =
        Form::parse(&body).renamed(&[("amount_qepik", "amount"), ("assessed_at", "at"), ("reimbursed_at", "at")]);
    let rules = registry.jurisdiction().rules.clone();
    let amount = form.amount("amount", v.pack.currency.minor_units);
    let at = form.instant("at", &rules);
    let victim_id = form.optional_text("victim_id").and_then(|t| uuid::Uuid::parse_str(&t).ok());
    let kind = form.text("kind");
    if kind != "damage" && kind != "reimbursement" {
        form.reject(Violation::new("kind", "text.required"));
    }
    let (Some(amount_qepik), Some(at), false) = (amount, at, form.has_errors()) else {
        form.require_texts(&["legal_ground"]);
        return money_page(&v, &c, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = if kind == "damage" {
        Command::RecordDamage(RecordDamage { case_id: id, amount_qepik, victim_id, assessed_at: at })
    } else {
        Command::Reimburse(Reimburse { case_id: id, amount_qepik, reimbursed_at: at })
    };
    record(&v, &registry, form, command, |f, s| money_page(&v, &c, f, s)).await
}

// Procedural decisions.

const DECISIONS: [(&str, &str); 5] = [
    ("solved", "ui.decision.solved"),
    ("suspended", "ui.decision.suspended"),
    ("resumed", "ui.decision.resumed"),
    ("terminated", "ui.decision.terminated"),
    ("sent_to_court", "ui.decision.sent_to_court"),
];

const METHODS: [(&str, &str); 8] = [
    ("fingerprints", "ui.exam_kind.fingerprints"),
    ("dna", "ui.exam_kind.dna"),
    ("ballistics", "ui.exam_kind.ballistics"),
    ("digital", "ui.exam_kind.digital"),
    ("handwriting", "ui.exam_kind.handwriting"),
    ("narcotics_chemistry", "ui.exam_kind.narcotics_chemistry"),
    ("traces", "ui.exam_kind.traces"),
    ("video", "ui.exam_kind.video"),
];

pub async fn decide_form(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let now = local_value(&registry.jurisdiction().rules, registry.now());
    match load_case(&registry, id).await {
        Ok(c) => decide_page(&v, &c, &Form::default().with("decided_at", now), StatusCode::OK),
        Err(p) => error_page(&v, &p),
    }
}

fn decide_page(v: &Viewer, c: &CriminalCase, form: &Form, status: StatusCode) -> Response {
    let fields = html! {
        p { (v.t("ui.col.status")) ": " (format::enum_label(v, "status", &c.status)) }
        (form::radios(v, form, "decision.kind", "ui.field.decision", &DECISIONS))
        (field("decided_at", "ui.field.decided_at").required().help(v.t("ui.help.local_time")).input(v, form, "datetime-local"))
        (field("decision.how", "ui.field.how").help(v.t("ui.help.how")).textarea(v, form))
        fieldset {
            legend { (v.t("ui.field.forensic_methods")) }
            @for (value, key) in METHODS {
                @let id = format!("f-decision-forensic_methods-{value}");
                div.field.check {
                    input type="checkbox" id=(id) name="decision.forensic_methods" value=(value)
                        checked[form.is_checked("decision.forensic_methods", value)];
                    label for=(id) { (v.t(key)) }
                }
            }
        }
        (field("decision.ground", "ui.field.termination_ground").help(v.t("ui.help.termination_ground")).input(v, form, "text"))
        (form::envelope(v, form))
    };
    case_form_page(v, c, "ui.form.case_decision", "decide", form, fields, status)
}

pub async fn decide(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let c = match load_case(&registry, id).await {
        Ok(c) => c,
        Err(p) => return error_page(&v, &p),
    };
    let mut form = Form::parse(&body).renamed(&[("decision", "decision.kind")]);
    let rules = registry.jurisdiction().rules.clone();
    let decided_at = form.instant("decided_at", &rules);
    let methods: Vec<ForensicMethod> = form
        .all("decision.forensic_methods")
        .into_iter()
        .filter_map(|m| serde_json::from_value(serde_json::Value::String(m.to_string())).ok())
        .collect();
    let decision = match form.get("decision.kind") {
        "solved" => Some(Procedural::Solved { how: form.text("decision.how"), forensic_methods: methods }),
        "suspended" => Some(Procedural::Suspended),
        "resumed" => Some(Procedural::Resumed),
        "terminated" => Some(Procedural::Terminated { ground: form.text("decision.ground") }),
        "sent_to_court" => Some(Procedural::SentToCourt),
        _ => {
            form.reject(Violation::new("decision.kind", "text.required"));
            None
        }
    };
    let (Some(decided_at), Some(decision), false) = (decided_at, decision, form.has_errors()) else {
        let decision_text: &[&str] = match form.get("decision.kind") {
            "solved" => &["decision.how"],
            "terminated" => &["decision.ground"],
            _ => &[],
        };
        form.require_texts(&[decision_text, &["legal_ground"]].concat());
        return decide_page(&v, &c, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::DecideCase(CaseDecision { case_id: id, decided_at, decision });
    record(&v, &registry, form, command, |f, s| decide_page(&v, &c, f, s)).await
}

// Reclassification.

pub async fn reclassify_form(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let now = local_value(&registry.jurisdiction().rules, registry.now());
    match load_case(&registry, id).await {
        Ok(c) => {
            let current: Vec<String> = c.articles.iter().map(ToString::to_string).collect();
            let form = Form::default().with("decided_at", now).with("articles", current.join(", "));
            reclassify_page(&v, &c, &form, StatusCode::OK)
        }
        Err(p) => error_page(&v, &p),
    }
}

fn reclassify_page(v: &Viewer, c: &CriminalCase, form: &Form, status: StatusCode) -> Response {
    let current: Vec<String> = c.articles.iter().map(ToString::to_string).collect();
    let fields = html! {
        p { (v.t("ui.form.current_articles")) ": " (current.join(", ")) }
        (field("articles", "ui.field.new_articles").required().help(v.t("ui.help.articles")).input(v, form, "text"))
        (field("reason", "ui.field.reason").required().textarea(v, form))
        (field("decided_at", "ui.field.decided_at").required().help(v.t("ui.help.local_time")).input(v, form, "datetime-local"))
        (form::envelope(v, form))
    };
    case_form_page(v, c, "ui.form.reclassify", "reclassify", form, fields, status)
}

pub async fn reclassify(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let c = match load_case(&registry, id).await {
        Ok(c) => c,
        Err(p) => return error_page(&v, &p),
    };
    let mut form = Form::parse(&body);
    let rules = registry.jurisdiction().rules.clone();
    let articles = articles(&mut form, "articles");
    let decided_at = form.instant("decided_at", &rules);
    let (Some(decided_at), false) = (decided_at, form.has_errors()) else {
        form.require_texts(&["articles", "reason", "legal_ground"]);
        return reclassify_page(&v, &c, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::Reclassify(Reclassify { case_id: id, articles, reason: form.text("reason"), decided_at });
    record(&v, &registry, form, command, |f, s| reclassify_page(&v, &c, f, s)).await
}
