//! The core's error type. Messages are written for the person at the keyboard and contain no PHI.

use std::path::PathBuf;

use crate::validation::ValidationErrors;

pub type CoreResult<T> = Result<T, CoreError>;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// Input failed validation; each entry names its field.
    #[error("{0}")]
    Validation(ValidationErrors),

    #[error("{what} was not found")]
    NotFound { what: &'static str },

    /// The record changed since it was read (optimistic concurrency), or a unique value is taken.
    #[error("{0}")]
    Conflict(String),

    /// Unknown user name or wrong passphrase. Deliberately does not say which.
    #[error("The user name or passphrase is not correct")]
    WrongCredentials,

    #[error("There is no KetaChart vault in {}", .0.display())]
    NoVault(PathBuf),

    #[error("A KetaChart vault already exists in {}; it was left untouched", .0.display())]
    VaultExists(PathBuf),

    /// Something is at the vault path that KetaChart did not write (or it is damaged). Never overwritten.
    #[error("{} is not a KetaChart vault: {reason}. Nothing was changed", .path.display())]
    NotAVault { path: PathBuf, reason: String },

    #[error("This vault was written by a newer version of KetaChart (schema {found}, this version understands up to {supported}). Update KetaChart to open it; nothing was changed")]
    NewerSchema { found: i64, supported: i64 },

    #[error("The data folder {} is read-only. Choose a folder you can write to", .0.display())]
    ReadOnly(PathBuf),

    #[error("KetaChart is already open on the vault in {}. Close the other window first", .0.display())]
    InUse(PathBuf),

    /// The signed-in user's roles do not include the permission (see `access::policy`).
    #[error("Your role does not allow you to {0}. Ask a clinic administrator if you need to")]
    Forbidden(&'static str),

    /// Too many failed sign-ins in a row; the next attempt is allowed after a delay.
    #[error("Too many failed sign-in attempts. Wait {wait_seconds} seconds, then try again")]
    Throttled { wait_seconds: u64 },

    /// A backup file that cannot be used (damaged, truncated, another vault, newer schema).
    #[error("This backup cannot be used: {0}. Nothing was changed")]
    BackupRefused(String),

    /// A patient file that cannot be imported (malformed, newer format, altered signature).
    #[error("This file cannot be imported: {0}. Nothing was imported")]
    ImportRefused(String),

    #[error("file access failed: {0}")]
    Io(#[from] std::io::Error),

    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),

    #[error("cryptography error: {0}")]
    Crypto(&'static str),
}

impl CoreError {
    /// A short, PHI-free name of the error kind, for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            CoreError::Validation(_) => "validation",
            CoreError::NotFound { .. } => "not_found",
            CoreError::Conflict(_) => "conflict",
            CoreError::WrongCredentials => "wrong_credentials",
            CoreError::NoVault(_) => "no_vault",
            CoreError::VaultExists(_) => "vault_exists",
            CoreError::NotAVault { .. } => "not_a_vault",
            CoreError::NewerSchema { .. } => "newer_schema",
            CoreError::ReadOnly(_) => "read_only",
            CoreError::InUse(_) => "in_use",
            CoreError::Forbidden(_) => "forbidden",
            CoreError::Throttled { .. } => "throttled",
            CoreError::ImportRefused(_) => "import_refused",
            CoreError::BackupRefused(_) => "backup_refused",
            CoreError::Io(_) => "io",
            CoreError::Db(_) => "db",
            CoreError::Crypto(_) => "crypto",
        }
    }
}

impl From<ValidationErrors> for CoreError {
    fn from(v: ValidationErrors) -> Self {
        CoreError::Validation(v)
    }
}
