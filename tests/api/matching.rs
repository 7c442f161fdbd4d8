//! Matching over HTTP: ranked experts with reasons, gates, filters, writes visible at once, the
//! expert's own view, ad-hoc needs in any language, batches.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{expert_body, need_body, spawn_app, spawn_app_without_samples, TestApp, OPERATOR};

/// Registers an expert with these skills and approves it; returns (id, token).
async fn active_expert(app: &TestApp, email: &str, skills: Value, f: impl FnOnce(&mut Value)) -> (String, String) {
    let mut body = expert_body(email);
    body["skills"] = skills;
    f(&mut body);
    let (id, token, _) = app.register(&body).await;
    let res = app
        .send(
            Method::PATCH,
            &format!("/api/v1/experts/{id}"),
            Some(OPERATOR),
            Some(&json!({"status": "active"})),
        )
        .await;
    assert_eq!(res.status(), 200);
    (id, token)
}

fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["expert_id"].as_str().unwrap().to_string())
        .collect()
}

fn ml_need() -> Value {
    let mut need = need_body();
    need["skills"] = json!([{"tag": "ai.ml", "weight": 5, "must_have": false}]);
    need["sectors"] = json!([]);
    need
}

#[tokio::test]
async fn experts_rank_exact_then_narrower_then_sibling_with_reasons() {
    let app = spawn_app_without_samples().await;
    let (exact, _) = active_expert(
        &app,
        "exact@example.de",
        json!([{"tag": "ai.ml", "level": 4}, {"tag": "ic", "level": 2}]),
        |_| {},
    )
    .await;
    let (narrower, _) = active_expert(
        &app,
        "narrow@example.de",
        json!([{"tag": "ai.ml.deep-learning", "level": 4}, {"tag": "ic", "level": 2}]),
        |_| {},
    )
    .await;
    let (sibling, _) = active_expert(
        &app,
        "sib@example.de",
        json!([{"tag": "ai.nlp", "level": 4}, {"tag": "ic", "level": 2}]),
        |_| {},
    )
    .await;
    let (unrelated, _) = active_expert(
        &app,
        "none@example.de",
        json!([{"tag": "ic", "level": 5}, {"tag": "tcm", "level": 5}]),
        |_| {},
    )
    .await;
    let (need, _) = app.create_need(&ml_need()).await;
    let list = app.get_ok(&format!("/api/v1/needs/{need}/matches?k=10")).await;
    assert_eq!(ids(&list), vec![exact.clone(), narrower, sibling], "{list:#}");
    assert!(
        !ids(&list).contains(&unrelated),
        "an unrelated expert adds nothing and is not listed"
    );
    let first = &list["items"][0];
    assert_eq!(first["rank"], 1);
    let score = first["score"].as_f64().unwrap();
    assert!(score > 0.0 && score <= 1.0);
    let tag = &first["explanation"]["tags"][0];
    assert_eq!(tag["need_tag"], "ai.ml");
    assert_eq!(tag["matched_by"], "ai.ml");
    assert_eq!(tag["relation"], "exact");
    assert_eq!(list["items"][1]["explanation"]["tags"][0]["relation"], "narrower");
    assert_eq!(list["items"][2]["explanation"]["tags"][0]["relation"], "sibling");
    assert!(first["explanation"]["reverse"]["score"].is_number());
    let bare = app.get_ok(&format!("/api/v1/needs/{need}/matches?explain=false")).await;
    assert!(bare["items"][0].get("explanation").is_none());
    assert_eq!(bare["items"][0]["score"], first["score"]);
}

#[tokio::test]
async fn tags_in_any_language_give_identical_results() {
    let app = spawn_app().await;
    let mut answers = Vec::new();
    for skills in [
        json!([{"tag": "ai.ml", "weight": 5}, {"tag": "ai.nlp", "weight": 3}]),
        json!([{"tag": "机器学习", "weight": 5}, {"tag": "自然语言处理", "weight": 3}]),
        json!([{"tag": "apprentissage automatique", "weight": 5}, {"tag": "NLP", "weight": 3}]),
        json!([{"tag": "Machine Learning", "weight": 5}, {"tag": "natural language processing", "weight": 3}]),
    ] {
        let res = app
            .post("/api/v1/match?k=10", Some(OPERATOR), &json!({"skills": skills}))
            .await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        assert!(body["need_id"].is_null());
        answers.push(body["items"].clone());
    }
    assert!(!answers[0].as_array().unwrap().is_empty(), "the seed has ML experts");
    for a in &answers[1..] {
        assert_eq!(a, &answers[0]);
    }
}

