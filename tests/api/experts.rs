//! Expert registration, self-service with the expert token, operator review and listing.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{expert_body, spawn_app, spawn_app_without_samples, OPERATOR};

#[tokio::test]
async fn registration_lands_pending_with_tags_resolved_from_any_language() {
    let app = spawn_app().await;
    let (id, token, body) = app.register(&expert_body("chen@example.de")).await;
    assert!(token.starts_with("tbe."), "{token}");
    assert_eq!(body["expert"]["status"], "pending_review");
    assert_eq!(body["expert"]["id"], id.as_str());
    let tags: Vec<&str> = body["expert"]["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["tag"].as_str().unwrap())
        .collect();
    assert_eq!(tags, vec!["ai.ml", "ai.nlp", "ai"]);
    assert_eq!(body["expert"]["consent"]["text_version"], "2026-01");
}

#[tokio::test]
async fn the_expert_token_reads_and_changes_its_own_profile_only() {
    let app = spawn_app().await;
    let (id, token, _) = app.register(&expert_body("a@example.de")).await;
    let (other, _, _) = app.register(&expert_body("b@example.de")).await;
    let own = app.get(&format!("/api/v1/experts/{id}"), Some(&token)).await;
    assert_eq!(own.status(), 200);
    assert_eq!(own.headers()["etag"], "\"1\"");
    assert_eq!(
        app.get(&format!("/api/v1/experts/{other}"), Some(&token))
            .await
            .status(),
        403
    );
    assert_eq!(app.get("/api/v1/experts", Some(&token)).await.status(), 403);
    assert_eq!(app.get(&format!("/api/v1/experts/{id}"), None).await.status(), 401);
    assert_eq!(
        app.get(&format!("/api/v1/experts/{id}"), Some("tbe.nonsense.token"))
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn an_expert_cannot_approve_itself_but_an_operator_can() {
    let app = spawn_app().await;
    let (id, token, _) = app.register(&expert_body("c@example.de")).await;
    let path = format!("/api/v1/experts/{id}");
    let res = app
        .send(Method::PATCH, &path, Some(&token), Some(&json!({"status": "active"})))
        .await;
    assert_eq!(res.status(), 403);
    let res = app
        .send(Method::PATCH, &path, Some(OPERATOR), Some(&json!({"status": "active"})))
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "active");
    assert_eq!(body["version"], 2);
    let res = app
        .send(Method::PATCH, &path, Some(&token), Some(&json!({"status": "inactive"})))
        .await;
    assert_eq!(res.status(), 200, "an approved expert may pause itself");
}

#[tokio::test]
async fn patch_merges_and_put_replaces() {
    let app = spawn_app().await;
    let (id, token, _) = app.register(&expert_body("d@example.de")).await;
    let path = format!("/api/v1/experts/{id}");
    let res = app
        .send(
            Method::PATCH,
            &path,
            Some(&token),
            Some(&json!({"city": "Paris", "timezone": "Europe/Paris", "contact": {"phone": null}})),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["city"], "Paris");
    assert_eq!(body["name"], "Dr. Chen Yuting", "untouched fields stay");
    assert!(body["contact"].get("phone").is_none(), "null removes: {body}");
    let mut replacement = expert_body("d@example.de");
    replacement["name"] = json!("Dr. Chen Y.");
    replacement.as_object_mut().unwrap().remove("consent");
    let res = app.send(Method::PUT, &path, Some(&token), Some(&replacement)).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["name"], "Dr. Chen Y.");
    assert_eq!(body["city"], "Munich");
    assert_eq!(body["version"], 3);
}

#[tokio::test]
async fn a_stale_if_match_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (id, token, _) = app.register(&expert_body("e@example.de")).await;
    let url = format!("{}/api/v1/experts/{id}", app.address);
    let ok = app
        .client
        .patch(&url)
        .bearer_auth(&token)
        .header("if-match", "\"1\"")
        .json(&json!({"city": "Lyon"}))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let stale = app
        .client
        .patch(&url)
        .bearer_auth(&token)
        .header("if-match", "\"1\"")
        .json(&json!({"city": "Nice"}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 412);
    let body: Value = stale.json().await.unwrap();
    assert_eq!(body["code"], "version_mismatch");
    assert_eq!(body["current_version"], 2);
    let now: Value = app
        .get(&format!("/api/v1/experts/{id}"), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(now["city"], "Lyon");
}

#[tokio::test]
async fn the_same_email_twice_is_a_conflict_naming_the_profile() {
    let app = spawn_app().await;
    let (id, _, _) = app.register(&expert_body("dup@example.de")).await;
    let res = app.post("/api/v1/experts", None, &expert_body("DUP@example.de")).await;
    assert_eq!(res.status(), 409);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "email_taken");
    assert_eq!(body["existing"], id.as_str());
}

#[tokio::test]
async fn deleting_removes_the_profile_and_its_token() {
    let app = spawn_app().await;
    let (id, token, _) = app.register(&expert_body("f@example.de")).await;
    let path = format!("/api/v1/experts/{id}");
    assert_eq!(app.send(Method::DELETE, &path, Some(&token), None).await.status(), 204);
    assert_eq!(
        app.get(&path, Some(OPERATOR)).await.status(),
        410,
        "an erased expert is gone"
    );
    assert_eq!(app.get(&path, Some(&token)).await.status(), 401);
    app.register(&expert_body("f@example.de")).await;
}

#[tokio::test]
async fn operators_filter_the_list_including_narrower_tags() {
    let app = spawn_app_without_samples().await;
    let (a, _, _) = app.register(&expert_body("g@example.de")).await;
    let mut other = expert_body("h@example.fr");
    other["country"] = json!("FR");
    other["skills"] = json!([{"tag": "energy.batteries", "level": 5}]);
    other["sectors"] = json!(["energy"]);
    other["languages"] = json!([{"code": "fr", "proficiency": "native"}]);
    other["engagement_modes"] = json!(["joint_research"]);
    let (b, _, _) = app.register(&other).await;
    let ids = |v: Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids(app.get_ok("/api/v1/experts?tag=ai").await),
        vec![a.clone()],
        "ai includes ai.ml and ai.nlp"
    );
    assert_eq!(ids(app.get_ok("/api/v1/experts?country=FR").await), vec![b.clone()]);
    assert_eq!(ids(app.get_ok("/api/v1/experts?language=zh").await), vec![a.clone()]);
    assert_eq!(ids(app.get_ok("/api/v1/experts?sector=energy").await), vec![b.clone()]);
    assert_eq!(
        ids(app.get_ok("/api/v1/experts?status=active").await),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(app.get_ok("/api/v1/experts?mode=consulting").await),
        vec![a.clone()]
    );
    let res = app
        .get("/api/v1/experts?tag=nonexistent-skill-xyz", Some(OPERATOR))
        .await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn the_cursor_walks_every_expert_once() {
    let app = spawn_app().await;
    let mut seen = Vec::new();
    let mut path = "/api/v1/experts?limit=7".to_string();
    loop {
        let page = app.get_ok(&path).await;
        for e in page["items"].as_array().unwrap() {
            seen.push(e["id"].as_str().unwrap().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/experts?limit=7&cursor={c}"),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len());
    assert!(seen.len() >= 60, "{}", seen.len());
    assert_eq!(
        app.get("/api/v1/experts?cursor=garbage!", Some(OPERATOR))
            .await
            .status(),
        400
    );
}
