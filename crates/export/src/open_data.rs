//! The open data of a period as files for a government open-data portal:
//! `figures.csv` (UTF-8 with a byte-order mark, RFC 4180), `figures.json`
//! (the same rows and the metadata) and `schema.json` (a Frictionless
//! tabular data package describing both, and the suppression rule).
//!
//! Only aggregated figures are written: unit, month, indicator, value. The
//! counters they come from hold no names, FINs, addresses or ids of persons.

use crate::csv::{BOM, push_record};
use crate::{Lang, name_in};
use crimeboard_domain::units::Language;
use crimeboard_stats::disclosure::{OpenCell, OpenData, OpenIndicator, Reason};
use crimeboard_stats::indicators::ValueUnit;
use serde_json::{Value, json};
use std::collections::HashMap;

/// The columns of `figures.csv` and the keys of each row of `figures.json`.
pub const COLUMNS: [&str; 11] = [
    "period_month",
    "unit_code",
    "unit_name_az",
    "unit_name_en",
    "indicator",
    "indicator_name_az",
    "indicator_name_en",
    "value",
    "suppressed",
    "suppression_reason",
    "value_unit",
];

fn unit_word(u: ValueUnit) -> &'static str {
    match u {
        ValueUnit::Number => "number",
        ValueUnit::Qepik => "qepik",
        ValueUnit::Grams => "grams",
    }
}

/// One row's fields, in the order of [`COLUMNS`].
fn fields(names: &Names<'_>, cell: &OpenCell) -> [String; 11] {
    let unit = names.units.get(cell.unit.as_str());
    let ind = names.indicators.get(cell.indicator.as_str());
    [
        cell.month.clone(),
        cell.unit.to_string(),
        unit.map(|u| u.0.to_string()).unwrap_or_default(),
        unit.map(|u| u.1.to_string()).unwrap_or_default(),
        cell.indicator.clone(),
        ind.map(|i| name_in(&i.name, Lang::Az, names.fallback).to_string()).unwrap_or_default(),
        ind.map(|i| name_in(&i.name, Lang::En, names.fallback).to_string()).unwrap_or_default(),
        cell.value.map(|v| v.to_string()).unwrap_or_default(),
        cell.suppressed.is_some().to_string(),
        cell.suppressed.map(Reason::code).unwrap_or_default().to_string(),
        ind.map(|i| unit_word(i.unit)).unwrap_or("number").to_string(),
    ]
}

struct Names<'a> {
    units: HashMap<&'a str, (&'a str, &'a str)>,
    indicators: HashMap<&'a str, &'a OpenIndicator>,
    fallback: &'a [Language],
}

fn names(data: &OpenData) -> Names<'_> {
    Names {
        units: data
            .units
            .iter()
            .map(|u| {
                (
                    u.code.as_str(),
                    (name_in(&u.name, Lang::Az, &data.name_fallback), name_in(&u.name, Lang::En, &data.name_fallback)),
                )
            })
            .collect(),
        indicators: data.indicators.iter().map(|i| (i.code.as_str(), i)).collect(),
        fallback: &data.name_fallback,
    }
}

/// `figures.csv`: UTF-8 with a byte-order mark, CRLF, a header line.
pub fn figures_csv(data: &OpenData) -> Vec<u8> {
    let names = names(data);
    let mut out = String::from(BOM);
    push_record(&mut out, &COLUMNS);
    for cell in &data.cells {
        let f = fields(&names, cell);
        let refs: Vec<&str> = f.iter().map(String::as_str).collect();
        push_record(&mut out, &refs);
    }
    out.into_bytes()
}

/// The currency of the amounts (`value_unit` `qepik`: its minor units).
fn currency(data: &OpenData) -> Value {
    json!({ "code": data.currency.code, "minor_units": data.currency.minor_units })
}

/// How `value_unit` reads, the pack's currency named.
fn value_unit_text(data: &OpenData) -> String {
    let c = &data.currency;
    format!(
        "number (a count), qepik (money, in minor units of the currency: 1/{} {}) or grams.",
        c.minor_per_unit(),
        c.code
    )
}

fn metadata(data: &OpenData) -> Value {
    json!({
        "period": data.period.to_string(),
        "months": data.months,
        "counting_rules": data.counting_rules,
        "currency": currency(data),
        "journal_position": data.position,
        "revision": data.revision,
        "threshold": data.threshold,
        "generated_at": data.generated_at.to_rfc3339(),
        "suppression": suppression_text(data.threshold),
        "indicators": data.indicators.iter().map(|i| json!({
            "code": i.code,
            "name_az": name_in(&i.name, Lang::Az, &data.name_fallback),
            "name_en": name_in(&i.name, Lang::En, &data.name_fallback),
            "measure": i.measure,
            "value_unit": unit_word(i.unit),
            "small_cells_hidden": i.counted,
            "companion": i.companion,
        })).collect::<Vec<_>>(),
    })
}

/// `figures.json`: the metadata and the same rows as the CSV, `value` null
/// when hidden.
pub fn figures_json(data: &OpenData) -> Vec<u8> {
    let names = names(data);
    let rows: Vec<Value> = data
        .cells
        .iter()
        .map(|cell| {
            let f = fields(&names, cell);
            let mut row = serde_json::Map::new();
            for (k, v) in COLUMNS.iter().zip(f) {
                let value = match *k {
                    "value" => cell.value.map_or(Value::Null, Value::from),
                    "suppressed" => Value::Bool(cell.suppressed.is_some()),
                    "suppression_reason" => cell.suppressed.map_or(Value::Null, |r| Value::from(r.code())),
                    _ => Value::String(v),
                };
                row.insert((*k).to_string(), value);
            }
            Value::Object(row)
        })
        .collect();
    let doc = json!({ "metadata": metadata(data), "rows": rows });
    serde_json::to_vec_pretty(&doc).unwrap_or_default()
}

