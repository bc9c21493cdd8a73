//! A mapping file, then (after a NUL byte) a CSV file read through it if
//! the mapping is accepted. An accepted mapping is usable as it stands: its
//! delimiter is one the CSV reader takes, and any file is read through it
//! without a panic.
#![no_main]

use crimeboard_fuzz::{REFERENCE, check_rows};
use crimeboard_import::Mapping;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, csv) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let Ok(text) = std::str::from_utf8(text) else { return };
    match Mapping::from_toml(text) {
        Err(e) => assert!(!e.message.is_empty(), "a refused mapping says why"),
        Ok(mapping) => {
            mapping.delimiter().expect("an accepted mapping has a delimiter the reader takes");
            check_rows(&mapping, &REFERENCE, csv);
        }
    }
});
