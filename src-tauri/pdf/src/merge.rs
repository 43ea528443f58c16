//! Appending attachments to a finished document of this crate, in one output file.
//!
//! * A PDF attachment's pages are merged in order with `lopdf` (the version printpdf uses).
//!   They keep their own content; each gets a small two-line footer stamp laid over its bottom
//!   edge — `Attachment A2 · <patient line>` with `Page x of y`, then the clinic and the
//!   generated line — drawn through a form XObject from a content stream appended after the
//!   page's own (which is wrapped in `q … Q`, so whatever graphics state it leaves cannot move
//!   the stamp). Inherited page attributes (resources, media box, crop box, rotation) are copied
//!   onto each page; the stamp follows the page's crop box and rotation, so it sits at the
//!   bottom of the page as displayed.
//! * A PNG or JPEG attachment becomes one page with the document's own header and footer,
//!   a caption (`Attachment A3 — Insurance card (front)`) and the image scaled to fit the body
//!   area inside the 15 mm margins (never enlarged beyond 1 px = 1 pt; large photos are
//!   downsampled to about 150 dpi; a JPEG's EXIF orientation is applied; transparency is
//!   flattened onto white). Pixels are embedded raw and Flate-compressed by printpdf.
//!
//! The page count is known before the base document is rendered ([`Prepared::total_pages`]),
//! so its "Page x of y" footers can count the appended pages
//! ([`crate::render_with_page_refs_and_trailing`]).
//!
//! Deliberately absent: the attachments' outlines, named destinations, form fields (AcroForm)
//! and structure trees are not carried over (their pages and annotations are); encrypted PDFs
//! are refused rather than decrypted.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder};
use lopdf::{Dictionary, Object, ObjectId, Stream};
use printpdf::{Op, Pt, RawImage, RawImageData, RawImageFormat, XObjectTransform};

use crate::fonts::{self, Weight};
use crate::layout::{self, Line, Style, CONTENT_LEFT, CONTENT_RIGHT, FOOTER_STYLE, PAGE_H};
use crate::{paint, PageHeader, PdfError};

/// What an attachment holds.
#[derive(Debug, Clone, Copy)]
pub enum Content<'a> {
    Pdf(&'a [u8]),
    Png(&'a [u8]),
    Jpeg(&'a [u8]),
}

/// One attachment, in the order it is appended.
#[derive(Debug, Clone)]
pub struct Attachment<'a> {
    /// Printed on its pages, e.g. `"A2"`.
    pub label: String,
    /// The caption of an image page, e.g. `"Insurance card (front) — Aetna"`.
    pub title: String,
    pub content: Content<'a>,
}

/// Why attachments could not be appended. Each names the attachment's label.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MergeError {
    #[error("attachment {label} is not a readable PDF ({reason})")]
    UnreadablePdf { label: String, reason: String },
    #[error("attachment {label} is an encrypted PDF; only unencrypted PDFs can be appended")]
    Encrypted { label: String },
    #[error("attachment {label} has no pages")]
    NoPages { label: String },
    #[error("attachment {label} is not a readable PNG or JPEG image ({reason})")]
    UnreadableImage { label: String, reason: String },
    /// The document the attachments go after could not be read back (a bug).
    #[error("the packet could not be read back for merging ({0})")]
    Base(String),
    #[error(transparent)]
    Render(#[from] PdfError),
    #[error("the merged PDF could not be written ({0})")]
    Write(String),
}

/// Longest side of an image page's pixels (about 150 dpi across a Letter page).
const MAX_IMAGE_PX: u32 = 1650;
/// Rendered size of a decompressed page content stream we accept from an attachment.
const MAX_STREAM: usize = 256 * 1024 * 1024;

enum Item {
    Pdf {
        label: String,
        doc: Box<lopdf::Document>,
        pages: usize,
    },
    Image {
        label: String,
        title: String,
        image: RawImage,
    },
}

/// Attachments read and checked, ready to append: PDFs parsed, images decoded.
pub struct Prepared {
    items: Vec<Item>,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("pages", &self.pages())
            .finish()
    }
}

