//! The session PDFs from a real vault: the SPRAVATO REMS Patient Monitoring Form of a signed
//! session (blood pressures, monitoring minutes, names with quotes and markup as typed), a
//! draft's form refused without writing anything, and the session summary of an IV ketamine
//! session with its dose arithmetic and flagged vitals. Checked with `qpdf --check` and
//! `pdftotext -layout`.

mod support;

use std::path::Path;
use std::process::Command;

use chrono::{Days, NaiveDate};
use ketachart_core::billing::{BillingLine, MtDetermination};
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::date_input::DateParts;
use ketachart_core::patient::{self, PatientInput, SexAtBirth};
use ketachart_core::profile::ProviderProfileInput;
use ketachart_core::profile::{clinic as clinic_profile, provider, ClinicProfileInput};
use ketachart_core::record::{self, RecordBody};
use ketachart_core::treatment::session::{
    AdverseEvent, Concomitant, Discharge, KetamineDose, Severity, SpravatoDose, TmsDelivery,
    TmsProtocol, TreatmentSession, VitalsRow, Weight, WeightUnit,
};
use ketachart_core::treatment::{Course, CourseStatus, Indication, Modality};
use ketachart_core::user::manage::{self, NewUser};
use ketachart_core::user::Role;
use ketachart_core::vault::{KdfParams, VaultDir};
use ketachart_core::{CoreError, Session};

