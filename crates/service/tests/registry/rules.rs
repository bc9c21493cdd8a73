use crate::support::*;
use crimeboard_domain::case::{CaseDecision, Procedural, RecordDamage, Reimburse};
use crimeboard_domain::catalogue::ArticleRef;
use crimeboard_domain::registers::{NewAccident, NewSeizure};
use crimeboard_domain::report::{DecideReport, ExtendCheck, ReportOutcome};
use crimeboard_domain::rules::Authority;
use crimeboard_domain::{Command, Entity};
use crimeboard_service::audit::Audited;

#[test]
fn a_report_gets_a_number_a_receipt_and_a_deadline() {
    each_backend(|env| {
        let r = report(env, "2024-04-15T07:30:00Z");
        assert_eq!(r.number.as_deref(), Some("M-BAK-NSM-2024-000001"));
        let second = report(env, "2024-04-15T07:31:00Z");
        assert_eq!(second.number.as_deref(), Some("M-BAK-NSM-2024-000002"));
        let Entity::Report(stored) = env.registry.entity(r.entity_id).unwrap() else { panic!("not a report") };
        assert!(stored.receipt_no.starts_with("Q-M-BAK-NSM-2024-000001-"));
        // Received 15 April, 11:30 Baku time: three calendar days, to the end of 18 April.
        assert_eq!(stored.deadline, at("2024-04-18T20:00:00Z"));
        assert_eq!(stored.applicant.unwrap().input.full_name, "Leyla Əliyeva");
    });
}

#[test]
fn unknown_and_not_yet_effective_articles_are_refused() {
    each_backend(|env| {
        let mut c = new_case(vec![], "2024-04-03T09:00:00Z");
        c.detected_by_police = true;
        c.articles = vec![ArticleRef::parse("177.2").unwrap(), ArticleRef::parse("999.1").unwrap()];
        assert_rule(&rejected(env, Command::OpenCase(c.clone())), "articles[1]", "article.unknown");

        // The shipped catalogue's articles take effect on 1 September 2000.
        c.articles = vec![ArticleRef::parse("177.2").unwrap()];
        c.occurred_at = at("1999-05-01T10:00:00Z");
        assert_rule(&rejected(env, Command::OpenCase(c)), "articles[0]", "article.not_yet_effective");
    });
}

#[test]
fn a_decision_after_the_deadline_needs_an_extension_or_a_reason() {
    each_backend(|env| {
        let r = report(env, "2024-04-01T08:00:00Z"); // due by the end of 4 April
        let refuse = |at_: &str, late_reason: Option<&str>| {
            Command::DecideReport(DecideReport {
                report_id: r.entity_id,
                decided_at: at(at_),
                outcome: ReportOutcome::Refuse { ground: "CPC art. 39.1.1: no crime".into() },
                late_reason: late_reason.map(str::to_string),
            })
        };
        assert_rule(&rejected(env, refuse("2024-04-06T08:00:00Z", None)), "decided_at", "report.deadline_passed");

        // An extension granted in time moves the deadline to ten days.
        let extend = ExtendCheck {
            report_id: r.entity_id,
            granted_at: at("2024-04-03T08:00:00Z"),
            granted_by: Authority::UnitChief,
            reference: "Order 17/2024".into(),
        };
        ok(env, Command::ExtendCheck(extend));
        ok(env, refuse("2024-04-06T08:00:00Z", None));
        let Entity::Report(stored) = env.registry.entity(r.entity_id).unwrap() else { panic!() };
        assert!(!stored.decision.unwrap().late);
    });
}

#[test]
fn a_late_decision_with_its_reason_is_recorded_as_late() {
    each_backend(|env| {
        let r = report(env, "2024-04-01T08:00:00Z");
        let decide = DecideReport {
            report_id: r.entity_id,
            decided_at: at("2024-04-08T08:00:00Z"),
            outcome: ReportOutcome::Transfer { to_body: "State Customs Committee".into() },
            late_reason: Some("Applicant unreachable".into()),
        };
        ok(env, Command::DecideReport(decide));
        let Entity::Report(stored) = env.registry.entity(r.entity_id).unwrap() else { panic!() };
        assert!(stored.decision.unwrap().late);
    });
}

#[test]
fn an_extension_after_the_deadline_or_by_the_wrong_authority_is_refused() {
    each_backend(|env| {
        let r = report(env, "2024-04-01T08:00:00Z");
        let extend = |granted_at: &str, by| {
            Command::ExtendCheck(ExtendCheck {
                report_id: r.entity_id,
                granted_at: at(granted_at),
                granted_by: by,
                reference: "Order".into(),
            })
        };
        assert_rule(
            &rejected(env, extend("2024-04-06T08:00:00Z", Authority::UnitChief)),
            "granted_at",
            "extension.after_deadline",
        );
        assert_rule(
            &rejected(env, extend("2024-04-02T08:00:00Z", Authority::Prosecutor)),
            "granted_by",
            "extension.wrong_authority",
        );
    });
}

