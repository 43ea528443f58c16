//! Prior authorization: payer rule sets as versioned data (`rules.rs`, `load.rs`), the chart
//! facts a payer asks about (`facts.rs`), the criterion-by-criterion evaluation (`evaluate.rs`)
//! and the authorization requests the billing staff track.

pub mod load;
pub mod registry;
pub mod request;
pub mod rules;
pub mod service;

pub use load::{bundled, parse, RuleProblem};
pub use rules::RuleSet;
pub use service::Service;
