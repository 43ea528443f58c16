//! Encrypted backups and verified restore.
//!
//! A backup is one `.kcbackup` file (a tar archive) holding a plaintext manifest (format,
//! vault id, clinic label, time, schema version, SHA-256 of the database), the key file, and
//! a copy of the database made with `VACUUM INTO`, which SQLCipher writes encrypted under the
//! same key. Nothing in it is ever plaintext PHI, and because it carries the key file, the
//! passwords and recovery key of the moment it was taken open it after a restore.
//!
//! Every backup is read back from where it was written and checked (hash, SQLCipher opens it,
//! `integrity_check`, contents counted) before it is reported as made. A restore checks the
//! file the same way before it touches anything, then swaps it in with the live database kept
//! as a safety copy (see `restore`).

pub mod archive;
pub mod create;
pub mod manifest;
pub mod restore;
pub mod verify;

pub use create::{create, create_scheduled, BackupProgress, BackupReport};
pub use manifest::Manifest;
pub use restore::{restore, restore_into_empty_vault, RestoreReport};
pub use verify::{list, verify_file, BackupContents, BackupListing};

/// The file name extension of backups.
pub const EXTENSION: &str = "kcbackup";
