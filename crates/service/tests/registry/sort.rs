//! Lists sorted by day, register number, unit and (reports) deadline, both
//! ways, paged without overlap or gap: each order ends with the id. With
//! search words, an order the index cannot give sorts the matches.

use crate::support::*;
use crimeboard_domain::report::{DecideReport, ReportOutcome};
use crimeboard_domain::{Command, Entity, EntityKind};
use crimeboard_service::{ListParams, ListSort, ServiceError};
use crimeboard_store::Record;
use std::cmp::Ordering;

/// Reports in two units on a few days (several on one day), one decided;
/// two cases with two suspects each, so persons share register numbers.
fn records(env: &Env) {
    for (i, day) in [3, 1, 2, 3, 1, 2, 3].into_iter().enumerate() {
        let mut r = new_report(&format!("2024-04-{:02}T0{}:00:00Z", 14 + day, i));
        if i % 2 == 1 {
            r.unit = unit("BAK-NRM");
        }
        ok(env, Command::RegisterReport(r));
    }
    let decided = report(env, "2024-04-16T09:00:00Z");
    ok(
        env,
        Command::DecideReport(DecideReport {
            report_id: decided.entity_id,
            decided_at: at("2024-04-17T08:00:00Z"),
            outcome: ReportOutcome::Refuse { ground: "CPC art. 39.1.1: no crime".into() },
            late_reason: None,
        }),
    );
    for n in 0..2 {
        let r = report(env, "2024-04-02T08:00:00Z");
        let mut c = new_case(vec![r.entity_id], &format!("2024-04-0{}T09:00:00Z", 3 + n));
        c.persons.push(suspect("Orxan Quliyev", "1990-05-01"));
        c.persons.push(suspect("Elvin Həsənov", "1991-06-02"));
        ok(env, Command::OpenCase(c));
    }
}

/// A report's running deadline, if it awaits a decision.
fn deadline(r: &Record) -> Option<chrono::DateTime<chrono::Utc>> {
    match crimeboard_service::entity_of(r) {
        Ok(Entity::Report(rep)) if rep.decision.is_none() => Some(rep.deadline),
        _ => None,
    }
}

/// The order each key promises, by hand.
fn expected(sort: ListSort, a: &Record, b: &Record) -> Ordering {
    let newest = b.day.cmp(&a.day).then(b.number.cmp(&a.number)).then(a.id.cmp(&b.id));
    let pending_first = |x: &Record, y: &Record| deadline(x).is_none().cmp(&deadline(y).is_none());
    match sort {
        ListSort::Newest => newest,
        ListSort::Oldest => a.day.cmp(&b.day).then(a.number.cmp(&b.number)).then(a.id.cmp(&b.id)),
        ListSort::Number => a.number.cmp(&b.number).then(a.id.cmp(&b.id)),
        ListSort::NumberDesc => b.number.cmp(&a.number).then(b.id.cmp(&a.id)),
        ListSort::Unit => a.unit.cmp(&b.unit).then(newest),
        ListSort::UnitDesc => b.unit.cmp(&a.unit).then(newest),
        ListSort::Deadline => pending_first(a, b).then(deadline(a).cmp(&deadline(b))).then(a.id.cmp(&b.id)),
        ListSort::DeadlineDesc => pending_first(a, b).then(deadline(b).cmp(&deadline(a))).then(b.id.cmp(&a.id)),
    }
}

/// Every page of a list, two at a time.
fn paged(env: &Env, params: &ListParams) -> Vec<Record> {
    let mut all = Vec::new();
    for page in 1.. {
        let found = env.registry.list(&ListParams { page: Some(page), per_page: Some(2), ..params.clone() }).unwrap();
        all.extend(found.items);
        if !found.has_more {
            break;
        }
    }
    all
}

fn numbers(records: &[Record]) -> Vec<(String, String)> {
    records.iter().map(|r| (r.number.clone(), r.id.to_string())).collect()
}

#[test]
fn every_sort_key_orders_every_page_both_ways_with_the_id_breaking_ties() {
    each_backend(|env| {
        records(env);
        for kind in [EntityKind::Report, EntityKind::Case, EntityKind::Person] {
            let all = env.registry.list(&ListParams { kind: Some(kind), ..Default::default() }).unwrap().items;
            assert!(all.len() >= 2, "{kind:?}");
            for sort in ListSort::ALL {
                if kind != EntityKind::Report && matches!(sort, ListSort::Deadline | ListSort::DeadlineDesc) {
                    continue;
                }
                let got = paged(env, &ListParams { kind: Some(kind), sort: Some(sort), ..Default::default() });
                let mut want = all.clone();
                want.sort_by(|a, b| expected(sort, a, b));
                assert_eq!(numbers(&got), numbers(&want), "{kind:?} by {sort:?} on {}", env.db.name);
            }
        }
        // No sort is newest first.
        let default = paged(env, &ListParams { kind: Some(EntityKind::Report), ..Default::default() });
        let newest = paged(
            env,
            &ListParams { kind: Some(EntityKind::Report), sort: Some(ListSort::Newest), ..Default::default() },
        );
        assert_eq!(numbers(&default), numbers(&newest));
    });
}

#[test]
fn with_words_the_matches_are_sorted_as_asked_and_newest_recorded_first_if_not() {
    each_backend(|env| {
        records(env);
        let searched =
            |sort| ListParams { kind: Some(EntityKind::Report), q: Some("zinət".into()), sort, ..Default::default() };
        let unsorted = paged(env, &searched(None));
        assert_eq!(unsorted.len(), 10);
        // Recording order: ids begin with the millisecond they were made in.
        let millis = |r: &Record| r.id.as_bytes()[..6].to_vec();
        assert!(unsorted.windows(2).all(|w| millis(&w[0]) >= millis(&w[1])), "newest first on {}", env.db.name);
        for sort in [
            ListSort::Number,
            ListSort::NumberDesc,
            ListSort::Unit,
            ListSort::UnitDesc,
            ListSort::Deadline,
            ListSort::DeadlineDesc,
        ] {
            let got = paged(env, &searched(Some(sort)));
            let mut want = unsorted.clone();
            want.sort_by(|a, b| expected(sort, a, b));
            assert_eq!(numbers(&got), numbers(&want), "words by {sort:?} on {}", env.db.name);
        }
        // A filter narrows the sorted matches too.
        let nrm = ListParams { unit: Some("BAK-NRM".into()), ..searched(Some(ListSort::Number)) };
        let got = paged(env, &nrm);
        assert_eq!(got.len(), 3);
        assert!(got.windows(2).all(|w| w[0].number < w[1].number));
    });
}

#[test]
fn a_deadline_order_is_for_reports_only() {
    each_backend(|env| {
        let params = ListParams { kind: Some(EntityKind::Case), sort: Some(ListSort::Deadline), ..Default::default() };
        match env.registry.list(&params) {
            Err(ServiceError::Rejected(r)) => {
                assert_eq!((r.0[0].field.as_str(), r.0[0].rule.as_str()), ("sort", "form.choice"))
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    });
}
