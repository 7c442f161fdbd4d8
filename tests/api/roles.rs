//! Roles and tokens: named operators, event viewers (their own event's anonymised shortlists and
//! schedule, nothing else), tampered tokens, and per-client rate limits.

use reqwest::Method;
use serde_json::{json, Value};

use crate::contract::{assert_documented, assert_valid};
use crate::helpers::{expert_body, spawn_app, spawn_app_with, TestApp, OPERATOR};

/// The sample event's id, with a drafted schedule.
async fn sample_event(app: &TestApp) -> String {
    let events = app.get_ok("/api/v1/events").await;
    let id = events["items"][0]["id"].as_str().expect("the sample event").to_string();
    let res = app
        .send(
            Method::POST,
            &format!("/api/v1/events/{id}/schedule"),
            Some(OPERATOR),
            None,
        )
        .await;
    assert_eq!(res.status(), 200, "drafting the sample schedule");
    id
}

async fn viewer_token(app: &TestApp, event: &str, name: &str) -> String {
    let res = app
        .post(
            &format!("/api/v1/events/{event}/viewer-tokens"),
            Some(OPERATOR),
            &json!({ "name": name }),
        )
        .await;
    assert_documented("POST", "/api/v1/events/{id}/viewer-tokens", &res);
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    assert_valid("viewer-token-created.schema.json", &body);
    assert_eq!(body["name"], name);
    assert_eq!(body["event_id"], event);
    body["token"].as_str().unwrap().to_string()
}

