//! The demo clinic: a vault with about fifty obviously fictional patients, created in its own
//! folder (see `paths::demo_dir`) with a published passphrase. The key file marks it as a
//! demo, and only then does the unlock screen show the passphrase.

mod chart;
mod consents;
mod pa_ready;

use std::path::Path;

use chrono::NaiveDate;

use crate::clinic::ClinicSetup;
use crate::date_input::DateParts;
use crate::error::CoreResult;
use crate::patient::{self, Address, EmergencyContact, PatientInput, SexAtBirth};
use crate::profile::{ClinicProfileInput, ProviderProfileInput};
use crate::user::{manage::NewUser, Role};
use crate::vault::{KdfParams, VaultDir, VaultState};

pub use consents::ConsentRenderer;

pub const DEMO_CLINIC: &str = "Demo Clinic (fictional data)";
pub const DEMO_USERNAME: &str = "demo";
pub const DEMO_DISPLAY_NAME: &str = "Dr Demo Provider";
/// Published on purpose: it protects only fictional data.
pub const DEMO_PASSPHRASE: &str = "demo-passphrase-not-for-real-data";
pub const DEMO_PATIENTS: usize = 50;

const GIVEN: &[(&str, SexAtBirth)] = &[
    ("Ada", SexAtBirth::Female),
    ("Bram", SexAtBirth::Male),
    ("Chloé", SexAtBirth::Female),
    ("Dmitri", SexAtBirth::Male),
    ("Efua", SexAtBirth::Female),
    ("Farah", SexAtBirth::Female),
    ("Gustavo", SexAtBirth::Male),
    ("Hana", SexAtBirth::Female),
    ("Ines", SexAtBirth::Female),
    ("Jonah", SexAtBirth::Male),
    ("Kemal", SexAtBirth::Male),
    ("Lúcia", SexAtBirth::Female),
    ("Mateo", SexAtBirth::Male),
    ("Noor", SexAtBirth::Female),
    ("Oskar", SexAtBirth::Male),
    ("Priya", SexAtBirth::Female),
    ("Quinn", SexAtBirth::Unknown),
    ("Rafael", SexAtBirth::Male),
    ("Saoirse", SexAtBirth::Female),
    ("Tomasz", SexAtBirth::Male),
    ("Uma", SexAtBirth::Female),
    ("Viktor", SexAtBirth::Male),
    ("Wren", SexAtBirth::Unknown),
    ("Xiomara", SexAtBirth::Female),
    ("Yusuf", SexAtBirth::Male),
    ("Zoë", SexAtBirth::Female),
];

const PREFERRED: &[&str] = &["Bea", "Sam", "Jo", "Kit", "Lou"];

// Family names no real person is likely to carry, so nobody mistakes the demo for real PHI.
// A few carry accents, apostrophes and hyphens on purpose, to show search handling them.
const FAMILY: &[&str] = &[
    "Testwell",
    "Sampleton",
    "Demoski",
    "Fictionelli",
    "Placeholder",
    "Mockford",
    "Exampleton",
    "Müller-Demo",
    "O'Testing",
    "Prototypo",
    "Specimenez",
    "Dummyworth",
    "Trialsson",
    "Pretendsworth",
    "Lorem-Ipsum",
    "Nullberg",
    "Fauxley",
    "Byrne-Sample",
    "Ñandú-Demo",
    "Zedtest",
];

const CITIES: &[(&str, &str, &str)] = &[
    ("Springfield", "IL", "62701"),
    ("Riverton", "WY", "82501"),
    ("Fairview", "TN", "37062"),
    ("Georgetown", "TX", "78626"),
];

/// Deterministic fictional patients (same seed, same people).
pub fn demo_patients(count: usize, seed: u64) -> Vec<PatientInput> {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..count)
        .map(|i| {
            let (given, sex) = GIVEN[rng.usize(..GIVEN.len())];
            let family = FAMILY[rng.usize(..FAMILY.len())];
            let dob =
                NaiveDate::from_ymd_opt(rng.i32(1945..=2006), rng.u32(1..=12), rng.u32(1..=28))
                    .unwrap_or_default();
            let (city, region, zip) = CITIES[rng.usize(..CITIES.len())];
            // Every tenth patient has sex at birth not recorded, to show the "Not known" state.
            let sex = (i % 10 != 9).then_some(sex);
            PatientInput {
                given_name: given.into(),
                family_name: family.into(),
                preferred_name: (i % 7 == 3)
                    .then(|| PREFERRED[rng.usize(..PREFERRED.len())].to_string()),
                birth_date: DateParts::from_date(dob),
                sex_at_birth: sex,
                gender_identity: None,
                phone: Some(format!(
                    "555 01{:02} {:04}",
                    rng.u32(0..100),
                    rng.u32(0..10000)
                )),
                email: Some(format!(
                    "{}.{}@example.org",
                    given.to_lowercase().replace(['é', 'ú', 'ë'], "e"),
                    i + 1
                )),
                address: Address {
                    line1: Some(format!("{} Example Street", rng.u32(1..999))),
                    line2: None,
                    city: Some(city.into()),
                    region: Some(region.into()),
                    postal_code: Some(zip.into()),
                },
                emergency_contact: EmergencyContact {
                    name: Some(format!("{} {}", GIVEN[rng.usize(..GIVEN.len())].0, family)),
                    relationship: Some("Partner".into()),
                    phone: Some(format!(
                        "555 02{:02} {:04}",
                        rng.u32(0..100),
                        rng.u32(0..10000)
                    )),
                },
            }
        })
        .collect()
}

