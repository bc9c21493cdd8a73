//! A jurisdiction pack as the journal keeps it: the files' names and texts,
//! verbatim. What they mean (rules, catalogue, counting rules, units) is read
//! by the service, which checks a pack whole before anything is written.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The files of a pack, by name: the canonical form that is stored, hashed
/// and compared. A file is its exact text, so a pack read back is the pack
/// that was adopted, byte for byte.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct PackFiles(pub BTreeMap<String, String>);

impl PackFiles {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// SHA-256 of one file's text, in hex.
    pub fn file_hash(&self, name: &str) -> Option<String> {
        self.get(name).map(|text| hex(&Sha256::digest(text.as_bytes())))
    }

    /// SHA-256 over every file's name and text, each length-prefixed so no
    /// two packs share it by moving bytes from one file to the next.
    pub fn fingerprint(&self) -> String {
        let mut hasher = Sha256::new();
        for (name, text) in &self.0 {
            for part in [name.as_bytes(), text.as_bytes()] {
                hasher.update((part.len() as u64).to_be_bytes());
                hasher.update(part);
            }
        }
        hex(&hasher.finalize())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Adopts a pack: from the journal position of this act on, the registry
/// works under it. `effective_from` is the legal date it takes effect, kept
/// with the act for whoever reads the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Adoption {
    pub files: PackFiles,
    pub effective_from: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(files: &[(&str, &str)]) -> PackFiles {
        PackFiles(files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect())
    }

    #[test]
    fn the_fingerprint_tells_apart_bytes_moved_between_files() {
        let a = pack(&[("a.toml", "xy"), ("b.toml", "z")]);
        let b = pack(&[("a.toml", "x"), ("b.toml", "yz")]);
        assert_ne!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.fingerprint(), a.clone().fingerprint());
    }

    #[test]
    fn a_file_hash_is_the_sha256_of_its_text() {
        let p = pack(&[("a.toml", "abc")]);
        assert_eq!(p.file_hash("a.toml").unwrap(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(p.file_hash("b.toml"), None);
    }
}
