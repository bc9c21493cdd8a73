//! Generated identifiers in their common forms: one key for all of them,
//! and a key that does not move when its display or the key itself is typed
//! back (a card's display is masked, so it is refused instead).

use crimeboard_identifiers::{IdentifierKind as K, lookup_key};

use crate::{ctx, ok, refused};

/// A small deterministic generator (a 64-bit LCG): the same inputs on every run.
struct Digits(u64);

impl Digits {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.next(10) as u8)).collect()
    }
}

fn luhn_completed(body: &str) -> String {
    (0..10).map(|d| format!("{body}{d}")).find(|n| ok_luhn(n)).unwrap()
}

fn ok_luhn(n: &str) -> bool {
    let sum: u32 = n
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn grouped(text: &str, size: usize, separator: &str) -> String {
    text.as_bytes().chunks(size).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(separator)
}

fn assert_stable(kind: K, key: &str, display: &str) {
    assert_eq!(lookup_key(kind, display, &ctx()).as_deref(), Ok(key), "{kind}: display {display:?}");
    assert_eq!(lookup_key(kind, key, &ctx()).as_deref(), Ok(key), "{kind}: key {key:?}");
}

#[test]
fn generated_phone_numbers_have_one_key_in_every_form() {
    let mut draw = Digits(1);
    for _ in 0..200 {
        let operator = ["50", "51", "55", "70", "77", "99", "10"][draw.next(7) as usize];
        let subscriber = format!("{}{}", 2 + draw.next(8), draw.digits(6));
        let key = format!("+994{operator}{subscriber}");
        for form in [
            key.clone(),
            format!("0{operator}{subscriber}"),
            format!("994{operator}{subscriber}"),
            format!("+994 {operator} {} {} {}", &subscriber[..3], &subscriber[3..5], &subscriber[5..]),
            format!("(0{operator}) {}-{}-{}", &subscriber[..3], &subscriber[3..5], &subscriber[5..]),
        ] {
            assert_eq!(lookup_key(K::Phone, &form, &ctx()).as_deref(), Ok(key.as_str()), "{form}");
        }
        assert_stable(K::Phone, &key, ok(K::Phone, &key).display());
    }
}

#[test]
fn generated_ibans_have_one_key_in_every_form() {
    let mut draw = Digits(2);
    for _ in 0..200 {
        let bank: String = (0..4).map(|_| char::from(b'A' + draw.next(26) as u8)).collect();
        let bban = format!("{bank}{}", draw.digits(20));
        let rearranged: String = format!("{bban}AZ00").chars().map(|c| c.to_digit(36).unwrap().to_string()).collect();
        let remainder = rearranged.bytes().fold(0u32, |r, b| (r * 10 + u32::from(b - b'0')) % 97);
        let iban = format!("AZ{:02}{bban}", 98 - remainder);
        for form in
            [iban.clone(), iban.to_lowercase(), grouped(&iban, 4, " "), format!("IBAN {}", grouped(&iban, 4, "-"))]
        {
            assert_eq!(lookup_key(K::Iban, &form, &ctx()).as_deref(), Ok(iban.as_str()), "{form}");
        }
        assert_stable(K::Iban, &iban, ok(K::Iban, &iban).display());
        // One digit changed is caught by the check digits.
        let changed = format!("{}{}", &iban[..27], (iban.as_bytes()[27] - b'0' + 1) % 10);
        assert_eq!(refused(K::Iban, &changed), "identifier.iban.checksum");
    }
}

#[test]
fn generated_cards_have_one_key_and_never_show_their_digits() {
    let mut draw = Digits(3);
    for _ in 0..200 {
        let number = luhn_completed(&format!("4{}", draw.digits(14)));
        let card = ok(K::Card, &number);
        for form in [grouped(&number, 4, " "), grouped(&number, 4, "-")] {
            assert_eq!(lookup_key(K::Card, &form, &ctx()).as_deref(), Ok(card.value()));
        }
        let shown = [format!("{card:?}"), card.to_string(), serde_json::to_string(&card).unwrap()].concat();
        assert!(!shown.contains(&number[6..12]), "{shown}");
        assert_eq!(refused(K::Card, card.display()), "identifier.card.characters");
    }
}

#[test]
fn generated_imeis_have_one_key_in_every_form() {
    let mut draw = Digits(4);
    for _ in 0..200 {
        let imei = luhn_completed(&draw.digits(14));
        for form in [
            imei.clone(),
            format!("{}-{}-{}-{}", &imei[..2], &imei[2..8], &imei[8..14], &imei[14..]),
            grouped(&imei, 3, " "),
        ] {
            assert_eq!(lookup_key(K::Imei, &form, &ctx()).as_deref(), Ok(imei.as_str()), "{form}");
        }
        assert_stable(K::Imei, &imei, ok(K::Imei, &imei).display());
    }
}

#[test]
fn every_kinds_display_and_key_type_back_to_the_same_key() {
    let samples = [
        (K::Account, "505000 0000 0000 1370 1000 1944"),
        (K::Email, "Ivan Petrov <Ivan.Petrov@MAIL.ru>"),
        (K::Url, "HTTPS://Login.Example.co.uk:8443/a b?x=%7e#top"),
        (K::Url, "http://[2001:DB8::1]/"),
        (K::Url, "https://example.com/go?to=http://login.example.net/"),
        (K::Domain, "https://WWW.Example.com/path"),
        (K::Ip, "[2001:DB8::1]:443 2024-03-01 10:00:00+04:00"),
        (K::Ip, "203.0.113.5:51234"),
        (K::Wallet, "PayPal: Ivan@Mail.ru"),
        (K::Wallet, "m10 050 123 45 67"),
        (K::Wallet, "Payeer P 1000 ABC"),
        (K::Wallet, "someprovider: account:with:colons"),
        (K::Crypto, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
        (K::Crypto, "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"),
        (K::Crypto, "sol So11111111111111111111111111111111111111112"),
        (K::Social, "https://www.instagram.com/Some.Name/"),
        (K::Social, "wa.me/994501234567"),
    ];
    for (kind, input) in samples {
        let identifier = ok(kind, input);
        assert_stable(kind, identifier.value(), identifier.display());
    }
}

/// What edits make of an accepted input: characters that separate, escape
/// or look alike, inserted, removed, replaced or doubled.
fn mutated(draw: &mut Digits, input: &str) -> String {
    const ALPHABET: &[char] = &[
        '0', '1', '7', '9', 'a', 'Z', 'x', 'n', ':', '/', '@', '.', '-', '_', ' ', '+', '?', '#', '%', '[', ']', '<',
        '>', 'é', 'İ', 'ß', 'Ø', '\t', '\u{a0}', '\u{0}',
    ];
    let mut chars: Vec<char> = input.chars().collect();
    for _ in 0..1 + draw.next(3) {
        let at = draw.next(chars.len() as u64 + 1) as usize;
        let c = ALPHABET[draw.next(ALPHABET.len() as u64) as usize];
        match draw.next(4) {
            0 => chars.insert(at, c),
            1 if at < chars.len() => drop(chars.remove(at)),
            2 if at < chars.len() => chars[at] = c,
            _ => {
                let tail: Vec<char> = chars[at..].iter().take(4).copied().collect();
                chars.splice(at..at, tail);
            }
        }
    }
    chars.into_iter().collect()
}

#[test]
fn mutated_inputs_keep_every_promise() {
    let seeds = [
        (K::Phone, "+994 50 123 45 67"),
        (K::Phone, "0501234567"),
        (K::Card, "4111 1111 1111 1111"),
        (K::Iban, "AZ21 NABZ 0000 0000 1370 1000 1944"),
        (K::Account, "505000 00000000137010001944"),
        (K::Email, "Ivan <Ivan.Petrov@xn--e1afmkfd.xn--p1ai>"),
        (K::Url, "https://user@Login.Example.co.uk:8443/a%2fb?x=1#f"),
        (K::Url, "http://[2001:db8::1]:80/"),
        (K::Domain, "www.Example.com."),
        (K::Ip, "[::ffff:203.0.113.5]:443 2024-03-01 10:00:00+04:00"),
        (K::Imei, "49-015420-323751-8"),
        (K::Wallet, "PayPal: Ivan@Mail.ru"),
        (K::Wallet, "m10 050 123 45 67"),
        (K::Wallet, "webmoney z123456789012"),
        (K::Crypto, "bitcoin:BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4?amount=1"),
        (K::Crypto, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
        (K::Crypto, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
        (K::Social, "https://www.facebook.com/profile.php?id=100012345678"),
        (K::Social, "wa.me/994501234567"),
        (K::Social, "telegram @Some_Name"),
    ];
    let mut draw = Digits(5);
    for (kind, seed) in seeds {
        crate::promises::check_promises(kind, seed, &ctx());
        for _ in 0..1500 {
            let input = mutated(&mut draw, seed);
            crate::promises::check_promises(kind, &input, &ctx());
            // The same text as every other kind.
            crate::promises::check_promises(K::ALL[draw.next(12) as usize], &input, &ctx());
        }
    }
}
