//! Where a vault lives. The same rules for the app and the CLI:
//! an explicit `--data-dir` wins, then `KETACHART_DATA_DIR`, then the OS convention
//! (`$XDG_DATA_HOME/ketachart` on Linux, Application Support on macOS, AppData on Windows).
//! The demo clinic always lives in its own folder beside, never inside, the real one.

use std::path::{Path, PathBuf};

use crate::error::{CoreError, CoreResult};

pub const DATA_DIR_ENV: &str = "KETACHART_DATA_DIR";

fn project_dirs() -> CoreResult<directories::ProjectDirs> {
    directories::ProjectDirs::from("org", "KetaChart", "ketachart").ok_or_else(|| {
        CoreError::Io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "cannot determine the home folder; pass --data-dir or set KETACHART_DATA_DIR",
        ))
    })
}

/// The real clinic's data folder.
pub fn data_dir(explicit: Option<&Path>) -> CoreResult<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    Ok(project_dirs()?.data_dir().to_path_buf())
}

/// The demo clinic's folder: `--data-dir` if given, otherwise a `ketachart-demo` folder next to
/// the OS default. `KETACHART_DATA_DIR` is deliberately ignored so a demo never lands in real data.
pub fn demo_dir(explicit: Option<&Path>) -> CoreResult<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    let real = project_dirs()?.data_dir().to_path_buf();
    let parent = real.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(parent.join("ketachart-demo"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_dir_wins() {
        let p = Path::new("/tmp/somewhere");
        assert_eq!(data_dir(Some(p)).unwrap(), p);
        assert_eq!(demo_dir(Some(p)).unwrap(), p);
    }

    #[test]
    fn demo_dir_is_never_the_real_dir() {
        let real = project_dirs().unwrap().data_dir().to_path_buf();
        let demo = demo_dir(None).unwrap();
        assert_ne!(real, demo);
        assert!(!demo.starts_with(&real));
    }
}
