//! Registration throughput through the very path the API uses
//! (`Registry::submit_batch`): validation, numbering, the journal's hash
//! chain and the projections, committed in batches.

use crate::generate::{Rng, report_and_case, submission};
use anyhow::Result;
use chrono::{Duration, TimeZone, Utc};
use crimeboard_domain::Command;
use crimeboard_domain::units::{UnitCode, UnitKind};
use crimeboard_service::Registry;
use std::time::{Duration as Elapsed, Instant};

/// Registers `cases` cases, each as two acts (report, then case opened from
/// it with a suspect and a victim), `batch` cases per transaction pair.
pub fn register(registry: &Registry, cases: u64, batch: usize) -> Result<()> {
    if registry.units().is_empty() {
        registry.add_units(&crimeboard_service::demo_units())?;
    }
    let units = leaf_units(registry);
    let mut rng = Rng::new(2024);
    let start = Utc.with_ymd_and_hms(2015, 1, 1, 6, 0, 0).single().expect("valid start");
    let mut done = 0u64;
    let (mut gen_time, mut report_time, mut case_time) = (Elapsed::ZERO, Elapsed::ZERO, Elapsed::ZERO);
    let began = Instant::now();
    let mut last_print = Instant::now();
    while done < cases {
        let n = (cases - done).min(batch as u64);
        let t = Instant::now();
        let mut reports = Vec::with_capacity(n as usize);
        let mut opened = Vec::with_capacity(n as usize);
        for i in 0..n {
            let unit = &units[((done + i) % units.len() as u64) as usize];
            // Spread over ten years, about 270 seconds apart.
            let received = start + Duration::seconds(((done + i) * 270 + rng.below(200)) as i64);
            let (r, c) = report_and_case(&mut rng, unit, received);
            reports.push(r);
            opened.push(c);
        }
        gen_time += t.elapsed();
        let t = Instant::now();
        let receipts = registry.submit_batch(&reports)?;
        report_time += t.elapsed();
        let t = Instant::now();
        let cases: Vec<_> = opened
            .into_iter()
            .zip(&receipts)
            .map(|(mut c, r)| {
                c.report_ids = vec![r.entity_id];
                submission(Command::OpenCase(c))
            })
            .collect();
        gen_time += t.elapsed();
        let t = Instant::now();
        registry.submit_batch(&cases)?;
        case_time += t.elapsed();
        done += n;
        if last_print.elapsed().as_secs() >= 5 {
            eprintln!("  {done} cases, {:.0} cases/s", done as f64 / began.elapsed().as_secs_f64());
            last_print = Instant::now();
        }
    }
    let total = began.elapsed().as_secs_f64();
    println!("backend:       {:?}", registry.store().backend());
    println!("cases:         {done} ({} acts, {} persons)", done * 2, done * 3);
    println!("batch:         {batch} acts per transaction");
    println!("elapsed:       {total:.1} s");
    println!("rate:          {:.0} cases/s ({:.0} acts/s)", done as f64 / total, 2.0 * done as f64 / total);
    println!("  generating:  {:.1} s", gen_time.as_secs_f64());
    println!("  reports:     {:.1} s", report_time.as_secs_f64());
    println!("  cases:       {:.1} s", case_time.as_secs_f64());
    Ok(())
}

fn leaf_units(registry: &Registry) -> Vec<UnitCode> {
    let tree = registry.units();
    tree.all()
        .filter(|u| matches!(u.kind, UnitKind::District | UnitKind::City))
        .map(|u| u.code.clone())
        .collect()
}

/// A small demo data set until the Board's generator lands: a few thousand
/// cases over early 2023 and 2024 in every district.
pub fn load_demo(registry: &Registry) -> Result<()> {
    let units = leaf_units(registry);
    let mut rng = Rng::new(19_04_2024);
    for year in [2023, 2024] {
        let start = Utc.with_ymd_and_hms(year, 1, 1, 6, 0, 0).single().expect("valid start");
        let mut reports = Vec::new();
        let mut opened = Vec::new();
        for i in 0..1500u64 {
            let unit = &units[(i % units.len() as u64) as usize];
            let received = start + Duration::minutes((i * 86 + rng.below(60)) as i64);
            let (r, c) = report_and_case(&mut rng, unit, received);
            reports.push(r);
            opened.push(c);
        }
        let receipts = registry.submit_batch(&reports)?;
        let cases: Vec<_> = opened
            .into_iter()
            .zip(&receipts)
            .map(|(mut c, r)| {
                c.report_ids = vec![r.entity_id];
                submission(Command::OpenCase(c))
            })
            .collect();
        registry.submit_batch(&cases)?;
    }
    eprintln!("crimeboard: demo data loaded: 3000 reports and 3000 cases");
    Ok(())
}