async fn text(app: &TestApp, path: &str, token: &str) -> (u16, String) {
    let res = app.get(path, Some(token)).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Names, emails, organisations and ids of the event's experts, and its enterprises and their
/// contacts, as the operator's named views show them.
async fn personal_data_of(app: &TestApp, event: &str) -> Vec<String> {
    let lists = app.get_ok(&format!("/api/v1/events/{event}/shortlists?k=10")).await;
    let schedule = app.get_ok(&format!("/api/v1/events/{event}/schedule")).await;
    let mut secrets = Vec::new();
    let mut keep = |v: &Value| {
        if let Some(s) = v.as_str() {
            secrets.push(s.to_string());
        }
    };
    for list in lists["lists"].as_array().unwrap() {
        keep(&list["need"]["enterprise"]);
        keep(&list["need"]["contact_email"]);
        for x in list["experts"].as_array().unwrap() {
            for key in ["id", "name", "email", "organisation"] {
                keep(&x["expert"][key]);
            }
        }
    }
    for m in schedule["meetings"].as_array().unwrap() {
        keep(&m["need"]["enterprise"]);
        keep(&m["need"]["contact_email"]);
        for key in ["id", "name", "email", "organisation"] {
            keep(&m["expert"][key]);
        }
    }
    assert!(secrets.len() > 10, "the sample event shows personal data to operators");
    secrets
}

#[tokio::test]
async fn a_viewer_reads_its_events_shortlists_and_schedule_anonymised_whatever_it_asks() {
    let app = spawn_app().await;
    let event = sample_event(&app).await;
    let secrets = personal_data_of(&app, &event).await;
    let meetings = app.get_ok(&format!("/api/v1/events/{event}/schedule")).await["meetings"].clone();
    let need = meetings[0]["need"]["id"].as_str().unwrap().to_string();
    let reads_before = app.get_ok("/api/v1/audit?action=contacts_read&limit=200").await["items"]
        .as_array()
        .unwrap()
        .len();
    let token = viewer_token(&app, &event, "press").await;

    for (route, query) in [
        ("shortlists", ""),
        ("shortlists", "?anonymised=false&k=10"),
        ("shortlists", "?format=csv&anonymised=false"),
        ("schedule", ""),
        ("schedule", "?anonymised=false"),
        ("schedule", "?format=csv&anonymised=false"),
    ] {
        let path = format!("/api/v1/events/{event}/{route}{query}");
        let (status, body) = text(&app, &path, &token).await;
        assert_eq!(status, 200, "{path}: {body}");
        for s in &secrets {
            assert!(!body.contains(s.as_str()), "{path} shows {s} to a viewer");
        }
        assert!(!body.contains('@'), "{path} shows an email address to a viewer");
        if query.is_empty() || !query.contains("csv") {
            let json: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(json["anonymised"], true, "{path}");
        }
    }
    let ics = format!("/api/v1/events/{event}/schedule?format=ics&need={need}&anonymised=false");
    let (status, body) = text(&app, &ics, &token).await;
    assert_eq!(status, 200, "{body}");
    assert!(secrets.iter().all(|s| !body.contains(s.as_str())), "{body}");

    let reads_after = app.get_ok("/api/v1/audit?action=contacts_read&limit=200").await["items"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(reads_before, reads_after, "a viewer reads no contacts");
}

/// A sample path for each route, with `event` for every event id.
fn sample_path(route: &str, event: &str) -> String {
    let any = "00000000-0000-4000-8000-000000000001";
    route
        .replace("/events/{id}", &format!("/events/{event}"))
        .replace("{id}", any)
        .replace("{expert_id}", any)
        .replace("{meeting_id}", any)
        .replace("{name}", "press")
}

#[tokio::test]
async fn a_viewer_is_refused_everywhere_else_and_on_other_events() {
    let app = spawn_app().await;
    let event = sample_event(&app).await;
    let token = viewer_token(&app, &event, "press").await;
    let allowed = [
        ("GET", "/api/v1/events/{id}/shortlists"),
        ("GET", "/api/v1/events/{id}/schedule"),
    ];
    for &(method, route) in talentbridge::http::ROUTES {
        if allowed.contains(&(method, route)) {
            continue;
        }
        let path = sample_path(route, &event);
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let res = app.send(method.clone(), &path, Some(&token), Some(&json!({}))).await;
        assert_eq!(res.status(), 403, "{method} {path}");
    }
    let other = "00000000-0000-4000-8000-0000000000ee";
    for route in ["shortlists", "schedule"] {
        let res = app.get(&format!("/api/v1/events/{other}/{route}"), Some(&token)).await;
        assert_eq!(res.status(), 403, "{route} of another event");
        assert_documented("GET", &format!("/api/v1/events/{{id}}/{route}"), &res);
    }
}

#[tokio::test]
async fn a_revoked_viewer_token_stops_working_at_once_and_both_changes_are_audited() {
    let app = spawn_app().await;
    let event = sample_event(&app).await;
    let token = viewer_token(&app, &event, "board").await;
    let shortlists = format!("/api/v1/events/{event}/shortlists");
    assert_eq!(app.get(&shortlists, Some(&token)).await.status(), 200);

    let again = app
        .post(
            &format!("/api/v1/events/{event}/viewer-tokens"),
            Some(OPERATOR),
            &json!({"name": "board"}),
        )
        .await;
    assert_eq!(again.status(), 409, "a live name is taken");
    let bad = app
        .post(
            &format!("/api/v1/events/{event}/viewer-tokens"),
            Some(OPERATOR),
            &json!({"name": "no spaces"}),
        )
        .await;
    assert_eq!(bad.status(), 422);

    let res = app
        .send(
            Method::DELETE,
            &format!("/api/v1/events/{event}/viewer-tokens/board"),
            Some(OPERATOR),
            None,
        )
        .await;
    assert_documented("DELETE", "/api/v1/events/{id}/viewer-tokens/{name}", &res);
    assert_eq!(res.status(), 204);
    assert_eq!(app.get(&shortlists, Some(&token)).await.status(), 401);

    let res = app
        .get(&format!("/api/v1/events/{event}/viewer-tokens"), Some(OPERATOR))
        .await;
    assert_documented("GET", "/api/v1/events/{id}/viewer-tokens", &res);
    let list: Value = res.json().await.unwrap();
    assert_valid("viewer-token-list.schema.json", &list);
    assert_eq!(list["items"][0]["name"], "board");
    assert!(list["items"][0]["revoked_at"].is_string());
    assert!(!list.to_string().contains(&token), "the list shows no secret");

    let target = format!("token:viewer:{event}:board");
    for action in ["token_created", "token_revoked"] {
        let log = app
            .get_ok(&format!("/api/v1/audit?action={action}&target={target}"))
            .await;
        let items = log["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{action}: {log}");
        assert_eq!(items[0]["actor"], "operator:default");
    }
}

#[tokio::test]
async fn viewer_tokens_of_an_unknown_event_are_not_found() {
    let app = spawn_app().await;
    let missing = "00000000-0000-4000-8000-0000000000ff";
    let res = app
        .post(
            &format!("/api/v1/events/{missing}/viewer-tokens"),
            Some(OPERATOR),
            &json!({"name": "x"}),
        )
        .await;
    assert_eq!(res.status(), 404);
    let res = app.get(&format!("/api/v1/events/{missing}/viewer-tokens"), None).await;
    assert_eq!(res.status(), 401, "operators only");
}

#[tokio::test]
async fn a_named_operator_works_and_is_named_in_the_audit_log() {
    let mut made = None;
    let app = spawn_app_with(|args| {
        // The CLI in its own process: sled releases its lock when the process ends.
        let cli = |what: &[&str]| {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_talentbridge"))
                .arg("token")
                .args(what)
                .arg("--data-dir")
                .arg(&args.data_dir)
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8(out.stdout).unwrap().trim().to_string()
        };
        let alice = cli(&["create", "--name", "alice"]);
        let bob = cli(&["create", "--name", "bob"]);
        cli(&["revoke", "--name", "bob"]);
        made = Some((alice, bob));
    })
    .await;
    let (alice, bob) = made.unwrap();
    let (id, _, _) = app.register(&expert_body("named-operator@example.de")).await;
    assert_eq!(
        app.get(&format!("/api/v1/experts/{id}"), Some(&alice)).await.status(),
        200
    );
    assert_eq!(app.get("/api/v1/experts", Some(&bob)).await.status(), 401);
    let reads = app
        .get_ok(&format!("/api/v1/audit?action=contacts_read&target=expert:{id}"))
        .await;
    assert_eq!(reads["items"][0]["actor"], "operator:alice");
}

/// One character of the secret changed.
fn tampered(token: &str) -> String {
    let mut chars: Vec<char> = token.chars().collect();
    let last = chars.len() - 1;
    chars[last] = if chars[last] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}

#[tokio::test]
async fn tampered_tokens_are_refused() {
    let app = spawn_app().await;
    let event = sample_event(&app).await;
    let viewer = viewer_token(&app, &event, "press").await;
    let (me, mine, _) = app.register(&expert_body("tamper-me@example.de")).await;
    let (other, _, _) = app.register(&expert_body("tamper-other@example.de")).await;
    let my_secret = mine.rsplit('.').next().unwrap();
    let other_simple = other.replace('-', "");
    let shortlists = format!("/api/v1/events/{event}/shortlists");
    let cases: Vec<(&str, String, String)> = vec![
        (
            "an operator token with one character changed",
            tampered(OPERATOR),
            "/api/v1/experts".into(),
        ),
        (
            "a viewer token with one character changed",
            tampered(&viewer),
            shortlists.clone(),
        ),
        (
            "a viewer token as an operator's",
            viewer.replacen("tbv.", "tbo.", 1),
            "/api/v1/experts".into(),
        ),
        (
            "a viewer token as an expert's",
            viewer.replacen("tbv.", "tbe.", 1),
            format!("/api/v1/experts/{me}"),
        ),
        (
            "an expert token as a viewer's",
            mine.replacen("tbe.", "tbv.", 1),
            shortlists.clone(),
        ),
        (
            "an expert token with one character changed",
            tampered(&mine),
            format!("/api/v1/experts/{me}"),
        ),
        (
            "another expert's id with this expert's secret",
            format!("tbe.{other_simple}.{my_secret}"),
            format!("/api/v1/experts/{other}"),
        ),
        (
            "a token of an unknown kind",
            format!("tbx.{my_secret}"),
            "/api/v1/experts".into(),
        ),
    ];
    for (what, token, path) in cases {
        let res = app.get(&path, Some(&token)).await;
        assert_eq!(res.status(), 401, "{what}: GET {path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], "unauthorized", "{what}");
    }
    assert_eq!(
        app.get(&format!("/api/v1/experts/{me}"), Some(&mine)).await.status(),
        200
    );
}

#[tokio::test]
async fn registration_and_tag_search_are_rate_limited_per_client() {
    let app = spawn_app_with(|args| {
        args.rate_limit_registration = 2;
        args.rate_limit_search = 3;
    })
    .await;
    for i in 0..2 {
        app.register(&expert_body(&format!("limited{i}@example.de"))).await;
    }
    let res = app
        .post("/api/v1/experts", None, &expert_body("limited9@example.de"))
        .await;
    assert_documented("POST", "/api/v1/experts", &res);
    assert_eq!(res.status(), 429);
    let wait: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    let body: Value = res.json().await.unwrap();
    assert_valid("problem.schema.json", &body);
    assert_eq!(body["code"], "rate_limited");

    for _ in 0..2 {
        assert_eq!(app.get("/api/v1/tags?q=ai", None).await.status(), 200);
    }
    let resolve = app.post("/api/v1/tags/resolve", None, &json!({"inputs": ["ai"]})).await;
    assert_eq!(resolve.status(), 200, "search and resolution share an allowance");
    let res = app.get("/api/v1/tags?q=ai", None).await;
    assert_documented("GET", "/api/v1/tags", &res);
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));

    assert_eq!(
        app.get("/healthz", None).await.status(),
        200,
        "other routes are not limited"
    );
    assert_eq!(app.get("/api/v1/tags/ai", None).await.status(), 200);
}

#[tokio::test]
async fn a_viewer_token_expires_by_itself() {
    let app = spawn_app().await;
    let event = sample_event(&app).await;
    let path = format!("/api/v1/events/{event}/viewer-tokens");
    let past = app
        .post(
            &path,
            Some(OPERATOR),
            &json!({"name": "late", "expires_at": "2020-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(past.status(), 422, "an expiry in the past is refused");
    let default = app
        .post(&path, Some(OPERATOR), &json!({"name": "default-expiry"}))
        .await;
    let default: Value = default.json().await.unwrap();
    assert_valid("viewer-token-created.schema.json", &default);
    assert!(
        default["expires_at"].as_str().is_some_and(|t| t > "2027-04-20"),
        "by default 30 days after the event's last day (2027-03-25): {default}"
    );
    let soon = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let res = app
        .post(&path, Some(OPERATOR), &json!({"name": "brief", "expires_at": soon}))
        .await;
    assert_eq!(res.status(), 201);
    let token = res.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let schedule = format!("/api/v1/events/{event}/schedule");
    assert_eq!(
        app.get(&schedule, Some(&token)).await.status(),
        200,
        "works before its expiry"
    );
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(app.get(&schedule, Some(&token)).await.status(), 401, "refused after it");
    let list = app.get_ok(&path).await;
    assert_valid("viewer-token-list.schema.json", &list);
}
