//! The signed forms as a clinic files them: a consent and an ABN rendered from the core's
//! documents, checked with `qpdf --check` and read back with `pdftotext`; the signatures are
//! drawn as vector strokes (path operators in the page content), not as text or images.

use std::path::Path;
use std::process::Command;

use ketachart_core::abn::AbnDocument;
use ketachart_core::consent::{ConsentDocument, Signature};

fn text_of(pdf: &Path) -> String {
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .output()
        .expect("qpdf is installed");
    let report = String::from_utf8_lossy(&check.stdout).to_string();
    assert!(check.status.success(), "{report}");
    assert!(
        !report.contains("WARNING"),
        "qpdf warns about the PDF: {report}"
    );
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is installed");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The page content streams, uncompressed by qpdf.
fn content_streams(pdf: &Path, dir: &Path) -> String {
    let out = dir.join("qdf.pdf");
    let s = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(pdf)
        .arg(&out)
        .status()
        .unwrap();
    assert!(s.success());
    String::from_utf8_lossy(&std::fs::read(out).unwrap()).to_string()
}

fn zigzag(w: f32, h: f32) -> Signature {
    Signature {
        width: w,
        height: h,
        strokes: vec![
            vec![(10.0, 60.0), (40.0, 20.0), (70.0, 70.0), (110.0, 15.0)],
            vec![(130.0, 40.0), (200.0, 45.0)],
        ],
    }
}

fn consent() -> ConsentDocument {
    ConsentDocument {
        clinic_name: "Birch Clinic".into(),
        title: "Spravato (esketamine) treatment consent".into(),
        template_key: "spravato_treatment".into(),
        template_version: 3,
        patient_line: "O'HARA, Mae <b> · DOB 06-May-1975 · MRN KC-000012-3".into(),
        patient_name: "O'HARA, Mae <b>".into(),
        patient_dob: "06-May-1975".into(),
        mrn: "KC-000012-3".into(),
        text: "I, Mae \"May\" O'Hara <script>, agree to esketamine treatment.\n\nRisks include \
               dissociation, sedation and a rise in blood pressure."
            .into(),
        signed_on: "21-Nov-2026".into(),
        signed_at: "21-Nov-2026 14:02".into(),
        patient_signer_name: "Mae \"May\" O'Hara".into(),
        representative: false,
        patient_signature: zigzag(300.0, 100.0),
        witness_name: "Rita Nurse, RN".into(),
        witness_signature: zigzag(300.0, 100.0),
    }
}

#[test]
fn a_signed_consent_is_a_valid_pdf_with_its_text_version_signers_and_drawn_signatures() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = ketachart_pdf::consent::render_for_signing(&consent()).unwrap();
    let path = dir.path().join("consent.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let text = text_of(&path);
    for needle in [
        "Birch Clinic",
        "Spravato (esketamine) treatment consent",
        "I, Mae \"May\" O'Hara <script>, agree to esketamine treatment.",
        "KC-000012-3",
        "Mae \"May\" O'Hara",
        "Rita Nurse, RN",
        "21-Nov-2026",
    ] {
        assert!(text.contains(needle), "{needle:?} missing:\n{text}");
    }
    assert!(
        text.contains("version 3") || text.contains("v3") || text.contains("Version 3"),
        "template version missing:\n{text}"
    );
    // Vector strokes: a move-to followed by line-tos, for both pads.
    let content = content_streams(&path, dir.path());
    let strokes = content.matches(" l\n").count() + content.matches(" l ").count();
    assert!(
        strokes >= 8,
        "expected the signature strokes as line segments, found {strokes}"
    );
}

#[test]
fn an_abn_shows_the_service_reason_cost_and_the_option_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let d = AbnDocument {
        clinic_name: "Birch Clinic".into(),
        notifier: vec![
            "Birch Clinic".into(),
            "1 Elm St, Springfield".into(),
            "555-0100".into(),
        ],
        patient_line: "O'HARA, Mae · DOB 06-May-1975 · MRN KC-000012-3".into(),
        patient_name: "Mae O'Hara".into(),
        identification_number: "KC-000012-3".into(),
        notice_text: "Medicare does not pay for everything.".into(),
        service: "IV ketamine infusion series (6 sessions)".into(),
        reason: "Medicare does not cover IV ketamine for depression".into(),
        estimated_cost: "$2,700.00".into(),
        options: vec![
            (1, "OPTION 1. I want the service listed above.".into()),
            (
                2,
                "OPTION 2. I want the service, but do not bill Medicare.".into(),
            ),
            (3, "OPTION 3. I don't want the service.".into()),
        ],
        option: 2,
        additional_info: "Payment plan available".into(),
        signature_text: "Signing below means that you have received and understand this notice."
            .into(),
        patient_signer_name: "Mae O'Hara".into(),
        representative: false,
        patient_signature: zigzag(300.0, 100.0),
        signed_on: "21-Nov-2026".into(),
        signed_at: "21-Nov-2026 14:10".into(),
        witness_name: "Bill Biller".into(),
        form_note: "Based on Form CMS-R-131; compare with the current CMS form before use.".into(),
    };
    let bytes = ketachart_pdf::abn::render_for_signing(&d).unwrap();
    let path = dir.path().join("abn.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let text = text_of(&path);
    for needle in [
        "IV ketamine infusion series (6 sessions)",
        "Medicare does not cover IV ketamine for depression",
        "$2,700.00",
        "Payment plan available",
        "Mae O'Hara",
        "KC-000012-3",
        "CMS-R-131",
    ] {
        assert!(text.contains(needle), "{needle:?} missing:\n{text}");
    }
    // Every option is printed; only option 2 is marked as chosen.
    assert!(text.contains("[X] OPTION 2."), "{text}");
    for o in ["OPTION 1.", "OPTION 3."] {
        assert!(text.contains(o), "{o} missing:\n{text}");
        assert!(!text.contains(&format!("[X] {o}")), "{o} marked:\n{text}");
    }
    assert!(text.contains("Option chosen: 2"), "{text}");
    let content = content_streams(&path, dir.path());
    assert!(content.contains(" l\n") || content.contains(" l "));
}
