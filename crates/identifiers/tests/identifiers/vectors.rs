//! The standards' own examples: the IBAN registry's, BIP-173's and
//! BIP-350's segwit addresses, EIP-55's addresses, an IMEI of 3GPP's form.

use crimeboard_identifiers::IdentifierKind as K;

use crate::{ok, refused};

#[test]
fn the_iban_registrys_examples_are_accepted() {
    for iban in [
        "GB82 WEST 1234 5698 7654 32",
        "AZ21 NABZ 0000 0000 1370 1000 1944",
        "DE89 3704 0044 0532 0130 00",
        "FR14 2004 1010 0505 0001 3M02 606",
        "NL91 ABNA 0417 1643 00",
        "BE68 5390 0754 7034",
        "CH93 0076 2011 6238 5295 7",
        "NO93 8601 1117 947",
        "TR33 0006 1005 1978 6457 8413 26",
        "GE29 NB00 0000 0101 9049 17",
        "AT61 1904 3002 3457 3201",
        "ES91 2100 0418 4502 0005 1332",
        "IT60 X054 2811 1010 0000 0123 456",
        "UA21 3223 1300 0002 6007 2335 6600 1",
        "KZ86 125K ZT50 0410 0100",
    ] {
        assert_eq!(ok(K::Iban, iban).display(), iban);
    }
}

#[test]
fn bip173_and_bip350_segwit_addresses() {
    for address in [
        "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
        "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
        "BC1SW50QGDZ25J",
        "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
    ] {
        assert_eq!(ok(K::Crypto, address).value(), format!("bitcoin:{}", address.to_lowercase()));
    }
    // Version 0 under bech32m, version 1 under bech32.
    assert_eq!(refused(K::Crypto, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh"), "identifier.crypto.checksum");
    assert_eq!(
        refused(K::Crypto, "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd"),
        "identifier.crypto.checksum"
    );
    // Mixed case.
    assert_eq!(refused(K::Crypto, "bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"), "identifier.crypto.checksum");
    // A version 0 program of 16 bytes, non-zero padding, an empty data part.
    assert_eq!(refused(K::Crypto, "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P"), "identifier.crypto.invalid");
    assert_eq!(refused(K::Crypto, "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du"), "identifier.crypto.invalid");
    assert_eq!(refused(K::Crypto, "bc1gmk9yu"), "identifier.crypto.invalid");
    // A testnet address is no main-chain Bitcoin address.
    assert_eq!(
        refused(K::Crypto, "bitcoin:tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7"),
        "identifier.crypto.invalid"
    );
}

#[test]
fn base58check_addresses_of_bitcoin_and_tron() {
    for address in [
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
        "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
    ] {
        assert_eq!(ok(K::Crypto, address).value(), format!("bitcoin:{address}"));
    }
    assert_eq!(ok(K::Crypto, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").value(), "tron:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t");
}

#[test]
fn eip55s_examples_are_their_own_checksummed_form() {
    for address in [
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ] {
        assert_eq!(ok(K::Crypto, &address.to_lowercase()).display(), format!("ethereum {address}"));
        assert_eq!(ok(K::Crypto, address).value(), format!("ethereum:{}", address.to_lowercase()));
    }
    // All capitals carry no checksum, as EIP-55 says.
    assert_eq!(
        ok(K::Crypto, "0x52908400098527886E0F7030069857D2E4169EE7").display(),
        "ethereum 0x52908400098527886E0F7030069857D2E4169EE7"
    );
}

#[test]
fn an_imei_of_the_standards_form() {
    assert_eq!(ok(K::Imei, "490154203237518").value(), "490154203237518");
    assert_eq!(ok(K::Imei, "356938035643809").value(), "356938035643809");
}
