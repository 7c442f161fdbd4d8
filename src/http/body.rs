//! The JSON body extractor: bounded size, and every decoding error mapped to a field when it has one.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, http::header, FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::wire::decode;
use crate::wire::limits::MAX_BODY_BYTES;

/// A JSON request body of at most `MAX_BODY_BYTES`, decoded into `T`.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Body<T> {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
                return Err(Error::TooLarge { limit: MAX_BODY_BYTES });
            }
            let mut buf = Vec::with_capacity(declared.unwrap_or(1024).min(MAX_BODY_BYTES));
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| Error::Malformed(format!("cannot read the body: {e}")))?;
                if buf.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(Error::TooLarge { limit: MAX_BODY_BYTES });
                }
                buf.extend_from_slice(&chunk);
            }
            decode(&buf).map(Body)
        })
    }
}
