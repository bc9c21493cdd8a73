//! Digital identifiers as typed, checked and normalised values: telephone
//! numbers, payment cards, IBANs and domestic accounts, e-mail and web
//! addresses, domains, IP addresses, IMEIs, e-wallets, crypto-currency
//! addresses and social-network accounts (docs/identifiers.md).
//!
//! Pure: no I/O, no clock. What the rules need from the installation (its
//! country, the key of the card hash) is passed in a [`Normalising`].
//! [`parse`] turns what a user typed, in any common form, into an
//! [`Identifier`] whose `value` is the lookup key; a malformed value is
//! refused with the rule it broke ([`IdentifierError`]). A card's clear
//! number never leaves [`parse`]: the identifier holds its keyed hash and
//! its masked form only, so whatever serialises or prints one (the journal,
//! an export, a log line) cannot leak it.

mod bank;
mod card;
mod checks;
mod crypto;
mod ip;
mod phone;
mod social;
mod wallet;
mod web;

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use card::MIN_CARD_KEY_LEN;
pub use crypto::Chain;
pub use social::Platform;

/// The version of the normalisation rules. Every identifier records the
/// version it was normalised under; raising it (a rule or a list changed, so
/// a key may differ for the same input) leaves stored values as written, and
/// re-normalising them is a step of its own.
pub const NORMALISER_VERSION: u32 = 1;

/// The longest input any kind accepts, in bytes: far above any real
/// identifier (a URL is the longest), so a pasted page is refused early.
pub const MAX_INPUT_LEN: usize = 2048;

/// What an identifier is; its code (`phone`, `card`, ...) is how it is
/// written in the journal and in forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    Phone,
    Card,
    Iban,
    Account,
    Email,
    Url,
    Domain,
    Ip,
    Imei,
    Wallet,
    Crypto,
    Social,
}

impl IdentifierKind {
    pub const ALL: [IdentifierKind; 12] = [
        IdentifierKind::Phone,
        IdentifierKind::Card,
        IdentifierKind::Iban,
        IdentifierKind::Account,
        IdentifierKind::Email,
        IdentifierKind::Url,
        IdentifierKind::Domain,
        IdentifierKind::Ip,
        IdentifierKind::Imei,
        IdentifierKind::Wallet,
        IdentifierKind::Crypto,
        IdentifierKind::Social,
    ];

    pub fn code(self) -> &'static str {
        match self {
            IdentifierKind::Phone => "phone",
            IdentifierKind::Card => "card",
            IdentifierKind::Iban => "iban",
            IdentifierKind::Account => "account",
            IdentifierKind::Email => "email",
            IdentifierKind::Url => "url",
            IdentifierKind::Domain => "domain",
            IdentifierKind::Ip => "ip",
            IdentifierKind::Imei => "imei",
            IdentifierKind::Wallet => "wallet",
            IdentifierKind::Crypto => "crypto",
            IdentifierKind::Social => "social",
        }
    }

    pub fn from_code(code: &str) -> Option<IdentifierKind> {
        IdentifierKind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

impl fmt::Display for IdentifierKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What the rules need from the installation.
#[derive(Clone, Copy)]
pub struct Normalising<'a> {
    /// ISO 3166 alpha-2 code of the installation's country (`AZ`): a phone
    /// number typed without its country code is read as this country's, and
    /// a domestic account number follows this country's form.
    pub default_country: &'a str,
    /// The installation's secret key of the card hash (at least
    /// [`MIN_CARD_KEY_LEN`] bytes), kept out of the database.
    pub card_key: &'a [u8],
}

impl fmt::Debug for Normalising<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Normalising").field("default_country", &self.default_country).finish_non_exhaustive()
    }
}

/// A malformed identifier: the rule it broke, shaped like the domain's
/// violations (a rule code and the values its message needs) so that the
/// domain adds the field's name. The params never hold the input itself: a
/// refused card number would otherwise reach a log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentifierError {
    pub rule: &'static str,
    pub params: Vec<(&'static str, String)>,
}

impl IdentifierError {
    pub fn new(rule: &'static str) -> Self {
        IdentifierError { rule, params: Vec::new() }
    }

    pub fn with(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.params.push((name, value.to_string()));
        self
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for IdentifierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rule)?;
        for (name, value) in &self.params {
            write!(f, " {name}={value}")?;
        }
        Ok(())
    }
}

impl std::error::Error for IdentifierError {}

