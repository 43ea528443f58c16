//! Reading and writing the backup archive: `manifest.json`, `ketachart-keys.json`,
//! `ketachart.db`, in that order, in a tar file (the `tar` crate; a plain, inspectable format).

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::manifest::{self, Manifest};
use crate::error::{CoreError, CoreResult};
use crate::vault::envelope::KeyEnvelope;

pub const MANIFEST_ENTRY: &str = "manifest.json";
pub const KEYS_ENTRY: &str = "ketachart-keys.json";
pub const DB_ENTRY: &str = "ketachart.db";

fn refused(reason: impl Into<String>) -> CoreError {
    CoreError::BackupRefused(reason.into())
}

fn header(size: u64, mtime: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_size(size);
    h.set_mode(0o600);
    h.set_mtime(mtime);
    h.set_entry_type(tar::EntryType::Regular);
    h
}

/// Writes the archive to `out` and syncs it to disk.
pub fn write(out: &Path, manifest: &Manifest, keys: &[u8], db: &Path) -> CoreResult<()> {
    let mtime = chrono::Utc::now().timestamp().max(0) as u64;
    let file = crate::export_file::create_private(out)?;
    let mut b = tar::Builder::new(BufWriter::new(file));
    let m = serde_json::to_vec_pretty(manifest)
        .map_err(|_| CoreError::Crypto("backup manifest could not be serialised"))?;
    let mut h = header(m.len() as u64, mtime);
    b.append_data(&mut h, MANIFEST_ENTRY, m.as_slice())?;
    let mut h = header(keys.len() as u64, mtime);
    b.append_data(&mut h, KEYS_ENTRY, keys)?;
    let mut f = File::open(db)?;
    let mut h = header(f.metadata()?.len(), mtime);
    b.append_data(&mut h, DB_ENTRY, &mut f)?;
    let w = b.into_inner()?;
    let file = w.into_inner().map_err(|e| CoreError::Io(e.into_error()))?;
    file.sync_all()?;
    Ok(())
}

/// Opens a backup file, saying plainly when it is not there or not a file.
fn open(path: &Path) -> CoreResult<File> {
    if path.as_os_str().is_empty() {
        return Err(refused("no file was chosen"));
    }
    if path.is_dir() {
        return Err(refused("it is a folder, not a backup file"));
    }
    File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            refused("the file does not exist (is the drive connected?)")
        }
        std::io::ErrorKind::PermissionDenied => refused("KetaChart is not allowed to read it"),
        _ => CoreError::Io(e),
    })
}

/// Reads just the manifest (for listing).
pub fn read_manifest(path: &Path) -> CoreResult<Manifest> {
    let mut a = tar::Archive::new(open(path)?);
    let mut entries = a
        .entries()
        .map_err(|_| refused("it is not a KetaChart backup file"))?;
    let mut first = entries
        .next()
        .ok_or_else(|| refused("the file is empty"))?
        .map_err(|_| refused("it is not a KetaChart backup file"))?;
    let name = first
        .path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    if name != MANIFEST_ENTRY {
        return Err(refused("it is not a KetaChart backup file"));
    }
    let mut bytes = Vec::new();
    first
        .by_ref()
        .take(64 * 1024)
        .read_to_end(&mut bytes)
        .map_err(|_| refused("the file is damaged or incomplete"))?;
    let m: Manifest =
        serde_json::from_slice(&bytes).map_err(|_| refused("its manifest is damaged"))?;
    if m.format != manifest::FORMAT {
        return Err(refused("it is not a KetaChart backup file"));
    }
    if m.version > manifest::VERSION {
        return Err(refused(
            "it was made by a newer version of KetaChart; update KetaChart to restore it",
        ));
    }
    Ok(m)
}

/// Everything in the archive: the manifest, the key file, and the database extracted to
/// `db_out` (still encrypted) with its SHA-256 checked against the manifest.
pub fn extract(path: &Path, db_out: &Path) -> CoreResult<(Manifest, KeyEnvelope)> {
    let manifest = read_manifest(path)?;
    let mut a = tar::Archive::new(open(path)?);
    let damaged = |_| refused("the file is damaged or incomplete (was it copied completely?)");
    let mut keys: Option<KeyEnvelope> = None;
    let mut db_done = false;
    for entry in a.entries().map_err(damaged)? {
        let mut entry = entry.map_err(damaged)?;
        let name = entry
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        match name.as_str() {
            KEYS_ENTRY => {
                let mut bytes = Vec::new();
                entry
                    .by_ref()
                    .take(1024 * 1024)
                    .read_to_end(&mut bytes)
                    .map_err(damaged)?;
                if let Some(expected) = &manifest.keys_sha256 {
                    if &sha256_bytes(&bytes) != expected {
                        return Err(refused(
                            "its key file is damaged (its checksum does not match)",
                        ));
                    }
                }
                let env: KeyEnvelope = serde_json::from_slice(&bytes)
                    .map_err(|_| refused("its key file is damaged"))?;
                env.check()
                    .map_err(|reason| refused(format!("its key file {reason}")))?;
                keys = Some(env);
            }
            DB_ENTRY => {
                let mut out = BufWriter::new(File::create(db_out)?);
                let mut hasher = Sha256::new();
                let mut buf = vec![0u8; 256 * 1024];
                let mut total = 0u64;
                loop {
                    let n = entry.read(&mut buf).map_err(damaged)?;
                    if n == 0 {
                        break;
                    }
                    hasher.update(&buf[..n]);
                    out.write_all(&buf[..n])?;
                    total += n as u64;
                }
                let f = out
                    .into_inner()
                    .map_err(|e| CoreError::Io(e.into_error()))?;
                f.sync_all()?;
                if total != manifest.db_bytes
                    || hex::encode(hasher.finalize()) != manifest.db_sha256
                {
                    return Err(refused(
                        "the database inside it is damaged or incomplete (its checksum does not match)",
                    ));
                }
                db_done = true;
            }
            _ => {}
        }
    }
    let keys = keys.ok_or_else(|| refused("it has no key file"))?;
    if !db_done {
        return Err(refused("it has no database (was it copied completely?)"));
    }
    if keys.vault_id != manifest.vault_id {
        return Err(refused(
            "its key file and manifest belong to different vaults",
        ));
    }
    Ok((manifest, keys))
}

pub fn sha256_bytes(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

pub fn sha256_file(path: &Path) -> CoreResult<(String, u64)> {
    let mut f = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), total))
}