/// The suppression rule in words, as the schema and the metadata state it.
pub fn suppression_text(threshold: i64) -> Vec<String> {
    vec![
        format!(
            "small: a count of events or persons (measure count, killed or injured) above 0 and below {threshold} is hidden; 0 is published."
        ),
        "companion: an amount (damage, reimbursement, sum of scores, people killed or injured) is hidden in a unit and month where \
         the unfiltered count of the same register and date (its companion, named per indicator) is hidden; an amount without \
         one (narcotics seized, in grams) is published as counted."
            .to_string(),
        "complementary: each unit's figure includes every unit below it; where among a unit and its direct children exactly one \
         cell of an indicator and month is hidden, another is hidden too (the smallest non-zero child, or else the parent), \
         repeated up the tree, so that no hidden cell equals a published total less published parts."
            .to_string(),
        "Each indicator (each group of a grouped indicator) and each month is protected on its own: relations between \
         indicators (e.g. crimes recorded = recorded by the MIA + recorded by the Prosecutor's Office) and between months \
         are not taken into account."
            .to_string(),
    ]
}

/// `schema.json`: a Frictionless tabular data package describing the files.
pub fn schema_json(data: &OpenData) -> Vec<u8> {
    let text = |s: &str| json!({ "type": "string", "name": s });
    let mut fields = vec![
        json!({ "name": "period_month", "type": "yearmonth", "description": "The calendar month (YYYY-MM) the figure counts.", "constraints": { "required": true } }),
        json!({ "name": "unit_code", "type": "string", "description": "The territorial unit's code; its figure includes every unit below it.", "constraints": { "required": true } }),
    ];
    for (name, description) in [
        ("unit_name_az", "The unit's name in Azerbaijani."),
        ("unit_name_en", "The unit's name in English."),
        ("indicator", "The indicator's code, or <code>/<value>[/<value>] for one group of a grouped indicator."),
        ("indicator_name_az", "The indicator's name in Azerbaijani."),
        ("indicator_name_en", "The indicator's name in English."),
    ] {
        let mut f = text(name);
        f["description"] = Value::from(description);
        fields.push(f);
    }
    fields.extend([
        json!({ "name": "value", "type": "integer", "description": "The figure, in value_unit; empty (null in JSON) when suppressed.", "constraints": { "minimum": 0 } }),
        json!({ "name": "suppressed", "type": "boolean", "trueValues": ["true"], "falseValues": ["false"], "description": "Whether the value is hidden to protect small numbers.", "constraints": { "required": true } }),
        json!({ "name": "suppression_reason", "type": "string", "description": "Why the value is hidden: small, companion or complementary (see suppression); empty when published.", "constraints": { "enum": ["", "small", "companion", "complementary"] } }),
        json!({ "name": "value_unit", "type": "string", "description": value_unit_text(data), "constraints": { "enum": ["number", "qepik", "grams"] } }),
    ]);
    let schema = json!({
        "fields": fields,
        "missingValues": [""],
        "primaryKey": ["period_month", "unit_code", "indicator"],
    });
    let package = json!({
        "profile": "tabular-data-package",
        "name": format!("crimeboard-figures-{}", data.period.to_string().to_ascii_lowercase().replace([':', '.'], "-")),
        "title": format!("Recorded crime and police activity figures by unit and month, {}", data.period),
        "description": "Aggregated figures of the police registers per territorial unit, calendar month and indicator, \
            counted under the counting rules named in `version`. No personal data: no names, FINs, addresses or \
            identifiers of persons. Small cells are suppressed as `suppression` describes.",
        "version": data.counting_rules,
        "created": data.generated_at.to_rfc3339(),
        "crimeboard": {
            "period": data.period.to_string(),
            "months": data.months,
            "journal_position": data.position,
            "revision": data.revision,
            "counting_rules": data.counting_rules,
            "currency": currency(data),
        },
        "suppression": {
            "threshold": data.threshold,
            "rules": suppression_text(data.threshold),
            "counted_indicators": data.indicators.iter().filter(|i| i.counted).map(|i| i.code.as_str()).collect::<Vec<_>>(),
            "companions": data.indicators.iter().filter_map(|i| i.companion.as_ref().map(|c| json!({ "amount": i.code, "count": c }))).collect::<Vec<_>>(),
            "published_as_counted": data.indicators.iter().filter(|i| !i.counted && i.companion.is_none()).map(|i| i.code.as_str()).collect::<Vec<_>>(),
        },
        "resources": [
            {
                "name": "figures",
                "path": "figures.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "dialect": { "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "doubleQuote": true, "header": true },
                "schema": schema,
            },
            {
                "name": "figures-json",
                "path": "figures.json",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "description": "The same rows under `rows` (value null when suppressed), with the metadata under `metadata`.",
            },
        ],
    });
    serde_json::to_vec_pretty(&package).unwrap_or_default()
}

/// Every file of the open data: (file name, contents).
pub fn files(data: &OpenData) -> Vec<(&'static str, Vec<u8>)> {
    vec![("figures.csv", figures_csv(data)), ("figures.json", figures_json(data)), ("schema.json", schema_json(data))]
}
