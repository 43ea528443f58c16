//! The clinical record around the medication trials: coverage, diagnoses, depressive episodes,
//! psychotherapy, other treatments, safety screenings and evaluations. Each is a validated
//! document (`body`) of one kind; screenings and evaluations are signed and then frozen.

pub mod allergies;
mod body;
pub(crate) mod canonical;
pub(crate) mod check;
pub mod coverage;
pub mod diagnosis;
pub mod episode;
pub mod evaluation;
mod kind;
pub mod other_treatment;
pub mod psychotherapy;
pub mod screening;
mod signature;
mod store;

pub use body::RecordBody;
pub use kind::RecordKind;
pub use signature::{add_addendum, sign};
pub(crate) use store::{
    body_text, course_alias, insert_imported, list_bodies, patient_mrn, ImportedRecord,
};
pub use store::{create, get, list, update};

/// A stored record.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: i64,
    pub patient_id: i64,
    /// Increases on every edit of a draft; an edit or signature names the version it saw.
    pub version: i64,
    pub body: RecordBody,
    pub created_at: String,
    /// User name of whoever entered it.
    pub created_by: String,
    pub updated_at: String,
    pub signature: Option<Signature>,
    pub addenda: Vec<Addendum>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    pub by: String,
    pub by_name: String,
    pub at: String,
    /// SHA-256 (hex) of the canonical content at signing.
    pub sha256: String,
    /// Whether the stored content still hashes to `sha256` (false only if the file was altered
    /// outside KetaChart).
    pub intact: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Addendum {
    pub id: i64,
    pub text: String,
    pub by: String,
    pub by_name: String,
    pub at: String,
    pub sha256: String,
}
#[cfg(test)]
mod frozen_tests;
