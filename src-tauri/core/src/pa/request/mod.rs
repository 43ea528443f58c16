//! Authorization requests: what the clinic asked a payer for, the packet's letter and provider
//! statements, every status the request went through with the payer's decision, and what the
//! billing staff work from (the queue with its CMS-0057-F decision clocks, units left, warnings).
//!
//! - `status.rs` — the statuses and which may follow which.
//! - `check.rs` — field checks shared by the forms (codes, NDCs, date-times).
//! - `validate.rs` — the request form (create / edit a draft), against the chart.
//! - `store.rs` — create, edit, read; the optimistic-concurrency write helpers.
//! - `letter.rs` — the edited letter of medical necessity and the appeal letter.
//! - `provider.rs` — provider attestations and the override reason (providers only).
//! - `transition.rs` — status changes with the facts each needs (one event row each).
//! - `units.rs` — units used, counted from signed sessions (nothing stored to drift).
//! - `course_authorization.rs` — the sessions an approval authorizes for a course (its counter).
//! - `warnings.rs` — units running out, end date near, expired, used beyond the approval.
//! - `clocks.rs` — `core/reference/pa-clocks.v1.json`: the decision-clock rule and thresholds.
//! - `queue.rs` — the billing work queue, re-authorizations due and expiring approvals.
//! - `task.rs` — chart tasks (billing asks a provider for a clinical fact).
//! - `fees.rs` — the clinic's self-pay fee schedule.
//!
//! Date-times the staff type (submitted, decided, appealed) are local wall-clock time as
//! `YYYY-MM-DDTHH:MM` (what a `datetime-local` input sends, as for score administrations),
//! stored as typed; the decision clock converts them to UTC with this computer's time zone.

mod check;
pub mod clocks;
mod course_authorization;
mod fees;
mod letter;
mod provider;
mod queue;
mod status;
mod store;
mod task;
mod transition;
mod units;
mod validate;
mod warnings;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::service::Service;
use crate::payer::PayerType;

pub use super::attestation::{Attestation, AttestationKind};
pub use check::AT_FORMAT;
pub use clocks::{ClockReference, DecisionClockRule, WarningRules};
pub use course_authorization::{authorized_sessions, for_course, CourseAuthorization};
pub(crate) use course_authorization::{course_authorization, sessions_for};
pub use fees::{list_fees, parse_fee, remove_fee, set_fee, Fee};
pub use letter::{set_appeal_letter, set_letter, LETTER_MAX};
pub use provider::{add_attestation, set_override};
pub use queue::{decision_clock, work_queue, DecisionClock, Queue, QueueItem};
pub use status::RequestStatus;
pub use store::{create, get, list_for_patient, update_draft, usage, Usage};
pub use task::{complete_task, create_task, list_tasks, ChartTask};
pub use transition::{transition, Decision, Transition};
pub use units::{tally, UnitsLine};
pub use warnings::{warnings, Warning, WarningKind};

/// A first request, or a request to continue an approved one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    Initial,
    Reauthorization,
}

impl RequestKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Initial => "initial",
            RequestKind::Reauthorization => "reauthorization",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "initial" => Some(RequestKind::Initial),
            "reauthorization" => Some(RequestKind::Reauthorization),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RequestKind::Initial => "Initial request",
            RequestKind::Reauthorization => "Re-authorization",
        }
    }
}

/// How the request reached the payer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionMethod {
    Fax,
    Portal,
    Phone,
    Mail,
    /// An electronic transaction (X12 278 or a FHIR prior-authorization API).
    Electronic,
}

impl SubmissionMethod {
    pub const ALL: [SubmissionMethod; 5] = [
        SubmissionMethod::Fax,
        SubmissionMethod::Portal,
        SubmissionMethod::Phone,
        SubmissionMethod::Mail,
        SubmissionMethod::Electronic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionMethod::Fax => "fax",
            SubmissionMethod::Portal => "portal",
            SubmissionMethod::Phone => "phone",
            SubmissionMethod::Mail => "mail",
            SubmissionMethod::Electronic => "electronic",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            SubmissionMethod::Fax => "Fax",
            SubmissionMethod::Portal => "Payer portal",
            SubmissionMethod::Phone => "Phone",
            SubmissionMethod::Mail => "Mail",
            SubmissionMethod::Electronic => "Electronic (278 / API)",
        }
    }
}

