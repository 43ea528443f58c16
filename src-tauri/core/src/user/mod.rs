//! Users of a vault and their roles. Each user has a wrap of the database key in the key file
//! (see `vault::envelope`); this table holds who they are inside the encrypted database.
//! Account management (add, disable, reset, roles, own password) is in `manage`.

pub mod manage;
pub(crate) mod store;

use serde::Serialize;

use crate::validation::ValidationErrors;

pub(crate) use store::{find_enabled, insert};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Provider,
    Nurse,
    Billing,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Provider, Role::Nurse, Role::Billing];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Provider => "provider",
            Role::Nurse => "nurse",
            Role::Billing => "billing",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "admin" => Role::Admin,
            "provider" => Role::Provider,
            "nurse" => Role::Nurse,
            "billing" => Role::Billing,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
}

/// User names are case-insensitive: stored lower-case, letters, digits, `.`, `_`, `-`.
pub fn normalize_username(errors: &mut ValidationErrors, field: &str, raw: &str) -> String {
    let u = raw.trim().to_lowercase();
    if u.is_empty() {
        errors.add(field, "Enter a user name");
    } else if u.chars().count() < 2 || u.chars().count() > 32 {
        errors.add(field, "User name must be between 2 and 32 characters");
    } else if !u
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
    {
        errors.add(
            field,
            "User name must only include letters a to z, numbers, dots, hyphens and underscores",
        );
    }
    u
}

/// A user as the admin screen lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserAccount {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
    pub created_at: String,
}
