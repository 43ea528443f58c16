//! Declares the app's commands so Tauri generates `allow-*` permissions for them; the
//! capability file then lists exactly which ones the window may call (an allow-list).

const COMMANDS: &[&str] = &[
    "app_status",
    "passphrase_strength",
    "create_clinic",
    "unlock",
    "lock",
    "list_patients",
    "search_patients",
    "get_patient",
    "create_patient",
    "update_patient",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed");
}
