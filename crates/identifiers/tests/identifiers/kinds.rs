//! Each kind: several common forms of one identifier give one key, and each
//! malformed input is refused with the rule it breaks.

use crimeboard_identifiers::{Chain, IdentifierKind as K, MAX_INPUT_LEN, Normalising, Platform, parse};

use crate::{ctx, ok, one_key, refused};

#[test]
fn any_kind_refuses_a_blank_input_and_a_pasted_page() {
    for kind in K::ALL {
        assert_eq!(refused(kind, "  \t "), "identifier.empty", "{kind}");
        assert_eq!(refused(kind, &"1".repeat(MAX_INPUT_LEN + 1)), "identifier.too_long", "{kind}");
    }
}

#[test]
fn kinds_are_written_by_their_codes() {
    for kind in K::ALL {
        assert_eq!(K::from_code(kind.code()), Some(kind));
        assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.code()));
    }
    assert_eq!(K::from_code("telephone"), None);
}

#[test]
fn a_phone_number_in_any_common_form_is_its_e164() {
    one_key(
        K::Phone,
        &[
            "+994 50 123 45 67",
            "0501234567",
            "994501234567",
            "(050) 123-45-67",
            "00994 50 123 45 67",
            "tel:+994-50-123-45-67",
            "50 123 45 67",
        ],
        "+994501234567",
    );
    let number = ok(K::Phone, "0501234567");
    assert_eq!(number.display(), "+994 50 123 45 67");
    assert_eq!(number.extra().country.as_deref(), Some("AZ"));
    // A number with its country code is that country's, whatever the installation's.
    one_key(K::Phone, &["+44 20 7946 0958", "0044 20 7946 0958"], "+442079460958");
    assert_eq!(ok(K::Phone, "+44 20 7946 0958").extra().country.as_deref(), Some("GB"));
}

#[test]
fn a_phone_number_the_plans_do_not_hold_is_refused() {
    assert_eq!(refused(K::Phone, "+994 50 123"), "identifier.phone.invalid");
    assert_eq!(refused(K::Phone, "123"), "identifier.phone.invalid");
    assert_eq!(refused(K::Phone, "+994 00 000 00 00"), "identifier.phone.invalid");
    assert_eq!(refused(K::Phone, "+994 50 123 45 67 ext. 5"), "identifier.phone.characters");
    assert_eq!(refused(K::Phone, "call me"), "identifier.phone.characters");
    let nowhere = Normalising { default_country: "ZZ", ..ctx() };
    assert_eq!(parse(K::Phone, "0501234567", &nowhere).unwrap_err().rule, "identifier.phone.default_country");
}

#[test]
fn the_default_country_reads_a_national_number() {
    let britain = Normalising { default_country: "GB", ..ctx() };
    assert_eq!(parse(K::Phone, "020 7946 0958", &britain).unwrap().value(), "+442079460958");
    // The same digits are no Azerbaijani number.
    assert_eq!(refused(K::Phone, "020 7946 0958"), "identifier.phone.invalid");
}

#[test]
fn an_iban_with_spaces_or_in_lower_case_is_one_key() {
    one_key(
        K::Iban,
        &[
            "GB82 WEST 1234 5698 7654 32",
            "gb82west12345698765432",
            "IBAN GB82-WEST-1234-5698-7654-32",
            "IBAN: GB82 WEST 1234 5698 7654 32",
        ],
        "GB82WEST12345698765432",
    );
    let iban = ok(K::Iban, "az21nabz00000000137010001944");
    assert_eq!(iban.value(), "AZ21NABZ00000000137010001944");
    assert_eq!(iban.display(), "AZ21 NABZ 0000 0000 1370 1000 1944");
    assert_eq!(iban.extra().country.as_deref(), Some("AZ"));
    assert_eq!(iban.extra().bank.as_deref(), Some("NABZ"));
}

#[test]
fn a_malformed_iban_names_its_rule() {
    assert_eq!(refused(K::Iban, "GB82 WEST 1234 5698 7654 33"), "identifier.iban.checksum");
    assert_eq!(refused(K::Iban, "GB28 WEST 1234 5698 7654 32"), "identifier.iban.checksum");
    assert_eq!(refused(K::Iban, "GB82 WEST 1234 5698 7654 3"), "identifier.iban.length");
    assert_eq!(refused(K::Iban, "AZ21NABZ0000000013701000194"), "identifier.iban.length");
    assert_eq!(refused(K::Iban, "QQ82WEST12345698765432"), "identifier.iban.country");
    assert_eq!(refused(K::Iban, "GBXXWEST12345698765432"), "identifier.iban.check_digits");
    assert_eq!(refused(K::Iban, "GB82_WEST_1234"), "identifier.iban.characters");
}

