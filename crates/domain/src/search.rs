//! How text is searched: every word becomes a sound key, so the spellings a
//! name takes in Azerbaijani, in Russian and in the Latin transliterations of
//! both find each other (Məmmədov, Мамедов, Mammadov and Mamedov are all
//! `mamadov`; Əliyev, Алиев, Aliyev are `aliav`; Cəfərov, Джафаров, Jafarov
//! are `jafarov`).
//!
//! The keys lose distinctions on purpose (e and ə, h and q and g, doubled
//! letters): search should find a person however the name was typed at the
//! desk; the list shows the real spelling and the user picks. The stored keys
//! depend on these rules, so a change to them bumps [`SEARCH_KEYS_VERSION`]
//! and the stores rewrite their keys.

/// The version of the rules below. Stored keys written under another version
/// are rewritten (`Registry::reindex_search`).
pub const SEARCH_KEYS_VERSION: i64 = 3;

use crate::catalogue::{ArticleNumbers, ArticleRef};

/// A query of more words than this is cut: each word narrows, and past a few
/// words a search only gets slower.
pub const MAX_QUERY_WORDS: usize = 8;

/// The keys of a text, separated by single spaces, in the order of its words.
pub fn search_keys(text: &str) -> String {
    let mut keys = String::with_capacity(text.len());
    for_each_word(text, |word| {
        let before = keys.len();
        if before > 0 {
            keys.push(' ');
        }
        push_sound_key(word, &mut keys);
        // A word of letters that all drop (`y`) has no key, and no space before it.
        if keys.len() == before + usize::from(before > 0) {
            keys.truncate(before);
        }
    });
    keys
}

/// The words of a query as keys, without repeats, at most [`MAX_QUERY_WORDS`].
/// Each is meant to match the start of a stored key ("məmməd" finds
/// "Məmmədov"). A word written as an article with its part ("177.2") looks
/// for that article, not for the numbers 177 and 2 anywhere.
pub fn query_keys(query: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for token in query.split_whitespace() {
        let article = token
            .contains('.')
            .then(|| ArticleRef::parse(token.trim_end_matches('.')))
            .flatten()
            .filter(|a| a.numbers().is_some());
        let token_keys: Vec<String> = match article {
            Some(a) => vec![article_key(&a)],
            None => words(token),
        };
        for key in token_keys {
            if !keys.contains(&key) && keys.len() < MAX_QUERY_WORDS {
                keys.push(key);
            }
        }
    }
    keys
}

/// The key an offence code is found by: `art177p2z` for the article 177.2,
/// and for a plain code `artk` and each of its bytes in three decimal digits
/// (`8N` is `artk056078z`), since its capitals, dots and slashes would not
/// survive as a word and digits are the one alphabet the sound keys keep
/// as written. The closing `z` keeps 177.2 from finding 177.21 as a
/// prefix would; the letters survive the sound keys unchanged, so the key is
/// stored as written.
pub fn article_key(code: &ArticleRef) -> String {
    let mut key = String::from("art");
    match code.numbers() {
        Some(n) => {
            key.push_str(&n.article.to_string());
            for level in [n.part, n.point].into_iter().flatten() {
                key.push_str(&format!("p{level}"));
            }
        }
        None => {
            key.push('k');
            for b in code.as_str().bytes() {
                key.push_str(&format!("{b:03}"));
            }
        }
    }
    key.push('z');
    key
}

/// Whether a key is matched whole, not as the start of longer keys: the
/// keys of articles and flags, whose closing `z` says where they end (a
/// beginning would find 177.21 for 177.2, and asks the index to merge every
/// longer key before it answers).
pub fn is_whole_key(key: &str) -> bool {
    let Some(body) = key.strip_suffix('z') else { return false };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(n) = body.strip_prefix("flag") {
        return digits(n);
    }
    if let Some(plain) = body.strip_prefix("artk") {
        return digits(plain);
    }
    body.strip_prefix("art").is_some_and(|levels| levels.split('p').all(digits))
}

/// The flags a case is found by, by the names forms and lists use.
pub const CASE_FLAGS: [&str; 6] = crate::case::CaseFlags::NAMES;

