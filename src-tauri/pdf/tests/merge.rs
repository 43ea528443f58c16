//! Appending attachments to a rendered document: two real PDFs (one rewritten by qpdf with
//! object streams and a rotated page), a PNG with transparency and a large JPEG, checked with
//! `qpdf --check` (no warnings), `pdfinfo` (page count) and `pdftotext` (every page's marker,
//! stamp and "Page x of y", in order).

use std::path::Path;
use std::process::Command;

use ketachart_pdf::merge::{Attachment, Content, MergeError, Prepared};
use ketachart_pdf::{render, render_with_page_refs_and_trailing, Block, Document, PageHeader};

const PATIENT_LINE: &str = "ØDEGÅRD, Łucja · DOB 03-Mar-1980 · MRN K-000123";

fn header(title: &str) -> PageHeader {
    PageHeader {
        clinic_name: "Northside Family Clinic".into(),
        document_title: title.into(),
        patient_line: PATIENT_LINE.into(),
        generated_line: "Generated 21-Nov-2026 20:15 by Dr A".into(),
        signed_line: None,
    }
}

/// A one-page document saying `marker`, or a longer one with `filler` paragraphs after it.
fn doc(title: &str, marker: &str, filler: usize) -> Document {
    let mut blocks = vec![Block::Paragraph(marker.to_string())];
    blocks.extend((0..filler).map(|i| Block::Paragraph(format!("filler {i}"))));
    Document {
        header: header(title),
        blocks,
        watermark: None,
    }
}

fn tool(name: &str, args: &[&str]) -> std::process::Output {
    Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {name} ({e}); install qpdf and poppler-utils"))
}

fn qpdf_clean(path: &Path) {
    let out = tool("qpdf", &["--check", path.to_str().unwrap()]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && !text.to_lowercase().contains("warning"),
        "qpdf --check: {text}"
    );
}

fn page_count(path: &Path) -> usize {
    let out = tool("pdfinfo", &[path.to_str().unwrap()]);
    let info = String::from_utf8_lossy(&out.stdout).to_string();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in {info}"))
}

fn text_pages(path: &Path) -> Vec<String> {
    let out = tool("pdftotext", &["-layout", path.to_str().unwrap(), "-"]);
    assert!(out.status.success());
    let mut v: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .split('\x0c')
        .map(str::to_owned)
        .collect();
    if v.last().is_some_and(|p| p.trim().is_empty()) {
        v.pop();
    }
    v
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        image::Rgba([
            (x % 256) as u8,
            (y % 256) as u8,
            128,
            if x < w / 2 { 255 } else { 90 },
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgba8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x / 12 % 256) as u8, (y / 8 % 256) as u8, 60])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

