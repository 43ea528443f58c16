//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "ketachart-cli",
    version,
    about = "KetaChart from the command line: set up a clinic vault and read patients",
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
    /// Show one patient, by MRN or internal id.
    Show {
        /// MRN (e.g. KC-000042-6) or id.
        patient: String,
    },
}
