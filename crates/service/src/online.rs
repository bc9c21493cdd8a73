//! What a citizen submits on the public site (docs/public-site.md): a crime
//! report or an appeal received online, recorded through the one write path
//! as the principal `public-site` (`Principal::online`) under the action
//! `submit_online`, so the same rules check it as a duty officer's or an
//! appeals office's registration; the receipt's secret; the status read from
//! the registry by reference and secret; and the satisfaction survey.
//!
//! The secret is stored nowhere: it is a keyed hash (HMAC-SHA-256 under the
//! installation's secret key) of the entry's id, 80 bits written as 16
//! letters and digits, recomputed and compared in constant time. A copy of
//! the database alone gives no one's secret; a new key invalidates every
//! receipt given before it.

use crate::audit::{Actor, Audited};
use crate::{ListParams, Receipt, Registry, Result, ServiceError, Submission};
use crimeboard_domain::access::{ONLINE_LOGIN, Principal};
use crimeboard_domain::appeal::{AppealChannel, RateAppeal};
use crimeboard_domain::report::{Channel, RateHandling};
use crimeboard_domain::{Command, Entity, EntityKind, Violation};
use hmac::{Hmac, KeyInit, Mac};
use sha2_hmac::Sha256;
use uuid::Uuid;

/// The legal ground the journal names for what the public site records.
pub const ONLINE_GROUND: &str = "received online through the public site";

/// Crockford's base32: no I, L, O or U, so a secret copied by hand reads back.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// How many bytes of the keyed hash a secret keeps: 80 bits, 16 characters.
const SECRET_BYTES: usize = 10;

/// What the citizen is given at once: the register number to quote and the
/// secret to look it up with, shown once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineReceipt {
    pub reference: String,
    pub secret: String,
    pub receipt: Receipt,
}

/// A report or an appeal received online, as the registry holds it now.
#[derive(Debug, Clone, PartialEq)]
pub enum Followed {
    Report(crimeboard_domain::report::CrimeReport),
    Appeal(crimeboard_domain::appeal::Appeal),
}

impl Registry {
    /// Records a crime report or an appeal a citizen sent through the public
    /// site, received now through the online channel, as `public-site`: the
    /// journal and the audit trail name the site, never the citizen's
    /// address. Anything else is refused (`online.not_online`), nothing written.
    pub fn submit_online(&self, mut command: Command) -> Result<OnlineReceipt> {
        let now = self.now();
        match &mut command {
            // Received by the site itself: no officer took it.
            Command::RegisterReport(r) => {
                (r.channel, r.received_at, r.officer) = (Channel::Online, now, ONLINE_LOGIN.to_string())
            }
            Command::RegisterAppeal(a) => (a.channel, a.received_at) = (AppealChannel::Online, now),
            _ => return Err(Violation::new("command", "online.not_online").into()),
        }
        let key = self.online_key()?;
        let receipt = self.record_online(command)?;
        let reference = receipt.number.clone().ok_or(ServiceError::NotFound)?;
        Ok(OnlineReceipt { reference, secret: written(&secret_of(&key, receipt.entity_id)), receipt })
    }

    /// The report or appeal received online under `reference`, if `secret`
    /// is its secret: a wrong secret and an unknown reference are the same
    /// `None`, so neither tells which references exist. Read from the
    /// registry as committed, so it never lags an act.
    pub fn follow_online(&self, reference: &str, secret: &str) -> Result<Option<Followed>> {
        let key = self.online_key()?;
        let Some(typed) = read_secret(secret) else { return Ok(None) };
        let Some(id) = self.online_entry(reference)? else { return Ok(None) };
        if mac_of(&key, id).verify_truncated_left(&typed).is_err() {
            return Ok(None);
        }
        Ok(match self.entity(id)? {
            Entity::Report(r) if r.channel == Channel::Online => Some(Followed::Report(r)),
            Entity::Appeal(a) if a.channel == AppealChannel::Online => Some(Followed::Appeal(a)),
            _ => None,
        })
    }