#[test]
fn a_domestic_account_is_its_bank_code_and_number() {
    one_key(
        K::Account,
        &["NABZAZ2X 00000000137010001944", "nabzaz2x/0000 0000 1370 1000 1944", "NABZAZ2X:00000000137010001944"],
        "NABZAZ2X/00000000137010001944",
    );
    let account = ok(K::Account, "505000 00000000137010001944");
    assert_eq!(account.value(), "505000/00000000137010001944");
    assert_eq!(account.extra().bank.as_deref(), Some("505000"));
}

#[test]
fn a_malformed_account_names_its_rule() {
    assert_eq!(refused(K::Account, "00000000137010001944"), "identifier.account.form");
    assert_eq!(refused(K::Account, "50500 00000000137010001944"), "identifier.account.bank");
    assert_eq!(refused(K::Account, "NABZ 00000000137010001944"), "identifier.account.bank");
    assert_eq!(refused(K::Account, "505000 0000000013701000194"), "identifier.account.number");
    assert_eq!(refused(K::Account, "505000 0000000013701000194#"), "identifier.account.number");
    // Another country's account number is shorter or longer.
    let britain = Normalising { default_country: "GB", ..ctx() };
    assert_eq!(parse(K::Account, "NWBKGB2L 31926819", &britain).unwrap().value(), "NWBKGB2L/31926819");
}

#[test]
fn an_email_address_folds_its_domain_and_keeps_its_local_part() {
    one_key(
        K::Email,
        &[
            "Ivan.Petrov@Mail.RU",
            "mailto:Ivan.Petrov@mail.ru",
            "Ivan Petrov <Ivan.Petrov@MAIL.ru>",
            "Ivan.Petrov@mail.ru.",
        ],
        "Ivan.Petrov@mail.ru",
    );
    assert_ne!(ok(K::Email, "ivan.petrov@mail.ru").value(), "Ivan.Petrov@mail.ru");
    let email = ok(K::Email, "someone@mail.example.co.uk");
    assert_eq!(email.extra().host.as_deref(), Some("mail.example.co.uk"));
    assert_eq!(email.extra().registrable_domain.as_deref(), Some("example.co.uk"));
}

#[test]
fn a_malformed_email_address_names_its_rule() {
    for input in
        ["ivan.mail.ru", "@mail.ru", "ivan..petrov@mail.ru", ".ivan@mail.ru", "iv an@mail.ru", "\"ivan\"@mail.ru"]
    {
        assert_eq!(refused(K::Email, input), "identifier.email.invalid", "{input}");
    }
    for input in ["ivan@localhost", "ivan@mail", "ivan@-mail.ru", "ivan@mail.notatld", "ivan@co.uk"] {
        assert_eq!(refused(K::Email, input), "identifier.email.domain", "{input}");
    }
}

#[test]
fn a_web_address_is_one_key_whatever_its_scheme_case_port_and_fragment() {
    one_key(
        K::Url,
        &[
            "https://www.example.com/login?next=1",
            "HTTP://WWW.EXAMPLE.COM/login?next=1#form",
            "https://www.example.com:443/login?next=1",
            "http://www.example.com:80/login?next=1",
            "www.example.com/login?next=1",
        ],
        "www.example.com/login?next=1",
    );
    one_key(K::Url, &["https://example.com", "example.com/", "EXAMPLE.com."], "example.com/");
    let url = ok(K::Url, "https://Secure-Login.Bank.example.co.uk:8443/a%2fb c");
    assert_eq!(url.value(), "secure-login.bank.example.co.uk:8443/a%2Fb%20c");
    assert_eq!(url.display(), "https://secure-login.bank.example.co.uk:8443/a%2Fb%20c");
    assert_eq!(url.extra().host.as_deref(), Some("secure-login.bank.example.co.uk"));
    assert_eq!(url.extra().registrable_domain.as_deref(), Some("example.co.uk"));
    // www. is a host of its own: the registrable domain ties the two.
    assert_ne!(ok(K::Url, "example.com").value(), ok(K::Url, "www.example.com").value());
    assert_eq!(ok(K::Url, "www.example.com").extra().registrable_domain.as_deref(), Some("example.com"));
    // An IP host has no registrable domain.
    let literal = ok(K::Url, "http://[2001:DB8::1]:8080/x");
    assert_eq!(literal.value(), "[2001:db8::1]:8080/x");
    assert_eq!(literal.extra().registrable_domain, None);
    assert_eq!(ok(K::Url, "http://203.0.113.5/").value(), "203.0.113.5/");
}

