//! Normalisation of tag input before lookup: NFKC, case, whitespace, diacritics, traditional Chinese.

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Traditional → simplified pairs, one `T\tS` per line.
const ZH_VARIANTS: &str = include_str!("zh_variants.txt");

fn zh_variants() -> &'static HashMap<char, char> {
    static TABLE: OnceLock<HashMap<char, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        ZH_VARIANTS
            .lines()
            .filter_map(|line| {
                let mut chars = line.split('\t').map(|s| s.chars());
                let t = chars.next()?.next()?;
                let s = chars.next()?.next()?;
                Some((t, s))
            })
            .collect()
    })
}

/// The lookup key of a label or of user input: NFKC (full-width forms), lowercase, accents stripped,
/// traditional Chinese characters simplified, hyphens and underscores as spaces, whitespace collapsed.
pub fn normalize(input: &str) -> String {
    let variants = zh_variants();
    let folded: String = input
        .nfkc()
        .flat_map(char::to_lowercase)
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            '-' | '_' | '\u{2010}'..='\u{2015}' => ' ',
            c => *variants.get(&c).unwrap_or(&c),
        })
        .nfc()
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_surrounding_whitespace_do_not_matter() {
        assert_eq!(normalize("  Artificial   Intelligence "), "artificial intelligence");
    }

    #[test]
    fn full_width_forms_become_ascii() {
        assert_eq!(normalize("ＡＩ"), "ai");
    }

    #[test]
    fn french_accents_are_folded() {
        assert_eq!(normalize("Médecine Régénérative"), "medecine regenerative");
    }

    #[test]
    fn traditional_chinese_is_simplified() {
        assert_eq!(normalize("積體電路"), normalize("积体电路"));
        assert_eq!(normalize("人工智慧"), "人工智慧");
    }

    #[test]
    fn hyphens_count_as_spaces() {
        assert_eq!(normalize("solid-state  battery"), "solid state battery");
    }

    #[test]
    fn the_variant_table_is_well_formed() {
        assert!(zh_variants().len() > 300, "only {} pairs", zh_variants().len());
        for line in ZH_VARIANTS.lines() {
            assert_eq!(line.chars().count(), 3, "bad line {line:?}");
        }
    }
}
