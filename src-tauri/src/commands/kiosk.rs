//! "Hand the laptop to the patient": a staff member starts self-entry of the questionnaires
//! assigned for today; the app then answers only the kiosk commands (no patient details, no
//! other screens) until a staff member unlocks it (the ordinary `unlock`), any lock, or the
//! kiosk's shorter idle time. Answers land as patient self-report.

use std::collections::BTreeMap;

use ketachart_core::access::Permission;
use ketachart_core::patient;
use ketachart_core::scales::{self, definition::Rater, EntryMode};
use ketachart_core::scores::{self, Mode, ScoreInput};
use ketachart_core::validation::ValidationErrors;
use ketachart_core::CoreError;
use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::dto::patient::PatientId;
use crate::dto::score::InstrumentView;
use crate::error::{ErrorCode, IpcError};
use crate::state::{AppState, Kiosk};

/// What the kiosk shows: the questionnaires still to answer, and progress. Nothing about the
/// patient.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KioskView {
    pub remaining: Vec<InstrumentView>,
    pub total: u32,
    pub done: u32,
}

fn view(k: &Kiosk) -> Result<KioskView, IpcError> {
    let reference = scales::bundled()?;
    Ok(KioskView {
        remaining: k
            .remaining()
            .iter()
            .filter_map(|id| reference.get(id))
            .map(InstrumentView::from)
            .collect(),
        total: k.instruments.len() as u32,
        done: k.done.len() as u32,
    })
}

/// Starts patient self-entry of `instruments` (self-report questionnaires answered item by
/// item) for a patient. Providers and nurses.
#[tauri::command]
#[specta::specta]
pub async fn start_kiosk(
    state: State<'_, AppState>,
    patient_id: PatientId,
    instruments: Vec<String>,
) -> Result<KioskView, IpcError> {
    let kiosk = state
        .with_session(move |s| {
            s.require(Permission::EditClinical)?;
            patient::get(s, patient::PatientId(patient_id.0))?;
            let reference = scales::bundled()?;
            let mut chosen: Vec<String> = Vec::new();
            let mut e = ValidationErrors::new();
            for id in &instruments {
                match reference.get(id) {
                    Some(i) if i.entry_mode == EntryMode::Items && i.rater != Rater::Clinician => {
                        if !chosen.contains(&i.id) {
                            chosen.push(i.id.clone());
                        }
                    }
                    Some(i) => e.add(
                        "instruments",
                        format!(
                            "The {} is not answered by the patient on screen",
                            i.short_name
                        ),
                    ),
                    None => e.add("instruments", "Choose questionnaires from the list"),
                }
            }
            if chosen.is_empty() && !e.has("instruments") {
                e.add(
                    "instruments",
                    "Choose at least one questionnaire for the patient",
                );
            }
            e.into_result().map_err(CoreError::from)?;
            Ok(Kiosk {
                patient_id: patient_id.0,
                instruments: chosen,
                done: Vec::new(),
            })
        })
        .await?;
    let v = view(&kiosk)?;
    state.start_kiosk(kiosk)?;
    Ok(v)
}

/// The kiosk in progress, or null (the UI asks on start-up and after a reload).
#[tauri::command]
#[specta::specta]
pub async fn kiosk_status(state: State<'_, AppState>) -> Result<Option<KioskView>, IpcError> {
    state.kiosk().as_ref().map(view).transpose()
}

/// The patient's answers to one questionnaire, saved as self-report now.
#[tauri::command]
#[specta::specta]
pub async fn kiosk_submit(
    state: State<'_, AppState>,
    instrument: String,
    answers: BTreeMap<String, i32>,
) -> Result<KioskView, IpcError> {
    state.touch();
    state
        .with_kiosk(move |s, k| {
            if !k.remaining().contains(&instrument) {
                return Err(IpcError::new(
                    ErrorCode::Conflict,
                    "This questionnaire is not one of today's, or it is already answered",
                ));
            }
            let now = chrono::Local::now().naive_local();
            scores::record(
                s,
                k.patient_id,
                &ScoreInput {
                    instrument: instrument.clone(),
                    administered_at: now.format("%Y-%m-%dT%H:%M").to_string(),
                    mode: Some(Mode::SelfReport),
                    answers,
                    ..Default::default()
                },
                now,
            )?;
            k.done.push(instrument);
            view(k)
        })
        .await
}
