//! Document-store shapes: an import as the dialog sends it, a stored document as lists and the
//! viewer show it, its bytes for the viewer, and a trial's source documents.

use ketachart_core::document::{
    self as core_doc, Document, DocumentImportInput, DocumentKind, DocumentLink, LinkTarget,
    MediaType, TrialSource,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::patient::PatientId;

/// What a document is (the stored text form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum DocumentKindName {
    #[serde(rename = "outside_records")]
    OutsideRecords,
    #[serde(rename = "pharmacy_history")]
    PharmacyHistory,
    #[serde(rename = "insurance_card_front")]
    InsuranceCardFront,
    #[serde(rename = "insurance_card_back")]
    InsuranceCardBack,
    #[serde(rename = "payer_approval")]
    PayerApproval,
    #[serde(rename = "payer_denial")]
    PayerDenial,
    #[serde(rename = "payer_rfi")]
    PayerRfi,
    #[serde(rename = "lab_ecg")]
    LabEcg,
    #[serde(rename = "consent")]
    Consent,
    #[serde(rename = "rems_enrollment")]
    RemsEnrollment,
    #[serde(rename = "abn")]
    Abn,
    #[serde(rename = "other")]
    Other,
}

impl From<DocumentKindName> for DocumentKind {
    fn from(k: DocumentKindName) -> Self {
        use DocumentKindName as N;
        match k {
            N::OutsideRecords => DocumentKind::OutsideRecords,
            N::PharmacyHistory => DocumentKind::PharmacyHistory,
            N::InsuranceCardFront => DocumentKind::InsuranceCardFront,
            N::InsuranceCardBack => DocumentKind::InsuranceCardBack,
            N::PayerApproval => DocumentKind::PayerApproval,
            N::PayerDenial => DocumentKind::PayerDenial,
            N::PayerRfi => DocumentKind::PayerRequestForInformation,
            N::LabEcg => DocumentKind::LabEcg,
            N::Consent => DocumentKind::Consent,
            N::RemsEnrollment => DocumentKind::RemsEnrollment,
            N::Abn => DocumentKind::Abn,
            N::Other => DocumentKind::Other,
        }
    }
}

impl From<DocumentKind> for DocumentKindName {
    fn from(k: DocumentKind) -> Self {
        use DocumentKindName as N;
        match k {
            DocumentKind::OutsideRecords => N::OutsideRecords,
            DocumentKind::PharmacyHistory => N::PharmacyHistory,
            DocumentKind::InsuranceCardFront => N::InsuranceCardFront,
            DocumentKind::InsuranceCardBack => N::InsuranceCardBack,
            DocumentKind::PayerApproval => N::PayerApproval,
            DocumentKind::PayerDenial => N::PayerDenial,
            DocumentKind::PayerRequestForInformation => N::PayerRfi,
            DocumentKind::LabEcg => N::LabEcg,
            DocumentKind::Consent => N::Consent,
            DocumentKind::RemsEnrollment => N::RemsEnrollment,
            DocumentKind::Abn => N::Abn,
            DocumentKind::Other => N::Other,
        }
    }
}

/// The records a document can support.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum LinkTargetName {
    Trial,
    Episode,
    Coverage,
    PaRequest,
    Course,
}

impl From<LinkTargetName> for LinkTarget {
    fn from(t: LinkTargetName) -> Self {
        match t {
            LinkTargetName::Trial => LinkTarget::Trial,
            LinkTargetName::Episode => LinkTarget::Episode,
            LinkTargetName::Coverage => LinkTarget::Coverage,
            LinkTargetName::PaRequest => LinkTarget::PaRequest,
            LinkTargetName::Course => LinkTarget::Course,
        }
    }
}

impl From<LinkTarget> for LinkTargetName {
    fn from(t: LinkTarget) -> Self {
        match t {
            LinkTarget::Trial => LinkTargetName::Trial,
            LinkTarget::Episode => LinkTargetName::Episode,
            LinkTarget::Coverage => LinkTargetName::Coverage,
            LinkTarget::PaRequest => LinkTargetName::PaRequest,
            LinkTarget::Course => LinkTargetName::Course,
        }
    }
}

/// The content types the store accepts (decided from the bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub enum MediaTypeName {
    #[serde(rename = "application/pdf")]
    Pdf,
    #[serde(rename = "image/png")]
    Png,
    #[serde(rename = "image/jpeg")]
    Jpeg,
}

impl From<MediaType> for MediaTypeName {
    fn from(m: MediaType) -> Self {
        match m {
            MediaType::Pdf => MediaTypeName::Pdf,
            MediaType::Png => MediaTypeName::Png,
            MediaType::Jpeg => MediaTypeName::Jpeg,
        }
    }
}

