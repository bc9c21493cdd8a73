//! Inspection: a sample of a unit's refusals, reclassifications or
//! annulments drawn from its journal with a recorded seed, reviews of the
//! decisions drawn, and the estimate the findings give.

use crate::support::*;
use crimeboard_domain::access::{Denied, Role};
use crimeboard_domain::act::{Annul, replay};
use crimeboard_domain::case::Reclassify;
use crimeboard_domain::catalogue::ArticleRef;
use crimeboard_domain::inspection::{self, DrawSample, Drawable, Finding, ReviewSample, Sample, SampleKind};
use crimeboard_domain::report::{DecideReport, ReportOutcome};
use crimeboard_domain::{Act, Command, Entity};
use crimeboard_service::audit::{Actor, AuditSearch, Audited};
use crimeboard_service::{Receipt, ServiceError, Submission};
use uuid::Uuid;

fn decide(env: &Env, unit_code: &str, received_at: &str, decided_at: &str, outcome: ReportOutcome) -> Receipt {
    let mut r = new_report(received_at);
    r.unit = unit(unit_code);
    let report_id = ok(env, Command::RegisterReport(r)).entity_id;
    ok(env, Command::DecideReport(DecideReport { report_id, decided_at: at(decided_at), outcome, late_reason: None }))
}

fn refuse(env: &Env, unit_code: &str, received_at: &str, decided_at: &str) -> Receipt {
    decide(env, unit_code, received_at, decided_at, ReportOutcome::Refuse { ground: "CPC art. 39.1.1".into() })
}

/// Twelve refusals of BAK-NSM in the first quarter of 2024, and decisions
/// that are not among them: a refusal of April, one of BAK-YAS, a transfer,
/// and a refusal annulled. Gives the twelve acts' places in the journal.
fn q1_refusals(env: &Env) -> Vec<i64> {
    let mut seqs: Vec<i64> = (1..=12)
        .map(|i| {
            let received = format!("2024-{:02}-{:02}T08:00:00Z", 1 + i % 3, 1 + i);
            let decided = format!("2024-{:02}-{:02}T09:00:00Z", 1 + i % 3, 2 + i);
            refuse(env, "BAK-NSM", &received, &decided).seq
        })
        .collect();
    refuse(env, "BAK-NSM", "2024-04-01T08:00:00Z", "2024-04-02T08:00:00Z");
    refuse(env, "BAK-YAS", "2024-02-01T08:00:00Z", "2024-02-02T08:00:00Z");
    decide(
        env,
        "BAK-NSM",
        "2024-02-01T08:00:00Z",
        "2024-02-02T08:00:00Z",
        ReportOutcome::Transfer { to_body: "Prosecutor's office".into() },
    );
    let annulled = refuse(env, "BAK-NSM", "2024-03-01T08:00:00Z", "2024-03-02T08:00:00Z");
    ok(env, Command::Annul(Annul { unit: unit("BAK-NSM"), seq: annulled.seq, reason: "Recorded twice".into() }));
    seqs.sort();
    seqs
}

fn draw_of(kind: SampleKind, size: u32, seed: Option<u64>) -> DrawSample {
    DrawSample {
        unit: unit("BAK-NSM"),
        kind,
        period_from: "2024-01-01".parse().unwrap(),
        period_to: "2024-03-31".parse().unwrap(),
        size,
        seed,
    }
}

fn sample(env: &Env, id: Uuid) -> Sample {
    match env.registry.entity(id).unwrap() {
        Entity::Sample(s) => s,
        other => panic!("not a sample: {other:?}"),
    }
}

fn review(sample_id: Uuid, seq: i64, finding: Finding, note: &str) -> Command {
    Command::ReviewSample(ReviewSample { sample_id, seq, finding, note: note.into() })
}

fn seqs(items: &[Drawable]) -> Vec<i64> {
    items.iter().map(|d| d.seq).collect()
}

