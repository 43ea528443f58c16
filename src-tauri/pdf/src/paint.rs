//! Turns a [`Layout`] into printpdf pages (one `Vec<Op>` per page).

use printpdf::{
    Color, FontId, Line as PdfLine, LinePoint, Op, PaintMode, PdfFontHandle, PdfPage, Point, Pt,
    Rect, Rgb as PdfRgb, TextItem, TextMatrix, WindingOrder,
};

use crate::fonts::{Faces, Weight};
use crate::layout::{
    ChartDeco, Chrome, Deco, Layout, Line, Placed, Rgb, BAND_FILLS, CONTENT_LEFT, CONTENT_RIGHT,
    FOOTER_STYLE, PAGE_H, PAGE_W, RULE, SERIES,
};

const GRID_LINE: Rgb = [0.76, 0.79, 0.83];
/// US Letter in mm, as printpdf takes it (612 × 792 pt).
const PAGE_W_MM: f32 = 215.9;
const PAGE_H_MM: f32 = 279.4;
/// Opaque light grey: the watermark is painted over backgrounds but under text and rules.
const WATERMARK: Rgb = [0.84, 0.84, 0.86];

/// Resource ids registered on the document.
pub(crate) struct Resources {
    pub(crate) regular: FontId,
    pub(crate) bold: FontId,
}

fn color(c: Rgb) -> Color {
    Color::Rgb(PdfRgb::new(c[0], c[1], c[2], None))
}

fn point(x: f32, y_from_top: f32) -> Point {
    Point {
        x: Pt(x),
        y: Pt(PAGE_H - y_from_top),
    }
}

struct Painter<'a> {
    faces: &'a Faces,
    res: &'a Resources,
    /// Background fills, painted first.
    back: Vec<Op>,
    /// Text and rules, painted last (after the watermark).
    ops: Vec<Op>,
}

