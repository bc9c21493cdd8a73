//! The open data: figures per unit, month and indicator from the counters,
//! small cells hidden so that none can be recomputed from published totals,
//! and no personal data in the files written.

use crate::support::*;
use chrono::Duration;
use crimeboard_domain::Command;
use crimeboard_service::{ServiceError, Structure};
use crimeboard_stats::Period;
use crimeboard_stats::disclosure::{OpenCell, Reason};
use std::collections::{BTreeSet, HashMap};

/// Cases registered in `unit` on `day` (2024), each with a named suspect.
fn cases(env: &Env, unit_code: &str, day: &str, n: usize) -> Vec<uuid::Uuid> {
    (0..n)
        .map(|i| {
            let registered = at(&format!("2024-{day}T09:00:00Z")) + Duration::minutes(i as i64);
            let mut c = new_case(vec![], &registered.to_rfc3339());
            c.unit = unit(unit_code);
            c.detected_by_police = true;
            c.occurred_at = registered - Duration::hours(5);
            c.persons = vec![suspect("Orxan Quliyev", "1985-01-01")];
            ok(env, Command::OpenCase(c)).entity_id
        })
        .collect()
}

fn cell<'a>(cells: &'a [OpenCell], month: &str, unit: &str, indicator: &str) -> &'a OpenCell {
    cells
        .iter()
        .find(|c| c.month == month && c.unit.as_str() == unit && c.indicator == indicator)
        .unwrap_or_else(|| panic!("no cell {month} {unit} {indicator}"))
}

