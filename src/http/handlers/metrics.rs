//! `GET /metrics`: Prometheus text.

use actix_web::{web, HttpResponse};

use crate::engine::Engine;
use crate::http::metrics::Metrics;

/// Renders request metrics and record counts.
pub async fn metrics(engine: web::Data<Engine>, metrics: web::Data<Metrics>) -> HttpResponse {
    match metrics.render(&engine) {
        Ok(text) => HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(text),
        Err(e) => {
            tracing::error!(error = %e, "rendering metrics failed");
            HttpResponse::InternalServerError().finish()
        }
    }
}
