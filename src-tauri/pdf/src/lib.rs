//! # ketachart-pdf
//!
//! KetaChart's PDF documents. [`summary`] turns the core's patient summary into a document; the
//! rest of the crate is domain-free:
//!
//! A small, generic, paginated document layout engine that writes PDF through printpdf 0.12.8's
//! ops API. A caller describes a [`Document`] — a [`PageHeader`] printed on every page, a list
//! of [`Block`]s (headings, wrapped paragraphs, key/value lists, tables, notes) and an optional
//! watermark — and [`render`] returns the PDF bytes.
//!
//! What it does:
//! * US Letter portrait, 15 mm margins; header (clinic, title, patient line, optional signed
//!   line) and footer (generated line, "Page x of y") on every page.
//! * Word wrapping measured with the embedded font's real glyph advances; over-long words are
//!   broken by characters; `\n` is a line break.
//! * Page breaking: headings stay with what follows, paragraphs avoid single orphan/widow lines,
//!   table header rows repeat on every page a table continues onto, and a table row is only
//!   split if it is taller than a page.
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

mod fonts;
mod layout;
mod paint;
pub mod rems_form;
pub mod session;
pub mod summary;
mod text;

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
}

impl Cell {
    /// A plain cell.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            flag: None,
        }
    }

    /// A cell with a warning flag under its text.
    pub fn flagged(text: impl Into<String>, flag: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            flag: Some(flag.into()),
        }
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

    let mut pdf = PdfDocument::new(&doc.header.document_title);
    pdf.metadata.info.creator = "ketachart-pdf".to_owned();
    pdf.metadata.info.producer = "ketachart-pdf (printpdf 0.12.8)".to_owned();
    let res = paint::Resources {
        regular: pdf.add_font(&faces.regular.parsed),
        bold: pdf.add_font(&faces.bold.parsed),
    };
    let pages = paint::pages(faces, &res, &layout, doc.watermark.as_deref());

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