#[test]
fn a_malformed_web_address_names_its_rule() {
    assert_eq!(refused(K::Url, "ftp://example.com/file"), "identifier.url.scheme");
    assert_eq!(refused(K::Url, "javascript://alert(1)"), "identifier.url.scheme");
    assert_eq!(refused(K::Url, "https://example.com:99999/"), "identifier.url.port");
    assert_eq!(refused(K::Url, "https://example.com:0/"), "identifier.url.port");
    assert_eq!(refused(K::Url, "https://example.com:http/"), "identifier.url.port");
    assert_eq!(refused(K::Url, "https://exa_mple.com/"), "identifier.url.host");
    assert_eq!(refused(K::Url, "https://localhost/"), "identifier.url.host");
    assert_eq!(refused(K::Url, "https://[2001:db8::zz]/"), "identifier.url.host");
    assert_eq!(refused(K::Url, "https://example.com/%zz"), "identifier.url.characters");
    assert_eq!(refused(K::Url, "https://example.com/a\u{7}b"), "identifier.url.characters");
}

#[test]
fn a_domain_is_lower_case_with_its_registrable_domain() {
    one_key(
        K::Domain,
        &["Login-Bank.Example.co.uk", "login-bank.example.co.uk.", "https://LOGIN-BANK.example.co.uk/path"],
        "login-bank.example.co.uk",
    );
    assert_eq!(ok(K::Domain, "mail.gov.az").extra().registrable_domain.as_deref(), Some("mail.gov.az"));
    // An internationalised name is one key in Unicode and in Punycode.
    one_key(K::Domain, &["Пример.РФ", "xn--e1afmkfd.xn--p1ai", "XN--E1AFMKFD.рф"], "пример.рф");
    assert_eq!(ok(K::Domain, "xn--e1afmkfd.xn--p1ai").extra().registrable_domain.as_deref(), Some("пример.рф"));
    assert_eq!(ok(K::Url, "https://xn--bcher-kva.de/").value(), "bücher.de/");
}

#[test]
fn a_malformed_domain_names_its_rule() {
    assert_eq!(refused(K::Domain, "localhost"), "identifier.domain.invalid");
    assert_eq!(refused(K::Domain, "-bank.example.com"), "identifier.domain.invalid");
    assert_eq!(refused(K::Domain, "bank..example.com"), "identifier.domain.invalid");
    assert_eq!(refused(K::Domain, &format!("{}.com", "a".repeat(64))), "identifier.domain.invalid");
    assert_eq!(refused(K::Domain, "bank.example.notatld"), "identifier.domain.suffix");
    assert_eq!(refused(K::Domain, "xn--99999999999.com"), "identifier.domain.invalid");
    // Punycode that decodes to ASCII alone would be typed back as another name.
    assert_eq!(refused(K::Domain, "xn--xn--abc-.com"), "identifier.domain.invalid");
    assert_eq!(refused(K::Domain, "co.uk"), "identifier.domain.public_suffix");
    assert_eq!(refused(K::Domain, "gov.az"), "identifier.domain.public_suffix");
}

#[test]
fn an_ip_address_is_its_canonical_text_with_its_port_and_time_beside() {
    one_key(
        K::Ip,
        &["203.0.113.5", "203.0.113.5:443", "::ffff:203.0.113.5", "203.0.113.5 2024-03-01T10:00:00Z"],
        "203.0.113.5",
    );
    one_key(K::Ip, &["2001:DB8::0001", "[2001:db8:0:0::1]:8080", "2001:db8::1"], "2001:db8::1");
    let sighting = ok(K::Ip, "203.0.113.5:51234 2024-03-01 10:00:00+04:00");
    assert_eq!(sighting.extra().port, Some(51234));
    assert_eq!(sighting.extra().seen_at.map(|at| at.to_rfc3339()), Some("2024-03-01T06:00:00+00:00".to_string()));
    assert_eq!(sighting.display(), "203.0.113.5:51234 2024-03-01T06:00:00Z");
    assert_eq!(ok(K::Ip, "[2001:db8::1]:443").display(), "[2001:db8::1]:443");
}

