//! The code and `schemas/` agree: the route table equals the OpenAPI paths, and real requests and
//! responses validate against the JSON Schemas.

use std::collections::BTreeSet;
use std::path::PathBuf;

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{expert_body, need_body, spawn_app, TestApp, OPERATOR};

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

pub(crate) fn assert_valid(name: &str, instance: &Value) {
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
    for line in talentbridge::seed::EVENTS.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).unwrap();
        assert!(v["id"].is_string(), "a seed event has an id: {line}");
        assert_valid("event-input.schema.json", &v["event"]);
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

/// Asserts that `openapi.json` documents the status and media type of a real answer to `method route`.
pub(crate) fn assert_documented(method: &str, route: &str, res: &reqwest::Response) {
    let spec = read("openapi.json");
    let op = &spec["paths"][route][method.to_lowercase()];
    assert!(op.is_object(), "{method} {route} is not in openapi.json");
    let status = res.status().as_u16().to_string();
    let answer = &op["responses"][&status];
    assert!(
        answer.is_object(),
        "{method} {route} answered {status}, which openapi.json does not document"
    );
    let media = res
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_string());
    match media {
        Some(m) => assert!(
            answer["content"].get(&m).is_some(),
            "{method} {route} answered {status} as {m}, which openapi.json does not document"
        ),
        None => assert!(
            answer.get("content").is_none(),
            "{method} {route} answered {status} without a body"
        ),
    }
}

/// Sends an operator request to `path` (an instance of `route`, with its query), checks that the
/// answer is documented, and returns it.
async fn call(
    app: &TestApp,
    method: Method,
    route: &str,
    path: &str,
    if_match: Option<u64>,
    body: Option<&Value>,
) -> reqwest::Response {
    let mut req = app
        .client
        .request(method.clone(), format!("{}{}", app.address, path))
        .bearer_auth(OPERATOR);
    if let Some(v) = if_match {
        req = req.header("If-Match", format!("\"{v}\""));
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    let res = req.send().await.expect("the request is answered");
    assert_documented(method.as_str(), route, &res);
    res
}

/// The JSON of an answer that must have `status`, with the body in the message when it has not.
async fn expect(res: reqwest::Response, status: u16, what: &str) -> Value {
    let got = res.status().as_u16();
    let text = res.text().await.unwrap();
    assert_eq!(got, status, "{what}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {e}: {text}"))
}

/// The codes a refused schedule change may carry.
const SCHEDULE_CONFLICTS: &[&str] = &[
    "schedule_published",
    "no_schedule",
    "double_booked",
    "over_quota",
    "pair_refused",
    "pair_already_meets",
    "outside_waking_hours",
    "slot_full",
    "table_taken",
    "not_a_participant",
];

/// Three open sample needs that have matches, their best experts, and every expert matched (plus one
/// pending review, whom no need can match).
async fn event_participants(app: &TestApp) -> (Vec<String>, Vec<String>, Vec<String>) {
    let open = app.get_ok("/api/v1/needs?status=open&limit=50").await;
    let (mut needs, mut tops, mut experts) = (Vec::new(), Vec::new(), Vec::<String>::new());
    for item in open["items"].as_array().unwrap() {
        let id = item["id"].as_str().unwrap();
        let list = app
            .get_ok(&format!("/api/v1/needs/{id}/matches?k=4&explain=false"))
            .await;
        let found: Vec<String> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["expert_id"].as_str().unwrap().to_string())
            .collect();
        let Some(top) = found.first() else { continue };
        needs.push(id.to_string());
        tops.push(top.clone());
        for e in found {
            if !experts.contains(&e) {
                experts.push(e);
            }
        }
        if needs.len() == 3 {
            break;
        }
    }
    assert_eq!(needs.len(), 3, "the sample holds three open needs with matches");
    let pending = app.get_ok("/api/v1/experts?status=pending_review&limit=1").await;
    if let Some(id) = pending["items"][0]["id"].as_str() {
        experts.push(id.to_string());
    }
    (needs, tops, experts)
}

