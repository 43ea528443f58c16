//! Argon2id key derivation: passphrase → key-encryption key (KEK) that wraps the database key.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{CoreError, CoreResult};

/// Argon2id cost parameters, stored beside each wrap so they can be raised later without
/// breaking existing vaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Iterations.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl KdfParams {
    /// What new vaults use: 128 MiB, 4 passes — about 0.4 s on the 2-core build machine (see the
    /// unlock bench), within the usual 0.5–1 s target on a laptop for a key that
    /// guards a whole database. Stored per wrap, so raising it later needs no migration.
    pub const DEFAULT: KdfParams = KdfParams {
        m_kib: 128 * 1024,
        t: 4,
        p: 1,
    };

    /// Cheaper, still real Argon2id parameters for the test suite, so dozens of vaults can be
    /// created quickly. Never used by the app or the CLI.
    pub const FAST_FOR_TESTS: KdfParams = KdfParams {
        m_kib: 8 * 1024,
        t: 1,
        p: 1,
    };

    /// Refuse parameters below this floor when reading a key file (a tampered file could
    /// otherwise make brute force cheap for the next re-wrap).
    fn is_sane(&self) -> bool {
        self.m_kib >= 8 * 1024
            && self.m_kib <= 4 * 1024 * 1024
            && self.t >= 1
            && self.t <= 64
            && (1..=16).contains(&self.p)
    }

    pub(crate) fn derive(&self, secret: &[u8], salt: &[u8]) -> CoreResult<Zeroizing<[u8; 32]>> {
        if !self.is_sane() {
            return Err(CoreError::Crypto(
                "key file has unusable key-derivation parameters",
            ));
        }
        let params = argon2::Params::new(self.m_kib, self.t, self.p, Some(32))
            .map_err(|_| CoreError::Crypto("invalid key-derivation parameters"))?;
        let kdf = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut out = Zeroizing::new([0u8; 32]);
        kdf.hash_password_into(secret, salt, out.as_mut())
            .map_err(|_| CoreError::Crypto("key derivation failed"))?;
        Ok(out)
    }
}