#[test]
fn a_malformed_ip_address_names_its_rule() {
    assert_eq!(refused(K::Ip, "203.0.113"), "identifier.ip.invalid");
    assert_eq!(refused(K::Ip, "203.0.113.256"), "identifier.ip.invalid");
    assert_eq!(refused(K::Ip, "203.000.113.005"), "identifier.ip.invalid");
    assert_eq!(refused(K::Ip, "example.com"), "identifier.ip.invalid");
    assert_eq!(refused(K::Ip, "203.0.113.5:70000"), "identifier.ip.port");
    assert_eq!(refused(K::Ip, "203.0.113.5:0"), "identifier.ip.port");
    assert_eq!(refused(K::Ip, "[2001:db8::1]:x"), "identifier.ip.port");
    // A time without its offset is no instant: which zone would it be?
    assert_eq!(refused(K::Ip, "203.0.113.5 2024-03-01 10:00:00"), "identifier.ip.seen_at");
    assert_eq!(refused(K::Ip, "203.0.113.5 yesterday"), "identifier.ip.seen_at");
}

#[test]
fn an_imei_with_separators_is_its_fifteen_digits() {
    one_key(K::Imei, &["490154203237518", "49-015420-323751-8", "49 015420 323751 8"], "490154203237518");
    assert_eq!(ok(K::Imei, "490154203237518").display(), "49-015420-323751-8");
}

#[test]
fn a_malformed_imei_names_its_rule() {
    assert_eq!(refused(K::Imei, "490154203237517"), "identifier.imei.luhn");
    assert_eq!(refused(K::Imei, "49015420323751"), "identifier.imei.length");
    assert_eq!(refused(K::Imei, "4901542032375180"), "identifier.imei.length");
    assert_eq!(refused(K::Imei, "49015420323751A"), "identifier.imei.characters");
}

#[test]
fn a_wallet_is_its_provider_and_account_by_the_providers_rules() {
    one_key(K::Wallet, &["PayPal: Ivan.Petrov@Mail.ru", "paypal Ivan.Petrov@mail.ru"], "paypal:Ivan.Petrov@mail.ru");
    one_key(K::Wallet, &["m10 050 123 45 67", "M10:+994501234567"], "m10:+994501234567");
    one_key(K::Wallet, &["WebMoney z123456789012", "webmoney:Z123456789012"], "webmoney:Z123456789012");
    one_key(K::Wallet, &["yoomoney 4100 1234 5678 901", "YooMoney:41001234567890 1"], "yoomoney:410012345678901");
    one_key(K::Wallet, &["Payeer: P 1000 ABC", "payeer p1000abc"], "payeer:p1000abc");
    let wallet = ok(K::Wallet, "m10 0501234567");
    assert_eq!(wallet.extra().provider.as_deref(), Some("m10"));
    assert_eq!(wallet.display(), "m10: +994 50 123 45 67");
}

#[test]
fn a_malformed_wallet_names_its_rule() {
    assert_eq!(refused(K::Wallet, "paypal"), "identifier.wallet.form");
    assert_eq!(refused(K::Wallet, "pay pal:someone@example.com"), "identifier.wallet.provider");
    assert_eq!(refused(K::Wallet, "p:someone"), "identifier.wallet.provider");
    assert_eq!(refused(K::Wallet, "pay_pal:someone"), "identifier.wallet.provider");
    assert_eq!(refused(K::Wallet, "webmoney 123456789012"), "identifier.wallet.account");
    assert_eq!(refused(K::Wallet, "yoomoney 4100"), "identifier.wallet.account");
    let error = crimeboard_identifiers::parse(K::Wallet, "paypal ivan", &ctx()).unwrap_err();
    assert_eq!((error.rule, error.param("rule")), ("identifier.wallet.account", Some("identifier.email.invalid")));
    assert_eq!(refused(K::Wallet, "m10 123"), "identifier.wallet.account");
}

