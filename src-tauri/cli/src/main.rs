//! `ketachart-cli`: the admin and batch front-end over ketachart-core.
//!
//! Reads (list, search, show) may run while the app has the vault open (SQLite WAL); commands
//! that write take the vault's instance lock and refuse with a clear message if the app holds it.

mod add_list;
mod args;
mod documents;
mod output;
mod pa;
mod secret;

use std::process::ExitCode;

use clap::Parser;
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::patient::{self, PatientId};
use ketachart_core::session::CloseReason;
use ketachart_core::vault::{KdfParams, VaultDir, VaultState};
use ketachart_core::{audit, backup, demo, paths, settings, transfer, CoreError, Session};

use args::{AuditCommand, BackupCommand, Cli, Command, PatientsCommand, ScoresCommand};

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
            let created = vault.create(&setup, KdfParams::DEFAULT)?;
            output::created(
                cli.json,
                &dir,
                &created.session,
                &created.recovery_key.grouped(),
            );
            created.session.close(CloseReason::Exit);
            Ok(())
        }
        Command::Demo => {
            let dir = paths::demo_dir(cli.data_dir.as_deref())?;
            let vault = VaultDir::new(&dir);
            let _lock = vault.lock_exclusive()?;
            let created = demo::ensure_demo_vault(
                &dir,
                KdfParams::DEFAULT,
                today(),
                &ketachart_pdf::consent::render_for_signing,
            )?;
            output::demo(cli.json, &dir, created);
            Ok(())
        }
        Command::Patients {
            command: PatientsCommand::AddList { file },
        } => {
            let dir = paths::data_dir(cli.data_dir.as_deref())?;
            let vault = VaultDir::new(&dir);
            let _lock = vault.lock_exclusive()?;
            let mut session = unlock(cli, &vault)?;
            let r = add_list::patients(&mut session, file, today());
            session.close(CloseReason::Exit);
            let n = r?;
            eprintln!("Added {n} patients.");
            Ok(())
        }
        Command::Patients {
            command: PatientsCommand::Import { file },
        } => {
            let dir = paths::data_dir(cli.data_dir.as_deref())?;
            let vault = VaultDir::new(&dir);
            let _lock = vault.lock_exclusive()?;
            let text = std::fs::read_to_string(file).map_err(|e| {
                CoreError::ImportRefused(format!("{} could not be read ({e})", file.display()))
            })?;
            let mut session = unlock(cli, &vault)?;
            let r = transfer::import_patient(&mut session, &text, today());
            session.close(CloseReason::Exit);
            output::imported(cli.json, &r?);
            Ok(())
        }
        Command::Scores {
            command: ScoresCommand::List { patient },
        } => {
            let dir = paths::data_dir(cli.data_dir.as_deref())?;
            let session = unlock(cli, &VaultDir::new(&dir))?;
            let r = find(&session, patient)
                .and_then(|p| ketachart_core::scores::list(&session, p.id.0, None));
            session.close(CloseReason::Exit);
            output::scores(cli.json, &r?);
            Ok(())
        }
        Command::Pa {
            command:
                pa::PaCommand::Policies {
                    command: pa::PoliciesCommand::Validate { file },
                },
        } => pa::validate_file(cli.json, file),
        Command::Pa { command } => {
            let dir = paths::data_dir(cli.data_dir.as_deref())?;
            let session = unlock(cli, &VaultDir::new(&dir))?;
            let r = pa::run(
                cli.json,
                &session,
                command,
                |key| find(&session, key).map(|p| p.id.0),
                today(),
            );
            session.close(CloseReason::Exit);
            r
        }
        Command::Documents { command } => {
            let dir = paths::data_dir(cli.data_dir.as_deref())?;
            let vault = VaultDir::new(&dir);
            // Importing writes: it takes the instance lock (the app must be closed).
            let _lock = match command {
                documents::DocumentsCommand::Add { .. } => Some(vault.lock_exclusive()?),
                _ => None,
            };
            let session = unlock(cli, &vault)?;
            let r = documents::run(
                cli.json,
                &session,
                command,
                |key| find(&session, key).map(|p| p.id.0),
                today(),
            );
            session.close(CloseReason::Exit);
            r
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let dir = paths::data_dir(cli.data_dir.as_deref())?;
            let session = unlock(cli, &VaultDir::new(&dir))?;
            let report = audit::verify(&session);
            session.close(CloseReason::Exit);
            let report = report?;
            output::audit_report(cli.json, &report);
            if report.is_intact() {
                Ok(())
            } else {
                Err(CoreError::Conflict(report.summary()))
            }
        }
        Command::Backup { command } => {
            let dir = paths::data_dir(cli.data_dir.as_deref())?;
            let vault = VaultDir::new(&dir);
            let mut session = unlock(cli, &vault)?;
            let r = backup_command(cli, &mut session, command);
            session.close(CloseReason::Exit);
            r
        }
        Command::Restore { file } => {
            let dir = paths::data_dir(cli.data_dir.as_deref())?;
            let vault = VaultDir::new(&dir);
            let _lock = vault.lock_exclusive()?;
            let report = match vault.inspect()? {
                VaultState::Empty => {
                    let user = cli.user.clone().unwrap_or_default();
                    let pass = secret::passphrase("Passphrase (from the backup): ")?;
                    let (s, contents) =
                        backup::restore_into_empty_vault(&vault, file, &user, &pass)?;
                    s.close(CloseReason::Exit);
                    backup::RestoreReport {
                        contents,
                        safety_copy: None,
                    }
                }
                VaultState::Present { .. } => {
                    let mut slot = Some(unlock(cli, &vault)?);
                    let r = backup::restore(&mut slot, file);
                    if let Some(s) = slot {
                        s.close(CloseReason::Exit);
                    }
                    r?
                }
            };
            output::restored(cli.json, &report);
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
                    let p = find(&session, key)?;
                    output::patient(cli.json, &p, today());
                }
                PatientsCommand::Export { patient: key, out } => {
                    let id = find(&session, key)?.id.0;
                    let mut session = session;
                    let r = match out {
                        Some(path) => {
                            transfer::export_patient_to(&mut session, id, &absolute(path), today())
                                .map(|p| eprintln!("Wrote {}", p.display()))
                        }
                        None => transfer::export_patient(&mut session, id, today())
                            .and_then(|f| transfer::to_json(&f))
                            .map(|text| println!("{text}")),
                    };
                    session.close(CloseReason::Exit);
                    return r;
                }
                PatientsCommand::Summary { patient: key, out } => {
                    let id = find(&session, key)?.id.0;
                    let r = ketachart_pdf_summary(&session, id, &absolute(out));
                    session.close(CloseReason::Exit);
                    return r;
                }
                // Matched above: importing writes, so it takes the instance lock first.
                PatientsCommand::AddList { .. } | PatientsCommand::Import { .. } => {}
            }
            session.close(CloseReason::Exit);
            Ok(())
        }
    }
}

