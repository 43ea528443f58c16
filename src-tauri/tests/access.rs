//! Every IPC command × every role, through Tauri's mock runtime and the real core: which
//! commands answer `Forbidden` to whom, and that every data command answers `Locked` when
//! nothing is unlocked. The command list is read from build.rs (the allow-list the app is
//! built with), so a new command without a row here fails this test.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use ketachart_app::state::AppState;
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::date_input::DateParts;
use ketachart_core::patient::{self, PatientInput};
use ketachart_core::user::manage::{self, NewUser};
use ketachart_core::user::Role;
use ketachart_core::vault::{KdfParams, VaultDir};
use serde_json::{json, Value};
use support::{app, call};

const PASS: &str = "copper kettle moonlit harbour";

/// Who may call a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Works without an unlocked vault (status, sign-in, first launch).
    Public,
    /// Any signed-in user.
    Everyone,
    /// Only users holding the admin role.
    Admin,
    /// Provider, nurse and billing (billing reads the clinical record for prior authorization).
    Clinical,
    /// Provider and nurse only: billing never edits clinical content.
    ClinicalEdit,
    /// Providers only (signing, dose floors).
    Provider,
    /// Admin and billing (the payer list).
    PayerList,
    /// Administrators, and the named user for their own (staff profiles).
    AdminOrSelf(&'static str),
    /// Providers and billing (prior authorization work).
    Authorizations,
    /// Admin and billing (payer rule sets, fee schedule).
    PayerRules,
    /// Whoever works on authorizations or keeps the rules (reading the rule sets).
    RulesOrAuth,
}

fn allowed(access: Access, username: &str) -> bool {
    match access {
        Access::Public | Access::Everyone => true,
        Access::Admin => username == "admin",
        Access::Clinical => matches!(username, "provider" | "nurse" | "billing"),
        Access::ClinicalEdit => matches!(username, "provider" | "nurse"),
        Access::Provider => username == "provider",
        Access::PayerList => matches!(username, "admin" | "billing"),
        Access::AdminOrSelf(who) => username == "admin" || username == who,
        Access::Authorizations => matches!(username, "provider" | "billing"),
        Access::PayerRules => matches!(username, "admin" | "billing"),
        Access::RulesOrAuth => matches!(username, "admin" | "provider" | "billing"),
    }
}

fn bad_trial() -> Value {
    json!({"drug": "", "role": "", "startDate": "", "stopDate": "", "ongoing": false, "doses": [],
        "adherencePercent": "", "adherent": null, "adherenceSource": "", "outcome": "",
        "adverseEffect": "", "reasonStopped": "", "currentEpisode": false, "sourceNote": "",
        "scoreInstrument": "", "preScore": "", "postScore": ""})
}

fn bad_episode() -> Value {
    json!({"kind": "episode", "onset": "", "end": null, "current": false, "course": null, "severity": null,
        "psychoticFeatures": null, "confirmedBy": null, "instrument": null, "confirmingClinician": "",
        "confirmedOn": null, "note": null})
}

fn bad_coverage() -> Value {
    json!({"kind": "coverage", "payerId": 0, "planName": "", "memberId": "", "groupNumber": null,
        "relationship": null, "subscriberName": null, "benefit": null, "priority": null,
        "effectiveFrom": "", "effectiveTo": null, "paPhone": null, "paFax": null})
}

