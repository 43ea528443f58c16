//! What the CLI prints: aligned text for people, JSON (`--json`) for scripts.
//! Errors never include PHI: they are the core's messages, which name fields, not values.

use std::path::Path;

use chrono::NaiveDate;
use ketachart_core::patient::{age_on, Patient, PatientSummary};
use ketachart_core::vault::VaultState;
use ketachart_core::{CoreError, Session};
use serde_json::json;

fn print_json(v: &serde_json::Value) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

/// `03-Mar-1975`, the clinical display format.
fn date(d: NaiveDate) -> String {
    d.format("%d-%b-%Y").to_string()
}

pub fn error(as_json: bool, e: &CoreError) {
    let fields: Vec<_> = match e {
        CoreError::Validation(v) => {
            v.0.iter()
                .map(|f| json!({"field": f.field, "message": f.message}))
                .collect()
        }
        _ => Vec::new(),
    };
    let message = match e {
        CoreError::Io(_) | CoreError::Db(_) | CoreError::Crypto(_) => {
            format!("KetaChart could not complete this: {e}")
        }
        _ => e.to_string(),
    };
    if as_json {
        eprintln!(
            "{}",
            json!({"error": {"message": message, "fields": fields}})
        );
    } else if fields.len() > 1 {
        eprintln!("error: there is a problem:");
        for f in &fields {
            eprintln!("  - {}", f["message"].as_str().unwrap_or_default());
        }
    } else {
        eprintln!("error: {message}");
    }
}

pub fn status(as_json: bool, dir: &Path, state: &VaultState) {
    let (present, label, demo) = match state {
        VaultState::Empty => (false, None, false),
        VaultState::Present { label, demo } => (true, Some(label.clone()), *demo),
    };
    if as_json {
        print_json(&json!({"dataDir": dir, "vault": present, "clinicName": label, "demo": demo}));
    } else if present {
        println!(
            "Vault in {}: {}{}",
            dir.display(),
            label.unwrap_or_default(),
            if demo { " (demo)" } else { "" }
        );
    } else {
        println!(
            "No vault in {} yet. Create one with `ketachart-cli init`.",
            dir.display()
        );
    }
}

pub fn created(as_json: bool, dir: &Path, s: &Session, recovery_key: &str) {
    if as_json {
        print_json(&json!({"dataDir": dir, "clinicName": s.clinic_name(),
            "admin": s.user().username, "recoveryKey": recovery_key}));
    } else {
        println!(
            "Created the vault for {} in {}. Admin user: {}",
            s.clinic_name(),
            dir.display(),
            s.user().username
        );
        println!(
            "\nRecovery key (shown only now; print it or write it down and keep it locked away \
             from this computer; it opens the vault if every passphrase is forgotten):\n\n    {recovery_key}\n"
        );
    }
}

pub fn audit_report(as_json: bool, r: &ketachart_core::audit::VerifyReport) {
    if as_json {
        print_json(&json!({
            "intact": r.is_intact(), "entries": r.entries, "checkpoints": r.checkpoints,
            "problems": r.problems.iter().map(|p| json!({"entry": p.seq, "message": p.message})).collect::<Vec<_>>(),
        }));
    } else {
        println!("{}", r.summary());
        for p in &r.problems {
            println!("  - {}", p.message);
        }
    }
}

fn contents_json(c: &ketachart_core::backup::BackupContents) -> serde_json::Value {
    json!({"clinicName": c.manifest.label, "createdAt": c.manifest.created_at,
        "schemaVersion": c.manifest.schema_version, "patients": c.patients,
        "users": c.users, "auditEntries": c.audit_entries})
}

pub fn backup_report(as_json: bool, r: &ketachart_core::backup::BackupReport) {
    if as_json {
        print_json(
            &json!({"path": r.path, "bytes": r.bytes, "contents": contents_json(&r.contents),
            "removedOld": r.removed.len()}),
        );
    } else {
        println!(
            "Backed up and checked: {} ({} bytes; {} patients, {} users, {} audit entries)",
            r.path.display(),
            r.bytes,
            r.contents.patients,
            r.contents.users,
            r.contents.audit_entries
        );
        if !r.removed.is_empty() {
            println!("Removed {} older backups (retention).", r.removed.len());
        }
    }
}