/// A patient by internal id or MRN.
fn find(session: &Session, key: &str) -> Result<patient::Patient, CoreError> {
    match key.parse::<i64>() {
        Ok(id) => patient::get(session, PatientId(id)),
        Err(_) => patient::get_by_mrn(session, key),
    }
}

/// Output paths may be relative to the working directory; the core wants them absolute.
fn absolute(p: &std::path::Path) -> String {
    std::path::absolute(p)
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}

fn ketachart_pdf_summary(session: &Session, patient_id: i64, out: &str) -> Result<(), CoreError> {
    let written = ketachart_pdf::summary::export(session, patient_id, out, today())?;
    eprintln!("Wrote {}", written.display());
    Ok(())
}

fn backup_folder(
    session: &Session,
    folder: &Option<std::path::PathBuf>,
) -> Result<std::path::PathBuf, CoreError> {
    match folder {
        Some(f) => Ok(f.clone()),
        None => settings::get(session)?.backup_folder.ok_or_else(|| {
            CoreError::Validation(ketachart_core::ValidationErrors::single(
                "folder",
                "No backup folder is set for this clinic: pass --folder",
            ))
        }),
    }
}

fn backup_command(
    cli: &Cli,
    session: &mut Session,
    command: &BackupCommand,
) -> Result<(), CoreError> {
    match command {
        BackupCommand::Create { folder } => {
            let folder = backup_folder(session, folder)?;
            let quiet = cli.json;
            let report = backup::create(session, &folder.display().to_string(), &|p| {
                if !quiet {
                    eprint!("\rBacking up… {:>3.0} %", p.fraction * 100.0);
                }
            })?;
            if !quiet {
                eprintln!();
            }
            output::backup_report(cli.json, &report);
        }
        BackupCommand::Verify { file } => {
            let c = backup::verify_file(session, file)?;
            output::backup_contents(cli.json, file, &c);
        }
        BackupCommand::List { folder } => {
            let folder = backup_folder(session, folder)?;
            output::backup_list(cli.json, &backup::list(session, &folder)?);
        }
    }
    Ok(())
}
