//! Published periods: publishing a period's figures records its scope,
//! period and journal position; afterwards every act that changes one of its
//! figures (a counter cell of a day in the period, in the scope or below)
//! needs a reason, whoever records it, and one that changes none takes none.

use crate::support::*;
use crimeboard_domain::access::{Principal, Role};
use crimeboard_domain::late::StatedReason;
use crimeboard_domain::publication::{NewPublication, PublicationKind};
use crimeboard_domain::{Command, Entity, Rejected};
use crimeboard_service::audit::Audited;
use crimeboard_service::{Receipt, ServiceError, Submission};
use crimeboard_stats::Period;

fn q1_2024(scope: &str) -> Command {
    Command::PublishReport(NewPublication {
        scope: unit(scope),
        period_from: "2024-01-01".parse().unwrap(),
        period_to: "2024-03-31".parse().unwrap(),
        kind: PublicationKind::BoardReport,
        note: "The Board's report of the first quarter".into(),
    })
}

fn reason() -> StatedReason {
    StatedReason { reason: "found_in_inspection".into(), text: "Found unregistered in the inspection of April".into() }
}

fn submission(command: Command, late: Option<StatedReason>) -> Submission {
    Submission { actor: "duty".into(), legal_ground: "CPC art. 207".into(), command, late }
}

fn record_as(env: &Env, by: &Principal, command: Command, late: Option<StatedReason>) -> Result<Receipt, ServiceError> {
    env.registry.record(by, &submission(command, late), &Audited::No)
}

fn rules_of(err: ServiceError) -> Vec<(String, String)> {
    match err {
        ServiceError::Rejected(Rejected(found)) => found.into_iter().map(|v| (v.field, v.rule)).collect(),
        other => panic!("expected a rule violation, got {other}"),
    }
}

fn report_in(unit_code: &str, received_at: &str) -> Command {
    let mut r = new_report(received_at);
    r.unit = unit(unit_code);
    Command::RegisterReport(r)
}

#[test]
fn a_publication_records_its_position_and_the_figures_as_published_stay_reproducible() {
    each_backend(|env| {
        report(env, "2024-02-01T08:00:00Z");
        let before = env.registry.store().position().unwrap();
        let published = ok(env, q1_2024("BAK"));
        let Entity::Publication(p) = env.registry.entity(published.entity_id).unwrap() else { panic!("not one") };
        assert_eq!((p.position, p.revision, p.status()), (before, 1, "published"), "on {}", env.db.name);
        assert_eq!(published.unit, "BAK", "recorded in the scope unit's journal");
        let q1 = Period::parse("2024Q1").unwrap();
        let as_published = env.registry.report_at(q1, Some("BAK"), p.position).unwrap();
        assert_eq!(as_published.units, env.registry.report(q1, Some("BAK")).unwrap().units);
        assert_eq!(env.registry.publications().unwrap(), vec![p]);
    });
}

#[test]
fn a_backdated_report_in_a_published_period_needs_its_reason() {
    each_backend(|env| {
        ok(env, q1_2024("BAK"));
        let duty = person("duty", Role::DutyOfficer, "BAK-NSM");
        let before = env.registry.store().position().unwrap();
        let found = rules_of(record_as(env, &duty, report_in("BAK-NSM", "2024-01-15T09:00:00Z"), None).unwrap_err());
        assert_rule(&found, "late.reason", "registration.late");
        assert_eq!(before, env.registry.store().position().unwrap(), "a refusal wrote on {}", env.db.name);
        let receipt = record_as(env, &duty, report_in("BAK-NSM", "2024-01-15T09:00:00Z"), Some(reason())).unwrap();
        let history = env.registry.history(receipt.entity_id).unwrap();
        let act = crimeboard_domain::Act::from_payload(&history[0].0.payload).unwrap();
        let late = act.assigned.late.expect("the act keeps its reason");
        assert_eq!((late.reason.as_str(), late.text.as_str()), ("found_in_inspection", reason().text.as_str()));
    });
}

#[test]
fn every_act_that_changes_a_published_figure_needs_a_reason_whoever_records_it() {
    each_backend(|env| {
        ok(env, q1_2024("BAK"));
        // The system is not held to the registration limit, but a published figure is a published figure.
        let found = rules_of(submit(env, report_in("BAK-NSM", "2024-02-10T09:00:00Z")).unwrap_err());
        assert_eq!(found, [("late.reason".to_string(), "figures.published_period_changed".to_string())]);
        let system = as_system(&env.registry);
        record_as(env, &system, report_in("BAK-NSM", "2024-02-10T09:00:00Z"), Some(reason())).unwrap();
        // Outside the scope, or after the period, nothing published changes: no reason, and none taken.
        report(env, "2024-04-10T09:00:00Z");
        submit(env, report_in("GNC", "2024-02-10T09:00:00Z")).unwrap();
        let found =
            rules_of(record_as(env, &system, report_in("GNC", "2024-02-11T09:00:00Z"), Some(reason())).unwrap_err());
        assert_rule(&found, "late", "late.not_needed");
    });
}

