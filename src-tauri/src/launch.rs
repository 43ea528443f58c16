//! Command-line options of the app binary and the start-up of its state.

use std::path::PathBuf;

use ketachart_core::{demo, paths, vault::KdfParams};

use crate::state::AppState;

pub const USAGE: &str = "Usage: ketachart [--data-dir <folder>] [--demo]

  --data-dir <folder>  use the vault in <folder> (default: $KETACHART_DATA_DIR, else the
                       OS data folder, e.g. ~/.local/share/ketachart)
  --demo               open the demo clinic (fictional patients) in its own folder,
                       creating it on first use; never touches real data
  --idle-lock-seconds <n>
                       lock after <n> seconds without input if that is shorter than
                       the clinic's idle time (shared kiosks, tests); never longer
  --help               show this help";

#[derive(Debug, Default, PartialEq, Eq)]
pub struct LaunchOptions {
    pub data_dir: Option<PathBuf>,
    pub demo: bool,
    pub help: bool,
    pub idle_lock_seconds: Option<u64>,
}

impl LaunchOptions {
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut o = LaunchOptions::default();
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--demo" => o.demo = true,
                "--help" | "-h" => o.help = true,
                "--data-dir" => {
                    let v = it.next().ok_or("--data-dir needs a folder")?;
                    o.data_dir = Some(PathBuf::from(v));
                }
                "--idle-lock-seconds" => {
                    let v = it.next().ok_or("--idle-lock-seconds needs a number")?;
                    let n: u64 =
                        v.parse().ok().filter(|n| *n >= 5).ok_or(
                            "--idle-lock-seconds needs a whole number of seconds, at least 5",
                        )?;
                    o.idle_lock_seconds = Some(n);
                }
                s if s.starts_with("--data-dir=") => {
                    o.data_dir = Some(PathBuf::from(&s["--data-dir=".len()..]));
                }
                other => return Err(format!("unknown option: {other}")),
            }
        }
        Ok(o)
    }
}

pub fn init_logging() {
    // Logs carry event names and error kinds only, never PHI or passphrases.
    let filter = tracing_subscriber::EnvFilter::try_from_env("KETACHART_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Resolves the vault folder, takes the instance lock and, for `--demo`, creates the demo
/// clinic on first use. Problems are kept in the state for the UI to explain.
pub fn prepare_state(o: &LaunchOptions) -> AppState {
    let dir = if o.demo {
        paths::demo_dir(o.data_dir.as_deref())
    } else {
        paths::data_dir(o.data_dir.as_deref())
    };
    let dir = match dir {
        Ok(d) => d,
        Err(e) => {
            let mut s = AppState::new(PathBuf::new());
            s.set_startup_problem(&e);
            return s;
        }
    };
    let mut state = AppState::new(dir.clone());
    if let Some(n) = o.idle_lock_seconds {
        state.set_idle_cap(std::time::Duration::from_secs(n));
    }
    if o.demo && state.problem().is_none() {
        let today = chrono::Local::now().date_naive();
        match demo::ensure_demo_vault(
            &dir,
            KdfParams::DEFAULT,
            today,
            &ketachart_pdf::consent::render_for_signing,
        ) {
            Ok(true) => tracing::info!("demo clinic created"),
            Ok(false) => {}
            Err(e) => state.set_startup_problem(&e),
        }
    }
    tracing::info!(demo = o.demo, "vault folder resolved");
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(a: &[&str]) -> Result<LaunchOptions, String> {
        LaunchOptions::from_args(a.iter().map(|s| s.to_string()))
    }

    #[test]
    fn parses_data_dir_and_demo() {
        assert_eq!(
            parse(&["--data-dir", "/x", "--demo"]).unwrap().data_dir,
            Some("/x".into())
        );
        assert_eq!(
            parse(&["--data-dir=/y"]).unwrap().data_dir,
            Some("/y".into())
        );
        assert!(parse(&["--demo"]).unwrap().demo);
        assert!(parse(&["--data-dir"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
        assert_eq!(
            parse(&["--idle-lock-seconds", "30"])
                .unwrap()
                .idle_lock_seconds,
            Some(30)
        );
        assert!(parse(&["--idle-lock-seconds", "1"]).is_err());
        assert!(parse(&["--idle-lock-seconds", "x"]).is_err());
    }
}