/// The expected policy, written out independently of the core's table, with arguments that
/// are harmless to run (bogus ids, invalid forms, missing files).
fn matrix(patient_id: i64) -> Vec<(&'static str, Access, Value)> {
    use Access::*;
    let empty_filter =
        json!({"username": null, "patientId": null, "action": null, "from": null, "to": null});
    vec![
        ("app_status", Public, json!({})),
        (
            "passphrase_strength",
            Public,
            json!({"passphrase": "x", "context": []}),
        ),
        ("create_clinic", Public, json!({})),
        ("unlock", Public, json!({})),
        ("unlock_with_recovery_key", Public, json!({})),
        ("lock", Public, json!({})),
        ("audit_actions", Public, json!({})),
        ("export_folder", Public, json!({})),
        (
            "inspect_backup_file",
            Public,
            json!({"path": "/nonexistent/x.kcbackup"}),
        ),
        ("restore_new_vault", Public, json!({})),
        ("record_activity", Everyone, json!({})),
        (
            "change_own_password",
            Everyone,
            json!({"form": {"currentPassphrase": "wrong", "passphrase": "", "passphraseConfirmation": ""}}),
        ),
        ("list_patients", Everyone, json!({"offset": 0, "limit": 5})),
        (
            "search_patients",
            Everyone,
            json!({"query": "a", "limit": 5}),
        ),
        ("get_patient", Everyone, json!({"id": patient_id})),
        ("create_patient", Everyone, json!({"form": bad_patient()})),
        (
            "update_patient",
            Everyone,
            json!({"id": patient_id, "version": 1, "form": bad_patient()}),
        ),
        ("search_drugs", Public, json!({"query": "zol"})),
        ("list_trials", Clinical, json!({"patientId": patient_id})),
        ("list_consent_templates", Everyone, json!({})),
        (
            "save_consent_template",
            Admin,
            json!({"input": {"key": "", "title": "", "body": ""}}),
        ),
        ("consent_requirements", Everyone, json!({})),
        (
            "set_consent_requirements",
            Admin,
            json!({"items": [{"modality": "tms", "templateKeys": ["nope"]}]}),
        ),
        (
            "prepare_consent",
            Clinical,
            json!({"patientId": patient_id, "templateKey": "nope"}),
        ),
        (
            "sign_consent",
            Clinical,
            json!({"input": {"patientId": patient_id, "templateKey": "nope", "templateVersion": 1, "patientSignerName": "", "patientSignature": {"width": 400, "height": 150, "strokes": []}, "witnessSignature": {"width": 400, "height": 150, "strokes": []}, "password": ""}}),
        ),
        ("list_consents", Clinical, json!({"patientId": patient_id})),
        (
            "abn_need",
            Clinical,
            json!({"patientId": patient_id, "courseId": 9999}),
        ),
        (
            "sign_abn",
            Clinical,
            json!({"input": {"patientId": patient_id, "courseId": 9999, "service": "", "reason": "", "estimatedCost": "", "option": null, "additionalInfo": "", "patientSignerName": "", "patientSignature": {"width": 400, "height": 150, "strokes": []}, "password": ""}}),
        ),
        ("list_abns", Clinical, json!({"patientId": patient_id})),
        ("list_documents", Clinical, json!({"patientId": patient_id})),
        (
            "import_document",
            Clinical,
            json!({"input": {"patientId": patient_id, "path": "/nonexistent/x.pdf", "kind": "other", "title": "", "documentDate": "", "source": "", "links": []}}),
        ),
        (
            "update_document",
            Clinical,
            json!({"id": 9999, "meta": {"kind": "other", "title": "", "documentDate": "", "source": ""}}),
        ),
        (
            "set_document_links",
            Clinical,
            json!({"id": 9999, "links": []}),
        ),
        ("document_content", Clinical, json!({"id": 9999})),
        (
            "export_document",
            Clinical,
            json!({"id": 9999, "path": "relative.pdf"}),
        ),
        (
            "remove_document",
            Clinical,
            json!({"id": 9999, "reason": "x"}),
        ),
        (
            "create_trial",
            ClinicalEdit,
            json!({"patientId": patient_id, "form": bad_trial()}),
        ),
        (
            "update_trial",
            ClinicalEdit,
            json!({"id": 9999, "version": 1, "form": bad_trial()}),
        ),
        (
            "list_records",
            Everyone,
            json!({"patientId": patient_id, "kind": null}),
        ),
        (
            "list_records",
            Clinical,
            json!({"patientId": patient_id, "kind": "screening"}),
        ),
        (
            "list_records",
            Everyone,
            json!({"patientId": patient_id, "kind": "coverage"}),
        ),
        (
            "create_record",
            ClinicalEdit,
            json!({"patientId": patient_id, "content": bad_episode()}),
        ),
        (
            "create_record",
            Everyone,
            json!({"patientId": patient_id, "content": bad_coverage()}),
        ),
        (
            "update_record",
            ClinicalEdit,
            json!({"id": 9999, "version": 1, "content": bad_episode()}),
        ),
        (
            "sign_record",
            Provider,
            json!({"id": 9999, "version": 1, "passphrase": "x"}),
        ),
        (
            "add_addendum",
            Provider,
            json!({"id": 9999, "text": "x", "passphrase": "x"}),
        ),
        ("list_payers", Everyone, json!({})),
        (
            "create_payer",
            PayerList,
            json!({"form": {"name": "", "payerType": null, "paPhone": null, "paFax": null, "active": true}}),
        ),
        (
            "update_payer",
            PayerList,
            json!({"id": 9999, "version": 1, "form": {"name": "", "payerType": null, "paPhone": null, "paFax": null, "active": true}}),
        ),
        ("search_diagnoses", Public, json!({"query": "F33"})),
        ("screening_items", Public, json!({"modality": "tms"})),
        ("list_drug_floors", Clinical, json!({})),
        (
            "set_drug_floor",
            Provider,
            json!({"drugId": "nope", "minDaily": "", "reason": ""}),
        ),
        (
            "patient_timeline",
            Clinical,
            json!({"patientId": patient_id}),
        ),
        (
            "export_summary_pdf",
            Clinical,
            json!({"patientId": patient_id, "path": "relative.pdf"}),
        ),
        ("list_courses", Clinical, json!({"patientId": patient_id})),
        (
            "new_session_draft",
            Clinical,
            json!({"patientId": patient_id, "courseId": 9999}),
        ),
        (
            "evaluate_session",
            Clinical,
            json!({"patientId": patient_id, "id": null, "content": {"courseId": 9999, "date": "", "weight": null, "ketamine": null, "spravato": null, "tms": null, "vitals": [], "holdOverride": null, "adverseEvents": [], "discharge": {"criteria": [], "time": null, "escortName": null, "note": null}, "billing": [], "note": null}}),
        ),
        ("session_facts", Clinical, json!({"id": 9999})),
        ("treatment_options", Clinical, json!({})),
        ("rems_due", Clinical, json!({})),
        ("rems_submission", Clinical, json!({"id": 9999})),
        (
            "rems_enrollment",
            Clinical,
            json!({"patientId": patient_id}),
        ),
        (
            "save_rems_enrollment",
            Clinical,
            json!({"input": {"patientId": patient_id, "version": 0, "status": "bogus", "enrolledOn": "", "remsPatientId": "", "firstName": "", "middleInitial": "", "lastName": "", "birthDate": "", "sex": "", "addressLine1": "", "addressLine2": "", "city": "", "state": "", "zip": "", "phone": "", "email": "", "preferredContact": "", "prescriberUserId": null}}),
        ),
        (
            "export_rems_enrollment_pdf",
            Clinical,
            json!({"patientId": patient_id, "path": "relative.pdf"}),
        ),
        (
            "mark_rems_submitted",
            Clinical,
            json!({"id": 9999, "form": {"submittedOn": "", "method": null, "confirmation": null}}),
        ),
        (
            "export_rems_form",
            Clinical,
            json!({"id": 9999, "path": "relative.pdf"}),
        ),
        (
            "export_session_summary",
            Clinical,
            json!({"id": 9999, "path": "relative.pdf"}),
        ),
        ("get_treatment_settings", Clinical, json!({})),
        (
            "export_pa_packet",
            Authorizations,
            json!({"id": 9999, "path": "relative.pdf", "appendDocuments": true}),
        ),
        (
            "export_superbill",
            Authorizations,
            json!({"patientId": patient_id, "service": "iv_ketamine", "from": "2026-01-01", "to": "2026-12-31", "path": "relative.pdf"}),
        ),
        (
            "list_pa_requests",
            Authorizations,
            json!({"patientId": patient_id}),
        ),
        (
            "create_pa_request",
            Authorizations,
            json!({"form": {"patientId": patient_id, "kind": "initial", "previousId": null, "service": "tms", "ruleSetId": "x", "ruleSetVersion": "1", "payerId": null, "coverageRecordId": null, "courseRecordId": null, "orderingProviderId": null, "expedited": false, "requestedLines": [], "diagnosisCodes": [], "requestedStart": null, "requestedEnd": null, "requestedSessions": null}}),
        ),
        (
            "update_pa_request",
            Authorizations,
            json!({"id": 9999, "version": 1, "form": {"patientId": patient_id, "kind": "initial", "previousId": null, "service": "tms", "ruleSetId": "x", "ruleSetVersion": "1", "payerId": null, "coverageRecordId": null, "courseRecordId": null, "orderingProviderId": null, "expedited": false, "requestedLines": [], "diagnosisCodes": [], "requestedStart": null, "requestedEnd": null, "requestedSessions": null}}),
        ),
        ("evaluate_pa_request", Authorizations, json!({"id": 9999})),
        (
            "pa_request_transition",
            Authorizations,
            json!({"id": 9999, "version": 1, "change": {"action": "reopen", "note": null}}),
        ),
        (
            "attest_pa_request",
            Provider,
            json!({"id": 9999, "version": 1, "kind": "psychosis_benefit_outweighs_risk"}),
        ),
        (
            "override_pa_request",
            Provider,
            json!({"id": 9999, "version": 1, "reason": "x"}),
        ),
        ("pa_letter_draft", Authorizations, json!({"id": 9999})),
        (
            "set_pa_letter",
            Authorizations,
            json!({"id": 9999, "version": 1, "letter": null}),
        ),
        ("pa_queue", Authorizations, json!({})),
        (
            "list_chart_tasks",
            Clinical,
            json!({"patientId": patient_id, "includeDone": false}),
        ),
        (
            "create_chart_task",
            Authorizations,
            json!({"patientId": patient_id, "requestId": null, "criterion": null, "text": ""}),
        ),
        (
            "complete_chart_task",
            ClinicalEdit,
            json!({"id": 9999, "note": null}),
        ),
        ("list_fees", RulesOrAuth, json!({})),
        (
            "set_fee",
            PayerRules,
            json!({"code": "x", "description": "", "amount": ""}),
        ),
        ("remove_fee", PayerRules, json!({"code": "x"})),
        ("list_rule_sets", RulesOrAuth, json!({})),
        (
            "import_rule_file",
            PayerRules,
            json!({"name": "x.json", "content": "{"}),
        ),
        ("payer_rule_links", Everyone, json!({"payerId": 9999})),
        (
            "set_payer_rule_links",
            PayerRules,
            json!({"links": {"payerId": 9999, "ruleSetIds": []}}),
        ),
        (
            "pa_check",
            Authorizations,
            json!({"args": {"patientId": patient_id, "ruleSetId": "no-such", "ruleSetVersion": null, "service": "tms", "on": null, "orderingProviderId": null}}),
        ),
        (
            "pa_compare",
            Authorizations,
            json!({"checks": [{"patientId": patient_id, "ruleSetId": "no-such", "ruleSetVersion": null, "service": "tms", "on": null, "orderingProviderId": null}]}),
        ),
        (
            "update_treatment_settings",
            Provider,
            json!({"settings": bad_treatment_settings()}),
        ),
        ("list_instruments", Public, json!({})),
        (
            "record_score",
            ClinicalEdit,
            json!({"patientId": patient_id, "form": {"instrument": "phq9", "administeredAt": "", "mode": null,
                "rater": null, "timepoint": null, "answers": {}, "total": null}}),
        ),
        ("list_scores", Clinical, json!({"patientId": patient_id})),
        ("score_trends", Clinical, json!({"patientId": patient_id})),
        ("open_alerts", Clinical, json!({})),
        ("patient_alerts", Clinical, json!({"patientId": patient_id})),
        (
            "start_kiosk",
            ClinicalEdit,
            json!({"patientId": patient_id, "instruments": []}),
        ),
        ("kiosk_status", Public, json!({})),
        (
            "kiosk_submit",
            Public,
            json!({"instrument": "phq9", "answers": {}}),
        ),
        (
            "acknowledge_alert",
            Provider,
            json!({"id": 9999, "form": {"action": "referral", "note": null}, "passphrase": "x"}),
        ),
        ("list_users", Admin, json!({})),
        (
            "create_user",
            Admin,
            json!({"form": {"username": "", "displayName": "", "roles": [], "passphrase": "",
                "passphraseConfirmation": "", "adminPassphrase": ""}}),
        ),
        (
            "set_user_roles",
            Admin,
            json!({"userId": 9999, "roles": ["nurse"]}),
        ),
        ("disable_user", Admin, json!({"userId": 9999})),
        (
            "reset_user_password",
            Admin,
            json!({"form": {"userId": 9999, "passphrase": "", "passphraseConfirmation": "", "adminPassphrase": ""}}),
        ),
        (
            "replace_recovery_key",
            Admin,
            json!({"adminPassphrase": "wrong"}),
        ),
        (
            "list_audit",
            Admin,
            json!({"filter": empty_filter, "beforeSeq": null}),
        ),
        ("verify_audit", Admin, json!({})),
        (
            "export_audit_csv",
            Admin,
            json!({"filter": empty_filter, "path": "relative.csv"}),
        ),
        ("get_settings", Admin, json!({})),
        (
            "update_settings",
            Admin,
            json!({"form": {"idleLockMinutes": "0", "backupFolder": "", "backupDaily": false, "backupKeep": "1"}}),
        ),
        ("get_clinic_profile", Everyone, json!({})),
        (
            "update_clinic_profile",
            Admin,
            json!({"form": bad_clinic_profile()}),
        ),
        ("list_provider_profiles", Everyone, json!({})),
        ("get_my_profile", Everyone, json!({})),
        (
            "update_provider_profile",
            AdminOrSelf("nurse"),
            json!({"username": "nurse", "form": bad_provider_profile()}),
        ),
        (
            "update_provider_profile",
            AdminOrSelf("provider"),
            json!({"username": "provider", "form": bad_provider_profile()}),
        ),
        (
            "create_backup",
            Admin,
            json!({"folder": "/nonexistent", "onProgress": "__CHANNEL__:1"}),
        ),
        ("list_backups", Admin, json!({"folder": "/nonexistent"})),
        (
            "verify_backup",
            Admin,
            json!({"path": "/nonexistent/x.kcbackup"}),
        ),
        (
            "restore_backup",
            Admin,
            json!({"path": "/nonexistent/x.kcbackup"}),
        ),
    ]
}

