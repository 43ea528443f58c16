//! End-to-end: the real `ketachart` binary (built with the embedded UI) in its real WebKitGTK
//! webview, driven through tauri-driver + WebKitWebDriver. Needs an X display: the README's
//! test command runs it under `xvfb-run`; without one these tests fail (never skip).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::vault::{KdfParams, VaultDir};
use ketachart_tests::{bin, TauriDriver};
use serde_json::json;

const PASS: &str = "copper kettle moonlit harbour";
const WAIT: Duration = Duration::from_secs(20);

/// One app at a time: the machine has two cores and WebKit is heavy.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct App {
    client: Client,
    _driver: TauriDriver,
}

async fn launch(args: &[&str]) -> App {
    launch_with_env(args, &[]).await
}

async fn launch_with_env(args: &[&str], env: &[(&str, &str)]) -> App {
    let driver = TauriDriver::start_with_env(env);
    let app = bin("ketachart");
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("wry"));
    caps.insert(
        "tauri:options".into(),
        json!({"application": app, "args": args}),
    );
    let client = ClientBuilder::native()
        .capabilities(caps)
        .connect(&driver.url())
        .await
        .expect("a WebDriver session with the app");
    App {
        client,
        _driver: driver,
    }
}

/// The element was replaced in the page after it was found.
fn is_stale(e: &fantoccini::error::CmdError) -> bool {
    matches!(
        e,
        fantoccini::error::CmdError::Standard(w)
            if w.error == fantoccini::error::ErrorStatus::StaleElementReference
    )
}

impl App {
    async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
    }

    /// Waits for the element and centres it: the app scrolls inside its main pane, under a
    /// sticky patient banner, where WebKitWebDriver does not bring it into view by itself. An
    /// element replaced while this runs (a list re-rendered as search results arrive) is looked
    /// up again, within the same bound.
    async fn visible(&self, css: &str) -> fantoccini::elements::Element {
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let el = self.wait_for(css).await;
            match self
                .client
                .execute(
                    "arguments[0].scrollIntoView({block: 'center'})",
                    vec![serde_json::to_value(&el).unwrap()],
                )
                .await
            {
                Ok(_) => return el,
                Err(e) if is_stale(&e) && std::time::Instant::now() < deadline => continue,
                Err(e) => panic!("scrolling to {css}: {e}"),
            }
        }
    }

    async fn select(&self, css: &str, value: &str) {
        self.visible(css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("choosing {value} in {css}: {e}"));
    }

    async fn type_into(&self, css: &str, text: &str) {
        let el = self.visible(css).await;
        el.clear()
            .await
            .unwrap_or_else(|e| panic!("clearing {css}: {e}"));
        el.send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("typing into {css}: {e}"));
    }

    async fn click(&self, css: &str) {
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            match self.visible(css).await.click().await {
                Ok(()) => return,
                Err(e) if is_stale(&e) && std::time::Instant::now() < deadline => continue,
                Err(e) => panic!("clicking {css}: {e}"),
            }
        }
    }

    /// Polls until the element's text contains `needle` (bounded; no fixed sleeps).
    async fn wait_text(&self, css: &str, needle: &str) -> String {
        self.wait_text_where(css, &format!("contained {needle:?}"), |t| {
            t.contains(needle)
        })
        .await
    }

    /// Polls until the element's text passes `ok` (bounded; no fixed sleeps).
    async fn wait_text_where(&self, css: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        let mut last = String::new();
        while start.elapsed() < WAIT {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                if let Ok(t) = el.text().await {
                    if ok(&t) {
                        return t;
                    }
                    last = t;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} never {what}; last text: {last:?}");
    }

    /// With `KETACHART_E2E_SCREENSHOTS=<folder>`, saves a PNG of the window (for people to look at).
    async fn shot(&self, name: &str) {
        if let Some(dir) = std::env::var_os("KETACHART_E2E_SCREENSHOTS") {
            let png = self.client.screenshot().await.expect("screenshot");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).unwrap();
        }
    }

    /// Polls until no element matches (bounded; no fixed sleeps).
    async fn wait_gone(&self, css: &str) {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if self.absent(css).await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} is still there");
    }

    async fn absent(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_err()
    }

    /// Unlocks as `user` and opens the vault's only patient, whose banner shows `banner`.
    async fn open_only_patient(&self, user: &str, banner: &str) {
        self.type_into("#unlock-username", user).await;
        self.type_into("#unlock-passphrase", PASS).await;
        self.click("#unlock-submit").await;
        self.wait_for("#patient-search").await;
        self.click("#patient-results .patient-link").await;
        self.wait_text("#patient-banner", banner).await;
    }

    async fn close(self) {
        self.client.close().await.expect("close the app");
    }
}

