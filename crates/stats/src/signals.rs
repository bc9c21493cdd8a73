//! The signs of under-recording, per unit and period (docs/integrity.md, "How
//! an inspector uses the signals"). A signal is a ratio of the counting
//! rules (`[[signal]]` names it), counted by the same counters as every other
//! figure and so recounted by `stats verify`, read on a funnel plot over the
//! units below a scope, and worded as a question for an inspector: a unit
//! beyond the limits on the side the signal names is worth asking about,
//! never ranked.

use crate::board::BoardReport;
use crate::funnel::{Band, Funnel, FunnelRow};
use crate::indicators::{IndicatorSet, Measure, in_last_days_of_quarter};
use crate::period::Period;
use crimeboard_domain::units::Names;
use serde::{Deserialize, Serialize};

/// A signal as the counting rules declare it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signal {
    pub code: String,
    /// The ratio it reads: one marked `funnel = true`.
    pub ratio: String,
    /// The question an inspector asks, in each language.
    pub question: Names,
    /// The side of the limits worth asking about.
    pub ask_when: Side,
    /// What the units are compared against.
    #[serde(default)]
    pub against: Against,
}

/// Which side of the limits makes a unit worth asking about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Above,
    Below,
    Either,
}

/// The share a unit is compared with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Against {
    /// The units' pooled share (the funnel's usual target).
    #[default]
    Peers,
    /// The share of the period's days that the numerator's
    /// `last_days_of_quarter` lets through: what registrations spread evenly
    /// over the days would give, so the question is "more than the calendar
    /// explains?".
    Calendar,
}

/// One signal read for the units directly below a report's scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignalReading {
    pub code: String,
    pub question: Names,
    /// The ratio read, with its name and method.
    pub ratio: String,
    pub name: Names,
    pub method: Names,
    pub ask_when: Side,
    pub against: Against,
    pub funnel: Funnel,
    /// The units beyond the 95 % limit on the side asked about, in the
    /// report's order (not by share).
    pub worth_asking: Vec<String>,
}

/// The question of a unit whose solved share is high while the crimes it
/// records fell against the same period a year before, both beyond what
/// chance explains among its peers (`[solving_against_recording]`): the mark
/// a unit leaves that solves what it records and records less.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SolvingAgainstRecording {
    /// The solved share: a ratio marked `funnel = true`.
    pub solved: String,
    /// The crimes recorded: an indicator counted, not grouped.
    pub recorded: String,
    pub question: Names,
}

/// The question read over the units directly below a report's scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SolvingAgainstRecordingReading {
    pub question: Names,
    /// The solved share's funnel.
    pub solved: Funnel,
    /// Each unit's crimes recorded in the period out of those of the period
    /// and the same period a year before together: under an unchanged rate
    /// about the peers' pooled share, so a unit below its lower limit
    /// recorded fewer than its peers' change explains.
    pub change: Funnel,
    /// The units beyond the upper 99.8 % limit of the solved share and the
    /// lower 99.8 % limit of the change at once, in the report's order.
    pub worth_asking: Vec<SolvingAgainstRecordingUnit>,
}

/// A unit worth asking about, with both numbers the question rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SolvingAgainstRecordingUnit {
    pub unit: String,
    pub solved: i64,
    pub solved_of: i64,
    pub recorded: i64,
    pub recorded_year_before: i64,
}

/// Reads the question from a report; None when the rules do not ask it.
pub fn solving_against_recording(report: &BoardReport, set: &IndicatorSet) -> Option<SolvingAgainstRecordingReading> {
    let asked = set.solving_against_recording.as_ref()?;
    let solved_rows = report.funnel_rows(&asked.solved)?;
    let scope = report.scope();
    let change_rows: Vec<FunnelRow> = report
        .units
        .iter()
        .filter(|u| u.parent.as_ref() == Some(&scope.unit))
        .filter_map(|u| {
            let change = &u.figures.iter().find(|f| f.code == asked.recorded)?.change;
            Some(FunnelRow {
                unit: u.unit.to_string(),
                numerator: change.current,
                denominator: change.current + change.previous,
            })
        })
        .collect();
    let (solved, change) = (Funnel::of(&solved_rows), Funnel::of(&change_rows));
    let worth_asking = solved
        .points
        .iter()
        .filter(|s| s.band == Band::Beyond998High)
        .filter_map(|s| {
            let c = change.points.iter().find(|c| c.unit == s.unit && c.band == Band::Beyond998Low)?;
            Some(SolvingAgainstRecordingUnit {
                unit: s.unit.clone(),
                solved: s.numerator,
                solved_of: s.denominator,
                recorded: c.numerator,
                recorded_year_before: c.denominator - c.numerator,
            })
        })
        .collect();
    Some(SolvingAgainstRecordingReading { question: asked.question.clone(), solved, change, worth_asking })
}