/// A hybrid event with on-site and online slots in every accepted time form, a need in its own zone,
/// quotas and preferences.
fn event_body(needs: &[String], tops: &[String], experts: &[String]) -> Value {
    let need_entries: Vec<Value> = needs
        .iter()
        .enumerate()
        .map(|(i, n)| match i {
            2 => json!({"need": n, "time_zone": "Europe/Paris", "quota": {"max": 2}}),
            _ => json!({"need": n}),
        })
        .collect();
    let expert_entries: Vec<Value> = experts
        .iter()
        .enumerate()
        .map(|(i, e)| match i {
            0 => json!({"expert": e, "quota": {"min": 1, "max": 2}}),
            _ => json!({"expert": e}),
        })
        .collect();
    json!({
        "title": "Contract test docking day",
        "description": "Morning tables in Nansha, afternoon video calls with Europe.",
        "format": "hybrid",
        "time_zone": "Asia/Shanghai",
        "location": "Nansha Science City, hall B",
        "starts_on": "2027-06-01",
        "ends_on": "2027-06-02",
        "slots": [
            {"start": "2027-06-01T09:00", "end": "2027-06-01T09:30", "mode": "onsite"},
            {"start": "2027-06-01 09:40", "end": "2027-06-01 10:10", "mode": "onsite"},
            {"start": "2027-06-01T16:00:00", "end": "2027-06-01T16:30:00", "mode": "online"},
            {"start": "2027-06-02T16:00:00+08:00", "end": "2027-06-02T08:30:00Z", "mode": "online"}
        ],
        "tables": ["A1", "A2"],
        "waking_hours": {"start": "08:00", "end": "22:00"},
        "expert_quota": {"min": 0, "max": 3},
        "need_quota": {"min": 1, "max": 4},
        "needs": need_entries,
        "experts": expert_entries,
        "preferences": [
            {"need": needs[0], "expert": tops[0], "from": "need", "kind": "must_meet"},
            {"need": needs[1], "expert": tops[1], "from": "expert", "kind": "meet"}
        ]
    })
}