impl Prepared {
    /// Reads every attachment; the first unreadable one is refused with its label.
    ///
    /// # Errors
    ///
    /// [`MergeError::UnreadablePdf`], [`MergeError::Encrypted`], [`MergeError::NoPages`],
    /// [`MergeError::UnreadableImage`].
    pub fn new(attachments: &[Attachment<'_>]) -> Result<Self, MergeError> {
        let items = attachments
            .iter()
            .map(|a| match a.content {
                Content::Pdf(bytes) => {
                    let (doc, pages) = load_pdf(&a.label, bytes)?;
                    Ok(Item::Pdf {
                        label: a.label.clone(),
                        doc: Box::new(doc),
                        pages,
                    })
                }
                Content::Png(bytes) => Ok(Item::Image {
                    label: a.label.clone(),
                    title: a.title.clone(),
                    image: decode(&a.label, bytes, image::ImageFormat::Png)?,
                }),
                Content::Jpeg(bytes) => Ok(Item::Image {
                    label: a.label.clone(),
                    title: a.title.clone(),
                    image: decode(&a.label, bytes, image::ImageFormat::Jpeg)?,
                }),
            })
            .collect::<Result<Vec<_>, MergeError>>()?;
        Ok(Self { items })
    }

    /// Pages each attachment adds, in order.
    pub fn pages(&self) -> Vec<usize> {
        self.items
            .iter()
            .map(|i| match i {
                Item::Pdf { pages, .. } => *pages,
                Item::Image { .. } => 1,
            })
            .collect()
    }

    /// Pages all attachments add.
    pub fn total_pages(&self) -> usize {
        self.pages().iter().sum()
    }

    /// Appends the attachments after the pages of `base` (rendered by this crate with
    /// [`Prepared::total_pages`] trailing pages). `header` is the base document's: image pages
    /// print it, and the stamps on PDF pages quote its patient line, clinic and generated
    /// line. `watermark` (a draft's) is drawn on image pages too.
    ///
    /// # Errors
    ///
    /// [`MergeError::Base`] if `base` is not a PDF with pages, [`MergeError::UnreadablePdf`]
    /// for an attachment whose page tree is broken, [`MergeError::Render`] /
    /// [`MergeError::Write`] for a bug.
    pub fn append(
        self,
        base: &[u8],
        header: &PageHeader,
        watermark: Option<&str>,
    ) -> Result<Vec<u8>, MergeError> {
        let mut doc =
            lopdf::Document::load_mem(base).map_err(|e| MergeError::Base(e.to_string()))?;
        let base_pages = doc.get_pages().len();
        if base_pages == 0 {
            return Err(MergeError::Base("no pages".into()));
        }
        let total = base_pages + self.total_pages();
        let root_pages = doc
            .catalog()
            .and_then(|c| c.get(b"Pages"))
            .and_then(Object::as_reference)
            .map_err(|e| MergeError::Base(e.to_string()))?;

        // Image pages and stamp overlays, in the order they are used.
        let extras = extras(&self.items, header, watermark, base_pages, total)?;
        let extras =
            lopdf::Document::load_mem(&extras).map_err(|e| MergeError::Write(e.to_string()))?;
        let extra_pages = import(&mut doc, extras, "stamps").map_err(MergeError::Write)?;
        let mut extra_pages = extra_pages.into_iter();
        let mut next_extra = || {
            extra_pages
                .next()
                .ok_or_else(|| MergeError::Write("missing stamp page".into()))
        };

        let mut order = Vec::with_capacity(total - base_pages);
        let mut version = doc.version.clone();
        for item in self.items {
            match item {
                Item::Image { .. } => order.push(next_extra()?),
                Item::Pdf {
                    label,
                    doc: att,
                    pages: _,
                } => {
                    if att.version > version {
                        version.clone_from(&att.version);
                    }
                    // Walking the attachment's page tree is lopdf on outside bytes too.
                    let pages = ketachart_core::document::pdf_parse::guarded(|| {
                        import(&mut doc, *att, &label)
                    })
                    .ok_or_else(|| parser_failed(&label))?
                    .map_err(|reason| MergeError::UnreadablePdf {
                        label: label.clone(),
                        reason,
                    })?;
                    for page in pages {
                        let overlay = next_extra()?;
                        let form = overlay_form(&mut doc, overlay).map_err(MergeError::Write)?;
                        stamp(&mut doc, page, form).map_err(|reason| {
                            MergeError::UnreadablePdf {
                                label: label.clone(),
                                reason,
                            }
                        })?;
                        order.push(page);
                    }
                }
            }
        }
        doc.version = version;

        // Hang the pages under the base's page-tree root.
        for &p in &order {
            if let Ok(d) = doc.get_dictionary_mut(p) {
                d.set("Parent", Object::Reference(root_pages));
            }
        }
        let root = doc
            .get_dictionary_mut(root_pages)
            .map_err(|e| MergeError::Base(e.to_string()))?;
        let mut kids = root
            .get(b"Kids")
            .and_then(Object::as_array)
            .cloned()
            .map_err(|e| MergeError::Base(e.to_string()))?;
        kids.extend(order.iter().map(|&p| Object::Reference(p)));
        root.set("Kids", Object::Array(kids));
        root.set("Count", total as i64);

        doc.prune_objects();
        let mut out = Vec::new();
        doc.save_to(&mut out)
            .map_err(|e| MergeError::Write(e.to_string()))?;
        Ok(out)
    }
}

/// An attachment's bytes came from outside (an imported file): lopdf may panic or recurse very
/// deeply on a malformed one, so the parse runs through the core's guard (its own thread with a
/// large stack, panics caught) and a panic is an unreadable attachment.
fn load_pdf(label: &str, bytes: &[u8]) -> Result<(lopdf::Document, usize), MergeError> {
    ketachart_core::document::pdf_parse::guarded(|| load_pdf_unguarded(label, bytes))
        .unwrap_or_else(|| Err(parser_failed(label)))
}

fn parser_failed(label: &str) -> MergeError {
    MergeError::UnreadablePdf {
        label: label.into(),
        reason: "the PDF reader failed on it".into(),
    }
}

fn load_pdf_unguarded(label: &str, bytes: &[u8]) -> Result<(lopdf::Document, usize), MergeError> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| {
        if matches!(e, lopdf::Error::Decryption(_)) {
            MergeError::Encrypted {
                label: label.into(),
            }
        } else {
            MergeError::UnreadablePdf {
                label: label.into(),
                reason: e.to_string(),
            }
        }
    })?;
    if doc.is_encrypted() || doc.was_encrypted() {
        return Err(MergeError::Encrypted {
            label: label.into(),
        });
    }
    let pages = doc.get_pages().len();
    if pages == 0 {
        return Err(MergeError::NoPages {
            label: label.into(),
        });
    }
    Ok((doc, pages))
}

