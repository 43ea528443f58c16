//! Prior-authorization documents from the core's [`PacketData`]: the initial packet, the
//! re-authorization packet and the appeal (domain reference §5.1).
//!
//! * Initial: cover sheet, letter of medical necessity, treatment-failure tables (antidepressant
//!   and augmentation trials, psychotherapy), rating-scale history, safety screening, the
//!   criterion → evidence table, provider attestation and signature, attachments index.
//! * Re-authorization: cover sheet, re-authorization summary (scores against baseline,
//!   sessions against the authorization, adverse events, adherence, plan), letter, criteria.
//! * Appeal: the appeal letter, the criterion → evidence table, the treatment-failure tables,
//!   then the score history and screening the criteria cite.
//!
//! The criterion table cites the packet page each piece of evidence is on: sections and rows
//! carry layout anchors and the document is laid out until its page references are stable
//! ([`crate::render_with_page_refs`]). A packet with gaps and no provider override is a draft
//! and says so on every page (decisions.md "PDFs").

use std::path::PathBuf;

use ketachart_core::access::Permission;
use ketachart_core::document::MediaType;
use ketachart_core::export_file::{check_target, save_for_user};
use ketachart_core::pa::outcome::{CriterionResult, Evidence, EvidenceKind, Status};
use ketachart_core::pa::packet::{
    self, AttachmentEntry, AttachmentSource, PacketData, PacketKind, PacketSection, PacketSpec,
};
use ketachart_core::record::RecordBody;
use ketachart_core::{CoreResult, Session};

use crate::merge::{Attachment, Content, MergeError, Prepared};
use crate::pa_tables;
use crate::session::render_error;
use crate::summary::{day, pd, stamp};
use crate::{Block, Cell, Column, Document, PageHeader, Pagination, PdfError};

/// Printed across every page of a packet that still has gaps and no provider override.
pub const DRAFT_WATERMARK: &str = "DRAFT — gaps remain";

/// Section and row anchors, shared with [`crate::pa_tables`].
pub(crate) mod anchor {
    pub(crate) const COVER: &str = "cover";
    pub(crate) const PATIENT: &str = "cover:patient";
    pub(crate) const DIAGNOSES: &str = "cover:diagnoses";
    pub(crate) const PROVIDERS: &str = "cover:providers";
    pub(crate) const CLINIC: &str = "cover:clinic";
    pub(crate) const LETTER: &str = "section:letter";
    pub(crate) const APPEAL: &str = "section:appeal";
    pub(crate) const TRIALS: &str = "section:trials";
    pub(crate) const THERAPY: &str = "section:therapy";
    pub(crate) const SCORES: &str = "section:scores";
    pub(crate) const SCREENING: &str = "section:screening";
    pub(crate) const CRITERIA: &str = "section:criteria";
    pub(crate) const ATTESTATION: &str = "section:attestation";
    pub(crate) const ATTACHMENTS: &str = "section:attachments";
    pub(crate) const REAUTH: &str = "section:reauth";

    pub(crate) fn trial(id: i64) -> String {
        format!("trial:{id}")
    }
    pub(crate) fn score(id: i64) -> String {
        format!("score:{id}")
    }
    pub(crate) fn screening(id: i64) -> String {
        format!("screening:{id}")
    }
    pub(crate) fn therapy(id: i64) -> String {
        format!("therapy:{id}")
    }
}

/// Renders the packet `data.kind` calls for.
///
/// # Errors
///
/// Only [`PdfError::Font`] or [`PdfError::Write`] (a broken build or a printpdf bug).
pub fn render(data: &PacketData) -> Result<Vec<u8>, PdfError> {
    crate::render_with_page_refs(|pages| document(data, pages))
}

/// A stored document's bytes, to append after the packet (in the order of
/// [`PacketData::documents`]).
#[derive(Debug, Clone)]
pub struct DocumentBytes {
    /// The attachments-index label, `A1`, `A2`, …
    pub label: String,
    /// The caption of an image page: kind and title.
    pub title: String,
    pub media_type: MediaType,
    pub bytes: Vec<u8>,
}

