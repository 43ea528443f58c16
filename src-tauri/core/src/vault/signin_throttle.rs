//! Failed sign-in throttling. After three failures in a row, each further attempt must wait
//! twice as long as the last (2 s, 4 s, 8 s … up to 5 minutes), for any user name, so
//! guessing at the unlock screen is slow. The record lives beside the vault
//! (`ketachart-signin.json`: times and the user names typed, no PHI) because the database
//! cannot be written until someone unlocks it; the next successful sign-in moves the failures
//! into the audit log and clears the file.
//!
//! This slows guessing through the app and CLI. Offline guessing against a copied key file is
//! resisted by Argon2id, not by this file.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};

pub const FILE: &str = "ketachart-signin.json";
const FREE_ATTEMPTS: u32 = 3;
const MAX_WAIT_SECONDS: u64 = 300;
/// Failures kept for the audit log; older ones are summarised by the count.
const MAX_PENDING: usize = 500;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Failure {
    pub at: String,
    pub username: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Record {
    consecutive: u32,
    last_failure_at: Option<String>,
    pending: Vec<Failure>,
}

fn path(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

fn load(dir: &Path) -> Record {
    std::fs::read(path(dir))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

fn save(dir: &Path, r: &Record) {
    let Ok(json) = serde_json::to_vec(r) else {
        return;
    };
    let tmp = path(dir).with_extension("json.tmp");
    let ok = std::fs::write(&tmp, json).and_then(|()| std::fs::rename(&tmp, path(dir)));
    if ok.is_err() {
        tracing::warn!("could not record a failed sign-in (folder not writable?)");
    }
}

/// Seconds to wait after `consecutive` failures.
pub fn wait_after(consecutive: u32) -> u64 {
    if consecutive <= FREE_ATTEMPTS {
        0
    } else {
        let exp = (consecutive - FREE_ATTEMPTS).min(16);
        (1u64 << exp).min(MAX_WAIT_SECONDS)
    }
}

/// `Throttled` if the last failure was too recent.
pub fn check(dir: &Path, now: DateTime<Utc>) -> CoreResult<()> {
    let r = load(dir);
    let wait = wait_after(r.consecutive);
    if wait == 0 {
        return Ok(());
    }
    let Some(last) = r
        .last_failure_at
        .as_deref()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
    else {
        return Ok(());
    };
    let allowed = last.with_timezone(&Utc) + chrono::Duration::seconds(wait as i64);
    if now < allowed {
        let remaining = (allowed - now).num_milliseconds().max(0) as u64;
        return Err(CoreError::Throttled {
            wait_seconds: remaining.div_ceil(1000).max(1),
        });
    }
    Ok(())
}

pub fn record_failure(dir: &Path, username: &str, now: DateTime<Utc>) {
    let mut r = load(dir);
    let at = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    r.consecutive = r.consecutive.saturating_add(1);
    r.last_failure_at = Some(at.clone());
    if r.pending.len() < MAX_PENDING {
        r.pending.push(Failure {
            at,
            username: username.to_string(),
        });
    }
    save(dir, &r);
}

/// The failures not yet in the audit log.
pub fn pending(dir: &Path) -> Vec<Failure> {
    load(dir).pending
}

/// After a successful sign-in (and once the failures are in the audit log).
pub fn clear(dir: &Path) {
    match std::fs::remove_file(path(dir)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(_) => tracing::warn!("could not clear the failed sign-in record"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_grows_after_three_failures_and_is_capped() {
        assert_eq!(
            (0..=5).map(wait_after).collect::<Vec<_>>(),
            [0, 0, 0, 0, 2, 4]
        );
        assert_eq!(wait_after(12), 300);
        assert_eq!(wait_after(u32::MAX), 300);
    }

    #[test]
    fn throttles_until_the_wait_is_over_then_clears() {
        let tmp = tempfile::tempdir().unwrap();
        let t0 = Utc::now();
        for _ in 0..4 {
            record_failure(tmp.path(), "ana", t0);
        }
        let err = check(tmp.path(), t0 + chrono::Duration::milliseconds(500)).unwrap_err();
        assert!(
            matches!(err, CoreError::Throttled { wait_seconds: 2 }),
            "{err:?}"
        );
        assert!(check(tmp.path(), t0 + chrono::Duration::seconds(2)).is_ok());
        assert_eq!(pending(tmp.path()).len(), 4);
        clear(tmp.path());
        assert!(pending(tmp.path()).is_empty());
        assert!(check(tmp.path(), t0).is_ok());
    }
}
