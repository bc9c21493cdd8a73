//! Numbers as each language writes them: digit grouping and the decimal sign
//! come from the locale (`number.group`, `number.decimal`); money arrives in
//! the minor units of the jurisdiction pack's currency (qəpik, pence) and
//! weights in grams, and are shown in the currency's units and tons/kilograms.

use crate::Lang;
use crate::locale::{Args, Catalog, Value};
use crate::plural::{self, Category, Operand};
use crimeboard_domain::jurisdiction::{Currency, Forms, WordForms};

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

/// An amount in minor units (`minor_units` decimal places: 2 for qəpik or
/// pence) in the currency's units: whole units when the minor part is zero,
/// otherwise with every decimal place ("1,234.50").
pub fn amount(c: &Catalog, minor_units: u8, minor: i64) -> Value {
    let per_unit = 10u64.pow(u32::from(minor_units));
    let (whole, rest) = (minor.unsigned_abs() / per_unit, minor.unsigned_abs() % per_unit);
    let sign = if minor < 0 { "-" } else { "" };
    let mut text = format!("{sign}{}", group(c, whole));
    if rest != 0 {
        text.push_str(c.text("number.decimal"));
        text.push_str(&format!("{rest:0width$}", width = usize::from(minor_units)));
    }
    Value { text, count: Some(Operand { integer: whole, has_fraction: rest != 0 }) }
}

/// Money with the currency's word in the form the number asks for:
/// "77,668,996 manats", "1 pound".
pub fn money(c: &Catalog, currency: &Currency, minor: i64) -> String {
    let amount = amount(c, currency.minor_units, minor);
    let category = amount.count.map_or(Category::Other, |n| plural::cardinal(c.lang(), n));
    let word = forms_in(&currency.name, c.lang()).form(category.key()).to_string();
    c.fill("money.amount", &Args::new().with("amount", amount).text("currency", word))
}

fn forms_in(forms: &WordForms, lang: Lang) -> &Forms {
    match lang {
        Lang::Az => &forms.az,
        Lang::Ru => &forms.ru,
        Lang::En => &forms.en,
    }
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
    use crate::tests::{manats, pounds};

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
        let azn = &manats();
        assert_eq!(money(catalog(Lang::En), azn, 7_766_899_600), "77,668,996 manats");
        assert_eq!(money(catalog(Lang::En), azn, 100), "1 manat");
        assert_eq!(money(catalog(Lang::En), azn, 123_450), "1,234.50 manats");
        assert_eq!(money(catalog(Lang::Az), azn, 7_766_899_600), format!("77{NBSP}668{NBSP}996 manat"));
        // Russian after "из": genitive, "маната" for a fraction.
        assert_eq!(money(catalog(Lang::Ru), azn, 250), format!("2,50{NBSP}маната"));
        assert_eq!(money(catalog(Lang::Ru), azn, 500), format!("5{NBSP}манатов"));
    }

    #[test]
    fn money_in_the_packs_currency() {
        let gbp = &pounds();
        assert_eq!(money(catalog(Lang::En), gbp, 100), "1 pound");
        assert_eq!(money(catalog(Lang::En), gbp, 123_405), "1,234.05 pounds");
        assert_eq!(money(catalog(Lang::Ru), gbp, 2_200), format!("22{NBSP}фунтов стерлингов"));
        assert_eq!(money(catalog(Lang::Ru), gbp, 2_100), format!("21{NBSP}фунта стерлингов"));
        assert_eq!(money(catalog(Lang::Az), gbp, 500), "5 funt sterlinq");
    }

    #[test]
    fn an_amount_has_as_many_decimals_as_its_minor_unit() {
        let en = catalog(Lang::En);
        assert_eq!(amount(en, 0, 1_234).text, "1,234");
        assert_eq!(amount(en, 3, 1_234_005).text, "1,234.005");
        assert_eq!(amount(en, 3, 1_234_000).text, "1,234");
        assert_eq!(amount(en, 2, -5).text, "-0.05");
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
