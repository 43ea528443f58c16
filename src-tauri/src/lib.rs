//! KetaChart desktop shell: Tauri window, IPC commands and wire shapes over `ketachart-core`.
//! This is the only crate that depends on Tauri.

pub mod commands;
pub mod dto;
pub mod error;
pub mod launch;
pub mod state;

use tauri_specta::{collect_commands, Builder};

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
            commands::vault::lock,
            commands::patients::list_patients,
            commands::patients::search_patients,
            commands::patients::get_patient,
            commands::patients::create_patient,
            commands::patients::update_patient,
        ])
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
        .manage(state)
        .invoke_handler(builder.invoke_handler())
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { .. } | tauri::WindowEvent::Destroyed = event
            {
                use tauri::Manager;
                let _ = window.state::<state::AppState>().lock();
            }
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!(error = %e, "KetaChart could not start");
        eprintln!("KetaChart could not start: {e}");
        std::process::exit(1);
    }
}
