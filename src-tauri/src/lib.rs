//! KetaChart desktop shell: Tauri window, IPC commands and wire shapes over `ketachart-core`.
//! This is the only crate that depends on Tauri.

pub mod commands;
pub mod dto;
pub mod error;
pub mod launch;
pub mod state;

use std::time::Duration;

use ketachart_core::session::CloseReason;
use tauri_specta::{collect_commands, collect_events, Builder, Event};

use dto::vault::{LockReason, VaultLocked};

/// Every command the UI may call; also the source of the generated TypeScript bindings.
pub fn specta_builder() -> Builder<tauri::Wry> {
    specta_builder_for::<tauri::Wry>()
}

/// The same command set for any runtime (the mock runtime in tests).
pub fn specta_builder_for<R: tauri::Runtime>() -> Builder<R> {
    Builder::<R>::new()
        // One TypeScript type per wire type (no separate _Serialize/_Deserialize variants).
        .disable_serde_phases()
        .commands(collect_commands![
            commands::vault::app_status,
            commands::vault::passphrase_strength,
            commands::vault::create_clinic,
            commands::vault::unlock,
            commands::vault::unlock_with_recovery_key,
            commands::vault::lock,
            commands::vault::record_activity,
            commands::vault::change_own_password,
            commands::patients::list_patients,
            commands::patients::search_patients,
            commands::patients::get_patient,
            commands::patients::create_patient,
            commands::patients::update_patient,
            commands::trials::list_trials,
            commands::trials::create_trial,
            commands::trials::update_trial,
            commands::trials::search_drugs,
            commands::documents::list_documents,
            commands::documents::import_document,
            commands::documents::update_document,
            commands::documents::set_document_links,
            commands::documents::document_content,
            commands::documents::export_document,
            commands::documents::remove_document,
            commands::consents::list_consent_templates,
            commands::consents::save_consent_template,
            commands::consents::consent_requirements,
            commands::consents::set_consent_requirements,
            commands::consents::prepare_consent,
            commands::consents::sign_consent,
            commands::consents::list_consents,
            commands::consents::abn_need,
            commands::consents::sign_abn,
            commands::consents::list_abns,
            commands::records::list_records,
            commands::records::create_record,
            commands::records::update_record,
            commands::records::sign_record,
            commands::records::add_addendum,
            commands::records::list_payers,
            commands::records::create_payer,
            commands::records::update_payer,
            commands::records::search_diagnoses,
            commands::records::screening_items,
            commands::records::list_drug_floors,
            commands::records::set_drug_floor,
            commands::records::patient_timeline,
            commands::summary::export_summary_pdf,
            commands::treatment::list_courses,
            commands::treatment::new_session_draft,
            commands::treatment::evaluate_session,
            commands::treatment::session_facts,
            commands::treatment::treatment_options,
            commands::treatment::rems_due,
            commands::treatment::rems_submission,
            commands::treatment::mark_rems_submitted,
            commands::treatment::export_rems_form,
            commands::rems_enrollment::rems_enrollment,
            commands::rems_enrollment::save_rems_enrollment,
            commands::rems_enrollment::export_rems_enrollment_pdf,
            commands::treatment::export_session_summary,
            commands::treatment_settings::get_treatment_settings,
            commands::treatment_settings::update_treatment_settings,
            commands::pa_request::export_pa_packet,
            commands::pa_request::export_superbill,
            commands::pa_request::list_pa_requests,
            commands::pa_request::create_pa_request,
            commands::pa_request::update_pa_request,
            commands::pa_request::evaluate_pa_request,
            commands::pa_request::pa_request_transition,
            commands::pa_request::attest_pa_request,
            commands::pa_request::override_pa_request,
            commands::pa_request::pa_letter_draft,
            commands::pa_request::set_pa_letter,
            commands::pa_request::pa_queue,
            commands::pa_request::list_chart_tasks,
            commands::pa_request::create_chart_task,
            commands::pa_request::complete_chart_task,
            commands::pa_request::list_fees,
            commands::pa_request::set_fee,
            commands::pa_request::remove_fee,
            commands::pa::list_rule_sets,
            commands::pa::import_rule_file,
            commands::pa::payer_rule_links,
            commands::pa::set_payer_rule_links,
            commands::pa::pa_check,
            commands::pa::pa_compare,
            commands::scores::list_instruments,
            commands::scores::record_score,
            commands::scores::list_scores,
            commands::scores::score_trends,
            commands::scores::open_alerts,
            commands::scores::patient_alerts,
            commands::scores::acknowledge_alert,
            commands::kiosk::start_kiosk,
            commands::kiosk::kiosk_status,
            commands::kiosk::kiosk_submit,
            commands::users::list_users,
            commands::users::create_user,
            commands::users::set_user_roles,
            commands::users::disable_user,
            commands::users::reset_user_password,
            commands::users::replace_recovery_key,
            commands::audit::list_audit,
            commands::audit::audit_actions,
            commands::audit::verify_audit,
            commands::audit::export_folder,
            commands::audit::export_audit_csv,
            commands::backup::get_settings,
            commands::backup::update_settings,
            commands::profile::get_clinic_profile,
            commands::profile::update_clinic_profile,
            commands::profile::list_provider_profiles,
            commands::profile::get_my_profile,
            commands::profile::update_provider_profile,
            commands::backup::create_backup,
            commands::backup::list_backups,
            commands::backup::verify_backup,
            commands::backup::restore_backup,
            commands::backup::inspect_backup_file,
            commands::backup::restore_new_vault,
        ])
        .events(collect_events![VaultLocked])
}

/// Once a second: lock after the idle time (and tell the UI); once a minute: the daily backup
/// when one is due.
fn spawn_watchdog(app: tauri::AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        let mut n: u64 = 0;
        loop {
            tick.tick().await;
            n += 1;
            let handle = app.clone();
            let check_backup = n % 60 == 30;
            let locked = tauri::async_runtime::spawn_blocking(move || {
                use tauri::Manager;
                let state = handle.state::<state::AppState>();
                if check_backup {
                    state.run_scheduled_backup();
                }
                state.lock_if_idle()
            })
            .await
            .unwrap_or(false);
            if locked {
                let _ = VaultLocked {
                    reason: LockReason::Idle,
                }
                .emit(&app);
            }
        }
    });
}

/// Where the generated bindings live, relative to this crate.
pub const BINDINGS_PATH: &str = "../ui/src/lib/bindings.ts";

pub fn run() {
    launch::init_logging();
    let options = match launch::LaunchOptions::from_args(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("{msg}\n\n{}", launch::USAGE);
            std::process::exit(2);
        }
    };
    if options.help {
        println!("{}", launch::USAGE);
        return;
    }
    let state = launch::prepare_state(&options);
    let builder = specta_builder();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            spawn_watchdog(app.handle().clone());
            Ok(())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { .. } | tauri::WindowEvent::Destroyed = event
            {
                use tauri::Manager;
                let _ = window.state::<state::AppState>().lock(CloseReason::Exit);
            }
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!(error = %e, "KetaChart could not start");
        eprintln!("KetaChart could not start: {e}");
        std::process::exit(1);
    }
}
