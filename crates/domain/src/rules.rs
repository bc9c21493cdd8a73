//! Deadlines that change with the law, kept as effective-dated data: how many
//! days a check may take, which extensions exist and who grants them, which
//! days are holidays, and the civil time zone calendar days are counted in.
//!
//! The civil zone is named as in the IANA time zone database (`Asia/Baku`),
//! whose history of offsets and daylight-saving transitions is compiled in, so
//! the same instant falls on the same day on every machine. A local date and
//! time that a transition makes ambiguous or skips is read by one rule, the
//! "compatible" rule of RFC 9557 and Temporal ([`CivilZone::instant`]):
//!
//! - ambiguous (clocks go back and the hour happens twice): the earlier instant;
//! - non-existent (clocks go forward over it): moved forward by the length of
//!   the gap, so 02:30 in a gap from 02:00 to 03:00 is 03:30 after it.
//!
//! The start of a day whose midnight is skipped is the first instant of that
//! day (01:00 on 10 March 2024 in America/Havana).

use crate::error::Violation;
use crate::units::Names;
use chrono::offset::LocalResult;
use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
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

/// The clock of a citizen's appeal (Law on Citizens' Appeals), in force from
/// `effective_from` for appeals received on or after it: the answer is due
/// `answer_days` after receipt, `checking_days` where more checking is
/// needed; one extension (`max_extensions`) adds at most `max_extension_days`
/// to the deadline in force; an appeal for another body is passed to it
/// within `referral_days`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppealDeadlineRule {
    pub effective_from: NaiveDate,
    pub day_kind: DayKind,
    pub answer_days: u32,
    pub checking_days: u32,
    pub max_extensions: u32,
    pub max_extension_days: u32,
    pub referral_days: u32,
    pub source: String,
}

impl AppealDeadlineRule {
    /// A rule whose numbers keep every deadline a date and its clock
    /// consistent: Err names what is wrong.
    fn check(&self) -> Result<(), String> {
        let at = format!("appeal_deadline from {}", self.effective_from);
        let days = [self.answer_days, self.checking_days, self.max_extension_days, self.referral_days];
        if days.iter().any(|d| *d > MAX_DEADLINE_DAYS)
            || self.checking_days + self.max_extension_days > MAX_DEADLINE_DAYS
        {
            return Err(format!("{at}: at most {MAX_DEADLINE_DAYS} days"));
        }
        if self.answer_days == 0 || self.referral_days == 0 {
            return Err(format!("{at}: answer_days and referral_days are at least 1"));
        }
        if self.checking_days < self.answer_days {
            return Err(format!("{at}: checking_days is at least answer_days"));
        }
        Ok(())
    }
}

/// A civil time zone of the IANA database, with its transitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CivilZone(Tz);

impl CivilZone {
    /// The zone of an IANA name (`Area/City`, as the database spells it);
    /// Err says what was expected.
    pub fn parse(name: &str) -> Result<CivilZone, String> {
        name.parse::<Tz>().map(CivilZone).map_err(|_| {
            format!("{name:?} is not a time zone of the IANA database: write Area/City, e.g. \"Asia/Baku\"")
        })
    }

    /// The zone's IANA name.
    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The local date and time of an instant.
    pub fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.0).naive_local()
    }

    /// The instant a local date and time names, by the compatible rule (module
    /// doc): the earlier of two, and a time in a gap moved forward by the gap.
    pub fn instant(&self, local: NaiveDateTime) -> DateTime<Utc> {
        match self.0.from_local_datetime(&local) {
            LocalResult::Single(t) => t.with_timezone(&Utc),
            LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
            // Read with the offset in force before the gap, the wall clock
            // lands as far past the gap's end as it was past its start.
            LocalResult::None => (local - self.offset_before_gap(local)).and_utc(),
        }
    }

    /// The first instant of a civil day: its midnight, or, when a transition
    /// skips the midnight, the transition itself.
    pub fn start_of_day(&self, day: NaiveDate) -> DateTime<Utc> {
        let midnight = day.and_time(chrono::NaiveTime::MIN);
        match self.0.from_local_datetime(&midnight) {
            LocalResult::Single(t) => t.with_timezone(&Utc),
            LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
            LocalResult::None => self.first_instant_on(day, self.instant(midnight)),
        }
    }

    /// The offset in force a day before a local time, as UTC: the offset
    /// before a gap (no zone has two transitions within a day).
    fn offset_before_gap(&self, local: NaiveDateTime) -> Duration {
        let before = local.checked_sub_signed(Duration::days(1)).unwrap_or(local);
        Duration::seconds(i64::from(self.0.offset_from_utc_datetime(&before).fix().local_minus_utc()))
    }

    /// The earliest instant at or before `upper` that falls on `day`, found by
    /// halving the day before it, second by second: every instant of that span
    /// before the transition falls on the day before, and every one after it on `day`.
    fn first_instant_on(&self, day: NaiveDate, upper: DateTime<Utc>) -> DateTime<Utc> {
        let on_day = |seconds_before: i64| {
            (upper - Duration::seconds(seconds_before)).with_timezone(&self.0).date_naive() >= day
        };
        // on_day(near) holds, on_day(far) does not.
        let (mut near, mut far) = (0, 86_400);
        while far - near > 1 {
            let mid = (near + far) / 2;
            if on_day(mid) { near = mid } else { far = mid }
        }
        upper - Duration::seconds(near)
    }
}

