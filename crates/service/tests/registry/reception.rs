//! A chief's receptions of citizens: sessions scheduled, places booked and
//! given up, the record of who came and what came of each matter; each rule
//! shown by an input that breaks it, the search finding a visitor however
//! the name is written, the schedule read, and access by role and unit.
//! "Now" is 19 April 2024, 14:00 in Baku.

use crate::support::*;
use crimeboard_domain::access::{Denied, Role};
use crimeboard_domain::act::Annul;
use crimeboard_domain::reception::{
    BookedVia, Booking, CancelBooking, CancelReception, Chief, Heard, NewReception, Outcome, ReceptionRecord, Visitor,
};
use crimeboard_domain::{Command, EntityKind};
use crimeboard_service::audit::Audited;
use crimeboard_service::{ListParams, ServiceError, Submission};
use uuid::Uuid;

fn time(s: &str) -> chrono::NaiveTime {
    chrono::NaiveTime::parse_from_str(s, "%H:%M").unwrap()
}

pub fn chief(name: &str) -> Chief {
    Chief { full_name: name.into(), position: "Polis şöbəsinin rəisi".into() }
}

/// A session of Colonel Əliyev in `unit` on `day` from `from` to `to`.
pub fn session(unit_code: &str, day: &str, from: &str, to: &str, capacity: u32) -> NewReception {
    NewReception {
        unit: unit(unit_code),
        chief: chief("Əliyev Rauf"),
        day: day.parse().unwrap(),
        from: time(from),
        to: time(to),
        place: "Şöbənin qəbul otağı".into(),
        capacity,
        note: String::new(),
    }
}

pub fn booking(reception_id: Uuid, name: &str) -> Booking {
    Booking {
        reception_id,
        visitor: Visitor { full_name: name.into(), phone: Some("+994 50 555 12 34".into()), email: None },
        subject: "Qonşu ilə torpaq mübahisəsi".into(),
        booked_via: BookedVia::Telephone,
    }
}

fn heard(place: Option<u32>, name: &str, outcome: Outcome) -> Heard {
    Heard { place, full_name: name.into(), subject: "Torpaq mübahisəsi".into(), outcome, note: String::new() }
}

pub fn record_of(reception_id: Uuid, visitors: Vec<Heard>, absent: Vec<u32>) -> ReceptionRecord {
    ReceptionRecord { reception_id, held_by: chief("Əliyev Rauf"), visitors, absent }
}

/// A session of `chief_name` today from 16:00, after now: it takes bookings
/// and, being today, its record.
fn today(env: &Env, capacity: u32, chief_name: &str) -> Uuid {
    let mut s = session("BAK-NSM", "2024-04-19", "16:00", "18:00", capacity);
    s.chief = chief(chief_name);
    ok(env, Command::ScheduleReception(s)).entity_id
}

fn book(env: &Env, id: Uuid, name: &str) {
    ok(env, Command::BookReception(booking(id, name)));
}

#[test]
fn a_session_is_booked_then_held_with_each_visitor_heard_and_its_appeals_kept() {
    each_backend(|env| {
        let receipt = ok(env, Command::ScheduleReception(session("BAK-NSM", "2024-04-19", "16:00", "18:00", 3)));
        assert!(receipt.number.as_deref().is_some_and(|n| n.starts_with("RC-")), "{:?}", receipt.number);
        let id = receipt.entity_id;
        book(env, id, "Məmmədov Elçin");
        book(env, id, "Quliyeva Sevinc");
        ok(
            env,
            Command::CancelBooking(CancelBooking {
                reception_id: id,
                place: 2,
                reason: "Zəng edib imtina etdi".into(),
            }),
        );
        let view = env.registry.reception(id).unwrap();
        let places: Vec<(u32, bool)> =
            view.reception.bookings.iter().map(|b| (b.place, b.cancelled.is_some())).collect();
        assert_eq!(places, [(1, false), (2, true)], "a given-up place keeps its number");
        assert_eq!(view.reception.free_places(), 2);
        assert_eq!(view.reception.bookings[0].booked_on.to_string(), "2024-04-19");
        let record = env.registry.get(id).unwrap();
        assert_eq!((record.status.as_str(), record.day.to_string().as_str()), ("scheduled", "2024-04-19"));

        let visitors = vec![
            heard(Some(1), "Məmmədov Elçin", Outcome::SettledOnTheSpot),
            heard(None, "Hüseynova Aynur", Outcome::AppealToRegister),
            heard(None, "Rzayev Anar", Outcome::ReferredElsewhere { body: "Bakı şəhər İcra Hakimiyyəti".into() }),
        ];
        ok(env, Command::RecordReception(record_of(id, visitors, vec![])));
        let held = env.registry.reception(id).unwrap().reception;
        assert_eq!(held.status(), "held");
        let appeals: Vec<&str> = held.appeals_to_register().map(|v| v.full_name.as_str()).collect();
        assert_eq!(appeals, ["Hüseynova Aynur"], "the matter to become a written appeal is kept per visitor");
        let listed = env
            .registry
            .list(&ListParams { kind: Some(EntityKind::Reception), status: Some("held".into()), ..Default::default() })
            .unwrap();
        assert_eq!(listed.items.iter().map(|r| r.id).collect::<Vec<_>>(), [id], "on {}", env.db.name);
    });
}

