//! The printable recovery key: 160 random bits shown once at clinic setup as eight groups of
//! four letters and digits (`7KQM-2XPA-…`). It wraps the database key like a password does, so
//! it can open the vault when every password is forgotten; an administrator can replace it.

use data_encoding::BASE32_NOPAD;
use zeroize::Zeroizing;

use crate::error::{CoreError, CoreResult};
use crate::validation::ValidationErrors;

/// The slot id of the recovery wrap in the key file.
pub const WRAP_ID: &str = "recovery";
const BYTES: usize = 20;
const CHARS: usize = 32;

/// A recovery key in its canonical form (32 base32 characters, no separators).
pub struct RecoveryKey(Zeroizing<String>);

impl RecoveryKey {
    pub fn generate() -> CoreResult<Self> {
        let mut b = Zeroizing::new([0u8; BYTES]);
        getrandom::fill(b.as_mut()).map_err(|_| CoreError::Crypto("no OS randomness"))?;
        Ok(Self(Zeroizing::new(BASE32_NOPAD.encode(b.as_ref()))))
    }

    /// Accepts what a person types from the printout: any case, spaces or hyphens anywhere,
    /// and the digits 0/1/8 for the letters O/I/B they resemble.
    pub fn parse(field: &str, typed: &str) -> Result<Self, ValidationErrors> {
        let canonical: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| match c.to_ascii_uppercase() {
                '0' => 'O',
                '1' => 'I',
                '8' => 'B',
                other => other,
            })
            .collect();
        if canonical.is_empty() {
            return Err(ValidationErrors::single(field, "Enter the recovery key"));
        }
        if canonical.chars().count() != CHARS || BASE32_NOPAD.decode(canonical.as_bytes()).is_err()
        {
            return Err(ValidationErrors::single(
                field,
                "Enter the recovery key exactly as printed: 8 groups of 4 letters and digits",
            ));
        }
        Ok(Self(Zeroizing::new(canonical)))
    }

    /// The secret fed to the key derivation.
    pub(crate) fn secret(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// For display and printing: `ABCD-EFGH-…`.
    pub fn grouped(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }
}

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_key_parses_back_forgivingly() {
        let k = RecoveryKey::generate().unwrap();
        let g = k.grouped();
        assert_eq!(g.len(), 32 + 7);
        let typed = g.to_lowercase().replace('-', " ");
        assert_eq!(
            RecoveryKey::parse("k", &typed).unwrap().secret(),
            k.secret()
        );
    }

    #[test]
    fn malformed_keys_are_refused_with_a_message() {
        let e = RecoveryKey::parse("recoveryKey", "ABCD-EFGH").unwrap_err();
        assert!(e.has("recoveryKey"));
        let e = RecoveryKey::parse("recoveryKey", "").unwrap_err();
        assert_eq!(e.0[0].message, "Enter the recovery key");
    }
}
