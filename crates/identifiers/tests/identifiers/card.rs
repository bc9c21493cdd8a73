//! A card is its keyed hash and its masked number: the clear digits reach
//! no field, no Debug or Display output, no JSON and no error.

use crimeboard_identifiers::{Identifier, IdentifierKind as K, Normalising, parse};

use crate::{CARD_KEY, ctx, ok, one_key, refused};

const CLEAR: &str = "4111111111111111";

/// What would give the clear number away: the digits, and the digits the
/// mask hides.
fn assert_no_clear_number(text: &str, digits: &str) {
    assert!(!text.contains(digits), "{text}");
    assert!(!text.contains(&digits[6..digits.len() - 4]), "the hidden digits in {text}");
}

#[test]
fn a_card_is_the_hmac_sha256_of_its_digits_under_the_installations_key() {
    // HMAC-SHA256(CARD_KEY, "4111111111111111"), computed apart from this crate.
    let expected = "0bae321b2f107ed0f7538433a43b86f1ae2257bd0f333de136acb5fab709e3d9";
    one_key(K::Card, &[CLEAR, "4111 1111 1111 1111", "4111-1111-1111-1111", " 4111.1111.1111.1111 "], expected);
    assert_eq!(ok(K::Card, CLEAR).display(), "411111******1111");
}

#[test]
fn another_installations_key_gives_another_hash() {
    let other = Normalising { card_key: b"another installation's key, 32b!", ..ctx() };
    assert_ne!(parse(K::Card, CLEAR, &other).unwrap().value(), ok(K::Card, CLEAR).value());
    assert_eq!(parse(K::Card, CLEAR, &other).unwrap().display(), ok(K::Card, CLEAR).display());
}

#[test]
fn the_mask_shows_the_first_six_and_last_four_of_any_length() {
    assert_eq!(ok(K::Card, "3400 000000 00009").display(), "340000*****0009");
    assert_eq!(ok(K::Card, "5500 0000 0000 0004").display(), "550000******0004");
    assert_eq!(ok(K::Card, "6011 0000 0000 0004").display(), "601100******0004");
    assert_eq!(ok(K::Card, "4000 0000 0000 0000 006").display(), "400000*********0006");
    assert_eq!(ok(K::Card, "5000 0000 0009").display(), "500000**0009");
}

#[test]
fn a_malformed_card_names_its_rule() {
    assert_eq!(refused(K::Card, "4111 1111 1111 1112"), "identifier.card.luhn");
    assert_eq!(refused(K::Card, "4111 1111 111"), "identifier.card.length");
    assert_eq!(refused(K::Card, "4111 1111 1111 1111 1111"), "identifier.card.length");
    assert_eq!(refused(K::Card, "4111 1111 1111 111O"), "identifier.card.characters");
    // A masked number cannot be typed back as a card.
    assert_eq!(refused(K::Card, "411111******1111"), "identifier.card.characters");
    let keyless = Normalising { card_key: b"short", ..ctx() };
    assert_eq!(parse(K::Card, CLEAR, &keyless).unwrap_err().rule, "identifier.card.key_missing");
}

#[test]
fn no_clear_card_number_in_debug_display_json_or_error() {
    let card = ok(K::Card, "4111 1111 1111 1111");
    for text in [format!("{card:?}"), format!("{card:#?}"), card.to_string(), serde_json::to_string(&card).unwrap()] {
        assert_no_clear_number(&text, CLEAR);
        assert!(text.contains("411111******1111"), "{text}");
    }
    // The keyed hash is a lookup key, not for log lines.
    assert!(!format!("{card:?}").contains(card.value()));
    // A refused number is not echoed by its error either.
    let error = parse(K::Card, "4111 1111 1111 1112", &ctx()).unwrap_err();
    assert_no_clear_number(&format!("{error} {error:?}"), "4111111111111112");
    assert_no_clear_number(&format!("{:?}", ctx()), &String::from_utf8_lossy(CARD_KEY));
}

#[test]
fn a_card_reads_back_from_its_json_and_a_clear_number_does_not() {
    let card = ok(K::Card, CLEAR);
    let json = serde_json::to_string(&card).unwrap();
    assert_eq!(serde_json::from_str::<Identifier>(&json).unwrap(), card);
    let clear_value = json.replace(card.value(), CLEAR);
    assert!(serde_json::from_str::<Identifier>(&clear_value).unwrap_err().to_string().contains("keyed hash"));
    let clear_display = json.replace("411111******1111", CLEAR);
    assert!(serde_json::from_str::<Identifier>(&clear_display).unwrap_err().to_string().contains("masked"));
}

#[test]
fn an_identifier_reads_back_from_its_json() {
    for (kind, input) in [
        (K::Phone, "0501234567"),
        (K::Ip, "203.0.113.5:443 2024-03-01T10:00:00Z"),
        (K::Crypto, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
        (K::Social, "t.me/some_name"),
    ] {
        let identifier = ok(kind, input);
        let json = serde_json::to_string(&identifier).unwrap();
        assert_eq!(serde_json::from_str::<Identifier>(&json).unwrap(), identifier, "{json}");
    }
    let json = serde_json::to_value(ok(K::Ip, "203.0.113.5:443 2024-03-01T10:00:00Z")).unwrap();
    assert_eq!(json["extra"], serde_json::json!({"port": 443, "seen_at": "2024-03-01T10:00:00Z"}));
    assert_eq!(json["normaliser"], crimeboard_identifiers::NORMALISER_VERSION);
}
