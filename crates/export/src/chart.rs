//! Charts of the report pages as inline SVG: an indicator's trend by month
//! against the same months a year before (lines), and the units below the
//! report's scope side by side (horizontal bars), each with the same figures
//! as a data table to print under it.
//!
//! The pages run under a Content Security Policy without 'unsafe-inline', so
//! an SVG carries no `style` attribute and no script: colours are presentation
//! attributes, which a page's stylesheet may override through the class
//! names (a high-contrast mode, say). The colours pass WCAG AA against white
//! (text 4.5:1, lines and marks 3:1), and the two series differ by line
//! pattern and marker shape as well as colour. Every text is escaped.
//!
//! Class names a stylesheet may address: `chart` and `chart-trend` or
//! `chart-units` on the `<svg>`; `chart-series-0` (this period: lines,
//! circles, bars) and `chart-series-1` (the year before: dashed lines,
//! squares); `chart-axis`, `chart-legend`, `chart-bar` (a unit's label, bar
//! and value) and `chart-empty` (the "no figures" line). Texts inherit the
//! root's `fill`. The `<svg>` has a `viewBox` and no width or height: it
//! scales to its container.

use crate::case::capitalize;
use crate::locale::{Args, Catalog, catalog};
use crate::numbers::{amount, decimal, integer};
use crate::period_phrase::during;
use crate::{Lang, name_in};
use chrono::Datelike;
use crimeboard_domain::jurisdiction::Currency;
use crimeboard_domain::units::Language;
use crimeboard_stats::Period;
use crimeboard_stats::board::BoardReport;
use crimeboard_stats::indicators::ValueUnit;
use crimeboard_stats::trend::Trend;
use std::fmt::Write;

/// A chart's figures as a table: a caption, the column headers (the row
/// label's first), and rows of a label and its values, formatted for reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataTable {
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<DataRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataRow {
    pub label: String,
    pub values: Vec<String>,
}

/// Text on white: 15.8:1.
pub(crate) const INK: &str = "#1f2328";
/// Tick labels and the axis: 7.4:1.
pub(crate) const MUTED: &str = "#57606a";
/// Grid lines only guide the eye; the values are in the labels and the table.
pub(crate) const GRID: &str = "#d8dee4";
/// The current period: 8.6:1 on white.
pub(crate) const CURRENT: &str = "#1a4f8b";
/// The year before: 5.9:1 on white.
pub(crate) const BEFORE: &str = "#a34700";

pub(crate) const WIDTH: f64 = 640.0;
pub(crate) const FONT: &str = "DejaVu Sans, Noto Sans, Arial, sans-serif";
/// Average advance of a 12px sans-serif character, for laying out labels.
pub(crate) const CHAR_WIDTH: f64 = 7.0;

/// The trend as a line chart. `id` names the chart on its page (and its
/// title and description: `{id}-title`, `{id}-desc`); characters other than
/// ASCII letters, digits, `-` and `_` are dropped from it.
pub fn trend_svg(trend: &Trend, lang: Lang, id: &str) -> String {
    let c = catalog(lang);
    let texts = TrendTexts::new(trend, lang);
    let mut svg = Svg::open(id, "chart-trend", 320.0, &texts.title, &texts.desc);
    if trend.months.is_empty() {
        svg.no_data(c);
    } else {
        let series = [
            Series { name: &texts.current, values: trend.months.iter().map(|m| m.value).collect(), index: 0 },
            Series { name: &texts.previous, values: trend.months.iter().map(|m| m.year_before).collect(), index: 1 },
        ];
        let labels: Vec<(String, Option<String>)> =
            axis_labels(c, &trend.months.iter().map(|m| m.month).collect::<Vec<_>>());
        let full: Vec<String> = trend.months.iter().map(|m| month_label(c, &m.month)).collect();
        svg.lines(c, Measured::of_trend(trend), &labels, &full, &series);
    }
    svg.close()
}

/// The trend's figures: a row per month, this period and the year before.
pub fn trend_table(trend: &Trend, lang: Lang) -> DataTable {
    let c = catalog(lang);
    let texts = TrendTexts::new(trend, lang);
    let rows = trend
        .months
        .iter()
        .map(|m| DataRow {
            label: month_label(c, &m.month),
            values: vec![
                shown(c, Measured::of_trend(trend), m.value),
                shown(c, Measured::of_trend(trend), m.year_before),
            ],
        })
        .collect();
    DataTable {
        caption: texts.title,
        columns: vec![c.text("chart.month_column").to_string(), texts.current, texts.previous],
        rows,
    }
}

