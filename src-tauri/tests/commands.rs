//! The IPC commands through Tauri's mock runtime: the JSON the UI really receives,
//! including the `{code, message, fields}` error shape and `Locked` after locking.

mod support;

use serde_json::{json, Value};
use support::{app, call};

const PASS: &str = "copper kettle moonlit harbour";

fn setup_form() -> Value {
    json!({"form": {
        "clinicName": "Harbour Clinic",
        "adminDisplayName": "Dr Harbour",
        "adminUsername": "harbour",
        "passphrase": PASS,
        "passphraseConfirmation": PASS
    }})
}

fn patient_form(given: &str, family: &str, month: &str) -> Value {
    json!({
        "givenName": given, "familyName": family, "preferredName": null,
        "birthDate": {"day": "27", "month": month, "year": "1975"},
        "sexAtBirth": null, "genderIdentity": null, "phone": null, "email": null,
        "address": {"line1": null, "line2": null, "city": null, "region": null, "postalCode": null},
        "emergencyContact": {"name": null, "relationship": null, "phone": null}
    })
}

#[test]
fn first_launch_lock_and_unlock_through_ipc() {
    let tmp = tempfile::tempdir().unwrap();
    let (_app, w) = app(tmp.path());

    let status = call(&w, "app_status", json!({})).unwrap();
    assert_eq!(status["status"], "setup");
    assert_eq!(status["demo"], Value::Null);

    // Before any vault is unlocked, data commands answer Locked, exactly in this shape.
    let err = call(&w, "list_patients", json!({"offset": 0, "limit": 10})).unwrap_err();
    assert_eq!(
        err,
        json!({"code": "Locked", "message": "KetaChart is locked. Unlock it to continue"})
    );

    let bad = json!({"form": {"clinicName": "", "adminDisplayName": "A", "adminUsername": "a b",
        "passphrase": "short", "passphraseConfirmation": "short"}});
    let err = call(&w, "create_clinic", bad).unwrap_err();
    assert_eq!(err["code"], "Validation");
    let fields: Vec<&str> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["clinicName", "adminUsername", "passphrase"]);

    let created = call(&w, "create_clinic", setup_form()).unwrap();
    let session = &created["session"];
    assert_eq!(session["clinicName"], "Harbour Clinic");
    assert_eq!(session["user"]["roles"], json!(["admin"]));
    assert_eq!(session["permissions"]["manageUsers"], true);
    assert_eq!(session["idleLockSeconds"], 600);
    let key = created["recoveryKey"].as_str().unwrap();
    assert_eq!(key.len(), 39, "8 groups of 4 with hyphens: {key}");
    assert_eq!(
        call(&w, "app_status", json!({})).unwrap()["status"],
        "unlocked"
    );

    let err = call(&w, "create_clinic", setup_form()).unwrap_err();
    assert_eq!(err["code"], "Conflict");

    call(&w, "lock", json!({})).unwrap();
    let status = call(&w, "app_status", json!({})).unwrap();
    assert_eq!(status["status"], "locked");
    assert_eq!(status["clinicName"], "Harbour Clinic");
    assert_eq!(
        status["demo"],
        Value::Null,
        "a real clinic never shows demo credentials"
    );
    assert_eq!(
        call(&w, "search_patients", json!({"query": "a", "limit": 5})).unwrap_err()["code"],
        "Locked"
    );

    let err = call(
        &w,
        "unlock",
        json!({"username": "harbour", "passphrase": "wrong wrong wrong"}),
    )
    .unwrap_err();
    assert_eq!(
        err,
        json!({"code": "Validation", "message": "The user name or passphrase is not correct",
               "fields": [{"field": "passphrase", "message": "The user name or passphrase is not correct"}]})
    );
    assert_eq!(
        call(&w, "app_status", json!({})).unwrap()["status"],
        "locked"
    );

    let s = call(
        &w,
        "unlock",
        json!({"username": "Harbour", "passphrase": PASS}),
    )
    .unwrap();
    assert_eq!(s["user"]["username"], "harbour");
}