#[test]
fn small_cells_are_hidden_and_cannot_be_recomputed_from_totals() {
    each_backend(|env| {
        let mut ids = Vec::new();
        ids.extend(cases(env, "BAK-NSM", "03-04", 5));
        ids.extend(cases(env, "BAK-YAS", "03-05", 1));
        ids.extend(cases(env, "BAK-SAB", "03-06", 2));
        ids.extend(cases(env, "GNC", "03-07", 4));
        ids.extend(cases(env, "GNC", "01-15", 7));
        ids.extend(cases(env, "SMQ", "01-16", 1));
        let data = env.registry.open_data(Period::parse("2024Q1").unwrap(), 3, Structure::InForce).unwrap();
        assert_eq!(data.months, ["2024-01", "2024-02", "2024-03"]);
        assert_eq!(data.threshold, 3);
        assert_eq!(data.counting_rules, env.registry.jurisdiction().indicators.version);
        assert_eq!(data.position, env.registry.store().position().unwrap());
        let cells = &data.cells;
        let units = env.registry.units();
        assert_eq!(cells.len(), 3 * units.len() * data.indicators.len(), "every month, unit and indicator");

        // Primary suppression, in the unit and in the units above it.
        let yas = cell(cells, "2024-03", "BAK-YAS", "crimes_recorded");
        assert_eq!((yas.value, yas.suppressed), (None, Some(Reason::Small)));
        assert_eq!(cell(cells, "2024-03", "BAK-SAB", "crimes_recorded").suppressed, Some(Reason::Small));
        assert_eq!(cell(cells, "2024-01", "SMQ", "crimes_recorded").suppressed, Some(Reason::Small));
        assert_eq!(cell(cells, "2024-03", "BAK-NSM", "crimes_recorded").value, Some(5));
        assert_eq!(cell(cells, "2024-03", "BAK", "crimes_recorded").value, Some(8));
        assert_eq!(cell(cells, "2024-03", "AZ", "crimes_recorded").value, Some(12));
        assert_eq!(cell(cells, "2024-02", "AZ", "crimes_recorded").value, Some(0), "zero is published");
        // SMQ alone hidden among MIA's children would be MIA - the others: GNC goes too.
        assert_eq!(cell(cells, "2024-01", "GNC", "crimes_recorded").suppressed, Some(Reason::Complementary));
        assert_eq!(cell(cells, "2024-01", "MIA", "crimes_recorded").value, Some(8));

        for c in cells {
            assert_eq!(c.value.is_none(), c.suppressed.is_some(), "{c:?}");
        }

        // No unit and its children have exactly one hidden cell, and totals add up.
        let by_key: HashMap<(&str, &str, &str), &OpenCell> =
            cells.iter().map(|c| ((c.month.as_str(), c.unit.as_str(), c.indicator.as_str()), c)).collect();
        let codes: BTreeSet<&str> = cells.iter().map(|c| c.indicator.as_str()).collect();
        for month in &data.months {
            for parent in units.all() {
                let kids: Vec<_> = units.children(&parent.code).collect();
                if kids.is_empty() {
                    continue;
                }
                for code in &codes {
                    let get = |u: &str| by_key[&(month.as_str(), u, *code)];
                    let family: Vec<&OpenCell> = std::iter::once(get(parent.code.as_str()))
                        .chain(kids.iter().map(|k| get(k.code.as_str())))
                        .collect();
                    let hidden = family.iter().filter(|c| c.suppressed.is_some()).count();
                    assert_ne!(hidden, 1, "{month} {} {code}: a lone hidden cell on {}", parent.code, env.db.name);
                    if hidden == 0 {
                        // No unit above a district records cases itself here: the parent is the sum.
                        let sum: i64 = family[1..].iter().map(|c| c.value.unwrap()).sum();
                        assert_eq!(family[0].value, Some(sum), "{month} {} {code}", parent.code);
                    }
                }
            }
        }

        // The published country figure is the Board report's.
        let report = env.registry.report(Period::parse("2024-03").unwrap(), None).unwrap();
        let recorded = report.figure("crimes_recorded").unwrap().change.current;
        assert_eq!(cell(cells, "2024-03", "AZ", "crimes_recorded").value, Some(recorded));

        // The files: no names, addresses, register numbers or ids.
        let files = crimeboard_export::open_data::files(&data);
        let names: Vec<_> = files.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["figures.csv", "figures.json", "schema.json"]);
        let csv = String::from_utf8(files[0].1.clone()).unwrap();
        assert!(csv.starts_with("\u{feff}period_month,unit_code,unit_name_az,unit_name_en,indicator,"));
        assert!(csv.contains("2024-03,BAK-YAS,"), "{}", &csv[..400]);
        let json: serde_json::Value = serde_json::from_slice(&files[1].1).unwrap();
        assert_eq!(json["rows"].as_array().unwrap().len(), cells.len());
        assert_eq!(json["metadata"]["threshold"], 3);
        assert_eq!(json["metadata"]["journal_position"], data.position);
        let schema: serde_json::Value = serde_json::from_slice(&files[2].1).unwrap();
        assert_eq!(schema["resources"][0]["schema"]["fields"].as_array().unwrap().len(), 11);
        assert_eq!(schema["suppression"]["threshold"], 3);
        // Amounts are the demo pack's qəpik: the files say so.
        assert_eq!(json["metadata"]["currency"], serde_json::json!({"code": "AZN", "minor_units": 2}));
        let value_unit = &schema["resources"][0]["schema"]["fields"][10];
        assert_eq!(value_unit["name"], "value_unit");
        assert!(value_unit["description"].as_str().unwrap().contains("minor units of the currency: 1/100 AZN"));
        for (name, bytes) in &files {
            let text = String::from_utf8_lossy(bytes);
            for personal in ["Orxan", "Quliyev", "Məmmədov", "Leyla", "Vurğun", "1985-01-01", "C-BAK"] {
                assert!(!text.contains(personal), "{name} holds {personal:?}");
            }
            for id in &ids {
                assert!(!text.contains(&id.to_string()), "{name} holds an entity id");
            }
        }
    });
}