/// The units directly below the report's scope as horizontal bars of the
/// indicator (a counter code), largest first. `id` as for [`trend_svg`].
pub fn units_svg(report: &BoardReport, code: &str, lang: Lang, id: &str) -> String {
    let c = catalog(lang);
    let bars = UnitBars::new(report, code, lang);
    let mut svg = Svg::open(id, "chart-units", 0.0, &bars.title, &bars.desc);
    if bars.bars.is_empty() {
        svg.height = 80.0;
        svg.no_data(c);
    } else {
        svg.bars(c, bars.value_unit, &bars.bars);
    }
    svg.close()
}

/// The units' figures in the order of the bars: this period, the year
/// before and the change in per cent.
pub fn units_table(report: &BoardReport, code: &str, lang: Lang) -> DataTable {
    let c = catalog(lang);
    let bars = UnitBars::new(report, code, lang);
    let rows = bars
        .bars
        .iter()
        .map(|b| DataRow {
            label: b.label.clone(),
            values: vec![
                shown(c, bars.value_unit, b.value),
                shown(c, bars.value_unit, b.previous),
                b.percent.map(|p| decimal(c, p).text).unwrap_or_default(),
            ],
        })
        .collect();
    let columns = ["table.unit_name", "table.current", "table.previous", "table.percent"];
    DataTable { caption: bars.title, columns: columns.iter().map(|k| c.text(k).to_string()).collect(), rows }
}

/// The words of a trend chart.
struct TrendTexts {
    title: String,
    desc: String,
    /// The series' names: the years the months fall in.
    current: String,
    previous: String,
}

impl TrendTexts {
    fn new(trend: &Trend, lang: Lang) -> TrendTexts {
        let c = catalog(lang);
        let unit = name_in(&trend.unit_name, lang, &trend.name_fallback);
        let indicator = with_measure(c, name_in(&trend.name, lang, &trend.name_fallback), Measured::of_trend(trend));
        let title = c.fill("chart.trend_title", &Args::new().text("indicator", indicator).text("unit", unit));
        let (first, last) = match (trend.months.first(), trend.months.last()) {
            (Some(first), Some(last)) => (first.month, last.month),
            _ => {
                return TrendTexts {
                    desc: c.text("chart.no_data").to_string(),
                    title,
                    current: c.text("table.current").to_string(),
                    previous: c.text("table.previous").to_string(),
                };
            }
        };
        let span = Period { from: first.from, to: last.to };
        let (current, previous) = (years(&span), years(&span.year_before()));
        let total = trend.months.iter().map(|m| m.value).sum();
        let total_before = trend.months.iter().map(|m| m.year_before).sum();
        // The first month of the highest value.
        let peak = trend.months.iter().rev().max_by_key(|m| m.value).expect("not empty");
        let args = Args::new()
            .text("period", during(c, &span))
            .text("current", current.as_str())
            .text("previous", previous.as_str())
            .text("total", shown(c, Measured::of_trend(trend), total))
            .text("total_before", shown(c, Measured::of_trend(trend), total_before))
            .text("peak", month_phrase(c, &peak.month))
            .text("peak_value", shown(c, Measured::of_trend(trend), peak.value));
        let desc = capitalize(&c.fill("chart.trend_desc", &args), lang);
        TrendTexts { title, desc, current, previous }
    }
}

/// "2024", or "2023–2024" for months across a new year.
fn years(p: &Period) -> String {
    if p.from.year() == p.to.year() {
        p.from.year().to_string()
    } else {
        format!("{}–{}", p.from.year(), p.to.year())
    }
}

struct Bar {
    label: String,
    value: i64,
    previous: i64,
    percent: Option<f64>,
}

/// The bars of the units chart and its words.
struct UnitBars<'a> {
    title: String,
    desc: String,
    value_unit: Measured<'a>,
    bars: Vec<Bar>,
}

