//! What a stored document is, what its bytes are, and what it can be linked to.

/// The kinds of document the store keeps (the stored text form never changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    OutsideRecords,
    PharmacyHistory,
    InsuranceCardFront,
    InsuranceCardBack,
    PayerApproval,
    PayerDenial,
    PayerRequestForInformation,
    LabEcg,
    Consent,
    RemsEnrollment,
    Abn,
    Other,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 12] = [
        DocumentKind::OutsideRecords,
        DocumentKind::PharmacyHistory,
        DocumentKind::InsuranceCardFront,
        DocumentKind::InsuranceCardBack,
        DocumentKind::PayerApproval,
        DocumentKind::PayerDenial,
        DocumentKind::PayerRequestForInformation,
        DocumentKind::LabEcg,
        DocumentKind::Consent,
        DocumentKind::RemsEnrollment,
        DocumentKind::Abn,
        DocumentKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::OutsideRecords => "outside_records",
            DocumentKind::PharmacyHistory => "pharmacy_history",
            DocumentKind::InsuranceCardFront => "insurance_card_front",
            DocumentKind::InsuranceCardBack => "insurance_card_back",
            DocumentKind::PayerApproval => "payer_approval",
            DocumentKind::PayerDenial => "payer_denial",
            DocumentKind::PayerRequestForInformation => "payer_rfi",
            DocumentKind::LabEcg => "lab_ecg",
            DocumentKind::Consent => "consent",
            DocumentKind::RemsEnrollment => "rems_enrollment",
            DocumentKind::Abn => "abn",
            DocumentKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Plain words for lists, the viewer and PDFs.
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::OutsideRecords => "Outside records",
            DocumentKind::PharmacyHistory => "Pharmacy fill history",
            DocumentKind::InsuranceCardFront => "Insurance card (front)",
            DocumentKind::InsuranceCardBack => "Insurance card (back)",
            DocumentKind::PayerApproval => "Payer letter — approval",
            DocumentKind::PayerDenial => "Payer letter — denial",
            DocumentKind::PayerRequestForInformation => "Payer letter — request for information",
            DocumentKind::LabEcg => "Lab / ECG",
            DocumentKind::Consent => "Consent",
            DocumentKind::RemsEnrollment => "REMS patient enrollment",
            DocumentKind::Abn => "Advance Beneficiary Notice (ABN)",
            DocumentKind::Other => "Other",
        }
    }

    /// Kinds the app itself produces from a signature. A generated document of one of these
    /// kinds is the signed original and cannot be removed.
    pub fn is_signed_form(self) -> bool {
        matches!(
            self,
            DocumentKind::Consent | DocumentKind::RemsEnrollment | DocumentKind::Abn
        )
    }
}

/// The only content types the store accepts, decided from the bytes (never the file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaType {
    Pdf,
    Png,
    Jpeg,
}

impl MediaType {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Png => "image/png",
            MediaType::Jpeg => "image/jpeg",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [MediaType::Pdf, MediaType::Png, MediaType::Jpeg]
            .into_iter()
            .find(|m| m.as_str() == s)
    }

    /// The usual file extension (for export names).
    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Pdf => "pdf",
            MediaType::Png => "png",
            MediaType::Jpeg => "jpg",
        }
    }

    pub fn is_image(self) -> bool {
        !matches!(self, MediaType::Pdf)
    }
}

/// The records a document can support.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LinkTarget {
    Trial,
    Episode,
    Coverage,
    PaRequest,
    Course,
}

impl LinkTarget {
    pub const ALL: [LinkTarget; 5] = [
        LinkTarget::Trial,
        LinkTarget::Episode,
        LinkTarget::Coverage,
        LinkTarget::PaRequest,
        LinkTarget::Course,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LinkTarget::Trial => "trial",
            LinkTarget::Episode => "episode",
            LinkTarget::Coverage => "coverage",
            LinkTarget::PaRequest => "pa_request",
            LinkTarget::Course => "course",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            LinkTarget::Trial => "Medication trial",
            LinkTarget::Episode => "Episode",
            LinkTarget::Coverage => "Coverage",
            LinkTarget::PaRequest => "Authorization request",
            LinkTarget::Course => "Treatment course",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms_parse_back() {
        for k in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(k.as_str()), Some(k));
        }
        for t in LinkTarget::ALL {
            assert_eq!(LinkTarget::parse(t.as_str()), Some(t));
        }
        for m in [MediaType::Pdf, MediaType::Png, MediaType::Jpeg] {
            assert_eq!(MediaType::parse(m.as_str()), Some(m));
        }
    }
}
