use crate::support::*;
use crimeboard_domain::case::{AddPerson, CaseDecision, Procedural, Reclassify, RecordDamage, Reimburse};
use crimeboard_domain::catalogue::ArticleRef;
use crimeboard_domain::person::PersonRole;
use crimeboard_domain::registers::{CompleteExamination, ExaminationKind, NewAccident, NewExamination, NewSeizure};
use crimeboard_domain::report::{DecideReport, ExtendCheck, RateHandling, ReportOutcome};
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
        let rules = &env.registry.jurisdiction().rules;
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
            late: None,
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
            late: None,
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

#[test]
fn a_report_received_before_any_deadline_rule_is_refused() {
    each_backend(|env| {
        // The first rule for crime reports takes effect on 1 September 2000.
        assert_rule(
            &rejected(env, Command::RegisterReport(new_report("2000-08-30T08:00:00Z"))),
            "received_at",
            "deadline.no_rule",
        );
    });
}

#[test]
fn an_in_person_report_needs_an_applicant_who_is_one() {
    each_backend(|env| {
        let mut nobody = new_report("2024-04-02T08:00:00Z");
        nobody.applicant = None;
        assert_rule(&rejected(env, Command::RegisterReport(nobody)), "applicant", "report.in_person_needs_applicant");

        let mut suspect_as_applicant = new_report("2024-04-02T08:00:00Z");
        suspect_as_applicant.applicant = Some(suspect("Orxan Quliyev", "1990-05-01"));
        assert_rule(
            &rejected(env, Command::RegisterReport(suspect_as_applicant)),
            "applicant.role",
            "person.role_must_be_applicant",
        );
    });
}

#[test]
fn a_birth_date_before_1900_is_refused() {
    each_backend(|env| {
        let mut r = new_report("2024-04-02T08:00:00Z");
        r.applicant.as_mut().unwrap().birth_date = Some("1899-12-31".parse().unwrap());
        assert_rule(&rejected(env, Command::RegisterReport(r)), "applicant.birth_date", "date.too_early");
    });
}

fn refuse(report_id: uuid::Uuid, decided_at: &str, late_reason: Option<&str>) -> Command {
    Command::DecideReport(DecideReport {
        report_id,
        decided_at: at(decided_at),
        outcome: ReportOutcome::Refuse { ground: "CPC art. 39.1.1: no crime".into() },
        late_reason: late_reason.map(str::to_string),
    })
}

#[test]
fn a_reason_for_lateness_is_refused_on_a_decision_in_time() {
    each_backend(|env| {
        let r = report(env, "2024-04-01T08:00:00Z"); // due by the end of 4 April
        assert_rule(
            &rejected(env, refuse(r.entity_id, "2024-04-02T08:00:00Z", Some("Applicant unreachable"))),
            "late_reason",
            "report.not_late",
        );
        ok(env, refuse(r.entity_id, "2024-04-02T08:00:00Z", None));
    });
}

#[test]
fn a_report_decision_names_a_report_and_opens_no_case() {
    each_backend(|env| {
        let c = case_with_suspect(env);
        assert_rule(
            &rejected(env, refuse(c.entity_id, "2024-04-04T08:00:00Z", None)),
            "report_id",
            "reference.wrong_kind",
        );

        let r = report(env, "2024-04-02T08:00:00Z");
        let open = DecideReport {
            report_id: r.entity_id,
            decided_at: at("2024-04-03T08:00:00Z"),
            outcome: ReportOutcome::OpenCase { case_id: c.entity_id },
            late_reason: None,
        };
        assert_rule(&rejected(env, Command::DecideReport(open)), "outcome.kind", "report.open_case_through_case");
    });
}

#[test]
fn only_a_decided_report_with_an_applicant_is_rated_and_only_once() {
    each_backend(|env| {
        let rate = |report_id| {
            Command::RateHandling(RateHandling { report_id, rated_at: at("2024-04-10T08:00:00Z"), score: 4 })
        };
        let r = report(env, "2024-04-01T08:00:00Z");
        assert_rule(&rejected(env, rate(r.entity_id)), "report_id", "report.not_decided");
        ok(env, refuse(r.entity_id, "2024-04-02T08:00:00Z", None));
        ok(env, rate(r.entity_id));
        assert_rule(&rejected(env, rate(r.entity_id)), "report_id", "report.already_rated");

        let mut anonymous = new_report("2024-04-01T08:00:00Z");
        anonymous.applicant = None;
        anonymous.channel = crimeboard_domain::report::Channel::Line102;
        let anonymous = ok(env, Command::RegisterReport(anonymous));
        ok(env, refuse(anonymous.entity_id, "2024-04-02T08:00:00Z", None));
        assert_rule(&rejected(env, rate(anonymous.entity_id)), "report_id", "report.anonymous");
    });
}

