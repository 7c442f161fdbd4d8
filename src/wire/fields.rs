//! Helpers that parse one wire field into a domain value and record what is wrong with it.

use std::collections::HashSet;

use crate::domain::{LanguageCode, Problems, TagId, TagKind, TagLookup, Text};
use crate::error::FieldError;

/// A member the payload must carry; a missing one is reported like any bad field.
pub fn required<T>(p: &mut Problems, field: &str, value: Option<T>) -> Option<T> {
    if value.is_none() {
        p.push(field, "is required");
    }
    value
}

/// Required bounded text.
pub fn text(p: &mut Problems, field: &str, raw: &str, max: usize) -> Option<Text> {
    p.check(field, Text::parse(raw, 1, max))
}

/// Optional bounded text; blank counts as absent.
pub fn opt_text(p: &mut Problems, field: &str, raw: Option<&str>, max: usize) -> Option<Option<Text>> {
    match raw.map(str::trim) {
        None | Some("") => Some(None),
        Some(s) => p.check(field, Text::parse(s, 1, max)).map(Some),
    }
}

/// One tag reference: an id or a label or alias in any language.
pub fn tag(p: &mut Problems, field: &str, raw: &str, kind: Option<TagKind>, lookup: &dyn TagLookup) -> Option<TagId> {
    match lookup.lookup(raw, kind) {
        Ok(id) => Some(id),
        Err(suggestions) => {
            let what = match kind {
                Some(TagKind::Sector) => "sector",
                _ => "tag",
            };
            p.push_error(FieldError {
                field: field.to_string(),
                message: format!("unknown {what} {raw:?}"),
                suggestions,
            });
            None
        }
    }
}

/// A list of tag references, each once.
pub fn tags(
    p: &mut Problems,
    field: &str,
    raws: &[String],
    max: usize,
    kind: Option<TagKind>,
    lookup: &dyn TagLookup,
) -> Option<Vec<TagId>> {
    if !p.check_len(field, raws, 0, max) {
        return None;
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(raws.len());
    let mut ok = true;
    for (i, raw) in raws.iter().enumerate() {
        let f = format!("{field}[{i}]");
        match tag(p, &f, raw, kind, lookup) {
            Some(id) if !seen.insert(id.clone()) => {
                p.push(f, format!("{id} is listed twice"));
                ok = false;
            }
            Some(id) => out.push(id),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// A list of vocabulary values, each once.
pub fn vocab<T: Copy + PartialEq>(
    p: &mut Problems,
    field: &str,
    raws: &[String],
    min: usize,
    parse: fn(&str) -> Result<T, String>,
) -> Option<Vec<T>> {
    if !p.check_len(field, raws, min, 16) {
        return None;
    }
    let mut out: Vec<T> = Vec::new();
    let mut ok = true;
    for (i, raw) in raws.iter().enumerate() {
        match p.check(format!("{field}[{i}]"), parse(raw)) {
            Some(v) if out.contains(&v) => {
                p.push(format!("{field}[{i}]"), format!("{raw:?} is listed twice"));
                ok = false;
            }
            Some(v) => out.push(v),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// A list of required language codes, each checked, at most `max` of them.
pub fn language_codes(p: &mut Problems, field: &str, raws: &[String], max: usize) -> Option<Vec<LanguageCode>> {
    if !p.check_len(field, raws, 0, max) {
        return None;
    }
    let parsed: Vec<Option<LanguageCode>> = raws
        .iter()
        .enumerate()
        .map(|(i, l)| p.check(format!("{field}[{i}]"), LanguageCode::parse(l)))
        .collect();
    parsed.into_iter().collect()
}

/// An integer within a range.
pub fn int_in(p: &mut Problems, field: &str, raw: i64, min: i64, max: i64) -> Option<u16> {
    if (min..=max).contains(&raw) {
        u16::try_from(raw).ok()
    } else {
        p.push(field, format!("must be from {min} to {max}, got {raw}"));
        None
    }
}