/// Decodes a PNG or JPEG to 8-bit RGB or grey on white, downsampled to [`MAX_IMAGE_PX`].
fn decode(label: &str, bytes: &[u8], format: image::ImageFormat) -> Result<RawImage, MergeError> {
    let bad = |e: image::ImageError| MergeError::UnreadableImage {
        label: label.into(),
        reason: e.to_string(),
    };
    let img = match format {
        image::ImageFormat::Jpeg => {
            let mut d = image::codecs::jpeg::JpegDecoder::new(Cursor::new(bytes)).map_err(bad)?;
            d.set_limits(image::Limits::default()).map_err(bad)?;
            let orientation = d.orientation().map_err(bad)?;
            let mut img = DynamicImage::from_decoder(d).map_err(bad)?;
            img.apply_orientation(orientation);
            img
        }
        _ => {
            let mut d = image::codecs::png::PngDecoder::new(Cursor::new(bytes)).map_err(bad)?;
            d.set_limits(image::Limits::default()).map_err(bad)?;
            DynamicImage::from_decoder(d).map_err(bad)?
        }
    };
    let img = if img.width() > MAX_IMAGE_PX || img.height() > MAX_IMAGE_PX {
        img.resize(
            MAX_IMAGE_PX,
            MAX_IMAGE_PX,
            image::imageops::FilterType::Triangle,
        )
    } else {
        img
    };
    let (w, h) = (img.width() as usize, img.height() as usize);
    let grey = !img.color().has_color();
    let (pixels, format) = if grey {
        let la = img.to_luma_alpha8();
        let px = la
            .pixels()
            .map(|p| over_white(p.0[0], p.0[1]))
            .collect::<Vec<u8>>();
        (px, RawImageFormat::R8)
    } else {
        let rgba = img.to_rgba8();
        let mut px = Vec::with_capacity(w * h * 3);
        for p in rgba.pixels() {
            let [r, g, b, a] = p.0;
            px.extend([over_white(r, a), over_white(g, a), over_white(b, a)]);
        }
        (px, RawImageFormat::RGB8)
    };
    Ok(RawImage {
        pixels: RawImageData::U8(pixels),
        width: w,
        height: h,
        data_format: format,
        tag: Vec::new(),
    })
}

