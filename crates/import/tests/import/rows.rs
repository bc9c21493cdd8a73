//! Rows one by one: what is wrong is reported where it is, and only there;
//! a file imports once however often it is given; an interrupted import
//! resumes; another system's export maps as its own mapping says.

use crate::support::*;
use crimeboard_domain::Entity;
use crimeboard_import::Mapping;
use crimeboard_service::audit::{Actor, AuditSearch};
use crimeboard_stats::Period;

const HEADER: &str = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";

fn row(id: &str, month: &str, lon: &str, lat: &str, lsoa: &str, kind: &str, outcome: &str) -> String {
    format!(
        "{id},{month},West Yorkshire Police,West Yorkshire Police,{lon},{lat},On or near Park Lane,E01011263,{lsoa},{kind},\"{outcome}\","
    )
}

fn file(rows: &[String]) -> String {
    let mut text = HEADER.to_string();
    for r in rows {
        text.push('\n');
        text.push_str(r);
    }
    text.push('\n');
    text
}

#[test]
fn rejected_rows_go_to_the_error_file_with_line_column_and_rule_and_the_rest_are_imported() {
    let none = "Investigation complete; no suspect identified";
    let text = file(&[
        row("a1", "2018-07", "-1.5", "53.8", "Leeds 001A", "Burglary", none), // line 2: fine
        row("a2", "2018-13", "-1.5", "53.8", "Leeds 001A", "Burglary", none), // 3: no such month
        row("a3", "2018-07", "-1.5", "53.8", "Leeds 001A", "Piracy", none),   // 4: unknown crime type
        row("a4", "2018-07", "", "53.8", "Leeds 001A", "Burglary", none),     // 5: latitude without longitude
        row("a5", "2018-07", "-1.5", "north", "Leeds 001A", "Burglary", none), // 6: not a number
        row("a6", "2018-07", "-1.5", "53.8", "Leeds 001A", "Burglary", "Beamed up"), // 7: unknown outcome
        row("", "2018-07", "-1.5", "53.8", "Bradford 002B", "Anti-social behaviour", ""), // 8: fine
        "a8,2018-07,West Yorkshire Police".to_string(),                       // 9: three cells
        row("a9", "2030-01", "-1.5", "53.8", "Leeds 001A", "Drugs", ""),      // 10: in the future
        row("b1", "2018-07", "-1.5", "53.8", "Leeds 001A", "Drugs", "Local resolution")
            .replace("On or near Park Lane", "\"On or near\nPark Lane\""), // 11-12: fine
        row("b2", "x", "-1.5", "53.8", "", "Piracy", none),                   // 13: two problems
    ]);
    each_backend(|env| {
        let s = env.import_text(&text, &police_uk(), 1000);
        let p = &s.progress;
        assert_eq!((p.rows, p.imported, p.rejected, p.already_imported), (11, 3, 8, 0), "{p:?}");
        assert_eq!(p.acts, 3 + 3, "three records, then a suspension, a refusal and a solution");
        let errors = s.errors.expect("an error file");
        let found: Vec<(String, String, String)> = error_rows(&errors)
            .into_iter()
            .map(|r| (r["error_line"].clone(), r["error_column"].clone(), r["error_rule"].clone()))
            .collect();
        let expected = [
            ("3", "Month", "date.format"),
            ("4", "Crime type", "mapping.unknown_value"),
            ("5", "Latitude + Longitude", "place.both_coordinates"),
            ("6", "Latitude", "number.format"),
            ("7", "Last outcome category", "mapping.unknown_value"),
            ("9", "", "csv.field_count"),
            ("10", "Month", "date.in_future"),
            ("13", "Month | Crime type", "date.format | mapping.unknown_value"),
        ];
        let expected: Vec<_> = expected.iter().map(|(l, c, r)| (l.to_string(), c.to_string(), r.to_string())).collect();
        assert_eq!(found, expected, "on {}", env.db.name);
        let rows = error_rows(&errors);
        assert_eq!(rows[0]["Crime ID"], "a2", "the row's own cells come first");
        assert!(rows[0]["error_message"].contains("does not match the format \"%Y-%m\""), "{:?}", rows[0]);
        assert_eq!(env.entries_written(), 6);

        // Fixed in the error file itself, the rows import; the extra columns are ignored.
        let fixed = std::fs::read_to_string(&errors)
            .unwrap()
            .replace(",2018-13,", ",2018-07,")
            .replace(",Piracy,", ",Other crime,")
            .replace(",,53.8,", ",-1.5,53.8,")
            .replace(",north,", ",53.8,")
            .replace("Beamed up", "Status update unavailable")
            .replace(",2030-01,", ",2018-07,")
            .replace("b2,x,", "b2,2018-07,");
        let again = env.import_text(&fixed, &police_uk(), 1000);
        assert_eq!((again.progress.imported, again.progress.rejected), (7, 1), "all but the three-cell row");
        let report = env.registry.report(Period::parse("2018-07").unwrap(), None).unwrap();
        assert_eq!(report.figure("crimes_recorded").unwrap().change.current, 9);
        assert_eq!(report.figure("cases_by_category/Other crime").unwrap().change.current, 2);
    });
}

