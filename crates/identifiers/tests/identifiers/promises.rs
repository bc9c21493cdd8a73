//! What every parse promises, whatever the input: a refusal names an
//! `identifier.` rule; an identifier is of the kind asked, reads back from
//! its JSON, and its key and its display typed back give its key again; a
//! card's digits appear nowhere. The mutation test here and the fuzz target
//! `identifiers` (fuzz/fuzz_targets/identifiers.rs, which includes this
//! file) hold `parse` to it.

use crimeboard_identifiers::{Identifier, IdentifierKind, NORMALISER_VERSION, Normalising, lookup_key, parse};

pub fn check_promises(kind: IdentifierKind, input: &str, ctx: &Normalising) {
    let digits: String = input.chars().filter(char::is_ascii_digit).collect();
    match parse(kind, input, ctx) {
        Err(error) => {
            assert!(error.rule.starts_with("identifier."), "{error}");
            if kind == IdentifierKind::Card && digits.len() >= 12 {
                assert!(!format!("{error} {error:?}").contains(&digits), "{error}");
            }
        }
        Ok(identifier) => {
            assert_eq!((identifier.kind(), identifier.normaliser()), (kind, NORMALISER_VERSION));
            let json = serde_json::to_string(&identifier).unwrap();
            assert_eq!(serde_json::from_str::<Identifier>(&json).unwrap(), identifier, "{json}");
            if kind == IdentifierKind::Card {
                let shown = format!("{identifier:?} {identifier} {json}");
                assert!(!shown.contains(&digits), "{shown}");
                assert!(identifier.value().len() == 64 && identifier.value().bytes().all(|b| b.is_ascii_hexdigit()));
            } else {
                for typed_back in [identifier.value(), identifier.display()] {
                    assert_eq!(
                        lookup_key(kind, typed_back, ctx).as_deref(),
                        Ok(identifier.value()),
                        "{kind} {input:?} typed back as {typed_back:?}"
                    );
                }
            }
        }
    }
}
