//! Chiefs' receptions on the staff pages: a session scheduled and a place
//! booked through the forms, the unit's schedule counting the places, the
//! session's page with its bookings, the register's list, a refused form,
//! and the pages refused to whom they are not for.

use crate::helpers::*;
use crate::support::each_backend;
use axum::http::StatusCode;
use crimeboard_domain::access::Role;

const GROUND: (&str, &str) = ("legal_ground", "Vətəndaşların müraciətləri haqqında Qanun");

#[test]
fn a_session_is_scheduled_and_booked_through_the_forms_and_the_schedule_counts_its_places() {
    each_backend(|app| async move {
        let chief = sign_in(&app, "nsm-chief", Role::UnitChief, "BAK-NSM", &[]).await;
        let officer = sign_in(&app, "apl", Role::AppealsOfficer, "BAK-NSM", &[]).await;
        let scheduled = post_as(
            &app,
            "/receptions/new",
            &[
                ("unit", "BAK-NSM"),
                ("chief.full_name", "Polkovnik Əliyev"),
                ("chief.position", "Rəis"),
                ("day", "2024-04-25"),
                ("from", "10:00"),
                ("to", "13:00"),
                ("place", "Nəsimi RPŞ, 2-ci mərtəbə"),
                ("capacity", "3"),
                GROUND,
            ],
            Some(&chief),
        )
        .await;
        let session = location(&scheduled);
        assert!(session.starts_with("/receptions/"), "{session}");
        let booked = post_as(
            &app,
            &format!("{session}/book"),
            &[
                ("visitor.full_name", "Həsənova Aygün"),
                ("visitor.phone", "+994 50 123 45 67"),
                ("subject", "Qonşuluq mübahisəsi"),
                ("booked_via", "telephone"),
                GROUND,
            ],
            Some(&officer),
        )
        .await;
        assert_eq!(location(&booked), session);
        for lang in ["az", "ru", "en"] {
            let page = html(&get_as(&app, &format!("{session}?lang={lang}"), Some(&chief)).await, StatusCode::OK, lang);
            assert!(page.contains("Həsənova Aygün") && page.contains("Qonşuluq mübahisəsi"), "{page}");
            let schedule = html(
                &get_as(&app, &format!("/receptions/schedule?unit=BAK-NSM&lang={lang}"), Some(&officer)).await,
                StatusCode::OK,
                lang,
            );
            assert!(schedule.contains(&format!("href=\"{session}/book\"")), "{schedule}");
            assert!(
                schedule.contains("<td class=\"num\">1</td><td class=\"num\">2</td>"),
                "1 booked, 2 free: {schedule}"
            );
        }
        let page = html(&get_as(&app, &session, Some(&chief)).await, StatusCode::OK, "az");
        assert!(page.contains("id=\"reception-free\">2<"), "{page}");
        // The register's list, searched by the chief's name.
        let list = html(&get_as(&app, "/receptions?q=%C6%8Fliyev", Some(&chief)).await, StatusCode::OK, "az");
        assert!(list.contains(&format!("href=\"{session}\"")), "{list}");
        let list = html(&get_as(&app, "/receptions?status=cancelled", Some(&chief)).await, StatusCode::OK, "az");
        assert!(!list.contains(&format!("href=\"{session}\"")), "{list}");
        // Whom the pages are not for: a forensic expert reads no session, books none.
        let expert = sign_in(&app, "exp", Role::ForensicExpert, "BAK-NSM", &[]).await;
        for path in
            [session.clone(), format!("{session}/book"), "/receptions/schedule".into(), "/receptions/new".into()]
        {
            html(&get_as(&app, &path, Some(&expert)).await, StatusCode::FORBIDDEN, "az");
        }
        // The appeals office books places but schedules no sessions and reads no session's names.
        html(&get_as(&app, "/receptions/new", Some(&officer)).await, StatusCode::FORBIDDEN, "az");
        html(&get_as(&app, &session, Some(&officer)).await, StatusCode::FORBIDDEN, "az");
        let schedule = html(&get_as(&app, "/receptions/schedule", Some(&chief)).await, StatusCode::OK, "az");
        assert!(schedule.contains(&format!("href=\"{session}\"")), "the chief opens the session itself: {schedule}");
    });
}

