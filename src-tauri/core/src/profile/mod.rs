//! Who the clinic is and who works there, as printed on forms (the Spravato REMS Patient
//! Monitoring Form names the healthcare setting and the monitoring health care provider):
//! `clinic.rs` (the clinic's address, contact numbers, TIN, NPI and REMS setting ID; one per
//! vault, kept by administrators), `provider.rs` (a profile per staff member: name as printed,
//! credentials, NPI, work phone and email, prescriber; kept by the person or an administrator),
//! `check.rs` (the field shapes both share), `npi.rs` (the NPI check digit).

pub(crate) mod check;
pub mod clinic;
pub mod npi;
pub mod provider;

pub use clinic::{ClinicProfile, ClinicProfileInput};
pub use npi::is_valid_npi;
pub use provider::{ProviderProfile, ProviderProfileInput};