#[test]
fn a_solved_date_before_registration_is_refused() {
    each_backend(|env| {
        let c = case_with_suspect(env);
        let solved = CaseDecision {
            case_id: c.entity_id,
            decided_at: at("2024-04-02T09:00:00Z"),
            decision: Procedural::Solved { how: "Witness statements".into(), forensic_methods: vec![] },
        };
        assert_rule(&rejected(env, Command::DecideCase(solved)), "decided_at", "date.before_registration");
    });
}

#[test]
fn a_reimbursement_above_the_damage_is_refused() {
    each_backend(|env| {
        let c = case_with_suspect(env);
        let damage = RecordDamage {
            case_id: c.entity_id,
            amount_qepik: 150_000,
            victim_id: None,
            assessed_at: at("2024-04-04T09:00:00Z"),
        };
        ok(env, Command::RecordDamage(damage));
        let pay = |amount| {
            Command::Reimburse(Reimburse {
                case_id: c.entity_id,
                amount_qepik: amount,
                reimbursed_at: at("2024-04-10T09:00:00Z"),
            })
        };
        ok(env, pay(100_000));
        assert_rule(&rejected(env, pay(50_001)), "amount_qepik", "reimbursement.exceeds_damage");
        ok(env, pay(50_000));
    });
}

#[test]
fn negative_amounts_weights_and_counts_are_refused() {
    each_backend(|env| {
        let c = case_with_suspect(env);
        let damage = RecordDamage {
            case_id: c.entity_id,
            amount_qepik: -1,
            victim_id: None,
            assessed_at: at("2024-04-04T09:00:00Z"),
        };
        assert_rule(&rejected(env, Command::RecordDamage(damage)), "amount_qepik", "amount.not_positive");
        let seizure = NewSeizure {
            unit: unit("BAK-NSM"),
            case_id: None,
            substance: "heroin".into(),
            net_grams: -250,
            seized_at: at("2024-04-04T09:00:00Z"),
        };
        assert_rule(&rejected(env, Command::RecordSeizure(seizure)), "net_grams", "amount.not_positive");
        let accident = NewAccident {
            unit: unit("BAK-NSM"),
            occurred_at: at("2024-04-04T09:00:00Z"),
            place: Default::default(),
            killed: -1,
            injured: 0,
            cause: "Speeding".into(),
        };
        assert_rule(&rejected(env, Command::RecordAccident(accident)), "killed", "amount.negative");
    });
}

#[test]
fn dates_in_the_future_are_refused() {
    each_backend(|env| {
        assert_rule(
            &rejected(env, Command::RegisterReport(new_report("2024-04-20T10:00:00Z"))),
            "received_at",
            "date.in_future",
        );
        let mut c = new_case(vec![], "2024-04-19T11:00:00Z");
        c.detected_by_police = true;
        assert_rule(&rejected(env, Command::OpenCase(c)), "registered_at", "date.in_future");
    });
}

#[test]
fn a_case_without_a_report_must_be_detected_by_the_police() {
    each_backend(|env| {
        let c = new_case(vec![], "2024-04-03T09:00:00Z");
        assert_rule(&rejected(env, Command::OpenCase(c.clone())), "report_ids", "case.no_report_not_detected");
        let detected = crimeboard_domain::case::NewCase { detected_by_police: true, ..c };
        ok(env, Command::OpenCase(detected));
    });
}

#[test]
fn anonymous_information_alone_cannot_start_a_case() {
    each_backend(|env| {
        let mut anonymous = new_report("2024-04-02T08:00:00Z");
        anonymous.applicant = None;
        anonymous.channel = crimeboard_domain::report::Channel::Line102;
        let r = ok(env, Command::RegisterReport(anonymous));
        assert_rule(
            &rejected(env, Command::OpenCase(new_case(vec![r.entity_id], "2024-04-03T09:00:00Z"))),
            "report_ids",
            "case.anonymous_only",
        );
    });
}

#[test]
fn minor_is_derived_from_the_date_of_birth_never_typed() {
    each_backend(|env| {
        let mut c = new_case(vec![], "2024-04-03T09:00:00Z");
        c.detected_by_police = true;
        c.flags.minor = Some(true);
        assert_rule(&rejected(env, Command::OpenCase(c.clone())), "flags.minor", "field.derived");

        c.flags.minor = None;
        // The crime: 1 April, 20:00 UTC, which is midnight into 2 April in Baku.
        // The suspect turned 18 on 3 April: a minor on the day of the crime.
        c.persons = vec![suspect("Elvin Həsənov", "2006-04-03")];
        let receipt = ok(env, Command::OpenCase(c));
        let Entity::Case(stored) = env.registry.entity(receipt.entity_id).unwrap() else { panic!() };
        let rules = &env.registry.reference().rules;
        assert!(stored.by_minor(rules));

        // Born a day earlier, he was 18 on the day of the crime (in Baku time).
        let mut adult = stored.clone();
        adult.persons[0].input.birth_date = Some("2006-04-02".parse().unwrap());
        assert!(!adult.by_minor(rules));
    });
}