#[test]
fn a_row_the_rules_refuse_names_the_column_it_came_from() {
    // Without a suspect to add, a solved outcome breaks "solved needs a suspect".
    let text = police_uk_text().replace("suspect = \"Unnamed offender (police.uk names nobody)\"", "");
    let mapping = Mapping::from_toml(&text).unwrap();
    let csv = file(&[
        row("c1", "2018-07", "-1.5", "53.8", "Leeds 001A", "Shoplifting", "Offender given a caution"),
        row("c2", "2018-07", "-1.5", "53.8", "Leeds 001A", "Shoplifting", "Unable to prosecute suspect"),
        row("c3", "2018-07", "-1.5", "53.8", "Kirklees 003C", "Robbery", "Awaiting court outcome"),
    ]);
    each_backend(|env| {
        // Checked first, or refused by the registry within the batch: the same report.
        for check_first in [false, true] {
            let s = env.import_with(&csv, &mapping, 2, check_first);
            let expected = if check_first { (0, 2, 1) } else { (1, 2, 0) };
            assert_eq!((s.progress.imported, s.progress.rejected, s.progress.already_imported), expected);
            let rows = error_rows(&s.errors.unwrap());
            assert_eq!(rows.len(), 2);
            for (r, line) in rows.iter().zip(["2", "4"]) {
                assert_eq!(r["error_line"], line);
                assert_eq!(r["error_column"], "Last outcome category");
                assert_eq!(r["error_rule"], "case.solved_needs_suspect");
                assert!(r["error_message"].starts_with("decision: case.solved_needs_suspect"), "{r:?}");
            }
        }
        let Entity::Case(case) = env
            .registry
            .list(&Default::default())
            .unwrap()
            .items
            .iter()
            .find_map(|r| crimeboard_service::entity_of(r).ok().filter(|e| matches!(e, Entity::Case(_))))
            .unwrap()
        else {
            unreachable!()
        };
        assert_eq!(case.category.as_deref(), Some("Shoplifting"));
        assert_eq!(
            case.source.as_ref().map(|s| (s.id.as_str(), s.outcome.as_deref())),
            Some(("c2", Some("Unable to prosecute suspect")))
        );
        assert_eq!(case.unit.as_str(), "WYP-LDS");
    });
}

#[test]
fn a_file_imports_once_however_often_it_is_given() {
    let none = "Investigation complete; no suspect identified";
    let text = file(&[
        row("d1", "2018-07", "-1.5", "53.8", "Leeds 001A", "Burglary", none),
        row("d1", "2018-07", "-1.5", "53.8", "Leeds 001A", "Burglary", none), // the same crime twice
        row("", "2018-07", "-1.5", "53.8", "Leeds 001A", "Anti-social behaviour", ""),
        row("", "2018-07", "-1.5", "53.8", "Leeds 001A", "Anti-social behaviour", ""), // two incidents alike
    ]);
    each_backend(|env| {
        let first = env.import_text(&text, &police_uk(), 1000);
        assert_eq!((first.progress.imported, first.progress.already_imported), (3, 1));
        let position = env.position();
        for batch in [1, 1000] {
            let again = env.import_text(&text, &police_uk(), batch);
            assert_eq!((again.progress.imported, again.progress.already_imported), (0, 4));
        }
        assert_eq!(env.position(), position);
    });
}

