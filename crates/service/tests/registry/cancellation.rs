//! Cancelling a recorded crime: asked for on a ground of the rules with its
//! evidence, approved by a second person from above the crime's unit once
//! the victim was told, counted out of the crimes recorded from then on, and
//! back in when the approval is annulled.

use crate::support::*;
use crimeboard_domain::access::{Principal, Role};
use crimeboard_domain::act::Annul;
use crimeboard_domain::cancellation::{DecideCancellation, RequestCancellation, TellingMeans, VictimTold};
use crimeboard_domain::{Command, Entity, Rejected};
use crimeboard_service::audit::Audited;
use crimeboard_service::{Receipt, ServiceError, Submission};
use crimeboard_stats::Period;
use uuid::Uuid;

fn request(case_id: Uuid) -> RequestCancellation {
    RequestCancellation {
        case_id,
        ground: "recorded_twice".into(),
        text: "The burglary of flat 12 is case 41 already".into(),
        evidence: "The victim's statement in case 41 names the same night and the same flat".into(),
        requested_at: at("2024-04-10T09:00:00Z"),
    }
}

fn approval(case_id: Uuid) -> DecideCancellation {
    DecideCancellation {
        case_id,
        approve: true,
        note: "Checked against case 41".into(),
        victim_told: Some(VictimTold { how: TellingMeans::Letter, at: at("2024-04-11T09:00:00Z") }),
        decided_at: at("2024-04-12T09:00:00Z"),
    }
}

fn record_as(env: &Env, by: &Principal, command: Command) -> Result<Receipt, ServiceError> {
    let s = Submission { actor: by.login.clone(), legal_ground: "CPC art. 207".into(), command, late: None };
    env.registry.record(by, &s, &Audited::No)
}

fn refused(env: &Env, by: &Principal, command: Command) -> Vec<(String, String)> {
    let before = env.registry.store().position().unwrap();
    let err = record_as(env, by, command).expect_err("the act should be refused");
    assert_eq!(before, env.registry.store().position().unwrap(), "a refusal wrote on {}", env.db.name);
    match err {
        ServiceError::Rejected(Rejected(found)) => found.into_iter().map(|v| (v.field, v.rule)).collect(),
        other => panic!("expected a rule violation, got {other}"),
    }
}

fn figure(env: &Env, code: &str) -> i64 {
    let report = env.registry.report(Period::parse("2024Q2").unwrap(), Some("BAK-NSM")).unwrap();
    report.figure(code).map_or(0, |f| f.change.current)
}

fn cancellations(env: &Env, case_id: Uuid) -> Vec<crimeboard_domain::cancellation::Cancellation> {
    match env.registry.entity(case_id).unwrap() {
        Entity::Case(c) => c.cancellations,
        _ => panic!("not a case"),
    }
}

fn investigator() -> Principal {
    person("inv-nsm", Role::Investigator, "BAK-NSM")
}

#[test]
fn a_cancellation_approved_from_above_the_unit_takes_the_crime_out_of_the_counts_until_annulled() {
    each_backend(|env| {
        let case = case_with_suspect(env).entity_id;
        let counted = |env: &Env| {
            (figure(env, "crimes_recorded"), figure(env, "crimes_cancelled"), figure(env, "crimes_recorded_at_first"))
        };
        assert_eq!(counted(env), (1, 0, 1), "on {}", env.db.name);
        record_as(env, &investigator(), Command::RequestCancellation(request(case))).unwrap();
        assert_eq!(counted(env), (1, 0, 1), "a request alone changes no figure on {}", env.db.name);

        let own_chief = person("chief-nsm", Role::UnitChief, "BAK-NSM");
        let found = refused(env, &own_chief, Command::DecideCancellation(approval(case)));
        assert_rule(&found, "approve", "cancellation.approver_inside_unit");
        let city_chief = person("chief-bak", Role::UnitChief, "BAK");
        let untold = DecideCancellation { victim_told: None, ..approval(case) };
        assert_rule(
            &refused(env, &city_chief, Command::DecideCancellation(untold)),
            "victim_told",
            "cancellation.victim_not_told",
        );
        let approved = record_as(env, &city_chief, Command::DecideCancellation(approval(case))).unwrap();

        assert_eq!(counted(env), (0, 1, 1), "cancelled on {}", env.db.name);
        let kept = cancellations(env, case);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].requested_by, "inv-nsm");
        let decision = kept[0].decision.as_ref().expect("decided");
        assert_eq!((decision.approved, decision.by.as_str()), (true, "chief-bak"));
        assert_eq!(decision.victim_told.as_ref().map(|t| t.how), Some(TellingMeans::Letter));
        assert!(env.registry.verify_counters().unwrap().is_empty(), "the recount agrees on {}", env.db.name);
        // The figures as they stood before the approval stay reproducible.
        let q2 = Period::parse("2024Q2").unwrap();
        let before = env.registry.report_at(q2, Some("BAK-NSM"), approved.position - 1).unwrap();
        assert_eq!(before.figure("crimes_recorded").map(|f| f.change.current), Some(1));

        let again = refused(env, &investigator(), Command::RequestCancellation(request(case)));
        assert_rule(&again, "case_id", "cancellation.already_cancelled");
        ok(env, Command::Annul(Annul { unit: unit("BAK-NSM"), seq: approved.seq, reason: "Approved in error".into() }));
        assert_eq!(counted(env), (1, 0, 1), "the annulment restores the crime on {}", env.db.name);
        assert!(cancellations(env, case)[0].is_pending(), "the request waits again");
        assert!(env.registry.verify_counters().unwrap().is_empty(), "on {}", env.db.name);
    });
}

