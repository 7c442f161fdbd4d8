//! Every kind of bad input gets problem+json with a stable code and one entry per bad field, and
//! leaves nothing written.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{expert_body, need_body, spawn_app, TestApp, OPERATOR};

/// What a bad request must produce.
struct Case {
    description: &'static str,
    body: Value,
    status: u16,
    code: &'static str,
    fields: &'static [&'static str],
}

/// Sets the value at a JSON pointer; the parent must exist, the last key may be new.
fn with(mut body: Value, pointer: &str, value: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    let target = body.pointer_mut(parent).unwrap_or_else(|| panic!("no {parent}"));
    match target {
        Value::Array(items) => items[key.parse::<usize>().expect("an index")] = value,
        Value::Object(map) => {
            map.insert(key.to_string(), value);
        }
        other => panic!("cannot set {key} in {other}"),
    }
    body
}

fn without(mut body: Value, key: &str) -> Value {
    body.as_object_mut().unwrap().remove(key);
    body
}

fn expert_cases() -> Vec<Case> {
    let base = || expert_body("valid@example.de");
    let fifty_one: Vec<Value> = (0..51).map(|i| json!({"tag": format!("x{i}"), "level": 3})).collect();
    vec![
        Case {
            description: "a wrong type",
            body: with(base(), "/hours_per_month", json!("twenty")),
            status: 422,
            code: "validation_failed",
            fields: &["hours_per_month"],
        },
        Case {
            description: "an unknown field",
            body: with(base(), "/salary", json!(1)),
            status: 422,
            code: "validation_failed",
            fields: &["salary"],
        },
        Case {
            description: "a missing required field",
            body: without(base(), "name"),
            status: 422,
            code: "validation_failed",
            fields: &["name"],
        },
        Case {
            description: "an unknown tag",
            body: with(base(), "/skills/0/tag", json!("machine lerning")),
            status: 422,
            code: "validation_failed",
            fields: &["skills[0].tag"],
        },
        Case {
            description: "a skill level of 0",
            body: with(base(), "/skills/1/level", json!(0)),
            status: 422,
            code: "validation_failed",
            fields: &["skills[1].level"],
        },
        Case {
            description: "a skill level of 6",
            body: with(base(), "/skills/1/level", json!(6)),
            status: 422,
            code: "validation_failed",
            fields: &["skills[1].level"],
        },
        Case {
            description: "more than 50 skills",
            body: with(base(), "/skills", json!(fifty_one)),
            status: 422,
            code: "validation_failed",
            fields: &["skills"],
        },
        Case {
            description: "a name over 200 characters",
            body: with(base(), "/name", json!("x".repeat(201))),
            status: 422,
            code: "validation_failed",
            fields: &["name"],
        },
        Case {
            description: "a bad email",
            body: with(base(), "/contact/email", json!("not-an-email")),
            status: 422,
            code: "validation_failed",
            fields: &["contact.email"],
        },
        Case {
            description: "a bad language code",
            body: with(base(), "/languages/0/code", json!("xx")),
            status: 422,
            code: "validation_failed",
            fields: &["languages[0].code"],
        },
        Case {
            description: "a bad time zone",
            body: with(base(), "/timezone", json!("Beijing Time")),
            status: 422,
            code: "validation_failed",
            fields: &["timezone"],
        },
        Case {
            description: "a bad country",
            body: with(base(), "/country", json!("Germany")),
            status: 422,
            code: "validation_failed",
            fields: &["country"],
        },
        Case {
            description: "no consent",
            body: without(base(), "consent"),
            status: 422,
            code: "validation_failed",
            fields: &["consent"],
        },
        Case {
            description: "refused consent",
            body: with(base(), "/consent/given", json!(false)),
            status: 422,
            code: "validation_failed",
            fields: &["consent.given"],
        },
        Case {
            description: "a skill as a sector",
            body: with(base(), "/sectors", json!(["ai.ml"])),
            status: 422,
            code: "validation_failed",
            fields: &["sectors[0]"],
        },
        Case {
            description: "an unknown engagement mode",
            body: with(base(), "/engagement_modes", json!(["freelance"])),
            status: 422,
            code: "validation_failed",
            fields: &["engagement_modes[0]"],
        },
        Case {
            description: "an unknown channel",
            body: with(base(), "/channel", json!("no-such-channel")),
            status: 422,
            code: "validation_failed",
            fields: &["channel"],
        },
        Case {
            description: "several bad fields at once",
            body: with(
                with(
                    with(base(), "/timezone", json!("Nowhere/Land")),
                    "/contact/email",
                    json!("x@"),
                ),
                "/skills/0/level",
                json!(9),
            ),
            status: 422,
            code: "validation_failed",
            fields: &["contact.email", "timezone", "skills[0].level"],
        },
    ]
}

async fn check(app: &TestApp, method: Method, path: &str, token: Option<&str>, case: &Case) {
    let res = app.send(method, path, token, Some(&case.body)).await;
    let status = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert_eq!(status, case.status, "{}: {body}", case.description);
    assert_eq!(
        content_type.as_deref(),
        Some("application/problem+json"),
        "{}",
        case.description
    );
    assert_eq!(body["code"], case.code, "{}: {body}", case.description);
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .map(|a| a.iter().map(|e| e["field"].as_str().unwrap()).collect())
        .unwrap_or_default();
    for f in case.fields {
        assert!(fields.contains(f), "{}: {f} missing from {fields:?}", case.description);
    }
    assert_eq!(
        fields.len(),
        case.fields.len(),
        "{}: one entry per bad field, got {fields:?}",
        case.description
    );
}

