//! Numbers as each language writes them: digit grouping and the decimal sign
//! come from the locale (`number.group`, `number.decimal`); money arrives in
//! qəpik and weights in grams, and are shown in manats and tons/kilograms.

use crate::locale::{Args, Catalog, Value};
use crate::plural::Operand;

/// A whole number, grouped: "8,930" or "8 930".
pub fn integer(c: &Catalog, n: i64) -> Value {
    let sign = if n < 0 { "-" } else { "" };
    let text = format!("{sign}{}", group(c, n.unsigned_abs()));
    Value { text, count: Some(Operand::whole(n.unsigned_abs())) }
}

/// A number rounded to one decimal, the decimal dropped when it is zero:
/// "85", "12.2" or "12,2". A value that rounds to zero but is not zero gets a
/// second decimal, so that a real change is not printed as "0".
pub fn decimal(c: &Catalog, x: f64) -> Value {
    let digits = if x != 0.0 && (x * 10.0).round() == 0.0 { 2 } else { 1 };
    fixed(c, x, digits)
}

fn fixed(c: &Catalog, x: f64, digits: u32) -> Value {
    let scale = 10u64.pow(digits);
    let scaled = (x.abs() * scale as f64).round() as u64;
    let (whole, fraction) = (scaled / scale, scaled % scale);
    let sign = if x < 0.0 && scaled != 0 { "-" } else { "" };
    let mut text = format!("{sign}{}", group(c, whole));
    if fraction != 0 {
        let digits = format!("{fraction:0width$}", width = digits as usize);
        text.push_str(c.text("number.decimal"));
        text.push_str(digits.trim_end_matches('0'));
    }
    Value { text, count: Some(Operand { integer: whole, has_fraction: fraction != 0 }) }
}

/// An amount of qəpik in manats: whole manats when the qəpik part is zero,
/// otherwise with two decimals ("1,234.50").
pub fn manats(c: &Catalog, qepik: i64) -> Value {
    let (whole, rest) = (qepik.unsigned_abs() / 100, qepik.unsigned_abs() % 100);
    let sign = if qepik < 0 { "-" } else { "" };
    let mut text = format!("{sign}{}", group(c, whole));
    if rest != 0 {
        text.push_str(c.text("number.decimal"));
        text.push_str(&format!("{rest:02}"));
    }
    Value { text, count: Some(Operand { integer: whole, has_fraction: rest != 0 }) }
}

/// Money with its word: "77,668,996 manats".
pub fn money(c: &Catalog, qepik: i64) -> String {
    c.fill("money.amount", &Args::new().with("amount", manats(c, qepik)))
}

const GRAMS_PER_KG: i64 = 1_000;
const GRAMS_PER_TON: i64 = 1_000_000;

/// A weight in the largest units that read naturally: "1 ton and 329
/// kilograms", "12.5 kilograms", "750 grams". Kilograms under a ton are
/// rounded to whole ones, as the Board reports them.
pub fn weight(c: &Catalog, grams: i64) -> String {
    if grams >= GRAMS_PER_TON {
        let mut tons = grams / GRAMS_PER_TON;
        let mut kg = ((grams % GRAMS_PER_TON) as f64 / GRAMS_PER_KG as f64).round() as i64;
        if kg == 1_000 {
            tons += 1;
            kg = 0;
        }
        let args = Args::new().with("tons", integer(c, tons)).with("kg", integer(c, kg));
        return c.fill(if kg == 0 { "weight.tons" } else { "weight.tons_kg" }, &args);
    }
    if grams >= GRAMS_PER_KG {
        let kg = grams as f64 / GRAMS_PER_KG as f64;
        let value = if kg >= 100.0 { integer(c, kg.round() as i64) } else { decimal(c, kg) };
        return c.fill("weight.kg", &Args::new().with("kg", value));
    }
    c.fill("weight.grams", &Args::new().with("grams", integer(c, grams)))
}

/// Digits in groups of three with the locale's separator.
fn group(c: &Catalog, n: u64) -> String {
    let digits = n.to_string();
    let separator = c.text("number.group");
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * separator.len());
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;
    use crate::locale::catalog;

    const NBSP: char = '\u{a0}';

    #[test]
    fn groups_digits_per_language() {
        assert_eq!(integer(catalog(Lang::En), 8_930).text, "8,930");
        assert_eq!(integer(catalog(Lang::Az), 8_930).text, format!("8{NBSP}930"));
        assert_eq!(integer(catalog(Lang::Ru), 77_668_996).text, format!("77{NBSP}668{NBSP}996"));
        assert_eq!(integer(catalog(Lang::En), 999).text, "999");
        assert_eq!(integer(catalog(Lang::En), 1_000).text, "1,000");
        assert_eq!(integer(catalog(Lang::En), -1_572).text, "-1,572");
    }

    #[test]
    fn decimals_drop_a_zero_fraction() {
        assert_eq!(decimal(catalog(Lang::En), 85.0).text, "85");
        assert_eq!(decimal(catalog(Lang::En), 12.152).text, "12.2");
        assert_eq!(decimal(catalog(Lang::Ru), 12.152).text, "12,2");
        assert_eq!(decimal(catalog(Lang::En), 84.99).text, "85");
        assert_eq!(decimal(catalog(Lang::En), 0.03).text, "0.03");
        assert_eq!(decimal(catalog(Lang::En), 1234.56).text, "1,234.6");
    }

    #[test]
    fn money_in_manats() {
        assert_eq!(money(catalog(Lang::En), 7_766_899_600), "77,668,996 manats");
        assert_eq!(money(catalog(Lang::En), 100), "1 manat");
        assert_eq!(money(catalog(Lang::En), 123_450), "1,234.50 manats");
        assert_eq!(money(catalog(Lang::Az), 7_766_899_600), format!("77{NBSP}668{NBSP}996 manat"));
        // Russian after "из": genitive, "маната" for a fraction.
        assert_eq!(money(catalog(Lang::Ru), 250), format!("2,50{NBSP}маната"));
        assert_eq!(money(catalog(Lang::Ru), 500), format!("5{NBSP}манатов"));
    }

    #[test]
    fn weights_in_tons_and_kilograms() {
        assert_eq!(weight(catalog(Lang::En), 1_329_000), "1 ton and 329 kilograms");
        assert_eq!(weight(catalog(Lang::En), 2_000_400), "2 tons");
        assert_eq!(weight(catalog(Lang::En), 1_999_600), "2 tons");
        assert_eq!(weight(catalog(Lang::En), 12_500), "12.5 kilograms");
        assert_eq!(weight(catalog(Lang::En), 1_000), "1 kilogram");
        assert_eq!(weight(catalog(Lang::En), 750), "750 grams");
        assert_eq!(weight(catalog(Lang::Az), 1_329_000), "1 ton 329 kiloqram");
        assert_eq!(weight(catalog(Lang::Ru), 1_329_000), "1 тонна 329 килограммов");
        assert_eq!(weight(catalog(Lang::Ru), 2_322_000), "2 тонны 322 килограмма");
        assert_eq!(weight(catalog(Lang::Ru), 12_500), "12,5 килограмма");
    }
}
