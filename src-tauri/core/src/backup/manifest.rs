//! The plaintext first entry of a backup archive: enough to list and refuse backups without a
//! passphrase, and nothing that is PHI.

use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "ketachart-backup";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    pub vault_id: String,
    /// The clinic name, as on the unlock screen.
    pub label: String,
    pub created_at: String,
    pub schema_version: i64,
    pub app_version: String,
    pub db_sha256: String,
    pub db_bytes: u64,
    /// SHA-256 of the key file in the archive.
    #[serde(default)]
    pub keys_sha256: Option<String>,
}
