//! Health, readiness, metrics, request ids, docs.

use crate::helpers::{spawn_app, OPERATOR};

#[tokio::test]
async fn healthz_answers_ok() {
    let app = spawn_app().await;
    let res = app.get("/healthz", None).await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn readyz_reports_loaded_records() {
    let app = spawn_app().await;
    let body: serde_json::Value = app.get("/readyz", None).await.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert!(body["tags"].as_u64().unwrap() >= 300, "{body}");
    assert!(body["experts"].as_u64().unwrap() >= 60, "{body}");
    assert!(body["needs"].as_u64().unwrap() >= 30, "{body}");
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_an_incoming_one_is_echoed() {
    let app = spawn_app().await;
    let res = app.get("/healthz", None).await;
    assert!(res.headers().get("x-request-id").is_some());
    let res = app
        .client
        .get(format!("{}/healthz", app.address))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "abc-123");
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_records_by_status() {
    let app = spawn_app().await;
    app.get("/api/v1/tags?q=AI", None).await;
    let text = app.get("/metrics", None).await.text().await.unwrap();
    assert!(
        text.contains(r#"talentbridge_http_requests_total{method="GET",route="/api/v1/tags",status="200"} 1"#),
        "{text}"
    );
    assert!(text.contains(r#"talentbridge_experts{status="active"}"#), "{text}");
    assert!(
        text.contains("talentbridge_http_request_duration_seconds_bucket"),
        "{text}"
    );
}

#[tokio::test]
async fn the_contract_and_the_browsable_docs_are_served() {
    let app = spawn_app().await;
    let spec: serde_json::Value = app.get("/openapi.json", None).await.json().await.unwrap();
    assert_eq!(spec["openapi"].as_str().map(|v| v.starts_with("3.1")), Some(true));
    let page = app.get("/docs/", None).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("swagger-ui"));
    assert_eq!(app.get("/docs/swagger-ui-bundle.js", None).await.status(), 200);
}

#[tokio::test]
async fn unknown_routes_and_methods_get_problem_bodies() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/nothing", Some(OPERATOR)).await;
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let res = app
        .send(reqwest::Method::DELETE, "/api/v1/tags", Some(OPERATOR), None)
        .await;
    assert_eq!(res.status(), 405);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], "method_not_allowed");
}
