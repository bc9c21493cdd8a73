//! A Board meeting's press release: drafted by the system from the meeting
//! and the Board's report of its period, each figure a token bound to its
//! indicator, unit, period and journal position; edited by the press officer
//! with the figures kept; approved, which freezes it; published only then.

use crate::support::*;
use crimeboard_domain::Command;
use crimeboard_domain::access::{Denied, Role};
use crimeboard_domain::meeting::{Attendee, MeetingMinutes};
use crimeboard_domain::release::{
    ApproveRelease, DraftRelease, EditRelease, Measure, Piece, PublishRelease, ReleaseStatus, pieces, token,
};
use crimeboard_domain::units::Language;
use crimeboard_service::audit::Audited;
use crimeboard_service::{ServiceError, Submission};
use crimeboard_stats::Period;
use uuid::Uuid;

fn minutes(meeting_id: Uuid) -> Command {
    Command::RecordMinutes(MeetingMinutes {
        meeting_id,
        attendance: vec![Attendee {
            full_name: "General Məmmədov".into(),
            position: "Nazir".into(),
            unit: None,
            present: true,
        }],
        minutes: "Rəislərin hesabatları dinlənildi".into(),
    })
}

/// Crimes of the first quarter, a meeting of the Board at AZ reviewing it,
/// held, and a task it issued.
fn held_meeting(env: &Env) -> Uuid {
    for registered in ["2024-01-05T09:00:00Z", "2024-02-10T09:00:00Z", "2024-03-15T09:00:00Z"] {
        let mut c = new_case(vec![], registered);
        c.detected_by_police = true;
        c.occurred_at = at(registered) - chrono::Duration::days(1);
        ok(env, Command::OpenCase(c));
    }
    let meeting = ok(env, Command::ScheduleMeeting(new_meeting("AZ"))).entity_id;
    ok(env, minutes(meeting));
    ok(env, Command::IssueTask(new_task(Some(meeting), "BAK", "controller-1", "2024-06-30")));
    meeting
}

fn draft(meeting_id: Uuid) -> Command {
    Command::DraftRelease(DraftRelease { meeting_id, unit: unit("AZ") })
}

fn edit(release_id: Uuid, lang: Language, text: &str) -> Command {
    Command::EditRelease(EditRelease { release_id, lang, text: text.into() })
}

fn press_officer() -> crimeboard_domain::access::Principal {
    person("press-1", Role::PressOfficer, "AZ")
}

fn by(env: &Env, who: &crimeboard_domain::access::Principal, command: Command) -> crimeboard_service::Receipt {
    let s = Submission { actor: "x".into(), legal_ground: "Press service".into(), command, late: None };
    env.registry.record(who, &s, &Audited::No).unwrap_or_else(|e| panic!("{e} on {}", env.db.name))
}

/// The rules a press officer's submission broke; nothing written.
fn rejected_for_press(env: &Env, command: Command) -> Vec<(String, String)> {
    let before = env.registry.store().position().unwrap();
    let s = Submission { actor: "x".into(), legal_ground: "Press service".into(), command, late: None };
    let err = env.registry.record(&press_officer(), &s, &Audited::No).expect_err("refused");
    assert_eq!(env.registry.store().position().unwrap(), before, "on {}", env.db.name);
    match err {
        ServiceError::Rejected(r) => r.0.into_iter().map(|v| (v.field, v.rule)).collect(),
        other => panic!("expected a rule violation, got {other}"),
    }
}

#[test]
fn the_drafts_figures_are_the_boards_report_at_the_position_named() {
    each_backend(|env| {
        let meeting = held_meeting(env);
        let receipt = by(env, &press_officer(), draft(meeting));
        assert!(receipt.number.as_deref().unwrap().starts_with("PR-AZ-2024-"), "{:?}", receipt.number);
        let release = env.registry.release(receipt.entity_id).unwrap();
        assert_eq!((release.status, release.meeting_id), (ReleaseStatus::Draft, meeting));
        assert!(!release.figures.is_empty(), "the draft states figures");
        let period = Period::parse("2024Q1").unwrap();
        for figure in &release.figures {
            assert_eq!((figure.unit.as_str(), figure.period_from, figure.period_to), ("AZ", period.from, period.to));
            let report = env.registry.report_at(period, Some("AZ"), figure.position).unwrap();
            assert_eq!(figure.position, report.position);
            let scope = &report.units[0];
            let expected = match figure.measure {
                Measure::Percent => {
                    let share = scope.shares.iter().find(|s| s.code == figure.indicator).unwrap();
                    (share.current.unwrap() * 100.0).round() as i64
                }
                Measure::Count | Measure::Money | Measure::Grams => {
                    scope.figures.iter().find(|f| f.code == figure.indicator).unwrap().change.current
                }
            };
            assert_eq!(figure.value, expected, "{} on {}", figure.indicator, env.db.name);
        }
        let recorded = release.figures.iter().position(|f| f.indicator == "crimes_recorded").unwrap();
        assert_eq!(release.figures[recorded].value, 3);
        for lang in Language::ALL {
            let text = release.texts.get(lang);
            // Every figure is stated in every language, and only as its token.
            for (i, _) in release.figures.iter().enumerate() {
                assert!(text.contains(&token(i)), "{} lacks {}: {text}", lang.code(), token(i));
            }
            assert!(pieces(text).iter().all(|p| !matches!(p, Piece::Unknown(_))), "{text}");
            assert!(text.contains("Mənzil oğurluqları"), "the agenda's topic: {text}");
            assert!(text.contains("Mənzil oğurluqlarının açılmasını gücləndirmək"), "the meeting's task: {text}");
        }
        let en = env.registry.release_text(&release, Language::En);
        assert!(en.contains("18 April 2024"), "{en}");
        assert!(en.contains("3 crimes"), "{en}");
        assert!(!en.contains("{{"), "{en}");
    });
}

