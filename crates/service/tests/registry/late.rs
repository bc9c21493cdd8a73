//! A report registered longer after its receipt than the rules allow
//! (`[registration] late_after_hours`, 72 in the demo pack) needs a reason
//! from the rules' list and a text, and is marked late-registered; within
//! the limit a reason is refused, and what the system records on its own
//! account (an import, the demo) is not held to the limit.

use crate::support::*;
use crimeboard_domain::Entity;
use crimeboard_domain::access::{Principal, Role};
use crimeboard_domain::late::StatedReason;
use crimeboard_domain::{Command, Rejected};
use crimeboard_service::audit::Audited;
use crimeboard_service::{Receipt, ServiceError, Submission};

fn duty_officer() -> Principal {
    person("duty", Role::DutyOfficer, "BAK-NSM")
}

fn stated(reason: &str, text: &str) -> StatedReason {
    StatedReason { reason: reason.into(), text: text.into() }
}

fn register(env: &Env, received_at: &str, late: Option<StatedReason>) -> Result<Receipt, ServiceError> {
    let command = Command::RegisterReport(new_report(received_at));
    let s = Submission { actor: "duty".into(), legal_ground: "CPC art. 207".into(), command, late };
    env.registry.record(&duty_officer(), &s, &Audited::No)
}

fn refused(env: &Env, received_at: &str, late: Option<StatedReason>) -> Vec<(String, String)> {
    let before = env.registry.store().position().unwrap();
    let err = register(env, received_at, late).expect_err("the registration should be refused");
    assert_eq!(before, env.registry.store().position().unwrap(), "a refusal wrote on {}", env.db.name);
    match err {
        ServiceError::Rejected(Rejected(found)) => found.into_iter().map(|v| (v.field, v.rule)).collect(),
        other => panic!("expected a rule violation, got {other}"),
    }
}

#[test]
fn a_report_registered_beyond_the_limit_needs_its_reason_and_is_marked() {
    each_backend(|env| {
        // NOW is 2024-04-19T10:00Z: 74 hours after the receipt.
        let found = refused(env, "2024-04-16T08:00:00Z", None);
        assert_rule(&found, "late.reason", "registration.late");
        let reason = stated("applicant_came_late", "The applicant brought the written report three days later");
        let receipt = register(env, "2024-04-16T08:00:00Z", Some(reason)).unwrap();
        let Entity::Report(r) = env.registry.entity(receipt.entity_id).unwrap() else { panic!("not a report") };
        let late = r.late_registration.expect("marked late-registered");
        assert_eq!(
            (late.reason.as_str(), late.hours_after_receipt),
            ("applicant_came_late", Some(74)),
            "on {}",
            env.db.name
        );
        assert_eq!(late.text, "The applicant brought the written report three days later");
    });
}

#[test]
fn within_the_limit_no_reason_is_needed_and_none_is_taken() {
    each_backend(|env| {
        // 70 hours: within 72.
        let receipt = register(env, "2024-04-16T12:00:00Z", None).unwrap();
        let Entity::Report(r) = env.registry.entity(receipt.entity_id).unwrap() else { panic!("not a report") };
        assert_eq!(r.late_registration, None);
        let found = refused(env, "2024-04-16T12:00:00Z", Some(stated("applicant_came_late", "No need")));
        assert_rule(&found, "late", "late.not_needed");
    });
}

#[test]
fn a_report_dated_2010_is_refused_without_a_reason() {
    each_backend(|env| {
        let found = refused(env, "2010-01-01T08:00:00Z", None);
        assert_rule(&found, "late.reason", "registration.late");
        let reason = stated("court_or_prosecutor_order", "Prosecutor's order of 18 April 2024 no. 12/345");
        let receipt = register(env, "2010-01-01T08:00:00Z", Some(reason)).unwrap();
        assert!(receipt.number.unwrap().contains("-2010-"), "numbered in its year of receipt");
    });
}

#[test]
fn a_reason_must_be_one_of_the_list_and_say_why() {
    each_backend(|env| {
        let found = refused(env, "2024-04-01T08:00:00Z", Some(stated("forgot", " ")));
        assert_rule(&found, "late.reason", "late.unknown_reason");
        assert_rule(&found, "late.text", "text.required");
    });
}

#[test]
fn what_the_system_records_is_not_held_to_the_limit() {
    each_backend(|env| {
        // Recorded as the system (an import's or the demo's history): no reason asked, no mark.
        let receipt = report(env, "2024-01-15T09:00:00Z");
        let Entity::Report(r) = env.registry.entity(receipt.entity_id).unwrap() else { panic!("not a report") };
        assert_eq!(r.late_registration, None);
    });
}
