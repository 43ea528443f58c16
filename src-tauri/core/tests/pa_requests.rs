//! Prior-authorization requests on a real vault: creation checked on its fields (nothing stored
//! when refused), every status change and the refused ones, optimistic concurrency, provider
//! overrides and attestations, units used from signed sessions with their warnings, the
//! CMS-0057-F decision clock in the work queue, chart tasks, the fee schedule and the audit.

#[path = "support/consents.rs"]
#[allow(dead_code)]
mod consent_support;
#[path = "support/rems.rs"]
#[allow(dead_code)]
mod rems_support;

use chrono::{DateTime, Days, Duration, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};
use ketachart_core::audit::{self, AuditFilter};
use ketachart_core::billing::BillingLine;
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::date_input::DateParts;
use ketachart_core::pa::registry;
use ketachart_core::pa::request::{
    self, AttestationKind, CodeLine, Decision, RequestInput, RequestKind, RequestStatus,
    SubmissionMethod, Transition, WarningKind,
};
use ketachart_core::pa::Service;
use ketachart_core::patient::{self, PatientInput};
use ketachart_core::payer::{self, PayerInput, PayerType};
use ketachart_core::record::coverage::{Benefit, Coverage, Priority, Relationship};
use ketachart_core::record::{self, RecordBody};
use ketachart_core::treatment::session::{
    Concomitant, Discharge, SpravatoDose, TreatmentSession, VitalsRow,
};
use ketachart_core::treatment::{Course, CourseStatus, Indication, Modality};
use ketachart_core::user::manage::{self, NewUser};
use ketachart_core::user::Role;
use ketachart_core::vault::{KdfParams, VaultDir};
use ketachart_core::{CoreError, Session};

const PASS: &str = "copper kettle moonlit harbour";
const CIGNA: (&str, &str) = ("cigna-spravato-trd", "2025-01");
const TMS_RULES: (&str, &str) = ("state-medicaid-tms", "2026-01");

fn today() -> NaiveDate {
    Local::now().date_naive()
}

fn days_ago(n: u64) -> NaiveDate {
    today().checked_sub_days(Days::new(n)).unwrap()
}