#[test]
fn an_edit_keeps_every_figures_provenance_and_a_token_naming_no_figure_is_refused() {
    each_backend(|env| {
        let meeting = held_meeting(env);
        let id = by(env, &press_officer(), draft(meeting)).entity_id;
        let before = env.registry.release(id).unwrap();
        let n = before.figures.len();
        by(env, &press_officer(), edit(id, Language::En, "The Board met. {{fig:0}} in all."));
        let after = env.registry.release(id).unwrap();
        assert_eq!(after.figures, before.figures, "the figures and their provenance stay");
        assert_eq!(after.texts.en, "The Board met. {{fig:0}} in all.");
        assert_eq!(after.texts.az, before.texts.az, "the other languages stay");
        let shown = env.registry.release_text(&after, Language::En);
        let first = crimeboard_export::figure_value(
            &after.figures[0],
            &env.registry.jurisdiction().currency,
            crimeboard_export::Lang::En,
        );
        assert_eq!(shown, format!("The Board met. {first} in all."));
        let invented = format!("The Board met. {} and {{{{total}}}}.", token(n));
        let found = rejected(env, edit(id, Language::En, &invented));
        assert_rule(&found, "text", "release.unknown_figure");
        assert_eq!(found.len(), 2, "both tokens named: {found:?}");
        assert_rule(&rejected(env, edit(id, Language::Ru, "  ")), "text", "text.required");
        assert_eq!(env.registry.release(id).unwrap(), after, "nothing of a refused edit is kept");
    });
}

#[test]
fn approval_freezes_and_only_an_approved_release_is_published() {
    each_backend(|env| {
        let meeting = held_meeting(env);
        let id = by(env, &press_officer(), draft(meeting)).entity_id;
        let publish = || Command::PublishRelease(PublishRelease { release_id: id });
        assert_rule(&rejected_for_press(env, publish()), "release_id", "release.not_approved");
        by(env, &press_officer(), Command::ApproveRelease(ApproveRelease { release_id: id }));
        let approved = env.registry.release(id).unwrap();
        assert_eq!((approved.status, approved.approved_on), (ReleaseStatus::Approved, Some(day("2024-04-19"))));
        assert_rule(&rejected(env, edit(id, Language::En, "Other words")), "release_id", "release.frozen");
        let again = Command::ApproveRelease(ApproveRelease { release_id: id });
        assert_rule(&rejected(env, again), "release_id", "release.frozen");
        by(env, &press_officer(), publish());
        let published = env.registry.release(id).unwrap();
        assert_eq!(published.status, ReleaseStatus::Published);
        assert_eq!((published.texts, published.figures), (approved.texts, approved.figures), "as approved");
        assert_eq!(env.registry.get(id).unwrap().status, "published", "the index row follows");
        assert_rule(&rejected_for_press(env, publish()), "release_id", "release.not_approved");
    });
}

#[test]
fn a_release_is_of_a_held_meeting_in_its_unit() {
    each_backend(|env| {
        let scheduled = ok(env, Command::ScheduleMeeting(new_meeting("AZ"))).entity_id;
        assert_rule(&rejected(env, draft(scheduled)), "meeting_id", "release.meeting_not_held");
        ok(env, minutes(scheduled));
        let elsewhere = Command::DraftRelease(DraftRelease { meeting_id: scheduled, unit: unit("BAK") });
        assert_rule(&rejected(env, elsewhere), "unit", "release.unit_of_meeting");
    });
}

#[test]
fn the_press_officer_drafts_and_approves_and_an_investigator_writes_nothing() {
    each_backend(|env| {
        let meeting = held_meeting(env);
        let investigator = person("inv-1", Role::Investigator, "AZ");
        let before = env.registry.store().position().unwrap();
        let s = Submission { actor: "x".into(), legal_ground: "x".into(), command: draft(meeting), late: None };
        let refused = env.registry.record(&investigator, &s, &Audited::No);
        assert!(matches!(refused, Err(ServiceError::Denied(Denied::Role))), "{refused:?}");
        assert_eq!(env.registry.store().position().unwrap(), before, "on {}", env.db.name);
        let id = by(env, &press_officer(), draft(meeting)).entity_id;
        let before = env.registry.store().position().unwrap();
        let s = Submission {
            actor: "x".into(),
            legal_ground: "x".into(),
            command: Command::ApproveRelease(ApproveRelease { release_id: id }),
            late: None,
        };
        let refused = env.registry.record(&investigator, &s, &Audited::No);
        assert!(matches!(refused, Err(ServiceError::Denied(Denied::Role))), "{refused:?}");
        assert_eq!(env.registry.store().position().unwrap(), before, "on {}", env.db.name);
        by(env, &press_officer(), Command::ApproveRelease(ApproveRelease { release_id: id }));
    });
}

/// The demo's release: drafted by the system and approved as drafted.
#[test]
fn the_demos_release_is_the_systems_draft_approved() {
    each_backend(|env| {
        let meeting = held_meeting(env);
        let release = env.registry.approved_release(&as_system(&env.registry), meeting, "Demo").unwrap();
        assert_eq!((release.status, release.meeting_id), (ReleaseStatus::Approved, meeting));
        assert!(release.figures.iter().any(|f| f.indicator == "crimes_recorded"), "{:?}", release.figures);
        assert!(release.texts.en.contains("a meeting of the Board was held"), "{}", release.texts.en);
    });
}

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}
