//! KetaChart core: the domain, its validation rules and the encrypted vault that stores it.
//!
//! This crate is shared by the desktop shell (`src-tauri`) and the command line (`src-tauri/cli`).
//! It never depends on Tauri and defines no IPC or JSON wire shapes; it never logs PHI.

pub mod abn;
pub mod access;
pub mod audit;
pub mod backup;
pub mod billing;
pub mod clinic;
pub mod consent;
pub mod date_input;
pub mod demo;
pub mod document;
pub mod error;
pub mod export_file;
pub mod pa;
pub mod partial_date;
pub mod passphrase;
pub mod paths;
pub mod patient;
pub mod payer;
pub mod profile;
pub mod record;
pub mod reference;
pub mod rems_enrollment;
pub mod scales;
pub mod scores;
pub mod session;
pub mod settings;
pub mod storage;
pub mod summary;
pub mod timeline;
mod timestamp;
pub mod transfer;
pub mod treatment;
pub mod trial;
pub mod user;
pub mod validation;
pub mod vault;

pub use error::{CoreError, CoreResult};
pub use session::Session;
pub use validation::{FieldError, ValidationErrors};
