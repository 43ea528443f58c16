//! SQLCipher connections and schema migrations. Nothing outside the core sees SQL.

pub(crate) mod connection;
pub mod migrations;
