//! Identifiers for new entities and acts: UUIDv7 (time-ordered, so indexes
//! grow at their end). The random part comes from a per-thread generator
//! seeded once from the operating system, not from a system call per id:
//! ids must be unique, not secret.

use std::cell::Cell;
use std::time::{SystemTime, UNIX_EPOCH};
use uuid::{Builder, Uuid};

thread_local! {
    static STATE: Cell<u64> = Cell::new(u64::from_le_bytes(Uuid::new_v4().as_bytes()[..8].try_into().expect("8 bytes")));
}

/// SplitMix64 step.
fn next_random() -> u64 {
    STATE.with(|s| {
        let x = s.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
        s.set(x);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    })
}

pub fn new_id() -> Uuid {
    let millis = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0);
    let mut random = [0u8; 10];
    random[..8].copy_from_slice(&next_random().to_le_bytes());
    random[8..].copy_from_slice(&next_random().to_le_bytes()[..2]);
    Builder::from_unix_timestamp_millis(millis, &random).into_uuid()
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_version_7_and_distinct() {
        let ids: std::collections::HashSet<_> = (0..10_000).map(|_| super::new_id()).collect();
        assert_eq!(ids.len(), 10_000);
        assert!(ids.iter().all(|id| id.get_version_num() == 7));
    }
}
