//! Versioned clinical reference data shipped with the app, each file carrying its sources.
//! Values marked unverified or "requires clinical review" are defaults a clinic reviews and
//! may override; nothing here is a constant in code.

pub mod drugs;
pub mod icd10;
pub mod screening;