/// The key a case with this flag is found by (`flag1z` for the first of
/// [`CASE_FLAGS`]), or None for a name that is not a flag. Like the article
/// keys, it survives the sound keys unchanged.
pub fn flag_key(flag: &str) -> Option<String> {
    CASE_FLAGS.iter().position(|f| *f == flag).map(|i| format!("flag{}z", i + 1))
}

/// The key an appeal of this kind (`application`, ...) or channel
/// (`written`, ...) is found by, or None for a name that is neither: a
/// flag's key numbered past the cases' flags (`flag11z` for the first kind,
/// `flag21z` for the first channel), so one key means one thing.
pub fn appeal_mark_key(mark: &str) -> Option<String> {
    use crate::appeal::{AppealChannel, AppealKind};
    let kind = AppealKind::ALL.iter().position(|k| k.as_str() == mark).map(|i| i + 11);
    let channel = AppealChannel::ALL.iter().position(|c| c.as_str() == mark).map(|i| i + 21);
    kind.or(channel).map(|n| format!("flag{n}z"))
}

/// The keys a record with this code is found by: an article's, its part's
/// and its point's, so a search for 177 finds 177.2.1 too; a plain code's own.
pub fn article_keys(code: &ArticleRef) -> String {
    let Some(n) = code.numbers() else { return article_key(code) };
    let levels = [
        ArticleRef::from(ArticleNumbers { part: None, point: None, ..n }),
        ArticleRef::from(ArticleNumbers { point: None, ..n }),
        code.clone(),
    ];
    let mut keys: Vec<String> = Vec::new();
    for level in levels {
        let key = article_key(&level);
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys.join(" ")
}

/// The keys of a text's words, those that have one.
fn words(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for_each_word(text, |word| {
        let mut key = String::with_capacity(word.len());
        push_sound_key(word, &mut key);
        if !key.is_empty() {
            keys.push(key);
        }
    });
    keys
}

/// Calls `f` with each word of a text, lower case, Cyrillic (Russian and
/// Azerbaijani) written in Latin letters. Words are runs of letters and
/// digits; one buffer serves every word, as texts are keyed at every write.
fn for_each_word(text: &str, mut f: impl FnMut(&[char])) {
    let mut word: Vec<char> = Vec::with_capacity(32);
    let mut end_word = |word: &mut Vec<char>| {
        if !word.is_empty() {
            f(word);
            word.clear();
        }
    };
    for c in text.chars() {
        // ASCII, most of any text, needs no Unicode tables: it has no
        // Cyrillic and lower-cases to one letter.
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                word.push(c.to_ascii_lowercase());
            } else {
                end_word(&mut word);
            }
            continue;
        }
        // İ lower-cases to i and a combining dot, which would split the word.
        for c in c.to_lowercase().filter(|c| *c != '\u{307}') {
            match cyrillic(c) {
                // Every transliteration is Latin letters (or nothing, for ъ and ь).
                Some(latin) => word.extend(latin.chars()),
                None if c.is_alphanumeric() => word.push(c),
                None => end_word(&mut word),
            }
        }
    }
    end_word(&mut word);
}

fn cyrillic(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ғ' | 'ҝ' => "g",
        'д' => "d",
        'е' | 'э' | 'ә' => "e",
        'ё' => "yo",
        'ж' => "zh",
        'з' => "z",
        'и' | 'ы' => "i",
        'й' | 'ј' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' | 'ө' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ү' => "u",
        'ф' => "f",
        'х' => "kh",
        'һ' => "h",
        'ц' => "ts",
        'ч' => "ch",
        'ҹ' => "dzh",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}

/// Appends the sound key of one lower-case Latin word to `out`. Its letters: the vowels
/// a i o u; `c` for ç/ch, `j` for c/dzh/j, `w` for ş/sh, `q` for ж/zh, `g`
/// for g/q/ğ/h/x/kh; other letters and digits as they are; `y`
/// dropped (Əliyev/Алиев); doubled letters written once.
fn push_sound_key(word: &[char], out: &mut String) {
    let mut last = None;
    let mut i = 0;
    while i < word.len() {
        let (class, used) = sound_class(&word[i..]);
        i += used;
        // Digits are never doubled sounds: 177 stays 177.
        if let Some(class) = class
            && (class.is_ascii_digit() || last != Some(class))
        {
            out.push(class);
            last = Some(class);
        }
    }
}

