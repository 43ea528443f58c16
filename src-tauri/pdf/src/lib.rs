//! # ketachart-pdf
//!
//! KetaChart's PDF documents. [`summary`] turns the core's patient summary into a document,
//! [`session`] and [`rems_form`] a treatment session, [`pa_packet`] a prior-authorization
//! packet (initial, re-authorization, appeal) and [`superbill`] the self-pay superbill; the
//! rest of the crate is domain-free:
//!
//! A small, generic, paginated document layout engine that writes PDF through printpdf 0.12.8's
//! ops API. A caller describes a [`Document`] — a [`PageHeader`] printed on every page, a list
//! of [`Block`]s (headings, wrapped paragraphs, key/value lists, form-style fields, tables,
//! notes, charts) and an optional watermark — and [`render`] returns the PDF bytes.
//!
//! What it does:
//! * US Letter portrait, 15 mm margins; header (clinic, title, patient line, optional signed
//!   line) and footer (generated line, "Page x of y") on every page.
//! * Word wrapping measured with the embedded font's real glyph advances; over-long words are
//!   broken by characters; `\n` is a line break.
//! * Page breaking: headings stay with what follows, paragraphs avoid single orphan/widow lines,
//!   table header rows repeat on every page a table continues onto, and a table row is only
//!   split if it is taller than a page; [`Block::KeepTogether`] keeps a group on one page.
//! * Anchors ([`Block::Anchor`], [`Cell::anchored`]) record the page content lands on;
//!   [`paginate`] reports them and [`render_with_page_refs`] lays a document out until the page
//!   numbers it prints about itself ("see p. 3") are the pages things are on.
//! * DejaVu Sans (regular and bold) is embedded and subset, so any text DejaVu covers (Latin,
//!   Greek, Cyrillic, `Łódź`, `Ødegård`, `⚠`, …) renders and extracts as text. The builtin
//!   standard-14 fonts are never used: they only cover WinAnsi.
//! * The PDF title metadata is the document title, never the patient line (no PHI in metadata).
//!
//! Deliberately absent: any knowledge of the clinic domain, markup of any kind (text is always
//! literal), images, links, bookmarks, right-to-left and complex-script shaping (no kerning or
//! ligatures; characters DejaVu Sans lacks, such as CJK, print as `�`), hyphenation, PDF/A,
//! encryption, and a reproducible file ID (printpdf randomises the trailer `/ID`; the
//! creation date is left at printpdf's fixed default rather than the wall clock — the
//! visible `generated_line` carries the real time).

pub mod abn;
pub mod consent;
mod fonts;
mod layout;
pub mod merge;
pub mod pa_packet;
mod pa_tables;
mod paint;
pub mod rems_enrollment;
pub mod rems_form;
pub mod session;
pub mod summary;
pub mod superbill;
mod text;

use std::collections::BTreeMap;

use printpdf::{PdfDocument, PdfParseErrorSeverity, PdfSaveOptions};

/// The page header, printed at the top of **every** page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageHeader {
    /// Top-left, bold, e.g. `"Northside Family Clinic"`.
    pub clinic_name: String,
    /// Large title under the clinic name, e.g. `"Patient summary"`. Also the PDF's title metadata.
    pub document_title: String,
    /// Identifies the subject on every page, e.g.
    /// `"Ødegård, Łucja · DOB 03-Mar-1980 · MRN K-000123"`.
    pub patient_line: String,
    /// Provenance, e.g. `"Generated 21-Nov-2026 20:15 by Dr A"`; printed in the footer (left).
    pub generated_line: String,
    /// Optional status line printed under the header rule, e.g.
    /// `"Screening signed by Dr A, 21-Nov-2026 20:10"`.
    pub signed_line: Option<String>,
}

