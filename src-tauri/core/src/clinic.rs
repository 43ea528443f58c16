//! The clinic a vault belongs to, and the first-launch setup that creates it.

use rusqlite::Connection;

use crate::error::CoreResult;
use crate::passphrase;
use crate::user::normalize_username;
use crate::validation::{clean_line, ValidationErrors};

/// What the person types on the first-launch screen.
#[derive(Debug, Clone, Default)]
pub struct ClinicSetup {
    pub clinic_name: String,
    pub admin_display_name: String,
    pub admin_username: String,
    pub passphrase: String,
    pub passphrase_confirmation: String,
}

/// A setup that passed validation, with names trimmed and the user name normalised.
#[derive(Debug, Clone)]
pub struct ValidClinicSetup {
    pub clinic_name: String,
    pub admin_display_name: String,
    pub admin_username: String,
}

impl ClinicSetup {
    /// Checks every field, including the passphrase policy (see `passphrase::assess`).
    /// `enforce_strength` is false only for the demo clinic's published passphrase.
    pub fn validate(&self, enforce_strength: bool) -> Result<ValidClinicSetup, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let clinic_name = clean_line(&mut e, "clinicName", "Clinic name", &self.clinic_name, 120);
        if clinic_name.is_empty() && !e.has("clinicName") {
            e.add("clinicName", "Enter the clinic name");
        }
        let admin_display_name = clean_line(
            &mut e,
            "adminDisplayName",
            "Your full name",
            &self.admin_display_name,
            100,
        );
        if admin_display_name.is_empty() && !e.has("adminDisplayName") {
            e.add("adminDisplayName", "Enter your full name");
        }
        let admin_username = normalize_username(&mut e, "adminUsername", &self.admin_username);
        if self.passphrase.is_empty() {
            e.add("passphrase", "Enter a passphrase");
        } else if enforce_strength {
            let s = passphrase::assess(
                &self.passphrase,
                &[&clinic_name, &admin_username, &admin_display_name],
            );
            if !s.acceptable {
                e.add(
                    "passphrase",
                    s.problem
                        .unwrap_or_else(|| "Choose a stronger passphrase".into()),
                );
            }
        }
        if self.passphrase_confirmation.is_empty() && !self.passphrase.is_empty() {
            e.add(
                "passphraseConfirmation",
                "Enter the passphrase again to confirm it",
            );
        } else if self.passphrase_confirmation != self.passphrase {
            e.add("passphraseConfirmation", "The passphrases do not match");
        }
        e.into_result().map(|()| ValidClinicSetup {
            clinic_name,
            admin_display_name,
            admin_username,
        })
    }
}

pub(crate) fn insert(conn: &Connection, name: &str, now: &str) -> CoreResult<()> {
    conn.execute(
        "INSERT INTO clinic (id, name, updated_at) VALUES (1, ?1, ?2)",
        [name, now],
    )?;
    Ok(())
}

pub fn name(conn: &Connection) -> CoreResult<String> {
    Ok(conn.query_row("SELECT name FROM clinic WHERE id = 1", [], |r| r.get(0))?)
}
