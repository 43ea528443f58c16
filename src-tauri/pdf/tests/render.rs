//! End-to-end checks of rendered PDFs with independent tools: `qpdf --check`, and poppler's
//! `pdftotext`, `pdffonts` and `pdfinfo` (Debian packages `qpdf` and `poppler-utils`).

use std::path::{Path, PathBuf};
use std::process::Command;

use ketachart_pdf::{render, Block, Cell, Column, Document, PageHeader, PdfError};

const PATIENT_LINE: &str = "Ødegård, Łucja · DOB 03-Mar-1980 · MRN K-000123";

fn header() -> PageHeader {
    PageHeader {
        clinic_name: "Northside Family Clinic".into(),
        document_title: "Patient summary".into(),
        patient_line: PATIENT_LINE.into(),
        generated_line: "Generated 21-Nov-2026 20:15 by Dr A".into(),
        signed_line: Some("Screening signed by Dr A, 21-Nov-2026 20:10".into()),
    }
}

fn doc(blocks: Vec<Block>) -> Document {
    Document {
        header: header(),
        blocks,
        watermark: None,
    }
}

/// Runs an external tool, failing the test with a clear message if it is not installed.
fn run(tool: &str, args: &[&str]) -> std::process::Output {
    Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{tool}` ({e}); install qpdf and poppler-utils"))
}

fn stdout(tool: &str, args: &[&str]) -> String {
    let out = run(tool, args);
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Renders `doc` into a fresh temp dir and checks the file with `qpdf --check`.
fn render_checked(doc: &Document) -> (tempfile::TempDir, PathBuf) {
    let bytes = render(doc).expect("render");
    assert!(bytes.starts_with(b"%PDF-"));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, bytes).expect("write pdf");
    let check = run("qpdf", &["--check", path_str(&path)]);
    assert!(
        check.status.success(),
        "qpdf --check failed:\n{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    (dir, path)
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

/// `pdftotext` output split into pages at form feeds.
fn pages(path: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = extra.to_vec();
    args.extend([path_str(path), "-"]);
    let text = stdout("pdftotext", &args);
    let mut pages: Vec<String> = text.split('\x0c').map(str::to_owned).collect();
    // pdftotext ends every page, including the last, with a form feed.
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// The last line of a page's body: the last non-blank line before the footer.
fn last_body_line(page: &str) -> String {
    page.lines()
        .filter(|l| !l.trim().is_empty())
        .rfind(|l| !l.contains("Generated 21-Nov-2026"))
        .unwrap_or_default()
        .trim()
        .to_owned()
}

const MEMBER_ID: &str = "MBR-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu";

fn long_table_doc() -> Document {
    let names = [
        "Kowalski, Jan (Łódź)",
        "Ødegård, Åse",
        "Müller, Jürgen",
        "O'Brien, Siobhán",
    ];
    let rows = (1..=120)
        .map(|i| {
            let details = if i % 7 == 0 {
                format!(
                    "Long note for row {i}: taken with food, titrate weekly according to \
                     tolerance and renal function, review at next visit END-{i:03}"
                )
            } else {
                format!("Short note {i}")
            };
            let member = if i == 60 {
                MEMBER_ID.to_owned()
            } else {
                format!("M-{i:05}")
            };
            vec![
                Cell::new(format!("Row-{i:03}")),
                Cell::new(names[i % names.len()]),
                Cell::new(details),
                Cell::new(member),
                if i % 5 == 0 {
                    Cell::flagged("active", "no stop date")
                } else {
                    Cell::new("done")
                },
            ]
        })
        .collect();
    doc(vec![
        Block::Heading("Medication history".into()),
        Block::Paragraph("All entries recorded in the clinic, newest last.".into()),
        Block::Table {
            columns: vec![
                Column::new("Ref", 0.9),
                Column::new("Patient name", 1.8),
                Column::new("Details", 3.0),
                Column::new("Member ID", 1.4),
                Column::new("Status", 1.3),
            ],
            rows,
        },
        Block::Note("End of medication history.".into()),
    ])
}

#[test]
fn long_table_renders_valid_paginated_pdf() {
    let (_dir, path) = render_checked(&long_table_doc());
    let pages = pages(&path, &["-layout"]);
    let n = pages.len();
    assert!(n >= 3, "expected several pages, got {n}");

    let header_row = |p: &str| {
        p.lines().any(|l| {
            let (a, b, c) = (l.find("Ref"), l.find("Patient name"), l.find("Details"));
            matches!((a, b, c), (Some(a), Some(b), Some(c)) if a < b && b < c)
                && l.contains("Member ID")
                && l.contains("Status")
        })
    };
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains(PATIENT_LINE),
            "page {} lacks the patient line",
            i + 1
        );
        assert!(page.contains("Northside Family Clinic"), "page {}", i + 1);
        assert!(page.contains("Screening signed by Dr A"), "page {}", i + 1);
        assert!(
            page.contains("Generated 21-Nov-2026 20:15 by Dr A"),
            "page {}",
            i + 1
        );
        assert!(
            page.contains(&format!("Page {} of {n}", i + 1)),
            "page {} footer",
            i + 1
        );
        // The table runs over every page, so every page shows its header row.
        assert!(
            header_row(page),
            "page {} lacks the table header row:\n{page}",
            i + 1
        );
    }
    assert!(pages[0].contains("Page 1 of "));
    assert!(pages[n - 1].contains(&format!("Page {n} of {n}")));

    let all = pages.concat();
    // Every row exactly once (no row lost or duplicated by page breaking).
    for i in 1..=120 {
        let id = format!("Row-{i:03}");
        assert_eq!(all.matches(&id).count(), 1, "{id}");
    }
    // Wrapped rows are not split: a row's first and last words are on the same page.
    for i in (7..=120).step_by(7) {
        let id = format!("Row-{i:03}");
        let end = format!("END-{i:03}");
        let page = pages.iter().position(|p| p.contains(&id));
        assert_eq!(
            page,
            pages.iter().position(|p| p.contains(&end)),
            "{id} split"
        );
    }
    assert!(all.contains("Kowalski, Jan (Łódź)"));
    assert!(all.contains("Ødegård, Åse"));
    assert!(all.contains("Müller, Jürgen"));
    assert!(all.contains("O'Brien, Siobhán"));
    assert_eq!(all.matches("⚠ no stop date").count(), 24);
    assert!(all.contains("End of medication history."));
    // The 60-character member ID was broken by characters; its first piece is on a line.
    assert!(all.contains("MBR-0123"));
}

#[test]
fn long_unbroken_text_is_kept_whole_in_plain_extraction() {
    // No hyphens: pdftotext would join a line ending in "-" with the next and drop the "-".
    let id = MEMBER_ID.replace('-', "").repeat(2);
    let (_dir, path) = render_checked(&doc(vec![Block::KeyValues(vec![(
        "Member ID".into(),
        id.clone(),
    )])]));
    // Broken by characters across lines, but no character lost or reordered.
    let text: String = pages(&path, &[])
        .concat()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(text.contains(&id), "{text}");
}

#[test]
fn heading_is_not_the_last_thing_on_a_page() {
    let mut moved = false;
    let mut stayed = false;
    for n in 36..50 {
        let filler = (0..n)
            .map(|i| format!("Filler line {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let d = doc(vec![
            Block::Paragraph(filler),
            Block::Heading("Section Omega".into()),
            Block::Paragraph("Body after heading, first line.\nSecond line.\nThird.".into()),
        ]);
        let (_dir, path) = render_checked(&d);
        let pages = pages(&path, &["-layout"]);
        for page in &pages {
            assert!(
                !last_body_line(page).contains("Section Omega"),
                "n={n}: heading left alone at the bottom:\n{page}"
            );
        }
        let heading_page = pages.iter().position(|p| p.contains("Section Omega"));
        let body_page = pages.iter().position(|p| p.contains("Body after heading"));
        assert_eq!(heading_page, body_page, "n={n}");
        match heading_page {
            Some(0) => stayed = true,
            Some(_) => moved = true,
            None => panic!("heading missing"),
        }
    }
    assert!(moved && stayed, "sweep did not cross the page boundary");
}

#[test]
fn quotes_and_markup_come_out_literally() {
    let text = r#"He said "stop" & 'wait' — <b>bold</b> <script>alert(1)</script> \ ( ) % {x} “curly” ‘single’"#;
    let (_dir, path) = render_checked(&doc(vec![
        Block::Heading("<h1>Not a tag</h1>".into()),
        Block::Paragraph(text.into()),
        Block::Table {
            columns: vec![Column::new("<th>", 1.0)],
            rows: vec![vec![Cell::flagged("<td>&amp;</td>", "<i>flag</i>")]],
        },
    ]));
    let all = pages(&path, &["-layout"]).concat();
    assert!(all.contains(text), "{all}");
    assert!(all.contains("<h1>Not a tag</h1>"));
    assert!(all.contains("<th>"));
    assert!(all.contains("<td>&amp;</td>"));
    assert!(all.contains("⚠ <i>flag</i>"));
}

/// Characters of `with` minus those of `without`, as a sorted multiset (whitespace ignored).
fn char_difference(with: &str, without: &str) -> String {
    let mut extra: Vec<char> = with.chars().filter(|c| !c.is_whitespace()).collect();
    extra.sort_unstable();
    let mut base: Vec<char> = without.chars().filter(|c| !c.is_whitespace()).collect();
    base.sort_unstable();
    for c in base {
        if let Ok(i) = extra.binary_search(&c) {
            extra.remove(i);
        } else {
            panic!("{c:?} is only in the extraction without the watermark");
        }
    }
    extra.into_iter().collect()
}

fn sorted_chars(s: &str) -> String {
    let mut v: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    v.sort_unstable();
    v.into_iter().collect()
}

#[test]
fn watermark_is_drawn_on_every_page_when_set() {
    let mark = "DRAFT — gaps remain";
    let mut d = long_table_doc();
    d.watermark = Some(mark.into());
    let (_dir, path) = render_checked(&d);
    let (_dir2, plain) = render_checked(&long_table_doc());
    // Poppler extracts diagonal text as scattered fragments (and may glue them to nearby
    // words), so compare character multisets: the watermark does not change the layout, so
    // each page must gain exactly the watermark's characters over the unwatermarked render.
    let with = pages(&path, &["-layout"]);
    let without = pages(&plain, &["-layout"]);
    assert!(with.len() >= 3);
    assert_eq!(with.len(), without.len());
    for (i, (w, wo)) in with.iter().zip(&without).enumerate() {
        assert_eq!(char_difference(w, wo), sorted_chars(mark), "page {}", i + 1);
        assert!(w.contains(PATIENT_LINE), "page {}", i + 1);
    }
    // And with no watermark there is no diagonal text at all.
    assert_eq!(without, pages(&plain, &["-layout", "-nodiag"]));
}

#[test]
fn fonts_are_embedded_dejavu_and_no_builtin_font_is_used() {
    let (_dir, path) = render_checked(&long_table_doc());
    let fonts = stdout("pdffonts", &[path_str(&path)]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    for name in ["DejaVuSans ", "DejaVuSans-Bold "] {
        let row = rows
            .iter()
            .find(|r| r.contains(&format!("+{name}")))
            .unwrap_or_else(|| panic!("{name} missing:\n{fonts}"));
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name, type (2 words), encoding, emb, sub, uni, object id (2)
        assert_eq!(&cols[4..7], ["yes", "yes", "yes"], "{row}");
    }
    assert!(!fonts.contains("Helvetica"), "{fonts}");
}

#[test]
fn metadata_title_is_the_document_title_not_the_patient() {
    let (_dir, path) = render_checked(&long_table_doc());
    let info = stdout("pdfinfo", &[path_str(&path)]);
    assert!(
        info.lines()
            .any(|l| l.starts_with("Title:") && l.trim_end().ends_with("Patient summary")),
        "{info}"
    );
    assert!(
        info.contains("Page size:       612 x 792 pts (letter)"),
        "{info}"
    );
    for phi in ["Ødegård", "Łucja", "K-000123", "1980"] {
        assert!(!info.contains(phi), "PHI {phi:?} in metadata:\n{info}");
    }
    let xmp = stdout("pdfinfo", &["-meta", path_str(&path)]);
    assert!(!xmp.contains("Ødegård"));
}

#[test]
fn empty_document_is_one_page_with_header_and_footer() {
    let mut d = doc(vec![]);
    d.header.signed_line = None;
    let (_dir, path) = render_checked(&d);
    let pages = pages(&path, &["-layout"]);
    assert_eq!(pages.len(), 1);
    assert!(pages[0].contains(PATIENT_LINE));
    assert!(pages[0].contains("Page 1 of 1"));
    assert!(!pages[0].contains("Screening signed"));
}

#[test]
fn row_taller_than_a_page_is_split_and_nothing_is_lost() {
    let lines: Vec<String> = (0..140).map(|i| format!("Observation {i:03}")).collect();
    let d = doc(vec![Block::Table {
        columns: vec![Column::new("When", 1.0), Column::new("Observations", 3.0)],
        rows: vec![
            vec![Cell::new("first"), Cell::new("ok")],
            vec![Cell::new("long"), Cell::new(lines.join("\n"))],
            vec![Cell::new("last"), Cell::new("ok")],
        ],
    }]);
    let (_dir, path) = render_checked(&d);
    let pages = pages(&path, &["-layout"]);
    assert!(pages.len() >= 3);
    let all = pages.concat();
    for l in &lines {
        assert_eq!(all.matches(l.as_str()).count(), 1, "{l}");
    }
    for page in &pages {
        assert!(page.contains("Observations"), "header row not repeated");
    }
}

#[test]
fn newlines_and_control_characters_in_text() {
    let (_dir, path) = render_checked(&doc(vec![Block::Paragraph(
        "Line one\r\nLine two\rLine three\tafter tab\u{7}\n\nAfter blank line".into(),
    )]));
    let page = &pages(&path, &["-layout"])[0];
    let body: Vec<&str> = page.lines().map(str::trim).collect();
    let one = body
        .iter()
        .position(|l| *l == "Line one")
        .expect("line one");
    assert_eq!(body[one + 1], "Line two");
    assert_eq!(body[one + 2], "Line three after tab");
    assert!(page.contains("After blank line"));
}

#[test]
fn invalid_tables_are_errors_not_silent_truncation() {
    let err = render(&doc(vec![Block::Table {
        columns: vec![Column::new("Only", 1.0)],
        rows: vec![vec![Cell::new("a"), Cell::new("dropped?")]],
    }]))
    .expect_err("must fail");
    assert_eq!(
        err,
        PdfError::RowTooWide {
            block: 0,
            row: 0,
            cells: 2,
            columns: 1
        }
    );
    assert!(err.to_string().contains("2 cells"));
}

#[test]
fn rendering_is_deterministic_apart_from_the_file_id() {
    let d = long_table_doc();
    let (_a, pa) = render_checked(&d);
    let (_b, pb) = render_checked(&d);
    assert_eq!(pages(&pa, &["-layout"]), pages(&pb, &["-layout"]));
}

#[test]
fn a_chart_renders_as_vectors_with_its_labels_as_text() {
    use ketachart_pdf::{ChartBand, LineChart};
    let chart = LineChart {
        title: "PHQ-9 total over time".into(),
        y_min: 0.0,
        y_max: 27.0,
        bands: vec![
            ChartBand {
                from: 0.0,
                to: 4.0,
                label: "None-minimal".into(),
            },
            ChartBand {
                from: 5.0,
                to: 27.0,
                label: "Mild or worse".into(),
            },
        ],
        points: vec![(0.0, 20.0), (7.0, 14.0), (14.0, 9.0)],
        x_min: 0.0,
        x_max: 14.0,
        x_labels: vec![(0.0, "01-Nov".into()), (14.0, "15-Nov".into())],
        markers: vec![3.0],
    };
    // Enough paragraphs that the chart would straddle a page break if it were split.
    let mut blocks: Vec<Block> = (0..38)
        .map(|i| Block::Paragraph(format!("Line {i}")))
        .collect();
    blocks.push(Block::Chart(chart));
    blocks.push(Block::Paragraph("After the chart".into()));
    let (_dir, path) = render_checked(&doc(blocks));
    let pages = pages(&path, &[]);
    let with_title: Vec<usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.contains("PHQ-9 total over time"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(with_title.len(), 1, "{pages:?}");
    let page = &pages[with_title[0]];
    for label in ["None-minimal", "Mild or worse", "01-Nov", "15-Nov", "27"] {
        assert!(
            page.contains(label),
            "{label} missing from the chart's page:\n{page}"
        );
    }
    assert!(
        page.contains("After the chart"),
        "what follows stays with the chart"
    );
}
