//! The key-envelope file (`ketachart-keys.json`) beside the database.
//!
//! It holds the database key wrapped once per user (Argon2id KEK + XChaCha20-Poly1305) and,
//! from the security issue on, once for the printable recovery key. Adding a user or changing
//! a password re-wraps the key; the database itself is never re-encrypted. The file carries
//! no PHI: the clinic's display name, a demo flag, and ciphertext.

use std::io::Write;
use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};

use super::kdf::KdfParams;
use super::key::DatabaseKey;
use crate::error::{CoreError, CoreResult};

pub const FORMAT: &str = "ketachart-vault-keys";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WrapKind {
    User,
    Recovery,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyWrap {
    pub kind: WrapKind,
    /// The user name for `User` wraps; `"recovery"` for the recovery wrap.
    pub id: String,
    pub kdf: KdfParams,
    pub salt: String,
    pub nonce: String,
    pub ciphertext: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyEnvelope {
    pub format: String,
    pub version: u32,
    /// Random id also stored inside the database, so a key file cannot be paired with the
    /// wrong database unnoticed.
    pub vault_id: String,
    /// Clinic name shown on the unlock screen.
    pub label: String,
    /// A demo vault: the unlock screen may show the demo passphrase.
    #[serde(default)]
    pub demo: bool,
    pub created_at: String,
    /// Argon2id parameters for new wraps (users added later, password changes).
    #[serde(default = "default_kdf")]
    pub kdf: KdfParams,
    pub wraps: Vec<KeyWrap>,
}

fn default_kdf() -> KdfParams {
    KdfParams::DEFAULT
}

fn random<const N: usize>() -> CoreResult<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|_| CoreError::Crypto("no OS randomness"))?;
    Ok(b)
}

impl KeyEnvelope {
    pub fn new(label: &str, demo: bool, kdf: KdfParams) -> CoreResult<Self> {
        Ok(Self {
            kdf,
            format: FORMAT.into(),
            version: VERSION,
            vault_id: hex::encode(random::<16>()?),
            label: label.into(),
            demo,
            created_at: crate::timestamp::now_utc(),
            wraps: Vec::new(),
        })
    }

    /// Binds a wrap to this vault and this slot, so wraps cannot be swapped between users
    /// or copied into another vault's key file.
    fn aad(&self, kind: WrapKind, id: &str) -> Vec<u8> {
        format!("{FORMAT}/v{VERSION}|{}|{kind:?}|{id}", self.vault_id).into_bytes()
    }

    /// Adds (or replaces) the wrap for `kind`/`id`.
    pub fn wrap(
        &mut self,
        kind: WrapKind,
        id: &str,
        secret: &[u8],
        dek: &DatabaseKey,
        kdf: KdfParams,
    ) -> CoreResult<()> {
        let salt = random::<16>()?;
        let nonce = random::<24>()?;
        let kek = kdf.derive(secret, &salt)?;
        let cipher = XChaCha20Poly1305::new(Key::from_slice(kek.as_ref()));
        let aad = self.aad(kind, id);
        let ciphertext = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: dek.bytes(),
                    aad: &aad,
                },
            )
            .map_err(|_| CoreError::Crypto("wrapping the database key failed"))?;
        self.wraps.retain(|w| !(w.kind == kind && w.id == id));
        self.wraps.push(KeyWrap {
            kind,
            id: id.into(),
            kdf,
            salt: hex::encode(salt),
            nonce: hex::encode(nonce),
            ciphertext: hex::encode(ciphertext),
        });
        Ok(())
    }

    /// Recovers the database key. Unknown id and wrong secret give the same error.
    pub fn unwrap(&self, kind: WrapKind, id: &str, secret: &[u8]) -> CoreResult<DatabaseKey> {
        let w = self
            .wraps
            .iter()
            .find(|w| w.kind == kind && w.id == id)
            .ok_or(CoreError::WrongCredentials)?;
        let bad = |_| CoreError::Crypto("key file entry is damaged");
        let salt = hex::decode(&w.salt).map_err(bad)?;
        let nonce = hex::decode(&w.nonce).map_err(bad)?;
        let ct = hex::decode(&w.ciphertext).map_err(bad)?;
        if nonce.len() != 24 {
            return Err(CoreError::Crypto("key file entry is damaged"));
        }
        let kek = w.kdf.derive(secret, &salt)?;
        let cipher = XChaCha20Poly1305::new(Key::from_slice(kek.as_ref()));
        let aad = self.aad(kind, id);
        let plain = zeroize::Zeroizing::new(
            cipher
                .decrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: &ct,
                        aad: &aad,
                    },
                )
                .map_err(|_| CoreError::WrongCredentials)?,
        );
        DatabaseKey::from_bytes(&plain)
    }

    /// Removes a wrap (a disabled user can no longer derive the database key).
    pub fn remove_wrap(&mut self, kind: WrapKind, id: &str) {
        self.wraps.retain(|w| !(w.kind == kind && w.id == id));
    }

    pub fn has_wrap(&self, kind: WrapKind, id: &str) -> bool {
        self.wraps.iter().any(|w| w.kind == kind && w.id == id)
    }

    /// Reads and checks a key file. Anything that is not ours is `NotAVault`, never repaired.
    pub fn load(path: &Path) -> CoreResult<Self> {
        let not_vault = |reason: &str| CoreError::NotAVault {
            path: path.to_path_buf(),
            reason: reason.into(),
        };
        let bytes = std::fs::read(path)?;
        let env: KeyEnvelope = serde_json::from_slice(&bytes)
            .map_err(|_| not_vault("its key file is damaged or was not written by KetaChart"))?;
        env.check()
            .map_err(|reason| not_vault(&format!("its key file {reason}")))?;
        Ok(env)
    }

    /// The checks every key file must pass; the reason completes "its key file …".
    pub fn check(&self) -> Result<(), &'static str> {
        if self.format != FORMAT {
            return Err("was not written by KetaChart");
        }
        if self.version > VERSION {
            return Err("comes from a newer version of KetaChart; update KetaChart to open it");
        }
        if self.vault_id.len() != 32 || !self.wraps.iter().any(|w| w.kind == WrapKind::User) {
            return Err("is incomplete or damaged");
        }
        Ok(())
    }

    /// Writes the file atomically: a temporary file in the same folder, fsync, rename.
    pub fn save(&self, path: &Path) -> CoreResult<()> {
        self.stage(path)?.install()
    }

    /// Writes the new key file beside the current one (fsynced, owner-only) without replacing
    /// it yet: callers commit their database transaction first, then `install`. Dropping an
    /// uninstalled stage removes the temporary file, so a failed commit changes no key.
    pub fn stage(&self, path: &Path) -> CoreResult<StagedKeys> {
        let json = serde_json::to_vec_pretty(self)
            .map_err(|_| CoreError::Crypto("key file could not be serialised"))?;
        let tmp = path.with_extension("json.tmp");
        let staged = StagedKeys {
            tmp: tmp.clone(),
            target: path.to_path_buf(),
            installed: false,
        };
        let mut f = crate::export_file::create_private(&tmp)?;
        f.write_all(&json)?;
        f.sync_all()?;
        Ok(staged)
    }
}

