//! The hash chain. Each entry's hash is SHA-256 over a canonical encoding of its fields and the
//! previous entry's hash; the first entry chains to a genesis value derived from the vault id,
//! so a log cannot be moved between vaults unnoticed.
//!
//! Canonical encoding: a JSON array of the fields in a fixed order (serde_json writes strings,
//! numbers and null deterministically), prefixed by a format tag. Changing this breaks the
//! verification of every existing log: never change it, add a new tag instead.

use sha2::{Digest, Sha256};

const TAG: &str = "ketachart-audit-v1";

/// The fields an entry's hash covers (everything but the hashes themselves).
#[derive(Debug, Clone)]
pub struct Fields<'a> {
    pub seq: i64,
    pub at: &'a str,
    pub user_id: Option<i64>,
    pub username: &'a str,
    pub action: &'a str,
    pub patient_id: Option<i64>,
    pub record_type: Option<&'a str>,
    pub record_id: Option<&'a str>,
    pub detail: Option<&'a str>,
}

pub fn genesis(vault_id: &str) -> String {
    hex::encode(Sha256::digest(format!("{TAG}|genesis|{vault_id}")))
}

pub fn entry_hash(f: &Fields<'_>, prev_hash: &str) -> String {
    let canonical = serde_json::json!([
        TAG,
        f.seq,
        f.at,
        f.user_id,
        f.username,
        f.action,
        f.patient_id,
        f.record_type,
        f.record_id,
        f.detail,
        prev_hash
    ]);
    hex::encode(Sha256::digest(canonical.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(detail: Option<&str>) -> Fields<'_> {
        Fields {
            seq: 1,
            at: "2026-11-21T10:00:00.000Z",
            user_id: Some(1),
            username: "ana",
            action: "login",
            patient_id: None,
            record_type: None,
            record_id: None,
            detail,
        }
    }

    #[test]
    fn every_field_and_the_previous_hash_change_the_hash() {
        let g = genesis("a".repeat(32).as_str());
        let base = entry_hash(&fields(None), &g);
        assert_eq!(base.len(), 64);
        assert_ne!(base, entry_hash(&fields(Some("x")), &g));
        assert_ne!(base, entry_hash(&fields(None), &genesis(&"b".repeat(32))));
        // A value moved between fields must not collide (JSON keeps the boundaries).
        let mut a = fields(None);
        a.username = "an";
        a.action = "alogin";
        assert_ne!(base, entry_hash(&a, &g));
    }
}