#[test]
fn a_draw_keeps_its_seed_and_population_and_the_same_seed_draws_the_same_refusals_again() {
    each_backend(|env| {
        let population = q1_refusals(env);
        let drawn = ok(env, Command::DrawSample(draw_of(SampleKind::Refusals, 5, Some(2024))));
        assert_eq!(drawn.unit, "BAK-NSM", "recorded in the sampled unit's journal");
        assert!(drawn.number.as_deref().unwrap().starts_with("IS-"), "{:?}", drawn.number);
        let s = sample(env, drawn.entity_id);
        assert_eq!((s.population, s.seed, s.items.len(), s.status()), (12, 2024, 5, "open"), "on {}", env.db.name);
        assert!(
            seqs(&s.items.iter().map(|i| i.drawn.clone()).collect::<Vec<_>>()).iter().all(|q| population.contains(q))
        );
        // The act keeps the draw, so a reader with the journal draws again.
        let history = env.registry.history(drawn.entity_id).unwrap();
        let act = Act::from_payload(&history[0].0.payload).unwrap();
        let kept = act.assigned.drawn.expect("the act keeps its draw");
        assert_eq!((kept.seed, kept.population), (2024, 12));
        assert_eq!(env.registry.redraw(&s).unwrap(), kept.items);
        let again = ok(env, Command::DrawSample(draw_of(SampleKind::Refusals, 5, Some(2024))));
        assert_eq!(sample(env, again.entity_id).items, s.items, "same population and seed, same sample");
        // The draw is the domain's over the twelve in the journal's order.
        let listed: Vec<Drawable> = population
            .iter()
            .map(|&seq| {
                kept.items.iter().find(|d| d.seq == seq).cloned().unwrap_or(Drawable {
                    seq,
                    act_id: Uuid::nil(),
                    on: "2024-01-01".parse().unwrap(),
                    record: None,
                })
            })
            .collect();
        assert_eq!(seqs(&inspection::draw(&listed, 5, 2024)), seqs(&kept.items));
        // Without a seed, the system picks one and keeps it.
        let picked = ok(env, Command::DrawSample(draw_of(SampleKind::Refusals, 12, None)));
        let census = sample(env, picked.entity_id);
        assert_eq!(seqs(&census.items.iter().map(|i| i.drawn.clone()).collect::<Vec<_>>()), population);
        assert!(census.seed <= inspection::MAX_SEED);
    });
}

#[test]
fn reclassifications_and_annulments_are_drawn_from_their_own_acts() {
    each_backend(|env| {
        let case = case_with_suspect(env).entity_id;
        let reclassified = ok(
            env,
            Command::Reclassify(Reclassify {
                case_id: case,
                articles: vec![ArticleRef::parse("178.1").unwrap()],
                reason: "Qualification changed after expert opinion".into(),
                decided_at: at("2024-04-08T09:00:00Z"),
            }),
        );
        let accident = refuse(env, "BAK-NSM", "2024-04-10T08:00:00Z", "2024-04-11T08:00:00Z");
        let annulment =
            ok(env, Command::Annul(Annul { unit: unit("BAK-NSM"), seq: accident.seq, reason: "Typed twice".into() }));
        let april = |kind| DrawSample {
            period_from: "2024-04-01".parse().unwrap(),
            period_to: "2024-04-19".parse().unwrap(),
            ..draw_of(kind, 1, Some(3))
        };
        let r = sample(env, ok(env, Command::DrawSample(april(SampleKind::Reclassifications))).entity_id);
        assert_eq!((r.population, r.items[0].drawn.seq, r.items[0].drawn.record), (1, reclassified.seq, Some(case)));
        let a = sample(env, ok(env, Command::DrawSample(april(SampleKind::Annulments))).entity_id);
        assert_eq!((a.population, a.items[0].drawn.seq, a.items[0].drawn.record), (1, annulment.seq, None));
        let refusals = rejected(env, Command::DrawSample(april(SampleKind::Refusals)));
        assert_rule(&refusals, "size", "sample.larger_than_population");
    });
}

