//! An on-screen signature as the pad reports it (npm `signature_pad`'s `toData()`): strokes of
//! `[x, y]` points in CSS pixels of a pad of a given size. Kept as vectors and drawn as lines in
//! the PDF. An empty or trivial pad is refused: at least 2 points spanning at least 10 % of the
//! pad's width or height.

use crate::validation::ValidationErrors;

pub const MAX_STROKES: usize = 200;
pub const MAX_POINTS: usize = 20_000;
const MAX_PAD: f64 = 4_000.0;
/// Pads report points a fraction of a pixel outside their edge.
const EDGE: f64 = 1.0;

/// What the signature pad sends.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SignatureInput {
    pub width: f64,
    pub height: f64,
    pub strokes: Vec<Vec<Vec<f64>>>,
}

/// A checked signature: points clamped into the pad.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    pub width: f32,
    pub height: f32,
    pub strokes: Vec<Vec<(f32, f32)>>,
}

/// Checks `input`; problems go to `field` (`unsigned` when the pad is empty or trivial).
pub(crate) fn check(
    e: &mut ValidationErrors,
    field: &str,
    unsigned: &str,
    input: &SignatureInput,
) -> Option<Signature> {
    let (w, h) = (input.width, input.height);
    if !(w.is_finite() && h.is_finite() && w >= 10.0 && h >= 10.0 && w <= MAX_PAD && h <= MAX_PAD) {
        e.add(
            field,
            "The signature pad's size is not readable; clear it and sign again",
        );
        return None;
    }
    if input.strokes.len() > MAX_STROKES {
        e.add(
            field,
            format!("The signature has more than {MAX_STROKES} strokes; clear it and sign again"),
        );
        return None;
    }
    let total: usize = input.strokes.iter().map(Vec::len).sum();
    if total > MAX_POINTS {
        e.add(
            field,
            format!("The signature has more than {MAX_POINTS} points; clear it and sign again"),
        );
        return None;
    }
    let mut strokes = Vec::with_capacity(input.strokes.len());
    let (mut min_x, mut max_x, mut min_y, mut max_y) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for stroke in &input.strokes {
        let mut pts = Vec::with_capacity(stroke.len());
        for p in stroke {
            let [x, y] = p.as_slice() else {
                e.add(
                    field,
                    "The signature is not readable; clear it and sign again",
                );
                return None;
            };
            let (x, y) = (*x, *y);
            let inside = x.is_finite()
                && y.is_finite()
                && (-EDGE..=w + EDGE).contains(&x)
                && (-EDGE..=h + EDGE).contains(&y);
            if !inside {
                e.add(
                    field,
                    "The signature has points outside the pad; clear it and sign again",
                );
                return None;
            }
            let (x, y) = (x.clamp(0.0, w), y.clamp(0.0, h));
            min_x = min_x.min(x);
            max_x = max_x.max(x);
            min_y = min_y.min(y);
            max_y = max_y.max(y);
            pts.push((x as f32, y as f32));
        }
        if !pts.is_empty() {
            strokes.push(pts);
        }
    }
    let spans = total >= 2 && (max_x - min_x >= 0.1 * w || max_y - min_y >= 0.1 * h);
    if !spans {
        e.add(field, unsigned);
        return None;
    }
    Some(Signature {
        width: w as f32,
        height: h as f32,
        strokes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pad(strokes: Vec<Vec<Vec<f64>>>) -> SignatureInput {
        SignatureInput {
            width: 400.0,
            height: 150.0,
            strokes,
        }
    }

    fn run(s: &SignatureInput) -> Result<Signature, String> {
        let mut e = ValidationErrors::new();
        check(&mut e, "patientSignature", "unsigned", s).ok_or_else(|| format!("{e:?}"))
    }

    #[test]
    fn empty_dot_and_tiny_scribbles_are_not_signatures() {
        assert!(run(&pad(vec![])).unwrap_err().contains("unsigned"));
        assert!(run(&pad(vec![vec![vec![5.0, 5.0]]]))
            .unwrap_err()
            .contains("unsigned"));
        // 39 px of 400 wide and 14 of 150 high: under 10 % both ways.
        let tiny = pad(vec![vec![vec![10.0, 10.0], vec![49.0, 24.0]]]);
        assert!(run(&tiny).unwrap_err().contains("unsigned"));
        // 40 px wide is 10 %.
        let ok = pad(vec![vec![vec![10.0, 10.0], vec![50.0, 10.0]]]);
        assert_eq!(run(&ok).unwrap().strokes.len(), 1);
        // 15 px of 150 high is 10 % too.
        let ok = pad(vec![vec![vec![10.0, 10.0]], vec![vec![11.0, 25.0]]]);
        assert_eq!(run(&ok).unwrap().strokes.len(), 2);
    }

    #[test]
    fn bounds_are_enforced() {
        let outside = pad(vec![vec![vec![10.0, 10.0], vec![500.0, 10.0]]]);
        assert!(run(&outside).unwrap_err().contains("outside"));
        let nan = pad(vec![vec![vec![10.0, f64::NAN], vec![100.0, 10.0]]]);
        assert!(run(&nan).is_err());
        let bad = pad(vec![vec![vec![10.0], vec![100.0, 10.0]]]);
        assert!(run(&bad).unwrap_err().contains("not readable"));
        let many = pad((0..201).map(|_| vec![vec![1.0, 1.0]]).collect());
        assert!(run(&many).unwrap_err().contains("200 strokes"));
        let long = pad(vec![(0..20_001)
            .map(|i| vec![(i % 400) as f64, 5.0])
            .collect()]);
        assert!(run(&long).unwrap_err().contains("20000 points"));
        let mut zero = pad(vec![vec![vec![1.0, 1.0], vec![100.0, 1.0]]]);
        zero.width = 0.0;
        assert!(run(&zero).unwrap_err().contains("size"));
    }
}