impl Painter<'_> {
    fn font(&self, weight: Weight) -> PdfFontHandle {
        PdfFontHandle::External(match weight {
            Weight::Regular => self.res.regular.clone(),
            Weight::Bold => self.res.bold.clone(),
        })
    }

    /// Draws `line` in a line box whose top is at `top`, starting at `x`.
    ///
    /// The baseline centres the face's cap height in the line box, which keeps descenders and
    /// accents inside the box for the line heights used here.
    fn text(&mut self, x: f32, top: f32, line: &Line) {
        if line.text.is_empty() {
            return;
        }
        let st = line.style;
        let face = self.faces.get(st.weight);
        let baseline = top + st.lh / 2.0 + face.cap_height * st.size / 2.0;
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: self.font(st.weight),
                size: Pt(st.size),
            },
            Op::SetFillColor {
                col: color(st.color),
            },
            // Inside a fresh BT the text matrix is the identity, so this `Td` is absolute.
            Op::SetTextCursor {
                pos: point(x + line.dx, baseline),
            },
            Op::ShowText {
                items: vec![TextItem::Text(face.drawable_text(&line.text))],
            },
            Op::EndTextSection,
        ]);
    }

    fn fill_rect(&mut self, x: f32, top: f32, w: f32, h: f32, c: Rgb) {
        self.back.extend([
            Op::SetFillColor { col: color(c) },
            Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(x),
                    y: Pt(PAGE_H - top - h),
                    width: Pt(w),
                    height: Pt(h),
                    mode: Some(PaintMode::Fill),
                    winding_order: Some(WindingOrder::NonZero),
                },
            },
        ]);
    }

    fn line(&mut self, from: (f32, f32), to: (f32, f32), c: Rgb, thickness: f32) {
        self.ops.extend([
            Op::SetOutlineColor { col: color(c) },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawLine {
                line: PdfLine {
                    points: vec![
                        LinePoint {
                            p: point(from.0, from.1),
                            bezier: false,
                        },
                        LinePoint {
                            p: point(to.0, to.1),
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            },
        ]);
    }

    fn unit(&mut self, placed: &Placed) {
        let u = &placed.unit;
        let (top, h) = (placed.y, u.height());
        if let Deco::TableRow {
            fill: Some(fill),
            edges,
        } = &u.deco
        {
            if let (Some(&x0), Some(&x1)) = (edges.first(), edges.last()) {
                self.fill_rect(x0, top, x1 - x0, h, *fill);
            }
        }
        for cell in &u.cells {
            let mut line_top = top + u.pad_top;
            for line in &cell.lines {
                self.text(cell.x, line_top, line);
                line_top += line.style.lh;
            }
        }
        match &u.deco {
            Deco::None => {}
            Deco::Underline {
                x0,
                x1,
                color,
                thickness,
            } => self.line((*x0, top + h), (*x1, top + h), *color, *thickness),
            Deco::Chart(c) => self.chart(top, c),
            Deco::Signature(s) => self.signature(top, s),
            Deco::TableRow { edges, .. } => {
                if let (Some(&x0), Some(&x1)) = (edges.first(), edges.last()) {
                    self.line((x0, top), (x1, top), GRID_LINE, 0.5);
                    self.line((x0, top + h), (x1, top + h), GRID_LINE, 0.5);
                }
                for &x in edges {
                    self.line((x, top), (x, top + h), GRID_LINE, 0.5);
                }
            }
        }
    }

    /// A signature: a light box with a signing line, the strokes in ink on top.
    fn signature(&mut self, unit_top: f32, s: &crate::layout::SignatureDeco) {
        let (x0, top) = (s.x, unit_top + s.dy);
        let (x1, bottom) = (x0 + s.w, top + s.h);
        for (a, b) in [
            ((x0, top), (x1, top)),
            ((x1, top), (x1, bottom)),
            ((x0, bottom), (x1, bottom)),
            ((x0, top), (x0, bottom)),
        ] {
            self.line(a, b, GRID_LINE, 0.5);
        }
        self.line(
            (x0 + 8.0, bottom - 14.0),
            (x1 - 8.0, bottom - 14.0),
            RULE,
            0.5,
        );
        let ink = crate::layout::INK;
        for stroke in &s.strokes {
            if let [only] = stroke.as_slice() {
                self.dot(x0 + only.0, top + only.1, 1.6, ink);
                continue;
            }
            self.ops.extend([
                Op::SetOutlineColor { col: color(ink) },
                Op::SetOutlineThickness { pt: Pt(1.1) },
                Op::DrawLine {
                    line: PdfLine {
                        points: stroke
                            .iter()
                            .map(|&(x, y)| LinePoint {
                                p: point(x0 + x, top + y),
                                bezier: false,
                            })
                            .collect(),
                        is_closed: false,
                    },
                },
            ]);
        }
    }

    /// A filled square in the front layer (series markers sit on top of the line).
    fn dot(&mut self, x: f32, y: f32, size: f32, c: Rgb) {
        self.ops.extend([
            Op::SetFillColor { col: color(c) },
            Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(x - size / 2.0),
                    y: Pt(PAGE_H - y - size / 2.0),
                    width: Pt(size),
                    height: Pt(size),
                    mode: Some(PaintMode::Fill),
                    winding_order: Some(WindingOrder::NonZero),
                },
            },
        ]);
    }

    fn label(&mut self, x: f32, top: f32, text: &str, c: &ChartDeco) {
        self.text(
            x,
            top,
            &Line {
                text: text.to_string(),
                style: c.label,
                dx: 0.0,
            },
        );
    }

    /// Bands behind, then grid, axes, markers, the series and the labels.
    fn chart(&mut self, unit_top: f32, c: &ChartDeco) {
        let ch = &c.chart;
        let (x0, w, top, h) = (c.x, c.w, unit_top + c.dy, c.h);
        let span_y = (ch.y_max - ch.y_min).max(f32::EPSILON);
        let span_x = (ch.x_max - ch.x_min).max(f32::EPSILON);
        let y_of = |v: f32| top + h - (v.clamp(ch.y_min, ch.y_max) - ch.y_min) / span_y * h;
        let x_of = |v: f32| x0 + (v.clamp(ch.x_min, ch.x_max) - ch.x_min) / span_x * w;
        let lh = c.label.lh;
        for (i, b) in ch.bands.iter().enumerate() {
            // Bands are whole-number ranges: shade from the bottom of `from` to the top of `to`.
            let (y_top, y_bottom) = (y_of(b.to + 0.5), y_of(b.from - 0.5));
            let fill = BAND_FILLS[i.min(BAND_FILLS.len() - 1)];
            self.fill_rect(x0, y_top, w, y_bottom - y_top, fill);
            self.label(
                x0 + w + 4.0,
                (y_top + y_bottom) / 2.0 - lh / 2.0,
                &b.label,
                c,
            );
        }
        // Axes and y ticks at each band's lower bound and at the ends.
        self.line((x0, top), (x0, top + h), RULE, 0.6);
        self.line((x0, top + h), (x0 + w, top + h), RULE, 0.6);
        let mut ticks: Vec<f32> = ch.bands.iter().map(|b| b.from).collect();
        ticks.push(ch.y_min);
        ticks.push(ch.y_max);
        ticks.sort_by(|a, b| a.total_cmp(b));
        ticks.dedup();
        for t in ticks {
            let y = y_of(t);
            self.line((x0 - 3.0, y), (x0, y), RULE, 0.6);
            let text = format!("{t:.0}");
            let tw = self.faces.get(c.label.weight).width(&text, c.label.size);
            self.label(x0 - 5.0 - tw, y - lh / 2.0, &text, c);
        }
        for m in &ch.markers {
            let x = x_of(*m);
            self.line((x, top), (x, top + h), RULE, 0.4);
        }
        for (x, text) in &ch.x_labels {
            let px = x_of(*x);
            self.line((px, top + h), (px, top + h + 3.0), RULE, 0.6);
            let tw = self.faces.get(c.label.weight).width(text, c.label.size);
            let left = (px - tw / 2.0).clamp(x0 - 8.0, x0 + w + 8.0 - tw);
            self.label(left, top + h + 4.0, text, c);
        }
        for pair in ch.points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            self.line((x_of(a.0), y_of(a.1)), (x_of(b.0), y_of(b.1)), SERIES, 1.4);
        }
        for (x, y) in &ch.points {
            self.dot(x_of(*x), y_of(*y), 4.0, SERIES);
        }
    }

    fn watermark(&mut self, text: &str) {
        let text = crate::text::sanitize(text).replace('\n', " ");
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let face = self.faces.get(Weight::Bold);
        let angle = PAGE_H.atan2(PAGE_W);
        let diagonal = PAGE_W.hypot(PAGE_H);
        let em = face.width(text, 1.0).max(0.01);
        let size = (diagonal * 0.62 / em).clamp(8.0, 72.0);
        let (sin, cos) = angle.sin_cos();
        let w = em * size;
        let half_cap = face.cap_height * size / 2.0;
        // Start so that the middle of the text (half its width along the baseline, half the
        // cap height across it) sits at the centre of the page.
        let x = PAGE_W / 2.0 - cos * w / 2.0 + sin * half_cap;
        let y = PAGE_H / 2.0 - sin * w / 2.0 - cos * half_cap;
        self.back.extend([
            Op::SaveGraphicsState,
            Op::StartTextSection,
            Op::SetFont {
                font: self.font(Weight::Bold),
                size: Pt(size),
            },
            Op::SetFillColor {
                col: color(WATERMARK),
            },
            Op::SetTextMatrix {
                matrix: TextMatrix::Raw([cos, sin, -sin, cos, x, y]),
            },
            Op::ShowText {
                items: vec![TextItem::Text(face.drawable_text(text))],
            },
            Op::EndTextSection,
            Op::RestoreGraphicsState,
        ]);
    }
}