#[test]
fn each_rule_of_a_session_is_broken_by_an_input() {
    each_backend(|env| {
        let reversed = session("BAK-NSM", "2024-04-22", "12:00", "12:00", 5);
        assert_rule(&rejected(env, Command::ScheduleReception(reversed)), "to", "reception.hours_reversed");
        let no_places = session("BAK-NSM", "2024-04-22", "10:00", "12:00", 0);
        assert_rule(&rejected(env, Command::ScheduleReception(no_places)), "capacity", "number.range");
        let past = session("BAK-NSM", "2024-04-18", "10:00", "12:00", 5);
        assert_rule(&rejected(env, Command::ScheduleReception(past)), "day", "reception.day_past");
        let mut nameless = session("BAK-NSM", "2024-04-22", "10:00", "12:00", 5);
        nameless.chief.full_name = " ".into();
        assert_rule(&rejected(env, Command::ScheduleReception(nameless)), "chief.full_name", "text.required");
    });
}

#[test]
fn a_chief_is_not_scheduled_twice_at_overlapping_hours_however_the_name_is_written() {
    each_backend(|env| {
        let first = ok(env, Command::ScheduleReception(session("BAK-NSM", "2024-04-22", "10:00", "13:00", 5)));
        let mut again = session("BAK-NSM", "2024-04-22", "12:00", "14:00", 5);
        again.chief.full_name = "Алиев Рауф".into();
        let found = rejected(env, Command::ScheduleReception(again.clone()));
        assert_rule(&found, "from", "reception.chief_overlap");
        // Another chief at the same hours, the same chief after the first ends, or another day: all fine.
        let mut deputy = again.clone();
        deputy.chief = chief("Həsənov Tural");
        ok(env, Command::ScheduleReception(deputy));
        ok(env, Command::ScheduleReception(session("BAK-NSM", "2024-04-22", "13:00", "15:00", 5)));
        ok(env, Command::ScheduleReception(session("BAK-NSM", "2024-04-23", "10:00", "13:00", 5)));
        // A session called off frees its hours.
        let called_off =
            CancelReception { reception_id: first.entity_id, reason: "Ezamiyyət".into(), visitors_told: true };
        ok(env, Command::CancelReception(called_off));
        again.to = time("12:30");
        ok(env, Command::ScheduleReception(again));
    });
}

#[test]
fn a_batch_scheduling_the_same_chief_twice_at_once_is_refused_at_the_later_session_and_writes_nothing() {
    each_backend(|env| {
        let submit = |r: NewReception| Submission {
            actor: "officer-1".into(),
            legal_ground: "Qəbul cədvəli".into(),
            command: Command::ScheduleReception(r),
            late: None,
        };
        let batch = [
            submit(session("BAK-NSM", "2024-04-24", "10:00", "11:00", 5)),
            submit(session("BAK-NSM", "2024-04-25", "10:00", "11:00", 5)),
            submit(session("BAK-NSM", "2024-04-24", "10:30", "11:30", 5)),
        ];
        let before = env.registry.store().position().unwrap();
        match record_all(&env.registry, &batch) {
            Err(ServiceError::BatchItem { index: 2, rejected }) => {
                assert_eq!(rejected.rules().collect::<Vec<_>>(), ["reception.chief_overlap"])
            }
            other => panic!("expected the third session refused, got {other:?}"),
        }
        assert_eq!(env.registry.store().position().unwrap(), before, "on {}", env.db.name);
        assert_eq!(record_all(&env.registry, &batch[..2]).unwrap().len(), 2);
    });
}

