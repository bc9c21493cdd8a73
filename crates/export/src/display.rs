//! Numbers, money, weights, dates and periods as each language writes them,
//! for the pages and any other interface: one formatting, shared with the
//! narrative and the files.

use crate::locale::catalog;
use crate::{Lang, case, numbers, period_phrase};
use chrono::NaiveDate;
use crimeboard_domain::jurisdiction::{Currency, SymbolPosition};
use crimeboard_stats::Period;

/// A whole number, grouped: "8,930" or "8 930".
pub fn integer(lang: Lang, n: i64) -> String {
    numbers::integer(catalog(lang), n).text
}

/// One decimal at most: "12.2" or "12,2".
pub fn decimal(lang: Lang, x: f64) -> String {
    numbers::decimal(catalog(lang), x).text
}

/// Money for tables, an amount in the currency's minor units with its
/// symbol where the pack puts it: "77 668 996 ₼", "£1,234.50", the minor
/// units shown when there are any.
pub fn money_short(lang: Lang, currency: &Currency, minor: i64) -> String {
    let amount = numbers::amount(catalog(lang), currency.minor_units, minor).text;
    let space = if currency.symbol_is_spaced() { "\u{a0}" } else { "" };
    match currency.symbol_position {
        SymbolPosition::After => format!("{amount}{space}{}", currency.symbol),
        // The sign leads, as CLDR writes it: "-£1,234.50".
        SymbolPosition::Before => match amount.strip_prefix('-') {
            Some(magnitude) => format!("-{}{space}{magnitude}", currency.symbol),
            None => format!("{}{space}{amount}", currency.symbol),
        },
    }
}

/// Money in words: "77,668,996 manats".
pub fn money(lang: Lang, currency: &Currency, minor: i64) -> String {
    numbers::money(catalog(lang), currency, minor)
}

/// A weight in kilograms for tables: "1 329 kq", "0,75 kq".
pub fn kilograms_short(lang: Lang, grams: i64) -> String {
    let c = catalog(lang);
    let kg = grams as f64 / 1_000.0;
    let value = if kg >= 100.0 { numbers::integer(c, kg.round() as i64) } else { numbers::decimal(c, kg) };
    format!("{}\u{a0}{}", value.text, c.text("short.kg"))
}

/// A weight in words: "1 ton and 329 kilograms".
pub fn weight(lang: Lang, grams: i64) -> String {
    numbers::weight(catalog(lang), grams)
}

/// "15 January 2024", "15 января 2024 года", "15 yanvar 2024-cü il".
pub fn date(lang: Lang, d: NaiveDate) -> String {
    period_phrase::date(catalog(lang), d)
}

/// A period as a heading: "In the first quarter of 2024".
pub fn period(lang: Lang, p: &Period) -> String {
    case::capitalize(&period_phrase::during(catalog(lang), p), lang)
}

/// "the same period of 2023".
pub fn compared_with(lang: Lang, previous: &Period) -> String {
    period_phrase::compared_with(catalog(lang), previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_for_tables() {
        let azn = &crate::tests::manats();
        assert_eq!(money_short(Lang::Az, azn, 7_766_899_600), "77\u{a0}668\u{a0}996\u{a0}₼");
        assert_eq!(kilograms_short(Lang::Az, 1_329_000), "1\u{a0}329\u{a0}kq");
        assert_eq!(kilograms_short(Lang::Ru, 12_500), "12,5\u{a0}кг");
        assert_eq!(money_short(Lang::En, azn, 123_450), "1,234.50\u{a0}₼");
    }

    #[test]
    fn the_symbol_stands_where_the_pack_puts_it() {
        let (azn, gbp) = (&crate::tests::manats(), &crate::tests::pounds());
        // The same amount under both packs: the manat after it, spaced; the pound before it, not.
        assert_eq!(money_short(Lang::En, azn, -123_450), "-1,234.50\u{a0}₼");
        assert_eq!(money_short(Lang::En, gbp, 123_450), "£1,234.50");
        assert_eq!(money_short(Lang::En, gbp, -123_450), "-£1,234.50");
        assert_eq!(money_short(Lang::Ru, gbp, 123_450), "£1\u{a0}234,50");
        let spaced = Currency { symbol_spaced: Some(true), ..gbp.clone() };
        assert_eq!(money_short(Lang::En, &spaced, 100), "£\u{a0}1");
        let after = Currency { symbol_position: SymbolPosition::After, ..gbp.clone() };
        assert_eq!(money_short(Lang::En, &after, 100), "1\u{a0}£");
    }
}