#[test]
fn patients_through_ipc() {
    let tmp = tempfile::tempdir().unwrap();
    let (_app, w) = app(tmp.path());
    call(&w, "create_clinic", setup_form()).unwrap();

    let err = call(
        &w,
        "create_patient",
        json!({"form": patient_form("", "Ó'Brien", "13")}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "Validation");
    assert_eq!(
        err["fields"],
        json!([
            {"field": "givenName", "message": "Enter the patient's given name"},
            {"field": "birthDate.month", "message": "Date of birth must be a real date"}
        ])
    );

    let rec = call(
        &w,
        "create_patient",
        json!({"form": patient_form("Niamh", "Ó'Brien", "mar")}),
    )
    .unwrap();
    assert_eq!(rec["birthDate"], "1975-03-27");
    assert_eq!(rec["version"], 1);
    let id = rec["id"].clone();

    let found = call(
        &w,
        "search_patients",
        json!({"query": "o'bri", "limit": 10}),
    )
    .unwrap();
    assert_eq!(found["patients"][0]["id"], id);
    assert_eq!(found["patients"][0]["familyName"], "Ó'Brien");

    let edited = call(
        &w,
        "update_patient",
        json!({"id": id, "version": 1, "form": patient_form("Niamh", "O'Brien", "3")}),
    )
    .unwrap();
    assert_eq!(edited["version"], 2);
    let stale = call(
        &w,
        "update_patient",
        json!({"id": id, "version": 1, "form": patient_form("X", "Y", "3")}),
    )
    .unwrap_err();
    assert_eq!(stale["code"], "Conflict");

    let page = call(&w, "list_patients", json!({"offset": 0, "limit": 10})).unwrap();
    assert_eq!(page["total"], 1);
    assert_eq!(
        call(&w, "get_patient", json!({"id": 999})).unwrap_err()["code"],
        "NotFound"
    );

    call(&w, "lock", json!({})).unwrap();
    assert_eq!(
        call(&w, "get_patient", json!({"id": id})).unwrap_err()["code"],
        "Locked"
    );
}

#[test]
fn a_second_app_on_the_same_vault_is_unavailable_with_a_reason() {
    let tmp = tempfile::tempdir().unwrap();
    // Another process's app holds the vault (the same OS lock the app takes).
    let other_app = ketachart_core::vault::VaultDir::new(tmp.path())
        .lock_exclusive()
        .unwrap();
    let (_b, w2) = app(tmp.path());
    let status = call(&w2, "app_status", json!({})).unwrap();
    assert_eq!(status["status"], "unavailable");
    assert!(status["problem"].as_str().unwrap().contains("already open"));
    let err = call(&w2, "create_clinic", setup_form()).unwrap_err();
    assert_eq!(err["code"], "Conflict");
    assert!(!tmp.path().join("ketachart.db").exists());

    // Once the first app has closed, "Try again" (asking for the status again) succeeds.
    drop(other_app);
    assert_eq!(
        call(&w2, "app_status", json!({})).unwrap()["status"],
        "setup"
    );
}

#[test]
fn passphrase_strength_is_live_feedback() {
    let tmp = tempfile::tempdir().unwrap();
    let (_app, w) = app(tmp.path());
    let weak = call(
        &w,
        "passphrase_strength",
        json!({"passphrase": "harbour1", "context": ["Harbour Clinic"]}),
    )
    .unwrap();
    assert_eq!(weak["acceptable"], false);
    assert_eq!(weak["minLength"], 12);
    let strong = call(
        &w,
        "passphrase_strength",
        json!({"passphrase": PASS, "context": []}),
    )
    .unwrap();
    assert_eq!(strong["acceptable"], true);
}

#[test]
fn error_codes_are_a_closed_set() {
    use ketachart_app::error::{ErrorCode, IpcError};
    use ketachart_core::CoreError;
    let internal: IpcError = CoreError::Crypto("boom: secret detail").into();
    assert_eq!(internal.code, ErrorCode::Internal);
    assert!(
        !internal.message.contains("secret detail"),
        "internal details never cross IPC"
    );
    let v = serde_json::to_value(&internal).unwrap();
    assert_eq!(
        v.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["code", "message"]
    );
}

#[test]
fn patient_self_entry_shuts_everything_else_until_a_staff_member_unlocks() {
    let tmp = tempfile::tempdir().unwrap();
    let (_app, w) = app(tmp.path());
    let created = call(&w, "create_clinic", setup_form()).unwrap();
    let me = created["session"]["user"]["id"].clone();
    let username = created["session"]["user"]["username"].clone();
    call(
        &w,
        "set_user_roles",
        json!({"userId": me, "roles": ["admin", "provider"]}),
    )
    .unwrap();
    let rec = call(
        &w,
        "create_patient",
        json!({"form": patient_form("Ana", "Ødegård", "3")}),
    )
    .unwrap();
    let id = rec["id"].clone();

    // Only self-report questionnaires answered on screen can be handed over.
    let err = call(
        &w,
        "start_kiosk",
        json!({"patientId": id, "instruments": ["madrs"]}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "Validation");
    assert_eq!(call(&w, "kiosk_status", json!({})).unwrap(), Value::Null);

    let started = call(
        &w,
        "start_kiosk",
        json!({"patientId": id, "instruments": ["phq9", "gad7"]}),
    )
    .unwrap();
    assert_eq!(started["total"], 2);
    assert_eq!(started["remaining"][0]["id"], "phq9");

    // Nothing else answers while the patient holds the laptop.
    for (cmd, args) in [
        ("get_patient", json!({"id": id})),
        ("list_patients", json!({"offset": 0, "limit": 10})),
        ("list_scores", json!({"patientId": id})),
        ("open_alerts", json!({})),
    ] {
        let err = call(&w, cmd, args).unwrap_err();
        assert_eq!(err["code"], "Forbidden", "{cmd}");
    }

    // An incomplete questionnaire names the missing question; nothing is saved.
    let mut answers: serde_json::Map<String, Value> =
        (1..=9).map(|i| (i.to_string(), json!(1))).collect();
    answers.remove("4");
    let err = call(
        &w,
        "kiosk_submit",
        json!({"instrument": "phq9", "answers": answers}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "Validation");
    assert!(
        err["message"].as_str().unwrap().contains("question 4"),
        "{err}"
    );
    answers.insert("4".into(), json!(1));
    let after = call(
        &w,
        "kiosk_submit",
        json!({"instrument": "phq9", "answers": answers}),
    )
    .unwrap();
    assert_eq!(after["done"], 1);
    assert_eq!(after["remaining"].as_array().unwrap().len(), 1);
    // The same questionnaire twice is refused.
    let again = call(
        &w,
        "kiosk_submit",
        json!({"instrument": "phq9", "answers": answers}),
    )
    .unwrap_err();
    assert_eq!(again["code"], "Conflict");

    // A wrong passphrase does not end it; a staff member's unlock does.
    assert!(call(
        &w,
        "unlock",
        json!({"username": username, "passphrase": "not the passphrase"}),
    )
    .is_err());
    assert_eq!(
        call(&w, "list_patients", json!({"offset": 0, "limit": 10})).unwrap_err()["code"],
        "Forbidden"
    );
    call(
        &w,
        "unlock",
        json!({"username": username, "passphrase": PASS}),
    )
    .unwrap();
    assert_eq!(call(&w, "kiosk_status", json!({})).unwrap(), Value::Null);
    let scores = call(&w, "list_scores", json!({"patientId": id})).unwrap();
    assert_eq!(scores.as_array().unwrap().len(), 1);
    assert_eq!(scores[0]["mode"], "self_report");
    assert_eq!(scores[0]["total"], 9);
    // Item 9 was answered 1: the alert is open for a clinician.
    let alerts = call(&w, "open_alerts", json!({})).unwrap();
    assert_eq!(alerts.as_array().unwrap().len(), 1);
}

#[test]
fn clinic_and_staff_profiles_through_ipc() {
    let tmp = tempfile::tempdir().unwrap();
    let (_app, w) = app(tmp.path());
    call(&w, "create_clinic", setup_form()).unwrap();

    // A new vault's profile holds only the clinic name.
    let empty = call(&w, "get_clinic_profile", json!({})).unwrap();
    assert_eq!(empty["name"], "Harbour Clinic");
    assert_eq!(empty["addressLine1"], Value::Null);

    let form = json!({"form": {"name": "Harbour Clinic North", "addressLine1": "12 Harbour Road",
        "addressLine2": "", "city": "Salem", "state": "ma", "zip": "01970", "phone": "978 555 0142",
        "fax": "", "tin": "123456789", "npi": "1234567893", "remsSettingId": "SPR-REMS-0042"}});
    let mut bad = form.clone();
    bad["form"]["npi"] = json!("1234567890");
    bad["form"]["zip"] = json!("1970");
    let err = call(&w, "update_clinic_profile", bad).unwrap_err();
    assert_eq!(err["code"], "Validation");
    let fields: Vec<&str> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["zip", "npi"]);

    let saved = call(&w, "update_clinic_profile", form).unwrap();
    assert_eq!(
        saved,
        json!({"name": "Harbour Clinic North", "addressLine1": "12 Harbour Road",
            "addressLine2": null, "city": "Salem", "state": "MA", "zip": "01970",
            "phone": "(978) 555-0142", "fax": null, "tin": "12-3456789", "npi": "1234567893",
            "remsSettingId": "SPR-REMS-0042"})
    );
    // The session (and the lock screen) carry the new name.
    let status = call(&w, "app_status", json!({})).unwrap();
    assert_eq!(status["session"]["clinicName"], "Harbour Clinic North");
    call(&w, "lock", json!({})).unwrap();
    assert_eq!(
        call(&w, "app_status", json!({})).unwrap()["clinicName"],
        "Harbour Clinic North"
    );
    call(
        &w,
        "unlock",
        json!({"username": "harbour", "passphrase": PASS}),
    )
    .unwrap();

    // The administrator's own profile, empty until filled in.
    let me = call(&w, "get_my_profile", json!({})).unwrap();
    assert_eq!(me["username"], "harbour");
    assert_eq!(me["displayName"], "Dr Harbour");
    assert_eq!(me["givenName"], Value::Null);
    assert_eq!(me["prescriber"], false);
    let profile = json!({"givenName": "Hana", "familyName": "Harbour", "credentials": "MD",
        "npi": "", "phone": "(978) 555-0143", "email": "hana@harbour.example", "prescriber": true});
    let saved = call(
        &w,
        "update_provider_profile",
        json!({"username": "harbour", "form": profile}),
    )
    .unwrap();
    assert_eq!(saved["givenName"], "Hana");
    assert_eq!(saved["npi"], Value::Null);
    assert_eq!(saved["prescriber"], true);
    assert_eq!(call(&w, "get_my_profile", json!({})).unwrap(), saved);
    // Only providers and nurses are listed for forms; the admin-only user is not.
    assert_eq!(
        call(&w, "list_provider_profiles", json!({})).unwrap(),
        json!([])
    );
    let err = call(
        &w,
        "update_provider_profile",
        json!({"username": "nobody", "form": profile}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "NotFound");
}