/// Renders the packet and appends `documents` after it in one file: PDF pages merged in order
/// (each stamped with its attachment label, the patient line and "Page x of y"), images on
/// pages of their own with the packet's header and footer. The packet's own "Page x of y" and
/// its attachments index count the appended pages.
///
/// # Errors
///
/// [`MergeError`] naming the attachment that could not be read (or a render bug).
pub fn render_with_documents(
    data: &PacketData,
    documents: &[DocumentBytes],
) -> Result<Vec<u8>, MergeError> {
    // Nothing to append (no document linked to what the packet covers): the packet alone.
    if documents.is_empty() {
        return Ok(render(data)?);
    }
    let attachments: Vec<Attachment<'_>> = documents
        .iter()
        .map(|d| Attachment {
            label: d.label.clone(),
            title: d.title.clone(),
            content: match d.media_type {
                MediaType::Pdf => Content::Pdf(&d.bytes),
                MediaType::Png => Content::Png(&d.bytes),
                MediaType::Jpeg => Content::Jpeg(&d.bytes),
            },
        })
        .collect();
    let prepared = Prepared::new(&attachments)?;
    let appended = Appended {
        labels: documents.iter().map(|d| d.label.clone()).collect(),
        pages: prepared.pages(),
    };
    let packet = crate::render_with_page_refs_and_trailing(prepared.total_pages(), |pages| {
        document_appended(data, pages, Some(&appended))
    })?;
    let watermark = data.is_draft().then_some(DRAFT_WATERMARK);
    prepared.append(&packet, &header(data), watermark)
}

/// Gathers the packet for `spec` (the evaluation is audited by the core as a PA check),
/// renders it — with its linked documents appended when `append_documents` — and saves it to
/// `path` (owner-only, outside the vault, atomically). Returns where it was written.
pub fn export(
    session: &Session,
    spec: &PacketSpec,
    path: &str,
    today: chrono::NaiveDate,
    append_documents: bool,
) -> CoreResult<PathBuf> {
    require(session)?;
    check_target("path", path)?;
    let data = packet::gather(session, spec, today)?;
    save(session, &data, path, append_documents)
}

/// Renders an already gathered packet (e.g. the one previewed) and saves it to `path`
/// (owner-only, outside the vault, atomically); with `append_documents`, the stored documents
/// of its attachments index are read from the vault and appended. The export is audited with
/// the ids of the documents appended. Returns where it was written.
pub fn save(
    session: &Session,
    data: &PacketData,
    path: &str,
    append_documents: bool,
) -> CoreResult<PathBuf> {
    require(session)?;
    check_target("path", path)?;
    let mut appended = Vec::new();
    let bytes = if append_documents {
        let mut documents = Vec::new();
        for ((id, media_type, bytes), a) in packet::document_bytes(session, data)?
            .into_iter()
            .zip(data.documents())
        {
            appended.push(id);
            documents.push(DocumentBytes {
                label: a.label.clone(),
                title: format!("{} — {}", a.kind_label, a.title),
                media_type,
                bytes,
            });
        }
        render_with_documents(data, &documents).map_err(merge_error)?
    } else {
        render(data).map_err(render_error)?
    };
    let written = save_for_user(session, path, &bytes)?;
    ketachart_core::pa::packet::record_export(session, data, &appended)?;
    Ok(written)
}

/// A document that cannot be appended is the user's to fix (field `appendDocuments`); a
/// render failure is a bug.
fn merge_error(e: MergeError) -> ketachart_core::CoreError {
    match e {
        MergeError::Render(p) => render_error(p),
        MergeError::Base(_) | MergeError::Write(_) => {
            ketachart_core::CoreError::Io(std::io::Error::other(e.to_string()))
        }
        e => ketachart_core::ValidationErrors::single(
            "appendDocuments",
            format!(
                "{e}. Export the packet without appending documents, or replace that document."
            ),
        )
        .into(),
    }
}

/// Who may produce PA documents: those who work on authorizations and read the chart.
fn require(session: &Session) -> CoreResult<()> {
    session.require(Permission::ManageAuthorizations)?;
    session.require(Permission::ReadClinical)
}

/// The document title, printed large on every page (and the PDF's title: no PHI).
pub fn title(kind: PacketKind) -> &'static str {
    match kind {
        PacketKind::Initial => "Prior authorization request",
        PacketKind::Reauthorization => "Re-authorization request",
        PacketKind::Appeal => "Appeal of a prior-authorization denial",
    }
}

