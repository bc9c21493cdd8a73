//! Digital identifiers on reports, cases and persons: attached and removed
//! by acts, refused when malformed with nothing written, found by the lookup
//! in any common form within the asker's scope (and only counted outside
//! it), undone by annulment, and a card's clear number stored nowhere.

use crate::support::*;
use crimeboard_domain::Command;
use crimeboard_domain::access::Role;
use crimeboard_domain::act::Annul;
use crimeboard_domain::case::AddPerson;
use crimeboard_domain::identifier::{
    AttachIdentifier, IdentifierKey, IdentifierKind, MAX_PER_SUBJECT, RemoveIdentifier, Subject, SubjectKind,
};
use crimeboard_service::audit::{Actor, AuditSearch, Audited};
use crimeboard_service::{Attachment, Lookup, Receipt, ServiceError, Submission, TypedIdentifier};
use uuid::Uuid;

fn typed(kind: IdentifierKind, input: &str) -> TypedIdentifier {
    TypedIdentifier { kind, input: input.into() }
}

fn attachment(kind: SubjectKind, id: Uuid, identifier: TypedIdentifier) -> Attachment {
    Attachment { subject: Subject { kind, id }, identifier, note: None, legal_ground: "CPC art. 207".into() }
}

fn attach(env: &Env, kind: SubjectKind, id: Uuid, identifier: TypedIdentifier) -> Result<Receipt, ServiceError> {
    env.registry.attach_identifier(&as_system(&env.registry), &attachment(kind, id, identifier), &Audited::No)
}

fn investigator(home: &str) -> crimeboard_domain::access::Principal {
    person("investigator", Role::Investigator, home)
}

fn look(env: &Env, by: &crimeboard_domain::access::Principal, kind: IdentifierKind, input: &str) -> Lookup {
    env.registry.lookup_identifier(by, &Actor::new(&by.login, "test"), kind, input).unwrap()
}

fn subjects(found: &Lookup) -> Vec<(SubjectKind, Uuid)> {
    let mut s: Vec<_> = found.visible.iter().map(|r| (r.subject_kind, r.subject_id)).collect();
    s.sort();
    s
}

