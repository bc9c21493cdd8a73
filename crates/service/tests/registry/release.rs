//! A Board meeting's press release: drafted by the system from the meeting
//! and the Board's report of its period, each figure a token bound to its
//! indicator, unit, period and journal position; edited by the press officer
//! with the figures kept; approved, which freezes it; published only then.
//! A release the press officer writes from scratch, its tags, and its
//! publication at a civil moment to come.

use crate::support::*;
use crimeboard_domain::Command;
use crimeboard_domain::access::{Denied, Role};
use crimeboard_domain::meeting::{Attendee, MeetingMinutes};
use crimeboard_domain::release::{
    ApproveRelease, DraftRelease, EditRelease, Measure, Piece, PublishRelease, ReleaseStatus, Tags, Texts,
    WriteRelease, pieces, token,
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
    Command::EditRelease(EditRelease { release_id, lang, text: text.into(), title: None, tags: None })
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
        assert_eq!((release.status, release.meeting_id), (ReleaseStatus::Draft, Some(meeting)));
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
        let publish = || Command::PublishRelease(PublishRelease { release_id: id, at: None });
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
        assert_eq!((release.status, release.meeting_id), (ReleaseStatus::Approved, Some(meeting)));
        assert!(release.figures.iter().any(|f| f.indicator == "crimes_recorded"), "{:?}", release.figures);
        assert!(release.texts.en.contains("a meeting of the Board was held"), "{}", release.texts.en);
    });
}

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

fn written(titles: Texts, texts: Texts, tags: Tags) -> Command {
    Command::WriteRelease(WriteRelease { unit: unit("BAK"), titles, texts, tags })
}

fn in_az_and_en() -> (Texts, Texts) {
    (
        Texts { az: "Yol polisinin reydi".into(), en: "A traffic check".into(), ..Texts::default() },
        Texts {
            az: "Bakıda reyd keçirilib.".into(),
            en: "  Officers checked drivers in Baku.  ".into(),
            ..Texts::default()
        },
    )
}

/// Publishes a written release at `at` (civil time), or at once.
fn write_and_publish(env: &Env, at: Option<&str>) -> Uuid {
    let (titles, texts) = in_az_and_en();
    let tags = Tags { units: vec![unit("BAK")], topics: vec!["traffic".into()] };
    let id = by(env, &press_officer(), written(titles, texts, tags)).entity_id;
    by(env, &press_officer(), Command::ApproveRelease(ApproveRelease { release_id: id }));
    let at = at.map(|a| a.parse().unwrap());
    by(env, &press_officer(), Command::PublishRelease(PublishRelease { release_id: id, at }));
    id
}

#[test]
fn a_release_written_from_scratch_is_in_the_languages_it_has_with_its_tags_once() {
    each_backend(|env| {
        let (titles, texts) = in_az_and_en();
        let tags = Tags {
            units: vec![unit("BAK"), unit("BAK-NSM"), unit("BAK")],
            topics: vec!["traffic".into(), "prevention".into(), "traffic".into()],
        };
        let id = by(env, &press_officer(), written(titles, texts, tags)).entity_id;
        let release = env.registry.release(id).unwrap();
        assert_eq!((release.meeting_id, release.held_on, release.status), (None, None, ReleaseStatus::Draft));
        assert_eq!(release.languages(), vec![Language::Az, Language::En]);
        assert_eq!(release.texts.en, "Officers checked drivers in Baku.", "trimmed");
        assert_eq!(release.tags.units, vec![unit("BAK"), unit("BAK-NSM")]);
        assert_eq!(release.tags.topics, vec!["traffic".to_string(), "prevention".to_string()]);
        assert!(release.concerns(&unit("BAK-NSM")) && !release.concerns(&unit("AZ")));
        let row = env.registry.get(id).unwrap();
        assert_eq!((row.day, row.parent, row.number.starts_with("PR-BAK-")), (day("2024-04-19"), None, true));
        // A language added later, with its title; the tags changed with it.
        let ru = EditRelease {
            release_id: id,
            lang: Language::Ru,
            text: "Рейд в Баку.".into(),
            title: Some("Рейд дорожной полиции".into()),
            tags: Some(Tags { units: vec![], topics: vec!["traffic".into()] }),
        };
        by(env, &press_officer(), Command::EditRelease(ru));
        let release = env.registry.release(id).unwrap();
        assert_eq!(release.languages(), Language::ALL.to_vec());
        assert_eq!((release.titles.ru.as_str(), release.tags.units.len()), ("Рейд дорожной полиции", 0));
    });
}