impl<'a> UnitBars<'a> {
    fn new(report: &'a BoardReport, code: &str, lang: Lang) -> UnitBars<'a> {
        let c = catalog(lang);
        let children = report.children(code);
        let figure = children
            .iter()
            .find_map(|(_, f)| *f)
            .or_else(|| report.units.first().and_then(|u| u.figures.iter().find(|f| f.code == code)));
        let value_unit = Measured {
            unit: figure.map_or(ValueUnit::Number, |f| f.unit),
            currency: &report.currency,
            fallback: &report.name_fallback,
        };
        let name = figure.map_or(code, |f| name_in(&f.name, lang, &report.name_fallback));
        let unit = report.units.first().map_or("", |u| name_in(&u.name, lang, &report.name_fallback));
        let mut bars: Vec<Bar> = children
            .iter()
            .map(|(u, f)| Bar {
                label: name_in(&u.name, lang, &report.name_fallback).to_string(),
                value: f.map_or(0, |f| f.change.current),
                previous: f.map_or(0, |f| f.change.previous),
                percent: f.and_then(|f| f.change.percent),
            })
            .collect();
        bars.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.label.cmp(&b.label)));
        let indicator = with_measure(c, name, value_unit);
        let title = c.fill("chart.units_title", &Args::new().text("indicator", indicator).text("unit", unit));
        let desc = match (bars.first(), bars.last()) {
            (Some(top), Some(bottom)) => {
                let args = Args::new()
                    .text("period", during(c, &report.period))
                    .text("top", top.label.as_str())
                    .text("top_value", shown(c, value_unit, top.value))
                    .text("bottom", bottom.label.as_str())
                    .text("bottom_value", shown(c, value_unit, bottom.value));
                capitalize(&c.fill("chart.units_desc", &args), lang)
            }
            _ => c.text("chart.no_data").to_string(),
        };
        UnitBars { title, desc, value_unit, bars }
    }
}

/// What a chart's values count, and the currency an amount is in.
#[derive(Clone, Copy)]
struct Measured<'a> {
    unit: ValueUnit,
    currency: &'a Currency,
    /// The order the currency's name falls back in.
    fallback: &'a [Language],
}

impl<'a> Measured<'a> {
    fn of_trend(trend: &'a Trend) -> Measured<'a> {
        Measured { unit: trend.value_unit, currency: &trend.currency, fallback: &trend.name_fallback }
    }
}

/// "Material damage caused by crimes, manat"; a count keeps its name alone.
fn with_measure(c: &Catalog, name: &str, measured: Measured) -> String {
    match measured.unit {
        ValueUnit::Number => name.to_string(),
        ValueUnit::Qepik => format!("{name}, {}", name_in(&measured.currency.unit, c.lang(), measured.fallback)),
        ValueUnit::Grams => format!("{name}, {}", c.text("table.kg")),
    }
}

/// A stored value (a count, minor units of money, grams) as it reads: a
/// number, the currency's units, kilograms.
fn shown(c: &Catalog, measured: Measured, stored: i64) -> String {
    match measured.unit {
        ValueUnit::Number => integer(c, stored).text,
        ValueUnit::Qepik => amount(c, measured.currency.minor_units, stored).text,
        ValueUnit::Grams => decimal(c, stored as f64 / 1_000.0).text,
    }
}

/// "February 2024", "февраль 2024": a month as it reads inside a sentence.
fn month_phrase(c: &Catalog, month: &Period) -> String {
    let key = format!("chart.month.{}", month.from.month());
    let args = Args::new().text("month", c.text(&key)).text("year", month.from.year().to_string());
    c.fill("chart.month_label", &args)
}

/// A month as a row's or a point's label: "Февраль 2024".
fn month_label(c: &Catalog, month: &Period) -> String {
    capitalize(&month_phrase(c, month), c.lang())
}

/// The short month under each point, and the year under the first month and
/// each January; with more months than fit, every few months are labelled.
fn axis_labels(c: &Catalog, months: &[Period]) -> Vec<(String, Option<String>)> {
    let every = months.len().div_ceil(12).max(1);
    months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            if i % every != 0 {
                return (String::new(), None);
            }
            let key = format!("chart.month_short.{}", m.from.month());
            let short = c.text(&key).to_string();
            let year = (i < every || m.from.month() <= every as u32).then(|| m.from.year().to_string());
            (short, year)
        })
        .collect()
}

struct Series<'a> {
    name: &'a str,
    values: Vec<i64>,
    /// 0: the current period (solid, circles); 1: the year before (dashed, squares).
    index: usize,
}

/// An SVG being written: its body, wrapped in the `<svg>` element at the end,
/// when the body has set the height.
pub(crate) struct Svg {
    id: String,
    class: String,
    pub(crate) out: String,
    pub(crate) height: f64,
}

