//! Users and roles, the recovery key, sign-in throttling, and backups with verified restore,
//! on real SQLCipher vaults in temporary folders.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ketachart_core::audit::{self, AuditFilter};
use ketachart_core::backup;
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::date_input::DateParts;
use ketachart_core::patient::{self, PatientInput};
use ketachart_core::settings::{self, SettingsInput};
use ketachart_core::user::manage::{self, NewUser};
use ketachart_core::user::Role;
use ketachart_core::vault::{KdfParams, VaultDir};
use ketachart_core::{CoreError, Session};

const PASS: &str = "copper kettle moonlit harbour";
const NURSE_PASS: &str = "violet tundra marching pelican";
const NEW_PASS: &str = "saffron glacier whistling otter";

fn setup() -> ClinicSetup {
    ClinicSetup {
        clinic_name: "Harbour Clinic".into(),
        admin_display_name: "Ana Admin".into(),
        admin_username: "admin".into(),
        passphrase: PASS.into(),
        passphrase_confirmation: PASS.into(),
    }
}

fn vault_in(dir: &Path) -> (Session, String) {
    let c = VaultDir::new(dir)
        .create(&setup(), KdfParams::FAST_FOR_TESTS)
        .unwrap();
    (c.session, c.recovery_key.grouped())
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn person(given: &str, family: &str) -> PatientInput {
    PatientInput {
        given_name: given.into(),
        family_name: family.into(),
        birth_date: DateParts::from_date(NaiveDate::from_ymd_opt(1980, 5, 17).unwrap()),
        ..Default::default()
    }
}

fn add_nurse(s: &mut Session) -> i64 {
    manage::create(
        s,
        PASS,
        &NewUser {
            username: "nina".into(),
            display_name: "Nina Nurse".into(),
            roles: vec![Role::Nurse],
            passphrase: NURSE_PASS.into(),
            passphrase_confirmation: NURSE_PASS.into(),
        },
    )
    .unwrap()
    .id
}

fn actions(s: &Session, action: &str) -> usize {
    audit::query::list(
        s,
        &AuditFilter {
            action: Some(action.into()),
            ..Default::default()
        },
        None,
        500,
    )
    .unwrap()
    .entries
    .len()
}

fn field_errors(e: CoreError) -> Vec<String> {
    match e {
        CoreError::Validation(v) => v.0.into_iter().map(|f| f.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn users_get_their_own_passphrase_and_roles_limit_them() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut admin, _) = vault_in(tmp.path());
    add_nurse(&mut admin);
    drop(admin);
    let v = VaultDir::new(tmp.path());
    let nurse = v.unlock("nina", NURSE_PASS).unwrap();
    assert_eq!(nurse.user().roles, vec![Role::Nurse]);
    assert!(matches!(manage::list(&nurse), Err(CoreError::Forbidden(_))));
    assert!(matches!(
        audit::verify(&nurse),
        Err(CoreError::Forbidden(_))
    ));
    assert!(patient::search(&nurse, "", 10).is_ok());
    // The admin's passphrase does not open the nurse's slot and vice versa.
    assert!(matches!(
        v.unlock("nina", PASS),
        Err(CoreError::WrongCredentials)
    ));
}

#[test]
fn creating_a_user_needs_the_admins_own_passphrase_and_a_strong_one_for_them() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut admin, _) = vault_in(tmp.path());
    let mut new = NewUser {
        username: "bo".into(),
        display_name: "Bo Biller".into(),
        roles: vec![],
        passphrase: "short".into(),
        passphrase_confirmation: "different".into(),
    };
    let fields = field_errors(manage::create(&mut admin, PASS, &new).unwrap_err());
    assert!(fields.contains(&"roles".to_string()));
    assert!(fields.contains(&"passphrase".to_string()));
    assert!(fields.contains(&"passphraseConfirmation".to_string()));
    new.roles = vec![Role::Billing];
    new.passphrase = NURSE_PASS.into();
    new.passphrase_confirmation = NURSE_PASS.into();
    let fields = field_errors(manage::create(&mut admin, "not my passphrase", &new).unwrap_err());
    assert_eq!(fields, vec!["adminPassphrase".to_string()]);
    assert_eq!(manage::list(&admin).unwrap().len(), 1, "nothing was added");
    manage::create(&mut admin, PASS, &new).unwrap();
    new.display_name = "Other".into();
    let fields = field_errors(manage::create(&mut admin, PASS, &new).unwrap_err());
    assert_eq!(fields, vec!["username".to_string()]);
}

