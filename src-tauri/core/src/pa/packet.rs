//! Everything a prior-authorization packet, re-authorization packet or appeal letter shows,
//! gathered in one read so the PDF crate renders without a session. The letter of medical
//! necessity is generated from the structured record (`letter.rs`) unless the request carries
//! an edited one.

use chrono::{Months, NaiveDate};

use super::attestation::Attestation;
use super::check::{self, CheckRequest};
use super::facts::PaFacts;
use super::letter;
use super::outcome::Evaluation;
use super::rules::RuleSet;
use super::service::Service;
use crate::error::CoreResult;
use crate::profile::clinic::ClinicProfile;
use crate::profile::provider::ProviderProfile;
use crate::record::coverage::Coverage;
use crate::record::{Record, RecordBody};
use crate::scores::Trend;
use crate::session::Session;
use crate::treatment::view::CourseOverview;

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketKind {
    Initial,
    Reauthorization,
    Appeal,
}

/// A requested code line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestedLine {
    pub code: String,
    pub units: u32,
    pub ndc: Option<String>,
}

/// What the packet is for: a stored request's fields, or defaults for an ad-hoc packet.
#[derive(Debug, Clone)]
pub struct PacketSpec {
    pub kind: PacketKind,
    pub check: CheckRequest,
    /// The stored request the packet is for (documents linked to it are attached); `None` for
    /// an ad-hoc packet.
    pub request_id: Option<i64>,
    /// The course the request names (documents linked to it, such as outside notes, are
    /// attached); `None`: no course named.
    pub course_record_id: Option<i64>,
    pub rendering_provider: Option<i64>,
    pub lines: Vec<RequestedLine>,
    /// ICD-10-CM codes; empty = the patient's active diagnoses.
    pub diagnosis_codes: Vec<String>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub sessions: Option<u32>,
    /// The letter as edited on the request; `None` = generated.
    pub letter: Option<String>,
    /// A provider's reason to finalize despite gaps, with who and when.
    pub override_reason: Option<(String, String, String)>,
    pub reference: Option<String>,
    pub auth_number: Option<String>,
    /// Appeal: the payer's stated denial reason and the edited appeal letter.
    pub denial_reason: Option<String>,
    pub appeal_letter: Option<String>,
    /// Re-authorization: the approved units and window being renewed.
    pub previous_authorized_sessions: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct DiagnosisLine {
    pub code: String,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct PayerLine {
    pub name: String,
    pub plan: Option<String>,
    pub member_id: Option<String>,
    pub group: Option<String>,
    pub pa_phone: Option<String>,
    pub pa_fax: Option<String>,
}

/// Re-authorization facts: change on each instrument, sessions, adverse events.
#[derive(Debug, Clone)]
pub struct ReauthFacts {
    pub trends: Vec<Trend>,
    pub courses: Vec<CourseOverview>,
    /// `(date, event label, severity)` from the service's sessions.
    pub adverse_events: Vec<(String, String, String)>,
    pub min_improvement_percent: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct PacketData {
    pub kind: PacketKind,
    pub clinic: ClinicProfile,
    pub generated_by: String,
    pub generated_at: String,
    pub today: NaiveDate,
    pub facts: PaFacts,
    pub rules: RuleSet,
    pub evaluation: Evaluation,
    pub payer: PayerLine,
    pub service: Service,
    pub lines: Vec<RequestedLine>,
    pub diagnoses: Vec<DiagnosisLine>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub sessions: Option<u32>,
    pub ordering: Option<ProviderProfile>,
    pub rendering: Option<ProviderProfile>,
    pub letter: String,
    pub trends: Vec<Trend>,
    pub attestations: Vec<Attestation>,
    pub override_reason: Option<(String, String, String)>,
    pub reference: Option<String>,
    pub auth_number: Option<String>,
    pub denial_reason: Option<String>,
    pub appeal_letter: Option<String>,
    pub reauth: Option<ReauthFacts>,
    /// The attachments index: the packet's own sections, then the stored documents linked to
    /// the request, the trials shown, the billed coverage, the current episode and the course
    /// the request names (A1, A2, …); see [`linked_documents`].
    pub attachments: Vec<AttachmentEntry>,
}

/// A section of the packet itself, as the attachments index lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketSection {
    Letter,
    TreatmentFailure,
    Psychotherapy,
    ScoreHistory,
    Screening,
    Criteria,
    Attestation,
    Reauthorization,
}

/// What an attachments-index entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentSource {
    /// Printed in the packet (the PDF gives its page).
    Section(PacketSection),
    /// A stored document (`document` table id), appended to the packet on request, with its
    /// links (a trial's link may name the page that is its evidence).
    Document {
        id: i64,
        media_type: crate::document::MediaType,
        links: Vec<crate::document::DocumentLink>,
    },
}

/// One entry of the attachments index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentEntry {
    /// `"1"`, `"2"`, … for the packet's sections; `"A1"`, `"A2"`, … for documents (the label
    /// tables cite: "Attachment A2, p. 3").
    pub label: String,
    /// "Packet section", or the document's kind ("Pharmacy fill history").
    pub kind_label: String,
    pub title: String,
    /// Display form (`03-Mar-2025`, `Mar-2025`); `None` for sections and undated documents.
    pub date: Option<String>,
    /// A document's page count (an image is one page); `None` for sections.
    pub pages: Option<u32>,
    pub source: AttachmentSource,
}