/// Every part present, every value refused (no protocols, zero limits, empty timepoints).
fn bad_treatment_settings() -> Value {
    let hold = json!({"systolic": null, "diastolic": null, "heartRate": null, "sources": [], "verified": false});
    json!({
        "protocols": [],
        "doseLimits": {"warnAboveMgPerKg": 0.0, "stopAboveMgPerKg": 0.0, "sources": [], "verified": false},
        "weight": {"minKg": 0.0, "maxKg": 0.0, "questionChangePercent": 0.0, "sources": [], "verified": false},
        "timepoints": {"ivKetamine": [], "imKetamine": [], "spravato": [], "tms": [], "sources": [], "verified": false},
        "alertRanges": {"systolic": [0, 0], "diastolic": [0, 0], "heartRate": [0, 0], "spo2": [0, 0],
            "respiratoryRate": [0, 0], "moaas": [0, 0], "sources": [], "verified": false},
        "holdThresholds": {"spravato": hold, "ivKetamine": hold, "imKetamine": hold, "tms": hold}
    })
}

fn bad_clinic_profile() -> Value {
    json!({"name": "", "addressLine1": "", "addressLine2": "", "city": "", "state": "", "zip": "",
        "phone": "", "fax": "", "tin": "", "npi": "", "remsSettingId": ""})
}

