//! Crypto-currency addresses with their chain, typed as `chain:address`,
//! `chain address`, a payment URI (`bitcoin:…?amount=…`) or the address
//! alone, whose form then names the chain. Bitcoin (base58check P2PKH and
//! P2SH, bech32 and bech32m segwit), Ethereum (EIP-55 when in mixed case)
//! and Tron (base58check) are checked against their checksums; a Solana
//! address has none, so it is only decoded (32 bytes) and must be named.
//! Other chains are refused until their rules are written.

use serde::{Deserialize, Serialize};

use crate::checks::{Base58Check, Bech32Variant, base58_decode, base58check, bech32_decode, eip55, five_to_eight};
use crate::{Extra, Identifier, IdentifierError, IdentifierKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Chain {
    Bitcoin,
    Ethereum,
    Tron,
    Solana,
}

impl Chain {
    pub fn code(self) -> &'static str {
        match self {
            Chain::Bitcoin => "bitcoin",
            Chain::Ethereum => "ethereum",
            Chain::Tron => "tron",
            Chain::Solana => "solana",
        }
    }

    /// The chain's name or ticker as typed (`BTC`, `eth`, `TRC20`, ...).
    fn named(name: &str) -> Option<Chain> {
        match name.to_ascii_lowercase().as_str() {
            "bitcoin" | "btc" => Some(Chain::Bitcoin),
            "ethereum" | "eth" | "erc20" => Some(Chain::Ethereum),
            "tron" | "trx" | "trc20" => Some(Chain::Tron),
            "solana" | "sol" => Some(Chain::Solana),
            _ => None,
        }
    }

    /// The chain an address's form names, when it names one.
    fn of_address(address: &str) -> Option<Chain> {
        let lower = address.to_ascii_lowercase();
        if lower.starts_with("bc1") || address.starts_with('1') || address.starts_with('3') {
            Some(Chain::Bitcoin)
        } else if lower.starts_with("0x") {
            Some(Chain::Ethereum)
        } else if address.starts_with('T') {
            Some(Chain::Tron)
        } else {
            None
        }
    }
}

fn invalid() -> IdentifierError {
    IdentifierError::new("identifier.crypto.invalid")
}

fn bad_checksum() -> IdentifierError {
    IdentifierError::new("identifier.crypto.checksum")
}

pub fn parse(input: &str) -> Result<Identifier, IdentifierError> {
    let (chain, address) = match input.split_once([':', ' ']) {
        Some((name, address)) => {
            let chain = Chain::named(name).ok_or_else(|| IdentifierError::new("identifier.crypto.chain"))?;
            (chain, address.trim())
        }
        None => (Chain::of_address(input).ok_or_else(|| IdentifierError::new("identifier.crypto.chain"))?, input),
    };
    // A payment URI's parameters (`?amount=…`) are not the address.
    let address = address.split('?').next().unwrap_or_default();
    let (value, shown) = match chain {
        Chain::Bitcoin => bitcoin(address)?,
        Chain::Ethereum => ethereum(address)?,
        Chain::Tron => base58_with_version(address, &[0x41])?,
        Chain::Solana => solana(address)?,
    };
    let extra = Extra { chain: Some(chain), ..Extra::default() };
    Ok(Identifier::new(
        IdentifierKind::Crypto,
        format!("{}:{value}", chain.code()),
        format!("{} {shown}", chain.code()),
        extra,
    ))
}

/// The address as the key keeps it and as a page shows it.
type Address = (String, String);

fn bitcoin(address: &str) -> Result<Address, IdentifierError> {
    if address.get(..3).is_some_and(|start| start.eq_ignore_ascii_case("bc1")) {
        let address = segwit(address)?;
        Ok((address.clone(), address))
    } else {
        base58_with_version(address, &[0x00, 0x05])
    }
}

/// A segwit address (BIP-173, BIP-350): witness version 0 with a 20 or 32
/// byte program under bech32, versions 1 to 16 under bech32m; lower-cased.
fn segwit(address: &str) -> Result<String, IdentifierError> {
    let (hrp, data, variant) = bech32_decode(address).ok_or_else(bad_checksum)?;
    let (&version, program) = data.split_first().ok_or_else(invalid)?;
    let program = five_to_eight(program).ok_or_else(invalid)?;
    let expected = if version == 0 { Bech32Variant::Bech32 } else { Bech32Variant::Bech32m };
    if variant != expected {
        return Err(bad_checksum());
    }
    let length_ok = if version == 0 { matches!(program.len(), 20 | 32) } else { (2..=40).contains(&program.len()) };
    if hrp != "bc" || version > 16 || !length_ok {
        return Err(invalid());
    }
    Ok(address.to_ascii_lowercase())
}

/// A base58check address of 21 bytes whose first is one of the versions.
fn base58_with_version(address: &str, versions: &[u8]) -> Result<Address, IdentifierError> {
    match base58check(address) {
        Base58Check::Valid(payload) if payload.len() == 21 && versions.contains(&payload[0]) => {
            Ok((address.to_string(), address.to_string()))
        }
        Base58Check::Valid(_) | Base58Check::Malformed => Err(invalid()),
        Base58Check::BadChecksum => Err(bad_checksum()),
    }
}

/// `0x` and 40 hex digits; in mixed case they must be EIP-55's. The key is
/// lower case, the page shows the checksummed form.
fn ethereum(address: &str) -> Result<Address, IdentifierError> {
    let hex = address.strip_prefix("0x").or_else(|| address.strip_prefix("0X")).ok_or_else(invalid)?;
    if hex.len() != 40 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid());
    }
    let lower = hex.to_ascii_lowercase();
    let checksummed = eip55(&lower);
    let mixed = hex.bytes().any(|b| b.is_ascii_lowercase()) && hex.bytes().any(|b| b.is_ascii_uppercase());
    if mixed && hex != checksummed {
        return Err(bad_checksum());
    }
    Ok((format!("0x{lower}"), format!("0x{checksummed}")))
}

/// A Solana address: the base58 text of a 32-byte key, with no checksum.
fn solana(address: &str) -> Result<Address, IdentifierError> {
    match base58_decode(address) {
        Some(bytes) if bytes.len() == 32 => Ok((address.to_string(), address.to_string())),
        _ => Err(invalid()),
    }
}
