//! Renders a representative multi-page document for eyeballing.
//!
//! ```sh
//! cargo run -p ketachart-pdf --example sample -- /tmp/pdf-sample.pdf
//! pdftoppm -png -r 60 /tmp/pdf-sample.pdf /tmp/pdfpage
//! ```

use ketachart_pdf::{render, Block, Cell, Column, Document, PageHeader};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/pdf-sample.pdf".to_owned());
    let drugs = [
        ("Metformin", "500 mg", "twice daily with meals", None),
        ("Lisinopril", "10 mg", "once daily, morning", None),
        (
            "Atorvastatin",
            "20 mg",
            "once daily at night; review lipid panel and liver function at 12 weeks",
            Some("no stop date"),
        ),
        (
            "Sertraline",
            "50 mg",
            "once daily",
            Some("interaction check pending"),
        ),
        (
            "Levothyroxine",
            "75 µg",
            "before breakfast, 30–60 min before food",
            None,
        ),
    ];
    let rows: Vec<Vec<Cell>> = (0..42)
        .map(|i| {
            let (name, dose, how, flag) = drugs[i % drugs.len()];
            vec![
                Cell::new(format!("{:02}-Jan-2026", 1 + i % 28)),
                Cell::new(name),
                Cell::new(dose),
                Cell::new(how),
                match flag {
                    Some(f) => Cell::flagged("Dr Ødegård", f),
                    None => Cell::new("Dr Łukasiewicz"),
                },
            ]
        })
        .collect();
    let doc = Document {
        header: PageHeader {
            clinic_name: "Northside Family Clinic — Łódź".into(),
            document_title: "Patient summary".into(),
            patient_line: "Ødegård, Łucja · DOB 03-Mar-1980 · MRN K-000123".into(),
            generated_line: "Generated 21-Nov-2026 20:15 by Dr A".into(),
            signed_line: Some("Screening signed by Dr A, 21-Nov-2026 20:10".into()),
        },
        blocks: vec![
            Block::Heading("Demographics".into()),
            Block::KeyValues(vec![
                ("Name".into(), "Ødegård, Łucja".into()),
                ("Date of birth".into(), "03-Mar-1980 (46 y)".into()),
                (
                    "Address".into(),
                    "ul. Piotrkowska 104/12\n90-926 Łódź\nPoland".into(),
                ),
                (
                    "Insurance member ID".into(),
                    "MEMBER-0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789-XYZ".into(),
                ),
                (
                    "Preferred language".into(),
                    "Polish; interpreter requested".into(),
                ),
            ]),
            Block::Heading("Clinical notes".into()),
            Block::Paragraph(
                "Patient reports improved sleep since the last visit. Blood pressure remains \
                 slightly above target despite adherence to \"lifestyle measures\"; home \
                 readings averaged 142/88 mmHg over two weeks. Discussed <b>salt intake</b> and \
                 exercise. Plan to reassess in 6 weeks."
                    .into(),
            ),
            Block::Note("Home readings were self-reported and not device-verified.".into()),
            Block::Spacer,
            Block::Heading("Medications".into()),
            Block::Table {
                columns: vec![
                    Column::new("Start", 1.2),
                    Column::new("Medication", 1.6),
                    Column::new("Dose", 0.9),
                    Column::new("Instructions", 3.0),
                    Column::new("Prescriber", 1.6),
                ],
                rows,
            },
            Block::Note("⚠ marks entries that need review before this summary is signed.".into()),
            Block::Heading("Screening".into()),
            Block::Paragraph("PHQ-9: 7 (mild). GAD-7: 5 (mild). AUDIT-C: 2.".into()),
        ],
        watermark: Some("DRAFT — gaps remain".into()),
    };
    let bytes = render(&doc)?;
    std::fs::write(&path, bytes)?;
    println!("wrote {path}");
    Ok(())
}