#[test]
fn a_refused_schedule_form_names_each_problem_at_its_field_and_writes_nothing() {
    each_backend(|app| async move {
        let chief = sign_in(&app, "nsm-chief", Role::UnitChief, "BAK-NSM", &[]).await;
        let before = position(&app).await;
        let refused = post_as(
            &app,
            "/receptions/new?lang=en",
            &[
                ("unit", "BAK-NSM"),
                ("chief.position", "Rəis"),
                ("day", "2024-04-25"),
                ("from", "ten"),
                ("to", "13:00"),
                ("place", "Nəsimi RPŞ"),
                ("capacity", "3"),
                GROUND,
            ],
            Some(&chief),
        )
        .await;
        let page = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en");
        let at = |control: &str| {
            page.split(&format!("id=\"f-{control}-error\"")).nth(1).map(|r| r.split("</p>").next().unwrap().to_string())
        };
        assert!(at("from").unwrap_or_default().contains("Enter a time"), "{page}");
        assert!(at("chief-full_name").is_some(), "{page}");
        // A session on a day past, refused by the domain's rule.
        let refused = post_as(
            &app,
            "/receptions/new?lang=ru",
            &[
                ("unit", "BAK-NSM"),
                ("chief.full_name", "Polkovnik Əliyev"),
                ("chief.position", "Rəis"),
                ("day", "2024-04-01"),
                ("from", "10:00"),
                ("to", "13:00"),
                ("place", "Nəsimi RPŞ"),
                ("capacity", "3"),
                GROUND,
            ],
            Some(&chief),
        )
        .await;
        let page = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "ru");
        assert!(page.contains("id=\"f-day-error\""), "{page}");
        assert_eq!(position(&app).await, before);
    });
}

/// A session today (the tests' clock is 19 April 2024, 14:00 in Baku) from
/// 15:00, so it can be booked now and recorded once it is held.
async fn session_today(app: &crate::support::App, chief: &Session) -> String {
    let scheduled = post_as(
        app,
        "/receptions/new",
        &[
            ("unit", "BAK-NSM"),
            ("chief.full_name", "Polkovnik Əliyev"),
            ("chief.position", "Rəis"),
            ("day", "2024-04-19"),
            ("from", "15:00"),
            ("to", "17:00"),
            ("place", "Nəsimi RPŞ, 2-ci mərtəbə"),
            ("capacity", "4"),
            GROUND,
        ],
        Some(chief),
    )
    .await;
    location(&scheduled)
}

async fn book(app: &crate::support::App, session: &str, name: &str, subject: &str, by: &Session) {
    let fields = [("visitor.full_name", name), ("subject", subject), ("booked_via", "telephone"), GROUND];
    let booked = post_as(app, &format!("{session}/book"), &fields, Some(by)).await;
    assert_eq!(location(&booked), session);
}

/// The text of the error shown at a control, if any.
fn error_at(page: &str, control: &str) -> Option<String> {
    page.split(&format!("id=\"f-{control}-error\"")).nth(1).map(|r| r.split("</p>").next().unwrap().to_string())
}

