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

/// The demo vault and its passphrase, plus the MRN of the first patient (the one with a chart).
fn demo_with_chart(dir: &std::path::Path) -> (String, String) {
    let o = cli(dir, None, &["--json", "demo"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let pass = v["passphrase"].as_str().unwrap().to_string();
    let o = cli(
        dir,
        Some(&pass),
        &["-u", "demo", "--json", "patients", "list", "--limit", "1"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mrn = v["patients"][0]["mrn"].as_str().unwrap().to_string();
    (pass, mrn)
}

fn tool(name: &str, args: &[&str]) -> Output {
    Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed for the PDF checks: {e}"))
}

#[test]
fn patients_summary_writes_a_valid_pdf_with_the_treatment_failure_table() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let (pass, mrn) = demo_with_chart(&dir);
    let pdf = tmp.path().join("out").join("summary.pdf");
    std::fs::create_dir_all(pdf.parent().unwrap()).unwrap();
    let o = cli(
        &dir,
        Some(&pass),
        &[
            "-u",
            "demo",
            "patients",
            "summary",
            "--id",
            &mrn,
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("summary.pdf"), "{}", stderr(&o));

    let check = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    let text = String::from_utf8_lossy(&text.stdout);
    // Table cells wrap, so words are compared with the line breaks taken out.
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Demo Clinic (fictional data)",
        "Patient summary",
        mrn.as_str(),
        "Coverage",
        "HHP-0042", // the member ID wraps at its hyphen
        "F33.2",
        "Medication trials",
        "Escitalopram",
        "Duloxetine",
        "duration uncertain",
        "no response",
        "CBT",
        "Spravato",
        "Lorazepam 0.5 mg at night",
        "Rating scales",
        "PHQ-9 total over time",
        "−60 % from baseline: Response; not in remission",
        "MADRS total over time",
        "Page 1 of",
    ] {
        assert!(
            words.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    // Every page carries the signer of the screening and the page count.
    let pages = text.split('\u{c}').filter(|p| !p.trim().is_empty()).count();
    assert!(pages >= 2, "{pages} pages");
    assert_eq!(
        text.matches("screening signed by Dr Demo Provider").count(),
        pages
    );

    // A patient that does not exist is an error, and no file is written.
    let missing = tmp.path().join("out").join("missing.pdf");
    let o = cli(
        &dir,
        Some(&pass),
        &[
            "-u",
            "demo",
            "patients",
            "summary",
            "--id",
            "KC-999999-9",
            "--out",
            missing.to_str().unwrap(),
        ],
    );
    assert!(!o.status.success());
    assert!(!missing.exists());
}

#[test]
fn patients_export_then_import_into_another_vault_round_trips_the_record() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let (pass, mrn) = demo_with_chart(&dir);
    let file = tmp.path().join("patient.json");
    let o = cli(
        &dir,
        Some(&pass),
        &[
            "-u",
            "demo",
            "patients",
            "export",
            "--id",
            &mrn,
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let exported: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(exported["format"], "ketachart-patient-export");
    assert_eq!(exported["version"], 1);
    assert_eq!(exported["trials"].as_array().unwrap().len(), 2);
    let kinds: Vec<&str> = exported["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["body"]["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"screening") && kinds.contains(&"coverage"),
        "{kinds:?}"
    );

    // Another clinic: a second demo vault (its user is a provider; the same fictional patients
    // mean the MRN is already taken there).
    let other = tmp.path().join("other");
    let (other_pass, _) = demo_with_chart(&other);
    let o = cli(
        &other,
        Some(&other_pass),
        &[
            "-u",
            "demo",
            "--json",
            "patients",
            "import",
            file.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["mrnReplaced"], mrn.as_str());
    let new_mrn = v["mrn"].as_str().unwrap().to_string();
    assert_ne!(new_mrn, mrn);
    assert_eq!(v["trials"], 2);

    let o = cli(
        &other,
        Some(&other_pass),
        &["-u", "demo", "patients", "export", "--id", &new_mrn],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut again: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut first = exported.clone();
    // Only the export time and the remapped MRN differ; the clinical content, signatures
    // included, is exact.
    first["exportedAt"] = serde_json::Value::Null;
    again["exportedAt"] = serde_json::Value::Null;
    again["patient"]["mrn"] = mrn.as_str().into();
    assert_eq!(first, again);
}

#[test]
fn patients_import_refuses_bad_files_with_the_reason_and_imports_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let (pass, mrn) = demo_with_chart(&dir);
    let o = cli(
        &dir,
        Some(&pass),
        &["-u", "demo", "patients", "export", "--id", &mrn],
    );
    let good: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();

    let other = tmp.path().join("other");
    let (other_pass, _) = demo_with_chart(&other);
    let mut newer = good.clone();
    newer["version"] = 2.into();
    let mut bad_trial = good.clone();
    bad_trial["trials"][1]["stopDate"] = "2024-01-01".into();
    let mut altered = good.clone();
    let screening = altered["records"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["body"]["kind"] == "screening")
        .unwrap();
    screening["body"]["pdmpResult"] = "Nothing found".into();
    let cases = [
        (
            "truncated.json",
            good.to_string()[..200].to_string(),
            "not valid JSON",
        ),
        ("newer.json", newer.to_string(), "newer KetaChart"),
        ("bad-trial.json", bad_trial.to_string(), "trial 2"),
        ("altered.json", altered.to_string(), "altered after export"),
    ];
    for (name, text, reason) in cases {
        let f = tmp.path().join(name);
        std::fs::write(&f, text).unwrap();
        let o = cli(
            &other,
            Some(&other_pass),
            &["-u", "demo", "patients", "import", f.to_str().unwrap()],
        );
        assert!(!o.status.success(), "{name} was accepted");
        assert!(
            stderr(&o).to_lowercase().contains(&reason.to_lowercase()),
            "{name}: {}",
            stderr(&o)
        );
    }
    let o = cli(
        &other,
        Some(&other_pass),
        &["-u", "demo", "--json", "patients", "list"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["total"], 50, "nothing was imported");
}

#[test]
fn scores_list_prints_a_patients_scores_as_json() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let (pass, mrn) = demo_with_chart(&dir);
    let o = cli(
        &dir,
        Some(&pass),
        &["-u", "demo", "--json", "scores", "list", "--patient", &mrn],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let scores = v["scores"].as_array().unwrap();
    let phq: Vec<i64> = scores
        .iter()
        .filter(|s| s["instrument"] == "phq9")
        .map(|s| s["total"].as_i64().unwrap())
        .collect();
    assert_eq!(phq, vec![20, 18, 15, 12, 10, 8], "oldest first");
    assert!(scores
        .iter()
        .all(|s| s["mode"] == "self_report" || s["rater"] == "Dr Demo Provider"));
    // An unknown patient is an error.
    let o = cli(
        &dir,
        Some(&pass),
        &["-u", "demo", "scores", "list", "--patient", "KC-999999-9"],
    );
    assert!(!o.status.success());
}

#[test]
fn pa_validates_rule_files_checks_a_patient_writes_a_packet_and_lists_the_queue() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let (pass, _) = demo_with_chart(&dir);
    let o = cli(
        &dir,
        Some(&pass),
        &["-u", "demo", "--json", "patients", "list", "--limit", "2"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mrn = v["patients"][1]["mrn"].as_str().unwrap().to_string();

    // A rule-set file with a mistake on line 4 is refused with that line; no vault is needed.
    let bad = tmp.path().join("rules.json");
    std::fs::write(
        &bad,
        "{\n  \"format\": \"ketachart-pa-rules\",\n  \"schemaVersion\": 1,\n  \"published\": 7,\n  \"sources\": {},\n  \"ruleSets\": []\n}\n",
    )
    .unwrap();
    let o = cli(
        &dir,
        None,
        &["pa", "policies", "validate", bad.to_str().unwrap()],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("line 4"), "{}", stderr(&o));

    // The demo patient with two failed trials meets Cigna's Spravato TRD policy.
    let o = cli(
        &dir,
        Some(&pass),
        &[
            "-u",
            "demo",
            "--json",
            "pa",
            "check",
            "--patient",
            &mrn,
            "--policy",
            "cigna-spravato-trd",
            "--service",
            "spravato_trd",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let e: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(e["verdict"], "ready", "{e}");
    let trials = e["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "trials")
        .expect("the trials criterion");
    assert_eq!(trials["status"], "met");
    assert_eq!(trials["evidence"].as_array().unwrap().len(), 2, "{trials}");
    assert!(trials["evidence"][0]["id"].as_i64().is_some());

    // A service the payer does not cover goes to the self-pay path.
    let o = cli(
        &dir,
        Some(&pass),
        &[
            "-u",
            "demo",
            "--json",
            "pa",
            "check",
            "--patient",
            &mrn,
            "--policy",
            "aetna-cpb0938-iv-ketamine",
            "--service",
            "iv_ketamine",
        ],
    );
    let e: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(e["verdict"], "not_covered", "{e}");

    // The packet PDF.
    let out = tmp.path().join("packet.pdf");
    let o = cli(
        &dir,
        Some(&pass),
        &[
            "-u",
            "demo",
            "pa",
            "packet",
            "--patient",
            &mrn,
            "--policy",
            "cigna-spravato-trd",
            "--service",
            "spravato_trd",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(tool("qpdf", &["--check", out.to_str().unwrap()])
        .status
        .success());
    let text = stdout(&tool("pdftotext", &[out.to_str().unwrap(), "-"]));
    for needle in [
        "Letter of medical necessity",
        "Sertraline",
        "Bupropion",
        &mrn,
    ] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }

    // The queue (no requests yet in the demo).
    let o = cli(&dir, Some(&pass), &["-u", "demo", "--json", "pa", "queue"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let q: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(q["items"].as_array().unwrap().is_empty(), "{q}");
}

#[test]
fn documents_add_list_export_and_the_summary_cites_the_trial_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let (pass, mrn) = demo_with_chart(&dir);
    let files = tmp.path().join("files");
    std::fs::create_dir_all(&files).unwrap();

    // A real multi-page PDF to import: this patient's own summary stands in for a pharmacy's
    // fill history.
    let fills = files.join("cvs-fills.pdf");
    let o = cli(
        &dir,
        Some(&pass),
        &[
            "-u",
            "demo",
            "patients",
            "summary",
            "--id",
            &mrn,
            "--out",
            fills.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));

    // The first trial's id, read through the core.
    let trial_id = {
        let s = VaultDir::new(&dir).unlock("demo", &pass).unwrap();
        let p = ketachart_core::patient::get_by_mrn(&s, &mrn).unwrap();
        let trials =
            ketachart_core::trial::list(&s, p.id.0, chrono::Local::now().date_naive()).unwrap();
        let id = trials[0].id;
        s.close(ketachart_core::session::CloseReason::Exit);
        id
    };

    let o = cli(
        &dir,
        Some(&pass),
        &[
            "-u",
            "demo",
            "--json",
            "documents",
            "add",
            &mrn,
            fills.to_str().unwrap(),
            "--kind",
            "pharmacy_history",
            "--title",
            "CVS fills 2024",
            "--date",
            "2025-03-12",
            "--source",
            "CVS Pharmacy",
            "--trial",
            &trial_id.to_string(),
            "--page",
            "2",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let added: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let id = added["id"].as_i64().unwrap();
    assert_eq!(added["mediaType"], "application/pdf");
    assert_eq!(added["links"][0]["page"], 2);

    // The same file again is a duplicate; a program renamed .pdf is refused for what it is.
    let o = cli(
        &dir,
        Some(&pass),
        &[
            "-u",
            "demo",
            "documents",
            "add",
            &mrn,
            fills.to_str().unwrap(),
            "--kind",
            "other",
            "--title",
            "Again",
        ],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("already in this patient's documents"),
        "{}",
        stderr(&o)
    );
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    exe.resize(2048, 0);
    let fake = files.join("records.pdf");
    std::fs::write(&fake, &exe).unwrap();
    let o = cli(
        &dir,
        Some(&pass),
        &[
            "-u",
            "demo",
            "documents",
            "add",
            &mrn,
            fake.to_str().unwrap(),
            "--kind",
            "other",
            "--title",
            "Fake",
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("Windows program"), "{}", stderr(&o));
    let o = cli(
        &dir,
        Some(&pass),
        &[
            "-u",
            "demo",
            "documents",
            "add",
            &mrn,
            fills.to_str().unwrap(),
            "--kind",
            "letter",
            "--title",
            "x",
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("pharmacy_history"), "{}", stderr(&o));

    let o = cli(
        &dir,
        Some(&pass),
        &["-u", "demo", "--json", "documents", "list", &mrn],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let docs = list["documents"].as_array().unwrap();
    assert!(!docs
        .iter()
        .any(|d| d["title"] == "Fake" || d["title"] == "Again"));
    let ours = docs.iter().find(|d| d["id"] == id).expect("listed");
    assert_eq!(ours["kindLabel"], "Pharmacy fill history");
    assert!(ours["links"][0]["label"]
        .as_str()
        .unwrap()
        .ends_with(", p. 2"));
    let o = cli(
        &dir,
        Some(&pass),
        &["-u", "demo", "documents", "list", &mrn],
    );
    assert!(
        stdout(&o).contains("Pharmacy fill history — CVS fills 2024"),
        "{}",
        stdout(&o)
    );

    let out = files.join("exported.pdf");
    let o = cli(
        &dir,
        Some(&pass),
        &[
            "-u",
            "demo",
            "documents",
            "export",
            &id.to_string(),
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&fills).unwrap());

    // The summary's treatment-failure table cites the document and page under "Sources".
    let summary = files.join("summary.pdf");
    let o = cli(
        &dir,
        Some(&pass),
        &[
            "-u",
            "demo",
            "patients",
            "summary",
            "--id",
            &mrn,
            "--out",
            summary.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let check = tool("qpdf", &["--check", summary.to_str().unwrap()]);
    assert!(check.status.success());
    let text = tool("pdftotext", &[summary.to_str().unwrap(), "-"]);
    let words = String::from_utf8_lossy(&text.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        words.contains("Pharmacy fill history — CVS fills 2024 (12-Mar-2025), p. 2"),
        "citation missing from:\n{words}"
    );
}
