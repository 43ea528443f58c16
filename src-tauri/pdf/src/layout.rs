//! Layout: blocks → measured, unbreakable-or-splittable "units" → pages.
//!
//! Coordinates here are in pt, measured **downwards from the top of the page** (printpdf's
//! origin is bottom-left; [`crate::paint`] flips them).

use std::collections::{BTreeMap, VecDeque};

use crate::fonts::{Faces, Weight};
use crate::text::{sanitize, wrap};
use crate::{Block, Cell, Column, LineChart, PageHeader, PdfError, SignatureBlock};

/// US Letter, portrait (215.9 × 279.4 mm).
pub(crate) const PAGE_W: f32 = 612.0;
pub(crate) const PAGE_H: f32 = 792.0;
/// 15 mm.
pub(crate) const MARGIN: f32 = 15.0 * 72.0 / 25.4;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
/// Tolerance for float comparisons of vertical positions.
const EPS: f32 = 0.01;

/// An RGB colour, components 0.0–1.0.
pub(crate) type Rgb = [f32; 3];

pub(crate) const INK: Rgb = [0.11, 0.12, 0.14];
pub(crate) const MUTED: Rgb = [0.36, 0.38, 0.42];
pub(crate) const ACCENT: Rgb = [0.10, 0.22, 0.38];
pub(crate) const RULE: Rgb = [0.70, 0.74, 0.80];
const LIGHT_RULE: Rgb = [0.85, 0.87, 0.90];
const HEADER_FILL: Rgb = [0.88, 0.915, 0.955];
const ZEBRA_FILL: Rgb = [0.955, 0.965, 0.975];
const FLAG: Rgb = [0.68, 0.17, 0.02];

/// Font, size, line height and colour of one line of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Style {
    pub(crate) weight: Weight,
    pub(crate) size: f32,
    /// Height of the line box in pt.
    pub(crate) lh: f32,
    pub(crate) color: Rgb,
}

const fn style(weight: Weight, size: f32, lh: f32, color: Rgb) -> Style {
    Style {
        weight,
        size,
        lh,
        color,
    }
}

const CLINIC: Style = style(Weight::Bold, 10.0, 13.0, ACCENT);
const TITLE: Style = style(Weight::Bold, 16.0, 20.0, INK);
const PATIENT: Style = style(Weight::Regular, 10.0, 13.0, INK);
const SIGNED: Style = style(Weight::Regular, 8.5, 11.0, MUTED);
const FOOTER: Style = style(Weight::Regular, 7.5, 9.5, MUTED);
const HEADING: Style = style(Weight::Bold, 12.5, 16.0, ACCENT);
const BODY: Style = style(Weight::Regular, 10.0, 13.5, INK);
const NOTE: Style = style(Weight::Regular, 8.5, 11.0, MUTED);
const KV_LABEL: Style = style(Weight::Regular, 9.0, 13.0, MUTED);
const KV_VALUE: Style = style(Weight::Regular, 10.0, 13.0, INK);
const FIELD_LABEL: Style = style(Weight::Regular, 7.5, 10.0, MUTED);
const TH: Style = style(Weight::Bold, 8.5, 11.0, ACCENT);
const TD: Style = style(Weight::Regular, 9.0, 11.5, INK);
const TD_FLAG: Style = style(Weight::Regular, 7.5, 9.5, FLAG);
const CONTINUED: Style = style(Weight::Regular, 8.0, 11.0, MUTED);
/// Shown in the first column of the continuation of a row split across pages.
const CONTINUED_TEXT: &str = "(continued)";

const HEADING_BEFORE: f32 = 16.0;
const PARAGRAPH_BEFORE: f32 = 6.0;
const NOTE_BEFORE: f32 = 5.0;
const KV_BEFORE: f32 = 6.0;
const TABLE_BEFORE: f32 = 8.0;
const SPACER: f32 = 10.0;
const CELL_PAD_X: f32 = 4.0;
const CELL_PAD_Y: f32 = 3.0;
const KV_GAP: f32 = 10.0;
/// Horizontal gap between side-by-side fields.
const FIELD_GAP: f32 = 12.0;

/// One line of text, `dx` pt right of its cell's left edge.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub(crate) text: String,
    pub(crate) style: Style,
    pub(crate) dx: f32,
}

/// A column of stacked lines starting at absolute x `x`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CellBox {
    pub(crate) x: f32,
    pub(crate) lines: Vec<Line>,
}

impl CellBox {
    fn height(&self) -> f32 {
        self.lines.iter().map(|l| l.style.lh).sum()
    }
}

/// Decoration drawn with a unit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Deco {
    None,
    /// A horizontal rule along the bottom edge of the unit.
    Underline {
        x0: f32,
        x1: f32,
        color: Rgb,
        thickness: f32,
    },
    /// A table row: optional background, a border on all sides and between columns.
    TableRow {
        fill: Option<Rgb>,
        edges: Vec<f32>,
    },
    /// A chart drawn in the unit's box (below its title line).
    Chart(Box<ChartDeco>),
    /// A signature box below the unit's label line.
    Signature(Box<SignatureDeco>),
}

/// A signature placed in a unit: its box relative to the unit's top, and the strokes in
/// points relative to the box's top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SignatureDeco {
    pub(crate) x: f32,
    pub(crate) w: f32,
    pub(crate) dy: f32,
    pub(crate) h: f32,
    pub(crate) strokes: Vec<Vec<(f32, f32)>>,
}

const SIGNATURE_W: f32 = 260.0;
const SIGNATURE_H: f32 = 72.0;
const SIGNATURE_INSET: f32 = 4.0;
const SIGNATURE_LABEL: Style = style(Weight::Bold, 9.0, 13.0, INK);

/// A chart placed in a unit: the plot area relative to the unit's top, and its content.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChartDeco {
    pub(crate) chart: LineChart,
    /// Plot area: left x, width; top offset from the unit's top, height.
    pub(crate) x: f32,
    pub(crate) w: f32,
    pub(crate) dy: f32,
    pub(crate) h: f32,
    pub(crate) label: Style,
}

