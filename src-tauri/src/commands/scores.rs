//! Rating scales: the instruments, recording and listing scores, trends, and safety alerts.
//! Scoring, validation and permissions are the core's.

use ketachart_core::scales;
use ketachart_core::scores::{self, alert};
use tauri::State;

use crate::dto::patient::PatientId;
use crate::dto::score::{
    AcknowledgeForm, AlertId, AlertView, InstrumentView, ScoreForm, ScoreView, TrendView,
};
use crate::error::IpcError;
use crate::state::AppState;

/// The bundled instrument definitions, in the reference's order.
#[tauri::command]
#[specta::specta]
pub async fn list_instruments() -> Result<Vec<InstrumentView>, IpcError> {
    Ok(scales::bundled()?
        .instruments
        .iter()
        .map(InstrumentView::from)
        .collect())
}

/// Scores and saves one administration (and raises its safety alert, if any).
#[tauri::command]
#[specta::specta]
pub async fn record_score(
    state: State<'_, AppState>,
    patient_id: PatientId,
    form: ScoreForm,
) -> Result<ScoreView, IpcError> {
    state
        .with_session(move |s| {
            let now = chrono::Local::now().naive_local();
            Ok(scores::record(s, patient_id.0, &form.into(), now)?.into())
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_scores(
    state: State<'_, AppState>,
    patient_id: PatientId,
) -> Result<Vec<ScoreView>, IpcError> {
    state
        .with_session(move |s| {
            Ok(scores::list(s, patient_id.0, None)?
                .into_iter()
                .map(Into::into)
                .collect())
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn score_trends(
    state: State<'_, AppState>,
    patient_id: PatientId,
) -> Result<Vec<TrendView>, IpcError> {
    state
        .with_session(move |s| {
            Ok(scores::trends(s, patient_id.0)?
                .into_iter()
                .map(TrendView::new)
                .collect())
        })
        .await
}

/// Every open safety alert in the clinic, longest-waiting first.
#[tauri::command]
#[specta::specta]
pub async fn open_alerts(state: State<'_, AppState>) -> Result<Vec<AlertView>, IpcError> {
    state
        .with_session(|s| Ok(alert::open(s)?.into_iter().map(Into::into).collect()))
        .await
}

/// A patient's alerts, open and acknowledged, newest first.
#[tauri::command]
#[specta::specta]
pub async fn patient_alerts(
    state: State<'_, AppState>,
    patient_id: PatientId,
) -> Result<Vec<AlertView>, IpcError> {
    state
        .with_session(move |s| {
            Ok(alert::for_patient(s, patient_id.0)?
                .into_iter()
                .map(Into::into)
                .collect())
        })
        .await
}

/// A provider acknowledges an open alert with what was done, re-entering their passphrase.
#[tauri::command]
#[specta::specta]
pub async fn acknowledge_alert(
    state: State<'_, AppState>,
    id: AlertId,
    form: AcknowledgeForm,
    passphrase: String,
) -> Result<AlertView, IpcError> {
    state
        .with_session(move |s| {
            Ok(scores::acknowledge(
                s,
                id.0,
                form.action.map(Into::into),
                form.note.as_deref(),
                &passphrase,
            )?
            .into())
        })
        .await
}
