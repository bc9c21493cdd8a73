//! The seed size after its story: every quarter from 2024Q3 to the one the
//! demo starts in, cut at its last whole working day, so a fresh demo has
//! figures in every default view and work in every role's queue on any day
//! it is started.
//!
//! Each quarter is the same quarter of 2023 (its season) less the story's
//! trend, 3 % a year, levelling off at 15 % below 2023; the cut quarter is
//! planned in proportion to the days it has run. Cases, reports, persons,
//! damage, seizures, accidents, examinations and administrative offences
//! are planned as in the story, from random streams of their own. Where the
//! story hurries what remains before its end, these quarters leave it
//! undone: the newest cases are still under investigation and some
//! examinations still awaited. On top, every police unit has reports
//! awaiting a decision, by its crime volume: most within their deadline,
//! some due today, a few overdue.

use super::{KindCounts, QUARTERS, Quarter, SeedPlan, Streams, count_quarter, plan_quarters};
use crate::clock::{DAY_END, Local, quarter_span};
use crate::plan::{self, LoneReport, Reach};
use crate::rng::Rng;
use crate::units::Recorders;
use anyhow::Result;
use chrono::{DateTime, Days, NaiveDate, Utc};
use crimeboard_domain::rules::{Procedure, Rules};

/// Crime a year after 2023, against the year before: the story's trend
/// (2024H1 was 3 % below 2023H1)...
const YEARLY: f64 = 0.968;
/// ...until it levels off, so a demo started years later is the same country.
const FLOOR: f64 = 0.85;
/// The share of damage paid back, in thousandths, as in 2024H1.
const REIMBURSED_PERMILLE: i64 = 790;
/// Streams of their own, far from the story's (1 to 7, 99).
const QUARTER_STREAMS: u64 = 1 << 32;
const ADMIN_STREAM: u64 = QUARTER_STREAMS - 1;
const AWAITING_STREAM: u64 = QUARTER_STREAMS - 2;
/// Reports awaiting a decision per unit of a police unit's crime volume
/// (`Recorders::police_volume`, 9 in the busiest district): within their
/// deadline, due today, overdue. Every unit has at least one of the first two.
const AWAITING_PER_VOLUME: [(f64, usize); 3] = [(0.8, 1), (0.25, 1), (0.12, 0)];
/// How far back a report still awaiting a decision may have come in.
const AWAITING_DAYS: u64 = 10;

/// The plan from the story's end to the last whole working day before `now`.
pub(super) fn build(recorders: &Recorders, seed: u64, rules: &Rules, now: DateTime<Utc>) -> Result<SeedPlan> {
    let end = last_day(rules, now);
    let quarters = quarters(end);
    let counts: Vec<Vec<KindCounts>> = quarters.iter().map(count_quarter).collect();
    let streams = Streams { quarter: &|_: usize, q: &Quarter| QUARTER_STREAMS + ordinal(q), admin: ADMIN_STREAM };
    let reach = Reach { end, leave_undone: true };
    let mut plan = plan_quarters(&quarters, &counts, &streams, reach, recorders, seed)?;
    let mut rng = Rng::stream(seed, AWAITING_STREAM);
    plan.lone.extend(awaiting(&mut rng, recorders, rules, now, end));
    plan.lone.sort_by_key(|r| r.received);
    Ok(plan)
}

/// The last day whose working hours (every planned moment falls in them)
/// are over by `now`: today after 21:00 Baku time, else yesterday. The
/// registry refuses acts dated after its clock.
pub(crate) fn last_day(rules: &Rules, now: DateTime<Utc>) -> NaiveDate {
    let today = rules.local_date(now);
    let over = Local { day: today, minute: DAY_END }.utc(rules) <= now;
    if over { today } else { today - Days::new(1) }
}

fn ordinal(q: &Quarter) -> u64 {
    (q.year as u64) * 4 + u64::from(q.quarter - 1)
}

/// The quarters after the story up to the one `end` falls in, that one cut at `end`.
fn quarters(end: NaiveDate) -> Vec<Quarter> {
    let mut out = Vec::new();
    let (mut year, mut quarter) = (2024, 3);
    loop {
        let (first, last) = quarter_span(year, quarter);
        if first > end {
            return out;
        }
        let run = if end < last { (end - first).num_days() + 1 } else { (last - first).num_days() + 1 };
        let share = run as f64 / ((last - first).num_days() + 1) as f64;
        let scale = YEARLY.powi(year - 2023).max(FLOOR) * share;
        out.push(scaled(&QUARTERS[quarter as usize], year, scale, (end < last).then_some(end)));
        (year, quarter) = if quarter == 4 { (year + 1, 1) } else { (year, quarter + 1) };
    }
}

/// A 2023 quarter (`base`) moved to `year`, its figures times `scale`.
fn scaled(base: &Quarter, year: i32, scale: f64, cut: Option<NaiveDate>) -> Quarter {
    let times = |n: f64| (n * scale).round();
    Quarter {
        year,
        quarter: base.quarter,
        crimes: (times(base.crimes as f64) as u64).max(1),
        narcotics_grams: times(base.narcotics_grams as f64) as i64,
        accidents: times(base.accidents as f64) as u64,
        killed: times(base.killed as f64) as i64,
        injured: times(base.injured as f64) as i64,
        reimbursed_permille: REIMBURSED_PERMILLE,
        damage_qepik: None,
        drug_persons: None,
        cut,
    }
}

