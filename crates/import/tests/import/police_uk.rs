//! The real West Yorkshire files (police.uk, Open Government Licence v3.0),
//! imported under the England and Wales pack: the report for July 2018
//! against July 2017 states, per police area, crime type and last outcome,
//! exactly the counts of the files themselves.

use crate::support::*;
use crimeboard_import::import_file;
use crimeboard_stats::Period;
use crimeboard_stats::board::BoardReport;
use std::collections::BTreeMap;

/// (unit, crime type, last outcome) -> (July 2018, July 2017).
type Counts = BTreeMap<(String, String, String), (i64, i64)>;

/// The police area a row belongs to, read from its LSOA name as the
/// mapping's comments say: a West Yorkshire district by the local authority
/// the name starts with, the force itself without a location, and outside
/// West Yorkshire otherwise.
fn area(lsoa_name: &str) -> &'static str {
    let districts = [
        ("Bradford", "WYP-BRD"),
        ("Calderdale", "WYP-CLD"),
        ("Kirklees", "WYP-KIR"),
        ("Leeds", "WYP-LDS"),
        ("Wakefield", "WYP-WKF"),
    ];
    if lsoa_name.is_empty() {
        return "WYP";
    }
    let authority = lsoa_name.rsplit_once(' ').map_or(lsoa_name, |(authority, _)| authority);
    districts.iter().find(|(name, _)| *name == authority).map_or("WYP-OUT", |(_, unit)| unit)
}

/// Counts a file straight from its cells, without the importer.
fn count_file(month: &str, counts: &mut Counts) -> u64 {
    let mut reader = csv::Reader::from_path(street_file(month)).unwrap();
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (kind, outcome, lsoa) = (column("Crime type"), column("Last outcome category"), column("LSOA name"));
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let key = (area(&record[lsoa]).to_string(), record[kind].to_string(), record[outcome].to_string());
        let cell = counts.entry(key).or_default();
        if month == "2018-07" {
            cell.0 += 1;
        } else {
            cell.1 += 1;
        }
        rows += 1;
    }
    rows
}

/// Each unit's own figures (a unit's, less its children's), by crime type
/// and outcome, from the cases' and the reports' groups.
fn counted_per_unit(report: &BoardReport) -> Counts {
    let mut counted = Counts::new();
    for unit in &report.units {
        let children: Vec<_> = report.units.iter().filter(|u| u.parent.as_ref() == Some(&unit.unit)).collect();
        for f in &unit.figures {
            if !(f.code.starts_with("cases_by_category_outcome/") || f.code.starts_with("reports_by_category_outcome/"))
            {
                continue;
            }
            let [kind, outcome] = f.group.as_slice() else { panic!("{}: two values expected", f.code) };
            let of_children = |current: bool| -> i64 {
                let figures = children.iter().flat_map(|c| c.figures.iter().filter(|g| g.code == f.code));
                figures.map(|g| if current { g.change.current } else { g.change.previous }).sum()
            };
            let own = (f.change.current - of_children(true), f.change.previous - of_children(false));
            if own != (0, 0) {
                let cell = counted.entry((unit.unit.to_string(), kind.clone(), outcome.clone())).or_default();
                cell.0 += own.0;
                cell.1 += own.1;
            }
        }
    }
    counted
}

/// Sums the counts by (unit, one of type or outcome).
fn by(counts: &Counts, pick: impl Fn(&(String, String, String)) -> String) -> BTreeMap<(String, String), (i64, i64)> {
    let mut sums: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    for (key, (current, previous)) in counts {
        let cell = sums.entry((key.0.clone(), pick(key))).or_default();
        cell.0 += current;
        cell.1 += previous;
    }
    sums
}

#[test]
fn july_2018_against_july_2017_counts_every_area_crime_type_and_outcome_exactly() {
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
        assert_eq!(report.catalogue, "police-uk-categories-2018.1", "counted under the pack's catalogue");
        let counted = counted_per_unit(&report);
        let areas: Vec<&str> = counted.keys().map(|(unit, _, _)| unit.as_str()).collect();
        for unit in ["WYP", "WYP-BRD", "WYP-CLD", "WYP-KIR", "WYP-LDS", "WYP-WKF", "WYP-OUT"] {
            assert!(areas.contains(&unit), "{unit} has records");
        }
        assert_eq!(counted, direct, "per area, crime type and outcome, July 2018 and July 2017, on {}", env.db.name);
        let by_category = |counts: &Counts| by(counts, |(_, kind, _)| kind.clone());
        let by_outcome = |counts: &Counts| by(counts, |(_, _, outcome)| outcome.clone());
        assert_eq!(by_category(&counted), by_category(&direct), "per area and crime type");
        assert_eq!(by_outcome(&counted), by_outcome(&direct), "per area and outcome");
        let leeds = env.registry.report(Period::parse("2018-07").unwrap(), Some("WYP-LDS")).unwrap();
        let burglary: i64 =
            direct.iter().filter(|((u, k, _), _)| u == "WYP-LDS" && k == "Burglary").map(|(_, c)| c.0).sum();
        assert_eq!(leeds.figure("cases_by_category/Burglary").unwrap().change.current, burglary, "Leeds' own report");

        // Crimes are cases; anti-social behaviour is reports refused as no crime.
        let asb = |month: usize| {
            direct
                .iter()
                .filter(|((_, k, _), _)| k == "Anti-social behaviour")
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
            .filter(|((_, _, o), _)| o == "Investigation complete; no suspect identified")
            .map(|(_, c)| c.0)
            .sum::<i64>();
        assert_eq!(figure("suspended_unidentified").current, suspended);
        let vehicle = figure("cases_by_category/Vehicle crime");
        assert_eq!((vehicle.current, vehicle.previous), (1_955, 2_096));
        // The pack's groupings: theft offences are the six theft categories of police.uk.
        let theft_types =
            ["Bicycle theft", "Burglary", "Other theft", "Shoplifting", "Theft from the person", "Vehicle crime"];
        let thefts: i64 =
            direct.iter().filter(|((_, k, _), _)| theft_types.contains(&k.as_str())).map(|(_, c)| c.0).sum();
        let damage: i64 =
            direct.iter().filter(|((_, k, _), _)| k == "Criminal damage and arson").map(|(_, c)| c.0).sum();
        assert_eq!(figure("property_crimes").current, thefts + damage);
        assert_eq!(figure("cases_by_grouping/theft_offences").current, thefts, "grouped by the pack's groupings");

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
