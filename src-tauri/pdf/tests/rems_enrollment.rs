//! The printable SPRAVATO REMS Patient Enrollment Form from a real vault: every captured field,
//! the counselling acknowledgements, blank signature lines, the UNVERIFIED note and the page
//! header, checked with `qpdf --check` and `pdftotext`; the export is audited.

use std::process::Command;

use chrono::NaiveDate;
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::date_input::DateParts;
use ketachart_core::patient::{self, PatientInput};
use ketachart_core::rems_enrollment::{self, RemsEnrollmentInput};
use ketachart_core::user::manage;
use ketachart_core::user::Role;
use ketachart_core::vault::{KdfParams, VaultDir};
use ketachart_core::CoreError;

const PASS: &str = "copper kettle moonlit harbour";

#[test]
fn the_enrollment_form_prints_every_field_and_is_audited() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = VaultDir::new(tmp.path().join("vault"))
        .create(
            &ClinicSetup {
                clinic_name: "Klinika Północ & Søn".into(),
                admin_display_name: "Dr Émile Okafor".into(),
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
    let today = chrono::Local::now().date_naive();
    let p = patient::create(
        &mut s,
        &PatientInput {
            given_name: "Zoë \"Z\"".into(),
            family_name: "O'Brien <b>".into(),
            birth_date: DateParts::from_date(NaiveDate::from_ymd_opt(1979, 2, 3).unwrap()),
            ..Default::default()
        },
        today,
    )
    .unwrap();
    let pid = p.id.0;
    rems_enrollment::save(
        &mut s,
        &RemsEnrollmentInput {
            patient_id: pid,
            version: 0,
            status: "enrolled".into(),
            enrolled_on: "2026-01-05".into(),
            rems_patient_id: "RP-000042".into(),
            first_name: "Zoë \"Z\"".into(),
            middle_initial: "Q".into(),
            last_name: "O'Brien <b>".into(),
            birth_date: "1979-02-03".into(),
            sex: "female".into(),
            address_line1: "1 Main St".into(),
            city: "Springfield".into(),
            state: "IL".into(),
            zip: "62701".into(),
            phone: "(217) 555-0142".into(),
            email: "zoe@example.org".into(),
            preferred_contact: "email".into(),
            ..Default::default()
        },
        today.max(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()),
    )
    .unwrap();

    let relative = ketachart_pdf::rems_enrollment::export(&s, pid, "form.pdf");
    assert!(
        matches!(relative, Err(CoreError::Validation(_))),
        "{relative:?}"
    );
    let out = tmp.path().join("enrollment.pdf");
    ketachart_pdf::rems_enrollment::export(&s, pid, out.to_str().unwrap()).unwrap();
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let text = Command::new("pdftotext")
        .arg(&out)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "SPRAVATO® REMS Patient Enrollment Form",
        "Klinika Północ & Søn",
        "O'BRIEN <B>, Zoë \"Z\" Q · DOB 03-Feb-1979 · MRN",
        "UNVERIFIED: fields per the REMS requirements; compare with the current official",
        "Zoë \"Z\"",
        "O'Brien <b>",
        "Female",
        "1 Main St",
        "Springfield IL 62701",
        "(217) 555-0142",
        "zoe@example.org",
        "Enrolled",
        "05-Jan-2026",
        "RP-000042",
        "Sedation",
        "Dissociation",
        "Respiratory depression",
        "Blood pressure increase",
        "until the next day after a restful sleep",
        "safe transport",
        "Patient signature",
        "Prescriber signature",
        "Generated",
        "Page 1 of",
    ] {
        assert!(flat.contains(needle), "{needle} missing:\n{flat}");
    }
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    for p in &pages {
        assert!(
            p.contains("Klinika Północ & Søn") && p.contains("MRN"),
            "{p}"
        );
    }

    let log = ketachart_core::audit::query::list(
        &s,
        &ketachart_core::audit::AuditFilter {
            action: Some("rems_enrollment.export".into()),
            ..Default::default()
        },
        None,
        10,
    )
    .unwrap()
    .entries;
    assert_eq!(log.len(), 1);
}
