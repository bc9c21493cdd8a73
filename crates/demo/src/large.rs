//! The large size, for benchmarks: the same kinds of data spread over many
//! years and units, drawn case by case from rates (no exact story), and
//! streamed month by month in chunks so memory does not grow with the size.
//!
//! Per case the core is one report and one case opened with its persons
//! inline; decisions, damage, seizures, examinations, accidents and other
//! reports come in proportion.

use crate::clock::{Local, month_span, season};
use crate::crimes::{CRIMES, Crime, Kind, SUBSTANCES, shares};
use crate::emit::Emitter;
use crate::people::Offender;
use crate::plan::{self, AccidentPlan, AdminOffence, CasePlan, Chunk, Damage, Fate, Flags, Seizure};
use crate::rng::{Rng, Weighted, apportion};
use crate::units::Recorders;
use crate::{CHUNK_CASES, Progress};
use anyhow::{Result, bail};
use chrono::{Datelike, Months, NaiveDate};

/// Reports that open no case, accidents and administrative drug offences,
/// per case recorded; fewer than in the seed, to keep per-case work small.
const LONE_REPORTS_PER_CASE: f64 = 0.15;
const ACCIDENTS_PER_CASE: f64 = 0.007;
const ADMIN_OFFENCES_PER_CASE: f64 = 0.02;

/// The data set ends where the seed's does, so both sizes read alike.
/// Applicants who rate how their report was handled.
const RATED: f64 = 0.05;

fn end() -> NaiveDate {
    crate::seed::end()
}

pub(crate) fn generate(
    emitter: &mut Emitter,
    recorders: &Recorders,
    seed: u64,
    years: u32,
    cases: u64,
    progress: &mut dyn FnMut(Progress),
) -> Result<()> {
    let months = months(years)?;
    let per_month = apportion(cases, &months.iter().map(|(_, m)| season(*m)).collect::<Vec<_>>());
    let mut done = 0;
    for (index, ((year, month), n)) in months.iter().zip(per_month).enumerate() {
        let mut left = n;
        let mut part = 0u64;
        while left > 0 {
            let size = left.min(CHUNK_CASES as u64);
            let mut rng = Rng::stream(seed, ((index as u64) << 24) | part);
            let chunk = month_chunk(&mut rng, recorders, *year, *month, size as usize);
            emitter.emit(&chunk)?;
            done += size;
            left -= size;
            part += 1;
            progress(Progress { done, total: cases, what: "cases" });
        }
    }
    Ok(())
}

/// The `years` × 12 calendar months that end with the data set.
fn months(years: u32) -> Result<Vec<(i32, u32)>> {
    if years == 0 || years > 20 {
        bail!("years must be 1 to 20 (the catalogue and the time-zone rules start in the 2000s), not {years}");
    }
    let last = end();
    let first = NaiveDate::from_ymd_opt(last.year(), last.month(), 1)
        .and_then(|d| d.checked_sub_months(Months::new(12 * years - 1)))
        .ok_or_else(|| anyhow::anyhow!("no start date {years} years before {last}"))?;
    Ok((0..12 * years)
        .filter_map(|i| first.checked_add_months(Months::new(i)))
        .map(|d| (d.year(), d.month()))
        .collect())
}

fn month_chunk(rng: &mut Rng, recorders: &Recorders, year: i32, month: u32, n: usize) -> Chunk {
    let kinds = Weighted::new(shares(year));
    let (first, last) = month_span(year, month);
    let day = |rng: &mut Rng| crate::clock::day_between(rng, first, last);
    let cases = (0..n)
        .map(|_| {
            let on = day(rng);
            one_case(rng, recorders, &kinds, on)
        })
        .collect();
    let lone = (0..in_proportion(rng, n, LONE_REPORTS_PER_CASE))
        .filter_map(|_| {
            let (on, unit) = (day(rng), recorders.police_unit(rng).clone());
            let received = Local::anchor(rng, on);
            plan::lone_report(rng, unit, received, end(), RATED)
        })
        .collect();
    let accidents = (0..in_proportion(rng, n, ACCIDENTS_PER_CASE))
        .map(|_| {
            let killed = i64::from(rng.chance(0.25));
            let on = day(rng);
            AccidentPlan {
                unit: recorders.police_unit(rng).clone(),
                at: Local::any(rng, on),
                killed,
                injured: rng.range(1 - killed, 3),
            }
        })
        .collect();
    let admin = (0..in_proportion(rng, n, ADMIN_OFFENCES_PER_CASE))
        .map(|_| {
            let on = day(rng);
            AdminOffence { unit: recorders.police_unit(rng).clone(), at: Local::any(rng, on) }
        })
        .collect();
    Chunk { cases, lone, accidents, admin }
}