/// One billing code asked for or approved, with its units (and the drug's NDC when the payer
/// wants it). Stored as JSON in `requested_lines` / `approved_lines`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeLine {
    pub code: String,
    pub units: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ndc: Option<String>,
}

impl CodeLine {
    pub fn new(code: &str, units: u32) -> Self {
        CodeLine {
            code: code.to_string(),
            units,
            ndc: None,
        }
    }
}

/// What the request form sends to create a request or change a draft. Text is as typed; the
/// core checks and normalises it (`validate.rs`).
#[derive(Debug, Clone)]
pub struct RequestInput {
    pub patient_id: i64,
    pub kind: RequestKind,
    /// The approved request a re-authorization continues.
    pub previous_id: Option<i64>,
    pub service: Service,
    pub rule_set_id: String,
    pub rule_set_version: String,
    pub payer_id: Option<i64>,
    /// One of the patient's coverage records.
    pub coverage_record_id: Option<i64>,
    /// One of the patient's treatment courses delivering the service; when named, only its
    /// sessions use the approved units.
    pub course_record_id: Option<i64>,
    /// An enabled user with the provider role.
    pub ordering_provider_id: Option<i64>,
    /// Urgent: the payer decides within the expedited time.
    pub expedited: bool,
    pub requested_lines: Vec<CodeLine>,
    /// ICD-10-CM codes.
    pub diagnosis_codes: Vec<String>,
    /// `YYYY-MM-DD`.
    pub requested_start: Option<String>,
    /// `YYYY-MM-DD`.
    pub requested_end: Option<String>,
    /// A whole number typed as text (1 to 500).
    pub requested_sessions: Option<String>,
}

/// A provider's reason to finalize a packet that still has gaps (stamped by the core).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub reason: String,
    pub by: i64,
    pub by_name: String,
    /// RFC 3339 UTC.
    pub at: String,
}

/// One status change, never changed or deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestEvent {
    pub id: i64,
    /// RFC 3339 UTC: when it was recorded.
    pub at: String,
    pub user_id: i64,
    pub user_name: String,
    /// `None` for the request's creation.
    pub from: Option<RequestStatus>,
    pub to: RequestStatus,
    pub note: Option<String>,
}

/// A stored request, parsed, with its payer and history.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub id: i64,
    pub patient_id: i64,
    pub kind: RequestKind,
    pub previous_id: Option<i64>,
    pub service: Service,
    pub rule_set_id: String,
    pub rule_set_version: String,
    pub payer_id: i64,
    pub payer_name: String,
    pub payer_type: PayerType,
    pub coverage_record_id: Option<i64>,
    pub course_record_id: Option<i64>,
    pub ordering_provider_id: Option<i64>,
    pub ordering_provider_name: Option<String>,
    pub expedited: bool,
    pub status: RequestStatus,
    pub requested_lines: Vec<CodeLine>,
    pub diagnosis_codes: Vec<String>,
    pub requested_start: Option<NaiveDate>,
    pub requested_end: Option<NaiveDate>,
    pub requested_sessions: Option<u32>,
    pub attestations: Vec<Attestation>,
    /// The edited letter of medical necessity; `None` while the generated one is used.
    pub letter: Option<String>,
    pub override_reason: Option<Override>,
    /// Local `YYYY-MM-DDTHH:MM` as entered.
    pub submitted_at: Option<String>,
    pub submission_method: Option<SubmissionMethod>,
    pub submission_reference: Option<String>,
    /// Local `YYYY-MM-DDTHH:MM` as entered.
    pub decided_at: Option<String>,
    pub auth_number: Option<String>,
    pub approved_lines: Vec<CodeLine>,
    pub approved_start: Option<NaiveDate>,
    pub approved_end: Option<NaiveDate>,
    pub denial_reason: Option<String>,
    pub appeal_letter: Option<String>,
    /// Local `YYYY-MM-DDTHH:MM` as entered.
    pub appealed_at: Option<String>,
    pub version: i64,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub created_by: i64,
    pub created_by_name: String,
    /// RFC 3339 UTC.
    pub updated_at: String,
    /// Oldest first.
    pub events: Vec<RequestEvent>,
}

impl Request {
    /// Whether the payer approved it (in full or in part).
    pub fn is_approved(&self) -> bool {
        matches!(
            self.status,
            RequestStatus::Approved | RequestStatus::PartiallyApproved
        )
    }
}
