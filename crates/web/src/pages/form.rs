//! HTML forms: what was typed, read into typed values with every problem
//! collected, the controls with their labels, help and errors, and the error
//! summary that links to them. Controls are named after the fields of the
//! domain's commands (`applicant.fin`), so a rule the registry reports lands
//! next to the control it is about.

use super::viewer::Viewer;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use crimeboard_domain::Violation;
use crimeboard_domain::rules::Rules;
use maud::{Markup, html};
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The HTML `datetime-local` format, minutes only.
pub const LOCAL_MINUTES: &str = "%Y-%m-%dT%H:%M";

#[derive(Debug, Default)]
pub struct Form {
    values: Vec<(String, String)>,
    errors: Vec<(Option<String>, Violation)>,
    /// Fields of the domain named differently on this form (`amount_qepik` is typed as manats in `amount`).
    renames: Vec<(&'static str, &'static str)>,
    /// Controls drawn so far with their label keys, so the summary links only to what is on the page.
    drawn: RefCell<BTreeMap<String, &'static str>>,
}

impl Form {
    /// A body of `application/x-www-form-urlencoded`.
    pub fn parse(body: &[u8]) -> Form {
        let values = form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        Form { values, ..Form::default() }
    }

    /// A value shown when the form is first opened.
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Form {
        self.values.retain(|(k, _)| k != name);
        self.values.push((name.to_string(), value.into()));
        self
    }

    pub fn renamed(mut self, renames: &[(&'static str, &'static str)]) -> Form {
        self.renames = renames.to_vec();
        self
    }

    pub fn get(&self, name: &str) -> &str {
        self.values.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.values.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    pub fn is_checked(&self, name: &str, value: &str) -> bool {
        self.all(name).contains(&value)
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// A broken rule, placed at the control its field is typed in.
    pub fn reject(&mut self, v: Violation) {
        let control = self.control_of(&v.field);
        self.errors.push((control, v));
    }

    pub fn reject_all(&mut self, violations: Vec<Violation>) {
        violations.into_iter().for_each(|v| self.reject(v));
    }

    /// `persons[0].fin` is typed in `persons.fin`; a renamed field in its control.
    fn control_of(&self, field: &str) -> Option<String> {
        if field.is_empty() {
            return None;
        }
        let mut plain = String::with_capacity(field.len());
        let mut in_index = false;
        for c in field.chars() {
            match c {
                '[' => in_index = true,
                ']' => in_index = false,
                c if !in_index => plain.push(c),
                _ => {}
            }
        }
        let renamed = self.renames.iter().find(|(from, _)| *from == plain).map(|(_, to)| to.to_string());
        Some(renamed.unwrap_or(plain))
    }

    fn errors_at(&self, control: &str) -> Vec<&Violation> {
        self.errors.iter().filter(|(c, _)| c.as_deref() == Some(control)).map(|(_, v)| v).collect()
    }

    // Reading typed values: each records the rule it breaks and gives None.

    /// Trimmed text; empty if not given.
    pub fn text(&self, name: &str) -> String {
        self.get(name).trim().to_string()
    }

    pub fn optional_text(&self, name: &str) -> Option<String> {
        Some(self.text(name)).filter(|t| !t.is_empty())
    }

    /// A date and time typed in Baku's civil time.
    pub fn instant(&mut self, name: &str, rules: &Rules) -> Option<DateTime<Utc>> {
        let typed = self.text(name);
        if typed.is_empty() {
            self.reject(Violation::new(name, "text.required"));
            return None;
        }
        let parsed = NaiveDateTime::parse_from_str(&typed, LOCAL_MINUTES)
            .or_else(|_| NaiveDateTime::parse_from_str(&typed, "%Y-%m-%dT%H:%M:%S"))
            .or_else(|_| NaiveDateTime::parse_from_str(&typed, "%Y-%m-%d %H:%M"));
        match parsed {
            Ok(local) if (1900..=2999).contains(&chrono::Datelike::year(&local)) => Some(rules.from_local(local)),
            _ => {
                self.reject(Violation::new(name, "form.datetime"));
                None
            }
        }
    }

    pub fn optional_date(&mut self, name: &str) -> Option<NaiveDate> {
        let typed = self.text(name);
        if typed.is_empty() {
            return None;
        }
        let parsed = NaiveDate::parse_from_str(&typed, "%Y-%m-%d").ok().filter(|d| chrono::Datelike::year(d) >= 1900);
        if parsed.is_none() {
            self.reject(Violation::new(name, "form.date"));
        }
        parsed
    }

    pub fn integer(&mut self, name: &str) -> Option<i64> {
        let typed: String = self.text(name).chars().filter(|c| !c.is_whitespace()).collect();
        if typed.is_empty() {
            self.reject(Violation::new(name, "text.required"));
            return None;
        }
        let parsed = typed.parse::<i64>().ok();
        if parsed.is_none() {
            self.reject(Violation::new(name, "form.number"));
        }
        parsed
    }

    /// Manats as typed ("1 234,50" or "1234.50") in qəpik.
    pub fn manats(&mut self, name: &str) -> Option<i64> {
        let typed: String = self.text(name).chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
        if typed.is_empty() {
            self.reject(Violation::new(name, "text.required"));
            return None;
        }
        let parsed = parse_manats(&typed);
        if parsed.is_none() {
            self.reject(Violation::new(name, "form.money"));
        }
        parsed
    }

    /// One of a closed set of values, named as the API names them.
    pub fn choice<T: DeserializeOwned>(&mut self, name: &str) -> Option<T> {
        let typed = self.text(name);
        if typed.is_empty() {
            self.reject(Violation::new(name, "text.required"));
            return None;
        }
        let parsed = serde_json::from_value(serde_json::Value::String(typed)).ok();
        if parsed.is_none() {
            self.reject(Violation::new(name, "form.choice"));
        }
        parsed
    }

    pub fn optional_choice<T: DeserializeOwned>(&mut self, name: &str) -> Option<T> {
        if self.text(name).is_empty() { None } else { self.choice(name) }
    }
}

/// "1234", "1234.5", "1234,50" in qəpik; at most two decimals.
fn parse_manats(typed: &str) -> Option<i64> {
    let normal = typed.replace(',', ".");
    let (whole, fraction) = normal.split_once('.').unwrap_or((&normal, ""));
    if whole.is_empty() || fraction.len() > 2 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let cents: i64 = format!("{fraction:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(cents)
}

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
}

pub fn field<'a>(name: &'a str, label: &'static str) -> Field<'a> {
    Field { name, label, help: None, required: false }
}

impl Field<'_> {
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
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
                input type=(kind) id=(id) name=(self.name) value=(value) autocomplete="off"
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manats_become_qepik() {
        assert_eq!(parse_manats("1234"), Some(123_400));
        assert_eq!(parse_manats("1234,5"), Some(123_450));
        assert_eq!(parse_manats("0.07"), Some(7));
        assert_eq!(parse_manats("1.234"), None);
        assert_eq!(parse_manats("-5"), None);
        assert_eq!(parse_manats("abc"), None);
    }

    #[test]
    fn indices_are_dropped_and_renames_applied() {
        let mut f = Form::default().renamed(&[("amount_qepik", "amount")]);
        f.reject(Violation::new("persons[0].fin", "fin.format"));
        f.reject(Violation::new("amount_qepik", "amount.not_positive"));
        f.reject(Violation::new("", "text.required"));
        assert_eq!(f.errors_at("persons.fin").len(), 1);
        assert_eq!(f.errors_at("amount").len(), 1);
    }
}

/// A form that records an act: posted to `action`, checked on the server
/// only (the browser's own messages would not be in the user's language).
/// The one place a form is opened, so what every post must carry is added here.
pub fn post(v: &Viewer, action: &str, submit: &'static str, fields: Markup) -> Markup {
    html! {
        form method="post" action=(action) novalidate {
            (fields)
            button type="submit" { (v.t(submit)) }
        }
    }
}

/// Who records the act and on what legal ground: asked on every form until
/// accounts name the officer.
pub fn envelope(v: &Viewer, form: &Form) -> Markup {
    html! {
        fieldset {
            legend { (v.t("ui.form.envelope")) }
            (field("actor", "ui.field.actor").required().help(v.t("ui.help.actor")).input(v, form, "text"))
            (field("legal_ground", "ui.field.legal_ground").required().help(v.t("ui.help.legal_ground")).input(v, form, "text"))
        }
    }
}

impl Form {
    pub fn envelope(&self) -> (String, String) {
        (self.text("actor"), self.text("legal_ground"))
    }