/// One piece of body content. Blocks flow top to bottom across as many pages as needed.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Section heading (bold, larger, ruled underneath). Never left alone at the bottom of a
    /// page: it moves to the next page together with the start of the block after it.
    Heading(String),
    /// Wrapped body text; `\n` starts a new line. May continue onto the next page.
    Paragraph(String),
    /// Two-column label/value list; labels and values both wrap. A pair is not split across
    /// pages unless it is taller than a page.
    KeyValues(Vec<(String, String)>),
    /// Form-style label/value fields, `per_row` (1–6) side by side, each value under its small
    /// grey label: compact for short facts (IDs, dates, phone numbers). A row of fields is not
    /// split across pages unless it is taller than a page.
    Fields {
        per_row: usize,
        fields: Vec<(String, String)>,
    },
    /// A ruled, zebra-striped table.
    ///
    /// The header row is repeated on every page the table continues onto; cells wrap within
    /// their column; a row is not split across pages unless it is taller than a page. Rows
    /// with fewer cells than columns are padded with empty cells; more cells than columns is
    /// an error ([`PdfError::RowTooWide`]).
    Table {
        /// Column titles and relative widths.
        columns: Vec<Column>,
        /// Body rows, one [`Cell`] per column.
        rows: Vec<Vec<Cell>>,
    },
    /// Small grey text (smaller regular face), e.g. provenance or caveats. Wraps like a paragraph.
    Note(String),
    /// A fixed vertical gap (dropped at the top of a page).
    Spacer,
    /// A line chart of values over time with shaded horizontal bands (score trends). Kept whole
    /// on one page.
    Chart(LineChart),
    /// The blocks inside are kept on one page (moved together to the next page if they do not
    /// fit), unless together they are taller than a page; e.g. a signature block with the
    /// statement above it.
    KeepTogether(Vec<Block>),
    /// An invisible marker: the id lands on the page where the next block's first line (row,
    /// heading, …) is placed; after the last block, on the last block's page. Takes no space.
    /// See [`paginate`] and [`render_with_page_refs`] for documents that cite their own pages.
    Anchor(String),
    /// A handwritten signature drawn as vector strokes, scaled (aspect kept) into a ruled box
    /// under its bold `label`, with the `caption` (signer, time) in small type beneath. Kept
    /// whole on one page, together with its caption.
    Signature(SignatureBlock),
}

/// A signature captured on a pad of `pad_width` × `pad_height` (any unit, y downwards):
/// strokes of points; a one-point stroke is drawn as a dot. Points outside the pad are clamped.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureBlock {
    pub label: String,
    pub caption: String,
    pub pad_width: f32,
    pub pad_height: f32,
    pub strokes: Vec<Vec<(f32, f32)>>,
}

/// A line chart drawn with vector ops: shaded bands behind, the series as a polyline with a
/// marker per point, vertical markers (e.g. treatment sessions), labelled axes.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// Caption above the plot, e.g. `"PHQ-9 total"`.
    pub title: String,
    pub y_min: f32,
    pub y_max: f32,
    /// Shaded ranges of y, bottom to top, each with its label (e.g. severity bands).
    pub bands: Vec<ChartBand>,
    /// The series, in x order. x is any increasing number (e.g. days since the first point).
    pub points: Vec<(f32, f32)>,
    pub x_min: f32,
    pub x_max: f32,
    /// Labels under the x axis at these x positions.
    pub x_labels: Vec<(f32, String)>,
    /// Vertical dashed markers at these x positions.
    pub markers: Vec<f32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChartBand {
    pub from: f32,
    pub to: f32,
    pub label: String,
}

/// A table column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header text (bold, wraps if the column is narrow).
    pub title: String,
    /// Relative width: each column gets `width / sum(widths)` of the text width. Must be
    /// finite and greater than zero.
    pub width: f32,
}

impl Column {
    /// A column titled `title` with relative width `width`.
    pub fn new(title: impl Into<String>, width: f32) -> Self {
        Self {
            title: title.into(),
            width,
        }
    }
}

/// A table cell.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cell {
    /// The cell text (wraps within the column; `\n` breaks the line).
    pub text: String,
    /// A warning shown under the text in smaller dark-red type, prefixed with `⚠ `,
    /// e.g. `"no stop date"`.
    pub flag: Option<String>,
    /// An anchor id for the cell's table row: it lands on the page where the row starts (see
    /// [`Block::Anchor`]). Not drawn.
    pub anchor: Option<String>,
}

impl Cell {
    /// A plain cell.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            flag: None,
            anchor: None,
        }
    }

    /// A cell with a warning flag under its text.
    pub fn flagged(text: impl Into<String>, flag: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            flag: Some(flag.into()),
            anchor: None,
        }
    }

    /// The same cell, marking its row with anchor `id`.
    #[must_use]
    pub fn anchored(mut self, id: impl Into<String>) -> Self {
        self.anchor = Some(id.into());
        self
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Self::new(text)
    }
}