fn bad_provider_profile() -> Value {
    json!({"givenName": "", "familyName": "", "credentials": "", "npi": "", "phone": "",
        "email": "", "prescriber": false})
}

fn bad_patient() -> Value {
    json!({
        "givenName": "", "familyName": "", "preferredName": null,
        "birthDate": {"day": "", "month": "", "year": ""},
        "sexAtBirth": null, "genderIdentity": null, "phone": null, "email": null,
        "address": {"line1": null, "line2": null, "city": null, "region": null, "postalCode": null},
        "emergencyContact": {"name": null, "relationship": null, "phone": null}
    })
}

fn commands_in_build_rs() -> BTreeSet<String> {
    let src = include_str!("../build.rs");
    let start = src.find("const COMMANDS").expect("COMMANDS in build.rs");
    let end = start + src[start..].find("];").expect("end of COMMANDS");
    src[start..end]
        .lines()
        .filter_map(|l| l.trim().strip_prefix('"'))
        .filter_map(|l| l.split('"').next())
        .map(String::from)
        .collect()
}

/// A vault with one user per role (fast key derivation) and one patient.
fn clinic(dir: &Path) -> i64 {
    let mut s = VaultDir::new(dir)
        .create(
            &ClinicSetup {
                clinic_name: "Matrix Clinic".into(),
                admin_display_name: "Ada Admin".into(),
                admin_username: "admin".into(),
                passphrase: PASS.into(),
                passphrase_confirmation: PASS.into(),
            },
            KdfParams::FAST_FOR_TESTS,
        )
        .unwrap()
        .session;
    for (name, role) in [
        ("provider", Role::Provider),
        ("nurse", Role::Nurse),
        ("billing", Role::Billing),
    ] {
        manage::create(
            &mut s,
            PASS,
            &NewUser {
                username: name.into(),
                display_name: format!("The {name}"),
                roles: vec![role],
                passphrase: PASS.into(),
                passphrase_confirmation: PASS.into(),
            },
        )
        .unwrap();
    }
    patient::create(
        &mut s,
        &PatientInput {
            given_name: "Matrix".into(),
            family_name: "Patient".into(),
            birth_date: DateParts::from_date(chrono::NaiveDate::from_ymd_opt(1980, 1, 1).unwrap()),
            ..Default::default()
        },
        chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    )
    .unwrap()
    .id
    .0
}