#[test]
fn a_draw_is_refused_naming_the_field_and_the_rule() {
    each_backend(|env| {
        q1_refusals(env);
        let found = rejected(env, Command::DrawSample(draw_of(SampleKind::Refusals, 0, None)));
        assert_rule(&found, "size", "number.range");
        let err = submit(env, Command::DrawSample(draw_of(SampleKind::Refusals, 13, None))).unwrap_err();
        let ServiceError::Rejected(r) = err else { panic!("expected a rule violation, got {err}") };
        assert_eq!((r.0[0].field.as_str(), r.0[0].rule.as_str()), ("size", "sample.larger_than_population"));
        assert_eq!(r.0[0].param("population"), Some("12"), "the refusal says the population");
        let unknown = DrawSample { unit: unit("BAK-XXX"), ..draw_of(SampleKind::Refusals, 1, None) };
        assert_rule(&rejected(env, Command::DrawSample(unknown)), "unit", "unit.unknown");
        let reversed =
            DrawSample { period_from: "2024-04-01".parse().unwrap(), ..draw_of(SampleKind::Refusals, 1, None) };
        assert_rule(&rejected(env, Command::DrawSample(reversed)), "period_from", "date.range_reversed");
        let future = DrawSample {
            period_from: "2024-05-01".parse().unwrap(),
            period_to: "2024-06-30".parse().unwrap(),
            ..draw_of(SampleKind::Refusals, 1, None)
        };
        assert_rule(&rejected(env, Command::DrawSample(future)), "period_from", "sample.period_not_begun");
        let seed = draw_of(SampleKind::Refusals, 1, Some(inspection::MAX_SEED + 1));
        assert_rule(&rejected(env, Command::DrawSample(seed)), "seed", "number.range");
        // A kind not known is not a command at all.
        let typed = r#"{"act":"draw_sample","unit":"BAK-NSM","kind":"arrests","period_from":"2024-01-01","period_to":"2024-03-31","size":1}"#;
        let refused = serde_json::from_str::<Command>(typed).unwrap_err().to_string();
        assert!(refused.contains("arrests"), "{refused}");
    });
}

#[test]
fn reviews_are_of_the_sample_a_wrong_or_unclear_one_says_why_and_a_later_one_replaces_the_earlier() {
    each_backend(|env| {
        let population = q1_refusals(env);
        let s = sample(env, ok(env, Command::DrawSample(draw_of(SampleKind::Refusals, 4, Some(9)))).entity_id);
        let drawn: Vec<i64> = s.items.iter().map(|i| i.drawn.seq).collect();
        let outside = *population.iter().find(|q| !drawn.contains(q)).unwrap();
        assert_rule(&rejected(env, review(s.id, outside, Finding::Correct, "")), "seq", "sample.not_in_sample");
        assert_rule(&rejected(env, review(s.id, drawn[0], Finding::Wrong, " ")), "note", "sample.note_required");
        assert_rule(&rejected(env, review(s.id, drawn[0], Finding::Unclear, "")), "note", "sample.note_required");
        let not_a_sample = refuse(env, "BAK-NSM", "2024-04-02T08:00:00Z", "2024-04-03T08:00:00Z").entity_id;
        assert_rule(
            &rejected(env, review(not_a_sample, drawn[0], Finding::Correct, "")),
            "sample_id",
            "reference.wrong_kind",
        );
        ok(env, review(s.id, drawn[0], Finding::Wrong, "A theft refused as a civil matter"));
        ok(env, review(s.id, drawn[0], Finding::Correct, ""));
        let reviewed = sample(env, s.id);
        let first = reviewed.items[0].review.as_ref().unwrap();
        assert_eq!((first.finding, first.note.as_str()), (Finding::Correct, ""), "the later review stands");
        assert_eq!(env.registry.history(s.id).unwrap().len(), 3, "the journal keeps both reviews");
        for seq in &drawn[1..] {
            ok(env, review(s.id, *seq, Finding::Correct, ""));
        }
        assert_eq!(sample(env, s.id).status(), "reviewed");
    });
}