fn over_white(c: u8, a: u8) -> u8 {
    let (c, a) = (u32::from(c), u32::from(a));
    // c·a + 255·(255 − a), over 255, rounded.
    u8::try_from((c * a + 255 * (255 - a) + 127) / 255).unwrap_or(u8::MAX)
}

const CAPTION: Style = Style {
    weight: Weight::Bold,
    size: 10.0,
    lh: 13.0,
    color: layout::INK,
};

/// Renders the image pages (with the document's chrome) and one stamp overlay per page of a
/// PDF attachment, in the order the attachments use them.
fn extras(
    items: &[Item],
    header: &PageHeader,
    watermark: Option<&str>,
    base_pages: usize,
    total: usize,
) -> Result<Vec<u8>, MergeError> {
    let faces = fonts::faces()?;
    let (mut pdf, res) = crate::new_pdf(faces, &header.document_title);
    let chrome = layout::chrome(faces, header);
    let mut pages = Vec::new();
    let mut page_no = base_pages;
    let text = |s: &str, style: Style| Line {
        text: crate::text::sanitize(s).replace('\n', " "),
        style,
        dx: 0.0,
    };
    for item in items {
        match item {
            Item::Image {
                label,
                title,
                image,
            } => {
                page_no += 1;
                let caption = text(&format!("Attachment {label} — {title}"), CAPTION);
                let top = chrome.body_top + CAPTION.lh + 6.0;
                let (box_w, box_h) = (CONTENT_RIGHT - CONTENT_LEFT, chrome.body_bottom - top);
                let (pw, ph) = (image.width as f32, image.height as f32);
                let scale = (box_w / pw).min(box_h / ph).min(1.0);
                let (w, h) = (pw * scale, ph * scale);
                let id = pdf.add_image(image);
                let x = CONTENT_LEFT + (box_w - w) / 2.0;
                let body = vec![Op::UseXobject {
                    id,
                    transform: XObjectTransform {
                        translate_x: Some(Pt(x)),
                        translate_y: Some(Pt(PAGE_H - top - h)),
                        scale_x: Some(scale),
                        scale_y: Some(scale),
                        dpi: Some(72.0),
                        ..XObjectTransform::default()
                    },
                }];
                let mut page =
                    paint::chrome_page(faces, &res, &chrome, page_no, total, watermark, body);
                let caption_page =
                    paint::text_page(faces, &res, &[(CONTENT_LEFT, chrome.body_top, caption)]);
                page.ops.extend(caption_page.ops);
                pages.push(page);
            }
            Item::Pdf {
                label, pages: n, ..
            } => {
                for _ in 0..*n {
                    page_no += 1;
                    let lh = FOOTER_STYLE.lh;
                    let first = text(
                        &format!("Attachment {label} · {}", header.patient_line),
                        FOOTER_STYLE,
                    );
                    let label = text(&format!("Page {page_no} of {total}"), FOOTER_STYLE);
                    let label_w = faces
                        .get(FOOTER_STYLE.weight)
                        .width(&label.text, FOOTER_STYLE.size);
                    let second = text(
                        &format!("{} · {}", header.clinic_name, header.generated_line),
                        FOOTER_STYLE,
                    );
                    let bottom = PAGE_H - 6.0;
                    pages.push(paint::text_page(
                        faces,
                        &res,
                        &[
                            (CONTENT_LEFT, bottom - 2.0 * lh, first),
                            (CONTENT_RIGHT - label_w, bottom - 2.0 * lh, label),
                            (CONTENT_LEFT, bottom - lh, second),
                        ],
                    ));
                }
            }
        }
    }
    if pages.is_empty() {
        return Ok(Vec::new());
    }
    Ok(crate::save(pdf, pages)?)
}

