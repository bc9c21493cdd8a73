//! The identifiers' rules from the outside: each kind's accepted forms and
//! refused inputs, the standards' test vectors, the card's secrecy, and keys
//! that do not move when a key's own display is typed back.

mod card;
mod forms;
mod kinds;
mod promises;
mod rule_codes;
mod vectors;

use crimeboard_identifiers::{Identifier, IdentifierKind, Normalising, lookup_key, parse};

pub const CARD_KEY: &[u8] = b"the installation's card key, 32b";

pub fn ctx() -> Normalising<'static> {
    Normalising { default_country: "AZ", card_key: CARD_KEY }
}

pub fn ok(kind: IdentifierKind, input: &str) -> Identifier {
    parse(kind, input, &ctx()).unwrap_or_else(|e| panic!("{kind} {input:?} refused: {e}"))
}

/// The rule an input breaks.
pub fn refused(kind: IdentifierKind, input: &str) -> &'static str {
    match parse(kind, input, &ctx()) {
        Ok(identifier) => panic!("{kind} {input:?} accepted as {identifier:?}"),
        Err(error) => error.rule,
    }
}

/// Every form gives the one key.
pub fn one_key(kind: IdentifierKind, forms: &[&str], key: &str) {
    for form in forms {
        assert_eq!(lookup_key(kind, form, &ctx()).as_deref(), Ok(key), "{kind} {form:?}");
    }
}
