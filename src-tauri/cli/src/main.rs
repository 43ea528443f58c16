//! `ketachart-cli`: the admin and batch front-end over ketachart-core.
//!
//! Reads (list, search, show) may run while the app has the vault open (SQLite WAL); commands
//! that write take the vault's instance lock and refuse with a clear message if the app holds it.

mod args;
mod output;
mod secret;

use std::process::ExitCode;

use clap::Parser;
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::patient::{self, PatientId};
use ketachart_core::vault::{KdfParams, VaultDir, VaultState};
use ketachart_core::{demo, paths, CoreError, Session};

use args::{Cli, Command, PatientsCommand};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            output::error(cli.json, &e);
            ExitCode::FAILURE
        }
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn unlock(cli: &Cli, vault: &VaultDir) -> Result<Session, CoreError> {
    let user = cli.user.clone().unwrap_or_default();
    let pass = secret::passphrase("Passphrase: ")?;
    vault.unlock(&user, &pass)
}

fn run(cli: &Cli) -> Result<(), CoreError> {
    match &cli.command {
        Command::Status => {
            let dir = paths::data_dir(cli.data_dir.as_deref())?;
            let state = VaultDir::new(&dir).inspect()?;
            output::status(cli.json, &dir, &state);
            Ok(())
        }
        Command::Init {
            clinic_name,
            admin_name,
            username,
        } => {
            let dir = paths::data_dir(cli.data_dir.as_deref())?;
            let vault = VaultDir::new(&dir);
            let _lock = vault.lock_exclusive()?;
            if let VaultState::Present { .. } = vault.inspect()? {
                return Err(CoreError::VaultExists(dir));
            }
            let pass = secret::new_passphrase()?;
            let setup = ClinicSetup {
                clinic_name: clinic_name.clone(),
                admin_display_name: admin_name.clone(),
                admin_username: username.clone(),
                passphrase: pass.to_string(),
                passphrase_confirmation: pass.to_string(),
            };
            let session = vault.create(&setup, KdfParams::DEFAULT)?;
            output::created(cli.json, &dir, &session);
            Ok(())
        }
        Command::Demo => {
            let dir = paths::demo_dir(cli.data_dir.as_deref())?;
            let vault = VaultDir::new(&dir);
            let _lock = vault.lock_exclusive()?;
            let created = demo::ensure_demo_vault(&dir, KdfParams::DEFAULT, today())?;
            output::demo(cli.json, &dir, created);
            Ok(())
        }
        Command::Patients { command } => {
            let dir = paths::data_dir(cli.data_dir.as_deref())?;
            let vault = VaultDir::new(&dir);
            let session = unlock(cli, &vault)?;
            match command {
                PatientsCommand::List { offset, limit } => {
                    let rows = patient::list(&session, *offset, *limit)?;
                    let total = patient::count(&session)?;
                    output::patient_rows(cli.json, &rows, Some(total), false, today());
                }
                PatientsCommand::Search { query, limit } => {
                    let r = patient::search(&session, &query.join(" "), *limit)?;
                    output::patient_rows(cli.json, &r.patients, None, r.more, today());
                }
                PatientsCommand::Show { patient: key } => {
                    let p = match key.parse::<i64>() {
                        Ok(id) => patient::get(&session, PatientId(id))?,
                        Err(_) => patient::get_by_mrn(&session, key)?,
                    };
                    output::patient(cli.json, &p, today());
                }
            }
            Ok(())
        }
    }
}
