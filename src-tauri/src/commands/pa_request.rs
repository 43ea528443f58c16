//! Authorization requests: create and edit, the evaluation of a request, status changes (ready
//! is decided by the core's own evaluation), attestations and override reasons (providers),
//! the letters, the billing work queue, chart tasks and the self-pay fee schedule.

use ketachart_core::pa::{letter, packet, request, workflow};
use tauri::State;

use super::today;
use crate::dto::pa::{evaluation_view, EvaluationView};
use crate::dto::pa_request::{
    request_view, transition_of, AttestationKindName, ChartTaskView, FeeView, PaRequestForm,
    PaRequestView, PaTransitionForm, QueueView,
};
use crate::dto::patient::PatientId;
use crate::dto::record::RecordId;
use crate::error::IpcError;
use crate::state::AppState;

fn now() -> chrono::NaiveDateTime {
    chrono::Local::now().naive_local()
}

fn full_view(s: &ketachart_core::Session, r: request::Request) -> Result<PaRequestView, IpcError> {
    let usage = request::usage(s, r.id, today())?;
    Ok(request_view(r, Some(usage)))
}

#[tauri::command]
#[specta::specta]
pub async fn list_pa_requests(
    state: State<'_, AppState>,
    patient_id: PatientId,
) -> Result<Vec<PaRequestView>, IpcError> {
    state
        .with_session(move |s| {
            request::list_for_patient(s, patient_id.0)?
                .into_iter()
                .map(|r| full_view(s, r))
                .collect()
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn create_pa_request(
    state: State<'_, AppState>,
    form: PaRequestForm,
) -> Result<PaRequestView, IpcError> {
    state
        .with_session(move |s| {
            let r = request::create(s, &form.into(), today())?;
            full_view(s, r)
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn update_pa_request(
    state: State<'_, AppState>,
    id: RecordId,
    version: RecordId,
    form: PaRequestForm,
) -> Result<PaRequestView, IpcError> {
    state
        .with_session(move |s| {
            let r = request::update_draft(s, id.0, version.0, &form.into(), today())?;
            full_view(s, r)
        })
        .await
}

/// The request's own check: its rule-set version, date of service, ordering provider and
/// attestations.
#[tauri::command]
#[specta::specta]
pub async fn evaluate_pa_request(
    state: State<'_, AppState>,
    id: RecordId,
) -> Result<EvaluationView, IpcError> {
    state
        .with_session(move |s| {
            let (_, e, facts) = workflow::evaluate(s, id.0, today())?;
            Ok(evaluation_view(
                e,
                facts
                    .ordering_provider
                    .map(|o| format!("{} ({})", o.profile.display_name, o.chosen_because)),
            ))
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn pa_request_transition(
    state: State<'_, AppState>,
    id: RecordId,
    version: RecordId,
    change: PaTransitionForm,
) -> Result<PaRequestView, IpcError> {
    state
        .with_session(move |s| {
            let r = match transition_of(change) {
                None => workflow::mark_ready(s, id.0, version.0, now())?,
                Some(t) => request::transition(s, id.0, version.0, &t, now())?,
            };
            full_view(s, r)
        })
        .await
}

/// A provider's attestation, stamped with their name and the time by the core.
#[tauri::command]
#[specta::specta]
pub async fn attest_pa_request(
    state: State<'_, AppState>,
    id: RecordId,
    version: RecordId,
    kind: AttestationKindName,
) -> Result<PaRequestView, IpcError> {
    state
        .with_session(move |s| {
            let r = request::add_attestation(s, id.0, version.0, kind.into())?;
            full_view(s, r)
        })
        .await
}

/// A provider's reason to finalize the packet although gaps remain.
#[tauri::command]
#[specta::specta]
pub async fn override_pa_request(
    state: State<'_, AppState>,
    id: RecordId,
    version: RecordId,
    reason: String,
) -> Result<PaRequestView, IpcError> {
    state
        .with_session(move |s| {
            let r = request::set_override(s, id.0, version.0, &reason)?;
            full_view(s, r)
        })
        .await
}

/// The letter of medical necessity as the record would write it now (to start editing from).
#[tauri::command]
#[specta::specta]
pub async fn pa_letter_draft(state: State<'_, AppState>, id: RecordId) -> Result<String, IpcError> {
    state
        .with_session(move |s| {
            let r = request::get(s, id.0)?;
            let mut spec = workflow::packet_spec(&r, today());
            spec.letter = None;
            spec.appeal_letter = None;
            let data = packet::gather(s, &spec, today())?;
            Ok(if spec.kind == packet::PacketKind::Appeal {
                letter::appeal(&data)
            } else {
                letter::medical_necessity(&data)
            })
        })
        .await
}

/// Saves the edited letter (`None` returns to the generated one). For a denied or appealed
/// request this is the appeal letter.
#[tauri::command]
#[specta::specta]
pub async fn set_pa_letter(
    state: State<'_, AppState>,
    id: RecordId,
    version: RecordId,
    letter: Option<String>,
) -> Result<PaRequestView, IpcError> {
    state
        .with_session(move |s| {
            let current = request::get(s, id.0)?;
            let r = if matches!(
                current.status,
                request::RequestStatus::Denied | request::RequestStatus::Appealed
            ) {
                request::set_appeal_letter(s, id.0, version.0, letter)?
            } else {
                request::set_letter(s, id.0, version.0, letter)?
            };
            full_view(s, r)
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn pa_queue(state: State<'_, AppState>) -> Result<QueueView, IpcError> {
    state
        .with_session(move |s| Ok(request::work_queue(s, chrono::Utc::now())?.into()))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_chart_tasks(
    state: State<'_, AppState>,
    patient_id: PatientId,
    include_done: bool,
) -> Result<Vec<ChartTaskView>, IpcError> {
    state
        .with_session(move |s| {
            Ok(request::list_tasks(s, patient_id.0, include_done)?
                .into_iter()
                .map(Into::into)
                .collect())
        })
        .await
}

/// Billing asks a provider to record a clinical fact (a task on the chart).
#[tauri::command]
#[specta::specta]
pub async fn create_chart_task(
    state: State<'_, AppState>,
    patient_id: PatientId,
    request_id: Option<RecordId>,
    criterion: Option<String>,
    text: String,
) -> Result<ChartTaskView, IpcError> {
    state
        .with_session(move |s| {
            Ok(
                request::create_task(s, patient_id.0, request_id.map(|r| r.0), criterion, &text)?
                    .into(),
            )
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn complete_chart_task(
    state: State<'_, AppState>,
    id: RecordId,
    note: Option<String>,
) -> Result<ChartTaskView, IpcError> {
    state
        .with_session(move |s| Ok(request::complete_task(s, id.0, note)?.into()))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_fees(state: State<'_, AppState>) -> Result<Vec<FeeView>, IpcError> {
    state
        .with_session(move |s| Ok(request::list_fees(s)?.into_iter().map(Into::into).collect()))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn set_fee(
    state: State<'_, AppState>,
    code: String,
    description: String,
    amount: String,
) -> Result<FeeView, IpcError> {
    state
        .with_session(move |s| Ok(request::set_fee(s, &code, &description, &amount)?.into()))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_fee(state: State<'_, AppState>, code: String) -> Result<(), IpcError> {
    state
        .with_session(move |s| Ok(request::remove_fee(s, &code)?))
        .await
}

/// Writes the request's packet: the initial packet, the re-authorization packet, or the appeal
/// for a denied request. With open gaps and no provider override it carries the "DRAFT — gaps
/// remain" watermark on every page. With `appendDocuments`, the stored documents its
/// attachments index lists (linked to the request, its trials, coverage, episode and course)
/// follow the packet in the same file; the export's audit entry names them.
#[tauri::command]
#[specta::specta]
pub async fn export_pa_packet(
    state: State<'_, AppState>,
    id: RecordId,
    path: String,
    append_documents: bool,
) -> Result<crate::dto::record::ExportedFile, IpcError> {
    state
        .with_session(move |s| {
            let r = request::get(s, id.0)?;
            let spec = workflow::packet_spec(&r, today());
            let written =
                ketachart_pdf::pa_packet::export(s, &spec, &path, today(), append_documents)?;
            Ok(crate::dto::record::ExportedFile {
                path: written.display().to_string(),
            })
        })
        .await
}

/// The self-pay superbill: the service's signed sessions between two dates, priced from the
/// clinic's fee schedule.
#[tauri::command]
#[specta::specta]
pub async fn export_superbill(
    state: State<'_, AppState>,
    patient_id: PatientId,
    service: crate::dto::pa::ServiceName,
    from: String,
    to: String,
    path: String,
) -> Result<crate::dto::record::ExportedFile, IpcError> {
    let parse = |field: &str, s: &str| {
        chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
            IpcError::from(ketachart_core::CoreError::Validation(
                ketachart_core::ValidationErrors::single(
                    field,
                    format!("\"{s}\" is not a date (YYYY-MM-DD)"),
                ),
            ))
        })
    };
    let from = parse("from", &from)?;
    let to = parse("to", &to)?;
    state
        .with_session(move |s| {
            let written =
                ketachart_pdf::superbill::export(s, patient_id.0, service.into(), from, to, &path)?;
            Ok(crate::dto::record::ExportedFile {
                path: written.display().to_string(),
            })
        })
        .await
}