/// Checks the counting rules' signals: codes once each, a ratio compared on
/// a funnel plot, and the calendar only for a numerator that keeps the last
/// days of a quarter.
pub(crate) fn check(set: &IndicatorSet) -> Result<(), String> {
    if let Some(asked) = &set.solving_against_recording {
        if !set.ratios.iter().any(|r| r.code == asked.solved && r.funnel) {
            return Err(format!(
                "solving_against_recording.solved: {} is not a ratio compared on a funnel plot (funnel = true)",
                asked.solved
            ));
        }
        if !set.get(&asked.recorded).is_some_and(|i| i.measure == Measure::Count && !i.is_grouped()) {
            return Err(format!(
                "solving_against_recording.recorded: {} is not an indicator that counts, ungrouped",
                asked.recorded
            ));
        }
    }
    let mut codes = std::collections::BTreeSet::new();
    for s in &set.signals {
        if !codes.insert(s.code.as_str()) {
            return Err(format!("signal {} defined twice", s.code));
        }
        let Some(ratio) = set.ratios.iter().find(|r| r.code == s.ratio) else {
            return Err(format!("signal {}: unknown ratio {}", s.code, s.ratio));
        };
        if !ratio.funnel {
            return Err(format!(
                "signal {}: ratio {} is not compared on a funnel plot (funnel = true)",
                s.code, s.ratio
            ));
        }
        if s.against == Against::Calendar && calendar_days(set, &ratio.numerator).is_none() {
            return Err(format!(
                "signal {}: against = \"calendar\" needs a numerator filtered by last_days_of_quarter ({} is not)",
                s.code, ratio.numerator
            ));
        }
    }
    Ok(())
}

fn calendar_days(set: &IndicatorSet, numerator: &str) -> Option<u32> {
    set.get(numerator)?.filter.last_days_of_quarter
}

/// The share of a period's days that lie within the last `last` days of
/// their quarter.
pub fn calendar_share(period: &Period, last: u32) -> f64 {
    let within = period.from.iter_days().take_while(|d| *d <= period.to).filter(|d| in_last_days_of_quarter(*d, last));
    within.count() as f64 / period.days() as f64
}

/// Every signal of the counting rules, read from a report over the units
/// directly below its scope, in the rules' order.
pub fn read(report: &BoardReport, set: &IndicatorSet) -> Vec<SignalReading> {
    set.signals.iter().filter_map(|s| read_one(report, set, s)).collect()
}