#[test]
fn one_decision_per_report_and_opening_a_case_decides_it() {
    each_backend(|env| {
        let r = report(env, "2024-04-02T08:00:00Z");
        ok(env, Command::OpenCase(new_case(vec![r.entity_id], "2024-04-03T09:00:00Z")));
        let Entity::Report(stored) = env.registry.entity(r.entity_id).unwrap() else { panic!() };
        assert!(matches!(stored.decision.unwrap().outcome, ReportOutcome::OpenCase { .. }));
        let again = DecideReport {
            report_id: r.entity_id,
            decided_at: at("2024-04-04T09:00:00Z"),
            outcome: ReportOutcome::Refuse { ground: "no crime".into() },
            late_reason: None,
        };
        assert_rule(&rejected(env, Command::DecideReport(again)), "report_id", "report.already_decided");
    });
}

#[test]
fn a_rejected_batch_writes_nothing() {
    each_backend(|env| {
        let good = crimeboard_service::Submission {
            actor: "officer-1".into(),
            legal_ground: "CPC art. 207".into(),
            command: Command::RegisterReport(new_report("2024-04-02T08:00:00Z")),
        };
        let bad = crimeboard_service::Submission {
            command: Command::RegisterReport(new_report("2030-01-01T00:00:00Z")),
            ..good.clone()
        };
        let before = env.registry.store().position().unwrap();
        let err = record_all(&env.registry, &[good.clone(), good, bad]).unwrap_err();
        assert!(matches!(err, crimeboard_service::ServiceError::BatchItem { index: 2, .. }), "{err}");
        assert_eq!(env.registry.store().position().unwrap(), before);
        let listed = env.registry.list(&crimeboard_service::ListParams::default()).unwrap();
        assert!(listed.items.is_empty(), "the first two reports of the batch must not remain");
        // The register numbers the rolled-back batch took are free again.
        assert_eq!(report(env, "2024-04-02T09:00:00Z").number.as_deref(), Some("M-BAK-NSM-2024-000001"));
    });
}

#[test]
fn the_envelope_needs_an_actor_and_a_legal_ground() {
    each_backend(|env| {
        let s = crimeboard_service::Submission {
            actor: " ".into(),
            legal_ground: "".into(),
            command: Command::RegisterReport(new_report("2024-04-02T08:00:00Z")),
        };
        let err = env.registry.record(&as_system(&env.registry), &s, &Audited::No).unwrap_err();
        let crimeboard_service::ServiceError::Rejected(r) = err else { panic!("{err}") };
        let rules: Vec<_> = r.0.iter().map(|v| (v.field.as_str(), v.rule.as_str())).collect();
        assert!(
            rules.contains(&("actor", "text.required")) && rules.contains(&("legal_ground", "text.required")),
            "{rules:?}"
        );
    });
}

#[test]
fn lists_filter_by_unit_subtree_period_status_and_text() {
    each_backend(|env| {
        report(env, "2024-04-02T08:00:00Z");
        let mut other = new_report("2024-03-02T08:00:00Z");
        other.unit = unit("GNC");
        other.summary = "Avtomobil oğurluğu".into();
        other.applicant = Some(applicant("Rəşad Babayev"));
        ok(env, Command::RegisterReport(other));
        let list = |p: crimeboard_service::ListParams| {
            env.registry
                .list(&crimeboard_service::ListParams { kind: Some(crimeboard_domain::EntityKind::Report), ..p })
                .unwrap()
        };
        assert_eq!(list(Default::default()).items.len(), 2);
        assert_eq!(
            list(crimeboard_service::ListParams { unit: Some("BAK".into()), ..Default::default() }).items.len(),
            1
        );
        assert_eq!(
            list(crimeboard_service::ListParams { from: Some("2024-04-01".parse().unwrap()), ..Default::default() })
                .items
                .len(),
            1
        );
        let found = list(crimeboard_service::ListParams { q: Some("AVTOMOBİL".into()), ..Default::default() });
        assert_eq!(found.items.len(), 1);
        assert_eq!(found.items[0].unit, "GNC");
        let page = list(crimeboard_service::ListParams { per_page: Some(1), ..Default::default() });
        assert!(page.has_more);
        assert_eq!(
            list(crimeboard_service::ListParams { per_page: Some(1), page: Some(2), ..Default::default() }).items.len(),
            1
        );
        let persons = env
            .registry
            .list(&crimeboard_service::ListParams {
                kind: Some(crimeboard_domain::EntityKind::Person),
                q: Some("leyla".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(persons.items.len(), 1);
        let bad = env
            .registry
            .list(&crimeboard_service::ListParams { per_page: Some(5000), ..Default::default() })
            .unwrap_err();
        assert!(bad.to_string().contains("per_page"), "{bad}");
    });
}
