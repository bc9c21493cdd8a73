//! The seed's fraud rings (docs/identifiers.md, "Series"): the same
//! telephone numbers and bank accounts used against victims in several
//! districts, each district seeing one small IT-enabled case. The rings
//! are laid over the IT-enabled cases the story registered in 2024Q2, so no
//! figure of the story moves: identifiers add no count, and the money
//! frozen and returned falls after the story's first quarter.
//!
//! Deterministic: the cases are taken by register number, the rings by
//! district code. [`RINGS`] rings, the first spanning 3 districts and each
//! next one more; two cases a district, each holding the ring's number and
//! account (and its card, where the registry has a card key). One telephone
//! number (a "courier"'s)
//! is held by the last case of ring 0 and the first of ring 1, the one weak
//! link joining their series; a bank's hotline is held by more cases than
//! the hub threshold, so it links nothing. The demo's analyst confirms the
//! last ring's series. Each ring's first case of a district asks its bank
//! to freeze the ring's account: frozen, partly or refused, and part of
//! what is frozen returned to a victim when the case has one with damage.

use crate::emit::{DEMO, Emitter};
use anyhow::{Result, bail};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use crimeboard_domain::case::CriminalCase;
use crimeboard_domain::freeze::{AnswerFreeze, FreezeOutcome, NewFreeze, ReturnFrozen};
use crimeboard_domain::identifier::{
    AttachIdentifier, Identifier, IdentifierKey, IdentifierKind, Subject, SubjectKind,
};
use crimeboard_domain::series::ConfirmSeries;
use crimeboard_domain::{Command, Entity, EntityKind};
use crimeboard_service::{ListParams, Registry, Submission};
use std::collections::BTreeMap;
use uuid::Uuid;

/// How many rings; ring `i` spans `3 + i` districts.
pub const RINGS: usize = 4;
/// Cases of a ring in each of its districts.
const CASES_PER_DISTRICT: usize = 2;
/// The bank's hotline victims are told to call: held by many cases, a hub.
pub const HOTLINE: &str = "+994 12 935 00 00";
/// The courier's number that joins ring 0 and ring 1: a weak link.
const COURIER: &str = "+994 70 555 99 99";
/// The card networks' published test numbers (they pass the Luhn check and
/// belong to nobody): a ring's card, on its second case of each district.
const TEST_CARDS: [&str; 4] =
    ["4111 1111 1111 1111", "5555 5555 5555 4444", "4012 8888 8888 1881", "5105 1051 0510 5100"];
const GROUND_ATTACH: &str = "CPK: sübut kimi rəqəmsal identifikatorun qeydə alınması";
const GROUND_FREEZE: &str = "CPK 177: hesab üzrə əməliyyatların dayandırılması";
const GROUND_ANALYSIS: &str = "Əməliyyat-analitik təhlil";

/// What the rings recorded, for the demo's summary and its test.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FraudSummary {
    pub rings: usize,
    /// The cases holding a ring's identifiers.
    pub cases: usize,
    pub freeze_requests: usize,
    pub returns: usize,
}

/// A ring's phone: a mobile number of its own.
fn ring_phone(ring: usize) -> String {
    format!("+994 70 555 {:02} {:02}", 10 + ring, 20 + ring)
}

/// A ring's account: a valid Azerbaijani IBAN (ISO 13616, mod 97-10).
fn ring_iban(ring: usize) -> String {
    let bban = format!("NABZ{:020}", 1_370_100_000 + ring as u64);
    let rearranged = format!("{bban}AZ00");
    let digits: String = rearranged
        .chars()
        .map(|c| if c.is_ascii_digit() { c.to_string() } else { (c as u32 - 'A' as u32 + 10).to_string() })
        .collect();
    let remainder = digits.bytes().fold(0u64, |r, d| (r * 10 + u64::from(d - b'0')) % 97);
    format!("AZ{:02}{bban}", 98 - remainder)
}