impl Svg {
    /// Opens the chart with its title and description; `height` 0 is set by the body.
    pub(crate) fn open(id: &str, class: &str, height: f64, title: &str, desc: &str) -> Svg {
        let mut id: String = id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
        if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
            id.insert_str(0, "chart-");
        }
        let mut out = String::with_capacity(4096);
        let _ = write!(
            out,
            "<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
            escape(title),
            escape(desc)
        );
        Svg { id, class: format!("chart {class}"), out, height }
    }

    pub(crate) fn close(self) -> String {
        let (id, class, body) = (&self.id, &self.class, &self.out);
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\" class=\"{class}\" viewBox=\"0 0 {WIDTH} {h}\" \
             role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{FONT}\" font-size=\"12\" fill=\"{INK}\">\
             {body}</svg>",
            h = self.height,
        )
    }

    pub(crate) fn no_data(&mut self, c: &Catalog) {
        let y = self.height / 2.0;
        let _ = write!(
            self.out,
            "<text class=\"chart-empty\" x=\"{}\" y=\"{y}\" text-anchor=\"middle\">{}</text>",
            WIDTH / 2.0,
            escape(c.text("chart.no_data"))
        );
    }

    /// Lines over months with a legend above, a value axis on the left.
    fn lines(
        &mut self,
        c: &Catalog,
        unit: Measured<'_>,
        labels: &[(String, Option<String>)],
        full: &[String],
        series: &[Series],
    ) {
        let max = series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0);
        let ticks = ticks(max);
        let top = *ticks.last().expect("at least two ticks");
        let tick_texts: Vec<String> = ticks.iter().map(|t| shown(c, unit, *t)).collect();
        let widest = tick_texts.iter().map(|t| t.chars().count()).max().unwrap_or(1);
        let left = (widest as f64 * CHAR_WIDTH + 14.0).clamp(40.0, 150.0);
        let (right, plot_top, plot_bottom) = (WIDTH - 16.0, 52.0, self.height - 44.0);
        let y = |v: i64| plot_bottom - v as f64 / top as f64 * (plot_bottom - plot_top);
        let band = (right - left) / labels.len() as f64;
        let x = |i: usize| left + band * (i as f64 + 0.5);

        self.legend(series);
        self.out.push_str("<g class=\"chart-axis\">");
        for (t, text) in ticks.iter().zip(&tick_texts) {
            let ty = y(*t);
            let _ = write!(
                self.out,
                "<line x1=\"{left}\" x2=\"{right}\" y1=\"{ty:.1}\" y2=\"{ty:.1}\" stroke=\"{GRID}\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{MUTED}\">{}</text>",
                left - 6.0,
                ty + 4.0,
                escape(text)
            );
        }
        let _ = write!(
            self.out,
            "<line x1=\"{left}\" x2=\"{right}\" y1=\"{plot_bottom}\" y2=\"{plot_bottom}\" stroke=\"{MUTED}\"/>"
        );
        for (i, (month, year)) in labels.iter().enumerate() {
            let _ = write!(
                self.out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x(i),
                plot_bottom + 18.0,
                escape(month)
            );
            if let Some(year) = year {
                let _ = write!(
                    self.out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{MUTED}\">{year}</text>",
                    x(i),
                    plot_bottom + 34.0
                );
            }
        }
        self.out.push_str("</g>");
        // The year before first, so the current period is drawn on top.
        for s in series.iter().rev() {
            let points: Vec<String> =
                s.values.iter().enumerate().map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v))).collect();
            let (colour, dash, width) = style(s.index);
            let _ = write!(
                self.out,
                "<g class=\"chart-series chart-series-{}\"><polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" \
                 stroke-width=\"{width}\"{dash} stroke-linejoin=\"round\"/>",
                s.index,
                points.join(" ")
            );
            for (i, v) in s.values.iter().enumerate() {
                let tip = format!("{}, {}: {}", full[i], s.name, shown(c, unit, *v));
                self.marker(s.index, x(i), y(*v), &tip);
            }
            self.out.push_str("</g>");
        }
    }

    /// A circle for the current period, a square for the year before, each
    /// with its value as a tooltip.
    fn marker(&mut self, index: usize, cx: f64, cy: f64, tip: &str) {
        let (colour, _, _) = style(index);
        let tip = escape(tip);
        if index == 0 {
            let _ = write!(
                self.out,
                "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"4.5\" fill=\"{colour}\" stroke=\"#ffffff\" stroke-width=\"1\"><title>{tip}</title></circle>"
            );
        } else {
            let _ = write!(
                self.out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"8\" height=\"8\" fill=\"#ffffff\" stroke=\"{colour}\" stroke-width=\"2\"><title>{tip}</title></rect>",
                cx - 4.0,
                cy - 4.0
            );
        }
    }

    fn legend(&mut self, series: &[Series]) {
        self.out.push_str("<g class=\"chart-legend\">");
        let mut x = 16.0;
        for s in series {
            let (colour, dash, width) = style(s.index);
            let _ = write!(
                self.out,
                "<line x1=\"{x}\" x2=\"{}\" y1=\"20\" y2=\"20\" stroke=\"{colour}\" stroke-width=\"{width}\"{dash}/>",
                x + 32.0
            );
            self.marker(s.index, x + 16.0, 20.0, s.name);
            let _ = write!(self.out, "<text x=\"{}\" y=\"24\">{}</text>", x + 40.0, escape(s.name));
            x += 40.0 + s.name.chars().count() as f64 * CHAR_WIDTH + 32.0;
        }
        self.out.push_str("</g>");
    }

    /// One labelled bar per unit, its value written after it.
    fn bars(&mut self, c: &Catalog, unit: Measured<'_>, bars: &[Bar]) {
        const ROW: f64 = 28.0;
        const BAR: f64 = 18.0;
        let values: Vec<String> = bars.iter().map(|b| shown(c, unit, b.value)).collect();
        let longest_label = bars.iter().map(|b| b.label.chars().count()).max().unwrap_or(0);
        let label_width = (longest_label as f64 * CHAR_WIDTH).clamp(60.0, 250.0);
        let value_width = values.iter().map(|v| v.chars().count()).max().unwrap_or(1) as f64 * CHAR_WIDTH + 8.0;
        let (left, right) = (16.0 + label_width + 8.0, WIDTH - 16.0 - value_width);
        let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
        let top = 12.0;
        self.height = top + ROW * bars.len() as f64 + 12.0;
        let _ = write!(
            self.out,
            "<line class=\"chart-axis\" x1=\"{left}\" x2=\"{left}\" y1=\"{top}\" y2=\"{:.1}\" stroke=\"{MUTED}\"/>",
            self.height - 12.0
        );
        for (i, (bar, value)) in bars.iter().zip(&values).enumerate() {
            let y = top + ROW * i as f64 + (ROW - BAR) / 2.0;
            let width = (bar.value.max(0) as f64 / max as f64 * (right - left)).max(0.0);
            let max_chars = (label_width / CHAR_WIDTH) as usize;
            let _ = write!(
                self.out,
                "<g class=\"chart-bar\"><title>{}: {}</title>\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
                 <rect class=\"chart-series-0\" x=\"{left}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"{BAR}\" fill=\"{CURRENT}\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
                escape(&bar.label),
                escape(value),
                left - 8.0,
                y + 13.0,
                escape(&shorten(&bar.label, max_chars)),
                left + width + 6.0,
                y + 13.0,
                escape(value)
            );
        }
    }
}

