//! Payment cards and IMEIs: digits with separators, Luhn-checked. A card
//! number is kept only as its keyed hash (the lookup key) and its masked
//! form; the clear digits live in this module's locals and nowhere else.

use hmac::{Hmac, KeyInit, Mac};
use sha2_hmac::Sha256;

use crate::checks::{hex, luhn_valid};
use crate::{Extra, Identifier, IdentifierError, IdentifierKind, Normalising};

/// The shortest card key accepted: 128 bits.
pub const MIN_CARD_KEY_LEN: usize = 16;

/// The digits of a number typed with spaces, dashes, dots or slashes
/// between groups; `None` for any other character.
fn digits_of(input: &str) -> Option<String> {
    let mut digits = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '/' | '\u{a0}' => {}
            _ => return None,
        }
    }
    Some(digits)
}

pub fn parse_card(input: &str, ctx: &Normalising) -> Result<Identifier, IdentifierError> {
    if ctx.card_key.len() < MIN_CARD_KEY_LEN {
        return Err(IdentifierError::new("identifier.card.key_missing").with("min", MIN_CARD_KEY_LEN));
    }
    let digits = digits_of(input).ok_or_else(|| IdentifierError::new("identifier.card.characters"))?;
    if !(12..=19).contains(&digits.len()) {
        return Err(IdentifierError::new("identifier.card.length")
            .with("min", 12)
            .with("max", 19)
            .with("length", digits.len()));
    }
    if !luhn_valid(&digits) {
        return Err(IdentifierError::new("identifier.card.luhn"));
    }
    Ok(Identifier::new(IdentifierKind::Card, keyed_hash(&digits, ctx.card_key), masked(&digits), Extra::default()))
}

/// HMAC-SHA256 of the digits under the installation's key, in hex.
fn keyed_hash(digits: &str, key: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else { unreachable!("HMAC takes a key of any length") };
    mac.update(digits.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// The first six and the last four digits, the others as `*` (PCI DSS's
/// most that may be shown).
fn masked(digits: &str) -> String {
    let hidden = digits.len() - 10;
    format!("{}{}{}", &digits[..6], "*".repeat(hidden), &digits[digits.len() - 4..])
}

/// A card read back from storage holds a keyed hash and a masked number,
/// never clear digits in either field.
pub fn check_stored(value: &str, display: &str) -> Result<(), String> {
    let is_hash = value.len() == 64 && value.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let len = display.len();
    let is_masked = (12..=19).contains(&len)
        && display.bytes().enumerate().all(|(i, b)| if i < 6 || i >= len - 4 { b.is_ascii_digit() } else { b == b'*' });
    match (is_hash, is_masked) {
        (true, true) => Ok(()),
        (false, _) => Err("a card's value must be its keyed hash (64 hex digits)".to_string()),
        (_, false) => Err("a card's display must be masked (first six, last four)".to_string()),
    }
}

/// An IMEI: 15 digits, the last the Luhn check digit (3GPP TS 23.003).
pub fn parse_imei(input: &str) -> Result<Identifier, IdentifierError> {
    let digits = digits_of(input).ok_or_else(|| IdentifierError::new("identifier.imei.characters"))?;
    if digits.len() != 15 {
        return Err(IdentifierError::new("identifier.imei.length").with("length", digits.len()));
    }
    if !luhn_valid(&digits) {
        return Err(IdentifierError::new("identifier.imei.luhn"));
    }
    let display = format!("{}-{}-{}-{}", &digits[..2], &digits[2..8], &digits[8..14], &digits[14..]);
    Ok(Identifier::new(IdentifierKind::Imei, digits, display, Extra::default()))
}