pub fn backup_contents(as_json: bool, file: &Path, c: &ketachart_core::backup::BackupContents) {
    if as_json {
        print_json(&json!({"path": file, "intact": true, "contents": contents_json(c)}));
    } else {
        println!(
            "{} is intact: made {} for {}; {} patients, {} users, {} audit entries",
            file.display(),
            c.manifest.created_at,
            c.manifest.label,
            c.patients,
            c.users,
            c.audit_entries
        );
    }
}

pub fn backup_list(as_json: bool, list: &[ketachart_core::backup::BackupListing]) {
    if as_json {
        print_json(&json!(list
            .iter()
            .map(
                |l| json!({"path": l.path, "bytes": l.bytes, "thisVault": l.this_vault,
                "createdAt": l.manifest.as_ref().map(|m| m.created_at.clone()),
                "problem": l.problem})
            )
            .collect::<Vec<_>>()));
    } else if list.is_empty() {
        println!("No backups in this folder.");
    } else {
        for l in list {
            let when = l
                .manifest
                .as_ref()
                .map(|m| m.created_at.clone())
                .unwrap_or_else(|| "?".into());
            let note = match (&l.problem, l.this_vault) {
                (Some(p), _) => p.clone(),
                (None, true) => "this clinic".into(),
                (None, false) => "another vault".into(),
            };
            println!(
                "{when}  {:>12} bytes  {}  ({note})",
                l.bytes,
                l.path.display()
            );
        }
    }
}

pub fn restored(as_json: bool, r: &ketachart_core::backup::RestoreReport) {
    if as_json {
        print_json(&json!({"contents": contents_json(&r.contents), "safetyCopy": r.safety_copy}));
    } else {
        println!(
            "Restored the backup made {}: {} patients, {} users. Sign in with the passphrases valid at that time.",
            r.contents.manifest.created_at, r.contents.patients, r.contents.users
        );
        if let Some(p) = &r.safety_copy {
            println!("The replaced database was kept as {}", p.display());
        }
    }
}

pub fn demo(as_json: bool, dir: &Path, created: bool) {
    use ketachart_core::demo::{DEMO_PASSPHRASE, DEMO_USERNAME};
    if as_json {
        print_json(
            &json!({"dataDir": dir, "created": created, "username": DEMO_USERNAME, "passphrase": DEMO_PASSPHRASE}),
        );
    } else {
        println!(
            "{} the demo clinic in {}. User: {DEMO_USERNAME}  Passphrase: {DEMO_PASSPHRASE}",
            if created { "Created" } else { "Found" },
            dir.display()
        );
    }
}

pub fn patient_rows(
    as_json: bool,
    rows: &[PatientSummary],
    total: Option<u64>,
    more: bool,
    today: NaiveDate,
) {
    if as_json {
        let items: Vec<_> = rows
            .iter()
            .map(|p| {
                let mut v = serde_json::to_value(p).unwrap_or_default();
                v["age"] = json!(age_on(p.birth_date, today));
                v
            })
            .collect();
        let mut out = json!({"patients": items, "more": more});
        if let Some(t) = total {
            out["total"] = json!(t);
        }
        print_json(&out);
        return;
    }
    if rows.is_empty() {
        println!("No patients found.");
        return;
    }
    println!("{:<13}  {:<40}  {:<17}", "MRN", "Name", "Born");
    for p in rows {
        let mut name = format!("{}, {}", p.family_name.to_uppercase(), p.given_name);
        if let Some(pref) = &p.preferred_name {
            name.push_str(&format!(" ({pref})"));
        }
        println!(
            "{:<13}  {:<40}  {} ({}y)",
            p.mrn,
            name,
            date(p.birth_date),
            age_on(p.birth_date, today)
        );
    }
    if let Some(t) = total {
        println!("{} of {t} patients", rows.len());
    }
    if more {
        println!("More patients match; add more of the name to narrow the search.");
    }
}

