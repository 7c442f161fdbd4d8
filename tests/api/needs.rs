//! Enterprise needs: operators only.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{expert_body, need_body, spawn_app, OPERATOR};

#[tokio::test]
async fn operators_create_read_update_close_and_delete_a_need() {
    let app = spawn_app().await;
    let (id, body) = app.create_need(&need_body()).await;
    assert_eq!(body["status"], "open");
    assert_eq!(body["skills"][1]["tag"], "ai.nlp", "aliases resolve");
    let path = format!("/api/v1/needs/{id}");
    let read = app.get_ok(&path).await;
    assert_eq!(read["title"], body["title"]);
    let res = app
        .send(Method::PATCH, &path, Some(OPERATOR), Some(&json!({"status": "closed"})))
        .await;
    assert_eq!(res.status(), 200);
    let closed: Value = res.json().await.unwrap();
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["version"], 2);
    let mut replacement = need_body();
    replacement["title"] = json!("A new title");
    let res = app.send(Method::PUT, &path, Some(OPERATOR), Some(&replacement)).await;
    assert_eq!(res.status(), 200);
    let replaced: Value = res.json().await.unwrap();
    assert_eq!(replaced["status"], "open", "PUT without status reopens as open");
    assert_eq!(
        app.send(Method::DELETE, &path, Some(OPERATOR), None).await.status(),
        204
    );
    assert_eq!(app.get(&path, Some(OPERATOR)).await.status(), 404);
}

#[tokio::test]
async fn needs_are_for_operators_only() {
    let app = spawn_app().await;
    let (_, token, _) = app.register(&expert_body("n@example.de")).await;
    assert_eq!(app.post("/api/v1/needs", None, &need_body()).await.status(), 401);
    assert_eq!(
        app.post("/api/v1/needs", Some(&token), &need_body()).await.status(),
        403
    );
    assert_eq!(app.get("/api/v1/needs", Some(&token)).await.status(), 403);
}

#[tokio::test]
async fn the_need_list_filters_by_status_type_and_tag() {
    let app = spawn_app().await;
    let open = app.get_ok("/api/v1/needs?status=open&limit=200").await;
    let items = open["items"].as_array().unwrap();
    assert!(items.len() >= 20, "{}", items.len());
    assert!(items.iter().all(|n| n["status"] == "open"));
    let ai = app.get_ok("/api/v1/needs?tag=人工智能&limit=200").await;
    for n in ai["items"].as_array().unwrap() {
        let tags: Vec<&str> = n["skills"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["tag"].as_str().unwrap())
            .collect();
        assert!(tags.iter().any(|t| *t == "ai" || t.starts_with("ai.")), "{tags:?}");
    }
    assert_eq!(
        app.get("/api/v1/needs?need_type=bogus", Some(OPERATOR)).await.status(),
        422
    );
}
