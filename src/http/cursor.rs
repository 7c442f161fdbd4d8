//! Opaque list cursors: the last id of the previous page, base64url-encoded.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::error::{Error, Result};

/// Encodes the id to continue after.
pub fn encode(id: &impl ToString) -> String {
    URL_SAFE_NO_PAD.encode(id.to_string())
}

/// Decodes a cursor with `parse`, or 400 when it was not made by `encode`.
pub fn decode<T>(cursor: Option<&str>, parse: fn(&str) -> std::result::Result<T, String>) -> Result<Option<T>> {
    let Some(c) = cursor else { return Ok(None) };
    let bad = || {
        Error::BadParameter(format!(
            "cursor {c:?} is not valid; use next_cursor from the previous page"
        ))
    };
    let bytes = URL_SAFE_NO_PAD.decode(c).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    parse(&text).map(Some).map_err(|_| bad())
}