#[test]
fn the_estimate_counts_the_findings_against_the_population() {
    each_backend(|env| {
        q1_refusals(env);
        let s = sample(env, ok(env, Command::DrawSample(draw_of(SampleKind::Refusals, 6, Some(5)))).entity_id);
        let findings = [Finding::Wrong, Finding::Wrong, Finding::Unclear, Finding::Correct, Finding::Correct];
        for (item, finding) in s.items.iter().zip(findings) {
            ok(env, review(s.id, item.drawn.seq, finding, "Read in the inspection"));
        }
        let view = env.registry.sample(s.id).unwrap();
        let e = view.estimate;
        assert_eq!((e.population, e.reviewed, e.wrong, e.unclear), (12, 5, 2, 1));
        // 2 of 5 from 12: n' = 5 * 11 / 7 = 7.857; by the domain's worked
        // formula, 0.1502 to 0.7155.
        let wrong = e.wrong_share.unwrap();
        assert!((wrong.rate - 0.4).abs() < 1e-9);
        assert!((wrong.low - 0.1502).abs() < 1e-3 && (wrong.high - 0.7155).abs() < 1e-3, "{wrong:?}");
        assert_eq!(e.wrong_or_unclear_share, inspection::share(3, 5, 12));
        assert!(matches!(env.registry.sample(s.items[0].drawn.record.unwrap()), Err(ServiceError::NotFound)));
    });
}

#[test]
fn an_inspector_draws_and_reviews_anywhere_a_duty_officer_not_and_each_act_is_audited() {
    each_backend(|env| {
        q1_refusals(env);
        let duty = person("duty", Role::DutyOfficer, "BAK-NSM");
        let inspector = person("inspector", Role::Inspector, "AZ");
        let s = |command| Submission {
            actor: "x".into(),
            legal_ground: "Inspection order 4/2024".into(),
            command,
            late: None,
        };
        let draw = Command::DrawSample(draw_of(SampleKind::Refusals, 2, Some(1)));
        let before = env.registry.store().position().unwrap();
        let refused = env.registry.record(&duty, &s(draw.clone()), &Audited::No);
        assert!(matches!(refused, Err(ServiceError::Denied(Denied::Role))), "{refused:?}");
        assert_eq!(env.registry.store().position().unwrap(), before);
        let by = Actor::new("inspector", "10.1.1.1");
        let drawn = env.registry.record(&inspector, &s(draw), &Audited::EachAct(&by)).unwrap();
        let seq = sample(env, drawn.entity_id).items[0].drawn.seq;
        let reviewed = review(drawn.entity_id, seq, Finding::Correct, "");
        let refused = env.registry.record(&duty, &s(reviewed.clone()), &Audited::No);
        assert!(matches!(refused, Err(ServiceError::Denied(Denied::Role))), "{refused:?}");
        env.registry.record(&inspector, &s(reviewed), &Audited::EachAct(&by)).unwrap();
        for action in ["act.draw_sample", "act.review_sample"] {
            let search = AuditSearch { action: Some(action.into()), per_page: 10, ..Default::default() };
            let found = env.registry.audit_search(&search).unwrap().items;
            assert_eq!(found.len(), 1, "{action} on {}", env.db.name);
            assert_eq!(found[0].actor, "inspector");
        }
    });
}