#[test]
fn a_case_names_each_report_once_and_occurs_before_it_is_registered() {
    each_backend(|env| {
        let r = report(env, "2024-04-02T08:00:00Z");
        let twice = new_case(vec![r.entity_id, r.entity_id], "2024-04-03T09:00:00Z");
        assert_rule(&rejected(env, Command::OpenCase(twice)), "report_ids", "list.duplicate");

        let mut later = new_case(vec![r.entity_id], "2024-04-03T09:00:00Z");
        later.occurred_at = at("2024-04-03T10:00:00Z");
        assert_rule(&rejected(env, Command::OpenCase(later)), "occurred_at", "date.after_registration");

        let mut no_article = new_case(vec![r.entity_id], "2024-04-03T09:00:00Z");
        no_article.articles.clear();
        assert_rule(&rejected(env, Command::OpenCase(no_article)), "articles", "case.no_article");
    });
}

#[test]
fn a_case_decision_follows_the_allowed_transitions_in_order() {
    each_backend(|env| {
        let c = case_with_suspect(env);
        let decide = |decided_at: &str, decision| {
            Command::DecideCase(CaseDecision { case_id: c.entity_id, decided_at: at(decided_at), decision })
        };
        // An investigated case cannot be resumed: only a suspended or terminated one.
        assert_rule(
            &rejected(env, decide("2024-04-05T09:00:00Z", Procedural::Resumed)),
            "decision",
            "case.transition_not_allowed",
        );
        ok(env, decide("2024-04-06T09:00:00Z", Procedural::Suspended));
        assert_rule(
            &rejected(env, decide("2024-04-05T09:00:00Z", Procedural::Resumed)),
            "decided_at",
            "date.before_previous_decision",
        );
        ok(env, decide("2024-04-07T09:00:00Z", Procedural::Resumed));
    });
}

#[test]
fn the_same_articles_are_no_reclassification() {
    each_backend(|env| {
        let c = case_with_suspect(env);
        let reclassify = |article: &str| {
            Command::Reclassify(Reclassify {
                case_id: c.entity_id,
                articles: vec![ArticleRef::parse(article).unwrap()],
                reason: "Damage assessed as large".into(),
                decided_at: at("2024-04-05T09:00:00Z"),
            })
        };
        assert_rule(&rejected(env, reclassify("177.2")), "articles", "reclassify.same_articles");
        ok(env, reclassify("177.3"));
    });
}

#[test]
fn damage_to_a_victim_names_a_victim_of_the_case() {
    each_backend(|env| {
        let c = case_with_suspect(env);
        let damage = |victim_id| {
            Command::RecordDamage(RecordDamage {
                case_id: c.entity_id,
                amount_qepik: 10_000,
                victim_id: Some(victim_id),
                assessed_at: at("2024-04-04T09:00:00Z"),
            })
        };
        // The case's one person is its suspect, not a victim.
        assert_rule(&rejected(env, damage(c.person_ids[0])), "victim_id", "case.not_a_victim_of_case");
        let mut victim = applicant("Leyla Əliyeva");
        victim.role = PersonRole::Victim;
        let added = ok(env, Command::AddPerson(AddPerson { case_id: c.entity_id, person: victim }));
        ok(env, damage(added.person_ids[0]));
    });
}

#[test]
fn an_applicant_is_added_to_a_report_not_a_case_and_a_case_holds_500_persons() {
    each_backend(|env| {
        let c = case_with_suspect(env);
        let add = |case_id, person| Command::AddPerson(AddPerson { case_id, person });
        assert_rule(
            &rejected(env, add(c.entity_id, applicant("Leyla Əliyeva"))),
            "person.role",
            "person.applicant_belongs_to_report",
        );

        let mut crowded = new_case(vec![], "2024-04-03T09:00:00Z");
        crowded.detected_by_police = true;
        crowded.persons = (0..500).map(|i| suspect(&format!("Şübhəli {i}"), "1990-05-01")).collect();
        let crowded = ok(env, Command::OpenCase(crowded));
        assert_rule(
            &rejected(env, add(crowded.entity_id, suspect("Orxan Quliyev", "1990-05-01"))),
            "case_id",
            "case.too_many_persons",
        );
    });
}

#[test]
fn an_examination_is_completed_once() {
    each_backend(|env| {
        let c = case_with_suspect(env);
        let requested = ok(
            env,
            Command::RequestExamination(NewExamination {
                unit: unit("BAK-NSM"),
                case_id: c.entity_id,
                kind: ExaminationKind::Fingerprints,
                requested_at: at("2024-04-04T09:00:00Z"),
                question: "Whose prints are on the window frame?".into(),
            }),
        );
        let complete = || {
            Command::CompleteExamination(CompleteExamination {
                examination_id: requested.entity_id,
                done_at: at("2024-04-08T09:00:00Z"),
                result: "The suspect's prints".into(),
                identified_person: true,
            })
        };
        ok(env, complete());
        assert_rule(&rejected(env, complete()), "examination_id", "examination.already_done");
    });
}

#[test]
fn a_report_is_extended_no_more_often_than_its_procedure_allows() {
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
        // A crime report allows two: to ten days by the unit's chief, then to thirty by a prosecutor.
        ok(env, extend("2024-04-03T08:00:00Z", Authority::UnitChief));
        ok(env, extend("2024-04-05T08:00:00Z", Authority::Prosecutor));
        assert_rule(
            &rejected(env, extend("2024-04-06T08:00:00Z", Authority::Prosecutor)),
            "report_id",
            "deadline.no_further_extension",
        );
    });
}