/// The demo clinic's other staff, one per role, all with the demo passphrase.
pub const DEMO_STAFF: [(&str, &str, Role); 2] = [
    ("demo-nurse", "Nina Nurse (demo)", Role::Nurse),
    ("demo-billing", "Bill Billing (demo)", Role::Billing),
];

/// The demo clinic's profile: a fictional address, 555-01xx numbers (reserved for fiction),
/// the NPI from CMS's check-digit example and an obviously made-up REMS setting ID.
pub fn demo_clinic_profile() -> ClinicProfileInput {
    ClinicProfileInput {
        name: DEMO_CLINIC.into(),
        address_line1: "100 Example Avenue".into(),
        address_line2: "Suite 200".into(),
        city: "Springfield".into(),
        state: "IL".into(),
        zip: "62701".into(),
        phone: "(217) 555-0140".into(),
        fax: "(217) 555-0141".into(),
        tin: "00-0000000".into(),
        npi: "1234567893".into(),
        rems_setting_id: "SPR-REMS-DEMO-0001".into(),
    }
}

/// Profiles for the demo provider and nurse (the billing user has none: they are not named on
/// clinical forms).
pub fn demo_staff_profiles() -> [(&'static str, ProviderProfileInput); 2] {
    [
        (
            DEMO_USERNAME,
            ProviderProfileInput {
                given_name: "Demo".into(),
                family_name: "Provider".into(),
                credentials: "MD".into(),
                npi: "1999999992".into(),
                phone: "(217) 555-0142".into(),
                email: "demo.provider@example.org".into(),
                prescriber: true,
                specialty: Some(crate::profile::provider::Specialty::Psychiatrist),
            },
        ),
        (
            DEMO_STAFF[0].0,
            ProviderProfileInput {
                given_name: "Nina".into(),
                family_name: "Nurse".into(),
                credentials: "RN".into(),
                npi: String::new(),
                phone: "(217) 555-0143".into(),
                email: "nina.nurse@example.org".into(),
                prescriber: false,
                specialty: None,
            },
        ),
    ]
}

fn seed_profiles(session: &mut crate::Session) -> CoreResult<()> {
    crate::profile::clinic::update(session, &demo_clinic_profile())?;
    for (username, profile) in demo_staff_profiles() {
        crate::profile::provider::update(session, username, &profile)?;
    }
    Ok(())
}

/// Creates and seeds the demo vault in `dir` if it is empty; leaves an existing one alone.
/// Refuses (like any vault) if the folder holds something else. `render_consent` renders the
/// demo patient's signed consents (`ketachart_pdf::consent::render_for_signing`).
pub fn ensure_demo_vault(
    dir: &Path,
    kdf: KdfParams,
    today: NaiveDate,
    render_consent: ConsentRenderer<'_>,
) -> CoreResult<bool> {
    let vault = VaultDir::new(dir);
    if let VaultState::Present { .. } = vault.inspect()? {
        return Ok(false);
    }
    let setup = ClinicSetup {
        clinic_name: DEMO_CLINIC.into(),
        admin_display_name: DEMO_DISPLAY_NAME.into(),
        admin_username: DEMO_USERNAME.into(),
        passphrase: DEMO_PASSPHRASE.into(),
        passphrase_confirmation: DEMO_PASSPHRASE.into(),
    };
    let mut session = vault.create_demo(&setup, kdf)?.session;
    let me = session.user().id;
    crate::user::manage::set_roles(&mut session, me, &[Role::Admin, Role::Provider])?;
    for (username, display_name, role) in DEMO_STAFF {
        crate::user::manage::create(
            &mut session,
            DEMO_PASSPHRASE,
            &NewUser {
                username: username.into(),
                display_name: display_name.into(),
                roles: vec![role],
                passphrase: DEMO_PASSPHRASE.into(),
                passphrase_confirmation: DEMO_PASSPHRASE.into(),
            },
        )?;
    }
    seed_profiles(&mut session)?;
    patient::create_batch(&mut session, &demo_patients(DEMO_PATIENTS, 2026), today)?;
    if let Some(first) = patient::list(&session, 0, 1)?.into_iter().next() {
        consents::seed(&mut session, first.id.0, today, render_consent)?;
    }
    chart::seed(&mut session, today)?;
    pa_ready::seed(&mut session, today)?;
    Ok(true)
}
