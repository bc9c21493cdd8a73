//! Units a mapping declares that the registry lacks: the source system's
//! structure, added in force on every day so that its rows of any year are
//! recorded and counted in them, or from the day the mapping gives.

use crate::support::*;
use chrono::NaiveDate;
use crimeboard_domain::Command;
use crimeboard_domain::units::{Names, RenameUnit, UnitCode};
use crimeboard_import::Mapping;
use crimeboard_service::audit::Audited;
use crimeboard_service::{Registry, Submission};
use crimeboard_stats::Period;
use std::sync::Arc;

const HEADER: &str = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";

/// The police.uk mapping with a force and a district the England and Wales
/// pack does not list, after `top` (keys that must precede the tables).
fn with_harrogate(top: &str) -> String {
    let text = police_uk_text()
        .replace("\"Wakefield \" = \"WYP-WKF\"", "\"Wakefield \" = \"WYP-WKF\"\n\"Harrogate \" = \"NYP-HGT\"");
    format!(
        "{top}\n{text}
[[unit_tree]]
code = \"NYP\"
parent = \"EW\"
kind = \"main_department\"
agency = \"mia\"
names = {{ en = \"North Yorkshire Police\" }}

[[unit_tree]]
code = \"NYP-HGT\"
parent = \"NYP\"
kind = \"district\"
agency = \"mia\"
names = {{ en = \"Harrogate\" }}
"
    )
}

fn harrogate_rows(months: &[&str]) -> String {
    let mut text = HEADER.to_string();
    for (i, month) in months.iter().enumerate() {
        text.push_str(&format!(
            "\nh{i},{month},North Yorkshire Police,North Yorkshire Police,-1.5,54.0,On or near High Street,E01027600,Harrogate 001A,Burglary,\"\","
        ));
    }
    text.push('\n');
    text
}

fn code(s: &str) -> UnitCode {
    UnitCode::parse(s).unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A change of the loaded tree dated after every row, as a registry in use has.
fn rename_bradford(registry: &Registry) {
    let rename = RenameUnit {
        unit: code("WYP-BRD"),
        names: Names { en: "City of Bradford".into(), ..Names::default() },
        effective_from: day("2024-03-01"),
    };
    let submission = Submission {
        actor: "tests".into(),
        legal_ground: "Order 1".into(),
        command: Command::RenameUnit(rename),
        late: None,
    };
    registry.record(&registry.system("tests"), &submission, &Audited::No).unwrap();
}

#[test]
fn a_sources_units_are_added_for_every_day_and_its_history_is_recorded_and_counted_in_them() {
    let mapping = Mapping::from_toml(&with_harrogate("")).unwrap();
    each_backend(|env| {
        rename_bradford(&env.registry);
        let s = env.import_text(&harrogate_rows(&["2017-07", "2017-07", "2018-07"]), &mapping, 100);
        assert_eq!((s.progress.imported, s.progress.rejected), (3, 0), "on {}: {:?}", env.db.name, s.progress);

        let july = |year| env.registry.report(Period::parse(year).unwrap(), Some("NYP")).unwrap();
        let count =
            |report: &crimeboard_stats::board::BoardReport| report.figure("crimes_recorded").unwrap().change.current;
        assert_eq!(count(&july("2017-07")), 2, "on {}", env.db.name);
        assert_eq!(count(&july("2018-07")), 1);
        let by_district = july("2017-07");
        let districts: Vec<_> =
            by_district.children("crimes_recorded").iter().map(|(u, _)| u.unit.to_string()).collect();
        assert_eq!(districts, ["NYP-HGT"], "a report of 2017 lists the district");
        assert_eq!(env.registry.verify_counters().unwrap(), vec![], "stats verify passes");
        assert!(env.registry.verify().unwrap().ok());

        // The acts are in the journal and a registry opened again reads the units as there on every day.
        let reopened = Registry::new(env.db.store.clone(), Arc::new(now)).unwrap();
        let tree = reopened.dated_units();
        assert!(tree.as_of(day("2001-01-01")).is_within(&code("NYP-HGT"), &code("NYP")));
        assert_eq!(tree.added_on(&code("NYP-HGT")), None);
        assert_eq!(env.registry.store().unit_changes().unwrap().len(), 1, "only the rename is dated");
        let added = env.entries_written() - 1 - 3;
        assert_eq!(added, 2, "one add_unit act per unit, beside the rename and the rows' acts");
    });
}

#[test]
fn a_mapping_may_date_its_units_and_rows_before_that_day_are_refused() {
    let mapping = Mapping::from_toml(&with_harrogate("units_effective_from = \"2018-01-01\"")).unwrap();
    each_backend(|env| {
        let s = env.import_text(&harrogate_rows(&["2017-07", "2018-07"]), &mapping, 100);
        assert_eq!((s.progress.imported, s.progress.rejected), (1, 1), "on {}: {:?}", env.db.name, s.progress);
        let errors = error_rows(&s.errors.unwrap());
        assert_eq!(errors[0]["error_rule"], "unit.not_yet_added");
        assert_eq!(env.registry.dated_units().added_on(&code("NYP-HGT")), Some(day("2018-01-01")));
        assert!(env.registry.dated_units().as_of(day("2017-12-31")).get(&code("NYP-HGT")).is_none());
    });
}

#[test]
fn a_mapping_dating_its_units_otherwise_is_refused_at_load() {
    for bad in ["2018-13-01", "yesterday", "2018"] {
        let error = Mapping::from_toml(&with_harrogate(&format!("units_effective_from = \"{bad}\""))).unwrap_err();
        assert_eq!(error.key, "units_effective_from", "{bad}");
        assert!(error.to_string().contains("always"), "{error}");
    }
    assert!(Mapping::from_toml(&with_harrogate("units_effective_from = \"always\"")).is_ok());
}