/// Builds the document, citing the pages in `pages` (empty on the first layout pass).
pub fn document(d: &PacketData, pages: &Pagination) -> Document {
    document_appended(d, pages, None)
}

/// The documents appended after the packet: labels and pages each, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Appended {
    pub(crate) labels: Vec<String>,
    pub(crate) pages: Vec<usize>,
}

fn document_appended(d: &PacketData, pages: &Pagination, appended: Option<&Appended>) -> Document {
    let cx = Cx { d, pages, appended };
    let mut b = Vec::new();
    match d.kind {
        PacketKind::Initial => {
            cover(&cx, &mut b);
            letter(
                &mut b,
                "Letter of medical necessity",
                anchor::LETTER,
                &d.letter,
            );
            pa_tables::treatment_history(&cx, &mut b);
            pa_tables::score_history(&cx, &mut b);
            pa_tables::screening(&cx, &mut b);
            criteria(&cx, &mut b);
            attestation(&cx, &mut b);
            attachments(&cx, &mut b);
        }
        PacketKind::Reauthorization => {
            cover(&cx, &mut b);
            pa_tables::reauthorization(&cx, &mut b);
            letter(
                &mut b,
                "Letter of medical necessity",
                anchor::LETTER,
                &d.letter,
            );
            criteria(&cx, &mut b);
        }
        PacketKind::Appeal => {
            appeal_header(d, &mut b);
            letter(
                &mut b,
                "Appeal letter",
                anchor::APPEAL,
                d.appeal_letter.as_deref().unwrap_or(&d.letter),
            );
            criteria(&cx, &mut b);
            pa_tables::treatment_history(&cx, &mut b);
            pa_tables::score_history(&cx, &mut b);
            pa_tables::screening(&cx, &mut b);
        }
    }
    Document {
        header: header(d),
        blocks: b,
        watermark: d.is_draft().then(|| DRAFT_WATERMARK.to_string()),
    }
}

/// What a section builder reads: the data and where the previous layout put each anchor.
pub(crate) struct Cx<'a> {
    pub(crate) d: &'a PacketData,
    pub(crate) pages: &'a Pagination,
    /// The documents appended after the packet, when they are.
    pub(crate) appended: Option<&'a Appended>,
}

impl Cx<'_> {
    /// ` — p. 3` for the first of `anchors` that was placed; ` — p. ?` on the first pass
    /// (nothing is known yet); empty when none is in this document.
    fn page_ref(&self, anchors: &[String]) -> String {
        if self.pages.pages == 0 {
            return "\u{a0}—\u{a0}p.\u{a0}?".into();
        }
        anchors
            .iter()
            .find_map(|a| self.pages.page_of(a))
            // No-break spaces: the reference stays on the line of the text it belongs to.
            .map(|p| format!("\u{a0}—\u{a0}p.\u{a0}{p}"))
            .unwrap_or_default()
    }
}

/// `ØDEGÅRD, Łucja` as on every page and the cover sheet.
pub(crate) fn patient_name(d: &PacketData) -> String {
    let p = &d.facts.patient;
    format!("{}, {}", p.family_name.to_uppercase(), p.given_name)
}

fn header(d: &PacketData) -> PageHeader {
    let p = &d.facts.patient;
    let (met, not_met, insufficient) = d.evaluation.counts();
    let status = if let Some((_, by, at)) = &d.override_reason {
        format!(
            "Final with a provider override of open gaps ({not_met} not met, {insufficient} \
             insufficient), recorded by {by}, {}",
            stamp(at)
        )
    } else if d.is_draft() {
        format!(
            "DRAFT — {met} met, {not_met} not met, {insufficient} insufficient: not for \
             submission until every gap is closed or a provider records an override"
        )
    } else {
        // Ready: nothing to warn about on every page (the cover sheet shows the verdict).
        String::new()
    };
    PageHeader {
        clinic_name: d.clinic.name.clone(),
        document_title: title(d.kind).into(),
        patient_line: format!(
            "{} · DOB {} · MRN {}",
            patient_name(d),
            day(p.birth_date),
            p.mrn
        ),
        generated_line: format!("Generated {} by {}", d.generated_at, d.generated_by),
        signed_line: (!status.is_empty()).then_some(status),
    }
}