#[test]
fn a_written_release_is_refused_at_the_field_and_the_rule() {
    each_backend(|env| {
        let nothing = written(Texts::default(), Texts { ru: "  ".into(), ..Texts::default() }, Tags::default());
        assert_rule(&rejected_for_press(env, nothing), "texts", "release.no_language");
        let half = written(
            Texts { ru: "Заголовок".into(), ..Texts::default() },
            Texts { en: "A text {{fig:0}}".into(), ..Texts::default() },
            Tags { units: vec![unit("NOWHERE")], topics: vec!["weather".into()] },
        );
        let found = rejected_for_press(env, half);
        assert_rule(&found, "texts.ru", "text.required");
        assert_rule(&found, "titles.en", "text.required");
        assert_rule(&found, "texts.en", "release.unknown_figure");
        assert_rule(&found, "tags.units", "unit.unknown");
        assert_rule(&found, "tags.topics", "release.unknown_topic");
        let long = written(
            Texts { az: "x".repeat(201), ..Texts::default() },
            Texts { az: "Mətn".into(), ..Texts::default() },
            Tags::default(),
        );
        assert_rule(&rejected_for_press(env, long), "titles.az", "text.too_long");
        let (titles, texts) = in_az_and_en();
        let crowded = written(titles, texts, Tags { units: vec![unit("BAK"); 21], topics: vec![] });
        assert_rule(&rejected_for_press(env, crowded), "tags.units", "release.too_many_units");
    });
}

#[test]
fn a_meetings_draft_is_tagged_with_its_unit_and_the_board() {
    each_backend(|env| {
        let meeting = held_meeting(env);
        let release = env.registry.release(by(env, &press_officer(), draft(meeting)).entity_id).unwrap();
        assert_eq!(release.tags, Tags { units: vec![unit("AZ")], topics: vec!["board".into()] });
        assert_eq!(release.languages(), Language::ALL.to_vec(), "the system drafts all three");
    });
}

#[test]
fn a_scheduled_release_reaches_the_public_at_its_civil_moment_and_not_before() {
    each_backend_with_clock(|env, clock| {
        // NOW is 14:00 in Baku (UTC+4): a moment before it is refused, nothing written.
        let (titles, texts) = in_az_and_en();
        let id = by(env, &press_officer(), written(titles, texts, Tags::default())).entity_id;
        by(env, &press_officer(), Command::ApproveRelease(ApproveRelease { release_id: id }));
        let past = PublishRelease { release_id: id, at: Some("2024-04-19T13:59:00".parse().unwrap()) };
        assert_rule(&rejected_for_press(env, Command::PublishRelease(past)), "at", "release.schedule_past");
        let moment = "2024-04-19T18:30:00".parse().unwrap();
        by(env, &press_officer(), Command::PublishRelease(PublishRelease { release_id: id, at: Some(moment) }));
        let release = env.registry.release(id).unwrap();
        assert_eq!((release.status, release.publish_at), (ReleaseStatus::Published, Some(moment)));
        let listed = env.registry.published_releases().unwrap();
        assert_eq!(listed.iter().map(|r| r.id).collect::<Vec<_>>(), vec![id], "listed with the published");
        let civil = |clock: &std::sync::atomic::AtomicI64| {
            let now = chrono::DateTime::from_timestamp_micros(clock.load(std::sync::atomic::Ordering::SeqCst)).unwrap();
            env.registry.jurisdiction().rules.local_time(now)
        };
        assert!(!release.is_public_at(civil(clock)), "not before its moment");
        clock.store(at("2024-04-19T14:30:00Z").timestamp_micros(), std::sync::atomic::Ordering::SeqCst);
        assert!(release.is_public_at(civil(clock)), "from its moment, 18:30 in Baku");
        let now_published = write_and_publish(env, None);
        let at_once = env.registry.release(now_published).unwrap();
        assert_eq!(at_once.public_from(), Some(day("2024-04-19").and_hms_opt(0, 0, 0).unwrap()));
    });
}
