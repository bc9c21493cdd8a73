//! The identity of a row that has no id of its own: what it says, never where
//! it is. A row is known by a hash of its cells, by column name, and by its
//! occurrence among the rows of its file that say exactly the same (the first
//! such row is occurrence 1, the next 2): two incidents recorded alike are both
//! kept, while re-sorting the file, reordering its columns, or importing rows
//! fixed in the error file (whose added columns are not the row's) gives each
//! row the identity it had, so nothing is imported twice.

use crate::digest;
use crate::errors::EXTRA_COLUMNS;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// How many hex digits of the hash an identity keeps: 128 bits, so that two
/// different rows sharing one is out of reach, in a key a quarter the length
/// of the whole hash.
const HASH_DIGITS: usize = 32;

/// The columns of a file that are the rows' own: all of them, less the four
/// an error file adds after them (so a row fixed there is the row it was).
pub fn own_columns(header: &[String]) -> usize {
    let n = header.len();
    let added = EXTRA_COLUMNS.len();
    if n >= added && header[n - added..].iter().zip(EXTRA_COLUMNS).all(|(h, e)| h == e) { n - added } else { n }
}

/// A hash of a row's own cells, paired with their columns' names and taken
/// in the order of those pairs (so the order of the columns does not matter):
/// name and cell alternately, each length-prefixed (`digest::fields`).
pub fn content_hash(header: &[String], record: &csv::ByteRecord) -> [u8; 16] {
    let mut pairs: Vec<(&[u8], &[u8])> =
        header.iter().enumerate().map(|(i, h)| (h.as_bytes(), record.get(i).unwrap_or_default())).collect();
    pairs.sort_unstable();
    let hash = digest::fields(pairs.iter().flat_map(|(name, cell)| [*name, *cell]));
    hash[..HASH_DIGITS / 2].try_into().expect("16 of 32 bytes")
}

/// How often each content has been seen in this file: what the file holds of
/// rows without an id (about 40 bytes each), not a batch.
#[derive(Debug, Default)]
pub struct Occurrences(HashMap<[u8; 16], u32>);

impl Occurrences {
    /// The identity of a row of this content: `row-HASH-N`, N its occurrence.
    pub fn identity(&mut self, hash: [u8; 16]) -> String {
        let n = self.0.entry(hash).or_insert(0);
        *n += 1;
        format!("row-{}-{n}", digest::hex(&hash))
    }
}

/// The identity such a row was given before (`id_when_empty = "digest"`):
/// its line and the first 8 bytes of a SHA-256 of its cells, each preceded by
/// its length (8 bytes, little-endian). Not an identity any more; a registry
/// imported into then holds it, so a row that has it is not imported again.
pub fn line_identity(record: &csv::ByteRecord, line: u64) -> String {
    let mut h = Sha256::new();
    for field in record.iter() {
        h.update((field.len() as u64).to_le_bytes());
        h.update(field);
    }
    format!("line-{line}-{}", digest::hex(&h.finalize()[..8]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_hash_is_of_names_and_cells_whatever_the_columns_order() {
        let a = content_hash(&header(&["Month", "Location"]), &csv::ByteRecord::from(vec!["2018-07", "Park Lane"]));
        let b = content_hash(&header(&["Location", "Month"]), &csv::ByteRecord::from(vec!["Park Lane", "2018-07"]));
        assert_eq!(a, b);
        // sha256(be64(8) "Location" be64(9) "Park Lane" be64(5) "Month" be64(7) "2018-07"), its first 16 bytes.
        assert_eq!(digest::hex(&a), "ab1fbd7c7f190bd7c0f0c60641e2b05b");
        let c = content_hash(&header(&["Month", "Place"]), &csv::ByteRecord::from(vec!["2018-07", "Park Lane"]));
        assert_ne!(a, c, "a column's name is part of what a cell says");
    }

    #[test]
    fn the_same_content_again_is_its_next_occurrence() {
        let mut seen = Occurrences::default();
        let (x, y) = ([1; 16], [2; 16]);
        let hex = digest::hex(&x);
        assert_eq!(seen.identity(x), format!("row-{hex}-1"));
        assert!(seen.identity(y).ends_with("-1"));
        assert_eq!(seen.identity(x), format!("row-{hex}-2"));
    }

    #[test]
    fn an_error_files_added_columns_are_not_the_rows_own() {
        let mut h = header(&["Crime ID", "Month"]);
        assert_eq!(own_columns(&h), 2);
        h.extend(EXTRA_COLUMNS.iter().map(|c| c.to_string()));
        assert_eq!(own_columns(&h), 2);
        assert_eq!(own_columns(&h[1..]), 1);
        assert_eq!(own_columns(&h[..5]), 5, "only all four, last, are an error file's");
    }

    #[test]
    fn the_line_identity_is_the_one_rows_were_given_before() {
        // sha256(le64(7) "2018-07" le64(9) "Park Lane"), its first 8 bytes.
        let record = csv::ByteRecord::from(vec!["2018-07", "Park Lane"]);
        assert_eq!(line_identity(&record, 3), "line-3-e065afa8abdb3c9c");
    }
}
