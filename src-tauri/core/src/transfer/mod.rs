//! Moving one patient's whole record between vaults as a documented, versioned JSON file
//! (`format.rs`). Import is all or nothing; MRNs are kept unless taken, payers are matched by
//! name, and signed records keep their signatures (checked against their content).

mod export;
pub mod format;
mod import;

pub use export::{export_patient, export_patient_to, to_json};
pub use format::PatientFile;
pub use import::{import_patient, parse, ImportOutcome};