#[test]
fn a_request_names_a_ground_of_the_rules_and_its_evidence_and_waits_alone() {
    each_backend(|env| {
        let case = case_with_suspect(env).entity_id;
        let inv = investigator();
        let bad = RequestCancellation {
            ground: "not_wanted".into(),
            evidence: " ".into(),
            requested_at: at("2024-04-01T09:00:00Z"),
            ..request(case)
        };
        let found = refused(env, &inv, Command::RequestCancellation(bad));
        assert_rule(&found, "ground", "cancellation.unknown_ground");
        assert_rule(&found, "evidence", "text.required");
        assert_rule(&found, "requested_at", "date.before_registration");
        let city_chief = person("chief-bak", Role::UnitChief, "BAK");
        let found = refused(env, &city_chief, Command::DecideCancellation(approval(case)));
        assert_rule(&found, "case_id", "cancellation.no_request");
        record_as(env, &inv, Command::RequestCancellation(request(case))).unwrap();
        assert_rule(
            &refused(env, &inv, Command::RequestCancellation(request(case))),
            "case_id",
            "cancellation.pending",
        );
        let city_chief = person("chief-bak", Role::UnitChief, "BAK");
        let early = DecideCancellation {
            decided_at: at("2024-04-09T09:00:00Z"),
            victim_told: Some(VictimTold { how: TellingMeans::Telephone, at: at("2024-04-13T09:00:00Z") }),
            ..approval(case)
        };
        let found = refused(env, &city_chief, Command::DecideCancellation(early));
        assert_rule(&found, "decided_at", "date.before_request");
        assert_rule(&found, "victim_told.at", "cancellation.told_after_decision");
        // A refusal needs no victim told, no approver from above, and keeps
        // the crime recorded; a new request may follow.
        let refusal = DecideCancellation { approve: false, victim_told: None, ..approval(case) };
        let own_chief = person("chief-nsm", Role::UnitChief, "BAK-NSM");
        record_as(env, &own_chief, Command::DecideCancellation(refusal)).unwrap();
        assert_eq!(figure(env, "crimes_recorded"), 1);
        assert!(!cancellations(env, case)[0].is_approved());
        record_as(env, &inv, Command::RequestCancellation(request(case))).unwrap();
        assert_eq!(cancellations(env, case).len(), 2);
    });
}

#[test]
fn rules_without_a_cancellation_table_allow_none() {
    each_backend(|env| {
        let mut files = crimeboard_service::demo_files();
        let rules = &files.0["rules.toml"];
        let cut = rules.find("# Cancelling a recorded crime").expect("the demo's rules cancel");
        let without = rules[..cut].to_string();
        files.0.insert("rules.toml".into(), without);
        let adoption = crimeboard_domain::jurisdiction::Adoption {
            files,
            effective_from: chrono::NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(),
        };
        env.registry.adopt_jurisdiction(&as_system(&env.registry), "Order No. 2", adoption).unwrap();
        let case = case_with_suspect(env).entity_id;
        let found = refused(env, &investigator(), Command::RequestCancellation(request(case)));
        assert_rule(&found, "case_id", "cancellation.no_rule");
    });
}