#[test]
fn disabling_removes_the_key_wrap_and_reset_re_enables() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut admin, _) = vault_in(tmp.path());
    let id = add_nurse(&mut admin);
    assert!(manage::disable(&mut admin, id).unwrap().disabled);
    let keys = std::fs::read_to_string(tmp.path().join("ketachart-keys.json")).unwrap();
    assert!(!keys.contains("\"nina\""), "a disabled user has no wrap");
    let v = VaultDir::new(tmp.path());
    assert!(matches!(
        v.unlock("nina", NURSE_PASS),
        Err(CoreError::WrongCredentials)
    ));
    let u = manage::reset_password(&mut admin, id, PASS, NEW_PASS, NEW_PASS).unwrap();
    assert!(!u.disabled);
    assert_eq!(actions(&admin, "user.disable"), 1);
    assert_eq!(actions(&admin, "user.enable"), 1);
    drop(admin);
    v.unlock("nina", NEW_PASS).unwrap();
}

#[test]
fn the_last_enabled_admin_cannot_be_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut admin, _) = vault_in(tmp.path());
    let me = admin.user().id;
    assert!(matches!(
        manage::set_roles(&mut admin, me, &[Role::Provider]),
        Err(CoreError::Conflict(_))
    ));
    assert!(matches!(
        manage::disable(&mut admin, me),
        Err(CoreError::Conflict(_))
    ));
    // Adding a role to oneself works and takes effect in the session.
    manage::set_roles(&mut admin, me, &[Role::Admin, Role::Provider]).unwrap();
    assert_eq!(admin.user().roles, vec![Role::Admin, Role::Provider]);
}

#[test]
fn changing_ones_passphrase_rewraps_without_touching_the_data() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut admin, _) = vault_in(tmp.path());
    let p = patient::create(&mut admin, &person("Ada", "Lovelace"), today()).unwrap();
    let fields = field_errors(
        manage::change_own_password(&mut admin, "wrong", NEW_PASS, NEW_PASS).unwrap_err(),
    );
    assert_eq!(fields, vec!["currentPassphrase".to_string()]);
    manage::change_own_password(&mut admin, PASS, NEW_PASS, NEW_PASS).unwrap();
    drop(admin);
    let v = VaultDir::new(tmp.path());
    assert!(matches!(
        v.unlock("admin", PASS),
        Err(CoreError::WrongCredentials)
    ));
    let s = v.unlock("admin", NEW_PASS).unwrap();
    assert_eq!(patient::get(&s, p.id).unwrap().family_name, "Lovelace");
}

#[test]
fn the_recovery_key_opens_the_vault_and_sets_an_admin_passphrase() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut admin, key) = vault_in(tmp.path());
    add_nurse(&mut admin);
    drop(admin);
    let v = VaultDir::new(tmp.path());
    // A wrong key, and a right key for a non-admin, are refused with a field error.
    let wrong = "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH";
    let fields = field_errors(
        v.unlock_with_recovery_key(wrong, "admin", NEW_PASS, NEW_PASS)
            .unwrap_err(),
    );
    assert_eq!(fields, vec!["recoveryKey".to_string()]);
    let fields = field_errors(
        v.unlock_with_recovery_key(&key, "nina", NEW_PASS, NEW_PASS)
            .unwrap_err(),
    );
    assert_eq!(fields, vec!["username".to_string()]);
    let typed = key.to_lowercase().replace('-', " ");
    let s = v
        .unlock_with_recovery_key(&typed, "admin", NEW_PASS, NEW_PASS)
        .unwrap();
    assert_eq!(actions(&s, "login.recovery_key"), 1);
    drop(s);
    assert!(v.unlock("admin", PASS).is_err());
    let mut s = v.unlock("admin", NEW_PASS).unwrap();
    // A replaced recovery key stops the old one working.
    let new_key = manage::replace_recovery_key(&mut s, NEW_PASS).unwrap();
    drop(s);
    assert!(v
        .unlock_with_recovery_key(&key, "admin", PASS, PASS)
        .is_err());
    v.unlock_with_recovery_key(&new_key.grouped(), "admin", PASS, PASS)
        .unwrap();
}

