//! Audit entries that cannot be written yet because the database they belong to is not open:
//! a restore (the restored database is opened only at the next sign-in). Kept beside the vault
//! in `ketachart-pending-audit.json` (user names, actions, file names; no PHI) and appended to
//! the log by the next successful sign-in.

use std::path::Path;

use serde::{Deserialize, Serialize};

pub const FILE: &str = "ketachart-pending-audit.json";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PendingEntry {
    pub at: String,
    pub user_id: Option<i64>,
    pub username: String,
    pub action: String,
    pub detail: Option<String>,
}

pub fn load(dir: &Path) -> Vec<PendingEntry> {
    std::fs::read(dir.join(FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

pub fn add(dir: &Path, entry: PendingEntry) -> std::io::Result<()> {
    let mut all = load(dir);
    all.push(entry);
    let json = serde_json::to_vec_pretty(&all).map_err(std::io::Error::other)?;
    let tmp = dir.join(format!("{FILE}.tmp"));
    std::fs::write(&tmp, json)?;
    std::fs::rename(tmp, dir.join(FILE))
}

pub fn clear(dir: &Path) {
    let _ = std::fs::remove_file(dir.join(FILE));
}
