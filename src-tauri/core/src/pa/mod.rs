//! Prior authorization: payer rule sets as versioned data (`rules.rs`, `load.rs`), the chart
//! facts a payer asks about (`facts.rs`), the criterion-by-criterion evaluation (`evaluate.rs`)
//! and the authorization requests the billing staff track.

pub mod attestation;
pub mod check;
pub mod evaluate;
pub mod facts;
pub mod letter;
pub mod load;
pub mod outcome;
pub mod packet;
pub mod registry;
pub mod request;
pub mod rules;
pub mod service;
pub mod superbill;
pub mod workflow;

pub use evaluate::evaluate;
pub use load::{bundled, parse, RuleProblem};
pub use outcome::{CriterionResult, Evaluation, Evidence, EvidenceKind, Status, Verdict};
pub use rules::RuleSet;
pub use service::Service;