#[test]
fn the_matrix_covers_every_command() {
    let listed: BTreeSet<String> = matrix(1).iter().map(|(c, _, _)| c.to_string()).collect();
    assert_eq!(listed, commands_in_build_rs());
}

#[test]
fn every_command_for_every_role() {
    let tmp = tempfile::tempdir().unwrap();
    let patient_id = clinic(tmp.path());
    // One app, switching user between roles as staff do at a shared laptop.
    let (_app, w) = app(tmp.path());
    for username in ["admin", "provider", "nurse", "billing"] {
        call(&w, "lock", json!({})).unwrap();
        call(
            &w,
            "unlock",
            json!({"username": username, "passphrase": PASS}),
        )
        .unwrap_or_else(|e| panic!("{username} unlocks: {e}"));
        for (cmd, access, args) in matrix(patient_id) {
            if access == Access::Public {
                continue;
            }
            let result = call(&w, cmd, args);
            let code = result.as_ref().err().and_then(|e| e["code"].as_str());
            if allowed(access, username) {
                assert_ne!(
                    code,
                    Some("Forbidden"),
                    "{username} may call {cmd}: {result:?}"
                );
                assert_ne!(code, Some("Locked"), "{username} {cmd}: {result:?}");
                assert_ne!(code, Some("Internal"), "{username} {cmd}: {result:?}");
            } else {
                let err = result.expect_err(cmd);
                assert_eq!(
                    err["code"], "Forbidden",
                    "{username} must not call {cmd}: {err}"
                );
                assert!(
                    err["message"]
                        .as_str()
                        .unwrap()
                        .starts_with("Your role does not allow you to"),
                    "{err}"
                );
            }
        }
        // The session info the UI hides things with agrees with the matrix.
        let status = call(&w, "app_status", json!({})).unwrap();
        assert_eq!(
            status["session"]["permissions"]["manageUsers"],
            username == "admin"
        );
    }
}