/// What an identifier carries besides its key, by kind; absent fields are
/// left out of the JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extra {
    /// A phone number's region (`AZ`), an IBAN's country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// A domestic account's bank code, an IBAN's bank identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank: Option<String>,
    /// The host of a URL, the domain of an e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The registrable domain (public suffix plus one label) of a URL's host,
    /// a domain or an e-mail address; absent for an IP host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registrable_domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<Chain>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// An e-wallet's provider, as its code (`paypal`, `m10`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// The port an IP address was seen with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// When an IP address was seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen_at: Option<DateTime<Utc>>,
}

/// One checked, normalised identifier, as the journal and the exports hold
/// it. Built only by [`parse`] or read back from its JSON, which refuses a
/// card whose value is not a keyed hash or whose display is not masked.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "StoredIdentifier")]
pub struct Identifier {
    kind: IdentifierKind,
    value: String,
    display: String,
    #[serde(default, skip_serializing_if = "is_default")]
    extra: Extra,
    normaliser: u32,
}

fn is_default(extra: &Extra) -> bool {
    *extra == Extra::default()
}

impl Identifier {
    fn new(kind: IdentifierKind, value: String, display: String, extra: Extra) -> Self {
        Identifier { kind, value, display, extra, normaliser: NORMALISER_VERSION }
    }

    pub fn kind(&self) -> IdentifierKind {
        self.kind
    }

    /// The normalised form, the lookup key: for a card, the keyed hash.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// How a page shows it: a formatted phone number, a masked card.
    pub fn display(&self) -> &str {
        &self.display
    }

    pub fn extra(&self) -> &Extra {
        &self.extra
    }

    /// The [`NORMALISER_VERSION`] it was normalised under.
    pub fn normaliser(&self) -> u32 {
        self.normaliser
    }
}

/// Shows the display form and the extras; a card's keyed hash is left out
/// too, a lookup key has no business in a log line.
impl fmt::Debug for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Identifier");
        out.field("kind", &self.kind).field("display", &self.display);
        if self.kind != IdentifierKind::Card {
            out.field("value", &self.value);
        }
        out.field("extra", &self.extra).field("normaliser", &self.normaliser).finish()
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

/// The JSON form, checked on the way in.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredIdentifier {
    kind: IdentifierKind,
    value: String,
    display: String,
    #[serde(default)]
    extra: Extra,
    normaliser: u32,
}

impl TryFrom<StoredIdentifier> for Identifier {
    type Error = String;

    fn try_from(stored: StoredIdentifier) -> Result<Self, String> {
        if stored.kind == IdentifierKind::Card {
            card::check_stored(&stored.value, &stored.display)?;
        }
        Ok(Identifier {
            kind: stored.kind,
            value: stored.value,
            display: stored.display,
            extra: stored.extra,
            normaliser: stored.normaliser,
        })
    }
}

/// Checks and normalises what a user typed as an identifier of a kind.
pub fn parse(kind: IdentifierKind, input: &str, ctx: &Normalising) -> Result<Identifier, IdentifierError> {
    if input.len() > MAX_INPUT_LEN {
        return Err(IdentifierError::new("identifier.too_long").with("max", MAX_INPUT_LEN));
    }
    let input = input.trim();
    if input.is_empty() {
        return Err(IdentifierError::new("identifier.empty"));
    }
    match kind {
        IdentifierKind::Phone => phone::parse(input, ctx),
        IdentifierKind::Card => card::parse_card(input, ctx),
        IdentifierKind::Iban => bank::parse_iban(input),
        IdentifierKind::Account => bank::parse_account(input, ctx),
        IdentifierKind::Email => web::parse_email(input),
        IdentifierKind::Url => web::parse_url(input),
        IdentifierKind::Domain => web::parse_domain(input),
        IdentifierKind::Ip => ip::parse(input),
        IdentifierKind::Imei => card::parse_imei(input),
        IdentifierKind::Wallet => wallet::parse(input, ctx),
        IdentifierKind::Crypto => crypto::parse(input),
        IdentifierKind::Social => social::parse(input, ctx),
    }
}

/// The lookup key of what a user typed: the same for every common form of
/// one identifier (`+994 50 123 45 67`, `0501234567` and `994501234567` are
/// all `+994501234567`).
pub fn lookup_key(kind: IdentifierKind, input: &str, ctx: &Normalising) -> Result<String, IdentifierError> {
    parse(kind, input, ctx).map(|identifier| identifier.value)
}
