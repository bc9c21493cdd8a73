//! The hash behind derived identities: SHA-256 over fields each preceded by
//! its length in bytes (8 bytes, big-endian), the framing of the journal's
//! own hashes, so no two lists of fields hash alike by moving a boundary
//! (`"ab" + "c"` is not `"a" + "bc"`).

use sha2::{Digest, Sha256};

/// SHA-256 of the fields, each length-prefixed.
pub fn fields<'a>(fields: impl IntoIterator<Item = &'a [u8]>) -> [u8; 32] {
    let mut h = Sha256::new();
    for field in fields {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field);
    }
    h.finalize().into()
}

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_framed_by_their_lengths() {
        // sha256(00..02 "ab" 00..01 "c"), computed apart from this code.
        assert_eq!(
            hex(&fields([&b"ab"[..], b"c"])),
            "601d5476e2ccfe2c87a2bba7a322659734a05749d5b5aa781f513e4912db0d5f"
        );
        assert_ne!(fields([&b"ab"[..], b"c"]), fields([&b"a"[..], b"bc"]));
        assert_eq!(hex(&[0x00, 0x0f, 0xa5]), "000fa5");
    }
}
