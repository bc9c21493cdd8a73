//! Civil (Baku) time for planning. Every planned moment is a local day and a
//! minute between 08:00 and 21:00, far from midnight, so the day a counter
//! files an act under can never slip into the next day, month or quarter.

use crate::rng::Rng;
use chrono::{DateTime, Datelike, Days, Duration, Months, NaiveDate, NaiveTime, Utc};
use crimeboard_domain::rules::Rules;
use crimeboard_service::Registry;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// The working band of the day, in minutes after local midnight.
const DAY_START: u32 = 8 * 60;
pub(crate) const DAY_END: u32 = 21 * 60;
/// Anchors (registrations) stay below this, leaving room for same-day follow-ups.
const ANCHOR_START: u32 = 9 * 60;
const ANCHOR_END: u32 = 19 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Local {
    pub day: NaiveDate,
    pub minute: u32,
}

impl Local {
    /// A registration-like moment on `day`: 09:00 to 19:00.
    pub fn anchor(rng: &mut Rng, day: NaiveDate) -> Local {
        Local { day, minute: ANCHOR_START + rng.below(u64::from(ANCHOR_END - ANCHOR_START)) as u32 }
    }

    /// Any moment of the working band on `day`.
    pub fn any(rng: &mut Rng, day: NaiveDate) -> Local {
        Local { day, minute: DAY_START + rng.below(u64::from(DAY_END - DAY_START)) as u32 }
    }

    /// A moment strictly after this one, `lo..=hi` days later but not after
    /// `limit`; None when even the earliest such moment is past `limit`.
    pub fn after(self, rng: &mut Rng, lo: u32, hi: u32, limit: NaiveDate) -> Option<Local> {
        let room = (limit - self.day).num_days();
        if room < 0 {
            return None;
        }
        let lo = i64::from(lo).min(room);
        let hi = i64::from(hi).min(room).max(lo);
        let day = self.day + Days::new(rng.range(lo, hi) as u64);
        if day > self.day {
            return Some(Local::any(rng, day));
        }
        let left = DAY_END.saturating_sub(self.minute + 1);
        if left == 0 {
            // No room left today: the next day, if the limit allows it.
            let next = self.day + Days::new(1);
            return (next <= limit).then(|| Local::any(rng, next));
        }
        Some(Local { day, minute: self.minute + 1 + rng.below(u64::from(left.min(180))) as u32 })
    }

    /// Like [`Local::after`], but the days are drawn first and a day past
    /// `limit` gives None instead of being pulled back to it: work that
    /// would be done after the data set ends is not done yet.
    pub fn after_within(self, rng: &mut Rng, lo: u32, hi: u32, limit: NaiveDate) -> Option<Local> {
        let days = rng.range(i64::from(lo), i64::from(hi));
        if self.day + Days::new(days as u64) > limit {
            return None;
        }
        self.after(rng, days as u32, days as u32, limit)
    }

    /// A moment strictly before this one, `lo..=hi` days earlier.
    pub fn before(self, rng: &mut Rng, lo: u32, hi: u32) -> Local {
        let back = rng.range(i64::from(lo), i64::from(hi.max(lo)));
        if back > 0 || self.minute <= DAY_START {
            let day = self.day - Days::new(back.max(1) as u64);
            return Local::any(rng, day);
        }
        let earliest = self.minute.saturating_sub(180).max(DAY_START);
        Local { day: self.day, minute: earliest + rng.below(u64::from(self.minute - earliest)) as u32 }
    }

    /// The instant of this civil time: the minute read on the local clock,
    /// which on a day of a daylight-saving transition is not the minutes since midnight.
    pub fn utc(self, rules: &Rules) -> DateTime<Utc> {
        let time = NaiveTime::MIN + Duration::minutes(i64::from(self.minute));
        rules.from_local(self.day.and_time(time))
    }
}

/// A registry over the same store whose clock the demo moves, for acts the
/// registry dates by the day it records them (a Board's act, a reception's
/// schedule, booking and record): each is recorded as on its day in the
/// story, which the real clock is past.
pub(crate) struct MovedClock {
    pub registry: Registry,
    clock: Arc<AtomicI64>,
}

impl MovedClock {
    pub fn over(registry: &Registry) -> anyhow::Result<MovedClock> {
        let clock = Arc::new(AtomicI64::new(registry.now().timestamp_micros()));
        let read = clock.clone();
        let story_clock =
            Arc::new(move || DateTime::from_timestamp_micros(read.load(Ordering::SeqCst)).unwrap_or_default());
        let registry = Registry::new(registry.store().clone(), story_clock)?;
        Ok(MovedClock { registry, clock })
    }

