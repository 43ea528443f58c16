//! The clinic profile and staff profiles on a real vault: every field checked and normalised,
//! who may change what, nothing written on a refused save, audited without the values, and the
//! demo clinic's profiles.

#[path = "support/consents.rs"]
#[allow(dead_code)]
mod consent_support;

use ketachart_core::audit::{query, AuditFilter};
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::profile::{
    clinic, is_valid_npi, provider, ClinicProfile, ClinicProfileInput, ProviderProfileInput,
};
use ketachart_core::user::manage::{self, NewUser};
use ketachart_core::user::Role;
use ketachart_core::vault::{KdfParams, VaultDir, VaultState};
use ketachart_core::{CoreError, Session};

const PASS: &str = "copper kettle moonlit harbour";

/// A vault with an administrator (`admin`, admin only), a provider (`doc`), a nurse, a billing
/// user and a disabled provider (`gone`).
fn vault(dir: &std::path::Path) -> Session {
    let mut s = VaultDir::new(dir)
        .create(
            &ClinicSetup {
                clinic_name: "Harbour Mind Clinic".into(),
                admin_display_name: "Ada Admin".into(),
                admin_username: "admin".into(),
                passphrase: PASS.into(),
                passphrase_confirmation: PASS.into(),
            },
            KdfParams::FAST_FOR_TESTS,
        )
        .unwrap()
        .session;
    for (name, display, role) in [
        ("doc", "Dr Paz", Role::Provider),
        ("nurse", "Jo Reyes", Role::Nurse),
        ("bill", "Bill Ing", Role::Billing),
        ("gone", "Dr Gone", Role::Provider),
    ] {
        manage::create(
            &mut s,
            PASS,
            &NewUser {
                username: name.into(),
                display_name: display.into(),
                roles: vec![role],
                passphrase: PASS.into(),
                passphrase_confirmation: PASS.into(),
            },
        )
        .unwrap();
    }
    let gone = manage::list(&s)
        .unwrap()
        .into_iter()
        .find(|u| u.username == "gone")
        .unwrap()
        .id;
    manage::disable(&mut s, gone).unwrap();
    s
}

fn as_user(dir: &std::path::Path, username: &str) -> Session {
    VaultDir::new(dir).unlock(username, PASS).unwrap()
}

fn good_clinic() -> ClinicProfileInput {
    ClinicProfileInput {
        name: "Harbour Mind Clinic".into(),
        address_line1: " 12 Harbour Road ".into(),
        address_line2: "".into(),
        city: "Salem".into(),
        state: "ma".into(),
        zip: "019704307".into(),
        phone: "+1 978.555.0142".into(),
        fax: "978-555-0143".into(),
        tin: "123456789".into(),
        npi: "1234 567 893".into(),
        rems_setting_id: "SPR-REMS-0042".into(),
    }
}

fn good_provider() -> ProviderProfileInput {
    ProviderProfileInput {
        given_name: "Lucía".into(),
        family_name: "Paz".into(),
        credentials: "MD".into(),
        npi: "1999999992".into(),
        phone: "(978) 555 0144".into(),
        email: "l.paz@harbour.example".into(),
        prescriber: true,
        specialty: None,
    }
}

/// One refused field: its name, how to break a good form there, and the message expected.
type Case<T> = (&'static str, Box<dyn Fn(&mut T)>, &'static str);

/// Field → message of a validation error; panics on any other error.
fn problems(e: CoreError) -> Vec<(String, String)> {
    match e {
        CoreError::Validation(v) => v.0.into_iter().map(|f| (f.field, f.message)).collect(),
        other => panic!("expected validation errors, got {other:?}"),
    }
}

fn fields(e: CoreError) -> Vec<String> {
    problems(e).into_iter().map(|(f, _)| f).collect()
}

/// Every audit entry (the administrator's view), newest first.
fn audit_entries(s: &Session) -> Vec<query::AuditEntry> {
    query::list(s, &AuditFilter::default(), None, 500)
        .unwrap()
        .entries
}

