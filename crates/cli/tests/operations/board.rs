//! `board` with the real binary: the briefing's figures are the report's and
//! its units' tasks the register's, for an agenda file, one written inline or
//! a stored meeting; the PDF is written where asked, a bad agenda line is
//! named; a meeting's memo of commitments as text and CSV, a unit's queue and
//! the controller's sheet.

use super::{TempDir, crimeboard, fails, generate_lean, ok, registry};
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
fn the_briefing_has_the_reports_figures_and_the_registers_tasks() {
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
    assert_eq!(pack["units"][0]["tasks"], serde_json::json!({"open": 0, "overdue": 0}), "the register's: none");

    // An agenda file gives the same items; the tasks are the register's, never typed.
    let agenda = dir.file("agenda.toml");
    std::fs::write(&agenda, "[[item]]\ntopic = \"Crimes\"\nindicators = [\"crimes_recorded\"]\n").unwrap();
    let args = ["board", "briefing", "--db", &db, "--period", "2024Q1", "--agenda", &agenda, "--units", &listed];
    let pack: Value = serde_json::from_str(&ok(&args)).unwrap();
    assert_eq!(pack["items"][0]["rows"][0]["figures"][0]["change"]["current"], (first.1).0);
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

/// A meeting held on 19 April 2024 with two tasks for `owner` (one shared
/// with `other`, overdue since May 2024; one due in 2099), and a meeting
/// scheduled for January 2030 on whose day both stand open. Returns the
/// two meetings' ids and the tasks' numbers.
fn meetings_and_tasks(db: &str, owner: &str, other: &str) -> (String, String, Vec<String>) {
    use crimeboard_domain::Command;
    use crimeboard_domain::meeting::{AgendaItem, MeetingKind, NewMeeting, Rapporteur};
    use crimeboard_domain::task::{ControlLevel, NewTask};
    use crimeboard_domain::units::UnitCode;
    let registry = registry(db);
    let unit = |code: &str| UnitCode::parse(code).unwrap();
    let record = |command: Command| {
        let submission = crimeboard_service::Submission {
            actor: "secretary".into(),
            legal_ground: "Regulation".into(),
            command,
            late: None,
        };
        let by = registry.system("tests");
        registry.record(&by, &submission, &crimeboard_service::audit::Audited::No).unwrap()
    };
    let meeting = |held_on: &str, period: (&str, &str)| NewMeeting {
        unit: unit(owner),
        held_on: held_on.parse().unwrap(),
        kind: MeetingKind::Quarterly,
        period_from: period.0.parse().unwrap(),
        period_to: period.1.parse().unwrap(),
        title: "Quarter".into(),
        agenda: vec![AgendaItem {
            topic: "Crimes".into(),
            indicators: vec!["crimes_recorded".into()],
            units: vec![unit(other)],
        }],
        rapporteurs: vec![Rapporteur {
            full_name: "Chief".into(),
            position: "Chief".into(),
            unit: unit(owner),
            item: 0,
        }],
    };
    let first = record(Command::ScheduleMeeting(meeting("2024-04-19", ("2024-01-01", "2024-03-31")))).entity_id;
    let task = |text: &str, co: &[&str], due_on: &str| NewTask {
        meeting_id: Some(first),
        parent_task_id: None,
        text: text.into(),
        authority: "Minister".into(),
        owner: unit(owner),
        co_executors: co.iter().map(|u| unit(u)).collect(),
        controller: "controller".into(),
        due_on: due_on.parse().unwrap(),
        control_level: ControlLevel::Minister,
        targets: vec![],
    };
    let numbers = [task("Care with reports", &[other], "2024-05-01"), task("Training", &[], "2099-12-31")]
        .into_iter()
        .map(|t| record(Command::IssueTask(t)).number.unwrap())
        .collect();
    let next = record(Command::ScheduleMeeting(meeting("2030-01-10", ("2029-10-01", "2029-12-31")))).entity_id;
    (first.to_string(), next.to_string(), numbers)
}

#[test]
fn a_meetings_briefing_memo_and_follow_up_at_the_command_line() {
    let dir = TempDir::new("board-meeting");
    let db = dir.file("x.sqlite");
    ok(&generate_lean(&db, "50"));
    let report: Value =
        serde_json::from_str(&ok(&["report", "--db", &db, "--period", "2024Q1", "--format", "json"])).unwrap();
    let units = report_units(&report, "crimes_recorded");
    let (owner, other) = (units[0].0.clone(), units[1].0.clone());
    let (first, next, numbers) = meetings_and_tasks(&db, &owner, &other);

    // The pack for the meeting of 2030: both tasks open on its day, the one due in 2024 overdue.
    let pack: Value = serde_json::from_str(&ok(&["board", "briefing", "--db", &db, "--meeting", &next])).unwrap();
    let tasks: Vec<(&str, &Value)> =
        pack["units"].as_array().unwrap().iter().map(|u| (u["unit"].as_str().unwrap(), &u["tasks"])).collect();
    let counted = |open, overdue| serde_json::json!({"open": open, "overdue": overdue});
    assert_eq!(tasks, [(owner.as_str(), &counted(2, 1)), (other.as_str(), &counted(1, 1))]);
    let err = fails(&["board", "briefing", "--db", &db, "--meeting", &next, "--period", "2024Q1"]);
    assert!(err.contains("--period"), "{err}");

    let memo = ok(&["board", "memo", "--db", &db, "--meeting", &first, "--lang", "en"]);
    for expected in [
        "Memo of commitments",
        "Dated 2024-04-19, the day of the meeting",
        &format!("1. {} Care with reports", numbers[0]),
        &format!("Co-executors: {other}"),
        "Due: 2024-05-01",
        "Control level: the Minister",
    ] {
        assert!(memo.contains(expected), "{expected}: {memo}");
    }
    let csv = ok(&["board", "memo", "--db", &db, "--meeting", &first, "--format", "csv", "--lang", "ru"]);
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with("Номер,") && lines[2].starts_with(&numbers[1]), "{csv}");

    let queue = ok(&["board", "tasks", "--db", &db, "--unit", &other]);
    let line = queue.lines().find(|l| l.contains(&numbers[0])).expect("the co-executed task");
    assert!(line.starts_with("2024-05-01 overdue_14 open"), "{queue}");
    assert!(!queue.contains(&numbers[1]), "another unit's own task: {queue}");
    let sheet = ok(&["board", "sheet", "--db", &db, "--status", "open", "--controller", "controller"]);
    assert!(sheet.contains(&numbers[0]) && sheet.contains(&numbers[1]), "{sheet}");
    let closed = ok(&["board", "sheet", "--db", &db, "--status", "closed"]);
    assert_eq!(closed.lines().count(), 1, "only the day: {closed}");
}
