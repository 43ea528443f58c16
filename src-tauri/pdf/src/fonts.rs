//! The two embedded DejaVu Sans faces and text measurement from their `hmtx` advances.

use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::PdfError;

static REGULAR_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// Which of the two embedded faces a piece of text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// One parsed face plus the metrics the layout needs.
pub(crate) struct Face {
    pub(crate) parsed: ParsedFont,
    units_per_em: f32,
    /// Cap height as a fraction of the em (used to centre text vertically in its line box).
    pub(crate) cap_height: f32,
    /// What to draw instead of a character the face has no glyph for.
    fallback: char,
}

impl Face {
    fn parse(bytes: &[u8], name: &'static str) -> Result<Self, PdfError> {
        let mut warnings = Vec::new();
        let parsed =
            ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or(PdfError::Font { name })?;
        let units_per_em = f32::from(parsed.font_metrics.units_per_em.max(1));
        let cap_height = parsed
            .font_metrics
            .cap_height
            .map(|c| c / units_per_em)
            .filter(|c| *c > 0.3 && *c < 1.0)
            .unwrap_or(0.72);
        let fallback = if parsed.lookup_glyph_index(0xFFFD).is_some() {
            '\u{FFFD}'
        } else {
            '?'
        };
        Ok(Self {
            parsed,
            units_per_em,
            cap_height,
            fallback,
        })
    }

    /// Whether the face can draw `c`.
    pub(crate) fn has_glyph(&self, c: char) -> bool {
        self.parsed.lookup_glyph_index(u32::from(c)).is_some()
    }

    /// `c`, or the replacement character when the face has no glyph for it (printpdf would
    /// otherwise emit glyph 0, an invisible or boxed `.notdef` that no text extractor reads).
    pub(crate) fn drawable(&self, c: char) -> char {
        if self.has_glyph(c) {
            c
        } else {
            self.fallback
        }
    }

    /// Advance width of `c` in em (multiply by the font size in pt to get pt).
    pub(crate) fn advance_em(&self, c: char) -> f32 {
        let c = self.drawable(c);
        let gid = self.parsed.lookup_glyph_index(u32::from(c)).unwrap_or(0);
        f32::from(self.parsed.get_horizontal_advance(gid)) / self.units_per_em
    }

    /// Width of `text` at `size` pt, in pt. printpdf writes one glyph per character with no
    /// kerning or shaping, so the sum of advances is exactly what the viewer draws.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance_em(c)).sum::<f32>() * size
    }

    /// `text` with every character the face lacks replaced by the fallback glyph.
    pub(crate) fn drawable_text(&self, text: &str) -> String {
        text.chars().map(|c| self.drawable(c)).collect()
    }
}

/// Both faces.
pub(crate) struct Faces {
    pub(crate) regular: Face,
    pub(crate) bold: Face,
}

impl Faces {
    pub(crate) fn get(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

/// The faces, parsed once per process (parsing DejaVu Sans takes a few milliseconds).
pub(crate) fn faces() -> Result<&'static Faces, PdfError> {
    static FACES: OnceLock<Result<Faces, PdfError>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            Ok(Faces {
                regular: Face::parse(REGULAR_TTF, "DejaVuSans.ttf")?,
                bold: Face::parse(BOLD_TTF, "DejaVuSans-Bold.ttf")?,
            })
        })
        .as_ref()
        .map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faces_cover_the_characters_we_rely_on_and_fall_back_visibly() {
        let f = faces().expect("fonts");
        for c in "Łódź Ødegård Åse Müller Siobhán ČŠŽ Ωμέγα Привет €·—–“”‘’⚠µ".chars()
        {
            assert!(f.regular.has_glyph(c), "regular lacks {c:?}");
            assert!(f.bold.has_glyph(c), "bold lacks {c:?}");
        }
        assert_eq!(f.regular.drawable('中'), '\u{FFFD}');
        assert_eq!(f.regular.drawable_text("a中b"), "a\u{FFFD}b");
        // Advances are real metrics: W is wider than i, bold wider than regular.
        assert!(f.regular.width("W", 10.0) > f.regular.width("i", 10.0) * 2.0);
        assert!(f.bold.width("Patient", 10.0) > f.regular.width("Patient", 10.0));
        assert!((f.regular.width("", 10.0)).abs() < f32::EPSILON);
    }
}