fn or_not_recorded(v: Option<&str>) -> String {
    v.filter(|s| !s.trim().is_empty())
        .unwrap_or("Not recorded")
        .to_string()
}

fn provider_line(p: &ketachart_core::profile::provider::ProviderProfile) -> String {
    match &p.credentials {
        Some(c) => format!("{}, {c}", p.display_name),
        None => p.display_name.clone(),
    }
}

/// The clinic's address on one line.
pub(crate) fn clinic_address(c: &ketachart_core::profile::clinic::ClinicProfile) -> String {
    let city = [c.city.as_deref(), c.state.as_deref(), c.zip.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    [
        c.address_line1.as_deref(),
        c.address_line2.as_deref(),
        Some(city.as_str()),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(", ")
}

/// Cover sheet: the request, payer and member, patient, codes, diagnoses, providers, clinic.
/// Form-style fields keep it to one page for a usual request.
fn cover(cx: &Cx<'_>, b: &mut Vec<Block>) {
    let d = cx.d;
    let e = &d.evaluation;
    b.push(Block::Anchor(anchor::COVER.into()));
    b.push(Block::Heading(match d.kind {
        PacketKind::Reauthorization => "Renewal request".into(),
        _ => "Request".into(),
    }));
    let mut fields = vec![
        (
            "Requested dates".to_string(),
            match (d.start, d.end) {
                (Some(s), Some(t)) => format!("{} to {}", day(s), day(t)),
                (Some(s), None) => format!("From {}", day(s)),
                _ => "Not set".into(),
            },
        ),
        (
            "Sessions requested".into(),
            d.sessions
                .map_or_else(|| "Not set".into(), |s| s.to_string()),
        ),
    ];
    if let Some(r) = &d.reference {
        fields.push(("Reference number".into(), r.clone()));
    }
    if let Some(a) = &d.auth_number {
        fields.push(("Authorization number".into(), a.clone()));
    }
    let mut kv = vec![
        (
            "Requested service".to_string(),
            d.service.label().to_string(),
        ),
        (
            "Payer rule set".to_string(),
            format!(
                "{} — {}, version {}{}",
                d.rules.payer,
                d.rules.policy,
                d.rules.version,
                if e.rule_set_verified && d.rules.verified {
                    String::new()
                } else {
                    "\nRequires review: not verified against the payer's current policy".into()
                }
            ),
        ),
        (
            "Evaluation".into(),
            // The summary starts with the verdict in words ("All 11 criteria met: ready …").
            format!(
                "{} (evaluated for {})",
                e.summary.trim_end_matches('.'),
                day(e.on)
            ),
        ),
    ];
    if let Some((reason, by, at)) = &d.override_reason {
        kv.push((
            "Provider override".into(),
            format!("{reason}\n— {by}, {}", stamp(at)),
        ));
    }
    b.push(Block::KeyValues(kv));
    b.push(Block::Fields { per_row: 3, fields });
    let billing = ketachart_core::billing::reference::bundled().ok();
    b.push(Block::Table {
        columns: vec![
            Column::new("Code", 0.8),
            Column::new("Description", 3.2),
            Column::new("Units", 0.7),
            Column::new("NDC", 1.4),
        ],
        rows: d
            .lines
            .iter()
            .map(|l| {
                vec![
                    Cell::new(l.code.clone()),
                    Cell::new(
                        billing
                            .and_then(|r| r.code(&l.code))
                            .map(|c| c.descriptor.clone())
                            .unwrap_or_default(),
                    ),
                    Cell::new(l.units.to_string()),
                    Cell::new(l.ndc.clone().unwrap_or_else(|| "—".into())),
                ]
            })
            .collect(),
    });

    b.push(Block::Heading("Patient, coverage and diagnoses".into()));
    let p = &d.facts.patient;
    let pay = &d.payer;
    b.push(Block::Fields {
        per_row: 3,
        fields: vec![
            ("Payer".into(), pay.name.clone()),
            ("Plan".into(), or_not_recorded(pay.plan.as_deref())),
            (
                "Member ID".into(),
                or_not_recorded(pay.member_id.as_deref()),
            ),
            ("Group".into(), or_not_recorded(pay.group.as_deref())),
            ("PA phone".into(), or_not_recorded(pay.pa_phone.as_deref())),
            ("PA fax".into(), or_not_recorded(pay.pa_fax.as_deref())),
        ],
    });
    b.push(Block::Anchor(anchor::PATIENT.into()));
    b.push(Block::Fields {
        per_row: 3,
        fields: vec![
            ("Patient".into(), patient_name(d)),
            (
                "Date of birth".into(),
                format!(
                    "{} ({} years)",
                    day(p.birth_date),
                    ketachart_core::patient::age_on(p.birth_date, d.today)
                ),
            ),
            ("MRN".into(), p.mrn.clone()),
        ],
    });

    b.push(Block::Anchor(anchor::DIAGNOSES.into()));
    if d.diagnoses.is_empty() {
        b.push(Block::Note("No active diagnosis recorded.".into()));
    } else {
        b.push(Block::Table {
            columns: vec![Column::new("ICD-10-CM", 0.8), Column::new("Diagnosis", 5.3)],
            rows: d
                .diagnoses
                .iter()
                .map(|x| vec![Cell::new(x.code.clone()), Cell::new(x.title.clone())])
                .collect(),
        });
    }
    if let Some(episode) = current_episode(d) {
        b.push(Block::KeyValues(vec![("Current episode".into(), episode)]));
    }

    b.push(Block::Anchor(anchor::PROVIDERS.into()));
    b.push(Block::Heading("Providers and clinic".into()));
    let mut rows = Vec::new();
    for (role, p) in [("Ordering", &d.ordering), ("Rendering", &d.rendering)] {
        rows.push(match p {
            Some(p) => vec![
                Cell::new(role),
                Cell::new(p.display_name.clone()),
                Cell::new(or_not_recorded(p.credentials.as_deref())),
                Cell::new(or_not_recorded(p.npi.as_deref())),
                Cell::new(or_not_recorded(p.phone.as_deref())),
            ],
            None => vec![Cell::new(role), Cell::flagged("", "not chosen")],
        });
    }
    b.push(Block::Table {
        columns: vec![
            Column::new("Provider", 0.9),
            Column::new("Name", 2.2),
            Column::new("Credentials", 1.1),
            Column::new("NPI", 1.1),
            Column::new("Phone", 1.3),
        ],
        rows,
    });
    b.push(Block::Anchor(anchor::CLINIC.into()));
    let c = &d.clinic;
    let address = clinic_address(c);
    let mut fields = vec![
        ("Clinic".to_string(), c.name.clone()),
        (
            "Address".into(),
            if address.is_empty() {
                "Not recorded".into()
            } else {
                address
            },
        ),
        (
            "Phone / fax".into(),
            format!(
                "{} / {}",
                or_not_recorded(c.phone.as_deref()),
                or_not_recorded(c.fax.as_deref())
            ),
        ),
        ("TIN".into(), or_not_recorded(c.tin.as_deref())),
        ("Clinic NPI".into(), or_not_recorded(c.npi.as_deref())),
    ];
    if d.service.is_drug() {
        fields.push((
            "REMS setting ID".into(),
            or_not_recorded(c.rems_setting_id.as_deref()),
        ));
    }
    b.push(Block::Fields { per_row: 3, fields });
}

/// The current episode in one line, from the chart.
fn current_episode(d: &PacketData) -> Option<String> {
    d.facts.records.iter().find_map(|r| match &r.body {
        RecordBody::Episode(e) if e.current => {
            let mut s = format!("Onset {}", pd(&e.onset));
            if let Some(c) = e.course {
                s.push_str(&format!(", {}", format!("{c:?}").to_lowercase()));
            }
            if let Some(v) = e.severity {
                s.push_str(&format!(", {}", format!("{v:?}").to_lowercase()));
            }
            match e.psychotic_features {
                Some(true) => s.push_str(", with psychotic features"),
                Some(false) => s.push_str(", without psychotic features"),
                None => s.push_str(", psychotic features not recorded"),
            }
            if let Some(i) = &e.instrument {
                s.push_str(&format!("; confirmed by {i}"));
            }
            if !e.confirming_clinician.is_empty() {
                s.push_str(&format!(" ({})", e.confirming_clinician));
            }
            Some(s)
        }
        _ => None,
    })
}

/// A letter, verbatim: one paragraph per blank-line-separated block (single line breaks kept).
fn letter(b: &mut Vec<Block>, heading: &str, id: &str, text: &str) {
    b.push(Block::Anchor(id.into()));
    b.push(Block::Heading(heading.into()));
    let mut paras = paragraphs(text);
    // A one-line sign-off ("Sincerely,") stays on the page of the signature under it.
    let closing = match paras.len() {
        n if n >= 2 && !paras[n - 2].contains('\n') && paras[n - 2].chars().count() <= 40 => {
            paras.split_off(n - 2)
        }
        _ => Vec::new(),
    };
    b.extend(paras.into_iter().map(Block::Paragraph));
    if !closing.is_empty() {
        b.push(Block::KeepTogether(
            closing.into_iter().map(Block::Paragraph).collect(),
        ));
    }
}

/// Splits on blank lines (lines of only whitespace), trimming the line breaks around each.
pub(crate) fn paragraphs(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n");
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(cur.join("\n"));
                cur.clear();
            }
        } else {
            cur.push(line.trim_end());
        }
    }
    if !cur.is_empty() {
        out.push(cur.join("\n"));
    }
    out
}

