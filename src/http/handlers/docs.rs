//! The contract and the vendored Swagger UI, embedded in the binary.

use actix_web::{http::header, web, HttpResponse};

use crate::error::{Error, Result};

const OPENAPI: &str = include_str!("../../../schemas/openapi.json");

const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "index.html",
        "text/html; charset=utf-8",
        include_bytes!("../../../static/swagger-ui/index.html"),
    ),
    (
        "init.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../static/swagger-ui/init.js"),
    ),
    (
        "swagger-ui-bundle.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../static/swagger-ui/swagger-ui-bundle.js"),
    ),
    (
        "swagger-ui.css",
        "text/css; charset=utf-8",
        include_bytes!("../../../static/swagger-ui/swagger-ui.css"),
    ),
    (
        "favicon-32x32.png",
        "image/png",
        include_bytes!("../../../static/swagger-ui/favicon-32x32.png"),
    ),
];

/// `GET /openapi.json`.
pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(OPENAPI)
}

/// `GET /docs`: to the UI's folder, so its relative links work.
pub async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/docs/"))
        .finish()
}

/// `GET /docs/{file}`: the UI's files; an empty name is the index.
pub async fn asset(path: web::Path<String>) -> Result<HttpResponse> {
    let name = if path.is_empty() { "index.html" } else { path.as_str() };
    let (_, mime, bytes) = ASSETS
        .iter()
        .find(|(n, _, _)| *n == name)
        .ok_or_else(|| Error::not_found("file", name))?;
    Ok(HttpResponse::Ok()
        .content_type(*mime)
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(*bytes))
}
