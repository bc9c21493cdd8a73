use crate::support::*;
use crimeboard_domain::act::Annul;
use crimeboard_domain::case::{RecordDamage, Reimburse};
use crimeboard_domain::{Command, Entity};

#[test]
fn annulling_an_act_rebuilds_the_entity_without_it_and_keeps_history() {
    each_backend(|env| {
        let c = case_with_suspect(env);
        let damage = |amount| {
            Command::RecordDamage(RecordDamage {
                case_id: c.entity_id,
                amount_qepik: amount,
                victim_id: None,
                assessed_at: at("2024-04-04T09:00:00Z"),
            })
        };
        ok(env, damage(100_000));
        let wrong = ok(env, damage(9_999_900));
        let annul =
            Annul { unit: unit("BAK-NSM"), seq: wrong.seq, reason: "Typing error: 99 999 manat instead of 999".into() };
        ok(env, Command::Annul(annul.clone()));
        let Entity::Case(stored) = env.registry.entity(c.entity_id).unwrap() else { panic!() };
        assert_eq!(stored.damage_qepik(), 100_000);
        let history = env.registry.history(c.entity_id).unwrap();
        assert!(
            history.iter().any(|(e, annulled)| e.seq == wrong.seq && *annulled),
            "the annulled act stays in the journal"
        );
        assert!(history.iter().any(|(e, _)| e.kind == "annul"));
        assert_rule(&rejected(env, Command::Annul(annul)), "seq", "annul.already_annulled");
        assert!(env.registry.verify().unwrap().ok());
    });
}

#[test]
fn an_annulment_that_would_break_a_rule_is_refused() {
    each_backend(|env| {
        let c = case_with_suspect(env);
        let damage = ok(
            env,
            Command::RecordDamage(RecordDamage {
                case_id: c.entity_id,
                amount_qepik: 100_000,
                victim_id: None,
                assessed_at: at("2024-04-04T09:00:00Z"),
            }),
        );
        ok(
            env,
            Command::Reimburse(Reimburse {
                case_id: c.entity_id,
                amount_qepik: 60_000,
                reimbursed_at: at("2024-04-05T09:00:00Z"),
            }),
        );
        let annul = Annul { unit: unit("BAK-NSM"), seq: damage.seq, reason: "Assessed twice".into() };
        assert_rule(&rejected(env, Command::Annul(annul)), "amount_qepik", "reimbursement.exceeds_damage");
    });
}

#[test]
fn annulling_the_opening_of_a_case_removes_it_and_reopens_its_report() {
    each_backend(|env| {
        let c = case_with_suspect(env);
        let Entity::Case(case) = env.registry.entity(c.entity_id).unwrap() else { panic!() };
        let report_id = case.report_ids[0];
        ok(env, Command::Annul(Annul { unit: unit("BAK-NSM"), seq: c.seq, reason: "Opened in the wrong unit".into() }));
        assert!(matches!(env.registry.get(c.entity_id), Err(crimeboard_service::ServiceError::NotFound)));
        let Entity::Report(report) = env.registry.entity(report_id).unwrap() else { panic!() };
        assert!(report.decision.is_none());
        let suspects = env
            .registry
            .list(&crimeboard_service::ListParams { parent: Some(c.entity_id), ..Default::default() })
            .unwrap();
        assert!(suspects.items.is_empty(), "the case's persons go with it");
    });
}

#[test]
fn an_unknown_entry_or_an_annulment_cannot_be_annulled() {
    each_backend(|env| {
        assert_rule(
            &rejected(env, Command::Annul(Annul { unit: unit("BAK-NSM"), seq: 40, reason: "x".into() })),
            "seq",
            "reference.not_found",
        );
        let r = report(env, "2024-04-02T08:00:00Z");
        let a = ok(env, Command::Annul(Annul { unit: unit("BAK-NSM"), seq: r.seq, reason: "Duplicate".into() }));
        assert_rule(
            &rejected(env, Command::Annul(Annul { unit: unit("BAK-NSM"), seq: a.seq, reason: "x".into() })),
            "seq",
            "annul.of_annulment",
        );
    });
}
