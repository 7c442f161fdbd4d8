//! Optimistic concurrency on the wire: `If-Match` in, `ETag` out, both carrying the record's version.

use std::future::{ready, Ready};

use actix_web::{http::header, FromRequest, HttpRequest};

use crate::error::{Error, Result};

/// The version named by `If-Match`, if any (`*` names none).
#[derive(Debug, Clone, Copy)]
pub struct IfMatch(pub Option<u64>);

fn parse(req: &HttpRequest) -> Result<IfMatch> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(IfMatch(None));
    };
    let raw = value.to_str().unwrap_or("").trim();
    if raw == "*" {
        return Ok(IfMatch(None));
    }
    let unquoted = raw.trim_start_matches("W/").trim_matches('"');
    unquoted
        .parse::<u64>()
        .map(|v| IfMatch(Some(v)))
        .map_err(|_| Error::BadParameter(format!("If-Match must be a version such as \"3\", got {raw:?}")))
}

impl FromRequest for IfMatch {
    type Error = Error;
    type Future = Ready<Result<Self>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready(parse(req))
    }
}

/// The `ETag` header for a version.
pub fn etag(version: u64) -> (header::HeaderName, String) {
    (header::ETAG, format!("\"{version}\""))
}