/// A key file written but not yet in place (see `KeyEnvelope::stage`).
#[derive(Debug)]
pub struct StagedKeys {
    tmp: std::path::PathBuf,
    target: std::path::PathBuf,
    installed: bool,
}

impl StagedKeys {
    pub fn install(mut self) -> CoreResult<()> {
        std::fs::rename(&self.tmp, &self.target)?;
        self.installed = true;
        if let Some(dir) = self.target.parent() {
            // Make the rename durable; not supported on every platform, so best effort.
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }
}

impl Drop for StagedKeys {
    fn drop(&mut self) {
        if !self.installed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_unwrap_roundtrip_and_wrong_secret() {
        let dek = DatabaseKey::generate().unwrap();
        let mut env = KeyEnvelope::new("Clinic", false, KdfParams::FAST_FOR_TESTS).unwrap();
        env.wrap(
            WrapKind::User,
            "ana",
            b"right",
            &dek,
            KdfParams::FAST_FOR_TESTS,
        )
        .unwrap();
        let back = env.unwrap(WrapKind::User, "ana", b"right").unwrap();
        assert_eq!(back.bytes(), dek.bytes());
        assert!(matches!(
            env.unwrap(WrapKind::User, "ana", b"wrong"),
            Err(CoreError::WrongCredentials)
        ));
        assert!(matches!(
            env.unwrap(WrapKind::User, "bob", b"right"),
            Err(CoreError::WrongCredentials)
        ));
    }

    #[test]
    fn a_wrap_moved_to_another_user_does_not_open() {
        let dek = DatabaseKey::generate().unwrap();
        let mut env = KeyEnvelope::new("Clinic", false, KdfParams::FAST_FOR_TESTS).unwrap();
        env.wrap(
            WrapKind::User,
            "ana",
            b"pw",
            &dek,
            KdfParams::FAST_FOR_TESTS,
        )
        .unwrap();
        env.wraps[0].id = "eve".into();
        assert!(matches!(
            env.unwrap(WrapKind::User, "eve", b"pw"),
            Err(CoreError::WrongCredentials)
        ));
    }

    #[test]
    fn weak_parameters_in_a_tampered_file_are_refused() {
        let dek = DatabaseKey::generate().unwrap();
        let mut env = KeyEnvelope::new("Clinic", false, KdfParams::FAST_FOR_TESTS).unwrap();
        env.wrap(
            WrapKind::User,
            "ana",
            b"pw",
            &dek,
            KdfParams::FAST_FOR_TESTS,
        )
        .unwrap();
        env.wraps[0].kdf.m_kib = 8;
        assert!(matches!(
            env.unwrap(WrapKind::User, "ana", b"pw"),
            Err(CoreError::Crypto(_))
        ));
    }
}