/// `n × rate` rounded up or down at random, so small chunks still add up.
fn in_proportion(rng: &mut Rng, n: usize, rate: f64) -> usize {
    let exact = n as f64 * rate;
    exact.floor() as usize + usize::from(rng.chance(exact.fract()))
}

fn one_case(rng: &mut Rng, recorders: &Recorders, kinds: &Weighted, day: NaiveDate) -> CasePlan {
    let index = kinds.sample(rng);
    let crime = &CRIMES[index];
    let article = crime.articles[Weighted::new(crime.article_weights()).sample(rng)].0;
    let (unit, agency) = recorders.pick(rng, crime.prosecutor);
    let registered = Local::anchor(rng, day);
    let report = (!crime.detected_by_police()).then(|| plan::case_report(rng, registered, end(), RATED));
    let occurred = match &report {
        Some(r) => r.received.before(rng, 0, 2),
        None => registered.before(rng, 0, 0),
    };
    let non_obvious = rng.chance(crime.non_obvious);
    let flags = flags(rng, crime, non_obvious);
    let offenders = offenders(rng, flags.group);
    CasePlan {
        unit: unit.clone(),
        agency,
        crime: index,
        article,
        occurred,
        registered,
        report,
        attached: None,
        flags,
        offenders,
        fate: fate(rng, non_obvious, registered),
        court: None,
        damage: damage(rng, crime, registered),
        seizure: (crime.kind == Kind::Narcotics).then(|| Seizure {
            grams: rng.log_normal(120.0, 2.0).round().max(1.0) as i64,
            at: occurred,
            substance: rng.choice(SUBSTANCES),
        }),
        examination: rng
            .chance(0.05)
            .then(|| plan::examination(rng, crime, registered, plan::Reach::hurried(end())))
            .flatten(),
    }
}

fn flags(rng: &mut Rng, crime: &Crime, non_obvious: bool) -> Flags {
    Flags {
        it_enabled: crime.kind == Kind::Computer || (crime.may_use_it() && rng.chance(0.12)),
        group: crime.may_be_group() && rng.chance(0.065),
        family_conflict: crime.may_be_family_conflict() && !non_obvious && rng.chance(0.2),
        public_place: rng.chance(0.3),
        intoxication: rng.chance(0.1),
        non_obvious,
    }
}

fn offenders(rng: &mut Rng, group: bool) -> Vec<Offender> {
    let n = if group { rng.range(2, 3) as usize } else { 1 };
    (0..n).map(|_| Offender { minor: rng.chance(0.03), previously_convicted: rng.chance(0.23) }).collect()
}

/// Obvious cases are solved within weeks; of the rest about half are
/// solved, four in ten suspended, the others still open.
fn fate(rng: &mut Rng, non_obvious: bool, registered: Local) -> Fate {
    let dated = if !non_obvious {
        registered.after(rng, 0, 20, end()).map(Fate::Solved)
    } else {
        match rng.unit() {
            x if x < 0.5 => registered.after(rng, 1, 60, end()).map(Fate::Solved),
            x if x < 0.9 => registered.after(rng, 20, 90, end()).map(Fate::Suspended),
            _ => None,
        }
    };
    dated.unwrap_or(Fate::Open)
}

fn damage(rng: &mut Rng, crime: &Crime, registered: Local) -> Option<Damage> {
    let median = crime.damage_median_manat?;
    if !rng.chance(0.9) {
        return None;
    }
    let qepik = (rng.log_normal(median, 1.3) * 100.0).round().max(100.0) as i64;
    let reimbursed = match rng.unit() {
        x if x < 0.3 => 0,
        x if x < 0.75 => qepik,
        _ => (qepik as f64 * (0.2 + 0.7 * rng.unit())) as i64,
    };
    let assessed = registered.after(rng, 0, 3, end()).unwrap_or(registered);
    let reimbursed_at = assessed.after(rng, 1, 60, end()).unwrap_or(assessed);
    Some(Damage { qepik, assessed, reimbursed, reimbursed_at })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_end_with_the_data_set() {
        let m = months(2).unwrap();
        assert_eq!(m.len(), 24);
        assert_eq!(m[0], (2022, 7));
        assert_eq!(m[23], (2024, 6));
        assert!(months(0).is_err());
    }
}
