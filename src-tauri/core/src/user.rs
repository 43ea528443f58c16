//! Users of a vault and their roles. Each user has a wrap of the database key in the key file
//! (see `vault::envelope`); this table holds who they are inside the encrypted database.
//! User management (add, disable, reset) arrives with the security issue.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::CoreResult;
use crate::validation::ValidationErrors;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Provider,
    Nurse,
    Billing,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Provider => "provider",
            Role::Nurse => "nurse",
            Role::Billing => "billing",
        }
    }

    fn parse(s: &str) -> Option<Role> {
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

pub(crate) fn insert(
    conn: &Connection,
    username: &str,
    display_name: &str,
    roles: &[Role],
    now: &str,
) -> CoreResult<User> {
    conn.execute(
        "INSERT INTO app_user (username, display_name, created_at) VALUES (?1, ?2, ?3)",
        params![username, display_name, now],
    )?;
    let id = conn.last_insert_rowid();
    for r in roles {
        conn.execute(
            "INSERT INTO app_user_role (user_id, role) VALUES (?1, ?2)",
            params![id, r.as_str()],
        )?;
    }
    Ok(User {
        id,
        username: username.into(),
        display_name: display_name.into(),
        roles: roles.to_vec(),
    })
}

/// An enabled user by (normalised) user name.
pub(crate) fn find_enabled(conn: &Connection, username: &str) -> CoreResult<Option<User>> {
    let row = conn
        .query_row(
            "SELECT id, username, display_name FROM app_user WHERE username = ?1 AND disabled = 0",
            [username],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            },
        )
        .optional()?;
    let Some((id, username, display_name)) = row else {
        return Ok(None);
    };
    let mut stmt =
        conn.prepare("SELECT role FROM app_user_role WHERE user_id = ?1 ORDER BY role")?;
    let roles = stmt
        .query_map([id], |r| r.get::<_, String>(0))?
        .filter_map(|r| r.ok().and_then(|s| Role::parse(&s)))
        .collect();
    Ok(Some(User {
        id,
        username,
        display_name,
        roles,
    }))
}
