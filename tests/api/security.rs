//! Hostile input over HTTP: script- and SQL-looking text is stored and returned as plain data,
//! deeply nested and oversized bodies are refused with a problem and leave the server serving,
//! and another expert's ids are out of reach.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{expert_body, need_body, spawn_app_without_samples, OPERATOR};

const SCRIPT: &str = "<script>alert('x')</script><img src=x onerror=alert(1)>";
const SQL: &str = "Robert'); DROP TABLE experts;-- \" OR 1=1 --";

#[tokio::test]
async fn script_and_sql_looking_input_is_stored_and_returned_inert() {
    let app = spawn_app_without_samples().await;
    let mut body = expert_body("inert@example.de");
    body["name"] = json!(SCRIPT);
    body["organisation"] = json!(SQL);
    body["bio"] = json!(format!("{SCRIPT} {SQL}"));
    let (id, token, _) = app.register(&body).await;

    let res = app.get(&format!("/api/v1/experts/{id}"), Some(&token)).await;
    assert_eq!(res.status(), 200);
    let kind = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(kind.starts_with("application/json"), "{kind}");
    let expert: Value = res.json().await.unwrap();
    assert_eq!(
        expert["name"], SCRIPT,
        "returned as stored, not stripped or escaped into another text"
    );
    assert_eq!(expert["organisation"], SQL);
    assert_eq!(expert["bio"], format!("{SCRIPT} {SQL}"));

    // The store is untouched by the "SQL": the other records and lists still work.
    let (other, _, _) = app.register(&expert_body("other@example.de")).await;
    let list = app.get_ok("/api/v1/experts?limit=50").await;
    let ids: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&id.as_str()) && ids.contains(&other.as_str()), "{ids:?}");

    // Search input of the same kind is an ordinary query string.
    let res = app.get(&format!("/api/v1/tags?q={}", urlencode(SQL)), None).await;
    assert_eq!(res.status(), 200);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn deeply_nested_json_is_refused_and_the_server_keeps_serving() {
    let app = spawn_app_without_samples().await;
    let depth = 100_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let (need, _) = app.create_need(&need_body()).await;
    // Typed bodies stop at the first value of the wrong shape (422); a merge patch is read as
    // free JSON, where the parser's depth limit refuses it (400). Neither may crash the server.
    let cases = [
        (Method::POST, "/api/v1/experts".to_string(), 422, "validation_failed"),
        (Method::POST, "/api/v1/match".to_string(), 422, "validation_failed"),
        (Method::POST, "/api/v1/events".to_string(), 422, "validation_failed"),
        (Method::PATCH, format!("/api/v1/needs/{need}"), 400, "malformed_json"),
    ];
    for (method, path, status, code) in cases {
        for body in [nested.clone(), format!("{{\"x\": {nested}}}")] {
            let res = app
                .client
                .request(method.clone(), format!("{}{path}", app.address))
                .bearer_auth(OPERATOR)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .expect("answered, not dropped");
            let kind = res.headers()["content-type"].to_str().unwrap().to_string();
            assert_eq!(kind, "application/problem+json", "{method} {path}");
            let got = res.status().as_u16();
            let problem: Value = res.json().await.unwrap();
            assert!(
                got == status && problem["code"] == code || got == 400 && problem["code"] == "malformed_json",
                "{method} {path}: {got} {problem}"
            );
        }
    }
    let res = app.get("/healthz", None).await;
    assert_eq!(res.status(), 200, "still serving");
}

#[tokio::test]
async fn oversized_bodies_are_refused_before_they_are_read() {
    let app = spawn_app_without_samples().await;
    let mut need = need_body();
    need["description"] = json!("x".repeat(2 * 1024 * 1024));
    let res = app.post("/api/v1/needs", Some(OPERATOR), &need).await;
    assert_eq!(res.status(), 413);
    let problem: Value = res.json().await.unwrap();
    assert_eq!(problem["code"], "payload_too_large");
    assert_eq!(app.get("/healthz", None).await.status(), 200);
}

#[tokio::test]
async fn an_expert_token_reaches_no_other_experts_records() {
    let app = spawn_app_without_samples().await;
    let (me, token, _) = app.register(&expert_body("me@example.de")).await;
    let (other, _, _) = app.register(&expert_body("you@example.de")).await;
    let base = format!("/api/v1/experts/{other}");
    let attempts: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, base.clone(), None),
        (Method::PUT, base.clone(), Some(expert_body("you@example.de"))),
        (Method::PATCH, base.clone(), Some(json!({"city": "Bonn"}))),
        (Method::DELETE, base.clone(), None),
        (Method::GET, format!("{base}/matches"), None),
        (Method::GET, format!("{base}/export"), None),
        (Method::DELETE, format!("{base}/consent"), None),
        (Method::GET, "/api/v1/experts".to_string(), None),
        (Method::GET, "/api/v1/needs".to_string(), None),
        (Method::GET, "/api/v1/audit".to_string(), None),
    ];
    for (method, path, body) in attempts {
        let res = app.send(method.clone(), &path, Some(&token), body.as_ref()).await;
        assert_eq!(res.status(), 403, "{method} {path}");
    }
    // The other expert is untouched, and the token still works for its owner.
    let res = app.get(&base, Some(OPERATOR)).await;
    let other_now: Value = res.json().await.unwrap();
    assert_eq!(other_now["version"], 1);
    assert_eq!(
        app.get(&format!("/api/v1/experts/{me}"), Some(&token)).await.status(),
        200
    );
}