pub(crate) const CHART_LABEL: Style = style(Weight::Regular, 7.5, 9.0, MUTED);
/// Band shades, bottom to top (lighter for milder bands).
pub(crate) const BAND_FILLS: [Rgb; 5] = [
    [0.93, 0.97, 0.93],
    [0.97, 0.97, 0.90],
    [0.99, 0.94, 0.87],
    [0.99, 0.90, 0.86],
    [0.98, 0.86, 0.86],
];
pub(crate) const SERIES: Rgb = ACCENT;
const CHART_TITLE: Style = style(Weight::Bold, 9.0, 13.0, INK);
const CHART_H: f32 = 140.0;
const CHART_LEFT_AXIS: f32 = 24.0;
const CHART_RIGHT_LABELS: f32 = 92.0;
const CHART_BOTTOM_LABELS: f32 = 14.0;

/// What a unit was made from (for tests and debugging).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Heading,
    ParagraphLine,
    NoteLine,
    KeyValue,
    TableHeader,
    TableRow,
    Chart,
    Signature,
}

/// The smallest thing the paginator moves: one line of a paragraph, one key/value pair, one
/// table row, one heading. A unit is only split if it is taller than a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unit {
    pub(crate) kind: Kind,
    /// Gap above the unit; dropped at the top of a page.
    pub(crate) space_before: f32,
    /// Must land on the same page as (the start of) the next unit.
    pub(crate) keep_with_next: bool,
    /// For table body rows: index of the table's header in [`Layout::table_headers`], repeated
    /// at the top of each page the table continues onto.
    pub(crate) table: Option<usize>,
    pub(crate) pad_top: f32,
    pub(crate) pad_bottom: f32,
    pub(crate) cells: Vec<CellBox>,
    pub(crate) deco: Deco,
    /// Lines shown in the first cell of the continuation piece when a split leaves that cell
    /// empty (so the reader can tell which row continues). Empty for units that never split
    /// meaningfully (single lines).
    pub(crate) continued: Vec<Line>,
    /// Anchor ids ([`Block::Anchor`], [`crate::Cell::anchor`]) that land where this unit starts.
    pub(crate) anchors: Vec<String>,
}

impl Unit {
    pub(crate) fn height(&self) -> f32 {
        let content = self.cells.iter().map(CellBox::height).fold(0.0, f32::max);
        self.pad_top + content + self.pad_bottom
    }

    /// Height of the smallest piece a split could leave on a page (first line of each cell).
    fn min_piece_height(&self) -> f32 {
        let first = self
            .cells
            .iter()
            .filter_map(|c| c.lines.first().map(|l| l.style.lh))
            .fold(0.0, f32::max);
        self.pad_top + first + self.pad_bottom
    }

    /// Splits the unit so that the first piece is at most `avail` pt tall. Each cell keeps as
    /// many whole lines as fit. With `force`, at least one line is kept even if it overflows
    /// (so layout always makes progress). `None` if nothing fits or nothing would be left over.
    fn split(&self, avail: f32, force: bool) -> Option<(Unit, Unit)> {
        let content_avail = avail - self.pad_top - self.pad_bottom;
        let mut first = self.clone();
        let mut rest = self.clone();
        rest.space_before = 0.0;
        // An anchor marks where the unit starts: the first piece.
        rest.anchors.clear();
        let mut taken_any = false;
        let mut left_any = false;
        for (i, cell) in self.cells.iter().enumerate() {
            let mut used = 0.0;
            let mut n = 0;
            for line in &cell.lines {
                if used + line.style.lh > content_avail + EPS {
                    break;
                }
                used += line.style.lh;
                n += 1;
            }
            taken_any |= n > 0;
            left_any |= n < cell.lines.len();
            first.cells[i].lines = cell.lines[..n].to_vec();
            rest.cells[i].lines = cell.lines[n..].to_vec();
        }
        if !taken_any && force {
            for (i, cell) in self.cells.iter().enumerate() {
                let n = cell.lines.len().min(1);
                first.cells[i].lines = cell.lines[..n].to_vec();
                rest.cells[i].lines = cell.lines[n..].to_vec();
            }
            taken_any = self.cells.iter().any(|c| !c.lines.is_empty());
            left_any = self.cells.iter().any(|c| c.lines.len() > 1);
        }
        if let (Some(orig), Some(cont)) = (self.cells.first(), rest.cells.first_mut()) {
            if cont.lines.is_empty() && !orig.lines.is_empty() {
                cont.lines.clone_from(&self.continued);
            }
        }
        (taken_any && left_any).then_some((first, rest))
    }
}

/// The fixed page furniture: header and footer text and where the body area is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Chrome {
    /// Header lines with their absolute x and top y.
    pub(crate) header: Vec<(f32, f32, Line)>,
    /// Rule under the header block: y and thickness.
    pub(crate) header_rule: (f32, f32),
    /// Footer: the left (generated) lines, the top y of the footer text and the rule above it.
    pub(crate) footer_left: Vec<Line>,
    pub(crate) footer_top: f32,
    pub(crate) footer_rule: f32,
    pub(crate) body_top: f32,
    pub(crate) body_bottom: f32,
}

/// Footer style, for the page label drawn by the painter.
pub(crate) const FOOTER_STYLE: Style = FOOTER;
pub(crate) const CONTENT_LEFT: f32 = MARGIN;
pub(crate) const CONTENT_RIGHT: f32 = PAGE_W - MARGIN;

/// A unit placed on a page at top y `y`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Placed {
    pub(crate) y: f32,
    pub(crate) unit: Unit,
}

/// Everything the painter needs.
pub(crate) struct Layout {
    pub(crate) chrome: Chrome,
    pub(crate) pages: Vec<Vec<Placed>>,
    /// Each anchor id → the 1-based page its unit starts on.
    pub(crate) anchors: BTreeMap<String, usize>,
}

/// Wraps `text` for `st` within `width` pt into [`Line`]s.
fn lines(faces: &Faces, text: &str, st: Style, width: f32) -> Vec<Line> {
    let face = faces.get(st.weight);
    wrap(&sanitize(text), width, |c| face.advance_em(c) * st.size)
        .into_iter()
        .map(|text| Line {
            text,
            style: st,
            dx: 0.0,
        })
        .collect()
}