#[test]
fn a_decision_on_a_report_of_a_published_quarter_needs_a_reason_when_it_moves_a_figure() {
    each_backend(|env| {
        let registered = report(env, "2024-03-28T09:00:00Z");
        ok(env, q1_2024("AZ"));
        // The decision of 30 March moves the quarter's decided reports.
        let decide = Command::DecideReport(crimeboard_domain::report::DecideReport {
            report_id: registered.entity_id,
            decided_at: at("2024-03-30T09:00:00Z"),
            outcome: crimeboard_domain::report::ReportOutcome::Refuse { ground: "No crime".into() },
            late_reason: None,
        });
        let found = rules_of(submit(env, decide.clone()).unwrap_err());
        assert_rule(&found, "late.reason", "figures.published_period_changed");
        record_as(env, &as_system(&env.registry), decide, Some(reason())).unwrap();
    });
}

#[test]
fn publishing_a_period_again_is_its_next_revision() {
    each_backend(|env| {
        ok(env, q1_2024("BAK"));
        let again = ok(env, q1_2024("BAK"));
        let other_scope = ok(env, q1_2024("GNC"));
        let revision = |id| match env.registry.entity(id).unwrap() {
            Entity::Publication(p) => p.revision,
            other => panic!("not a publication: {other:?}"),
        };
        assert_eq!((revision(again.entity_id), revision(other_scope.entity_id)), (2, 1), "on {}", env.db.name);
    });
}

#[test]
fn a_period_not_over_is_not_published() {
    each_backend(|env| {
        let mut second = NewPublication {
            scope: unit("AZ"),
            period_from: "2024-04-01".parse().unwrap(),
            period_to: "2024-06-30".parse().unwrap(),
            kind: PublicationKind::OpenData,
            note: String::new(),
        };
        let found = rejected(env, Command::PublishReport(second.clone()));
        assert_rule(&found, "period_to", "publication.period_not_over");
        second.period_from = "2024-07-01".parse().unwrap();
        assert_rule(&rejected(env, Command::PublishReport(second)), "period_from", "date.range_reversed");
    });
}

#[test]
fn the_revisions_view_names_the_changed_figure_and_the_act_with_its_reason() {
    each_backend(|env| {
        report(env, "2024-02-01T08:00:00Z");
        let published = ok(env, q1_2024("BAK"));
        let untouched = env.registry.revisions(published.entity_id).unwrap();
        assert!(untouched.is_empty() && untouched.acts.is_empty(), "nothing changed yet on {}", env.db.name);
        // A report dated inside the published quarter, registered today with its reason.
        let duty = person("duty", Role::DutyOfficer, "BAK-NSM");
        let late = record_as(env, &duty, report_in("BAK-NSM", "2024-01-15T09:00:00Z"), Some(reason())).unwrap();
        let view = env.registry.revisions(published.entity_id).unwrap();
        let cell = |unit_code: &str| {
            view.figures
                .iter()
                .find(|f| f.unit.as_str() == unit_code && f.indicator == "reports_received")
                .unwrap_or_else(|| panic!("no revised reports_received of {unit_code} in {:?}", view.figures))
        };
        for unit_code in ["BAK", "BAK-NSM"] {
            let c = cell(unit_code);
            assert_eq!((c.published, c.current, c.difference), (1, 2, 1), "{unit_code} on {}", env.db.name);
            assert_eq!(c.acts, [late.position]);
        }
        assert!(view.figures.iter().all(|f| f.unit.as_str() != "GNC"), "outside the scope: {:?}", view.figures);
        let [act] = view.acts.as_slice() else { panic!("one revising act, found {:?}", view.acts) };
        assert_eq!((act.act.as_str(), act.actor.as_str()), ("register_report", "duty"));
        assert_eq!(act.number, late.number);
        assert_eq!(act.late.as_ref().map(|l| l.reason.as_str()), Some("found_in_inspection"));
    });
}

#[test]
fn the_report_of_a_revised_period_states_the_revision_in_each_language() {
    each_backend(|env| {
        report(env, "2024-02-01T08:00:00Z");
        ok(env, q1_2024("BAK"));
        let q1 = Period::parse("2024Q1").unwrap();
        assert_eq!(env.registry.report(q1, Some("BAK")).unwrap().revised, None, "nothing changed yet");
        let duty = person("duty", Role::DutyOfficer, "BAK-NSM");
        record_as(env, &duty, report_in("BAK-NSM", "2024-01-15T09:00:00Z"), Some(reason())).unwrap();
        let report = env.registry.report(q1, Some("BAK")).unwrap();
        let revised = report.revised.clone().expect("the published quarter states its revision");
        assert_eq!((revised.revision, revised.published_on.to_string()), (1, "2024-04-19".to_string()));
        let received = revised
            .changes
            .iter()
            .find(|c| c.unit.as_str() == "BAK" && c.indicator == "reports_received")
            .unwrap_or_else(|| panic!("{:?}", revised.changes));
        assert_eq!(received.difference, 1);
        let en = crimeboard_export::narrative(&report, crimeboard_export::Lang::En);
        assert!(en.contains("Revised since its publication on 19 April 2024"), "{en}");
        assert!(en.contains("+1 in Baku"), "{en}");
        let ru = crimeboard_export::narrative(&report, crimeboard_export::Lang::Ru);
        assert!(ru.contains("Пересмотрено после публикации") && ru.contains("+1"), "{ru}");
        let az = crimeboard_export::narrative(&report, crimeboard_export::Lang::Az);
        assert!(az.contains("yenidən baxılıb") && az.contains("+1"), "{az}");
        // Another scope's report of the same quarter was never published: no revision.
        assert_eq!(env.registry.report(q1, Some("GNC")).unwrap().revised, None);
    });
}
