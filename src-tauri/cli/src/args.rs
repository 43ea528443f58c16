//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "ketachart-cli",
    version,
    about = "KetaChart from the command line: set up a clinic vault, read and import patients, back up, restore and verify the audit log",
    long_about = "KetaChart from the command line.\n\n\
        The vault folder is --data-dir, else $KETACHART_DATA_DIR, else the OS data folder \
        (~/.local/share/ketachart on Linux). The passphrase is read from $KETACHART_PASSPHRASE \
        or asked for at the terminal; it is never accepted as an argument."
)]
pub struct Cli {
    /// Vault folder (overrides KETACHART_DATA_DIR and the OS default).
    #[arg(long, global = true, value_name = "FOLDER")]
    pub data_dir: Option<PathBuf>,

    /// User name to unlock as.
    #[arg(long, short, global = true, env = "KETACHART_USER")]
    pub user: Option<String>,

    /// Machine-readable JSON on stdout (errors as JSON on stderr).
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Say whether the folder holds a vault (no passphrase needed).
    Status,
    /// Create a new clinic vault with its first (admin) user.
    Init {
        /// The clinic's name, as shown on the unlock screen and on documents.
        #[arg(long)]
        clinic_name: String,
        /// The admin's full name.
        #[arg(long)]
        admin_name: String,
        /// The admin's user name (letters, numbers, dots, hyphens, underscores).
        #[arg(long)]
        username: String,
    },
    /// Create the demo clinic (fictional patients) in its own folder if it does not exist.
    Demo,
    /// Patient records.
    Patients {
        #[command(subcommand)]
        command: PatientsCommand,
    },
    /// Rating-scale scores.
    Scores {
        #[command(subcommand)]
        command: ScoresCommand,
    },
    /// Prior authorization: payer rule sets, gap checks, packets and the work queue.
    Pa {
        #[command(subcommand)]
        command: crate::pa::PaCommand,
    },
    /// Stored documents: import a PDF or image into a patient's chart, list, export.
    Documents {
        #[command(subcommand)]
        command: crate::documents::DocumentsCommand,
    },
    /// The tamper-evident audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Encrypted backups (admins).
    Backup {
        #[command(subcommand)]
        command: BackupCommand,
    },
    /// Replace the vault with a backup (checked first; the current data is kept as a safety
    /// copy). With no vault in the folder, sets the backup up as the vault (a new machine).
    Restore {
        /// The `.kcbackup` file.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ScoresCommand {
    /// A patient's rating-scale scores, oldest first: scale, when, who answered, total, band,
    /// safety flags.
    List {
        /// MRN or internal id.
        #[arg(long)]
        patient: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check every entry's hash chain; exits with status 1 and says where if it was altered.
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// Back up now, then read the backup back and check it.
    Create {
        /// Folder to write to (default: the clinic's configured backup folder).
        #[arg(long, value_name = "FOLDER")]
        folder: Option<PathBuf>,
    },
    /// Check a backup file completely without restoring it.
    Verify { file: PathBuf },
    /// List the backups in a folder, newest first.
    List {
        #[arg(long, value_name = "FOLDER")]
        folder: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum PatientsCommand {
    /// List patients alphabetically.
    List {
        #[arg(long, default_value_t = 0)]
        offset: u32,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Search by name (accents and case ignored, prefixes match), MRN or date of birth.
    Search {
        /// The words to search for, e.g. `mül` or `3/27/1975` or `KC-000042-6`.
        #[arg(required = true)]
        query: Vec<String>,
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Register new patients from a JSON Lines file (e.g. moving from a spreadsheet), one per line:
    /// {"givenName": "Ada", "familyName": "Lovelace", "birthDate": "1980-05-17"} (optional:
    /// preferredName, phone, email). Each patient is saved in its own transaction and
    /// reported as `added <MRN>` once committed; the first invalid line stops the list
    /// with its line number, leaving earlier lines saved.
    #[command(name = "add-list")]
    AddList { file: PathBuf },
    /// Write a patient's whole record (demographics, coverage, diagnoses, episodes, trials,
    /// psychotherapy, other treatments, screenings and evaluations with their signatures) as
    /// versioned JSON (format documented in the README). Prints to standard output unless
    /// --out names a file (written owner-only, outside the vault).
    Export {
        /// MRN or internal id.
        #[arg(long = "id")]
        patient: String,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Read a patient file written by `patients export` (this or another vault) as a new
    /// patient. All or nothing: a malformed, altered or newer-version file is refused with the
    /// reason and nothing is imported. The MRN is kept unless it is taken here.
    Import { file: PathBuf },
    /// Write the patient summary PDF (demographics, coverage, diagnoses, episode, the
    /// treatment-failure table, psychotherapy, screenings).
    Summary {
        /// MRN or internal id.
        #[arg(long = "id")]
        patient: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Show one patient, by MRN or internal id.
    Show {
        /// MRN (e.g. KC-000042-6) or id.
        patient: String,
    },
}