#[test]
fn a_sample_replayed_from_its_acts_is_the_sample_the_index_holds() {
    each_backend(|env| {
        q1_refusals(env);
        let s = sample(env, ok(env, Command::DrawSample(draw_of(SampleKind::Refusals, 3, Some(11)))).entity_id);
        ok(env, review(s.id, s.items[0].drawn.seq, Finding::Unclear, "The file is missing"));
        let unclear = ok(env, review(s.id, s.items[1].drawn.seq, Finding::Wrong, "Refused without a check"));
        ok(
            env,
            Command::Annul(Annul { unit: unit("BAK-NSM"), seq: unclear.seq, reason: "Reviewed the wrong file".into() }),
        );
        let acts: Vec<Act> = env
            .registry
            .history(s.id)
            .unwrap()
            .into_iter()
            .filter(|(_, annulled)| !annulled)
            .filter(|(e, _)| e.kind != "annul")
            .map(|(e, _)| Act::from_payload(&e.payload).unwrap())
            .collect();
        let pack = env.registry.jurisdiction();
        let units = env.registry.units();
        let ctx = crimeboard_domain::Context {
            catalogue: &pack.catalogue,
            rules: &pack.rules,
            units: &units,
            now: env.registry.now(),
        };
        let rebuilt = replay(&acts, &ctx).remove(&s.id).unwrap();
        let stored = Entity::Sample(sample(env, s.id));
        assert_eq!(rebuilt, stored, "on {}", env.db.name);
        let Entity::Sample(kept) = stored else { unreachable!() };
        assert!(kept.items[1].review.is_none(), "the annulled review is gone");
        assert_eq!(kept.items[0].review.as_ref().unwrap().finding, Finding::Unclear);
    });
}

/// A case of `unit_code` registered on 3 April, asked to be cancelled on
/// `decided_on`'s morning and decided that afternoon.
fn cancellation_decided(env: &Env, unit_code: &str, decided_on: &str, approve: bool) -> (Uuid, Receipt) {
    use crimeboard_domain::cancellation::{DecideCancellation, RequestCancellation, TellingMeans, VictimTold};
    let mut r = new_report("2024-04-02T08:00:00Z");
    r.unit = unit(unit_code);
    let report_id = ok(env, Command::RegisterReport(r)).entity_id;
    let mut c = new_case(vec![report_id], "2024-04-03T09:00:00Z");
    c.unit = unit(unit_code);
    let case_id = ok(env, Command::OpenCase(c)).entity_id;
    ok(
        env,
        Command::RequestCancellation(RequestCancellation {
            case_id,
            ground: "recorded_twice".into(),
            text: "The same burglary as an earlier case".into(),
            evidence: "The victim's two statements name the same night".into(),
            requested_at: at(&format!("{decided_on}T06:00:00Z")),
        }),
    );
    let decided = ok(
        env,
        Command::DecideCancellation(DecideCancellation {
            case_id,
            approve,
            note: "Checked".into(),
            victim_told: Some(VictimTold { how: TellingMeans::Telephone, at: at(&format!("{decided_on}T07:00:00Z")) }),
            decided_at: at(&format!("{decided_on}T09:00:00Z")),
        }),
    );
    (case_id, decided)
}

#[test]
fn a_sample_of_cancellations_draws_only_the_units_approved_cancellations_of_the_period() {
    each_backend(|env| {
        let (approved_case, approved) = cancellation_decided(env, "BAK-NSM", "2024-04-10", true);
        cancellation_decided(env, "BAK-NSM", "2024-04-11", false);
        cancellation_decided(env, "BAK-YAS", "2024-04-12", true);
        cancellation_decided(env, "BAK-NSM", "2024-04-16", true);
        ok(
            env,
            Command::Reclassify(Reclassify {
                case_id: approved_case,
                articles: vec![ArticleRef::parse("178.1").unwrap()],
                reason: "Qualification changed".into(),
                decided_at: at("2024-04-12T09:00:00Z"),
            }),
        );
        let draw = DrawSample {
            period_from: "2024-04-01".parse().unwrap(),
            period_to: "2024-04-15".parse().unwrap(),
            ..draw_of(SampleKind::Cancellations, 1, Some(7))
        };
        let s = sample(env, ok(env, Command::DrawSample(draw.clone())).entity_id);
        assert_eq!(s.kind, SampleKind::Cancellations);
        assert_eq!(
            (s.population, s.items[0].drawn.seq, s.items[0].drawn.record),
            (1, approved.seq, Some(approved_case)),
            "only BAK-NSM's approval within the period, on {}",
            env.db.name
        );
        let two = rejected(env, Command::DrawSample(DrawSample { size: 2, ..draw }));
        assert_rule(&two, "size", "sample.larger_than_population");
    });
}