#[tokio::test]
async fn bad_registrations_are_refused_field_by_field_and_store_nothing() {
    let app = spawn_app().await;
    let before = app.get_ok("/readyz").await["experts"].as_u64().unwrap();
    for case in expert_cases() {
        check(&app, Method::POST, "/api/v1/experts", None, &case).await;
    }
    let after = app.get_ok("/readyz").await["experts"].as_u64().unwrap();
    assert_eq!(before, after, "a refused registration wrote something");
}

#[tokio::test]
async fn an_unknown_tag_comes_back_with_suggestions() {
    let app = spawn_app().await;
    let body = with(expert_body("s@example.de"), "/skills/0/tag", json!("machine lerning"));
    let res: Value = app.post("/api/v1/experts", None, &body).await.json().await.unwrap();
    let suggestions = res["errors"][0]["suggestions"].as_array().expect("suggestions");
    assert!(
        suggestions.iter().any(|s| s.as_str().unwrap().contains("ai.ml")),
        "{res}"
    );
}

#[tokio::test]
async fn bad_needs_are_refused_field_by_field() {
    let app = spawn_app().await;
    let cases = vec![
        Case {
            description: "a weight of 7",
            body: with(need_body(), "/skills/0/weight", json!(7)),
            status: 422,
            code: "validation_failed",
            fields: &["skills[0].weight"],
        },
        Case {
            description: "a bad deadline",
            body: with(need_body(), "/deadline", json!("next spring")),
            status: 422,
            code: "validation_failed",
            fields: &["deadline"],
        },
        Case {
            description: "an unknown need type",
            body: with(need_body(), "/need_type", json!("gift")),
            status: 422,
            code: "validation_failed",
            fields: &["need_type"],
        },
        Case {
            description: "a bad required language",
            body: with(need_body(), "/languages", json!(["zz"])),
            status: 422,
            code: "validation_failed",
            fields: &["languages[0]"],
        },
        Case {
            description: "no skills",
            body: with(need_body(), "/skills", json!([])),
            status: 422,
            code: "validation_failed",
            fields: &["skills"],
        },
        Case {
            description: "a bad contact email",
            body: with(need_body(), "/enterprise/contact/email", json!("wang at example")),
            status: 422,
            code: "validation_failed",
            fields: &["enterprise.contact.email"],
        },
    ];
    for case in cases {
        check(&app, Method::POST, "/api/v1/needs", Some(OPERATOR), &case).await;
    }
}

#[tokio::test]
async fn malformed_json_and_oversized_bodies_are_problems() {
    let app = spawn_app().await;
    let url = format!("{}/api/v1/experts", app.address);
    let res = app
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "malformed_json");
    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(1024 * 1024 + 10));
    let res = app
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "payload_too_large");
    let res = app.client.post(&url).body("").send().await.unwrap();
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn unknown_and_garbage_ids_and_bad_tokens_are_problems() {
    let app = spawn_app().await;
    let cases: &[(&str, Option<&str>, u16)] = &[
        (
            "/api/v1/experts/00000000-0000-4000-8000-000000000000",
            Some(OPERATOR),
            404,
        ),
        ("/api/v1/experts/garbage", Some(OPERATOR), 400),
        (
            "/api/v1/needs/00000000-0000-4000-8000-000000000000",
            Some(OPERATOR),
            404,
        ),
        ("/api/v1/needs/%F0%9F%92%A9", Some(OPERATOR), 400),
        ("/api/v1/needs", None, 401),
        ("/api/v1/needs", Some("wrong-token"), 401),
        ("/api/v1/experts?limit=0", Some(OPERATOR), 400),
        ("/api/v1/experts?bogus=1", Some(OPERATOR), 400),
    ];
    for (path, token, status) in cases {
        let res = app.get(path, *token).await;
        assert_eq!(res.status().as_u16(), *status, "{path}");
        assert_eq!(res.headers()["content-type"], "application/problem+json", "{path}");
    }
}

#[tokio::test]
async fn a_garbage_if_match_is_a_bad_request() {
    let app = spawn_app().await;
    let (id, token, _) = app.register(&expert_body("im@example.de")).await;
    let res = app
        .client
        .patch(format!("{}/api/v1/experts/{id}", app.address))
        .bearer_auth(&token)
        .header("if-match", "yesterday")
        .json(&json!({"city": "Bonn"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn a_nearly_empty_registration_names_every_missing_field() {
    let app = spawn_app().await;
    let res: Value = app
        .post("/api/v1/experts", None, &json!({"name": ""}))
        .await
        .json()
        .await
        .unwrap();
    let mut fields: Vec<&str> = res["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    fields.sort();
    let mut expected = vec![
        "name",
        "contact",
        "contact.email",
        "country",
        "city",
        "timezone",
        "organisation",
        "position",
        "languages",
        "skills",
        "engagement_modes",
        "hours_per_month",
        "consent",
    ];
    expected.sort();
    assert_eq!(fields, expected, "{res}");
}