#[tokio::test]
async fn a_gated_expert_is_absent_and_the_pair_route_names_the_gate() {
    let app = spawn_app_without_samples().await;
    let (fits, _) = active_expert(
        &app,
        "fits@example.de",
        json!([{"tag": "ai.ml", "level": 4}, {"tag": "ai.nlp", "level": 3}]),
        |_| {},
    )
    .await;
    let (lacks, _) = active_expert(
        &app,
        "lacks@example.de",
        json!([{"tag": "ai.nlp", "level": 5}, {"tag": "ic", "level": 3}]),
        |b| {
            b["languages"] = json!([{"code": "fr", "proficiency": "native"}]);
        },
    )
    .await;
    let mut need = ml_need();
    need["skills"] = json!([{"tag": "ai.ml", "weight": 5, "must_have": true}, {"tag": "ai.nlp", "weight": 3}]);
    let (need, _) = app.create_need(&need).await;
    let list = app.get_ok(&format!("/api/v1/needs/{need}/matches")).await;
    assert_eq!(ids(&list), vec![fits.clone()]);
    let pair = app.get_ok(&format!("/api/v1/needs/{need}/matches/{lacks}")).await;
    assert_eq!(pair["matched"], false);
    let gates: Vec<&str> = pair["gates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["gate"].as_str().unwrap())
        .collect();
    assert!(gates.contains(&"missing_must_have"), "{pair:#}");
    assert!(gates.contains(&"language_not_spoken"), "{pair:#}");
    let ok = app.get_ok(&format!("/api/v1/needs/{need}/matches/{fits}")).await;
    assert_eq!(ok["matched"], true);
    assert_eq!(ok["score"], list["items"][0]["score"]);
    assert_eq!(ok["explanation"]["must_haves_met"], json!(["ai.ml"]));
}

#[tokio::test]
async fn every_write_shows_in_the_next_match_query() {
    let app = spawn_app_without_samples().await;
    let (need, _) = app.create_need(&ml_need()).await;
    let path = format!("/api/v1/needs/{need}/matches");
    let mut body = expert_body("w@example.de");
    body["skills"] = json!([{"tag": "ai.ml", "level": 4}, {"tag": "ic", "level": 2}]);
    let (id, token, _) = app.register(&body).await;
    assert!(ids(&app.get_ok(&path).await).is_empty(), "pending review is gated");
    let expert = format!("/api/v1/experts/{id}");
    app.send(
        Method::PATCH,
        &expert,
        Some(OPERATOR),
        Some(&json!({"status": "active"})),
    )
    .await;
    assert_eq!(
        ids(&app.get_ok(&path).await),
        vec![id.clone()],
        "approval shows at once"
    );
    let patch = json!({"skills": [{"tag": "tcm", "level": 4}, {"tag": "ic", "level": 2}]});
    assert_eq!(
        app.send(Method::PATCH, &expert, Some(&token), Some(&patch))
            .await
            .status(),
        200
    );
    assert!(
        ids(&app.get_ok(&path).await).is_empty(),
        "a changed profile shows at once"
    );
    let patch = json!({"skills": [{"tag": "ai.ml", "level": 5}, {"tag": "ic", "level": 2}]});
    app.send(Method::PATCH, &expert, Some(&token), Some(&patch)).await;
    assert_eq!(ids(&app.get_ok(&path).await), vec![id.clone()]);
    app.send(Method::DELETE, &expert, Some(&token), None).await;
    assert!(
        ids(&app.get_ok(&path).await).is_empty(),
        "an erased profile shows at once"
    );
    let closed = app
        .send(
            Method::PATCH,
            &format!("/api/v1/needs/{need}"),
            Some(OPERATOR),
            Some(&json!({"status": "closed"})),
        )
        .await;
    assert_eq!(closed.status(), 200);
    let res = app.get(&path, Some(OPERATOR)).await;
    assert_eq!(res.status(), 409);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "need_not_open");
}