#[test]
fn the_clinic_profile_is_stored_normalised_and_everyone_reads_it() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = vault(tmp.path());
    let empty = clinic::get(&s).unwrap();
    assert_eq!(
        empty,
        ClinicProfile {
            name: "Harbour Mind Clinic".into(),
            ..Default::default()
        },
        "a new vault has only its name"
    );

    let saved = clinic::update(&mut s, &good_clinic()).unwrap();
    let expected = ClinicProfile {
        name: "Harbour Mind Clinic".into(),
        address_line1: Some("12 Harbour Road".into()),
        address_line2: None,
        city: Some("Salem".into()),
        state: Some("MA".into()),
        zip: Some("01970-4307".into()),
        phone: Some("(978) 555-0142".into()),
        fax: Some("(978) 555-0143".into()),
        tin: Some("12-3456789".into()),
        npi: Some("1234567893".into()),
        rems_setting_id: Some("SPR-REMS-0042".into()),
    };
    assert_eq!(saved, expected);
    assert_eq!(clinic::get(&s).unwrap(), expected);

    // Audited with the names of what changed, never the values.
    let entries = audit_entries(&s);
    let e = &entries[0];
    assert_eq!(e.action, "clinic_profile.update");
    assert_eq!(e.username, "admin");
    let detail = e.detail.as_deref().unwrap();
    assert_eq!(
        detail,
        "changed address, phone, fax, TIN, NPI, REMS setting ID"
    );
    for value in [
        "Salem",
        "Harbour Road",
        "555",
        "3456789",
        "1234567893",
        "0042",
    ] {
        assert!(!detail.contains(value), "{detail}");
    }

    // Saving the same again records that nothing changed.
    clinic::update(&mut s, &good_clinic()).unwrap();
    assert_eq!(audit_entries(&s)[0].detail.as_deref(), Some("no change"));

    // Every role reads it (forms are printed by clinicians and billing).
    drop(s);
    for who in ["doc", "nurse", "bill"] {
        let other = as_user(tmp.path(), who);
        assert_eq!(clinic::get(&other).unwrap(), expected, "{who}");
    }
}

#[test]
fn each_clinic_field_is_checked_and_a_refused_save_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = vault(tmp.path());
    clinic::update(&mut s, &good_clinic()).unwrap();
    let before = clinic::get(&s).unwrap();
    let audit_before = audit_entries(&s).len();

    // Everything wrong at once: every field named, in form order.
    let all_wrong = ClinicProfileInput {
        name: " ".into(),
        address_line1: "".into(),
        address_line2: "x".repeat(121),
        city: "".into(),
        state: "Mass".into(),
        zip: "1970".into(),
        phone: "555 0142".into(),
        fax: "fax me".into(),
        tin: "12-34567".into(),
        npi: "1234567890".into(),
        rems_setting_id: "line\nbreak".into(),
    };
    let err = clinic::update(&mut s, &all_wrong).unwrap_err();
    assert_eq!(
        fields(err),
        [
            "name",
            "addressLine1",
            "addressLine2",
            "city",
            "state",
            "zip",
            "phone",
            "fax",
            "tin",
            "npi",
            "remsSettingId"
        ]
    );

    // One field at a time, with the message the form shows.
    let cases: Vec<Case<ClinicProfileInput>> = vec![
        ("name", Box::new(|i| i.name = "".into()), "Enter the clinic name"),
        (
            "name",
            Box::new(|i| i.name = "n".repeat(121)),
            "Clinic name must be 120 characters or less",
        ),
        (
            "addressLine1",
            Box::new(|i| i.address_line1 = "  ".into()),
            "Enter address line 1, like 12 Harbour Road",
        ),
        (
            "addressLine2",
            Box::new(|i| i.address_line2 = "a\tb".into()),
            "Address line 2 must not contain line breaks or tabs",
        ),
        ("city", Box::new(|i| i.city = "".into()), "Enter the city"),
        (
            "city",
            Box::new(|i| i.city = "c".repeat(61)),
            "City must be 60 characters or less",
        ),
        ("state", Box::new(|i| i.state = "".into()), "Enter the state"),
        (
            "state",
            Box::new(|i| i.state = "M1".into()),
            "State must be 2 letters, like MA",
        ),
        (
            "state",
            Box::new(|i| i.state = "XX".into()),
            "Enter a real US state code, like MA",
        ),
        ("zip", Box::new(|i| i.zip = "".into()), "Enter the ZIP code"),
        (
            "zip",
            Box::new(|i| i.zip = "01970-43".into()),
            "Enter a real ZIP code, like 02139 or 02139-4307",
        ),
        (
            "phone",
            Box::new(|i| i.phone = "978 555 01420".into()),
            "Phone number must be 10 digits, like (617) 555-0142",
        ),
        (
            "phone",
            Box::new(|i| i.phone = "078 555 0142".into()),
            "Enter a real US phone number, like (617) 555-0142",
        ),
        (
            "fax",
            Box::new(|i| i.fax = "978 555 0143 ext 2".into()),
            "Fax number must only include numbers, spaces and ( ) -",
        ),
        (
            "tin",
            Box::new(|i| i.tin = "1234567890".into()),
            "TIN must be 9 digits, like 12-3456789",
        ),
        (
            "npi",
            Box::new(|i| i.npi = "123456789".into()),
            "NPI must be 10 digits, like 1234567893",
        ),
        (
            "npi",
            Box::new(|i| i.npi = "1234567894".into()),
            "NPI is not a real NPI: its last digit does not match. Check each digit against the NPI registry",
        ),
        (
            "remsSettingId",
            Box::new(|i| i.rems_setting_id = "R".repeat(41)),
            "REMS setting ID must be 40 characters or less",
        ),
    ];
    for (field, change, message) in cases {
        let mut input = good_clinic();
        change(&mut input);
        let err = clinic::update(&mut s, &input).unwrap_err();
        assert_eq!(
            problems(err),
            [(field.to_string(), message.to_string())],
            "{field}"
        );
    }

    // Optional fields may be left empty.
    let mut minimal = good_clinic();
    for f in [
        &mut minimal.address_line2,
        &mut minimal.phone,
        &mut minimal.fax,
        &mut minimal.tin,
        &mut minimal.npi,
        &mut minimal.rems_setting_id,
    ] {
        f.clear();
    }
    assert!(clinic::validate(&minimal).is_ok());

    // Nothing was written by any refused save: no change, no audit entry.
    assert_eq!(clinic::get(&s).unwrap(), before);
    assert_eq!(audit_entries(&s).len(), audit_before);
}