/// Moves every object of `src` into `dst` (renumbered above `dst`'s), with each page's
/// inherited attributes copied onto it. Returns the pages in order, as ids in `dst`. The old
/// catalog and page-tree nodes become unreferenced (pruned before saving).
fn import(
    dst: &mut lopdf::Document,
    mut src: lopdf::Document,
    what: &str,
) -> Result<Vec<ObjectId>, String> {
    if src.objects.is_empty() {
        return Ok(Vec::new());
    }
    src.renumber_objects_with(dst.max_id + 1);
    let pages: Vec<ObjectId> = src.get_pages().into_values().collect();
    if pages.is_empty() {
        return Err(format!("{what}: no pages"));
    }
    for &p in &pages {
        flatten_inherited(&mut src, p)?;
    }
    dst.max_id = dst.max_id.max(src.max_id);
    dst.objects.extend(src.objects);
    Ok(pages)
}

/// Copies `Resources`, `MediaBox`, `CropBox` and `Rotate` from the page's ancestors onto it
/// (their tree is about to be dropped); a page without a media box gets US Letter.
fn flatten_inherited(doc: &mut lopdf::Document, page: ObjectId) -> Result<(), String> {
    let dict = doc.get_dictionary(page).map_err(|e| e.to_string())?;
    let mut found = Vec::new();
    for key in [&b"Resources"[..], b"MediaBox", b"CropBox", b"Rotate"] {
        if dict.has(key) {
            continue;
        }
        let mut parent = dict.get(b"Parent").and_then(Object::as_reference).ok();
        let mut depth = 0;
        while let Some(id) = parent {
            depth += 1;
            if depth > 64 {
                return Err("page tree too deep or cyclic".into());
            }
            let Ok(node) = doc.get_dictionary(id) else {
                break;
            };
            if let Ok(v) = node.get(key) {
                found.push((key.to_vec(), v.clone()));
                break;
            }
            parent = node.get(b"Parent").and_then(Object::as_reference).ok();
        }
    }
    let dict = doc.get_dictionary_mut(page).map_err(|e| e.to_string())?;
    for (k, v) in found {
        dict.set(k, v);
    }
    if !dict.has(b"MediaBox") {
        dict.set(
            "MediaBox",
            Object::Array(vec![0.into(), 0.into(), 612.into(), 792.into()]),
        );
    }
    if !dict.has(b"Resources") {
        dict.set("Resources", Object::Dictionary(Dictionary::new()));
    }
    Ok(())
}

/// Turns a stamp overlay page into a form XObject (612 × 792 box) and returns its id.
fn overlay_form(doc: &mut lopdf::Document, page: ObjectId) -> Result<ObjectId, String> {
    let content = doc.get_page_content(page);
    let resources = doc
        .get_dictionary(page)
        .and_then(|d| d.get(b"Resources"))
        .cloned()
        .map_err(|e| e.to_string())?;
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XObject".to_vec()));
    dict.set("Subtype", Object::Name(b"Form".to_vec()));
    dict.set(
        "BBox",
        Object::Array(vec![0.into(), 0.into(), 612.into(), 792.into()]),
    );
    dict.set("Resources", resources);
    let mut stream = Stream::new(dict, content);
    stream.compress().map_err(|e| e.to_string())?;
    Ok(doc.add_object(stream))
}

fn resolve<'a>(doc: &'a lopdf::Document, o: &'a Object) -> Result<&'a Object, String> {
    doc.dereference(o)
        .map(|(_, o)| o)
        .map_err(|e| e.to_string())
}

