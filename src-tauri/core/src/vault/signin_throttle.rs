//! Failed sign-in throttling. After three failures in a row for a user name, each further
//! attempt for it must wait twice as long as the last (2 s, 4 s, 8 s … up to 5 minutes), so
//! guessing at the unlock screen is slow. Counters are per user name: one colleague signing
//! in successfully does not reset the count for another account being guessed. The record lives beside the vault
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
struct Counter {
    consecutive: u32,
    last_failure_at: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Record {
    #[serde(default)]
    users: std::collections::BTreeMap<String, Counter>,
    pending: Vec<Failure>,
    /// Failures beyond `MAX_PENDING` (counted, not listed).
    #[serde(default)]
    dropped: u64,
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

/// `Throttled` if the last failure for this user name was too recent.
pub fn check(dir: &Path, username: &str, now: DateTime<Utc>) -> CoreResult<()> {
    let r = load(dir);
    let Some(c) = r.users.get(username) else {
        return Ok(());
    };
    let wait = wait_after(c.consecutive);
    if wait == 0 {
        return Ok(());
    }
    let Some(last) = c
        .last_failure_at
        .as_deref()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
    else {
        return Ok(());
    };
    let allowed = last.with_timezone(&Utc) + chrono::Duration::seconds(wait as i64);
    if now < allowed {
        // Never more than the wait itself, even if the clock was moved back.
        let remaining = ((allowed - now).num_milliseconds().max(0) as u64).min(wait * 1000);
        return Err(CoreError::Throttled {
            wait_seconds: remaining.div_ceil(1000).max(1),
        });
    }
    Ok(())
}

pub fn record_failure(dir: &Path, username: &str, now: DateTime<Utc>) {
    let mut r = load(dir);
    let at = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let c = r.users.entry(username.to_string()).or_default();
    c.consecutive = c.consecutive.saturating_add(1);
    c.last_failure_at = Some(at.clone());
    if r.pending.len() < MAX_PENDING {
        r.pending.push(Failure {
            at,
            username: username.to_string(),
        });
    } else {
        r.dropped += 1;
    }
    save(dir, &r);
}

/// The failures not yet in the audit log, and how many more were only counted.
pub fn pending(dir: &Path) -> (Vec<Failure>, u64) {
    let r = load(dir);
    (r.pending, r.dropped)
}

/// After a successful sign-in by `username`, once the failures are in the audit log: the
/// list is emptied and that user's counter reset; other users' counters stay.
pub fn signed_in(dir: &Path, username: &str) {
    let mut r = load(dir);
    r.pending.clear();
    r.dropped = 0;
    r.users.remove(username);
    if r.users.is_empty() {
        match std::fs::remove_file(path(dir)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(_) => tracing::warn!("could not clear the failed sign-in record"),
        }
    } else {
        save(dir, &r);
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
        let half = t0 + chrono::Duration::milliseconds(500);
        let err = check(tmp.path(), "ana", half).unwrap_err();
        assert!(
            matches!(err, CoreError::Throttled { wait_seconds: 2 }),
            "{err:?}"
        );
        assert!(check(tmp.path(), "ana", t0 + chrono::Duration::seconds(2)).is_ok());
        // A clock moved back an hour never makes the wait longer than the wait itself.
        let err = check(tmp.path(), "ana", t0 - chrono::Duration::hours(1)).unwrap_err();
        assert!(
            matches!(err, CoreError::Throttled { wait_seconds: 2 }),
            "{err:?}"
        );
        assert_eq!(pending(tmp.path()).0.len(), 4);
        // Another user signing in does not reset ana's counter.
        assert!(check(tmp.path(), "bob", t0).is_ok());
        signed_in(tmp.path(), "bob");
        assert!(
            pending(tmp.path()).0.is_empty(),
            "failures moved to the audit log"
        );
        assert!(check(tmp.path(), "ana", half).is_err());
        signed_in(tmp.path(), "ana");
        assert!(check(tmp.path(), "ana", t0).is_ok());
        assert!(!tmp.path().join(FILE).exists());
    }
}
