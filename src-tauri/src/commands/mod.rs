//! IPC commands: thin async adapters over the core. Each converts wire shapes, runs the
//! core call on a blocking thread, and converts errors to `IpcError`.

pub mod audit;
pub mod backup;
pub mod consents;
pub mod documents;
pub mod kiosk;
pub mod pa;
pub mod pa_request;
pub mod patients;
pub mod profile;
pub mod records;
pub mod rems_enrollment;
pub mod scores;
pub mod summary;
pub mod treatment;
pub mod treatment_settings;
pub mod trials;
pub mod users;
pub mod vault;

pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