impl AttachmentEntry {
    /// The stored document's id, if this entry is one.
    pub fn document_id(&self) -> Option<i64> {
        match &self.source {
            AttachmentSource::Document { id, .. } => Some(*id),
            AttachmentSource::Section(_) => None,
        }
    }

    /// `Attachment A2, p. 3` for a link to `trial_id` (the page when the link names one).
    pub fn trial_citation(&self, trial_id: i64) -> Option<String> {
        let AttachmentSource::Document { links, .. } = &self.source else {
            return None;
        };
        let link = links
            .iter()
            .find(|l| l.target == crate::document::LinkTarget::Trial && l.target_id == trial_id)?;
        Some(match link.page {
            Some(p) => format!("Attachment {}, p. {p}", self.label),
            None => format!("Attachment {}", self.label),
        })
    }
}

impl PacketData {
    /// A packet with gaps is a draft unless a provider recorded an override (decisions.md).
    pub fn is_draft(&self) -> bool {
        self.evaluation.has_gaps() && self.override_reason.is_none()
    }

    /// The stored documents of the attachments index, in order (what "append" appends).
    pub fn documents(&self) -> impl Iterator<Item = &AttachmentEntry> + '_ {
        self.attachments
            .iter()
            .filter(|a| a.document_id().is_some())
    }

    /// How the packet cites trial `trial_id`'s source documents: `Attachment A2, p. 3`, …
    pub fn trial_citations(&self, trial_id: i64) -> Vec<String> {
        self.attachments
            .iter()
            .filter_map(|a| a.trial_citation(trial_id))
            .collect()
    }
}

/// The codes a request usually carries for a service, for billing staff to adjust.
pub fn default_lines(service: Service, sessions: u32, medicare_like: bool) -> Vec<RequestedLine> {
    let line = |code: &str, units: u32, ndc: Option<&str>| RequestedLine {
        code: code.into(),
        units,
        ndc: ndc.map(str::to_string),
    };
    match service {
        Service::SpravatoTrd | Service::SpravatoMdsi => {
            let mg = if service == Service::SpravatoMdsi {
                84
            } else {
                56
            };
            if medicare_like {
                vec![line(
                    if mg > 56 { "G2083" } else { "G2082" },
                    sessions,
                    None,
                )]
            } else {
                vec![line(
                    "J0013",
                    mg * sessions,
                    Some(if mg > 56 {
                        "50458-0028-03"
                    } else {
                        "50458-0028-02"
                    }),
                )]
            }
        }
        Service::Tms => vec![
            line("90867", 1, None),
            line("90868", sessions.saturating_sub(1).max(1), None),
        ],
        Service::IvKetamine => vec![line("96365", sessions, None), line("J3490", sessions, None)],
    }
}

