//! The Advance Beneficiary Notice of Noncoverage as the patient signed it, laid out after Form
//! CMS-R-131: A notifier, B patient name, C identification number, the notice, D items or
//! services, E reason Medicare may not pay, F estimated cost, G options (the chosen one
//! checked), H additional information, I signature, J date. The option wording comes from the
//! core's reference data and is UNVERIFIED; the page says to compare with the current form.

use ketachart_core::abn::AbnDocument;

use crate::consent::signature_block;
use crate::{render, Block, Cell, Column, Document, PageHeader, PdfError};

/// The document title (and PDF title metadata).
pub const TITLE: &str = "Advance Beneficiary Notice of Non-coverage (ABN)";

/// The document for `d`.
pub fn document(d: &AbnDocument) -> Document {
    let signer = if d.representative {
        format!(
            "{} (signing for the patient, {})",
            d.patient_signer_name, d.patient_name
        )
    } else {
        d.patient_signer_name.clone()
    };
    let options: Vec<Vec<Cell>> = d
        .options
        .iter()
        .map(|(n, text)| {
            let mark = if *n == d.option { "[X]" } else { "[ ]" };
            vec![Cell::new(mark), Cell::new(text.clone())]
        })
        .collect();
    let blocks = vec![
        Block::KeyValues(vec![
            ("A. Notifier".into(), d.notifier.join("\n")),
            ("B. Patient name".into(), d.patient_name.clone()),
            (
                "C. Identification number".into(),
                d.identification_number.clone(),
            ),
        ]),
        Block::Paragraph(d.notice_text.clone()),
        Block::Table {
            columns: vec![
                Column::new("D. Items or services", 2.0),
                Column::new("E. Reason Medicare may not pay", 2.0),
                Column::new("F. Estimated cost", 1.0),
            ],
            rows: vec![vec![
                Cell::new(d.service.clone()),
                Cell::new(d.reason.clone()),
                Cell::new(d.estimated_cost.clone()),
            ]],
        },
        Block::Heading("G. Options: the patient checked one box".into()),
        Block::Table {
            columns: vec![Column::new("", 0.5), Column::new("Option", 9.5)],
            rows: options,
        },
        Block::Paragraph(format!("Option chosen: {}", d.option)),
        Block::Heading("H. Additional information".into()),
        Block::Paragraph(if d.additional_info.is_empty() {
            "None".into()
        } else {
            d.additional_info.clone()
        }),
        Block::KeepTogether(vec![
            Block::Paragraph(d.signature_text.clone()),
            signature_block(
                "I. Signature",
                format!(
                    "{signer} · notice given by {} · {}",
                    d.witness_name, d.signed_at
                ),
                &d.patient_signature,
            ),
            Block::Fields {
                per_row: 2,
                fields: vec![("J. Date".into(), d.signed_on.clone())],
            },
        ]),
        Block::Note(d.form_note.clone()),
    ];
    Document {
        header: PageHeader {
            clinic_name: d.clinic_name.clone(),
            document_title: TITLE.into(),
            patient_line: d.patient_line.clone(),
            generated_line: format!("Generated {} by KetaChart", d.signed_at),
            signed_line: Some(format!(
                "Signed by {signer}, {}; notice given by {}",
                d.signed_at, d.witness_name
            )),
        },
        blocks,
        watermark: None,
    }
}

/// The ABN PDF.
///
/// # Errors
///
/// As [`crate::render`] (never for this document's shape).
pub fn render_abn(d: &AbnDocument) -> Result<Vec<u8>, PdfError> {
    render(&document(d))
}

/// [`render_abn`] in the shape the core's signing callback takes.
///
/// # Errors
///
/// The renderer's message (a bug, never user input).
pub fn render_for_signing(d: &AbnDocument) -> Result<Vec<u8>, String> {
    render_abn(d).map_err(|e| e.to_string())
}
