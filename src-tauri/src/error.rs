//! The error every command returns across IPC: `{code, message, fields?}`.
//!
//! `code` is a closed set the UI branches on. Internal details (SQL, IO, crypto) are logged
//! here without PHI and replaced by a fixed message; they never reach the webview.

use ketachart_core::CoreError;
use serde::Serialize;
use specta::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub enum ErrorCode {
    /// No vault is unlocked: show the unlock screen.
    Locked,
    NotFound,
    /// Input was refused; `fields` says where.
    Validation,
    /// The request clashes with the state of the vault or the record (stale edit, vault in use,
    /// newer schema, not a vault, already set up).
    Conflict,
    /// The signed-in user's roles do not allow this (checked in the core).
    Forbidden,
    /// A bug or an environment failure; details are in the log only.
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldError>>,
}

pub const INTERNAL_MESSAGE: &str =
    "Something went wrong inside KetaChart and nothing was saved. Try again; if it keeps happening, the log has details for support";

impl IpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: None,
        }
    }

    pub fn locked() -> Self {
        Self::new(
            ErrorCode::Locked,
            "KetaChart is locked. Unlock it to continue",
        )
    }

    pub fn internal(context: &str) -> Self {
        tracing::error!(context, "internal error");
        Self::new(ErrorCode::Internal, INTERNAL_MESSAGE)
    }
}

impl From<CoreError> for IpcError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Validation(v) => IpcError {
                code: ErrorCode::Validation,
                message: v.to_string(),
                fields: Some(
                    v.0.into_iter()
                        .map(|f| FieldError {
                            field: f.field,
                            message: f.message,
                        })
                        .collect(),
                ),
            },
            CoreError::WrongCredentials => {
                let message = CoreError::WrongCredentials.to_string();
                IpcError {
                    code: ErrorCode::Validation,
                    message: message.clone(),
                    fields: Some(vec![FieldError {
                        field: "passphrase".into(),
                        message,
                    }]),
                }
            }
            CoreError::NotFound { .. } => IpcError::new(ErrorCode::NotFound, e.to_string()),
            CoreError::Forbidden(_) => IpcError::new(ErrorCode::Forbidden, e.to_string()),
            CoreError::Throttled { .. } => {
                let message = e.to_string();
                IpcError {
                    code: ErrorCode::Validation,
                    message: message.clone(),
                    fields: Some(vec![FieldError {
                        field: "passphrase".into(),
                        message,
                    }]),
                }
            }
            CoreError::BackupRefused(_) | CoreError::ImportRefused(_) => {
                let message = e.to_string();
                IpcError {
                    code: ErrorCode::Validation,
                    message: message.clone(),
                    fields: Some(vec![FieldError {
                        field: "path".into(),
                        message,
                    }]),
                }
            }
            CoreError::Conflict(_)
            | CoreError::NoVault(_)
            | CoreError::VaultExists(_)
            | CoreError::NotAVault { .. }
            | CoreError::NewerSchema { .. }
            | CoreError::ReadOnly(_)
            | CoreError::InUse(_) => IpcError::new(ErrorCode::Conflict, e.to_string()),
            // SQLite, IO and crypto messages describe the failure, not the data; still, only
            // their kind is logged and nothing is sent to the webview.
            CoreError::Io(ref io) => {
                tracing::error!(kind = ?io.kind(), "io error");
                IpcError::new(ErrorCode::Internal, INTERNAL_MESSAGE)
            }
            CoreError::Db(ref db) => {
                tracing::error!(code = ?db.sqlite_error_code(), "database error");
                IpcError::new(ErrorCode::Internal, INTERNAL_MESSAGE)
            }
            CoreError::Crypto(what) => {
                tracing::error!(what, "crypto error");
                IpcError::new(ErrorCode::Internal, INTERNAL_MESSAGE)
            }
        }
    }
}