#[test]
fn a_place_is_given_up_and_a_session_recorded_through_the_forms_heard_absent_and_walk_ins() {
    each_backend(|app| async move {
        let chief = sign_in(&app, "nsm-chief", Role::UnitChief, "BAK-NSM", &[]).await;
        let officer = sign_in(&app, "apl", Role::AppealsOfficer, "BAK-NSM", &[]).await;
        let session = session_today(&app, &chief).await;
        book(&app, &session, "Həsənova Aygün", "Qonşuluq mübahisəsi", &officer).await;
        book(&app, &session, "Məmmədov Elçin", "Oğlunun işi", &officer).await;
        book(&app, &session, "Quliyev Anar", "Torpaq sahəsi", &officer).await;
        // The appeals office gives place 2 up from the booking form's link, by number alone.
        let form = html(&get_as(&app, &format!("{session}/book"), Some(&officer)).await, StatusCode::OK, "az");
        assert!(form.contains(&format!("href=\"{session}/give-up\"")), "{form}");
        let give_up = html(&get_as(&app, &format!("{session}/give-up"), Some(&officer)).await, StatusCode::OK, "az");
        assert!(give_up.contains("<option value=\"2\">2</option>") && !give_up.contains("Məmmədov"), "{give_up}");
        let given_up = post_as(
            &app,
            &format!("{session}/give-up"),
            &[("place", "2"), ("reason", "Zəng edib gəlməyəcəyini bildirdi"), GROUND],
            Some(&officer),
        )
        .await;
        assert_eq!(location(&given_up), session);
        let again = post_as(
            &app,
            &format!("{session}/give-up?lang=en"),
            &[("place", "2"), ("reason", "x"), GROUND],
            Some(&officer),
        )
        .await;
        let page = html(&again, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(error_at(&page, "place").unwrap_or_default().contains("already given up"), "{page}");
        // The record form: the places still booked, then rows for walk-ins.
        let form = html(&get_as(&app, &format!("{session}/record?lang=en"), Some(&chief)).await, StatusCode::OK, "en");
        assert!(form.contains("Place 1: Həsənova Aygün") && form.contains("Place 3: Quliyev Anar"), "{form}");
        assert!(!form.contains("Place 2:") && form.contains("name=\"visitors.4.full_name\""), "{form}");
        let before = position(&app).await;
        // An outcome not chosen, said at its place in the user's language.
        let refused = post_as(
            &app,
            &format!("{session}/record?lang=ru"),
            &[
                ("held_by.full_name", "Polkovnik Əliyev"),
                ("held_by.position", "Rəis"),
                ("visitors.1.outcome", "settled_on_the_spot"),
                GROUND,
            ],
            Some(&chief),
        )
        .await;
        let page = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "ru");
        assert!(error_at(&page, "visitors-3-outcome").is_some(), "{page}");
        // Another body's matter with no body named, refused by the registry at that row.
        let refused = post_as(
            &app,
            &format!("{session}/record?lang=en"),
            &[
                ("held_by.full_name", "Polkovnik Əliyev"),
                ("held_by.position", "Rəis"),
                ("visitors.1.outcome", "settled_on_the_spot"),
                ("visitors.3.outcome", "absent"),
                ("visitors.5.full_name", "Rzayev Anar"),
                ("visitors.5.subject", "Kommunal məsələ"),
                ("visitors.5.outcome", "referred_elsewhere"),
                GROUND,
            ],
            Some(&chief),
        )
        .await;
        let page = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(error_at(&page, "visitors-5-outcome-body").is_some(), "{page}");
        assert_eq!(position(&app).await, before, "nothing is written");
        let recorded = post_as(
            &app,
            &format!("{session}/record"),
            &[
                ("held_by.full_name", "Polkovnik Əliyev"),
                ("held_by.position", "Rəis"),
                ("visitors.1.outcome", "appeal_to_register"),
                ("visitors.3.outcome", "absent"),
                ("visitors.5.full_name", "Rzayev Anar"),
                ("visitors.5.subject", "Kommunal məsələ"),
                ("visitors.5.outcome", "referred_elsewhere"),
                ("visitors.5.outcome.body", "Rayon İcra Hakimiyyəti"),
                GROUND,
            ],
            Some(&chief),
        )
        .await;
        assert_eq!(location(&recorded), session);
        let page = html(&get_as(&app, &format!("{session}?lang=en"), Some(&chief)).await, StatusCode::OK, "en");
        for said in [
            "A written appeal to register",
            "Another body's matter: Rayon İcra Hakimiyyəti",
            "Rzayev Anar",
            "Did not come",
        ] {
            assert!(page.contains(said), "{said} in {page}");
        }
        // The appeal made at it names the session on the registration form.
        let id = session.trim_start_matches("/receptions/");
        let form = html(&get_as(&app, "/appeals/new", Some(&officer)).await, StatusCode::OK, "az");
        assert!(form.contains(&format!("<option value=\"{id}\">RC-BAK-NSM-2024-")), "{form}");
        let appeal = |channel: &'static str| {
            [
                ("unit", "BAK-NSM"),
                ("addressed_to", "BAK-NSM"),
                ("channel", channel),
                ("reception_id", id),
                ("kind", "application"),
                ("received_at", "2024-04-19T13:55"),
                ("applicants.kind", "person"),
                ("applicants.person.full_name", "Həsənova Aygün"),
                ("subject", "Qonşuluq mübahisəsi"),
                ("text", "Qəbulda şifahi bildirilmişdir"),
                GROUND,
            ]
        };
        // Received on the session's day (the rule is by day; the clock stands at 14:00).
        let refused = post_as(&app, "/appeals/new?lang=en", &appeal("written"), Some(&officer)).await;
        let page = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(error_at(&page, "channel").is_some(), "a written appeal names no reception: {page}");
        let registered = post_as(&app, "/appeals/new", &appeal("reception"), Some(&officer)).await;
        let appeal_page = location(&registered);
        assert!(appeal_page.starts_with("/appeals/"), "{appeal_page}");
        let (registry, id) = (app.registry.clone(), id.parse().unwrap());
        let view = tokio::task::spawn_blocking(move || registry.reception(id).unwrap()).await.unwrap();
        assert_eq!(view.produced.len(), 1, "the session lists the appeal it produced");
    });
}