    /// The applicant's rating (1 to 5) of a closed report's or appeal's
    /// handling, once, by its reference and secret: the rules of
    /// `rate_handling` and `rate_appeal` decide whether it may be rated.
    pub fn rate_online(&self, reference: &str, secret: &str, score: i64) -> Result<Receipt> {
        let command = match self.follow_online(reference, secret)? {
            None => return Err(ServiceError::NotFound),
            Some(Followed::Report(r)) => {
                Command::RateHandling(RateHandling { report_id: r.id, rated_at: self.now(), score })
            }
            Some(Followed::Appeal(a)) => {
                Command::RateAppeal(RateAppeal { appeal_id: a.id, rated_at: self.now(), score })
            }
        };
        self.record_online(command)
    }

    fn record_online(&self, command: Command) -> Result<Receipt> {
        let by = Principal::online(self.root_code());
        let submission =
            Submission { actor: ONLINE_LOGIN.into(), legal_ground: ONLINE_GROUND.into(), command, late: None };
        self.record(&by, &submission, &Audited::EachAct(&Actor::new(ONLINE_LOGIN, "")))
    }

    /// The id of the report or appeal numbered `reference`, typed in any case.
    fn online_entry(&self, reference: &str) -> Result<Option<Uuid>> {
        let number = reference.trim().to_uppercase();
        let possible = |c: char| c.is_ascii_alphanumeric() || c == '-';
        if number.is_empty() || number.len() > 64 || !number.chars().all(possible) {
            return Ok(None);
        }
        for kind in [EntityKind::Report, EntityKind::Appeal] {
            let params =
                ListParams { kind: Some(kind), number: Some(number.clone()), per_page: Some(1), ..Default::default() };
            if let Some(found) = self.list(&params)?.items.first() {
                return Ok(Some(found.id));
            }
        }
        Ok(None)
    }

    fn online_key(&self) -> Result<std::sync::Arc<crate::seal::SecretKey>> {
        self.secret_key.get().map_err(|e| ServiceError::Store(crimeboard_store::StoreError::Corrupt(e.to_string())))
    }
}

fn mac_of(key: &crate::seal::SecretKey, id: Uuid) -> Hmac<Sha256> {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key.bytes()) else {
        unreachable!("HMAC takes a key of any length")
    };
    mac.update(b"crimeboard online receipt v1\0");
    mac.update(id.as_bytes());
    mac
}

fn secret_of(key: &crate::seal::SecretKey, id: Uuid) -> [u8; SECRET_BYTES] {
    let full = mac_of(key, id).finalize().into_bytes();
    let mut secret = [0u8; SECRET_BYTES];
    secret.copy_from_slice(&full[..SECRET_BYTES]);
    secret
}

/// 80 bits as 16 characters in groups of four: `7K3M-Q9XD-...`.
fn written(secret: &[u8; SECRET_BYTES]) -> String {
    let mut bits: u128 = 0;
    for b in secret {
        bits = bits << 8 | u128::from(*b);
    }
    let chars: Vec<char> = (0..16).rev().map(|i| char::from(ALPHABET[((bits >> (i * 5)) & 31) as usize])).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// A secret as typed: case, spaces and dashes ignored, O read as 0 and I or
/// L as 1, as Crockford's alphabet allows; `None` for anything else.
fn read_secret(typed: &str) -> Option<[u8; SECRET_BYTES]> {
    let mut bits: u128 = 0;
    let mut count = 0;
    for c in typed.chars().filter(|c| !matches!(c, '-' | ' ')) {
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        let value = ALPHABET.iter().position(|a| char::from(*a) == c)?;
        bits = bits << 5 | value as u128;
        count += 1;
        if count > 16 {
            return None;
        }
    }
    if count != 16 {
        return None;
    }
    let mut secret = [0u8; SECRET_BYTES];
    for (i, b) in secret.iter_mut().enumerate() {
        *b = (bits >> (8 * (SECRET_BYTES - 1 - i))) as u8;
    }
    Some(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_reads_back_as_written_however_it_is_typed() {
        let secret = [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x01, 0xff];
        let shown = written(&secret);
        assert_eq!(shown.len(), 19, "{shown}");
        assert_eq!(read_secret(&shown), Some(secret));
        assert_eq!(read_secret(&shown.to_lowercase().replace('-', " ")), Some(secret));
        assert_eq!(read_secret(&shown[..18]), None, "too short");
        assert_eq!(read_secret(&format!("{shown}0")), None, "too long");
        assert_eq!(read_secret("UUUU-UUUU-UUUU-UUUU"), None, "U is not in the alphabet");
    }
}
