//! Events over HTTP: records with ETags, validation field by field, participants checked against the
//! store, pair preferences, and shortlists (ranking, gates, no_thanks, exposure cap, anonymised, CSV).
//! The schedule is in `events_schedule.rs`; the helpers here serve both.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::{Method, Response};
use serde_json::{json, Value};

use crate::helpers::{expert_body, need_body, spawn_app, spawn_app_without_samples, TestApp, OPERATOR};

/// Sends as operator with an optional `If-Match` version.
pub async fn send_if(
    app: &TestApp,
    method: Method,
    path: &str,
    if_match: Option<u64>,
    body: Option<&Value>,
) -> Response {
    let mut req = app
        .client
        .request(method, format!("{}{}", app.address, path))
        .bearer_auth(OPERATOR);
    if let Some(v) = if_match {
        req = req.header("If-Match", format!("\"{v}\""));
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    req.send().await.expect("the request is answered")
}

/// The JSON of a response, after checking its status.
pub async fn expect(res: Response, status: u16, what: &str) -> Value {
    let got = res.status().as_u16();
    let text = res.text().await.expect("a body");
    assert_eq!(got, status, "{what}: {text}");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"))
    }
}

/// The `code` of a problem response with this status.
pub async fn problem_code(res: Response, status: u16, what: &str) -> String {
    let ct = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    let body = expect(res, status, what).await;
    assert_eq!(ct.as_deref(), Some("application/problem+json"), "{what}");
    body["code"].as_str().unwrap_or_default().to_string()
}

/// The sorted field names of a 422 `validation_failed` body.
pub fn fields(problem: &Value) -> Vec<String> {
    assert_eq!(problem["code"], "validation_failed", "{problem:#}");
    let mut out: Vec<String> = problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors in {problem:#}"))
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

/// Registers an expert in `zone` with `skills` and approves it; returns its id.
pub async fn active_expert(app: &TestApp, email: &str, zone: &str, skills: Value) -> String {
    let mut body = expert_body(email);
    body["timezone"] = json!(zone);
    body["skills"] = skills;
    let (id, _, _) = app.register(&body).await;
    let res = app
        .send(
            Method::PATCH,
            &format!("/api/v1/experts/{id}"),
            Some(OPERATOR),
            Some(&json!({"status": "active"})),
        )
        .await;
    assert_eq!(res.status(), 200, "approving {email}");
    id
}

/// The standard test expert (Chinese and English, remote and consulting, machine learning).
pub async fn ml_expert(app: &TestApp, email: &str, zone: &str) -> String {
    active_expert(
        app,
        email,
        zone,
        json!([{"tag": "ai.ml", "level": 4}, {"tag": "ai.nlp", "level": 3}]),
    )
    .await
}

/// Creates a need titled `title` with these skills; returns its id.
pub async fn need_with(app: &TestApp, title: &str, skills: Value) -> String {
    let mut body = need_body();
    body["title"] = json!(title);
    body["skills"] = skills;
    app.create_need(&body).await.0
}

/// A need that the standard test expert fits (must-have ai.ml).
pub async fn ml_need(app: &TestApp, title: &str) -> String {
    need_with(app, title, json!([{"tag": "ai.ml", "weight": 5, "must_have": true}])).await
}

/// An online event in Asia/Shanghai on `day` with these slots (local start and end) and participants.
pub fn online_event(day: &str, slots: &[(&str, &str)], needs: &[&str], experts: &[&str]) -> Value {
    json!({
        "title": "Nansha–Europe online docking",
        "format": "online",
        "time_zone": "Asia/Shanghai",
        "starts_on": day,
        "ends_on": day,
        "slots": slots.iter().map(|(s, e)| json!({"start": s, "end": e})).collect::<Vec<_>>(),
        "needs": needs.iter().map(|n| json!({"need": n})).collect::<Vec<_>>(),
        "experts": experts.iter().map(|x| json!({"expert": x})).collect::<Vec<_>>(),
    })
}

/// Creates an event, expecting 201; returns its view.
pub async fn create_event(app: &TestApp, body: &Value) -> Value {
    expect(
        app.post("/api/v1/events", Some(OPERATOR), body).await,
        201,
        "creating an event",
    )
    .await
}

/// The id of a JSON value that holds one.
pub fn id_of(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v:#}")).to_string()
}

fn list_of<'a>(lists: &'a Value, need: &str) -> &'a Value {
    lists["lists"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["need"]["id"] == need)
        .unwrap_or_else(|| panic!("no list for need {need}: {lists:#}"))
}

