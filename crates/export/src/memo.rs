//! The memo of commitments a Board meeting made: every task it created,
//! each with its owner, co-executors, controller, due date and control
//! level as issued, dated the meeting's day; as plain text for print or
//! mail, and as CSV (the report's CSV rules: a byte-order mark, CRLF, text
//! that a spreadsheet would run written as text).

use crate::Lang;
use crate::csv::{BOM, push_record};
use crate::locale::catalog;
use crimeboard_domain::meeting::Meeting;
use crimeboard_domain::task::{ControlLevel, Task};
use std::fmt::Write;

fn level_key(level: ControlLevel) -> &'static str {
    match level {
        ControlLevel::Minister => "memo.level_minister",
        ControlLevel::DeputyMinister => "memo.level_deputy_minister",
        ControlLevel::Department => "memo.level_department",
    }
}

/// The number of the task a sub-task is part of, empty for a task of its own.
fn parent_number(task: &Task, tasks: &[Task]) -> String {
    let parent = task.issued.parent_task_id.and_then(|id| tasks.iter().find(|t| t.id == id));
    parent.map(|p| p.number.clone()).unwrap_or_default()
}

fn co_executors(task: &Task) -> String {
    task.issued.co_executors.iter().map(|u| u.as_str()).collect::<Vec<_>>().join(", ")
}

/// The memo as text: the meeting, the day it is dated, then each task.
pub fn memo_text(meeting: &Meeting, tasks: &[Task], lang: Lang) -> String {
    let c = catalog(lang);
    let mut out = String::new();
    let m = &meeting.scheduled;
    let _ = writeln!(out, "{}", c.text("memo.title"));
    let _ = writeln!(out, "{} {}", meeting.number, m.title);
    let _ = writeln!(out, "{}", c.text("memo.dated").replace("{day}", &m.held_on.to_string()));
    for (i, t) in tasks.iter().enumerate() {
        let _ = writeln!(out, "\n{}. {} {}", i + 1, t.number, t.issued.text);
        let parent = parent_number(t, tasks);
        if !parent.is_empty() {
            let _ = writeln!(out, "   {}: {parent}", c.text("memo.parent"));
        }
        let shared = co_executors(t);
        let shared = if shared.is_empty() { c.text("memo.none").to_string() } else { shared };
        let lines = [
            ("memo.owner", t.issued.owner.to_string()),
            ("memo.co_executors", shared),
            ("memo.controller", t.issued.controller.clone()),
            ("memo.due_on", t.issued.due_on.to_string()),
            ("memo.control_level", c.text(level_key(t.issued.control_level)).to_string()),
        ];
        for (key, value) in lines {
            let _ = writeln!(out, "   {}: {value}", c.text(key));
        }
    }
    out
}

/// The memo as CSV: one record per task, its columns named in the language.
pub fn memo_csv(tasks: &[Task], lang: Lang) -> Vec<u8> {
    let c = catalog(lang);
    let mut out = String::from(BOM);
    let keys = [
        "memo.number",
        "memo.parent",
        "memo.text",
        "memo.owner",
        "memo.co_executors",
        "memo.controller",
        "memo.due_on",
        "memo.control_level",
    ];
    push_record(&mut out, &keys.map(|k| c.text(k)));
    for t in tasks {
        let (parent, shared, due) = (parent_number(t, tasks), co_executors(t), t.issued.due_on.to_string());
        let record = [
            t.number.as_str(),
            parent.as_str(),
            t.issued.text.as_str(),
            t.issued.owner.as_str(),
            shared.as_str(),
            t.issued.controller.as_str(),
            due.as_str(),
            c.text(level_key(t.issued.control_level)),
        ];
        push_record(&mut out, &record);
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crimeboard_domain::meeting::{MeetingKind, NewMeeting};
    use crimeboard_domain::task::{NewTask, TaskStatus};
    use crimeboard_domain::units::UnitCode;

    fn day(s: &str) -> chrono::NaiveDate {
        s.parse().unwrap()
    }

    /// The id numbered `n`, without naming the id type's crate.
    fn id<T: serde::de::DeserializeOwned>(n: u32) -> T {
        serde_json::from_str(&format!("\"00000000-0000-0000-0000-{n:012}\"")).unwrap()
    }

    fn task(n: u32, text: &str, owner: &str, parent: Option<u32>, co: &[&str]) -> Task {
        let issued = NewTask {
            meeting_id: None,
            parent_task_id: parent.map(id),
            text: text.into(),
            authority: "Minister".into(),
            owner: UnitCode::parse(owner).unwrap(),
            co_executors: co.iter().map(|u| UnitCode::parse(u).unwrap()).collect(),
            controller: "controller".into(),
            due_on: day("2024-06-30"),
            control_level: ControlLevel::DeputyMinister,
            targets: vec![],
        };
        Task {
            id: id(n),
            number: format!("BT-{owner}-2024-{n}"),
            issued,
            issued_on: day("2024-04-19"),
            meeting_id: None,
            status: TaskStatus::Closed,
            // Moved since: the memo says what was committed on the day.
            due_on: day("2024-09-30"),
            extensions: 1,
            targets: vec![],
            reports: vec![],
            controls: vec![],
        }
    }

    fn memo() -> (Meeting, Vec<Task>) {
        let scheduled = NewMeeting {
            unit: UnitCode::parse("MIA").unwrap(),
            held_on: day("2024-04-19"),
            kind: MeetingKind::Quarterly,
            period_from: day("2024-01-01"),
            period_to: day("2024-03-31"),
            title: "First quarter".into(),
            agenda: vec![],
            rapporteurs: vec![],
        };
        let meeting = Meeting { id: id(0), number: "BM-MIA-2024-1".into(), scheduled, minutes: None };
        let tasks = vec![
            task(1, "Care with reports", "BAK", None, &["GNC", "SMQ"]),
            task(2, "=Train, the district", "BAK-NSM", Some(1), &[]),
        ];
        (meeting, tasks)
    }

    #[test]
    fn the_memo_says_each_commitment_as_issued_on_the_meetings_day() {
        let (meeting, tasks) = memo();
        let text = memo_text(&meeting, &tasks, Lang::En);
        for expected in [
            "Memo of commitments",
            "BM-MIA-2024-1 First quarter",
            "Dated 2024-04-19, the day of the meeting",
            "1. BT-BAK-2024-1 Care with reports",
            "Co-executors: GNC, SMQ",
            "Part of: BT-BAK-2024-1",
            "Co-executors: none",
            "Due: 2024-06-30",
            "Control level: a deputy minister",
        ] {
            assert!(text.contains(expected), "{expected}: {text}");
        }
        assert!(!text.contains("2024-09-30"), "the due date as committed, not as extended since");
        assert!(memo_text(&meeting, &tasks, Lang::Ru).contains("Соисполнители: GNC, SMQ"));
    }

    #[test]
    fn the_memo_as_csv_has_a_record_a_task_and_writes_a_formula_as_text() {
        let (_, tasks) = memo();
        let csv = String::from_utf8(memo_csv(&tasks, Lang::Az)).unwrap();
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 3, "{csv}");
        assert!(lines[0].starts_with("Nömrə,Aid olduğu tapşırıq,Tapşırıq,İcraçı"), "{}", lines[0]);
        assert_eq!(lines[1], "BT-BAK-2024-1,,Care with reports,BAK,\"GNC, SMQ\",controller,2024-06-30,nazir müavini");
        assert!(
            lines[2].starts_with("BT-BAK-NSM-2024-2,BT-BAK-2024-1,\"'=Train, the district\",BAK-NSM,,"),
            "{}",
            lines[2]
        );
    }
}