fn appeal_header(d: &PacketData, b: &mut Vec<Block>) {
    b.push(Block::Anchor(anchor::COVER.into()));
    b.push(Block::Heading("Appeal".into()));
    let mut kv = vec![
        (
            "Denial reason".to_string(),
            d.denial_reason
                .clone()
                .unwrap_or_else(|| "Not given by the payer".into()),
        ),
        ("Payer".into(), d.payer.name.clone()),
        (
            "Member ID".into(),
            or_not_recorded(d.payer.member_id.as_deref()),
        ),
        ("Service".into(), d.service.label().to_string()),
    ];
    if let Some(r) = &d.reference {
        kv.push(("Reference number".into(), r.clone()));
    }
    if let Some(a) = &d.auth_number {
        kv.push(("Authorization number".into(), a.clone()));
    }
    kv.push((
        "Payer rule set".into(),
        format!(
            "{} — {}, version {}",
            d.rules.payer, d.rules.policy, d.rules.version
        ),
    ));
    b.push(Block::KeyValues(kv));
}

/// The anchors where a piece of evidence is shown, most specific first.
fn evidence_anchors(e: &Evidence) -> Vec<String> {
    match e.kind {
        EvidenceKind::Trial => vec![anchor::trial(e.id), anchor::TRIALS.into()],
        EvidenceKind::Score => vec![anchor::score(e.id), anchor::SCORES.into()],
        EvidenceKind::Screening => vec![anchor::screening(e.id), anchor::SCREENING.into()],
        EvidenceKind::Psychotherapy | EvidenceKind::OtherTreatment => {
            vec![anchor::therapy(e.id), anchor::THERAPY.into()]
        }
        EvidenceKind::Patient => vec![anchor::PATIENT.into()],
        EvidenceKind::Diagnosis | EvidenceKind::Episode => vec![anchor::DIAGNOSES.into()],
        EvidenceKind::ProviderProfile => vec![anchor::PROVIDERS.into()],
        EvidenceKind::ClinicProfile => vec![anchor::CLINIC.into()],
        EvidenceKind::Attestation => vec![anchor::ATTESTATION.into()],
        EvidenceKind::Evaluation => Vec::new(),
    }
}

