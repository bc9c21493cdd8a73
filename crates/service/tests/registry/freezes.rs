//! Requests to banks and payment services to freeze an account of a case:
//! numbered, due the rules' hours after sending and queued until answered;
//! refused naming the rule when the identifier is not an account the case
//! holds, when an answer's amount does not fit its outcome, when more is
//! returned than frozen; a return is a reimbursement of the case, counted
//! once; annulments undo them; a card's clear number is nowhere.

use crate::support::*;
use crimeboard_domain::Command;
use crimeboard_domain::act::Annul;
use crimeboard_domain::case::{AddPerson, RecordDamage, Reimburse};
use crimeboard_domain::freeze::{AnswerFreeze, FreezeOutcome, NewFreeze, ReturnFrozen};
use crimeboard_domain::identifier::{
    AttachIdentifier, Identifier, IdentifierKey, IdentifierKind, Subject, SubjectKind,
};
use crimeboard_domain::person::{PersonInput, PersonRole};
use crimeboard_domain::{Entity, EntityKind};
use crimeboard_service::{ListParams, QueueParams, Queued};
use crimeboard_stats::Period;
use uuid::Uuid;

/// An account of the case's IBAN kind, as the tests' registries parse it.
pub fn iban() -> Identifier {
    parsed(IdentifierKind::Iban, "AZ21 NABZ 0000 0000 1370 1000 1944")
}

/// A case of BAK-NSM with a suspect and a victim, an IBAN attached to the
/// case, and damage of 5,000.00 to the victim.
pub struct Defrauded {
    pub case: Uuid,
    pub suspect: Uuid,
    pub victim: Uuid,
}

pub fn defrauded(env: &Env) -> Defrauded {
    let opened = case_with_suspect(env);
    let case = opened.entity_id;
    let victim = PersonInput { role: PersonRole::Victim, ..applicant("Həsənova Aygün") };
    let victim = ok(env, Command::AddPerson(AddPerson { case_id: case, person: victim })).person_ids[0];
    attach(env, case, iban());
    let damage = RecordDamage {
        case_id: case,
        amount_qepik: 500_000,
        victim_id: Some(victim),
        assessed_at: at("2024-04-04T09:00:00Z"),
    };
    ok(env, Command::RecordDamage(damage));
    Defrauded { case, suspect: opened.person_ids[0], victim }
}

pub fn attach(env: &Env, case: Uuid, identifier: Identifier) {
    let subject = Subject { kind: SubjectKind::Case, id: case };
    ok(env, Command::AttachIdentifier(AttachIdentifier { subject, record: case, identifier, note: None }));
}

pub fn new_freeze(case: Uuid, sent_at: &str) -> NewFreeze {
    NewFreeze {
        unit: unit("BAK-NSM"),
        case_id: case,
        institution: "Kapital Bank".into(),
        identifier: IdentifierKey::of(&iban()),
        amount_qepik: 300_000,
        sent_at: at(sent_at),
    }
}

pub fn answer(request: Uuid, outcome: FreezeOutcome, amount: i64) -> AnswerFreeze {
    AnswerFreeze {
        request_id: request,
        answered_at: at("2024-04-18T12:00:00Z"),
        outcome,
        amount_frozen_qepik: amount,
        note: None,
    }
}

fn give_back(fx: &Defrauded, request: Uuid, amount: i64) -> ReturnFrozen {
    ReturnFrozen {
        case_id: fx.case,
        request_id: request,
        victim_id: fx.victim,
        amount_qepik: amount,
        returned_at: at("2024-04-19T08:00:00Z"),
    }
}

/// A request sent on 18 April, answered frozen in full.
fn frozen(env: &Env, fx: &Defrauded) -> Uuid {
    let request = ok(env, Command::RequestFreeze(new_freeze(fx.case, "2024-04-18T08:00:00Z"))).entity_id;
    ok(env, Command::AnswerFreeze(answer(request, FreezeOutcome::Frozen, 300_000)));
    request
}

fn request_of(env: &Env, id: Uuid) -> crimeboard_domain::freeze::FreezeRequest {
    match Entity::from_state(EntityKind::Freeze, &env.registry.get(id).unwrap().state).unwrap() {
        Entity::Freeze(f) => f,
        other => panic!("not a freeze request: {other:?}"),
    }
}

