//! What a citizen submits on the public site: recorded through the one write
//! path as `public-site` under the same rules, with a reference and a secret;
//! followed by them, read from the registry as it stands; rated once closed.

use crate::support::*;
use crimeboard_domain::access::{Denied, ONLINE_LOGIN, Principal};
use crimeboard_domain::appeal::{AppealChannel, Applicants};
use crimeboard_domain::report::{Channel, DecideReport, ReportOutcome};
use crimeboard_domain::{Command, Entity};
use crimeboard_service::audit::Audited;
use crimeboard_service::seal::SecretKey;
use crimeboard_service::{Followed, Registry, ServiceError, Submission, demo_units};
use crimeboard_store::testing::backends;
use std::sync::Arc;

/// The tests' registries with a secret key, which the receipts' secrets need.
fn each_backend_with_key(test: impl Fn(&Env)) {
    for db in backends() {
        let clock = Arc::new(|| at(NOW));
        let registry =
            Registry::new(db.store.clone(), clock).unwrap().with_secret_key(SecretKey::generate("tests").unwrap());
        registry.add_units(&as_system(&registry), &demo_units(), &registry.units_added_today("tests")).unwrap();
        let env = Env { db, registry };
        eprintln!("-- backend: {}", env.db.name);
        test(&env);
    }
}

/// A report as the public form builds it: the channel and the time are the site's to set.
fn online_report() -> Command {
    Command::RegisterReport(new_report("2020-01-01T00:00:00Z"))
}

fn decide(env: &Env, report_id: uuid::Uuid) {
    ok(
        env,
        Command::DecideReport(DecideReport {
            report_id,
            decided_at: at(NOW),
            outcome: ReportOutcome::Refuse { ground: "CPC art. 39.1.1: no crime".into() },
            late_reason: None,
        }),
    );
}

fn rule_of(err: ServiceError) -> Vec<(String, String)> {
    match err {
        ServiceError::Rejected(r) => r.0.into_iter().map(|v| (v.field, v.rule)).collect(),
        other => panic!("expected a rule violation, got {other}"),
    }
}

#[test]
fn an_online_report_is_registered_at_once_as_received_online_by_the_public_site() {
    each_backend_with_key(|env| {
        let given = env.registry.submit_online(online_report()).unwrap();
        assert!(given.reference.starts_with("M-BAK-NSM-2024-"), "{}", given.reference);
        assert_eq!(given.secret.len(), 19, "{}", given.secret);
        let Entity::Report(r) = env.registry.entity(given.receipt.entity_id).unwrap() else { panic!("not a report") };
        assert_eq!((r.channel, r.received_at, r.officer.as_str()), (Channel::Online, at(NOW), ONLINE_LOGIN));
        assert_eq!(r.status(), "awaiting_decision");
        let entry = env.registry.history(r.id).unwrap().remove(0).0;
        assert_eq!((entry.actor.as_str(), entry.kind.as_str()), (ONLINE_LOGIN, "register_report"));
        assert_eq!(entry.legal_ground, crimeboard_service::ONLINE_GROUND);
        match env.registry.follow_online(&given.reference.to_lowercase(), &given.secret.to_lowercase()).unwrap() {
            Some(Followed::Report(found)) => assert_eq!(found.id, r.id),
            other => panic!("not followed: {other:?}"),
        }
    });
}

#[test]
fn a_wrong_secret_and_an_unknown_reference_give_the_same_nothing() {
    each_backend_with_key(|env| {
        let given = env.registry.submit_online(online_report()).unwrap();
        let other = env.registry.submit_online(online_report()).unwrap();
        assert_ne!(given.secret, other.secret);
        let follow = |reference: &str, secret: &str| env.registry.follow_online(reference, secret).unwrap();
        assert!(follow(&given.reference, &other.secret).is_none(), "another entry's secret");
        assert!(follow(&given.reference, "0000-0000-0000-0000").is_none());
        assert!(follow(&given.reference, "not a secret").is_none());
        assert!(follow("M-BAK-NSM-2024-999999", &given.secret).is_none(), "an unknown reference");
        assert!(follow("'; DROP TABLE records; --", &given.secret).is_none());
        // A report a duty officer registered has no secret anyone was given.
        let typed = report(env, "2024-04-18T08:00:00Z");
        assert!(follow(&typed.number.unwrap(), &given.secret).is_none());
    });
}

#[test]
fn bad_input_is_refused_naming_the_field_under_the_same_rules_and_nothing_is_written() {
    each_backend_with_key(|env| {
        let Command::RegisterReport(mut bad) = online_report() else { unreachable!() };
        bad.summary = " ".into();
        bad.unit = unit("NOWHERE");
        let before = env.registry.store().position().unwrap();
        let found = rule_of(env.registry.submit_online(Command::RegisterReport(bad)).unwrap_err());
        assert_rule(&found, "summary", "text.required");
        assert_rule(&found, "unit", "unit.unknown");
        let mut appeal = new_appeal("2024-04-18T08:00:00Z");
        appeal.subject = String::new();
        let found = rule_of(env.registry.submit_online(Command::RegisterAppeal(appeal)).unwrap_err());
        assert_rule(&found, "subject", "text.required");
        let found =
            rule_of(env.registry.submit_online(Command::RateHandling(rating_of(uuid::Uuid::nil()))).unwrap_err());
        assert_rule(&found, "command", "online.not_online");
        assert_eq!(env.registry.store().position().unwrap(), before, "nothing written");
    });
}