fn expert_ids(list: &Value) -> Vec<String> {
    list["experts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["expert"]["id"].as_str().unwrap().to_string())
        .collect()
}

async fn shortlists(app: &TestApp, event: &str, query: &str) -> Value {
    app.get_ok(&format!("/api/v1/events/{event}/shortlists?{query}")).await
}

#[tokio::test]
async fn an_event_round_trips_with_etags_and_stale_writes_are_refused() {
    let app = spawn_app_without_samples().await;
    let expert = ml_expert(&app, "paris@example.fr", "Europe/Paris").await;
    let need = ml_need(&app, "Battery inspection").await;
    let mut body = online_event(
        "2027-03-24",
        &[
            ("2027-03-24T15:00", "2027-03-24T15:30"),
            ("2027-03-24T16:00:00+08:00", "2027-03-24T16:30:00+08:00"),
        ],
        &[&need],
        &[&expert],
    );
    body["description"] = json!("Two slots in the Shanghai afternoon.");
    let res = app.post("/api/v1/events", Some(OPERATOR), &body).await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["etag"], "\"1\"");
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let created: Value = res.json().await.unwrap();
    let id = id_of(&created);
    assert_eq!(location, format!("/api/v1/events/{id}"));
    assert_eq!(created["version"], 1);
    assert_eq!(created["schedule_status"], Value::Null);
    assert_eq!(created["meetings"], 0);
    assert_eq!(created["slots"][0]["start"], "2027-03-24T15:00:00+08:00");
    assert_eq!(created["slots"][1]["end"], "2027-03-24T16:30:00+08:00");
    assert_eq!(
        created["slots"][0]["mode"], "online",
        "the mode defaults from the format"
    );
    assert_eq!(created["waking_hours"], json!({"start": "08:00", "end": "22:00"}));
    assert_eq!(created["expert_quota"], json!({"min": 0, "max": 6}));
    assert_eq!(created["needs"][0]["need"], need.as_str());
    assert_eq!(created["experts"][0]["expert"], expert.as_str());

    let path = format!("/api/v1/events/{id}");
    let res = app.get(&path, Some(OPERATOR)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["etag"], "\"1\"");
    assert_eq!(res.json::<Value>().await.unwrap(), created);

    let mut replacement = body.clone();
    replacement["title"] = json!("Nansha–Europe docking, day one");
    let replaced = expect(
        send_if(&app, Method::PUT, &path, Some(1), Some(&replacement)).await,
        200,
        "PUT",
    )
    .await;
    assert_eq!(replaced["version"], 2);
    assert_eq!(replaced["title"], "Nansha–Europe docking, day one");
    assert_eq!(replaced["created_at"], created["created_at"]);
    let stale = expect(
        send_if(&app, Method::PUT, &path, Some(1), Some(&body)).await,
        412,
        "stale PUT",
    )
    .await;
    assert_eq!(stale["code"], "version_mismatch");
    assert_eq!(stale["current_version"], 2);

    let patch = json!({"location": "Nansha science park", "description": null});
    let res = send_if(&app, Method::PATCH, &path, Some(2), Some(&patch)).await;
    assert_eq!(res.headers()["etag"], "\"3\"");
    let patched = expect(res, 200, "PATCH").await;
    assert_eq!(patched["version"], 3);
    assert_eq!(patched["location"], "Nansha science park");
    assert!(
        patched.get("description").is_none_or(Value::is_null),
        "null removes: {patched:#}"
    );
    assert_eq!(
        patched["title"], replaced["title"],
        "a merge patch keeps what it does not name"
    );
    assert_eq!(patched["slots"], created["slots"]);
    assert_eq!(patched["needs"], created["needs"]);
    let stale = send_if(&app, Method::PATCH, &path, Some(2), Some(&json!({"title": "x"}))).await;
    assert_eq!(problem_code(stale, 412, "stale PATCH").await, "version_mismatch");
    let bad = expect(
        send_if(&app, Method::PATCH, &path, Some(3), Some(&json!({"format": "webinar"}))).await,
        422,
        "bad PATCH",
    )
    .await;
    assert_eq!(fields(&bad), ["format"]);
    assert_eq!(app.get_ok(&path).await["version"], 3, "a refused patch writes nothing");

    let stale = send_if(&app, Method::DELETE, &path, Some(2), None).await;
    assert_eq!(problem_code(stale, 412, "stale DELETE").await, "version_mismatch");
    assert_eq!(send_if(&app, Method::DELETE, &path, Some(3), None).await.status(), 204);
    assert_eq!(
        problem_code(app.get(&path, Some(OPERATOR)).await, 404, "deleted").await,
        "not_found"
    );
}

#[tokio::test]
async fn events_are_listed_page_by_page_and_need_the_operator() {
    let app = spawn_app_without_samples().await;
    let mut made = BTreeSet::new();
    for day in ["2027-01-10", "2027-01-11", "2027-01-12"] {
        made.insert(id_of(&create_event(&app, &online_event(day, &[], &[], &[])).await));
    }
    let mut seen = BTreeSet::new();
    let mut path = "/api/v1/events?limit=2".to_string();
    let mut pages = 0;
    loop {
        let page = app.get_ok(&path).await;
        pages += 1;
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        for item in items {
            assert!(seen.insert(id_of(item)), "an event is listed twice");
        }
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/events?limit=2&cursor={c}"),
            None => break,
        }
        assert!(pages < 5, "the cursor does not end");
    }
    assert_eq!(seen, made);
    assert_eq!(app.get("/api/v1/events", None).await.status(), 401);
    let (_, token, _) = app.register(&expert_body("viewer@example.de")).await;
    assert_eq!(app.get("/api/v1/events", Some(&token)).await.status(), 403);
    let body = online_event("2027-01-13", &[], &[], &[]);
    assert_eq!(app.post("/api/v1/events", None, &body).await.status(), 401);
}