fn case_of(env: &Env, id: Uuid) -> crimeboard_domain::case::CriminalCase {
    match Entity::from_state(EntityKind::Case, &env.registry.get(id).unwrap().state).unwrap() {
        Entity::Case(c) => c,
        other => panic!("not a case: {other:?}"),
    }
}

#[test]
fn a_request_is_numbered_shows_the_account_as_the_case_does_and_waits_in_its_units_queue() {
    each_backend(|env| {
        let fx = defrauded(env);
        // Sent yesterday morning: 24 hours later is overdue by now (19 April, 10:00).
        let late = ok(env, Command::RequestFreeze(new_freeze(fx.case, "2024-04-18T08:00:00Z")));
        // Sent yesterday afternoon: due today, not yet overdue.
        let soon = ok(env, Command::RequestFreeze(new_freeze(fx.case, "2024-04-18T14:00:00Z")));
        assert!(late.number.as_deref().unwrap().starts_with("FZ-BAK-NSM-2024-"), "{:?}", late.number);
        let request = request_of(env, late.entity_id);
        assert_eq!(request.deadline, at("2024-04-19T08:00:00Z"));
        assert_eq!(request.display, "AZ21 NABZ 0000 0000 1370 1000 1944");
        assert_eq!((request.status(), request.case_number.starts_with("C-BAK-NSM-")), ("sent", true));
        let queue = |unit: &str| {
            let q = QueueParams { register: Queued::Freezes, unit: Some(unit.into()), ..Default::default() };
            env.registry.queue(&q).unwrap()
        };
        let nsm = queue("BAK-NSM");
        let ids: Vec<Uuid> = nsm.items.iter().map(|r| r.id).collect();
        assert_eq!(ids, vec![late.entity_id, soon.entity_id], "nearest deadline first on {}", env.db.name);
        assert_eq!((nsm.total.waiting, nsm.total.overdue, nsm.total.due_today), (2, 1, 1), "on {}", env.db.name);
        assert!(queue("BAK-YAS").items.is_empty(), "another unit's queue holds none");
        // Answered, it leaves the queue; the case lists its requests.
        ok(env, Command::AnswerFreeze(answer(late.entity_id, FreezeOutcome::NoFunds, 0)));
        assert_eq!(queue("BAK-NSM").total.waiting, 1);
        assert_eq!(request_of(env, late.entity_id).status(), "no_funds");
        let listed = env
            .registry
            .list(&ListParams { kind: Some(EntityKind::Freeze), parent: Some(fx.case), ..Default::default() })
            .unwrap();
        assert_eq!(listed.items.len(), 2, "on {}", env.db.name);
    });
}

#[test]
fn a_request_names_an_account_the_case_or_its_persons_hold() {
    each_backend(|env| {
        let fx = defrauded(env);
        let phone_on_case = phone("+994 50 123 45 67");
        attach(env, fx.case, phone_on_case.clone());
        let not_an_account = NewFreeze { identifier: IdentifierKey::of(&phone_on_case), ..new_freeze(fx.case, NOW) };
        assert_rule(&rejected(env, Command::RequestFreeze(not_an_account)), "identifier.kind", "freeze.not_an_account");
        let elsewhere = parsed(IdentifierKind::Iban, "GB82 WEST 1234 5698 7654 32");
        let not_held = NewFreeze { identifier: IdentifierKey::of(&elsewhere), ..new_freeze(fx.case, NOW) };
        assert_rule(&rejected(env, Command::RequestFreeze(not_held)), "identifier", "freeze.identifier_not_on_case");
        // Attached to the suspect, the account may be named.
        let subject = Subject { kind: SubjectKind::Person, id: fx.suspect };
        let on_person = AttachIdentifier { subject, record: fx.case, identifier: elsewhere.clone(), note: None };
        ok(env, Command::AttachIdentifier(on_person));
        ok(
            env,
            Command::RequestFreeze(NewFreeze { identifier: IdentifierKey::of(&elsewhere), ..new_freeze(fx.case, NOW) }),
        );
    });
}