#[test]
fn failed_sign_ins_are_throttled_and_audited_at_the_next_sign_in() {
    let tmp = tempfile::tempdir().unwrap();
    drop(vault_in(tmp.path()));
    let v = VaultDir::new(tmp.path());
    for _ in 0..3 {
        assert!(matches!(
            v.unlock("admin", "wrong passphrase"),
            Err(CoreError::WrongCredentials)
        ));
    }
    let s = v.unlock("admin", PASS).unwrap();
    assert_eq!(actions(&s, "login.failed"), 3);
    drop(s);
    for _ in 0..4 {
        let _ = v.unlock("admin", "wrong passphrase");
    }
    // The fifth attempt in a row must wait, even with the right passphrase.
    assert!(matches!(
        v.unlock("admin", PASS),
        Err(CoreError::Throttled { wait_seconds }) if wait_seconds >= 1
    ));
}

fn backup_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn make_backup(s: &mut Session, folder: &Path) -> PathBuf {
    let seen = std::sync::Mutex::new(Vec::new());
    let r = backup::create(s, folder.to_str().unwrap(), &|p| {
        seen.lock().unwrap().push(p.fraction)
    })
    .unwrap();
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.last().copied(), Some(1.0), "progress ends at 100 %");
    assert!(seen.windows(2).all(|w| w[0] <= w[1] + 0.001), "{seen:?}");
    r.path
}

fn all_patients(s: &Session) -> Vec<patient::Patient> {
    patient::list(s, 0, 500)
        .unwrap()
        .into_iter()
        .map(|p| patient::get(s, p.id).unwrap())
        .collect()
}

#[test]
fn backup_then_restore_brings_back_exactly_the_backed_up_content() {
    let tmp = tempfile::tempdir().unwrap();
    let out = backup_dir();
    let (mut s, _) = vault_in(tmp.path());
    for (g, f) in [("Ada", "Lovelace"), ("Émile", "Zola"), ("Seán", "O'Neil")] {
        patient::create(&mut s, &person(g, f), today()).unwrap();
    }
    let before = all_patients(&s);
    let file = make_backup(&mut s, out.path());
    assert_eq!(file.extension().unwrap(), "kcbackup", "{}", file.display());
    let listed = backup::list(&s, out.path()).unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].this_vault);
    let checked = backup::verify_file(&s, &file).unwrap();
    assert_eq!(checked.patients, 3);
    assert_eq!(checked.users, 1);

    // Work continues after the backup: a new patient and a changed passphrase.
    patient::create(&mut s, &person("Later", "Patient"), today()).unwrap();
    manage::change_own_password(&mut s, PASS, NEW_PASS, NEW_PASS).unwrap();

    let mut slot = Some(s);
    let report = backup::restore(&mut slot, &file).unwrap();
    assert!(slot.is_none(), "the session is closed by a restore");
    assert_eq!(report.contents.patients, 3);
    let safety = report.safety_copy.unwrap();
    assert!(safety.exists(), "the replaced database is kept");

    let v = VaultDir::new(tmp.path());
    assert!(
        v.unlock("admin", NEW_PASS).is_err(),
        "passphrases are the backup's"
    );
    let s = v.unlock("admin", PASS).unwrap();
    assert_eq!(all_patients(&s), before, "content comes back exactly");
    assert_eq!(
        actions(&s, "restore"),
        1,
        "the restored log records the restore"
    );
    assert!(audit::verify(&s).unwrap().is_intact());
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".ketachart.lock")
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary files left: {leftovers:?}"
    );
}

/// The live vault after a refused restore: same patients, same session, no stray files.
fn assert_untouched(slot: &Option<Session>, patients: &[patient::Patient], dir: &Path) {
    let s = slot.as_ref().expect("the session stays open");
    assert_eq!(all_patients(s), patients);
    let stray: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("before-restore") || (n.starts_with('.') && n.ends_with(".db")))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