/// A valid body that every case below breaks in its own way.
fn base_event() -> Value {
    online_event(
        "2027-01-12",
        &[
            ("2027-01-12T15:00", "2027-01-12T15:30"),
            ("2027-01-12T16:00", "2027-01-12T16:30"),
        ],
        &[],
        &[],
    )
}

fn edit(f: impl FnOnce(&mut Value)) -> Value {
    let mut b = base_event();
    f(&mut b);
    b
}

#[tokio::test]
async fn bad_event_bodies_name_every_bad_field() {
    let app = spawn_app_without_samples().await;
    let slot = |s: &str, e: &str| json!({"start": s, "end": e});
    let cases: Vec<(&str, Value, Vec<&str>)> = vec![
        (
            "an empty object",
            json!({}),
            vec!["ends_on", "format", "starts_on", "time_zone", "title"],
        ),
        (
            "a bad format, zone and date",
            edit(|b| {
                b["format"] = json!("webinar");
                b["time_zone"] = json!("Mars/Olympus_Mons");
                b["starts_on"] = json!("2027-02-30");
            }),
            vec!["format", "starts_on", "time_zone"],
        ),
        (
            "an end before its start, a missing start, an unknown mode",
            edit(|b| {
                b["slots"] = json!([
                    slot("2027-01-12T09:00", "2027-01-12T09:30"),
                    slot("2027-01-12T11:00", "2027-01-12T10:30"),
                    {"end": "2027-01-12T12:30"},
                    {"start": "2027-01-12T13:00", "end": "2027-01-12T13:30", "mode": "remote"},
                ]);
            }),
            vec!["slots[1].end", "slots[2].start", "slots[3].mode"],
        ),
        (
            "overlapping slots",
            edit(|b| {
                b["slots"] = json!([
                    slot("2027-01-12T15:00", "2027-01-12T16:00"),
                    slot("2027-01-12T15:30", "2027-01-12T16:30")
                ])
            }),
            vec!["slots"],
        ),
        (
            "a slot on a day outside the event",
            edit(|b| b["slots"][1] = slot("2027-01-14T15:00", "2027-01-14T15:30")),
            vec!["slots[1].start"],
        ),
        (
            "an ambiguous local time when Paris clocks go back",
            json!({"title": "t", "format": "online", "time_zone": "Europe/Paris", "starts_on": "2026-10-25",
                   "ends_on": "2026-10-25", "slots": [slot("2026-10-25T02:30", "2026-10-25T03:30")]}),
            vec!["slots[0].start"],
        ),
        (
            "a local time skipped when Paris clocks go forward",
            json!({"title": "t", "format": "online", "time_zone": "Europe/Paris", "starts_on": "2027-03-28",
                   "ends_on": "2027-03-28", "slots": [slot("2027-03-28T01:30", "2027-03-28T02:30")]}),
            vec!["slots[0].end"],
        ),
        (
            "quotas with min above max and above the limit",
            edit(|b| {
                b["expert_quota"] = json!({"min": 5, "max": 2});
                b["need_quota"] = json!({"max": 101});
            }),
            vec!["expert_quota.min", "need_quota.max"],
        ),
        (
            "a hybrid slot without a mode",
            edit(|b| b["format"] = json!("hybrid")),
            vec!["slots[0].mode", "slots[1].mode"],
        ),
        (
            "an on-site slot without tables",
            edit(|b| {
                b["format"] = json!("hybrid");
                b["slots"][0]["mode"] = json!("online");
                b["slots"][1]["mode"] = json!("onsite");
            }),
            vec!["tables"],
        ),
        (
            "an online slot in an on-site event",
            edit(|b| {
                b["format"] = json!("onsite");
                b["tables"] = json!(["A"]);
                b["slots"][0]["mode"] = json!("online");
            }),
            vec!["slots[0].mode"],
        ),
        (
            "ends_on before starts_on, a table twice, bad waking hours",
            edit(|b| {
                b["ends_on"] = json!("2027-01-11");
                b["tables"] = json!(["A", "A"]);
                b["waking_hours"] = json!({"start": "8am"});
            }),
            vec!["ends_on", "tables[1]", "waking_hours.start"],
        ),
        (
            "an unknown field",
            edit(|b| {
                b["colour"] = json!("red");
            }),
            vec!["colour"],
        ),
        (
            "a wrong type deep inside",
            edit(|b| b["slots"][1]["start"] = json!(1500)),
            vec!["slots[1].start"],
        ),
    ];
    for (what, body, want) in cases {
        let res = app.post("/api/v1/events", Some(OPERATOR), &body).await;
        let problem = expect(res, 422, what).await;
        assert_eq!(fields(&problem), want, "{what}: {problem:#}");
    }
    let listed = app.get_ok("/api/v1/events").await;
    assert_eq!(listed["items"], json!([]), "nothing was written");
    // The same times with an offset are fine.
    let ok = json!({"title": "t", "format": "online", "time_zone": "Europe/Paris", "starts_on": "2026-10-25",
                    "ends_on": "2026-10-25",
                    "slots": [slot("2026-10-25T02:30:00+01:00", "2026-10-25T03:30:00+01:00")]});
    let created = create_event(&app, &ok).await;
    assert_eq!(created["slots"][0]["start"], "2026-10-25T02:30:00+01:00");
}

