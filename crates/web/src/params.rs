//! Query strings and path parameters. A bad one is a 400 naming the
//! parameter; an unknown one is refused too, so a typo (`per-page`) is
//! reported instead of silently ignored.

use crate::body::{CHRONO_MESSAGES, path_of};
use crate::problem::Problem;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use crimeboard_domain::Violation;
use crimeboard_stats::Period;
use crimeboard_stats::period::PeriodErrorKind;
use serde::de::DeserializeOwned;
use uuid::Uuid;

pub fn decode_query<T: DeserializeOwned>(query: Option<&str>) -> Result<T, Problem> {
    let pairs = form_urlencoded::parse(query.unwrap_or("").as_bytes());
    // U+0000 is no text: the databases refuse it and C libraries stop at it.
    if let Some((name, _)) = pairs.clone().find(|(k, v)| k.contains('\0') || v.contains('\0')) {
        return Err(Problem::param(Violation::new(name.replace('\0', ""), "text.nul")));
    }
    serde_path_to_error::deserialize(serde_urlencoded::Deserializer::new(pairs))
        .map_err(|e| Problem::param(param_violation(&path_of(&e), &e.into_inner().to_string())))
}

fn param_violation(name: &str, msg: &str) -> Violation {
    let quoted = |prefix: &str| msg.strip_prefix(prefix).and_then(|r| r.split_once('`')).map(|(n, _)| n.to_string());
    // serde's words are never passed on: only the names it quotes.
    let names = |list: &str| list.split('`').skip(1).step_by(2).collect::<Vec<_>>().join(", ");
    if let Some(unknown) = quoted("unknown field `") {
        let expected = msg.split_once(", expected ").map_or("", |(_, e)| e);
        return Violation::new(unknown, "param.unknown").with("expected", names(expected));
    }
    if let Some(twice) = quoted("duplicate field `") {
        return Violation::new(twice, "param.duplicate");
    }
    if let Some(value) = quoted("unknown variant `") {
        // "unknown variant `pdf`, expected one of `json`, `text`" -> "json, text"
        let expected = msg.split_once(", expected ").map_or("", |(_, e)| e);
        return Violation::new(name, "param.variant").with("value", value).with("expected", names(expected));
    }
    let rule = if msg.starts_with("UUID parsing failed") {
        "param.uuid"
    } else if CHRONO_MESSAGES.contains(&msg) {
        "param.date"
    } else if INTEGER_MESSAGES.contains(&msg) {
        "param.integer"
    } else {
        "param.invalid"
    };
    Violation::new(name, rule)
}

/// How Rust's integer parser words its errors.
const INTEGER_MESSAGES: [&str; 4] = [
    "invalid digit found in string",
    "cannot parse integer from empty string",
    "number too large to fit in target type",
    "number too small to fit in target type",
];

/// The `period` of a report, required, in any form `Period::parse` reads.
pub fn period(raw: Option<&str>) -> Result<Period, Problem> {
    let raw = raw.unwrap_or("").trim();
    Period::parse(raw).map_err(|e| {
        let v = match e.kind {
            PeriodErrorKind::Form => Violation::new("period", "param.period").with("value", raw),
            PeriodErrorKind::Reversed => Violation::new("period", "date.range_reversed"),
            PeriodErrorKind::Years => {
                let (min, max) = crimeboard_stats::period::YEARS;
                Violation::new("period", "param.period_years").with("min", min).with("max", max)
            }
        };
        Problem::param(v)
    })
}

/// Which briefing pack is asked for: a stored meeting's (`Some`, the
/// meeting's id), or one typed as a period, an agenda and units (`None`).
/// Exactly one of them: both, or neither, is refused at `meeting`
/// (`param.meeting_or_agenda`), as is a meeting that is no UUID.
pub fn briefing_meeting(meeting: Option<&str>, typed: bool) -> Result<Option<Uuid>, Violation> {
    let meeting = meeting.map(str::trim).filter(|m| !m.is_empty());
    match (meeting, typed) {
        (Some(id), false) => Uuid::parse_str(id).map(Some).map_err(|_| Violation::new("meeting", "param.uuid")),
        (None, true) => Ok(None),
        (Some(_), true) | (None, false) => Err(Violation::new("meeting", "param.meeting_or_agenda")),
    }
}

/// A briefing pack asked for by its period, agenda and units as typed (the
/// API's query, the page's form), every problem of the agenda and the units
/// named at once. The units' tasks are left to the registry, which reads
/// them from the register of the Board's tasks.
pub fn briefing_request(
    period: Period,
    agenda: &str,
    units: &str,
) -> Result<crimeboard_stats::briefing::BriefingRequest, Vec<Violation>> {
    use crimeboard_stats::briefing::{BriefingRequest, parse_agenda, parse_units};
    match (parse_agenda(agenda), parse_units(units)) {
        (Ok(items), Ok(units)) => Ok(BriefingRequest { period, items, units, tasks: Default::default() }),
        (items, units) => Err(items.err().into_iter().chain(units.err()).flat_map(|r| r.0).collect()),
    }
}

