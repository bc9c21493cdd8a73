//! Typed values from text: yes/no in the usual spellings, numbers, and dates
//! in a given format with a default day and time for what the format lacks.

use chrono::format::{Parsed, StrftimeItems};
use chrono::{DateTime, FixedOffset, NaiveDateTime, NaiveTime, TimeZone, Utc};
use crimeboard_domain::rules::{CivilZone, Rules};

const YES: [&str; 16] =
    ["true", "t", "yes", "y", "1", "on", "x", "+", "✓", "bəli", "hə", "var", "да", "д", "ja", "oui"];
const NO: [&str; 13] = ["false", "f", "no", "n", "0", "off", "-", "", "xeyr", "yox", "нет", "н", "nein"];

/// Yes or no, however a system wrote it: true/false, yes/no, y/n, 1/0, on/off,
/// t/f, x/(empty), and bəli/xeyr, да/нет; case does not matter. Empty is no.
pub fn parse_bool(text: &str) -> Option<bool> {
    let t = text.trim().to_lowercase();
    if YES.contains(&t.as_str()) {
        Some(true)
    } else if NO.contains(&t.as_str()) {
        Some(false)
    } else {
        None
    }
}

/// A decimal number; a decimal comma is read as a point when there is no point.
pub fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    let v = if t.contains(',') && !t.contains('.') { t.replace(',', ".").parse() } else { t.parse() };
    v.ok().filter(|x: &f64| x.is_finite())
}

/// How a date column is written and what to assume for what it leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat {
    /// A strftime format (`%Y-%m`, `%d.%m.%Y %H:%M`), or `rfc3339`.
    pub format: String,
    /// The day of the month when the format has none.
    pub day: u32,
    /// The time of day when the format has none.
    pub time: NaiveTime,
    /// Where the written times are local, unless a value carries its own offset.
    pub zone: SourceZone,
}

/// The clock a source's written times (and dates) are read on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceZone {
    /// The installation's civil zone (`rules.toml`): the default.
    Civil,
    /// A fixed offset from UTC all year (`utc_offset`).
    Offset(FixedOffset),
    /// A zone of the IANA database (`time_zone`), with its daylight-saving
    /// transitions, read by the rules' compatible rule at a transition.
    Named(CivilZone),
}

impl SourceZone {
    /// The instant a local date and time of this clock names.
    fn instant(self, local: NaiveDateTime, rules: &Rules) -> Option<DateTime<Utc>> {
        match self {
            SourceZone::Civil => Some(rules.from_local(local)),
            SourceZone::Offset(offset) => at_offset(offset, local),
            SourceZone::Named(zone) => Some(zone.instant(local)),
        }
    }
}

impl DateFormat {
    /// Reads an instant; Err names what was expected.
    pub fn parse(&self, text: &str, rules: &Rules) -> Result<DateTime<Utc>, String> {
        let text = text.trim();
        if self.format == "rfc3339" {
            return DateTime::parse_from_rfc3339(text)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| format!("{text:?} is not an RFC 3339 date and time (2018-07-15T12:00:00Z)"));
        }
        let wrong = || format!("{text:?} does not match the format {:?}", self.format);
        let mut parsed = Parsed::new();
        chrono::format::parse(&mut parsed, text, StrftimeItems::new(&self.format)).map_err(|_| wrong())?;
        let date = match parsed.to_naive_date() {
            Ok(d) => d,
            Err(_) if parsed.day().is_none() && parsed.ordinal().is_none() => {
                parsed.set_day(i64::from(self.day)).map_err(|_| wrong())?;
                parsed.to_naive_date().map_err(|_| wrong())?
            }
            Err(_) => return Err(wrong()),
        };
        let time = match parsed.hour_mod_12() {
            None => self.time,
            Some(_) => parsed.to_naive_time().map_err(|_| wrong())?,
        };
        // A value written with its own offset keeps it; the rest are local times of the source's zone.
        let local = date.and_time(time);
        match parsed.offset() {
            Some(seconds) => at_offset(FixedOffset::east_opt(seconds).ok_or_else(wrong)?, local),
            None => self.zone.instant(local, rules),
        }
        .ok_or_else(wrong)
    }
}

fn at_offset(offset: FixedOffset, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    offset.from_local_datetime(&local).single().map(|t| t.with_timezone(&Utc))
}

