//! Deadlines that change with the law, kept as effective-dated data: how many
//! days a check may take, which extensions exist and who grants them, which
//! days are holidays, and the civil time zone calendar days are counted in.

use crate::error::Violation;
use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The procedure a report follows, each with its own clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    /// Information about a crime (Code of Criminal Procedure): calendar days.
    CrimeReport,
    /// A citizen's appeal (Law on Citizens' Appeals): working days.
    CitizenAppeal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    Calendar,
    Working,
}

/// Who must agree before a deadline may be extended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Authority {
    UnitChief,
    Prosecutor,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Extension {
    /// Total days allowed from receipt once this extension is granted.
    pub total_days: u32,
    pub granted_by: Authority,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeadlineRule {
    pub procedure: Procedure,
    pub effective_from: NaiveDate,
    pub day_kind: DayKind,
    pub days: u32,
    #[serde(default)]
    pub extensions: Vec<Extension>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OffsetSpan {
    pub effective_from: NaiveDate,
    pub utc_offset_minutes: i32,
}

/// The longest deadline a rule may set, extensions included: ten years.
pub const MAX_DEADLINE_DAYS: u32 = 3653;

#[derive(Debug, Clone, Deserialize)]
struct RulesFile {
    version: String,
    time_zone: Vec<OffsetSpan>,
    deadline: Vec<DeadlineRule>,
    holidays: Vec<NaiveDate>,
    detention_max_hours: u32,
}

#[derive(Debug, Clone)]
pub struct Rules {
    pub version: String,
    time_zone: Vec<OffsetSpan>,
    deadlines: Vec<DeadlineRule>,
    holidays: BTreeSet<NaiveDate>,
    pub detention_max_hours: u32,
}

impl Rules {
    pub fn from_toml(text: &str) -> Result<Rules, String> {
        let mut f: RulesFile = toml::from_str(text).map_err(|e| e.to_string())?;
        if f.time_zone.is_empty() {
            return Err("time_zone: at least one span is needed".into());
        }
        // Offsets beyond a day cannot be applied, and past 14 hours no civil time lies.
        if let Some(s) = f.time_zone.iter().find(|s| s.utc_offset_minutes.abs() > 14 * 60) {
            return Err(format!("time_zone from {}: utc_offset_minutes is -840 to 840", s.effective_from));
        }
        f.time_zone.sort_by_key(|s| s.effective_from);
        f.deadline.sort_by_key(|d| d.effective_from);
        for d in &f.deadline {
            // A bound keeps every deadline a date (and a count of working days finite).
            if d.extensions.iter().map(|e| e.total_days).chain([d.days]).any(|n| n > MAX_DEADLINE_DAYS) {
                return Err(format!(
                    "deadline {:?} from {}: at most {MAX_DEADLINE_DAYS} days",
                    d.procedure, d.effective_from
                ));
            }
            if d.extensions.windows(2).any(|w| w[0].total_days >= w[1].total_days)
                || d.extensions.first().is_some_and(|e| e.total_days <= d.days)
            {
                return Err(format!("deadline {:?} from {}: extensions must grow", d.procedure, d.effective_from));
            }
        }
        Ok(Rules {
            version: f.version,
            time_zone: f.time_zone,
            deadlines: f.deadline,
            holidays: f.holidays.into_iter().collect(),
            detention_max_hours: f.detention_max_hours,
        })
    }

    fn offset_on(&self, day: NaiveDate) -> FixedOffset {
        let span = self.time_zone.iter().rev().find(|s| s.effective_from <= day).unwrap_or(&self.time_zone[0]);
        FixedOffset::east_opt(span.utc_offset_minutes * 60).expect("offset within a day")
    }

    /// The civil calendar day (Asia/Baku) on which an instant falls.
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        let guess = at.date_naive();
        at.with_timezone(&self.offset_on(guess)).date_naive()
    }

    /// The civil (Asia/Baku) date and time of an instant, as forms show it.
    pub fn local_time(&self, at: DateTime<Utc>) -> chrono::NaiveDateTime {
        at.with_timezone(&self.offset_on(at.date_naive())).naive_local()
    }

    /// The instant of a civil date and time, as forms take it.
    pub fn from_local(&self, local: chrono::NaiveDateTime) -> DateTime<Utc> {
        let offset = self.offset_on(local.date());
        offset.from_local_datetime(&local).unwrap().with_timezone(&Utc)
    }

    /// The first instant of a civil day, in UTC.
    pub fn start_of_day(&self, day: NaiveDate) -> DateTime<Utc> {
        let offset = self.offset_on(day);
        offset.from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap()).unwrap().with_timezone(&Utc)
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&day)
    }

    pub fn rule_for(&self, procedure: Procedure, day: NaiveDate) -> Option<&DeadlineRule> {
        self.deadlines.iter().rev().find(|d| d.procedure == procedure && d.effective_from <= day)
    }

    /// How many extensions the rule in force at receipt allows.
    pub fn extensions(&self, procedure: Procedure, received_at: DateTime<Utc>) -> &[Extension] {
        self.rule_for(procedure, self.local_date(received_at)).map(|r| r.extensions.as_slice()).unwrap_or(&[])
    }

    /// The instant a decision is due: the end of the last allowed civil day,
    /// counted from the day of receipt under the rule in force on that day,
    /// with `extensions_granted` extensions applied.
    pub fn deadline(
        &self,
        procedure: Procedure,
        received_at: DateTime<Utc>,
        extensions_granted: usize,
    ) -> Result<DateTime<Utc>, Violation> {
        let received = self.local_date(received_at);
        let rule = self
            .rule_for(procedure, received)
            .ok_or_else(|| Violation::new("received_at", "deadline.no_rule").with("date", received))?;
        let days = match extensions_granted {
            0 => rule.days,
            n => rule.extensions.get(n - 1).map(|e| e.total_days).ok_or_else(|| {
                Violation::new("extension", "deadline.no_further_extension").with("allowed", rule.extensions.len())
            })?,
        };
        let last_day = match rule.day_kind {
            DayKind::Calendar => received + Days::new(u64::from(days)),
            DayKind::Working => self.add_working_days(received, days),
        };
        Ok(self.start_of_day(last_day + Days::new(1)))
    }

    fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            day = day + Days::new(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules::from_toml(include_str!("../../../data/jurisdictions/azerbaijan/rules.toml")).unwrap()
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn calendar_deadline_counts_in_baku_time() {
        let r = rules();
        // 22:30 UTC on 31 Jan is 02:30 on 1 Feb in Baku: the clock starts on 1 Feb.
        let due = r.deadline(Procedure::CrimeReport, at("2024-01-31T22:30:00Z"), 0).unwrap();
        assert_eq!(due, at("2024-02-04T20:00:00Z"));
        let extended = r.deadline(Procedure::CrimeReport, at("2024-01-31T22:30:00Z"), 1).unwrap();
        assert_eq!(extended, at("2024-02-11T20:00:00Z"));
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        let r = rules();
        // Friday 15 March 2024; Novruz (20 to 24 March) and weekends are skipped.
        let due = r.deadline(Procedure::CitizenAppeal, at("2024-03-15T08:00:00Z"), 0).unwrap();
        // 18, 19 | 20-26 Mar holidays | 27-29 Mar, 1-5 Apr, 8, 9 | 10-12 Apr holidays | 15-17 Apr
        assert_eq!(r.local_date(due - chrono::Duration::seconds(1)), NaiveDate::from_ymd_opt(2024, 4, 17).unwrap());
    }

    #[test]
    fn offsets_and_deadlines_beyond_reason_are_refused() {
        // The deadline_rules fuzz target holds the loader to this: both loaded, then panicked when used.
        let text = include_str!("../../../data/jurisdictions/azerbaijan/rules.toml");
        let offset = text.replace("utc_offset_minutes = 240", "utc_offset_minutes = 100000");
        assert!(Rules::from_toml(&offset).unwrap_err().contains("utc_offset_minutes"));
        let days = text.replace("days = 3\n", "days = 4000000000\n");
        assert_ne!(days, text);
        assert!(Rules::from_toml(&days).unwrap_err().contains("at most 3653 days"));
    }

    #[test]
    fn no_extension_beyond_the_rule() {
        let r = rules();
        let err = r.deadline(Procedure::CrimeReport, at("2024-01-10T08:00:00Z"), 3).unwrap_err();
        assert_eq!(err.rule, "deadline.no_further_extension");
    }
}
