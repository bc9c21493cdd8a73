//! A share's funnel plot (`crimeboard_stats::funnel`) for people: the
//! units below the report's scope as points, the denominator across and the
//! share up, the share of all of them as a line, the 95 % and 99.8 % limits
//! as dashed and dotted curves; with its data table and a reading in plain
//! words, worded as questions to ask of a unit, never as a rank or a target.
//!
//! It follows the charts' rules (`chart.rs`): no `style`, colours as
//! presentation attributes that pass WCAG AA on white, every text escaped,
//! a `viewBox` and no size. A unit's band shows by its marker's shape as
//! well as its colour: a circle within the limits, a hollow triangle beyond
//! the 95 % limit, a filled one beyond the 99.8 % limit, pointing up above
//! and down below. Each point's `<title>` names the unit, its counts, its
//! share and its band. Class names a stylesheet may address: `chart-funnel`
//! on the `<svg>`, `funnel-target`, `funnel-limit-95`, `funnel-limit-998`,
//! and `funnel-point` (a unit) or `funnel-key` (the legend's) with
//! `funnel-<band>` (`funnel-within`, `funnel-beyond_95_high`, ...) on each marker.
//!
//! The table lists the units in the report's order, not by their share: the
//! plot ranks no one.

use crate::case::capitalize;
use crate::chart::{
    BEFORE, CHAR_WIDTH, CURRENT, DataRow, DataTable, GRID, INK, MUTED, Svg, WIDTH, escape, shorten, ticks,
};
use crate::locale::{Args, Catalog, catalog};
use crate::numbers::{decimal, integer};
use crate::period_phrase::during;
use crate::{Lang, name_in};
use crimeboard_stats::board::{BoardReport, Share};
use crimeboard_stats::funnel::{Band, Dispersion, Exclusion, Funnel, Limits, MIN_UNITS_FOR_DISPERSION, UnitPoint};
use crimeboard_stats::signals::{Against, SignalReading};
use std::fmt::Write;

/// Beyond the 99.8 % limit: 7.6:1 on white.
pub(crate) const BEYOND_998: &str = "#9c1c1c";
const HEIGHT: f64 = 440.0;
/// Denominators the limit curves are drawn at, spread evenly on a log scale.
const CURVE_POINTS: usize = 60;

/// A share's funnel plot with its table and reading, in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunnelChart {
    pub title: String,
    pub svg: String,
    pub table: DataTable,
    /// Paragraphs.
    pub reading: Vec<String>,
}

/// The funnel of a share the counting rules mark `funnel = true`, over the
/// units directly below the report's scope; None for another share. `id` as
/// for [`crate::chart::trend_svg`].
pub fn funnel_chart(report: &BoardReport, code: &str, lang: Lang, id: &str) -> Option<FunnelChart> {
    let funnel = report.funnel(code)?;
    Some(drawn(report, report.share(code)?, &funnel, Against::Peers, lang, id))
}

/// A signal's funnel (`crimeboard_stats::signals`), drawn as any other, its
/// line across the share it is read against: the units' own, or the
/// calendar's.
pub fn signal_chart(report: &BoardReport, signal: &SignalReading, lang: Lang, id: &str) -> Option<FunnelChart> {
    Some(drawn(report, report.share(&signal.ratio)?, &signal.funnel, signal.against, lang, id))
}

fn drawn(report: &BoardReport, share: &Share, funnel: &Funnel, against: Against, lang: Lang, id: &str) -> FunnelChart {
    let view = View::new(report, share, funnel, against, lang);
    FunnelChart { svg: view.svg(id), table: view.table(), reading: view.reading(), title: view.title.clone() }
}

/// The funnel and the words it is drawn and read with.
struct View<'a> {
    c: &'static Catalog,
    report: &'a BoardReport,
    funnel: &'a Funnel,
    /// What the line across is: the units' pooled share or the calendar's.
    against: Against,
    title: String,
    share_name: &'a str,
    numerator_name: String,
    denominator_name: String,
}

