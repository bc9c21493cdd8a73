//! Every rule code the domain can raise is named by some test.
//!
//! The codes are read from the domain's source rather than listed here, so a new
//! rule without a test fails this test instead of passing unnoticed. A rule code is
//! any string literal shaped like one (`case.transition_not_allowed`: lower-case
//! words joined by dots) in the domain's code outside its `#[cfg(test)]` items, less
//! the field paths: the first argument of a `Violation::new(..)` call, and the few
//! paths handed on through a variable (`FIELD_PATHS`). Taking every such literal,
//! not only the second argument of `Violation::new`, also finds the codes chosen
//! through a variable or a closure (`article.repealed`, `password.common`,
//! `access.role`).
//!
//! A code counts as named when a test source holds it as a whole string literal:
//! the crates' `tests/` folders and their `#[cfg(test)]` items. The web crate's
//! translation test lists codes to check that each is translated, not to break the
//! rule, so it is not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Field paths the domain passes on to `Violation::new` through a variable, so they
/// are not its first argument in the source.
const FIELD_PATHS: [&str; 3] = ["outcome.case_id", "applicants.person", "applicants.representative"];

/// Test sources that name codes for another purpose than breaking their rule.
const NOT_RULE_TESTS: [&str; 1] = ["web/src/i18n.rs"];

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Str(String),
    Punct(char),
}

/// Rust source as words, string literals and punctuation; comments, character
/// literals and lifetimes dropped. Just enough of Rust's lexical rules that a quote
/// in a comment or a `'"'` never starts a string and a brace in a string never
/// counts as one.
fn tokens(src: &str) -> Vec<Token> {
    let s: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        let next = s.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < s.len() && s[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i = skip_block_comment(&s, i);
        } else if c == 'r' && (next == Some('"') || (next == Some('#') && raw_string_starts(&s, i + 1))) {
            let (text, end) = raw_string(&s, i + 1);
            out.push(Token::Str(text));
            i = end;
        } else if c == 'b' && next == Some('"') {
            let (text, end) = string(&s, i + 1);
            out.push(Token::Str(text));
            i = end;
        } else if c == '"' {
            let (text, end) = string(&s, i);
            out.push(Token::Str(text));
            i = end;
        } else if c == '\'' {
            i = skip_char_or_lifetime(&s, i);
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < s.len() && (s[i].is_alphanumeric() || s[i] == '_') {
                i += 1;
            }
            out.push(Token::Word(s[start..i].iter().collect()));
        } else {
            out.push(Token::Punct(c));
            i += 1;
        }
    }
    out
}

