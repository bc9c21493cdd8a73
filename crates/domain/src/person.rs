//! People in the registers: suspects and accused, victims, applicants.
//! Age-derived facts ("a minor at the time of the crime") are computed from
//! the date of birth, never typed.

use crate::error::Violation;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The personal identification number on an Azerbaijani ID card: seven
/// upper-case Latin letters and digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Fin(String);

impl Fin {
    pub fn parse(field: &str, s: &str) -> Result<Fin, Violation> {
        let upper = s.trim().to_ascii_uppercase();
        let ok = upper.len() == 7 && upper.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if ok { Ok(Fin(upper)) } else { Err(Violation::new(field, "fin.format")) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Fin {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Fin::parse("fin", &s).map_err(|_| "FIN: seven Latin letters and digits".to_string())
    }
}

impl From<Fin> for String {
    fn from(f: Fin) -> String {
        f.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PersonRole {
    Suspect,
    Accused,
    Victim,
    Applicant,
}

impl PersonRole {
    /// The role as stored and filtered by: its serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            PersonRole::Suspect => "suspect",
            PersonRole::Accused => "accused",
            PersonRole::Victim => "victim",
            PersonRole::Applicant => "applicant",
        }
    }

    pub fn is_offender(self) -> bool {
        matches!(self, PersonRole::Suspect | PersonRole::Accused)
    }
}

/// What is typed about a person when they enter a case or a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    pub role: PersonRole,
    pub full_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fin: Option<Fin>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "crate::iso8601::serialize_option_day")]
    pub birth_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub previously_convicted: bool,
}

/// A person as the registers hold them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub id: Uuid,
    pub input: PersonInput,
    /// Digital identifiers attached to the person by acts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<crate::identifier::Held>,
}

pub const MAJORITY_AGE: u32 = 18;

/// Whole years between birth and a day (the birthday itself counts).
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> Option<u32> {
    if day < birth {
        return None;
    }
    let mut years = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

impl Person {
    /// Whether the person was under 18 on the day of the crime; unknown
    /// without a date of birth.
    pub fn minor_on(&self, day: NaiveDate) -> Option<bool> {
        self.input.birth_date.and_then(|b| age_on(b, day)).map(|age| age < MAJORITY_AGE)
    }
}

impl PersonInput {
    pub fn check(&self, field: &str, today: NaiveDate, checks: &mut crate::error::Checks) {
        let name = self.full_name.trim();
        checks.check(!name.is_empty(), || Violation::new(format!("{field}.full_name"), "text.required"));
        checks.check(name.chars().count() <= 200, || {
            Violation::new(format!("{field}.full_name"), "text.too_long").with("max", 200)
        });
        if let Some(b) = self.birth_date {
            checks.check(b <= today, || Violation::new(format!("{field}.birth_date"), "date.in_future"));
            checks.check(b.year() >= 1900, || Violation::new(format!("{field}.birth_date"), "date.too_early"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn age_turns_on_the_birthday() {
        assert_eq!(age_on(d(2006, 3, 10), d(2024, 3, 9)), Some(17));
        assert_eq!(age_on(d(2006, 3, 10), d(2024, 3, 10)), Some(18));
        assert_eq!(age_on(d(2006, 3, 10), d(2005, 1, 1)), None);
    }

    #[test]
    fn fin_is_seven_letters_or_digits() {
        assert!(Fin::parse("fin", "5abc12d").is_ok());
        for bad in ["", "123456", "12345678", "12345-6", "ƏBC1234"] {
            assert_eq!(Fin::parse("fin", bad).unwrap_err().rule, "fin.format", "{bad}");
        }
    }
}
