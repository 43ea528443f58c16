//! Wire shapes: what crosses IPC, in camelCase, with TypeScript generated from these types.
//! The core's types are converted here; the core itself knows nothing of JSON over IPC.

pub mod audit;
pub mod backup;
pub mod consents;
pub mod documents;
pub mod pa;
pub mod pa_request;
pub mod patient;
pub mod profile;
pub mod record;
pub mod rems_enrollment;
pub mod score;
pub mod treatment;
pub mod treatment_settings;
pub mod trial;
pub mod users;
pub mod vault;