fn skip_block_comment(s: &[char], mut i: usize) -> usize {
    let mut depth = 0;
    while i < s.len() {
        if s[i] == '/' && s.get(i + 1) == Some(&'*') {
            depth += 1;
            i += 2;
        } else if s[i] == '*' && s.get(i + 1) == Some(&'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// A string from its opening quote at `i`: its text (escapes kept as written) and
/// the index after its closing quote.
fn string(s: &[char], i: usize) -> (String, usize) {
    let mut j = i + 1;
    let mut text = String::new();
    while j < s.len() && s[j] != '"' {
        if s[j] == '\\' {
            text.push(s[j]);
            j += 1;
        }
        text.push(s[j]);
        j += 1;
    }
    (text, j + 1)
}

fn raw_string_starts(s: &[char], mut i: usize) -> bool {
    while s.get(i) == Some(&'#') {
        i += 1;
    }
    s.get(i) == Some(&'"')
}

/// A raw string from the `#`s or quote after its `r`.
fn raw_string(s: &[char], mut i: usize) -> (String, usize) {
    let mut hashes = 0;
    while s[i] == '#' {
        hashes += 1;
        i += 1;
    }
    let start = i + 1;
    let mut j = start;
    while j < s.len() {
        if s[j] == '"' && (1..=hashes).all(|k| s.get(j + k) == Some(&'#')) {
            return (s[start..j].iter().collect(), j + 1 + hashes);
        }
        j += 1;
    }
    (s[start..].iter().collect(), s.len())
}

/// `'a'`, `'\n'`, `'\u{1F600}'` or `'"'` are skipped whole; a lifetime (`'a`) only
/// its quote.
fn skip_char_or_lifetime(s: &[char], i: usize) -> usize {
    if s.get(i + 1) == Some(&'\\') {
        let mut j = i + 2;
        while j < s.len() && s[j] != '\'' {
            j += 1;
        }
        j + 1
    } else if s.get(i + 2) == Some(&'\'') {
        i + 3
    } else {
        i + 1
    }
}

/// Splits tokens into the code's and its `#[cfg(test)]` items'. An item ends with
/// its first top-level `;` or at the brace closing its first block.
fn split_tests(all: &[Token]) -> (Vec<Token>, Vec<Token>) {
    let cfg_test: Vec<Token> = tokens("#[cfg(test)]");
    let (mut code, mut tests) = (Vec::new(), Vec::new());
    let mut depth = 0;
    let mut in_test = false;
    for (i, token) in all.iter().enumerate() {
        if !in_test && all[i..].starts_with(&cfg_test) {
            in_test = true;
            depth = 0;
        }
        if !in_test {
            code.push(token.clone());
            continue;
        }
        match token {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => depth -= 1,
            _ => {}
        }
        let item_ended = depth == 0 && matches!(token, Token::Punct('}' | ';'));
        tests.push(token.clone());
        in_test = !item_ended;
    }
    (code, tests)
}

fn is_code_shaped(text: &str) -> bool {
    let words: Vec<&str> = text.split('.').collect();
    words.len() >= 2
        && words.iter().all(|w| {
            w.starts_with(|c: char| c.is_ascii_lowercase()) && w.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        })
}

/// The rule codes in the code of one file, by the rule in the module's comment.
fn raised_codes(code: &[Token]) -> BTreeSet<String> {
    let first_argument: Vec<Token> = tokens("Violation::new(");
    let mut codes = BTreeSet::new();
    for (i, t) in code.iter().enumerate() {
        let Token::Str(text) = t else { continue };
        let is_field = i >= first_argument.len() && code[i - first_argument.len()..i] == first_argument[..];
        if is_code_shaped(text) && !is_field && !FIELD_PATHS.contains(&text.as_str()) {
            codes.insert(text.clone());
        }
    }
    codes
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Each code the domain raises, with the file that raises it.
fn domain_codes() -> BTreeMap<String, String> {
    let mut codes = BTreeMap::new();
    for file in rust_files(&crates_dir().join("domain/src")) {
        let (code, _) = split_tests(&tokens(&read(&file)));
        for c in raised_codes(&code) {
            codes.entry(c).or_insert_with(|| file.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    codes
}

/// Every string literal in the workspace's tests.
fn literals_in_tests() -> BTreeSet<String> {
    let mut literals = BTreeSet::new();
    let mut add = |toks: Vec<Token>| {
        literals.extend(toks.into_iter().filter_map(|t| if let Token::Str(s) = t { Some(s) } else { None }))
    };
    for entry in std::fs::read_dir(crates_dir()).unwrap() {
        let krate = entry.unwrap().path();
        if krate.join("tests").is_dir() {
            for file in rust_files(&krate.join("tests")) {
                if !file.ends_with("domain/tests/rule_codes.rs") {
                    add(tokens(&read(&file)));
                }
            }
        }
        if krate.join("src").is_dir() {
            for file in rust_files(&krate.join("src")) {
                if NOT_RULE_TESTS.iter().any(|skip| file.ends_with(skip)) {
                    continue;
                }
                add(split_tests(&tokens(&read(&file))).1);
            }
        }
    }
    literals
}

#[test]
fn every_rule_code_of_the_domain_is_named_by_a_test() {
    let codes = domain_codes();
    let named = literals_in_tests();
    let untested: Vec<String> = codes
        .iter()
        .filter(|(code, _)| !named.contains(*code))
        .map(|(code, file)| format!("{code} ({file})"))
        .collect();
    assert!(untested.is_empty(), "no test names these rule codes of the domain:\n  {}", untested.join("\n  "));
}

#[test]
fn the_codes_are_read_from_every_way_the_domain_raises_them() {
    let codes = domain_codes();
    // The second argument of `Violation::new`, a code picked by an `if`, one given
    // to a closure, and one a match returns.
    for code in ["case.transition_not_allowed", "article.repealed", "password.common", "access.role"] {
        assert!(codes.contains_key(code), "{code} not found among {codes:?}");
    }
    // Field paths are not codes, whether typed in the call or passed on.
    for field in ["place.latitude", "decision.how", "flags.minor", "outcome.case_id"] {
        assert!(!codes.contains_key(field), "{field} taken for a code");
    }
    assert!(codes.len() > 50, "only {} codes found: {codes:?}", codes.len());
}

#[test]
fn each_field_path_passed_on_is_still_in_the_domain() {
    let literals: BTreeSet<String> = rust_files(&crates_dir().join("domain/src"))
        .iter()
        .flat_map(|f| split_tests(&tokens(&read(f))).0)
        .filter_map(|t| if let Token::Str(s) = t { Some(s) } else { None })
        .collect();
    for field in FIELD_PATHS {
        assert!(literals.contains(field), "{field} is no longer in the domain: remove it from FIELD_PATHS");
    }
}

#[test]
fn the_reader_keeps_tests_comments_and_odd_quotes_apart() {
    let src = r##"
        // "comment.code" in a comment
        /* "block.code" /* nested */ */
        fn f<'a>(x: &'a str) -> char { let _ = r#"raw.code"#; let _ = "a \" b.c"; '"' }
        fn g() { Violation::new("field.path", "real.code"); }
        #[cfg(test)]
        mod tests { fn t() { let _ = "test.code"; let _ = '}'; } }
        const AFTER: &str = "after.code";
    "##;
    let (code, tests) = split_tests(&tokens(src));
    let strings = |toks: &[Token]| -> Vec<String> {
        toks.iter().filter_map(|t| if let Token::Str(s) = t { Some(s.clone()) } else { None }).collect()
    };
    assert_eq!(strings(&code), ["raw.code", "a \\\" b.c", "field.path", "real.code", "after.code"]);
    assert_eq!(strings(&tests), ["test.code"]);
    assert_eq!(raised_codes(&code), BTreeSet::from(["raw.code".to_string(), "real.code".into(), "after.code".into()]));
}
