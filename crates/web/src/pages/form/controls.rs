//! The controls of a form, each with its label, help and errors, the error
//! summary that links to them, and the form element itself.

use super::{Form, LOCAL_MINUTES};
use crate::auth::CSRF_FIELD;
use crate::pages::viewer::Viewer;
use chrono::{DateTime, Utc};
use crimeboard_domain::rules::Rules;
use maud::{Markup, html};

/// The id of a control.
pub fn id_of(name: &str) -> String {
    let mut id = String::from("f-");
    id.extend(name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' }));
    id
}

/// One control: its name, label and optional help.
pub struct Field<'a> {
    name: &'a str,
    label: &'static str,
    help: Option<String>,
    required: bool,
    /// What the browser may fill in (`username`, `one-time-code`, ...); off unless said.
    autocomplete: &'static str,
}

pub fn field<'a>(name: &'a str, label: &'static str) -> Field<'a> {
    Field { name, label, help: None, required: false, autocomplete: "off" }
}

impl Field<'_> {
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn autocomplete(mut self, purpose: &'static str) -> Self {
        self.autocomplete = purpose;
        self
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    fn frame(&self, v: &Viewer, form: &Form, control: impl FnOnce(&str, Option<String>, bool) -> Markup) -> Markup {
        form.drawn.borrow_mut().insert(self.name.to_string(), self.label);
        let id = id_of(self.name);
        let errors = form.errors_at(self.name);
        let help_id = format!("{id}-help");
        let error_id = format!("{id}-error");
        let mut described = Vec::new();
        if self.help.is_some() {
            described.push(help_id.clone());
        }
        if !errors.is_empty() {
            described.push(error_id.clone());
        }
        let described = (!described.is_empty()).then(|| described.join(" "));
        html! {
            div.field.invalid[!errors.is_empty()] {
                label for=(id) {
                    (v.t(self.label))
                    @if self.required { " " span.req { (v.t("ui.form.required")) } }
                }
                @if let Some(help) = &self.help { p.help id=(help_id) { (help) } }
                @if !errors.is_empty() {
                    p.error id=(error_id) {
                        @for (i, e) in errors.iter().enumerate() {
                            @if i > 0 { " " }
                            (v.message(e))
                        }
                    }
                }
                (control(&id, described, !errors.is_empty()))
            }
        }
    }

    /// `<input>` of a type: text, date, datetime-local, number, search.
    pub fn input(&self, v: &Viewer, form: &Form, kind: &str) -> Markup {
        let value = form.get(self.name);
        let required = self.required;
        self.frame(v, form, |id, described, invalid| {
            html! {
                input type=(kind) id=(id) name=(self.name) value=(value) autocomplete=(self.autocomplete)
                    aria-describedby=[described] aria-invalid=[invalid.then_some("true")]
                    aria-required=[required.then_some("true")];
            }
        })
    }

    pub fn textarea(&self, v: &Viewer, form: &Form) -> Markup {
        let value = form.get(self.name);
        let required = self.required;
        self.frame(v, form, |id, described, invalid| {
            html! {
                textarea id=(id) name=(self.name) rows="4" aria-describedby=[described]
                    aria-invalid=[invalid.then_some("true")] aria-required=[required.then_some("true")] { (value) }
            }
        })
    }

    /// A drop-down list; `options` are (value, text), the first usually the empty choice.
    pub fn select(&self, v: &Viewer, form: &Form, options: &[(String, String)]) -> Markup {
        let chosen = form.get(self.name);
        let required = self.required;
        self.frame(v, form, |id, described, invalid| {
            html! {
                select id=(id) name=(self.name) aria-describedby=[described]
                    aria-invalid=[invalid.then_some("true")] aria-required=[required.then_some("true")] {
                    @for (value, text) in options {
                        option value=(value) selected[value == chosen] { (text) }
                    }
                }
            }
        })
    }

    /// A checkbox, checked when the form holds `name=value`.
    pub fn checkbox(&self, v: &Viewer, form: &Form, value: &str) -> Markup {
        form.drawn.borrow_mut().insert(self.name.to_string(), self.label);
        let id = id_of(self.name);
        let errors = form.errors_at(self.name);
        html! {
            div.field.check {
                input type="checkbox" id=(id) name=(self.name) value=(value) checked[form.is_checked(self.name, value)];
                label for=(id) { (v.t(self.label)) }
                @for e in errors { p.error { (v.message(e)) } }
            }
        }
    }
}

/// Radio buttons in a fieldset whose legend names the choice.
pub fn radios(v: &Viewer, form: &Form, name: &str, legend: &'static str, options: &[(&str, &'static str)]) -> Markup {
    form.drawn.borrow_mut().insert(name.to_string(), legend);
    let errors = form.errors_at(name);
    let chosen = form.get(name);
    let group = id_of(name);
    html! {
        fieldset id=(group) aria-describedby=[(!errors.is_empty()).then(|| format!("{group}-error"))] {
            legend { (v.t(legend)) }
            @if !errors.is_empty() {
                p.error id={ (group) "-error" } { @for e in &errors { (v.message(e)) " " } }
            }
            @for (value, label) in options {
                @let id = format!("{group}-{value}");
                div.field.check {
                    input type="radio" id=(id) name=(name) value=(value) checked[chosen == *value];
                    label for=(id) { (v.t(label)) }
                }
            }
        }
    }
}