/// Lays out the page header and footer (identical on every page except the page label).
pub(crate) fn chrome(faces: &Faces, header: &PageHeader) -> Chrome {
    let mut out = Vec::new();
    let mut y = MARGIN;
    let mut push = |y: &mut f32, text: &str, st: Style| {
        for line in lines(faces, text, st, CONTENT_W) {
            out.push((MARGIN, *y, line));
            *y += st.lh;
        }
    };
    push(&mut y, &header.clinic_name, CLINIC);
    y += 3.0;
    push(&mut y, &header.document_title, TITLE);
    y += 2.0;
    push(&mut y, &header.patient_line, PATIENT);
    y += 5.0;
    let header_rule = (y, 1.0);
    y += 1.0;
    if let Some(signed) = &header.signed_line {
        y += 4.0;
        push(&mut y, signed, SIGNED);
    }
    let body_top = y + 14.0;

    // Footer: generated line on the left, "Page x of y" on the right of its first line.
    let reserve = faces
        .get(FOOTER.weight)
        .width("Page 8888 of 8888", FOOTER.size)
        + 16.0;
    let footer_left = lines(faces, &header.generated_line, FOOTER, CONTENT_W - reserve);
    let footer_h = footer_left.len() as f32 * FOOTER.lh;
    let footer_top = PAGE_H - MARGIN - footer_h;
    let footer_rule = footer_top - 4.0;
    Chrome {
        header: out,
        header_rule,
        footer_left,
        footer_top,
        footer_rule,
        body_top,
        body_bottom: footer_rule - 12.0,
    }
}

/// Turns blocks into units.
struct Builder<'a> {
    faces: &'a Faces,
    units: Vec<Unit>,
    table_headers: Vec<Unit>,
    /// Extra space requested by [`Block::Spacer`]s, added to the next unit's gap.
    pending: f32,
    /// [`Block::Anchor`]s waiting for the next unit.
    pending_anchors: Vec<String>,
}