impl<'a> View<'a> {
    fn new(report: &'a BoardReport, share: &'a Share, funnel: &'a Funnel, against: Against, lang: Lang) -> View<'a> {
        let c = catalog(lang);
        let indicator = |code: &str| {
            report.figure(code).map_or(code.to_string(), |f| name_in(&f.name, lang, &report.name_fallback).to_string())
        };
        let share_name = name_in(&share.name, lang, &report.name_fallback);
        let unit = name_in(&report.scope().name, lang, &report.name_fallback);
        let title = c.fill("funnel.title", &Args::new().text("share", share_name).text("unit", unit));
        let denominator_name = share.denominator.iter().map(|d| indicator(d)).collect::<Vec<_>>().join(" + ");
        let numerator_name = indicator(&share.numerator);
        View { c, report, funnel, against, title, share_name, numerator_name, denominator_name }
    }

    fn unit_name(&self, code: &str) -> String {
        let report = self.report;
        let unit = report.units.iter().find(|u| u.unit.as_str() == code);
        unit.map_or(code, |u| name_in(&u.name, self.c.lang(), &report.name_fallback)).to_string()
    }

    /// "62.5 %": a fraction as a per cent.
    fn percent(&self, fraction: f64) -> String {
        self.c.fill("funnel.percent", &Args::new().text("value", decimal(self.c, fraction * 100.0).text))
    }

    fn band_words(&self, band: Band) -> String {
        self.c.text(&format!("funnel.band.{}", band.as_str())).to_string()
    }

    fn table(&self) -> DataTable {
        let c = self.c;
        let mut rows: Vec<DataRow> = self
            .funnel
            .points
            .iter()
            .map(|p| DataRow {
                label: self.unit_name(&p.unit),
                values: vec![
                    integer(c, p.numerator).text,
                    integer(c, p.denominator).text,
                    decimal(c, p.share * 100.0).text,
                    self.band_words(p.band),
                ],
            })
            .collect();
        for e in &self.funnel.excluded {
            let why = match e.why {
                Exclusion::NoDenominator => "funnel.band.no_denominator",
                Exclusion::NotAShare => "funnel.band.not_a_share",
            };
            rows.push(DataRow {
                label: self.unit_name(&e.unit),
                values: vec![
                    integer(c, e.numerator).text,
                    integer(c, e.denominator).text,
                    "—".to_string(),
                    c.text(why).to_string(),
                ],
            });
        }
        let columns = vec![
            c.text("table.unit_name").to_string(),
            self.numerator_name.clone(),
            self.denominator_name.clone(),
            c.text("funnel.share_column").to_string(),
            c.text("funnel.band_column").to_string(),
        ];
        DataTable { caption: self.title.clone(), columns, rows }
    }

    /// The plot in paragraphs: what it shows, each unit beyond a limit as a
    /// question, how many lie within, whether the limits were adjusted, and
    /// who was left out.
    fn reading(&self) -> Vec<String> {
        let c = self.c;
        let lang = c.lang();
        let scope = name_in(&self.report.scope().name, lang, &self.report.name_fallback);
        let Some(target) = self.funnel.target else {
            return vec![c.fill("funnel.no_units", &Args::new().text("unit", scope))];
        };
        let mut out = vec![
            c.fill(
                self.target_key("funnel.intro"),
                &Args::new()
                    .text("unit", scope)
                    .text("share", self.share_name)
                    .text("period", during(c, &self.report.period))
                    .text("denominator", self.denominator_name.as_str())
                    .text("target", self.percent(target)),
            ),
        ];
        if !self.funnel.has_limits() {
            out.push(c.fill("funnel.no_limits", &Args::new().text("target", self.percent(target))));
        } else {
            // The farther limit first, then the report's order.
            let mut beyond: Vec<&UnitPoint> = self.funnel.beyond().collect();
            beyond.sort_by_key(|p| !matches!(p.band, Band::Beyond998High | Band::Beyond998Low));
            for p in beyond {
                let (key, limit) = match p.band {
                    Band::Beyond998High => ("funnel.above", 99.8),
                    Band::Beyond95High => ("funnel.above", 95.0),
                    Band::Beyond998Low => ("funnel.below", 99.8),
                    Band::Beyond95Low | Band::Within => ("funnel.below", 95.0),
                };
                let limit = decimal(c, limit).text;
                let args = Args::new()
                    .text("unit", self.unit_name(&p.unit))
                    .text("value", self.percent(p.share))
                    .with("count", integer(c, p.denominator))
                    .text("limit", limit);
                out.push(capitalize(&c.fill(key, &args), lang));
            }
            let within = self.funnel.points.iter().filter(|p| !p.band.is_beyond()).count() as i64;
            out.push(c.fill("funnel.within", &Args::new().with("count", integer(c, within))));
            out.push(self.dispersion_words());
        }
        if !self.funnel.excluded.is_empty() {
            let names: Vec<String> = self.funnel.excluded.iter().map(|e| self.unit_name(&e.unit)).collect();
            out.push(c.fill("funnel.excluded", &Args::new().text("units", c.list(&names))));
        }
        out
    }

    /// φ, its threshold or τ²: two decimals, or four significant digits below 0.01.
    fn number(&self, x: f64) -> String {
        let digits = if x.abs() >= 0.01 || x == 0.0 {
            format!("{x:.2}")
        } else {
            let places = (-x.abs().log10().floor()) as usize + 3;
            format!("{x:.places$}")
        };
        digits.replace('.', self.c.text("number.decimal"))
    }

    fn dispersion_words(&self) -> String {
        let c = self.c;
        let number = |x: f64| self.number(x);
        match self.funnel.dispersion {
            Dispersion::TooFewUnits { units } => c.fill(
                "funnel.too_few",
                &Args::new()
                    .with("count", integer(c, units as i64))
                    .text("needed", integer(c, MIN_UNITS_FOR_DISPERSION as i64).text),
            ),
            Dispersion::Estimated { phi, threshold, tau2: None } => c.fill(
                "funnel.not_adjusted",
                &Args::new().text("phi", number(phi)).text("threshold", number(threshold)),
            ),
            Dispersion::Estimated { phi, threshold, tau2: Some(tau2) } => c.fill(
                "funnel.adjusted",
                &Args::new().text("phi", number(phi)).text("threshold", number(threshold)).text("tau2", number(tau2)),
            ),
            Dispersion::NoVariation => String::new(),
        }
    }

    fn svg(&self, id: &str) -> String {
        let c = self.c;
        let desc = self.desc();
        let mut svg = Svg::open(id, "chart-funnel", HEIGHT, &self.title, &desc);
        if self.funnel.points.is_empty() {
            svg.height = 80.0;
            svg.no_data(c);
            return svg.close();
        }
        let plot = Plot::new(self.funnel, self.legend_rows());
        self.legend(&mut svg.out);
        plot.axes(&mut svg.out, c, &self.denominator_name, &format!("{}, %", self.share_name));
        if let Some(target) = self.funnel.target {
            let y = plot.y(target);
            let _ = write!(
                svg.out,
                "<line class=\"funnel-target\" x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{INK}\" stroke-width=\"1.5\"/>",
                plot.left, plot.right
            );
        }
        let curve = self.funnel.curve(&plot.curve_denominators());
        if !curve.is_empty() {
            let path = |limit: fn(&Limits) -> f64| {
                let points: Vec<String> =
                    curve.iter().map(|(n, l)| format!("{:.1},{:.1}", plot.x(*n as f64), plot.y(limit(l)))).collect();
                format!("M{}", points.join(" L"))
            };
            for (class, dash, colour, upper, lower) in [
                ("funnel-limit-95", "6 4", MUTED, path(|l| l.high_95), path(|l| l.low_95)),
                ("funnel-limit-998", "1.5 3", INK, path(|l| l.high_998), path(|l| l.low_998)),
            ] {
                for d in [upper, lower] {
                    let _ = write!(
                        svg.out,
                        "<path class=\"{class}\" d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" \
                         stroke-dasharray=\"{dash}\" stroke-linecap=\"round\"/>"
                    );
                }
            }
        }
        for p in &self.funnel.points {
            let tip = c.fill(
                "funnel.point",
                &Args::new()
                    .text("unit", self.unit_name(&p.unit))
                    .text("numerator", integer(c, p.numerator).text)
                    .text("denominator", integer(c, p.denominator).text)
                    .text("value", self.percent(p.share))
                    .text("band", self.band_words(p.band)),
            );
            marker(&mut svg.out, "funnel-point", p.band, plot.x(p.denominator as f64), plot.y(p.share), &tip);
        }
        svg.close()
    }

    fn desc(&self) -> String {
        let c = self.c;
        let beyond: Vec<String> = self.funnel.beyond().map(|p| self.unit_name(&p.unit)).collect();
        let beyond = if beyond.is_empty() { c.text("funnel.none").to_string() } else { c.list(&beyond) };
        let args = Args::new()
            .text("period", during(c, &self.report.period))
            .text("denominator", self.denominator_name.as_str())
            .text("target", self.funnel.target.map_or_else(|| "—".to_string(), |t| self.percent(t)))
            .text("beyond", beyond);
        capitalize(&c.fill("funnel.desc", &args), c.lang())
    }

    /// A text naming the line across: `key`, or `key_calendar` when it is
    /// the calendar's share.
    fn target_key(&self, key: &'static str) -> &'static str {
        match (self.against, key) {
            (Against::Calendar, "funnel.intro") => "funnel.intro_calendar",
            (Against::Calendar, "funnel.legend_target") => "funnel.legend_calendar",
            _ => key,
        }
    }

    /// The legend's rows: the lines, the markers, and a note when the limits are adjusted.
    fn legend_rows(&self) -> usize {
        if self.funnel.tau2().is_some() { 4 } else { 3 }
    }

    /// Lines on the left, markers on the right, the adjustment under both.
    fn legend(&self, out: &mut String) {
        let c = self.c;
        let target = self.funnel.target.map_or_else(|| "—".to_string(), |t| self.percent(t));
        let lines = [
            (c.fill(self.target_key("funnel.legend_target"), &Args::new().text("target", target)), "", INK),
            (c.text("funnel.legend_95").to_string(), "6 4", MUTED),
            (c.text("funnel.legend_998").to_string(), "1.5 3", INK),
        ];
        out.push_str("<g class=\"chart-legend\">");
        for (i, (label, dash, colour)) in lines.iter().enumerate() {
            let y = 16.0 + 18.0 * i as f64;
            let dash = if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") };
            let _ = write!(
                out,
                "<line x1=\"16\" x2=\"44\" y1=\"{y}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"1.5\"{dash}/>\
                 <text x=\"52\" y=\"{}\">{}</text>",
                y + 4.0,
                escape(&shorten(label, 38))
            );
        }
        let markers = [Band::Within, Band::Beyond95High, Band::Beyond998High];
        for (i, band) in markers.into_iter().enumerate() {
            let y = 16.0 + 18.0 * i as f64;
            let label = c.text(&format!("funnel.legend.{}", band.as_str())).to_string();
            marker(out, "funnel-key", band, WIDTH / 2.0 + 30.0, y, &label);
            let _ = write!(out, "<text x=\"{}\" y=\"{}\">{}</text>", WIDTH / 2.0 + 44.0, y + 4.0, escape(&label));
        }
        if let Some(tau2) = self.funnel.tau2() {
            let note = c.fill("funnel.legend_adjusted", &Args::new().text("tau2", self.number(tau2)));
            let _ = write!(
                out,
                "<text x=\"16\" y=\"{}\" fill=\"{MUTED}\">{}</text>",
                16.0 + 18.0 * 3.0 + 4.0,
                escape(&note)
            );
        }
        out.push_str("</g>");
    }
}

/// A unit's marker: a circle within the limits, a triangle beyond one
/// (hollow beyond 95 %, filled beyond 99.8 %), pointing the way it lies.
/// `kind` is `funnel-point` for a unit, `funnel-key` for the legend's.
fn marker(out: &mut String, kind: &str, band: Band, cx: f64, cy: f64, tip: &str) {
    let class = format!("{kind} funnel-{}", band.as_str());
    let tip = escape(tip);
    let triangle = |up: bool| {
        let (tip_y, base_y) = if up { (cy - 6.0, cy + 4.5) } else { (cy + 6.0, cy - 4.5) };
        format!("M{cx:.1},{tip_y:.1} L{:.1},{base_y:.1} L{:.1},{base_y:.1} Z", cx + 6.0, cx - 6.0)
    };
    let _ = match band {
        Band::Within => write!(
            out,
            "<circle class=\"{class}\" cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"4.5\" fill=\"{CURRENT}\" stroke=\"#ffffff\" stroke-width=\"1\"><title>{tip}</title></circle>"
        ),
        Band::Beyond95High | Band::Beyond95Low => write!(
            out,
            "<path class=\"{class}\" d=\"{}\" fill=\"#ffffff\" stroke=\"{BEFORE}\" stroke-width=\"2\"><title>{tip}</title></path>",
            triangle(band == Band::Beyond95High)
        ),
        Band::Beyond998High | Band::Beyond998Low => write!(
            out,
            "<path class=\"{class}\" d=\"{}\" fill=\"{BEYOND_998}\" stroke=\"{BEYOND_998}\" stroke-width=\"1\"><title>{tip}</title></path>",
            triangle(band == Band::Beyond998High)
        ),
    };
}

/// The plot's area and scales: the denominator from 0 across, the share up
/// over a range that holds every point, the target and the limits at the
/// smallest unit's denominator.
struct Plot {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    x_ticks: Vec<i64>,
    /// Per cent, a multiple of the step.
    y_ticks: Vec<i64>,
    smallest: i64,
}

impl Plot {
    fn new(funnel: &Funnel, legend_rows: usize) -> Plot {
        let smallest = funnel.points.iter().map(|p| p.denominator).min().unwrap_or(1).max(1);
        let largest = funnel.points.iter().map(|p| p.denominator).max().unwrap_or(1);
        let mut values: Vec<f64> = funnel.points.iter().map(|p| p.share).chain(funnel.target).collect();
        if let Some(l) = funnel.limits_at(smallest) {
            values.extend([l.low_998, l.high_998]);
        }
        let min = values.iter().copied().fold(1.0, f64::min);
        let max = values.iter().copied().fold(0.0, f64::max);
        let (mut low, mut high) = ((min * 10.0).floor() as i64 * 10, (max * 10.0).ceil() as i64 * 10);
        if high <= low {
            (low, high) = ((low - 10).max(0), (high + 10).min(100));
        }
        let step = if high - low > 60 { 20 } else { 10 };
        let y_ticks = (0..).map(|i| low + i * step).take_while(|t| *t < high + step).collect();
        Plot {
            left: 64.0,
            right: WIDTH - 24.0,
            top: 16.0 + 18.0 * legend_rows as f64 + 24.0,
            bottom: HEIGHT - 52.0,
            // A twentieth more, so the largest unit's marker is not cut at the edge.
            x_ticks: ticks(largest + largest / 20 + 1),
            y_ticks,
            smallest,
        }
    }

    fn x(&self, n: f64) -> f64 {
        let top = *self.x_ticks.last().expect("at least two ticks") as f64;
        self.left + n / top * (self.right - self.left)
    }

    fn y(&self, share: f64) -> f64 {
        let (low, high) = (self.y_ticks[0] as f64, *self.y_ticks.last().expect("ticks") as f64);
        self.bottom - (share * 100.0 - low) / (high - low) * (self.bottom - self.top)
    }

    /// From the smallest unit's denominator to the axis' end, evenly on a log scale.
    fn curve_denominators(&self) -> Vec<i64> {
        let end = *self.x_ticks.last().expect("ticks") as f64;
        let start = self.smallest as f64;
        let mut out: Vec<i64> = (0..CURVE_POINTS)
            .map(|i| (start * (end / start).powf(i as f64 / (CURVE_POINTS - 1) as f64)).round() as i64)
            .collect();
        out.dedup();
        out
    }

    fn axes(&self, out: &mut String, c: &Catalog, x_title: &str, y_title: &str) {
        out.push_str("<g class=\"chart-axis\">");
        for t in &self.y_ticks {
            let y = self.y(*t as f64 / 100.0);
            let _ = write!(
                out,
                "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{GRID}\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{MUTED}\">{}</text>",
                self.left,
                self.right,
                self.left - 6.0,
                y + 4.0,
                integer(c, *t).text
            );
        }
        for t in &self.x_ticks {
            let x = self.x(*t as f64);
            let _ = write!(
                out,
                "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{MUTED}\"/>\
                 <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{MUTED}\">{}</text>",
                self.bottom,
                self.bottom + 4.0,
                self.bottom + 18.0,
                integer(c, *t).text
            );
        }
        let _ = write!(
            out,
            "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{MUTED}\"/>\
             <line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{MUTED}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
            self.left,
            self.right,
            self.bottom,
            self.bottom,
            self.left,
            self.left,
            self.top,
            self.bottom,
            (self.left + self.right) / 2.0,
            self.bottom + 38.0,
            escape(&shorten(x_title, ((self.right - self.left) / CHAR_WIDTH) as usize)),
            16.0,
            self.top - 10.0,
            escape(&shorten(y_title, ((WIDTH - 32.0) / CHAR_WIDTH) as usize)),
        );
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::chart::tests::{assert_accessible, contrast_on_white, parse};
    use crimeboard_domain::units::{Agency, Language, Names, Unit, UnitCode, UnitKind, UnitTree};
    use crimeboard_stats::IndicatorSet;
    use crimeboard_stats::Period;
    use crimeboard_stats::board::{Naming, Stamp, Sums, assemble};
    use std::collections::BTreeMap;

    const HOSTILE: &str = "Nərimanov <RPİ> & \"Co\"";

    fn district(i: usize) -> String {
        format!("BAK-D{i}")
    }

    fn name(i: usize) -> String {
        if i == 1 { HOSTILE.to_string() } else { format!("District {i}") }
    }

    /// Baku and a district below it per (solved, denominator) pair, the
    /// demo's counting rules (the solved share is marked for a funnel).
    fn report(units: &[(i64, i64)]) -> BoardReport {
        let set =
            IndicatorSet::from_toml(include_str!("../../../data/jurisdictions/azerbaijan/indicators.toml")).unwrap();
        let names = |n: &str| Names { az: n.to_string(), ru: n.to_string(), en: n.to_string() };
        let mut tree = vec![Unit {
            code: UnitCode::parse("BAK").unwrap(),
            parent: None,
            kind: UnitKind::MainDepartment,
            agency: Agency::Mia,
            names: names("Baku"),
        }];
        let mut sums = Sums::new();
        for (i, (solved, n)) in units.iter().enumerate() {
            let code = district(i + 1);
            tree.push(Unit {
                code: UnitCode::parse(&code).unwrap(),
                parent: Some(UnitCode::parse("BAK").unwrap()),
                kind: UnitKind::District,
                agency: Agency::Mia,
                names: names(&name(i + 1)),
            });
            sums.insert((code.clone(), "solved_in_period".into()), *solved);
            sums.insert((code, "suspended_unidentified".into()), n - solved);
        }
        let recorded_by = Names::default();
        let currency = crate::tests::manats();
        let stamp = Stamp {
            position: 1,
            catalogue: "c",
            catalogue_illustrative: true,
            recorded_by: &recorded_by,
            currency: &currency,
            naming: &Naming::new(Language::Az, BTreeMap::new()),
        };
        let tree = UnitTree::new(tree).unwrap();
        let scope = UnitCode::parse("BAK").unwrap();
        assemble(&set, &tree, &scope, Period::parse("2024Q1").unwrap(), &sums, &Sums::new(), stamp)
    }

    /// The stats' over-dispersed example (U1 below, U4 above the 95 %
    /// limits once adjusted), with a seventh district that solved nothing
    /// and suspended nothing.
    pub(crate) fn adjusted() -> BoardReport {
        report(&[(30, 100), (40, 100), (60, 100), (70, 100), (200, 400), (200, 400), (0, 0)])
    }

    #[test]
    fn only_a_share_marked_for_a_funnel_has_one() {
        let r = adjusted();
        assert!(funnel_chart(&r, "solved_share", Lang::En, "f").is_some());
        assert!(funnel_chart(&r, "in_time_share", Lang::En, "f").is_none());
    }

    #[test]
    fn the_svg_has_a_titled_point_per_unit_and_the_limits() {
        let r = adjusted();
        let chart = funnel_chart(&r, "solved_share", Lang::En, "funnel-solved").unwrap();
        let parsed = assert_accessible(&chart.svg, "funnel-solved");
        assert_eq!(parsed.title, "Solved share: each unit against all units, Baku");
        assert_eq!(chart.svg.matches("class=\"funnel-point ").count(), 6, "a point per unit with a denominator");
        for (i, band) in [(1, "below the 95 % limit"), (2, "within the limits"), (4, "above the 95 % limit")] {
            let tip = format!("{}: ", name(i));
            let title = parsed.texts.iter().find(|t| t.starts_with(&tip)).unwrap_or_else(|| panic!("{tip}"));
            assert!(title.ends_with(band), "{title}");
        }
        assert!(parsed.texts.iter().any(|t| t == &format!("{HOSTILE}: 30 of 100, 30 %; below the 95 % limit")));
        assert!(chart.svg.contains("Nərimanov &lt;RPİ&gt; &amp; &quot;Co&quot;") && !chart.svg.contains("<RPİ>"));
        assert_eq!(chart.svg.matches("class=\"funnel-limit-95\"").count(), 2, "upper and lower");
        assert_eq!(chart.svg.matches("class=\"funnel-limit-998\"").count(), 2);
        assert_eq!(chart.svg.matches("class=\"funnel-target\"").count(), 1);
        assert_eq!(chart.svg.matches("class=\"funnel-point funnel-beyond_95_high\"").count(), 1);
        assert!(parsed.texts.iter().any(|t| t.starts_with("Limits adjusted for over-dispersion (τ² = 0.005833")));
        assert!(parsed.desc.ends_with(&format!("Beyond a limit: {HOSTILE} and District 4.")), "{}", parsed.desc);
    }

    #[test]
    fn the_table_is_the_methods_output_in_words() {
        let r = adjusted();
        let funnel = r.funnel("solved_share").unwrap();
        let table = funnel_chart(&r, "solved_share", Lang::En, "f").unwrap().table;
        assert_eq!(
            table.columns,
            [
                "Unit",
                "Crimes solved in the period",
                "Crimes solved in the period + Cases suspended, perpetrator unidentified",
                "Share, %",
                "Against the limits"
            ]
        );
        assert_eq!(table.rows.len(), funnel.points.len() + funnel.excluded.len());
        for (row, p) in table.rows.iter().zip(&funnel.points) {
            let i: usize = p.unit.trim_start_matches("BAK-D").parse().unwrap();
            let band = catalog(Lang::En).text(&format!("funnel.band.{}", p.band.as_str())).to_string();
            let share = decimal(catalog(Lang::En), p.share * 100.0).text;
            assert_eq!(row.label, name(i));
            assert_eq!(row.values, [p.numerator.to_string(), p.denominator.to_string(), share, band]);
        }
        assert_eq!(table.rows[0].values, ["30", "100", "30", "below the 95 % limit"]);
        let last = table.rows.last().unwrap();
        assert_eq!(last.label, "District 7");
        assert_eq!(last.values, ["0", "0", "—", "left out: nothing counted"]);
    }

    #[test]
    fn the_reading_names_the_units_beyond_the_limits_in_each_language() {
        let r = adjusted();
        let read = |lang| funnel_chart(&r, "solved_share", lang, "f").unwrap().reading;
        let en = read(Lang::En);
        assert!(en.contains(&format!("{HOSTILE}: its share, 30 % of 100, lies below the 95 % limit. Is something different in how it records or handles these?")), "{en:#?}");
        assert!(en.contains(&"District 4: its share, 70 % of 100, lies above the 95 % limit. Is something different in how it records or handles these?".to_string()), "{en:#?}");
        assert!(
            en.contains(&"Within the limits: 4 units; their differences are what chance alone would give.".to_string())
        );
        assert!(
            en.iter()
                .any(|p| p.starts_with("The units differ more than chance alone would give (φ = 4.33, above 1.84)"))
        );
        assert!(en.contains(&"Left out, with nothing counted to take a share of: District 7.".to_string()));
        assert!(en[0].contains("The plot ranks no one"));
        let ru = read(Lang::Ru);
        assert!(ru.contains(&format!("{HOSTILE}: доля 30\u{a0}% из 100 ниже границы 95\u{a0}%. Нет ли отличий в том, как здесь учитывают или ведут эти дела?")), "{ru:#?}");
        assert!(ru.iter().any(|p| p.starts_with("District 4: доля 70\u{a0}% из 100 выше границы 95\u{a0}%")));
        assert!(ru.contains(
            &"В пределах границ: 4 подразделения; их различия таковы, какие даёт одна случайность.".to_string()
        ));
        let az = read(Lang::Az);
        assert!(
            az.iter().any(|p| p.starts_with(&format!("{HOSTILE}: payı, 100 üzrə 30 %, 95 % sərhədindən aşağıdır."))),
            "{az:#?}"
        );
        assert!(az.iter().any(|p| p.starts_with("District 4: payı, 100 üzrə 70 %, 95 % sərhədindən yuxarıdır.")));
        assert!(az.iter().any(|p| p.starts_with("Sərhədlər daxilində: 4 bölmə;")));
        assert!(az.iter().any(|p| p.contains("φ = 4,33")), "{az:#?}");
    }

    /// The stats' exact example: four districts of 10, too few to estimate
    /// over-dispersion, one beyond each of the four limits.
    #[test]
    fn a_few_units_keep_exact_limits_and_the_farther_limit_is_read_first() {
        let r = report(&[(9, 10), (10, 10), (1, 10), (0, 10)]);
        let chart = funnel_chart(&r, "solved_share", Lang::En, "f").unwrap();
        let at = |start: &str| chart.reading.iter().position(|p| p.starts_with(start));
        let order = [
            at("District 2: its share, 100 % of 10, lies above the 99.8 % limit."),
            at("District 4: its share, 0 % of 10, lies below the 99.8 % limit."),
            at(&format!("{HOSTILE}: its share, 90 % of 10, lies above the 95 % limit.")),
            at("District 3: its share, 10 % of 10, lies below the 95 % limit."),
        ];
        assert!(order.iter().all(Option::is_some) && order.is_sorted(), "{:#?}", chart.reading);
        assert!(
            chart.reading.contains(
                &"With 4 units no over-dispersion is estimated (it needs 5): the limits are exact binomial ones."
                    .to_string()
            )
        );
        assert_eq!(chart.svg.matches("class=\"funnel-point funnel-beyond_998_").count(), 2);
        assert!(chart.svg.contains("class=\"funnel-point funnel-beyond_998_low\" d=\"M"), "a triangle pointing down");
        assert!(!chart.svg.contains("Limits adjusted"));
    }

    #[test]
    fn nothing_to_vary_has_no_limits_and_nothing_counted_no_points() {
        let r = report(&[(0, 5), (0, 8)]);
        let chart = funnel_chart(&r, "solved_share", Lang::En, "f").unwrap();
        assert!(
            chart
                .reading
                .contains(&"Every unit's share is 0 %: nothing varies, so the plot has no limits.".to_string())
        );
        assert!(!chart.svg.contains("funnel-limit"));
        assert_eq!(chart.svg.matches("class=\"funnel-point funnel-within\"").count(), 2);
        let empty = report(&[(0, 0), (0, 0)]);
        let chart = funnel_chart(&empty, "solved_share", Lang::Ru, "f").unwrap();
        let parsed = assert_accessible(&chart.svg, "f");
        assert!(parsed.texts.iter().any(|t| t == "Нет данных для показа."));
        assert_eq!(chart.reading[0], "Ни у одного подразделения в составе «Baku» для этой доли ничего не учтено.");
        assert_eq!(chart.table.rows.len(), 2, "both listed as left out");
        parse(&chart.svg);
    }

    /// The workbook's funnel sheet holds the table's rows as numbers, with
    /// the target and the limits at each unit's denominator.
    #[test]
    fn the_workbook_has_the_funnel_table_as_numbers() {
        use crate::tests::{entry, unzip};
        let bytes = crate::xlsx::xlsx(&adjusted(), Lang::En).unwrap();
        let bytes = bytes.as_slice();
        let mut archive = unzip(bytes);
        let workbook = entry(&mut archive, "xl/workbook.xml");
        assert!(workbook.contains("name=\"Funnel plots\""), "{workbook}");
        let sheet = entry(&mut archive, "xl/worksheets/sheet3.xml");
        let strings = entry(&mut archive, "xl/sharedStrings.xml");
        // District 4: 70 of 100, the target 50 %, the adjusted 95 % upper limit 67.89194 %.
        for number in ["<v>70</v>", "<v>100</v>", "<v>50</v>", "<v>67.8919"] {
            assert!(sheet.contains(number), "{number}: {sheet}");
        }
        for text in
            ["Upper 95 % limit, %", "above the 95 % limit", "left out: nothing counted", "Nərimanov &lt;RPİ&gt;"]
        {
            assert!(strings.contains(text), "{text}: {strings}");
        }
        let district = crate::xlsx::xlsx(&report(&[]), Lang::En).unwrap();
        let mut archive = unzip(&district);
        assert!(!entry(&mut archive, "xl/workbook.xml").contains("Funnel plots"), "no units below: no sheet");
    }

    #[test]
    fn the_band_colours_pass_aa_against_white() {
        for colour in [BEYOND_998, BEFORE, CURRENT] {
            assert!(contrast_on_white(colour) >= 4.5, "{colour}: {}", contrast_on_white(colour));
        }
    }
}
