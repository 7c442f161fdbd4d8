//! The code and `schemas/` agree: the route table equals the OpenAPI paths, and real requests and
//! responses validate against the JSON Schemas.

use std::collections::BTreeSet;
use std::path::PathBuf;

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{expert_body, need_body, spawn_app, OPERATOR};

fn schemas_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

fn read(name: &str) -> Value {
    let text = std::fs::read_to_string(schemas_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A validator for one schema file, with every other file registered under its `$id`.
fn validator(name: &str) -> jsonschema::Validator {
    let mut options = jsonschema::options().should_validate_formats(true);
    for entry in std::fs::read_dir(schemas_dir()).unwrap() {
        let file = entry.unwrap().file_name().into_string().unwrap();
        if file.ends_with(".schema.json") {
            let schema = read(&file);
            let id = schema["$id"]
                .as_str()
                .unwrap_or_else(|| panic!("{file} has no $id"))
                .to_string();
            options = options.with_resource(id, jsonschema::Resource::from_contents(schema).unwrap());
        }
    }
    options
        .build(&read(name))
        .unwrap_or_else(|e| panic!("{name} is not a valid schema: {e}"))
}

fn assert_valid(name: &str, instance: &Value) {
    let v = validator(name);
    let errors: Vec<String> = v
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{name} rejects a real payload: {errors:#?}\n{instance:#}"
    );
}

#[test]
fn the_route_table_and_the_openapi_paths_are_the_same() {
    let spec = read("openapi.json");
    let mut documented = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "put", "post", "patch", "delete"].contains(&method.as_str()) {
                documented.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    let served: BTreeSet<(String, String)> = talentbridge::http::ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from openapi.json: {undocumented:?}"
    );
    assert!(
        unserved.is_empty(),
        "openapi.json documents routes that are not served: {unserved:?}"
    );
}

#[test]
fn seed_records_and_test_payloads_match_the_input_schemas() {
    for line in talentbridge::seed::EXPERTS.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_valid("expert-input.schema.json", &v["profile"]);
    }
    for line in talentbridge::seed::NEEDS.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_valid("need-input.schema.json", &v["need"]);
    }
    for line in talentbridge::seed::CHANNELS.lines().filter(|l| !l.trim().is_empty()) {
        assert_valid("channel-input.schema.json", &serde_json::from_str(line).unwrap());
    }
    for line in talentbridge::seed::TAXONOMY.lines().filter(|l| !l.trim().is_empty()) {
        assert_valid("tag-input.schema.json", &serde_json::from_str(line).unwrap());
    }
    assert_valid("expert-input.schema.json", &expert_body("x@example.org"));
    assert_valid("need-input.schema.json", &need_body());
    assert_valid(
        "expert-patch.schema.json",
        &json!({"city": "Paris", "status": "active", "contact": {"phone": null}}),
    );
    assert_valid("need-patch.schema.json", &json!({"status": "closed"}));
}

#[test]
fn the_schemas_refuse_what_the_server_refuses() {
    let v = validator("expert-input.schema.json");
    let mut bad = expert_body("x@example.org");
    bad["skills"][0]["level"] = json!(6);
    assert!(!v.is_valid(&bad), "a level of 6 must be invalid");
    let mut bad = expert_body("x@example.org");
    bad["salary"] = json!(1);
    assert!(!v.is_valid(&bad), "unknown fields must be invalid");
}

async fn json_of(res: reqwest::Response, status: u16) -> Value {
    assert_eq!(res.status().as_u16(), status);
    res.json().await.unwrap()
}