#[test]
fn an_interrupted_import_resumes_where_it_stopped() {
    let whole = std::fs::read_to_string(street_file("2018-07")).unwrap();
    let lines: Vec<&str> = whole.lines().collect();
    // Stopped after two batches and a half; then the file (its first 5,000 rows) again.
    let prefix = lines[..=2_500].join("\n");
    let file = lines[..=5_000].join("\n");
    each_backend(|env| {
        let stopped = env.import_text(&prefix, &police_uk(), 1000);
        assert_eq!(stopped.progress.imported, 2_500);
        let resumed = env.import_text(&file, &police_uk(), 1000);
        assert_eq!((resumed.progress.imported, resumed.progress.already_imported), (2_500, 2_500));
        assert_eq!(env.entries_written() as u64, stopped.progress.acts + resumed.progress.acts);
        let report = env.registry.report(Period::parse("2018-07").unwrap(), None).unwrap();
        let current = |code: &str| report.figure(code).unwrap().change.current;
        assert_eq!(current("crimes_recorded") + current("reports_received"), 5_000, "each row once");
        assert_eq!(env.registry.verify_counters().unwrap(), vec![]);
        assert!(env.registry.verify().unwrap().ok());
    });
}

/// The example of docs/import.md: a register kept in a spreadsheet.
pub const EXAMPLE: &str = r#"
[source]
system = "district-register"
id = "{No}"
id_when_empty = "reject"

[date]
value = "{Registered}"
format = "%d.%m.%Y %H:%M"

[occurred]
value = "{Occurred}"
format = "%d.%m.%Y"
time = "00:00"

[unit]
value = "{Department}"
ignore_case = true
map = { "north" = "RD-N", "south" = "RD-S" }

[case]
agency = { value = "{Body}", map = { "Police" = "mia", "Prosecutor" = "prosecutor" }, empty = "mia" }
articles = "{Articles}"
description = "{Summary}"
address = "{Address}"

[case.flags]
public_place = "{In public}"
non_obvious = "{Unknown offender}"

[[unit_tree]]
code = "RD"
kind = "republic"
agency = "mia"
names = { az = "Rayon", ru = "Район", en = "District" }

[[unit_tree]]
code = "RD-N"
parent = "RD"
kind = "district"
agency = "mia"
names = { az = "Şimal", ru = "Север", en = "North" }

[[unit_tree]]
code = "RD-S"
parent = "RD"
kind = "district"
agency = "mia"
names = { az = "Cənub", ru = "Юг", en = "South" }
"#;

#[test]
fn another_systems_export_maps_as_its_mapping_says() {
    let csv = "No;Registered;Occurred;Department;Body;Articles;Summary;Address;In public;Unknown offender
R-1;03.02.2024 09:30;02.02.2024;North;Police;177.1;Bicycle taken from a yard;Yard 4;Yes;x
R-2;04.02.2024 10:00;01.02.2024;SOUTH;Prosecutor;178.1, 273.1;Online fraud;;no;
R-3;05.02.2024 11:00;05.02.2024;South;;999.9;Unknown article;;1;0
;06.02.2024 11:00;05.02.2024;West;Police;177.1;No number, unknown department;;maybe;
";
    let mapping = Mapping::from_toml(&EXAMPLE.replace("[source]", "[csv]\ndelimiter = \";\"\n\n[source]")).unwrap();
    each_backend_with(None, now(), |env| {
        let s = env.import_text(csv, &mapping, 1000);
        assert_eq!((s.progress.imported, s.progress.rejected), (2, 2), "{:?}", s.progress);
        let errors: Vec<_> = error_rows_with(&s.errors.unwrap(), b';')
            .into_iter()
            .map(|r| (r["error_line"].clone(), r["error_column"].clone(), r["error_rule"].clone()))
            .collect();
        let expected = [
            ("4", "Articles", "article.unknown"),
            ("5", "No | Department | In public", "cell.required | mapping.unknown_value | bool.format"),
        ];
        let expected: Vec<_> = expected.iter().map(|(l, c, r)| (l.to_string(), c.to_string(), r.to_string())).collect();
        assert_eq!(errors, expected);
        let cases: Vec<_> = env
            .registry
            .list(&Default::default())
            .unwrap()
            .items
            .iter()
            .filter_map(|r| match crimeboard_service::entity_of(r) {
                Ok(Entity::Case(c)) => Some(c),
                _ => None,
            })
            .collect();
        let r1 = cases.iter().find(|c| c.source.as_ref().unwrap().id == "R-1").unwrap();
        assert_eq!(r1.registered_at.to_rfc3339(), "2024-02-03T05:30:00+00:00", "09:30 in Baku");
        assert_eq!(r1.occurred_at.to_rfc3339(), "2024-02-01T20:00:00+00:00", "midnight in Baku");
        assert!(r1.flags.public_place && r1.flags.non_obvious);
        assert_eq!((r1.unit.as_str(), r1.category.as_deref()), ("RD-N", None));
        let r2 = cases.iter().find(|c| c.source.as_ref().unwrap().id == "R-2").unwrap();
        assert_eq!(r2.articles.iter().map(|a| a.to_string()).collect::<Vec<_>>(), ["178.1", "273.1"]);
        assert_eq!((r2.unit.as_str(), r2.agency), ("RD-S", crimeboard_domain::units::Agency::Prosecutor));
        assert!(!r2.flags.public_place && !r2.flags.non_obvious);
    });
}