/// Every problem at the top of the form, each linking to its control. Drawn
/// after the controls, so it knows which are on the page.
pub fn summary(v: &Viewer, form: &Form) -> Markup {
    if form.errors.is_empty() {
        return html! {};
    }
    let drawn = form.drawn.borrow();
    html! {
        div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
            h2 #error-summary-title { (v.t("ui.form.errors")) }
            ul {
                @for (control, e) in &form.errors {
                    li {
                        @match control.as_deref().and_then(|c| drawn.get(c).map(|label| (c, label))) {
                            Some((c, label)) => a href={ "#" (id_of(c)) } { (v.t(label)) ": " (v.message(e)) },
                            None => (v.message(e)),
                        }
                    }
                }
            }
        }
    }
}

/// The first value of each (value, key) option in the viewer's language.
pub fn options(v: &Viewer, empty: Option<&'static str>, items: &[(&str, &'static str)]) -> Vec<(String, String)> {
    empty
        .map(|k| (String::new(), v.t(k).to_string()))
        .into_iter()
        .chain(items.iter().map(|(value, key)| (value.to_string(), v.t(key).to_string())))
        .collect()
}

/// An instant as a `datetime-local` value in Baku's civil time.
pub fn local_value(rules: &Rules, at: DateTime<Utc>) -> String {
    rules.local_time(at).format(LOCAL_MINUTES).to_string()
}

/// A form that records an act: posted to `action`, checked on the server
/// only (the browser's own messages would not be in the user's language).
/// The one place a form is opened, so what every post must carry is added here.
pub fn post(v: &Viewer, action: &str, submit: &'static str, fields: Markup) -> Markup {
    html! {
        form method="post" action=(action) novalidate {
            (csrf(v))
            (fields)
            button type="submit" { (v.t(submit)) }
        }
    }
}

/// The session's CSRF token as a hidden field: the server refuses a post
/// made with the session cookie without it.
pub fn csrf(v: &Viewer) -> Markup {
    match v.csrf_token() {
        Some(token) => csrf_field(token),
        None => html! {},
    }
}

/// A hidden form field with a CSRF token.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(token); }
}

/// Who records the act (the signed-in user, shown, not typed) and on what
/// legal ground; and, when the registry asked for it (or it was typed), why
/// the act comes late: every form that records an act draws its envelope, so
/// each one asks the reason the same way.
pub fn envelope(v: &Viewer, form: &Form) -> Markup {
    let login = v.caller.as_ref().map_or("", |c| c.principal.login.as_str());
    html! {
        fieldset {
            legend { (v.t("ui.form.envelope")) }
            p { (v.t("ui.field.actor")) ": " strong { (login) } }
            (field("legal_ground", "ui.field.legal_ground").required().help(v.t("ui.help.legal_ground")).input(v, form, "text"))
        }
        (late_fields(v, form))
    }
}

/// Why an act comes late (a report registered past the rules' limit, an act
/// changing a published figure): a reason of the installation's list and
/// the circumstances, the envelope's `late`.
fn late_fields(v: &Viewer, form: &Form) -> Markup {
    if !form.asks_late() {
        return html! {};
    }
    let reasons = v.pack.rules.registration.as_ref().map(|g| g.late_reasons.as_slice()).unwrap_or_default();
    let mut choices = vec![(String::new(), v.t("ui.choose").to_string())];
    choices.extend(reasons.iter().map(|r| (r.code.clone(), v.name_of(&r.name).to_string())));
    html! {
        fieldset #late {
            legend { (v.t("ui.form.late_act")) }
            (field("late.reason", "ui.field.late_code").required().select(v, form, &choices))
            (field("late.text", "ui.field.late_text").required().textarea(v, form))
        }
    }
}

pub const CASE_ROLES: [(&str, &str); 3] =
    [("suspect", "ui.status.suspect"), ("accused", "ui.status.accused"), ("victim", "ui.status.victim")];

/// The controls of a person under `prefix`; with `roles`, the role is asked.
pub fn person_fields(v: &Viewer, form: &Form, prefix: &str, legend: &'static str, roles: bool) -> Markup {
    let name = |n: &str| format!("{prefix}.{n}");
    let sexes = options(v, Some("ui.choose"), &[("male", "ui.sex.male"), ("female", "ui.sex.female")]);
    let roles_options = options(v, Some("ui.choose"), &CASE_ROLES);
    html! {
        fieldset {
            legend { (v.t(legend)) }
            @if roles {
                (field(&name("role"), "ui.field.role").required().select(v, form, &roles_options))
            }
            (field(&name("full_name"), "ui.field.full_name").input(v, form, "text"))
            (field(&name("fin"), "ui.field.fin").help(v.t("ui.help.fin")).input(v, form, "text"))
            (field(&name("birth_date"), "ui.field.birth_date").input(v, form, "date"))
            (field(&name("sex"), "ui.field.sex").select(v, form, &sexes))
            @if roles {
                (field(&name("previously_convicted"), "ui.field.previously_convicted").checkbox(v, form, "true"))
            }
        }
    }
}