/// Reports still awaiting a decision at `now`, received on the last days up
/// to `end` (after the story), in every police unit.
fn awaiting(
    rng: &mut Rng,
    recorders: &Recorders,
    rules: &Rules,
    now: DateTime<Utc>,
    end: NaiveDate,
) -> Vec<LoneReport> {
    let days = days_by_standing(rules, now, end);
    let mut out = Vec::new();
    for (unit, volume) in recorders.police.iter().zip(&recorders.police_volume) {
        for (days, (per_volume, least)) in days.iter().zip(AWAITING_PER_VOLUME) {
            if days.is_empty() {
                continue;
            }
            let n = ((volume * per_volume).round() as usize).max(least);
            for _ in 0..n {
                let day = rng.choice(days);
                let received = Local::anchor(rng, day);
                out.push(plan::awaiting_report(rng, unit.clone(), received));
            }
        }
    }
    out
}

/// The days a report may have come in on and still await a decision, by how
/// its deadline stands at `now`: later than today, due today (by the start
/// of tomorrow), overdue; as the queue counts them.
fn days_by_standing(rules: &Rules, now: DateTime<Utc>, end: NaiveDate) -> [Vec<NaiveDate>; 3] {
    let tomorrow = rules.start_of_day(rules.local_date(now) + Days::new(1));
    let mut days: [Vec<NaiveDate>; 3] = Default::default();
    for back in 0..AWAITING_DAYS {
        let day = end - Days::new(back);
        if day <= super::end() {
            break;
        }
        let received = Local { day, minute: 12 * 60 }.utc(rules);
        // Every day has a rule in the shipped rules; a day without one is skipped.
        let Ok(deadline) = rules.deadline(Procedure::CrimeReport, received, 0) else { continue };
        let standing = if deadline <= now {
            2
        } else if deadline <= tomorrow {
            1
        } else {
            0
        };
        days[standing].push(day);
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ymd;

    fn rules() -> std::sync::Arc<Rules> {
        crimeboard_service::Jurisdiction::demo().rules.clone()
    }

    fn baku(day: NaiveDate, hour: u32) -> DateTime<Utc> {
        Local { day, minute: hour * 60 }.utc(&rules())
    }

    #[test]
    fn the_data_set_ends_with_the_last_working_day_that_is_over() {
        let day = ymd(2025, 1, 22);
        assert_eq!(last_day(&rules(), baku(day, 3)), ymd(2025, 1, 21));
        assert_eq!(last_day(&rules(), baku(day, 20)), ymd(2025, 1, 21));
        assert_eq!(last_day(&rules(), baku(day, 21)), day);
    }

    #[test]
    fn quarters_follow_2023_with_the_trend_and_the_last_is_cut() {
        let quarters = quarters(ymd(2025, 2, 14));
        let named: Vec<(i32, u32)> = quarters.iter().map(|q| (q.year, q.quarter)).collect();
        assert_eq!(named, [(2024, 3), (2024, 4), (2025, 1)]);
        assert!(QUARTERS[1..=4].iter().all(|q| q.year == 2023), "the bases are 2023's quarters");
        // 2024Q3 is 2023Q3 less 3.2 %; 2025Q1 has run 45 of its 90 days.
        assert_eq!(quarters[0].crimes, (10_046.0 * YEARLY).round() as u64);
        assert_eq!(quarters[0].cut, None);
        assert_eq!(quarters[2].cut, Some(ymd(2025, 2, 14)));
        assert_eq!(quarters[2].crimes, (9_214.0 * YEARLY * YEARLY * 45.0 / 90.0).round() as u64);
        assert!(self::quarters(crate::seed::end()).is_empty());
        let late = self::quarters(ymd(2040, 12, 31));
        assert_eq!(late.last().map(|q| q.crimes), Some((9_487.0 * FLOOR).round() as u64));
    }

    #[test]
    fn every_police_unit_has_reports_awaiting_a_decision_due_later_and_today() {
        let tree = crimeboard_domain::units::UnitTree::new(crimeboard_service::demo_units()).unwrap();
        let recorders = Recorders::of(&tree).unwrap();
        let now = baku(ymd(2025, 1, 22), 12);
        let end = last_day(&rules(), now);
        let days = days_by_standing(&rules(), now, end);
        // A report's check runs 3 calendar days; the deadline is the start of the 4th.
        assert_eq!(days[0], [ymd(2025, 1, 21), ymd(2025, 1, 20)]);
        assert_eq!(days[1], [ymd(2025, 1, 19)]);
        assert_eq!(days[2].first(), Some(&ymd(2025, 1, 18)));
        let reports = awaiting(&mut Rng::new(1), &recorders, &rules(), now, end);
        for unit in &recorders.police {
            let mine: Vec<&LoneReport> = reports.iter().filter(|r| &r.unit == unit).collect();
            let on = |days: &[NaiveDate]| mine.iter().filter(|r| days.contains(&r.received.day)).count();
            assert!(on(&days[0]) >= 1 && on(&days[1]) >= 1, "{unit}");
            assert!(mine.iter().all(|r| r.decided.is_none() && baku(r.received.day, 21) <= now));
        }
        let busiest: Vec<&LoneReport> = reports.iter().filter(|r| r.unit.as_str() == "BAK-NSM").collect();
        assert!(busiest.iter().any(|r| days[2].contains(&r.received.day)), "the busiest district has overdue reports");
    }
}
