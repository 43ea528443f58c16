//! The vault on a real SQLCipher database in a temporary folder: create, unlock, wrong
//! passphrase, lock, and every "this is not a vault" case — each must change nothing.

use std::collections::BTreeMap;
use std::path::Path;

use ketachart_core::clinic::ClinicSetup;
use ketachart_core::patient::{self, PatientInput};
use ketachart_core::vault::{KdfParams, VaultDir, VaultState, DB_FILE, KEYS_FILE};
use ketachart_core::{CoreError, Session};

const PASS: &str = "copper kettle moonlit harbour";

fn setup() -> ClinicSetup {
    ClinicSetup {
        clinic_name: "Riverside Interventional Psychiatry".into(),
        admin_display_name: "Dr Ana Testwell".into(),
        admin_username: "Ana.Testwell".into(),
        passphrase: PASS.into(),
        passphrase_confirmation: PASS.into(),
    }
}

fn create(dir: &Path) -> Session {
    VaultDir::new(dir)
        .create(&setup(), KdfParams::FAST_FOR_TESTS)
        .unwrap()
        .session
}

/// Every file in the folder with its full contents, to prove "nothing changed". The failed
/// sign-in record is left out: writing it is the one intended effect of a refusal (see
/// `security.rs` for its tests).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .filter(|e| e.file_name() != ketachart_core::vault::signin_throttle::FILE)
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

#[test]
fn create_then_unlock_as_the_admin() {
    let tmp = tempfile::tempdir().unwrap();
    let s = create(tmp.path());
    assert_eq!(
        s.user().username,
        "ana.testwell",
        "user names are case-insensitive"
    );
    assert_eq!(s.clinic_name(), "Riverside Interventional Psychiatry");
    drop(s);
    let vault = VaultDir::new(tmp.path());
    assert_eq!(
        vault.inspect().unwrap(),
        VaultState::Present {
            label: "Riverside Interventional Psychiatry".into(),
            demo: false
        }
    );
    let s = vault.unlock("ANA.TESTWELL", PASS).unwrap();
    assert_eq!(s.user().display_name, "Dr Ana Testwell");
    assert_eq!(
        s.schema_version().unwrap(),
        ketachart_core::storage::migrations::SCHEMA_VERSION
    );
}

#[test]
fn wrong_passphrase_or_user_is_refused_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    drop(create(tmp.path()));
    let before = snapshot(tmp.path());
    let vault = VaultDir::new(tmp.path());
    for (user, pass) in [
        ("ana.testwell", "copper kettle moonlit harbor"),
        ("nobody", PASS),
        ("ana.testwell", " "),
    ] {
        let err = vault.unlock(user, pass).unwrap_err();
        assert!(
            matches!(err, CoreError::WrongCredentials),
            "{user}: {err:?}"
        );
        assert_eq!(
            err.to_string(),
            "The user name or passphrase is not correct"
        );
    }
    assert!(matches!(
        vault.unlock("ana.testwell", ""),
        Err(CoreError::Validation(_))
    ));
    assert_eq!(
        snapshot(tmp.path()),
        before,
        "a failed unlock must not touch any file"
    );
}

#[test]
fn an_existing_vault_is_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    drop(create(tmp.path()));
    let before = snapshot(tmp.path());
    let err = VaultDir::new(tmp.path())
        .create(&setup(), KdfParams::FAST_FOR_TESTS)
        .unwrap_err();
    assert!(matches!(err, CoreError::VaultExists(_)), "{err:?}");
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn invalid_setup_names_every_field_and_creates_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = ClinicSetup {
        clinic_name: " ".into(),
        admin_display_name: "".into(),
        admin_username: "a b".into(),
        passphrase: "short".into(),
        passphrase_confirmation: "shorter".into(),
    };
    let Err(CoreError::Validation(v)) =
        VaultDir::new(tmp.path()).create(&bad, KdfParams::FAST_FOR_TESTS)
    else {
        panic!("expected a validation error");
    };
    let fields: Vec<&str> = v.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "clinicName",
            "adminDisplayName",
            "adminUsername",
            "passphrase",
            "passphraseConfirmation"
        ]
    );
    assert!(snapshot(tmp.path()).is_empty());
}

#[test]
fn unlock_with_no_vault_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(matches!(
        VaultDir::new(tmp.path()).unlock("ana", PASS),
        Err(CoreError::NoVault(_))
    ));
}

