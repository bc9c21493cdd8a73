//! Any bytes as a CSV file, through the police.uk mapping and through a
//! register kept in a spreadsheet (`;`, articles typed, flags, lookups).
#![no_main]

use crimeboard_fuzz::{ENGLAND_WALES, REFERENCE, check_rows};
use crimeboard_import::Mapping;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static POLICE_UK: LazyLock<Mapping> =
    LazyLock::new(|| Mapping::from_toml(include_str!("../../data/mappings/police-uk.toml")).unwrap());
static DISTRICT: LazyLock<Mapping> =
    LazyLock::new(|| Mapping::from_toml(include_str!("../mappings/district-register.toml")).unwrap());

fuzz_target!(|data: &[u8]| {
    check_rows(&POLICE_UK, &ENGLAND_WALES, data);
    check_rows(&DISTRICT, &REFERENCE, data);
});
