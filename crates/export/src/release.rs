//! A Board meeting's press release, drafted from the figures in the manner
//! of the Ministry's releases: a lead naming the meeting's day and agenda,
//! the Board's narrative of the meeting's period (the same sentences as the
//! report's, each figure written as its token) and the tasks the meeting
//! issued. Each figure is a token bound to the release's figure list, which
//! names its indicator, unit, period, value and journal position; the
//! tokens are written out as numbers only when the release is shown.

use crate::Lang;
use crate::locale::{Args, catalog};
use crate::narrative::marked_paragraphs;
use crate::numbers::{decimal, integer, money, weight};
use crate::period_phrase::date;
use crimeboard_domain::jurisdiction::Currency;
use crimeboard_domain::meeting::Meeting;
use crimeboard_domain::release::{Draft, Figure, Measure, Piece, Texts, pieces, token};
use crimeboard_domain::task::Task;
use crimeboard_domain::units::Language;
use crimeboard_stats::board::BoardReport;
use crimeboard_stats::indicators::ValueUnit;

/// The release of `meeting`, in az, ru and en, from `report` (the Board's
/// report of the meeting's period for the unit that held it) and the tasks
/// the meeting issued. Its figures are those the texts name, in the order
/// the English text first names them.
pub fn release_draft(report: &BoardReport, meeting: &Meeting, tasks: &[Task]) -> Draft {
    let candidates = candidate_figures(report);
    let write = |lang| text(report, meeting, tasks, &candidates, lang);
    let texts = Texts { az: write(Lang::Az), ru: write(Lang::Ru), en: write(Lang::En) };
    compact(texts, &candidates)
}

/// Every figure of the report's scope unit a release may state: each
/// indicator's value and each share's, over the report's period.
fn candidate_figures(report: &BoardReport) -> Vec<Figure> {
    let Some(scope) = report.units.first() else { return Vec::new() };
    let figure = |indicator: &str, measure, value| Figure {
        indicator: indicator.to_string(),
        unit: scope.unit.clone(),
        period_from: report.period.from,
        period_to: report.period.to,
        measure,
        value,
        position: report.position,
    };
    let counted = scope.figures.iter().map(|f| {
        let measure = match f.unit {
            ValueUnit::Number => Measure::Count,
            ValueUnit::Qepik => Measure::Money,
            ValueUnit::Grams => Measure::Grams,
        };
        figure(&f.code, measure, f.change.current)
    });
    // A share is kept in hundredths of a per cent, as precise as it is written.
    let shares = scope
        .shares
        .iter()
        .filter_map(|s| s.current.map(|x| figure(&s.code, Measure::Percent, (x * 100.0).round() as i64)));
    counted.chain(shares).collect()
}

fn text(report: &BoardReport, meeting: &Meeting, tasks: &[Task], figures: &[Figure], lang: Lang) -> String {
    let c = catalog(lang);
    let topics: Vec<String> = meeting
        .scheduled
        .agenda
        .iter()
        .map(|i| c.fill("release.topic", &Args::new().text("topic", i.topic.trim())))
        .collect();
    let lead = Args::new().text("date", date(c, meeting.scheduled.held_on)).text("topics", c.list(&topics));
    let mut paragraphs = vec![c.fill("release.lead", &lead)];
    paragraphs.extend(marked_paragraphs(report, lang, figures));
    if !tasks.is_empty() {
        let items: Vec<String> = tasks.iter().map(|t| t.issued.text.trim().trim_end_matches('.').to_string()).collect();
        paragraphs.push(c.fill("release.tasks", &Args::new().text("tasks", items.join("; "))));
    }
    paragraphs.join("\n\n")
}

/// Keeps the figures the texts name, numbered from 0 in the order first
/// named (English, then Azerbaijani, then Russian), and the texts' tokens
/// renumbered to match.
fn compact(texts: Texts, candidates: &[Figure]) -> Draft {
    let mut used: Vec<usize> = Vec::new();
    for lang in [Language::En, Language::Az, Language::Ru] {
        for piece in pieces(texts.get(lang)) {
            if let Piece::Figure(n) = piece
                && n < candidates.len()
                && !used.contains(&n)
            {
                used.push(n);
            }
        }
    }
    let renumber = |text: &str| -> String {
        pieces(text)
            .into_iter()
            .map(|piece| match piece {
                Piece::Figure(n) => used.iter().position(|u| *u == n).map_or_else(|| token(n), token),
                Piece::Words(w) | Piece::Unknown(w) => w.to_string(),
            })
            .collect()
    };
    Draft {
        texts: Texts { az: renumber(&texts.az), ru: renumber(&texts.ru), en: renumber(&texts.en) },
        figures: used.iter().map(|n| candidates[*n].clone()).collect(),
    }
}

/// A figure's value as the language writes it: "8,930", "77,668,996
/// manats", "1 ton and 329 kilograms", "85".
pub fn figure_value(figure: &Figure, currency: &Currency, lang: Lang) -> String {
    let c = catalog(lang);
    match figure.measure {
        Measure::Count => integer(c, figure.value).text,
        Measure::Money => money(c, currency, figure.value),
        Measure::Grams => weight(c, figure.value),
        Measure::Percent => decimal(c, figure.value as f64 / 100.0).text,
    }
}

/// A release's text with each token written as its figure's value; a token
/// naming no figure (the rules refuse one) is left as it is.
pub fn render_release(text: &str, figures: &[Figure], currency: &Currency, lang: Lang) -> String {
    pieces(text)
        .into_iter()
        .map(|piece| match piece {
            Piece::Figure(n) => figures.get(n).map_or_else(|| token(n), |figure| figure_value(figure, currency, lang)),
            Piece::Words(w) | Piece::Unknown(w) => w.to_string(),
        })
        .collect()
}