#[tokio::test]
async fn event_responses_match_their_schemas() {
    let app = spawn_app().await;
    let (needs, tops, experts) = event_participants(&app).await;
    let body = event_body(&needs, &tops, &experts);
    assert_valid("event-input.schema.json", &body);

    // the record
    let res = call(
        &app,
        Method::POST,
        "/api/v1/events",
        "/api/v1/events",
        None,
        Some(&body),
    )
    .await;
    let event = expect(res, 201, "POST /events").await;
    assert_valid("event.schema.json", &event);
    assert_eq!(event["schedule_status"], Value::Null);
    let id = event["id"].as_str().unwrap().to_string();
    let one = "/api/v1/events/{id}";
    let here = format!("/api/v1/events/{id}");
    let list = call(
        &app,
        Method::GET,
        "/api/v1/events",
        "/api/v1/events?limit=5",
        None,
        None,
    )
    .await;
    assert_valid("event-list.schema.json", &expect(list, 200, "GET /events").await);
    let got = expect(
        call(&app, Method::GET, one, &here, None, None).await,
        200,
        "GET /events/{id}",
    )
    .await;
    assert_valid("event.schema.json", &got);
    let patch = json!({"location": null, "waking_hours": {"end": "21:30"}, "need_quota": {"min": 0}});
    assert_valid("event-patch.schema.json", &patch);
    let version = got["version"].as_u64().unwrap();
    let patched = call(&app, Method::PATCH, one, &here, Some(version), Some(&patch)).await;
    let patched = expect(patched, 200, "PATCH /events/{id}").await;
    assert_valid("event.schema.json", &patched);
    assert!(
        patched.get("location").is_none(),
        "an unset location is omitted: {patched:#}"
    );
    let pref = json!({"need": needs[2], "expert": tops[2], "from": "expert", "kind": "meet"});
    assert_valid("preference-input.schema.json", &pref);
    let prefs = call(
        &app,
        Method::POST,
        "/api/v1/events/{id}/preferences",
        &format!("{here}/preferences"),
        None,
        Some(&pref),
    )
    .await;
    assert_valid("event.schema.json", &expect(prefs, 200, "POST /preferences").await);

    // shortlists and windows
    let route = "/api/v1/events/{id}/shortlists";
    for query in ["k=3&cap=2", "k=2&met_before=exclude&anonymised=true"] {
        let res = call(
            &app,
            Method::GET,
            route,
            &format!("{here}/shortlists?{query}"),
            None,
            None,
        )
        .await;
        let lists = expect(res, 200, query).await;
        assert_valid("shortlists.schema.json", &lists);
        assert!(
            !lists["lists"][0]["experts"].as_array().unwrap().is_empty(),
            "{query}: {lists:#}"
        );
    }
    let csv = call(
        &app,
        Method::GET,
        route,
        &format!("{here}/shortlists?format=csv&anonymised=true"),
        None,
        None,
    )
    .await;
    assert_eq!(csv.status(), 200);
    let route = "/api/v1/events/{id}/slot-suggestions";
    let windows = call(
        &app,
        Method::GET,
        route,
        &format!("{here}/slot-suggestions?duration_minutes=90&count=3"),
        None,
        None,
    )
    .await;
    assert_valid(
        "slot-suggestions.schema.json",
        &expect(windows, 200, "GET /slot-suggestions").await,
    );

    // the schedule: none yet, drafted, read, changed by hand
    let schedule = "/api/v1/events/{id}/schedule";
    let at = format!("{here}/schedule");
    let none = call(&app, Method::GET, schedule, &at, None, None).await;
    assert_valid(
        "problem.schema.json",
        &expect(none, 404, "GET /schedule before a draft").await,
    );
    let drafted = call(
        &app,
        Method::POST,
        schedule,
        &format!("{at}?keep_manual=true&met_before=mark"),
        None,
        None,
    )
    .await;
    let drafted = expect(drafted, 200, "POST /schedule").await;
    assert_valid("schedule.schema.json", &drafted);
    assert!(
        !drafted["meetings"].as_array().unwrap().is_empty(),
        "the must_meet pair is placed: {drafted:#}"
    );
    assert_valid(
        "schedule.schema.json",
        &expect(
            call(&app, Method::GET, schedule, &at, None, None).await,
            200,
            "GET /schedule",
        )
        .await,
    );
    let anonymised = call(
        &app,
        Method::GET,
        schedule,
        &format!("{at}?anonymised=true"),
        None,
        None,
    )
    .await;
    assert_valid(
        "schedule.schema.json",
        &expect(anonymised, 200, "GET /schedule?anonymised=true").await,
    );
    let event_now = expect(
        call(&app, Method::GET, one, &here, None, None).await,
        200,
        "GET /events/{id}",
    )
    .await;
    assert_valid("event.schema.json", &event_now);
    assert_eq!(event_now["schedule_status"], "draft");

    let meetings = drafted["meetings"].as_array().unwrap().clone();
    let first = &meetings[0];
    let meetings_route = "/api/v1/events/{id}/schedule/meetings";
    // the same pair again in its own slot breaks rules: a 409 problem
    let again = json!({"slot": first["slot"]["start"], "need": first["need"]["id"], "expert": first["expert"]["id"]});
    assert_valid("meeting-input.schema.json", &again);
    let refused = call(
        &app,
        Method::POST,
        meetings_route,
        &format!("{at}/meetings"),
        None,
        Some(&again),
    )
    .await;
    let refused = expect(refused, 409, "POST /schedule/meetings with a pair that meets").await;
    assert_valid("problem.schema.json", &refused);
    assert!(
        SCHEDULE_CONFLICTS.contains(&refused["code"].as_str().unwrap()),
        "{refused:#}"
    );
    // a pair that does not meet yet, at a table of the second on-site slot: placed or refused
    let meets = |n: &str, e: &str| meetings.iter().any(|m| m["need"]["id"] == n && m["expert"]["id"] == e);
    let (n, e) = needs
        .iter()
        .flat_map(|n| experts.iter().map(move |e| (n, e)))
        .find(|(n, e)| !meets(n, e))
        .expect("some pair has no meeting");
    let add = json!({"slot": "2027-06-01T09:40", "need": n, "expert": e, "table": "A2"});
    assert_valid("meeting-input.schema.json", &add);
    let added = call(
        &app,
        Method::POST,
        meetings_route,
        &format!("{at}/meetings"),
        None,
        Some(&add),
    )
    .await;
    match added.status().as_u16() {
        201 => assert_valid(
            "schedule.schema.json",
            &expect(added, 201, "POST /schedule/meetings").await,
        ),
        _ => {
            let problem = expect(added, 409, "POST /schedule/meetings").await;
            assert_valid("problem.schema.json", &problem);
            assert!(
                SCHEDULE_CONFLICTS.contains(&problem["code"].as_str().unwrap()),
                "{problem:#}"
            );
        }
    }
    let meeting_route = "/api/v1/events/{id}/schedule/meetings/{meeting_id}";
    let meeting_at = format!("{at}/meetings/{}", first["id"].as_str().unwrap());
    let stay = json!({"slot": first["slot"]["start"], "table": null, "need": null});
    assert_valid("meeting-move.schema.json", &stay);
    let moved = call(&app, Method::PATCH, meeting_route, &meeting_at, None, Some(&stay)).await;
    let moved = expect(moved, 200, "PATCH /schedule/meetings/{meeting_id}").await;
    assert_valid("schedule.schema.json", &moved);
    let other_pair = json!({"slot": first["slot"]["start"], "need": needs[1]});
    assert!(
        !validator("meeting-move.schema.json").is_valid(&other_pair),
        "a move cannot name a pair"
    );
    let bad_move = call(&app, Method::PATCH, meeting_route, &meeting_at, None, Some(&other_pair)).await;
    assert_valid(
        "problem.schema.json",
        &expect(bad_move, 422, "PATCH naming a pair").await,
    );
    let removed = call(&app, Method::DELETE, meeting_route, &meeting_at, None, None).await;
    let removed = expect(removed, 200, "DELETE /schedule/meetings/{meeting_id}").await;
    assert_valid("schedule.schema.json", &removed);
    // the removed meeting placed back by hand where it was breaks no rule
    let back = json!({"slot": first["slot"]["start"], "need": first["need"]["id"], "expert": first["expert"]["id"],
                      "table": first["table"]});
    assert_valid("meeting-input.schema.json", &back);
    let placed = call(
        &app,
        Method::POST,
        meetings_route,
        &format!("{at}/meetings"),
        None,
        Some(&back),
    )
    .await;
    let placed = expect(placed, 201, "POST /schedule/meetings").await;
    assert_valid("schedule.schema.json", &placed);
    assert!(
        placed["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["placed_by"] == "manual"),
        "{placed:#}"
    );

    // exports
    for query in [
        "format=csv",
        "format=csv&anonymised=true",
        &format!("format=ics&need={}", needs[0]),
    ] {
        let res = call(&app, Method::GET, schedule, &format!("{at}?{query}"), None, None).await;
        assert_eq!(res.status(), 200, "{query}");
    }

    // publish, then the schedule cannot be drafted anew; stale versions are refused
    let version = placed["event_version"].as_u64().unwrap();
    let stale = call(
        &app,
        Method::POST,
        "/api/v1/events/{id}/schedule/publish",
        &format!("{at}/publish"),
        Some(version - 1),
        None,
    )
    .await;
    assert_valid(
        "problem.schema.json",
        &expect(stale, 412, "publish with a stale version").await,
    );
    let published = call(
        &app,
        Method::POST,
        "/api/v1/events/{id}/schedule/publish",
        &format!("{at}/publish"),
        Some(version),
        None,
    )
    .await;
    let published = expect(published, 200, "POST /schedule/publish").await;
    assert_valid("schedule.schema.json", &published);
    assert_eq!(published["status"], "published");
    let redraft = call(&app, Method::POST, schedule, &at, None, None).await;
    let redraft = expect(redraft, 409, "POST /schedule when published").await;
    assert_valid("problem.schema.json", &redraft);
    assert_eq!(redraft["code"], "schedule_published");

    // discard, twice
    let discarded = call(&app, Method::DELETE, schedule, &at, None, None).await;
    assert_eq!(discarded.status(), 204);
    let twice = call(&app, Method::DELETE, schedule, &at, None, None).await;
    let twice = expect(twice, 409, "DELETE /schedule without one").await;
    assert_valid("problem.schema.json", &twice);
    assert_eq!(twice["code"], "no_schedule");
    let gone = call(&app, Method::DELETE, one, &here, None, None).await;
    assert_eq!(gone.status(), 204);
    let missing = call(&app, Method::GET, one, &here, None, None).await;
    assert_valid(
        "problem.schema.json",
        &expect(missing, 404, "GET a deleted event").await,
    );
}

#[tokio::test]
async fn the_event_schema_refuses_what_the_server_refuses() {
    let app = spawn_app().await;
    let valid = json!({
        "title": "Roadshow", "format": "online", "time_zone": "Europe/Paris",
        "starts_on": "2027-03-24", "ends_on": "2027-03-24",
        "slots": [{"start": "2027-03-24T10:00", "end": "2027-03-24T10:30"}]
    });
    let schema = validator("event-input.schema.json");
    assert!(schema.is_valid(&valid));
    let res = call(
        &app,
        Method::POST,
        "/api/v1/events",
        "/api/v1/events",
        None,
        Some(&valid),
    )
    .await;
    assert_valid("event.schema.json", &expect(res, 201, "the valid event").await);
    for (what, at, member, value) in invalid_events() {
        let mut bad = valid.clone();
        let target = bad.pointer_mut(at).unwrap_or_else(|| panic!("{what}: no {at}"));
        match value {
            Some(v) => target[member] = v,
            None => drop(target.as_object_mut().unwrap().remove(member)),
        }
        assert!(!schema.is_valid(&bad), "event-input.schema.json accepts {what}: {bad}");
        let res = call(&app, Method::POST, "/api/v1/events", "/api/v1/events", None, Some(&bad)).await;
        assert_valid("problem.schema.json", &expect(res, 422, what).await);
    }
}

/// Changes that make the event of `the_event_schema_refuses_what_the_server_refuses` invalid: what is
/// wrong, the object changed (a JSON pointer), the member, and its new value (None: left out).
fn invalid_events() -> Vec<(&'static str, &'static str, &'static str, Option<Value>)> {
    let uuid = "00000000-0000-4000-8000-000000000000";
    vec![
        ("an unknown member", "", "venue", Some(json!("Hall B"))),
        ("an unknown format", "", "format", Some(json!("virtual"))),
        ("no title", "", "title", None),
        ("a null title", "", "title", Some(Value::Null)),
        ("a date that is not a date", "", "starts_on", Some(json!("24.03.2027"))),
        ("null slots", "", "slots", Some(Value::Null)),
        ("a slot without an end", "/slots/0", "end", None),
        (
            "a slot start that is not a time",
            "/slots/0",
            "start",
            Some(json!("24/03/2027 10:00")),
        ),
        ("an unknown member in a slot", "/slots/0", "room", Some(json!("B"))),
        ("an unknown slot mode", "/slots/0", "mode", Some(json!("phone"))),
        (
            "a hybrid event's slot without a mode",
            "",
            "format",
            Some(json!("hybrid")),
        ),
        (
            "an on-site slot in an online event",
            "/slots/0",
            "mode",
            Some(json!("onsite")),
        ),
        ("on-site slots without tables", "", "format", Some(json!("onsite"))),
        ("a quota over 100", "", "expert_quota", Some(json!({"max": 101}))),
        ("a negative quota", "", "need_quota", Some(json!({"min": -1}))),
        (
            "waking hours that are not HH:MM",
            "",
            "waking_hours",
            Some(json!({"start": "25:00"})),
        ),
        (
            "a need id that is not an id",
            "",
            "needs",
            Some(json!([{"need": "need-1"}])),
        ),
        (
            "an expert entry without its id",
            "",
            "experts",
            Some(json!([{"quota": {"max": 2}}])),
        ),
        (
            "a preference of an unknown kind",
            "",
            "preferences",
            Some(json!([{"need": uuid, "expert": uuid, "from": "need", "kind": "maybe"}])),
        ),
        (
            "a preference from an unknown side",
            "",
            "preferences",
            Some(json!([{"need": uuid, "expert": uuid, "from": "enterprise", "kind": "meet"}])),
        ),
    ]
}

/// Transitions as `call` sends them: to the stage, with If-Match when given.
async fn move_intro(app: &TestApp, id: &str, to: &str, if_match: Option<u64>) -> reqwest::Response {
    let body = json!({"to": to, "note": format!("now {to}")});
    assert_valid("transition-input.schema.json", &body);
    call(
        app,
        Method::POST,
        "/api/v1/introductions/{id}/transitions",
        &format!("/api/v1/introductions/{id}/transitions"),
        if_match,
        Some(&body),
    )
    .await
}

#[tokio::test]
async fn introduction_responses_match_their_schemas() {
    let app = spawn_app().await;
    let (needs, tops, _) = event_participants(&app).await;
    let one = "/api/v1/introductions/{id}";

    // proposed by hand, from a match
    let body = json!({"need": needs[0], "expert": tops[0], "source": "match", "note": "contract"});
    assert_valid("introduction-input.schema.json", &body);
    let res = call(
        &app,
        Method::POST,
        "/api/v1/introductions",
        "/api/v1/introductions",
        None,
        Some(&body),
    )
    .await;
    let intro = expect(res, 201, "POST /introductions").await;
    assert_valid("introduction.schema.json", &intro);
    assert!(intro["score"].is_number(), "a matched pair has a score: {intro:#}");
    let id = intro["id"].as_str().unwrap().to_string();
    let twice = call(
        &app,
        Method::POST,
        "/api/v1/introductions",
        "/api/v1/introductions",
        None,
        Some(&body),
    )
    .await;
    let twice = expect(twice, 409, "a second open introduction").await;
    assert_valid("problem.schema.json", &twice);
    assert_eq!(twice["code"], "introduction_exists");
    assert_eq!(twice["existing"], id.as_str());
    let here = format!("/api/v1/introductions/{id}");
    let got = expect(
        call(&app, Method::GET, one, &here, None, None).await,
        200,
        "GET /introductions/{id}",
    )
    .await;
    assert_valid("introduction.schema.json", &got);

    // moved, refused with the allowed stages, refused as stale
    let moved = expect(move_intro(&app, &id, "contacted", Some(1)).await, 200, "a legal move").await;
    assert_valid("introduction.schema.json", &moved);
    let illegal = expect(move_intro(&app, &id, "landed", None).await, 409, "skipping to landed").await;
    assert_valid("problem.schema.json", &illegal);
    assert_eq!(illegal["code"], "illegal_transition");
    assert_eq!(illegal["allowed"], json!(["met", "declined", "withdrawn"]));
    let stale = expect(move_intro(&app, &id, "met", Some(1)).await, 412, "a stale move").await;
    assert_valid("problem.schema.json", &stale);
    let ended = expect(move_intro(&app, &id, "declined", None).await, 200, "declined").await;
    assert_valid("introduction.schema.json", &ended);
    let after = expect(move_intro(&app, &id, "met", None).await, 409, "after an ending").await;
    assert_valid("problem.schema.json", &after);
    assert_eq!(after["allowed"], json!([]));
    let missing = format!("/api/v1/introductions/{}", "00000000-0000-4000-8000-000000000000");
    let res = call(&app, Method::GET, one, &missing, None, None).await;
    assert_valid(
        "problem.schema.json",
        &expect(res, 404, "an unknown introduction").await,
    );

    // from a meeting of the published sample schedule
    let event = "7b1f2c3d-5e6a-4b8c-9d0e-1f2a3b4c5d6e";
    let at = format!("/api/v1/events/{event}/schedule");
    expect(
        call(&app, Method::POST, "/api/v1/events/{id}/schedule", &at, None, None).await,
        200,
        "draft",
    )
    .await;
    let published = call(
        &app,
        Method::POST,
        "/api/v1/events/{id}/schedule/publish",
        &format!("{at}/publish"),
        None,
        None,
    )
    .await;
    let published = expect(published, 200, "publish").await;
    let meeting = &published["meetings"][0];
    let body = json!({"event": event, "meeting": meeting["id"]});
    assert_valid("introduction-input.schema.json", &body);
    let res = call(
        &app,
        Method::POST,
        "/api/v1/introductions",
        "/api/v1/introductions",
        None,
        Some(&body),
    )
    .await;
    let from_meeting = expect(res, 201, "POST /introductions from a meeting").await;
    assert_valid("introduction.schema.json", &from_meeting);
    assert_eq!(from_meeting["meeting_id"], meeting["id"]);
    let unknown = json!({"event": event, "meeting": "00000000-0000-4000-8000-000000000000"});
    let res = call(
        &app,
        Method::POST,
        "/api/v1/introductions",
        "/api/v1/introductions",
        None,
        Some(&unknown),
    )
    .await;
    let status = res.status().as_u16();
    assert_valid("problem.schema.json", &expect(res, status, "an unknown meeting").await);

    // lists
    let need = meeting["need"]["id"].as_str().unwrap();
    let expert = meeting["expert"]["id"].as_str().unwrap();
    for (route, path) in [
        ("/api/v1/introductions", "/api/v1/introductions?limit=1".to_string()),
        (
            "/api/v1/introductions",
            format!("/api/v1/introductions?stage=declined&need={}", needs[0]),
        ),
        ("/api/v1/introductions", format!("/api/v1/introductions?event={event}")),
        (
            "/api/v1/needs/{id}/introductions",
            format!("/api/v1/needs/{need}/introductions?stage=proposed"),
        ),
        (
            "/api/v1/experts/{id}/introductions",
            format!("/api/v1/experts/{expert}/introductions?limit=5"),
        ),
    ] {
        let list = expect(call(&app, Method::GET, route, &path, None, None).await, 200, &path).await;
        assert_valid("introduction-list.schema.json", &list);
        assert!(!list["items"].as_array().unwrap().is_empty(), "{path}: {list:#}");
    }
    let res = call(
        &app,
        Method::GET,
        "/api/v1/introductions",
        "/api/v1/introductions?stage=done",
        None,
        None,
    )
    .await;
    assert_valid("problem.schema.json", &expect(res, 422, "an unknown stage").await);
    let res = call(
        &app,
        Method::GET,
        "/api/v1/introductions",
        "/api/v1/introductions?limit=0",
        None,
        None,
    )
    .await;
    assert_valid("problem.schema.json", &expect(res, 400, "limit 0").await);
    let nobody = "/api/v1/needs/00000000-0000-4000-8000-000000000000/introductions";
    let res = call(
        &app,
        Method::GET,
        "/api/v1/needs/{id}/introductions",
        nobody,
        None,
        None,
    )
    .await;
    assert_valid("problem.schema.json", &expect(res, 404, "an unknown need").await);
}

#[tokio::test]
async fn report_and_channel_responses_match_their_schemas() {
    let app = spawn_app().await;
    let (needs, tops, _) = event_participants(&app).await;
    let body = json!({"need": needs[0], "expert": tops[0]});
    let res = call(
        &app,
        Method::POST,
        "/api/v1/introductions",
        "/api/v1/introductions",
        None,
        Some(&body),
    )
    .await;
    let intro = expect(res, 201, "an introduction to count").await;
    move_intro(&app, intro["id"].as_str().unwrap(), "contacted", None).await;

    let route = "/api/v1/reports/funnel";
    for by in ["total", "month", "quarter", "year", "channel", "sector", "event"] {
        let path = format!("{route}?by={by}&from=2026-01-01&to=2027-12-31&time_zone=Europe/Paris");
        let report = expect(call(&app, Method::GET, route, &path, None, None).await, 200, &path).await;
        assert_valid("funnel-report.schema.json", &report);
        assert!(!report["rows"].as_array().unwrap().is_empty(), "{path}: {report:#}");
        let csv = call(&app, Method::GET, route, &format!("{path}&format=csv"), None, None).await;
        assert_eq!(csv.status(), 200, "{path} as CSV");
    }
    let report = expect(
        call(&app, Method::GET, route, route, None, None).await,
        200,
        "the default funnel",
    )
    .await;
    assert_valid("funnel-report.schema.json", &report);
    let res = call(&app, Method::GET, route, &format!("{route}?by=week"), None, None).await;
    assert_valid("problem.schema.json", &expect(res, 400, "by=week").await);

    let route = "/api/v1/reports/yearly";
    for path in [route.to_string(), format!("{route}?year=2027&time_zone=UTC")] {
        let summary = expect(call(&app, Method::GET, route, &path, None, None).await, 200, &path).await;
        assert_valid("year-summary.schema.json", &summary);
    }
    let csv = call(&app, Method::GET, route, &format!("{route}?format=csv"), None, None).await;
    assert_eq!(csv.status(), 200);
    let res = call(&app, Method::GET, route, &format!("{route}?year=1999"), None, None).await;
    assert_valid("problem.schema.json", &expect(res, 400, "year 1999").await);

    let route = "/api/v1/reports/renewal";
    for path in [
        route.to_string(),
        format!("{route}?stale_after_days=0&time_zone=Europe/Berlin"),
    ] {
        let due = expect(call(&app, Method::GET, route, &path, None, None).await, 200, &path).await;
        assert_valid("renewal-report.schema.json", &due);
    }
    let due = expect(
        call(
            &app,
            Method::GET,
            route,
            &format!("{route}?stale_after_days=0"),
            None,
            None,
        )
        .await,
        200,
        "everything is stale after 0 days",
    )
    .await;
    assert!(!due["experts"].as_array().unwrap().is_empty(), "{due:#}");
    let res = call(
        &app,
        Method::GET,
        route,
        &format!("{route}?stale_after_days=-1"),
        None,
        None,
    )
    .await;
    assert_valid("problem.schema.json", &expect(res, 400, "negative days").await);

    // channels: PUT and PATCH
    let route = "/api/v1/channels/{id}";
    let channels = app.get_ok("/api/v1/channels").await;
    let channel = channels["items"][0].clone();
    let id = channel["id"].as_str().unwrap();
    let here = format!("/api/v1/channels/{id}");
    let put = json!({"id": id, "name": "Renamed partner", "country": channel["country"], "kind": channel["kind"],
                     "url": "https://partner.example.org"});
    assert_valid("channel-input.schema.json", &put);
    let replaced = expect(
        call(&app, Method::PUT, route, &here, None, Some(&put)).await,
        200,
        "PUT /channels/{id}",
    )
    .await;
    assert_valid("channel.schema.json", &replaced);
    assert_eq!(replaced["created_at"], channel["created_at"]);
    for patch in [json!({"name": "Patched partner", "url": null}), channel.clone()] {
        assert_valid("channel-patch.schema.json", &patch);
        let patched = call(&app, Method::PATCH, route, &here, None, Some(&patch)).await;
        assert_valid(
            "channel.schema.json",
            &expect(patched, 200, "PATCH /channels/{id}").await,
        );
    }
    assert_eq!(app.get_ok(&here).await, channel, "patched back as it was");
    let moved = json!({"id": "somewhere-else"});
    assert_valid("channel-patch.schema.json", &moved);
    let res = call(&app, Method::PATCH, route, &here, None, Some(&moved)).await;
    assert_valid("problem.schema.json", &expect(res, 422, "a new id").await);
    let res = call(
        &app,
        Method::PUT,
        route,
        "/api/v1/channels/no-such-channel",
        None,
        Some(&put),
    )
    .await;
    assert_valid("problem.schema.json", &expect(res, 404, "an unknown channel").await);
}

#[tokio::test]
async fn the_introduction_and_channel_schemas_refuse_what_the_server_refuses() {
    let app = spawn_app().await;
    let (needs, tops, _) = event_participants(&app).await;
    let (need, expert) = (needs[0].as_str(), tops[0].as_str());
    let uuid = "00000000-0000-4000-8000-000000000000";
    let schema = validator("introduction-input.schema.json");
    for valid in [
        json!({"need": need, "expert": expert}),
        json!({"need": need, "expert": expert, "source": "manual", "note": null, "event": null}),
        json!({"event": uuid, "meeting": uuid}),
        json!({"event": uuid, "meeting": uuid, "source": "event", "need": null, "note": "from the roadshow"}),
    ] {
        assert!(
            schema.is_valid(&valid),
            "introduction-input.schema.json refuses {valid}"
        );
    }
    let long = "x".repeat(2001);
    let invalid = [
        json!({}),
        json!({"need": need}),
        json!({"need": "need-1", "expert": expert}),
        json!({"need": need, "expert": expert, "source": "phone"}),
        json!({"need": need, "expert": expert, "source": "event"}),
        json!({"source": "event"}),
        json!({"event": uuid, "meeting": uuid, "need": need}),
        json!({"need": need, "expert": expert, "meeting": uuid}),
        json!({"need": need, "expert": expert, "note": long}),
        json!({"need": need, "expert": expert, "colour": "red"}),
        json!({"need": 5, "expert": expert}),
    ];
    for bad in invalid {
        assert!(!schema.is_valid(&bad), "introduction-input.schema.json accepts {bad}");
        let res = call(
            &app,
            Method::POST,
            "/api/v1/introductions",
            "/api/v1/introductions",
            None,
            Some(&bad),
        )
        .await;
        assert_valid("problem.schema.json", &expect(res, 422, &format!("POST {bad}")).await);
    }

    let body = json!({"need": need, "expert": expert});
    let res = call(
        &app,
        Method::POST,
        "/api/v1/introductions",
        "/api/v1/introductions",
        None,
        Some(&body),
    )
    .await;
    let id = expect(res, 201, "an introduction to move").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let schema = validator("transition-input.schema.json");
    assert!(schema.is_valid(&json!({"to": "withdrawn", "note": null})));
    for bad in [
        json!({}),
        json!({"to": "finished"}),
        json!({"to": 3}),
        json!({"to": "contacted", "by": "me"}),
        json!({"to": "contacted", "note": long}),
    ] {
        assert!(!schema.is_valid(&bad), "transition-input.schema.json accepts {bad}");
        let res = call(
            &app,
            Method::POST,
            "/api/v1/introductions/{id}/transitions",
            &format!("/api/v1/introductions/{id}/transitions"),
            None,
            Some(&bad),
        )
        .await;
        assert_valid(
            "problem.schema.json",
            &expect(res, 422, &format!("transition {bad}")).await,
        );
    }

    let channels = app.get_ok("/api/v1/channels").await;
    let here = format!("/api/v1/channels/{}", channels["items"][0]["id"].as_str().unwrap());
    let schema = validator("channel-patch.schema.json");
    for bad in [
        json!({"colour": "red"}),
        json!({"kind": "club"}),
        json!({"country": "Germany"}),
        json!({"name": ""}),
        json!({"name": null}),
        json!({"id": "Not_A_Slug"}),
    ] {
        assert!(!schema.is_valid(&bad), "channel-patch.schema.json accepts {bad}");
        let res = call(&app, Method::PATCH, "/api/v1/channels/{id}", &here, None, Some(&bad)).await;
        assert_valid("problem.schema.json", &expect(res, 422, &format!("PATCH {bad}")).await);
    }
}

#[tokio::test]
async fn privacy_responses_match_their_schemas() {
    let app = spawn_app().await;
    let reg = json_of(
        app.post("/api/v1/experts", None, &expert_body("privacy-contract@example.de"))
            .await,
        201,
    )
    .await;
    let id = reg["id"].as_str().unwrap().to_string();
    let route = "/api/v1/experts/{id}/consent";
    let withdrawn = call(
        &app,
        Method::DELETE,
        route,
        &format!("/api/v1/experts/{id}/consent"),
        None,
        None,
    )
    .await;
    let withdrawn = expect(withdrawn, 200, "withdraw consent").await;
    assert_valid("expert.schema.json", &withdrawn);
    assert!(withdrawn["consent"]["withdrawn_at"].is_string());
    let route = "/api/v1/experts/{id}/export";
    let export = call(
        &app,
        Method::GET,
        route,
        &format!("/api/v1/experts/{id}/export"),
        None,
        None,
    )
    .await;
    assert_valid("personal-data.schema.json", &expect(export, 200, "export").await);
    let log = call(&app, Method::GET, "/api/v1/audit", "/api/v1/audit?limit=5", None, None).await;
    let log = expect(log, 200, "audit").await;
    assert!(!log["items"].as_array().unwrap().is_empty());
    assert_valid("audit-list.schema.json", &log);
    let bad = call(
        &app,
        Method::GET,
        "/api/v1/audit",
        "/api/v1/audit?action=nothing",
        None,
        None,
    )
    .await;
    assert_valid("problem.schema.json", &expect(bad, 422, "bad audit filter").await);
}