fn days_ahead(n: u64) -> NaiveDate {
    today().checked_add_days(Days::new(n)).unwrap()
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Local wall-clock now, to the minute (what a `datetime-local` input sends).
fn local_now() -> NaiveDateTime {
    let n = Local::now().naive_local();
    NaiveDateTime::parse_from_str(&n.format("%Y-%m-%dT%H:%M").to_string(), "%Y-%m-%dT%H:%M")
        .unwrap()
}

fn at_text(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    Local
        .from_local_datetime(&t)
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

fn fields(e: CoreError) -> Vec<(String, String)> {
    match e {
        CoreError::Validation(v) => v.0.into_iter().map(|f| (f.field, f.message)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn message<'a>(e: &'a [(String, String)], field: &str) -> &'a str {
    e.iter()
        .find(|(f, _)| f == field)
        .map(|(_, m)| m.as_str())
        .unwrap_or("")
}

fn conflict(e: CoreError) -> String {
    match e {
        CoreError::Conflict(m) => m,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

struct Clinic {
    _tmp: tempfile::TempDir,
    dir: std::path::PathBuf,
    /// Dr Paz: admin and provider.
    doc: Session,
    pid: i64,
    other_pid: i64,
    nurse_id: i64,
}

impl Clinic {
    fn as_user(&self, username: &str) -> Session {
        VaultDir::new(&self.dir).unlock(username, PASS).unwrap()
    }
}

fn add_user(s: &mut Session, username: &str, display: &str, roles: Vec<Role>) -> i64 {
    manage::create(
        s,
        PASS,
        &NewUser {
            username: username.into(),
            display_name: display.into(),
            roles,
            passphrase: PASS.into(),
            passphrase_confirmation: PASS.into(),
        },
    )
    .unwrap()
    .id
}

fn add_patient(s: &mut Session, given: &str, family: &str) -> i64 {
    patient::create(
        s,
        &PatientInput {
            given_name: given.into(),
            family_name: family.into(),
            birth_date: DateParts::from_date(NaiveDate::from_ymd_opt(1980, 1, 1).unwrap()),
            ..Default::default()
        },
        today(),
    )
    .unwrap()
    .id
    .0
}

const TMS_FILE: &str = r#"{
  "format": "ketachart-pa-rules",
  "schemaVersion": 1,
  "published": "2026-01-01",
  "sources": { "T1": "State Medicaid TMS policy (test)" },
  "ruleSets": [
    {
      "id": "state-medicaid-tms",
      "version": "2026-01",
      "payer": "State Medicaid",
      "policy": "TMS for major depression",
      "service": "tms",
      "effectiveFrom": "2026-01-01",
      "sources": ["T1"],
      "verified": false,
      "coverage": "covered"
    }
  ]
}"#;

fn clinic() -> Clinic {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let mut doc = VaultDir::new(&dir)
        .create(
            &ClinicSetup {
                clinic_name: "Authorization Clinic".into(),
                admin_display_name: "Dr Paz".into(),
                admin_username: "doc".into(),
                passphrase: PASS.into(),
                passphrase_confirmation: PASS.into(),
            },
            KdfParams::FAST_FOR_TESTS,
        )
        .unwrap()
        .session;
    let me = doc.user().id;
    manage::set_roles(&mut doc, me, &[Role::Admin, Role::Provider]).unwrap();
    let nurse_id = add_user(&mut doc, "nurse", "The nurse", vec![Role::Nurse]);
    add_user(&mut doc, "bill", "Bea Biller", vec![Role::Billing]);
    let pid = add_patient(&mut doc, "Ana", "O'Brien");
    let other_pid = add_patient(&mut doc, "Ben", "Other");
    registry::import(&doc, "tms rules", TMS_FILE).unwrap();
    Clinic {
        _tmp: tmp,
        dir,
        doc,
        pid,
        other_pid,
        nurse_id,
    }
}

fn add_payer(s: &mut Session, name: &str, t: PayerType) -> i64 {
    payer::create(
        s,
        &PayerInput {
            name: name.into(),
            payer_type: Some(t),
            active: true,
            ..Default::default()
        },
    )
    .unwrap()
    .id
}

fn add_coverage(s: &mut Session, pid: i64, payer_id: i64) -> i64 {
    record::create(
        s,
        pid,
        &RecordBody::Coverage(Coverage {
            payer_id,
            plan_name: "Plan".into(),
            member_id: "M123456".into(),
            group_number: None,
            relationship: Some(Relationship::Self_),
            subscriber_name: None,
            benefit: Some(Benefit::Both),
            priority: Some(Priority::Primary),
            effective_from: iso(days_ago(90)),
            effective_to: None,
            pa_phone: None,
            pa_fax: None,
        }),
        today(),
    )
    .unwrap()
    .id
}

fn add_course(s: &mut Session, pid: i64, modality: Modality) -> i64 {
    let protocol = match modality {
        Modality::Spravato => "spravato_trd",
        Modality::Tms => "tms_standard",
        _ => "iv_ketamine_induction",
    };
    // The consents the first-session gate asks for, signed before any session here.
    consent_support::sign_required(s, pid, modality, days_ago(365), PASS);
    if modality == Modality::Spravato {
        // Spravato doses need the patient's REMS enrollment.
        rems_support::enroll(s, pid, days_ago(365));
    }
    record::create(
        s,
        pid,
        &RecordBody::Course(Course {
            modality: Some(modality),
            indication: Some(Indication::Trd),
            protocol_id: Some(protocol.into()),
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
    .id
}

fn input(pid: i64, service: Service, rules: (&str, &str), payer_id: i64) -> RequestInput {
    let code = if service.is_drug() { "G2082" } else { "90868" };
    RequestInput {
        patient_id: pid,
        kind: RequestKind::Initial,
        previous_id: None,
        service,
        rule_set_id: rules.0.into(),
        rule_set_version: rules.1.into(),
        payer_id: Some(payer_id),
        coverage_record_id: None,
        course_record_id: None,
        ordering_provider_id: None,
        expedited: false,
        requested_lines: vec![CodeLine::new(code, 36)],
        diagnosis_codes: vec!["F33.2".into()],
        requested_start: Some(iso(days_ago(20))),
        requested_end: Some(iso(days_ahead(60))),
        requested_sessions: Some("36".into()),
    }
}

fn decision(
    code: &str,
    units: u32,
    start: NaiveDate,
    end: NaiveDate,
    at: NaiveDateTime,
) -> Decision {
    Decision {
        auth_number: "AUTH-4471".into(),
        approved_lines: vec![CodeLine::new(code, units)],
        approved_start: iso(start),
        approved_end: iso(end),
        decided_at: at_text(at),
        note: None,
    }
}

/// Draft → ready → submitted now.
fn submit(s: &mut Session, id: i64) -> request::Request {
    let r = request::get(s, id).unwrap();
    let r = request::transition(
        s,
        id,
        r.version,
        &Transition::MarkReady { ready: true },
        local_now(),
    )
    .unwrap();
    request::transition(
        s,
        id,
        r.version,
        &Transition::Submit {
            method: Some(SubmissionMethod::Fax),
            submitted_at: at_text(local_now()),
            reference: None,
        },
        local_now(),
    )
    .unwrap()
}

/// A new request, submitted and approved (decided now).
fn approved(s: &mut Session, input: &RequestInput, mut d: Decision) -> request::Request {
    let r = request::create(s, input, today()).unwrap();
    let r = submit(s, r.id);
    d.decided_at = at_text(local_now());
    request::transition(s, r.id, r.version, &Transition::Approve(d), local_now()).unwrap()
}

/// `d` decided now (after any submission made so far).
fn decided_now(d: &Decision) -> Decision {
    Decision {
        decided_at: at_text(local_now()),
        ..d.clone()
    }
}

fn vitals(tp: &str, time: &str) -> VitalsRow {
    VitalsRow {
        timepoint: tp.into(),
        time: Some(time.into()),
        systolic: Some("128".into()),
        diastolic: Some("82".into()),
        heart_rate: Some("72".into()),
        spo2: Some("98".into()),
        respiratory_rate: Some("14".into()),
        moaas: Some("5".into()),
    }
}

/// A complete 56 mg Spravato session billed as G2082 × 1.
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
                psychostimulants: Some(false),
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
            vitals("pre", "08:50"),
            vitals("m40", "09:40"),
            vitals("discharge", "11:00"),
        ],
        hold_override: None,
        adverse_events: vec![],
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
        billing: vec![BillingLine::new("G2082", 1)],
        note: None,
    }
}

/// Charts a Spravato session and (if `sign`) signs it with the provider's passphrase.
fn session(s: &mut Session, pid: i64, course_id: i64, date: NaiveDate, sign: bool) {
    let r = record::create(
        s,
        pid,
        &RecordBody::Session(spravato_session(course_id, date)),
        today(),
    )
    .unwrap();
    if sign {
        record::sign(s, r.id, r.version, PASS).unwrap();
    }
}

fn audit_count(s: &Session, action: &str) -> usize {
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

#[test]
fn creation_is_checked_on_its_fields_and_nothing_is_stored_when_refused() {
    let mut c = clinic();
    let mut bill = c.as_user("bill");
    let medicaid = add_payer(&mut c.doc, "State Medicaid", PayerType::MedicaidManaged);
    let other_course = add_course(&mut c.doc, c.other_pid, Modality::Tms);
    let spravato_course = add_course(&mut c.doc, c.pid, Modality::Spravato);
    let other_coverage = add_coverage(&mut c.doc, c.other_pid, medicaid);

    let mut bad = input(c.pid, Service::Tms, TMS_RULES, medicaid);
    bad.requested_lines = vec![
        CodeLine::new("9086", 36),
        CodeLine {
            code: "J0013".into(),
            units: 1000,
            ndc: Some("50458-028-02".into()),
        },
    ];
    bad.diagnosis_codes = vec!["F33.2".into(), "Z99.99".into()];
    bad.requested_start = Some(iso(days_ahead(10)));
    bad.requested_end = Some(iso(days_ahead(9)));
    bad.requested_sessions = Some("501".into());
    bad.course_record_id = Some(other_course);
    bad.coverage_record_id = Some(other_coverage);
    bad.ordering_provider_id = Some(c.nurse_id);
    let e = fields(request::create(&mut bill, &bad, today()).unwrap_err());
    assert!(message(&e, "requestedLines.0.code").contains("CPT or HCPCS"));
    assert!(message(&e, "requestedLines.1.units").contains("1 to 999"));
    assert!(message(&e, "requestedLines.1.ndc").contains("5-4-2"));
    assert!(message(&e, "diagnosisCodes.1").contains("Z99.99"));
    assert!(!e.iter().any(|(f, _)| f == "diagnosisCodes.0"));
    assert!(message(&e, "requestedEnd").contains("same as or after"));
    assert!(message(&e, "requestedSessions").contains("between 1 and 500"));
    assert!(message(&e, "courseRecordId").contains("this patient's treatment courses"));
    assert!(message(&e, "coverageRecordId").contains("this patient's insurance"));
    assert!(message(&e, "orderingProviderId").contains("providers"));

    // A course of the wrong treatment, an unknown rule set, a rule set for another service.
    let mut wrong = input(c.pid, Service::Tms, ("no-such-rules", "1"), medicaid);
    wrong.course_record_id = Some(spravato_course);
    let e = fields(request::create(&mut bill, &wrong, today()).unwrap_err());
    assert!(message(&e, "ruleSetId").contains("no rule set \"no-such-rules\""));
    assert!(message(&e, "courseRecordId").contains("Spravato"));
    let e = fields(
        request::create(
            &mut bill,
            &input(c.pid, Service::Tms, CIGNA, medicaid),
            today(),
        )
        .unwrap_err(),
    );
    assert!(message(&e, "ruleSetId").contains("is for Spravato"));

    // No payer; unknown patient; a re-authorization of nothing.
    let mut none = input(c.pid, Service::Tms, TMS_RULES, medicaid);
    none.payer_id = None;
    none.kind = RequestKind::Reauthorization;
    let e = fields(request::create(&mut bill, &none, today()).unwrap_err());
    assert!(message(&e, "payerId").contains("Select the payer"));
    assert!(message(&e, "previousId").contains("approved request"));
    let e = fields(
        request::create(
            &mut bill,
            &input(9999, Service::Tms, TMS_RULES, medicaid),
            today(),
        )
        .unwrap_err(),
    );
    assert!(message(&e, "patientId").contains("patient"));

    assert!(request::list_for_patient(&bill, c.pid).unwrap().is_empty());
    assert!(request::work_queue(&bill, Utc::now())
        .unwrap()
        .items
        .is_empty());
    assert_eq!(audit_count(&c.doc, "pa_request.create"), 0);

    // A good one: a draft with its creation in the history, codes normalised.
    let mut good = input(c.pid, Service::Tms, TMS_RULES, medicaid);
    good.requested_lines = vec![
        CodeLine::new(" 90868 ", 36),
        CodeLine {
            code: "j0013".into(),
            units: 2,
            ndc: Some("50458002802".into()),
        },
    ];
    good.diagnosis_codes = vec![" f33.2 ".into()];
    good.ordering_provider_id = Some(c.doc.user().id);
    let r = request::create(&mut bill, &good, today()).unwrap();
    assert_eq!(r.status, RequestStatus::Draft);
    assert_eq!(r.version, 1);
    assert_eq!(r.payer_name, "State Medicaid");
    assert_eq!(r.payer_type, PayerType::MedicaidManaged);
    assert_eq!(r.requested_lines[0], CodeLine::new("90868", 36));
    assert_eq!(r.requested_lines[1].ndc.as_deref(), Some("50458-0028-02"));
    assert_eq!(r.diagnosis_codes, ["F33.2"]);
    assert_eq!(r.requested_sessions, Some(36));
    assert_eq!(r.ordering_provider_name.as_deref(), Some("Dr Paz"));
    assert_eq!(r.created_by_name, "Bea Biller");
    assert_eq!(r.events.len(), 1);
    assert_eq!(
        (r.events[0].from, r.events[0].to),
        (None, RequestStatus::Draft)
    );

    // Nurses do not work on authorizations.
    let mut nurse = c.as_user("nurse");
    assert!(matches!(
        request::create(&mut nurse, &good, today()),
        Err(CoreError::Forbidden(_))
    ));
    assert!(matches!(
        request::get(&nurse, r.id),
        Err(CoreError::Forbidden(_))
    ));
}

#[test]
fn every_allowed_status_change_and_the_refused_ones() {
    let mut c = clinic();
    let mut bill = c.as_user("bill");
    let medicaid = add_payer(&mut c.doc, "State Medicaid", PayerType::MedicaidManaged);
    let r = request::create(
        &mut bill,
        &input(c.pid, Service::Tms, TMS_RULES, medicaid),
        today(),
    )
    .unwrap();
    let now = local_now();
    let d = decision("90868", 30, days_ago(1), days_ahead(60), now);

    // Approving a draft is refused, naming the status and what is possible.
    let m = conflict(
        request::transition(
            &mut bill,
            r.id,
            r.version,
            &Transition::Approve(d.clone()),
            now,
        )
        .unwrap_err(),
    );
    assert_eq!(
        m,
        "This request is draft, so it cannot be approved; it can only be marked ready"
    );
    // Ready with gaps and no override is refused on the status field.
    let e = fields(
        request::transition(
            &mut bill,
            r.id,
            r.version,
            &Transition::MarkReady { ready: false },
            now,
        )
        .unwrap_err(),
    );
    assert_eq!(
        message(&e, "status"),
        "The evaluation still has gaps: fix them or record a provider's override reason"
    );
    let r = request::transition(
        &mut bill,
        r.id,
        r.version,
        &Transition::MarkReady { ready: true },
        now,
    )
    .unwrap();
    assert_eq!(r.status, RequestStatus::Ready);
    let r = request::transition(
        &mut bill,
        r.id,
        r.version,
        &Transition::Reopen { note: None },
        now,
    )
    .unwrap();
    assert_eq!(r.status, RequestStatus::Draft);
    let r = request::transition(
        &mut bill,
        r.id,
        r.version,
        &Transition::MarkReady { ready: true },
        now,
    )
    .unwrap();

    // Submission: not in the future, a method, a short reference.
    let future = now + Duration::minutes(5);
    let e = fields(
        request::transition(
            &mut bill,
            r.id,
            r.version,
            &Transition::Submit {
                method: None,
                submitted_at: at_text(future),
                reference: Some("x".repeat(101)),
            },
            now,
        )
        .unwrap_err(),
    );
    assert!(message(&e, "submittedAt").contains("future"));
    assert!(message(&e, "method").contains("how the request was sent"));
    assert!(message(&e, "reference").contains("100 characters"));
    let e = fields(
        request::transition(
            &mut bill,
            r.id,
            r.version,
            &Transition::Submit {
                method: Some(SubmissionMethod::Portal),
                submitted_at: at_text(now - Duration::days(2)),
                reference: None,
            },
            now,
        )
        .unwrap_err(),
    );
    assert!(message(&e, "submittedAt").contains("before it was created"));
    let submitted_at = now;
    let r = request::transition(
        &mut bill,
        r.id,
        r.version,
        &Transition::Submit {
            method: Some(SubmissionMethod::Portal),
            submitted_at: at_text(submitted_at),
            reference: Some("PRT-1182".into()),
        },
        now,
    )
    .unwrap();
    assert_eq!(r.status, RequestStatus::Submitted);
    assert_eq!(
        r.submitted_at.as_deref(),
        Some(at_text(submitted_at).as_str())
    );
    assert_eq!(r.submission_method, Some(SubmissionMethod::Portal));

    // Once submitted, the request and its letter no longer change.
    let m = conflict(
        request::update_draft(
            &mut bill,
            r.id,
            r.version,
            &input(c.pid, Service::Tms, TMS_RULES, medicaid),
            today(),
        )
        .unwrap_err(),
    );
    assert!(m.contains("record the payer's decision instead"), "{m}");
    assert!(matches!(
        request::set_letter(&mut bill, r.id, r.version, Some("Dear reviewer".into())),
        Err(CoreError::Conflict(_))
    ));
    assert!(matches!(
        request::set_appeal_letter(&mut bill, r.id, r.version, Some("Appeal".into())),
        Err(CoreError::Conflict(_))
    ));

    let r = request::transition(
        &mut bill,
        r.id,
        r.version,
        &Transition::MarkPending {
            note: Some("Payer asked for the PHQ-9 history".into()),
        },
        now,
    )
    .unwrap();
    assert_eq!(r.status, RequestStatus::Pending);

    // The decision: auth number, requested codes, dates in order, not before the submission.
    let mut no_auth = d.clone();
    no_auth.auth_number = " ".into();
    no_auth.approved_lines = vec![CodeLine::new("90867", 1)];
    no_auth.approved_start = iso(days_ahead(5));
    no_auth.approved_end = iso(days_ahead(4));
    let e = fields(
        request::transition(
            &mut bill,
            r.id,
            r.version,
            &Transition::Approve(no_auth),
            now,
        )
        .unwrap_err(),
    );
    assert!(message(&e, "authNumber").contains("authorization number"));
    assert!(message(&e, "approvedLines.0.code").contains("90867 was not requested"));
    assert!(message(&e, "approvedEnd").contains("same as or after"));
    let mut early = d.clone();
    early.decided_at = at_text(submitted_at - Duration::minutes(1));
    let e = fields(
        request::transition(&mut bill, r.id, r.version, &Transition::Approve(early), now)
            .unwrap_err(),
    );
    assert!(message(&e, "decidedAt").contains("before the request was submitted"));
    let mut empty = d.clone();
    empty.approved_lines = vec![];
    let e = fields(
        request::transition(&mut bill, r.id, r.version, &Transition::Approve(empty), now)
            .unwrap_err(),
    );
    assert!(message(&e, "approvedLines").contains("at least one"));
    assert_eq!(
        request::get(&bill, r.id).unwrap().status,
        RequestStatus::Pending
    );

    let r = request::transition(
        &mut bill,
        r.id,
        r.version,
        &Transition::Approve(d.clone()),
        now,
    )
    .unwrap();
    assert_eq!(r.status, RequestStatus::Approved);
    assert_eq!(r.auth_number.as_deref(), Some("AUTH-4471"));
    assert_eq!(r.approved_lines, [CodeLine::new("90868", 30)]);
    assert_eq!(r.approved_start, Some(days_ago(1)));
    assert_eq!(r.approved_end, Some(days_ahead(60)));
    // An approval is final.
    let m = conflict(
        request::transition(
            &mut bill,
            r.id,
            r.version,
            &Transition::Deny {
                denial_reason: "x".into(),
                decided_at: at_text(now),
                note: None,
            },
            now,
        )
        .unwrap_err(),
    );
    assert!(m.contains("approved") && m.contains("final"), "{m}");
    let path: Vec<(Option<RequestStatus>, RequestStatus)> =
        r.events.iter().map(|e| (e.from, e.to)).collect();
    use RequestStatus as S;
    assert_eq!(
        path,
        [
            (None, S::Draft),
            (Some(S::Draft), S::Ready),
            (Some(S::Ready), S::Draft),
            (Some(S::Draft), S::Ready),
            (Some(S::Ready), S::Submitted),
            (Some(S::Submitted), S::Pending),
            (Some(S::Pending), S::Approved),
        ]
    );
    assert_eq!(
        r.events[5].note.as_deref(),
        Some("Payer asked for the PHQ-9 history")
    );
    assert!(r.events.iter().all(|e| e.user_name == "Bea Biller"));

    // Submitted → denied → appealed → partially approved (which needs a note).
    let r2 = request::create(
        &mut bill,
        &input(c.pid, Service::Tms, TMS_RULES, medicaid),
        today(),
    )
    .unwrap();
    let r2 = submit(&mut bill, r2.id);
    let now = local_now();
    let e = fields(
        request::transition(
            &mut bill,
            r2.id,
            r2.version,
            &Transition::Deny {
                denial_reason: "  ".into(),
                decided_at: at_text(now),
                note: None,
            },
            now,
        )
        .unwrap_err(),
    );
    assert!(message(&e, "denialReason").contains("reason"));
    let r2 = request::transition(
        &mut bill,
        r2.id,
        r2.version,
        &Transition::Deny {
            denial_reason: "Fewer than 4 antidepressant trials documented".into(),
            decided_at: at_text(now),
            note: None,
        },
        now,
    )
    .unwrap();
    assert_eq!(r2.status, RequestStatus::Denied);
    let r2 = request::set_appeal_letter(
        &mut bill,
        r2.id,
        r2.version,
        Some("We appeal.\nSee trials.".into()),
    )
    .unwrap();
    assert_eq!(r2.appeal_letter.as_deref(), Some("We appeal.\nSee trials."));
    let e = fields(
        request::transition(
            &mut bill,
            r2.id,
            r2.version,
            &Transition::Appeal {
                appealed_at: at_text(now + Duration::hours(1)),
                note: None,
            },
            now,
        )
        .unwrap_err(),
    );
    assert!(message(&e, "appealedAt").contains("future"));
    let r2 = request::transition(
        &mut bill,
        r2.id,
        r2.version,
        &Transition::Appeal {
            appealed_at: at_text(now),
            note: Some("Peer-to-peer requested".into()),
        },
        now,
    )
    .unwrap();
    assert_eq!(r2.status, RequestStatus::Appealed);
    let e = fields(
        request::transition(
            &mut bill,
            r2.id,
            r2.version,
            &Transition::PartiallyApprove(decided_now(&d)),
            local_now(),
        )
        .unwrap_err(),
    );
    assert!(message(&e, "note").contains("what the payer cut"));
    let mut partial = decided_now(&d);
    partial.note = Some("20 of 36 sessions".into());
    let r2 = request::transition(
        &mut bill,
        r2.id,
        r2.version,
        &Transition::PartiallyApprove(partial),
        local_now(),
    )
    .unwrap();
    assert_eq!(r2.status, RequestStatus::PartiallyApproved);
    assert_eq!(
        r2.denial_reason.as_deref(),
        Some("Fewer than 4 antidepressant trials documented"),
        "the earlier denial stays on record"
    );

    // Submitted → approved directly.
    let r3 = request::create(
        &mut bill,
        &input(c.pid, Service::Tms, TMS_RULES, medicaid),
        today(),
    )
    .unwrap();
    let r3 = submit(&mut bill, r3.id);
    let r3 = request::transition(
        &mut bill,
        r3.id,
        r3.version,
        &Transition::Approve(decided_now(&d)),
        local_now(),
    )
    .unwrap();
    assert_eq!(r3.status, RequestStatus::Approved);

    // A re-authorization continues an approved request of the same patient and service.
    let mut re = input(c.pid, Service::Tms, TMS_RULES, medicaid);
    re.kind = RequestKind::Reauthorization;
    re.previous_id = Some(r3.id);
    let reauth = request::create(&mut bill, &re, today()).unwrap();
    assert_eq!(reauth.previous_id, Some(r3.id));
    let draft = request::create(
        &mut bill,
        &input(c.pid, Service::Tms, TMS_RULES, medicaid),
        today(),
    )
    .unwrap();
    re.previous_id = Some(draft.id);
    let e = fields(request::create(&mut bill, &re, today()).unwrap_err());
    assert!(message(&e, "previousId").contains("earlier approved request"));
    let mut other_service = input(c.pid, Service::SpravatoTrd, CIGNA, medicaid);
    other_service.kind = RequestKind::Reauthorization;
    other_service.previous_id = Some(r3.id);
    let e = fields(request::create(&mut bill, &other_service, today()).unwrap_err());
    assert!(message(&e, "previousId").contains("same patient and service"));

    // Audit: creations and status changes, by id and MRN only.
    assert_eq!(audit_count(&c.doc, "pa_request.create"), 5);
    assert!(audit_count(&c.doc, "pa_request.status") >= 14);
    let page = audit::query::list(
        &c.doc,
        &AuditFilter {
            action: Some("pa_request.status".into()),
            ..Default::default()
        },
        None,
        500,
    )
    .unwrap();
    for entry in &page.entries {
        let d = entry.detail.as_deref().unwrap_or("");
        assert!(
            !d.contains("O'Brien") && !d.contains("antidepressant"),
            "{d}"
        );
        assert_eq!(entry.patient_id, Some(c.pid));
        assert_eq!(entry.record_type.as_deref(), Some("pa_request"));
    }
    assert!(page
        .entries
        .iter()
        .any(|e| e.detail.as_deref() == Some("pending → approved")));
}

#[test]
fn edits_name_the_version_they_started_from() {
    let mut c = clinic();
    let mut bill = c.as_user("bill");
    let medicaid = add_payer(&mut c.doc, "State Medicaid", PayerType::MedicaidManaged);
    let mut form = input(c.pid, Service::Tms, TMS_RULES, medicaid);
    let r = request::create(&mut bill, &form, today()).unwrap();
    form.expedited = true;
    let edited = request::update_draft(&mut bill, r.id, r.version, &form, today()).unwrap();
    assert_eq!(edited.version, 2);
    assert!(edited.expedited);
    // Someone else's edit from version 1 is refused and changes nothing.
    form.expedited = false;
    form.requested_sessions = Some("12".into());
    let m =
        conflict(request::update_draft(&mut c.doc, r.id, r.version, &form, today()).unwrap_err());
    assert!(m.contains("changed by someone else"), "{m}");
    assert!(matches!(
        request::transition(
            &mut c.doc,
            r.id,
            r.version,
            &Transition::MarkReady { ready: true },
            local_now()
        ),
        Err(CoreError::Conflict(_))
    ));
    assert!(matches!(
        request::set_letter(&mut c.doc, r.id, r.version, Some("Letter".into())),
        Err(CoreError::Conflict(_))
    ));
    let now = request::get(&bill, r.id).unwrap();
    assert_eq!(now.version, 2);
    assert!(now.expedited);
    assert_eq!(now.requested_sessions, Some(36));
    assert_eq!(now.events.len(), 1);

    // The letter: kept as edited, blank means the generated one, at most 20,000 characters.
    let l = request::set_letter(
        &mut bill,
        r.id,
        2,
        Some(" To whom it may concern \n".into()),
    )
    .unwrap();
    assert_eq!(l.letter.as_deref(), Some("To whom it may concern"));
    assert_eq!(l.version, 3);
    let e = fields(request::set_letter(&mut bill, r.id, 3, Some("x".repeat(20_001))).unwrap_err());
    assert!(message(&e, "letter").contains("20000"));
    let l = request::set_letter(&mut bill, r.id, 3, Some("   ".into())).unwrap();
    assert_eq!(l.letter, None);
    // A draft's patient cannot change.
    let mut moved = form.clone();
    moved.patient_id = c.other_pid;
    let e = fields(request::update_draft(&mut bill, r.id, l.version, &moved, today()).unwrap_err());
    assert!(message(&e, "patientId").contains("stays with its patient"));
}

#[test]
fn gaps_need_a_providers_override_and_attestations_are_stamped() {
    let mut c = clinic();
    let mut bill = c.as_user("bill");
    let mut nurse = c.as_user("nurse");
    let cigna = add_payer(&mut c.doc, "Cigna", PayerType::Commercial);
    let r = request::create(
        &mut bill,
        &input(c.pid, Service::SpravatoTrd, CIGNA, cigna),
        today(),
    )
    .unwrap();
    let reason = "Patient in crisis; the payer's portal accepts the missing scale later";

    // Billing and nurses may not override or attest.
    for who in [&mut bill, &mut nurse] {
        assert!(matches!(
            request::set_override(who, r.id, r.version, reason),
            Err(CoreError::Forbidden(_))
        ));
        assert!(matches!(
            request::add_attestation(
                who,
                r.id,
                r.version,
                AttestationKind::PsychosisBenefitOutweighsRisk
            ),
            Err(CoreError::Forbidden(_))
        ));
    }
    let e = fields(request::set_override(&mut c.doc, r.id, r.version, " too short ").unwrap_err());
    assert!(message(&e, "overrideReason").contains("at least 10"));
    let e =
        fields(request::set_override(&mut c.doc, r.id, r.version, &"y".repeat(1001)).unwrap_err());
    assert!(message(&e, "overrideReason").contains("1000"));

    let r = request::set_override(&mut c.doc, r.id, r.version, reason).unwrap();
    let o = r.override_reason.clone().unwrap();
    assert_eq!(o.reason, reason);
    assert_eq!(o.by, c.doc.user().id);
    assert_eq!(o.by_name, "Dr Paz");
    assert!(!o.at.is_empty());
    // With the override, billing may mark it ready although the evaluation has gaps.
    let ready = request::transition(
        &mut bill,
        r.id,
        r.version,
        &Transition::MarkReady { ready: false },
        local_now(),
    )
    .unwrap();
    assert_eq!(ready.status, RequestStatus::Ready);

    // Attestations: the signed-in provider's id, name and time; one per kind.
    let a = request::add_attestation(
        &mut c.doc,
        r.id,
        ready.version,
        AttestationKind::PsychosisBenefitOutweighsRisk,
    )
    .unwrap();
    assert_eq!(a.attestations.len(), 1);
    assert_eq!(a.attestations[0].by_name, "Dr Paz");
    assert_eq!(a.attestations[0].by, c.doc.user().id);
    let a = request::add_attestation(
        &mut c.doc,
        r.id,
        a.version,
        AttestationKind::PsychosisBenefitOutweighsRisk,
    )
    .unwrap();
    assert_eq!(a.attestations.len(), 1, "replaced, not added");
    let a = request::add_attestation(
        &mut c.doc,
        r.id,
        a.version,
        AttestationKind::SubstanceUseInRemission,
    )
    .unwrap();
    assert_eq!(a.attestations.len(), 2);
    assert_eq!(audit_count(&c.doc, "pa_request.attest"), 3);
    assert_eq!(
        request::get(&bill, r.id).unwrap().attestations[1].kind,
        AttestationKind::SubstanceUseInRemission
    );
}

#[test]
fn units_are_counted_from_signed_sessions_in_the_window() {
    let mut c = clinic();
    let mut bill = c.as_user("bill");
    let medicare = add_payer(&mut c.doc, "Medicare Part B", PayerType::Medicare);
    add_coverage(&mut c.doc, c.pid, medicare);
    let course_a = add_course(&mut c.doc, c.pid, Modality::Spravato);
    let course_b = add_course(&mut c.doc, c.pid, Modality::Spravato);
    // A TMS course's sessions never count towards a Spravato approval.
    add_course(&mut c.doc, c.pid, Modality::Tms);
    // Course A: 7 signed sessions in the window, 1 unsigned in it, 1 signed before it.
    for n in [2, 4, 6, 8, 10, 12, 14] {
        session(&mut c.doc, c.pid, course_a, days_ago(n), true);
    }
    session(&mut c.doc, c.pid, course_a, days_ago(1), false);
    session(&mut c.doc, c.pid, course_a, days_ago(25), true);
    // Course B: 1 signed session in the window.
    session(&mut c.doc, c.pid, course_b, days_ago(3), true);

    let mut form = input(c.pid, Service::SpravatoTrd, CIGNA, medicare);
    form.requested_lines = vec![CodeLine::new("G2082", 8)];
    form.course_record_id = Some(course_a);
    let now = local_now();
    let r = approved(
        &mut bill,
        &form,
        decision("G2082", 8, days_ago(20), days_ahead(30), now),
    );
    let u = request::usage(&bill, r.id, today()).unwrap();
    assert_eq!(u.units.len(), 1);
    assert_eq!(u.units[0].code, "G2082");
    assert_eq!(u.units[0].approved, 8);
    assert_eq!(u.units[0].used, 7);
    assert_eq!(u.units[0].remaining, 1);
    assert_eq!(u.warnings.len(), 1, "{:?}", u.warnings);
    assert_eq!(u.warnings[0].message, "1 unit of G2082 left");
    assert_eq!(u.warnings[0].kind, WarningKind::UnitsLow);

    // Without a course named, every course delivering the service counts (A and B), but not TMS.
    form.course_record_id = None;
    let all = approved(
        &mut bill,
        &form,
        decision("G2082", 8, days_ago(20), days_ahead(30), now),
    );
    let u = request::usage(&bill, all.id, today()).unwrap();
    assert_eq!(u.units[0].used, 8);
    assert_eq!(u.warnings[0].message, "No units of G2082 left");
    // Signing the unsigned session uses one more: 9 of 8.
    let unsigned = record::list(&c.doc, c.pid, Some(record::RecordKind::Session))
        .unwrap()
        .into_iter()
        .find(|r| r.signature.is_none())
        .unwrap();
    record::sign(&mut c.doc, unsigned.id, unsigned.version, PASS).unwrap();
    let u = request::usage(&bill, all.id, today()).unwrap();
    assert_eq!(u.units[0].used, 9);
    assert_eq!(u.units[0].remaining, -1);
    assert_eq!(u.warnings[0].kind, WarningKind::OverUsed);
    let u = request::usage(&bill, r.id, today()).unwrap();
    assert_eq!((u.units[0].used, u.units[0].remaining), (8, 0));

    // End date warnings at exactly 14 days, not at 15.
    form.requested_lines = vec![CodeLine::new("G2082", 40)];
    let ends_14 = approved(
        &mut bill,
        &form,
        decision("G2082", 40, days_ago(20), days_ahead(14), now),
    );
    let ends_15 = approved(
        &mut bill,
        &form,
        decision("G2082", 40, days_ago(20), days_ahead(15), now),
    );
    let w = request::usage(&bill, ends_14.id, today()).unwrap().warnings;
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(
        w[0].message,
        format!(
            "Authorization ends in 14 days ({})",
            days_ahead(14).format("%d-%b-%Y")
        )
    );
    assert!(request::usage(&bill, ends_15.id, today())
        .unwrap()
        .warnings
        .is_empty());

    // The queue lists what expires and what needs a re-authorization.
    let q = request::work_queue(&bill, Utc::now()).unwrap();
    let expiring: Vec<i64> = q.expiring.iter().map(|i| i.request_id).collect();
    assert_eq!(expiring, [ends_14.id]);
    let due: Vec<i64> = q
        .reauthorizations_due
        .iter()
        .map(|i| i.request_id)
        .collect();
    for id in [r.id, all.id, ends_14.id, ends_15.id] {
        assert!(due.contains(&id), "{id} in {due:?}");
    }
    // Starting the re-authorization takes it off that list.
    let mut re = form.clone();
    re.kind = RequestKind::Reauthorization;
    re.previous_id = Some(ends_14.id);
    request::create(&mut bill, &re, today()).unwrap();
    let q = request::work_queue(&bill, Utc::now()).unwrap();
    assert!(!q
        .reauthorizations_due
        .iter()
        .any(|i| i.request_id == ends_14.id));
    let item = q.items.iter().find(|i| i.request_id == ends_14.id).unwrap();
    assert!(item.reauthorization_started);
    assert_eq!(item.patient_name, "O'BRIEN, Ana");
    assert!(!item.mrn.is_empty());
    assert!(
        item.clock.is_none(),
        "Spravato under traditional Medicare: no clock"
    );
}

#[test]
fn the_cms_decision_clock_applies_where_the_rule_binds() {
    let mut c = clinic();
    let mut bill = c.as_user("bill");
    let medicaid = add_payer(&mut c.doc, "State Medicaid MCO", PayerType::MedicaidManaged);
    let commercial = add_payer(&mut c.doc, "Acme Health", PayerType::Commercial);
    let exchange = add_payer(&mut c.doc, "Exchange Silver", PayerType::Exchange);

    let standard = request::create(
        &mut bill,
        &input(c.pid, Service::Tms, TMS_RULES, medicaid),
        today(),
    )
    .unwrap();
    let mut urgent_form = input(c.pid, Service::Tms, TMS_RULES, medicaid);
    urgent_form.expedited = true;
    let urgent = request::create(&mut bill, &urgent_form, today()).unwrap();
    let acme = request::create(
        &mut bill,
        &input(c.pid, Service::Tms, TMS_RULES, commercial),
        today(),
    )
    .unwrap();
    let spravato = request::create(
        &mut bill,
        &input(c.pid, Service::SpravatoTrd, CIGNA, medicaid),
        today(),
    )
    .unwrap();
    let qhp = request::create(
        &mut bill,
        &input(c.pid, Service::Tms, TMS_RULES, exchange),
        today(),
    )
    .unwrap();
    let draft = request::create(
        &mut bill,
        &input(c.pid, Service::Tms, TMS_RULES, medicaid),
        today(),
    )
    .unwrap();
    let mut submitted_at = None;
    for id in [standard.id, urgent.id, acme.id, spravato.id, qhp.id] {
        let r = submit(&mut bill, id);
        submitted_at.get_or_insert(r.submitted_at.clone().unwrap());
    }
    // Every submission was typed to the minute; take each one's own time.
    let sub = |id: i64| {
        let r = request::get(&bill, id).unwrap();
        utc(
            NaiveDateTime::parse_from_str(r.submitted_at.as_deref().unwrap(), "%Y-%m-%dT%H:%M")
                .unwrap(),
        )
    };
    let clock_of = |q: &request::Queue, id: i64| {
        q.items
            .iter()
            .find(|i| i.request_id == id)
            .unwrap()
            .clock
            .clone()
    };

    // Within 72 hours: both clocks run, nothing overdue.
    let q = request::work_queue(&bill, sub(urgent.id) + Duration::hours(71)).unwrap();
    let s = clock_of(&q, standard.id).expect("Medicaid managed care + TMS has a clock");
    assert_eq!(s.due, sub(standard.id) + Duration::days(7));
    assert_eq!(s.hours, 168);
    assert!(!s.expedited && !s.overdue);
    let u = clock_of(&q, urgent.id).unwrap();
    assert_eq!(u.due, sub(urgent.id) + Duration::hours(72));
    assert!(u.expedited && !u.overdue);
    for (id, why) in [
        (acme.id, "commercial"),
        (spravato.id, "a drug"),
        (qhp.id, "an exchange plan"),
        (draft.id, "not submitted"),
    ] {
        assert!(clock_of(&q, id).is_none(), "{why}: no clock");
    }
    // Clocked requests come first, soonest due first.
    assert_eq!(q.items[0].request_id, urgent.id);
    assert_eq!(q.items[1].request_id, standard.id);

    // After 72 hours the expedited one is overdue and leads the queue.
    let q = request::work_queue(
        &bill,
        sub(urgent.id) + Duration::hours(72) + Duration::minutes(1),
    )
    .unwrap();
    assert!(clock_of(&q, urgent.id).unwrap().overdue);
    assert!(!clock_of(&q, standard.id).unwrap().overdue);
    assert_eq!(q.items[0].request_id, urgent.id);
    assert_eq!(q.items[0].patient_name, "O'BRIEN, Ana");
    assert_eq!(q.items[0].payer_type, PayerType::MedicaidManaged);
    // After 7 days the standard one is overdue too; a decision stops the clock.
    let later = sub(standard.id) + Duration::days(7) + Duration::minutes(1);
    let q = request::work_queue(&bill, later).unwrap();
    assert!(clock_of(&q, standard.id).unwrap().overdue);
    assert!(q.items[..2]
        .iter()
        .all(|i| i.clock.as_ref().is_some_and(|c| c.overdue)));
    let r = request::get(&bill, standard.id).unwrap();
    let now = local_now();
    request::transition(
        &mut bill,
        r.id,
        r.version,
        &Transition::Approve(decision("90868", 36, today(), days_ahead(90), now)),
        now,
    )
    .unwrap();
    let q = request::work_queue(&bill, later).unwrap();
    assert!(clock_of(&q, standard.id).is_none());
    assert!(q.items.iter().all(|i| i.age_days >= 7));
    // (A submission before 1 Jan 2026 has no clock: the request's creation time is real, so
    // that boundary is tested on `decision_clock` itself in the library's unit tests.)
    let _ = submitted_at;
}

#[test]
fn chart_tasks_are_asked_by_billing_and_completed_by_clinicians() {
    let mut c = clinic();
    let mut bill = c.as_user("bill");
    let mut nurse = c.as_user("nurse");
    let medicaid = add_payer(&mut c.doc, "State Medicaid", PayerType::MedicaidManaged);
    let r = request::create(
        &mut bill,
        &input(c.pid, Service::Tms, TMS_RULES, medicaid),
        today(),
    )
    .unwrap();
    let other = request::create(
        &mut bill,
        &input(c.other_pid, Service::Tms, TMS_RULES, medicaid),
        today(),
    )
    .unwrap();

    let e = fields(request::create_task(&mut bill, c.pid, None, None, "   ").unwrap_err());
    assert!(message(&e, "text").contains("Say what needs to be recorded"));
    let e = fields(
        request::create_task(&mut bill, c.pid, Some(other.id), None, "Record the PHQ-9")
            .unwrap_err(),
    );
    assert!(message(&e, "requestId").contains("this patient's requests"));
    let e =
        fields(request::create_task(&mut bill, c.pid, None, None, &"x".repeat(1001)).unwrap_err());
    assert!(message(&e, "text").contains("1000"));
    assert!(matches!(
        request::create_task(&mut nurse, c.pid, None, None, "Record the PHQ-9"),
        Err(CoreError::Forbidden(_))
    ));

    let t = request::create_task(
        &mut bill,
        c.pid,
        Some(r.id),
        Some("baselineScore".into()),
        "  Please record a baseline PHQ-9 before the request goes out  ",
    )
    .unwrap();
    assert_eq!(
        t.text,
        "Please record a baseline PHQ-9 before the request goes out"
    );
    assert_eq!(t.created_by_name, "Bea Biller");
    assert_eq!(t.request_id, Some(r.id));
    assert_eq!(t.criterion.as_deref(), Some("baselineScore"));
    assert!(!t.is_done());

    // Billing may read tasks but not complete them; a nurse may.
    assert_eq!(request::list_tasks(&bill, c.pid, false).unwrap().len(), 1);
    assert!(matches!(
        request::complete_task(&mut bill, t.id, None),
        Err(CoreError::Forbidden(_))
    ));
    let done =
        request::complete_task(&mut nurse, t.id, Some("PHQ-9 of 21 recorded".into())).unwrap();
    assert!(done.is_done());
    assert_eq!(done.done_by_name.as_deref(), Some("The nurse"));
    assert_eq!(done.done_note.as_deref(), Some("PHQ-9 of 21 recorded"));
    let m = conflict(request::complete_task(&mut c.doc, t.id, None).unwrap_err());
    assert!(m.contains("already completed by The nurse"), "{m}");
    assert!(request::list_tasks(&nurse, c.pid, false)
        .unwrap()
        .is_empty());
    assert_eq!(request::list_tasks(&nurse, c.pid, true).unwrap().len(), 1);
    assert!(request::list_tasks(&nurse, c.other_pid, true)
        .unwrap()
        .is_empty());

    assert_eq!(audit_count(&c.doc, "chart_task.create"), 1);
    assert_eq!(audit_count(&c.doc, "chart_task.done"), 1);
}

#[test]
fn the_fee_schedule_is_kept_in_cents() {
    let mut c = clinic();
    let mut bill = c.as_user("bill");
    let mut nurse = c.as_user("nurse");

    let f = request::set_fee(&mut bill, "90868", "TMS treatment session", "350").unwrap();
    assert_eq!(f.fee_cents, 35_000);
    assert_eq!(f.amount(), "350.00");
    let f = request::set_fee(&mut bill, "90868", "TMS treatment session", "350.5").unwrap();
    assert_eq!(f.fee_cents, 35_050);
    request::set_fee(
        &mut c.doc,
        "g2082",
        "Spravato session up to 56 mg",
        "$890.00",
    )
    .unwrap();

    let e = fields(request::set_fee(&mut bill, "90868", "TMS", "350.505").unwrap_err());
    assert!(message(&e, "fee").contains("2 decimals"));
    let e = fields(request::set_fee(&mut bill, "90868", "TMS", "-1").unwrap_err());
    assert!(message(&e, "fee").contains("negative"));
    let e = fields(request::set_fee(&mut bill, "9086", "", "1000000.01").unwrap_err());
    assert!(message(&e, "code").contains("CPT or HCPCS"));
    assert!(message(&e, "description").contains("description"));
    assert!(message(&e, "fee").contains("at most"));
    assert!(matches!(
        request::set_fee(&mut nurse, "90868", "TMS", "1"),
        Err(CoreError::Forbidden(_))
    ));

    let list = request::list_fees(&c.doc).unwrap();
    let codes: Vec<(&str, i64)> = list
        .iter()
        .map(|f| (f.code.as_str(), f.fee_cents))
        .collect();
    assert_eq!(codes, [("90868", 35_050), ("G2082", 89_000)]);
    assert!(matches!(
        request::list_fees(&nurse),
        Err(CoreError::Forbidden(_))
    ));
    request::remove_fee(&mut bill, "g2082").unwrap();
    assert!(matches!(
        request::remove_fee(&mut bill, "G2082"),
        Err(CoreError::NotFound { .. })
    ));
    assert_eq!(request::list_fees(&bill).unwrap().len(), 1);
    assert_eq!(audit_count(&c.doc, "fee_schedule.update"), 4);
}

#[test]
fn a_course_counts_the_sessions_its_approval_authorizes() {
    let mut c = clinic();
    let mut bill = c.as_user("bill");
    let medicare = add_payer(&mut c.doc, "Medicare Part B", PayerType::Medicare);
    add_coverage(&mut c.doc, c.pid, medicare);
    let course_a = add_course(&mut c.doc, c.pid, Modality::Spravato);
    let course_b = add_course(&mut c.doc, c.pid, Modality::Spravato);
    let tms = add_course(&mut c.doc, c.pid, Modality::Tms);
    let authorized = |s: &Session, id: i64| {
        ketachart_core::treatment::view::courses(s, c.pid)
            .unwrap()
            .into_iter()
            .find(|o| o.record.id == id)
            .map(|o| (o.authorized, o.authorization.map(|a| a.request_id)))
            .unwrap()
    };
    assert_eq!(authorized(&c.doc, course_a), (None, None));

    // Sessions are the per-session codes (G2082, G2083); the drug's mg units (J0013) are not.
    let mut form = input(c.pid, Service::SpravatoTrd, CIGNA, medicare);
    form.requested_lines = vec![
        CodeLine::new("G2082", 8),
        CodeLine::new("G2083", 2),
        CodeLine::new("J0013", 448),
    ];
    form.course_record_id = Some(course_a);
    let mut d = decision("G2082", 6, days_ago(20), days_ahead(30), local_now());
    d.approved_lines.push(CodeLine::new("G2083", 2));
    d.approved_lines.push(CodeLine::new("J0013", 448));
    let r = approved(&mut bill, &form, d);
    assert_eq!(authorized(&c.doc, course_a), (Some(8), Some(r.id)));
    // The request names course A: course B and the TMS course are not authorized by it.
    assert_eq!(authorized(&c.doc, course_b), (None, None));
    assert_eq!(authorized(&c.doc, tms), (None, None));

    // The session's counter uses the same number.
    session(&mut c.doc, c.pid, course_a, days_ago(2), false);
    let rec = record::list(&c.doc, c.pid, Some(record::RecordKind::Session))
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    let facts = ketachart_core::treatment::view::facts(&c.doc, rec.id).unwrap();
    assert_eq!(facts.authorized_units, Some(8));

    // An approval that has ended authorizes nothing today (not even the units typed on the
    // course).
    form.course_record_id = Some(course_b);
    form.requested_lines = vec![CodeLine::new("G2082", 8)];
    approved(
        &mut bill,
        &form,
        decision("G2082", 5, days_ago(90), days_ago(31), local_now()),
    );
    assert_eq!(authorized(&c.doc, course_b), (None, None));

    // A re-authorization: the two sessions given before it starts come before the 4 it
    // authorizes, so the course may go up to session 6.
    session(&mut c.doc, c.pid, course_b, days_ago(28), true);
    session(&mut c.doc, c.pid, course_b, days_ago(26), true);
    let re = approved(
        &mut bill,
        &form,
        decision("G2082", 4, days_ago(20), days_ahead(30), local_now()),
    );
    assert_eq!(authorized(&c.doc, course_b), (Some(6), Some(re.id)));
    let overview = ketachart_core::treatment::view::courses(&c.doc, c.pid)
        .unwrap()
        .into_iter()
        .find(|o| o.record.id == course_b)
        .unwrap();
    let a = overview.authorization.unwrap();
    assert_eq!((a.sessions, a.used, a.before), (4, 0, 2));
}
