//! E-wallet and payment-service accounts: a provider and its account id,
//! typed as `provider:account` or `provider account`. The providers whose
//! accounts are another identifier are normalised as that one (PayPal's an
//! e-mail address, m10's and Qiwi's a telephone number); WebMoney's purse is
//! a letter and 12 digits, YooMoney's wallet 11 to 20 digits; any other
//! provider's account is trimmed, its inner spaces removed and case-folded.

use crate::{Extra, Identifier, IdentifierError, IdentifierKind, Normalising, phone, web};

pub fn parse(input: &str, ctx: &Normalising) -> Result<Identifier, IdentifierError> {
    // A colon, when there is one, ends the provider: `Pay Pal: …` is a
    // provider's name with a space, refused, not the provider `pay`.
    let split = if input.contains(':') { input.split_once(':') } else { input.split_once(char::is_whitespace) };
    let (provider, account) = split.ok_or_else(|| IdentifierError::new("identifier.wallet.form"))?;
    let provider = provider.trim().to_lowercase();
    let account = account.trim();
    if !(2..=32).contains(&provider.len())
        || !provider.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(IdentifierError::new("identifier.wallet.provider"));
    }
    let (value, shown) = account_of(&provider, account, ctx).map_err(|inner| {
        IdentifierError::new("identifier.wallet.account").with("provider", &provider).with("rule", inner.rule)
    })?;
    // The colon keeps the display typed back the same, an account with a colon in it too.
    let display = format!("{provider}: {shown}");
    let extra = Extra { provider: Some(provider.clone()), ..Extra::default() };
    Ok(Identifier::new(IdentifierKind::Wallet, format!("{provider}:{value}"), display, extra))
}

/// The account's key and how a page shows it, by the provider's rules.
fn account_of(provider: &str, account: &str, ctx: &Normalising) -> Result<(String, String), IdentifierError> {
    let simple = |ok: bool, value: String| {
        if ok { Ok((value.clone(), value)) } else { Err(IdentifierError::new("identifier.wallet.account")) }
    };
    match provider {
        "paypal" => web::parse_email(account).map(|email| (email.value, email.display)),
        "m10" | "qiwi" => phone::parse(account, ctx).map(|number| (number.value, number.display)),
        "webmoney" => {
            let purse = account.to_ascii_uppercase();
            let ok = purse.len() == 13
                && purse.as_bytes()[0].is_ascii_uppercase()
                && purse[1..].bytes().all(|b| b.is_ascii_digit());
            simple(ok, purse)
        }
        "yoomoney" => {
            let digits: String = account.chars().filter(|c| !c.is_whitespace()).collect();
            simple((11..=20).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()), digits)
        }
        _ => {
            let folded: String = account.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
            simple(!folded.is_empty() && folded.len() <= 128 && !folded.chars().any(char::is_control), folded)
        }
    }
}