/// The longest deadline a rule may set, extensions included: ten years.
pub const MAX_DEADLINE_DAYS: u32 = 3653;

#[derive(Debug, Clone, Deserialize)]
struct RulesFile {
    version: String,
    /// An IANA name; a table or array here is the old form of offset spans.
    time_zone: toml::Value,
    deadline: Vec<DeadlineRule>,
    /// A pack without it registers no appeals (`appeal.no_rule`).
    #[serde(default)]
    appeal_deadline: Vec<AppealDeadlineRule>,
    holidays: Vec<NaiveDate>,
    detention_max_hours: u32,
    #[serde(default)]
    registration: Option<RegistrationFile>,
    #[serde(default)]
    series: Option<SeriesFile>,
    #[serde(default)]
    cancellation: Option<crate::cancellation::CancellationFile>,
    /// A pack without it records no freeze requests (`freeze.no_rule`).
    #[serde(default)]
    freeze: Option<FreezeFile>,
}

/// `[freeze]`: how many hours a bank or payment service has to answer a
/// request to freeze an account.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FreezeFile {
    answer_within_hours: u32,
}

/// `[series]`: how many records may hold one identifier before it is a hub.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeriesFile {
    hub_threshold: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistrationFile {
    late_after_hours: u32,
    #[serde(default)]
    late_reason: Vec<LateReason>,
}

/// How late a report may be registered after its receipt before it needs a
/// reason, and the reasons that may be given (`[registration]`).
#[derive(Debug, Clone)]
pub struct Registration {
    pub late_after_hours: u32,
    /// The fixed list, in the order the rules give it.
    pub late_reasons: Vec<LateReason>,
}

/// A reason a late act may be given, named in the installation's languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LateReason {
    pub code: String,
    pub name: Names,
}

#[derive(Debug, Clone)]
pub struct Rules {
    pub version: String,
    time_zone: CivilZone,
    deadlines: Vec<DeadlineRule>,
    appeal_deadlines: Vec<AppealDeadlineRule>,
    holidays: BTreeSet<NaiveDate>,
    pub detention_max_hours: u32,
    /// The late-registration limit and reasons; None: no limit.
    pub registration: Option<Registration>,
    /// The linking of records into series; the default threshold without `[series]`.
    pub series: crate::series::SeriesRules,
    /// Who approves a recorded crime's cancellation and on what grounds;
    /// None: no cancellation (`cancellation.no_rule`).
    pub cancellation: Option<crate::cancellation::CancellationRules>,
    /// How long an institution has to answer a freeze request; None: no requests.
    pub freeze: Option<crate::freeze::FreezeRules>,
}

impl Rules {
    pub fn from_toml(text: &str) -> Result<Rules, String> {
        let mut f: RulesFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let time_zone = civil_zone(&f.time_zone)?;
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
        f.appeal_deadline.sort_by_key(|d| d.effective_from);
        for d in &f.appeal_deadline {
            d.check()?;
        }
        let registration = f.registration.map(registration).transpose()?;
        let series = match f.series {
            Some(SeriesFile { hub_threshold: 0 }) => return Err("series: hub_threshold must be at least 1".into()),
            Some(s) => crate::series::SeriesRules { hub_threshold: s.hub_threshold },
            None => crate::series::SeriesRules::default(),
        };
        let cancellation = f.cancellation.map(|c| c.check()).transpose()?;
        let freeze = match f.freeze {
            Some(FreezeFile { answer_within_hours: 0 }) => {
                return Err("freeze: answer_within_hours must be at least 1".into());
            }
            Some(FreezeFile { answer_within_hours }) => Some(crate::freeze::FreezeRules { answer_within_hours }),
            None => None,
        };
        Ok(Rules {
            registration,
            series,
            cancellation,
            freeze,
            version: f.version,
            time_zone,
            deadlines: f.deadline,
            appeal_deadlines: f.appeal_deadline,
            holidays: f.holidays.into_iter().collect(),
            detention_max_hours: f.detention_max_hours,
        })
    }

