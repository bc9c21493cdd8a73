//! Imported records keep their source identity, written with the act that
//! records them: a second import of the same record is refused and writes
//! nothing. A record and the acts that follow from it land together.

use crate::support::*;
use crimeboard_domain::Command;
use crimeboard_domain::case::{CaseDecision, NewCase, Procedural};
use crimeboard_domain::source::SourceRef;
use crimeboard_service::audit::Audited;
use crimeboard_service::{ServiceError, Submission};
use crimeboard_stats::Period;
use crimeboard_store::StoreError;

fn imported(id: &str, category: &str, outcome: &str) -> NewCase {
    let mut c = new_case(vec![], "2024-04-03T09:00:00Z");
    c.detected_by_police = true;
    c.category = Some(category.into());
    c.source = Some(SourceRef { system: "police.uk".into(), id: id.into(), outcome: Some(outcome.into()) });
    c
}

fn submission(command: Command) -> Submission {
    Submission { actor: "import".into(), legal_ground: "Import".into(), command, late: None }
}

#[test]
fn a_source_identity_is_imported_once() {
    each_backend(|env| {
        let first = ok(env, Command::OpenCase(imported("abc", "Vehicle crime", "Local resolution")));
        let found = env.registry.store().imported("police.uk", &["abc".into(), "other".into()]).unwrap();
        assert_eq!(found, vec![("abc".to_string(), first.entity_id)]);
        let before = env.registry.store().position().unwrap();
        match submit(env, Command::OpenCase(imported("abc", "Burglary", ""))) {
            Err(ServiceError::Store(StoreError::AlreadyImported { system, id })) => {
                assert_eq!((system.as_str(), id.as_str()), ("police.uk", "abc"));
            }
            other => panic!("expected already imported, got {other:?}"),
        }
        assert_eq!(env.registry.store().position().unwrap(), before, "nothing written on {}", env.db.name);
        // The same id in another system is another record.
        let mut elsewhere = imported("abc", "Vehicle crime", "");
        elsewhere.source.as_mut().unwrap().system = "other-system".into();
        ok(env, Command::OpenCase(elsewhere));
        // Twice in one batch: the batch is refused whole.
        let twice = [imported("x", "Drugs", ""), imported("x", "Drugs", "")].map(|c| submission(Command::OpenCase(c)));
        let position = env.registry.store().position().unwrap();
        assert!(matches!(
            record_all(&env.registry, &twice),
            Err(ServiceError::Store(StoreError::AlreadyImported { .. }))
        ));
        assert_eq!(env.registry.store().position().unwrap(), position);
        assert!(env.registry.store().imported("police.uk", &["x".into()]).unwrap().is_empty());
    });
}

#[test]
fn the_category_and_the_source_are_checked_like_any_field() {
    each_backend(|env| {
        let mut c = imported("abc", " ", "");
        c.source.as_mut().unwrap().id = String::new();
        let found = rejected(env, Command::OpenCase(c));
        assert_rule(&found, "category", "text.required");
        assert_rule(&found, "source.id", "text.required");
        let mut c = imported("abc", &"x".repeat(201), &"y".repeat(201));
        c.source.as_mut().unwrap().system = " ".into();
        let found = rejected(env, Command::OpenCase(c));
        assert_rule(&found, "category", "text.too_long");
        assert_rule(&found, "source.outcome", "text.too_long");
        assert_rule(&found, "source.system", "text.required");
    });
}

#[test]
fn acts_that_follow_a_record_land_with_it_or_not_at_all() {
    each_backend(|env| {
        let decide = |case_id, decision| {
            submission(Command::DecideCase(CaseDecision { case_id, decided_at: at("2024-04-04T09:00:00Z"), decision }))
        };
        let mut solved = imported("solved", "Shoplifting", "Offender given a caution");
        solved.persons.push(suspect("Unnamed offender", "1990-01-01"));
        let suspended = imported("suspended", "Burglary", "Investigation complete; no suspect identified");
        let batch = [solved, suspended].map(|c| submission(Command::OpenCase(c)));
        let receipts = env
            .registry
            .record_batch(
                &as_system(&env.registry),
                &batch,
                Some(&mut |i, r| match i {
                    0 => vec![
                        decide(
                            r.entity_id,
                            Procedural::Solved { how: "Offender given a caution".into(), forensic_methods: vec![] },
                        ),
                        decide(r.entity_id, Procedural::SentToCourt),
                    ],
                    _ => vec![decide(r.entity_id, Procedural::Suspended)],
                }),
                &Audited::No,
            )
            .unwrap();
        assert_eq!(receipts.len(), 2, "the records' receipts");
        assert_eq!(env.registry.store().position().unwrap(), 5, "two cases and three decisions");
        let r = env.registry.report(Period::parse("2024-04").unwrap(), None).unwrap();
        let current = |code: &str| r.figure(code).map_or(0, |f| f.change.current);
        assert_eq!(current("solved_in_period"), 1);
        assert_eq!(current("suspended_unidentified"), 1);
        assert_eq!(current("cases_by_category/Shoplifting"), 1);
        assert_eq!(current("cases_by_outcome/Investigation complete; no suspect identified"), 1);
        assert_eq!(current("cases_by_category_status/Shoplifting/sent_to_court"), 1);
        assert_eq!(current("cases_by_category_status/Burglary/suspended"), 1);

        // A follower refused: the whole batch is, at the record's index.
        let fine = imported("fine", "Drugs", "");
        let unsolvable = imported("unsolvable", "Drugs", "Local resolution");
        let batch = [fine, unsolvable].map(|c| submission(Command::OpenCase(c)));
        let err = env
            .registry
            .record_batch(
                &as_system(&env.registry),
                &batch,
                Some(&mut |i, r| match i {
                    1 => vec![decide(
                        r.entity_id,
                        Procedural::Solved { how: "Local resolution".into(), forensic_methods: vec![] },
                    )],
                    _ => vec![],
                }),
                &Audited::No,
            )
            .unwrap_err();
        match err {
            ServiceError::BatchItem { index, rejected } => {
                assert_eq!(index, 1);
                assert_eq!(rejected.rules().collect::<Vec<_>>(), ["case.solved_needs_suspect"]);
            }
            other => panic!("expected a refused item, got {other}"),
        }
        assert_eq!(env.registry.store().position().unwrap(), 5, "nothing of the refused batch on {}", env.db.name);
        assert!(env.registry.store().imported("police.uk", &["fine".into()]).unwrap().is_empty());
        assert_eq!(env.registry.verify_counters().unwrap(), vec![]);
    });
}