#[test]
fn a_foreign_database_file_is_not_a_vault_and_is_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join(DB_FILE),
        b"SQLite format 3\0 someone else's data",
    )
    .unwrap();
    let before = snapshot(tmp.path());
    let vault = VaultDir::new(tmp.path());
    assert!(matches!(vault.inspect(), Err(CoreError::NotAVault { .. })));
    assert!(matches!(
        vault.create(&setup(), KdfParams::FAST_FOR_TESTS),
        Err(CoreError::NotAVault { .. })
    ));
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn a_damaged_key_file_is_reported_not_repaired() {
    let tmp = tempfile::tempdir().unwrap();
    drop(create(tmp.path()));
    std::fs::write(tmp.path().join(KEYS_FILE), b"{ not json").unwrap();
    let before = snapshot(tmp.path());
    let err = VaultDir::new(tmp.path())
        .unlock("ana.testwell", PASS)
        .unwrap_err();
    assert!(matches!(err, CoreError::NotAVault { .. }), "{err:?}");
    assert!(err.to_string().contains("key file is damaged"), "{err}");
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn a_corrupt_database_with_a_good_key_file_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    drop(create(tmp.path()));
    let db = tmp.path().join(DB_FILE);
    let mut bytes = std::fs::read(&db).unwrap();
    for b in bytes.iter_mut().take(4096) {
        *b ^= 0x5a;
    }
    std::fs::write(&db, &bytes).unwrap();
    let err = VaultDir::new(tmp.path())
        .unlock("ana.testwell", PASS)
        .unwrap_err();
    assert!(matches!(err, CoreError::NotAVault { .. }), "{err:?}");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        bytes,
        "the damaged file is kept for recovery"
    );
}

#[test]
fn a_key_file_from_another_vault_does_not_open_this_one() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    drop(create(a.path()));
    drop(create(b.path()));
    std::fs::copy(b.path().join(KEYS_FILE), a.path().join(KEYS_FILE)).unwrap();
    let err = VaultDir::new(a.path())
        .unlock("ana.testwell", PASS)
        .unwrap_err();
    assert!(matches!(err, CoreError::NotAVault { .. }), "{err:?}");
}

#[test]
fn a_file_where_the_folder_should_be_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("not-a-folder");
    std::fs::write(&file, b"hello").unwrap();
    let vault = VaultDir::new(&file);
    assert!(matches!(
        vault.lock_exclusive(),
        Err(CoreError::NotAVault { .. })
    ));
    assert!(matches!(vault.inspect(), Err(CoreError::NotAVault { .. })));
    assert_eq!(std::fs::read(&file).unwrap(), b"hello");
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let ro = tmp.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let err = VaultDir::new(&ro).lock_exclusive().unwrap_err();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(matches!(err, CoreError::ReadOnly(_)), "{err:?}");
    assert!(err.to_string().contains("read-only"));
}

#[test]
fn a_second_instance_on_the_same_vault_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let first = VaultDir::new(tmp.path()).lock_exclusive().unwrap();
    let err = VaultDir::new(tmp.path()).lock_exclusive().unwrap_err();
    assert!(matches!(err, CoreError::InUse(_)), "{err:?}");
    drop(first);
    VaultDir::new(tmp.path())
        .lock_exclusive()
        .expect("free again once the first closes");
}

#[test]
fn the_database_file_holds_no_plaintext_patient_data() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = create(tmp.path());
    let input = PatientInput {
        given_name: "Quenthrop".into(),
        family_name: "Plaintextcheckerson".into(),
        email: Some("quenthrop.canary@example.org".into()),
        birth_date: ketachart_core::date_input::DateParts {
            day: "27".into(),
            month: "3".into(),
            year: "1975".into(),
        },
        ..Default::default()
    };
    patient::create(&mut s, &input, today()).unwrap();
    // Look at the files both with the session open (WAL holds recent pages) and after closing.
    for phase in ["open", "closed"] {
        for (name, bytes) in snapshot(tmp.path()) {
            let text = String::from_utf8_lossy(&bytes).to_lowercase();
            for needle in [
                "plaintextcheckerson",
                "quenthrop",
                "riverside",
                "sqlite format 3",
            ] {
                if name == KEYS_FILE && needle == "riverside" {
                    continue; // the clinic's display name is in the key file by design (no PHI)
                }
                assert!(
                    !text.contains(needle),
                    "{phase}: {name} contains {needle:?}"
                );
            }
        }
        if phase == "open" {
            drop(std::mem::replace(
                &mut s,
                VaultDir::new(tmp.path())
                    .unlock("ana.testwell", PASS)
                    .unwrap(),
            ));
        }
    }
    assert!(
        patient::count(&s).unwrap() == 1,
        "the data is still readable with the key"
    );
}
