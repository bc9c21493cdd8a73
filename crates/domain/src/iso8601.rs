//! Instants and days as the registry stores them in JSON, written digit by
//! digit into a buffer on the stack. chrono's own serialisation writes the
//! same text through `core::fmt` a piece at a time, each piece passing
//! serde_json's escaping, and every act's payload and every state the act
//! changes carry several timestamps, serialised at each write. The text is
//! chrono's to the byte (RFC 3339, UTC as `Z`, a fraction only as long as it
//! needs: none, 3, 6 or 9 digits; a leap second as `:60`); a year outside
//! 0 to 9999 is left to chrono.
//!
//! The fields of the acts' and the states' types name these functions with
//! `#[serde(serialize_with = "...")]`; reading back is chrono's.

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Timelike, Utc};
use serde::{Serialize, Serializer};

/// An instant, as chrono would serialise it.
pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    match Text::instant(at, Fraction::AsNeeded) {
        Some(text) => serializer.serialize_str(text.as_str()),
        None => at.serialize(serializer),
    }
}

/// An optional instant (with `skip_serializing_if = "Option::is_none"` where it is left out).
pub fn serialize_option<S: Serializer>(at: &Option<DateTime<Utc>>, serializer: S) -> Result<S::Ok, S::Error> {
    struct Instant<'a>(&'a DateTime<Utc>);
    impl Serialize for Instant<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize(self.0, serializer)
        }
    }
    at.as_ref().map(Instant).serialize(serializer)
}

/// An optional calendar day, as chrono would serialise it (`2024-02-29`).
pub fn serialize_option_day<S: Serializer>(day: &Option<NaiveDate>, serializer: S) -> Result<S::Ok, S::Error> {
    struct Day<'a>(&'a NaiveDate);
    impl Serialize for Day<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut text = Text::default();
            if text.date(*self.0) { serializer.serialize_str(text.as_str()) } else { self.0.serialize(serializer) }
        }
    }
    day.as_ref().map(Day).serialize(serializer)
}

/// An instant with exactly six digits of fraction: the form the hash chains
/// cover (`chrono`'s `to_rfc3339_opts(SecondsFormat::Micros, true)`).
pub fn micros(at: DateTime<Utc>) -> String {
    match Text::instant(&at, Fraction::Micros) {
        Some(text) => text.as_str().to_string(),
        None => at.to_rfc3339_opts(SecondsFormat::Micros, true),
    }
}

#[derive(Clone, Copy)]
enum Fraction {
    /// None, milliseconds, microseconds or nanoseconds: the shortest that is exact.
    AsNeeded,
    Micros,
}

/// ASCII text of at most `9999-12-31T23:59:60.999999999Z` (30 bytes).
#[derive(Default)]
struct Text {
    bytes: [u8; 32],
    len: usize,
}

impl Text {
    fn instant(at: &DateTime<Utc>, fraction: Fraction) -> Option<Text> {
        let mut text = Text::default();
        let naive = at.naive_utc();
        if !text.date(naive.date()) {
            return None;
        }
        let (mut second, mut nano) = (naive.second(), naive.nanosecond());
        // chrono keeps a leap second as nanoseconds past 10^9 of second 59.
        if nano >= 1_000_000_000 {
            second += 1;
            nano -= 1_000_000_000;
        }
        text.push(b'T');
        text.digits(naive.hour(), 2);
        text.push(b':');
        text.digits(naive.minute(), 2);
        text.push(b':');
        text.digits(second, 2);
        match fraction {
            Fraction::AsNeeded if nano == 0 => {}
            Fraction::AsNeeded if nano % 1_000_000 == 0 => text.fraction(nano / 1_000_000, 3),
            Fraction::AsNeeded if nano % 1_000 == 0 => text.fraction(nano / 1_000, 6),
            Fraction::AsNeeded => text.fraction(nano, 9),
            Fraction::Micros => text.fraction(nano / 1_000, 6),
        }
        text.push(b'Z');
        Some(text)
    }

    /// Writes `YYYY-MM-DD`; false (and nothing written) for a year outside 0 to 9999.
    fn date(&mut self, day: NaiveDate) -> bool {
        let Ok(year) = u32::try_from(day.year()) else { return false };
        if year > 9999 {
            return false;
        }
        self.digits(year, 4);
        self.push(b'-');
        self.digits(day.month(), 2);
        self.push(b'-');
        self.digits(day.day(), 2);
        true
    }

    fn fraction(&mut self, value: u32, width: usize) {
        self.push(b'.');
        self.digits(value, width);
    }

    /// `value` in exactly `width` decimal digits (it has no more).
    fn digits(&mut self, mut value: u32, width: usize) {
        for slot in self.bytes[self.len..self.len + width].iter_mut().rev() {
            *slot = b'0' + (value % 10) as u8;
            value /= 10;
        }
        self.len += width;
    }

    fn push(&mut self, byte: u8) {
        self.bytes[self.len] = byte;
        self.len += 1;
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).expect("digits and punctuation are ASCII")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Instants at every edge of the text: years of fewer and more than four
    /// digits and before year 0, each length of fraction, leap seconds.
    fn instants() -> Vec<DateTime<Utc>> {
        let days = [(0, 1, 1), (7, 2, 3), (999, 12, 31), (1970, 1, 1), (2024, 2, 29), (9999, 12, 31), (10000, 1, 1)];
        let nanos = [0, 1, 999, 1_000, 120_000, 500_000_000, 123_456_789, 999_999_999, 1_000_000_000, 1_999_999_999];
        let mut all = Vec::new();
        for (y, m, d) in days.into_iter().chain([(-1, 6, 15), (-10000, 1, 1)]) {
            for nano in nanos {
                for (h, min, s) in [(0, 0, 0), (23, 59, 59), (9, 5, 7)] {
                    let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
                    all.extend(day.and_hms_nano_opt(h, min, s, nano).map(|t| t.and_utc()));
                }
            }
        }
        // And a spread of ordinary ones.
        all.extend(
            (0..2000i64).map(|i| DateTime::from_timestamp_nanos(i.wrapping_mul(0x9e37_79b9_7f4a_7c15_u64 as i64))),
        );
        all
    }

    #[test]
    fn instants_are_written_as_chrono_writes_them() {
        #[derive(Serialize)]
        struct Fast {
            #[serde(serialize_with = "serialize")]
            at: DateTime<Utc>,
            #[serde(serialize_with = "serialize_option")]
            maybe: Option<DateTime<Utc>>,
        }
        #[derive(Serialize)]
        struct Chrono {
            at: DateTime<Utc>,
            maybe: Option<DateTime<Utc>>,
        }
        for at in instants() {
            let fast = serde_json::to_string(&Fast { at, maybe: Some(at) }).unwrap();
            assert_eq!(fast, serde_json::to_string(&Chrono { at, maybe: Some(at) }).unwrap());
            assert_eq!(micros(at), at.to_rfc3339_opts(SecondsFormat::Micros, true));
        }
        let none = Fast { at: instants()[0], maybe: None };
        assert!(serde_json::to_string(&none).unwrap().ends_with(r#""maybe":null}"#));
    }

    #[test]
    fn days_are_written_as_chrono_writes_them() {
        #[derive(Serialize)]
        struct Fast(#[serde(serialize_with = "serialize_option_day")] Option<NaiveDate>);
        for at in instants() {
            let day = Some(at.date_naive());
            assert_eq!(serde_json::to_string(&Fast(day)).unwrap(), serde_json::to_string(&day).unwrap());
        }
        assert_eq!(serde_json::to_string(&Fast(None)).unwrap(), "null");
    }
}
