//! The check-digit and checksum algorithms, each a few lines written from
//! its standard: Luhn (ISO/IEC 7812-1), ISO 7064 mod 97-10 (ISO 13616,
//! IBAN), base58check (Bitcoin's double SHA-256), bech32 and bech32m
//! (BIP-173, BIP-350) and EIP-55's mixed-case checksum (Keccak-256).

use sha2_hmac::{Digest, Sha256};
use sha3::Keccak256;

/// Luhn's check over ASCII digits, the last being the check digit.
pub fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// ISO 7064 mod 97-10 over digits and capital letters (A = 10 ... Z = 35),
/// computed piecewise so no number outgrows a u32.
pub fn mod97(text: &str) -> u32 {
    let mut remainder = 0u32;
    for c in text.chars() {
        let value = c.to_digit(36).unwrap_or(0);
        remainder = if value >= 10 { (remainder * 100 + value) % 97 } else { (remainder * 10 + value) % 97 };
    }
    remainder
}

const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// The bytes a base58 text stands for (each leading `1` a zero byte);
/// `None` for a character outside the alphabet.
pub fn base58_decode(text: &str) -> Option<Vec<u8>> {
    let mut bytes: Vec<u8> = Vec::new(); // big-endian, without the leading zeros
    for c in text.bytes() {
        let mut carry = BASE58.iter().position(|&a| a == c)? as u32;
        for byte in bytes.iter_mut().rev() {
            carry += u32::from(*byte) * 58;
            *byte = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            bytes.insert(0, (carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let zeros = text.bytes().take_while(|&c| c == b'1').count();
    let mut out = vec![0u8; zeros];
    out.extend(bytes);
    Some(out)
}

/// The payload of a base58check text (version byte first), checked against
/// its four-byte checksum: the start of SHA-256 twice over the payload.
pub enum Base58Check {
    Valid(Vec<u8>),
    Malformed,
    BadChecksum,
}

pub fn base58check(text: &str) -> Base58Check {
    let Some(bytes) = base58_decode(text) else { return Base58Check::Malformed };
    if bytes.len() < 5 {
        return Base58Check::Malformed;
    }
    let (payload, checksum) = bytes.split_at(bytes.len() - 4);
    let digest = Sha256::digest(Sha256::digest(payload));
    if digest[..4] == *checksum { Base58Check::Valid(payload.to_vec()) } else { Base58Check::BadChecksum }
}

const BECH32: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bech32Variant {
    /// BIP-173's constant 1: segwit version 0.
    Bech32,
    /// BIP-350's constant 0x2bc830a3: segwit versions 1 to 16.
    Bech32m,
}

fn polymod(values: impl Iterator<Item = u8>) -> u32 {
    const GENERATOR: [u32; 5] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
    let mut chk = 1u32;
    for value in values {
        let top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ u32::from(value);
        for (i, g) in GENERATOR.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

/// A bech32 text split into its human-readable part and its 5-bit data
/// (checksum removed), with the variant its checksum matches; `None` for a
/// text of mixed case, outside the alphabet, or with a wrong checksum.
pub fn bech32_decode(text: &str) -> Option<(String, Vec<u8>, Bech32Variant)> {
    if text.len() > 90 || (text.chars().any(|c| c.is_ascii_lowercase()) && text.chars().any(|c| c.is_ascii_uppercase()))
    {
        return None;
    }
    let text = text.to_ascii_lowercase();
    let separator = text.rfind('1')?;
    let (hrp, data) = (&text[..separator], &text[separator + 1..]);
    if hrp.is_empty() || data.len() < 6 || !hrp.bytes().all(|b| (33..=126).contains(&b)) {
        return None;
    }
    let data: Vec<u8> =
        data.bytes().map(|c| BECH32.iter().position(|&a| a == c).map(|p| p as u8)).collect::<Option<_>>()?;
    let expanded = hrp.bytes().map(|b| b >> 5).chain([0]).chain(hrp.bytes().map(|b| b & 31));
    let variant = match polymod(expanded.chain(data.iter().copied())) {
        1 => Bech32Variant::Bech32,
        0x2bc830a3 => Bech32Variant::Bech32m,
        _ => return None,
    };
    Some((hrp.to_string(), data[..data.len() - 6].to_vec(), variant))
}

/// Regroups 5-bit values into bytes, refusing padding of more than four
/// bits or non-zero padding (BIP-173).
pub fn five_to_eight(data: &[u8]) -> Option<Vec<u8>> {
    let (mut acc, mut bits, mut out) = (0u32, 0u32, Vec::new());
    for &value in data {
        acc = (acc << 5) | u32::from(value);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    if bits >= 5 || (acc << (8 - bits)) & 0xff != 0 {
        return None;
    }
    Some(out)
}

/// An Ethereum address's EIP-55 form: each letter of the hex address is a
/// capital where the matching nibble of the Keccak-256 hash of the
/// lower-case address is 8 or more.
pub fn eip55(lower_hex: &str) -> String {
    let hash = Keccak256::digest(lower_hex.as_bytes());
    lower_hex
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let nibble = if i % 2 == 0 { hash[i / 2] >> 4 } else { hash[i / 2] & 0x0f };
            if c.is_ascii_alphabetic() && nibble >= 8 { c.to_ascii_uppercase() } else { c }
        })
        .collect()
}

/// The Unicode label a Punycode label stands for (RFC 3492's decoder, the
/// part after `xn--`); `None` for a malformed one.
pub fn punycode_decode(encoded: &str) -> Option<String> {
    const BASE: u32 = 36;
    let (basic, extended) = match encoded.rfind('-') {
        Some(at) => (&encoded[..at], &encoded[at + 1..]),
        None => ("", encoded),
    };
    if !basic.is_ascii() {
        return None;
    }
    let mut output: Vec<char> = basic.chars().collect();
    let (mut n, mut i, mut bias) = (128u32, 0u32, 72u32);
    let mut digits = extended.bytes().peekable();
    while digits.peek().is_some() {
        let (old_i, mut weight, mut k) = (i, 1u32, BASE);
        loop {
            let digit = match digits.next()? {
                c @ b'a'..=b'z' => u32::from(c - b'a'),
                c @ b'A'..=b'Z' => u32::from(c - b'A'),
                c @ b'0'..=b'9' => u32::from(c - b'0') + 26,
                _ => return None,
            };
            i = i.checked_add(digit.checked_mul(weight)?)?;
            let threshold = k.saturating_sub(bias).clamp(1, 26);
            if digit < threshold {
                break;
            }
            weight = weight.checked_mul(BASE - threshold)?;
            k += BASE;
        }
        let length = output.len() as u32 + 1;
        bias = punycode_adapt(i - old_i, length, old_i == 0);
        n = n.checked_add(i / length)?;
        i %= length;
        output.insert(i as usize, char::from_u32(n)?);
        i += 1;
    }
    Some(output.into_iter().collect())
}

fn punycode_adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / 700 } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((36 - 1) * 26) / 2 {
        delta /= 36 - 1;
        k += 36;
    }
    k + (36 * delta) / (delta + 38)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_accepts_the_standard_examples_and_refuses_a_changed_digit() {
        assert!(luhn_valid("79927398713"));
        assert!(!luhn_valid("79927398710"));
        assert!(luhn_valid("4111111111111111"));
        assert!(!luhn_valid(""));
    }

    #[test]
    fn mod97_of_a_registry_iban_rearranged_is_one() {
        assert_eq!(mod97("WEST12345698765432GB82"), 1);
        assert_eq!(mod97("WEST12345698765432GB83"), 2);
    }

    #[test]
    fn base58_keeps_leading_zero_bytes() {
        assert_eq!(base58_decode("11").unwrap(), vec![0, 0]);
        assert_eq!(base58_decode("2g").unwrap(), vec![0x61]); // "a"
        assert!(base58_decode("0OIl").is_none());
    }

    #[test]
    fn bip173_and_bip350_checksums() {
        let bech32 = [
            "A12UEL5L",
            "a12uel5l",
            "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
            "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
            &format!("11{}c8247j", "q".repeat(82)),
            "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
            "?1ezyfcl",
        ];
        for text in bech32 {
            assert_eq!(bech32_decode(text).map(|(_, _, v)| v), Some(Bech32Variant::Bech32), "{text}");
        }
        let bech32m = [
            "A1LQFN3A",
            "a1lqfn3a",
            "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
            &format!("11{}ludsr8", "l".repeat(82)),
            "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
            "?1v759aa",
        ];
        for text in bech32m {
            assert_eq!(bech32_decode(text).map(|(_, _, v)| v), Some(Bech32Variant::Bech32m), "{text}");
        }
        // An hrp character out of range, no separator, an empty hrp, a data
        // character outside the alphabet, a checksum too short, mixed case.
        for text in [" 1nwldj5", "pzry9x0s0muk", "1pzry9x0s0muk", "x1b4n0q5v", "li1dgmt3", "10a06t8", "A12uEL5L"] {
            assert!(bech32_decode(text).is_none(), "{text}");
        }
    }

    #[test]
    fn punycode_labels_decode_as_rfc_3492_writes_them() {
        assert_eq!(punycode_decode("bcher-kva").as_deref(), Some("bücher"));
        assert_eq!(punycode_decode("mnchen-3ya").as_deref(), Some("münchen"));
        assert_eq!(punycode_decode("e1afmkfd").as_deref(), Some("пример"));
        assert_eq!(punycode_decode("p1ai").as_deref(), Some("рф"));
        // RFC 3492 7.1 (A), Arabic (Egyptian).
        assert_eq!(punycode_decode("egbpdaj6bu4bxfgehfvwxn").as_deref(), Some("ليهمابتكلموشعربي؟"));
        assert_eq!(punycode_decode("a-"), Some("a".to_string()));
        assert_eq!(punycode_decode("99999999999"), None);
        assert_eq!(punycode_decode("é-abc"), None);
    }

    #[test]
    fn five_to_eight_refuses_non_zero_padding() {
        assert_eq!(five_to_eight(&[0b01100, 0b00101]), None);
        assert_eq!(five_to_eight(&[0b01100, 0b00100]), Some(vec![0x61]));
    }
}
