//! Any text as a digital identifier (crates/identifiers). A corpus file names
//! its kind before a space (`phone +994 50 123 45 67`); other text is tried
//! as every kind. Each parse keeps the promises of
//! crates/identifiers/tests/identifiers/promises.rs, which the crate's own
//! mutation test holds it to as well: a refusal names an `identifier.` rule,
//! an identifier reads back from its JSON and its key and display type back
//! to its key, and a card's digits appear in no output.
#![no_main]

use crimeboard_identifiers::{IdentifierKind, Normalising};
use libfuzzer_sys::fuzz_target;

#[path = "../../crates/identifiers/tests/identifiers/promises.rs"]
mod promises;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let ctx = Normalising { default_country: "AZ", card_key: b"the fuzz target's card key, 32b!" };
    let named = text.split_once(' ').and_then(|(code, input)| Some((IdentifierKind::from_code(code)?, input)));
    match named {
        Some((kind, input)) => promises::check_promises(kind, input, &ctx),
        None => {
            for kind in IdentifierKind::ALL {
                promises::check_promises(kind, text, &ctx);
            }
        }
    }
});
