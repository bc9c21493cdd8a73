//! Secrets the server must read back (TOTP secrets) are sealed at rest with
//! ChaCha20-Poly1305 under a key kept outside the database, in a file of its
//! own (hex, mode 0600, created on first use). A copy of the database alone
//! then yields no second factor, and an altered or moved sealed value (the
//! login is bound in as associated data) fails to open instead of being used.
//!
//! A sealed value reads `sealed:v1:<hex of nonce and ciphertext>`; anything
//! else is a plain base32 secret from before sealing, still read, and sealed
//! by [`crate::Registry::seal_totp_secrets`].

use crate::accounts::{AuthError, AuthResult};
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{ChaCha20Poly1305, KeyInit};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

const PREFIX: &str = "sealed:v1:";
const NONCE_LEN: usize = 12;

/// The key that seals secrets at rest, and where it came from (for errors).
pub struct SecretKey {
    key: [u8; 32],
    origin: String,
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretKey").field("origin", &self.origin).finish_non_exhaustive()
    }
}

/// Whether a stored value is sealed (else a plain secret from before sealing).
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with(PREFIX)
}

fn random<const N: usize>() -> AuthResult<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| AuthError::Internal(format!("no randomness from the OS: {e}")))?;
    Ok(b)
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl SecretKey {
    pub fn from_bytes(key: [u8; 32], origin: &str) -> SecretKey {
        SecretKey { key, origin: origin.to_string() }
    }

    /// A fresh random key (tests, or a caller that keeps it itself).
    pub fn generate(origin: &str) -> AuthResult<SecretKey> {
        Ok(SecretKey::from_bytes(random()?, origin))
    }

    /// Reads the key file, or creates it (mode 0600, its folder too) with a
    /// new random key if there is none. A file that is not a key, or that
    /// others may read, is refused with a message that says so.
    pub fn load_or_create(path: &Path) -> AuthResult<SecretKey> {
        let shown = path.display();
        let fail = |what: String| AuthError::Internal(format!("secret key {shown}: {what}"));
        match std::fs::read_to_string(path) {
            Ok(text) => {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt as _;
                    let mode = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?.permissions().mode();
                    if mode & 0o077 != 0 {
                        return Err(fail(format!("others may read it (mode {:o}): chmod 600 it", mode & 0o777)));
                    }
                }
                let key: [u8; 32] = unhex(text.trim())
                    .and_then(|b| b.try_into().ok())
                    .ok_or_else(|| fail("not a key (64 hexadecimal digits)".into()))?;
                Ok(SecretKey::from_bytes(key, &shown.to_string()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
                }
                let key = SecretKey::generate(&shown.to_string())?;
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                match options.open(path) {
                    Ok(mut file) => {
                        file.write_all(format!("{}\n", hex(&key.key)).as_bytes())
                            .and_then(|_| file.sync_all())
                            .map_err(|e| fail(e.to_string()))?;
                        Ok(key)
                    }
                    // Another process made it first: use theirs.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => SecretKey::load_or_create(path),
                    Err(e) => Err(fail(e.to_string())),
                }
            }
            Err(e) => Err(fail(e.to_string())),
        }
    }

    /// The key itself, for a use of its own (the card key is one such key, in its own file).
    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.key
    }

    fn cipher(&self) -> ChaCha20Poly1305 {
        ChaCha20Poly1305::new(&self.key.into())
    }

    /// Seals a secret of a login.
    pub fn seal(&self, login: &str, plain: &str) -> AuthResult<String> {
        let nonce: [u8; NONCE_LEN] = random()?;
        let sealed = self
            .cipher()
            .encrypt(&nonce.into(), Payload { msg: plain.as_bytes(), aad: login.as_bytes() })
            .map_err(|_| AuthError::Internal("sealing a secret failed".into()))?;
        Ok(format!("{PREFIX}{}{}", hex(&nonce), hex(&sealed)))
    }

    /// Opens a sealed secret of a login; a wrong key, or a value altered or
    /// moved to another login, is an error that names the key.
    pub fn open(&self, login: &str, stored: &str) -> AuthResult<String> {
        let wrong = || {
            AuthError::Internal(format!(
                "the sealed TOTP secret of {login:?} does not open with the secret key {}: \
                 is this the key the database was sealed with?",
                self.origin
            ))
        };
        let bytes = stored.strip_prefix(PREFIX).and_then(unhex).filter(|b| b.len() > NONCE_LEN).ok_or_else(wrong)?;
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| wrong())?;
        let plain = self
            .cipher()
            .decrypt(&nonce.into(), Payload { msg: sealed, aad: login.as_bytes() })
            .map_err(|_| wrong())?;
        String::from_utf8(plain).map_err(|_| wrong())
    }
}

/// Where the registry's key comes from: given, or a file read on first use.
#[derive(Default)]
pub(crate) struct KeySlot {
    pub(crate) file: Option<PathBuf>,
    pub(crate) key: OnceLock<Arc<SecretKey>>,
}

impl KeySlot {
    pub(crate) fn get(&self) -> AuthResult<Arc<SecretKey>> {
        if let Some(k) = self.key.get() {
            return Ok(k.clone());
        }
        let path = self.file.as_ref().ok_or_else(|| {
            AuthError::Internal(
                "no secret key to seal TOTP secrets with: give --secret-key FILE (or CRIMEBOARD_SECRET_KEY_FILE)"
                    .into(),
            )
        })?;
        let key = Arc::new(SecretKey::load_or_create(path)?);
        Ok(self.key.get_or_init(|| key).clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_with_its_key_and_login_only() {
        let key = SecretKey::generate("test").unwrap();
        let sealed = key.seal("aliyev", "JBSWY3DPEHPK3PXP").unwrap();
        assert!(is_sealed(&sealed) && !sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(key.open("aliyev", &sealed).unwrap(), "JBSWY3DPEHPK3PXP");
        assert_ne!(sealed, key.seal("aliyev", "JBSWY3DPEHPK3PXP").unwrap(), "a fresh nonce each time");
        assert!(key.open("mammadov", &sealed).is_err(), "moved to another login");
        let other = SecretKey::generate("other").unwrap();
        let err = other.open("aliyev", &sealed).unwrap_err().to_string();
        assert!(err.contains("does not open with the secret key other"), "{err}");
        let mut altered = sealed.clone();
        altered.pop();
        altered.push('0');
        assert!(key.open("aliyev", &altered).is_err() || altered == sealed);
    }

    #[test]
    fn the_key_file_is_made_once_for_its_owner_alone_and_a_bad_one_is_refused() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = std::env::temp_dir().join(format!("crimeboard-key-{}", uuid::Uuid::now_v7().simple()));
        let path = dir.join("keys").join("secret.key");
        let first = SecretKey::load_or_create(&path).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let again = SecretKey::load_or_create(&path).unwrap();
        assert_eq!(first.key, again.key);
        std::fs::write(&path, "not a key").unwrap();
        let err = SecretKey::load_or_create(&path).unwrap_err().to_string();
        assert!(err.contains("not a key"), "{err}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = SecretKey::load_or_create(&path).unwrap_err().to_string();
        assert!(err.contains("chmod 600"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