#[test]
fn a_request_with_bad_fields_is_refused_naming_each_and_writes_nothing() {
    each_backend(|env| {
        let fx = defrauded(env);
        let bad = NewFreeze {
            unit: unit("BAK-YAS"),
            institution: "  ".into(),
            amount_qepik: 0,
            sent_at: at("2024-04-20T08:00:00Z"),
            ..new_freeze(fx.case, NOW)
        };
        let found = rejected(env, Command::RequestFreeze(bad));
        assert_rule(&found, "unit", "freeze.not_case_unit");
        assert_rule(&found, "institution", "text.required");
        assert_rule(&found, "amount_qepik", "amount.not_positive");
        assert_rule(&found, "sent_at", "date.in_future");
        let early = new_freeze(fx.case, "2024-04-01T08:00:00Z");
        assert_rule(&rejected(env, Command::RequestFreeze(early)), "sent_at", "date.before_registration");
        let exam = Command::RequestFreeze(NewFreeze { case_id: Uuid::now_v7(), ..new_freeze(fx.case, NOW) });
        assert_rule(&rejected(env, exam), "case_id", "reference.not_found");
    });
}

#[test]
fn an_answer_fits_its_outcome_and_comes_once_after_the_request() {
    each_backend(|env| {
        let fx = defrauded(env);
        let request = ok(env, Command::RequestFreeze(new_freeze(fx.case, "2024-04-18T08:00:00Z"))).entity_id;
        for (outcome, amount) in [
            (FreezeOutcome::Frozen, 299_999),
            (FreezeOutcome::PartlyFrozen, 300_000),
            (FreezeOutcome::PartlyFrozen, 0),
            (FreezeOutcome::Refused, 1),
            (FreezeOutcome::NoFunds, 5),
        ] {
            let found = rejected(env, Command::AnswerFreeze(answer(request, outcome, amount)));
            assert_rule(&found, "amount_frozen_qepik", "freeze.amount_for_outcome");
        }
        let before =
            AnswerFreeze { answered_at: at("2024-04-18T07:00:00Z"), ..answer(request, FreezeOutcome::Refused, 0) };
        assert_rule(&rejected(env, Command::AnswerFreeze(before)), "answered_at", "freeze.answer_before_request");
        let long = AnswerFreeze { note: Some("x".repeat(2001)), ..answer(request, FreezeOutcome::Refused, 0) };
        assert_rule(&rejected(env, Command::AnswerFreeze(long)), "note", "text.too_long");
        ok(env, Command::AnswerFreeze(answer(request, FreezeOutcome::PartlyFrozen, 120_000)));
        assert_eq!(request_of(env, request).frozen_qepik(), 120_000);
        let again = answer(request, FreezeOutcome::Refused, 0);
        assert_rule(&rejected(env, Command::AnswerFreeze(again)), "request_id", "freeze.already_answered");
        let not_a_request = answer(fx.case, FreezeOutcome::Refused, 0);
        assert_rule(&rejected(env, Command::AnswerFreeze(not_a_request)), "request_id", "reference.wrong_kind");
    });
}

#[test]
fn a_return_reimburses_the_case_once_and_never_more_than_frozen() {
    each_backend(|env| {
        let fx = defrauded(env);
        let request = frozen(env, &fx);
        ok(env, Command::ReturnFrozen(give_back(&fx, request, 200_000)));
        let case = case_of(env, fx.case);
        assert_eq!(case.reimbursed_qepik(), 200_000, "the return is the case's reimbursement");
        assert_eq!(case.reimbursements[0].freeze_id, Some(request));
        assert_eq!(request_of(env, request).returned_qepik(), 200_000);
        let q2 = Period::parse("2024Q2").unwrap();
        let report = env.registry.report(q2, Some("BAK-NSM")).unwrap();
        let figure = |code: &str| report.figure(code).unwrap().change.current;
        assert_eq!(
            (
                figure("damage_reimbursed"),
                figure("freeze_frozen"),
                figure("freeze_returned"),
                figure("freeze_requests")
            ),
            (200_000, 300_000, 200_000, 1),
            "on {}",
            env.db.name
        );
        // More than what is left frozen.
        let found = rejected(env, Command::ReturnFrozen(give_back(&fx, request, 100_001)));
        assert_rule(&found, "amount_qepik", "freeze.return_exceeds_frozen");
        // The same money recorded again as a reimbursement is refused beyond the damage.
        ok(
            env,
            Command::Reimburse(Reimburse {
                case_id: fx.case,
                amount_qepik: 250_000,
                reimbursed_at: at("2024-04-19T09:00:00Z"),
            }),
        );
        let found = rejected(env, Command::ReturnFrozen(give_back(&fx, request, 100_000)));
        assert_rule(&found, "amount_qepik", "reimbursement.exceeds_damage");
        assert!(env.registry.verify_counters().unwrap().is_empty(), "on {}", env.db.name);
        assert_eq!(
            env.registry.report_by_scan(q2, Some("BAK-NSM")).unwrap(),
            env.registry.report(q2, Some("BAK-NSM")).unwrap()
        );
    });
}

