//! Dates, times, numbers and money as the viewer's language writes them.
//! Numbers, money and weights come from the export crate's formatting, the
//! one the Board's report uses; dates and times are shown in Baku's civil time.

use super::viewer::Viewer;
use chrono::{DateTime, NaiveDate, Utc};
use crimeboard_domain::report::ReportOutcome;
use crimeboard_domain::rules::Rules;
use crimeboard_export::display;
use maud::{Markup, html};

/// A short date: "19.04.2024", "19/04/2024".
pub fn day(v: &Viewer, d: NaiveDate) -> String {
    let (dd, mm, yyyy) = (d.format("%d").to_string(), d.format("%m").to_string(), d.format("%Y").to_string());
    v.fill("ui.date.short", &[("d", &dd), ("m", &mm), ("y", &yyyy)])
}

/// An instant in Baku's civil time, in a `<time>` element: "19.04.2024 14:00".
pub fn instant(v: &Viewer, rules: &Rules, at: DateTime<Utc>) -> Markup {
    let local = rules.local_time(at);
    html! {
        time datetime=(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)) {
            (day(v, local.date())) " " (local.format("%H:%M"))
        }
    }
}

/// A deadline: one that falls at midnight is shown as the end of the day
/// before ("25.11.2026 24:00"), the last day on which the act is in time.
pub fn deadline(v: &Viewer, rules: &Rules, at: DateTime<Utc>) -> Markup {
    let local = rules.local_time(at);
    let midnight = local.time() == chrono::NaiveTime::MIN;
    match local.date().pred_opt().filter(|_| midnight) {
        Some(day) => html! {
            time datetime=(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)) { (self::day(v, day)) " 24:00" }
        },
        None => instant(v, rules, at),
    }
}

/// A civil date and time as typed or kept: "24.12.2026 10:00".
pub fn local_time(v: &Viewer, at: chrono::NaiveDateTime) -> String {
    format!("{} {}", day(v, at.date()), at.format("%H:%M"))
}

pub fn date(v: &Viewer, d: NaiveDate) -> Markup {
    html! { time datetime=(d.to_string()) { (day(v, d)) } }
}

/// A period in words: "In the first quarter of 2024".
pub fn period_words(v: &Viewer, p: &crimeboard_stats::Period) -> String {
    display::period(v.export_lang(), p)
}

pub fn integer(v: &Viewer, n: i64) -> String {
    display::integer(v.export_lang(), n)
}

pub fn decimal(v: &Viewer, x: f64) -> String {
    display::decimal(v.export_lang(), x)
}

/// An amount in the pack's currency, given in its minor units: "77 668 996 ₼".
pub fn money(v: &Viewer, minor: i64) -> String {
    display::money_short(v.export_lang(), &v.pack.currency, minor)
}

/// "1 329 kq".
pub fn kilograms(v: &Viewer, grams: i64) -> String {
    display::kilograms_short(v.export_lang(), grams)
}

/// A code of a closed set (a status, a channel) in words, from `ui.<set>.<code>`;
/// the code itself when it has no translation (an imported source's own label).
pub fn label(v: &Viewer, set: &str, code: &str) -> String {
    let key = format!("ui.{set}.{code}");
    let text = v.lang.text(&key);
    if text == key { code.to_string() } else { text.to_string() }
}

/// A serialisable code (an enum of the domain) in words.
pub fn enum_label<T: serde::Serialize>(v: &Viewer, set: &str, value: &T) -> String {
    let code = serde_json::to_value(value).ok().and_then(|c| c.as_str().map(str::to_string)).unwrap_or_default();
    label(v, set, &code)
}

/// A unit's name in the viewer's language, with its code when unknown.
pub fn unit_name(v: &Viewer, units: &crimeboard_domain::units::UnitTree, code: &str) -> String {
    let Ok(code) = crimeboard_domain::units::UnitCode::parse(code) else { return code.to_string() };
    match units.get(&code) {
        Some(u) => names(v, &u.names).to_string(),
        None => code.to_string(),
    }
}

/// A name in the viewer's language, or, when that one was not given, in the
/// pack's default language, then the others (`name_fallback`).
pub fn names<'a>(v: &Viewer, n: &'a crimeboard_domain::units::Names) -> &'a str {
    v.name_of(n)
}

/// What a unit picker offers before the units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blank {
    /// A prompt to choose one (the field is required).
    Choose,
    /// No unit, which means every unit (the label's key says so): offered only
    /// to a viewer who sees every unit, since for anyone else it would show
    /// their own units under a name that promises more.
    Everything(&'static str),
}

/// Every unit in the viewer's scope for a picker, parents before children,
/// indented by depth.
pub fn unit_options(v: &Viewer, units: &crimeboard_domain::units::UnitTree, blank: Blank) -> Vec<(String, String)> {
    // Only the units the viewer may see are offered.
    let within = v.within();
    let mut out = match blank {
        Blank::Choose => vec![(String::new(), v.t("ui.choose").to_string())],
        Blank::Everything(key) if within.is_none() => vec![(String::new(), v.t(key).to_string())],
        Blank::Everything(_) => Vec::new(),
    };
    let visible = |code: &str| within.as_ref().is_none_or(|w| w.iter().any(|c| c == code));
    let roots: Vec<_> = units.all().filter(|u| u.parent.is_none()).collect();
    let mut stack: Vec<(&crimeboard_domain::units::Unit, usize)> = roots.into_iter().rev().map(|u| (u, 0)).collect();
    while let Some((unit, depth)) = stack.pop() {
        let indent = "\u{a0}\u{a0}".repeat(depth);
        if visible(unit.code.as_str()) {
            out.push((unit.code.to_string(), format!("{indent}{} ({})", names(v, &unit.names), unit.code.as_str())));
        }
        let children: Vec<_> = units.children(&unit.code).collect();
        stack.extend(children.into_iter().rev().map(|c| (c, depth + 1)));
    }
    out
}

/// A late act's reason by its name in the installation's list (its code when the list has it no more).
pub fn late_reason_name(v: &Viewer, rules: &Rules, code: &str) -> String {
    let listed = rules.registration.as_ref().and_then(|g| g.late_reasons.iter().find(|r| r.code == code));
    listed.map_or_else(|| code.to_string(), |r| names(v, &r.name).to_string())
}

/// The kinds of publication of figures, as the API names them, with their words.
pub const PUBLICATION_KINDS: [(&str, &str); 2] =
    [("board_report", "ui.publication.kind.board_report"), ("open_data", "ui.publication.kind.open_data")];

/// The code a report's decision is labelled by (`ui.outcome.<code>`).
pub fn outcome_code(o: &ReportOutcome) -> &'static str {
    match o {
        ReportOutcome::OpenCase { .. } => "open_case",
        ReportOutcome::Refuse { .. } => "refuse",
        ReportOutcome::Transfer { .. } => "transfer",
        ReportOutcome::Attach { .. } => "attach",
    }
}

/// The first line of a long text, cut at 120 characters.
pub fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() > 120 { format!("{}…", line.chars().take(119).collect::<String>()) } else { line.into() }
}