const PASS: &str = "copper kettle moonlit harbour";
const CLINIC: &str = "Harbour & Søn Mind Clinic";

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn days_ago(n: u64) -> NaiveDate {
    today().checked_sub_days(Days::new(n)).unwrap()
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn clinic(dir: &Path) -> (Session, i64) {
    let mut s = VaultDir::new(dir)
        .create(
            &ClinicSetup {
                clinic_name: CLINIC.into(),
                admin_display_name: "Dr Paz".into(),
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
    clinic_profile::update(
        &mut s,
        &ClinicProfileInput {
            name: CLINIC.into(),
            address_line1: "12 Harbour Road".into(),
            address_line2: "Suite 4, behind the long blue building with the ferry timetable on its door".into(),
            city: "Salem".into(),
            state: "MA".into(),
            zip: "01970".into(),
            phone: "978-555-0142".into(),
            fax: "978-555-0143".into(),
            tin: "123456789".into(),
            npi: "1234567893".into(),
            rems_setting_id: "SPR-REMS-0042".into(),
        },
    )
    .unwrap();
    provider::update(
        &mut s,
        "doc",
        &ProviderProfileInput {
            given_name: "Inés".into(),
            family_name: "Paz-O'Neill".into(),
            credentials: "MD".into(),
            npi: "1234567893".into(),
            phone: "978-555-0100".into(),
            email: "ines.paz@example.org".into(),
            prescriber: true,
            specialty: None,
        },
    )
    .unwrap();
    let p = patient::create(
        &mut s,
        &PatientInput {
            given_name: "Ana \"Annie\"".into(),
            family_name: "O'Brien <b>".into(),
            birth_date: DateParts::from_date(NaiveDate::from_ymd_opt(1980, 1, 1).unwrap()),
            sex_at_birth: Some(SexAtBirth::Female),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    (s, p.id.0)
}

fn course(s: &mut Session, pid: i64, modality: Modality, protocol: &str) -> i64 {
    if modality == Modality::Spravato {
        support::enroll_in_rems(s, pid, days_ago(60), today());
    }
    support::sign_required_consents(s, pid, modality, days_ago(60), PASS);
    let c = Course {
        modality: Some(modality),
        indication: Some(Indication::Trd),
        protocol_id: Some(protocol.into()),
        phases: vec![],
        start_date: iso(days_ago(30)),
        status: CourseStatus::Active,
        status_reason: None,
        end_date: None,
        authorized_units: Some("8".into()),
        authorization_number: Some("PA-2026-0042".into()),
        note: None,
    };
    record::create(s, pid, &RecordBody::Course(c), today())
        .unwrap()
        .id
}

fn vitals(tp: &str, time: &str, bp: (u32, u32)) -> VitalsRow {
    VitalsRow {
        timepoint: tp.into(),
        time: Some(time.into()),
        systolic: Some(bp.0.to_string()),
        diastolic: Some(bp.1.to_string()),
        heart_rate: Some("72".into()),
        spo2: Some("98".into()),
        respiratory_rate: Some("14".into()),
        moaas: Some("5".into()),
    }
}

fn spravato_session(course_id: i64, date: NaiveDate) -> TreatmentSession {
    TreatmentSession {
        course_id,
        date: iso(date),
        weight: None,
        ketamine: None,
        spravato: Some(SpravatoDose {
            rems_enrolled: Some(true),
            concomitant: Concomitant {
                benzodiazepines: Some(false),
                non_benzodiazepine_hypnotics: Some(false),
                psychostimulants: Some(true),
                maois: Some(false),
                opioids: Some(false),
            },
            dose_mg: Some(56),
            device_times: vec!["09:00".into(), "09:05".into()],
            lot: Some("SPR-LOT-77".into()),
            expiry: None,
            ready_to_leave_minutes: Some("90".into()),
            vitals_acceptable_before: Some(true),
            vitals_acceptable_at_end: Some(true),
            sedation: Some(false),
            dissociation: Some(true),
            respiratory_depression: Some(false),
        }),
        tms: None,
        vitals: vec![
            vitals("pre", "08:50", (132, 84)),
            vitals("m40", "09:40", (138, 86)),
            vitals("discharge", "11:00", (126, 80)),
        ],
        hold_override: None,
        adverse_events: vec![AdverseEvent {
            event: "nausea_vomiting".into(),
            severity: Some(Severity::Mild),
            action: Some("Ondansetron 4 mg ODT <i>given</i>".into()),
            detail: None,
        }],
        discharge: Discharge {
            criteria: [
                "mental_status",
                "vitals_near_baseline",
                "ambulatory",
                "escort",
                "no_driving",
            ]
            .map(String::from)
            .to_vec(),
            time: Some("11:00".into()),
            escort_name: Some("Sam O'Brien".into()),
            note: None,
        },
        billing: vec![],
        note: None,
    }
}

fn ketamine_session(course_id: i64, date: NaiveDate) -> TreatmentSession {
    TreatmentSession {
        course_id,
        date: iso(date),
        weight: Some(Weight {
            value: "154".into(),
            unit: WeightUnit::Lb,
            kg: None,
            confirmed: false,
        }),
        ketamine: Some(KetamineDose {
            mg_per_kg: "0.5".into(),
            concentration_mg_per_ml: "10".into(),
            diluent_ml: Some("100".into()),
            infusion_minutes: Some("40".into()),
            lot: Some("KT-1234".into()),
            expiry: Some(iso(today().checked_add_days(Days::new(200)).unwrap())),
            ndc: Some("0409-2051-05".into()),
            start_time: Some("09:00".into()),
            stop_time: Some("09:40".into()),
            limit_override: None,
        }),
        spravato: None,
        tms: None,
        vitals: vec![
            vitals("pre", "08:50", (128, 80)),
            vitals("m15", "09:15", (150, 92)),
            vitals("m30", "09:30", (166, 96)),
            vitals("m40", "09:40", (158, 90)),
            vitals("m60", "10:00", (140, 86)),
            vitals("discharge", "10:30", (130, 82)),
        ],
        hold_override: None,
        adverse_events: vec![],
        discharge: Discharge::default(),
        billing: vec![],
        note: Some("Tolerated well. Music and eye mask; \"felt floaty\" for 20 minutes.".into()),
    }
}

/// `qpdf --check` passes; the text as `pdftotext -layout` extracts it, whitespace collapsed.
fn text_of(pdf: &Path) -> String {
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
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is installed");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn pages(text: &str) -> Vec<&str> {
    text.split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect()
}

fn audited(s: &Session) -> usize {
    ketachart_core::audit::query::list(
        s,
        &ketachart_core::audit::AuditFilter {
            action: Some("session.document".into()),
            ..Default::default()
        },
        None,
        50,
    )
    .unwrap()
    .entries
    .len()
}

#[test]
fn the_rems_form_of_a_signed_session_carries_every_field_as_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(&tmp.path().join("vault"));
    let c = course(&mut s, pid, Modality::Spravato, "spravato_trd");
    let saved = record::create(
        &mut s,
        pid,
        &RecordBody::Session(spravato_session(c, days_ago(3))),
        today(),
    )
    .unwrap();
    record::sign(&mut s, saved.id, saved.version, PASS).unwrap();

    let out = tmp.path().join("rems.pdf");
    let written = ketachart_pdf::rems_form::export(&s, saved.id, out.to_str().unwrap()).unwrap();
    assert_eq!(written, out);
    let text = text_of(&out);
    let w = words(&text);
    let session_day = days_ago(3).format("%d-%b-%Y").to_string();
    let due_day = days_ago(3)
        .checked_add_days(Days::new(7))
        .unwrap()
        .format("%d-%b-%Y")
        .to_string();
    for expected in [
        "SPRAVATO® REMS Patient Monitoring Form (outpatient)",
        "by fax to 1-877-778-0091",
        &format!("Due by {due_day}"),
        "Not yet marked submitted",
        // The patient, as typed: quotes and markup are text.
        "First name Ana \"Annie\"",
        "Last name O'Brien <b>",
        "MI Not recorded",
        "Date of birth 01-Jan-1980",
        "Sex Female",
        "First treatment? Yes",
        "Enrolled in the SPRAVATO REMS? Yes",
        "Psychostimulants Yes",
        "Opioids No",
        // The monitoring provider from the signer's profile.
        "First name Inés",
        "Last name Paz-O'Neill",
        "Phone (978) 555-0100",
        "Email ines.paz@example.org",
        // The healthcare setting from the clinic profile; a long line wraps, whole.
        &format!("Name {CLINIC}"),
        "Address 1 12 Harbour Road",
        "ferry timetable on its door",
        "REMS setting ID SPR-REMS-0042",
        &format!("Treatment date {session_day}"),
        "Dose administered 56 mg",
        "Number of devices 2",
        "Device times 09:00, 09:05",
        "Lot number SPR-LOT-77",
        "Pre-administration 08:50 132/84",
        "40 minutes post-administration 09:40 138/86",
        "Prior to session completion 11:00 126/80",
        "Dissociation Yes",
        "Nausea or vomiting Mild Ondansetron 4 mg ODT <i>given</i>",
        "Signed by Inés Paz-O'Neill, MD",
    ] {
        assert!(w.contains(expected), "{expected:?} missing:\n{text}");
    }
    // Long labels wrap; their value sits on the label's first line. The total monitoring
    // time runs from the first device (09:00) to the end of monitoring (11:00).
    for (label, value) in [
        (
            "Total time from first device",
            "120 (first device 09:00, end of monitoring 11:00)",
        ),
        ("If there were no 2-hour requirement", "90"),
        ("Vital signs within acceptable range", "Yes"),
    ] {
        let line = text
            .lines()
            .find(|l| l.contains(label))
            .unwrap_or_else(|| panic!("no {label:?} line:\n{text}"));
        assert!(line.trim_end().ends_with(value), "{line}");
    }
    assert!(w.contains("before session completion?"), "{text}");
    // Every page carries the clinic, the patient line and the signature line.
    let pages = pages(&text);
    for (i, page) in pages.iter().enumerate() {
        let pw = words(page);
        assert!(pw.contains(CLINIC), "page {}", i + 1);
        assert!(
            pw.contains("O'BRIEN <B>, Ana \"Annie\" · DOB 01-Jan-1980 · MRN"),
            "page {}: {page}",
            i + 1
        );
        assert!(pw.contains("signed by Dr Paz") || pw.contains("signed by Inés"));
        assert!(pw.contains("Generated"), "page {}", i + 1);
        assert!(
            pw.contains(&format!("Page {} of {}", i + 1, pages.len())),
            "page {}",
            i + 1
        );
    }
    assert_eq!(audited(&s), 1, "the export is audited");

    // The summary of the signed session names the signer and shows the REMS facts.
    let summary = tmp.path().join("spravato-summary.pdf");
    ketachart_pdf::session::export(&s, saved.id, summary.to_str().unwrap()).unwrap();
    let sw = words(&text_of(&summary));
    for expected in [
        "Spravato (esketamine) session summary",
        "2 devices × 28 mg = 56 mg",
        "Device times 09:00, 09:05",
        "11:00 (120 min after the first device)",
        "Signed by Inés Paz-O'Neill, MD",
        "Sam O'Brien",
    ] {
        assert!(sw.contains(expected), "{expected:?} missing:\n{sw}");
    }
    assert!(!sw.contains("DRAFT"), "{sw}");
    assert_eq!(audited(&s), 2);

    // Once marked submitted, the form says so.
    ketachart_core::treatment::rems::mark_submitted(
        &mut s,
        saved.id,
        &ketachart_core::treatment::rems::SubmissionInput {
            submitted_on: iso(today()),
            method: Some(ketachart_core::treatment::rems::SubmissionMethod::Fax),
            confirmation: Some("FX-991".into()),
        },
        today(),
    )
    .unwrap();
    ketachart_pdf::rems_form::export(&s, saved.id, out.to_str().unwrap()).unwrap();
    let w = words(&text_of(&out));
    let on = today().format("%d-%b-%Y").to_string();
    assert!(
        w.contains(&format!(
            "Marked submitted on {on} (fax, confirmation FX-991)"
        )),
        "{w}"
    );
}

#[test]
fn a_draft_has_no_rems_form_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(&tmp.path().join("vault"));
    let c = course(&mut s, pid, Modality::Spravato, "spravato_trd");
    let draft = record::create(
        &mut s,
        pid,
        &RecordBody::Session(spravato_session(c, days_ago(3))),
        today(),
    )
    .unwrap();
    let out = tmp.path().join("rems.pdf");
    let refused = ketachart_pdf::rems_form::export(&s, draft.id, out.to_str().unwrap());
    assert!(
        matches!(refused, Err(CoreError::Conflict(ref m)) if m.contains("Sign the session first")),
        "{refused:?}"
    );
    assert!(!out.exists());
    assert_eq!(audited(&s), 0);

    // The summary of the same draft may be printed, and says it is a draft on every page.
    let summary = tmp.path().join("summary.pdf");
    ketachart_pdf::session::export(&s, draft.id, summary.to_str().unwrap()).unwrap();
    let text = text_of(&summary);
    for page in pages(&text) {
        assert!(words(page).contains("DRAFT, not signed"), "{page}");
    }
    assert!(words(&text).contains("Status DRAFT — not signed"));

    // A relative path is refused before anything else.
    let e = ketachart_pdf::session::export(&s, draft.id, "summary.pdf").unwrap_err();
    assert!(matches!(e, CoreError::Validation(_)), "{e:?}");
}

#[test]
fn the_session_summary_shows_the_dose_arithmetic_and_flags_out_of_range_vitals() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(&tmp.path().join("vault"));
    let c = course(&mut s, pid, Modality::IvKetamine, "iv_ketamine_induction");
    let saved = record::create(
        &mut s,
        pid,
        &RecordBody::Session(ketamine_session(c, days_ago(2))),
        today(),
    )
    .unwrap();
    let facts = ketachart_core::treatment::view::facts(&s, saved.id).unwrap();
    let out = tmp.path().join("ketamine.pdf");
    ketachart_pdf::session::export(&s, saved.id, out.to_str().unwrap()).unwrap();
    let text = text_of(&out);
    let w = words(&text);
    let dose = facts.dose_arithmetic.clone().unwrap();
    assert_eq!(dose, "0.5 mg/kg × 69.9 kg = 35 mg");
    for expected in [
        "IV ketamine session summary",
        "Treatment IV ketamine",
        "Session 1 of",
        "8 authorized (authorization PA-2026-0042)",
        "69.9 kg (154 lb ÷ 2.2046 = 69.9 kg)",
        dose.as_str(),
        facts.volume_arithmetic.as_deref().unwrap(),
        facts.rate_arithmetic.as_deref().unwrap(),
        "09:00 – 09:40 (40 min)",
        "Lot KT-1234",
        "NDC 0409-2051-05",
        // 166 is above the clinic's systolic alert range (90–160), flagged in its cell.
        "166/96",
        "Systolic 166 is outside 90–160",
        "Systolic blood pressure (mmHg) by minutes from the infusion start (09:00)",
        "\"felt floaty\"",
    ] {
        assert!(w.contains(expected), "{expected:?} missing:\n{text}");
    }
    assert!(w.contains("O'BRIEN <B>, Ana \"Annie\""), "{text}");
    assert_eq!(audited(&s), 1);
}

#[test]
fn a_tms_summary_lists_the_stimulation_parameters() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(&tmp.path().join("vault"));
    let c = course(&mut s, pid, Modality::Tms, "tms_standard");
    let session = TreatmentSession {
        course_id: c,
        date: iso(days_ago(2)),
        weight: None,
        ketamine: None,
        spravato: None,
        tms: Some(TmsDelivery {
            mt_determination: MtDetermination::Initial,
            motor_threshold_percent: Some("52".into()),
            coil_location: Some("Left DLPFC (Beam F3)".into()),
            intensity_percent_mt: Some("120".into()),
            protocol: Some(TmsProtocol::Hz10),
            frequency_hz: Some("10".into()),
            trains: Some("75".into()),
            pulses_per_train: Some("40".into()),
            total_pulses: None,
            start_time: Some("10:00".into()),
            stop_time: Some("10:37".into()),
        }),
        vitals: vec![vitals("pre", "09:55", (120, 78))],
        hold_override: None,
        adverse_events: vec![],
        discharge: Discharge::default(),
        billing: vec![BillingLine {
            code: "90867".into(),
            units: 1,
            ndc: None,
            modifier: None,
        }],
        note: None,
    };
    let saved = record::create(&mut s, pid, &RecordBody::Session(session), today()).unwrap();
    // TMS has no REMS form.
    let out = tmp.path().join("tms-rems.pdf");
    let e = ketachart_pdf::rems_form::export(&s, saved.id, out.to_str().unwrap()).unwrap_err();
    assert!(matches!(e, CoreError::Conflict(_)), "{e:?}");
    assert!(!out.exists());

    let out = tmp.path().join("tms.pdf");
    ketachart_pdf::session::export(&s, saved.id, out.to_str().unwrap()).unwrap();
    let w = words(&text_of(&out));
    for expected in [
        "TMS session summary",
        "Motor threshold Initial mapping: 52% machine output",
        "Coil location Left DLPFC (Beam F3)",
        "Intensity 120% of motor threshold",
        "Protocol 10 Hz left DLPFC",
        "Frequency 10 Hz",
        "75 trains × 40 pulses = 3000 pulses",
        "Session time 10:00 – 10:37 (37 min)",
        "Pre-session 09:55 120/78",
        "90867",
    ] {
        assert!(w.contains(expected), "{expected:?} missing:\n{w}");
    }
    assert!(!w.contains("Discharge time"), "TMS has no discharge");
}

#[test]
fn only_users_who_read_the_clinical_record_export_session_pdfs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let (mut s, pid) = clinic(&dir);
    let c = course(&mut s, pid, Modality::Spravato, "spravato_trd");
    let saved = record::create(
        &mut s,
        pid,
        &RecordBody::Session(spravato_session(c, days_ago(3))),
        today(),
    )
    .unwrap();
    record::sign(&mut s, saved.id, saved.version, PASS).unwrap();
    manage::create(
        &mut s,
        PASS,
        &NewUser {
            username: "office".into(),
            display_name: "Office admin".into(),
            roles: vec![Role::Admin],
            passphrase: PASS.into(),
            passphrase_confirmation: PASS.into(),
        },
    )
    .unwrap();
    drop(s);
    let office = VaultDir::new(&dir).unlock("office", PASS).unwrap();
    let out = tmp.path().join("rems.pdf");
    for result in [
        ketachart_pdf::rems_form::export(&office, saved.id, out.to_str().unwrap()),
        ketachart_pdf::session::export(&office, saved.id, out.to_str().unwrap()),
    ] {
        assert!(matches!(result, Err(CoreError::Forbidden(_))), "{result:?}");
    }
    assert!(!out.exists());
}
