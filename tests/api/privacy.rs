//! Personal data over HTTP: consent withdrawn takes an expert out of matching at once, an expert
//! exports everything stored about it, and the audit log records reads of contacts, exports,
//! erasures and withdrawals.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{expert_body, need_body, spawn_app_without_samples, TestApp, OPERATOR};

/// An approved expert that fits `need_body()`; returns (id, token).
async fn fitting_expert(app: &TestApp, email: &str) -> (String, String) {
    let mut body = expert_body(email);
    body["skills"] = json!([{"tag": "ai.ml", "level": 5}, {"tag": "ai.nlp", "level": 4}]);
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

async fn matched_ids(app: &TestApp, need: &str) -> Vec<String> {
    let list = app
        .get_ok(&format!("/api/v1/needs/{need}/matches?k=10&explain=false"))
        .await;
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["expert_id"].as_str().unwrap().to_string())
        .collect()
}

async fn audit(app: &TestApp, query: &str) -> Vec<Value> {
    let page = app.get_ok(&format!("/api/v1/audit?limit=200&{query}")).await;
    page["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn withdrawn_consent_takes_the_expert_out_of_matching_at_once_and_back_when_given_again() {
    let app = spawn_app_without_samples().await;
    let (id, token) = fitting_expert(&app, "consent@example.de").await;
    let (need, _) = app.create_need(&need_body()).await;
    assert!(
        matched_ids(&app, &need).await.contains(&id),
        "matched while consent holds"
    );

    let res = app
        .send(
            Method::DELETE,
            &format!("/api/v1/experts/{id}/consent"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(res.status(), 200);
    let expert: Value = res.json().await.unwrap();
    assert!(expert["consent"]["withdrawn_at"].is_string(), "{expert}");
    assert!(
        !matched_ids(&app, &need).await.contains(&id),
        "gone from the next query"
    );
    let pair = app.get_ok(&format!("/api/v1/needs/{need}/matches/{id}")).await;
    let gates: Vec<&str> = pair["gates"]
        .as_array()
        .map(|g| g.iter().filter_map(|x| x["gate"].as_str()).collect())
        .unwrap_or_default();
    assert!(gates.contains(&"no_consent"), "{pair}");
    let entries = audit(&app, &format!("action=consent_withdrawn&target=expert:{id}")).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["actor"], format!("expert:{id}"));

    let res = app
        .send(
            Method::PATCH,
            &format!("/api/v1/experts/{id}"),
            Some(&token),
            Some(&json!({"consent": {"given": true, "text_version": "2026-11"}})),
        )
        .await;
    assert_eq!(res.status(), 200);
    let expert: Value = res.json().await.unwrap();
    assert!(expert["consent"].get("withdrawn_at").is_none(), "{expert}");
    assert!(matched_ids(&app, &need).await.contains(&id), "matched again");
}

#[tokio::test]
async fn only_the_expert_or_an_operator_withdraws_its_consent() {
    let app = spawn_app_without_samples().await;
    let (id, _) = fitting_expert(&app, "a@example.de").await;
    let (_, other) = fitting_expert(&app, "b@example.de").await;
    let path = format!("/api/v1/experts/{id}/consent");
    assert_eq!(app.send(Method::DELETE, &path, None, None).await.status(), 401);
    assert_eq!(app.send(Method::DELETE, &path, Some(&other), None).await.status(), 403);
    assert_eq!(
        app.send(Method::DELETE, &path, Some(OPERATOR), None).await.status(),
        200
    );
}

#[tokio::test]
async fn an_expert_exports_everything_stored_about_it() {
    let app = spawn_app_without_samples().await;
    let (id, token) = fitting_expert(&app, "export@example.de").await;
    let (_, other) = fitting_expert(&app, "other@example.de").await;
    let (need, _) = app.create_need(&need_body()).await;
    let res = app
        .post(
            "/api/v1/introductions",
            Some(OPERATOR),
            &json!({"need": need, "expert": id, "note": "a good fit"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    // An operator reads the profile: that read is about the expert and shows in its export.
    assert_eq!(
        app.get(&format!("/api/v1/experts/{id}"), Some(OPERATOR)).await.status(),
        200
    );

    let path = format!("/api/v1/experts/{id}/export");
    assert_eq!(app.get(&path, Some(&other)).await.status(), 403);
    assert_eq!(app.get(&path, None).await.status(), 401);
    let res = app.get(&path, Some(&token)).await;
    assert_eq!(res.status(), 200);
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.contains("attachment"), "{disposition}");
    let data: Value = res.json().await.unwrap();
    assert_eq!(data["expert"]["id"], id);
    assert_eq!(data["expert"]["contact"]["email"], "export@example.de");
    assert_eq!(data["introductions"].as_array().unwrap().len(), 1);
    assert_eq!(data["introductions"][0]["need_id"], need);
    let actions: Vec<&str> = data["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"contacts_read"), "{actions:?}");
    assert!(
        actions.contains(&"export"),
        "the export itself is recorded: {actions:?}"
    );
    assert!(
        data["audit"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["target"] == format!("expert:{id}")),
        "only entries about this expert"
    );
}

#[tokio::test]
async fn the_audit_log_records_reads_of_contacts_and_erasures_but_not_an_experts_own_reads() {
    let app = spawn_app_without_samples().await;
    let (id, token) = fitting_expert(&app, "audited@example.de").await;
    let target = format!("target=expert:{id}");
    let before = audit(&app, &format!("action=contacts_read&{target}")).await.len();

    assert_eq!(
        app.get(&format!("/api/v1/experts/{id}"), Some(&token)).await.status(),
        200
    );
    assert_eq!(
        audit(&app, &format!("action=contacts_read&{target}")).await.len(),
        before,
        "an expert reading its own profile is not a read of someone's contacts"
    );
    assert_eq!(
        app.get(&format!("/api/v1/experts/{id}"), Some(OPERATOR)).await.status(),
        200
    );
    let reads = audit(&app, &format!("action=contacts_read&{target}")).await;
    assert_eq!(reads.len(), before + 1);
    assert_eq!(reads.last().unwrap()["actor"], "operator:default");
    app.get_ok("/api/v1/experts?limit=50").await;
    assert_eq!(
        audit(&app, &format!("action=contacts_read&{target}")).await.len(),
        before + 2,
        "a list with contacts is a read of each expert's contacts"
    );

    let res = app
        .send(Method::DELETE, &format!("/api/v1/experts/{id}"), Some(OPERATOR), None)
        .await;
    assert_eq!(res.status(), 204);
    let erasures = audit(&app, &format!("action=erasure&{target}")).await;
    assert_eq!(erasures.len(), 1);
    for path in [format!("/api/v1/experts/{id}"), format!("/api/v1/experts/{id}/export")] {
        let res = app.get(&path, Some(OPERATOR)).await;
        assert_eq!(res.status(), 410, "{path}");
        let route = path.replace(&id, "{id}");
        crate::contract::assert_documented("GET", &route, &res);
    }

    // Entries come in write order, with growing sequence numbers.
    let all = audit(&app, "").await;
    let seqs: Vec<u64> = all.iter().map(|a| a["seq"].as_u64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
}

#[tokio::test]
async fn the_audit_log_is_for_operators_and_checks_its_filters() {
    let app = spawn_app_without_samples().await;
    let (_, token) = fitting_expert(&app, "nosy@example.de").await;
    assert_eq!(app.get("/api/v1/audit", Some(&token)).await.status(), 403);
    assert_eq!(app.get("/api/v1/audit", None).await.status(), 401);
    assert_eq!(
        app.get("/api/v1/audit?action=peeking", Some(OPERATOR)).await.status(),
        422
    );
    assert_eq!(
        app.get("/api/v1/audit?since=yesterday", Some(OPERATOR)).await.status(),
        422
    );
    assert_eq!(app.get("/api/v1/audit?cursor=%%%", Some(OPERATOR)).await.status(), 400);
}

#[tokio::test]
async fn contacts_are_released_for_one_open_introduction_and_every_release_is_audited() {
    let app = spawn_app_without_samples().await;
    let (id, token) = fitting_expert(&app, "release@example.de").await;
    let (need, _) = app.create_need(&need_body()).await;
    let res = app
        .post(
            "/api/v1/introductions",
            Some(OPERATOR),
            &json!({"need": need, "expert": id}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let intro: Value = res.json().await.unwrap();
    let intro_id = intro["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/introductions/{intro_id}/contacts");

    assert_eq!(app.post(&path, Some(&token), &json!({})).await.status(), 403);
    assert_eq!(app.post(&path, None, &json!({})).await.status(), 401);
    let res = app.post(&path, Some(OPERATOR), &json!({})).await;
    assert_eq!(res.status(), 200);
    let released: Value = res.json().await.unwrap();
    assert_eq!(released["expert"]["email"], "release@example.de");
    assert_eq!(released["enterprise_contact"]["email"], "wang@example.cn");
    assert_eq!(released["introduction_id"], intro_id);

    let for_expert = audit(&app, &format!("action=contact_release&target=expert:{id}")).await;
    let for_intro = audit(&app, &format!("action=contact_release&target=introduction:{intro_id}")).await;
    assert_eq!((for_expert.len(), for_intro.len()), (1, 1));

    let res = app
        .post(
            &format!("/api/v1/introductions/{intro_id}/transitions"),
            Some(OPERATOR),
            &json!({"to": "declined"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app.post(&path, Some(OPERATOR), &json!({})).await;
    assert_eq!(res.status(), 409);
    let problem: Value = res.json().await.unwrap();
    assert_eq!(problem["code"], "introduction_closed");
    assert_eq!(
        audit(&app, &format!("action=contact_release&target=expert:{id}"))
            .await
            .len(),
        1,
        "a refused release is not recorded as one"
    );
}