/// `Sertraline 150 mg/day, Jan-2024 to Mar-2024 (08-Jan-2024) — p. 3`: the record's date is
/// added unless the label already shows it.
fn citation(cx: &Cx<'_>, e: &Evidence) -> String {
    let date = e
        .date
        .as_deref()
        .map(|x| pd(x.get(..10).unwrap_or(x)))
        .filter(|x| !e.label.contains(x.as_str()))
        .map(|x| format!(" ({x})"))
        .unwrap_or_default();
    let sources = if e.kind == EvidenceKind::Trial {
        cx.d.trial_citations(e.id)
            .into_iter()
            .map(|c| format!("; {c}"))
            .collect::<String>()
    } else {
        String::new()
    };
    format!(
        "{}{date}{}{sources}",
        e.label,
        cx.page_ref(&evidence_anchors(e))
    )
}

fn status_cell(c: &CriterionResult) -> Cell {
    match c.status {
        Status::Met => Cell::new("Met"),
        Status::NotApplicable => Cell::new("Not applicable"),
        Status::NotMet if c.decides_eligibility => Cell::flagged("NOT MET", "decides eligibility"),
        Status::NotMet => Cell::flagged("NOT MET", "gap"),
        Status::Insufficient => Cell::flagged("INSUFFICIENT", "undocumented"),
    }
}

