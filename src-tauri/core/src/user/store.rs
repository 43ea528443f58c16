//! The `app_user` and `app_user_role` tables.

use rusqlite::{params, Connection, OptionalExtension};

use super::{Role, User, UserAccount};
use crate::error::CoreResult;

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
    set_roles(conn, id, roles)?;
    Ok(User {
        id,
        username: username.into(),
        display_name: display_name.into(),
        roles: roles.to_vec(),
    })
}

pub(crate) fn set_roles(conn: &Connection, id: i64, roles: &[Role]) -> CoreResult<()> {
    conn.execute("DELETE FROM app_user_role WHERE user_id = ?1", [id])?;
    for r in roles {
        conn.execute(
            "INSERT INTO app_user_role (user_id, role) VALUES (?1, ?2)",
            params![id, r.as_str()],
        )?;
    }
    Ok(())
}

pub(crate) fn roles_of(conn: &Connection, id: i64) -> CoreResult<Vec<Role>> {
    let mut stmt =
        conn.prepare_cached("SELECT role FROM app_user_role WHERE user_id = ?1 ORDER BY role")?;
    let roles = stmt
        .query_map([id], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter_map(|s| Role::parse(&s))
        .collect();
    Ok(roles)
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
    Ok(Some(User {
        id,
        username,
        display_name,
        roles: roles_of(conn, id)?,
    }))
}

pub(crate) fn account(conn: &Connection, id: i64) -> CoreResult<Option<UserAccount>> {
    let row = conn
        .query_row(
            "SELECT id, username, display_name, disabled, created_at FROM app_user WHERE id = ?1",
            [id],
            |r| {
                Ok(UserAccount {
                    id: r.get(0)?,
                    username: r.get(1)?,
                    display_name: r.get(2)?,
                    roles: Vec::new(),
                    disabled: r.get::<_, i64>(3)? != 0,
                    created_at: r.get(4)?,
                })
            },
        )
        .optional()?;
    match row {
        Some(mut a) => {
            a.roles = roles_of(conn, a.id)?;
            Ok(Some(a))
        }
        None => Ok(None),
    }
}

pub(crate) fn all(conn: &Connection) -> CoreResult<Vec<UserAccount>> {
    let mut stmt = conn.prepare(
        "SELECT id, username, display_name, disabled, created_at FROM app_user ORDER BY disabled, display_name, username",
    )?;
    let mut users: Vec<UserAccount> = stmt
        .query_map([], |r| {
            Ok(UserAccount {
                id: r.get(0)?,
                username: r.get(1)?,
                display_name: r.get(2)?,
                roles: Vec::new(),
                disabled: r.get::<_, i64>(3)? != 0,
                created_at: r.get(4)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    for u in &mut users {
        u.roles = roles_of(conn, u.id)?;
    }
    Ok(users)
}

pub(crate) fn set_disabled(conn: &Connection, id: i64, disabled: bool) -> CoreResult<()> {
    conn.execute(
        "UPDATE app_user SET disabled = ?2 WHERE id = ?1",
        params![id, disabled as i64],
    )?;
    Ok(())
}

/// Enabled users holding the admin role.
pub(crate) fn enabled_admins(conn: &Connection) -> CoreResult<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM app_user u JOIN app_user_role r ON r.user_id = u.id \
         WHERE u.disabled = 0 AND r.role = 'admin'",
        [],
        |r| r.get(0),
    )?)
}
