//! The journal's hash chain. Each unit's acts are numbered 1, 2, 3, ... and
//! each entry carries the hash of the one before, so altering, removing or
//! reordering history breaks the chain at a point `verify` can name.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One journal entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JournalEntry {
    pub unit: String,
    pub seq: i64,
    /// Global order of recording, across units.
    pub position: i64,
    pub act_id: Uuid,
    pub kind: String,
    pub recorded_at: DateTime<Utc>,
    pub actor: String,
    pub legal_ground: String,
    /// The act as JSON text, exactly as hashed.
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The fields a hash covers, in a fixed order with lengths, so no two
/// different entries can serialise to the same bytes.
#[expect(clippy::too_many_arguments, reason = "the hashed fields, each named, in the order they are hashed")]
pub fn entry_hash(
    prev_hash: &str,
    unit: &str,
    seq: i64,
    act_id: Uuid,
    kind: &str,
    recorded_at: DateTime<Utc>,
    actor: &str,
    legal_ground: &str,
    payload: &str,
) -> String {
    let stamp = timestamp(recorded_at);
    let seq = seq.to_string();
    let mut id = Uuid::encode_buffer();
    let id = act_id.hyphenated().encode_lower(&mut id);
    fields_hash(&[prev_hash, unit, &seq, id, kind, &stamp, actor, legal_ground, payload])
}

/// SHA-256 over fields each prefixed with its length, as lower-case hex: the
/// one hashing of every chain (the journal's, the audit trail's).
pub fn fields_hash(fields: &[&str]) -> String {
    let mut h = Sha256::new();
    for field in fields {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(64);
    for b in h.finalize() {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}

/// The one textual form of a timestamp used in hashes: microseconds, UTC.
pub fn timestamp(at: DateTime<Utc>) -> String {
    crate::iso8601::micros(at)
}

impl JournalEntry {
    pub fn computed_hash(&self) -> String {
        entry_hash(
            &self.prev_hash,
            &self.unit,
            self.seq,
            self.act_id,
            &self.kind,
            self.recorded_at,
            &self.actor,
            &self.legal_ground,
            &self.payload,
        )
    }
}

/// An entry of a hash chain: numbered from 1, carrying the hash of the one before.
pub trait Chained {
    fn seq(&self) -> i64;
    fn prev_hash(&self) -> &str;
    fn hash(&self) -> &str;
    /// The hash of the entry's content as it is now.
    fn computed_hash(&self) -> String;
}

impl Chained for JournalEntry {
    fn seq(&self) -> i64 {
        self.seq
    }
    fn prev_hash(&self) -> &str {
        &self.prev_hash
    }
    fn hash(&self) -> &str {
        &self.hash
    }
    fn computed_hash(&self) -> String {
        JournalEntry::computed_hash(self)
    }
}

/// Where and how a chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainBreak {
    pub unit: String,
    pub seq: i64,
    pub problem: BreakKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    /// The entry's content no longer matches its own hash.
    Altered,
    /// The entry expected at this number is missing.
    Removed,
    /// The entry does not follow the one before it.
    Reordered,
    /// The chain ends before the recorded head.
    Truncated,
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.problem {
            BreakKind::Altered => "altered: its content does not match its hash",
            BreakKind::Removed => "removed: the entry with this number is missing",
            BreakKind::Reordered => "reordered: it does not follow the entry before it",
            BreakKind::Truncated => "removed: the chain ends before its recorded head",
        };
        write!(f, "unit {} entry {}: {}", self.unit, self.seq, what)
    }
}

/// Walks one unit's chain in `seq` order, fed one entry at a time so a
/// chain of any length is checked in constant memory.
pub struct ChainWalker {
    unit: String,
    expected_seq: i64,
    prev_hash: String,
}

impl ChainWalker {
    pub fn new(unit: &str) -> Self {
        ChainWalker { unit: unit.to_string(), expected_seq: 1, prev_hash: GENESIS.to_string() }
    }

    pub fn feed<E: Chained>(&mut self, e: &E) -> Result<(), ChainBreak> {
        let brk = |seq, problem| ChainBreak { unit: self.unit.clone(), seq, problem };
        if e.seq() != self.expected_seq {
            return Err(brk(self.expected_seq, BreakKind::Removed));
        }
        if e.computed_hash() != e.hash() {
            return Err(brk(e.seq(), BreakKind::Altered));
        }
        if e.prev_hash() != self.prev_hash {
            return Err(brk(e.seq(), BreakKind::Reordered));
        }
        self.prev_hash = e.hash().to_string();
        self.expected_seq += 1;
        Ok(())
    }

    /// Checks the walk reached the head recorded beside the chain.
    pub fn finish(self, head_seq: i64, head_hash: &str) -> Result<i64, ChainBreak> {
        let last = self.expected_seq - 1;
        if last < head_seq {
            return Err(ChainBreak { unit: self.unit, seq: last + 1, problem: BreakKind::Truncated });
        }
        if last > head_seq || self.prev_hash != head_hash {
            return Err(ChainBreak { unit: self.unit, seq: last, problem: BreakKind::Altered });
        }
        Ok(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<JournalEntry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let mut e = JournalEntry {
                    unit: "U".into(),
                    seq,
                    position: seq,
                    act_id: Uuid::from_u128(seq as u128),
                    kind: "k".into(),
                    recorded_at: DateTime::from_timestamp(1_700_000_000 + seq, 0).unwrap(),
                    actor: "a".into(),
                    legal_ground: "g".into(),
                    payload: format!("{{\"n\":{seq}}}"),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.computed_hash();
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn walk(entries: &[JournalEntry], head: (i64, &str)) -> Result<i64, ChainBreak> {
        let mut w = ChainWalker::new("U");
        for e in entries {
            w.feed(e)?;
        }
        w.finish(head.0, head.1)
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(walk(&c, (5, &c[4].hash)), Ok(5));
    }

    #[test]
    fn names_altered_removed_reordered_and_truncated() {
        let c = chain(5);
        let head = (5, c[4].hash.as_str());
        let mut altered = c.clone();
        altered[2].payload = "{\"n\":99}".into();
        assert_eq!(walk(&altered, head).unwrap_err().problem, BreakKind::Altered);
        assert_eq!(walk(&altered, head).unwrap_err().seq, 3);

        let mut removed = c.clone();
        removed.remove(1);
        assert_eq!(
            walk(&removed, head).unwrap_err(),
            ChainBreak { unit: "U".into(), seq: 2, problem: BreakKind::Removed }
        );

        // Swap two entries and renumber them, as a careless forger would.
        let mut reordered = c.clone();
        reordered.swap(1, 2);
        reordered[1].seq = 2;
        reordered[2].seq = 3;
        reordered[1].hash = reordered[1].computed_hash();
        reordered[2].hash = reordered[2].computed_hash();
        assert_eq!(walk(&reordered, head).unwrap_err().problem, BreakKind::Reordered);

        assert_eq!(walk(&c[..4], head).unwrap_err().problem, BreakKind::Truncated);
    }
}
