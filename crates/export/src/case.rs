//! Letter case at the edges of a phrase. Azerbaijani pairs dotted and dotless
//! i differently from the default Unicode mapping (i/İ, ı/I), so "İnformasiya"
//! lowercases to "informasiya", not to "i̇nformasiya".

use crate::Lang;

/// The text with its first letter upper-case: the start of a sentence.
pub fn capitalize(text: &str, lang: Lang) -> String {
    let mut chars = text.chars();
    let Some(first) = chars.next() else { return String::new() };
    let upper: String = match (lang, first) {
        (Lang::Az, 'i') => "İ".to_string(),
        (Lang::Az, 'ı') => "I".to_string(),
        _ => first.to_uppercase().collect(),
    };
    upper + chars.as_str()
}

/// The text with its first letter lower-case, to stand inside a sentence;
/// left alone when it starts an abbreviation ("MIA", "DİN").
pub fn lower_first(text: &str, lang: Lang) -> String {
    let mut chars = text.chars();
    let Some(first) = chars.next() else { return String::new() };
    if chars.clone().next().is_some_and(char::is_uppercase) {
        return text.to_string();
    }
    let lower: String = match (lang, first) {
        (Lang::Az, 'İ') => "i".to_string(),
        (Lang::Az, 'I') => "ı".to_string(),
        _ => first.to_lowercase().collect(),
    };
    lower + chars.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azerbaijani_dotted_and_dotless_i() {
        assert_eq!(lower_first("İnformasiya texnologiyaları", Lang::Az), "informasiya texnologiyaları");
        assert_eq!(lower_first("Işıq", Lang::Az), "ışıq");
        assert_eq!(capitalize("ildə", Lang::Az), "İldə");
        assert_eq!(capitalize("in the first quarter", Lang::En), "In the first quarter");
        assert_eq!(capitalize("в первом квартале", Lang::Ru), "В первом квартале");
    }

    #[test]
    fn abbreviations_keep_their_case() {
        assert_eq!(lower_first("MIA figures", Lang::En), "MIA figures");
        assert_eq!(lower_first("Thefts", Lang::En), "thefts");
        assert_eq!(lower_first("", Lang::En), "");
    }
}
