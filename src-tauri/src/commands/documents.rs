//! The document store: list, import (the core reads the chosen file), describe, link, view
//! (audited), export (audited) and remove (with a reason). Viewing needs the clinical read
//! permission; changing needs `ManageDocuments` (the core checks).

use ketachart_core::document;
use tauri::State;

use super::today;
use crate::dto::documents::{
    DocumentContent, DocumentId, DocumentImport, DocumentLinkInput, DocumentMeta, DocumentView,
};
use crate::dto::patient::PatientId;
use crate::error::IpcError;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_documents(
    state: State<'_, AppState>,
    patient_id: PatientId,
) -> Result<Vec<DocumentView>, IpcError> {
    state
        .with_session(move |s| {
            Ok(document::list(s, patient_id.0)?
                .into_iter()
                .map(Into::into)
                .collect())
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn import_document(
    state: State<'_, AppState>,
    input: DocumentImport,
) -> Result<DocumentView, IpcError> {
    state
        .with_session(move |s| Ok(document::import(s, &input.into(), today())?.into()))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn update_document(
    state: State<'_, AppState>,
    id: DocumentId,
    meta: DocumentMeta,
) -> Result<DocumentView, IpcError> {
    state
        .with_session(move |s| Ok(document::update_meta(s, id.0, &meta.into(), today())?.into()))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn set_document_links(
    state: State<'_, AppState>,
    id: DocumentId,
    links: Vec<DocumentLinkInput>,
) -> Result<DocumentView, IpcError> {
    state
        .with_session(move |s| {
            let links: Vec<_> = links.into_iter().map(Into::into).collect();
            Ok(document::set_links(s, id.0, &links)?.into())
        })
        .await
}

/// The bytes for the viewer (audited as a view).
#[tauri::command]
#[specta::specta]
pub async fn document_content(
    state: State<'_, AppState>,
    id: DocumentId,
) -> Result<DocumentContent, IpcError> {
    state
        .with_session(move |s| Ok(document::content(s, id.0)?.into()))
        .await
}

/// Writes the document where the user chose (audited).
#[tauri::command]
#[specta::specta]
pub async fn export_document(
    state: State<'_, AppState>,
    id: DocumentId,
    path: String,
) -> Result<(), IpcError> {
    state
        .with_session(move |s| {
            document::export(s, id.0, &path)?;
            Ok(())
        })
        .await
}

/// Removes a document from lists and packets, with a reason (the audit keeps the fact).
#[tauri::command]
#[specta::specta]
pub async fn remove_document(
    state: State<'_, AppState>,
    id: DocumentId,
    reason: String,
) -> Result<(), IpcError> {
    state
        .with_session(move |s| Ok(document::remove(s, id.0, &reason)?))
        .await
}