pub fn patient(as_json: bool, p: &Patient, today: NaiveDate) {
    if as_json {
        let mut v = serde_json::to_value(p).unwrap_or_default();
        v["age"] = json!(age_on(p.birth_date, today));
        print_json(&v);
        return;
    }
    let or_nr = |v: &Option<String>| v.clone().unwrap_or_else(|| "Not recorded".into());
    println!("{}, {}", p.family_name.to_uppercase(), p.given_name);
    println!("  MRN              {}", p.mrn);
    println!(
        "  Born             {} ({}y)",
        date(p.birth_date),
        age_on(p.birth_date, today)
    );
    println!("  Preferred name   {}", or_nr(&p.preferred_name));
    println!(
        "  Sex at birth     {}",
        p.sex_at_birth
            .map(|s| s.as_str().to_string())
            .unwrap_or_else(|| "Not recorded".into())
    );
    println!("  Gender identity  {}", or_nr(&p.gender_identity));
    println!("  Phone            {}", or_nr(&p.phone));
    println!("  Email            {}", or_nr(&p.email));
    let a = &p.address;
    let addr: Vec<String> = [&a.line1, &a.line2, &a.city, &a.region, &a.postal_code]
        .iter()
        .filter_map(|v| (*v).clone())
        .collect();
    println!(
        "  Address          {}",
        if addr.is_empty() {
            "Not recorded".into()
        } else {
            addr.join(", ")
        }
    );
    let c = &p.emergency_contact;
    println!(
        "  Emergency        {} {} {}",
        or_nr(&c.name),
        c.relationship
            .as_deref()
            .map(|r| format!("({r})"))
            .unwrap_or_default(),
        c.phone.clone().unwrap_or_default()
    );
}

pub fn imported(as_json: bool, r: &ketachart_core::transfer::ImportOutcome) {
    if as_json {
        print_json(&json!({
            "patientId": r.patient_id,
            "mrn": r.mrn,
            "mrnReplaced": r.mrn_replaced,
            "trials": r.trials,
            "records": r.records,
        }));
    } else {
        println!(
            "imported {} ({} trials, {} other records)",
            r.mrn, r.trials, r.records
        );
        if let Some(old) = &r.mrn_replaced {
            println!(
                "{old} was already taken in this vault; the patient now has MRN {}",
                r.mrn
            );
        }
    }
}

pub fn scores(as_json: bool, list: &[ketachart_core::scores::Administration]) {
    if as_json {
        let rows: Vec<serde_json::Value> = list
            .iter()
            .map(|a| {
                json!({
                    "id": a.id,
                    "instrument": a.instrument,
                    "instrumentName": a.instrument_name,
                    "administeredAt": a.administered_at,
                    "mode": a.mode.as_str(),
                    "rater": a.rater,
                    "timepoint": a.timepoint,
                    "answers": a.answers,
                    "total": a.total,
                    "totalEntered": a.total_entered,
                    "band": a.band,
                    "flags": a.result.flags,
                    "triage": a.result.triage,
                    "verified": a.result.verified,
                })
            })
            .collect();
        print_json(&json!({ "scores": rows }));
    } else if list.is_empty() {
        println!("no scores recorded");
    } else {
        for a in list {
            let total = a
                .total
                .map(|t| t.to_string())
                .or_else(|| a.result.triage.clone())
                .unwrap_or_default();
            let band = a.band.as_deref().unwrap_or("");
            let flags = if a.result.flags.is_empty() {
                String::new()
            } else {
                format!("  ⚠ {}", a.result.flags.join("; "))
            };
            println!(
                "{}  {:<10} {:>4}  {:<20} {}{}",
                a.administered_at.replace('T', " "),
                a.instrument_name,
                total,
                band,
                a.mode.as_str().replace('_', "-"),
                flags
            );
        }
    }
}
