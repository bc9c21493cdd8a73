//! The administrator's pages: the users (add one and show its second factor
//! once, disable and enable, reset the second factor, issue and revoke API
//! tokens) and a search of the audit trail. Every change goes through the
//! accounts service, which writes its own line in the audit trail.

use super::form::{self, Form, field, options};
use super::format;
use super::layout::{page, page_with_status};
use super::paths::{AUDIT, USERS, link};
use super::respond::{error_page, see_other};
use super::viewer::Viewer;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use crimeboard_domain::access::{self, Action, Role};
use crimeboard_service::Registry;
use crimeboard_service::accounts::{AuthError, By, Enrolment, NewUser, User};
use crimeboard_service::audit::{AUDIT_PER_PAGE, AuditSearch};
use maud::{Markup, html};
use std::sync::Arc;

/// The roles an account may have: the public has none.
const ROLES: [(&str, &str); 7] = [
    ("administrator", "ui.role.administrator"),
    ("hq_analyst", "ui.role.hq_analyst"),
    ("unit_chief", "ui.role.unit_chief"),
    ("investigator", "ui.role.investigator"),
    ("duty_officer", "ui.role.duty_officer"),
    ("forensic_expert", "ui.role.forensic_expert"),
    ("press_officer", "ui.role.press_officer"),
];

/// Who makes the change: the caller, for the accounts service to authorize
/// (someone not signed in is refused there too).
fn acting(v: &Viewer, registry: &Registry) -> By {
    v.caller.as_ref().map_or_else(|| By::new(registry.anonymous(), "unknown"), |c| c.by())
}

/// A refusal of the accounts service: its rules go to the form, anything else is a problem.
fn problem(e: AuthError) -> Result<Vec<crimeboard_domain::Violation>, Problem> {
    match e {
        AuthError::Rejected(r) => Ok(r.0),
        AuthError::NoSuchUser => Err(Problem::not_found()),
        AuthError::Denied(d) => Err(crate::problem::denied(d)),
        other => Err(Problem::internal(format!("accounts: {other}"))),
    }
}

/// A login from an address: one that cannot be a login names nobody, and is not looked up.
fn is_login(login: &str) -> bool {
    (2..=64).contains(&login.len())
        && login.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
}

fn role_name(v: &Viewer, role: Role) -> String {
    format::label(v, "role", role.as_str())
}

pub async fn users(v: Viewer, State(registry): Shared) -> Response {
    users_page(&v, &registry, Form::default().with("role", "investigator"), StatusCode::OK).await
}

async fn users_page(v: &Viewer, registry: &Arc<Registry>, form: Form, status: StatusCode) -> Response {
    let list = match blocking(registry, |r| r.users().map_err(|e| Problem::internal(format!("users: {e}")))).await {
        Ok(l) => l,
        Err(p) => return error_page(v, &p),
    };
    let units = registry.units();
    let title = v.t("ui.admin.users");
    // The controls first: the summary links to the ones drawn.
    let fields = add_fields(v, registry, &form);
    let body = html! {
        h1 { (title) }
        div.table-wrap role="region" tabindex="0" aria-labelledby="users-caption" {
            table {
                caption #users-caption { (title) }
                thead { tr {
                    th scope="col" { (v.t("ui.field.login")) }
                    th scope="col" { (v.t("ui.field.display_name")) }
                    th scope="col" { (v.t("ui.col.role")) }
                    th scope="col" { (v.t("ui.col.unit")) }
                    th scope="col" { (v.t("ui.admin.second_factor")) }
                    th scope="col" { (v.t("ui.col.status")) }
                    th scope="col" { (v.t("ui.col.action")) }
                } }
                tbody { @for u in &list { (user_row(v, &units, u)) } }
            }
        }
        h2 #add { (v.t("ui.admin.add_user")) }
        (form::summary(v, &form))
        (form::post(v, USERS, "ui.admin.add_user", fields))
    };
    page_with_status(v, status, title, body)
}