/// Reads everything the document shows and evaluates the rule set.
pub fn gather(session: &Session, spec: &PacketSpec, today: NaiveDate) -> CoreResult<PacketData> {
    let (evaluation, facts, rules) = check::run_with_rules(session, &spec.check, today)?;
    let conn = session.conn();
    let clinic = crate::profile::clinic::load(conn)?;
    let reference = crate::reference::icd10::bundled()?;

    // The primary coverage active on the date, else any.
    let coverages: Vec<&Coverage> = facts
        .records
        .iter()
        .filter_map(|r| match &r.body {
            RecordBody::Coverage(c) => Some(c),
            _ => None,
        })
        .collect();
    let coverage = coverages
        .iter()
        .find(|c| c.priority == Some(crate::record::coverage::Priority::Primary))
        .or(coverages.first())
        .copied();
    let payer = match coverage {
        Some(c) => {
            let p = crate::payer::get(conn, c.payer_id)?;
            PayerLine {
                name: p.name,
                plan: Some(c.plan_name.clone()),
                member_id: Some(c.member_id.clone()),
                group: c.group_number.clone(),
                pa_phone: c.pa_phone.clone().or(p.pa_phone),
                pa_fax: c.pa_fax.clone().or(p.pa_fax),
            }
        }
        None => PayerLine {
            name: rules.payer.clone(),
            plan: None,
            member_id: None,
            group: None,
            pa_phone: None,
            pa_fax: None,
        },
    };
    let codes: Vec<String> = if spec.diagnosis_codes.is_empty() {
        facts
            .records
            .iter()
            .filter_map(|r| match &r.body {
                RecordBody::Diagnosis(d)
                    if d.status != Some(crate::record::diagnosis::DiagnosisStatus::Resolved) =>
                {
                    Some(d.code.clone())
                }
                _ => None,
            })
            .collect()
    } else {
        spec.diagnosis_codes.clone()
    };
    let diagnoses = codes
        .into_iter()
        .map(|c| DiagnosisLine {
            title: reference
                .get(&c)
                .map(|x| x.title.clone())
                .unwrap_or_default(),
            code: c,
        })
        .collect();
    let ordering = facts.ordering_provider.as_ref().map(|o| o.profile.clone());
    let rendering = match spec.rendering_provider {
        Some(id) => crate::profile::provider::load_by_id(conn, id)?,
        None => ordering.clone(),
    };
    let trends = crate::scores::trends(session, spec.check.patient_id)?;
    let sessions = spec
        .sessions
        .or_else(|| rules.approval.as_ref().and_then(|a| a.max_sessions));
    let start = spec.start.or(Some(spec.check.on));
    let end = spec.end.or_else(|| {
        let a = rules.approval.as_ref()?;
        let s = start?;
        match (a.initial_months, a.initial_days) {
            (Some(m), _) => s
                .checked_add_months(Months::new(m))
                .map(|d| d.pred_opt().unwrap_or(d)),
            (None, Some(d)) => {
                s.checked_add_days(chrono::Days::new(u64::from(d).saturating_sub(1)))
            }
            _ => None,
        }
    });
    let medicare_like = payer_is_medicare(conn, coverage)?;
    let lines = if spec.lines.is_empty() {
        default_lines(spec.check.service, sessions.unwrap_or(8), medicare_like)
    } else {
        spec.lines.clone()
    };
    let reauth = if spec.kind == PacketKind::Reauthorization {
        let courses: Vec<CourseOverview> =
            crate::treatment::view::courses(session, spec.check.patient_id)?
                .into_iter()
                .filter(|c| {
                    c.course
                        .modality
                        .is_some_and(|m| spec.check.service.delivered_by(m))
                })
                .collect();
        let mut adverse_events = Vec::new();
        for r in crate::record::list(
            session,
            spec.check.patient_id,
            Some(crate::record::RecordKind::Session),
        )? {
            if let RecordBody::Session(s) = &r.body {
                for e in &s.adverse_events {
                    adverse_events.push((
                        s.date.clone(),
                        e.event.replace('_', " "),
                        e.severity
                            .map(|x| format!("{x:?}").to_lowercase())
                            .unwrap_or_default(),
                    ));
                }
            }
        }
        Some(ReauthFacts {
            trends: trends.clone(),
            courses,
            adverse_events,
            min_improvement_percent: rules
                .reauthorization
                .as_ref()
                .and_then(|r| r.min_improvement_percent),
        })
    } else {
        None
    };
    let mut data = PacketData {
        kind: spec.kind,
        clinic,
        generated_by: session.user().display_name.clone(),
        generated_at: chrono::Local::now().format("%d-%b-%Y %H:%M").to_string(),
        today,
        facts,
        rules,
        evaluation,
        payer,
        service: spec.check.service,
        lines,
        diagnoses,
        start,
        end,
        sessions,
        ordering,
        rendering,
        letter: String::new(),
        trends,
        attestations: spec.check.attestations.clone(),
        override_reason: spec.override_reason.clone(),
        reference: spec.reference.clone(),
        auth_number: spec.auth_number.clone(),
        denial_reason: spec.denial_reason.clone(),
        appeal_letter: None,
        reauth,
        attachments: Vec::new(),
    };
    data.letter = spec
        .letter
        .clone()
        .unwrap_or_else(|| letter::medical_necessity(&data));
    if spec.kind == PacketKind::Appeal {
        data.appeal_letter = Some(
            spec.appeal_letter
                .clone()
                .unwrap_or_else(|| letter::appeal(&data)),
        );
    }
    let documents = linked_documents(session, spec, &data)?;
    data.attachments = letter::attachments_index(&data, documents);
    Ok(data)
}

