//! Treatment courses and sessions: the course list with counters and plan, a new session's
//! prefilled draft, live evaluation of a draft (dose arithmetic, holds, what is missing), the
//! clinic's treatment options, the REMS due list and submissions, and the session PDFs.
//! Saving, signing and addenda go through the generic record commands.

use ketachart_core::treatment::{self, rems, view as tview};
use tauri::State;

use super::today;
use crate::dto::patient::PatientId;
use crate::dto::record::{ExportedFile, RecordId};
use crate::dto::treatment::{
    course_view, facts_view, method_in, to_core, CourseView, FieldProblem, LabelOption,
    ModalityTimepoints, ProtocolView, RemsDueView, RemsSubmissionForm, RemsSubmissionView,
    SessionEvaluation, SessionFactsView, SessionForm, TimepointView, TreatmentOptions,
};
use crate::error::IpcError;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_courses(
    state: State<'_, AppState>,
    patient_id: PatientId,
) -> Result<Vec<CourseView>, IpcError> {
    state
        .with_session(move |s| {
            tview::courses(s, patient_id.0)?
                .into_iter()
                .map(course_view)
                .collect()
        })
        .await
}

/// A new session for a course, dated today, prefilled from the course's previous session.
#[tauri::command]
#[specta::specta]
pub async fn new_session_draft(
    state: State<'_, AppState>,
    patient_id: PatientId,
    course_id: RecordId,
) -> Result<SessionForm, IpcError> {
    state
        .with_session(move |s| to_core(&tview::new_draft(s, patient_id.0, course_id.0, today())?))
        .await
}

/// The facts and problems of a session as typed; nothing is saved.
#[tauri::command]
#[specta::specta]
pub async fn evaluate_session(
    state: State<'_, AppState>,
    patient_id: PatientId,
    id: Option<RecordId>,
    content: SessionForm,
) -> Result<SessionEvaluation, IpcError> {
    let draft: treatment::TreatmentSession = to_core(&content)?;
    state
        .with_session(move |s| {
            let (facts, problems) = tview::evaluate(s, patient_id.0, &draft, id.map(|i| i.0))?;
            Ok(SessionEvaluation {
                facts: facts_view(facts)?,
                problems: problems
                    .0
                    .into_iter()
                    .map(|p| FieldProblem {
                        field: p.field,
                        message: p.message,
                    })
                    .collect(),
            })
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn session_facts(
    state: State<'_, AppState>,
    id: RecordId,
) -> Result<SessionFactsView, IpcError> {
    state
        .with_session(move |s| facts_view(tview::facts(s, id.0)?))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn treatment_options(state: State<'_, AppState>) -> Result<TreatmentOptions, IpcError> {
    state
        .with_session(move |s| {
            let settings = treatment::settings::get(s)?.settings;
            let r = treatment::reference::bundled()?;
            let timepoints = treatment::Modality::ALL
                .iter()
                .map(|m| {
                    Ok(ModalityTimepoints {
                        modality: to_core(m)?,
                        timepoints: settings
                            .timepoints
                            .for_modality(*m)
                            .iter()
                            .map(|t| TimepointView {
                                id: t.id.clone(),
                                label: t.label.clone(),
                                minutes: t.minutes,
                            })
                            .collect(),
                    })
                })
                .collect::<Result<_, IpcError>>()?;
            Ok(TreatmentOptions {
                protocols: settings
                    .protocols
                    .iter()
                    .map(|p| {
                        Ok(ProtocolView {
                            id: p.id.clone(),
                            modality: to_core(&p.modality)?,
                            indication: to_core(&p.indication)?,
                            label: p.label.clone(),
                            phases: to_core(&p.phases)?,
                            verified: p.verified,
                        })
                    })
                    .collect::<Result<_, IpcError>>()?,
                timepoints,
                discharge_criteria: r
                    .discharge
                    .iter()
                    .map(|d| LabelOption {
                        id: d.id.clone(),
                        label: d.label.clone(),
                    })
                    .collect(),
                adverse_events: r
                    .adverse_events
                    .iter()
                    .map(|d| LabelOption {
                        id: d.id.clone(),
                        label: d.label.clone(),
                    })
                    .collect(),
                spravato_doses_mg: r.spravato.allowed_doses_mg.clone(),
                observation_minutes: r.spravato.observation_minutes,
                warn_above_mg_per_kg: settings.dose_limits.warn_above_mg_per_kg,
                stop_above_mg_per_kg: settings.dose_limits.stop_above_mg_per_kg,
                limits_verified: settings.dose_limits.verified,
            })
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn rems_due(state: State<'_, AppState>) -> Result<Vec<RemsDueView>, IpcError> {
    state
        .with_session(move |s| Ok(rems::due(s, today())?.into_iter().map(Into::into).collect()))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn rems_submission(
    state: State<'_, AppState>,
    id: RecordId,
) -> Result<Option<RemsSubmissionView>, IpcError> {
    state
        .with_session(move |s| Ok(rems::submission_for(s, id.0)?.map(Into::into)))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn mark_rems_submitted(
    state: State<'_, AppState>,
    id: RecordId,
    form: RemsSubmissionForm,
) -> Result<RemsSubmissionView, IpcError> {
    state
        .with_session(move |s| {
            let input = rems::SubmissionInput {
                submitted_on: form.submitted_on,
                method: form.method.map(method_in),
                confirmation: form.confirmation,
            };
            Ok(rems::mark_submitted(s, id.0, &input, today())?.into())
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn export_rems_form(
    state: State<'_, AppState>,
    id: RecordId,
    path: String,
) -> Result<ExportedFile, IpcError> {
    state
        .with_session(move |s| {
            let written = ketachart_pdf::rems_form::export(s, id.0, &path)?;
            Ok(ExportedFile {
                path: written.display().to_string(),
            })
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn export_session_summary(
    state: State<'_, AppState>,
    id: RecordId,
    path: String,
) -> Result<ExportedFile, IpcError> {
    state
        .with_session(move |s| {
            let written = ketachart_pdf::session::export(s, id.0, &path)?;
            Ok(ExportedFile {
                path: written.display().to_string(),
            })
        })
        .await
}
