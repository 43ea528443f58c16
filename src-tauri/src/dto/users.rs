//! User administration shapes.

use ketachart_core::user::UserAccount;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::vault::RoleName;

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UserRow {
    #[specta(type = specta_typescript::Number)]
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<RoleName>,
    pub disabled: bool,
    pub created_at: String,
}

impl From<UserAccount> for UserRow {
    fn from(u: UserAccount) -> Self {
        UserRow {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            roles: u.roles.into_iter().map(Into::into).collect(),
            disabled: u.disabled,
            created_at: u.created_at,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NewUserForm {
    pub username: String,
    pub display_name: String,
    pub roles: Vec<RoleName>,
    pub passphrase: String,
    pub passphrase_confirmation: String,
    /// The administrator's own passphrase, re-entered to authorise the new key wrap.
    pub admin_passphrase: String,
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PasswordResetForm {
    #[specta(type = specta_typescript::Number)]
    pub user_id: i64,
    pub passphrase: String,
    pub passphrase_confirmation: String,
    pub admin_passphrase: String,
}

/// A user's id on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct UserId(#[specta(type = specta_typescript::Number)] pub i64);
