//! Shared parsing of query parameters into domain filters.

use crate::domain::{Problems, TagId, TagKind};
use crate::engine::{Taxonomy, MAX_PAGE};
use crate::error::{Error, FieldError, Result};

/// Resolves an optional tag filter given as id or label; an unknown one comes back with suggestions.
pub fn tag_filter(
    p: &mut Problems,
    taxonomy: &Taxonomy,
    field: &str,
    raw: Option<&str>,
    kind: Option<TagKind>,
) -> Option<Option<TagId>> {
    let Some(raw) = raw else { return Some(None) };
    match taxonomy.resolve(raw) {
        Some(id) => Some(Some(id.clone())),
        None => {
            p.push_error(FieldError {
                field: field.to_string(),
                message: format!("unknown tag {raw:?}"),
                suggestions: taxonomy
                    .suggest(raw, kind, 5)
                    .into_iter()
                    .map(|s| format!("{} ({})", s.label, s.id))
                    .collect(),
            });
            None
        }
    }
}

/// Parses an optional value with `parse`, recording the problem under `field`.
pub fn opt<T>(
    p: &mut Problems,
    field: &str,
    raw: Option<&str>,
    parse: impl Fn(&str) -> std::result::Result<T, String>,
) -> Option<Option<T>> {
    match raw {
        None => Some(None),
        Some(r) => p.check(field, parse(r)).map(Some),
    }
}

/// The page size: `default` when absent, 1..=MAX_PAGE otherwise.
pub fn limit(raw: Option<usize>, default: usize) -> Result<usize> {
    match raw {
        None => Ok(default),
        Some(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
        Some(n) => Err(Error::BadParameter(format!(
            "limit must be from 1 to {MAX_PAGE}, got {n}"
        ))),
    }
}

/// An optional date parameter `YYYY-MM-DD`, `default` when absent.
pub fn date(raw: Option<&str>, default: chrono::NaiveDate, name: &str) -> Result<chrono::NaiveDate> {
    raw.map_or(Ok(default), |r| {
        chrono::NaiveDate::parse_from_str(r, "%Y-%m-%d")
            .map_err(|_| Error::BadParameter(format!("{name} must be a date such as 2026-12-03, got {r:?}")))
    })
}
