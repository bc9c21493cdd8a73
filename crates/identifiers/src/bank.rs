//! Bank accounts: IBANs (ISO 13616: the country's length from the IBAN
//! registry, mod 97 check digits) and domestic account numbers with their
//! bank's code.

use crate::checks::mod97;
use crate::{Extra, Identifier, IdentifierError, IdentifierKind, Normalising};

/// Each country's IBAN length, from the SWIFT IBAN registry.
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BI", 27),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DJ", 27),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FK", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HN", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("LY", 25),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MN", 20),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NI", 28),
    ("NL", 18),
    ("NO", 15),
    ("OM", 23),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("RU", 33),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("SO", 23),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
    ("YE", 30),
];

/// Where each country's bank identifier sits in its IBAN, for the few whose
/// bank codes the Board's analysts group by; others record none.
const IBAN_BANK_CODES: &[(&str, std::ops::Range<usize>)] =
    &[("AZ", 4..8), ("GB", 4..8), ("GE", 4..6), ("TR", 4..9), ("RU", 4..13)];

/// Letters and digits of a text typed with spaces or dashes between groups,
/// in capitals; `None` for any other character.
fn compact(input: &str) -> Option<String> {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => out.push(c.to_ascii_uppercase()),
            ' ' | '-' | '\u{a0}' => {}
            _ => return None,
        }
    }
    Some(out)
}

pub fn parse_iban(input: &str) -> Result<Identifier, IdentifierError> {
    let input = input.strip_prefix("IBAN").or_else(|| input.strip_prefix("iban")).unwrap_or(input);
    let iban =
        compact(input.trim_start_matches(':')).ok_or_else(|| IdentifierError::new("identifier.iban.characters"))?;
    let country = iban.get(..2).filter(|c| c.bytes().all(|b| b.is_ascii_uppercase()));
    let Some(&(country, length)) = country.and_then(|c| IBAN_LENGTHS.iter().find(|(code, _)| *code == c)) else {
        return Err(IdentifierError::new("identifier.iban.country"));
    };
    if iban.len() != length {
        return Err(IdentifierError::new("identifier.iban.length")
            .with("country", country)
            .with("expected", length)
            .with("length", iban.len()));
    }
    if !iban[2..4].bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdentifierError::new("identifier.iban.check_digits"));
    }
    let rearranged = format!("{}{}", &iban[4..], &iban[..4]);
    if mod97(&rearranged) != 1 {
        return Err(IdentifierError::new("identifier.iban.checksum"));
    }
    let display = iban
        .as_bytes()
        .chunks(4)
        .map(|group| std::str::from_utf8(group).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ");
    let bank =
        IBAN_BANK_CODES.iter().find(|(code, _)| *code == country).map(|(_, range)| iban[range.clone()].to_string());
    let extra = Extra { country: Some(country.to_string()), bank, ..Extra::default() };
    Ok(Identifier::new(IdentifierKind::Iban, iban, display, extra))
}

/// A domestic account: the bank's code and the account's number, typed as
/// `BANK NUMBER`, `BANK/NUMBER` or `BANK:NUMBER`. Azerbaijan publishes no
/// check digit for either: a bank code is the six digits of the Central
/// Bank's register or the bank's BIC (8 or 11 characters), an account number
/// 20 letters or digits (the IBAN's account part). Another country's number
/// is 4 to 30 letters or digits.
pub fn parse_account(input: &str, ctx: &Normalising) -> Result<Identifier, IdentifierError> {
    let mut parts = input.split(|c: char| c.is_whitespace() || c == '/' || c == ':').filter(|p| !p.is_empty());
    let (Some(bank), Some(first)) = (parts.next(), parts.next()) else {
        return Err(IdentifierError::new("identifier.account.form"));
    };
    let bank = bank.to_ascii_uppercase();
    let is_register_code = bank.len() == 6 && bank.bytes().all(|b| b.is_ascii_digit());
    let is_bic = bank.is_ascii()
        && matches!(bank.len(), 8 | 11)
        && bank[..6].bytes().all(|b| b.is_ascii_uppercase())
        && bank[6..].bytes().all(|b| b.is_ascii_alphanumeric());
    if !is_register_code && !is_bic {
        return Err(IdentifierError::new("identifier.account.bank"));
    }
    // The number may be typed in groups after the bank's code.
    let rest: Vec<&str> = std::iter::once(first).chain(parts).collect();
    let number = compact(&rest.join(" ")).ok_or_else(|| IdentifierError::new("identifier.account.number"))?;
    let domestic = ctx.default_country.eq_ignore_ascii_case("AZ");
    let (min, max) = if domestic { (20, 20) } else { (4, 30) };
    if !(min..=max).contains(&number.len()) {
        return Err(IdentifierError::new("identifier.account.number")
            .with("min", min)
            .with("max", max)
            .with("length", number.len()));
    }
    let value = format!("{bank}/{number}");
    let display = format!("{bank} {number}");
    let extra = Extra { bank: Some(bank), country: Some(ctx.default_country.to_ascii_uppercase()), ..Extra::default() };
    Ok(Identifier::new(IdentifierKind::Account, value, display, extra))
}
