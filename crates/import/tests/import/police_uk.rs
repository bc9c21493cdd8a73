//! The real West Yorkshire files (police.uk, Open Government Licence v3.0):
//! the report for July 2018 against July 2017 states, per crime type and
//! last outcome, exactly the counts of the files themselves.

use crate::support::*;
use crimeboard_import::import_file;
use crimeboard_stats::Period;
use std::collections::BTreeMap;

/// (crime type, last outcome) -> (July 2018, July 2017).
type Counts = BTreeMap<(String, String), (i64, i64)>;

/// Counts a file straight from its cells, without the importer.
fn count_file(month: &str, counts: &mut Counts) -> u64 {
    let mut reader = csv::Reader::from_path(street_file(month)).unwrap();
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (kind, outcome) = (column("Crime type"), column("Last outcome category"));
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let cell = counts.entry((record[kind].to_string(), record[outcome].to_string())).or_default();
        if month == "2018-07" {
            cell.0 += 1;
        } else {
            cell.1 += 1;
        }
        rows += 1;
    }
    rows
}

#[test]
fn july_2018_against_july_2017_counts_every_crime_type_and_outcome_exactly() {
    let mut direct = Counts::new();
    let rows: BTreeMap<&str, u64> =
        ["2017-07", "2018-07"].into_iter().map(|m| (m, count_file(m, &mut direct))).collect();
    assert_eq!(rows["2018-07"], 31_635);
    each_backend(|env| {
        let mapping = police_uk();
        let importer = crimeboard_service::audit::Actor::new("importer", "cli");
        for (month, rows) in &rows {
            let errors = env.dir.join(format!("{month}.errors.csv"));
            std::fs::write(&errors, "left by an earlier run").unwrap();
            let began = std::time::Instant::now();
            let s = import_file(
                &env.registry,
                &street_file(month),
                &mapping,
                1000,
                Some(errors.clone()),
                &importer,
                &mut |_| {},
            )
            .unwrap();
            eprintln!("{month} on {}: {:?} in {:.1} s", env.db.name, s.progress, began.elapsed().as_secs_f64());
            assert_eq!((s.progress.rows, s.progress.imported, s.progress.rejected), (*rows, *rows, 0), "{month}");
            assert!(
                s.errors.is_none() && !errors.exists(),
                "no error file when no row is rejected, not even an old one"
            );
        }

        let report = env.registry.report(Period::parse("2018-07").unwrap(), None).unwrap();
        assert_eq!(report.scope().unit.as_str(), "EW");
        let mut counted = Counts::new();
        for f in &report.scope().figures {
            if f.code.starts_with("cases_by_category_outcome/") || f.code.starts_with("reports_by_category_outcome/") {
                let [kind, outcome] = f.group.as_slice() else { panic!("{}: two values expected", f.code) };
                let cell = counted.entry((kind.clone(), outcome.clone())).or_default();
                cell.0 += f.change.current;
                cell.1 += f.change.previous;
            }
        }
        assert_eq!(counted, direct, "per crime type and outcome, July 2018 and July 2017, on {}", env.db.name);

        // Crimes are cases; anti-social behaviour is reports refused as no crime.
        let asb = |month: usize| {
            direct
                .iter()
                .filter(|((k, _), _)| k == "Anti-social behaviour")
                .map(|(_, c)| [c.0, c.1][month])
                .sum::<i64>()
        };
        let figure = |code: &str| report.figure(code).unwrap_or_else(|| panic!("no figure {code}")).change;
        let crimes = figure("crimes_recorded");
        assert_eq!((crimes.current, crimes.previous), (31_635 - asb(0), 28_537 - asb(1)));
        let reports = figure("reports_refused");
        assert_eq!((reports.current, reports.previous), (asb(0), asb(1)));
        let suspended = direct
            .iter()
            .filter(|((_, o), _)| o == "Investigation complete; no suspect identified")
            .map(|(_, c)| c.0)
            .sum::<i64>();
        assert_eq!(figure("suspended_unidentified").current, suspended);
        let vehicle = figure("cases_by_category/Vehicle crime");
        assert_eq!((vehicle.current, vehicle.previous), (1_955, 2_096));

        // The same file again adds nothing.
        let position = env.position();
        let again = import_file(
            &env.registry,
            &street_file("2018-07"),
            &mapping,
            1000,
            Some(env.dir.join("again.csv")),
            &importer,
            &mut |_| {},
        )
        .unwrap();
        assert_eq!((again.progress.imported, again.progress.already_imported), (0, rows["2018-07"]));
        assert_eq!(env.position(), position, "re-importing wrote nothing on {}", env.db.name);

        assert_eq!(env.registry.verify_counters().unwrap(), vec![], "counters equal a recount on {}", env.db.name);
    });
}
