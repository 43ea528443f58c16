//! What a file really is, decided from its bytes: the content type by magic bytes (never the
//! file name), a PDF parsed (not encrypted, at least one page), an image's dimensions read from
//! its header and checked before anything is decoded, then decoded fully to prove it is whole.

use std::io::Cursor;

use super::kind::MediaType;
use crate::validation::ValidationErrors;

/// The largest file the store keeps: 25 MiB. A scanned 40-page outside record at 300 dpi or a
/// phone photo of an insurance card is well under it; anything bigger is almost always a mistake
/// (a video, a whole disk image) and would bloat every backup, which copies the whole database.
pub const MAX_DOCUMENT_BYTES: u64 = 25 * 1024 * 1024;

/// An image wider or taller than this (pixels) is refused before it is decoded: no scanner or
/// phone camera produces one, and decoding it could exhaust memory.
pub const MAX_IMAGE_SIDE: u32 = 12_000;

/// An image with more pixels than this (60 megapixels: about 240 MB decoded) is refused before
/// it is decoded, for the same reason.
pub const MAX_IMAGE_PIXELS: u64 = 60_000_000;

/// What the checks learned about accepted bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inspected {
    pub media_type: MediaType,
    pub page_count: Option<u32>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// "2.0 GB", "25 MB", "312 KB": sizes as people read them (binary units, as the limit is).
pub fn human_size(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if b >= KIB * KIB * KIB {
        format!("{:.1} GB", b / (KIB * KIB * KIB))
    } else if b >= KIB * KIB {
        let mb = b / (KIB * KIB);
        if mb.fract() == 0.0 {
            format!("{mb:.0} MB")
        } else {
            format!("{mb:.1} MB")
        }
    } else if b >= KIB {
        format!("{:.0} KB", b / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// The refusal for a file over the limit (said before anything is read).
pub fn too_large(field: &str, size: u64) -> ValidationErrors {
    ValidationErrors::single(
        field,
        format!(
            "This file is {}; the largest file KetaChart stores is {}. Nothing was imported",
            human_size(size),
            human_size(MAX_DOCUMENT_BYTES)
        ),
    )
}

/// Checks bytes and says what they are, or why they are refused (on `field`).
pub fn inspect(field: &str, bytes: &[u8]) -> Result<Inspected, ValidationErrors> {
    let refuse = |m: String| ValidationErrors::single(field, m);
    if bytes.is_empty() {
        return Err(refuse("This file is empty. Nothing was imported".into()));
    }
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(too_large(field, bytes.len() as u64));
    }
    let media_type = match infer::get(bytes) {
        Some(t) => match t.mime_type() {
            "application/pdf" => MediaType::Pdf,
            "image/png" => MediaType::Png,
            "image/jpeg" => MediaType::Jpeg,
            other => {
                return Err(refuse(format!(
                    "This file is {}, whatever its name says. KetaChart stores PDF, PNG and JPEG files only. Nothing was imported",
                    describe(other, t.extension()),
                )))
            }
        },
        None => {
            return Err(refuse(
                "This file is not a PDF, PNG or JPEG (its content is not a document or image KetaChart recognises), whatever its name says. Nothing was imported".into(),
            ))
        }
    };
    match media_type {
        MediaType::Pdf => inspect_pdf(bytes).map_err(refuse),
        MediaType::Png | MediaType::Jpeg => inspect_image(media_type, bytes).map_err(refuse),
    }
}

/// Plain words for the commonest things people pick by mistake.
fn describe(mime: &str, ext: &str) -> String {
    match ext {
        "exe" | "dll" => "a Windows program (.exe)".into(),
        "elf" => "a Linux program".into(),
        "zip" => "a ZIP archive".into(),
        "docx" | "doc" => "a Word document".into(),
        "xlsx" | "xls" => "an Excel spreadsheet".into(),
        "gif" => "a GIF image".into(),
        "tif" => "a TIFF image".into(),
        "heif" | "heic" | "avif" => "an HEIC/HEIF photo (save it as JPEG first)".into(),
        "webp" => "a WebP image".into(),
        "bmp" => "a BMP image".into(),
        "html" => "a web page".into(),
        "mp4" | "mov" => "a video".into(),
        _ => format!("a .{ext} file ({mime})"),
    }
}

const UNREADABLE_PDF: &str =
    "This file is not a readable PDF (it is damaged or incomplete). Nothing was imported";

/// The PDF checks, run through [`super::pdf_parse::guarded`]: lopdf may panic or recurse very
/// deeply on a malformed file, which then is simply unreadable.
fn inspect_pdf(bytes: &[u8]) -> Result<Inspected, String> {
    super::pdf_parse::guarded(|| inspect_pdf_unguarded(bytes))
        .unwrap_or_else(|| Err(UNREADABLE_PDF.into()))
}

fn inspect_pdf_unguarded(bytes: &[u8]) -> Result<Inspected, String> {
    const UNREADABLE: &str = UNREADABLE_PDF;
    const ENCRYPTED: &str = "This PDF is password-protected or encrypted. Open it, remove the password and import again. Nothing was imported";
    // An /Encrypt entry is refused however lopdf copes with it: a packet must be able to merge
    // the pages, and a reviewer must be able to open them.
    let doc = match lopdf::Document::load_mem(bytes) {
        Ok(d) => d,
        Err(lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_)) => {
            return Err(ENCRYPTED.into())
        }
        Err(lopdf::Error::UnsupportedSecurityHandler(_)) => return Err(ENCRYPTED.into()),
        Err(_) => return Err(UNREADABLE.into()),
    };
    if doc.is_encrypted() || doc.was_encrypted() || doc.trailer.get(b"Encrypt").is_ok() {
        return Err(ENCRYPTED.into());
    }
    if doc.catalog().is_err() {
        return Err(UNREADABLE.into());
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err("This PDF has no pages. Nothing was imported".into());
    }
    // Every page must be a page dictionary (a damaged page tree points at nothing).
    for id in pages.values() {
        if doc.get_dictionary(*id).is_err() {
            return Err(UNREADABLE.into());
        }
    }
    let page_count = u32::try_from(pages.len()).map_err(|_| UNREADABLE.to_string())?;
    Ok(Inspected {
        media_type: MediaType::Pdf,
        page_count: Some(page_count),
        width: None,
        height: None,
    })
}

/// Width and height from the header alone: PNG's IHDR, JPEG's start-of-frame marker.
pub fn header_dimensions(media_type: MediaType, bytes: &[u8]) -> Option<(u32, u32)> {
    match media_type {
        MediaType::Png => {
            // 8-byte signature, IHDR length (4), "IHDR" (4), width (4), height (4).
            if bytes.len() < 24 || &bytes[12..16] != b"IHDR" {
                return None;
            }
            let w = u32::from_be_bytes(bytes[16..20].try_into().ok()?);
            let h = u32::from_be_bytes(bytes[20..24].try_into().ok()?);
            Some((w, h))
        }
        MediaType::Jpeg => {
            let mut i = 2usize; // after SOI (FF D8)
            while i + 4 <= bytes.len() {
                if bytes[i] != 0xFF {
                    return None;
                }
                let marker = bytes[i + 1];
                if marker == 0xFF {
                    i += 1; // fill byte
                    continue;
                }
                if (0xD0..=0xD9).contains(&marker) || marker == 0x01 {
                    i += 2; // markers without a length
                    continue;
                }
                let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
                let is_sof =
                    (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
                if is_sof {
                    if i + 9 > bytes.len() {
                        return None;
                    }
                    let h = u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]) as u32;
                    let w = u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]) as u32;
                    return Some((w, h));
                }
                if len < 2 {
                    return None;
                }
                i += 2 + len;
            }
            None
        }
        MediaType::Pdf => None,
    }
}