#[test]
fn a_session_is_called_off_through_its_form_and_takes_no_more_bookings() {
    each_backend(|app| async move {
        let chief = sign_in(&app, "nsm-chief", Role::UnitChief, "BAK-NSM", &[]).await;
        let officer = sign_in(&app, "apl", Role::AppealsOfficer, "BAK-NSM", &[]).await;
        let session = session_today(&app, &chief).await;
        book(&app, &session, "Həsənova Aygün", "Qonşuluq mübahisəsi", &officer).await;
        let page = html(&get_as(&app, &session, Some(&chief)).await, StatusCode::OK, "az");
        for action in ["give-up", "record", "call-off"] {
            assert!(page.contains(&format!("href=\"{session}/{action}\"")), "{action}: {page}");
        }
        html(&get_as(&app, &format!("{session}/call-off"), Some(&officer)).await, StatusCode::FORBIDDEN, "az");
        let before = position(&app).await;
        let refused = post_as(&app, &format!("{session}/call-off?lang=az"), &[GROUND], Some(&chief)).await;
        let page = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "az");
        assert!(error_at(&page, "reason").is_some(), "{page}");
        assert_eq!(position(&app).await, before);
        let called_off = post_as(
            &app,
            &format!("{session}/call-off"),
            &[("reason", "Rəis Nazirliyə çağırılıb"), ("visitors_told", "true"), GROUND],
            Some(&chief),
        )
        .await;
        assert_eq!(location(&called_off), session);
        let page = html(&get_as(&app, &session, Some(&chief)).await, StatusCode::OK, "az");
        assert!(!page.contains(&format!("href=\"{session}/record\"")), "{page}");
        let refused = post_as(
            &app,
            &format!("{session}/book?lang=en"),
            &[("visitor.full_name", "Quliyev Anar"), ("subject", "Torpaq"), ("booked_via", "desk"), GROUND],
            Some(&officer),
        )
        .await;
        let page = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(page.contains("called off"), "{page}");
    });
}