/// `bytes` rewritten by qpdf with object streams, its first page rotated 90°.
fn through_qpdf(dir: &Path, bytes: &[u8], extra: &[&str]) -> Vec<u8> {
    let (src, dst) = (dir.join("in.pdf"), dir.join("out.pdf"));
    std::fs::write(&src, bytes).unwrap();
    let mut args = vec![src.to_str().unwrap()];
    args.extend(extra);
    args.push(dst.to_str().unwrap());
    let out = tool("qpdf", &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(&dst).unwrap()
}

#[test]
fn two_pdfs_a_png_and_a_jpeg_are_appended_in_order() {
    let dir = tempfile::tempdir().unwrap();
    // Two pages, joined by qpdf.
    let one_b = dir.path().join("one-b.pdf");
    std::fs::write(
        &one_b,
        render(&doc("Outside records", "OUTSIDE-ONE-p2", 0)).unwrap(),
    )
    .unwrap();
    let one = through_qpdf(
        dir.path(),
        &render(&doc("Outside records", "OUTSIDE-ONE-p1", 0)).unwrap(),
        &["--pages", ".", one_b.to_str().unwrap(), "--"],
    );
    let two = through_qpdf(
        dir.path(),
        &render(&doc("Pharmacy history", "OUTSIDE-TWO-p1", 0)).unwrap(),
        &["--object-streams=generate", "--rotate=+90:1"],
    );
    let png = png(400, 300);
    let jpeg = jpeg(3000, 2000);
    let attachments = [
        Attachment {
            label: "A1".into(),
            title: "Outside records".into(),
            content: Content::Pdf(&one),
        },
        Attachment {
            label: "A2".into(),
            title: "Insurance card (front) — PNG-MARKER".into(),
            content: Content::Png(&png),
        },
        Attachment {
            label: "A3".into(),
            title: "Pharmacy fill history".into(),
            content: Content::Pdf(&two),
        },
        Attachment {
            label: "A4".into(),
            title: "Insurance card (back) — JPEG-MARKER".into(),
            content: Content::Jpeg(&jpeg),
        },
    ];
    let prepared = Prepared::new(&attachments).unwrap();
    assert_eq!(prepared.pages(), vec![2, 1, 1, 1]);
    let trailing = prepared.total_pages();
    let base_doc = doc("Prior authorization request", "PACKET-p1", 60);
    let base_pages = ketachart_pdf::paginate(&base_doc).unwrap().pages;
    assert_eq!(base_pages, 2);
    let base = render_with_page_refs_and_trailing(trailing, |_| base_doc.clone()).unwrap();
    let merged = prepared
        .append(&base, &base_doc.header, Some("DRAFT — gaps remain"))
        .unwrap();
    let path = dir.path().join("merged.pdf");
    std::fs::write(&path, &merged).unwrap();
    // To look at the result: KETACHART_MERGE_OUT=/tmp/merged.pdf cargo test --test merge
    if let Ok(keep) = std::env::var("KETACHART_MERGE_OUT") {
        std::fs::copy(&path, keep).unwrap();
    }

    qpdf_clean(&path);
    let total = 2 + trailing;
    assert_eq!(page_count(&path), total);
    let pages = text_pages(&path);
    assert_eq!(pages.len(), total);
    let expect = [
        "PACKET-p1",
        "filler 59",
        "OUTSIDE-ONE-p1",
        "OUTSIDE-ONE-p2",
        "Attachment A2 — Insurance card (front) — PNG-MARKER",
        "OUTSIDE-TWO-p1",
        "Attachment A4 — Insurance card (back) — JPEG-MARKER",
    ];
    for (i, (page, marker)) in pages.iter().zip(expect).enumerate() {
        assert!(page.contains(marker), "page {}: {marker} in {page}", i + 1);
        // Every page, the packet's own, the images' and the stamped ones, counts them all.
        assert!(
            page.contains(&format!("Page {} of {total}", i + 1)),
            "page {} label: {page}",
            i + 1
        );
        assert!(page.contains("MRN K-000123"), "page {}: {page}", i + 1);
    }
    // The outside pages keep their own header and carry the stamp.
    for (i, label) in [(2, "A1"), (3, "A1"), (5, "A3")] {
        assert!(
            pages[i].contains(&format!("Attachment {label} · ØDEGÅRD, Łucja")),
            "stamp on page {}: {}",
            i + 1,
            pages[i]
        );
        assert!(pages[i].contains("Northside Family Clinic · Generated 21-Nov-2026 20:15 by Dr A"));
    }
    assert!(pages[5].contains("Pharmacy history"));

    // Both images are embedded: the JPEG downsampled to at most 1650 px.
    let out = tool("pdfimages", &["-list", path.to_str().unwrap()]);
    let list = String::from_utf8_lossy(&out.stdout).to_string();
    let sizes: Vec<(u32, u32)> = list
        .lines()
        .skip(2)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            Some((f.get(3)?.parse().ok()?, f.get(4)?.parse().ok()?))
        })
        .collect();
    assert!(sizes.contains(&(400, 300)), "{list}");
    assert!(sizes.contains(&(1650, 1100)), "{list}");
}

#[test]
fn the_stamp_reads_the_same_on_a_rotated_and_a_small_page() {
    let dir = tempfile::tempdir().unwrap();
    // A5-ish page rotated 270°: the stamp must still land inside the page and extract.
    let small = through_qpdf(
        dir.path(),
        &render(&doc("Lab", "LAB-p1", 0)).unwrap(),
        &["--rotate=270"],
    );
    let prepared = Prepared::new(&[Attachment {
        label: "A1".into(),
        title: "ECG".into(),
        content: Content::Pdf(&small),
    }])
    .unwrap();
    let base_doc = doc("Prior authorization request", "PACKET", 0);
    let base = render_with_page_refs_and_trailing(1, |_| base_doc.clone()).unwrap();
    let merged = prepared.append(&base, &base_doc.header, None).unwrap();
    let path = dir.path().join("merged.pdf");
    std::fs::write(&path, &merged).unwrap();
    qpdf_clean(&path);
    let pages = text_pages(&path);
    assert_eq!(pages.len(), 2);
    assert!(pages[1].contains("LAB-p1"));
    assert!(pages[1].contains("Attachment A1"), "{}", pages[1]);
    assert!(pages[1].contains("Page 2 of 2"), "{}", pages[1]);
}

#[test]
fn unreadable_attachments_are_refused_with_their_label() {
    let dir = tempfile::tempdir().unwrap();
    let plain = render(&doc("Outside", "X", 0)).unwrap();
    let encrypted = through_qpdf(
        dir.path(),
        &plain,
        &["--encrypt", "user", "owner", "256", "--"],
    );
    let refuse = |content: Content<'_>| {
        Prepared::new(&[Attachment {
            label: "A7".into(),
            title: "x".into(),
            content,
        }])
        .unwrap_err()
    };
    assert_eq!(
        refuse(Content::Pdf(&encrypted)),
        MergeError::Encrypted { label: "A7".into() }
    );
    assert!(matches!(
        refuse(Content::Pdf(b"MZ\x90\x00 not a pdf")),
        MergeError::UnreadablePdf { label, .. } if label == "A7"
    ));
    assert!(matches!(
        refuse(Content::Png(b"\x89PNG\r\n\x1a\n truncated")),
        MergeError::UnreadableImage { label, .. } if label == "A7"
    ));
    assert!(matches!(
        refuse(Content::Jpeg(&png(10, 10))),
        MergeError::UnreadableImage { .. }
    ));
}
