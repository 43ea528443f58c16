//! The patient's SPRAVATO REMS enrollment on a real vault: the prefilled form, validation
//! (enrolled needs a date, not in the future, not before birth; names with quotes and markup
//! stored literally), optimistic concurrency, permissions, the audit, the append-only history
//! of every save (refused saves leave none; SQL cannot change or delete it), and the session
//! gate: a Spravato dose is refused unless the patient is enrolled on or before the session date.

#[path = "support/consents.rs"]
#[allow(dead_code)]
mod consent_support;
#[path = "support/rems.rs"]
#[allow(dead_code)]
mod rems_support;

use chrono::{Days, NaiveDate};
use ketachart_core::audit::{self, AuditFilter};
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::date_input::DateParts;
use ketachart_core::patient::{self, PatientInput};
use ketachart_core::record::{self, RecordBody};
use ketachart_core::rems_enrollment::{self, RemsEnrollmentInput, RemsStatus};
use ketachart_core::treatment::session::{Concomitant, SpravatoDose, TreatmentSession, VitalsRow};
use ketachart_core::treatment::{Course, CourseStatus, Indication, Modality};
use ketachart_core::user::manage::{self, NewUser};
use ketachart_core::user::Role;
use ketachart_core::vault::{KdfParams, VaultDir};
use ketachart_core::{CoreError, Session};

