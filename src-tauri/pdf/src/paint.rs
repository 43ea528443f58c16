//! Turns a [`Layout`] into printpdf pages (one `Vec<Op>` per page).

use printpdf::{
    Color, FontId, Line as PdfLine, LinePoint, Op, PaintMode, PdfFontHandle, PdfPage, Point, Pt,
    Rect, Rgb as PdfRgb, TextItem, TextMatrix, WindingOrder,
};

use crate::fonts::{Faces, Weight};
use crate::layout::{
    Deco, Layout, Line, Placed, Rgb, CONTENT_LEFT, CONTENT_RIGHT, FOOTER_STYLE, PAGE_H, PAGE_W,
    RULE,
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
pub(crate) fn pages(
    faces: &Faces,
    res: &Resources,
    layout: &Layout,
    watermark: Option<&str>,
) -> Vec<PdfPage> {
    let total = layout.pages.len();
    let chrome = &layout.chrome;
    let footer_face = faces.get(FOOTER_STYLE.weight);
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
            for (x, top, line) in &chrome.header {
                p.text(*x, *top, line);
            }
            let (rule_y, rule_w) = chrome.header_rule;
            p.line(
                (CONTENT_LEFT, rule_y),
                (CONTENT_RIGHT, rule_y),
                crate::layout::ACCENT,
                rule_w,
            );
            p.line(
                (CONTENT_LEFT, chrome.footer_rule),
                (CONTENT_RIGHT, chrome.footer_rule),
                RULE,
                0.5,
            );
            let mut top = chrome.footer_top;
            for line in &chrome.footer_left {
                p.text(CONTENT_LEFT, top, line);
                top += line.style.lh;
            }
            let label = format!("Page {} of {}", i + 1, total);
            let label_w = footer_face.width(&label, FOOTER_STYLE.size);
            p.text(
                CONTENT_RIGHT - label_w,
                chrome.footer_top,
                &Line {
                    text: label,
                    style: FOOTER_STYLE,
                    dx: 0.0,
                },
            );
            if let Some(w) = watermark {
                p.watermark(w);
            }
            let mut ops = p.back;
            ops.append(&mut p.ops);
            PdfPage::new(printpdf::Mm(PAGE_W_MM), printpdf::Mm(PAGE_H_MM), ops)
        })
        .collect()
}
