//! Audit viewer shapes.

use ketachart_core::audit::{self, AuditAction, AuditEntry, VerifyReport};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{ErrorCode, FieldError, IpcError};

#[derive(Debug, Clone, Default, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AuditFilterForm {
    pub username: Option<String>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub patient_id: Option<i64>,
    pub action: Option<String>,
    /// `YYYY-MM-DD`, local days, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
}

fn day(field: &str, s: &Option<String>, errors: &mut Vec<FieldError>) -> Option<chrono::NaiveDate> {
    let s = s.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    match chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(FieldError {
                field: field.into(),
                message: "Enter a real date, like 2026-11-21".into(),
            });
            None
        }
    }
}

impl TryFrom<AuditFilterForm> for audit::AuditFilter {
    type Error = IpcError;
    fn try_from(f: AuditFilterForm) -> Result<Self, IpcError> {
        let mut errors = Vec::new();
        let from = day("from", &f.from, &mut errors);
        let to = day("to", &f.to, &mut errors);
        if let (Some(a), Some(b)) = (from, to) {
            if a > b {
                errors.push(FieldError {
                    field: "to".into(),
                    message: "The end date must be the same as or after the start date".into(),
                });
            }
        }
        if !errors.is_empty() {
            return Err(IpcError {
                code: ErrorCode::Validation,
                message: errors[0].message.clone(),
                fields: Some(errors),
            });
        }
        Ok(audit::AuditFilter {
            username: f.username,
            patient_id: f.patient_id,
            action: f.action,
            from,
            to,
        })
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AuditRow {
    #[specta(type = specta_typescript::Number)]
    pub seq: i64,
    pub at: String,
    pub username: String,
    pub action: String,
    pub action_label: String,
    #[specta(type = Option<specta_typescript::Number>)]
    pub patient_id: Option<i64>,
    pub patient_mrn: Option<String>,
    pub patient_name: Option<String>,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub detail: Option<String>,
}

impl From<AuditEntry> for AuditRow {
    fn from(e: AuditEntry) -> Self {
        AuditRow {
            action_label: AuditAction::parse(&e.action)
                .map(AuditAction::label)
                .unwrap_or("Unknown action")
                .into(),
            seq: e.seq,
            at: e.at,
            username: e.username,
            action: e.action,
            patient_id: e.patient_id,
            patient_mrn: e.patient_mrn,
            patient_name: e.patient_name,
            record_type: e.record_type,
            record_id: e.record_id,
            detail: e.detail,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AuditPageDto {
    pub entries: Vec<AuditRow>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub next_before: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AuditActionOption {
    pub value: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AuditProblem {
    #[specta(type = Option<specta_typescript::Number>)]
    pub seq: Option<i64>,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AuditVerification {
    pub intact: bool,
    pub summary: String,
    #[specta(type = specta_typescript::Number)]
    pub entries: i64,
    #[specta(type = specta_typescript::Number)]
    pub checkpoints: i64,
    pub problems: Vec<AuditProblem>,
}

impl From<VerifyReport> for AuditVerification {
    fn from(r: VerifyReport) -> Self {
        AuditVerification {
            intact: r.is_intact(),
            summary: r.summary(),
            entries: r.entries,
            checkpoints: r.checkpoints,
            problems: r
                .problems
                .into_iter()
                .map(|p| AuditProblem {
                    seq: p.seq,
                    message: p.message,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ExportResult {
    pub path: String,
    pub entries: u32,
}

/// An audit entry number on the wire (paging).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct AuditSeq(#[specta(type = specta_typescript::Number)] pub i64);
