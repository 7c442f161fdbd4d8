//! The multilingual taxonomy over HTTP.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, OPERATOR};

async fn first_hit(app: &crate::helpers::TestApp, q: &str) -> String {
    let url = format!("/api/v1/tags?q={}", urlencode(q));
    let body: Value = app.get(&url, None).await.json().await.unwrap();
    body["items"][0]["id"].as_str().unwrap_or_default().to_string()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn the_same_concept_comes_first_in_every_language() {
    let app = spawn_app().await;
    for q in [
        "人工智能",
        "intelligence artificielle",
        "artificial intelligence",
        "AI",
        "ＡＩ",
        "Artificial  Intelligence",
    ] {
        assert_eq!(first_hit(&app, q).await, "ai", "query {q:?}");
    }
    for q in ["集成电路", "IC", "circuits intégrés", "integrated circuits"] {
        assert_eq!(first_hit(&app, q).await, "ic", "query {q:?}");
    }
    for q in [
        "再生医学",
        "regenerative medicine",
        "médecine régénérative",
        "medecine regenerative",
    ] {
        assert_eq!(first_hit(&app, q).await, "biomed.regenerative-medicine", "query {q:?}");
    }
}

#[tokio::test]
async fn without_a_query_the_roots_are_listed() {
    let app = spawn_app().await;
    let body: Value = app.get("/api/v1/tags?limit=50", None).await.json().await.unwrap();
    let ids: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    for root in [
        "ai",
        "ic",
        "energy",
        "biomed",
        "marine",
        "equipment",
        "materials",
        "agri",
        "tcm",
        "earth",
        "modsim",
        "env",
    ] {
        assert!(ids.contains(&root), "{root} missing from {ids:?}");
    }
}

#[tokio::test]
async fn a_concept_shows_its_labels_parent_and_children() {
    let app = spawn_app().await;
    let body: Value = app.get("/api/v1/tags/ai.ml", None).await.json().await.unwrap();
    assert_eq!(body["parent"]["id"], "ai");
    assert_eq!(body["labels"]["zh"], "机器学习");
    assert!(!body["children"].as_array().unwrap().is_empty(), "{body}");
}

#[tokio::test]
async fn an_unknown_or_garbage_tag_id_is_a_problem() {
    let app = spawn_app().await;
    assert_eq!(app.get("/api/v1/tags/ai.nothing-here", None).await.status(), 404);
    assert_eq!(app.get("/api/v1/tags/NOT%20AN%20ID", None).await.status(), 400);
}

#[tokio::test]
async fn resolve_turns_inputs_into_ids_and_suggests_for_unknown_ones() {
    let app = spawn_app().await;
    let res = app
        .post(
            "/api/v1/tags/resolve",
            None,
            &json!({"inputs": ["人工智能", "IA", "machine lerning", "再生醫學"]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let r = body["results"].as_array().unwrap();
    assert_eq!(r[0]["id"], "ai");
    assert_eq!(r[1]["id"], "ai");
    assert!(r[2]["id"].is_null());
    let suggested: Vec<&str> = r[2]["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(suggested.contains(&"ai.ml"), "{suggested:?}");
    assert_eq!(
        r[3]["id"], "biomed.regenerative-medicine",
        "traditional characters resolve"
    );
}

#[tokio::test]
async fn operators_add_concepts_that_then_resolve() {
    let app = spawn_app().await;
    let concept = json!({
        "id": "ai.ml.test-concept", "kind": "skill", "parent": "ai.ml",
        "labels": {"en": "zebra learning", "zh": "斑马学习", "fr": "apprentissage zèbre"},
        "aliases": {"en": ["ZL"]}
    });
    assert_eq!(app.post("/api/v1/tags", None, &concept).await.status(), 401);
    let res = app.post("/api/v1/tags", Some(OPERATOR), &concept).await;
    assert_eq!(res.status(), 201);
    assert_eq!(first_hit(&app, "斑马学习").await, "ai.ml.test-concept");
    let again = app.post("/api/v1/tags", Some(OPERATOR), &concept).await;
    assert_eq!(again.status(), 409);
}

#[tokio::test]
async fn a_concept_reusing_a_label_is_refused() {
    let app = spawn_app().await;
    let concept = json!({
        "id": "ai.clash", "kind": "skill", "parent": "ai",
        "labels": {"en": "machine learning", "zh": "冲突", "fr": "conflit"}
    });
    let res = app.post("/api/v1/tags", Some(OPERATOR), &concept).await;
    assert_eq!(res.status(), 409);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "label_taken");
}
