//! A source in one zone with daylight-saving time imported into an
//! installation in another: every month and quarter counts exactly what the
//! file's local times, read on the source's clock and placed on the
//! installation's civil days, put in it.
//!
//! The expected counts come from hand-written tables of 2024's offsets of
//! both zones, not from the code under test nor its tz database.

use crate::support::*;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use crimeboard_domain::rules::Rules;
use crimeboard_import::Mapping;
use crimeboard_service::{PackFiles, demo_files};
use crimeboard_stats::Period;
use std::collections::BTreeMap;

/// The instants (UTC) of 2024's transitions.
fn utc(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

/// America/New_York in 2024: EST (UTC-5), EDT (UTC-4) from 10 March 07:00 UTC
/// (02:00 local became 03:00) to 3 November 06:00 UTC (02:00 became 01:00).
fn new_york_offset_at(instant: NaiveDateTime) -> Duration {
    let edt = utc("2024-03-10 07:00") <= instant && instant < utc("2024-11-03 06:00");
    Duration::hours(if edt { -4 } else { -5 })
}

/// A written New York local time as UTC, by the documented rule: a skipped
/// local time (10 March, 02:00 to 03:00) is read with the offset before the
/// gap (EST), an ambiguous one (3 November, 01:00 to 02:00) is the earlier, EDT.
fn new_york_local_to_utc(local: NaiveDateTime) -> NaiveDateTime {
    let edt = utc("2024-03-10 03:00") <= local && local < utc("2024-11-03 02:00");
    local + Duration::hours(if edt { 4 } else { 5 })
}

/// Europe/London in 2024: GMT (UTC+0), BST (UTC+1) from 31 March 01:00 UTC
/// to 27 October 01:00 UTC.
fn london_offset_at(instant: NaiveDateTime) -> Duration {
    let bst = utc("2024-03-31 01:00") <= instant && instant < utc("2024-10-27 01:00");
    Duration::hours(if bst { 1 } else { 0 })
}

/// London's midnight starting a day, as UTC.
fn london_midnight(day: NaiveDate) -> NaiveDateTime {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap();
    // No transition of 2024 is near a midnight: the offset an hour earlier is the day's at midnight.
    midnight - london_offset_at(midnight - Duration::hours(1))
}

/// The instants the file holds, as UTC: around every London midnight that
/// starts a month from January 2024 to January 2025, and around each of the
/// four transitions of both zones.
fn instants() -> Vec<NaiveDateTime> {
    let steps = [-300, -60, -1, 1, 60, 300].map(Duration::minutes);
    let mut around: Vec<NaiveDateTime> = (0..13)
        .map(|m| london_midnight(NaiveDate::from_ymd_opt(2024 + m / 12, (m % 12 + 1) as u32, 1).unwrap()))
        .collect();
    around.extend(["2024-03-10 07:00", "2024-11-03 06:00", "2024-03-31 01:00", "2024-10-27 01:00"].map(utc));
    around.iter().flat_map(|at| steps.map(|s| *at + s)).collect()
}

/// The file's written local times: each instant on New York's clock, and two
/// that New York's clock never showed once: one it skipped, one it showed twice.
fn written_times() -> Vec<String> {
    let mut times: Vec<String> =
        instants().into_iter().map(|at| (at + new_york_offset_at(at)).format("%Y-%m-%d %H:%M").to_string()).collect();
    times.extend(["2024-03-10 02:30".to_string(), "2024-11-03 01:30".to_string()]);
    times
}

fn csv(times: &[String]) -> String {
    let rows: String = times.iter().enumerate().map(|(i, t)| format!("ny-{i},{t}\n")).collect();
    format!("id,when\n{rows}")
}

const MAPPING: &str = r#"
[source]
system = "nypd-export"
id = "{id}"

[date]
value = "{when}"
format = "%Y-%m-%d %H:%M"
time_zone = "America/New_York"

[unit]
value = "NY-MAN"

[case]
articles = "177.1"

[[unit_tree]]
code = "NY"
kind = "republic"
agency = "mia"
names = { az = "Nyu-York", ru = "Нью-Йорк", en = "New York" }

[[unit_tree]]
code = "NY-MAN"
parent = "NY"
kind = "district"
agency = "mia"
names = { az = "Manhetten", ru = "Манхэттен", en = "Manhattan" }
"#;

/// The installation: the shipped pack with its civil zone Europe/London and
/// the mapping's units as its tree.
fn london_installation() -> PackFiles {
    let mut files = demo_files();
    let text = files.0["rules.toml"].clone();
    let london = text.replace("time_zone = \"Asia/Baku\"", "time_zone = \"Europe/London\"");
    assert_ne!(london, text);
    Rules::from_toml(&london).unwrap();
    files.0.insert("rules.toml".into(), london);
    let units = MAPPING[MAPPING.find("[[unit_tree]]").unwrap()..].replace("[[unit_tree]]", "[[unit]]");
    files.0.insert("units.toml".into(), units);
    files
}

fn quarter_of(month: &str) -> String {
    let (year, m) = month.split_once('-').unwrap();
    format!("{year}Q{}", (m.parse::<u32>().unwrap() - 1) / 3 + 1)
}

#[test]
fn months_and_quarters_count_the_installations_civil_days_of_a_source_in_another_zone() {
    let times = written_times();
    let mut months: BTreeMap<String, i64> = BTreeMap::new();
    let mut moved = 0;
    for written in &times {
        let local = NaiveDateTime::parse_from_str(written, "%Y-%m-%d %H:%M").unwrap();
        let at = new_york_local_to_utc(local);
        let london_day = (at + london_offset_at(at)).date();
        *months.entry(london_day.format("%Y-%m").to_string()).or_default() += 1;
        moved += usize::from(london_day.month() != local.month());
    }
    assert!(moved >= 13, "the file's rows cross into the next month in London: {moved}");
    let mut quarters: BTreeMap<String, i64> = BTreeMap::new();
    for (month, n) in &months {
        *quarters.entry(quarter_of(month)).or_default() += n;
    }
    assert_eq!(months.keys().next().map(String::as_str), Some("2023-12"));
    assert_eq!(months.keys().last().map(String::as_str), Some("2025-01"));
    assert_eq!(months.len(), 14, "every month from December 2023 to January 2025: {months:?}");

    let mapping = Mapping::from_toml(MAPPING).unwrap();
    let now = utc("2025-06-01 12:00").and_utc();
    each_backend_with(Some(&london_installation()), now, |env| {
        let summary = env.import_text(&csv(&times), &mapping, 50);
        assert_eq!((summary.progress.imported, summary.progress.rejected), (times.len() as u64, 0));
        let count = |period: &str| {
            let report = env.registry.report(Period::parse(period).unwrap(), None).unwrap();
            report.figure("crimes_recorded").unwrap().change.current
        };
        for (month, expected) in &months {
            assert_eq!(count(month), *expected, "{month} on {}", env.db.name);
        }
        for (quarter, expected) in &quarters {
            assert_eq!(count(quarter), *expected, "{quarter} on {}", env.db.name);
        }
        assert_eq!(count("2024"), quarters.iter().filter(|(q, _)| q.starts_with("2024")).map(|(_, n)| n).sum::<i64>());
    });
}
