//! The report's figures month by month against the same months a year
//! before: the data table the trend chart draws, shown beside it.

use super::format;
use super::viewer::Viewer;
use crate::problem::Problem;
use chrono::NaiveDate;
use crimeboard_domain::units::Names;
use crimeboard_service::Registry;
use crimeboard_stats::Period;
use crimeboard_stats::compare::Change;
use crimeboard_stats::indicators::ValueUnit;
use maud::{Markup, html};

/// Months a trend covers at most: a longer period is read as a whole only.
const MAX_MONTHS: usize = 36;

pub struct Trend {
    /// The indicators shown: code, name, what their values measure.
    pub indicators: Vec<(String, Names, ValueUnit)>,
    /// Each whole month of the period with each indicator's change against a year before.
    pub months: Vec<((i32, u32), Vec<Option<Change>>)>,
}

/// The indicators' figures for each whole month of the period; None when
/// the period holds no whole month or too many.
pub fn load(
    r: &Registry,
    period: Period,
    unit: Option<&str>,
    indicators: Vec<(String, Names, ValueUnit)>,
) -> Result<Option<Trend>, Problem> {
    let (whole, _) = period.split_months();
    if whole.is_empty() || whole.len() > MAX_MONTHS {
        return Ok(None);
    }
    let mut months = Vec::with_capacity(whole.len());
    for (year, month) in whole {
        let Some(month_period) = month_period(year, month) else { continue };
        let report = r.report(month_period, unit).map_err(Problem::from_query)?;
        let changes = indicators.iter().map(|(code, _, _)| report.figure(code).map(|f| f.change.clone())).collect();
        months.push(((year, month), changes));
    }
    Ok(Some(Trend { indicators, months }))
}

fn month_period(year: i32, month: u32) -> Option<Period> {
    let from = NaiveDate::from_ymd_opt(year, month, 1)?;
    let to = from.checked_add_months(chrono::Months::new(1))?.pred_opt()?;
    Period::new(from, to)
}

pub fn table(v: &Viewer, trend: &Trend, value: impl Fn(ValueUnit, i64) -> String) -> Markup {
    html! {
        h3 #trend { (v.t("ui.report.trend")) }
        div.table-wrap role="region" tabindex="0" aria-labelledby="trend" {
            table aria-labelledby="trend" {
                thead {
                    tr {
                        th scope="col" rowspan="2" { (v.t("ui.report.month")) }
                        @for (_, name, _) in &trend.indicators { th scope="colgroup" colspan="2" { (format::names(v, name)) } }
                    }
                    tr {
                        @for _ in &trend.indicators {
                            th scope="col" .num { (v.t("ui.report.current")) }
                            th scope="col" .num { (v.t("ui.report.previous")) }
                        }
                    }
                }
                tbody {
                    @for ((year, month), changes) in &trend.months {
                        tr {
                            th scope="row" { (month_name(v, *month)) " " (year) }
                            @for ((_, _, unit), change) in trend.indicators.iter().zip(changes) {
                                @match change {
                                    Some(c) => { td.num { (value(*unit, c.current)) } td.num { (value(*unit, c.previous)) } }
                                    None => { td.num { "—" } td.num { "—" } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn month_name(v: &Viewer, month: u32) -> String {
    format::label(v, "month", &month.to_string())
}
