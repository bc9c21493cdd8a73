//! HTML forms: what was typed, read into typed values with every problem
//! collected, the controls with their labels, help and errors, and the error
//! summary that links to them. Controls are named after the fields of the
//! domain's commands (`applicant.fin`), so a rule the registry reports lands
//! next to the control it is about. `controls` draws them.

mod controls;

pub use controls::*;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use crimeboard_domain::Violation;
use crimeboard_domain::rules::Rules;
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The HTML `datetime-local` format, minutes only.
pub const LOCAL_MINUTES: &str = "%Y-%m-%dT%H:%M";

#[derive(Debug, Default)]
pub struct Form {
    values: Vec<(String, String)>,
    pub(super) errors: Vec<(Option<String>, Violation)>,
    /// Fields of the domain named differently on this form (`amount_qepik` is typed as manats in `amount`).
    renames: Vec<(&'static str, &'static str)>,
    /// Lists typed as numbered rows (`agenda.2.topic`) with the row each item
    /// of the command came from: blank rows are left out of the command, so
    /// its `agenda[1]` may be the form's row 2.
    rows: Vec<(&'static str, Vec<usize>)>,
    /// Controls drawn so far with their label keys, so the summary links only to what is on the page.
    pub(super) drawn: RefCell<BTreeMap<String, &'static str>>,
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

    /// The form without a value that must never be sent back (a password).
    pub fn without(mut self, name: &str) -> Form {
        self.values.retain(|(k, _)| k != name);
        self
    }

    pub fn renamed(mut self, renames: &[(&'static str, &'static str)]) -> Form {
        self.renames = renames.to_vec();
        self
    }

    /// The list `list` is typed in numbered rows; `rows[i]` is the row of the command's item `i`.
    pub fn numbered(&mut self, list: &'static str, rows: Vec<usize>) {
        self.rows.retain(|(l, _)| *l != list);
        self.rows.push((list, rows));
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

    /// Refuses every value holding a control character (a NUL, a bell, ...):
    /// nobody types them, and a database may refuse to store them. Line
    /// breaks and tabs are text.
    pub fn reject_control_characters(&mut self) {
        let bad: Vec<String> = self
            .values
            .iter()
            .filter(|(_, v)| v.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')))
            .map(|(k, _)| k.clone())
            .collect();
        for name in bad {
            self.reject(Violation::new(&name, "form.control"));
        }
    }

    /// A broken rule, placed at the control its field is typed in.
    pub fn reject(&mut self, v: Violation) {
        let control = self.control_of(&v.field);
        self.errors.push((control, v));
    }

    /// When a form cannot become a command (a value could not be read), the
    /// registry's checks cannot run on it: the texts it requires are checked
    /// here by the same rule, so one answer names every missing field.
    pub fn require_texts(&mut self, names: &[&str]) {
        for name in names {
            if self.text(name).is_empty() && self.errors_at(name).is_empty() {
                self.reject(Violation::new(*name, "text.required"));
            }
        }
    }

    pub fn reject_all(&mut self, violations: Vec<Violation>) {
        violations.into_iter().for_each(|v| self.reject(v));
    }

    /// `persons[0].fin` is typed in `persons.fin`; a renamed field in its control.
    fn control_of(&self, field: &str) -> Option<String> {
        if field.is_empty() {
            return None;
        }
        if let Some(control) = self.row_control(field) {
            return Some(control);
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

    /// `agenda[1].units[0]` of a list typed in rows is in `agenda.<its row>.units`.
    fn row_control(&self, field: &str) -> Option<String> {
        let (list, rows) = self.rows.iter().find(|(list, _)| field.starts_with(&format!("{list}[")))?;
        let rest = &field[list.len() + 1..];
        let (index, rest) = rest.split_once(']')?;
        let row = rows.get(index.parse::<usize>().ok()?).copied()?;
        let rest: String =
            rest.split('[').map(|piece| piece.split_once(']').map_or(piece, |(_, after)| after)).collect();
        Some(format!("{list}.{row}{rest}"))
    }

    pub(super) fn errors_at(&self, control: &str) -> Vec<&Violation> {
        self.errors.iter().filter(|(c, _)| c.as_deref() == Some(control)).map(|(_, v)| v).collect()
    }

    // Reading typed values: each records the rule it breaks and gives None.

    /// The reason a late act is given (`late.reason`, `late.text`), when
    /// either was typed.
    pub fn late(&self) -> Option<crimeboard_domain::late::StatedReason> {
        let (reason, text) = (self.text("late.reason"), self.text("late.text"));
        (!reason.is_empty() || !text.is_empty()).then_some(crimeboard_domain::late::StatedReason { reason, text })
    }

    /// Whether the form asks why the act comes late: a reason was typed, or
    /// the registry asked for one.
    pub fn asks_late(&self) -> bool {
        let named = |c: &Option<String>| c.as_deref().is_some_and(|c| c == "late" || c.starts_with("late."));
        self.late().is_some() || self.errors.iter().any(|(c, _)| named(c))
    }

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
        let local = self.local_time(name, &typed)?;
        Some(rules.from_local(local))
    }

    /// A civil date and time typed and kept as typed (a release's
    /// publication); none when left blank.
    pub fn optional_local_time(&mut self, name: &str) -> Option<NaiveDateTime> {
        let typed = self.text(name);
        if typed.is_empty() { None } else { self.local_time(name, &typed) }
    }

    fn local_time(&mut self, name: &str, typed: &str) -> Option<NaiveDateTime> {
        let parsed = NaiveDateTime::parse_from_str(typed, LOCAL_MINUTES)
            .or_else(|_| NaiveDateTime::parse_from_str(typed, "%Y-%m-%dT%H:%M:%S"))
            .or_else(|_| NaiveDateTime::parse_from_str(typed, "%Y-%m-%d %H:%M"));
        match parsed {
            Ok(local) if (1900..=2999).contains(&chrono::Datelike::year(&local)) => Some(local),
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

    /// An amount of the pack's currency as typed ("1 234,50" or "1234.50"),
    /// in its minor units (`minor_units` decimal places).
    pub fn amount(&mut self, name: &str, minor_units: u8) -> Option<i64> {
        let typed: String = self.text(name).chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
        if typed.is_empty() {
            self.reject(Violation::new(name, "text.required"));
            return None;
        }
        let parsed = parse_amount(&typed, minor_units);
        if parsed.is_none() {
            self.reject(Violation::new(name, "form.money").with("decimals", minor_units));
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
fn parse_amount(typed: &str, minor_units: u8) -> Option<i64> {
    let places = usize::from(minor_units);
    let normal = typed.replace(',', ".");
    let (whole, fraction) = normal.split_once('.').unwrap_or((&normal, ""));
    if whole.is_empty() || fraction.len() > places || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) || (places == 0 && normal.contains('.')) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let minor: i64 = if places == 0 { 0 } else { format!("{fraction:0<places$}").parse().ok()? };
    whole.checked_mul(10i64.pow(u32::from(minor_units)))?.checked_add(minor)
}

impl Form {
    /// The legal ground typed; the actor is the signed-in user, never typed.
    pub fn legal_ground(&self) -> String {
        self.text("legal_ground")
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
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manats_become_qepik() {
        assert_eq!(parse_amount("1234", 2), Some(123_400));
        assert_eq!(parse_amount("1234,5", 2), Some(123_450));
        assert_eq!(parse_amount("0.07", 2), Some(7));
        assert_eq!(parse_amount("1.234", 2), None);
        assert_eq!(parse_amount("-5", 2), None);
        assert_eq!(parse_amount("abc", 2), None);
        assert_eq!(parse_amount("1.234", 3), Some(1_234));
        assert_eq!(parse_amount("1234", 0), Some(1_234));
        assert_eq!(parse_amount("12.5", 0), None);
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

    #[test]
    fn an_item_of_a_list_typed_in_rows_lands_in_its_row() {
        let mut f = Form::default();
        f.numbered("agenda", vec![0, 2]);
        f.reject(Violation::new("agenda[1].topic", "text.required"));
        f.reject(Violation::new("agenda[1].units[3]", "unit.unknown"));
        f.reject(Violation::new("agenda", "meeting.agenda_required"));
        assert_eq!(f.errors_at("agenda.2.topic").len(), 1);
        assert_eq!(f.errors_at("agenda.2.units").len(), 1);
        assert_eq!(f.errors_at("agenda").len(), 1);
    }
}
