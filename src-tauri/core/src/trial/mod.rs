//! Antidepressant and augmentation trials: the facts a prior authorization counts — drug and
//! class, role, dose history, dates (possibly partial), adherence, outcome, current episode and
//! source — with the rules that judge them (`duration`).

pub mod duration;
pub mod floor;
pub mod model;
pub mod store;
pub mod validate;

pub use model::{DoseInput, Trial, TrialInput};
pub(crate) use store::insert;
pub use store::{create, list, update};