impl Builder<'_> {
    fn push(&mut self, mut unit: Unit) {
        unit.space_before += std::mem::take(&mut self.pending);
        let mut anchors = std::mem::take(&mut self.pending_anchors);
        anchors.append(&mut unit.anchors);
        unit.anchors = anchors;
        self.units.push(unit);
    }

    fn single(&self, kind: Kind, cells: Vec<CellBox>, space_before: f32) -> Unit {
        Unit {
            kind,
            space_before,
            keep_with_next: false,
            table: None,
            pad_top: 0.0,
            pad_bottom: 0.0,
            cells,
            deco: Deco::None,
            continued: Vec::new(),
            anchors: Vec::new(),
        }
    }

    fn heading(&mut self, text: &str) {
        let mut unit = self.single(
            Kind::Heading,
            vec![CellBox {
                x: MARGIN,
                lines: lines(self.faces, text, HEADING, CONTENT_W),
            }],
            HEADING_BEFORE,
        );
        unit.keep_with_next = true;
        unit.pad_bottom = 3.0;
        unit.deco = Deco::Underline {
            x0: MARGIN,
            x1: PAGE_W - MARGIN,
            color: RULE,
            thickness: 0.6,
        };
        self.push(unit);
    }

    /// Paragraphs and notes: one unit per line, so they flow across pages. The first line keeps
    /// with the second and the next-to-last with the last (no single orphan or widow line).
    fn flowing(&mut self, text: &str, st: Style, kind: Kind, before: f32) {
        let ls = lines(self.faces, text, st, CONTENT_W);
        let n = ls.len();
        for (i, line) in ls.into_iter().enumerate() {
            let mut unit = self.single(
                kind,
                vec![CellBox {
                    x: MARGIN,
                    lines: vec![line],
                }],
                if i == 0 { before } else { 0.0 },
            );
            unit.keep_with_next = n >= 2 && (i == 0 || i + 2 == n);
            self.push(unit);
        }
    }

    /// A chart: its title line, then the plot, as one unit that is never split.
    fn chart(&mut self, chart: &LineChart) {
        let title = lines(self.faces, &chart.title, CHART_TITLE, CONTENT_W);
        let title_h: f32 = title.iter().map(|l| l.style.lh).sum();
        let mut unit = self.single(
            Kind::Chart,
            vec![CellBox {
                x: MARGIN,
                lines: title,
            }],
            TABLE_BEFORE,
        );
        unit.pad_bottom = CHART_H + CHART_BOTTOM_LABELS + 4.0;
        // A chart is read with what follows it (its numbers): keep them on one page.
        unit.keep_with_next = true;
        unit.deco = Deco::Chart(Box::new(ChartDeco {
            chart: chart.clone(),
            x: MARGIN + CHART_LEFT_AXIS,
            w: CONTENT_W - CHART_LEFT_AXIS - CHART_RIGHT_LABELS,
            dy: title_h + 2.0,
            h: CHART_H,
            label: CHART_LABEL,
        }));
        self.push(unit);
    }

    /// A signature: its label line and box as one unit, kept with its caption lines.
    fn signature(&mut self, sig: &SignatureBlock) {
        let label = lines(self.faces, &sig.label, SIGNATURE_LABEL, CONTENT_W);
        let label_h: f32 = label.iter().map(|l| l.style.lh).sum();
        let mut unit = self.single(
            Kind::Signature,
            vec![CellBox {
                x: MARGIN,
                lines: label,
            }],
            TABLE_BEFORE,
        );
        unit.pad_bottom = SIGNATURE_H + 2.0;
        unit.keep_with_next = true;
        let (pw, ph) = (sig.pad_width, sig.pad_height);
        let (iw, ih) = (
            SIGNATURE_W - 2.0 * SIGNATURE_INSET,
            SIGNATURE_H - 2.0 * SIGNATURE_INSET,
        );
        let usable = pw.is_finite() && ph.is_finite() && pw > 0.0 && ph > 0.0;
        let scale = if usable { (iw / pw).min(ih / ph) } else { 0.0 };
        let strokes = if usable {
            sig.strokes
                .iter()
                .map(|s| {
                    s.iter()
                        .filter(|(x, y)| x.is_finite() && y.is_finite())
                        .map(|&(x, y)| {
                            (
                                SIGNATURE_INSET + x.clamp(0.0, pw) * scale,
                                SIGNATURE_INSET + y.clamp(0.0, ph) * scale,
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .filter(|s| !s.is_empty())
                .collect()
        } else {
            Vec::new()
        };
        unit.deco = Deco::Signature(Box::new(SignatureDeco {
            x: MARGIN,
            w: SIGNATURE_W,
            dy: label_h + 2.0,
            h: SIGNATURE_H,
            strokes,
        }));
        self.push(unit);
        let caption = lines(self.faces, &sig.caption, NOTE, CONTENT_W);
        let n = caption.len();
        for (i, line) in caption.into_iter().enumerate() {
            let mut unit = self.single(
                Kind::NoteLine,
                vec![CellBox {
                    x: MARGIN,
                    lines: vec![line],
                }],
                0.0,
            );
            unit.keep_with_next = i + 1 < n;
            self.push(unit);
        }
    }

    fn key_values(&mut self, pairs: &[(String, String)]) {
        let label_face = self.faces.get(KV_LABEL.weight);
        let natural = pairs
            .iter()
            .flat_map(|(k, _)| {
                sanitize(k)
                    .split('\n')
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .map(|k| label_face.width(&k, KV_LABEL.size))
            .fold(0.0, f32::max);
        let label_w = natural.clamp(CONTENT_W * 0.22, CONTENT_W * 0.36);
        let value_x = MARGIN + label_w + KV_GAP;
        let value_w = CONTENT_W - label_w - KV_GAP;
        for (i, (k, v)) in pairs.iter().enumerate() {
            let mut unit = self.single(
                Kind::KeyValue,
                vec![
                    CellBox {
                        x: MARGIN,
                        lines: lines(self.faces, k, KV_LABEL, label_w),
                    },
                    CellBox {
                        x: value_x,
                        lines: lines(self.faces, v, KV_VALUE, value_w),
                    },
                ],
                if i == 0 { KV_BEFORE } else { 0.0 },
            );
            unit.pad_top = 2.5;
            unit.pad_bottom = 2.5;
            unit.continued = lines(self.faces, CONTINUED_TEXT, CONTINUED, label_w);
            unit.deco = Deco::Underline {
                x0: MARGIN,
                x1: PAGE_W - MARGIN,
                color: LIGHT_RULE,
                thickness: 0.4,
            };
            self.push(unit);
        }
    }

    /// Form-style fields: a small label above each value, `per_row` fields side by side. One
    /// unit per row of fields (a row is not split unless taller than a page).
    fn fields(&mut self, per_row: usize, fields: &[(String, String)]) {
        let per_row = per_row.clamp(1, 6);
        let col_w = (CONTENT_W - FIELD_GAP * (per_row - 1) as f32) / per_row as f32;
        for (i, row) in fields.chunks(per_row).enumerate() {
            let cells = row
                .iter()
                .enumerate()
                .map(|(j, (label, value))| {
                    let mut ls = lines(self.faces, label, FIELD_LABEL, col_w);
                    ls.extend(lines(self.faces, value, KV_VALUE, col_w));
                    CellBox {
                        x: MARGIN + j as f32 * (col_w + FIELD_GAP),
                        lines: ls,
                    }
                })
                .collect();
            let mut unit = self.single(Kind::KeyValue, cells, if i == 0 { KV_BEFORE } else { 0.0 });
            unit.pad_top = 2.5;
            unit.pad_bottom = 3.0;
            unit.continued = lines(self.faces, CONTINUED_TEXT, CONTINUED, col_w);
            unit.deco = Deco::Underline {
                x0: MARGIN,
                x1: PAGE_W - MARGIN,
                color: LIGHT_RULE,
                thickness: 0.4,
            };
            self.push(unit);
        }
    }

    fn table(
        &mut self,
        block: usize,
        columns: &[Column],
        rows: &[Vec<Cell>],
    ) -> Result<(), PdfError> {
        if columns.is_empty() {
            return Err(PdfError::TableWithoutColumns { block });
        }
        for (column, c) in columns.iter().enumerate() {
            if !(c.width.is_finite() && c.width > 0.0) {
                return Err(PdfError::ColumnWidth {
                    block,
                    column,
                    width: c.width,
                });
            }
        }
        if let Some((row, r)) = rows
            .iter()
            .enumerate()
            .find(|(_, r)| r.len() > columns.len())
        {
            return Err(PdfError::RowTooWide {
                block,
                row,
                cells: r.len(),
                columns: columns.len(),
            });
        }
        let total: f32 = columns.iter().map(|c| c.width).sum();
        let mut edges = vec![MARGIN];
        for c in columns {
            let last = edges.last().copied().unwrap_or(MARGIN);
            edges.push(last + CONTENT_W * c.width / total);
        }
        // Pin the right edge exactly to the margin (no float drift).
        if let Some(last) = edges.last_mut() {
            *last = PAGE_W - MARGIN;
        }
        let inner = |i: usize| {
            (
                edges[i] + CELL_PAD_X,
                edges[i + 1] - edges[i] - 2.0 * CELL_PAD_X,
            )
        };

        // A paragraph or note just before a table introduces it: its last line stays with the
        // table's header (and so with the first row).
        if let Some(last) = self.units.last_mut() {
            if matches!(last.kind, Kind::ParagraphLine | Kind::NoteLine) {
                last.keep_with_next = true;
            }
        }
        let header = Unit {
            kind: Kind::TableHeader,
            space_before: TABLE_BEFORE,
            keep_with_next: !rows.is_empty(),
            table: None,
            pad_top: CELL_PAD_Y + 1.0,
            pad_bottom: CELL_PAD_Y + 1.0,
            cells: columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let (x, w) = inner(i);
                    CellBox {
                        x,
                        lines: lines(self.faces, &c.title, TH, w),
                    }
                })
                .collect(),
            deco: Deco::TableRow {
                fill: Some(HEADER_FILL),
                edges: edges.clone(),
            },
            continued: Vec::new(),
            anchors: Vec::new(),
        };
        let continued = lines(self.faces, CONTINUED_TEXT, CONTINUED, inner(0).1);
        let table_index = self.table_headers.len();
        let mut repeat = header.clone();
        repeat.space_before = 0.0;
        repeat.keep_with_next = false;
        self.table_headers.push(repeat);
        self.push(header);

        let warn_prefix = if self.faces.get(TD_FLAG.weight).has_glyph('\u{26A0}') {
            "\u{26A0} "
        } else {
            ""
        };
        for (r, row) in rows.iter().enumerate() {
            let cells = (0..columns.len())
                .map(|i| {
                    let (x, w) = inner(i);
                    let mut ls = Vec::new();
                    let cell = row.get(i);
                    let text = cell.map_or("", |c| c.text.as_str());
                    let flag = cell.and_then(|c| c.flag.as_deref());
                    if !text.is_empty() || flag.is_none() {
                        ls.extend(lines(self.faces, text, TD, w));
                    }
                    if let Some(flag) = flag {
                        ls.extend(lines(
                            self.faces,
                            &format!("{warn_prefix}{flag}"),
                            TD_FLAG,
                            w,
                        ));
                    }
                    CellBox { x, lines: ls }
                })
                .collect();
            self.push(Unit {
                kind: Kind::TableRow,
                space_before: 0.0,
                keep_with_next: false,
                table: Some(table_index),
                pad_top: CELL_PAD_Y,
                pad_bottom: CELL_PAD_Y,
                cells,
                deco: Deco::TableRow {
                    fill: (r % 2 == 1).then_some(ZEBRA_FILL),
                    edges: edges.clone(),
                },
                continued: continued.clone(),
                anchors: row.iter().filter_map(|c| c.anchor.clone()).collect(),
            });
        }
        Ok(())
    }
}

impl Builder<'_> {
    /// Measures one block; `index` is its place in the document, for error messages (a
    /// block inside [`Block::KeepTogether`] reports the group's index).
    fn block(&mut self, index: usize, block: &Block) -> Result<(), PdfError> {
        match block {
            Block::Heading(t) => self.heading(t),
            Block::Paragraph(t) => self.flowing(t, BODY, Kind::ParagraphLine, PARAGRAPH_BEFORE),
            Block::Note(t) => self.flowing(t, NOTE, Kind::NoteLine, NOTE_BEFORE),
            Block::KeyValues(pairs) => self.key_values(pairs),
            Block::Fields { per_row, fields } => self.fields(*per_row, fields),
            Block::Table { columns, rows } => self.table(index, columns, rows)?,
            Block::Spacer => self.pending += SPACER,
            Block::Chart(c) => self.chart(c),
            Block::Signature(s) => self.signature(s),
            Block::Anchor(id) => self.pending_anchors.push(id.clone()),
            Block::KeepTogether(inner) => {
                let first = self.units.len();
                for b in inner {
                    self.block(index, b)?;
                }
                // Chain every unit of the group to the next; the paginator keeps a chain on
                // one page unless it is taller than a page.
                let last = self.units.len().saturating_sub(1);
                if let Some(units) = self.units.get_mut(first..last) {
                    for u in units {
                        u.keep_with_next = true;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Measures every block into units.
pub(crate) fn build_units(
    faces: &Faces,
    blocks: &[Block],
) -> Result<(Vec<Unit>, Vec<Unit>), PdfError> {
    let mut b = Builder {
        faces,
        units: Vec::new(),
        table_headers: Vec::new(),
        pending: 0.0,
        pending_anchors: Vec::new(),
    };
    for (i, block) in blocks.iter().enumerate() {
        b.block(i, block)?;
    }
    // Nothing follows the last unit, so there is nothing to keep it with.
    if let Some(last) = b.units.last_mut() {
        last.keep_with_next = false;
        // Anchors after the last block mark the end of the document: its last unit's page.
        last.anchors.append(&mut b.pending_anchors);
    }
    Ok((b.units, b.table_headers))
}

/// Breaks units into pages between `top` and `bottom`.
///
/// * A unit that fits on the current page goes there; otherwise a new page starts.
/// * `keep_with_next` chains (heading → table header → first row, first two lines of a
///   paragraph, …) must fit together, unless the chain is taller than a whole page.
/// * A table row that starts a page gets the table's header row repeated above it.
/// * A unit taller than a whole page is split line by line (per cell), filling the current page
///   first and continuing on the next; this is the only way a row is ever split.
pub(crate) fn paginate(
    units: Vec<Unit>,
    table_headers: &[Unit],
    top: f32,
    bottom: f32,
) -> Vec<Vec<Placed>> {
    let body_h = bottom - top;
    let header_h = |u: &Unit| {
        u.table
            .and_then(|t| table_headers.get(t))
            .map_or(0.0, Unit::height)
    };
    // Space a unit needs on a fresh page (the repeated table header included).
    let capacity = |u: &Unit| body_h - header_h(u);
    let oversize = |u: &Unit| u.height() > capacity(u) + EPS;
    // Height that must fit for `u` to be started here: all of it, or just a first piece.
    let start_h = |u: &Unit| {
        if oversize(u) {
            u.min_piece_height()
        } else {
            u.height()
        }
    };

    let mut pages: Vec<Vec<Placed>> = vec![Vec::new()];
    let mut y = top;
    let mut queue: VecDeque<Unit> = units.into();
    while let Some(unit) = queue.pop_front() {
        let mut at_top = pages.last().is_none_or(Vec::is_empty);
        let gap = |at_top: bool| if at_top { 0.0 } else { unit.space_before };

        // Height needed here: this unit plus its keep-with-next chain.
        let mut need = gap(at_top) + start_h(&unit);
        if unit.keep_with_next && !oversize(&unit) {
            let mut chain = unit.height();
            for next in &queue {
                chain += next.space_before + start_h(next);
                if !next.keep_with_next {
                    break;
                }
            }
            if chain <= body_h + EPS {
                need = gap(at_top) + chain;
            }
        }
        if !at_top && y + need > bottom + EPS {
            pages.push(Vec::new());
            y = top;
            at_top = true;
        }
        if at_top {
            if let Some(h) = unit.table.and_then(|t| table_headers.get(t)) {
                if let Some(page) = pages.last_mut() {
                    page.push(Placed { y, unit: h.clone() });
                }
                y += h.height();
            }
        }
        y += gap(at_top);
        let avail = bottom - y;
        let (place, rest) = if unit.height() <= avail + EPS {
            (unit, None)
        } else {
            match unit.split(avail, at_top) {
                Some((first, rest)) => (first, Some(rest)),
                None if !at_top => {
                    // Not even one line fits here: retry on a fresh page.
                    queue.push_front(unit);
                    pages.push(Vec::new());
                    y = top;
                    continue;
                }
                // Nothing of it fits even on a fresh page: place it and let it overflow (only
                // possible with absurd sizes; keeps layout terminating).
                None => (unit, None),
            }
        };
        let h = place.height();
        if let Some(page) = pages.last_mut() {
            page.push(Placed { y, unit: place });
        }
        y += h;
        if let Some(rest) = rest {
            queue.push_front(rest);
            pages.push(Vec::new());
            y = top;
        }
    }
    pages
}

/// Lays out the whole document.
pub(crate) fn layout(
    faces: &Faces,
    header: &PageHeader,
    blocks: &[Block],
) -> Result<Layout, PdfError> {
    let chrome = chrome(faces, header);
    let (units, table_headers) = build_units(faces, blocks)?;
    let pages = paginate(units, &table_headers, chrome.body_top, chrome.body_bottom);
    let mut anchors = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        for placed in page {
            for a in &placed.unit.anchors {
                anchors.entry(a.clone()).or_insert(i + 1);
            }
        }
    }
    Ok(Layout {
        chrome,
        pages,
        anchors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::faces;

    fn header() -> PageHeader {
        PageHeader {
            clinic_name: "Clinic".into(),
            document_title: "Title".into(),
            patient_line: "Ødegård, Łucja".into(),
            generated_line: "Generated now".into(),
            signed_line: None,
        }
    }

    fn lay(blocks: &[Block]) -> Layout {
        layout(faces().expect("fonts"), &header(), blocks).expect("layout")
    }

    fn filler(n: usize) -> Block {
        Block::Paragraph(
            (0..n)
                .map(|i| format!("Filler line {i}"))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    }

    fn table(rows: usize, long_every: usize) -> Block {
        Block::Table {
            columns: vec![
                Column::new("Ref", 1.0),
                Column::new("Details", 4.0),
                Column::new("Status", 1.5),
            ],
            rows: (0..rows)
                .map(|i| {
                    let details = if long_every > 0 && i % long_every == 0 {
                        "a long wrapping sentence about dosing and follow-up ".repeat(4)
                    } else {
                        "short".to_owned()
                    };
                    vec![
                        Cell::new(format!("Row-{i:03}")),
                        Cell::new(details),
                        Cell::flagged("open", "no stop date"),
                    ]
                })
                .collect(),
        }
    }

    /// Every placed unit lies inside the body area.
    fn assert_inside_body(l: &Layout) {
        for page in &l.pages {
            for p in page {
                assert!(p.y >= l.chrome.body_top - EPS, "{p:?}");
                assert!(p.y + p.unit.height() <= l.chrome.body_bottom + EPS, "{p:?}");
            }
        }
    }

    fn last_kind(page: &[Placed]) -> Option<Kind> {
        page.last().map(|p| p.unit.kind)
    }

    #[test]
    fn heading_is_never_the_last_unit_on_a_page_and_keep_rule_fires() {
        let mut moved = 0;
        let mut stayed = 0;
        for n in 30..55 {
            for follow in [filler(3), table(5, 0), filler(1)] {
                let l = lay(&[filler(n), Block::Heading("Section".into()), follow.clone()]);
                assert_inside_body(&l);
                for (i, page) in l.pages.iter().enumerate() {
                    if i + 1 < l.pages.len() {
                        assert_ne!(last_kind(page), Some(Kind::Heading), "n={n}");
                        assert_ne!(last_kind(page), Some(Kind::TableHeader), "n={n}");
                    }
                    if page.first().map(|p| p.unit.kind) == Some(Kind::Heading) && i > 0 {
                        let prev = &l.pages[i - 1];
                        let bottom = prev.last().map_or(0.0, |p| p.y + p.unit.height());
                        // Would the heading alone have fitted on the previous page?
                        if bottom + HEADING_BEFORE + page[0].unit.height() <= l.chrome.body_bottom {
                            moved += 1;
                        }
                    } else if page.iter().any(|p| p.unit.kind == Kind::Heading) {
                        stayed += 1;
                    }
                }
            }
        }
        assert!(moved > 0, "the sweep never exercised keep-with-next");
        assert!(stayed > 0);
    }

    #[test]
    fn long_table_repeats_header_and_never_splits_normal_rows() {
        let l = lay(&[table(120, 7)]);
        assert!(l.pages.len() >= 3, "{}", l.pages.len());
        assert_inside_body(&l);
        for page in &l.pages {
            assert_eq!(page.first().map(|p| p.unit.kind), Some(Kind::TableHeader));
            assert_eq!(
                page.iter()
                    .filter(|p| p.unit.kind == Kind::TableHeader)
                    .count(),
                1
            );
        }
        let rows: Vec<&Placed> = l
            .pages
            .iter()
            .flatten()
            .filter(|p| p.unit.kind == Kind::TableRow)
            .collect();
        assert_eq!(rows.len(), 120, "a row was split or lost");
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(r.unit.cells[0].lines[0].text, format!("Row-{i:03}"));
        }
        // Zebra striping alternates.
        let fills: Vec<bool> = rows
            .iter()
            .map(|r| matches!(r.unit.deco, Deco::TableRow { fill: Some(_), .. }))
            .collect();
        assert!(fills.windows(2).all(|w| w[0] != w[1]));
    }

    #[test]
    fn row_taller_than_a_page_is_split_without_losing_lines() {
        let text: Vec<String> = (0..150).map(|i| format!("line {i}")).collect();
        let l = lay(&[
            Block::Heading("Big".into()),
            Block::Table {
                columns: vec![Column::new("A", 1.0), Column::new("B", 1.0)],
                rows: vec![
                    vec![Cell::new("before"), Cell::new("x")],
                    vec![Cell::new("huge"), Cell::new(text.join("\n"))],
                    vec![Cell::new("after"), Cell::new("y")],
                ],
            },
        ]);
        assert_inside_body(&l);
        let pieces: Vec<&Placed> = l
            .pages
            .iter()
            .flatten()
            .filter(|p| p.unit.kind == Kind::TableRow)
            .collect();
        assert!(pieces.len() >= 4, "{}", pieces.len());
        let got: Vec<String> = pieces
            .iter()
            .flat_map(|p| p.unit.cells[1].lines.iter().map(|l| l.text.clone()))
            .filter(|t| t.starts_with("line "))
            .collect();
        assert_eq!(got, text);
        // Continuation pieces say so in the first column.
        let huge: Vec<&&Placed> = pieces
            .iter()
            .filter(|p| {
                p.unit.cells[1]
                    .lines
                    .iter()
                    .any(|l| l.text.starts_with("line "))
            })
            .collect();
        assert_eq!(huge[0].unit.cells[0].lines[0].text, "huge");
        for p in &huge[1..] {
            assert_eq!(p.unit.cells[0].lines[0].text, CONTINUED_TEXT);
        }
        // Every continuation page starts with the repeated header.
        for page in &l.pages[1..] {
            assert_eq!(page.first().map(|p| p.unit.kind), Some(Kind::TableHeader));
        }
    }

    #[test]
    fn every_line_fits_its_cell() {
        let id = "MEMBERID0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdef";
        assert_eq!(id.len(), 60);
        let l = lay(&[
            Block::Table {
                columns: vec![
                    Column::new("Narrow", 0.6),
                    Column::new("Member ID", 1.0),
                    Column::new("Notes", 2.0),
                ],
                rows: vec![vec![
                    Cell::flagged("WWWWWWWWWWWWWWWWWWWW", "a fairly long warning flag text"),
                    Cell::new(id),
                    Cell::new("ÆØÅ æøå Łódź — “quoted” ".repeat(6)),
                ]],
            },
            Block::KeyValues(vec![(
                "A label that is much too long to fit the label column".into(),
                id.repeat(3),
            )]),
        ]);
        let faces = faces().expect("fonts");
        let mut checked = 0;
        for p in l.pages.iter().flatten() {
            let u = &p.unit;
            let right_edges: Vec<f32> = match &u.deco {
                Deco::TableRow { edges, .. } => edges[1..].iter().map(|e| e - CELL_PAD_X).collect(),
                _ => {
                    let mut v: Vec<f32> = u.cells[1..].iter().map(|c| c.x - KV_GAP).collect();
                    v.push(PAGE_W - MARGIN);
                    v
                }
            };
            for (cell, right) in u.cells.iter().zip(right_edges) {
                for line in &cell.lines {
                    let w = faces
                        .get(line.style.weight)
                        .width(&line.text, line.style.size);
                    assert!(cell.x + w <= right + 0.01, "{:?} overflows", line.text);
                    checked += 1;
                }
            }
        }
        assert!(checked > 10);
        // The 60-character ID was broken by characters and nothing was lost.
        let row = &l.pages[0][1].unit;
        let joined: String = row.cells[1].lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(joined, id);
        assert!(row.cells[1].lines.len() > 1);
    }

    #[test]
    fn empty_strings_still_take_a_line() {
        let l = lay(&[
            Block::Paragraph(String::new()),
            Block::Heading(String::new()),
            Block::Table {
                columns: vec![Column::new("", 1.0)],
                rows: vec![vec![Cell::new("")], vec![]],
            },
            Block::KeyValues(vec![(String::new(), String::new())]),
            Block::Note(String::new()),
        ]);
        let units: Vec<&Placed> = l.pages.iter().flatten().collect();
        assert_eq!(units.len(), 7);
        assert!(units.iter().all(|p| p.unit.height() > 0.0));
    }

    #[test]
    fn spacer_adds_space_but_collapses_at_page_top() {
        let l = lay(&[Block::Spacer, Block::Paragraph("a".into())]);
        assert!((l.pages[0][0].y - l.chrome.body_top).abs() < EPS);
        let l2 = lay(&[
            Block::Paragraph("a".into()),
            Block::Spacer,
            Block::Paragraph("b".into()),
        ]);
        let l3 = lay(&[Block::Paragraph("a".into()), Block::Paragraph("b".into())]);
        assert!((l2.pages[0][1].y - l3.pages[0][1].y - SPACER).abs() < EPS);
    }

    #[test]
    fn table_shape_errors() {
        let f = faces().expect("fonts");
        let bad = |b: Block| layout(f, &header(), &[Block::Spacer, b]).err();
        assert_eq!(
            bad(Block::Table {
                columns: vec![],
                rows: vec![]
            }),
            Some(PdfError::TableWithoutColumns { block: 1 })
        );
        assert_eq!(
            bad(Block::Table {
                columns: vec![Column::new("a", 1.0), Column::new("b", 0.0)],
                rows: vec![]
            }),
            Some(PdfError::ColumnWidth {
                block: 1,
                column: 1,
                width: 0.0
            })
        );
        assert!(matches!(
            bad(Block::Table {
                columns: vec![Column::new("a", f32::NAN)],
                rows: vec![]
            }),
            Some(PdfError::ColumnWidth { .. })
        ));
        assert_eq!(
            bad(Block::Table {
                columns: vec![Column::new("a", 1.0)],
                rows: vec![vec![Cell::new("1")], vec![Cell::new("1"), Cell::new("2")]]
            }),
            Some(PdfError::RowTooWide {
                block: 1,
                row: 1,
                cells: 2,
                columns: 1
            })
        );
    }

    #[test]
    fn long_header_fields_wrap_and_push_the_body_down() {
        let f = faces().expect("fonts");
        let short = chrome(f, &header());
        let mut h = header();
        h.document_title = "A very long document title ".repeat(8);
        h.signed_line = Some("Signed".into());
        h.generated_line = "Generated by a very long process description ".repeat(5);
        let long = chrome(f, &h);
        assert!(long.body_top > short.body_top + 40.0);
        assert!(long.footer_left.len() > 1);
        assert!(long.body_bottom < short.body_bottom);
    }

    /// The 1-based page a placed unit satisfying `f` is on.
    fn page_where(l: &Layout, f: impl Fn(&Unit) -> bool) -> Option<usize> {
        l.pages
            .iter()
            .position(|page| page.iter().any(|p| f(&p.unit)))
            .map(|i| i + 1)
    }

    #[test]
    fn anchors_land_where_the_next_unit_or_their_row_is_placed() {
        let rows: Vec<Vec<Cell>> = (0..120)
            .map(|i| vec![Cell::new(format!("Row-{i:03}")).anchored(format!("row:{i}"))])
            .collect();
        let l = lay(&[
            Block::Anchor("start".into()),
            Block::Heading("First".into()),
            filler(70),
            Block::Anchor("after-filler".into()),
            Block::Anchor("twice".into()),
            Block::Paragraph("Marker paragraph".into()),
            Block::Table {
                columns: vec![Column::new("Ref", 1.0)],
                rows,
            },
            Block::Anchor("end".into()),
        ]);
        assert!(l.pages.len() >= 4);
        assert_eq!(l.anchors["start"], 1);
        let marker = page_where(&l, |u| {
            u.cells
                .iter()
                .any(|c| c.lines.iter().any(|x| x.text == "Marker paragraph"))
        })
        .unwrap();
        assert!(marker > 1);
        assert_eq!(l.anchors["after-filler"], marker);
        assert_eq!(l.anchors["twice"], marker);
        for i in 0..120 {
            let page = page_where(&l, |u| {
                u.kind == Kind::TableRow && u.cells[0].lines[0].text == format!("Row-{i:03}")
            })
            .unwrap();
            assert_eq!(l.anchors[&format!("row:{i}")], page, "row {i}");
        }
        assert_eq!(l.anchors["end"], l.pages.len());
        // Repeated table headers carry no anchors.
        assert!(l
            .pages
            .iter()
            .flatten()
            .filter(|p| p.unit.kind == Kind::TableHeader)
            .all(|p| p.unit.anchors.is_empty()));
    }

    #[test]
    fn an_anchor_on_a_split_row_is_on_the_page_the_row_starts() {
        let text: Vec<String> = (0..150).map(|i| format!("line {i}")).collect();
        let l = lay(&[
            filler(20),
            Block::Table {
                columns: vec![Column::new("A", 1.0), Column::new("B", 1.0)],
                rows: vec![vec![
                    Cell::new("huge").anchored("huge"),
                    Cell::new(text.join("\n")),
                ]],
            },
        ]);
        assert!(l.pages.len() >= 3);
        assert_eq!(l.anchors["huge"], 1);
    }

    #[test]
    fn a_paragraph_introducing_a_table_stays_with_its_header() {
        let mut moved = 0;
        for n in 35..55 {
            let l = lay(&[
                filler(n),
                Block::Note("Introduces the table".into()),
                table(5, 0),
            ]);
            let page =
                page_where(&l, |u| u.cells[0].lines[0].text == "Introduces the table").unwrap();
            let header = page_where(&l, |u| u.kind == Kind::TableHeader).unwrap();
            assert_eq!(page, header, "n={n}");
            if page > 1 && l.pages[page - 1][0].unit.kind == Kind::NoteLine {
                moved += 1;
            }
        }
        assert!(moved > 0, "the sweep never moved the introduction");
    }

    #[test]
    fn keep_together_moves_a_group_to_the_next_page_whole() {
        let group = || {
            Block::KeepTogether(vec![
                Block::Paragraph("I certify this.\nSecond line.".into()),
                Block::Fields {
                    per_row: 2,
                    fields: vec![
                        ("Provider".into(), "Dr A".into()),
                        ("NPI".into(), "1234567893".into()),
                        ("Signature".into(), "\n\n________".into()),
                        ("Date".into(), "\n\n____".into()),
                    ],
                },
            ])
        };
        let mut moved = 0;
        for n in 30..50 {
            let l = lay(&[filler(n), group(), Block::Paragraph("after".into())]);
            assert_inside_body(&l);
            let group_pages: Vec<usize> = l
                .pages
                .iter()
                .enumerate()
                .filter(|(_, page)| {
                    page.iter().any(|p| {
                        p.unit.kind == Kind::KeyValue
                            || p.unit.cells[0].lines.iter().any(|x| {
                                x.text.starts_with("I certify") || x.text == "Second line."
                            })
                    })
                })
                .map(|(i, _)| i)
                .collect();
            assert_eq!(group_pages.len(), 1, "n={n}: the group was split");
            let g = group_pages[0];
            if g > 0 && l.pages[g][0].unit.cells[0].lines[0].text == "I certify this." {
                moved += 1;
            }
        }
        assert!(moved > 0, "the sweep never moved the group");
    }

    #[test]
    fn fields_sit_side_by_side_within_their_columns() {
        let l = lay(&[Block::Fields {
            per_row: 3,
            fields: (0..5)
                .map(|i| (format!("Label {i}"), format!("value {i} ").repeat(6)))
                .collect(),
        }]);
        let units: Vec<&Placed> = l.pages.iter().flatten().collect();
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].unit.cells.len(), 3);
        assert_eq!(units[1].unit.cells.len(), 2);
        let faces = faces().expect("fonts");
        let col_w = (CONTENT_W - 2.0 * FIELD_GAP) / 3.0;
        for u in &units {
            let xs: Vec<f32> = u.unit.cells.iter().map(|c| c.x).collect();
            assert!(xs.windows(2).all(|w| w[1] > w[0] + col_w - EPS));
            for c in &u.unit.cells {
                assert_eq!(c.lines[0].style, FIELD_LABEL);
                assert!(c.lines.len() > 2, "long values wrap");
                for line in &c.lines {
                    let w = faces
                        .get(line.style.weight)
                        .width(&line.text, line.style.size);
                    assert!(w <= col_w + 0.01, "{:?} overflows", line.text);
                }
            }
        }
    }
}
