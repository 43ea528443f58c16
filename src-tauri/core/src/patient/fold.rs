//! Case- and accent-folding for sorting and ranking names ("Müller" sorts with "Muller").

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

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