#[test]
fn only_administrators_change_the_clinic_profile() {
    let tmp = tempfile::tempdir().unwrap();
    drop(vault(tmp.path()));
    for who in ["doc", "nurse", "bill"] {
        let mut s = as_user(tmp.path(), who);
        let r = clinic::update(&mut s, &good_clinic());
        assert!(matches!(r, Err(CoreError::Forbidden(_))), "{who}: {r:?}");
        // Refused before validation: a bad form gets the same answer.
        let r = clinic::update(&mut s, &ClinicProfileInput::default());
        assert!(matches!(r, Err(CoreError::Forbidden(_))), "{who}: {r:?}");
        assert_eq!(clinic::get(&s).unwrap().address_line1, None);
    }
}

#[test]
fn renaming_the_clinic_renames_it_on_the_unlock_screen_too() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = vault(tmp.path());
    let mut input = good_clinic();
    input.name = "  Harbour Mind Clinic — Salem ".into();
    let saved = clinic::update(&mut s, &input).unwrap();
    assert_eq!(saved.name, "Harbour Mind Clinic — Salem");
    assert_eq!(s.clinic_name(), "Harbour Mind Clinic — Salem");
    assert!(audit_entries(&s)[0]
        .detail
        .as_deref()
        .unwrap()
        .starts_with("changed name, address"));
    drop(s);
    match VaultDir::new(tmp.path()).inspect().unwrap() {
        VaultState::Present { label, .. } => assert_eq!(label, "Harbour Mind Clinic — Salem"),
        other => panic!("{other:?}"),
    }
    let again = as_user(tmp.path(), "nurse");
    assert_eq!(again.clinic_name(), "Harbour Mind Clinic — Salem");
    assert!(!tmp.path().join("ketachart-keys.json.tmp").exists());
}

#[test]
fn the_provider_list_holds_enabled_providers_and_nurses_with_empty_profiles_at_first() {
    let tmp = tempfile::tempdir().unwrap();
    let s = vault(tmp.path());
    let list = provider::list(&s).unwrap();
    let names: Vec<&str> = list.iter().map(|p| p.username.as_str()).collect();
    assert_eq!(
        names,
        ["doc", "nurse"],
        "by display name; not admin, billing or disabled"
    );
    let doc = &list[0];
    assert_eq!(doc.display_name, "Dr Paz");
    assert_eq!(
        (
            &doc.given_name,
            &doc.family_name,
            &doc.credentials,
            &doc.npi,
            &doc.phone,
            &doc.email,
            doc.prescriber
        ),
        (&None, &None, &None, &None, &None, &None, false)
    );
    // A disabled user's profile is still readable by name (forms they appear on).
    assert_eq!(provider::get(&s, "gone").unwrap().display_name, "Dr Gone");
    assert!(matches!(
        provider::get(&s, "nobody"),
        Err(CoreError::NotFound { .. })
    ));
}

