//! Account management. An administrator adds users, changes roles, disables and re-enables
//! accounts and resets passwords; each user changes their own password. None of this
//! re-encrypts the database: a password only wraps the database key in the key file.
//!
//! Operations that create a wrap need the database key, which the app does not keep after
//! unlocking; the administrator re-enters their own passphrase ("with the admin's authority")
//! and the key is unwrapped from their slot for the moment it takes. Disabling a user removes
//! their wrap, so a disabled account cannot derive the key even with a copy of the key file.
//!
//! The database change and the key file change go together: the new key file is written and
//! synced beside the old one while the transaction is open, the transaction commits, and only
//! then is the new key file renamed into place (a failed commit leaves the old one).

use super::store;
use super::{normalize_username, Role, User, UserAccount};
use crate::access::Permission;
use crate::audit::{AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::passphrase;
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::validation::{clean_line, ValidationErrors};
use crate::vault::envelope::{KeyEnvelope, WrapKind};
use crate::vault::key::DatabaseKey;
use crate::vault::recovery::{self, RecoveryKey};

#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub passphrase: String,
    pub passphrase_confirmation: String,
}

pub fn list(session: &Session) -> CoreResult<Vec<UserAccount>> {
    session.require(Permission::ManageUsers)?;
    store::all(session.conn())
}

/// Checks the signed-in user's re-entered passphrase (signing, confirming a sensitive action).
/// A wrong or empty one is a field error on `field`.
pub(crate) fn confirm_passphrase(
    session: &Session,
    field: &str,
    passphrase: &str,
) -> CoreResult<()> {
    own_key(session, field, passphrase).map(|_| ())
}

/// Unwraps the database key from the signed-in user's own slot with the passphrase they just
/// re-entered. A wrong passphrase is a field error on `field`.
fn own_key(
    session: &Session,
    field: &str,
    passphrase: &str,
) -> CoreResult<(KeyEnvelope, DatabaseKey)> {
    if passphrase.is_empty() {
        return Err(ValidationErrors::single(field, "Enter your passphrase to confirm").into());
    }
    let env = session.vault().load_envelope()?;
    match env.unwrap(
        WrapKind::User,
        &session.user().username,
        passphrase.as_bytes(),
    ) {
        Ok(k) => Ok((env, k)),
        Err(CoreError::WrongCredentials) => {
            Err(ValidationErrors::single(field, "Your passphrase is not correct").into())
        }
        Err(e) => Err(e),
    }
}

/// Unwraps the database key with the acting user's re-entered passphrase (`auth_field` names
/// the form field for a wrong one) and wraps it again for `kind`/`id` under `secret`.
fn rewrap(
    session: &Session,
    auth_field: &str,
    auth_passphrase: &str,
    kind: WrapKind,
    id: &str,
    secret: &[u8],
) -> CoreResult<KeyEnvelope> {
    let (mut env, dek) = own_key(session, auth_field, auth_passphrase)?;
    let kdf = env.kdf;
    env.wrap(kind, id, secret, &dek, kdf)?;
    Ok(env)
}

/// Runs the database part of an account change in a transaction, then puts the new key file
/// in place only once that transaction has committed (see the module comment).
fn commit_with_keys<T>(
    session: &mut Session,
    env: &KeyEnvelope,
    change: impl FnOnce(&rusqlite::Transaction<'_>, &crate::audit::Actor) -> CoreResult<T>,
) -> CoreResult<T> {
    let keys_path = session.vault().keys_path();
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    let out = change(&tx, &actor)?;
    let staged = env.stage(&keys_path)?;
    tx.commit()?;
    staged.install()?;
    Ok(out)
}

fn roles_text(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_roles(errors: &mut ValidationErrors, roles: &[Role]) -> Vec<Role> {
    let mut out: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|r| roles.contains(r))
        .collect();
    out.dedup();
    if out.is_empty() {
        errors.add("roles", "Select at least one role");
    }
    out
}

fn account(session: &Session, id: i64) -> CoreResult<UserAccount> {
    store::account(session.conn(), id)?.ok_or(CoreError::NotFound { what: "The user" })
}

/// Adds a user with an initial passphrase the administrator gives them.
pub fn create(
    session: &mut Session,
    admin_passphrase: &str,
    new: &NewUser,
) -> CoreResult<UserAccount> {
    session.require(Permission::ManageUsers)?;
    let mut e = ValidationErrors::new();
    let username = normalize_username(&mut e, "username", &new.username);
    let display_name = clean_line(&mut e, "displayName", "Full name", &new.display_name, 100);
    if display_name.is_empty() && !e.has("displayName") {
        e.add("displayName", "Enter the user's full name");
    }
    let roles = check_roles(&mut e, &new.roles);
    passphrase::check_new(
        &mut e,
        "passphrase",
        "passphraseConfirmation",
        &new.passphrase,
        &new.passphrase_confirmation,
        &[&username, &display_name],
    );
    if !e.has("username") {
        let taken: bool = session.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM app_user WHERE username = ?1)",
            [&username],
            |r| r.get(0),
        )?;
        if taken {
            e.add(
                "username",
                "This user name is already taken; choose another",
            );
        }
    }
    e.into_result()?;
    let env = rewrap(
        session,
        "adminPassphrase",
        admin_passphrase,
        WrapKind::User,
        &username,
        new.passphrase.as_bytes(),
    )?;
    let user = commit_with_keys(session, &env, |tx, actor| {
        let user = store::insert(tx, &username, &display_name, &roles, &now_utc())?;
        crate::audit::append(
            tx,
            actor,
            &NewEvent::new(AuditAction::UserCreate)
                .record("user", user.username.clone())
                .detail(format!("roles: {}", roles_text(&roles))),
        )?;
        Ok(user)
    })?;
    account(session, user.id)
}