#[test]
fn each_rule_of_a_booking_is_broken_by_an_input() {
    each_backend(|env| {
        let full = today(env, 1, "Əliyev Rauf");
        book(env, full, "Məmmədov Elçin");
        assert_rule(
            &rejected(env, Command::BookReception(booking(full, "Quliyev Orxan"))),
            "reception_id",
            "reception.full",
        );
        // Today 10:00–12:00 began before now (14:00 in Baku).
        let morning =
            ok(env, Command::ScheduleReception(session("BAK-NSM", "2024-04-19", "10:00", "12:00", 5))).entity_id;
        assert_rule(
            &rejected(env, Command::BookReception(booking(morning, "Quliyev Orxan"))),
            "reception_id",
            "reception.started",
        );
        let called_off =
            ok(env, Command::ScheduleReception(session("BAK-NSM", "2024-04-26", "10:00", "12:00", 5))).entity_id;
        ok(
            env,
            Command::CancelReception(CancelReception {
                reception_id: called_off,
                reason: "Xəstəlik".into(),
                visitors_told: false,
            }),
        );
        assert_rule(
            &rejected(env, Command::BookReception(booking(called_off, "Quliyev Orxan"))),
            "reception_id",
            "reception.cancelled",
        );
        let held = today(env, 5, "Həsənov Tural");
        ok(env, Command::RecordReception(record_of(held, vec![], vec![])));
        assert_rule(
            &rejected(env, Command::BookReception(booking(held, "Quliyev Orxan"))),
            "reception_id",
            "reception.already_held",
        );
        let mut mailed = booking(full, "Quliyev Orxan");
        mailed.visitor.email = Some("orxan.mail.az".into());
        assert_rule(&rejected(env, Command::BookReception(mailed)), "visitor.email", "reception.email_format");
        let mut unnamed = booking(full, "");
        unnamed.visitor.phone = Some("0".repeat(41));
        let found = rejected(env, Command::BookReception(unnamed));
        assert_rule(&found, "visitor.full_name", "text.required");
        assert_rule(&found, "visitor.phone", "text.too_long");
        let mut silent = booking(full, "Quliyev Orxan");
        silent.subject = String::new();
        assert_rule(&rejected(env, Command::BookReception(silent)), "subject", "text.required");
        let not_a_session = report(env, "2024-04-18T08:00:00Z").entity_id;
        assert_rule(
            &rejected(env, Command::BookReception(booking(not_a_session, "Quliyev Orxan"))),
            "reception_id",
            "reference.wrong_kind",
        );
    });
}

#[test]
fn a_place_given_up_must_be_booked_and_given_up_once() {
    each_backend(|env| {
        let id = today(env, 3, "Əliyev Rauf");
        book(env, id, "Məmmədov Elçin");
        let cancel =
            |place| Command::CancelBooking(CancelBooking { reception_id: id, place, reason: "İmtina".into() });
        assert_rule(&rejected(env, cancel(2)), "place", "reception.no_such_place");
        assert_rule(&rejected(env, cancel(0)), "place", "reception.no_such_place");
        ok(env, cancel(1));
        assert_rule(&rejected(env, cancel(1)), "place", "reception.booking_cancelled");
        assert_eq!(env.registry.reception(id).unwrap().reception.free_places(), 3);
    });
}