#[test]
fn a_user_edits_their_own_profile_and_an_administrator_anyones() {
    let tmp = tempfile::tempdir().unwrap();
    drop(vault(tmp.path()));

    // Their own: stored normalised, and read back by everyone.
    let mut doc = as_user(tmp.path(), "doc");
    let saved = provider::update(&mut doc, "DOC", &good_provider()).unwrap();
    assert_eq!(saved.username, "doc");
    assert_eq!(saved.given_name.as_deref(), Some("Lucía"));
    assert_eq!(saved.family_name.as_deref(), Some("Paz"));
    assert_eq!(saved.credentials.as_deref(), Some("MD"));
    assert_eq!(saved.npi.as_deref(), Some("1999999992"));
    assert!(is_valid_npi(saved.npi.as_deref().unwrap()));
    assert_eq!(saved.phone.as_deref(), Some("(978) 555-0144"));
    assert_eq!(saved.email.as_deref(), Some("l.paz@harbour.example"));
    assert!(saved.prescriber);
    assert_eq!(provider::get(&doc, "doc").unwrap(), saved);

    // Not someone else's.
    let r = provider::update(&mut doc, "nurse", &good_provider());
    assert!(matches!(r, Err(CoreError::Forbidden(_))), "{r:?}");
    drop(doc);
    let mut nurse = as_user(tmp.path(), "nurse");
    assert_eq!(provider::get(&nurse, "doc").unwrap(), saved);
    let r = provider::update(&mut nurse, "doc", &ProviderProfileInput::default());
    assert!(
        matches!(r, Err(CoreError::Forbidden(_))),
        "refused before validation: {r:?}"
    );
    let mine = ProviderProfileInput {
        given_name: "Jo".into(),
        family_name: "Reyes".into(),
        credentials: "".into(),
        npi: "".into(),
        phone: "978 555 0145".into(),
        email: "jo@harbour.example".into(),
        prescriber: false,
        specialty: None,
    };
    let n = provider::update(&mut nurse, "nurse", &mine).unwrap();
    assert_eq!((n.credentials, n.npi), (None, None));
    drop(nurse);
    // Billing may keep their own too (it is simply not listed for forms).
    let mut bill = as_user(tmp.path(), "bill");
    assert!(provider::update(&mut bill, "bill", &mine).is_ok());
    let r = provider::update(&mut bill, "doc", &mine);
    assert!(matches!(r, Err(CoreError::Forbidden(_))), "{r:?}");
    drop(bill);

    // An administrator edits anyone's, including a disabled user's.
    let mut admin = as_user(tmp.path(), "admin");
    let mut changed = good_provider();
    changed.credentials = "MD, PhD".into();
    changed.prescriber = false;
    let d = provider::update(&mut admin, "doc", &changed).unwrap();
    assert_eq!(d.credentials.as_deref(), Some("MD, PhD"));
    assert!(!d.prescriber);
    assert!(provider::update(&mut admin, "gone", &mine).is_ok());
    assert!(matches!(
        provider::update(&mut admin, "nobody", &mine),
        Err(CoreError::NotFound { .. })
    ));

    // Audited per user, naming the fields that changed, never their values.
    let page = query::list(
        &admin,
        &AuditFilter {
            action: Some("provider_profile.update".into()),
            ..Default::default()
        },
        None,
        50,
    )
    .unwrap();
    let seen: Vec<(String, Option<String>, Option<String>)> = page
        .entries
        .iter()
        .map(|e| (e.username.clone(), e.record_id.clone(), e.detail.clone()))
        .collect();
    assert_eq!(
        seen,
        [
            (
                "admin".to_string(),
                Some("gone".to_string()),
                Some("changed name, phone, email".to_string())
            ),
            (
                "admin".into(),
                Some("doc".into()),
                Some("changed credentials, prescriber".into())
            ),
            (
                "bill".into(),
                Some("bill".into()),
                Some("changed name, phone, email".into())
            ),
            (
                "nurse".into(),
                Some("nurse".into()),
                Some("changed name, phone, email".into())
            ),
            (
                "doc".into(),
                Some("doc".into()),
                Some("changed name, credentials, NPI, phone, email, prescriber".into())
            ),
        ]
    );
}