#[test]
fn a_crypto_address_is_its_chain_and_address() {
    one_key(
        K::Crypto,
        &[
            "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
            "bitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
            "BTC bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4?amount=0.1",
        ],
        "bitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
    );
    one_key(
        K::Crypto,
        &[
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
            "eth:0X5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED",
            "ERC20 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
        ],
        "ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
    );
    // The page shows EIP-55's form, whatever was typed.
    assert_eq!(
        ok(K::Crypto, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").display(),
        "ethereum 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    );
    one_key(
        K::Crypto,
        &["TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "TRC20: TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"],
        "tron:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
    );
    assert_eq!(ok(K::Crypto, "sol So11111111111111111111111111111111111111112").extra().chain, Some(Chain::Solana));
    assert_eq!(ok(K::Crypto, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2").extra().chain, Some(Chain::Bitcoin));
}

#[test]
fn a_malformed_crypto_address_names_its_rule() {
    // One character changed in each checksummed form.
    assert_eq!(refused(K::Crypto, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"), "identifier.crypto.checksum");
    assert_eq!(refused(K::Crypto, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"), "identifier.crypto.checksum");
    assert_eq!(refused(K::Crypto, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"), "identifier.crypto.checksum");
    assert_eq!(refused(K::Crypto, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u"), "identifier.crypto.checksum");
    assert_eq!(refused(K::Crypto, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea"), "identifier.crypto.invalid");
    assert_eq!(refused(K::Crypto, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN0"), "identifier.crypto.invalid");
    // A Tron address is no Bitcoin one.
    assert_eq!(refused(K::Crypto, "bitcoin:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"), "identifier.crypto.invalid");
    assert_eq!(refused(K::Crypto, "solana:So1111111111111111111111111111111"), "identifier.crypto.invalid");
    assert_eq!(refused(K::Crypto, "bitcoin:"), "identifier.crypto.invalid");
    assert_eq!(refused(K::Crypto, "dogecoin:DH5yaieqoZN36fDVciNyRueRGvGLR3mr7L"), "identifier.crypto.chain");
    assert_eq!(refused(K::Crypto, "So11111111111111111111111111111111111111112"), "identifier.crypto.chain");
}

#[test]
fn a_social_account_is_its_platform_and_folded_handle() {
    one_key(
        K::Social,
        &[
            "https://t.me/Some_Name",
            "t.me/some_name/",
            "telegram @Some_Name",
            "Telegram:some_name",
            "tg some_name",
            "https://telegram.me/some_name?start=1",
        ],
        "telegram:some_name",
    );
    one_key(
        K::Social,
        &["instagram.com/some.name/", "https://www.instagram.com/Some.Name?igsh=x", "ig @some.name"],
        "instagram:some.name",
    );
    one_key(
        K::Social,
        &["https://twitter.com/Some_Name", "x.com/some_name", "twitter @some_name", "x:Some_Name"],
        "x:some_name",
    );
    one_key(
        K::Social,
        &["https://www.facebook.com/profile.php?id=100012345678&ref=x", "fb 100012345678"],
        "facebook:100012345678",
    );
    one_key(K::Social, &["https://www.tiktok.com/@some.name?lang=en", "tiktok @Some.Name"], "tiktok:some.name");
    one_key(
        K::Social,
        &["wa.me/994501234567", "whatsapp 050 123 45 67", "WhatsApp: +994 50 123 45 67"],
        "whatsapp:+994501234567",
    );
    let account = ok(K::Social, "https://t.me/Some_Name");
    assert_eq!(account.extra().platform, Some(Platform::Telegram));
    assert_eq!(account.display(), "telegram @some_name");
}

#[test]
fn a_malformed_social_account_names_its_rule() {
    assert_eq!(refused(K::Social, "myspace:someone"), "identifier.social.platform");
    assert_eq!(refused(K::Social, "@someone"), "identifier.social.platform");
    assert_eq!(refused(K::Social, "https://example.com/someone"), "identifier.social.platform");
    assert_eq!(refused(K::Social, "telegram @abc"), "identifier.social.handle");
    assert_eq!(refused(K::Social, "x:this_handle_is_too_long"), "identifier.social.handle");
    assert_eq!(refused(K::Social, "instagram some-name"), "identifier.social.handle");
    assert_eq!(refused(K::Social, "whatsapp 123"), "identifier.social.handle");
    let error = crimeboard_identifiers::parse(K::Social, "telegram @abc", &ctx()).unwrap_err();
    assert_eq!((error.param("platform"), error.param("min")), (Some("telegram"), Some("5")));
}