/// Refuses a change that would leave the clinic without an enabled administrator.
fn keep_an_admin(session: &Session, target: &UserAccount, loses_admin: bool) -> CoreResult<()> {
    if loses_admin
        && target.roles.contains(&Role::Admin)
        && !target.disabled
        && store::enabled_admins(session.conn())? <= 1
    {
        return Err(CoreError::Conflict(
            "This is the only enabled administrator. Give another user the admin role first".into(),
        ));
    }
    Ok(())
}

pub fn set_roles(session: &mut Session, user_id: i64, roles: &[Role]) -> CoreResult<UserAccount> {
    session.require(Permission::ManageUsers)?;
    let target = account(session, user_id)?;
    let mut e = ValidationErrors::new();
    let roles = check_roles(&mut e, roles);
    e.into_result()?;
    keep_an_admin(session, &target, !roles.contains(&Role::Admin))?;
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    store::set_roles(&tx, user_id, &roles)?;
    crate::audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::UserRolesChange)
            .record("user", target.username.clone())
            .detail(format!(
                "from {} to {}",
                roles_text(&target.roles),
                roles_text(&roles)
            )),
    )?;
    tx.commit()?;
    if user_id == session.user().id {
        let me = session.user().clone();
        session.set_user(User { roles, ..me });
    }
    account(session, user_id)
}

/// Disables an account and removes its key wrap. The user's records and audit entries stay.
pub fn disable(session: &mut Session, user_id: i64) -> CoreResult<UserAccount> {
    session.require(Permission::ManageUsers)?;
    let target = account(session, user_id)?;
    if user_id == session.user().id {
        return Err(CoreError::Conflict(
            "You cannot disable your own account while signed in with it".into(),
        ));
    }
    if target.disabled {
        return Ok(target);
    }
    keep_an_admin(session, &target, true)?;
    let mut env = session.vault().load_envelope()?;
    env.remove_wrap(WrapKind::User, &target.username);
    commit_with_keys(session, &env, |tx, actor| {
        store::set_disabled(tx, user_id, true)?;
        crate::audit::append(
            tx,
            actor,
            &NewEvent::new(AuditAction::UserDisable).record("user", target.username.clone()),
        )?;
        Ok(())
    })?;
    account(session, user_id)
}

/// Resets another user's passphrase (and re-enables the account if it was disabled).
pub fn reset_password(
    session: &mut Session,
    user_id: i64,
    admin_passphrase: &str,
    new_passphrase: &str,
    confirmation: &str,
) -> CoreResult<UserAccount> {
    session.require(Permission::ManageUsers)?;
    let target = account(session, user_id)?;
    let mut e = ValidationErrors::new();
    passphrase::check_new(
        &mut e,
        "passphrase",
        "passphraseConfirmation",
        new_passphrase,
        confirmation,
        &[&target.username, &target.display_name],
    );
    e.into_result()?;
    let env = rewrap(
        session,
        "adminPassphrase",
        admin_passphrase,
        WrapKind::User,
        &target.username,
        new_passphrase.as_bytes(),
    )?;
    commit_with_keys(session, &env, |tx, actor| {
        if target.disabled {
            store::set_disabled(tx, user_id, false)?;
            crate::audit::append(
                tx,
                actor,
                &NewEvent::new(AuditAction::UserEnable).record("user", target.username.clone()),
            )?;
        }
        crate::audit::append(
            tx,
            actor,
            &NewEvent::new(AuditAction::UserPasswordReset).record("user", target.username.clone()),
        )?;
        Ok(())
    })?;
    account(session, user_id)
}

/// The signed-in user changes their own passphrase.
pub fn change_own_password(
    session: &mut Session,
    current: &str,
    new_passphrase: &str,
    confirmation: &str,
) -> CoreResult<()> {
    let mut e = ValidationErrors::new();
    if current.is_empty() {
        e.add("currentPassphrase", "Enter your current passphrase");
    }
    let me = session.user().clone();
    passphrase::check_new(
        &mut e,
        "passphrase",
        "passphraseConfirmation",
        new_passphrase,
        confirmation,
        &[&me.username, &me.display_name],
    );
    if !current.is_empty() && current == new_passphrase {
        e.add(
            "passphrase",
            "Choose a passphrase different from your current one",
        );
    }
    e.into_result()?;
    let env = rewrap(
        session,
        "currentPassphrase",
        current,
        WrapKind::User,
        &me.username,
        new_passphrase.as_bytes(),
    )?;
    commit_with_keys(session, &env, |tx, actor| {
        crate::audit::append(
            tx,
            actor,
            &NewEvent::new(AuditAction::PasswordChange).record("user", me.username.clone()),
        )?;
        Ok(())
    })
}

/// Replaces the recovery key (the old printout stops working). Shown once.
pub fn replace_recovery_key(
    session: &mut Session,
    admin_passphrase: &str,
) -> CoreResult<RecoveryKey> {
    session.require(Permission::ManageUsers)?;
    let key = RecoveryKey::generate()?;
    let env = rewrap(
        session,
        "adminPassphrase",
        admin_passphrase,
        WrapKind::Recovery,
        recovery::WRAP_ID,
        key.secret(),
    )?;
    commit_with_keys(session, &env, |tx, actor| {
        crate::audit::append(tx, actor, &NewEvent::new(AuditAction::RecoveryKeyReplace))?;
        Ok(())
    })?;
    Ok(key)
}