fn rating_of(report_id: uuid::Uuid) -> crimeboard_domain::report::RateHandling {
    crimeboard_domain::report::RateHandling { report_id, rated_at: at(NOW), score: 4 }
}

#[test]
fn the_public_records_nothing_but_what_it_submits_online() {
    each_backend_with_key(|env| {
        let public = Principal::online(unit("AZ"));
        let typed = Submission {
            actor: ONLINE_LOGIN.into(),
            legal_ground: "none".into(),
            command: Command::RegisterReport(new_report("2024-04-18T08:00:00Z")),
            late: None,
        };
        let err = env.registry.record(&public, &typed, &Audited::No).unwrap_err();
        assert!(matches!(err, ServiceError::Denied(Denied::Unauthenticated)), "{err}");
        let given = env.registry.submit_online(online_report()).unwrap();
        let decision = Submission {
            command: Command::DecideReport(DecideReport {
                report_id: given.receipt.entity_id,
                decided_at: at(NOW),
                outcome: ReportOutcome::Refuse { ground: "none".into() },
                late_reason: None,
            }),
            ..typed
        };
        assert!(matches!(env.registry.record(&public, &decision, &Audited::No), Err(ServiceError::Denied(_))));
    });
}

#[test]
fn the_status_reads_the_registry_at_once_and_the_survey_is_taken_once_when_closed() {
    each_backend_with_key(|env| {
        let given = env.registry.submit_online(online_report()).unwrap();
        let found = rule_of(env.registry.rate_online(&given.reference, &given.secret, 5).unwrap_err());
        assert_rule(&found, "report_id", "report.not_decided");
        decide(env, given.receipt.entity_id);
        match env.registry.follow_online(&given.reference, &given.secret).unwrap() {
            Some(Followed::Report(r)) => assert!(r.decision.is_some() && r.satisfaction.is_none()),
            other => panic!("not followed: {other:?}"),
        }
        assert!(matches!(
            env.registry.rate_online(&given.reference, "0000000000000000", 5),
            Err(ServiceError::NotFound)
        ));
        let rated = env.registry.rate_online(&given.reference, &given.secret, 5).unwrap();
        assert_eq!(env.registry.history(rated.entity_id).unwrap().last().unwrap().0.actor, ONLINE_LOGIN);
        let found = rule_of(env.registry.rate_online(&given.reference, &given.secret, 3).unwrap_err());
        assert_rule(&found, "report_id", "report.already_rated");
        match env.registry.follow_online(&given.reference, &given.secret).unwrap() {
            Some(Followed::Report(r)) => assert_eq!(r.satisfaction, Some(5)),
            other => panic!("not followed: {other:?}"),
        }
    });
}

#[test]
fn an_online_appeal_is_registered_followed_answered_and_rated() {
    each_backend_with_key(|env| {
        let given = env.registry.submit_online(Command::RegisterAppeal(new_appeal("2020-01-01T00:00:00Z"))).unwrap();
        assert!(given.reference.starts_with("AP-"), "{}", given.reference);
        let appeal = |env: &Env| match env.registry.follow_online(&given.reference, &given.secret).unwrap() {
            Some(Followed::Appeal(a)) => a,
            other => panic!("not followed: {other:?}"),
        };
        let a = appeal(env);
        assert_eq!((a.channel, a.received_at, a.status()), (AppealChannel::Online, at(NOW), "open"));
        let found = rule_of(env.registry.rate_online(&given.reference, &given.secret, 4).unwrap_err());
        assert_rule(&found, "appeal_id", "appeal.not_closed");
        ok(env, Command::AnswerAppeal(answer_of(a.id, NOW)));
        assert_eq!(appeal(env).status(), "answered");
        env.registry.rate_online(&given.reference, &given.secret, 4).unwrap();
        assert_eq!(appeal(env).satisfaction, Some(4));
        let found = rule_of(env.registry.rate_online(&given.reference, &given.secret, 4).unwrap_err());
        assert_rule(&found, "appeal_id", "appeal.already_rated");
        // An anonymous appeal is received and followed, but not rated: the rules say so.
        let anonymous = crimeboard_domain::appeal::NewAppeal {
            applicants: Applicants::Anonymous,
            mentions_offence: true,
            ..new_appeal(NOW)
        };
        let given = env.registry.submit_online(Command::RegisterAppeal(anonymous)).unwrap();
        assert!(env.registry.follow_online(&given.reference, &given.secret).unwrap().is_some());
    });
}