/// The stored documents a packet sends to the payer: those linked to the request, to the
/// trials it shows, to the coverage it bills, to the current episode and to the course the
/// request names. A form the patient signed in KetaChart (consent, ABN, REMS enrollment) goes
/// only when it is linked to the request itself: a payer has no business with the rest, and
/// documents of other coverages (an earlier insurer's cards and letters) stay out.
fn linked_documents(
    session: &Session,
    spec: &PacketSpec,
    data: &PacketData,
) -> CoreResult<Vec<crate::document::DocumentRef>> {
    use crate::document::LinkTarget;
    let conn = session.conn();
    let patient_id = spec.check.patient_id;
    let request = spec.request_id.map(|id| (LinkTarget::PaRequest, id));
    let mut targets: Vec<(LinkTarget, i64)> = Vec::new();
    targets.extend(data.facts.trials.iter().map(|t| (LinkTarget::Trial, t.id)));
    if let Some(id) = billed_coverage(data) {
        targets.push((LinkTarget::Coverage, id));
    }
    targets.extend(data.facts.records.iter().filter_map(|r| match &r.body {
        RecordBody::Episode(e) if e.current => Some((LinkTarget::Episode, r.id)),
        _ => None,
    }));
    if let Some(id) = spec.course_record_id {
        targets.push((LinkTarget::Course, id));
    }
    Ok(crate::document::linked_documents(conn, patient_id)?
        .into_iter()
        .filter(|d| {
            let to_request = d
                .links
                .iter()
                .any(|l| Some((l.target, l.target_id)) == request);
            let to_record = d
                .links
                .iter()
                .any(|l| targets.contains(&(l.target, l.target_id)));
            to_request || (to_record && !d.kind.is_signed_form())
        })
        .collect())
}

/// The record id of the coverage the packet bills: the primary one, else the first (as the
/// cover sheet chooses it).
fn billed_coverage(data: &PacketData) -> Option<i64> {
    let coverages: Vec<(&Record, &Coverage)> = data
        .facts
        .records
        .iter()
        .filter_map(|r| match &r.body {
            RecordBody::Coverage(c) => Some((r, c)),
            _ => None,
        })
        .collect();
    coverages
        .iter()
        .find(|(_, c)| c.priority == Some(crate::record::coverage::Priority::Primary))
        .or(coverages.first())
        .map(|(r, _)| r.id)
}

fn payer_is_medicare(conn: &rusqlite::Connection, coverage: Option<&Coverage>) -> CoreResult<bool> {
    let Some(c) = coverage else { return Ok(false) };
    let p = crate::payer::get(conn, c.payer_id)?;
    Ok(matches!(
        p.payer_type,
        crate::payer::PayerType::Medicare | crate::payer::PayerType::MedicareAdvantage
    ))
}

/// Records of a kind from the facts (psychotherapy, screenings), oldest first.
pub fn records_of<'a>(
    data: &'a PacketData,
    pred: impl Fn(&RecordBody) -> bool + 'a,
) -> impl Iterator<Item = &'a Record> + 'a {
    data.facts.records.iter().filter(move |r| pred(&r.body))
}

/// The bytes of the packet's stored documents, in index order, for appending them to the
/// packet (the export that includes them is audited by [`record_export`]).
pub fn document_bytes(
    session: &Session,
    data: &PacketData,
) -> CoreResult<Vec<(i64, crate::document::MediaType, Vec<u8>)>> {
    session.require(crate::access::Permission::ReadClinical)?;
    data.documents()
        .filter_map(AttachmentEntry::document_id)
        .map(|id| {
            let (media_type, bytes) = crate::document::content_for_export(session.conn(), id)?;
            Ok((id, media_type, bytes))
        })
        .collect()
}

/// Audits that a packet was written (after it was written): which kind, rule set and patient,
/// and the ids of the stored documents appended to it.
pub fn record_export(session: &Session, data: &PacketData, appended: &[i64]) -> CoreResult<()> {
    crate::audit::append(
        session.conn(),
        &session.actor(),
        &crate::audit::NewEvent::new(crate::audit::AuditAction::PaDocument)
            .patient(data.facts.patient.id.0, &data.facts.patient.mrn)
            .detail(
                format!(
                    "{} packet, {} {}",
                    match data.kind {
                        PacketKind::Initial => "initial",
                        PacketKind::Reauthorization => "re-authorization",
                        PacketKind::Appeal => "appeal",
                    },
                    data.rules.id,
                    data.rules.version
                ) + &if appended.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; appended documents {}",
                        appended
                            .iter()
                            .map(i64::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
            ),
    )?;
    Ok(())
}
