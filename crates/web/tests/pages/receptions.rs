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