#[test]
fn two_imports_of_one_file_at_once_record_each_row_once() {
    let whole = std::fs::read_to_string(street_file("2017-07")).unwrap();
    let text = whole.lines().take(3_001).collect::<Vec<_>>().join("\n");
    each_backend(|env| {
        let mapping = police_uk();
        let summaries: Vec<_> = std::thread::scope(|scope| {
            let runs: Vec<_> = (0..2)
                .map(|i| {
                    let (text, mapping) = (&text, &mapping);
                    scope.spawn(move || {
                        let options = crimeboard_import::ImportOptions {
                            batch_size: 100,
                            errors: env.dir.join(format!("errors-{i}.csv")),
                            total_bytes: None,
                            check_first: true,
                            audit_as: Some(Actor::new(&format!("importer-{i}"), "cli")),
                        };
                        crimeboard_import::import(&env.registry, text.as_bytes(), mapping, &options, &mut |_| {})
                            .unwrap()
                    })
                })
                .collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        });
        let imported: u64 = summaries.iter().map(|s| s.progress.imported).sum();
        let skipped: u64 = summaries.iter().map(|s| s.progress.already_imported).sum();
        let acts: u64 = summaries.iter().map(|s| s.progress.acts).sum();
        assert_eq!((imported, skipped), (3_000, 3_000), "on {}", env.db.name);
        // Entries, not the last position: PostgreSQL's positions skip what rolled back.
        let journal = env.registry.verify().unwrap();
        assert!(journal.ok());
        assert_eq!(journal.entries() as u64 - env.before as u64, acts);
        let report = env.registry.report(Period::parse("2017-07").unwrap(), None).unwrap();
        let current = |code: &str| report.figure(code).unwrap().change.current;
        assert_eq!(current("crimes_recorded") + current("reports_received"), 3_000);
        // Every batch written has its audit record, landed with it.
        let audited = env
            .registry
            .audit_search(&AuditSearch { action: Some("import.batch".into()), per_page: 100, ..Default::default() })
            .unwrap();
        assert!(!audited.has_more);
        assert_eq!(env.registry.audit_verify().unwrap(), Ok(audited.items.len() as i64), "on {}", env.db.name);
        let rows: u64 = audited
            .items
            .iter()
            .map(|e| e.detail.split(' ').find_map(|w| w.strip_prefix("rows=")).unwrap().parse::<u64>().unwrap())
            .sum();
        assert_eq!(rows, 3_000, "the batches' records add up to the rows imported");
    });
}

#[test]
fn crimes_are_listed_by_the_packs_offence_code() {
    let text = file(&[
        row("d1", "2018-07", "-1.5", "53.8", "Leeds 001A", "Burglary", ""),
        row("d2", "2018-07", "-1.5", "53.8", "Leeds 001A", "Burglary", ""),
        row("d3", "2018-07", "-1.5", "53.8", "Leeds 001A", "Drugs", ""),
    ]);
    each_backend(|env| {
        assert_eq!(env.import_text(&text, &police_uk(), 1000).progress.imported, 3);
        let listed = |code: &str| {
            let params = crimeboard_service::ListParams {
                kind: Some(crimeboard_domain::EntityKind::Case),
                article: Some(code.into()),
                ..Default::default()
            };
            env.registry.list(&params).map(|p| p.items.len())
        };
        assert_eq!(listed("burglary").unwrap(), 2, "on {}", env.db.name);
        assert_eq!(listed("drugs").unwrap(), 1);
        assert_eq!(listed("Burglary").unwrap(), 0, "codes are matched exactly");
        assert!(listed("burglary theft").is_err(), "not a code");
    });
}