fn user_row(v: &Viewer, units: &crimeboard_domain::units::UnitTree, u: &User) -> Markup {
    let base = format!("{USERS}/{}", super::paths::encode(&u.login));
    html! {
        tr {
            td { a href=(base) { (u.login) } }
            td { (u.display_name) }
            td { (role_name(v, u.role)) }
            td { (format::unit_name(v, units, &u.home_unit)) }
            td { (v.t(if u.totp_enrolled { "ui.yes" } else { "ui.no" })) }
            td { (v.t(if u.disabled { "ui.admin.disabled" } else { "ui.admin.enabled" })) }
            td {
                ul.inline-actions {
                    li { (form::post(v, &format!("{base}/{}", if u.disabled { "enable" } else { "disable" }),
                        if u.disabled { "ui.admin.enable" } else { "ui.admin.disable" }, html! {})) }
                    li { (form::post(v, &format!("{base}/totp"), "ui.admin.reset_totp", html! {})) }
                }
            }
        }
    }
}

fn add_fields(v: &Viewer, registry: &Registry, form: &Form) -> Markup {
    let units = registry.units();
    html! {
        (field("login", "ui.field.login").required().input(v, form, "text"))
        (field("display_name", "ui.field.display_name").required().input(v, form, "text"))
        (field("role", "ui.col.role").required().select(v, form, &options(v, None, &ROLES)))
        (field("home_unit", "ui.col.unit").required().select(v, form, &format::unit_options(v, &units, format::Blank::Choose)))
        (field("grants", "ui.field.grants").help(v.t("ui.help.grants")).input(v, form, "text"))
        (field("password", "ui.field.password").required().help(v.t("ui.help.password")).autocomplete("new-password").input(v, form, "password"))
    }
}