/// The page's visible box (crop box, else media box) as `[x0, y0, x1, y1]`, normalised.
fn visible_box(doc: &lopdf::Document, page: &Dictionary) -> Result<[f32; 4], String> {
    let b = page
        .get(b"CropBox")
        .or_else(|_| page.get(b"MediaBox"))
        .map_err(|e| e.to_string())?;
    let arr = resolve(doc, b)?.as_array().map_err(|e| e.to_string())?;
    let mut v = [0.0f32; 4];
    if arr.len() != 4 {
        return Err("page box is not four numbers".into());
    }
    for (slot, o) in v.iter_mut().zip(arr) {
        *slot = resolve(doc, o)?.as_float().map_err(|e| e.to_string())?;
    }
    Ok([
        v[0].min(v[2]),
        v[1].min(v[3]),
        v[0].max(v[2]),
        v[1].max(v[3]),
    ])
}

/// Lays the stamp form over the bottom of the page as displayed: the page's own content is
/// wrapped in `q … Q`, then the form is drawn, scaled down to the page's width if narrower
/// than Letter, rotated against the page's `/Rotate`.
fn stamp(doc: &mut lopdf::Document, page: ObjectId, form: ObjectId) -> Result<(), String> {
    let dict = doc.get_dictionary(page).map_err(|e| e.to_string())?.clone();
    let [x0, y0, x1, y1] = visible_box(doc, &dict)?;
    let rotate = match dict.get(b"Rotate").map(|o| resolve(doc, o)) {
        Ok(Ok(o)) => o.as_i64().unwrap_or(0).rem_euclid(360),
        _ => 0,
    };
    let shown_w = if rotate == 90 || rotate == 270 {
        y1 - y0
    } else {
        x1 - x0
    };
    let s = (shown_w / 612.0).min(1.0);
    // Overlay coordinates (u, v) from the displayed bottom-left → user space.
    let m = match rotate {
        90 => [0.0, s, -s, 0.0, x1, y0],
        180 => [-s, 0.0, 0.0, -s, x1, y1],
        270 => [0.0, -s, s, 0.0, x0, y1],
        _ => [s, 0.0, 0.0, s, x0, y0],
    };

    let mut res = match dict.get(b"Resources").map(|o| resolve(doc, o)) {
        Ok(Ok(Object::Dictionary(d))) => d.clone(),
        _ => Dictionary::new(),
    };
    let mut xobjects = match res.get(b"XObject").map(|o| resolve(doc, o)) {
        Ok(Ok(Object::Dictionary(d))) => d.clone(),
        _ => Dictionary::new(),
    };
    let mut name = "KcAttachmentStamp".to_string();
    let mut n = 1;
    while xobjects.has(name.as_bytes()) {
        n += 1;
        name = format!("KcAttachmentStamp{n}");
    }
    xobjects.set(name.as_bytes().to_vec(), Object::Reference(form));
    res.set("XObject", Object::Dictionary(xobjects));

    let mut contents: Vec<Object> = match dict.get(b"Contents") {
        Ok(Object::Reference(id)) => match doc.get_object(*id) {
            Ok(Object::Array(a)) => a.clone(),
            Ok(Object::Stream(_)) => vec![Object::Reference(*id)],
            _ => Vec::new(),
        },
        Ok(Object::Array(a)) => a.clone(),
        _ => Vec::new(),
    };
    for c in &contents {
        if let Object::Reference(id) = c {
            let s = doc
                .get_object(*id)
                .and_then(Object::as_stream)
                .map_err(|e| format!("page content: {e}"))?;
            // Refuse a decompression bomb rather than write it on.
            if s.dict.has(b"Filter") {
                s.decompressed_content_with_limit(MAX_STREAM)
                    .map_err(|e| format!("page content: {e}"))?;
            }
        }
    }
    let open = doc.add_object(Stream::new(Dictionary::new(), b"q\n".to_vec()));
    let f = |x: f32| format!("{x:.4}");
    let close = format!(
        "Q\nq {} {} {} {} {} {} cm /{name} Do Q\n",
        f(m[0]),
        f(m[1]),
        f(m[2]),
        f(m[3]),
        f(m[4]),
        f(m[5])
    );
    let close = doc.add_object(Stream::new(Dictionary::new(), close.into_bytes()));
    contents.insert(0, Object::Reference(open));
    contents.push(Object::Reference(close));
    let d = doc.get_dictionary_mut(page).map_err(|e| e.to_string())?;
    d.set("Contents", Object::Array(contents));
    d.set("Resources", Object::Dictionary(res));
    Ok(())
}
