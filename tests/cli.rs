//! The real `ketachart-cli` binary against real vaults in temporary folders.

use std::process::{Command, Output};

use ketachart_core::vault::VaultDir;
use ketachart_tests::bin;

const PASS: &str = "copper kettle moonlit harbour";

fn cli(dir: &std::path::Path, pass: Option<&str>, args: &[&str]) -> Output {
    let mut c = Command::new(bin("ketachart-cli"));
    c.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("KETACHART_DATA_DIR");
    match pass {
        Some(p) => c.env("KETACHART_PASSPHRASE", p),
        None => c.env_remove("KETACHART_PASSPHRASE"),
    };
    c.output().expect("run ketachart-cli")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn init(dir: &std::path::Path) {
    let o = cli(
        dir,
        Some(PASS),
        &[
            "init",
            "--clinic-name",
            "Lakeside Clinic",
            "--admin-name",
            "Dr Lake",
            "--username",
            "lake",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn help_lists_every_command() {
    let o = Command::new(bin("ketachart-cli"))
        .arg("--help")
        .output()
        .unwrap();
    let text = stdout(&o);
    for word in [
        "init",
        "patients",
        "demo",
        "status",
        "--data-dir",
        "--json",
        "KETACHART_PASSPHRASE",
    ] {
        assert!(
            text.contains(word),
            "--help does not mention {word}:\n{text}"
        );
    }
    let o = Command::new(bin("ketachart-cli"))
        .args(["patients", "--help"])
        .output()
        .unwrap();
    for word in ["list", "search", "show"] {
        assert!(stdout(&o).contains(word));
    }
}

#[test]
fn init_then_status_and_refuses_a_second_init() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    init(&dir);
    let o = cli(&dir, None, &["--json", "status"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["vault"], true);
    assert_eq!(v["clinicName"], "Lakeside Clinic");
    let o = cli(
        &dir,
        Some(PASS),
        &[
            "init",
            "--clinic-name",
            "X",
            "--admin-name",
            "Y",
            "--username",
            "zz",
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
}

#[test]
fn init_refuses_a_weak_passphrase_and_creates_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let o = cli(
        &dir,
        Some("password"),
        &[
            "init",
            "--clinic-name",
            "C",
            "--admin-name",
            "A",
            "--username",
            "aa",
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("12 characters"), "{}", stderr(&o));
    assert!(!dir.join("ketachart.db").exists());
}

#[test]
fn demo_then_list_search_and_show_as_json() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let o = cli(&dir, None, &["--json", "demo"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let pass = v["passphrase"].as_str().unwrap().to_string();

    let o = cli(
        &dir,
        Some(&pass),
        &["-u", "demo", "--json", "patients", "list", "--limit", "5"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["total"], 50);
    assert_eq!(v["patients"].as_array().unwrap().len(), 5);

    let o = cli(
        &dir,
        Some(&pass),
        &["-u", "demo", "--json", "patients", "search", "mül"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let hits = v["patients"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(
        hits.iter().all(|p| p["familyName"] == "Müller-Demo"),
        "{hits:?}"
    );
    let mrn = hits[0]["mrn"].as_str().unwrap().to_string();

    let o = cli(&dir, Some(&pass), &["-u", "demo", "patients", "show", &mrn]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains(&mrn));
    assert!(stdout(&o).contains("MÜLLER-DEMO"));

    let o = cli(
        &dir,
        Some(&pass),
        &["-u", "demo", "patients", "search", "O'Testing"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn wrong_passphrase_fails_clearly_without_echoing_secrets() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    init(&dir);
    let o = cli(
        &dir,
        Some("not the passphrase at all"),
        &["-u", "lake", "patients", "list"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("The user name or passphrase is not correct"),
        "{err}"
    );
    assert!(!err.contains("not the passphrase at all"));
}

#[test]
fn reads_work_while_the_app_holds_the_vault_but_writes_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    init(&dir);
    let app_lock = VaultDir::new(&dir).lock_exclusive().unwrap();
    let o = cli(&dir, Some(PASS), &["-u", "lake", "patients", "list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = cli(&dir, None, &["demo"]);
    assert!(!o.status.success());
    let other = tmp.path().join("other");
    let _other_lock = VaultDir::new(&other).lock_exclusive().unwrap();
    let o = cli(
        &other,
        Some(PASS),
        &[
            "init",
            "--clinic-name",
            "C",
            "--admin-name",
            "A",
            "--username",
            "aa",
        ],
    );
    assert!(stderr(&o).contains("already open"), "{}", stderr(&o));
    drop(app_lock);
}

#[test]
fn no_terminal_and_no_env_passphrase_says_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    init(&dir);
    let o = Command::new(bin("ketachart-cli"))
        .arg("--data-dir")
        .arg(&dir)
        .args(["-u", "lake", "patients", "list"])
        .env_remove("KETACHART_PASSPHRASE")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("KETACHART_PASSPHRASE"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn init_prints_the_recovery_key_once() {
    let tmp = tempfile::tempdir().unwrap();
    let o = cli(
        tmp.path(),
        Some(PASS),
        &[
            "--json",
            "init",
            "--clinic-name",
            "Key Clinic",
            "--admin-name",
            "Dr Key",
            "--username",
            "key",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let key = v["recoveryKey"].as_str().unwrap();
    assert_eq!(key.split('-').count(), 8, "{key}");
}

#[test]
fn import_backup_verify_audit_and_restore_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    init(tmp.path());
    let file = tmp.path().join("in.jsonl");
    std::fs::write(
        &file,
        "{\"givenName\": \"Ada\", \"familyName\": \"Lovelace\", \"birthDate\": \"1980-05-17\"}\n\
         {\"givenName\": \"Bad\", \"familyName\": \"Date\", \"birthDate\": \"1980-02-31\"}\n",
    )
    .unwrap();
    let o = cli(
        tmp.path(),
        Some(PASS),
        &["-u", "lake", "patients", "add-list", file.to_str().unwrap()],
    );
    assert!(!o.status.success());
    assert_eq!(stdout(&o).lines().count(), 1, "the first line was saved");
    assert!(stderr(&o).contains("Line 2"), "{}", stderr(&o));

    let folder = out.path().to_str().unwrap();
    let o = cli(
        tmp.path(),
        Some(PASS),
        &[
            "-u", "lake", "--json", "backup", "create", "--folder", folder,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["contents"]["patients"], 1);
    let backup = v["path"].as_str().unwrap().to_string();

    let o = cli(
        tmp.path(),
        Some(PASS),
        &["-u", "lake", "backup", "list", "--folder", folder],
    );
    assert!(stdout(&o).contains("this clinic"), "{}", stdout(&o));
    let o = cli(
        tmp.path(),
        Some(PASS),
        &["-u", "lake", "backup", "verify", &backup],
    );
    assert!(
        stdout(&o).contains("is intact"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    let o = cli(tmp.path(), Some(PASS), &["-u", "lake", "audit", "verify"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("The audit log is intact"),
        "{}",
        stdout(&o)
    );

    // A truncated copy is refused and the vault is untouched.
    let bytes = std::fs::read(&backup).unwrap();
    let cut = out.path().join("cut.kcbackup");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).unwrap();
    let o = cli(
        tmp.path(),
        Some(PASS),
        &["-u", "lake", "restore", cut.to_str().unwrap()],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("This backup cannot be used"),
        "{}",
        stderr(&o)
    );

    // Onto a new machine: an empty folder gets the backup as its vault.
    let new_machine = tempfile::tempdir().unwrap();
    let o = cli(
        new_machine.path(),
        Some(PASS),
        &["-u", "lake", "restore", &backup],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = cli(
        new_machine.path(),
        Some(PASS),
        &["-u", "lake", "--json", "patients", "list"],
    );
    assert!(stdout(&o).contains("Lovelace"), "{}", stdout(&o));
}
