//! Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA1, six
//! digits, 30-second steps, the form every authenticator app reads from an
//! `otpauth://` URI. Small enough to keep here rather than add a crate.

use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};

const STEP_SECONDS: i64 = 30;
const DIGITS: u32 = 6;
/// Steps either side of now a code is still taken for, for clocks that drift.
const WINDOW: i64 = 1;

/// The code for a secret at a time.
pub fn code(secret: &[u8], at: DateTime<Utc>) -> String {
    code_at_step(secret, at.timestamp().div_euclid(STEP_SECONDS))
}

fn code_at_step(secret: &[u8], step: i64) -> String {
    let Ok(mut mac) = Hmac::<sha1::Sha1>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    // Dynamic truncation (RFC 4226 5.3).
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let bin = u32::from_be_bytes([digest[offset] & 0x7f, digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
    format!("{:0width$}", bin % 10u32.pow(DIGITS), width = DIGITS as usize)
}

/// The time step a typed code is right for, give or take a step: `None`
/// if it is right for none. The caller refuses a step already used.
pub fn verify(secret: &[u8], typed: &str, at: DateTime<Utc>) -> Option<i64> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != DIGITS as usize || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = at.timestamp().div_euclid(STEP_SECONDS);
    (now - WINDOW..=now + WINDOW)
        .find(|step| constant_time_eq(code_at_step(secret, *step).as_bytes(), typed.as_bytes()))
}

/// The URI an authenticator app scans.
pub fn uri(issuer: &str, login: &str, secret: &[u8]) -> String {
    let label = format!("{}:{}", percent(issuer), percent(login));
    format!(
        "otpauth://totp/{label}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        base32(secret),
        percent(issuer)
    )
}

/// RFC 4648 base32 without padding, as authenticator apps expect.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// The bytes of an unpadded base32 text, or `None` if it is not base32.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        buffer = (buffer << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

fn percent(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Compares without stopping at the first difference, so the time taken
/// says nothing about how much of a guess was right.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_test_vectors() {
        // Appendix B, SHA-1, the last six digits of the eight-digit codes.
        let secret = b"12345678901234567890";
        for (t, expected) in
            [(59, "287082"), (1_111_111_109, "081804"), (1_234_567_890, "005924"), (2_000_000_000, "279037")]
        {
            assert_eq!(code(secret, DateTime::from_timestamp(t, 0).unwrap()), expected, "t={t}");
        }
    }

    #[test]
    fn a_code_is_taken_one_step_either_side_and_no_further() {
        let secret = b"12345678901234567890";
        let at = DateTime::from_timestamp(1_111_111_109, 0).unwrap();
        let step = 1_111_111_109 / 30;
        assert_eq!(verify(secret, "081804", at), Some(step));
        assert_eq!(verify(secret, "081 804", at + chrono::Duration::seconds(30)), Some(step));
        assert_eq!(verify(secret, "081804", at + chrono::Duration::seconds(90)), None);
        assert_eq!(verify(secret, "08180", at), None);
        assert_eq!(verify(secret, "０８１８０４", at), None);
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("MZXW6YTBOI").unwrap(), b"foobar");
        assert_eq!(base32_decode("mzxw"), None);
    }

    #[test]
    fn the_uri_names_issuer_and_login() {
        let u = uri("Crimeboard", "ali.v", b"12345");
        assert_eq!(
            u,
            "otpauth://totp/Crimeboard:ali.v?secret=GEZDGNBV&issuer=Crimeboard&algorithm=SHA1&digits=6&period=30"
        );
    }
}