#[test]
fn every_data_command_answers_locked_when_nothing_is_unlocked() {
    let tmp = tempfile::tempdir().unwrap();
    let patient_id = clinic(tmp.path());
    let (_app, w) = app(tmp.path());
    // Unlock, then lock: the state every command must handle after an idle lock.
    call(
        &w,
        "unlock",
        json!({"username": "admin", "passphrase": PASS}),
    )
    .unwrap();
    call(&w, "lock", json!({})).unwrap();
    for (cmd, access, args) in matrix(patient_id) {
        if access == Access::Public {
            continue;
        }
        let err = call(&w, cmd, args).expect_err(cmd);
        assert_eq!(
            err,
            json!({"code": "Locked", "message": "KetaChart is locked. Unlock it to continue"}),
            "{cmd}"
        );
    }
}

#[test]
fn the_idle_lock_closes_the_session_and_every_command_then_answers_locked() {
    use tauri::Manager;
    let tmp = tempfile::tempdir().unwrap();
    clinic(tmp.path());
    let mut state = AppState::new(tmp.path().to_path_buf());
    state.set_idle_cap(std::time::Duration::ZERO);
    let (app, w) = support::app_with(state);
    call(
        &w,
        "unlock",
        json!({"username": "nurse", "passphrase": PASS}),
    )
    .unwrap();
    assert!(
        app.state::<AppState>().lock_if_idle(),
        "idle beyond the limit"
    );
    assert!(!app.state::<AppState>().lock_if_idle(), "already locked");
    assert_eq!(
        call(&w, "record_activity", json!({})).unwrap_err()["code"],
        "Locked"
    );
    assert_eq!(
        call(&w, "app_status", json!({})).unwrap()["status"],
        "locked"
    );
    // The idle lock is in the audit log, attributed to the user whose session it ended.
    call(
        &w,
        "unlock",
        json!({"username": "admin", "passphrase": PASS}),
    )
    .unwrap();
    let page = call(
        &w,
        "list_audit",
        json!({"filter": {"username": "nurse", "patientId": null, "action": "lock.idle", "from": null, "to": null}, "beforeSeq": null}),
    )
    .unwrap();
    assert_eq!(page["entries"].as_array().unwrap().len(), 1);
}
