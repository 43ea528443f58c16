//! Declares the app's commands so Tauri generates `allow-*` permissions for them; the
//! capability file then lists exactly which ones the window may call (an allow-list).

const COMMANDS: &[&str] = &[
    "app_status",
    "passphrase_strength",
    "create_clinic",
    "unlock",
    "unlock_with_recovery_key",
    "lock",
    "record_activity",
    "change_own_password",
    "list_patients",
    "search_patients",
    "get_patient",
    "create_patient",
    "update_patient",
    "list_trials",
    "create_trial",
    "update_trial",
    "search_drugs",
    "list_records",
    "create_record",
    "update_record",
    "sign_record",
    "add_addendum",
    "list_payers",
    "create_payer",
    "update_payer",
    "search_diagnoses",
    "screening_items",
    "list_drug_floors",
    "set_drug_floor",
    "patient_timeline",
    "export_summary_pdf",
    "list_users",
    "create_user",
    "set_user_roles",
    "disable_user",
    "reset_user_password",
    "replace_recovery_key",
    "list_audit",
    "audit_actions",
    "verify_audit",
    "export_folder",
    "export_audit_csv",
    "get_settings",
    "update_settings",
    "create_backup",
    "list_backups",
    "verify_backup",
    "restore_backup",
    "inspect_backup_file",
    "restore_new_vault",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed");
}
