//! A signed consent, flattened: the page header (clinic, title, patient with DOB and MRN, the
//! signed line), the consent text as the patient read it (literal: nothing in it is markup),
//! the form's key and version, and both signatures drawn as vector strokes with the signer's
//! name and the time. The core's `consent::sign` calls [`render_for_signing`] through its
//! render callback and stores the bytes in the vault's document store.

use ketachart_core::consent::{ConsentDocument, Signature};

use crate::{render, Block, Document, PageHeader, PdfError, SignatureBlock};

pub(crate) fn signature_block(label: &str, caption: String, s: &Signature) -> Block {
    Block::Signature(SignatureBlock {
        label: label.to_string(),
        caption,
        pad_width: s.width,
        pad_height: s.height,
        strokes: s.strokes.clone(),
    })
}

/// The document for `d`.
pub fn document(d: &ConsentDocument) -> Document {
    let signer = if d.representative {
        format!(
            "{} (signing for the patient, {})",
            d.patient_signer_name, d.patient_name
        )
    } else {
        d.patient_signer_name.clone()
    };
    let mut blocks = vec![
        Block::Fields {
            per_row: 4,
            fields: vec![
                ("Patient".into(), d.patient_name.clone()),
                ("Date of birth".into(), d.patient_dob.clone()),
                ("MRN".into(), d.mrn.clone()),
                ("Date".into(), d.signed_on.clone()),
            ],
        },
        Block::Heading(d.title.clone()),
    ];
    blocks.extend(
        d.text
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(|p| Block::Paragraph(p.trim_end().to_string())),
    );
    blocks.push(Block::Note(format!(
        "Consent form {} — version {}",
        d.template_key, d.template_version
    )));
    blocks.push(Block::KeepTogether(vec![
        Block::Heading("Signatures".into()),
        signature_block(
            if d.representative {
                "Signature of the patient's representative"
            } else {
                "Signature of the patient"
            },
            format!("{signer} · signed {}", d.signed_at),
            &d.patient_signature,
        ),
        signature_block(
            "Signature of the witness",
            format!(
                "{} (witnessing staff member) · signed {}",
                d.witness_name, d.signed_at
            ),
            &d.witness_signature,
        ),
    ]));
    Document {
        header: PageHeader {
            clinic_name: d.clinic_name.clone(),
            document_title: d.title.clone(),
            patient_line: d.patient_line.clone(),
            generated_line: format!("Generated {} by KetaChart", d.signed_at),
            signed_line: Some(format!(
                "Signed by {signer} and witnessed by {}, {}",
                d.witness_name, d.signed_at
            )),
        },
        blocks,
        watermark: None,
    }
}

/// The consent PDF.
///
/// # Errors
///
/// As [`crate::render`] (never for this document's shape).
pub fn render_consent(d: &ConsentDocument) -> Result<Vec<u8>, PdfError> {
    render(&document(d))
}

/// [`render_consent`] in the shape the core's signing callback takes.
///
/// # Errors
///
/// The renderer's message (a bug, never user input).
pub fn render_for_signing(d: &ConsentDocument) -> Result<Vec<u8>, String> {
    render_consent(d).map_err(|e| e.to_string())
}