#[test]
fn each_rule_of_a_record_is_broken_by_an_input() {
    each_backend(|env| {
        let later =
            ok(env, Command::ScheduleReception(session("BAK-NSM", "2024-04-25", "10:00", "12:00", 5))).entity_id;
        assert_rule(
            &rejected(env, Command::RecordReception(record_of(later, vec![], vec![]))),
            "reception_id",
            "reception.not_yet_day",
        );

        let id = today(env, 5, "Əliyev Rauf");
        book(env, id, "Məmmədov Elçin");
        book(env, id, "Quliyeva Sevinc");
        let first = || heard(Some(1), "Məmmədov Elçin", Outcome::SettledOnTheSpot);
        // Place 2 neither heard nor absent.
        let found = rejected(env, Command::RecordReception(record_of(id, vec![first()], vec![])));
        assert_rule(&found, "absent", "reception.place_unaccounted");
        // Place 1 both heard and absent.
        let found = rejected(env, Command::RecordReception(record_of(id, vec![first()], vec![1, 2])));
        assert_rule(&found, "absent[0]", "reception.place_twice");
        let found = rejected(env, Command::RecordReception(record_of(id, vec![first()], vec![2, 7])));
        assert_rule(&found, "absent[1]", "reception.no_such_place");
        let nowhere = heard(None, "Rzayev Anar", Outcome::ReferredElsewhere { body: String::new() });
        let found = rejected(env, Command::RecordReception(record_of(id, vec![first(), nowhere], vec![2])));
        assert_rule(&found, "visitors[1].outcome.body", "text.required");

        ok(env, Command::RecordReception(record_of(id, vec![first()], vec![2])));
        let twice = rejected(env, Command::RecordReception(record_of(id, vec![first()], vec![2])));
        assert_rule(&twice, "reception_id", "reception.already_held");
        let cancel = CancelReception { reception_id: id, reason: "Gec".into(), visitors_told: false };
        assert_rule(&rejected(env, Command::CancelReception(cancel)), "reception_id", "reception.already_held");

        let called_off = today(env, 5, "Həsənov Tural");
        let cancel = CancelReception { reception_id: called_off, reason: "Ezamiyyət".into(), visitors_told: true };
        ok(env, Command::CancelReception(cancel.clone()));
        assert_eq!(env.registry.get(called_off).unwrap().status, "cancelled");
        let found = rejected(env, Command::RecordReception(record_of(called_off, vec![], vec![])));
        assert_rule(&found, "reception_id", "reception.cancelled");
        assert_rule(&rejected(env, Command::CancelReception(cancel)), "reception_id", "reception.cancelled");
    });
}

#[test]
fn a_visitor_is_found_by_a_name_written_in_another_script() {
    each_backend(|env| {
        let id = today(env, 3, "Əliyev Rauf");
        book(env, id, "Məmmədov Elçin");
        let other = today(env, 3, "Həsənov Tural");
        book(env, other, "Quliyeva Sevinc");
        for q in ["Мамедов", "Mammadov", "Məmmədov"] {
            let params = ListParams { kind: Some(EntityKind::Reception), q: Some(q.into()), ..Default::default() };
            let found: Vec<Uuid> = env.registry.list(&params).unwrap().items.iter().map(|r| r.id).collect();
            assert_eq!(found, [id], "{q} on {}", env.db.name);
        }
        // A walk-in heard at the record is found too.
        ok(
            env,
            Command::RecordReception(record_of(
                other,
                vec![heard(None, "Hüseynova Aynur", Outcome::AppealToRegister)],
                vec![1],
            )),
        );
        let params =
            ListParams {
                kind: Some(EntityKind::Reception), q: Some("Гусейнова".into()), ..Default::default()
            };
        let found: Vec<Uuid> = env.registry.list(&params).unwrap().items.iter().map(|r| r.id).collect();
        assert_eq!(found, [other], "on {}", env.db.name);
    });
}

#[test]
fn a_units_schedule_lists_its_own_sessions_in_order_with_places_free() {
    each_backend(|env| {
        let later =
            ok(env, Command::ScheduleReception(session("BAK-NSM", "2024-04-24", "10:00", "12:00", 2))).entity_id;
        let first = today(env, 3, "Əliyev Rauf");
        book(env, first, "Məmmədov Elçin");
        ok(env, Command::ScheduleReception(session("BAK-YAS", "2024-04-22", "10:00", "12:00", 2)));
        ok(env, Command::ScheduleReception(session("BAK-NSM", "2024-05-20", "10:00", "12:00", 2)));
        let day = |s: &str| s.parse().unwrap();
        let schedule = env.registry.reception_schedule("BAK-NSM", day("2024-04-19"), day("2024-04-30")).unwrap();
        let seen: Vec<(Uuid, u32, u32)> = schedule.iter().map(|s| (s.id, s.booked, s.free)).collect();
        assert_eq!(seen, [(first, 1, 2), (later, 0, 2)], "on {}", env.db.name);
        let reversed = env.registry.reception_schedule("BAK-NSM", day("2024-04-30"), day("2024-04-19"));
        match reversed {
            Err(ServiceError::Rejected(r)) => assert_eq!(r.rules().collect::<Vec<_>>(), ["date.range_reversed"]),
            other => panic!("expected a rejection, got {other:?}"),
        }
        match env.registry.reception_schedule("NOWHERE", day("2024-04-19"), day("2024-04-30")) {
            Err(ServiceError::Rejected(r)) => assert_eq!(r.rules().collect::<Vec<_>>(), ["unit.unknown"]),
            other => panic!("expected a rejection, got {other:?}"),
        }
    });
}