/// A document's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(transparent)]
pub struct DocumentId(#[specta(type = specta_typescript::Number)] pub i64);

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DocumentLinkInput {
    pub target: LinkTargetName,
    #[specta(type = specta_typescript::Number)]
    pub target_id: i64,
    /// A page of a PDF (trial evidence: "p. 2"); empty for the whole document.
    pub page: Option<u32>,
}

impl From<DocumentLinkInput> for DocumentLink {
    fn from(l: DocumentLinkInput) -> Self {
        DocumentLink {
            target: l.target.into(),
            target_id: l.target_id,
            page: l.page,
        }
    }
}

/// An import: the core reads the file at `path` itself (a file over the size limit is refused
/// from its size before anything is read).
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DocumentImport {
    pub patient_id: PatientId,
    pub path: String,
    pub kind: DocumentKindName,
    pub title: String,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; empty when unknown.
    pub document_date: String,
    pub source: String,
    pub links: Vec<DocumentLinkInput>,
}

impl From<DocumentImport> for DocumentImportInput {
    fn from(d: DocumentImport) -> Self {
        DocumentImportInput {
            patient_id: d.patient_id.0,
            path: d.path,
            kind: d.kind.into(),
            title: d.title,
            document_date: d.document_date,
            source: d.source,
            links: d.links.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DocumentMeta {
    pub kind: DocumentKindName,
    pub title: String,
    pub document_date: String,
    pub source: String,
}

impl From<DocumentMeta> for core_doc::DocumentMeta {
    fn from(m: DocumentMeta) -> Self {
        core_doc::DocumentMeta {
            kind: m.kind.into(),
            title: m.title,
            document_date: m.document_date,
            source: m.source,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DocumentLinkView {
    pub target: LinkTargetName,
    #[specta(type = specta_typescript::Number)]
    pub target_id: i64,
    pub page: Option<u32>,
    /// E.g. "Medication trial: Sertraline (05-Jan-2026), p. 2".
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DocumentView {
    #[specta(type = specta_typescript::Number)]
    pub id: i64,
    #[specta(type = specta_typescript::Number)]
    pub patient_id: i64,
    pub kind: DocumentKindName,
    pub kind_label: String,
    pub title: String,
    /// Stored form (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) for editing.
    pub document_date: Option<String>,
    /// As people read it: `12-Mar-2025`, `Mar-2025`, `2025`.
    pub document_date_display: Option<String>,
    pub source: Option<String>,
    pub media_type: MediaTypeName,
    #[specta(type = specta_typescript::Number)]
    pub size: u64,
    pub page_count: Option<u32>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub sha256: String,
    pub file_name: Option<String>,
    pub imported_by_name: String,
    /// UTC RFC 3339.
    pub imported_at: String,
    /// Produced by KetaChart from a signature (a consent, ABN or REMS form): cannot be removed.
    pub generated: bool,
    pub links: Vec<DocumentLinkView>,
}

impl From<Document> for DocumentView {
    fn from(d: Document) -> Self {
        DocumentView {
            id: d.id,
            patient_id: d.patient_id,
            kind: d.kind.into(),
            kind_label: d.kind.label().into(),
            title: d.title,
            document_date: d.document_date.map(|p| p.to_iso()),
            document_date_display: d.document_date.map(|p| p.display()),
            source: d.source,
            media_type: d.media_type.into(),
            size: d.size,
            page_count: d.page_count,
            width: d.width,
            height: d.height,
            sha256: d.sha256,
            file_name: d.file_name,
            imported_by_name: d.created_by_name,
            imported_at: d.created_at,
            generated: d.generated,
            links: d
                .links
                .into_iter()
                .map(|l| DocumentLinkView {
                    target: l.link.target.into(),
                    target_id: l.link.target_id,
                    page: l.link.page,
                    label: l.label,
                })
                .collect(),
        }
    }
}

/// A document's bytes for the in-app viewer (PDF pages rendered by the UI, images shown).
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DocumentContent {
    pub media_type: MediaTypeName,
    pub data_base64: String,
    pub page_count: Option<u32>,
}

impl From<core_doc::DocumentContent> for DocumentContent {
    fn from(c: core_doc::DocumentContent) -> Self {
        DocumentContent {
            media_type: c.media_type.into(),
            data_base64: data_encoding::BASE64.encode(&c.bytes),
            page_count: c.page_count,
        }
    }
}

/// A stored document a medication trial cites as its source.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TrialSourceView {
    #[specta(type = specta_typescript::Number)]
    pub document_id: i64,
    pub title: String,
    pub kind_label: String,
    pub page: Option<u32>,
}

impl From<&TrialSource> for TrialSourceView {
    fn from(s: &TrialSource) -> Self {
        TrialSourceView {
            document_id: s.document_id,
            title: s.title.clone(),
            kind_label: s.kind.label().into(),
            page: s.page,
        }
    }
}