/// A complete document to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Printed on every page.
    pub header: PageHeader,
    /// Body content, in order.
    pub blocks: Vec<Block>,
    /// If set (e.g. `"DRAFT — gaps remain"`), drawn large in light grey, diagonally across the
    /// centre of every page: over table shading, under all text and rules.
    pub watermark: Option<String>,
}

/// Why a document could not be rendered. All variants are caller errors except
/// [`PdfError::Font`] and [`PdfError::Write`], which indicate a bug or a broken build.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// One of the embedded fonts could not be parsed.
    #[error("embedded font {name} could not be parsed")]
    Font {
        /// File name of the font.
        name: &'static str,
    },
    /// A table has no columns.
    #[error("table (block {block}) has no columns")]
    TableWithoutColumns {
        /// Index of the table in [`Document::blocks`].
        block: usize,
    },
    /// A column width is zero, negative or not finite.
    #[error(
        "table (block {block}) column {column} has width {width}; widths must be finite and > 0"
    )]
    ColumnWidth {
        /// Index of the table in [`Document::blocks`].
        block: usize,
        /// Index of the column.
        column: usize,
        /// The offending width.
        width: f32,
    },
    /// A row has more cells than the table has columns (its extra cells would be lost).
    #[error(
        "table (block {block}) row {row} has {cells} cells but the table has {columns} columns"
    )]
    RowTooWide {
        /// Index of the table in [`Document::blocks`].
        block: usize,
        /// Index of the row.
        row: usize,
        /// Cells in that row.
        cells: usize,
        /// Columns in the table.
        columns: usize,
    },
    /// printpdf reported an error while serialising the document.
    #[error("PDF serialisation failed: {0}")]
    Write(String),
}

/// Where a laid-out document's content landed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pagination {
    /// Number of pages.
    pub pages: usize,
    /// Each anchor id ([`Block::Anchor`], [`Cell::anchored`]) → the 1-based page it is on.
    /// An id used twice keeps its first page.
    pub anchors: BTreeMap<String, usize>,
}

impl Pagination {
    /// The page of anchor `id`, if it was placed.
    pub fn page_of(&self, id: &str) -> Option<usize> {
        self.anchors.get(id).copied()
    }
}

fn pagination_of(layout: &layout::Layout) -> Pagination {
    Pagination {
        pages: layout.pages.len(),
        anchors: layout.anchors.clone(),
    }
}

/// Lays out `doc` without drawing it: how many pages, and where each anchor is.
///
/// # Errors
///
/// As [`render`], for malformed tables.
pub fn paginate(doc: &Document) -> Result<Pagination, PdfError> {
    let layout = layout::layout(fonts::faces()?, &doc.header, &doc.blocks)?;
    Ok(pagination_of(&layout))
}

/// Most layouts [`render_with_page_refs`] tries before accepting the last one.
const MAX_PAGE_REF_PASSES: usize = 5;

/// Renders a document that cites its own pages ("see p. 3", a table of contents).
///
/// `build` is called with the [`Pagination`] of the previous layout (empty the first time, so
/// every anchor is unknown — print a placeholder of similar width, such as `p. ?`) and returns
/// the document. Layout repeats until the pagination stops changing — normally two passes;
/// page numbers in the text can only move content when their width changes a line break — at
/// most five times; the last layout is the one rendered.
///
/// # Errors
///
/// As [`render`].
pub fn render_with_page_refs(
    build: impl FnMut(&Pagination) -> Document,
) -> Result<Vec<u8>, PdfError> {
    render_with_page_refs_and_trailing(0, build)
}

/// As [`render_with_page_refs`], for a document `trailing` more pages will be appended to
/// (attachments, see [`merge`]): "Page x of y" counts them.
///
/// # Errors
///
/// As [`render`].
pub fn render_with_page_refs_and_trailing(
    trailing: usize,
    mut build: impl FnMut(&Pagination) -> Document,
) -> Result<Vec<u8>, PdfError> {
    let faces = fonts::faces()?;
    let mut seen = Pagination::default();
    let mut doc = build(&seen);
    let mut lay = layout::layout(faces, &doc.header, &doc.blocks)?;
    for _ in 1..MAX_PAGE_REF_PASSES {
        let now = pagination_of(&lay);
        if now == seen {
            break;
        }
        seen = now;
        doc = build(&seen);
        lay = layout::layout(faces, &doc.header, &doc.blocks)?;
    }
    write(faces, &doc, &lay, trailing)
}

