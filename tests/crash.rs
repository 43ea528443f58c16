//! Crash safety: the CLI registers patients from a list (one transaction each, acknowledged on stdout only
//! after the commit) and is killed with SIGKILL at a random point, hundreds of times. After
//! every kill the vault must open, pass SQLite's and SQLCipher's integrity checks, hold every
//! acknowledged patient, and keep an intact audit chain.
//!
//! Runs: `KETACHART_CRASH_RUNS` (default 200). Run with `--nocapture` to see the figures.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Instant;

use ketachart_core::audit;
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::patient;
use ketachart_core::vault::{KdfParams, VaultDir};
use ketachart_tests::bin;

const PASS: &str = "copper kettle moonlit harbour";

#[test]
fn killing_the_cli_mid_write_never_loses_an_acknowledged_write_or_corrupts_the_vault() {
    let runs: usize = std::env::var("KETACHART_CRASH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    drop(
        VaultDir::new(&dir)
            .create(
                &ClinicSetup {
                    clinic_name: "Crash Clinic".into(),
                    admin_display_name: "Admin".into(),
                    admin_username: "admin".into(),
                    passphrase: PASS.into(),
                    passphrase_confirmation: PASS.into(),
                },
                // Fast key derivation keeps hundreds of unlocks quick; the writes are the same.
                KdfParams::FAST_FOR_TESTS,
            )
            .unwrap(),
    );
    let input = tmp.path().join("patients.jsonl");
    {
        let mut f = std::fs::File::create(&input).unwrap();
        for i in 0..5000 {
            writeln!(
                f,
                r#"{{"givenName": "Given{i}", "familyName": "Family{i}", "birthDate": "1970-01-{:02}"}}"#,
                i % 28 + 1
            )
            .unwrap();
        }
    }

    let mut rng = fastrand::Rng::with_seed(20261121);
    let started = Instant::now();
    let mut acked_total = 0usize;
    let mut killed_mid_write = 0usize;
    for run in 0..runs {
        // Kill after 0–30 acknowledgements: sometimes during unlock or migration checks, mostly
        // with the next patient's transaction in flight.
        let kill_after = rng.usize(0..=30);
        let mut child = Command::new(bin("ketachart-cli"))
            .args(["--data-dir"])
            .arg(&dir)
            .args(["-u", "admin", "patients", "add-list"])
            .arg(&input)
            .env("KETACHART_PASSPHRASE", PASS)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut acked = Vec::new();
        let mut lines = BufReader::new(stdout).lines();
        while acked.len() < kill_after {
            match lines.next() {
                Some(Ok(l)) => acked.push(l.trim_start_matches("added ").to_string()),
                _ => break,
            }
        }
        child.kill().unwrap(); // SIGKILL
                               // Anything already written to the pipe before the kill was acknowledged too.
        for l in lines.map_while(Result::ok) {
            acked.push(l.trim_start_matches("added ").to_string());
        }
        let status = child.wait().unwrap();
        if status.code().is_none() && !acked.is_empty() {
            killed_mid_write += 1;
        }

        let s = VaultDir::new(&dir)
            .unlock("admin", PASS)
            .unwrap_or_else(|e| panic!("run {run}: the vault must open after a kill: {e}"));
        let problems = s.integrity_problems().unwrap();
        assert!(problems.is_empty(), "run {run}: integrity: {problems:?}");
        for mrn in &acked {
            patient::get_by_mrn(&s, mrn)
                .unwrap_or_else(|e| panic!("run {run}: acknowledged {mrn} is missing: {e}"));
        }
        acked_total += acked.len();
        let count = patient::count(&s).unwrap() as usize;
        assert!(
            count >= acked_total && count <= acked_total + run + 1,
            "run {run}: {count} patients for {acked_total} acknowledged"
        );
        let report = audit::verify(&s).unwrap();
        assert!(report.is_intact(), "run {run}: {:?}", report.problems);
        drop(s);
    }
    eprintln!(
        "crash harness: {runs} SIGKILLs ({killed_mid_write} after at least one committed write), \
         {acked_total} acknowledged writes, all present; every run passed integrity_check, \
         cipher_integrity_check and the audit chain; {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
