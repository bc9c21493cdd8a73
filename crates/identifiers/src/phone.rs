//! Telephone numbers in E.164, through libphonenumber's numbering plans (the
//! `phonenumber` crate): a number typed without its country code is the
//! installation's country's.

use phonenumber::{Mode, country};

use crate::{Extra, Identifier, IdentifierError, IdentifierKind, Normalising};

/// What may stand in a typed number besides digits and a leading `+`.
fn allowed(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}')
}

pub fn parse(input: &str, ctx: &Normalising) -> Result<Identifier, IdentifierError> {
    let Ok(region) = ctx.default_country.to_ascii_uppercase().parse::<country::Id>() else {
        return Err(IdentifierError::new("identifier.phone.default_country").with("country", ctx.default_country));
    };
    let input = input.strip_prefix("tel:").unwrap_or(input);
    if !input.chars().all(allowed) || input.chars().filter(|c| c.is_ascii_digit()).count() < 3 {
        return Err(IdentifierError::new("identifier.phone.characters"));
    }
    let number = match phonenumber::parse(Some(region), input) {
        Ok(number) if number.is_valid() => number,
        // `994501234567`: the country code typed without its `+`.
        _ => match phonenumber::parse(None, format!("+{}", input.trim_start_matches('+'))) {
            Ok(number) if number.is_valid() && !input.starts_with('0') => number,
            _ => return Err(IdentifierError::new("identifier.phone.invalid")),
        },
    };
    if number.extension().is_some() {
        return Err(IdentifierError::new("identifier.phone.invalid"));
    }
    let value = number.format().mode(Mode::E164).to_string();
    let display = number.format().mode(Mode::International).to_string();
    let extra = Extra { country: number.country().id().map(|id| id.as_ref().to_string()), ..Extra::default() };
    Ok(Identifier::new(IdentifierKind::Phone, value, display, extra))
}