#[tokio::test]
async fn real_responses_match_the_output_schemas() {
    let app = spawn_app().await;
    let reg = json_of(
        app.post("/api/v1/experts", None, &expert_body("contract@example.de"))
            .await,
        201,
    )
    .await;
    assert_valid("registration.schema.json", &reg);
    let id = reg["id"].as_str().unwrap();
    let token = reg["token"].as_str().unwrap();
    assert_valid(
        "expert.schema.json",
        &json_of(app.get(&format!("/api/v1/experts/{id}"), Some(token)).await, 200).await,
    );
    let patched = app
        .send(
            Method::PATCH,
            &format!("/api/v1/experts/{id}"),
            Some(OPERATOR),
            Some(&json!({"status": "active"})),
        )
        .await;
    assert_valid("expert.schema.json", &json_of(patched, 200).await);
    assert_valid("expert-list.schema.json", &app.get_ok("/api/v1/experts?limit=5").await);
    let need = json_of(app.post("/api/v1/needs", Some(OPERATOR), &need_body()).await, 201).await;
    assert_valid("need.schema.json", &need);
    assert_valid("need-list.schema.json", &app.get_ok("/api/v1/needs?limit=5").await);
    assert_valid(
        "tag-search.schema.json",
        &json_of(app.get("/api/v1/tags?q=AI", None).await, 200).await,
    );
    assert_valid(
        "tag-search.schema.json",
        &json_of(app.get("/api/v1/tags", None).await, 200).await,
    );
    assert_valid(
        "tag.schema.json",
        &json_of(app.get("/api/v1/tags/ai.ml", None).await, 200).await,
    );
    let resolved = app
        .post("/api/v1/tags/resolve", None, &json!({"inputs": ["AI", "zzzz lerning"]}))
        .await;
    assert_valid("resolve-response.schema.json", &json_of(resolved, 200).await);
    let channels = app.get_ok("/api/v1/channels").await;
    assert_valid("channel-list.schema.json", &channels);
    let first = channels["items"][0]["id"].as_str().unwrap();
    assert_valid(
        "channel.schema.json",
        &app.get_ok(&format!("/api/v1/channels/{first}")).await,
    );
    let concept = json!({"id": "ai.contract-test", "kind": "skill", "parent": "ai",
                         "labels": {"en": "contract testing", "zh": "契约测试", "fr": "test de contrat"}});
    assert_valid("tag-input.schema.json", &concept);
    assert_valid(
        "tag.schema.json",
        &json_of(app.post("/api/v1/tags", Some(OPERATOR), &concept).await, 201).await,
    );
}

#[tokio::test]
async fn match_responses_match_their_schemas() {
    let app = spawn_app().await;
    let open = app.get_ok("/api/v1/needs?status=open&limit=2").await;
    let need = open["items"][0]["id"].as_str().unwrap().to_string();
    let list = app.get_ok(&format!("/api/v1/needs/{need}/matches?k=5")).await;
    assert_valid("match-list.schema.json", &list);
    assert_valid(
        "match-list.schema.json",
        &app.get_ok(&format!("/api/v1/needs/{need}/matches?explain=false")).await,
    );
    let first = list["items"][0]["expert_id"].as_str().unwrap();
    assert_valid(
        "match-pair.schema.json",
        &app.get_ok(&format!("/api/v1/needs/{need}/matches/{first}")).await,
    );
    let experts = app.get_ok("/api/v1/experts?status=pending_review&limit=1").await;
    let pending = experts["items"][0]["id"].as_str().unwrap();
    let gated = app.get_ok(&format!("/api/v1/needs/{need}/matches/{pending}")).await;
    assert_eq!(gated["matched"], false);
    assert_valid("match-pair.schema.json", &gated);
    assert_valid(
        "expert-matches.schema.json",
        &app.get_ok(&format!("/api/v1/experts/{first}/matches")).await,
    );
    let adhoc = json!({"skills": [{"tag": "机器学习", "weight": 5}], "languages": ["en"]});
    assert_valid("adhoc-need.schema.json", &adhoc);
    assert_valid(
        "match-list.schema.json",
        &json_of(app.post("/api/v1/match", Some(OPERATOR), &adhoc).await, 200).await,
    );
    let batch = json!({"need_ids": [need, "00000000-0000-4000-8000-000000000000"], "k": 3});
    assert_valid("match-batch-request.schema.json", &batch);
    let answer = json_of(app.post("/api/v1/match/batch", Some(OPERATOR), &batch).await, 200).await;
    assert_valid("match-batch-response.schema.json", &answer);
}

#[tokio::test]
async fn problem_bodies_match_the_problem_schema() {
    let app = spawn_app().await;
    let mut bad = expert_body("p@example.de");
    bad["skills"][0]["tag"] = json!("machine lerning");
    assert_valid(
        "problem.schema.json",
        &json_of(app.post("/api/v1/experts", None, &bad).await, 422).await,
    );
    assert_valid(
        "problem.schema.json",
        &json_of(app.get("/api/v1/needs", None).await, 401).await,
    );
    let missing = app
        .get("/api/v1/experts/00000000-0000-4000-8000-000000000000", Some(OPERATOR))
        .await;
    assert_valid("problem.schema.json", &json_of(missing, 404).await);
    app.register(&expert_body("twice@example.de")).await;
    let conflict = app
        .post("/api/v1/experts", None, &expert_body("twice@example.de"))
        .await;
    assert_valid("problem.schema.json", &json_of(conflict, 409).await);
}
