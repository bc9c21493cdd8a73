//! Every rule code the crate can answer is one a test here expects: a new
//! rule without a failing-input test fails this one.

use std::collections::BTreeSet;
use std::path::Path;

/// The quoted `identifier.…` literals of the Rust files in a folder.
fn codes_in(folder: &Path) -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            for piece in text.split("\"identifier.").skip(1) {
                let code: String =
                    piece.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_' || *c == '.').collect();
                if piece[code.len()..].starts_with('"') {
                    codes.insert(format!("identifier.{code}"));
                }
            }
        }
    }
    codes
}

#[test]
fn every_rule_code_has_a_failing_input_test() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let answered = codes_in(&crate_dir.join("src"));
    let expected = codes_in(&crate_dir.join("tests/identifiers"));
    assert!(answered.len() >= 30, "{answered:?}");
    let untested: Vec<_> = answered.difference(&expected).collect();
    assert!(untested.is_empty(), "rule codes no test expects: {untested:?}");
}