fn refusal(e: CoreError) -> String {
    match e {
        CoreError::BackupRefused(r) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn corrupt_truncated_foreign_and_non_backup_files_are_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = backup_dir();
    let (mut s, _) = vault_in(tmp.path());
    patient::create(&mut s, &person("Ada", "Lovelace"), today()).unwrap();
    let file = make_backup(&mut s, out.path());
    let patients = all_patients(&s);
    let mut slot = Some(s);
    let bytes = std::fs::read(&file).unwrap();

    // Truncated: half the file.
    let truncated = out.path().join("truncated.kcbackup");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let r = refusal(backup::restore(&mut slot, &truncated).unwrap_err());
    assert!(r.contains("damaged or incomplete"), "{r}");
    assert_untouched(&slot, &patients, tmp.path());

    // Corrupt: bytes flipped inside the database entry.
    let corrupt = out.path().join("corrupt.kcbackup");
    let mut c = bytes.clone();
    let at = c.len() - 5000;
    for b in &mut c[at..at + 64] {
        *b ^= 0xff;
    }
    std::fs::write(&corrupt, &c).unwrap();
    let r = refusal(backup::restore(&mut slot, &corrupt).unwrap_err());
    assert!(r.contains("checksum"), "{r}");
    assert_untouched(&slot, &patients, tmp.path());

    // Not a backup at all.
    let junk = out.path().join("junk.kcbackup");
    std::fs::write(&junk, b"hello, this is not a backup").unwrap();
    let r = refusal(backup::restore(&mut slot, &junk).unwrap_err());
    assert!(
        r.contains("not a KetaChart backup") || r.contains("damaged"),
        "{r}"
    );
    assert_untouched(&slot, &patients, tmp.path());

    // Another clinic's backup (a different key).
    let other_dir = tempfile::tempdir().unwrap();
    let (mut other, _) = vault_in(other_dir.path());
    let foreign = make_backup(&mut other, out.path());
    let r = refusal(backup::restore(&mut slot, &foreign).unwrap_err());
    assert!(r.contains("another vault"), "{r}");
    assert_untouched(&slot, &patients, tmp.path());
}

#[test]
fn a_backup_restores_onto_a_new_machine_with_an_admins_passphrase() {
    let tmp = tempfile::tempdir().unwrap();
    let out = backup_dir();
    let (mut s, key) = vault_in(tmp.path());
    add_nurse(&mut s);
    patient::create(&mut s, &person("Ada", "Lovelace"), today()).unwrap();
    let file = make_backup(&mut s, out.path());
    let before = all_patients(&s);
    drop(s);

    let new_machine = tempfile::tempdir().unwrap();
    let target = VaultDir::new(new_machine.path().join("vault"));
    assert!(matches!(
        backup::restore_into_empty_vault(&target, &file, "admin", "wrong passphrase"),
        Err(CoreError::WrongCredentials)
    ));
    let fields = field_errors(
        backup::restore_into_empty_vault(&target, &file, "nina", NURSE_PASS).unwrap_err(),
    );
    assert_eq!(fields, vec!["username".to_string()]);
    let (s, contents) = backup::restore_into_empty_vault(&target, &file, "admin", PASS).unwrap();
    assert_eq!(contents.patients, 1);
    assert_eq!(all_patients(&s), before);
    drop(s);
    // The nurse's passphrase and the recovery key travel with the backup.
    target.unlock("nina", NURSE_PASS).unwrap();
    target
        .unlock_with_recovery_key(&key, "admin", NEW_PASS, NEW_PASS)
        .unwrap();
    // An occupied folder is never overwritten.
    assert!(matches!(
        backup::restore_into_empty_vault(&target, &file, "admin", NEW_PASS),
        Err(CoreError::VaultExists(_))
    ));
}

#[test]
fn scheduled_backups_run_when_due_and_keep_the_configured_number() {
    let tmp = tempfile::tempdir().unwrap();
    let out = backup_dir();
    let (mut s, _) = vault_in(tmp.path());
    let now = chrono::Utc::now();
    assert!(
        backup::create_scheduled(&mut s, now, &|_| {})
            .unwrap()
            .is_none(),
        "no folder yet"
    );
    settings::update(
        &mut s,
        &SettingsInput {
            idle_lock_minutes: "10".into(),
            backup_folder: out.path().display().to_string(),
            backup_daily: true,
            backup_keep: "2".into(),
        },
    )
    .unwrap();
    assert!(backup::create_scheduled(&mut s, now, &|_| {})
        .unwrap()
        .is_some());
    assert!(
        backup::create_scheduled(&mut s, now, &|_| {})
            .unwrap()
            .is_none(),
        "not due again within a day"
    );
    for day in 1..=3 {
        let later = now + chrono::Duration::hours(25 * day);
        assert!(backup::create_scheduled(&mut s, later, &|_| {})
            .unwrap()
            .is_some());
    }
    let ours = backup::list(&s, out.path()).unwrap();
    assert_eq!(ours.len(), 2, "retention keeps 2");
    let by_system = audit::query::list(
        &s,
        &AuditFilter {
            username: Some("system".into()),
            action: Some("backup.create".into()),
            ..Default::default()
        },
        None,
        50,
    )
    .unwrap();
    assert_eq!(by_system.entries.len(), 4);
}

#[test]
fn settings_are_validated_and_a_backup_folder_inside_the_vault_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, _) = vault_in(tmp.path());
    let bad = SettingsInput {
        idle_lock_minutes: "0".into(),
        backup_folder: tmp.path().display().to_string(),
        backup_daily: true,
        backup_keep: "many".into(),
    };
    let fields = field_errors(settings::update(&mut s, &bad).unwrap_err());
    assert_eq!(
        fields,
        vec!["idleLockMinutes", "backupKeep", "backupFolder"]
    );
    assert_eq!(settings::get(&s).unwrap().idle_lock_minutes, 10);
}

