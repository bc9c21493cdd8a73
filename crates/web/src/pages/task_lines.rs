//! The Board's tasks as lines of a table: the same cells for a unit's queue,
//! the controller's sheet, a meeting's tasks and its commitments memo, and
//! for the sheet's CSV and XLSX. A task's step on the follow-up's ladder is
//! said in words with a sign, never by colour alone.

use super::format;
use super::rows::{Column, Shown};
use super::viewer::Viewer;
use crimeboard_domain::task::{Confidence, EscalationStep};
use crimeboard_domain::units::UnitTree;
use crimeboard_service::TaskLine;

/// Which columns a table of tasks shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// A unit's queue: the step, and where an escalated task comes from.
    Queue,
    /// The controller's sheet: the owner's and the controller's confidence side by side.
    Sheet,
    /// A meeting's tasks and its memo of commitments: owner, controller, due date.
    Commitments,
}

pub fn columns(lines: Lines) -> Vec<Column> {
    let col = |key| Column { key, numeric: false };
    let mut cols = vec![col("ui.col.number"), col("ui.task.text"), col("ui.task.owner")];
    match lines {
        Lines::Queue => cols.extend([
            col("ui.task.due_on"),
            col("ui.task.step"),
            col("ui.col.status"),
            col("ui.task.escalated_from"),
        ]),
        Lines::Sheet => cols.extend([
            col("ui.task.due_on"),
            col("ui.task.step"),
            col("ui.col.status"),
            col("ui.task.controller"),
            col("ui.task.owner_confidence"),
            col("ui.task.controller_confidence"),
        ]),
        Lines::Commitments => cols.extend([
            col("ui.task.co_executors"),
            col("ui.task.controller"),
            col("ui.task.due_on"),
            col("ui.col.status"),
        ]),
    }
    cols
}

/// A task's line: its page's address and its cells in the order of [`columns`].
pub fn row(v: &Viewer, units: &UnitTree, line: &TaskLine, lines: Lines) -> (String, Vec<Shown>) {
    let cell = |text: String| Shown { text, number: None, href: None };
    let owner = format::unit_name(v, units, line.owner.as_str());
    let mut cells = vec![cell(line.number.clone()), cell(format::short(&line.text)), cell(owner)];
    let status = format::label(v, "status", line.status.as_str());
    match lines {
        Lines::Queue => {
            let from = if line.escalated { format::unit_name(v, units, line.owner.as_str()) } else { String::new() };
            cells.extend([cell(due(v, line)), cell(step(v, line.step)), cell(status), cell(from)]);
        }
        Lines::Sheet => cells.extend([
            cell(due(v, line)),
            cell(step(v, line.step)),
            cell(status),
            cell(line.controller.clone()),
            cell(confidence(v, line.owner_confidence)),
            cell(confidence(v, line.controller_confidence)),
        ]),
        Lines::Commitments => {
            let co: Vec<String> = line.co_executors.iter().map(|u| format::unit_name(v, units, u.as_str())).collect();
            cells.extend([cell(co.join(", ")), cell(line.controller.clone()), cell(due(v, line)), cell(status)]);
        }
    }
    (format!("/tasks/{}", line.id), cells)
}

/// The due date in force, with the extensions that moved it counted.
pub fn due(v: &Viewer, line: &TaskLine) -> String {
    due_with_extensions(v, line.due_on, line.extensions)
}

pub fn due_with_extensions(v: &Viewer, due_on: chrono::NaiveDate, extensions: u32) -> String {
    let day = format::day(v, due_on);
    if extensions == 0 {
        day
    } else {
        format!("{day} ({})", v.fill("ui.task.extended_times", &[("count", &extensions.to_string())]))
    }
}

/// The step on the ladder as a sign and words; nothing before a week ahead or once closed.
pub fn step(v: &Viewer, step: Option<EscalationStep>) -> String {
    match step {
        None => String::new(),
        Some(s) => {
            let sign = match s {
                EscalationStep::DueIn7 => "⏳",
                EscalationStep::Due => "⏰",
                EscalationStep::Overdue => "⚠",
                EscalationStep::Overdue14 => "⛔",
            };
            format!("{sign} {}", format::label(v, "step", s.as_str()))
        }
    }
}

pub fn confidence(v: &Viewer, c: Option<Confidence>) -> String {
    match c {
        None => v.t("ui.task.no_confidence").to_string(),
        Some(c) => format::enum_label(v, "confidence", &c),
    }
}