const PASS: &str = "copper kettle moonlit harbour";
const GIVEN: &str = "Zoë \"Z\"";
const FAMILY: &str = "O'Brien <b>";

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn days_ago(n: u64) -> NaiveDate {
    today().checked_sub_days(Days::new(n)).unwrap()
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn clinic(dir: &std::path::Path) -> (Session, i64) {
    let mut s = VaultDir::new(dir)
        .create(
            &ClinicSetup {
                clinic_name: "REMS Clinic".into(),
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
    let p = patient::create(
        &mut s,
        &PatientInput {
            given_name: GIVEN.into(),
            family_name: FAMILY.into(),
            birth_date: DateParts::from_date(NaiveDate::from_ymd_opt(1980, 1, 1).unwrap()),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    (s, p.id.0)
}

fn fields(e: CoreError) -> Vec<(String, String)> {
    match e {
        CoreError::Validation(v) => v.0.into_iter().map(|f| (f.field, f.message)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn message(e: &[(String, String)], field: &str) -> String {
    e.iter()
        .find(|(f, _)| f == field)
        .map(|(_, m)| m.clone())
        .unwrap_or_default()
}

fn input(pid: i64, version: i64, status: &str, on: &str) -> RemsEnrollmentInput {
    RemsEnrollmentInput {
        patient_id: pid,
        version,
        status: status.into(),
        enrolled_on: on.into(),
        rems_patient_id: "RP-<1>".into(),
        first_name: GIVEN.into(),
        middle_initial: "Q".into(),
        last_name: FAMILY.into(),
        birth_date: "1980-01-01".into(),
        sex: "female".into(),
        address_line1: "1 Main St".into(),
        city: "Springfield".into(),
        state: "il".into(),
        zip: "62701".into(),
        phone: "217 555 0142".into(),
        email: "zoe@example.org".into(),
        preferred_contact: "phone".into(),
        ..Default::default()
    }
}

#[test]
fn the_form_is_prefilled_validated_and_stored_literally() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());

    let first = rems_enrollment::get(&s, pid).unwrap();
    assert_eq!(first.version, 0);
    assert_eq!(first.status, RemsStatus::NotEnrolled);
    assert_eq!(first.first_name, GIVEN);
    assert_eq!(first.last_name, FAMILY);
    assert_eq!(first.setting_name.as_deref(), Some("REMS Clinic"));

    // Enrolled needs a date; not in the future; not before the date of birth.
    let e =
        fields(rems_enrollment::save(&mut s, &input(pid, 0, "enrolled", ""), today()).unwrap_err());
    assert_eq!(
        message(&e, "enrolledOn"),
        "Enter the date the patient was enrolled"
    );
    let tomorrow = iso(today().succ_opt().unwrap());
    let e = fields(
        rems_enrollment::save(&mut s, &input(pid, 0, "enrolled", &tomorrow), today()).unwrap_err(),
    );
    assert_eq!(
        message(&e, "enrolledOn"),
        "The enrollment date cannot be in the future"
    );
    let e = fields(
        rems_enrollment::save(&mut s, &input(pid, 0, "enrolled", "1979-12-31"), today())
            .unwrap_err(),
    );
    assert_eq!(
        message(&e, "enrolledOn"),
        "The enrollment date cannot be before the date of birth"
    );
    let e = fields(
        rems_enrollment::save(&mut s, &input(pid, 0, "maybe", "2026-13-01"), today()).unwrap_err(),
    );
    assert_eq!(message(&e, "status"), "Choose the enrollment status");
    assert_eq!(
        message(&e, "enrolledOn"),
        "Enrollment date is not a real date"
    );
    let mut blank = input(pid, 0, "form_completed", "");
    blank.first_name = "  ".into();
    blank.phone = "555".into();
    let e = fields(rems_enrollment::save(&mut s, &blank, today()).unwrap_err());
    assert_eq!(message(&e, "firstName"), "Enter the patient's first name");
    assert!(message(&e, "phone").contains("10 digits"));
    // Nothing was stored by the refusals.
    assert_eq!(rems_enrollment::get(&s, pid).unwrap().version, 0);

    let saved = rems_enrollment::save(
        &mut s,
        &input(pid, 0, "enrolled", &iso(days_ago(10))),
        today(),
    )
    .unwrap();
    assert_eq!(saved.version, 1);
    assert_eq!(saved.status, RemsStatus::Enrolled);
    assert_eq!(saved.enrolled_on, Some(days_ago(10)));
    assert_eq!(saved.first_name, GIVEN, "quotes kept literally");
    assert_eq!(saved.last_name, FAMILY, "markup kept literally");
    assert_eq!(saved.rems_patient_id.as_deref(), Some("RP-<1>"));
    assert_eq!(saved.state.as_deref(), Some("IL"));
    assert_eq!(saved.phone.as_deref(), Some("(217) 555-0142"));
    assert_eq!(saved.recorded_by_name.as_deref(), Some("Dr Paz"));
    assert_eq!(rems_enrollment::get(&s, pid).unwrap(), saved);

    // A stale version is a conflict; the current one saves.
    let stale = rems_enrollment::save(&mut s, &input(pid, 0, "form_completed", ""), today());
    assert!(matches!(stale, Err(CoreError::Conflict(_))), "{stale:?}");
    let again = rems_enrollment::save(
        &mut s,
        &input(pid, 1, "enrolled", &iso(days_ago(9))),
        today(),
    )
    .unwrap();
    assert_eq!(again.version, 2);

    // Audited with ids and field names, never the values.
    let log = audit::query::list(
        &s,
        &AuditFilter {
            action: Some("rems_enrollment.save".into()),
            ..Default::default()
        },
        None,
        50,
    )
    .unwrap()
    .entries;
    assert_eq!(log.len(), 2);
    let detail = log[0].detail.clone().unwrap_or_default();
    assert!(
        detail.contains("status enrolled, version 2; changed enrolledOn"),
        "{detail}"
    );
    assert!(log
        .iter()
        .all(|e| !e.detail.clone().unwrap_or_default().contains("O'Brien")));
}

#[test]
fn only_staff_who_file_rems_forms_record_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    manage::create(
        &mut s,
        PASS,
        &NewUser {
            username: "frontdesk".into(),
            display_name: "Front desk admin".into(),
            roles: vec![Role::Admin],
            passphrase: PASS.into(),
            passphrase_confirmation: PASS.into(),
        },
    )
    .unwrap();
    drop(s);
    let mut admin = VaultDir::new(tmp.path()).unlock("frontdesk", PASS).unwrap();
    let r = rems_enrollment::save(&mut admin, &input(pid, 0, "form_completed", ""), today());
    assert!(matches!(r, Err(CoreError::Forbidden(_))), "{r:?}");
    assert!(matches!(
        rems_enrollment::get(&admin, pid),
        Err(CoreError::Forbidden(_))
    ));
}

fn spravato_session(course_id: i64, date: NaiveDate) -> TreatmentSession {
    let vitals = |tp: &str, time: &str| VitalsRow {
        timepoint: tp.into(),
        time: Some(time.into()),
        systolic: Some("130".into()),
        diastolic: Some("80".into()),
        heart_rate: Some("72".into()),
        spo2: Some("98".into()),
        respiratory_rate: Some("14".into()),
        moaas: Some("5".into()),
    };
    TreatmentSession {
        course_id,
        date: iso(date),
        weight: None,
        ketamine: None,
        spravato: Some(SpravatoDose {
            // The checkbox says yes; the gate reads the patient's enrollment regardless.
            rems_enrolled: Some(true),
            concomitant: Concomitant {
                benzodiazepines: Some(false),
                non_benzodiazepine_hypnotics: Some(false),
                psychostimulants: Some(false),
                maois: Some(false),
                opioids: Some(false),
            },
            dose_mg: Some(56),
            device_times: vec!["09:00".into(), "09:05".into()],
            lot: None,
            expiry: None,
            ready_to_leave_minutes: None,
            vitals_acceptable_before: Some(true),
            vitals_acceptable_at_end: None,
            sedation: None,
            dissociation: None,
            respiratory_depression: None,
        }),
        tms: None,
        vitals: vec![vitals("pre", "08:50")],
        hold_override: None,
        adverse_events: vec![],
        discharge: Default::default(),
        billing: vec![],
        note: None,
    }
}

#[test]
fn a_spravato_dose_needs_the_patient_enrolled_by_the_session_date() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    consent_support::sign_required(&s, pid, Modality::Spravato, days_ago(365), PASS);
    let course = record::create(
        &mut s,
        pid,
        &RecordBody::Course(Course {
            modality: Some(Modality::Spravato),
            indication: Some(Indication::Trd),
            protocol_id: Some("spravato_trd".into()),
            phases: vec![],
            start_date: iso(days_ago(30)),
            status: CourseStatus::Active,
            status_reason: None,
            end_date: None,
            authorized_units: None,
            authorization_number: None,
            note: None,
        }),
        today(),
    )
    .unwrap()
    .id;
    let refused = |s: &mut Session, date: NaiveDate| -> String {
        let e = fields(
            record::create(
                s,
                pid,
                &RecordBody::Session(spravato_session(course, date)),
                today(),
            )
            .unwrap_err(),
        );
        message(&e, "spravato.remsEnrolled")
    };
    const WHERE: &str =
        "Record the REMS patient enrollment on the patient's chart (REMS enrollment)";

    // Nothing recorded.
    let m = refused(&mut s, days_ago(5));
    assert!(m.contains("no enrollment is recorded"), "{m}");
    assert!(m.contains(WHERE), "{m}");
    // The form completed is not enough.
    rems_support::set_status(&mut s, pid, "form_completed", None);
    let m = refused(&mut s, days_ago(5));
    assert!(m.contains("not enrolled yet"), "{m}");
    // Enrolled after the session date.
    rems_support::enroll(&mut s, pid, days_ago(2));
    let m = refused(&mut s, days_ago(5));
    assert!(m.contains("after the session date"), "{m}");
    assert!(m.contains(WHERE), "{m}");
    // Enrolled on the session date: saved, and the session's field is filled from it.
    let r = record::create(
        &mut s,
        pid,
        &RecordBody::Session(spravato_session(course, days_ago(2))),
        today(),
    )
    .unwrap();
    let RecordBody::Session(saved) = &r.body else {
        panic!("a session")
    };
    assert_eq!(saved.spravato.as_ref().unwrap().rems_enrolled, Some(true));
    // A session without a dose (no device, no dose) is not held by the gate.
    rems_support::set_status(&mut s, pid, "not_enrolled", None);
    let mut no_dose = spravato_session(course, days_ago(1));
    let sp = no_dose.spravato.as_mut().unwrap();
    sp.device_times.clear();
    sp.dose_mg = None;
    let r = record::create(&mut s, pid, &RecordBody::Session(no_dose), today()).unwrap();
    let RecordBody::Session(saved) = &r.body else {
        panic!("a session")
    };
    assert_eq!(saved.spravato.as_ref().unwrap().rems_enrolled, Some(false));
}

#[test]
fn every_save_leaves_a_history_row_with_the_dates_as_saved() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    assert!(rems_enrollment::history(&s, pid).unwrap().is_empty());
    assert!(rems_enrollment::get(&s, pid).unwrap().history.is_empty());

    let first = rems_enrollment::save(
        &mut s,
        &input(pid, 0, "enrolled", &iso(days_ago(20))),
        today(),
    )
    .unwrap();
    // A refused save (validation) writes no history row.
    let e = fields(
        rems_enrollment::save(&mut s, &input(pid, 1, "enrolled", "1979-12-31"), today())
            .unwrap_err(),
    );
    assert!(!message(&e, "enrolledOn").is_empty());
    // So does a stale one (conflict).
    let stale = rems_enrollment::save(&mut s, &input(pid, 0, "not_enrolled", ""), today());
    assert!(matches!(stale, Err(CoreError::Conflict(_))), "{stale:?}");
    assert_eq!(rems_enrollment::history(&s, pid).unwrap().len(), 1);

    // The enrollment date moved later: the earlier one stays on record.
    let second = rems_enrollment::save(
        &mut s,
        &input(pid, 1, "enrolled", &iso(days_ago(3))),
        today(),
    )
    .unwrap();
    let h = rems_enrollment::history(&s, pid).unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(
        h.iter()
            .map(|v| (v.version, v.status, v.enrolled_on))
            .collect::<Vec<_>>(),
        vec![
            (2, RemsStatus::Enrolled, Some(days_ago(3))),
            (1, RemsStatus::Enrolled, Some(days_ago(20))),
        ],
        "newest first, each date as saved"
    );
    assert!(h.iter().all(|v| v.recorded_by == s.user().id
        && v.recorded_by_name == "Dr Paz"
        && !v.recorded_at.is_empty()));
    // Every stored field as saved.
    let strip = |mut e: rems_enrollment::RemsEnrollment| {
        e.history.clear();
        e
    };
    assert_eq!(h[0].stored, strip(second.clone()));
    assert_eq!(h[1].stored, strip(first));
    assert_eq!(h[1].stored.first_name, GIVEN);
    assert_eq!(h[1].stored.rems_patient_id.as_deref(), Some("RP-<1>"));
    // The form and the save's answer carry the same history.
    assert_eq!(second.history, h);
    assert_eq!(rems_enrollment::get(&s, pid).unwrap().history, h);

    // Reading the history is audited as a view.
    let views = audit::query::list(
        &s,
        &AuditFilter {
            action: Some("rems_enrollment.view".into()),
            ..Default::default()
        },
        None,
        50,
    )
    .unwrap()
    .entries;
    assert!(views
        .iter()
        .any(|e| e.detail.as_deref() == Some("history, 2 versions")));
}

#[test]
fn the_history_refuses_sql_updates_and_deletes() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    ketachart_core::storage::migrations::migrate(&mut conn).unwrap();
    // The schema alone (no patient or user rows): only the triggers are under test.
    conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
    conn.execute(
        "INSERT INTO rems_enrollment_history (patient_id, version, status, enrolled_on, \
         first_name, last_name, birth_date, recorded_by, recorded_by_name, recorded_at) \
         VALUES (1, 1, 'enrolled', '2026-01-05', 'A', 'B', '1980-01-01', 1, 'Dr Paz', \
         '2026-01-05T10:00:00Z')",
        [],
    )
    .unwrap();
    let e = conn
        .execute(
            "UPDATE rems_enrollment_history SET enrolled_on = '2025-12-01'",
            [],
        )
        .unwrap_err();
    assert!(e.to_string().contains("cannot be changed"), "{e}");
    let e = conn
        .execute("DELETE FROM rems_enrollment_history", [])
        .unwrap_err();
    assert!(e.to_string().contains("cannot be deleted"), "{e}");
    let on: String = conn
        .query_row("SELECT enrolled_on FROM rems_enrollment_history", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(on, "2026-01-05");
}
