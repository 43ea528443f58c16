//! The document store: outside records, pharmacy fill histories, insurance cards, payer letters
//! and the app's own signed forms, kept inside the encrypted database with what they are, their
//! date and source, and the records they support (a trial's evidence: document and page).
//!
//! `kind.rs` (what a document is, its content type, what it links to), `content.rs` (size
//! limit, magic bytes, PDF and image checks), `pdf_parse.rs` (lopdf on untrusted bytes: its own
//! thread with a large stack, panics caught), `model.rs` (input and stored shapes), `store.rs`
//! (import, generated documents, links, view, export, removal; all audited).

pub mod content;
#[cfg(test)]
mod frozen_tests;
pub mod kind;
pub mod model;
pub mod pdf_parse;
pub mod store;

pub use content::{MAX_DOCUMENT_BYTES, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE};
pub use kind::{DocumentKind, LinkTarget, MediaType};
pub use model::{
    Document, DocumentContent, DocumentImportInput, DocumentLink, DocumentMeta, DocumentRef,
    GeneratedDocument, LinkDetail, TrialSource,
};
pub use store::{
    content, content_for_export, export, get, import, linked, linked_documents, list, remove,
    set_links, store_generated, store_generated_alone, trial_sources, update_meta,
};