pub async fn add(v: Viewer, State(registry): Shared, body: Bytes) -> Response {
    let mut form = Form::parse(&body);
    form.reject_control_characters();
    let role = Role::parse(form.get("role")).filter(|r| r.is_staff());
    if role.is_none() {
        form.reject(crimeboard_domain::Violation::new("role", "text.required"));
    }
    let (Some(role), false) = (role, form.has_errors()) else {
        return users_page(&v, &registry, form.without("password"), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let new = NewUser {
        login: form.text("login"),
        display_name: form.text("display_name"),
        role,
        home_unit: form.text("home_unit"),
        grants: form.text("grants").split([',', ' ']).filter(|g| !g.is_empty()).map(String::from).collect(),
        password: form.get("password").to_string(),
    };
    let by = acting(&v, &registry);
    let login = new.login.clone();
    let made = blocking(&registry, move |r| {
        Ok(r.add_user(&new, &by).and_then(|_| r.reset_totp(&new.login, &by)).map_err(problem))
    })
    .await;
    match made {
        Ok(Ok(enrolment)) => enrolment_page(&v, &login, &enrolment),
        Ok(Err(Ok(violations))) => {
            let mut form = form.without("password");
            form.reject_all(violations);
            users_page(&v, &registry, form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Ok(Err(Err(p))) | Err(p) => error_page(&v, &p),
    }
}

/// The second factor's secret, shown this once for the user to enrol.
fn enrolment_page(v: &Viewer, login: &str, e: &Enrolment) -> Response {
    let title = v.fill("ui.admin.enrolment", &[("login", login)]);
    let body = html! {
        h1 { (title) }
        p { (v.t("ui.admin.enrolment_once")) }
        p { (v.t("auth.enrol.secret")) " " code.secret { (e.secret) } }
        (super::sign_in::qr_code(v, &e.uri))
        p { code.secret { (e.uri) } }
        @if !e.recovery_codes.is_empty() {
            p { (v.t("auth.enrol.codes")) }
            ol { @for c in &e.recovery_codes { li { code { (c) } } } }
        }
        p { a href=(USERS) { (v.t("ui.admin.users")) } }
    };
    page(v, &title, body)
}

pub async fn disable(v: Viewer, State(registry): Shared, Path(login): Path<String>) -> Response {
    set_disabled(v, registry, login, true).await
}

pub async fn enable(v: Viewer, State(registry): Shared, Path(login): Path<String>) -> Response {
    set_disabled(v, registry, login, false).await
}

async fn set_disabled(v: Viewer, registry: Arc<Registry>, login: String, disabled: bool) -> Response {
    if !is_login(&login) {
        return error_page(&v, &Problem::not_found());
    }
    let by = acting(&v, &registry);
    match blocking(&registry, move |r| Ok(r.set_disabled(&login, disabled, &by).map_err(problem))).await {
        Ok(Ok(())) => see_other(USERS),
        Ok(Err(Ok(v2))) => {
            error_page(&v, &Problem::new(StatusCode::UNPROCESSABLE_ENTITY, crate::problem::kind::VALIDATION, v2))
        }
        Ok(Err(Err(p))) | Err(p) => error_page(&v, &p),
    }
}

pub async fn reset_totp(v: Viewer, State(registry): Shared, Path(login): Path<String>) -> Response {
    if !is_login(&login) {
        return error_page(&v, &Problem::not_found());
    }
    let by = acting(&v, &registry);
    let who = login.clone();
    match blocking(&registry, move |r| Ok(r.reset_totp(&who, &by).map_err(problem))).await {
        Ok(Ok(e)) => enrolment_page(&v, &login, &e),
        Ok(Err(Ok(v2))) => {
            error_page(&v, &Problem::new(StatusCode::UNPROCESSABLE_ENTITY, crate::problem::kind::VALIDATION, v2))
        }
        Ok(Err(Err(p))) | Err(p) => error_page(&v, &p),
    }
}

/// One user's API tokens, and the form that issues one.
pub async fn user(v: Viewer, State(registry): Shared, Path(login): Path<String>) -> Response {
    token_page(&v, &registry, login, Form::default(), StatusCode::OK).await
}

async fn token_page(v: &Viewer, registry: &Arc<Registry>, login: String, form: Form, status: StatusCode) -> Response {
    if !is_login(&login) {
        return error_page(v, &Problem::not_found());
    }
    let who = login.clone();
    let loaded =
        blocking(registry, move |r| Ok(r.user(&who).and_then(|u| Ok((u, r.tokens(&who)?))).map_err(problem))).await;
    let (user, tokens) = match loaded {
        Ok(Ok(found)) => found,
        Ok(Err(Ok(_))) => return error_page(v, &Problem::not_found()),
        Ok(Err(Err(p))) | Err(p) => return error_page(v, &p),
    };
    let rules = &registry.jurisdiction().rules;
    let base = format!("{USERS}/{}", super::paths::encode(&user.login));
    let actions: Vec<Action> = Action::ALL.into_iter().filter(|a| access::allows(user.role, *a)).collect();
    let title = v.fill("ui.admin.tokens", &[("login", &user.login)]);
    let fields = html! {
        (field("name", "ui.field.token_name").required().input(v, &form, "text"))
        fieldset {
            legend { (v.t("ui.field.scope")) }
            @for a in &actions {
                (field("scope", label_of(*a)).checkbox(v, &form, a.as_str()))
            }
        }
    };
    let body = html! {
        h1 { (title) }
        p { a href=(USERS) { (v.t("ui.admin.users")) } }
        dl.facts {
            dt { (v.t("ui.col.role")) } dd { (role_name(v, user.role)) }
            dt { (v.t("ui.col.unit")) } dd { (user.home_unit) }
        }
        @if tokens.is_empty() {
            p { (v.t("ui.admin.no_tokens")) }
        } @else {
            ul {
                @for t in &tokens {
                    li {
                        (t.name) " — " (format::instant(v, rules, t.created_at))
                        @if let Some(at) = t.revoked_at { " — " (v.t("ui.admin.revoked")) " " (format::instant(v, rules, at)) }
                        @else { (form::post(v, &format!("{base}/tokens/{}/revoke", t.id), "ui.admin.revoke", html! {})) }
                    }
                }
            }
        }
        h2 { (v.t("ui.admin.new_token")) }
        (form::summary(v, &form))
        (form::post(v, &format!("{base}/tokens"), "ui.admin.new_token", fields))
    };
    page_with_status(v, status, &title, body)
}

/// An action's name for the token form: its key in the locale files.
fn label_of(a: Action) -> &'static str {
    match a {
        Action::ReadPublicFigures => "ui.action_name.read_public_figures",
        Action::ReadFigures => "ui.action_name.read_figures",
        Action::ExportFigures => "ui.action_name.export_figures",
        Action::PublishFigures => "ui.action_name.publish_figures",
        Action::ReadRecords => "ui.action_name.read_records",
        Action::ReadPersonalData => "ui.action_name.read_personal_data",
        Action::ExportRecords => "ui.action_name.export_records",
        Action::ReadJournal => "ui.action_name.read_journal",
        Action::RegisterReport => "ui.action_name.register_report",
        Action::DecideReport => "ui.action_name.decide_report",
        Action::WorkCase => "ui.action_name.work_case",
        Action::RecordAccident => "ui.action_name.record_accident",
        Action::RecordExamination => "ui.action_name.record_examination",
        Action::AnnulAct => "ui.action_name.annul_act",
        Action::VerifyChains => "ui.action_name.verify_chains",
        Action::AdministerUsers => "ui.action_name.administer_users",
        Action::ReadAudit => "ui.action_name.read_audit",
        Action::ManageUnits => "ui.action_name.manage_units",
        Action::ManageJurisdiction => "ui.action_name.manage_jurisdiction",
        Action::ManageMeetings => "ui.action_name.manage_meetings",
        Action::ReportOnTasks => "ui.action_name.report_on_tasks",
        Action::ControlTasks => "ui.action_name.control_tasks",
        Action::ReadTasks => "ui.action_name.read_tasks",
        Action::DraftReleases => "ui.action_name.draft_releases",
        Action::ApproveReleases => "ui.action_name.approve_releases",
        Action::ManageReceptions => "ui.action_name.manage_receptions",
        Action::BookReceptions => "ui.action_name.book_receptions",
        Action::HandleAppeals => "ui.action_name.handle_appeals",
        Action::ReadAppeals => "ui.action_name.read_appeals",
        Action::RecordIdentifiers => "ui.action_name.record_identifiers",
        Action::ReadSignals => "ui.action_name.read_signals",
        Action::AnalyseSeries => "ui.action_name.analyse_series",
        Action::SubmitOnline => "ui.action_name.submit_online",
        Action::ApproveCancellation => "ui.action_name.approve_cancellation",
        Action::DrawSample => "ui.action_name.draw_sample",
        Action::ReviewSample => "ui.action_name.review_sample",
        Action::ReadSamples => "ui.action_name.read_samples",
    }
}

pub async fn add_token(v: Viewer, State(registry): Shared, Path(login): Path<String>, body: Bytes) -> Response {
    let mut form = Form::parse(&body);
    form.reject_control_characters();
    if form.has_errors() || !is_login(&login) {
        return token_page(&v, &registry, login, form, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let scope: Vec<Action> = form.all("scope").into_iter().filter_map(Action::parse).collect();
    let (name, by, who) = (form.text("name"), acting(&v, &registry), login.clone());
    match blocking(&registry, move |r| Ok(r.create_token(&who, &name, &scope, &by).map_err(problem))).await {
        Ok(Ok((token, secret))) => {
            let title = v.fill("ui.admin.token_made", &[("name", &token.name)]);
            let body = html! {
                h1 { (title) }
                p { (v.t("ui.admin.token_once")) }
                p { code.secret { (secret) } }
                p { a href=(format!("{USERS}/{}", super::paths::encode(&login))) { (v.fill("ui.admin.tokens", &[("login", &login)])) } }
            };
            page(&v, &title, body)
        }
        Ok(Err(Ok(violations))) => {
            form.reject_all(violations);
            token_page(&v, &registry, login, form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Ok(Err(Err(p))) | Err(p) => error_page(&v, &p),
    }
}

pub async fn revoke_token(v: Viewer, State(registry): Shared, Path((login, id)): Path<(String, String)>) -> Response {
    let (Ok(id), true) = (uuid::Uuid::parse_str(&id), is_login(&login)) else {
        return error_page(&v, &Problem::not_found());
    };
    let (by, who) = (acting(&v, &registry), login.clone());
    match blocking(&registry, move |r| Ok(r.revoke_token(&who, id, &by).map_err(problem))).await {
        Ok(Ok(())) => see_other(&format!("{USERS}/{}", super::paths::encode(&login))),
        Ok(Err(Ok(v2))) => {
            error_page(&v, &Problem::new(StatusCode::UNPROCESSABLE_ENTITY, crate::problem::kind::VALIDATION, v2))
        }
        Ok(Err(Err(p))) | Err(p) => error_page(&v, &p),
    }
}

/// The audit trail, newest first, filtered by who, what, which target and when.
pub async fn audit(v: Viewer, State(registry): Shared, RawQuery(query): RawQuery) -> Response {
    let mut form = Form::parse(query.as_deref().unwrap_or("").as_bytes());
    form.reject_control_characters();
    let rules = registry.jurisdiction().rules.clone();
    let from = form.optional_date("from").map(|d| rules.start_of_day(d));
    let to = form.optional_date("to").and_then(|d| d.succ_opt()).map(|d| rules.start_of_day(d));
    let page_no = form.text("page").parse::<u64>().ok().filter(|p| *p >= 1).unwrap_or(1);
    let search = AuditSearch {
        actor: form.optional_text("actor"),
        action: form.optional_text("action"),
        target: form.optional_text("target"),
        from,
        to,
        page: page_no,
        per_page: AUDIT_PER_PAGE,
    };
    let found = if form.has_errors() {
        None
    } else {
        match blocking(&registry, move |r| {
            r.audit_search(&search).map_err(|e| Problem::internal(format!("audit search: {e}")))
        })
        .await
        {
            Ok(found) => Some(found),
            Err(p) => return error_page(&v, &p),
        }
    };
    let title = v.t("ui.admin.audit");
    let pairs: Vec<(&str, String)> =
        ["actor", "action", "target", "from", "to"].into_iter().map(|k| (k, form.get(k).to_string())).collect();
    let href = |page: u64| {
        let mut p: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let n = page.to_string();
        p.push(("page", &n));
        link(AUDIT, &p)
    };
    let body = html! {
        h1 { (title) }
        (form::summary(&v, &form))
        form.filters method="get" action=(AUDIT) {
            (field("actor", "ui.field.login").input(&v, &form, "text"))
            (field("action", "ui.field.audit_action").help(v.t("ui.help.audit_action")).input(&v, &form, "text"))
            (field("target", "ui.field.target").input(&v, &form, "text"))
            (field("from", "ui.field.from").input(&v, &form, "date"))
            (field("to", "ui.field.to").input(&v, &form, "date"))
            button type="submit" { (v.t("ui.action.filter")) }
        }
        @if let Some(found) = &found {
            @if found.items.is_empty() {
                p { (v.t("ui.list.empty")) }
            } @else {
                div.table-wrap role="region" tabindex="0" aria-labelledby="audit-caption" {
                    table {
                        caption #audit-caption { (title) }
                        thead { tr {
                            th scope="col" { (v.t("ui.col.when")) }
                            th scope="col" { (v.t("ui.field.login")) }
                            th scope="col" { (v.t("ui.col.address")) }
                            th scope="col" { (v.t("ui.field.audit_action")) }
                            th scope="col" { (v.t("ui.field.target")) }
                            th scope="col" { (v.t("ui.col.detail")) }
                        } }
                        tbody {
                            @for e in &found.items {
                                tr {
                                    td.nowrap { (format::instant(&v, &rules, e.at)) }
                                    td { (e.actor) }
                                    td { (e.address) }
                                    td { (e.action) }
                                    td { (e.target) }
                                    td { (e.detail) }
                                }
                            }
                        }
                    }
                }
            }
            nav aria-label=(v.t("ui.pager.label")) {
                ul.pager {
                    @if page_no > 1 { li { a href=(href(page_no - 1)) rel="prev" { "← " (v.t("ui.pager.prev")) } } }
                    li { (v.fill("ui.pager.page", &[("page", &format::integer(&v, page_no as i64))])) }
                    @if found.has_more { li { a href=(href(page_no + 1)) rel="next" { (v.t("ui.pager.next")) " →" } } }
                }
            }
        }
    };
    page(&v, title, body)
}
