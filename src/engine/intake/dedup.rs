//! Duplicate keys: a person by name and organisation, a need by enterprise and title, normalised so
//! that case, width, punctuation, titles, word order and bracketed asides do not hide a duplicate.

use std::collections::HashMap;

use super::report::Link;
use crate::engine::taxonomy::normalize;

/// Words that say how to address someone, not who they are.
const HONORIFICS: &[&str] = &[
    "dr",
    "prof",
    "professor",
    "mr",
    "mrs",
    "ms",
    "miss",
    "phd",
    "博士",
    "教授",
    "先生",
    "女士",
];

/// The text without bracketed asides such as `(TUM)` or `（陈宇飞）`; unchanged when that leaves nothing.
pub fn without_asides(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut depth = 0usize;
    for c in raw.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    if out.trim().is_empty() {
        raw.to_string()
    } else {
        out
    }
}

fn words(raw: &str) -> Vec<String> {
    normalize(&without_asides(raw))
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The key of a person: name words without honorifics, in sorted order (so "Chen Yuting" and
/// "Yuting Chen" meet), and the organisation's letters and digits.
pub fn person_key(name: &str, organisation: &str) -> String {
    let mut name: Vec<String> = words(name)
        .into_iter()
        .filter(|w| !HONORIFICS.contains(&w.as_str()))
        .collect();
    name.sort();
    format!("{}\u{1f}{}", name.join(" "), words(organisation).concat())
}

/// The key of a need: the enterprise's and the title's letters and digits.
pub fn need_key(enterprise: &str, title: &str) -> String {
    format!("{}\u{1f}{}", words(enterprise).concat(), words(title).concat())
}

/// Stored records and earlier rows by key, for possible-duplicate links.
#[derive(Debug, Default)]
pub struct LinkIndex(HashMap<String, Vec<Link>>);

impl LinkIndex {
    /// Remembers `link` under `key`.
    pub fn add(&mut self, key: String, link: Link) {
        self.0.entry(key).or_default().push(link);
    }

    /// The links under `key`, but not those to the record `except`.
    pub fn find(&self, key: &str, except: Option<&str>) -> Vec<Link> {
        self.0
            .get(key)
            .map(|links| {
                links
                    .iter()
                    .filter(|l| except.is_none() || l.id.as_deref() != except)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_titles_and_word_order_do_not_hide_a_person() {
        assert_eq!(
            person_key("Dr. Chen Yuting", "Technical University of Munich"),
            person_key("yuting CHEN", "technical university of munich")
        );
    }

    #[test]
    fn a_bracketed_aside_does_not_hide_a_person() {
        assert_eq!(
            person_key("Chen Yufei (陈宇飞)", "Technical University of Munich (TUM)"),
            person_key("Chen Yufei", "Technical University of Munich")
        );
    }

    #[test]
    fn full_width_forms_and_punctuation_do_not_hide_an_organisation() {
        assert_eq!(person_key("李娜", "ＩＮＳＡ Lyon"), person_key("李娜", "INSA-Lyon"));
    }

    #[test]
    fn another_organisation_is_another_person() {
        assert_ne!(person_key("Li Na", "INSA Lyon"), person_key("Li Na", "CNRS"));
    }

    #[test]
    fn a_need_is_keyed_by_enterprise_and_title() {
        assert_eq!(
            need_key("Nansha Marine Co., Ltd.", "AUV navigation"),
            need_key("nansha marine co ltd", "AUV  Navigation")
        );
        assert_ne!(need_key("A Co.", "AUV navigation"), need_key("B Co.", "AUV navigation"));
    }
}