/// Paints every page in three layers: background fills (table shading), then the watermark,
/// then all text and rules. So the watermark shows through shaded rows yet never covers text,
/// without needing transparency (printpdf writes PDF 1.3).
///
/// Pages are numbered `first, first + 1, …` of `total` (a packet's pages count the
/// attachments appended after them, see [`crate::merge`]).
pub(crate) fn pages(
    faces: &Faces,
    res: &Resources,
    layout: &Layout,
    watermark: Option<&str>,
    numbering: Numbering,
) -> Vec<PdfPage> {
    layout
        .pages
        .iter()
        .enumerate()
        .map(|(i, placed)| {
            let mut p = Painter {
                faces,
                res,
                back: Vec::new(),
                ops: Vec::new(),
            };
            for unit in placed {
                p.unit(unit);
            }
            p.chrome(&layout.chrome, numbering.first + i, numbering.total);
            if let Some(w) = watermark {
                p.watermark(w);
            }
            let mut ops = p.back;
            ops.append(&mut p.ops);
            PdfPage::new(printpdf::Mm(PAGE_W_MM), printpdf::Mm(PAGE_H_MM), ops)
        })
        .collect()
}

/// How pages are numbered: the first page's number and the total printed in "Page x of y".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Numbering {
    pub(crate) first: usize,
    pub(crate) total: usize,
}

