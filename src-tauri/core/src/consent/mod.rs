//! Consents: clinic-editable templates with immutable versions (`template`), which templates
//! each treatment requires before a course's first session (`requirement`, checked by
//! `treatment::consent_gate`), on-screen signatures (`signature`), and signing: the text is
//! rendered for the patient, both signatures checked, the witnessing staff member's passphrase
//! confirmed, and the flattened PDF (rendered by the caller, `ketachart-pdf`) stored in the
//! document store in the same transaction as the consent row (`sign`).

pub mod requirement;
pub mod sign;
pub mod signature;
pub mod template;

pub use requirement::Requirement;
pub use sign::{
    list, prepare, sign, sign_as_of, ConsentDocument, ConsentDraft, ConsentOverview,
    ConsentSignInput, MissingConsent, SignedConsent,
};
pub use signature::{Signature, SignatureInput};
pub use template::{ConsentTemplate, TemplateInput};