#[test]
fn a_return_goes_to_a_victim_of_the_requests_own_case_after_an_answer_that_froze() {
    each_backend(|env| {
        let fx = defrauded(env);
        let request = frozen(env, &fx);
        let to_suspect = ReturnFrozen { victim_id: fx.suspect, ..give_back(&fx, request, 1_000) };
        assert_rule(&rejected(env, Command::ReturnFrozen(to_suspect)), "victim_id", "case.not_a_victim_of_case");
        let early = ReturnFrozen { returned_at: at("2024-04-18T11:00:00Z"), ..give_back(&fx, request, 1_000) };
        assert_rule(&rejected(env, Command::ReturnFrozen(early)), "returned_at", "freeze.return_before_answer");
        let other = defrauded(env);
        let elsewhere = ReturnFrozen { case_id: other.case, victim_id: other.victim, ..give_back(&fx, request, 1_000) };
        assert_rule(&rejected(env, Command::ReturnFrozen(elsewhere)), "request_id", "freeze.not_of_case");
        let unanswered = ok(env, Command::RequestFreeze(new_freeze(fx.case, "2024-04-18T08:00:00Z"))).entity_id;
        let found = rejected(env, Command::ReturnFrozen(give_back(&fx, unanswered, 1_000)));
        assert_rule(&found, "request_id", "freeze.nothing_frozen");
        ok(env, Command::AnswerFreeze(answer(unanswered, FreezeOutcome::Refused, 0)));
        let found = rejected(env, Command::ReturnFrozen(give_back(&fx, unanswered, 1_000)));
        assert_rule(&found, "request_id", "freeze.nothing_frozen");
    });
}

#[test]
fn annulling_an_answer_with_money_returned_is_refused_and_annulling_the_return_takes_it_off_the_case() {
    each_backend(|env| {
        let fx = defrauded(env);
        let request = ok(env, Command::RequestFreeze(new_freeze(fx.case, "2024-04-18T08:00:00Z"))).entity_id;
        let answered = ok(env, Command::AnswerFreeze(answer(request, FreezeOutcome::Frozen, 300_000)));
        let returned = ok(env, Command::ReturnFrozen(give_back(&fx, request, 100_000)));
        let annul = |seq| Command::Annul(Annul { unit: unit("BAK-NSM"), seq, reason: "Recorded in error".into() });
        assert_rule(&rejected(env, annul(answered.seq)), "amount_qepik", "freeze.return_exceeds_frozen");
        ok(env, annul(returned.seq));
        assert_eq!(case_of(env, fx.case).reimbursed_qepik(), 0);
        assert_eq!(request_of(env, request).returned_qepik(), 0);
        ok(env, annul(answered.seq));
        assert_eq!(request_of(env, request).status(), "sent", "back in the queue");
        assert!(env.registry.verify_counters().unwrap().is_empty(), "on {}", env.db.name);
    });
}

/// The digits of a test card (Luhn-valid) in the forms a clear number could be written in.
const CARD: &str = "4539 1488 0343 6467";

#[test]
fn a_request_naming_a_card_keeps_its_clear_number_nowhere() {
    each_backend(|env| {
        let fx = defrauded(env);
        let card = parsed(IdentifierKind::Card, CARD);
        attach(env, fx.case, card.clone());
        let request = NewFreeze { identifier: IdentifierKey::of(&card), ..new_freeze(fx.case, "2024-04-18T08:00:00Z") };
        let id = ok(env, Command::RequestFreeze(request)).entity_id;
        ok(env, Command::AnswerFreeze(answer(id, FreezeOutcome::Frozen, 300_000)));
        assert_eq!(request_of(env, id).display, "453914******6467");
        let journal = journal_text(env);
        let state = env.registry.get(id).unwrap().state;
        let file = String::from_utf8_lossy(&env.db.file_bytes()).into_owned();
        for clear in [CARD.to_string(), CARD.replace(' ', ""), CARD.replace(' ', "-")] {
            for (place, text) in [("journal", &journal), ("state", &state), ("file", &file)] {
                assert!(!text.contains(&clear), "{place} holds the clear number {clear} on {}", env.db.name);
            }
        }
        assert!(state.contains("453914******6467"), "the request shows the card masked");
    });
}