/// The colour, dash pattern and width of a series' line.
fn style(index: usize) -> (&'static str, &'static str, f64) {
    if index == 0 { (CURRENT, "", 2.5) } else { (BEFORE, " stroke-dasharray=\"7 4\"", 2.0) }
}

/// A label cut to `max` characters with an ellipsis; the full name is in the
/// bar's tooltip and the data table.
pub(crate) fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        return label.to_string();
    }
    let mut cut: String = label.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Axis values from 0 by a round step (1, 2 or 5 times a power of ten) to
/// at or above `max`: three to seven ticks.
pub(crate) fn ticks(max: i64) -> Vec<i64> {
    let max = max.max(1);
    let raw = max as f64 / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor()).max(1.0);
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(10.0 * magnitude);
    let step = (step as i64).max(1);
    let count = (max + step - 1) / step;
    (0..=count).map(|i| i * step).collect()
}

/// Text safe inside an SVG element or a quoted attribute.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::tests::{PREVIOUS, report_of};
    use chrono::NaiveDate;
    use crimeboard_domain::units::{Names, UnitCode};
    use crimeboard_stats::trend::MonthFigure;
    use quick_xml::XmlVersion;
    use quick_xml::escape::resolve_predefined_entity;
    use quick_xml::events::Event;

    const NBSP: char = '\u{a0}';

    fn month(y: i32, m: u32) -> Period {
        let from = NaiveDate::from_ymd_opt(y, m, 1).unwrap();
        Period { from, to: from.checked_add_months(chrono::Months::new(1)).unwrap().pred_opt().unwrap() }
    }

    fn trend(values: &[(i64, i64)]) -> Trend {
        Trend {
            unit: UnitCode::parse("BAK").unwrap(),
            unit_name: Names {
                az: "Bakı şəhər BPİ".into(),
                ru: "ГУП города Баку".into(),
                en: "Baku <City> & \"Co\"".into(),
            },
            code: "crimes_recorded".into(),
            name: Names {
                az: "Qeydə alınmış cinayətlər".into(),
                ru: "Зарегистрировано преступлений".into(),
                en: "Crimes recorded".into(),
            },
            value_unit: ValueUnit::Number,
            currency: crate::tests::manats(),
            name_fallback: crimeboard_domain::units::name_fallback(Language::Az),
            months: values
                .iter()
                .enumerate()
                .map(|(i, (v, b))| MonthFigure {
                    month: month(2023 + (10 + i as i32) / 12, (10 + i as u32) % 12 + 1),
                    value: *v,
                    year_before: *b,
                })
                .collect(),
            position: 7,
        }
    }

    /// What a chart says once parsed as XML: it must parse, with one root.
    pub(crate) struct Parsed {
        pub(crate) root_attributes: Vec<(String, String)>,
        pub(crate) title: String,
        pub(crate) desc: String,
        pub(crate) texts: Vec<String>,
        pub(crate) elements: Vec<String>,
    }

    pub(crate) fn parse(svg: &str) -> Parsed {
        let mut reader = quick_xml::Reader::from_str(svg);
        let mut parsed = Parsed {
            root_attributes: vec![],
            title: String::new(),
            desc: String::new(),
            texts: vec![],
            elements: vec![],
        };
        let mut stack: Vec<String> = Vec::new();
        let mut roots = 0;
        // Text arrives in pieces between entity references.
        let mut text = String::new();
        loop {
            let event = reader
                .read_event()
                .unwrap_or_else(|e| panic!("not well-formed at {}: {e}\n{svg}", reader.buffer_position()));
            if !matches!(event, Event::Text(_) | Event::GeneralRef(_)) && !text.is_empty() {
                match stack.last().map(String::as_str) {
                    Some("title") if stack.len() == 2 => parsed.title = text.clone(),
                    Some("desc") => parsed.desc = text.clone(),
                    _ => {}
                }
                parsed.texts.push(std::mem::take(&mut text));
            }
            let opens = matches!(event, Event::Start(_));
            match event {
                Event::Start(e) | Event::Empty(e) => {
                    let name = e.name().0.to_string();
                    let attributes: Vec<(String, String)> = e
                        .attributes()
                        .map(|a| {
                            let a = a.expect("a well-formed attribute");
                            let value = a.normalized_value(XmlVersion::Implicit1_0).expect("escaped attribute");
                            (a.key.0.to_string(), value.into_owned())
                        })
                        .collect();
                    if stack.is_empty() {
                        roots += 1;
                        parsed.root_attributes = attributes;
                    }
                    parsed.elements.push(name.clone());
                    if opens {
                        stack.push(name);
                    }
                }
                Event::End(_) => {
                    stack.pop();
                }
                Event::Text(t) => text.push_str(&t.xml10_content()),
                Event::GeneralRef(r) => match r.resolve_char_ref().expect("a valid character reference") {
                    Some(ch) => text.push(ch),
                    None => {
                        let name = r.into_inner();
                        text.push_str(
                            resolve_predefined_entity(&name).unwrap_or_else(|| panic!("unknown entity {name}")),
                        )
                    }
                },
                Event::Eof => break,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(roots, 1, "one root element");
        assert!(stack.is_empty(), "every element closed");
        parsed
    }

    fn attribute<'a>(parsed: &'a Parsed, name: &str) -> &'a str {
        parsed.root_attributes.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// What every chart must be: an image named by its title and description,
    /// with nothing a strict Content Security Policy blocks.
    pub(crate) fn assert_accessible(svg: &str, id: &str) -> Parsed {
        let parsed = parse(svg);
        assert_eq!(attribute(&parsed, "role"), "img");
        assert_eq!(attribute(&parsed, "id"), id);
        assert_eq!(attribute(&parsed, "aria-labelledby"), format!("{id}-title {id}-desc"));
        assert!(
            svg.contains(&format!("<title id=\"{id}-title\">")) && svg.contains(&format!("<desc id=\"{id}-desc\">"))
        );
        assert!(!parsed.title.is_empty() && !parsed.desc.is_empty(), "{svg}");
        assert!(!svg.contains("style") && !parsed.elements.iter().any(|e| e == "script" || e == "foreignObject"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        parsed
    }

    #[test]
    fn a_trend_is_an_accessible_line_chart_with_its_values() {
        let t = trend(&[(1_234, 1_100), (987, 1_500), (2_000, 0)]);
        let svg = trend_svg(&t, Lang::En, "trend-1");
        let parsed = assert_accessible(&svg, "trend-1");
        assert_eq!(parsed.title, "Crimes recorded by month, Baku <City> & \"Co\"");
        assert!(
            parsed.desc.starts_with("A line chart by month between 1 November 2023 and 31 January 2024"),
            "{}",
            parsed.desc
        );
        assert!(
            parsed.desc.contains("In all 4,221 against 2,600; the highest month was January 2024 with 2,000."),
            "{}",
            parsed.desc
        );
        for text in
            ["November 2023, 2023–2024: 1,234", "January 2024, 2022–2023: 0", "2,000", "Nov", "Jan", "2023", "2024"]
        {
            assert!(parsed.texts.iter().any(|t| t.contains(text)), "{text} missing in {:?}", parsed.texts);
        }
        assert_eq!(
            parsed.elements.iter().filter(|e| *e == "circle").count(),
            3 + 1,
            "a circle per month and one in the legend"
        );
        assert_eq!(
            parsed.elements.iter().filter(|e| *e == "rect").count(),
            3 + 1,
            "a square per month and one in the legend"
        );
        assert!(svg.contains("stroke-dasharray"), "the year before is dashed");
    }

    #[test]
    fn numbers_and_words_follow_the_language() {
        let t = trend(&[(1_234, 1_100), (987, 1_500)]);
        let az = parse(&trend_svg(&t, Lang::Az, "t"));
        assert_eq!(az.title, "Qeydə alınmış cinayətlər aylar üzrə, Bakı şəhər BPİ");
        assert!(az.texts.iter().any(|t| t.ends_with(&format!(": 1{NBSP}234"))), "{:?}", az.texts);
        assert!(az.texts.iter().any(|t| t == "noy"), "{:?}", az.texts);
        let ru = parse(&trend_svg(&t, Lang::Ru, "t"));
        assert!(ru.desc.starts_with("Линейная диаграмма по месяцам в период с 1 ноября 2023 года"), "{}", ru.desc);
        assert!(ru.desc.ends_with("больше всего — ноябрь 2023: 1\u{a0}234."), "{}", ru.desc);
        let table = trend_table(&t, Lang::Ru);
        assert_eq!(table.columns, ["Месяц", "2023", "2022"]);
        assert_eq!(
            table.rows[0],
            DataRow { label: "Ноябрь 2023".into(), values: vec![format!("1{NBSP}234"), format!("1{NBSP}100")] }
        );
    }

    #[test]
    fn money_is_shown_in_manats() {
        let mut t = trend(&[(7_766_899_600, 0)]);
        t.value_unit = ValueUnit::Qepik;
        let parsed = parse(&trend_svg(&t, Lang::En, "money"));
        assert!(parsed.title.starts_with("Crimes recorded, manat by month"), "{}", parsed.title);
        assert!(parsed.texts.iter().any(|t| t.ends_with(": 77,668,996")), "{:?}", parsed.texts);
        assert_eq!(trend_table(&t, Lang::En).rows[0].values[0], "77,668,996");
    }

    #[test]
    fn money_is_shown_in_the_packs_currency() {
        let mut t = trend(&[(123_450, 0)]);
        (t.value_unit, t.currency) = (ValueUnit::Qepik, crate::tests::pounds());
        let parsed = parse(&trend_svg(&t, Lang::En, "money"));
        assert!(parsed.title.starts_with("Crimes recorded, pound sterling by month"), "{}", parsed.title);
        assert_eq!(trend_table(&t, Lang::Ru).rows[0].values[0], "1\u{a0}234,50");
    }

    #[test]
    fn an_empty_trend_and_a_single_month_draw_without_failing() {
        let empty = trend(&[]);
        let parsed = assert_accessible(&trend_svg(&empty, Lang::Az, "e"), "e");
        assert!(parsed.texts.iter().any(|t| t == "Göstəriləcək məlumat yoxdur."));
        let table = trend_table(&empty, Lang::Az);
        assert!(table.rows.is_empty());
        assert_eq!(table.columns, ["Ay", "Hesabat dövrü", "Ötən ilin müvafiq dövrü"]);
        let single = trend(&[(5, 0)]);
        let parsed = assert_accessible(&trend_svg(&single, Lang::En, "s"), "s");
        assert_eq!(parsed.elements.iter().filter(|e| *e == "circle").count(), 2);
        let zeros = trend(&[(0, 0), (0, 0)]);
        assert_accessible(&trend_svg(&zeros, Lang::Ru, "z"), "z");
    }

    #[test]
    fn a_hostile_id_cannot_break_out_of_its_attribute() {
        let svg = trend_svg(&trend(&[(1, 1)]), Lang::En, "x\" onload=\"alert(1)\"><script>");
        let parsed = assert_accessible(&svg, "xonloadalert1script");
        assert!(!svg.contains("onload=\""));
        assert_eq!(attribute(&parsed, "id"), "xonloadalert1script");
        assert_accessible(&trend_svg(&trend(&[(1, 1)]), Lang::En, "1"), "chart-1");
    }

    #[test]
    fn units_stand_side_by_side_largest_first() {
        let report = report_of("BAK", crate::tests::CURRENT, PREVIOUS, false);
        let svg = units_svg(&report, "crimes_recorded", Lang::En, "units");
        let parsed = assert_accessible(&svg, "units");
        assert_eq!(parsed.title, "Crimes recorded by unit, Baku City Main Police Department");
        assert!(parsed.desc.contains("the highest is Nasimi District Police Department, \"Baku\" with 5,000, the lowest Yasamal District Police Department with 3,930"), "{}", parsed.desc);
        let nasimi = parsed.texts.iter().position(|t| t == "5,000").unwrap();
        let yasamal = parsed.texts.iter().position(|t| t == "3,930").unwrap();
        assert!(nasimi < yasamal, "largest first");
        assert!(svg.contains("&quot;Baku&quot;"), "names escaped");
        let table = units_table(&report, "crimes_recorded", Lang::En);
        assert_eq!(table.columns, ["Unit", "Current period", "Same period a year earlier", "Change, %"]);
        let rows: Vec<(&str, &[String])> = table.rows.iter().map(|r| (r.label.as_str(), r.values.as_slice())).collect();
        assert_eq!(
            rows[0],
            ("Nasimi District Police Department, \"Baku\"", &["5,000".to_string(), "5,500".into(), "-9.1".into()][..])
        );
        assert_eq!(rows[1].0, "Yasamal District Police Department");
    }

    #[test]
    fn a_unit_without_units_below_it_has_no_bars() {
        let district = report_of("BAK-YAS", crate::tests::CURRENT, PREVIOUS, false);
        let parsed = assert_accessible(&units_svg(&district, "crimes_recorded", Lang::Ru, "u"), "u");
        assert!(parsed.texts.iter().any(|t| t == "Нет данных для показа."));
        assert!(units_table(&district, "crimes_recorded", Lang::Ru).rows.is_empty());
        let mut nothing = district.clone();
        nothing.units.clear();
        assert_accessible(&units_svg(&nothing, "crimes_recorded", Lang::En, "n"), "n");
    }

    #[test]
    fn long_names_are_shortened_on_the_bar_only() {
        assert_eq!(shorten("Nasimi District Police Department", 10), "Nasimi Di…");
        assert_eq!(shorten("Yasamal", 10), "Yasamal");
    }

    #[test]
    fn ticks_are_round_and_reach_the_maximum() {
        assert_eq!(ticks(0), [0, 1]);
        assert_eq!(ticks(1), [0, 1]);
        assert_eq!(ticks(7), [0, 2, 4, 6, 8]);
        assert_eq!(ticks(2_000), [0, 500, 1_000, 1_500, 2_000]);
        assert_eq!(ticks(4_221), [0, 1_000, 2_000, 3_000, 4_000, 5_000]);
        assert_eq!(ticks(900), [0, 200, 400, 600, 800, 1_000]);
    }

    /// WCAG 2.1 relative luminance and contrast against white.
    pub(crate) fn contrast_on_white(hex: &str) -> f64 {
        let channel = |i: usize| {
            let v = u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).unwrap() as f64 / 255.0;
            if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
        };
        let l = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
        1.05 / (l + 0.05)
    }

    #[test]
    fn colours_pass_aa_against_white() {
        for colour in [INK, MUTED, CURRENT, BEFORE] {
            assert!(contrast_on_white(colour) >= 4.5, "{colour}: {}", contrast_on_white(colour));
        }
    }
}
