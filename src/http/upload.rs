//! A file upload body (bulk intake): the raw bytes, bounded at `MAX_INTAKE_BYTES`, with the
//! request's media type. Only operators upload: anyone else is refused before the body is read, so
//! that nobody without a token makes the server buffer 20 MiB.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, http::header, FromRequest, HttpRequest};
use futures_util::StreamExt;

use super::auth::Caller;
use crate::error::Error;
use crate::wire::limits::MAX_INTAKE_BYTES;

/// The bytes of an uploaded file and its `Content-Type`.
pub struct Upload {
    /// The body.
    pub bytes: Vec<u8>,
    /// The media type, without parameters, if one was sent.
    pub media_type: Option<String>,
}

impl FromRequest for Upload {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let media_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
        let allowed = Caller::from_request(req, &mut Payload::None)
            .into_inner()
            .and_then(|caller| caller.operator());
        let mut payload = payload.take();
        Box::pin(async move {
            allowed?;
            if declared.is_some_and(|n| n > MAX_INTAKE_BYTES) {
                return Err(Error::TooLarge {
                    limit: MAX_INTAKE_BYTES,
                });
            }
            let mut bytes = Vec::with_capacity(declared.unwrap_or(64 * 1024).min(MAX_INTAKE_BYTES));
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| Error::Malformed(format!("cannot read the body: {e}")))?;
                if bytes.len() + chunk.len() > MAX_INTAKE_BYTES {
                    return Err(Error::TooLarge {
                        limit: MAX_INTAKE_BYTES,
                    });
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(Upload { bytes, media_type })
        })
    }
}
