//! `board briefing` with the real binary: its figures are the report's, an
//! agenda file gives the units' tasks, the PDF is written where asked, and a
//! bad agenda line is named.

use super::{TempDir, crimeboard, fails, generate_lean, ok};
use serde_json::Value;

/// The code and (current, previous) of `code` for each unit of a JSON report below its scope.
fn report_units(report: &Value, code: &str) -> Vec<(String, (i64, i64))> {
    report["units"].as_array().unwrap()[1..]
        .iter()
        .map(|u| {
            let f = u["figures"].as_array().unwrap().iter().find(|f| f["code"] == code).unwrap();
            let pair = (f["change"]["current"].as_i64().unwrap(), f["change"]["previous"].as_i64().unwrap());
            (u["unit"].as_str().unwrap().to_string(), pair)
        })
        .collect()
}

#[test]
fn the_briefing_has_the_reports_figures_and_the_agendas_tasks() {
    let dir = TempDir::new("briefing");
    let db = dir.file("x.sqlite");
    ok(&generate_lean(&db, "300"));
    let report: Value =
        serde_json::from_str(&ok(&["report", "--db", &db, "--period", "2024Q1", "--format", "json"])).unwrap();
    let units = report_units(&report, "crimes_recorded");
    let (first, second) = (&units[0], &units[1]);
    let listed = format!("{},{}", first.0, second.0);
    let out = ok(&[
        "board",
        "briefing",
        "--db",
        &db,
        "--period",
        "2024Q1",
        "--items",
        "Crimes: crimes_recorded",
        "--units",
        &listed,
        "--lang",
        "en",
    ]);
    let pack: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(pack["position"], report["position"]);
    for (i, (unit, figures)) in [first, second].into_iter().enumerate() {
        let row = &pack["items"][0]["rows"][i];
        assert_eq!(row["unit"], unit.as_str());
        let change = &row["figures"][0]["change"];
        assert_eq!((change["current"].as_i64().unwrap(), change["previous"].as_i64().unwrap()), *figures, "{unit}");
    }
    assert!(pack["units"][0]["tasks"].is_null());

    // An agenda file gives the items and the tasks the register of tasks does not hold yet.
    let agenda = dir.file("agenda.toml");
    let text = format!(
        "[[item]]\ntopic = \"Crimes\"\nindicators = [\"crimes_recorded\"]\n\n[tasks]\n{} = {{ open = 3, overdue = 1 }}\n",
        first.0
    );
    std::fs::write(&agenda, text).unwrap();
    let args = ["board", "briefing", "--db", &db, "--period", "2024Q1", "--agenda", &agenda, "--units", &listed];
    let pack: Value = serde_json::from_str(&ok(&args)).unwrap();
    assert_eq!(pack["units"][0]["tasks"], serde_json::json!({"open": 3, "overdue": 1}));
    let pdf = dir.file("pack.pdf");
    ok(&[&args[..], &["--format", "pdf", "--out", &pdf]].concat());
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    // At the report's position the pack reads the same.
    let at = report["position"].to_string();
    let again: Value = serde_json::from_str(&ok(&[&args[..], &["--at", &at]].concat())).unwrap();
    assert_eq!(again, pack);
}

#[test]
fn a_bad_agenda_line_or_indicator_is_named() {
    let dir = TempDir::new("briefing-bad");
    let db = dir.file("x.sqlite");
    ok(&generate_lean(&db, "50"));
    let base = ["board", "briefing", "--db", &db, "--period", "2024Q1", "--lang", "en"];
    let err = fails(&[&base[..], &["--items", "no colon", "--units", "AZ"]].concat());
    assert!(err.contains("Line 1 of the agenda"), "{err}");
    let out = crimeboard(&[&base[..], &["--items", "Crimes: nope", "--units", "AZ"]].concat());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("no indicator nope"), "{err}");
    let err = fails(&["board", "briefing", "--db", &db, "--period", "2024Q1", "--units", "AZ"]);
    assert!(err.contains("--agenda") || err.contains("--items"), "{err}");
}