/// One row per criterion: what the policy requires, the status, why (with what would close a
/// gap), and each record used with its date and the packet page it is on.
fn criteria(cx: &Cx<'_>, b: &mut Vec<Block>) {
    let d = cx.d;
    let e = &d.evaluation;
    b.push(Block::Anchor(anchor::CRITERIA.into()));
    b.push(Block::Heading("Criteria and evidence".into()));
    b.push(Block::Note(format!(
        "{} {}, version {}, evaluated for {}{}. Page numbers (p.) refer to this document.",
        e.payer,
        e.policy,
        e.rule_set_version,
        day(e.on),
        d.evaluation
            .best_pathway
            .as_ref()
            .and_then(|id| e.pathways.iter().find(|p| &p.id == id))
            .map(|p| format!(
                "; treatment history assessed under the option \"{}\"",
                p.label
            ))
            .unwrap_or_default()
    )));
    let rows = e
        .criteria
        .iter()
        .map(|c| {
            let label = if !c.verified && c.status != Status::NotApplicable {
                Cell::flagged(c.label.clone(), "requires review")
            } else {
                Cell::new(c.label.clone())
            };
            let mut why = c.explanation.clone();
            if let Some(n) = &c.note {
                why.push_str(&format!("\nPolicy note: {n}"));
            }
            let why = match &c.fix {
                Some(f) => Cell::flagged(why, format!("To close: {f}")),
                None => Cell::new(why),
            };
            let evidence = if c.evidence.is_empty() {
                "—".to_string()
            } else {
                c.evidence
                    .iter()
                    .map(|e| format!("• {}", citation(cx, e)))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            vec![label, status_cell(c), why, Cell::new(evidence)]
        })
        .collect();
    b.push(Block::Table {
        columns: vec![
            Column::new("Criterion", 2.0),
            Column::new("Status", 1.35),
            Column::new("Explanation", 3.0),
            Column::new("Evidence (date — page)", 2.9),
        ],
        rows,
    });
    if let Some((reason, by, at)) = &d.override_reason {
        if e.has_gaps() {
            b.push(Block::Note(format!(
                "Submitted despite the gaps above on a provider's override: \"{reason}\" — {by}, {}.",
                stamp(at)
            )));
        }
    }
}

/// Attestations with who and when, the override if any, and the ordering provider's signature
/// block.
fn attestation(cx: &Cx<'_>, b: &mut Vec<Block>) {
    let d = cx.d;
    b.push(Block::Anchor(anchor::ATTESTATION.into()));
    b.push(Block::Heading("Provider attestation and signature".into()));
    for a in &d.attestations {
        b.push(Block::Paragraph(format!("“{}”", a.kind.statement())));
        b.push(Block::Note(format!(
            "Attested by {}, {}",
            a.by_name,
            stamp(&a.at)
        )));
    }
    if let Some((reason, by, at)) = &d.override_reason {
        b.push(Block::KeyValues(vec![
            ("Override of open gaps".into(), reason.clone()),
            ("Recorded by".into(), format!("{by}, {}", stamp(at))),
        ]));
    }
    let (name, npi) = match &d.ordering {
        Some(p) => (provider_line(p), or_not_recorded(p.npi.as_deref())),
        None => ("Ordering provider not chosen".into(), "Not recorded".into()),
    };
    b.push(Block::KeepTogether(vec![
        Block::Paragraph(
            "I certify that the information in this request is true and accurate to the best of \
             my knowledge and is supported by the patient's medical record, and that the \
             requested treatment is medically necessary."
                .into(),
        ),
        Block::Fields {
            per_row: 2,
            fields: vec![
                ("Ordering provider".into(), name),
                ("NPI".into(), npi),
                (
                    "Signature".into(),
                    "\n\n____________________________________".into(),
                ),
                ("Date".into(), "\n\n____________________".into()),
            ],
        },
    ]));
}

/// Where a packet section is printed.
fn section_anchor(section: PacketSection) -> &'static str {
    match section {
        PacketSection::Letter => anchor::LETTER,
        PacketSection::TreatmentFailure => anchor::TRIALS,
        PacketSection::Psychotherapy => anchor::THERAPY,
        PacketSection::ScoreHistory => anchor::SCORES,
        PacketSection::Screening => anchor::SCREENING,
        PacketSection::Criteria => anchor::CRITERIA,
        PacketSection::Attestation => anchor::ATTESTATION,
        PacketSection::Reauthorization => anchor::REAUTH,
    }
}

