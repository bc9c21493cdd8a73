//! CLDR plural categories, written out for the three languages the system
//! speaks: which form of a word goes with a number (cardinal) and which
//! suffix an ordinal takes ("2024-cü", "1st"). The words themselves live in
//! the locale files under keys ending in the category name.

use crate::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    One,
    Two,
    Few,
    Many,
    Other,
}

impl Category {
    #[cfg(test)]
    pub const ALL: [Category; 5] = [Category::One, Category::Two, Category::Few, Category::Many, Category::Other];

    /// The suffix of a locale key holding this form, e.g. `crime.few`.
    pub fn key(self) -> &'static str {
        match self {
            Category::One => "one",
            Category::Two => "two",
            Category::Few => "few",
            Category::Many => "many",
            Category::Other => "other",
        }
    }

    #[cfg(test)]
    pub fn from_key(key: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// A number as the plural rules see it: its integer part and whether it is
/// shown with a fraction ("2,5" takes another form than "2" in Russian).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operand {
    pub integer: u64,
    pub has_fraction: bool,
}

impl Operand {
    pub fn whole(n: u64) -> Operand {
        Operand { integer: n, has_fraction: false }
    }
}

/// The cardinal form for a number shown as `n`.
pub fn cardinal(lang: Lang, n: Operand) -> Category {
    match lang {
        // CLDR gives Azerbaijani one/other, but a noun after a numeral stays
        // singular either way ("1 cinayət", "5 cinayət"): one form serves.
        Lang::Az => Category::Other,
        Lang::En if n.integer == 1 && !n.has_fraction => Category::One,
        Lang::En => Category::Other,
        Lang::Ru => russian_cardinal(n),
    }
}

fn russian_cardinal(n: Operand) -> Category {
    if n.has_fraction {
        return Category::Other;
    }
    let (last, last_two) = (n.integer % 10, n.integer % 100);
    if last == 1 && last_two != 11 {
        Category::One
    } else if (2..=4).contains(&last) && !(12..=14).contains(&last_two) {
        Category::Few
    } else {
        Category::Many
    }
}

/// The ordinal category of a whole number, choosing its suffix.
pub fn ordinal(lang: Lang, n: u64) -> Category {
    match lang {
        Lang::Az => azerbaijani_ordinal(n),
        Lang::En => english_ordinal(n),
        Lang::Ru => Category::Other,
    }
}

/// The suffix follows the vowel of the number's last spoken word:
/// -ci (bir, iki, beş, yeddi, səkkiz, iyirmi, əlli, yetmiş, səksən, min),
/// -cü (üç, dörd, yüz), -cı (altı, qırx, altmış, doxsan, sıfır), -cu (doqquz, on, otuz).
fn azerbaijani_ordinal(n: u64) -> Category {
    let (last, last_two, last_three) = (n % 10, n % 100, n % 1000);
    if [1, 2, 5, 7, 8].contains(&last) || [20, 50, 70, 80].contains(&last_two) {
        Category::One
    } else if [3, 4].contains(&last) || (last_three != 0 && last_three % 100 == 0) {
        Category::Few
    } else if n == 0 || last == 6 || [40, 60, 90].contains(&last_two) {
        Category::Many
    } else if last_three == 0 {
        // CLDR files 1000 under "other", but "min" ends in i: "2000-ci il".
        Category::One
    } else {
        Category::Other
    }
}

fn english_ordinal(n: u64) -> Category {
    match (n % 10, n % 100) {
        (1, l) if l != 11 => Category::One,
        (2, l) if l != 12 => Category::Two,
        (3, l) if l != 13 => Category::Few,
        _ => Category::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ru(n: u64) -> Category {
        cardinal(Lang::Ru, Operand::whole(n))
    }

    #[test]
    fn russian_one_few_many() {
        use Category::*;
        let cases = [(1, One), (2, Few), (5, Many), (11, Many), (21, One), (22, Few), (25, Many)];
        for (n, want) in cases {
            assert_eq!(ru(n), want, "{n}");
        }
        assert_eq!(ru(0), Many);
        assert_eq!(ru(12), Many);
        assert_eq!(ru(14), Many);
        assert_eq!(ru(111), Many);
        assert_eq!(ru(1572), Few);
        assert_eq!(ru(8930), Many);
        assert_eq!(cardinal(Lang::Ru, Operand { integer: 2, has_fraction: true }), Other);
    }

    #[test]
    fn english_and_azerbaijani_cardinals() {
        assert_eq!(cardinal(Lang::En, Operand::whole(1)), Category::One);
        assert_eq!(cardinal(Lang::En, Operand::whole(21)), Category::Other);
        assert_eq!(cardinal(Lang::En, Operand { integer: 1, has_fraction: true }), Category::Other);
        assert_eq!(cardinal(Lang::Az, Operand::whole(1)), Category::Other);
    }

    #[test]
    fn azerbaijani_year_suffixes() {
        use Category::*;
        // 2024-cü, 2023-cü, 2025-ci, 2026-cı, 2029-cu, 2030-cu, 2040-cı, 2020-ci, 2100-cü, 2000-ci
        let cases = [
            (2024, Few),
            (2023, Few),
            (2025, One),
            (2026, Many),
            (2029, Other),
            (2030, Other),
            (2040, Many),
            (2020, One),
            (2100, Few),
            (2000, One),
        ];
        for (n, want) in cases {
            assert_eq!(ordinal(Lang::Az, n), want, "{n}");
        }
    }

    #[test]
    fn english_ordinals() {
        use Category::*;
        let cases =
            [(1, One), (2, Two), (3, Few), (4, Other), (11, Other), (12, Other), (13, Other), (21, One), (2024, Other)];
        for (n, want) in cases {
            assert_eq!(ordinal(Lang::En, n), want, "{n}");
        }
    }
}