/// The one PDF in the export folder: checked with `qpdf --check`, returned as `pdftotext` reads
/// it (`-layout` when asked).
fn exported_pdf_text(exports: &Path, layout: bool) -> String {
    let pdf = std::fs::read_dir(exports)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "pdf"))
        .expect("a PDF in the export folder");
    let qpdf = std::process::Command::new("qpdf")
        .arg("--check")
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        qpdf.status.success(),
        "{}",
        String::from_utf8_lossy(&qpdf.stdout)
    );
    let mut args = vec![pdf.to_str().unwrap(), "-"];
    if layout {
        args.insert(0, "-layout");
    }
    let text = std::process::Command::new("pdftotext")
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(text.stdout).unwrap()
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .filter(|e| !e.file_name().to_string_lossy().ends_with("-shm"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_clinic_lock_unlock_add_search_and_open_a_patient() {
    let _serial = SERIAL.lock().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let app = launch(&["--data-dir", dir.to_str().unwrap()]).await;

    // First launch: set up the clinic.
    app.type_into("#setup-clinic-name", "Harbour Interventional Psychiatry")
        .await;
    app.type_into("#setup-display-name", "Dr Rhea Harbour")
        .await;
    app.type_into("#setup-username", "rhea").await;
    app.type_into("#setup-passphrase", PASS).await;
    app.wait_text("#passphrase-strength", "Meets the minimum")
        .await;
    app.type_into("#setup-passphrase-confirm", PASS).await;
    app.shot("01-setup").await;
    app.click("#setup-submit").await;
    // The recovery key is shown once; continuing needs the "I have stored it" box.
    let key = app.wait_for("#recovery-key").await.text().await.unwrap();
    assert_eq!(key.trim().split('-').count(), 8, "{key}");
    app.shot("01b-recovery-key").await;
    app.click("#recovery-key-confirm").await;
    app.click("#recovery-continue").await;
    app.wait_for("#patient-search").await;
    assert!(dir.join("ketachart.db").exists());

    // Lock, then unlock.
    app.click("#lock-button").await;
    app.wait_for("#unlock-username").await;
    assert!(
        app.absent("#patient-search").await,
        "locking hides the chart"
    );
    assert!(
        app.absent("#demo-credentials").await,
        "a real clinic never shows demo credentials"
    );
    app.type_into("#unlock-username", "rhea").await;
    app.type_into("#unlock-passphrase", PASS).await;
    app.click("#unlock-submit").await;
    app.wait_for("#patient-search").await;

    // Add a patient; a first save with a missing name shows the error summary.
    app.click("#new-patient").await;
    app.type_into("#familyName", "O'Neil-Müller").await;
    app.type_into("#birthDate-month", "3").await;
    app.type_into("#birthDate-day", "27").await;
    app.type_into("#birthDate-year", "1975").await;
    app.click("#save-patient").await;
    app.wait_text("#error-summary", "Enter the patient's given name")
        .await;
    app.shot("04-form-errors").await;
    app.type_into("#givenName", "Seán").await;
    app.click("#save-patient").await;
    let banner = app.wait_text("#patient-banner", "O'NEIL-MÜLLER").await;
    assert!(banner.contains("27-Mar-1975"), "{banner}");
    app.shot("05-record").await;
    let mrn = app.wait_for("#patient-mrn").await.text().await.unwrap();
    assert!(mrn.contains("KC-000001-"), "{mrn}");

    // Back to the list, search without the accent, open the record.
    app.click("[data-nav='patients']").await;
    app.type_into("#patient-search", "mull").await;
    app.wait_text("#patient-results", "O'NEIL-MÜLLER").await;
    app.click("#patient-results .patient-link").await;
    app.wait_text("#patient-banner", "KC-000001-").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_passphrase_is_refused_and_changes_nothing() {
    let _serial = SERIAL.lock().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let setup = ClinicSetup {
        clinic_name: "Cedar Clinic".into(),
        admin_display_name: "Dr Cedar".into(),
        admin_username: "cedar".into(),
        passphrase: PASS.into(),
        passphrase_confirmation: PASS.into(),
    };
    drop(
        VaultDir::new(&dir)
            .create(&setup, KdfParams::FAST_FOR_TESTS)
            .unwrap(),
    );
    let before = snapshot(&dir);

    let app = launch(&["--data-dir", dir.to_str().unwrap()]).await;
    app.wait_text("main, body", "Cedar Clinic").await;
    app.type_into("#unlock-username", "cedar").await;
    app.type_into("#unlock-passphrase", "cedar clinic wrong guess")
        .await;
    app.click("#unlock-submit").await;
    app.wait_text(
        "#error-summary",
        "The user name or passphrase is not correct",
    )
    .await;
    app.shot("06-wrong-passphrase").await;
    assert!(app.absent("#patient-search").await);
    let kept = app
        .wait_for("#unlock-username")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("cedar"), "the user name is kept");
    let after = snapshot(&dir);
    assert_eq!(
        before.get("ketachart.db"),
        after.get("ketachart.db"),
        "a wrong passphrase never writes to the database"
    );
    assert_eq!(
        before.get("ketachart-keys.json"),
        after.get("ketachart-keys.json")
    );

    app.type_into("#unlock-passphrase", PASS).await;
    app.click("#unlock-submit").await;
    app.wait_for("#patient-search").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_clinic_shows_its_passphrase_and_fictional_patients() {
    let _serial = SERIAL.lock().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let app = launch(&["--demo", "--data-dir", dir.to_str().unwrap()]).await;
    let creds = app
        .wait_text("#demo-credentials", ketachart_core::demo::DEMO_PASSPHRASE)
        .await;
    assert!(creds.contains(ketachart_core::demo::DEMO_USERNAME));
    app.shot("02-demo-unlock").await;
    app.type_into("#unlock-username", ketachart_core::demo::DEMO_USERNAME)
        .await;
    app.type_into("#unlock-passphrase", ketachart_core::demo::DEMO_PASSPHRASE)
        .await;
    app.click("#unlock-submit").await;
    app.wait_for("#patient-search").await;
    app.wait_text("#patient-results", "TESTWELL").await;
    app.shot("03-demo-list").await;
    // The first patient's chart is filled in: every section, the timeline and the banner.
    app.click("#patient-results .patient-link").await;
    app.wait_text("#trial-table", "Escitalopram").await;
    app.wait_text("#patient-banner", "No known allergies").await;
    app.wait_text("#chart-diagnoses", "F33.2").await;
    app.wait_text("#chart-treatments", "CBT").await;
    app.wait_text("#chart-screenings", "Signed by").await;
    app.wait_text("#chart-coverage", "Harbor Health Plan").await;
    let timeline = app.wait_text("#chart-timeline", "Duloxetine").await;
    assert!(timeline.contains("Escitalopram"), "{timeline}");
    app.shot("08-demo-chart-top").await;
    for section in [
        "chart-diagnoses",
        "chart-treatments",
        "chart-screenings",
        "chart-timeline",
        "chart-coverage",
    ] {
        app.visible(&format!("#{section}-title")).await;
        app.shot(&format!("09-demo-{section}")).await;
    }
    // The demo Spravato course: four signed sessions, the last one's REMS form still due.
    app.wait_text(
        "#section-courses",
        "Session 4 of planned 12 (authorized 16, as entered on the course)",
    )
    .await;
    app.visible("#section-courses-title").await;
    app.shot("09-demo-section-courses").await;
    app.click("#nav-today").await;
    let due = app.wait_text("#rems-due", "days left").await;
    assert!(due.contains("5 days left"), "{due}");
    app.shot("09-demo-rems-due").await;
    app.click("#nav-patients").await;
    app.type_into("#patient-search", "o'test").await;
    app.wait_text("#patient-results", "O'TESTING").await;
    app.shot("07-demo-search").await;
    app.close().await;
}

/// A clinic for the multi-user tests: an administrator (`admin`, also a provider when
/// `admin_provides`), a billing user `bill`, and one patient. Fast key derivation; the app
/// unlocks with the parameters stored in the key file.
fn seed_clinic(
    dir: &Path,
    clinic: &str,
    admin: &str,
    admin_provides: bool,
    patient: (&str, &str, (i32, u32, u32)),
) {
    use ketachart_core::date_input::DateParts;
    use ketachart_core::patient::{self, PatientInput};
    use ketachart_core::user::manage::{self, NewUser};
    use ketachart_core::user::Role;

    let mut s = VaultDir::new(dir)
        .create(
            &ClinicSetup {
                clinic_name: clinic.into(),
                admin_display_name: format!("Dr {}", clinic.trim_end_matches(" Clinic")),
                admin_username: admin.into(),
                passphrase: PASS.into(),
                passphrase_confirmation: PASS.into(),
            },
            KdfParams::FAST_FOR_TESTS,
        )
        .unwrap()
        .session;
    if admin_provides {
        let me = s.user().id;
        manage::set_roles(&mut s, me, &[Role::Admin, Role::Provider]).unwrap();
    }
    manage::create(
        &mut s,
        PASS,
        &NewUser {
            username: "bill".into(),
            display_name: "Bill Ledger".into(),
            roles: vec![Role::Billing],
            passphrase: PASS.into(),
            passphrase_confirmation: PASS.into(),
        },
    )
    .unwrap();
    let (given, family, (y, m, d)) = patient;
    patient::create(
        &mut s,
        &PatientInput {
            given_name: given.into(),
            family_name: family.into(),
            birth_date: DateParts::from_date(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()),
            ..Default::default()
        },
        chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    )
    .unwrap();
}

/// Polls for an element for up to `secs` (the idle lock takes a few seconds by design).
async fn wait_long(app: &App, css: &str, secs: u64) -> fantoccini::elements::Element {
    app.client
        .wait()
        .at_most(Duration::from_secs(secs))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear within {secs} s: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_users_idle_lock_switch_user_roles_and_inert_markup() {
    let _serial = SERIAL.lock().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let markup = "<img src=x onerror=alert(1)>";
    seed_clinic(
        &dir,
        "Birch Clinic",
        "birch",
        false,
        (markup, "Markup", (1990, 4, 5)),
    );
    // A short idle time so the test sees the real lock (the clinic setting is minutes).
    let app = launch(&[
        "--data-dir",
        dir.to_str().unwrap(),
        "--idle-lock-seconds",
        "8",
    ])
    .await;

    // The admin signs in and opens the patient whose name is markup: it shows as text.
    app.type_into("#unlock-username", "birch").await;
    app.type_into("#unlock-passphrase", PASS).await;
    app.click("#unlock-submit").await;
    app.wait_text("#patient-results", "MARKUP").await;
    app.click("#patient-results .patient-link").await;
    let banner = app.wait_text("#patient-banner", "MARKUP").await;
    assert!(
        banner.contains(markup),
        "the name is shown literally: {banner}"
    );
    assert!(
        app.absent("#patient-banner img").await,
        "no element is created from a name"
    );
    app.shot("08-markup-name").await;
    assert!(!app.absent("[data-nav='users']").await, "admins see Users");

    // Hands off the keyboard: a warning, then the lock, without anyone pressing Lock.
    wait_long(&app, "#idle-warning", 15).await;
    app.shot("09-idle-warning").await;
    wait_long(&app, "#idle-locked-notice", 30).await;
    app.shot("10-idle-locked").await;
    // The chart stays in the page (drafts survive for the same user) but is not shown.
    let banner = app.client.find(Locator::Css("#patient-banner")).await;
    if let Ok(b) = banner {
        assert!(
            !b.is_displayed().await.unwrap(),
            "the chart is hidden while locked"
        );
    }

    // Someone else signs in at the same laptop: billing sees patients but no admin screens.
    app.type_into("#unlock-username", "bill").await;
    app.type_into("#unlock-passphrase", PASS).await;
    app.click("#unlock-submit").await;
    app.wait_for("#patient-search").await;
    assert!(
        app.absent("[data-nav='users']").await,
        "billing has no Users screen"
    );
    assert!(
        app.absent("[data-nav='audit']").await,
        "billing has no audit log"
    );
    assert!(
        app.absent("[data-nav='backups']").await,
        "billing has no backups"
    );
    app.shot("11-billing").await;
    app.click("#lock-button").await;

    // The admin checks the audit log: the idle lock is there and the chain is intact.
    app.type_into("#unlock-username", "birch").await;
    app.type_into("#unlock-passphrase", PASS).await;
    app.click("#unlock-submit").await;
    app.click("[data-nav='audit']").await;
    app.wait_text("#audit-table", "Locked after inactivity")
        .await;
    app.click("#audit-verify").await;
    app.wait_text("#audit-verify-result", "intact").await;
    app.shot("12-audit").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_enters_a_patient_with_two_failed_trials_signs_the_screening_and_exports_the_summary(
) {
    let _serial = SERIAL.lock().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let exports = tmp.path().join("exports");
    std::fs::create_dir(&exports).unwrap();
    seed_clinic(
        &dir,
        "Alder Clinic",
        "alder",
        true,
        ("Zed", "Seed", (1990, 1, 1)),
    );
    let app = launch_with_env(
        &["--data-dir", dir.to_str().unwrap()],
        &[("KETACHART_EXPORT_DIR", exports.to_str().unwrap())],
    )
    .await;
    app.type_into("#unlock-username", "alder").await;
    app.type_into("#unlock-passphrase", PASS).await;
    app.click("#unlock-submit").await;
    app.wait_for("#patient-search").await;

    // Register the patient.
    app.click("#new-patient").await;
    app.type_into("#givenName", "Łucja").await;
    app.type_into("#familyName", "Ødegård").await;
    app.type_into("#birthDate-month", "2").await;
    app.type_into("#birthDate-day", "3").await;
    app.type_into("#birthDate-year", "1979").await;
    app.click("#save-patient").await;
    app.wait_text("#patient-banner", "ØDEGÅRD").await;
    app.wait_for("#treatment-history").await;

    // First trial: sertraline by its brand name, 50 then 100 mg, no response.
    app.click("#add-trial").await;
    app.type_into("#trial-drug", "Zoloft").await;
    app.click("#trial-role").await;
    app.type_into("#trial-startDate", "2026-01-05").await;
    app.type_into("#trial-stopDate", "2026-03-30").await;
    app.type_into("#trial-doses-0-from", "2026-01-05").await;
    app.type_into("#trial-doses-0-daily", "50").await;
    app.click("#add-dose").await;
    app.type_into("#trial-doses-1-from", "2026-02-02").await;
    app.type_into("#trial-doses-1-daily", "100").await;
    app.type_into("#trial-adherencePercent", "90").await;
    app.select("#trial-adherenceSource", "pharmacy_fills").await;
    app.select("#trial-outcome", "no_response").await;
    app.shot("13-trial-form").await;
    app.click("#save-trial").await;
    app.wait_text("#trial-table", "Sertraline").await;

    // Second trial: a zero dose is refused on its field first, then bupropion intolerance.
    app.click("#add-trial").await;
    app.type_into("#trial-drug", "bupropion").await;
    app.click("#trial-role").await;
    app.type_into("#trial-startDate", "2026-04-06").await;
    app.type_into("#trial-stopDate", "2026-06-01").await;
    app.type_into("#trial-doses-0-from", "2026-04-06").await;
    app.type_into("#trial-doses-0-daily", "0").await;
    app.select("#trial-outcome", "intolerance").await;
    app.type_into("#trial-adverseEffect", "insomnia and agitation")
        .await;
    app.click("#save-trial").await;
    app.wait_text("#error-summary", "more than 0").await;
    app.shot("14-trial-errors").await;
    app.type_into("#trial-doses-0-daily", "300").await;
    app.click("#save-trial").await;
    let table = app.wait_text("#trial-table", "NDRI").await;
    assert!(table.contains("SSRI"), "{table}");
    app.visible("#treatment-history").await;
    app.shot("15-treatment-history").await;

    // A Spravato screening: a save with a "yes" and no details is refused on that field, then
    // completed, signed with the provider's passphrase (a wrong one first), and frozen.
    app.click("#add-screening").await;
    app.click("#screening-modality").await;
    app.wait_for("#screening-aneurysm_avm-no").await;
    app.type_into("#screening-date", "2026-11-20").await;
    for item in [
        "aneurysm_avm",
        "ich_history",
        "hypersensitivity",
        "psychosis",
        "pregnancy",
        "substance_use",
        "med_z_drugs",
        "med_psychostimulants",
        "med_maois",
        "med_opioids",
    ] {
        app.click(&format!("#screening-{item}-no")).await;
    }
    app.click("#screening-med_benzodiazepines-yes").await;
    app.type_into("#screening-bp-0-date", "2026-11-20").await;
    app.type_into("#screening-bp-0-systolic", "128").await;
    app.type_into("#screening-bp-0-diastolic", "82").await;
    app.type_into("#screening-pdmpCheckedOn", "2026-11-19")
        .await;
    app.click("#screening-noKnownAllergies").await;
    app.click("#save-screening").await;
    app.wait_text("#error-summary", "Give the details").await;
    app.type_into(
        "#screening-med_benzodiazepines-detail",
        "Lorazepam 0.5 mg at night",
    )
    .await;
    app.click("#save-screening").await;
    app.visible(".sign-record").await;
    app.click(".sign-record").await;
    app.type_into("#sign-passphrase", "not my passphrase").await;
    app.click("#confirm-sign").await;
    app.wait_text("#sign-error-summary", "not correct").await;
    app.type_into("#sign-passphrase", PASS).await;
    app.shot("16a-sign-dialog").await;
    app.click("#confirm-sign").await;
    app.wait_text("#chart-screenings", "Signed by").await;
    // The banner's allergy state now comes from the screening.
    app.wait_text("#patient-banner", "No known allergies").await;
    assert!(
        app.absent(".sign-record").await,
        "a signed screening cannot be signed again"
    );
    app.visible("#chart-screenings").await;
    app.shot("16b-signed-screening").await;

    // The summary PDF, written to the export folder the app was started with.
    app.visible("#export-summary").await;
    app.click("#export-summary").await;
    app.wait_text("main", ".pdf").await;
    let text = exported_pdf_text(&exports, false);
    // Table cells wrap, so words are compared with the line breaks taken out.
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "Alder Clinic",
        "ØDEGÅRD, Łucja",
        "03-Feb-1979",
        "Sertraline",
        "Bupropion",
        "insomnia and agitation",
        "screening signed by Dr Alder",
        "Lorazepam 0.5 mg at night",
        "Page 1 of",
    ] {
        assert!(
            words.contains(needle),
            "{needle} missing from the summary:\n{text}"
        );
    }
    app.click("#lock-button").await;

    // Billing reads the history (it builds prior authorizations) but has no way to edit it.
    app.type_into("#unlock-username", "bill").await;
    app.type_into("#unlock-passphrase", PASS).await;
    app.click("#unlock-submit").await;
    app.type_into("#patient-search", "odeg").await;
    // Until the search answers, the list shows every patient.
    app.wait_text_where(
        "#patient-results",
        "showed only the searched patient",
        |t| t.contains("ØDEGÅRD") && !t.contains("SEED"),
    )
    .await;
    app.click("#patient-results .patient-link").await;
    app.wait_text("#patient-banner", "ØDEGÅRD").await;
    app.wait_text("#trial-table", "Sertraline").await;
    assert!(app.absent("#add-trial").await, "billing cannot add a trial");
    assert!(app.absent(".sign-record").await, "billing cannot sign");
    assert!(
        app.absent("#add-screening").await,
        "billing cannot add a screening"
    );
    assert!(
        app.absent(".edit-trial").await,
        "billing cannot open a trial's edit form"
    );
    app.visible("#treatment-history").await;
    app.shot("16-billing-history").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_patient_answers_a_phq9_in_the_kiosk_and_a_clinician_acknowledges_the_alert() {
    let _serial = SERIAL.lock().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    seed_clinic(
        &dir,
        "Birch Clinic",
        "birch",
        true,
        ("Kiosk", "Seedling", (1985, 6, 7)),
    );
    let app = launch(&["--data-dir", dir.to_str().unwrap()]).await;
    app.type_into("#unlock-username", "birch").await;
    app.type_into("#unlock-passphrase", PASS).await;
    app.click("#unlock-submit").await;
    app.wait_text("#patient-results", "SEEDLING").await;
    app.click("#patient-results .patient-link").await;
    app.wait_text("#patient-banner", "SEEDLING").await;

    // Hand the laptop to the patient with today's PHQ-9.
    app.click("#start-kiosk").await;
    app.wait_for("#kiosk-dialog").await;
    app.click("#confirm-start-kiosk").await;
    app.wait_for("#kiosk-q-1-0").await;
    let shown = app.wait_text("body", "").await;
    assert!(
        !shown.contains("SEEDLING") && !shown.contains("Kiosk Seedling"),
        "the kiosk shows no patient details:\n{shown}"
    );
    app.shot("20-kiosk-phq9").await;
    // Question 4 left out first: the patient is told which one.
    for q in [1, 2, 3, 5, 6, 7, 8, 9] {
        app.click(&format!("#kiosk-q-{q}-1")).await;
    }
    app.click("#kiosk-submit").await;
    app.wait_text("body", "question 4").await;
    app.click("#kiosk-q-4-1").await;
    app.click("#kiosk-submit").await;
    app.wait_for("#kiosk-finished").await;
    let done = app.wait_text("#kiosk-finished", "hand").await;
    assert!(
        !done.contains('9'),
        "no score is shown to the patient: {done}"
    );
    app.shot("21-kiosk-finished").await;

    // A staff member unlocks; the alert is on the patient and in the clinic's list.
    app.click("#kiosk-staff").await;
    app.type_into("#kiosk-staff-username", "birch").await;
    app.type_into("#kiosk-staff-passphrase", PASS).await;
    app.click("#kiosk-staff-unlock").await;
    // Back on the chart the kiosk was started from.
    app.wait_text("#patient-banner", "SEEDLING").await;
    let alerts = app.wait_text("#patient-alerts", "PHQ-9").await;
    assert!(alerts.to_lowercase().contains("question 9"), "{alerts}");
    app.visible("#patient-alerts").await;
    app.shot("22-patient-alert").await;

    // Acknowledge: an action is required, then the passphrase.
    app.click(".acknowledge-alert").await;
    app.type_into("#ack-passphrase", PASS).await;
    app.click("#confirm-acknowledge").await;
    app.wait_text("#ack-error-summary", "what was done").await;
    app.click("#ack-action-safety_plan").await;
    app.type_into("#ack-note", "Safety plan reviewed with the patient")
        .await;
    app.type_into("#ack-passphrase", PASS).await;
    app.click("#confirm-acknowledge").await;
    app.wait_gone(".acknowledge-alert").await;
    app.wait_text("#patient-alerts", "Acknowledged").await;

    // The chart shows the score with its band.
    let table = app.wait_text("#score-table", "PHQ-9").await;
    assert!(table.contains("Mild"), "{table}");
    app.visible("#chart-scores").await;
    app.shot("23-scores").await;
    app.close().await;
}

/// A clinic with a provider and a patient on a Spravato TRD course started last week.
fn seed_spravato_course(dir: &Path) {
    seed_spravato_course_with(dir, true);
}

/// The Birch clinic's patient with an active Spravato course; with `gates`, the patient's REMS
/// enrollment and the consents the clinic requires are recorded. Returns the course's id.
fn seed_spravato_course_with(dir: &Path, gates: bool) -> i64 {
    use ketachart_core::record::{self, RecordBody};
    use ketachart_core::treatment::{Course, CourseStatus, Indication, Modality};
    seed_clinic(
        dir,
        "Birch Clinic",
        "birch",
        true,
        ("Mae", "O'Hara", (1975, 5, 6)),
    );
    let mut s = VaultDir::new(dir).unlock("birch", PASS).unwrap();
    let today = chrono::Local::now().date_naive();
    let pid = ketachart_core::patient::list(&s, 0, 10).unwrap()[0].id.0;
    let course_id = record::create(
        &mut s,
        pid,
        &RecordBody::Course(Course {
            modality: Some(Modality::Spravato),
            indication: Some(Indication::Trd),
            protocol_id: Some("spravato_trd".into()),
            phases: vec![],
            start_date: (today - chrono::Duration::days(7))
                .format("%Y-%m-%d")
                .to_string(),
            status: CourseStatus::Active,
            status_reason: None,
            end_date: None,
            authorized_units: Some("16".into()),
            authorization_number: None,
            note: None,
        }),
        today,
    )
    .unwrap()
    .id;
    if !gates {
        return course_id;
    }
    // The gates before a first Spravato dose: the patient's REMS enrollment and the consents
    // the clinic requires (signed on paper a month ago, recorded in the chart).
    let month_ago = today - chrono::Duration::days(30);
    let form = ketachart_core::rems_enrollment::get(&s, pid).unwrap();
    ketachart_core::rems_enrollment::save(
        &mut s,
        &ketachart_core::rems_enrollment::RemsEnrollmentInput {
            patient_id: pid,
            version: form.version,
            status: "enrolled".into(),
            enrolled_on: month_ago.format("%Y-%m-%d").to_string(),
            first_name: form.first_name,
            last_name: form.last_name,
            birth_date: form.birth_date.format("%Y-%m-%d").to_string(),
            ..Default::default()
        },
        today,
    )
    .unwrap();
    sign_required_consents(&s, pid, Modality::Spravato, month_ago);
    course_id
}

/// Signs, on `on`, every consent the clinic requires for `modality` (the signed-in user
/// witnesses), with the real consent PDF.
fn sign_required_consents(
    s: &ketachart_core::Session,
    pid: i64,
    modality: ketachart_core::treatment::Modality,
    on: chrono::NaiveDate,
) {
    use ketachart_core::consent::{self, ConsentSignInput, SignatureInput};
    let pad = || SignatureInput {
        width: 400.0,
        height: 150.0,
        strokes: vec![(0..20)
            .map(|i| {
                vec![
                    20.0 + f64::from(i) * 15.0,
                    if i % 2 == 0 { 40.0 } else { 110.0 },
                ]
            })
            .collect()],
    };
    let required = consent::requirement::list(s)
        .unwrap()
        .into_iter()
        .find(|r| r.modality == modality)
        .map(|r| r.template_keys)
        .unwrap_or_default();
    for key in required {
        let draft = consent::prepare(s, pid, &key).unwrap();
        consent::sign_as_of(
            s,
            &ConsentSignInput {
                patient_id: pid,
                template_key: key,
                template_version: draft.template_version,
                patient_signer_name: String::new(),
                patient_signature: pad(),
                witness_signature: pad(),
                password: PASS.into(),
                course_id: None,
            },
            on,
            ketachart_pdf::consent::render_for_signing,
        )
        .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_charts_a_spravato_session_cannot_sign_it_early_and_exports_the_rems_form() {
    let _serial = SERIAL.lock().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let exports = tmp.path().join("exports");
    std::fs::create_dir(&exports).unwrap();
    seed_spravato_course(&dir);
    let app = launch_with_env(
        &["--data-dir", dir.to_str().unwrap()],
        &[("KETACHART_EXPORT_DIR", exports.to_str().unwrap())],
    )
    .await;
    app.open_only_patient("birch", "O'HARA").await;

    // A new session on the course: charted for yesterday (so every time is in the past).
    app.visible("#section-courses").await;
    app.click("#section-courses button[data-course-id]").await;
    app.wait_for("#session-vitals-0-systolic").await;
    let yesterday = (chrono::Local::now().date_naive() - chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    app.type_into("#session-date", &yesterday).await;
    for q in [
        "benzodiazepines",
        "nonBenzodiazepineHypnotics",
        "psychostimulants",
        "maois",
        "opioids",
    ] {
        app.click(&format!("#session-spravato-concomitant-{q}-no"))
            .await;
    }
    app.click("#session-spravato-doseMg-56").await;
    app.type_into("#session-spravato-lot", "LOT-E2E-7").await;
    // Vitals at three timepoints: pre-dose, 40 minutes and before discharge.
    for (row, time, sys, dia) in [
        (0, "08:50", "132", "84"),
        (1, "09:40", "138", "86"),
        (3, "11:05", "126", "80"),
    ] {
        app.type_into(&format!("#session-vitals-{row}-time"), time)
            .await;
        app.type_into(&format!("#session-vitals-{row}-systolic"), sys)
            .await;
        app.type_into(&format!("#session-vitals-{row}-diastolic"), dia)
            .await;
        app.type_into(&format!("#session-vitals-{row}-heartRate"), "76")
            .await;
        app.type_into(&format!("#session-vitals-{row}-spo2"), "98")
            .await;
    }
    app.type_into("#session-spravato-deviceTimes-0", "09:00")
        .await;
    app.type_into("#session-spravato-deviceTimes-1", "09:05")
        .await;
    // Discharge 100 minutes after the first device is refused on the field.
    app.type_into("#session-discharge-time", "10:40").await;
    app.click("#session-save").await;
    app.wait_text("#error-summary", "120 minutes").await;
    app.shot("20a-spravato-discharge-too-early").await;
    // Erased with keystrokes (End, then Backspace) so the form sees the edit.
    app.visible("#session-discharge-time")
        .await
        .send_keys(&format!("\u{E010}{}", "\u{E003}".repeat(5)))
        .await
        .unwrap();
    app.click("#session-save").await;
    app.wait_gone("#error-summary").await;

    // Signing now is refused: the REMS form's fields are still missing, and they are named.
    app.visible("#session-sign").await;
    app.click("#session-sign").await;
    app.type_into("#sign-passphrase", PASS).await;
    app.click("#confirm-sign").await;
    app.wait_text("#sign-error-summary", "Missing").await;
    let refusal = app.wait_text("#sign-error-summary", "Discharge time").await;
    assert!(refusal.contains("ready to leave"), "{refusal}");
    app.shot("20b-spravato-sign-refused").await;
    app.click("#cancel-sign").await;

    // Complete it: the REMS questions, discharge at 125 minutes with every criterion met.
    app.type_into("#session-spravato-readyToLeaveMinutes", "90")
        .await;
    for q in ["vitalsAcceptableBefore", "vitalsAcceptableAtEnd"] {
        app.click(&format!("#session-spravato-{q}-yes")).await;
    }
    for q in ["sedation", "dissociation", "respiratoryDepression"] {
        app.click(&format!("#session-spravato-{q}-no")).await;
    }
    for c in [
        "mental_status",
        "vitals_near_baseline",
        "ambulatory",
        "escort",
        "no_driving",
    ] {
        app.click(&format!("#session-discharge-criteria-{c}")).await;
    }
    app.type_into("#session-discharge-time", "11:05").await;
    app.click("#session-save").await;
    app.wait_text("main", "125").await;
    app.click("#session-sign").await;
    app.type_into("#sign-passphrase", PASS).await;
    app.click("#confirm-sign").await;
    app.wait_text("main", "Signed by").await;
    app.shot("20c-spravato-signed").await;

    // The REMS Patient Monitoring Form, from the signed session.
    app.click("#export-rems-form").await;
    app.wait_text("#export-session-result", ".pdf").await;
    let text = exported_pdf_text(&exports, true);
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in ["Birch Clinic", "O'Hara", "LOT-E2E-7", "125"] {
        assert!(
            words.contains(needle),
            "{needle} missing from the REMS form:\n{text}"
        );
    }
    for bp in [("132", "84"), ("138", "86"), ("126", "80")] {
        assert!(
            words.contains(&format!("{}/{}", bp.0, bp.1))
                || words.contains(&format!("{} {}", bp.0, bp.1)),
            "BP {bp:?} missing from the REMS form:\n{text}"
        );
    }
    app.close().await;
}

/// Billing staff take the demo patient with two failed trials (sertraline, bupropion) from the
/// gap check to a finished packet: Cigna's Spravato TRD policy is met criterion by criterion,
/// a request is created and marked ready (the core evaluates it again), and the packet PDF is
/// exported and read back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn billing_checks_a_patient_with_two_failed_trials_and_exports_a_finished_pa_packet() {
    let _serial = SERIAL.lock().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let exports = tmp.path().join("exports");
    std::fs::create_dir(&exports).unwrap();
    // The demo clinic, made before launch so the test knows the second patient's MRN.
    ketachart_core::demo::ensure_demo_vault(
        &dir,
        KdfParams::FAST_FOR_TESTS,
        chrono::Local::now().date_naive(),
        &ketachart_pdf::consent::render_for_signing,
    )
    .unwrap();
    let (mrn, family, first_mrn) = {
        let s = VaultDir::new(&dir)
            .unlock(
                ketachart_core::demo::DEMO_USERNAME,
                ketachart_core::demo::DEMO_PASSPHRASE,
            )
            .unwrap();
        let two = ketachart_core::patient::list(&s, 0, 2).unwrap();
        s.close(ketachart_core::session::CloseReason::Exit);
        (
            two[1].mrn.clone(),
            two[1].family_name.clone(),
            two[0].mrn.clone(),
        )
    };
    let app = launch_with_env(
        &["--data-dir", dir.to_str().unwrap()],
        &[("KETACHART_EXPORT_DIR", exports.to_str().unwrap())],
    )
    .await;
    app.type_into("#unlock-username", "demo-billing").await;
    app.type_into("#unlock-passphrase", ketachart_core::demo::DEMO_PASSPHRASE)
        .await;
    app.click("#unlock-submit").await;
    app.type_into("#patient-search", &mrn).await;
    // The search narrows the list to this patient (the first demo patient drops out).
    app.wait_text_where("#patient-results", "showed only the searched MRN", |t| {
        t.contains(&mrn) && !t.contains(&first_mrn)
    })
    .await;
    app.click("#patient-results .patient-link").await;
    app.wait_text("#patient-banner", &mrn).await;
    assert!(!family.is_empty());
    app.wait_text("#trial-table", "Bupropion").await;

    // The gap check: every criterion met, each with its evidence.
    app.visible("#chart-prior-auth").await;
    app.select("#pa-service", "spravato_trd").await;
    app.select("#pa-ruleset", "cigna-spravato-trd").await;
    app.click("#pa-check-button").await;
    let verdict = app.wait_text("#pa-verdict", "Ready to submit").await;
    assert!(verdict.contains("criteria met"), "{verdict}");
    let criteria = app
        .wait_text("#chart-prior-auth", "2 failed antidepressant trials")
        .await;
    for needle in ["Sertraline", "Bupropion", "PDMP", "psychiatrist"] {
        assert!(criteria.contains(needle), "{needle} missing:\n{criteria}");
    }
    app.shot("30-pa-gap-check-ready").await;

    // A request for the checked policy, with the Spravato code line.
    app.click("#pa-new-request").await;
    app.wait_for("#pa-req-form").await;
    app.type_into("#pa-req-line-0-code", "J0013").await;
    app.type_into("#pa-req-line-0-units", "448").await;
    app.type_into("#pa-req-line-0-ndc", "50458-0028-02").await;
    app.shot("31-pa-request-form").await;
    app.click("#pa-req-save").await;
    app.wait_text("#pa-requests", "Draft").await;
    // A new request opens with its details and actions.
    app.click("[id^='pa-req-'][id$='-ready']").await;
    // Ready: the core evaluated the request again; it now offers recording the submission.
    app.wait_gone("[id^='pa-req-'][id$='-ready']").await;
    app.wait_text("#pa-requests", "Record submission").await;
    app.shot("32-pa-request-ready").await;

    // The finished packet: no draft watermark, every criterion row, both trial rows.
    app.click(".export-pa-pdf").await;
    app.wait_text(".export-pa-result", ".pdf").await;
    let text = exported_pdf_text(&exports, true);
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "Prior authorization request",
        "Letter of medical necessity",
        "J0013",
        "F33.2",
        "Sertraline",
        "Bupropion",
        "Age 18 or older",
        "Ordered by a psychiatrist",
        "PDMP",
        &mrn,
    ] {
        assert!(
            words.contains(needle),
            "{needle} missing from the packet:\n{text}"
        );
    }
    assert!(
        !words.contains("DRAFT"),
        "a ready packet is not a draft:\n{text}"
    );
    app.close().await;
}

/// A three-page pharmacy fill history (a real PDF) whose pages say what they are.
fn pharmacy_history_pdf(path: &Path) {
    use ketachart_pdf::{Block, Document, PageHeader};
    let mut blocks = vec![Block::Paragraph(
        "CVS Pharmacy fill history, page one: patient details".into(),
    )];
    blocks.extend((0..70).map(|i| Block::Paragraph(format!("Filler line {i}"))));
    blocks.push(Block::Paragraph(
        "Sertraline 100 mg fills: 2026-02-02, 2026-03-02".into(),
    ));
    let doc = Document {
        header: PageHeader {
            clinic_name: "CVS Pharmacy".into(),
            document_title: "Prescription fill history".into(),
            patient_line: "Al-Rashid, Noor".into(),
            generated_line: "Printed 2026-04-01".into(),
            signed_line: None,
        },
        blocks,
        watermark: None,
    };
    std::fs::write(path, ketachart_pdf::render(&doc).unwrap()).unwrap();
}

/// A provider imports an outside pharmacy fill history into the encrypted store (a renamed
/// program is refused first), links its page 2 to the sertraline trial, opens it at that page
/// in the viewer, and finds it cited under the treatment-failure table of the summary PDF.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pharmacy_history_pdf_is_imported_linked_to_a_trial_and_cited_in_the_summary() {
    let _serial = SERIAL.lock().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let exports = tmp.path().join("exports");
    std::fs::create_dir(&exports).unwrap();
    seed_clinic(
        &dir,
        "Cedar Clinic",
        "cedar",
        true,
        ("Noor", "Al-Rashid", (1984, 7, 9)),
    );
    let trial_id = {
        use ketachart_core::trial::{self, DoseInput, TrialInput};
        let mut s = VaultDir::new(&dir).unlock("cedar", PASS).unwrap();
        let pid = ketachart_core::patient::list(&s, 0, 10).unwrap()[0].id.0;
        trial::create(
            &mut s,
            pid,
            &TrialInput {
                drug: "sertraline".into(),
                role: "monotherapy".into(),
                start_date: "2026-01-05".into(),
                stop_date: "2026-04-20".into(),
                doses: vec![DoseInput {
                    from: "2026-01-05".into(),
                    daily: "100".into(),
                }],
                adherence_percent: "95".into(),
                adherence_source: "pharmacy_fills".into(),
                outcome: "no_response".into(),
                current_episode: true,
                ..Default::default()
            },
            chrono::Local::now().date_naive(),
        )
        .unwrap()
        .id
    };
    let history = tmp.path().join("cvs-fills.pdf");
    pharmacy_history_pdf(&history);
    let program = tmp.path().join("fills.pdf");
    std::fs::write(
        &program,
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00",
    )
    .unwrap();

    let app = launch_with_env(
        &["--data-dir", dir.to_str().unwrap()],
        &[("KETACHART_EXPORT_DIR", exports.to_str().unwrap())],
    )
    .await;
    app.open_only_patient("cedar", "AL-RASHID").await;

    // A program renamed ".pdf" is refused on the path, and nothing is stored.
    app.visible("#import-document").await;
    app.click("#import-document").await;
    app.type_into("#doc-import-path", program.to_str().unwrap())
        .await;
    app.select("#doc-import-kind", "pharmacy_history").await;
    app.type_into("#doc-import-title", "CVS fills 2026").await;
    app.click("#doc-import-save").await;
    let refusal = app.wait_text("#doc-import-error-summary", "program").await;
    assert!(refusal.contains("PDF"), "{refusal}");
    app.shot("30a-document-refused").await;

    // The real fill history, linked to the sertraline trial at page 2.
    // Erased with keystrokes (End, then Backspace) so the form sees the edit.
    let typed = program.to_str().unwrap().chars().count();
    app.visible("#doc-import-path")
        .await
        .send_keys(&format!(
            "\u{E010}{}{}",
            "\u{E003}".repeat(typed),
            history.to_str().unwrap()
        ))
        .await
        .unwrap();
    app.type_into("#doc-import-documentDate", "2026-04").await;
    app.type_into("#doc-import-source", "CVS Pharmacy, Main St")
        .await;
    app.click("#doc-import-add-link").await;
    app.select("#doc-import-links-0-record", &format!("trial:{trial_id}"))
        .await;
    app.type_into("#doc-import-links-0-page", "2").await;
    app.click("#doc-import-save").await;
    app.wait_gone("#doc-import-dialog").await;
    // The stored document opens in the viewer (PDF.js in the webview, from the vault's bytes).
    app.wait_text("#doc-viewer-page", "Page 1 of 3").await;
    app.visible("#doc-viewer-canvas").await;
    app.shot("30b-document-imported").await;
    app.click("#doc-viewer-close").await;
    app.wait_gone("#doc-viewer").await;
    let listed = app.wait_text("#documents-table", "CVS fills 2026").await;
    assert!(listed.contains("Pharmacy fill history"), "{listed}");

    // The trial names its source; the viewer opens the stored PDF at the cited page.
    let row = app
        .wait_text(&format!("#trial-{trial_id}"), "CVS fills 2026")
        .await;
    assert!(row.contains("p. 2"), "{row}");
    app.click(&format!("#trial-{trial_id} .trial-source")).await;
    app.wait_text("#doc-viewer-page", "Page 2 of 3").await;
    app.visible("#doc-viewer-canvas").await;
    app.shot("30c-document-viewer").await;
    app.click("#doc-viewer-close").await;
    app.wait_gone("#doc-viewer").await;

    // The summary's treatment-failure table cites the document and its page.
    app.click("#export-summary").await;
    app.wait_text("#export-summary-done", ".pdf").await;
    let text = exported_pdf_text(&exports, false);
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("Pharmacy fill history — CVS fills 2026"),
        "citation missing:\n{text}"
    );
    assert!(words.contains("p. 2"), "page missing:\n{text}");
    app.close().await;

    // Encrypted at rest: no file of the vault holds the document's text.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes.windows(14).any(|w| w == b"Sertraline 100"));
        assert!(!bytes.windows(5).any(|w| w == b"%PDF-"));
    }
}

/// Draws a zigzag signature across the canvas `css` with the mouse.
async fn draw_signature(app: &App, css: &str) {
    use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
    let pad = app.visible(css).await;
    let mut mouse = MouseActions::new("signature".into())
        .then(PointerAction::MoveToElement {
            element: pad.clone(),
            duration: None,
            x: -120.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        });
    for i in 0..12 {
        mouse = mouse.then(PointerAction::MoveBy {
            duration: Some(Duration::from_millis(20)),
            x: 20.0,
            y: if i % 2 == 0 { 25.0 } else { -25.0 },
        });
    }
    mouse = mouse.then(PointerAction::Up {
        button: MOUSE_BUTTON_LEFT,
    });
    app.client.perform_actions(mouse).await.unwrap();
}

/// Before a first Spravato session the chart names the consents still missing; the patient
/// reads the consent on screen and signs it with the mouse, the witness too (an empty witness
/// pad is refused first), and the signed consent is stored as a document; the patient's REMS
/// enrollment is recorded (its date required) and its form printed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consent_is_read_and_signed_on_screen_before_the_first_session() {
    let _serial = SERIAL.lock().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let exports = tmp.path().join("exports");
    std::fs::create_dir(&exports).unwrap();
    let course_id = seed_spravato_course_with(&dir, false);
    let app = launch_with_env(
        &["--data-dir", dir.to_str().unwrap()],
        &[("KETACHART_EXPORT_DIR", exports.to_str().unwrap())],
    )
    .await;
    app.open_only_patient("birch", "O'HARA").await;

    let missing = app
        .wait_text(
            "#consents-missing",
            "Spravato (esketamine) treatment consent",
        )
        .await;
    assert!(missing.contains("Notice of privacy practices"), "{missing}");
    app.click(&format!(
        "#missing-consent-{course_id}-spravato_treatment-prepare"
    ))
    .await;
    let text = app.wait_text("#consent-text", "esketamine").await;
    assert!(
        text.contains("O'Hara"),
        "the patient's name is filled in: {text}"
    );
    draw_signature(&app, "#consent-patient-signature").await;
    app.type_into("#consent-password", PASS).await;
    app.click("#consent-sign").await;
    app.wait_text("#consent-error-summary", "witness has not signed")
        .await;
    app.shot("31a-consent-witness-missing").await;

    draw_signature(&app, "#consent-witness-signature").await;
    if app
        .visible("#consent-password")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
        .is_empty()
    {
        app.type_into("#consent-password", PASS).await;
    }
    app.click("#consent-sign").await;
    app.wait_gone("#consent-dialog").await;
    app.wait_text("#consents-table", "Spravato (esketamine) treatment consent")
        .await;
    let still = app
        .wait_text_where(
            "#consents-missing",
            "only the privacy notice missing",
            |t| !t.contains("Spravato (esketamine) treatment consent"),
        )
        .await;
    assert!(still.contains("Notice of privacy practices"), "{still}");
    app.wait_text(
        "#documents-table",
        "Spravato (esketamine) treatment consent",
    )
    .await;
    app.shot("31b-consent-signed").await;

    // The REMS patient enrollment, recorded on the chart: "enrolled" needs its date.
    app.click("#rems-enrollment-edit").await;
    app.click("#rems-enrollment-status-enrolled").await;
    app.click("#rems-enrollment-save").await;
    app.wait_text("#rems-enrollment-form", "date").await;
    let enrolled_on = (chrono::Local::now().date_naive() - chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    app.type_into("#rems-enrollment-enrolledOn", &enrolled_on)
        .await;
    app.type_into("#rems-enrollment-remsPatientId", "RP-77120")
        .await;
    app.click("#rems-enrollment-save").await;
    app.wait_gone("#rems-enrollment-form").await;
    app.wait_text("#rems-enrollment", "Enrolled on").await;
    app.shot("31c-rems-enrollment").await;
    app.click("#export-rems-enrollment").await;
    app.wait_text("#export-rems-enrollment-done", ".pdf").await;
    let text = exported_pdf_text(&exports, false);
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "Patient Enrollment Form",
        "O'Hara",
        "RP-77120",
        "Birch Clinic",
    ] {
        assert!(
            words.contains(needle),
            "{needle} missing from the enrollment form:\n{text}"
        );
    }
    app.close().await;
}

/// A Medicare patient starting TMS with no documented failed trials: the linked Medicare TMS
/// policy finds the patient not eligible, so the course offers an ABN; the patient chooses
/// option 2 and signs it on screen, and the ABN is stored with the course (the option is
/// required first).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_medicare_patient_signs_an_abn_for_a_course_medicare_may_not_pay_for() {
    use ketachart_core::payer::{self, PayerInput, PayerType};
    use ketachart_core::record::coverage::{Benefit, Coverage, Priority, Relationship};
    use ketachart_core::record::{self, RecordBody};
    use ketachart_core::treatment::{Course, CourseStatus, Indication, Modality};
    let _serial = SERIAL.lock().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    seed_clinic(
        &dir,
        "Aspen Clinic",
        "aspen",
        true,
        ("Ruth", "Okafor-Lee", (1950, 3, 14)),
    );
    let course_id = {
        let mut s = VaultDir::new(&dir).unlock("aspen", PASS).unwrap();
        let today = chrono::Local::now().date_naive();
        let iso = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        let pid = ketachart_core::patient::list(&s, 0, 10).unwrap()[0].id.0;
        let medicare = payer::create(
            &mut s,
            &PayerInput {
                name: "Medicare Part B".into(),
                payer_type: Some(PayerType::Medicare),
                active: true,
                ..Default::default()
            },
        )
        .unwrap()
        .id;
        ketachart_core::pa::registry::link_payer(&s, medicare, &["medicare-l37086-tms".into()])
            .unwrap();
        record::create(
            &mut s,
            pid,
            &RecordBody::Coverage(Coverage {
                payer_id: medicare,
                plan_name: "Original Medicare".into(),
                member_id: "1EG4TE5MK73".into(),
                group_number: None,
                relationship: Some(Relationship::Self_),
                subscriber_name: None,
                benefit: Some(Benefit::Both),
                priority: Some(Priority::Primary),
                effective_from: iso(today - chrono::Duration::days(400)),
                effective_to: None,
                pa_phone: None,
                pa_fax: None,
            }),
            today,
        )
        .unwrap();
        record::create(
            &mut s,
            pid,
            &RecordBody::Course(Course {
                modality: Some(Modality::Tms),
                indication: Some(Indication::Trd),
                protocol_id: Some("tms_standard".into()),
                phases: vec![],
                start_date: iso(today + chrono::Duration::days(7)),
                status: CourseStatus::Active,
                status_reason: None,
                end_date: None,
                authorized_units: None,
                authorization_number: None,
                note: None,
            }),
            today,
        )
        .unwrap()
        .id
    };
    let app = launch(&["--data-dir", dir.to_str().unwrap()]).await;
    app.open_only_patient("aspen", "OKAFOR-LEE").await;

    app.click(&format!("#prepare-abn-{course_id}")).await;
    let service = app
        .wait_for("#abn-service")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(service.contains("magnetic stimulation"), "{service}");
    app.type_into("#abn-cost", "9450").await;
    draw_signature(&app, "#abn-patient-signature").await;
    app.type_into("#abn-password", PASS).await;
    app.click("#abn-sign").await;
    app.wait_text("#abn-error-summary", "option").await;
    app.click("#abn-option-2").await;
    if app
        .visible("#abn-password")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
        .is_empty()
    {
        app.type_into("#abn-password", PASS).await;
    }
    app.shot("32a-abn-dialog").await;
    app.click("#abn-sign").await;
    app.wait_gone("#abn-dialog").await;
    let signed = app
        .wait_text(&format!("#abn-{course_id}-signed"), "Option 2")
        .await;
    assert!(signed.contains("9,450.00"), "{signed}");
    app.wait_text("#documents-table", "Advance Beneficiary Notice")
        .await;
    app.shot("32b-abn-signed").await;
    app.close().await;
}