/// `+04:00`, `-05:30`, `Z` or `UTC`.
pub fn parse_offset(text: &str) -> Option<FixedOffset> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if !(0..=14).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        crimeboard_service::Jurisdiction::demo().rules.as_ref().clone()
    }

    fn format(f: &str) -> DateFormat {
        DateFormat {
            format: f.into(),
            day: 15,
            time: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
            zone: SourceZone::Civil,
        }
    }

    #[test]
    fn booleans_in_the_usual_spellings() {
        for yes in ["true", "TRUE", "Yes", "y", "1", "on", "x", "X", "bəli", "Да", " t "] {
            assert_eq!(parse_bool(yes), Some(true), "{yes}");
        }
        for no in ["false", "No", "N", "0", "off", "", " ", "xeyr", "нет", "F"] {
            assert_eq!(parse_bool(no), Some(false), "{no}");
        }
        for neither in ["maybe", "2", "yes please"] {
            assert_eq!(parse_bool(neither), None, "{neither}");
        }
    }

    #[test]
    fn numbers_with_a_point_or_a_comma() {
        assert_eq!(parse_number("-1.409547"), Some(-1.409547));
        assert_eq!(parse_number(" 53,5 "), Some(53.5));
        assert_eq!(parse_number("1,000.5"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("NaN"), None);
    }

    #[test]
    fn a_month_gets_the_default_day_and_time_in_civil_time() {
        // The 15th at noon in Baku (UTC+4) is 08:00 UTC.
        let t = format("%Y-%m").parse("2018-07", &rules()).unwrap();
        assert_eq!(t.to_rfc3339(), "2018-07-15T08:00:00+00:00");
        assert_eq!(rules().local_date(t).to_string(), "2018-07-15");
    }

    #[test]
    fn a_full_date_and_time_and_an_explicit_offset() {
        let t = format("%d.%m.%Y %H:%M").parse("03.02.2024 09:30", &rules()).unwrap();
        assert_eq!(t.to_rfc3339(), "2024-02-03T05:30:00+00:00");
        let mut london = format("%Y-%m-%d");
        london.zone = SourceZone::Offset(parse_offset("+01:00").unwrap());
        assert_eq!(london.parse("2018-07-01", &rules()).unwrap().to_rfc3339(), "2018-07-01T11:00:00+00:00");
        let t = format("rfc3339").parse("2018-07-15T12:00:00+01:00", &rules()).unwrap();
        assert_eq!(t.to_rfc3339(), "2018-07-15T11:00:00+00:00");
    }

    #[test]
    fn local_times_of_a_named_zone_follow_its_transitions() {
        let mut new_york = format("%Y-%m-%d %H:%M");
        new_york.zone = SourceZone::Named(CivilZone::parse("America/New_York").unwrap());
        let read = |text: &str| new_york.parse(text, &rules()).unwrap().to_rfc3339();
        // EST (UTC-5) in winter, EDT (UTC-4) from 10 March to 3 November 2024.
        assert_eq!(read("2024-01-31 22:30"), "2024-02-01T03:30:00+00:00");
        assert_eq!(read("2024-07-31 22:30"), "2024-08-01T02:30:00+00:00");
        // Skipped (02:00 to 03:00): moved forward by the gap; ambiguous: the earlier.
        assert_eq!(read("2024-03-10 02:30"), "2024-03-10T07:30:00+00:00");
        assert_eq!(read("2024-11-03 01:30"), "2024-11-03T05:30:00+00:00");
        // A value with its own offset keeps it.
        let mut with_offset = format("%Y-%m-%d %H:%M %z");
        with_offset.zone = new_york.zone;
        let t = with_offset.parse("2024-07-31 22:30 +0100", &rules()).unwrap();
        assert_eq!(t.to_rfc3339(), "2024-07-31T21:30:00+00:00");
        // A date alone is the default time of that date, on the source's clock.
        let mut month = format("%Y-%m");
        month.zone = new_york.zone;
        assert_eq!(month.parse("2024-07", &rules()).unwrap().to_rfc3339(), "2024-07-15T16:00:00+00:00");
    }

    #[test]
    fn a_wrong_date_says_what_was_expected() {
        for bad in ["2018/07", "July 2018", "2018-13", ""] {
            let e = format("%Y-%m").parse(bad, &rules()).unwrap_err();
            assert!(e.contains("does not match the format \"%Y-%m\""), "{bad}: {e}");
        }
        assert!(format("%Y-%m-%d").parse("2018-02-30", &rules()).is_err());
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+04:00"), FixedOffset::east_opt(4 * 3600));
        assert_eq!(parse_offset("-05:30"), FixedOffset::east_opt(-(5 * 3600 + 30 * 60)));
        assert_eq!(parse_offset("Z"), FixedOffset::east_opt(0));
        assert_eq!(parse_offset("4"), None);
        assert_eq!(parse_offset("+25:00"), None);
    }
}