    /// Moves the clock to `at`, civil time.
    pub fn set(&self, at: Local) {
        let rules = self.registry.jurisdiction().rules.clone();
        self.clock.store(at.utc(&rules).timestamp_micros(), Ordering::SeqCst);
    }
}

pub(crate) fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// The first and last day of a calendar month.
pub(crate) fn month_span(year: i32, month: u32) -> (NaiveDate, NaiveDate) {
    let first = ymd(year, month, 1);
    let last = first.checked_add_months(Months::new(1)).unwrap_or(first) - Days::new(1);
    (first, last)
}

/// The first and last day of a quarter (1 to 4).
pub(crate) fn quarter_span(year: i32, quarter: u32) -> (NaiveDate, NaiveDate) {
    let (first, _) = month_span(year, (quarter - 1) * 3 + 1);
    let (_, last) = month_span(year, quarter * 3);
    (first, last)
}

/// A uniformly drawn day in `from..=to`.
pub(crate) fn day_between(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0);
    from + Days::new(rng.range(0, span) as u64)
}

/// How much crime a calendar month sees relative to the year's average:
/// a little less in winter, more in the long summer days.
pub(crate) fn season(month: u32) -> f64 {
    const WEIGHTS: [f64; 12] = [0.92, 0.90, 1.00, 1.00, 1.04, 1.06, 1.08, 1.08, 1.02, 1.00, 0.97, 0.98];
    WEIGHTS[(month as usize).clamp(1, 12) - 1]
}

/// A day in the quarter, months weighted by season.
pub(crate) fn seasonal_day(rng: &mut Rng, year: i32, quarter: u32) -> NaiveDate {
    let first_month = (quarter - 1) * 3 + 1;
    let weights: Vec<f64> = (first_month..first_month + 3).map(season).collect();
    let total: f64 = weights.iter().sum();
    let mut x = rng.unit() * total;
    let mut month = first_month;
    for (i, w) in weights.iter().enumerate() {
        month = first_month + i as u32;
        if x < *w {
            break;
        }
        x -= w;
    }
    let (from, to) = month_span(year, month);
    day_between(rng, from, to)
}

/// Years between two days, for ages.
pub(crate) fn years_before(day: NaiveDate, years: u32, extra_days: u32) -> NaiveDate {
    let back = day.checked_sub_months(Months::new(12 * years)).unwrap_or(day);
    let born = back - Days::new(u64::from(extra_days));
    if born.year() < 1901 { ymd(1901, 1, 1) } else { born }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_stays_within_the_limit_and_later() {
        let mut rng = Rng::new(3);
        for _ in 0..10_000 {
            let from = Local::anchor(&mut rng, ymd(2024, 3, 31));
            let next = from.after(&mut rng, 0, 10, ymd(2024, 3, 31)).expect("room on the same day");
            assert!(next > from && next.day == from.day && next.minute < DAY_END);
            let back = from.before(&mut rng, 0, 2);
            assert!(back < from && back.minute >= DAY_START);
        }
    }

    #[test]
    fn after_within_leaves_what_falls_past_the_limit_undone() {
        let mut rng = Rng::new(5);
        let limit = ymd(2024, 6, 30);
        let (mut done, mut undone) = (0, 0);
        for _ in 0..1000 {
            let from = Local::anchor(&mut rng, ymd(2024, 6, 25));
            match from.after_within(&mut rng, 2, 10, limit) {
                Some(at) => {
                    assert!(at > from && at.day <= limit && (at.day - from.day).num_days() >= 2);
                    done += 1;
                }
                None => undone += 1,
            }
        }
        // 2 to 5 days fit, 6 to 10 do not: about 4 in 9 are done.
        assert!((350..550).contains(&done) && done + undone == 1000, "{done} done");
    }

    #[test]
    fn a_planned_minute_is_read_on_the_local_clock() {
        let text = include_str!("../../../data/jurisdictions/azerbaijan/rules.toml")
            .replace("\"Asia/Baku\"", "\"Europe/London\"");
        let london = Rules::from_toml(&text).unwrap();
        // 31 March 2024 lost an hour at 01:00 in London: 09:00 BST is 08:00 UTC.
        let nine = Local { day: ymd(2024, 3, 31), minute: 9 * 60 };
        assert_eq!(nine.utc(&london).to_rfc3339(), "2024-03-31T08:00:00+00:00");
        assert_eq!(london.local_time(nine.utc(&london)).to_string(), "2024-03-31 09:00:00");
    }

    #[test]
    fn after_gives_none_past_the_limit() {
        let mut rng = Rng::new(3);
        let from = Local { day: ymd(2024, 6, 30), minute: DAY_END - 1 };
        assert_eq!(from.after(&mut rng, 0, 3, ymd(2024, 6, 30)), None);
        assert_eq!(from.after(&mut rng, 0, 3, ymd(2024, 6, 29)), None);
    }
}