#[test]
fn the_threshold_is_a_setting_and_periods_are_whole_months() {
    each_backend(|env| {
        cases(env, "BAK-YAS", "03-05", 2);
        let data = env.registry.open_data(Period::parse("2024-03").unwrap(), 2, Structure::InForce).unwrap();
        assert_eq!(cell(&data.cells, "2024-03", "BAK-YAS", "crimes_recorded").value, Some(2));
        let data = env.registry.open_data(Period::parse("2024-03").unwrap(), 5, Structure::InForce).unwrap();
        assert_eq!(cell(&data.cells, "2024-03", "BAK-YAS", "crimes_recorded").suppressed, Some(Reason::Small));
        match env.registry.open_data(Period::parse("ytd:2024-04-19").unwrap(), 3, Structure::InForce) {
            Err(ServiceError::Rejected(r)) => assert_eq!(r.0[0].rule, "period.whole_months"),
            other => panic!("expected a rejection, got {other:?}"),
        }
    });
}

/// Yasamal merged into Nasimi from 1 March: January's open data shows
/// Yasamal's cases as its own under the tree in force then, and as Nasimi's
/// under the current tree; a period from 1 March on has no change dated
/// inside or after it.
#[test]
fn open_data_rolls_up_under_the_tree_asked_for() {
    each_backend(|env| {
        cases(env, "BAK-YAS", "01-10", 5);
        cases(env, "BAK-NSM", "01-11", 4);
        let merge = crimeboard_domain::units::MergeUnits {
            absorbed: unit("BAK-YAS"),
            into: unit("BAK-NSM"),
            effective_from: "2024-03-01".parse().unwrap(),
        };
        let s = crimeboard_service::Submission {
            actor: "tests".into(),
            legal_ground: "MIA order No. 12".into(),
            command: Command::MergeUnits(merge),
            late: None,
        };
        env.registry.record(&as_system(&env.registry), &s, &crimeboard_service::audit::Audited::No).unwrap();
        let january = Period::parse("2024-01").unwrap();
        let recorded = |structure, unit: &str| {
            let data = env.registry.open_data(january, 1, structure).unwrap();
            data.cells
                .iter()
                .find(|c| c.month == "2024-01" && c.unit.as_str() == unit && c.indicator == "crimes_recorded")
                .and_then(|c| c.value)
        };
        assert_eq!(
            (recorded(Structure::InForce, "BAK-YAS"), recorded(Structure::InForce, "BAK-NSM")),
            (Some(5), Some(4))
        );
        assert_eq!(recorded(Structure::Current, "BAK-NSM"), Some(9), "Yasamal's January counts for Nasimi");
        assert_eq!(recorded(Structure::InForce, "BAK"), recorded(Structure::Current, "BAK"));
        assert!(env.registry.structure_matters(january));
        assert!(env.registry.structure_matters(Period::parse("2024Q1").unwrap()), "dated inside the quarter");
        assert!(!env.registry.structure_matters(Period::parse("2024-03").unwrap()), "dated on its first day");
    });
}

#[test]
fn the_open_data_carries_how_many_times_its_period_was_published() {
    each_backend(|env| {
        cases(env, "BAK-NSM", "03-04", 5);
        let q1 = Period::parse("2024Q1").unwrap();
        let revision = || env.registry.open_data(q1, 3, Structure::InForce).unwrap().revision;
        assert_eq!(revision(), 0, "not yet published on {}", env.db.name);
        let publish = |kind| {
            ok(
                env,
                Command::PublishReport(crimeboard_domain::publication::NewPublication {
                    scope: unit("AZ"),
                    period_from: q1.from,
                    period_to: q1.to,
                    kind,
                    note: String::new(),
                }),
            )
        };
        publish(crimeboard_domain::publication::PublicationKind::OpenData);
        assert_eq!(revision(), 1);
        // The Board's report of the same period is another publication, not the open data's.
        publish(crimeboard_domain::publication::PublicationKind::BoardReport);
        publish(crimeboard_domain::publication::PublicationKind::OpenData);
        let data = env.registry.open_data(q1, 3, Structure::InForce).unwrap();
        assert_eq!(data.revision, 2);
        let json: serde_json::Value =
            serde_json::from_slice(&crimeboard_export::open_data::figures_json(&data)).unwrap();
        assert_eq!(json["metadata"]["revision"], 2, "figures.json says it");
    });
}