fn read_one(report: &BoardReport, set: &IndicatorSet, signal: &Signal) -> Option<SignalReading> {
    let ratio = set.ratios.iter().find(|r| r.code == signal.ratio)?;
    let rows = report.funnel_rows(&ratio.code)?;
    let funnel = match signal.against {
        Against::Peers => Funnel::of(&rows),
        Against::Calendar => {
            Funnel::against(&rows, calendar_share(&report.period, calendar_days(set, &ratio.numerator)?))
        }
    };
    let target = funnel.target.unwrap_or(0.0);
    let worth_asking = funnel
        .beyond()
        .filter(|p| match signal.ask_when {
            Side::Above => p.share > target,
            Side::Below => p.share < target,
            Side::Either => true,
        })
        .map(|p| p.unit.clone())
        .collect();
    Some(SignalReading {
        code: signal.code.clone(),
        question: signal.question.clone(),
        ratio: ratio.code.clone(),
        name: ratio.name.clone(),
        method: ratio.method.clone(),
        ask_when: signal.ask_when,
        against: signal.against,
        funnel,
        worth_asking,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::{Naming, Stamp, Sums, assemble};
    use crate::fixtures::{demo_currency, unit};
    use chrono::NaiveDate;
    use crimeboard_domain::units::{Language, UnitCode, UnitTree};

    const SHIPPED: &str = include_str!("../../../data/jurisdictions/azerbaijan/indicators.toml");

    const DISTRICTS: [&str; 6] = ["BAK-A", "BAK-B", "BAK-C", "BAK-D", "BAK-E", "BAK-F"];

    /// The shipped rules' signals over six districts of Baku, from each
    /// district's counts of the period: (district, indicator, value).
    fn signals_of(period: &str, counts: &[(&str, &str, i64)]) -> Vec<SignalReading> {
        read(&report_of(period, counts, &[]), &IndicatorSet::from_toml(SHIPPED).unwrap())
    }

    /// The shipped rules' report over six districts of Baku, from each
    /// district's counts of the period and of the same period a year before.
    fn report_of(period: &str, counts: &[(&str, &str, i64)], year_before: &[(&str, &str, i64)]) -> BoardReport {
        let set = IndicatorSet::from_toml(SHIPPED).unwrap();
        let mut units = vec![unit("BAK", None)];
        units.extend(DISTRICTS.iter().map(|d| unit(d, Some("BAK"))));
        let tree = UnitTree::new(units).unwrap();
        let sums = |counts: &[(&str, &str, i64)]| -> Sums {
            counts.iter().map(|(u, i, v)| ((u.to_string(), i.to_string()), *v)).collect()
        };
        let recorded_by = Names::default();
        let currency = demo_currency();
        let naming = Naming::new(Language::Az, Default::default());
        let stamp = Stamp {
            position: 1,
            catalogue: "c",
            catalogue_illustrative: true,
            recorded_by: &recorded_by,
            currency: &currency,
            naming: &naming,
        };
        let root = UnitCode::parse("BAK").unwrap();
        assemble(&set, &tree, &root, Period::parse(period).unwrap(), &sums(counts), &sums(year_before), stamp)
    }

    fn worth_asking<'a>(readings: &'a [SignalReading], code: &str) -> Vec<&'a str> {
        let reading = readings.iter().find(|r| r.code == code).unwrap_or_else(|| panic!("no signal {code}"));
        reading.worth_asking.iter().map(String::as_str).collect()
    }

    /// Each district's numerator of `per_hundred` out of a denominator of
    /// 100, the others' 20.
    fn shares(
        numerator: &str,
        denominator: &str,
        per_hundred: &[(&'static str, i64)],
    ) -> Vec<(&'static str, String, i64)> {
        DISTRICTS
            .iter()
            .flat_map(|d| {
                let x = per_hundred.iter().find(|(u, _)| u == d).map_or(20, |(_, x)| *x);
                [(*d, numerator.to_string(), x), (*d, denominator.to_string(), 100)]
            })
            .collect()
    }

    fn as_counts<'a>(rows: &'a [(&'static str, String, i64)]) -> Vec<(&'static str, &'a str, i64)> {
        rows.iter().map(|(u, i, v)| (*u, i.as_str(), *v)).collect()
    }

    #[test]
    fn the_shipped_rules_ask_seven_questions_of_funnel_ratios() {
        let set = IndicatorSet::from_toml(SHIPPED).unwrap();
        let asked: Vec<(&str, &str, Side, Against)> =
            set.signals.iter().map(|s| (s.code.as_str(), s.ratio.as_str(), s.ask_when, s.against)).collect();
        assert_eq!(
            asked,
            [
                ("refusals", "refusal_share", Side::Above, Against::Peers),
                ("late_registration", "late_registration_share", Side::Above, Against::Peers),
                ("quarter_end", "quarter_end_share", Side::Above, Against::Calendar),
                ("appeals_unreported", "appeals_unreported_share", Side::Above, Against::Peers),
                ("cancellations", "cancelled_share", Side::Above, Against::Peers),
                ("downgrades", "downgrade_share", Side::Above, Against::Peers),
                ("just_below_threshold", "just_below_threshold_share", Side::Above, Against::Peers),
            ]
        );
        for s in &set.signals {
            assert!(s.question.en.ends_with('?') && s.question.ru.ends_with('?') && s.question.az.ends_with('?'));
        }
    }

    /// Five districts refuse 20 reports in 100 decided, one refuses 45:
    /// only that one is worth asking about, and one that refuses 5 is below,
    /// the side the refusals' question does not ask about.
    #[test]
    fn a_district_refusing_far_more_than_its_peers_is_worth_asking_about() {
        let rows = shares("reports_refused", "reports_decided", &[("BAK-C", 45), ("BAK-E", 5)]);
        let readings = signals_of("2024Q1", &as_counts(&rows));
        assert_eq!(worth_asking(&readings, "refusals"), ["BAK-C"]);
        let refusals = readings.iter().find(|r| r.code == "refusals").unwrap();
        assert_eq!(refusals.funnel.target, Some(130.0 / 600.0), "the districts' pooled share");
        assert!(refusals.funnel.points.iter().any(|p| p.unit == "BAK-E" && p.band.is_beyond()), "beyond, below");
    }

    #[test]
    fn late_registrations_and_unreported_appeals_read_their_own_counts() {
        let mut rows = shares("reports_registered_late", "reports_received", &[("BAK-A", 50)]);
        rows.extend(shares("appeals_offence_not_reported", "appeals_mentioning_offence", &[("BAK-F", 55)]));
        let readings = signals_of("2024Q1", &as_counts(&rows));
        assert_eq!(worth_asking(&readings, "late_registration"), ["BAK-A"]);
        assert_eq!(worth_asking(&readings, "appeals_unreported"), ["BAK-F"]);
        assert!(worth_asking(&readings, "refusals").is_empty(), "nothing decided: no refusals' question");
    }

    /// Bunching is asked against the calendar, not the peers: in 2024Q1 the
    /// last 7 days are 7 of 91, so 8 crimes of 100 there is what the
    /// calendar explains, while all six districts at 30 of 100 are each
    /// worth asking about though none differs from the others.
    #[test]
    fn registrations_bunched_at_the_quarter_end_are_asked_against_the_calendar() {
        let even = shares("crimes_recorded_quarter_end", "crimes_recorded", &DISTRICTS.map(|d| (d, 8)));
        let readings = signals_of("2024Q1", &as_counts(&even));
        let reading = readings.iter().find(|r| r.code == "quarter_end").unwrap();
        assert_eq!(reading.funnel.target, Some(7.0 / 91.0));
        assert!(reading.worth_asking.is_empty());
        let bunched = shares("crimes_recorded_quarter_end", "crimes_recorded", &DISTRICTS.map(|d| (d, 30)));
        assert_eq!(worth_asking(&signals_of("2024Q1", &as_counts(&bunched)), "quarter_end"), DISTRICTS);
    }

    #[test]
    fn the_calendar_share_counts_the_last_days_of_each_quarter_the_period_holds() {
        assert_eq!(calendar_share(&Period::parse("2024Q1").unwrap(), 7), 7.0 / 91.0);
        assert_eq!(calendar_share(&Period::parse("2024").unwrap(), 7), 28.0 / 366.0);
        assert_eq!(calendar_share(&Period::parse("2024-02").unwrap(), 7), 0.0, "February ends no quarter");
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(in_last_days_of_quarter(day("2024-03-25"), 7));
        assert!(!in_last_days_of_quarter(day("2024-03-24"), 7));
        assert!(in_last_days_of_quarter(day("2024-12-31"), 1));
        assert!(!in_last_days_of_quarter(day("2024-10-01"), 7));
    }

    #[test]
    fn a_signal_reads_a_funnel_ratio_and_the_calendar_only_of_a_quarters_last_days() {
        let unknown = SHIPPED.replacen("ratio = \"refusal_share\"", "ratio = \"refusals_share\"", 1);
        assert_eq!(IndicatorSet::from_toml(&unknown).unwrap_err(), "signal refusals: unknown ratio refusals_share");
        let no_funnel = SHIPPED.replacen("ratio = \"refusal_share\"", "ratio = \"in_time_share\"", 1);
        assert_eq!(
            IndicatorSet::from_toml(&no_funnel).unwrap_err(),
            "signal refusals: ratio in_time_share is not compared on a funnel plot (funnel = true)"
        );
        let calendar = SHIPPED.replacen("ask_when = \"above\"\n", "ask_when = \"above\"\nagainst = \"calendar\"\n", 1);
        assert!(
            IndicatorSet::from_toml(&calendar).unwrap_err().starts_with(
                "signal refusals: against = \"calendar\" needs a numerator filtered by last_days_of_quarter"
            )
        );
        let twice = format!(
            "{SHIPPED}\n[[signal]]\ncode = \"refusals\"\nratio = \"refusal_share\"\n\
             question = {{ az = \"a\", ru = \"r\", en = \"e\" }}\nask_when = \"either\"\n"
        );
        assert_eq!(IndicatorSet::from_toml(&twice).unwrap_err(), "signal refusals defined twice");
    }

    /// Every district but BAK-C solves 50 of 100 and records 100 crimes, as
    /// a year before; BAK-C solves `solved` of 100 and records `recorded`.
    fn solving_and_recording(solved: i64, recorded: i64) -> SolvingAgainstRecordingReading {
        let mut now = Vec::new();
        let mut before = Vec::new();
        for d in DISTRICTS {
            let (solved, recorded) = if d == "BAK-C" { (solved, recorded) } else { (50, 100) };
            now.extend([(d, "solved_in_period", solved), (d, "suspended_unidentified", 100 - solved)]);
            now.push((d, "crimes_recorded", recorded));
            before.push((d, "crimes_recorded", 100));
        }
        let set = IndicatorSet::from_toml(SHIPPED).unwrap();
        solving_against_recording(&report_of("2024Q1", &now, &before), &set).unwrap()
    }

    /// BAK-C solving 90 of 100 and recording 40 crimes against 100 a year
    /// before is beyond both 99.8 % limits: worth asking about, with both
    /// numbers; either sign alone is not this question.
    #[test]
    fn a_district_solving_much_while_recording_less_than_a_year_before_is_worth_asking_about() {
        let reading = solving_and_recording(90, 40);
        let asked: Vec<(&str, i64, i64, i64, i64)> = reading
            .worth_asking
            .iter()
            .map(|u| (u.unit.as_str(), u.solved, u.solved_of, u.recorded, u.recorded_year_before))
            .collect();
        assert_eq!(asked, [("BAK-C", 90, 100, 40, 100)]);
        let change = reading.change.points.iter().find(|p| p.unit == "BAK-C").unwrap();
        assert_eq!((change.numerator, change.denominator), (40, 140), "this year's of the two years' crimes");
        assert!(solving_and_recording(90, 100).worth_asking.is_empty(), "solving much, recording as before");
        assert!(solving_and_recording(50, 40).worth_asking.is_empty(), "recording less, solving as the others");
    }

    #[test]
    fn the_question_is_asked_only_when_the_rules_ask_it_of_a_funnel_share() {
        let without = &SHIPPED[..SHIPPED.find("\n[solving_against_recording]").unwrap()];
        let report = report_of("2024Q1", &[("BAK-A", "crimes_recorded", 1)], &[]);
        assert!(solving_against_recording(&report, &IndicatorSet::from_toml(without).unwrap()).is_none());
        let not_a_funnel = SHIPPED.replacen("solved = \"solved_share\"", "solved = \"cohort_solved_share\"", 1);
        assert_eq!(
            IndicatorSet::from_toml(&not_a_funnel).unwrap_err(),
            "solving_against_recording.solved: cohort_solved_share is not a ratio compared on a funnel plot (funnel = true)"
        );
        let grouped = SHIPPED.replacen("recorded = \"crimes_recorded\"", "recorded = \"cases_by_category\"", 1);
        assert_eq!(
            IndicatorSet::from_toml(&grouped).unwrap_err(),
            "solving_against_recording.recorded: cases_by_category is not an indicator that counts, ungrouped"
        );
    }
}