/// The class of the sound at the start of `rest`, and how many letters it took.
fn sound_class(rest: &[char]) -> (Option<char>, usize) {
    let next = |n: usize| rest.get(n).copied();
    match (rest[0], next(1), next(2)) {
        ('d', Some('z'), Some('h')) => (Some('j'), 3),
        ('s', Some('h'), _) => (Some('w'), 2),
        ('c', Some('h'), _) => (Some('c'), 2),
        ('z', Some('h'), _) => (Some('q'), 2),
        ('k', Some('h'), _) => (Some('g'), 2),
        ('g', Some('h'), _) => (Some('g'), 2),
        (c, _, _) => (single_class(c), 1),
    }
}

fn single_class(c: char) -> Option<char> {
    Some(match c {
        'a' | 'ə' | 'e' | 'ä' | 'é' => 'a',
        'i' | 'ı' | 'î' => 'i',
        'o' | 'ö' => 'o',
        'u' | 'ü' => 'u',
        'y' => return None,
        'ç' => 'c',
        'c' | 'j' => 'j',
        'ş' => 'w',
        // Russian writes the Azerbaijani h as г (Гасан) or х (Шахла).
        'g' | 'q' | 'ğ' | 'h' | 'x' => 'g',
        'w' | 'v' => 'v',
        c if c.is_alphanumeric() => c,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(spellings: &[&str]) {
        let keys: Vec<String> = spellings.iter().map(|s| search_keys(s)).collect();
        assert!(keys.iter().all(|k| k == &keys[0]), "{spellings:?} -> {keys:?}");
        assert!(!keys[0].is_empty());
    }

    #[test]
    fn a_name_in_azerbaijani_russian_and_latin_has_one_key() {
        same(&["Məmmədov", "Мамедов", "Mammadov", "Mamedov", "MƏMMƏDOV"]);
        same(&["Əliyev", "Алиев", "Aliyev", "Aliev"]);
        same(&["Cəfərov", "Джафаров", "Jafarov", "Dzhafarov"]);
        same(&["Xəlilov", "Халилов", "Khalilov"]);
        same(&["Qasımov", "Гасымов", "Gasimov", "Qasimov"]);
        same(&["Hüseynov", "Гусейнов", "Huseynov", "Guseynov"]);
        same(&["Şərifzadə", "Шарифзаде", "Sharifzade"]);
        same(&["Çingiz", "Чингиз", "Chingiz"]);
        same(&["Rəhimov", "Рагимов", "Rahimov"]);
        same(&["Nərgiz", "Наргиз", "Nargiz"]);
    }

    #[test]
    fn dotted_and_dotless_i_fold_together() {
        same(&["AVTOMOBİL", "avtomobil", "AVTOMOBIL", "avtomobıl"]);
    }

    #[test]
    fn different_names_keep_different_keys() {
        assert_ne!(search_keys("Məmmədov"), search_keys("Əliyev"));
        assert_ne!(search_keys("Şahin"), search_keys("Sahin"));
    }

    #[test]
    fn text_is_split_into_words_and_numbers() {
        assert_eq!(search_keys("Cinayət işi, 177.2 — Füzuli küç. 59"), "jinat iwi 177 2 fuzuli kuc 59");
        assert_eq!(search_keys("  ... "), "");
    }

    #[test]
    fn an_article_is_found_by_itself_and_its_parents_only() {
        let a = ArticleRef::parse("177.2.1").unwrap();
        let stored = search_keys(&article_keys(&a));
        assert_eq!(stored, "art177z art177p2z art177p2p1z", "article keys survive the sound keys");
        assert_eq!(query_keys("177.2"), vec!["art177p2z"]);
        assert_eq!(query_keys("177.2.1 Nizami"), vec!["art177p2p1z", "nizami"]);
        assert!(!stored.split(' ').any(|k| k.starts_with(&article_key(&ArticleRef::parse("177.21").unwrap()))));
        assert_eq!(query_keys("177"), vec!["177"], "a bare number is a number, not an article");
    }

    #[test]
    fn a_plain_code_is_found_by_its_own_key_only() {
        let burglary = ArticleRef::parse("Burglary/2.b").unwrap();
        let key = article_key(&burglary);
        assert_eq!(key, "artk066117114103108097114121047050046098z");
        assert_eq!(search_keys(&article_keys(&burglary)), key, "the key survives the sound keys");
        assert!(is_whole_key(&key));
        assert_ne!(key, article_key(&ArticleRef::parse("burglary/2.b").unwrap()), "codes differ by case");
        assert_eq!(query_keys("a.b"), vec!["a", "b"], "a dotted word typed in a search is words, not a code");
    }

    #[test]
    fn only_the_keys_of_articles_and_flags_are_matched_whole() {
        for key in ["art177z", "art177p2z", "art177p2p1z", "flag1z", "flag6z"] {
            assert!(is_whole_key(key), "{key}");
        }
        let names = query_keys("Əziz Ərəbzadə Abbasov arz");
        for key in names.iter().map(String::as_str).chain(["artz", "art177p", "artpz", "flagz", "art1pp2z"]) {
            assert!(!is_whole_key(key), "{key}");
        }
    }

    #[test]
    fn a_flag_key_is_stored_as_written_and_only_flags_have_one() {
        for flag in CASE_FLAGS {
            let key = flag_key(flag).unwrap();
            assert_eq!(search_keys(&key), key);
        }
        assert_eq!(flag_key("minor"), None);
    }

    #[test]
    fn no_key_is_the_name_of_a_register() {
        // The stores start each indexed document with its kind's name, which
        // must never be mistaken for a typed word's key.
        for kind in ["report", "case", "person", "seizure", "accountability", "accident", "examination"] {
            assert!(kind.contains('e') || kind.contains('y'));
            assert_ne!(search_keys(kind), kind);
        }
        assert!(!search_keys("Eyvaz yeni ev, Yevlax").contains(['e', 'y']));
    }

    /// The keys as first written, a `String` per word, kept to show that the
    /// one-buffer writing gives the very keys the stores hold.
    fn keys_as_first_written(text: &str) -> String {
        let mut latin = String::new();
        for c in text.chars().flat_map(char::to_lowercase).filter(|c| *c != '\u{307}') {
            match cyrillic(c) {
                Some(l) => latin.push_str(l),
                None => latin.push(c),
            }
        }
        let key = |word: &str| {
            let chars: Vec<char> = word.chars().collect();
            let mut key = String::new();
            let mut i = 0;
            while i < chars.len() {
                let (class, used) = sound_class(&chars[i..]);
                i += used;
                if let Some(class) = class
                    && (class.is_ascii_digit() || !key.ends_with(class))
                {
                    key.push(class);
                }
            }
            key
        };
        let keys: Vec<String> =
            latin.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(key).collect();
        keys.into_iter().filter(|k| !k.is_empty()).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn keys_are_those_first_written_for_any_text() {
        let alphabet: Vec<char> = "aAəƏeEiİıIoOuUüÜöçÇşŞğĞhHxXqQgGkKzZdDsScCjJyYwWvVnN0179 .,-/\t\u{307}\
            мамедовАЛИЕВджзхшщчцъьЁёюяйҹһғҝәөүјДЖЗХШ日😀ß½ǅﬁ²"
            .chars()
            .filter(|c| *c != '\n')
            .collect();
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |below: usize| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % below
        };
        for _ in 0..20_000 {
            let len = next(24);
            let text: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
            assert_eq!(search_keys(&text), keys_as_first_written(&text), "{text:?}");
        }
    }

    #[test]
    fn a_query_is_its_distinct_keys_up_to_a_limit() {
        assert_eq!(query_keys("Mamedov Мамедов aliyev"), vec!["mamadov", "aliav"]);
        let many = (0..20).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        assert_eq!(query_keys(&many).len(), MAX_QUERY_WORDS);
        assert!(query_keys("-- ;").is_empty());
    }
}
