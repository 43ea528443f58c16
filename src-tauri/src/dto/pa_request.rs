//! Authorization-request shapes: the request form, the stored request with its history, units
//! and warnings, status changes, the work queue, chart tasks and the fee schedule.

use ketachart_core::pa::attestation::AttestationKind;
use ketachart_core::pa::request::{
    ChartTask, CodeLine, Decision, DecisionClock, Fee, Queue, QueueItem, Request, RequestInput,
    RequestKind, RequestStatus, SubmissionMethod, Transition, UnitsLine, Usage, Warning,
    WarningKind,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::pa::ServiceName;

macro_rules! wire_enum {
    ($name:ident : $core:ty { $($v:ident),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($v),+ }
        impl From<$core> for $name {
            fn from(c: $core) -> Self {
                match c { $(<$core>::$v => $name::$v),+ }
            }
        }
        impl From<$name> for $core {
            fn from(c: $name) -> Self {
                match c { $($name::$v => <$core>::$v),+ }
            }
        }
    };
}

wire_enum!(RequestKindName: RequestKind { Initial, Reauthorization });
wire_enum!(RequestStatusName: RequestStatus {
    Draft,
    Ready,
    Submitted,
    Pending,
    Approved,
    PartiallyApproved,
    Denied,
    Appealed,
});
wire_enum!(SubmissionMethodName: SubmissionMethod { Fax, Portal, Phone, Mail, Electronic });
wire_enum!(AttestationKindName: AttestationKind {
    PsychosisBenefitOutweighsRisk,
    SubstanceUseInRemission,
});
wire_enum!(WarningKindName: WarningKind { UnitsLow, OverUsed, EndsSoon, Expired });

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CodeLineForm {
    pub code: String,
    pub units: u32,
    pub ndc: Option<String>,
}

impl From<CodeLine> for CodeLineForm {
    fn from(c: CodeLine) -> Self {
        CodeLineForm {
            code: c.code,
            units: c.units,
            ndc: c.ndc,
        }
    }
}

impl From<CodeLineForm> for CodeLine {
    fn from(c: CodeLineForm) -> Self {
        CodeLine {
            code: c.code,
            units: c.units,
            ndc: c.ndc,
        }
    }
}

/// The request form (create, or edit while draft/ready).
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PaRequestForm {
    #[specta(type = specta_typescript::Number)]
    pub patient_id: i64,
    pub kind: RequestKindName,
    #[specta(type = Option<specta_typescript::Number>)]
    pub previous_id: Option<i64>,
    pub service: ServiceName,
    pub rule_set_id: String,
    pub rule_set_version: String,
    #[specta(type = Option<specta_typescript::Number>)]
    pub payer_id: Option<i64>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub coverage_record_id: Option<i64>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub course_record_id: Option<i64>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub ordering_provider_id: Option<i64>,
    pub expedited: bool,
    pub requested_lines: Vec<CodeLineForm>,
    pub diagnosis_codes: Vec<String>,
    /// `YYYY-MM-DD`.
    pub requested_start: Option<String>,
    pub requested_end: Option<String>,
    /// Whole number as typed.
    pub requested_sessions: Option<String>,
}

impl From<PaRequestForm> for RequestInput {
    fn from(f: PaRequestForm) -> Self {
        RequestInput {
            patient_id: f.patient_id,
            kind: f.kind.into(),
            previous_id: f.previous_id,
            service: f.service.into(),
            rule_set_id: f.rule_set_id,
            rule_set_version: f.rule_set_version,
            payer_id: f.payer_id,
            coverage_record_id: f.coverage_record_id,
            course_record_id: f.course_record_id,
            ordering_provider_id: f.ordering_provider_id,
            expedited: f.expedited,
            requested_lines: f.requested_lines.into_iter().map(Into::into).collect(),
            diagnosis_codes: f.diagnosis_codes,
            requested_start: f.requested_start,
            requested_end: f.requested_end,
            requested_sessions: f.requested_sessions,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AttestationView {
    pub kind: AttestationKindName,
    pub statement: String,
    pub by_name: String,
    pub at: String,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RequestEventView {
    pub at: String,
    pub user_name: String,
    pub from: Option<RequestStatusName>,
    pub to: RequestStatusName,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UnitsLineView {
    pub code: String,
    pub approved: u32,
    pub used: u32,
    #[specta(type = specta_typescript::Number)]
    pub remaining: i64,
}

impl From<UnitsLine> for UnitsLineView {
    fn from(u: UnitsLine) -> Self {
        UnitsLineView {
            code: u.code,
            approved: u.approved,
            used: u.used,
            remaining: u.remaining,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WarningView {
    pub kind: WarningKindName,
    pub code: Option<String>,
    pub message: String,
}

impl From<Warning> for WarningView {
    fn from(w: Warning) -> Self {
        WarningView {
            kind: w.kind.into(),
            code: w.code,
            message: w.message,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PaRequestView {
    #[specta(type = specta_typescript::Number)]
    pub id: i64,
    #[specta(type = specta_typescript::Number)]
    pub patient_id: i64,
    pub kind: RequestKindName,
    #[specta(type = Option<specta_typescript::Number>)]
    pub previous_id: Option<i64>,
    pub service: ServiceName,
    pub service_label: String,
    pub rule_set_id: String,
    pub rule_set_version: String,
    #[specta(type = specta_typescript::Number)]
    pub payer_id: i64,
    pub payer_name: String,
    #[specta(type = Option<specta_typescript::Number>)]
    pub coverage_record_id: Option<i64>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub course_record_id: Option<i64>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub ordering_provider_id: Option<i64>,
    pub ordering_provider_name: Option<String>,
    pub expedited: bool,
    pub status: RequestStatusName,
    pub status_label: String,
    pub requested_lines: Vec<CodeLineForm>,
    pub diagnosis_codes: Vec<String>,
    pub requested_start: Option<String>,
    pub requested_end: Option<String>,
    pub requested_sessions: Option<u32>,
    pub attestations: Vec<AttestationView>,
    /// The edited letter; `None` = the generated one is used.
    pub letter: Option<String>,
    pub override_reason: Option<String>,
    pub override_by: Option<String>,
    pub override_at: Option<String>,
    pub submitted_at: Option<String>,
    pub submission_method: Option<SubmissionMethodName>,
    pub submission_reference: Option<String>,
    pub decided_at: Option<String>,
    pub auth_number: Option<String>,
    pub approved_lines: Vec<CodeLineForm>,
    pub approved_start: Option<String>,
    pub approved_end: Option<String>,
    pub denial_reason: Option<String>,
    pub appeal_letter: Option<String>,
    pub appealed_at: Option<String>,
    #[specta(type = specta_typescript::Number)]
    pub version: i64,
    pub created_at: String,
    pub created_by_name: String,
    pub events: Vec<RequestEventView>,
    pub units: Vec<UnitsLineView>,
    pub warnings: Vec<WarningView>,
}

pub fn request_view(r: Request, usage: Option<Usage>) -> PaRequestView {
    let (units, warnings) = usage.map_or((Vec::new(), Vec::new()), |u| {
        (
            u.units.into_iter().map(Into::into).collect(),
            u.warnings.into_iter().map(Into::into).collect(),
        )
    });
    PaRequestView {
        id: r.id,
        patient_id: r.patient_id,
        kind: r.kind.into(),
        previous_id: r.previous_id,
        service_label: r.service.label().to_string(),
        service: r.service.into(),
        rule_set_id: r.rule_set_id,
        rule_set_version: r.rule_set_version,
        payer_id: r.payer_id,
        payer_name: r.payer_name,
        coverage_record_id: r.coverage_record_id,
        course_record_id: r.course_record_id,
        ordering_provider_id: r.ordering_provider_id,
        ordering_provider_name: r.ordering_provider_name,
        expedited: r.expedited,
        status_label: r.status.label().to_string(),
        status: r.status.into(),
        requested_lines: r.requested_lines.into_iter().map(Into::into).collect(),
        diagnosis_codes: r.diagnosis_codes,
        requested_start: r.requested_start.map(|d| d.to_string()),
        requested_end: r.requested_end.map(|d| d.to_string()),
        requested_sessions: r.requested_sessions,
        attestations: r
            .attestations
            .into_iter()
            .map(|a| AttestationView {
                statement: a.kind.statement().to_string(),
                kind: a.kind.into(),
                by_name: a.by_name,
                at: a.at,
            })
            .collect(),
        letter: r.letter,
        override_reason: r.override_reason.as_ref().map(|o| o.reason.clone()),
        override_by: r.override_reason.as_ref().map(|o| o.by_name.clone()),
        override_at: r.override_reason.as_ref().map(|o| o.at.clone()),
        submitted_at: r.submitted_at,
        submission_method: r.submission_method.map(Into::into),
        submission_reference: r.submission_reference,
        decided_at: r.decided_at,
        auth_number: r.auth_number,
        approved_lines: r.approved_lines.into_iter().map(Into::into).collect(),
        approved_start: r.approved_start.map(|d| d.to_string()),
        approved_end: r.approved_end.map(|d| d.to_string()),
        denial_reason: r.denial_reason,
        appeal_letter: r.appeal_letter,
        appealed_at: r.appealed_at,
        version: r.version,
        created_at: r.created_at,
        created_by_name: r.created_by_name,
        events: r
            .events
            .into_iter()
            .map(|e| RequestEventView {
                at: e.at,
                user_name: e.user_name,
                from: e.from.map(Into::into),
                to: e.to.into(),
                note: e.note,
            })
            .collect(),
        units,
        warnings,
    }
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DecisionForm {
    pub auth_number: String,
    pub approved_lines: Vec<CodeLineForm>,
    pub approved_start: String,
    pub approved_end: String,
    /// Local `YYYY-MM-DDTHH:MM`.
    pub decided_at: String,
    pub note: Option<String>,
}

impl From<DecisionForm> for Decision {
    fn from(d: DecisionForm) -> Self {
        Decision {
            auth_number: d.auth_number,
            approved_lines: d.approved_lines.into_iter().map(Into::into).collect(),
            approved_start: d.approved_start,
            approved_end: d.approved_end,
            decided_at: d.decided_at,
            note: d.note,
        }
    }
}

/// A status change. "Ready" is decided by the core's own evaluation of the request.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(
    tag = "action",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum PaTransitionForm {
    MarkReady,
    Reopen {
        note: Option<String>,
    },
    Submit {
        method: Option<SubmissionMethodName>,
        /// Local `YYYY-MM-DDTHH:MM`.
        submitted_at: String,
        reference: Option<String>,
    },
    MarkPending {
        note: Option<String>,
    },
    Approve {
        decision: DecisionForm,
    },
    PartiallyApprove {
        decision: DecisionForm,
    },
    Deny {
        denial_reason: String,
        decided_at: String,
        note: Option<String>,
    },
    Appeal {
        appealed_at: String,
        note: Option<String>,
    },
}

/// The core transition for every form except `MarkReady` (which the command evaluates).
pub fn transition_of(f: PaTransitionForm) -> Option<Transition> {
    Some(match f {
        PaTransitionForm::MarkReady => return None,
        PaTransitionForm::Reopen { note } => Transition::Reopen { note },
        PaTransitionForm::Submit {
            method,
            submitted_at,
            reference,
        } => Transition::Submit {
            method: method.map(Into::into),
            submitted_at,
            reference,
        },
        PaTransitionForm::MarkPending { note } => Transition::MarkPending { note },
        PaTransitionForm::Approve { decision } => Transition::Approve(decision.into()),
        PaTransitionForm::PartiallyApprove { decision } => {
            Transition::PartiallyApprove(decision.into())
        }
        PaTransitionForm::Deny {
            denial_reason,
            decided_at,
            note,
        } => Transition::Deny {
            denial_reason,
            decided_at,
            note,
        },
        PaTransitionForm::Appeal { appealed_at, note } => Transition::Appeal { appealed_at, note },
    })
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DecisionClockView {
    pub rule: String,
    pub expedited: bool,
    pub hours: u32,
    /// RFC 3339.
    pub due: String,
    pub overdue: bool,
    #[specta(type = specta_typescript::Number)]
    pub minutes_left: i64,
}

impl From<DecisionClock> for DecisionClockView {
    fn from(c: DecisionClock) -> Self {
        DecisionClockView {
            rule: c.rule,
            expedited: c.expedited,
            hours: c.hours,
            due: c.due.to_rfc3339(),
            overdue: c.overdue,
            minutes_left: c.minutes_left,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct QueueItemView {
    #[specta(type = specta_typescript::Number)]
    pub request_id: i64,
    #[specta(type = specta_typescript::Number)]
    pub patient_id: i64,
    pub patient_name: String,
    pub mrn: String,
    pub payer_name: String,
    pub payer_type: String,
    pub service: ServiceName,
    pub service_label: String,
    pub kind: RequestKindName,
    pub status: RequestStatusName,
    pub status_label: String,
    pub expedited: bool,
    #[specta(type = specta_typescript::Number)]
    pub age_days: i64,
    pub submitted_at: Option<String>,
    pub auth_number: Option<String>,
    pub approved_end: Option<String>,
    pub units: Vec<UnitsLineView>,
    pub warnings: Vec<WarningView>,
    pub clock: Option<DecisionClockView>,
    pub reauthorization_started: bool,
}

impl From<QueueItem> for QueueItemView {
    fn from(q: QueueItem) -> Self {
        QueueItemView {
            request_id: q.request_id,
            patient_id: q.patient_id,
            patient_name: q.patient_name,
            mrn: q.mrn,
            payer_name: q.payer_name,
            payer_type: q.payer_type.label().to_string(),
            service_label: q.service.label().to_string(),
            service: q.service.into(),
            kind: q.kind.into(),
            status_label: q.status.label().to_string(),
            status: q.status.into(),
            expedited: q.expedited,
            age_days: q.age_days,
            submitted_at: q.submitted_at,
            auth_number: q.auth_number,
            approved_end: q.approved_end.map(|d| d.to_string()),
            units: q.units.into_iter().map(Into::into).collect(),
            warnings: q.warnings.into_iter().map(Into::into).collect(),
            clock: q.clock.map(Into::into),
            reauthorization_started: q.reauthorization_started,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct QueueView {
    pub items: Vec<QueueItemView>,
    pub reauthorizations_due: Vec<QueueItemView>,
    pub expiring: Vec<QueueItemView>,
}

impl From<Queue> for QueueView {
    fn from(q: Queue) -> Self {
        QueueView {
            items: q.items.into_iter().map(Into::into).collect(),
            reauthorizations_due: q.reauthorizations_due.into_iter().map(Into::into).collect(),
            expiring: q.expiring.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChartTaskView {
    #[specta(type = specta_typescript::Number)]
    pub id: i64,
    #[specta(type = Option<specta_typescript::Number>)]
    pub request_id: Option<i64>,
    pub criterion: Option<String>,
    pub text: String,
    pub created_at: String,
    pub created_by_name: String,
    pub done_at: Option<String>,
    pub done_by_name: Option<String>,
    pub done_note: Option<String>,
}

impl From<ChartTask> for ChartTaskView {
    fn from(t: ChartTask) -> Self {
        ChartTaskView {
            id: t.id,
            request_id: t.request_id,
            criterion: t.criterion,
            text: t.text,
            created_at: t.created_at,
            created_by_name: t.created_by_name,
            done_at: t.done_at,
            done_by_name: t.done_by_name,
            done_note: t.done_note,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FeeView {
    pub code: String,
    pub description: String,
    /// `350.00`.
    pub amount: String,
}

impl From<Fee> for FeeView {
    fn from(f: Fee) -> Self {
        FeeView {
            amount: f.amount(),
            code: f.code,
            description: f.description,
        }
    }
}
