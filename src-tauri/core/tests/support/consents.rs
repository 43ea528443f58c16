//! Test fixtures for the first-session gate: a stand-in consent renderer (a real, minimal PDF
//! whose only content is a line naming the consent; the real layout is `ketachart-pdf`'s and is
//! tested there) and a helper that signs every consent a treatment requires, backdated so that
//! sessions dated in the past pass the gate.

use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;
use ketachart_core::consent::{self, ConsentDocument, ConsentSignInput, SignatureInput};
use ketachart_core::treatment::Modality;
use ketachart_core::Session;

/// A one-page PDF with `text` in its content stream (unique bytes per call).
pub fn minimal_pdf(text: &str) -> Vec<u8> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let escaped = text
        .replace('\\', "\\\\")
        .replace('(', "\\(")
        .replace(')', "\\)");
    let stream = format!("% fixture {n}\nBT /F1 10 Tf 40 740 Td ({escaped}) Tj ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{stream}endstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Stand-in for `ketachart_pdf::consent::render_for_signing`.
pub fn render(d: &ConsentDocument) -> Result<Vec<u8>, String> {
    Ok(minimal_pdf(&format!(
        "{} v{} signed by {}",
        d.template_key, d.template_version, d.patient_signer_name
    )))
}

/// A real-looking signature: a zigzag across most of a 400 × 150 pad.
pub fn pad() -> SignatureInput {
    SignatureInput {
        width: 400.0,
        height: 150.0,
        strokes: vec![(0..20)
            .map(|i| {
                vec![
                    20.0 + f64::from(i) * 15.0,
                    if i % 2 == 0 { 40.0 } else { 110.0 },
                ]
            })
            .collect()],
    }
}

/// Signs, on `on`, every consent the clinic requires for `modality` (the signed-in user
/// witnesses with `password`).
pub fn sign_required(
    s: &Session,
    patient_id: i64,
    modality: Modality,
    on: NaiveDate,
    password: &str,
) {
    let required = consent::requirement::list(s)
        .unwrap()
        .into_iter()
        .find(|r| r.modality == modality)
        .unwrap()
        .template_keys;
    for key in required {
        let draft = consent::prepare(s, patient_id, &key).unwrap();
        consent::sign_as_of(
            s,
            &ConsentSignInput {
                patient_id,
                template_key: key,
                template_version: draft.template_version,
                patient_signer_name: String::new(),
                patient_signature: pad(),
                witness_signature: pad(),
                password: password.into(),
                course_id: None,
            },
            on,
            render,
        )
        .unwrap();
    }
}