#[test]
fn each_provider_field_is_checked_and_a_refused_save_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = vault(tmp.path());
    let audit_before = audit_entries(&s).len();

    let all_wrong = ProviderProfileInput {
        given_name: "".into(),
        family_name: "f".repeat(101),
        credentials: "MD\nPhD".into(),
        npi: "1999999993".into(),
        phone: "".into(),
        email: "doc@clinic".into(),
        prescriber: true,
        specialty: None,
    };
    let err = provider::update(&mut s, "doc", &all_wrong).unwrap_err();
    assert_eq!(
        problems(err),
        [
            ("givenName".to_string(), "Enter your given name".to_string()),
            (
                "familyName".into(),
                "Family name must be 100 characters or less".into()
            ),
            (
                "credentials".into(),
                "Credentials must not contain line breaks or tabs".into()
            ),
            (
                "npi".into(),
                "NPI is not a real NPI: its last digit does not match. Check each digit against the NPI registry".into()
            ),
            ("phone".into(), "Enter a work phone number".into()),
            (
                "email".into(),
                "Enter an email address in the correct format, like name@example.com".into()
            ),
        ]
    );
    let cases: Vec<Case<ProviderProfileInput>> = vec![
        (
            "familyName",
            Box::new(|i| i.family_name = " ".into()),
            "Enter your family name",
        ),
        (
            "credentials",
            Box::new(|i| i.credentials = "c".repeat(41)),
            "Credentials must be 40 characters or less",
        ),
        (
            "npi",
            Box::new(|i| i.npi = "NPI 1999999992".into()),
            "NPI must be 10 digits, like 1234567893",
        ),
        (
            "phone",
            Box::new(|i| i.phone = "555-0144".into()),
            "Work phone number must be 10 digits, like (617) 555-0142",
        ),
        (
            "email",
            Box::new(|i| i.email = "".into()),
            "Enter a work email address",
        ),
        (
            "email",
            Box::new(|i| i.email = "l.paz@@harbour.example".into()),
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            "email",
            Box::new(|i| i.email = format!("{}@harbour.example", "a".repeat(250))),
            "Email address must be 254 characters or less",
        ),
    ];
    for (field, change, message) in cases {
        let mut input = good_provider();
        change(&mut input);
        let err = provider::update(&mut s, "doc", &input).unwrap_err();
        assert_eq!(
            problems(err),
            [(field.to_string(), message.to_string())],
            "{field}"
        );
    }
    // No profile row, no audit entry.
    let doc = provider::get(&s, "doc").unwrap();
    assert_eq!(
        (doc.given_name, doc.email, doc.prescriber),
        (None, None, false)
    );
    assert_eq!(audit_entries(&s).len(), audit_before);

    // An existing profile stays exactly as it was after a refused edit.
    let saved = provider::update(&mut s, "doc", &good_provider()).unwrap();
    let audit_before = audit_entries(&s).len();
    let mut bad = good_provider();
    bad.phone = "12".into();
    bad.given_name = "Someone else".into();
    assert!(provider::update(&mut s, "doc", &bad).is_err());
    assert_eq!(provider::get(&s, "doc").unwrap(), saved);
    assert_eq!(audit_entries(&s).len(), audit_before);
}

#[test]
fn the_demo_clinic_has_a_clinic_profile_and_staff_profiles() {
    let tmp = tempfile::tempdir().unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    assert!(ketachart_core::demo::ensure_demo_vault(
        tmp.path(),
        KdfParams::FAST_FOR_TESTS,
        today,
        &consent_support::render
    )
    .unwrap());
    let s = VaultDir::new(tmp.path())
        .unlock(
            ketachart_core::demo::DEMO_USERNAME,
            ketachart_core::demo::DEMO_PASSPHRASE,
        )
        .unwrap();
    let c = clinic::get(&s).unwrap();
    assert_eq!(c.name, ketachart_core::demo::DEMO_CLINIC);
    assert_eq!(c.state.as_deref(), Some("IL"));
    assert!(c.phone.as_deref().unwrap().contains("555-01"));
    assert!(c.fax.as_deref().unwrap().contains("555-01"));
    assert!(is_valid_npi(c.npi.as_deref().unwrap()));
    assert_eq!(c.rems_setting_id.as_deref(), Some("SPR-REMS-DEMO-0001"));
    assert!(c.address_line1.is_some() && c.city.is_some() && c.zip.is_some());
    let staff = provider::list(&s).unwrap();
    let names: Vec<&str> = staff.iter().map(|p| p.username.as_str()).collect();
    assert_eq!(names, ["demo", "demo-nurse"]);
    for p in &staff {
        assert!(p.given_name.is_some() && p.family_name.is_some(), "{p:?}");
        assert!(p.phone.as_deref().unwrap().contains("555-01"), "{p:?}");
        assert!(
            p.email.as_deref().unwrap().ends_with("@example.org"),
            "{p:?}"
        );
    }
    assert!(staff[0].prescriber);
    assert!(is_valid_npi(staff[0].npi.as_deref().unwrap()));
    assert!(!staff[1].prescriber);
}