#[tokio::test]
async fn filters_narrow_the_list() {
    let app = spawn_app_without_samples().await;
    let skills = json!([{"tag": "ai.ml", "level": 4}, {"tag": "ic", "level": 2}]);
    let (de, _) = active_expert(&app, "de@example.de", skills.clone(), |_| {}).await;
    let (fr, _) = active_expert(&app, "fr@example.fr", skills, |b| {
        b["country"] = json!("FR");
        b["engagement_modes"] = json!(["remote"]);
    })
    .await;
    let (need, _) = app.create_need(&ml_need()).await;
    let base = format!("/api/v1/needs/{need}/matches");
    assert_eq!(ids(&app.get_ok(&format!("{base}?country=FR")).await), vec![fr.clone()]);
    assert_eq!(
        ids(&app.get_ok(&format!("{base}?mode=consulting")).await),
        vec![de.clone()]
    );
    assert_eq!(
        ids(&app.get_ok(&format!("{base}?exclude={de}")).await),
        vec![fr.clone()]
    );
    assert!(ids(&app.get_ok(&format!("{base}?min_score=0.99")).await).is_empty());
    assert_eq!(
        app.get(&format!("{base}?min_score=2"), Some(OPERATOR)).await.status(),
        422
    );
    assert_eq!(app.get(&format!("{base}?k=0"), Some(OPERATOR)).await.status(), 400);
    assert_eq!(
        app.get(&format!("{base}?sector=nothing-like-this"), Some(OPERATOR))
            .await
            .status(),
        422
    );
}

#[tokio::test]
async fn an_expert_sees_fitting_needs_without_enterprise_contacts() {
    let app = spawn_app_without_samples().await;
    let (id, token) = active_expert(
        &app,
        "me@example.de",
        json!([{"tag": "ai.ml", "level": 4}, {"tag": "ai.nlp", "level": 3}]),
        |_| {},
    )
    .await;
    let (other, _) = active_expert(
        &app,
        "other@example.de",
        json!([{"tag": "ai.ml", "level": 4}, {"tag": "ic", "level": 3}]),
        |_| {},
    )
    .await;
    let (need, _) = app.create_need(&need_body()).await;
    let res = app.get(&format!("/api/v1/experts/{id}/matches"), Some(&token)).await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["items"][0]["need_id"], need.as_str());
    assert!(
        !text.contains("wang@example.cn") && !text.contains("Ms. Wang"),
        "contacts leaked: {text}"
    );
    assert_eq!(
        app.get(&format!("/api/v1/experts/{other}/matches"), Some(&token))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.get(&format!("/api/v1/needs/{need}/matches"), Some(&token))
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn a_batch_answers_every_need_in_order() {
    let app = spawn_app().await;
    let open = app.get_ok("/api/v1/needs?status=open&limit=5").await;
    let mut need_ids: Vec<String> = open["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect();
    need_ids.push("00000000-0000-4000-8000-000000000000".into());
    let res = app
        .post(
            "/api/v1/match/batch",
            Some(OPERATOR),
            &json!({"need_ids": need_ids, "k": 5}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), need_ids.len());
    for (r, id) in results.iter().zip(&need_ids) {
        assert_eq!(r["need_id"], id.as_str());
    }
    assert_eq!(results.last().unwrap()["error"]["code"], "not_found");
    let one = app
        .get_ok(&format!("/api/v1/needs/{}/matches?k=5&explain=false", need_ids[0]))
        .await;
    assert_eq!(results[0]["items"], one["items"], "a batch ranks like one query");
}

#[tokio::test]
async fn every_open_seed_need_has_matches() {
    let app = spawn_app().await;
    let open = app.get_ok("/api/v1/needs?status=open&limit=200").await;
    for n in open["items"].as_array().unwrap() {
        let list = app
            .get_ok(&format!("/api/v1/needs/{}/matches?k=5", n["id"].as_str().unwrap()))
            .await;
        assert!(
            !list["items"].as_array().unwrap().is_empty(),
            "no match for {}",
            n["title"]
        );
    }
}

#[tokio::test]
async fn a_bad_adhoc_need_is_refused_field_by_field() {
    let app = spawn_app().await;
    let res = app
        .post(
            "/api/v1/match",
            Some(OPERATOR),
            &json!({"skills": [{"tag": "machine lerning", "weight": 9}], "languages": ["xx"]}),
        )
        .await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"skills[0]") && fields.contains(&"skills[0].weight") && fields.contains(&"languages[0]"),
        "{fields:?}"
    );
}