#[test]
fn a_chief_manages_receptions_in_their_units_and_the_desk_only_books() {
    each_backend(|env| {
        let submission =
            |command| Submission { actor: "x".into(), legal_ground: "Qəbul qaydaları".into(), command, late: None };
        let schedule = || Command::ScheduleReception(session("BAK-NSM", "2024-04-22", "10:00", "12:00", 5));
        let before = env.registry.store().position().unwrap();
        let outsider = person("yas-chief", Role::UnitChief, "BAK-YAS");
        let refused = env.registry.record(&outsider, &submission(schedule()), &Audited::No);
        assert!(matches!(refused, Err(ServiceError::Denied(Denied::Scope))), "{refused:?}");
        let desk = person("duty", Role::DutyOfficer, "BAK-NSM");
        let refused = env.registry.record(&desk, &submission(schedule()), &Audited::No);
        assert!(matches!(refused, Err(ServiceError::Denied(Denied::Role))), "{refused:?}");
        let admin = person("admin", Role::Administrator, "AZ");
        let refused = env.registry.record(&admin, &submission(schedule()), &Audited::No);
        assert!(matches!(refused, Err(ServiceError::Denied(Denied::Role))), "{refused:?}");
        assert_eq!(env.registry.store().position().unwrap(), before, "nothing written on {}", env.db.name);

        // The city's chief schedules in a district below; the district's desk books in it.
        let city = person("bak-chief", Role::UnitChief, "BAK");
        let id = env.registry.record(&city, &submission(schedule()), &Audited::No).unwrap().entity_id;
        env.registry
            .record(&desk, &submission(Command::BookReception(booking(id, "Məmmədov Elçin"))), &Audited::No)
            .unwrap();
        let other_desk = person("yas-duty", Role::DutyOfficer, "BAK-YAS");
        let refused =
            env.registry.record(&other_desk, &submission(Command::BookReception(booking(id, "Quliyev"))), &Audited::No);
        assert!(matches!(refused, Err(ServiceError::Denied(Denied::Scope))), "{refused:?}");
    });
}

#[test]
fn a_booking_annulled_under_a_record_is_refused_and_one_before_it_frees_its_place() {
    each_backend(|env| {
        let held = today(env, 3, "Əliyev Rauf");
        let first = submit(env, Command::BookReception(booking(held, "Məmmədov Elçin"))).unwrap();
        book(env, held, "Quliyeva Sevinc");
        let heard = vec![heard(Some(1), "Məmmədov Elçin", Outcome::SettledOnTheSpot)];
        ok(env, Command::RecordReception(record_of(held, heard, vec![2])));
        // Without the first booking the second would be place 1, which the record does not name.
        let annul = Annul { unit: unit("BAK-NSM"), seq: first.seq, reason: "Booked by mistake".into() };
        assert_rule(&rejected(env, Command::Annul(annul)), "absent[0]", "reception.no_such_place");

        let open = today(env, 1, "Həsənov Tural");
        let mistaken = submit(env, Command::BookReception(booking(open, "Məmmədov Elçin"))).unwrap();
        ok(env, Command::Annul(Annul { unit: unit("BAK-NSM"), seq: mistaken.seq, reason: "Booked twice".into() }));
        assert_eq!(env.registry.reception(open).unwrap().reception.free_places(), 1, "on {}", env.db.name);
        book(env, open, "Quliyeva Sevinc");
    });
}