/// A page of chrome (header, footer, page label, optional watermark) around `body`: ops drawn
/// over the watermark and under the text (an attachment's image, see [`crate::merge`]).
pub(crate) fn chrome_page(
    faces: &Faces,
    res: &Resources,
    chrome: &Chrome,
    page: usize,
    total: usize,
    watermark: Option<&str>,
    body: Vec<Op>,
) -> PdfPage {
    let mut p = Painter {
        faces,
        res,
        back: Vec::new(),
        ops: Vec::new(),
    };
    p.chrome(chrome, page, total);
    if let Some(w) = watermark {
        p.watermark(w);
    }
    // The image covers the watermark (which stays visible around it); text goes on top.
    let mut ops = p.back;
    ops.extend(body);
    ops.append(&mut p.ops);
    PdfPage::new(printpdf::Mm(PAGE_W_MM), printpdf::Mm(PAGE_H_MM), ops)
}

/// A page with nothing but `lines` (x, top, line): the footer stamp laid over an attachment's
/// page (see [`crate::merge`]).
pub(crate) fn text_page(faces: &Faces, res: &Resources, lines: &[(f32, f32, Line)]) -> PdfPage {
    let mut p = Painter {
        faces,
        res,
        back: Vec::new(),
        ops: Vec::new(),
    };
    for (x, top, line) in lines {
        p.text(*x, *top, line);
    }
    PdfPage::new(printpdf::Mm(PAGE_W_MM), printpdf::Mm(PAGE_H_MM), p.ops)
}

impl Painter<'_> {
    /// Header lines, the rules, the footer's generated line and "Page x of y".
    fn chrome(&mut self, chrome: &Chrome, page: usize, total: usize) {
        let footer_face = self.faces.get(FOOTER_STYLE.weight);
        for (x, top, line) in &chrome.header {
            self.text(*x, *top, line);
        }
        let (rule_y, rule_w) = chrome.header_rule;
        self.line(
            (CONTENT_LEFT, rule_y),
            (CONTENT_RIGHT, rule_y),
            crate::layout::ACCENT,
            rule_w,
        );
        self.line(
            (CONTENT_LEFT, chrome.footer_rule),
            (CONTENT_RIGHT, chrome.footer_rule),
            RULE,
            0.5,
        );
        let mut top = chrome.footer_top;
        for line in &chrome.footer_left {
            self.text(CONTENT_LEFT, top, line);
            top += line.style.lh;
        }
        let label = format!("Page {page} of {total}");
        let label_w = footer_face.width(&label, FOOTER_STYLE.size);
        self.text(
            CONTENT_RIGHT - label_w,
            chrome.footer_top,
            &Line {
                text: label,
                style: FOOTER_STYLE,
                dx: 0.0,
            },
        );
    }
}
