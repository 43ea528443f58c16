//! Text clean-up and greedy word wrapping against a per-character width function.
//!
//! Kept free of printpdf so it can be unit-tested with a synthetic width table.

/// Normalises caller text for layout: CR LF and lone CR become `\n`, a tab becomes a space and
/// every other control character (C0/C1, which no font can draw) is dropped.
pub(crate) fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Characters after which a word too long for a line may preferably be broken.
fn is_break_after(c: char) -> bool {
    matches!(c, '-' | '/' | '_' | '.' | ',' | ';' | ':' | '\\' | '|')
}

/// Wraps `text` into lines no wider than `max_width`, where `width_of` gives the advance of one
/// character in the same unit.
///
/// * `\n` is a hard line break; an empty string or an empty line yields one empty line, so the
///   result is never empty.
/// * Words are separated by spaces; the space at a soft break is dropped.
/// * A word wider than a whole line is broken by characters, preferably just after a `-`, `/`
///   or similar, and every line gets at least one character (no infinite loop on tiny widths).
pub(crate) fn wrap(text: &str, max_width: f32, width_of: impl Fn(char) -> f32) -> Vec<String> {
    let max_width = max_width.max(0.0);
    let measure = |s: &str| -> f32 { s.chars().map(&width_of).sum() };
    let space = width_of(' ');
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0.0_f32;
        // Tokens on the current line; joined by single spaces, so runs of spaces survive
        // as empty tokens (leading indentation and double spaces are kept).
        let mut tokens = 0_usize;
        // After a soft break, blank tokens (the rest of a run of spaces) are skipped.
        let mut skip_blank = false;
        for word in para.split(' ') {
            if word.is_empty() && skip_blank {
                continue;
            }
            let word_w = measure(word);
            let sep = if tokens > 0 { space } else { 0.0 };
            if line_w + sep + word_w <= max_width {
                if tokens > 0 {
                    line.push(' ');
                }
                line.push_str(word);
                line_w += sep + word_w;
                tokens += 1;
                skip_blank = false;
                continue;
            }
            if tokens > 0 {
                // Soft break: close the line and retry the word on a fresh one.
                lines.push(line.trim_end_matches(' ').to_string());
                line.clear();
                line_w = 0.0;
                tokens = 0;
                skip_blank = true;
                if word.is_empty() {
                    continue;
                }
                if word_w <= max_width {
                    line.push_str(word);
                    line_w = word_w;
                    tokens = 1;
                    skip_blank = false;
                    continue;
                }
            }
            // The word alone is wider than a line.
            break_long_word(
                word,
                max_width,
                &width_of,
                &mut lines,
                &mut line,
                &mut line_w,
            );
            tokens = 1;
            skip_blank = false;
        }
        lines.push(line.trim_end_matches(' ').to_string());
    }
    lines
}

/// Breaks `word` (wider than `max_width`) into full lines pushed onto `lines`; the last,
/// partial piece stays in `line`/`line_w` so following words can join it.
fn break_long_word(
    word: &str,
    max_width: f32,
    width_of: &impl Fn(char) -> f32,
    lines: &mut Vec<String>,
    line: &mut String,
    line_w: &mut f32,
) {
    let mut chunk: Vec<char> = Vec::new();
    let mut chunk_w = 0.0_f32;
    // Index in `chunk` just after the last preferred break character.
    let mut last_break: Option<usize> = None;
    for c in word.chars() {
        let w = width_of(c);
        if !chunk.is_empty() && chunk_w + w > max_width {
            // Prefer the last `-`, `/`, … only if it leaves the line at least half full.
            let cut = match last_break {
                Some(i) if i >= chunk.len().div_ceil(2) && i < chunk.len() => i,
                _ => chunk.len(),
            };
            let rest: Vec<char> = chunk.split_off(cut);
            lines.push(chunk.iter().collect());
            chunk = rest;
            chunk_w = chunk.iter().map(|&c| width_of(c)).sum();
            last_break = None;
        }
        chunk.push(c);
        chunk_w += w;
        if is_break_after(c) {
            last_break = Some(chunk.len());
        }
    }
    *line = chunk.into_iter().collect();
    *line_w = chunk_w;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character is 1 unit wide: widths are character counts.
    fn unit(_: char) -> f32 {
        1.0
    }

    #[test]
    fn sanitize_normalises_breaks_and_drops_controls() {
        assert_eq!(sanitize("a\r\nb\rc\td\u{7}e\u{0}"), "a\nb\nc de");
        assert_eq!(sanitize("Łódź <b>x</b> \"q\""), "Łódź <b>x</b> \"q\"");
    }

    #[test]
    fn empty_text_is_one_empty_line() {
        assert_eq!(wrap("", 10.0, unit), vec![String::new()]);
    }

    #[test]
    fn newlines_are_hard_breaks_and_blank_lines_are_kept() {
        assert_eq!(wrap("ab\n\ncd", 10.0, unit), vec!["ab", "", "cd"]);
    }

    #[test]
    fn greedy_word_wrap() {
        assert_eq!(
            wrap("the quick brown fox jumps", 10.0, unit),
            vec!["the quick", "brown fox", "jumps"]
        );
    }

    #[test]
    fn line_exactly_full_fits() {
        assert_eq!(wrap("abcde fghij", 11.0, unit), vec!["abcde fghij"]);
        assert_eq!(wrap("abcde fghij", 10.0, unit), vec!["abcde", "fghij"]);
    }

    #[test]
    fn long_word_is_broken_by_characters() {
        let id = "A".repeat(25);
        assert_eq!(
            wrap(&format!("ID {id} ok"), 10.0, unit),
            vec!["ID", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAA ok"]
        );
    }

    #[test]
    fn long_word_prefers_break_after_hyphen_in_the_back_half() {
        assert_eq!(
            wrap("abcdef-ghijklm", 8.0, unit),
            vec!["abcdef-", "ghijklm"]
        );
        // A hyphen early in the line would waste most of it: break by characters instead.
        assert_eq!(
            wrap("ab-cdefghijklm", 8.0, unit),
            vec!["ab-cdefg", "hijklm"]
        );
    }

    #[test]
    fn tiny_width_still_makes_progress() {
        assert_eq!(wrap("abc", 0.1, unit), vec!["a", "b", "c"]);
    }

    #[test]
    fn no_line_exceeds_width_and_no_text_is_lost() {
        let text = "Metformin 500 mg twice daily with meals; review renal function \
                    (eGFR) every 3–6 months. MEMBER-ID-0123456789012345678901234567890123456789";
        let lines = wrap(text, 17.0, unit);
        for l in &lines {
            assert!(l.chars().count() <= 17, "{l:?}");
        }
        let rejoined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
        let original: String = text.chars().filter(|c| *c != ' ').collect();
        assert_eq!(rejoined, original);
    }

    #[test]
    fn spaces_at_soft_break_are_dropped() {
        assert_eq!(wrap("abcd    efgh", 6.0, unit), vec!["abcd", "efgh"]);
    }
}
