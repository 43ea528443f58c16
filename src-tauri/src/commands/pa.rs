//! Prior authorization: the clinic's payer rule sets (list, import a file, link to payers), the
//! gap check of a patient against one rule set or several side by side.

use chrono::NaiveDate;
use ketachart_core::pa::check::{self, CheckRequest};
use ketachart_core::pa::registry;
use ketachart_core::{CoreError, ValidationErrors};
use tauri::State;

use super::today;
use crate::dto::pa::{
    evaluation_view, CheckArgs, EvaluationView, PayerRuleLinks, RuleImportResult, RuleSetView,
};
use crate::error::IpcError;
use crate::state::AppState;

fn parse_on(on: &Option<String>) -> Result<NaiveDate, IpcError> {
    match on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today()),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            let mut e = ValidationErrors::new();
            e.add("on", format!("\"{s}\" is not a date (YYYY-MM-DD)"));
            CoreError::Validation(e).into()
        }),
    }
}

pub(crate) fn check_request(a: &CheckArgs) -> Result<CheckRequest, IpcError> {
    Ok(CheckRequest {
        patient_id: a.patient_id,
        rule_set_id: a.rule_set_id.clone(),
        rule_set_version: a.rule_set_version.clone(),
        service: a.service.into(),
        on: parse_on(&a.on)?,
        ordering_provider: a.ordering_provider_id,
        attestations: Vec::new(),
    })
}

#[tauri::command]
#[specta::specta]
pub async fn list_rule_sets(state: State<'_, AppState>) -> Result<Vec<RuleSetView>, IpcError> {
    state
        .with_session(move |s| Ok(registry::list(s)?.into_iter().map(Into::into).collect()))
        .await
}

/// Checks and stores a clinic rule-set file; every problem is reported with its line and
/// nothing is stored.
#[tauri::command]
#[specta::specta]
pub async fn import_rule_file(
    state: State<'_, AppState>,
    name: String,
    content: String,
) -> Result<RuleImportResult, IpcError> {
    state
        .with_session(move |s| {
            let sets = registry::import(s, &name, &content)?;
            Ok(RuleImportResult {
                imported: sets
                    .into_iter()
                    .map(|r| {
                        RuleSetView::from(registry::Available {
                            rule_set: r,
                            clinic_file: Some(name.clone()),
                        })
                    })
                    .collect(),
            })
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn payer_rule_links(
    state: State<'_, AppState>,
    payer_id: crate::dto::record::RecordId,
) -> Result<PayerRuleLinks, IpcError> {
    let payer_id = payer_id.0;
    state
        .with_session(move |s| {
            Ok(PayerRuleLinks {
                payer_id,
                rule_set_ids: registry::payer_links(s, payer_id)?,
            })
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn set_payer_rule_links(
    state: State<'_, AppState>,
    links: PayerRuleLinks,
) -> Result<(), IpcError> {
    state
        .with_session(move |s| {
            Ok(registry::link_payer(
                s,
                links.payer_id,
                &links.rule_set_ids,
            )?)
        })
        .await
}

/// A patient against one rule set: every criterion with its status, explanation, fix and
/// evidence, and the verdict.
#[tauri::command]
#[specta::specta]
pub async fn pa_check(
    state: State<'_, AppState>,
    args: CheckArgs,
) -> Result<EvaluationView, IpcError> {
    let req = check_request(&args)?;
    state
        .with_session(move |s| {
            let (e, facts) = check::run(s, &req, today())?;
            Ok(evaluation_view(
                e,
                facts
                    .ordering_provider
                    .map(|o| format!("{} ({})", o.profile.display_name, o.chosen_because)),
            ))
        })
        .await
}

/// The same patient against several rule sets, side by side (in the order given).
#[tauri::command]
#[specta::specta]
pub async fn pa_compare(
    state: State<'_, AppState>,
    checks: Vec<CheckArgs>,
) -> Result<Vec<EvaluationView>, IpcError> {
    let reqs = checks
        .iter()
        .map(check_request)
        .collect::<Result<Vec<_>, _>>()?;
    state
        .with_session(move |s| {
            reqs.iter()
                .map(|r| {
                    let (e, facts) = check::run(s, r, today())?;
                    Ok(evaluation_view(
                        e,
                        facts
                            .ordering_provider
                            .map(|o| format!("{} ({})", o.profile.display_name, o.chosen_because)),
                    ))
                })
                .collect()
        })
        .await
}