fn violations(e: ServiceError) -> Vec<(String, String)> {
    match e {
        ServiceError::Rejected(r) => r.0.into_iter().map(|v| (v.field, v.rule)).collect(),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

/// A report with its applicant, and a case opened from it with a suspect.
struct Fixture {
    report: Uuid,
    applicant: Uuid,
    case: Uuid,
    suspect: Uuid,
}

fn fixture(env: &Env) -> Fixture {
    let r = report(env, "2024-04-02T08:00:00Z");
    let mut c = new_case(vec![r.entity_id], "2024-04-03T09:00:00Z");
    c.persons.push(suspect("Orxan Quliyev", "1990-05-01"));
    let case = ok(env, Command::OpenCase(c));
    Fixture { report: r.entity_id, applicant: r.person_ids[0], case: case.entity_id, suspect: case.person_ids[0] }
}

#[test]
fn an_identifier_attaches_to_each_subject_kind_and_is_found_and_removed() {
    each_backend(|env| {
        let fx = fixture(env);
        let phone_typed = typed(IdentifierKind::Phone, "+994 50 123 45 67");
        let holders = [
            (SubjectKind::Report, fx.report, fx.report),
            (SubjectKind::Case, fx.case, fx.case),
            (SubjectKind::Person, fx.applicant, fx.report),
            (SubjectKind::Person, fx.suspect, fx.case),
        ];
        for (kind, id, record) in holders {
            let receipt = attach(env, kind, id, phone_typed.clone()).unwrap();
            assert_eq!((receipt.act.as_str(), receipt.entity_id), ("attach_identifier", record), "on {}", env.db.name);
        }
        // Another common form of the same number finds all four.
        let found = look(env, &investigator("BAK-NSM"), IdentifierKind::Phone, "0501234567");
        let mut expected: Vec<_> = holders.iter().map(|(k, id, _)| (*k, *id)).collect();
        expected.sort();
        assert_eq!(subjects(&found), expected, "on {}", env.db.name);
        assert_eq!(found.key, "+994501234567");
        assert!(found.visible.iter().all(|r| r.display == "+994 50 123 45 67" && r.unit.as_str() == "BAK-NSM"));
        let case_row = found.visible.iter().find(|r| r.subject_id == fx.suspect).unwrap();
        assert_eq!(case_row.record_id, fx.case);
        assert!(case_row.number.starts_with("C-BAK-NSM-2024-"), "{}", case_row.number);
        // The state shows it too: the case's own and its suspect's.
        let crimeboard_domain::Entity::Case(case) = env.registry.entity(fx.case).unwrap() else { panic!() };
        assert_eq!(case.identifiers.len(), 1);
        assert_eq!(case.persons[0].identifiers.len(), 1);
        // Removed from each subject, it is found on none.
        let key = IdentifierKey { kind: IdentifierKind::Phone, value: "+994501234567".into() };
        for (kind, id, _) in holders {
            let by = as_system(&env.registry);
            let subject = Subject { kind, id };
            env.registry.remove_identifier(&by, subject, key.clone(), "Typed twice", "CPC", &Audited::No).unwrap();
        }
        assert!(look(env, &investigator("BAK-NSM"), IdentifierKind::Phone, "+994501234567").visible.is_empty());
    });
}

/// One malformed input of each kind, with the rule it breaks.
const MALFORMED: [(IdentifierKind, &str, &str); 12] = [
    (IdentifierKind::Phone, "050 12x 45 67", "identifier.phone.characters"),
    (IdentifierKind::Card, "4111 1111 1111 1112", "identifier.card.luhn"),
    (IdentifierKind::Iban, "AZ21NABZ0000000013701000194", "identifier.iban.length"),
    (IdentifierKind::Account, "NABZAZ2X", "identifier.account.form"),
    (IdentifierKind::Email, "ivan@@example.com", "identifier.email.invalid"),
    (IdentifierKind::Url, "ftp://example.com/file", "identifier.url.scheme"),
    (IdentifierKind::Domain, "co.uk", "identifier.domain.public_suffix"),
    (IdentifierKind::Ip, "256.1.1.1", "identifier.ip.invalid"),
    (IdentifierKind::Imei, "490154203237519", "identifier.imei.luhn"),
    (IdentifierKind::Wallet, "paypal", "identifier.wallet.form"),
    (IdentifierKind::Crypto, "dogecoin:DH5yaieqoZN36fDVciNyRueRGvGLR3mr7L", "identifier.crypto.chain"),
    (IdentifierKind::Social, "myspace:ivan", "identifier.social.platform"),
];

#[test]
fn a_malformed_identifier_of_each_kind_is_refused_with_its_rule_and_nothing_written() {
    each_backend(|env| {
        let fx = fixture(env);
        for (kind, input, rule) in MALFORMED {
            let before = env.registry.store().position().unwrap();
            let refused = attach(env, SubjectKind::Case, fx.case, typed(kind, input)).unwrap_err();
            let found = violations(refused);
            assert_eq!(found, vec![("identifier.input".to_string(), rule.to_string())], "{kind} {input:?}");
            assert_eq!(env.registry.store().position().unwrap(), before, "{kind}: nothing written");
            // The lookup refuses it the same way, at its own field.
            let by = investigator("BAK-NSM");
            let refused = env.registry.lookup_identifier(&by, &Actor::new("i", "t"), kind, input).unwrap_err();
            assert_eq!(violations(refused), vec![("value".to_string(), rule.to_string())], "{kind}");
        }
    });
}

#[test]
fn the_acts_rules_name_the_subject_and_the_identifier() {
    each_backend(|env| {
        let fx = fixture(env);
        let phone_typed = typed(IdentifierKind::Phone, "+994 50 123 45 67");
        attach(env, SubjectKind::Case, fx.case, phone_typed.clone()).unwrap();
        let again = attach(env, SubjectKind::Case, fx.case, typed(IdentifierKind::Phone, "050 123 45 67"));
        assert_rule(&violations(again.unwrap_err()), "identifier", "identifier.already_attached");
        // A person of another record, and a record that is no report or case.
        let command = |subject, record| {
            Command::AttachIdentifier(AttachIdentifier { subject, record, identifier: phone("0501234567"), note: None })
        };
        let elsewhere = rejected(env, command(Subject { kind: SubjectKind::Person, id: fx.suspect }, fx.report));
        assert_rule(&elsewhere, "subject.id", "identifier.subject_not_in_record");
        let exam = ok(env, Command::RequestExamination(examination_of(fx.case))).entity_id;
        let wrong = rejected(env, command(Subject { kind: SubjectKind::Case, id: exam }, exam));
        assert_rule(&wrong, "record", "reference.wrong_kind");
        let gone = attach(env, SubjectKind::Person, Uuid::now_v7(), phone_typed.clone()).unwrap_err();
        assert_rule(&violations(gone), "subject.id", "reference.not_found");
        // Removing one not held, and without a reason.
        let remove = |value: &str, reason: &str| {
            Command::RemoveIdentifier(RemoveIdentifier {
                subject: Subject { kind: SubjectKind::Case, id: fx.case },
                record: fx.case,
                key: IdentifierKey { kind: IdentifierKind::Phone, value: value.into() },
                reason: reason.into(),
            })
        };
        assert_rule(&rejected(env, remove("+994551234567", "Wrong")), "key", "identifier.not_attached");
        assert_rule(&rejected(env, remove("+994501234567", " ")), "reason", "text.required");
        // No more than the most a subject holds.
        let many: Vec<Submission> = (0..=MAX_PER_SUBJECT)
            .map(|i| {
                let domain = format!("site{i}.example.com");
                Submission {
                    actor: "tests".into(),
                    legal_ground: "CPC".into(),
                    late: None,
                    command: Command::AttachIdentifier(AttachIdentifier {
                        subject: Subject { kind: SubjectKind::Person, id: fx.suspect },
                        record: fx.case,
                        identifier: parsed(IdentifierKind::Domain, &domain),
                        note: None,
                    }),
                }
            })
            .collect();
        let Err(ServiceError::BatchItem { index, rejected }) = record_all(&env.registry, &many) else {
            panic!("one more than the most a subject holds was recorded")
        };
        assert_eq!(index, MAX_PER_SUBJECT);
        assert_eq!(rejected.0[0].rule, "identifier.too_many");
    });
}

fn examination_of(case_id: Uuid) -> crimeboard_domain::registers::NewExamination {
    crimeboard_domain::registers::NewExamination {
        unit: unit("BAK-NSM"),
        case_id,
        kind: crimeboard_domain::registers::ExaminationKind::Dna,
        requested_at: at("2024-04-05T10:00:00Z"),
        question: "Whose?".into(),
    }
}

#[test]
fn an_identifier_in_the_journals_form_must_be_normalised_under_this_version() {
    each_backend(|env| {
        let fx = fixture(env);
        let stored = |value: &str, normaliser: u32| {
            let json = serde_json::json!({"kind": "phone", "value": value, "display": value, "normaliser": normaliser});
            Command::AttachIdentifier(AttachIdentifier {
                subject: Subject { kind: SubjectKind::Case, id: fx.case },
                record: fx.case,
                identifier: serde_json::from_value(json).unwrap(),
                note: None,
            })
        };
        assert_rule(&rejected(env, stored("0501234567", 1)), "identifier.value", "identifier.not_normalised");
        assert_rule(&rejected(env, stored("+994501234567", 2)), "identifier.normaliser", "identifier.normaliser");
        ok(env, stored("+994501234567", 1));
    });
}

#[test]
fn outside_its_unit_a_lookup_sees_the_unit_and_count_and_asks_for_access_in_the_audit_trail() {
    each_backend(|env| {
        let fx = fixture(env);
        attach(env, SubjectKind::Case, fx.case, typed(IdentifierKind::Email, "Fraud@Example.COM")).unwrap();
        attach(env, SubjectKind::Person, fx.suspect, typed(IdentifierKind::Email, "mailto:Fraud@example.com")).unwrap();
        let outsider = investigator("BAK-YAS");
        let found = look(env, &outsider, IdentifierKind::Email, "Fraud@example.com");
        assert!(found.visible.is_empty(), "no record of another unit: {found:?}");
        assert_eq!(found.elsewhere.len(), 1);
        assert_eq!((found.elsewhere[0].unit.as_str(), found.elsewhere[0].count), ("BAK-NSM", 2));
        let insider = look(env, &investigator("BAK-NSM"), IdentifierKind::Email, "Fraud@example.com");
        assert_eq!(insider.visible.len(), 2);
        assert!(insider.elsewhere.is_empty());
        // The request names who, which key and which unit, in the audit trail.
        let key = IdentifierKey { kind: IdentifierKind::Email, value: found.key.clone() };
        let actor = Actor::new("investigator", "10.0.0.7");
        env.registry.request_identifier_access(&outsider, &actor, &key, "BAK-NSM", "Series of frauds").unwrap();
        let search = AuditSearch { action: Some("request_identifier_access".into()), ..AuditSearch::default() };
        let trail = env.registry.audit_search(&search).unwrap().items;
        assert_eq!(trail.len(), 1, "on {}", env.db.name);
        assert_eq!((trail[0].actor.as_str(), trail[0].target.as_str()), ("investigator", "BAK-NSM"));
        assert!(trail[0].detail.contains("key=Fraud@example.com"), "{}", trail[0].detail);
        // No match in the unit named, no reason: refused, nothing audited.
        let none = env.registry.request_identifier_access(&outsider, &actor, &key, "GNC", "Series").unwrap_err();
        assert_rule(&violations(none), "unit", "identifier.no_match_in_unit");
        let blank = env.registry.request_identifier_access(&outsider, &actor, &key, "BAK-NSM", " ").unwrap_err();
        assert_rule(&violations(blank), "reason", "text.required");
        assert_eq!(env.registry.audit_search(&search).unwrap().items.len(), 1);
        // Someone who reads no personal data looks nothing up.
        let expert = person("expert", Role::ForensicExpert, "BAK-NSM");
        let denied = env.registry.lookup_identifier(&expert, &actor, IdentifierKind::Email, "fraud@example.com");
        assert!(matches!(denied, Err(ServiceError::Denied(_))), "{denied:?}");
    });
}

#[test]
fn annulling_an_attachment_or_its_record_takes_it_out_of_the_lookup() {
    each_backend(|env| {
        let fx = fixture(env);
        let ip = typed(IdentifierKind::Ip, "203.0.113.5:443 2024-03-01T10:00:00+04:00");
        let attached = attach(env, SubjectKind::Case, fx.case, ip.clone()).unwrap();
        let by = investigator("BAK-NSM");
        assert_eq!(look(env, &by, IdentifierKind::Ip, "203.0.113.5").visible.len(), 1);
        ok(env, Command::Annul(Annul { unit: unit("BAK-NSM"), seq: attached.seq, reason: "Wrong case".into() }));
        assert!(look(env, &by, IdentifierKind::Ip, "203.0.113.5").visible.is_empty(), "on {}", env.db.name);
        // A person added later, holding one; the act that added the person annulled.
        let added = ok(env, Command::AddPerson(AddPerson { case_id: fx.case, person: suspect("Tural", "1991-01-01") }));
        attach(env, SubjectKind::Person, added.person_ids[0], ip).unwrap();
        assert_eq!(look(env, &by, IdentifierKind::Ip, "203.0.113.5").visible.len(), 1);
        ok(env, Command::Annul(Annul { unit: unit("BAK-NSM"), seq: added.seq, reason: "Wrong person".into() }));
        assert!(look(env, &by, IdentifierKind::Ip, "203.0.113.5").visible.is_empty(), "on {}", env.db.name);
    });
}

/// The digits of a test card (Luhn-valid) in the forms a clear number
/// could be written in.
const CARD: &str = "4539 1488 0343 6467";

fn clear_forms() -> [String; 3] {
    [CARD.to_string(), CARD.replace(' ', ""), CARD.replace(' ', "-")]
}

#[test]
fn a_cards_clear_number_is_stored_nowhere_and_its_other_forms_find_it() {
    each_backend(|env| {
        let fx = fixture(env);
        let actor = Actor::new("investigator", "10.0.0.7");
        let by = investigator("BAK-NSM");
        let a = attachment(SubjectKind::Person, fx.suspect, typed(IdentifierKind::Card, CARD));
        env.registry.attach_identifier(&by, &a, &Audited::EachAct(&actor)).unwrap();
        let found = look(env, &by, IdentifierKind::Card, &CARD.replace(' ', "-"));
        assert_eq!(subjects(&found), vec![(SubjectKind::Person, fx.suspect)]);
        assert_eq!(found.visible[0].display, "453914******6467");
        // A malformed card's refusal names the rule, not the number.
        let bad = attach(env, SubjectKind::Case, fx.case, typed(IdentifierKind::Card, "4539 1488 0343 6468"));
        assert!(!format!("{:?}", bad.unwrap_err()).contains("4539"), "the refusal repeats the number");
        let journal = journal_text(env);
        let trail: String = env
            .registry
            .audit_search(&AuditSearch { per_page: 500, ..AuditSearch::default() })
            .unwrap()
            .items
            .iter()
            .map(|e| format!("{} {} {}", e.action, e.target, e.detail))
            .collect();
        let state = env.registry.get(fx.case).unwrap().state;
        assert!(journal.contains("453914******6467"), "the journal holds the masked card");
        let file = String::from_utf8_lossy(&env.db.file_bytes()).into_owned();
        for clear in clear_forms() {
            for (place, text) in [("journal", &journal), ("audit trail", &trail), ("state", &state), ("file", &file)] {
                assert!(!text.contains(&clear), "{place} holds the clear number {clear} on {}", env.db.name);
            }
        }
        if env.db.name == "sqlite" {
            assert!(file.contains("453914******6467"), "the file read is the database the card went into");
        }
    });
}

#[test]
fn without_a_card_key_a_card_is_refused_and_other_kinds_are_not() {
    each_backend(|env| {
        let fx = fixture(env);
        let keyless = crimeboard_service::Registry::new(env.db.store.clone(), std::sync::Arc::new(|| at(NOW))).unwrap();
        let a = attachment(SubjectKind::Case, fx.case, typed(IdentifierKind::Card, CARD));
        let refused = keyless.attach_identifier(&as_system(&keyless), &a, &Audited::No).unwrap_err();
        assert_rule(&violations(refused), "identifier.input", "identifier.card.key_missing");
        let a = attachment(SubjectKind::Case, fx.case, typed(IdentifierKind::Imei, "49-015420-323751-8"));
        keyless.attach_identifier(&as_system(&keyless), &a, &Audited::No).unwrap();
    });
}

#[test]
fn the_card_key_file_is_made_once_and_gives_the_same_hash_again() {
    let dir = std::env::temp_dir().join(format!("crimeboard-card-key-{}", Uuid::now_v7().simple()));
    let path = dir.join("card.key");
    let db = crimeboard_store::testing::TestStore::sqlite();
    let open = || {
        crimeboard_service::Registry::new(db.store.clone(), std::sync::Arc::new(|| at(NOW)))
            .unwrap()
            .with_card_key_file(&path)
    };
    let first = open().parse_identifier(IdentifierKind::Card, CARD, "value").unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    let again = open().parse_identifier(IdentifierKind::Card, &CARD.replace(' ', ""), "value").unwrap();
    assert_eq!(first.value(), again.value(), "the same key, the same hash");
    let _ = std::fs::remove_dir_all(&dir);
}