/// Lays out and renders `doc` to PDF bytes.
///
/// Layout happens first for the whole document (so the page count is known for the
/// "Page x of y" footers), then each page's drawing operations are emitted.
///
/// # Errors
///
/// [`PdfError::TableWithoutColumns`], [`PdfError::ColumnWidth`] and [`PdfError::RowTooWide`]
/// for malformed tables; [`PdfError::Font`] and [`PdfError::Write`] should never happen (they
/// mean a broken build or a printpdf bug).
pub fn render(doc: &Document) -> Result<Vec<u8>, PdfError> {
    let faces = fonts::faces()?;
    let layout = layout::layout(faces, &doc.header, &doc.blocks)?;
    write(faces, doc, &layout, 0)
}

/// Paints a laid-out document and serialises it.
fn write(
    faces: &fonts::Faces,
    doc: &Document,
    layout: &layout::Layout,
    trailing: usize,
) -> Result<Vec<u8>, PdfError> {
    let (pdf, res) = new_pdf(faces, &doc.header.document_title);
    let numbering = paint::Numbering {
        first: 1,
        total: layout.pages.len() + trailing,
    };
    let pages = paint::pages(faces, &res, layout, doc.watermark.as_deref(), numbering);
    save(pdf, pages)
}

/// A printpdf document titled `title` with the embedded faces registered.
fn new_pdf(faces: &fonts::Faces, title: &str) -> (PdfDocument, paint::Resources) {
    let mut pdf = PdfDocument::new(title);
    pdf.metadata.info.creator = "ketachart-pdf".to_owned();
    pdf.metadata.info.producer = "ketachart-pdf (printpdf 0.12.8)".to_owned();
    let res = paint::Resources {
        regular: pdf.add_font(&faces.regular.parsed),
        bold: pdf.add_font(&faces.bold.parsed),
    };
    (pdf, res)
}

/// Serialises `pages` into `pdf` (fonts subset); printpdf's errors become [`PdfError::Write`].
fn save(mut pdf: PdfDocument, pages: Vec<printpdf::PdfPage>) -> Result<Vec<u8>, PdfError> {
    let mut warnings = Vec::new();
    let opts = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    let bytes = pdf.with_pages(pages).save(&opts, &mut warnings);
    let errors: Vec<String> = warnings
        .iter()
        .filter(|w| w.severity == PdfParseErrorSeverity::Error)
        .map(|w| format!("page {}: {}", w.page, w.msg))
        .collect();
    if errors.is_empty() {
        Ok(bytes)
    } else {
        Err(PdfError::Write(errors.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document whose first paragraph cites the page of a table row far below it.
    fn citing(p: &Pagination) -> Document {
        let cite = p
            .page_of("target")
            .map_or_else(|| "p. ?".to_string(), |n| format!("p. {n}"));
        let mut blocks = vec![Block::Paragraph(format!("See {cite}."))];
        blocks.extend((0..150).map(|i| Block::Paragraph(format!("Filler {i}"))));
        blocks.push(Block::Table {
            columns: vec![Column::new("A", 1.0)],
            rows: vec![vec![Cell::new("the row").anchored("target")]],
        });
        Document {
            header: PageHeader {
                clinic_name: "Clinic".into(),
                document_title: "Title".into(),
                patient_line: "Patient".into(),
                generated_line: "Generated".into(),
                signed_line: None,
            },
            blocks,
            watermark: None,
        }
    }

    #[test]
    fn page_references_settle_on_the_final_layout() {
        let first = paginate(&citing(&Pagination::default())).unwrap();
        let target = first.page_of("target").unwrap();
        assert!(target >= 3, "{first:?}");
        assert_eq!(first.pages, target);
        let settled = paginate(&citing(&first)).unwrap();
        assert_eq!(settled, first);
        let calls = std::cell::Cell::new(0);
        let bytes = render_with_page_refs(|p| {
            calls.set(calls.get() + 1);
            citing(p)
        })
        .unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert_eq!(
            calls.get(),
            2,
            "one pass to learn the pages, one to print them"
        );
    }
}
