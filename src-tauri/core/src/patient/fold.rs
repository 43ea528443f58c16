//! Case- and accent-folding for sorting and ranking names ("Müller" sorts with "Muller").

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Letters that Unicode does not decompose into a base letter and a mark, so neither NFD nor
/// SQLite's `remove_diacritics` folds them, with how people type them on a plain keyboard.
/// Migration 6 spells patient names with this same table in the `search_name` column (a test
/// checks the two agree). Hand-written rather than a transliteration crate because the
/// database side must be plain SQL `replace()`s, and the two must match exactly.
pub(crate) const TRANSLITERATION: &[(&str, &str)] = &[
    ("ø", "o"),
    ("Ø", "O"),
    ("ł", "l"),
    ("Ł", "L"),
    ("æ", "ae"),
    ("Æ", "Ae"),
    ("œ", "oe"),
    ("Œ", "Oe"),
    ("ß", "ss"),
    ("đ", "d"),
    ("Đ", "D"),
    ("ð", "d"),
    ("Ð", "D"),
    ("þ", "th"),
    ("Þ", "Th"),
    ("ı", "i"),
    ("ħ", "h"),
    ("Ħ", "H"),
];

/// `s` with the letters of [`TRANSLITERATION`] spelled out ("Ødegård" → "Odegård").
pub(crate) fn transliterate(s: &str) -> String {
    TRANSLITERATION
        .iter()
        .fold(s.to_string(), |acc, (from, to)| acc.replace(from, to))
}

pub(crate) fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Family name, then given name: the clinic's alphabetical order.
pub(crate) fn sort_key(family: &str, given: &str) -> String {
    format!("{}\u{1f}{}", fold(family), fold(given))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Müller"), "muller");
        assert_eq!(fold("ZOË"), "zoe");
        assert_eq!(fold("Seán O'Neil"), "sean o'neil");
        assert!(sort_key("Müller", "Anna") < sort_key("Myers", "Anna"));
    }
}