impl Cx<'_> {
    /// `pp. 12–14` in this file for an appended document (`p. ?` before the packet's own pages
    /// are known); `None` when it is not appended.
    fn appended_pages(&self, label: &str) -> Option<String> {
        let a = self.appended?;
        let i = a.labels.iter().position(|l| l == label)?;
        if self.pages.pages == 0 {
            return Some("p.\u{a0}?".into());
        }
        let first = self.pages.pages + a.pages[..i].iter().sum::<usize>() + 1;
        let n = a.pages[i];
        Some(if n == 1 {
            format!("p.\u{a0}{first}")
        } else {
            format!("pp.\u{a0}{first}–{}", first + n - 1)
        })
    }
}

fn entry_row(cx: &Cx<'_>, a: &AttachmentEntry) -> Vec<Cell> {
    let (what, page) = match &a.source {
        AttachmentSource::Section(s) => (
            a.title.clone(),
            cx.page_ref(&[section_anchor(*s).to_string()])
                .trim_start_matches("\u{a0}—\u{a0}")
                .to_string(),
        ),
        AttachmentSource::Document { .. } => {
            let mut what = format!("{}: {}", a.kind_label, a.title);
            if let Some(d) = &a.date {
                what.push_str(&format!(" ({d})"));
            }
            let count = match a.pages {
                Some(1) => "1 page".to_string(),
                Some(n) => format!("{n} pages"),
                None => String::new(),
            };
            let page = match cx.appended_pages(&a.label) {
                Some(p) => p,
                None if count.is_empty() => "Not enclosed".into(),
                None => format!("{count}, not enclosed"),
            };
            (what, page)
        }
    };
    vec![Cell::new(a.label.clone()), Cell::new(what), Cell::new(page)]
}

fn attachments(cx: &Cx<'_>, b: &mut Vec<Block>) {
    b.push(Block::Anchor(anchor::ATTACHMENTS.into()));
    b.push(Block::Heading("Attachments".into()));
    if cx.d.attachments.is_empty() {
        b.push(Block::Note("Nothing attached.".into()));
        return;
    }
    let rows = cx.d.attachments.iter().map(|a| entry_row(cx, a)).collect();
    b.push(Block::Table {
        columns: vec![
            Column::new("#", 0.5),
            Column::new("Document", 6.0),
            Column::new("Page", 1.3),
        ],
        rows,
    });
    let documents = cx.d.documents().count();
    if documents > 0 {
        let which = if documents == 1 {
            "Document A1".to_string()
        } else {
            format!("Documents A1–A{documents}")
        };
        b.push(Block::Note(if cx.appended.is_some() {
            format!(
                "{which} follow the packet in this file; each of their pages carries its \
                 attachment label, the patient and its page number."
            )
        } else {
            format!(
                "{which} are listed for the reviewer but not enclosed in this file; send them \
                 with it."
            )
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::paragraphs;

    #[test]
    fn letters_split_on_blank_lines_only() {
        assert_eq!(
            paragraphs("Dear team,\n\nLine one\nline two\n  \n\n<b>x</b>\n"),
            vec!["Dear team,", "Line one\nline two", "<b>x</b>"]
        );
        assert!(paragraphs("\n\n").is_empty());
    }
}