/// The IT-enabled cases registered in 2024Q2, by district and number.
fn it_cases(registry: &Registry) -> Result<BTreeMap<String, Vec<(String, Uuid)>>> {
    let mut by_unit: BTreeMap<String, Vec<(String, Uuid)>> = BTreeMap::new();
    for page in 1.. {
        let params = ListParams {
            kind: Some(EntityKind::Case),
            flag: Some("it_enabled".into()),
            from: NaiveDate::from_ymd_opt(2024, 4, 1),
            to: NaiveDate::from_ymd_opt(2024, 6, 20),
            page: Some(page),
            per_page: Some(crimeboard_service::MAX_PER_PAGE),
            ..ListParams::default()
        };
        let listed = registry.list(&params)?;
        for r in listed.items {
            by_unit.entry(r.unit).or_default().push((r.number, r.id));
        }
        if !listed.has_more {
            break;
        }
    }
    for cases in by_unit.values_mut() {
        cases.sort();
    }
    Ok(by_unit)
}

fn submission(command: Command, ground: &str) -> Submission {
    Submission { actor: DEMO.to_string(), legal_ground: ground.to_string(), command, late: None }
}

fn attach(case: Uuid, identifier: Identifier) -> Submission {
    let subject = Subject { kind: SubjectKind::Case, id: case };
    submission(
        Command::AttachIdentifier(AttachIdentifier { subject, record: case, identifier, note: None }),
        GROUND_ATTACH,
    )
}

/// Lays the rings over the story's IT-enabled cases and records their
/// identifiers, the analyst's confirmation and the freeze requests.
pub(crate) fn record(emitter: &mut Emitter) -> Result<FraudSummary> {
    let registry = emitter.registry();
    let by_unit = it_cases(registry)?;
    let districts: Vec<&String> =
        by_unit.iter().filter(|(_, c)| c.len() >= CASES_PER_DISTRICT).map(|(u, _)| u).collect();
    let needed: usize = (0..RINGS).map(|i| 3 + i).sum();
    if districts.len() < needed {
        bail!(
            "the fraud rings need {needed} districts with IT-enabled cases in 2024Q2, the story has {}",
            districts.len()
        );
    }
    let phone = |s: &str| registry.parse_identifier(IdentifierKind::Phone, s, "identifier");
    let mut rings: Vec<Vec<Uuid>> = Vec::new();
    let mut subs = Vec::new();
    let mut next_district = 0;
    for ring in 0..RINGS {
        let iban = registry.parse_identifier(IdentifierKind::Iban, &ring_iban(ring), "identifier")?;
        // Kept as a keyed hash and a mask only; refused where the registry has no card key.
        let card =
            registry.parse_identifier(IdentifierKind::Card, TEST_CARDS[ring % TEST_CARDS.len()], "identifier").ok();
        let mut members = Vec::new();
        for _ in 0..3 + ring {
            let unit = districts[next_district];
            next_district += 1;
            for (n, (_, case)) in by_unit[unit].iter().take(CASES_PER_DISTRICT).enumerate() {
                // The number and the account double each other: neither alone holds the ring.
                subs.push(attach(*case, phone(&ring_phone(ring))?));
                subs.push(attach(*case, iban.clone()));
                if let (1, Some(card)) = (n, &card) {
                    subs.push(attach(*case, card.clone()));
                }
                members.push(*case);
            }
        }
        rings.push(members);
    }
    subs.push(attach(*rings[0].last().expect("a ring has cases"), phone(COURIER)?));
    subs.push(attach(rings[1][0], phone(COURIER)?));
    let hub_size = registry.jurisdiction().rules.series.hub_threshold + 2;
    for case in rings.iter().flatten().take(hub_size) {
        subs.push(attach(*case, phone(HOTLINE)?));
    }
    emitter.record(registry, &subs)?;

    let root = registry.units().all().find(|u| u.parent.is_none()).map(|u| u.code.clone()).expect("a root unit");
    let last = *rings.last().and_then(|r| r.first()).expect("a ring has cases");
    let series = registry.store().series_of(last)?.expect("a ring is a series");
    let note = "Bir qrup: eyni telefon nömrəsi və hesab, bir neçə rayonda".to_string();
    emitter.record(
        registry,
        &[submission(Command::ConfirmSeries(ConfirmSeries { unit: root, series, note }), GROUND_ANALYSIS)],
    )?;

    let mut summary = FraudSummary { rings: RINGS, cases: rings.iter().map(Vec::len).sum(), ..FraudSummary::default() };
    let frozen = freezes(emitter, &rings[2..])?;
    summary.freeze_requests = frozen.0;
    summary.returns = frozen.1;
    Ok(summary)
}