    /// A unit's code from a picker.
    pub fn unit(&mut self, name: &str) -> Option<crimeboard_domain::units::UnitCode> {
        let typed = self.text(name);
        if typed.is_empty() {
            self.reject(Violation::new(name, "text.required"));
            return None;
        }
        match crimeboard_domain::units::UnitCode::parse(&typed) {
            Ok(code) => Some(code),
            Err(v) => {
                self.reject(Violation { field: name.to_string(), ..v });
                None
            }
        }
    }

    /// A person typed in the controls under `prefix` (`applicant.full_name`, …);
    /// None when no name was typed. `role` fixes the role instead of asking it.
    pub fn person(
        &mut self,
        prefix: &str,
        role: Option<crimeboard_domain::person::PersonRole>,
    ) -> Option<crimeboard_domain::person::PersonInput> {
        let name = |n: &str| format!("{prefix}.{n}");
        let full_name = self.text(&name("full_name"));
        if full_name.is_empty() {
            return None;
        }
        let role = match role {
            Some(r) => Some(r),
            None => self.choice(&name("role")),
        };
        let fin = match self.optional_text(&name("fin")) {
            Some(typed) => match crimeboard_domain::person::Fin::parse(&name("fin"), &typed) {
                Ok(fin) => Some(fin),
                Err(v) => {
                    self.reject(v);
                    None
                }
            },
            None => None,
        };
        let birth_date = self.optional_date(&name("birth_date"));
        let sex = self.optional_choice(&name("sex"));
        let previously_convicted = self.is_checked(&name("previously_convicted"), "true");
        Some(crimeboard_domain::person::PersonInput {
            role: role?,
            full_name,
            fin,
            birth_date,
            sex,
            previously_convicted,
        })
    }
}

/// The roles a person of a case may have.
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
