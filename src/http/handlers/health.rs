//! Liveness and readiness.

use actix_web::{web, HttpResponse};
use serde_json::json;

use crate::engine::Engine;

/// `GET /healthz`: the process answers.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// `GET /readyz`: the store is open and the taxonomy and records are loaded.
pub async fn readyz(engine: web::Data<Engine>) -> HttpResponse {
    let tags = engine.taxonomy().len();
    let experts: i64 = engine.counts().experts().iter().map(|(_, n)| n).sum();
    let needs: i64 = engine.counts().needs().iter().map(|(_, n)| n).sum();
    if tags == 0 {
        return HttpResponse::ServiceUnavailable()
            .json(json!({"status": "not_ready", "reason": "taxonomy not loaded"}));
    }
    HttpResponse::Ok().json(json!({"status": "ready", "tags": tags, "experts": experts, "needs": needs}))
}
