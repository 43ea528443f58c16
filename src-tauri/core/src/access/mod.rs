//! Who may do what. Every operation in the core that reads or changes vault data asks the
//! session for a [`Permission`] first (`Session::require`); the shell and the CLI never decide
//! access themselves. The policy is one table ([`policy::allows`]) so it can be read and tested
//! as a whole.

pub mod permission;
pub mod policy;

pub use permission::Permission;
pub use policy::allows;
