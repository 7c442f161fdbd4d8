//! File answers: a body sent as an attachment with its media type and file name.

use actix_web::{http::header, HttpResponse};

/// `body` as a download named `name`.
pub fn attachment(content_type: &str, name: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type.to_string()))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .body(body)
}
