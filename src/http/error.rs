//! The only `ResponseError`: every error becomes an RFC 9457 problem+json body with a stable code.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::error::{Error, FieldError};

/// An RFC 9457 problem body.
#[derive(Debug, Serialize)]
pub struct Problem<'a> {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    pub code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<&'a [FieldError]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<u64>,
    /// For `illegal_transition`: the states the record may move to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<&'a [String]>,
}

/// Status, stable code and title of every error: the one table of the service.
pub fn classify(e: &Error) -> (StatusCode, &'static str, &'static str) {
    match e {
        Error::NotFound { .. } => (StatusCode::NOT_FOUND, "not_found", "Not found"),
        Error::Erased { .. } => (StatusCode::GONE, "erased", "Erased"),
        Error::Malformed(_) => (StatusCode::BAD_REQUEST, "malformed_json", "Malformed request body"),
        Error::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", "Invalid fields"),
        Error::BadParameter(_) => (StatusCode::BAD_REQUEST, "invalid_parameter", "Invalid parameter"),
        Error::Conflict { code, .. } => (StatusCode::CONFLICT, code, "Conflict"),
        Error::Transition { .. } => (StatusCode::CONFLICT, "illegal_transition", "Illegal transition"),
        Error::Stale { .. } => (StatusCode::PRECONDITION_FAILED, "version_mismatch", "Stale version"),
        Error::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized", "Unauthorized"),
        Error::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "Forbidden"),
        Error::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "Payload too large"),
        Error::Storage(_) | Error::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", "Internal error"),
    }
}

/// A problem response for `status` with a code and detail, for errors outside `crate::Error`.
pub fn problem_response(status: StatusCode, code: &'static str, title: &'static str, detail: String) -> HttpResponse {
    let body = Problem {
        kind: format!("urn:talentbridge:problem:{code}"),
        title,
        status: status.as_u16(),
        detail,
        code,
        errors: None,
        existing: None,
        current_version: None,
        allowed: None,
    };
    HttpResponse::build(status)
        .content_type("application/problem+json")
        .json(body)
}

impl ResponseError for Error {
    fn status_code(&self) -> StatusCode {
        classify(self).0
    }

    fn error_response(&self) -> HttpResponse {
        let (status, code, title) = classify(self);
        let detail = if status.is_server_error() {
            // The cause is logged once here, on the request span; the caller learns only that it failed.
            tracing::error!(error = %self, "request failed");
            "an internal error happened; it was logged with this request's id".to_string()
        } else {
            self.to_string()
        };
        let body = Problem {
            kind: format!("urn:talentbridge:problem:{code}"),
            title,
            status: status.as_u16(),
            detail,
            code,
            errors: match self {
                Error::Invalid(list) => Some(list),
                _ => None,
            },
            existing: match self {
                Error::Conflict { existing, .. } => existing.as_deref(),
                _ => None,
            },
            current_version: match self {
                Error::Stale { current, .. } => Some(*current),
                _ => None,
            },
            allowed: match self {
                Error::Transition { allowed, .. } => Some(allowed),
                _ => None,
            },
        };
        let mut res = HttpResponse::build(status);
        res.content_type("application/problem+json");
        if status == StatusCode::UNAUTHORIZED {
            res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        res.json(body)
    }
}

/// Routes query-string errors into the problem shape.
pub fn query_error(err: actix_web::error::QueryPayloadError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    Error::BadParameter(format!("invalid query: {err}")).into()
}

/// Routes path errors into the problem shape.
pub fn path_error(err: actix_web::error::PathError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    Error::BadParameter(format!("invalid path: {err}")).into()
}
