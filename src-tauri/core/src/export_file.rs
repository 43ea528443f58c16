//! Writing a file the user asked for (an export, a report) to the place they chose: a temporary
//! file beside the target, fsync, then rename, so a crash never leaves half a file under the
//! chosen name. Nothing else in KetaChart writes plaintext outside the vault.

use std::io::Write;
use std::path::Path;

use crate::error::{CoreError, CoreResult};
use crate::validation::ValidationErrors;

/// A path the user chose to save to: it must be absolute and name a file in an existing folder.
pub fn check_target(field: &str, raw: &str) -> Result<std::path::PathBuf, ValidationErrors> {
    let p = std::path::PathBuf::from(raw.trim());
    if raw.trim().is_empty() || !p.is_absolute() || p.file_name().is_none() {
        return Err(ValidationErrors::single(
            field,
            "Choose where to save the file",
        ));
    }
    match p.parent() {
        Some(dir) if dir.is_dir() => Ok(p),
        _ => Err(ValidationErrors::single(
            field,
            "The folder to save in does not exist. Choose another place",
        )),
    }
}

/// Creates (or truncates) a file readable and writable by its owner only (0600 on Unix): key
/// files, backups and exports hold encrypted data or PHI.
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Refuses a target inside the vault folder (an export must never replace vault files).
pub fn check_outside(field: &str, target: &Path, vault_dir: &Path) -> Result<(), ValidationErrors> {
    let parent = target.parent().unwrap_or(target);
    let parent = parent.canonicalize().unwrap_or(parent.to_path_buf());
    let vault = vault_dir.canonicalize().unwrap_or(vault_dir.to_path_buf());
    if parent.starts_with(&vault) {
        return Err(ValidationErrors::single(
            field,
            "Choose a place outside KetaChart's data folder",
        ));
    }
    Ok(())
}

pub fn write_atomically(path: &Path, bytes: &[u8]) -> CoreResult<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(CoreError::Validation(ValidationErrors::single(
            "path",
            format!("The folder {} does not exist", parent.display()),
        )));
    }
    let file_name = path.file_name().ok_or_else(|| {
        CoreError::Validation(ValidationErrors::single("path", "Enter a file name"))
    })?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(file_name);
    tmp_name.push(".partial");
    let tmp = parent.join(tmp_name);
    let result = (|| -> std::io::Result<()> {
        let mut f = create_private(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.into());
    }
    Ok(())
}

/// Saves bytes the signed-in user exports (a summary PDF, a patient file) to the path they
/// chose: absolute, in an existing folder, outside the vault, owner-only, written atomically.
pub fn save_for_user(
    session: &crate::session::Session,
    raw_path: &str,
    bytes: &[u8],
) -> CoreResult<std::path::PathBuf> {
    let path = check_target("path", raw_path)?;
    check_outside("path", &path, session.vault().path())?;
    write_atomically(&path, bytes)?;
    Ok(path)
}
