//! The patient summary PDF from a real vault: non-Latin-1 names, quotes and markup come out as
//! typed; who may export; where it may be written. Checked with `qpdf --check` and `pdftotext`.

use std::process::Command;

use chrono::NaiveDate;
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::date_input::DateParts;
use ketachart_core::patient::{self, Address, PatientInput};
use ketachart_core::trial::{self, DoseInput, TrialInput};
use ketachart_core::user::manage::{self, NewUser};
use ketachart_core::user::Role;
use ketachart_core::vault::{KdfParams, VaultDir};
use ketachart_core::{CoreError, Session};

const PASS: &str = "copper kettle moonlit harbour";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn clinic(dir: &std::path::Path) -> (Session, i64) {
    let mut s = VaultDir::new(dir)
        .create(
            &ClinicSetup {
                clinic_name: "Klinika Północ & Søn".into(),
                admin_display_name: "Dr Émile O'Brien".into(),
                admin_username: "doc".into(),
                passphrase: PASS.into(),
                passphrase_confirmation: PASS.into(),
            },
            KdfParams::FAST_FOR_TESTS,
        )
        .unwrap()
        .session;
    let me = s.user().id;
    manage::set_roles(&mut s, me, &[Role::Admin, Role::Provider]).unwrap();
    let p = patient::create(
        &mut s,
        &PatientInput {
            given_name: "Łucja \"Lu\"".into(),
            family_name: "Ødegård <b>".into(),
            birth_date: DateParts::from_date(NaiveDate::from_ymd_opt(1979, 2, 3).unwrap()),
            address: Address {
                city: Some("Łódź".into()),
                ..Default::default()
            },
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    for (drug, start, stop, dose) in [
        ("sertraline", "2024-01-08", "2024-03-18", "150"),
        ("venlafaxine", "2024-05", "2024-09", "37.5"),
    ] {
        trial::create(
            &mut s,
            p.id.0,
            &TrialInput {
                drug: drug.into(),
                role: "monotherapy".into(),
                start_date: start.into(),
                stop_date: stop.into(),
                doses: vec![DoseInput {
                    from: start.into(),
                    daily: dose.into(),
                }],
                outcome: "no_response".into(),
                current_episode: true,
                ..Default::default()
            },
            today(),
        )
        .unwrap();
    }
    (s, p.id.0)
}

fn text_of(pdf: &std::path::Path) -> String {
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .output()
        .expect("qpdf is installed");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is installed");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_summary_keeps_non_latin_names_and_shows_every_page_header() {
    let tmp = tempfile::tempdir().unwrap();
    let (s, pid) = clinic(&tmp.path().join("vault"));
    let out = tmp.path().join("summary.pdf");
    let written = ketachart_pdf::summary::export(&s, pid, out.to_str().unwrap(), today()).unwrap();
    assert_eq!(written, out);
    let text = text_of(&out);
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Klinika Północ & Søn",
        "ØDEGÅRD <B>",
        "Łucja \"Lu\"",
        "Łódź",
        "Sertraline",
        "Venlafaxine",
        // 37.5 mg/day of venlafaxine is below the reference floor and is flagged in place.
        "below",
        "Page 1 of",
    ] {
        assert!(words.contains(expected), "{expected:?} missing:\n{text}");
    }
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains("Klinika Północ & Søn"), "page {}", i + 1);
        assert!(page.contains("03-Feb-1979"), "page {}", i + 1);
        assert!(
            page.contains(&format!("Page {} of {}", i + 1, pages.len())),
            "page {}",
            i + 1
        );
    }
    // Exporting is audited against the patient.
    let page = ketachart_core::audit::query::list(
        &s,
        &ketachart_core::audit::AuditFilter {
            action: Some("patient.summary".into()),
            ..Default::default()
        },
        None,
        50,
    )
    .unwrap();
    assert_eq!(page.entries.len(), 1);
    assert_eq!(page.entries[0].patient_id, Some(pid));
}

#[test]
fn only_clinical_readers_export_and_only_to_a_real_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(&tmp.path().join("vault"));

    let relative = ketachart_pdf::summary::export(&s, pid, "summary.pdf", today());
    assert!(
        matches!(relative, Err(CoreError::Validation(_))),
        "{relative:?}"
    );
    let nowhere = tmp.path().join("no-such-folder").join("summary.pdf");
    let r = ketachart_pdf::summary::export(&s, pid, nowhere.to_str().unwrap(), today());
    assert!(matches!(r, Err(CoreError::Validation(_))), "{r:?}");

    manage::create(
        &mut s,
        PASS,
        &NewUser {
            username: "admin2".into(),
            display_name: "Ada Admin".into(),
            roles: vec![Role::Admin],
            passphrase: PASS.into(),
            passphrase_confirmation: PASS.into(),
        },
    )
    .unwrap();
    drop(s);
    let admin = VaultDir::new(tmp.path().join("vault"))
        .unlock("admin2", PASS)
        .unwrap();
    let out = tmp.path().join("admin.pdf");
    let r = ketachart_pdf::summary::export(&admin, pid, out.to_str().unwrap(), today());
    assert!(matches!(r, Err(CoreError::Forbidden(_))), "{r:?}");
    assert!(!out.exists(), "nothing is written when export is refused");
}
