//! The database key (DEK): 32 random bytes, used as SQLCipher's raw key so SQLCipher's own
//! PBKDF2 is skipped (our KDF is Argon2id, in `kdf.rs`). Zeroized on drop.

use zeroize::Zeroizing;

use crate::error::{CoreError, CoreResult};

pub struct DatabaseKey(Zeroizing<[u8; 32]>);

impl DatabaseKey {
    pub fn generate() -> CoreResult<Self> {
        let mut k = Zeroizing::new([0u8; 32]);
        getrandom::fill(k.as_mut()).map_err(|_| CoreError::Crypto("no OS randomness"))?;
        Ok(Self(k))
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> CoreResult<Self> {
        let arr: [u8; 32] = bytes
            .try_into()
            .map_err(|_| CoreError::Crypto("database key has the wrong length"))?;
        Ok(Self(Zeroizing::new(arr)))
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The value for `PRAGMA key`: a raw-key blob literal, `"x'…'"`. Zeroized on drop.
    pub(crate) fn pragma_literal(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::with_capacity(70));
        s.push_str("\"x'");
        s.push_str(&hex::encode(self.0.as_ref()));
        s.push_str("'\"");
        s
    }
}

impl std::fmt::Debug for DatabaseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DatabaseKey(…)")
    }
}