/// The service's names for a briefing's inputs (`items[0].indicators[1]`,
/// `units[2]`, `position`) as the query and the form name them (`agenda`,
/// `units`, `at`); the item and the entry stay in the message's values.
pub fn briefing_fields(violations: Vec<Violation>) -> Vec<Violation> {
    violations
        .into_iter()
        .map(|mut v| {
            let named = if v.field.starts_with("items") {
                Some("agenda")
            } else if v.field.starts_with("units") {
                Some("units")
            } else if v.field == "position" {
                Some("at")
            } else {
                None
            };
            if let Some(name) = named {
                if let Some(item) = v.field.strip_prefix("items[").and_then(|r| r.split(']').next()) {
                    let line = item.parse::<usize>().map_or(0, |i| i + 1);
                    v.params.push(("line".into(), line.to_string()));
                }
                v.field = name.to_string();
            }
            v
        })
        .collect()
}

/// The `{id}` of a path, which must be a UUID.
pub struct EntityId(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for EntityId {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        let bad = || Problem::param(Violation::new("id", "param.uuid"));
        let Path(raw) = Path::<String>::from_request_parts(parts, state).await.map_err(|_| bad())?;
        Uuid::parse_str(&raw).map(EntityId).map_err(|_| bad())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Q {
        from: Option<chrono::NaiveDate>,
        parent: Option<Uuid>,
        page: Option<u64>,
    }

    fn refused(q: &str) -> (String, String) {
        let p = decode_query::<Q>(Some(q)).unwrap_err();
        (p.errors[0].field.clone(), p.errors[0].rule.clone())
    }

    #[test]
    fn a_briefings_inputs_are_named_as_typed() {
        let period = period(Some("2024Q1")).unwrap();
        let refused = briefing_request(period, "Theft theft", "bak").unwrap_err();
        let named: Vec<_> = refused.iter().map(|v| (v.field.as_str(), v.rule.as_str())).collect();
        assert_eq!(named, [("agenda", "agenda.line"), ("units", "unit.code_format")]);
        let renamed = briefing_fields(vec![
            Violation::new("items[1].indicators[0]", "indicator.unknown"),
            Violation::new("units[2]", "unit.unknown"),
            Violation::new("position", "number.range"),
        ]);
        let named: Vec<_> = renamed.iter().map(|v| (v.field.as_str(), v.param("line"))).collect();
        assert_eq!(named, [("agenda", Some("2")), ("units", None), ("at", None)]);
    }

    #[test]
    fn each_bad_parameter_is_named_with_its_rule() {
        assert_eq!(refused("from=2024-02-30"), ("from".into(), "param.date".into()));
        assert_eq!(refused("parent=x"), ("parent".into(), "param.uuid".into()));
        assert_eq!(refused("page=two"), ("page".into(), "param.integer".into()));
        assert_eq!(refused("page=-1"), ("page".into(), "param.integer".into()));
        assert_eq!(refused("pgae=1"), ("pgae".into(), "param.unknown".into()));
        assert_eq!(refused("page=1&page=2"), ("page".into(), "param.duplicate".into()));
        assert!(decode_query::<Q>(Some("from=2024-02-29&page=2")).is_ok());
        assert!(decode_query::<Q>(None).is_ok());
    }

    fn period_refused(raw: Option<&str>) -> (String, String) {
        let p = period(raw).unwrap_err();
        (p.errors[0].field.clone(), p.errors[0].rule.clone())
    }

    #[test]
    fn a_period_is_required_in_one_of_its_forms_within_the_years_allowed() {
        assert_eq!(period(Some("2024Q1")).unwrap().to_string(), "2024-01-01..2024-03-31");
        assert_eq!(period(Some(" week:2024-04-19 ")).unwrap().to_string(), "2024-04-15..2024-04-21");
        for bad in
            [None, Some(""), Some("2024Q5"), Some("Q1"), Some("ytd:2024-02-30"), Some("+262142-12-31..+262142-12-31")]
        {
            assert_eq!(period_refused(bad), ("period".into(), "param.period".into()), "{bad:?}");
        }
        // Near the ends of the calendar parsing would overflow: refused before.
        for edge in ["week:+262142-12-31", "28d:-262143-01-01", "ytd:+262142-12-31"] {
            assert_eq!(period_refused(Some(edge)).1, "param.period", "{edge}");
        }
        assert_eq!(period_refused(Some("2024-03-31..2024-01-01")).1, "date.range_reversed");
        assert_eq!(period_refused(Some("28d:1900-01-05")).1, "param.period_years");
        assert_eq!(period_refused(Some("0999-01-01..2024-01-01")).1, "param.period_years");
        assert_eq!(period_refused(Some("3000Q1")).1, "param.period_years");
    }
}