    /// The installation's civil zone (Asia/Baku).
    pub fn time_zone(&self) -> CivilZone {
        self.time_zone
    }

    /// The civil calendar day (Asia/Baku) on which an instant falls.
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        self.time_zone.local(at).date()
    }

    /// The civil (Asia/Baku) date and time of an instant, as forms show it.
    pub fn local_time(&self, at: DateTime<Utc>) -> NaiveDateTime {
        self.time_zone.local(at)
    }

    /// The instant of a civil date and time, as forms take it; a time a
    /// transition makes ambiguous or skips is read by the compatible rule.
    pub fn from_local(&self, local: NaiveDateTime) -> DateTime<Utc> {
        self.time_zone.instant(local)
    }

    /// The first instant of a civil day, in UTC.
    pub fn start_of_day(&self, day: NaiveDate) -> DateTime<Utc> {
        self.time_zone.start_of_day(day)
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

    /// When a freeze request sent at `sent_at` is to be answered: the
    /// rules' `answer_within_hours` later; Err `freeze.no_rule` (on
    /// `sent_at`) for a pack without `[freeze]`.
    pub fn freeze_deadline(&self, sent_at: DateTime<Utc>) -> Result<DateTime<Utc>, Violation> {
        let rule = self.freeze.ok_or_else(|| Violation::new("sent_at", "freeze.no_rule"))?;
        Ok(sent_at + chrono::Duration::hours(i64::from(rule.answer_within_hours)))
    }

    /// The appeal rule in force on a day of receipt; Err `appeal.no_rule`
    /// (on `received_at`) when the pack has none for it.
    pub fn appeal_rule(&self, received_at: DateTime<Utc>) -> Result<&AppealDeadlineRule, Violation> {
        let received = self.local_date(received_at);
        self.appeal_deadlines
            .iter()
            .rev()
            .find(|d| d.effective_from <= received)
            .ok_or_else(|| Violation::new("received_at", "appeal.no_rule").with("date", received))
    }

    /// When an appeal's answer is due: `answer_days` (or `checking_days`
    /// where more checking is needed) from the day of receipt, under the
    /// rule in force on that day; the instant after the last allowed day.
    pub fn appeal_answer_deadline(
        &self,
        received_at: DateTime<Utc>,
        more_checking: bool,
    ) -> Result<DateTime<Utc>, Violation> {
        let rule = self.appeal_rule(received_at)?;
        let days = if more_checking { rule.checking_days } else { rule.answer_days };
        Ok(self.after_days(self.local_date(received_at), days, rule.day_kind))
    }

    /// By when an appeal for another body must be passed to it.
    pub fn appeal_referral_deadline(&self, received_at: DateTime<Utc>) -> Result<DateTime<Utc>, Violation> {
        let rule = self.appeal_rule(received_at)?;
        Ok(self.after_days(self.local_date(received_at), rule.referral_days, rule.day_kind))
    }

    /// The deadline in force moved by an extension of `days` (counted as the
    /// rule of the appeal's receipt counts them) past its last allowed day.
    pub fn appeal_extended_deadline(
        &self,
        received_at: DateTime<Utc>,
        deadline: DateTime<Utc>,
        days: u32,
    ) -> Result<DateTime<Utc>, Violation> {
        let rule = self.appeal_rule(received_at)?;
        let last_allowed = self.local_date(deadline - Duration::seconds(1));
        Ok(self.after_days(last_allowed, days.min(MAX_DEADLINE_DAYS), rule.day_kind))
    }

    /// The first instant after `days` days (calendar or working) from `from`.
    fn after_days(&self, from: NaiveDate, days: u32, kind: DayKind) -> DateTime<Utc> {
        let last_day = match kind {
            DayKind::Calendar => from + Days::new(u64::from(days)),
            DayKind::Working => self.add_working_days(from, days),
        };
        self.start_of_day(last_day + Days::new(1))
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

/// The `[registration]` table, checked: a positive limit and a list of
/// distinct codes, each with a name.
fn registration(f: RegistrationFile) -> Result<Registration, String> {
    if f.late_after_hours == 0 {
        return Err("registration.late_after_hours: at least 1 hour".into());
    }
    if f.late_reason.is_empty() {
        return Err("registration.late_reason: list at least one reason a late act may give".into());
    }
    let mut seen = BTreeSet::new();
    for (i, r) in f.late_reason.iter().enumerate() {
        let code_shaped = !r.code.is_empty() && r.code.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        if !code_shaped {
            return Err(format!("registration.late_reason[{i}].code: {:?} is not a code (a-z and _)", r.code));
        }
        if !seen.insert(r.code.as_str()) {
            return Err(format!("registration.late_reason[{i}].code: {:?} is listed twice", r.code));
        }
        if r.name.az.is_empty() && r.name.ru.is_empty() && r.name.en.is_empty() {
            return Err(format!("registration.late_reason[{i}].name: give a name in az, ru or en"));
        }
    }
    Ok(Registration { late_after_hours: f.late_after_hours, late_reasons: f.late_reason })
}

/// The civil zone of the rules: an IANA name. The spans of fixed offsets an
/// older file held cannot say when daylight-saving time starts, and are refused.
fn civil_zone(value: &toml::Value) -> Result<CivilZone, String> {
    match value {
        toml::Value::String(name) => CivilZone::parse(name).map_err(|e| format!("time_zone: {e}")),
        toml::Value::Array(_) | toml::Value::Table(_) => Err("time_zone: the [[time_zone]] spans of \
             utc_offset_minutes are replaced by the zone's IANA name, which carries its history and \
             daylight-saving transitions: write time_zone = \"Asia/Baku\" before the first table"
            .into()),
        _ => Err("time_zone: write the zone's IANA name, e.g. time_zone = \"Asia/Baku\"".into()),
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

    /// The shipped rules with another civil zone.
    fn rules_in(zone: &str) -> Rules {
        let text = include_str!("../../../data/jurisdictions/azerbaijan/rules.toml");
        let moved = text.replace("time_zone = \"Asia/Baku\"", &format!("time_zone = {zone:?}"));
        assert_ne!(moved, text);
        Rules::from_toml(&moved).unwrap()
    }

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn an_unknown_zone_is_refused_naming_the_key() {
        let text = include_str!("../../../data/jurisdictions/azerbaijan/rules.toml");
        let mars = text.replace("\"Asia/Baku\"", "\"Mars/Olympus_Mons\"");
        let e = Rules::from_toml(&mars).unwrap_err();
        assert!(e.starts_with("time_zone: \"Mars/Olympus_Mons\" is not a time zone of the IANA database"), "{e}");
        let number = text.replace("\"Asia/Baku\"", "240");
        assert!(Rules::from_toml(&number).unwrap_err().starts_with("time_zone: write the zone's IANA name"));
    }

    #[test]
    fn the_old_spans_of_offsets_are_refused_saying_what_to_write() {
        let text = include_str!("../../../data/jurisdictions/azerbaijan/rules.toml")
            .replace("time_zone = \"Asia/Baku\"\n", "");
        let spans = format!("{text}\n[[time_zone]]\neffective_from = \"2016-03-17\"\nutc_offset_minutes = 240\n");
        let e = Rules::from_toml(&spans).unwrap_err();
        assert!(e.contains("write time_zone = \"Asia/Baku\""), "{e}");
        assert!(e.starts_with("time_zone: the [[time_zone]] spans of utc_offset_minutes are replaced"), "{e}");
    }

    #[test]
    fn baku_is_four_hours_ahead_all_year() {
        let r = rules();
        assert_eq!(r.time_zone().name(), "Asia/Baku");
        for d in ["2016-03-17", "2024-03-31", "2024-07-01", "2024-10-27", "2024-12-31"] {
            assert_eq!(r.start_of_day(day(d)), day(d).and_hms_opt(0, 0, 0).unwrap().and_utc() - Duration::hours(4));
        }
        assert_eq!(r.local_date(at("2024-03-31T19:59:59Z")), day("2024-03-31"));
        assert_eq!(r.local_date(at("2024-03-31T20:00:00Z")), day("2024-04-01"));
    }

    #[test]
    fn days_follow_the_daylight_saving_transitions() {
        let london = rules_in("Europe/London");
        // GMT in winter, BST (UTC+1) from 31 March to 27 October 2024.
        assert_eq!(london.local_date(at("2024-03-31T23:30:00Z")), day("2024-04-01"));
        assert_eq!(london.local_date(at("2024-03-30T23:30:00Z")), day("2024-03-30"));
        assert_eq!(london.local_date(at("2024-10-31T23:30:00Z")), day("2024-10-31"));
        assert_eq!(london.start_of_day(day("2024-04-01")), at("2024-03-31T23:00:00Z"));
        assert_eq!(london.start_of_day(day("2024-11-01")), at("2024-11-01T00:00:00Z"));
        assert_eq!(london.local_time(at("2024-07-01T12:00:00Z")), local("2024-07-01 13:00"));
        assert_eq!(london.from_local(local("2024-07-01 13:00")), at("2024-07-01T12:00:00Z"));
        // Three calendar days from Thursday 28 March: due at the start of 1 April, in BST.
        let due = london.deadline(Procedure::CrimeReport, at("2024-03-28T10:00:00Z"), 0).unwrap();
        assert_eq!(due, at("2024-03-31T23:00:00Z"));
    }

    #[test]
    fn a_skipped_local_time_moves_forward_by_the_gap() {
        // London's clocks went from 01:00 to 02:00 on 31 March 2024.
        let london = rules_in("Europe/London");
        assert_eq!(london.from_local(local("2024-03-31 00:59")), at("2024-03-31T00:59:00Z"));
        assert_eq!(london.from_local(local("2024-03-31 01:30")), at("2024-03-31T01:30:00Z"));
        assert_eq!(london.local_time(at("2024-03-31T01:30:00Z")), local("2024-03-31 02:30"));
        assert_eq!(london.from_local(local("2024-03-31 02:00")), at("2024-03-31T01:00:00Z"));
        // New York's from 02:00 to 03:00 on 10 March 2024: 02:30 is 03:30 EDT.
        let new_york = rules_in("America/New_York");
        assert_eq!(new_york.from_local(local("2024-03-10 02:30")), at("2024-03-10T07:30:00Z"));
        assert_eq!(new_york.local_time(at("2024-03-10T07:30:00Z")), local("2024-03-10 03:30"));
    }

    #[test]
    fn an_ambiguous_local_time_is_the_earlier_instant() {
        // London's clocks went back from 02:00 BST to 01:00 GMT on 27 October 2024:
        // 01:30 happened at 00:30 UTC and again at 01:30 UTC.
        let london = rules_in("Europe/London");
        assert_eq!(london.from_local(local("2024-10-27 01:30")), at("2024-10-27T00:30:00Z"));
        assert_eq!(london.from_local(local("2024-10-27 00:59")), at("2024-10-26T23:59:00Z"));
        assert_eq!(london.from_local(local("2024-10-27 02:00")), at("2024-10-27T02:00:00Z"));
        let new_york = rules_in("America/New_York");
        assert_eq!(new_york.from_local(local("2024-11-03 01:30")), at("2024-11-03T05:30:00Z"));
    }

    #[test]
    fn a_day_whose_midnight_is_skipped_starts_at_its_first_instant() {
        // Cuba's clocks went from 00:00 CST (UTC-5) to 01:00 CDT (UTC-4) on 10 March 2024.
        let havana = rules_in("America/Havana");
        let start = havana.start_of_day(day("2024-03-10"));
        assert_eq!(start, at("2024-03-10T05:00:00Z"));
        assert_eq!(havana.local_time(start), local("2024-03-10 01:00"));
        assert_eq!(havana.local_date(start - Duration::seconds(1)), day("2024-03-09"));
        assert_eq!(havana.start_of_day(day("2024-03-09")), at("2024-03-09T05:00:00Z"));
        assert_eq!(havana.start_of_day(day("2024-03-11")), at("2024-03-11T04:00:00Z"));
        assert_eq!(havana.from_local(local("2024-03-10 00:00")), start);
        assert_eq!(havana.from_local(local("2024-03-10 00:30")), at("2024-03-10T05:30:00Z"));
    }

    #[test]
    fn deadlines_beyond_reason_are_refused() {
        // The deadline_rules fuzz target holds the loader to this: loaded, then panicked when used.
        let text = include_str!("../../../data/jurisdictions/azerbaijan/rules.toml");
        let days = text.replace("days = 3\n", "days = 4000000000\n");
        assert_ne!(days, text);
        assert!(Rules::from_toml(&days).unwrap_err().contains("at most 3653 days"));
    }

    #[test]
    fn an_appeal_counts_working_days_past_the_holidays() {
        let r = rules();
        let last_day = |due: DateTime<Utc>| r.local_date(due - Duration::seconds(1));
        // Friday 15 March 2024: 15 working days end on 17 April, past Novruz
        // and the Ramazan holidays, as the citizen_appeal procedure counts.
        let received = at("2024-03-15T08:00:00Z");
        assert_eq!(last_day(r.appeal_answer_deadline(received, false).unwrap()), day("2024-04-17"));
        // 30 where more checking is needed: 15 more working days after 17 April
        // (1 May is a working day here, 9 May a holiday).
        assert_eq!(last_day(r.appeal_answer_deadline(received, true).unwrap()), day("2024-05-08"));
        // The referral: 3 working days, 18, 19 and (after 20-26 March) 27 March.
        assert_eq!(last_day(r.appeal_referral_deadline(received).unwrap()), day("2024-03-27"));
        // An extension of 10 working days from the deadline in force.
        let due = r.appeal_answer_deadline(received, false).unwrap();
        assert_eq!(last_day(r.appeal_extended_deadline(received, due, 10).unwrap()), day("2024-05-01"));
        assert_eq!(r.appeal_rule(received).unwrap().max_extension_days, 30);
    }

    #[test]
    fn the_hub_threshold_is_the_packs_or_the_default() {
        let text = include_str!("../../../data/jurisdictions/azerbaijan/rules.toml");
        assert_eq!(rules().series.hub_threshold, 20);
        let seven = text.replace("hub_threshold = 20", "hub_threshold = 7");
        assert_ne!(seven, text);
        assert_eq!(Rules::from_toml(&seven).unwrap().series.hub_threshold, 7);
        let without = text.replace("[series]\nhub_threshold = 20\n", "");
        assert_ne!(without, text);
        assert_eq!(Rules::from_toml(&without).unwrap().series, crate::series::SeriesRules::default());
        let zero = text.replace("hub_threshold = 20", "hub_threshold = 0");
        assert!(Rules::from_toml(&zero).unwrap_err().contains("hub_threshold must be at least 1"));
    }

    #[test]
    fn a_freeze_request_is_due_the_packs_hours_later_and_none_without_the_rule() {
        let text = include_str!("../../../data/jurisdictions/azerbaijan/rules.toml");
        let sent = at("2024-04-18T22:30:00Z");
        assert_eq!(rules().freeze_deadline(sent).unwrap(), at("2024-04-19T22:30:00Z"));
        let six = text.replace("answer_within_hours = 24", "answer_within_hours = 6");
        assert_ne!(six, text);
        assert_eq!(Rules::from_toml(&six).unwrap().freeze_deadline(sent).unwrap(), at("2024-04-19T04:30:00Z"));
        let zero = text.replace("answer_within_hours = 24", "answer_within_hours = 0");
        assert!(Rules::from_toml(&zero).unwrap_err().contains("answer_within_hours must be at least 1"));
        let without = text.replace("[freeze]\nanswer_within_hours = 24\n", "");
        assert_ne!(without, text);
        let err = Rules::from_toml(&without).unwrap().freeze_deadline(sent).unwrap_err();
        assert_eq!((err.field.as_str(), err.rule.as_str()), ("sent_at", "freeze.no_rule"));
    }

    #[test]
    fn an_appeal_before_any_rule_has_no_deadline() {
        let err = rules().appeal_answer_deadline(at("2010-01-10T08:00:00Z"), false).unwrap_err();
        assert_eq!((err.field.as_str(), err.rule.as_str()), ("received_at", "appeal.no_rule"));
    }

    #[test]
    fn appeal_rules_beyond_reason_are_refused() {
        let text = include_str!("../../../data/jurisdictions/azerbaijan/rules.toml");
        let short = text.replace("checking_days = 30\n", "checking_days = 10\n");
        assert_ne!(short, text);
        assert!(Rules::from_toml(&short).unwrap_err().contains("checking_days is at least answer_days"));
        let long = text.replace("referral_days = 3\n", "referral_days = 5000\n");
        assert!(Rules::from_toml(&long).unwrap_err().contains("at most 3653 days"));
        let unknown = text.replace("referral_days = 3\n", "referral_days = 3\nreferal_days = 3\n");
        assert!(Rules::from_toml(&unknown).unwrap_err().contains("unknown field"));
    }

    #[test]
    fn no_extension_beyond_the_rule() {
        let r = rules();
        let err = r.deadline(Procedure::CrimeReport, at("2024-01-10T08:00:00Z"), 3).unwrap_err();
        assert_eq!(err.rule, "deadline.no_further_extension");
    }
}