#[tokio::test]
async fn preference_problems_name_the_preference_field() {
    let app = spawn_app_without_samples().await;
    let expert = ml_expert(&app, "a@example.de", "Europe/Berlin").await;
    let other = ml_expert(&app, "b@example.de", "Europe/Berlin").await;
    let need = ml_need(&app, "One need").await;
    let body = edit(|b| {
        b["needs"] = json!([{"need": need}]);
        b["experts"] = json!([{"expert": expert}]);
        b["preferences"] = json!([
            {"need": need, "expert": other, "from": "need", "kind": "meet"},
            {"need": need, "expert": expert, "from": "enterprise", "kind": "meet"},
            {"need": need, "expert": expert, "from": "expert", "kind": "love"},
            {"need": need, "expert": expert, "from": "need", "kind": "must_meet"},
            {"need": need, "expert": expert, "from": "need", "kind": "no_thanks"},
        ]);
    });
    let problem = expect(app.post("/api/v1/events", Some(OPERATOR), &body).await, 422, "prefs").await;
    assert_eq!(
        fields(&problem),
        [
            "preferences[0].expert",
            "preferences[1].from",
            "preferences[2].kind",
            "preferences[4].from"
        ]
    );
}

#[tokio::test]
async fn unknown_participants_are_named_by_field() {
    let app = spawn_app_without_samples().await;
    let expert = ml_expert(&app, "known@example.de", "Europe/Berlin").await;
    let need = ml_need(&app, "Known need").await;
    let nobody = "00000000-0000-4000-8000-000000000001";
    let body = edit(|b| {
        b["needs"] = json!([{"need": need}, {"need": nobody}]);
        b["experts"] = json!([{"expert": nobody}, {"expert": expert}]);
    });
    let problem = expect(app.post("/api/v1/events", Some(OPERATOR), &body).await, 422, "unknown").await;
    assert_eq!(fields(&problem), ["experts[0].expert", "needs[1].need"]);
    // A need id in an expert's place is just as unknown.
    let swapped = edit(|b| b["experts"] = json!([{"expert": need}]));
    let problem = expect(
        app.post("/api/v1/events", Some(OPERATOR), &swapped).await,
        422,
        "swapped",
    )
    .await;
    assert_eq!(fields(&problem), ["experts[0].expert"]);
    // An existing event cannot take an unknown participant either.
    let event = create_event(&app, &base_event()).await;
    let path = format!("/api/v1/events/{}", id_of(&event));
    let patch = json!({"needs": [{"need": nobody}]});
    let problem = expect(
        send_if(&app, Method::PATCH, &path, Some(1), Some(&patch)).await,
        422,
        "patch",
    )
    .await;
    assert_eq!(fields(&problem), ["needs[0].need"]);
    assert_eq!(app.get_ok(&path).await["version"], 1);
    assert_eq!(app.get_ok("/api/v1/events").await["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_malformed_participant_id_names_the_id_field() {
    let app = spawn_app_without_samples().await;
    let body = edit(|b| {
        b["needs"] = json!([{"need": "not-a-uuid"}]);
        b["experts"] = json!([{"expert": "42"}]);
    });
    let problem = expect(
        app.post("/api/v1/events", Some(OPERATOR), &body).await,
        422,
        "malformed",
    )
    .await;
    assert_eq!(fields(&problem), ["experts[0].expert", "needs[0].need"]);
}

#[tokio::test]
async fn unknown_participants_are_reported_with_the_other_bad_fields() {
    let app = spawn_app_without_samples().await;
    let body = edit(|b| {
        b["title"] = json!("");
        b["needs"] = json!([{"need": "00000000-0000-4000-8000-000000000002"}]);
    });
    let problem = expect(app.post("/api/v1/events", Some(OPERATOR), &body).await, 422, "both").await;
    assert_eq!(fields(&problem), ["needs[0].need", "title"], "every bad field at once");
}

#[tokio::test]
async fn a_preference_replaces_what_the_same_side_said_before() {
    let app = spawn_app_without_samples().await;
    let expert = ml_expert(&app, "p@example.de", "Europe/Berlin").await;
    let outsider = ml_expert(&app, "o@example.de", "Europe/Berlin").await;
    let need = ml_need(&app, "Pref need").await;
    let event = create_event(
        &app,
        &edit(|b| {
            b["needs"] = json!([{"need": need}]);
            b["experts"] = json!([{"expert": expert}]);
        }),
    )
    .await;
    let path = format!("/api/v1/events/{}/preferences", id_of(&event));
    let pref = |from: &str, kind: &str| json!({"need": need, "expert": expert, "from": from, "kind": kind});
    let one = expect(
        send_if(&app, Method::POST, &path, Some(1), Some(&pref("need", "meet"))).await,
        200,
        "meet",
    )
    .await;
    assert_eq!(one["version"], 2);
    let two = expect(
        send_if(&app, Method::POST, &path, None, Some(&pref("expert", "must_meet"))).await,
        200,
        "x",
    )
    .await;
    assert_eq!(two["preferences"].as_array().unwrap().len(), 2);
    let three = expect(
        send_if(&app, Method::POST, &path, None, Some(&pref("need", "no_thanks"))).await,
        200,
        "y",
    )
    .await;
    let mut got: Vec<(String, String)> = three["preferences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["from"].as_str().unwrap().into(), p["kind"].as_str().unwrap().into()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("expert".into(), "must_meet".into()),
            ("need".into(), "no_thanks".into())
        ]
    );
    let stale = send_if(&app, Method::POST, &path, Some(1), Some(&pref("need", "meet"))).await;
    assert_eq!(problem_code(stale, 412, "stale").await, "version_mismatch");
    let mut bad = pref("need", "meet");
    bad["expert"] = json!(outsider);
    let problem = expect(
        send_if(&app, Method::POST, &path, None, Some(&bad)).await,
        422,
        "outsider",
    )
    .await;
    assert_eq!(fields(&problem), ["expert"]);
    let problem = expect(
        send_if(&app, Method::POST, &path, None, Some(&json!({"kind": "meh"}))).await,
        422,
        "b",
    )
    .await;
    assert_eq!(fields(&problem), ["expert", "from", "kind", "need"]);
}

/// Seed: an LLM need (must-have ai.nlp.llm, languages zh and en) and experts around it.
const LLM_NEED: &str = "14611303-1736-4ad1-ad5c-1f41613bdb4e";
const LLM_FITS: [&str; 2] = [
    "ef53d48a-5218-4ea1-b45b-a2e11e1185d9",
    "ab332ad2-e2eb-49a7-81cb-7059b4ff0e5b",
];
const LLM_PENDING: &str = "52913971-d3ee-49f2-8da0-c32a3d2ef3d5";
const NO_LLM: &str = "d73b1316-ca4d-4372-a274-bff5e35eb157";
const INACTIVE: &str = "13803f33-1a18-4f49-9f36-f4746fa215cf";
const NO_CHINESE: &str = "b1929408-5f14-44ad-96c6-f03ca87c659d";
const AUV_NEED: &str = "0683418e-84da-44e2-9d6c-c0e48f2942e2";
const AUV_BEST: &str = "d9a6973d-7a95-488d-b12a-56e28ea3bd1d";
const AUV_OTHER: &str = "f00c7fb8-7c82-4365-bc85-f8202814f596";

#[tokio::test]
async fn shortlists_rank_by_score_and_never_list_gated_experts() {
    let app = spawn_app().await;
    let experts = [
        LLM_FITS[0],
        LLM_FITS[1],
        LLM_PENDING,
        NO_LLM,
        INACTIVE,
        NO_CHINESE,
        AUV_BEST,
        AUV_OTHER,
    ];
    for gated in [LLM_PENDING, NO_LLM, INACTIVE, NO_CHINESE] {
        let pair = app.get_ok(&format!("/api/v1/needs/{LLM_NEED}/matches/{gated}")).await;
        assert_eq!(pair["matched"], false, "the seed gates {gated}: {pair:#}");
    }
    let event = create_event(&app, &online_event("2027-01-12", &[], &[LLM_NEED, AUV_NEED], &experts)).await;
    let id = id_of(&event);
    let lists = shortlists(&app, &id, "k=10").await;
    assert_eq!(lists["event_id"], id.as_str());
    assert_eq!(lists["k"], 10);
    assert_eq!(lists["met_before"], "mark");
    assert_eq!(lists["anonymised"], false);
    assert_eq!(lists["lists"].as_array().unwrap().len(), 2);
    for need in [LLM_NEED, AUV_NEED] {
        let list = list_of(&lists, need);
        let items = list["experts"].as_array().unwrap();
        assert!(!items.is_empty(), "need {need} has a list");
        let mut last = f64::INFINITY;
        for (i, item) in items.iter().enumerate() {
            assert_eq!(item["rank"], i + 1);
            let score = item["score"].as_f64().unwrap();
            assert!(
                score <= last && score > 0.0 && score <= 1.0,
                "ranked by score: {list:#}"
            );
            last = score;
            let expert = item["expert"]["id"].as_str().unwrap();
            let pair = app.get_ok(&format!("/api/v1/needs/{need}/matches/{expert}")).await;
            assert_eq!(pair["matched"], true);
            assert_eq!(item["score"], pair["score"], "the shortlist scores like the matcher");
            assert_eq!(item["met_before"], false);
            assert!(item["explanation"].is_object());
        }
    }
    let llm: BTreeSet<String> = expert_ids(list_of(&lists, LLM_NEED)).into_iter().collect();
    assert_eq!(
        llm,
        LLM_FITS.iter().map(|s| s.to_string()).collect(),
        "gated experts never appear"
    );
    assert_eq!(expert_ids(list_of(&lists, AUV_NEED))[0], AUV_BEST);
    let short = shortlists(&app, &id, "k=1").await;
    for l in short["lists"].as_array().unwrap() {
        assert_eq!(l["experts"].as_array().unwrap().len(), 1);
    }
    assert_eq!(
        expert_ids(list_of(&short, LLM_NEED))[0],
        expert_ids(list_of(&lists, LLM_NEED))[0]
    );
    for bad in ["k=0", "k=51", "met_before=maybe", "format=ics", "colour=red"] {
        let res = app
            .get(&format!("/api/v1/events/{id}/shortlists?{bad}"), Some(OPERATOR))
            .await;
        assert_eq!(problem_code(res, 400, bad).await, "invalid_parameter");
    }
    let res = app
        .get(
            "/api/v1/events/00000000-0000-4000-8000-000000000003/shortlists",
            Some(OPERATOR),
        )
        .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn a_no_thanks_pair_never_appears_in_shortlists() {
    let app = spawn_app().await;
    let mut body = online_event("2027-01-12", &[], &[AUV_NEED], &[AUV_BEST, AUV_OTHER]);
    body["preferences"] = json!([{"need": AUV_NEED, "expert": AUV_OTHER, "from": "need", "kind": "meet"}]);
    let event = create_event(&app, &body).await;
    let id = id_of(&event);
    let before = shortlists(&app, &id, "k=10").await;
    let list = list_of(&before, AUV_NEED);
    assert_eq!(expert_ids(list)[0], AUV_BEST, "{list:#}");
    let other = list["experts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["expert"]["id"] == AUV_OTHER);
    assert_eq!(other.expect("listed")["preference"], "meet");
    let pref = json!({"need": AUV_NEED, "expert": AUV_BEST, "from": "expert", "kind": "no_thanks"});
    let path = format!("/api/v1/events/{id}/preferences");
    expect(
        send_if(&app, Method::POST, &path, None, Some(&pref)).await,
        200,
        "no_thanks",
    )
    .await;
    let after = shortlists(&app, &id, "k=10").await;
    let ids = expert_ids(list_of(&after, AUV_NEED));
    assert!(
        !ids.contains(&AUV_BEST.to_string()),
        "a no_thanks pair is never listed: {ids:?}"
    );
    assert!(ids.contains(&AUV_OTHER.to_string()));
    let csv = app
        .get(
            &format!("/api/v1/events/{id}/shortlists?k=10&format=csv"),
            Some(OPERATOR),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(!csv.contains(AUV_BEST), "nor exported");
}

#[tokio::test]
async fn the_exposure_cap_keeps_each_experts_best_placements() {
    let app = spawn_app_without_samples().await;
    let star = active_expert(
        &app,
        "star@example.de",
        "Europe/Berlin",
        json!([{"tag": "ai.ml", "level": 5}, {"tag": "ai.nlp", "level": 5}, {"tag": "ai.cv", "level": 5}]),
    )
    .await;
    let mut others = Vec::new();
    for (i, skills) in [
        json!([{"tag": "ai.ml", "level": 2}, {"tag": "ic", "level": 2}]),
        json!([{"tag": "ai.ml", "level": 3}, {"tag": "ic", "level": 2}]),
        json!([{"tag": "ai.ml.deep-learning", "level": 1}, {"tag": "tcm", "level": 1}]),
    ]
    .into_iter()
    .enumerate()
    {
        others.push(active_expert(&app, &format!("other{i}@example.de"), "Europe/Berlin", skills).await);
    }
    let must = |extra: Value| {
        let mut s = vec![json!({"tag": "ai.ml", "weight": 5, "must_have": true})];
        s.extend(extra.as_array().unwrap().iter().cloned());
        Value::Array(s)
    };
    let needs = [
        need_with(&app, "ML and some TCM", must(json!([{"tag": "tcm", "weight": 1}]))).await,
        need_with(&app, "ML and NLP", must(json!([{"tag": "ai.nlp", "weight": 4}]))).await,
        need_with(&app, "ML and much TCM", must(json!([{"tag": "tcm", "weight": 5}]))).await,
    ];
    let mut experts = vec![star.as_str()];
    experts.extend(others.iter().map(String::as_str));
    let needs_ref: Vec<&str> = needs.iter().map(String::as_str).collect();
    let event = create_event(&app, &online_event("2027-01-12", &[], &needs_ref, &experts)).await;
    let id = id_of(&event);

    let open = shortlists(&app, &id, "k=2").await;
    // The star's needs from its best score to its worst.
    let mut star_scores: Vec<(f64, String)> = Vec::new();
    for need in &needs {
        let list = list_of(&open, need);
        assert_eq!(
            expert_ids(list)[0],
            star,
            "the star leads every list without a cap: {list:#}"
        );
        star_scores.push((list["experts"][0]["score"].as_f64().unwrap(), need.clone()));
    }
    star_scores.sort_by(|a, b| b.0.total_cmp(&a.0));
    assert!(
        star_scores[0].0 > star_scores[1].0 && star_scores[1].0 > star_scores[2].0,
        "the star scores differently on each need: {star_scores:?}"
    );
    let best_need = star_scores[0].1.clone();
    let exposure = open["exposure"].as_array().unwrap();
    assert!(exposure.contains(&json!({"expert": star, "lists": 3})), "{exposure:?}");

    let capped = shortlists(&app, &id, "k=2&cap=1").await;
    assert_eq!(capped["cap"], 1);
    let mut on_lists: BTreeMap<String, usize> = BTreeMap::new();
    for need in &needs {
        let list = list_of(&capped, need);
        for x in expert_ids(list) {
            *on_lists.entry(x).or_default() += 1;
        }
        let capped_here: Vec<&str> = list["capped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        if *need == best_need {
            assert_eq!(expert_ids(list)[0], star, "the star keeps its best placement: {list:#}");
        } else {
            assert!(!expert_ids(list).contains(&star), "{list:#}");
            assert!(
                capped_here.contains(&star.as_str()),
                "the star is named as capped: {list:#}"
            );
        }
    }
    assert!(
        on_lists.values().all(|&n| n <= 1),
        "no expert on more than 1 list: {on_lists:?}"
    );
    let exposure: BTreeMap<String, usize> = capped["exposure"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["expert"].as_str().unwrap().to_string(),
                e["lists"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(exposure, on_lists, "exposure counts the lists");

    let two = shortlists(&app, &id, "k=3&cap=2").await;
    let star_lists: Vec<&String> = needs
        .iter()
        .filter(|n| expert_ids(list_of(&two, n)).contains(&star))
        .collect();
    let lowest = &star_scores[2].1;
    assert_eq!(star_lists.len(), 2);
    assert!(
        !star_lists.contains(&lowest),
        "with cap 2 the star leaves its weakest list"
    );
}

#[tokio::test]
async fn equal_scores_rank_by_expert_id() {
    let app = spawn_app_without_samples().await;
    let mut twins = Vec::new();
    for email in ["twin1@example.de", "twin2@example.de", "twin3@example.de"] {
        twins.push(ml_expert(&app, email, "Europe/Berlin").await);
    }
    let need = ml_need(&app, "Tie need").await;
    let mut sorted = twins.clone();
    sorted.sort();
    let reversed: Vec<&str> = sorted.iter().rev().map(String::as_str).collect();
    let event = create_event(&app, &online_event("2027-01-12", &[], &[&need], &reversed)).await;
    let lists = shortlists(&app, &id_of(&event), "k=3").await;
    let list = list_of(&lists, &need);
    let scores: BTreeSet<String> = list["experts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["score"].to_string())
        .collect();
    assert_eq!(scores.len(), 1, "identical profiles score the same: {list:#}");
    assert_eq!(expert_ids(list), sorted, "ties break by id, whatever the event's order");
    let top = shortlists(&app, &id_of(&event), "k=1").await;
    assert_eq!(expert_ids(list_of(&top, &need)), [sorted[0].clone()]);
}

#[tokio::test]
async fn anonymised_shortlists_hide_names_and_contacts() {
    let app = spawn_app().await;
    let experts = [LLM_FITS[0], LLM_FITS[1], AUV_BEST, AUV_OTHER];
    let event = create_event(&app, &online_event("2027-01-12", &[], &[LLM_NEED, AUV_NEED], &experts)).await;
    let id = id_of(&event);
    let named = shortlists(&app, &id, "k=5&cap=1").await;
    let anon_text = app
        .get(
            &format!("/api/v1/events/{id}/shortlists?k=5&cap=1&anonymised=true"),
            Some(OPERATOR),
        )
        .await
        .text()
        .await
        .unwrap();
    let anon: Value = serde_json::from_str(&anon_text).unwrap();
    assert_eq!(anon["anonymised"], true);
    let mut secrets = Vec::new();
    for (l, a) in named["lists"]
        .as_array()
        .unwrap()
        .iter()
        .zip(anon["lists"].as_array().unwrap())
    {
        assert_eq!(l["need"]["id"], a["need"]["id"]);
        assert_eq!(l["need"]["title"], a["need"]["title"]);
        assert!(l["need"]["enterprise"].is_string() && l["need"]["contact_email"].is_string());
        assert_eq!(a["need"]["enterprise"], Value::Null);
        assert_eq!(a["need"]["contact_email"], Value::Null);
        secrets.push(l["need"]["enterprise"].as_str().unwrap().to_string());
        secrets.push(l["need"]["contact_email"].as_str().unwrap().to_string());
        let (ln, an) = (l["experts"].as_array().unwrap(), a["experts"].as_array().unwrap());
        assert_eq!(ln.len(), an.len());
        for (x, y) in ln.iter().zip(an) {
            for key in ["id", "name", "email", "organisation", "city"] {
                assert!(x["expert"][key].is_string(), "named view has {key}");
                assert_eq!(y["expert"][key], Value::Null, "anonymised hides {key}");
                // The city is often part of the time zone's name, which stays.
                if key != "city" {
                    secrets.push(x["expert"][key].as_str().unwrap().to_string());
                }
            }
            let label = y["expert"]["label"].as_str().unwrap();
            assert!(
                label.starts_with("Expert ") && label.len() == "Expert XXXXXX".len(),
                "{label}"
            );
            assert_eq!(x["expert"]["label"], y["expert"]["label"], "the label is stable");
            assert_eq!(x["score"], y["score"]);
        }
    }
    assert!(!secrets.is_empty());
    for s in &secrets {
        assert!(
            !anon_text.contains(s.as_str()),
            "{s} leaked into the anonymised shortlists"
        );
    }
    let csv = app
        .get(
            &format!("/api/v1/events/{id}/shortlists?k=5&cap=1&anonymised=true&format=csv"),
            Some(OPERATOR),
        )
        .await
        .text()
        .await
        .unwrap();
    for s in &secrets {
        assert!(!csv.contains(s.as_str()), "{s} leaked into the anonymised CSV");
    }
}

#[tokio::test]
async fn the_shortlists_csv_starts_with_a_bom_and_reads_back_as_the_json() {
    let app = spawn_app().await;
    let experts = [LLM_FITS[0], LLM_FITS[1], AUV_BEST, AUV_OTHER, NO_LLM];
    let event = create_event(&app, &online_event("2027-01-12", &[], &[LLM_NEED, AUV_NEED], &experts)).await;
    let id = id_of(&event);
    let json = shortlists(&app, &id, "k=5").await;
    let res = app
        .get(
            &format!("/api/v1/events/{id}/shortlists?k=5&format=csv"),
            Some(OPERATOR),
        )
        .await;
    assert_eq!(res.status(), 200);
    let ct = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("text/csv"), "{ct}");
    let bytes = res.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM first");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    for col in [
        "need_id",
        "need_title",
        "enterprise",
        "rank",
        "expert",
        "expert_name",
        "email",
        "score",
    ] {
        assert!(header.contains(&col.to_string()), "column {col} in {header:?}");
    }
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let want: Vec<(&Value, &Value)> = json["lists"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| l["experts"].as_array().unwrap().iter().map(move |x| (l, x)))
        .collect();
    assert!(want.len() >= 3);
    assert_eq!(rows.len(), want.len(), "one row per listed expert");
    for (row, (list, item)) in rows.iter().zip(want) {
        assert_eq!(&row[col("need_id")], list["need"]["id"].as_str().unwrap());
        assert_eq!(&row[col("need_title")], list["need"]["title"].as_str().unwrap());
        assert_eq!(&row[col("enterprise")], list["need"]["enterprise"].as_str().unwrap());
        assert_eq!(row[col("rank")].parse::<u64>().unwrap(), item["rank"].as_u64().unwrap());
        assert_eq!(&row[col("expert")], item["expert"]["id"].as_str().unwrap());
        assert_eq!(&row[col("expert_name")], item["expert"]["name"].as_str().unwrap());
        assert_eq!(&row[col("email")], item["expert"]["email"].as_str().unwrap());
        let score: f64 = row[col("score")].parse().unwrap();
        assert!(
            (score - item["score"].as_f64().unwrap()).abs() <= 0.0006,
            "{score} vs {}",
            item["score"]
        );
    }
    assert!(
        rows.iter().any(|r| r[col("expert_name")].contains("陈宇飞")),
        "non-ASCII names survive"
    );
}

#[tokio::test]
async fn an_empty_shortlists_csv_still_has_its_header_row() {
    let app = spawn_app_without_samples().await;
    let need = ml_need(&app, "Nobody fits").await;
    let event = create_event(&app, &online_event("2027-01-12", &[], &[&need], &[])).await;
    let res = app
        .get(
            &format!("/api/v1/events/{}/shortlists?format=csv", id_of(&event)),
            Some(OPERATOR),
        )
        .await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(text.starts_with("need_id,"), "a header row even without rows: {text:?}");
}