/// Every byte KetaChart writes for a vault — database, WAL, shared memory, key file, side
/// files and backups — is searched for a known patient name: it must never appear.
#[test]
fn a_patient_name_never_appears_in_any_file_on_disk() {
    let tmp = tempfile::tempdir().unwrap();
    let out = backup_dir();
    let (mut s, _) = vault_in(tmp.path());
    let name = "Quillfeather";
    for i in 0..40 {
        patient::create(&mut s, &person(&format!("Zebulon{i}"), name), today()).unwrap();
    }
    make_backup(&mut s, out.path());
    let _ = VaultDir::new(tmp.path()).unlock("admin", "wrong passphrase");
    let mut files = Vec::new();
    for dir in [tmp.path(), out.path()] {
        for e in std::fs::read_dir(dir).unwrap() {
            files.push(e.unwrap().path());
        }
    }
    assert!(
        files.iter().any(|f| f.to_string_lossy().ends_with("-wal")),
        "the WAL is searched while the session is open"
    );
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let hits = bytes
            .windows(name.len())
            .filter(|w| w.eq_ignore_ascii_case(name.as_bytes()))
            .count();
        assert_eq!(hits, 0, "{} contains the patient's name", f.display());
    }
    drop(s);
}

#[test]
fn the_audit_export_is_csv_with_formulas_neutralised_and_never_inside_the_vault() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (mut s, _) = vault_in(tmp.path());
    patient::create(&mut s, &person("=HYPERLINK(\"x\")", "Formula"), today()).unwrap();
    let before = std::fs::read(tmp.path().join("ketachart-keys.json")).unwrap();
    let inside = tmp.path().join("ketachart-keys.json");
    let fields = field_errors(
        audit::export::export_csv(&s, &AuditFilter::default(), inside.to_str().unwrap())
            .unwrap_err(),
    );
    assert_eq!(fields, vec!["path".to_string()]);
    assert_eq!(
        std::fs::read(&inside).unwrap(),
        before,
        "the key file is untouched"
    );

    let target = out.path().join("Lovelace audit.csv");
    let n =
        audit::export::export_csv(&s, &AuditFilter::default(), target.to_str().unwrap()).unwrap();
    let text = std::fs::read_to_string(&target).unwrap();
    assert_eq!(
        text.lines().count(),
        n + 1,
        "a header and one line per entry"
    );
    assert!(text.starts_with("entry,time_utc,user,action"));
    assert!(!text.contains("Formula"), "patients appear by MRN only");
    // The chosen file name (which may hold a name) is not copied into the log.
    let page = audit::query::list(
        &s,
        &AuditFilter {
            action: Some("audit.export".into()),
            ..Default::default()
        },
        None,
        5,
    )
    .unwrap();
    let detail = page.entries[0].detail.clone().unwrap();
    assert!(!detail.contains("Lovelace"), "{detail}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "exports are readable by their owner only");
    }
}