fn inspect_image(media_type: MediaType, bytes: &[u8]) -> Result<Inspected, String> {
    let name = match media_type {
        MediaType::Png => "PNG",
        _ => "JPEG",
    };
    let unreadable = || {
        format!("This file is not a readable {name} image (it is damaged or incomplete). Nothing was imported")
    };
    let (w, h) = header_dimensions(media_type, bytes).ok_or_else(unreadable)?;
    if w == 0 || h == 0 {
        return Err(unreadable());
    }
    if w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE || (w as u64) * (h as u64) > MAX_IMAGE_PIXELS {
        return Err(format!(
            "This image claims to be {w} × {h} pixels; KetaChart stores images up to {MAX_IMAGE_SIDE} pixels a side and {} megapixels. Nothing was imported",
            MAX_IMAGE_PIXELS / 1_000_000
        ));
    }
    let format = match media_type {
        MediaType::Png => image::ImageFormat::Png,
        _ => image::ImageFormat::Jpeg,
    };
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|_| unreadable())?;
    if (decoded.width(), decoded.height()) != (w, h) {
        return Err(unreadable());
    }
    Ok(Inspected {
        media_type,
        page_count: None,
        width: Some(w),
        height: Some(h),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(MAX_DOCUMENT_BYTES), "25 MB");
        assert_eq!(human_size(2 * 1024 * 1024 * 1024), "2.0 GB");
        assert_eq!(human_size(2048), "2 KB");
    }

    #[test]
    fn a_renamed_program_is_named() {
        let mut exe = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
        exe.resize(512, 0);
        let e = inspect("path", &exe).unwrap_err();
        assert!(e.to_string().contains("Windows program"), "{e}");
    }

    #[test]
    fn text_is_not_a_document() {
        let e = inspect("path", b"Just some notes, not a PDF at all\n").unwrap_err();
        assert!(e.to_string().contains("not a PDF, PNG or JPEG"), "{e}");
    }

    #[test]
    fn absurd_png_dimensions_are_refused_from_the_header() {
        let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        let e = inspect("path", &png).unwrap_err();
        assert!(e.to_string().contains("100000 × 100000"), "{e}");
    }
}