/// Each ring's first case of a district asks the bank to freeze the ring's
/// account; the answers vary with the district; a victim with damage gets
/// back part of what is frozen. Returns (requests, returns).
fn freezes(emitter: &mut Emitter, rings: &[Vec<Uuid>]) -> Result<(usize, usize)> {
    let registry = emitter.registry();
    let mut requests = Vec::new();
    for (r, members) in rings.iter().enumerate() {
        let ring = RINGS - rings.len() + r;
        let key =
            IdentifierKey::of(&registry.parse_identifier(IdentifierKind::Iban, &ring_iban(ring), "identifier")?);
        for case_id in members.iter().step_by(CASES_PER_DISTRICT) {
            let Some(record) = registry.store().get(*case_id)? else { continue };
            let Entity::Case(case) = Entity::from_state(record.kind, &record.state)? else { continue };
            let sent_at = case.registered_at + Duration::days(2);
            let amount_qepik = 150_000 + 50_000 * (requests.len() as i64 % 4);
            let freeze = NewFreeze {
                unit: case.unit.clone(),
                case_id: *case_id,
                institution: "Kapital Bank".into(),
                identifier: key.clone(),
                amount_qepik,
                sent_at,
            };
            requests.push((case, freeze));
        }
    }
    let subs: Vec<Submission> =
        requests.iter().map(|(_, f)| submission(Command::RequestFreeze(f.clone()), GROUND_FREEZE)).collect();
    let receipts = emitter.record(registry, &subs)?;
    let mut answers = Vec::new();
    let mut returns = Vec::new();
    for (n, ((case, freeze), receipt)) in requests.iter().zip(&receipts).enumerate() {
        let answered_at = freeze.sent_at + Duration::days(1);
        let (outcome, frozen) = match n % 4 {
            0 | 1 => (FreezeOutcome::Frozen, freeze.amount_qepik),
            2 => (FreezeOutcome::PartlyFrozen, freeze.amount_qepik / 3),
            _ => (FreezeOutcome::Refused, 0),
        };
        let answer = AnswerFreeze {
            request_id: receipt.entity_id,
            answered_at,
            outcome,
            amount_frozen_qepik: frozen,
            note: None,
        };
        answers.push(submission(Command::AnswerFreeze(answer), GROUND_FREEZE));
        if let Some(back) = returned(case, receipt.entity_id, frozen, answered_at + Duration::days(10)) {
            returns.push(submission(Command::ReturnFrozen(back), GROUND_FREEZE));
        }
    }
    emitter.record(registry, &answers)?;
    emitter.record(registry, &returns)?;
    Ok((requests.len(), returns.len()))
}

/// Half of what is frozen, at most half the damage still owed, back to
/// the case's first victim with damage; none when nothing is owed.
fn returned(case: &CriminalCase, request_id: Uuid, frozen: i64, at: DateTime<Utc>) -> Option<ReturnFrozen> {
    let victim = case.damage.iter().find_map(|d| d.victim_id)?;
    let of_victim = |money: &[crimeboard_domain::case::Money]| {
        money.iter().filter(|m| m.victim_id == Some(victim)).map(|m| m.amount_qepik).sum::<i64>()
    };
    // The case's reimbursements need not name a victim: what is owed is the
    // least of the victim's damage and the case's damage not yet reimbursed.
    let total = |money: &[crimeboard_domain::case::Money]| money.iter().map(|m| m.amount_qepik).sum::<i64>();
    let owed = (of_victim(&case.damage) - of_victim(&case.reimbursements))
        .min(total(&case.damage) - total(&case.reimbursements));
    let amount_qepik = (frozen / 2).min(owed / 2);
    (amount_qepik > 0).then_some(ReturnFrozen {
        case_id: case.id,
        request_id,
        victim_id: victim,
        amount_qepik,
        returned_at: at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rings_account_is_a_valid_iban_of_its_own() {
        let ibans: Vec<String> = (0..RINGS).map(ring_iban).collect();
        for iban in &ibans {
            assert_eq!(iban.len(), 28, "{iban}");
            let moved = format!("{}{}", &iban[4..], &iban[..4]);
            let digits: String = moved
                .chars()
                .map(|c| if c.is_ascii_digit() { c.to_string() } else { (c as u32 - 'A' as u32 + 10).to_string() })
                .collect();
            assert_eq!(digits.bytes().fold(0u64, |r, d| (r * 10 + u64::from(d - b'0')) % 97), 1, "{iban}");
        }
        let distinct: std::collections::BTreeSet<&String> = ibans.iter().collect();
        assert_eq!(distinct.len(), RINGS);
    }
}
