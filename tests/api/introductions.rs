//! Introductions over HTTP: proposed by hand, from a match or from an event meeting (with the pair's
//! score, event and meeting), moved stage by stage with an append-only history, refused with the
//! allowed next stages, one open introduction per pair, lists by need, expert, event and stage with
//! cursor paging, field-by-field validation, operators only, and met introductions counting as
//! met-before at events.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::{json, Value};

use crate::events::{
    active_expert, create_event, expect, fields, id_of, ml_expert, ml_need, online_event, problem_code, send_if,
};
use crate::helpers::{expert_body, spawn_app_without_samples, TestApp, OPERATOR};

/// Every stage, in the order of the vocabulary.
const STAGES: [&str; 8] = [
    "proposed",
    "contacted",
    "met",
    "negotiating",
    "agreed",
    "landed",
    "declined",
    "withdrawn",
];

/// The stages of progress, in order.
const PROGRESS: [&str; 6] = ["proposed", "contacted", "met", "negotiating", "agreed", "landed"];

/// The open stages: every one of progress but landed.
const OPEN: [&str; 5] = ["proposed", "contacted", "met", "negotiating", "agreed"];

const UNKNOWN: &str = "00000000-0000-4000-8000-000000000000";

/// What may follow `stage`, by the rules of DESIGN.md §2: the next stage of progress, or an ending;
/// nothing after landed, declined or withdrawn.
fn allowed_after(stage: &str) -> BTreeSet<String> {
    match PROGRESS.iter().position(|s| *s == stage) {
        Some(5) | None => BTreeSet::new(),
        Some(i) => [PROGRESS[i + 1], "declined", "withdrawn"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
    }
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .unwrap_or_else(|| panic!("not an RFC 3339 time: {v}"))
        .with_timezone(&Utc)
}

fn etag(res: &reqwest::Response) -> String {
    res.headers()
        .get("etag")
        .unwrap_or_else(|| panic!("no ETag on {}", res.url()))
        .to_str()
        .unwrap()
        .to_string()
}

/// Proposes an introduction, expecting 201; returns it.
async fn propose(app: &TestApp, body: &Value) -> Value {
    let res = app.post("/api/v1/introductions", Some(OPERATOR), body).await;
    expect(res, 201, &format!("proposing {body}")).await
}

/// Proposes `need` and `expert` by hand.
async fn propose_pair(app: &TestApp, need: &str, expert: &str) -> Value {
    propose(app, &json!({"need": need, "expert": expert})).await
}

/// Sends a transition without If-Match.
async fn transition(app: &TestApp, id: &str, body: &Value) -> reqwest::Response {
    send_if(
        app,
        Method::POST,
        &format!("/api/v1/introductions/{id}/transitions"),
        None,
        Some(body),
    )
    .await
}

/// Moves an introduction to `to`, expecting 200; returns it.
async fn move_to(app: &TestApp, id: &str, to: &str) -> Value {
    let res = transition(app, id, &json!({"to": to})).await;
    expect(res, 200, &format!("moving {id} to {to}")).await
}

/// Moves a proposed introduction along the stages of progress up to `stage`.
async fn walk_to(app: &TestApp, id: &str, stage: &str) -> Value {
    let mut last = app.get_ok(&format!("/api/v1/introductions/{id}")).await;
    for s in PROGRESS.iter().skip(1) {
        if PROGRESS.iter().position(|p| p == s) > PROGRESS.iter().position(|p| *p == stage) {
            break;
        }
        last = move_to(app, id, s).await;
    }
    assert_eq!(last["stage"], stage, "{last:#}");
    last
}

/// `count` needs that the standard test expert fits.
async fn ml_needs(app: &TestApp, prefix: &str, count: usize) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..count {
        out.push(ml_need(app, &format!("{prefix} {i}")).await);
    }
    out
}

/// An online event on 2026-12-10 in Asia/Shanghai with two afternoon slots (morning in Europe),
/// drafted and published; returns (event id, published schedule).
async fn published_event(app: &TestApp, needs: &[&str], experts: &[&str]) -> (String, Value) {
    let slots = [
        ("2026-12-10T16:00", "2026-12-10T16:30"),
        ("2026-12-10T16:40", "2026-12-10T17:10"),
    ];
    let event = id_of(&create_event(app, &online_event("2026-12-10", &slots, needs, experts)).await);
    let at = format!("/api/v1/events/{event}/schedule");
    expect(send_if(app, Method::POST, &at, None, None).await, 200, "drafting").await;
    let published = expect(
        send_if(app, Method::POST, &format!("{at}/publish"), None, None).await,
        200,
        "publishing",
    )
    .await;
    assert_eq!(published["status"], "published");
    (event, published)
}

fn meetings(schedule: &Value) -> Vec<Value> {
    schedule["meetings"].as_array().unwrap().clone()
}

#[tokio::test]
async fn an_introduction_proposed_by_hand_starts_at_proposed_with_the_pairs_score() {
    let app = spawn_app_without_samples().await;
    let expert = ml_expert(&app, "hand@example.de", "Europe/Berlin").await;
    let need = ml_need(&app, "Battery inspection").await;

    let before = Utc::now();
    let res = app
        .post(
            "/api/v1/introductions",
            Some(OPERATOR),
            &json!({"need": need, "expert": expert, "note": "  met at the Munich fair  "}),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(etag(&res), "\"1\"");
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let created: Value = res.json().await.unwrap();
    let after = Utc::now();
    let id = id_of(&created);
    assert_eq!(location, format!("/api/v1/introductions/{id}"));
    assert_eq!(created["version"], 1);
    assert_eq!(created["need_id"], need.as_str());
    assert_eq!(created["expert_id"], expert.as_str());
    assert_eq!(created["source"], "manual", "manual unless told otherwise");
    assert_eq!(created["event_id"], Value::Null);
    assert_eq!(created["meeting_id"], Value::Null);
    assert_eq!(created["stage"], "proposed");
    assert_eq!(strings(&created["allowed_next"]), allowed_after("proposed"));
    let history = created["history"].as_array().unwrap();
    assert_eq!(history.len(), 1, "{created:#}");
    assert_eq!(history[0]["stage"], "proposed");
    assert_eq!(history[0]["actor"], "operator:default");
    assert_eq!(history[0]["note"], "met at the Munich fair", "the note is trimmed");
    let at = time(&history[0]["at"]);
    assert!(
        before <= at && at <= after,
        "proposed at {at}, asked between {before} and {after}"
    );
    assert_eq!(created["created_at"], history[0]["at"]);
    assert_eq!(created["updated_at"], history[0]["at"]);

    // the pair's match score is recorded
    let verdict = app.get_ok(&format!("/api/v1/needs/{need}/matches/{expert}")).await;
    assert_eq!(verdict["matched"], true, "{verdict:#}");
    let want = verdict["score"].as_f64().unwrap();
    let got = created["score"]
        .as_f64()
        .unwrap_or_else(|| panic!("no score: {created:#}"));
    assert!((got - want).abs() < 1e-4, "score {got}, the match says {want}");

    // read back, with its ETag
    let res = app.get(&location, Some(OPERATOR)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(etag(&res), "\"1\"");
    assert_eq!(res.json::<Value>().await.unwrap(), created);

    // from a match: the same, with its source; a pair the gates remove has no score
    let other = ml_need(&app, "Second inspection line").await;
    let matched = propose(&app, &json!({"need": other, "expert": expert, "source": "match"})).await;
    assert_eq!(matched["source"], "match");
    assert!(matched["score"].is_number(), "{matched:#}");
    assert_eq!(matched["history"][0]["note"], Value::Null, "no note given");
    let chemist = active_expert(
        &app,
        "chemist@example.de",
        "Europe/Berlin",
        json!([{"tag": "materials.polymers", "level": 4}]),
    )
    .await;
    let gated = propose_pair(&app, &need, &chemist).await;
    assert_eq!(gated["score"], Value::Null, "no must-have skill, no score: {gated:#}");
    assert_eq!(gated["stage"], "proposed");
}

#[tokio::test]
async fn an_introduction_from_a_published_meeting_takes_its_pair_score_event_and_meeting() {
    let app = spawn_app_without_samples().await;
    let a = ml_expert(&app, "a@example.de", "Europe/Berlin").await;
    let b = ml_expert(&app, "b@example.fr", "Europe/Paris").await;
    let needs = ml_needs(&app, "Docking", 2).await;
    let (event, schedule) = published_event(&app, &[&needs[0], &needs[1]], &[&a, &b]).await;
    let placed = meetings(&schedule);
    assert!(placed.len() >= 2, "two pairs meet: {schedule:#}");

    // without a source: a meeting makes it an event introduction
    let m = &placed[0];
    let first = propose(
        &app,
        &json!({"event": event, "meeting": m["id"], "note": "both asked for a follow-up"}),
    )
    .await;
    assert_eq!(first["source"], "event");
    assert_eq!(first["event_id"], event.as_str());
    assert_eq!(first["meeting_id"], m["id"]);
    assert_eq!(first["need_id"], m["need"]["id"]);
    assert_eq!(first["expert_id"], m["expert"]["id"]);
    assert_eq!(first["stage"], "proposed");
    assert_eq!(first["history"][0]["note"], "both asked for a follow-up");
    let (need, expert) = (m["need"]["id"].as_str().unwrap(), m["expert"]["id"].as_str().unwrap());
    let verdict = app.get_ok(&format!("/api/v1/needs/{need}/matches/{expert}")).await;
    let (got, want) = (first["score"].as_f64(), verdict["score"].as_f64());
    assert!(
        got.zip(want).is_some_and(|(g, w)| (g - w).abs() < 1e-4),
        "score {got:?}, the match says {want:?}"
    );

    // with source event
    let m = placed
        .iter()
        .find(|x| x["need"]["id"] != m["need"]["id"] || x["expert"]["id"] != m["expert"]["id"])
        .expect("another pair meets");
    let second = propose(&app, &json!({"source": "event", "event": event, "meeting": m["id"]})).await;
    assert_eq!(second["source"], "event");
    assert_eq!(second["meeting_id"], m["id"]);
    assert_eq!(second["need_id"], m["need"]["id"]);
    assert_eq!(second["expert_id"], m["expert"]["id"]);
    assert!(second["score"].is_number(), "{second:#}");

    // the event's introductions
    let listed = app.get_ok(&format!("/api/v1/introductions?event={event}")).await;
    let ids: BTreeSet<String> = listed["items"].as_array().unwrap().iter().map(id_of).collect();
    assert_eq!(ids, BTreeSet::from([id_of(&first), id_of(&second)]));

    // unknown event, meeting of no event, meeting of another event: not found, like an unknown
    // need or expert
    let (_, other_schedule) = published_event(&app, &[&needs[0]], &[&a]).await;
    let foreign = meetings(&other_schedule)[0]["id"].clone();
    let mut answers = Vec::new();
    for (what, body) in [
        (
            "an unknown event",
            json!({"event": UNKNOWN, "meeting": placed[0]["id"]}),
        ),
        ("an unknown meeting", json!({"event": event, "meeting": UNKNOWN})),
        (
            "a meeting of another event",
            json!({"event": event, "meeting": foreign}),
        ),
    ] {
        let res = app.post("/api/v1/introductions", Some(OPERATOR), &body).await;
        let status = res.status().as_u16();
        let problem: Value = res.json().await.unwrap();
        answers.push((what, status, problem["code"].as_str().unwrap_or_default().to_string()));
    }
    let want: Vec<_> = answers
        .iter()
        .map(|(what, _, _)| (*what, 404, "not_found".to_string()))
        .collect();
    assert_eq!(answers, want);
    let listed = app.get_ok("/api/v1/introductions").await;
    assert_eq!(
        listed["items"].as_array().unwrap().len(),
        2,
        "nothing more was proposed"
    );
}

#[tokio::test]
async fn the_full_path_records_actor_time_and_note_of_every_step_and_never_rewrites_history() {
    let app = spawn_app_without_samples().await;
    let expert = ml_expert(&app, "path@example.de", "Europe/Berlin").await;
    let need = ml_need(&app, "From proposal to landing").await;
    let mut current = propose(&app, &json!({"need": need, "expert": expert, "note": "first idea"})).await;
    let id = id_of(&current);
    let path = format!("/api/v1/introductions/{id}/transitions");
    for (i, to) in PROGRESS.iter().enumerate().skip(1) {
        let note = (i % 2 == 1).then(|| format!("step {i}: now {to}"));
        let body = match &note {
            Some(n) => json!({"to": to, "note": n}),
            None => json!({"to": to}),
        };
        let version = current["version"].as_u64().unwrap();
        let before = Utc::now();
        let res = send_if(&app, Method::POST, &path, Some(version), Some(&body)).await;
        let tag = res.headers().get("etag").map(|v| v.to_str().unwrap().to_string());
        let moved = expect(res, 200, &format!("moving to {to}")).await;
        let after = Utc::now();
        assert_eq!(tag, Some(format!("\"{}\"", version + 1)), "to {to}");
        assert_eq!(moved["version"], version + 1);
        assert_eq!(moved["stage"], *to);
        assert_eq!(strings(&moved["allowed_next"]), allowed_after(to), "after {to}");
        let old = current["history"].as_array().unwrap();
        let new = moved["history"].as_array().unwrap();
        assert_eq!(new.len(), old.len() + 1, "one step per move: {moved:#}");
        assert_eq!(&new[..old.len()], &old[..], "earlier steps never change");
        let step = &new[old.len()];
        assert_eq!(step["stage"], *to);
        assert_eq!(step["actor"], "operator:default");
        assert_eq!(step["note"], note.clone().map_or(Value::Null, Value::from));
        let at = time(&step["at"]);
        assert!(
            at >= time(&old[old.len() - 1]["at"]),
            "steps keep time order: {moved:#}"
        );
        assert!(
            at <= after && at >= before - chrono::Duration::seconds(1),
            "{to} at {at}"
        );
        assert_eq!(moved["updated_at"], step["at"]);
        assert_eq!(moved["created_at"], current["created_at"], "created_at stays");
        assert_eq!(moved["need_id"], current["need_id"]);
        assert_eq!(moved["score"], current["score"]);
        current = moved;
    }
    assert_eq!(current["stage"], "landed");
    assert_eq!(current["allowed_next"], json!([]));
    let stages: Vec<&str> = current["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    assert_eq!(stages, PROGRESS);
    let res = app.get(&format!("/api/v1/introductions/{id}"), Some(OPERATOR)).await;
    assert_eq!(etag(&res), "\"6\"");
    assert_eq!(res.json::<Value>().await.unwrap(), current, "read back as moved");

    // a blank note is no note
    let other = propose_pair(&app, &ml_need(&app, "Blank notes").await, &expert).await;
    let moved = expect(
        transition(&app, &id_of(&other), &json!({"to": "contacted", "note": "   "})).await,
        200,
        "a blank note",
    )
    .await;
    assert_eq!(moved["history"][1]["note"], Value::Null);
}

#[tokio::test]
async fn a_stale_if_match_is_refused_and_changes_nothing() {
    let app = spawn_app_without_samples().await;
    let expert = ml_expert(&app, "stale@example.de", "Europe/Berlin").await;
    let need = ml_need(&app, "Stale writes").await;
    let intro = propose_pair(&app, &need, &expert).await;
    let id = id_of(&intro);
    let path = format!("/api/v1/introductions/{id}/transitions");
    let moved = expect(
        send_if(&app, Method::POST, &path, Some(1), Some(&json!({"to": "contacted"}))).await,
        200,
        "with the current version",
    )
    .await;
    assert_eq!(moved["version"], 2);
    let res = send_if(&app, Method::POST, &path, Some(1), Some(&json!({"to": "met"}))).await;
    let problem = expect(res, 412, "with a stale version").await;
    assert_eq!(problem["code"], "version_mismatch");
    assert_eq!(problem["current_version"], 2);
    assert_eq!(
        app.get_ok(&format!("/api/v1/introductions/{id}")).await,
        moved,
        "a refused move changes nothing"
    );
    let res = app
        .client
        .post(format!("{}{path}", app.address))
        .bearer_auth(OPERATOR)
        .header("If-Match", "not a version")
        .json(&json!({"to": "met"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem_code(res, 400, "a malformed If-Match").await,
        "invalid_parameter"
    );
}

#[tokio::test]
async fn every_illegal_transition_answers_409_with_exactly_the_allowed_next_stages() {
    let app = spawn_app_without_samples().await;
    let expert = ml_expert(&app, "rules@example.de", "Europe/Berlin").await;
    let needs = ml_needs(&app, "Rules", STAGES.len()).await;
    let mut checked = 0;
    for (stage, need) in STAGES.iter().zip(&needs) {
        let intro = propose_pair(&app, need, &expert).await;
        let id = id_of(&intro);
        let at = match *stage {
            "declined" | "withdrawn" => move_to(&app, &id, stage).await,
            _ => walk_to(&app, &id, stage).await,
        };
        let allowed = allowed_after(stage);
        assert_eq!(strings(&at["allowed_next"]), allowed, "allowed_next at {stage}");
        for to in STAGES.iter().filter(|t| !allowed.contains(**t)) {
            let res = transition(&app, &id, &json!({"to": to, "note": "should not stick"})).await;
            let ct = res
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_string());
            let problem = expect(res, 409, &format!("{stage} → {to}")).await;
            assert_eq!(ct.as_deref(), Some("application/problem+json"));
            assert_eq!(problem["code"], "illegal_transition", "{stage} → {to}: {problem:#}");
            assert_eq!(
                strings(&problem["allowed"]),
                allowed,
                "{stage} → {to} names what may follow {stage}: {problem:#}"
            );
            checked += 1;
        }
        assert_eq!(
            app.get_ok(&format!("/api/v1/introductions/{id}")).await,
            at,
            "refused moves leave {stage} unchanged"
        );
    }
    // skipping, going back, staying and moving after an ending, all refused
    assert_eq!(checked, 8 * 8 - 5 * 3, "every pair of stages that is not a legal move");
}

#[tokio::test]
async fn declined_and_withdrawn_end_an_introduction_from_every_open_stage() {
    let app = spawn_app_without_samples().await;
    let expert = ml_expert(&app, "endings@example.de", "Europe/Berlin").await;
    let needs = ml_needs(&app, "Endings", OPEN.len() * 2).await;
    let mut needs = needs.iter();
    for stage in OPEN {
        for ending in ["declined", "withdrawn"] {
            let intro = propose_pair(&app, needs.next().unwrap(), &expert).await;
            let id = id_of(&intro);
            let at = walk_to(&app, &id, stage).await;
            let res = transition(
                &app,
                &id,
                &json!({"to": ending, "note": format!("{ending} at {stage}")}),
            )
            .await;
            let ended = expect(res, 200, &format!("{stage} → {ending}")).await;
            assert_eq!(ended["stage"], ending);
            assert_eq!(ended["allowed_next"], json!([]), "{ending} is final");
            let history = ended["history"].as_array().unwrap();
            assert_eq!(history.len(), at["history"].as_array().unwrap().len() + 1);
            assert_eq!(history.last().unwrap()["note"], format!("{ending} at {stage}"));
            assert_eq!(
                history[history.len() - 2]["stage"],
                stage,
                "the stage it ended at stays in the history"
            );
            let res = transition(&app, &id, &json!({"to": "landed"})).await;
            let problem = expect(res, 409, "after an ending").await;
            assert_eq!(problem["allowed"], json!([]), "{problem:#}");
        }
    }
}

#[tokio::test]
async fn a_pair_has_one_open_introduction_at_a_time() {
    let app = spawn_app_without_samples().await;
    let expert = ml_expert(&app, "once@example.de", "Europe/Berlin").await;
    let other = ml_expert(&app, "twice@example.fr", "Europe/Paris").await;
    let needs = ml_needs(&app, "Once", 2).await;
    let first = propose_pair(&app, &needs[0], &expert).await;
    for body in [
        json!({"need": needs[0], "expert": expert}),
        json!({"need": needs[0], "expert": expert, "source": "match"}),
    ] {
        let res = app.post("/api/v1/introductions", Some(OPERATOR), &body).await;
        let problem = expect(res, 409, "a second open introduction").await;
        assert_eq!(problem["code"], "introduction_exists", "{problem:#}");
        assert_eq!(problem["existing"], first["id"], "{problem:#}");
    }
    // still open at a later stage; the same need with another expert is another pair
    walk_to(&app, &id_of(&first), "negotiating").await;
    let res = app
        .post(
            "/api/v1/introductions",
            Some(OPERATOR),
            &json!({"need": needs[0], "expert": expert}),
        )
        .await;
    assert_eq!(problem_code(res, 409, "while negotiating").await, "introduction_exists");
    propose_pair(&app, &needs[0], &other).await;
    propose_pair(&app, &needs[1], &expert).await;

    // from an event meeting of the same pair: the same rule
    let (event, schedule) = published_event(&app, &[&needs[0]], &[&expert]).await;
    let meeting = meetings(&schedule)[0]["id"].clone();
    let res = app
        .post(
            "/api/v1/introductions",
            Some(OPERATOR),
            &json!({"event": event, "meeting": meeting}),
        )
        .await;
    let problem = expect(res, 409, "a meeting of an introduced pair").await;
    assert_eq!(problem["code"], "introduction_exists");
    assert_eq!(problem["existing"], first["id"]);

    // once it ended, a new one may start; it is another record and the first stays as it was
    let ended = move_to(&app, &id_of(&first), "declined").await;
    let again = propose(&app, &json!({"event": event, "meeting": meeting})).await;
    assert_ne!(again["id"], first["id"]);
    assert_eq!(again["stage"], "proposed");
    assert_eq!(
        app.get_ok(&format!("/api/v1/introductions/{}", id_of(&first))).await,
        ended
    );
    move_to(&app, &id_of(&again), "withdrawn").await;
    let third = propose_pair(&app, &needs[0], &expert).await;
    move_to(&app, &id_of(&third), "contacted").await;
    let listed = app
        .get_ok(&format!("/api/v1/needs/{}/introductions?expert={expert}", needs[0]))
        .await;
    let stages: BTreeSet<String> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["stage"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        stages,
        BTreeSet::from(["declined".into(), "withdrawn".into(), "contacted".into()])
    );
}

#[tokio::test]
async fn concurrent_proposals_for_one_pair_open_one_introduction() {
    let app = spawn_app_without_samples().await;
    // a store with some history, so that proposing has records to look through
    let mut experts = Vec::new();
    for i in 0..8 {
        experts.push(ml_expert(&app, &format!("race{i}@example.de"), "Europe/Berlin").await);
    }
    let needs = ml_needs(&app, "Race", 25).await;
    for n in &needs[1..] {
        for x in &experts {
            propose_pair(&app, n, x).await;
        }
    }
    // every expert proposed for the first need eight times at once
    let mut tasks = Vec::new();
    for x in &experts {
        for _ in 0..8 {
            let client = app.client.clone();
            let url = format!("{}/api/v1/introductions", app.address);
            let body = json!({"need": needs[0], "expert": x});
            let x = x.clone();
            tasks.push(tokio::spawn(async move {
                let res = client.post(url).bearer_auth(OPERATOR).json(&body).send().await.unwrap();
                (x, res.status().as_u16())
            }));
        }
    }
    let mut created: Vec<(String, u16)> = Vec::new();
    for t in tasks {
        let (x, status) = t.await.unwrap();
        assert!(status == 201 || status == 409, "{status}");
        if status == 201 {
            created.push((x, status));
        }
    }
    let listed = all_pages(&app, &format!("/api/v1/introductions?need={}", needs[0]), 200).await;
    let open: Vec<usize> = experts
        .iter()
        .map(|x| listed.iter().filter(|i| i["expert_id"] == x.as_str()).count())
        .collect();
    assert_eq!(
        open,
        vec![1; experts.len()],
        "open introductions of each pair: one per pair, however the requests interleave ({} of {} answered 201)",
        created.len(),
        experts.len() * 8
    );
    assert_eq!(created.len(), experts.len());
}

#[tokio::test]
async fn concurrent_moves_append_exactly_one_step() {
    let app = spawn_app_without_samples().await;
    let expert = ml_expert(&app, "moves@example.de", "Europe/Berlin").await;
    let need = ml_need(&app, "Concurrent moves").await;
    let intro = propose_pair(&app, &need, &expert).await;
    let id = id_of(&intro);
    let mut tasks = Vec::new();
    for i in 0..12 {
        let client = app.client.clone();
        let url = format!("{}/api/v1/introductions/{id}/transitions", app.address);
        tasks.push(tokio::spawn(async move {
            let res = client
                .post(url)
                .bearer_auth(OPERATOR)
                .json(&json!({"to": "contacted", "note": format!("move {i}")}))
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap())
        }));
    }
    let mut won = Vec::new();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        match status {
            200 => won.push(body),
            409 | 412 => {}
            other => panic!("a concurrent move answered {other}: {body:#}"),
        }
    }
    assert_eq!(
        won.len(),
        1,
        "exactly one of the moves to contacted wins (contacted may not follow itself): {won:#?}"
    );
    let now = app.get_ok(&format!("/api/v1/introductions/{id}")).await;
    assert_eq!(now, won[0], "the stored record is the winner's");
    assert_eq!(
        now["history"].as_array().unwrap().len(),
        2,
        "one step appended: {now:#}"
    );
    assert_eq!(now["history"][0], intro["history"][0], "the first step is unchanged");
}

/// Every item of every page of `path` (which has no query yet, or ends with `&`), `limit` a page.
async fn all_pages(app: &TestApp, path: &str, limit: usize) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    let sep = if path.contains('?') { "&" } else { "?" };
    for _ in 0..100 {
        let url = match &cursor {
            Some(c) => format!("{path}{sep}limit={limit}&cursor={c}"),
            None => format!("{path}{sep}limit={limit}"),
        };
        let page = app.get_ok(&url).await;
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= limit, "{url}: {} items", items.len());
        out.extend(items.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => {
                assert!(!items.is_empty(), "{url}: an empty page with a cursor");
                cursor = Some(c.to_string());
            }
            None => return out,
        }
    }
    panic!("{path}: more than 100 pages");
}

fn ids(items: &[Value]) -> Vec<String> {
    items.iter().map(id_of).collect()
}

#[tokio::test]
async fn introductions_are_listed_by_need_expert_event_and_stage_with_cursor_paging() {
    let app = spawn_app_without_samples().await;
    let experts = [
        ml_expert(&app, "l1@example.de", "Europe/Berlin").await,
        ml_expert(&app, "l2@example.fr", "Europe/Paris").await,
        ml_expert(&app, "l3@example.it", "Europe/Rome").await,
    ];
    let needs = ml_needs(&app, "Listed", 3).await;
    // needs[0..2] x experts[0..2] by hand, each at its own stage
    let stages = ["proposed", "contacted", "met", "declined"];
    let mut all: Vec<Value> = Vec::new();
    for (i, (n, x)) in needs[..2]
        .iter()
        .flat_map(|n| experts[..2].iter().map(move |x| (n, x)))
        .enumerate()
    {
        let intro = propose_pair(&app, n, x).await;
        let id = id_of(&intro);
        let now = match stages[i] {
            "declined" => move_to(&app, &id, "declined").await,
            s => walk_to(&app, &id, s).await,
        };
        all.push(now);
    }
    // needs[2] meets experts[2] and experts[0] at an event
    let (event, schedule) = published_event(&app, &[&needs[2]], &[&experts[2], &experts[0]]).await;
    for m in meetings(&schedule) {
        all.push(propose(&app, &json!({"event": event, "meeting": m["id"]})).await);
    }
    assert_eq!(all.len(), 6, "both pairs of the event meet");
    let want = |keep: &dyn Fn(&Value) -> bool| -> Vec<String> {
        let mut v: Vec<String> = all.iter().filter(|i| keep(i)).map(id_of).collect();
        v.sort();
        v
    };

    let listed = all_pages(&app, "/api/v1/introductions", 2).await;
    assert_eq!(ids(&listed), want(&|_| true), "every page, in id order, each once");
    for i in &listed {
        let one = all.iter().find(|a| a["id"] == i["id"]).unwrap();
        assert_eq!(i, one, "a listed introduction is the record");
    }
    for n in &needs {
        let by_query = all_pages(&app, &format!("/api/v1/introductions?need={n}"), 1).await;
        assert_eq!(ids(&by_query), want(&|i| i["need_id"] == n.as_str()), "need {n}");
        let by_path = all_pages(&app, &format!("/api/v1/needs/{n}/introductions"), 1).await;
        assert_eq!(by_path, by_query, "/needs/{n}/introductions");
    }
    for x in &experts {
        let by_query = all_pages(&app, &format!("/api/v1/introductions?expert={x}"), 2).await;
        assert_eq!(ids(&by_query), want(&|i| i["expert_id"] == x.as_str()), "expert {x}");
        let by_path = all_pages(&app, &format!("/api/v1/experts/{x}/introductions"), 2).await;
        assert_eq!(by_path, by_query, "/experts/{x}/introductions");
    }
    let from_event = all_pages(&app, &format!("/api/v1/introductions?event={event}"), 1).await;
    assert_eq!(ids(&from_event), want(&|i| i["event_id"] == event.as_str()));
    for stage in STAGES {
        let at = all_pages(&app, &format!("/api/v1/introductions?stage={stage}"), 2).await;
        assert_eq!(ids(&at), want(&|i| i["stage"] == stage), "stage {stage}");
    }
    // filters combine, on the record's routes too
    let x = &experts[0];
    let combined = app
        .get_ok(&format!(
            "/api/v1/needs/{}/introductions?expert={x}&stage=proposed",
            needs[0]
        ))
        .await;
    assert_eq!(
        ids(combined["items"].as_array().unwrap()),
        want(&|i| i["need_id"] == needs[0].as_str() && i["expert_id"] == x.as_str() && i["stage"] == "proposed")
    );
    let combined = app
        .get_ok(&format!("/api/v1/experts/{x}/introductions?event={event}"))
        .await;
    assert_eq!(
        ids(combined["items"].as_array().unwrap()),
        want(&|i| i["expert_id"] == x.as_str() && i["event_id"] == event.as_str())
    );
    let none = app
        .get_ok(&format!("/api/v1/introductions?need={}&stage=landed", needs[0]))
        .await;
    assert_eq!(none, json!({"items": [], "next_cursor": null}));

    // an unknown need or expert on its route: 404; bad filters: 422 naming each; bad paging: 400
    for path in [
        format!("/api/v1/needs/{UNKNOWN}/introductions"),
        format!("/api/v1/experts/{UNKNOWN}/introductions"),
        format!("/api/v1/introductions/{UNKNOWN}"),
    ] {
        let res = app.get(&path, Some(OPERATOR)).await;
        assert_eq!(problem_code(res, 404, &path).await, "not_found", "{path}");
    }
    let res = app
        .get(
            "/api/v1/introductions?need=n1&expert=x&event=e&stage=finished",
            Some(OPERATOR),
        )
        .await;
    let problem = expect(res, 422, "bad filters").await;
    assert_eq!(fields(&problem), ["event", "expert", "need", "stage"]);
    for query in ["limit=0", "limit=201", "limit=ten", "cursor=not-a-cursor", "colour=red"] {
        let res = app.get(&format!("/api/v1/introductions?{query}"), Some(OPERATOR)).await;
        assert_eq!(problem_code(res, 400, query).await, "invalid_parameter", "{query}");
    }
    for path in [
        "/api/v1/introductions/not-an-id",
        "/api/v1/needs/not-an-id/introductions",
        "/api/v1/experts/not-an-id/introductions",
    ] {
        let res = app.get(path, Some(OPERATOR)).await;
        assert_eq!(problem_code(res, 400, path).await, "invalid_parameter", "{path}");
    }
}

#[tokio::test]
async fn bad_bodies_are_refused_naming_every_bad_field() {
    let app = spawn_app_without_samples().await;
    let expert = ml_expert(&app, "bodies@example.de", "Europe/Berlin").await;
    let need = ml_need(&app, "Bodies").await;
    let long = "x".repeat(2001);
    let cases: Vec<(&str, Value, Vec<&str>)> = vec![
        ("an empty object", json!({}), vec!["expert", "need"]),
        (
            "ids that are not ids",
            json!({"need": "n-1", "expert": "x-1"}),
            vec!["expert", "need"],
        ),
        ("no expert", json!({"need": need}), vec!["expert"]),
        (
            "an unknown source",
            json!({"need": need, "expert": expert, "source": "phone"}),
            vec!["source"],
        ),
        (
            "an event without meeting",
            json!({"source": "event"}),
            vec!["event", "meeting"],
        ),
        (
            "an event meeting with a pair",
            json!({"event": UNKNOWN, "meeting": UNKNOWN, "need": need, "expert": expert}),
            vec!["expert", "need"],
        ),
        (
            "a pair with a meeting",
            json!({"need": need, "expert": expert, "source": "manual", "event": UNKNOWN, "meeting": UNKNOWN}),
            vec!["event", "meeting"],
        ),
        (
            "a note too long",
            json!({"need": need, "expert": expert, "note": long}),
            vec!["note"],
        ),
        (
            "everything wrong at once",
            json!({"source": "event", "event": "e", "meeting": "m", "note": "bell\u{7}"}),
            vec!["event", "meeting", "note"],
        ),
        ("a wrong type", json!({"need": 5, "expert": expert}), vec!["need"]),
        (
            "an unknown member",
            json!({"need": need, "expert": expert, "colour": "red"}),
            vec!["colour"],
        ),
    ];
    for (what, body, want) in cases {
        let res = app.post("/api/v1/introductions", Some(OPERATOR), &body).await;
        let problem = expect(res, 422, what).await;
        assert_eq!(fields(&problem), want, "{what}: {problem:#}");
    }
    let listed = app.get_ok("/api/v1/introductions").await;
    assert_eq!(listed["items"], json!([]), "nothing was written");

    // unknown records: 404
    for (what, body) in [
        ("an unknown need", json!({"need": UNKNOWN, "expert": expert})),
        ("an unknown expert", json!({"need": need, "expert": UNKNOWN})),
    ] {
        let res = app.post("/api/v1/introductions", Some(OPERATOR), &body).await;
        assert_eq!(problem_code(res, 404, what).await, "not_found", "{what}");
    }
    let res = app
        .client
        .post(format!("{}/api/v1/introductions", app.address))
        .bearer_auth(OPERATOR)
        .header("content-type", "application/json")
        .body("{\"need\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(problem_code(res, 400, "malformed JSON").await, "malformed_json");

    // transitions
    let id = id_of(&propose_pair(&app, &need, &expert).await);
    let cases: Vec<(&str, Value, Vec<&str>)> = vec![
        ("no stage", json!({}), vec!["to"]),
        ("an unknown stage", json!({"to": "finished"}), vec!["to"]),
        ("a stage that is not a string", json!({"to": 3}), vec!["to"]),
        (
            "a note too long",
            json!({"to": "contacted", "note": long}),
            vec!["note"],
        ),
        (
            "both wrong",
            json!({"to": "finished", "note": long}),
            vec!["note", "to"],
        ),
        ("an unknown member", json!({"to": "contacted", "by": "me"}), vec!["by"]),
    ];
    for (what, body, want) in cases {
        let problem = expect(transition(&app, &id, &body).await, 422, what).await;
        assert_eq!(fields(&problem), want, "{what}: {problem:#}");
    }
    let unchanged = app.get_ok(&format!("/api/v1/introductions/{id}")).await;
    assert_eq!(unchanged["version"], 1, "nothing moved: {unchanged:#}");
    let res = transition(&app, UNKNOWN, &json!({"to": "contacted"})).await;
    assert_eq!(problem_code(res, 404, "an unknown introduction").await, "not_found");
    let res = transition(&app, "nope", &json!({"to": "contacted"})).await;
    assert_eq!(problem_code(res, 400, "a bad id").await, "invalid_parameter");
}

#[tokio::test]
async fn introductions_are_for_operators_only() {
    let app = spawn_app_without_samples().await;
    let expert = ml_expert(&app, "operator-only@example.de", "Europe/Berlin").await;
    let (other, token, _) = app.register(&expert_body("own-token@example.de")).await;
    let need = ml_need(&app, "Operators only").await;
    let intro = id_of(&propose_pair(&app, &need, &expert).await);
    let pair = json!({"need": need, "expert": other});
    let to = json!({"to": "contacted"});
    let calls: Vec<(Method, String, Option<&Value>)> = vec![
        (Method::POST, "/api/v1/introductions".into(), Some(&pair)),
        (Method::GET, "/api/v1/introductions".into(), None),
        (Method::GET, format!("/api/v1/introductions/{intro}"), None),
        (
            Method::POST,
            format!("/api/v1/introductions/{intro}/transitions"),
            Some(&to),
        ),
        (Method::GET, format!("/api/v1/needs/{need}/introductions"), None),
        (Method::GET, format!("/api/v1/experts/{other}/introductions"), None),
        (Method::GET, format!("/api/v1/experts/{expert}/introductions"), None),
    ];
    for (method, path, body) in &calls {
        let res = app.send(method.clone(), path, None, *body).await;
        assert_eq!(
            res.headers().get("www-authenticate").map(|v| v.to_str().unwrap()),
            Some("Bearer"),
            "{method} {path}"
        );
        assert_eq!(problem_code(res, 401, path).await, "unauthorized", "{method} {path}");
        let res = app.send(method.clone(), path, Some("not-a-token"), *body).await;
        assert_eq!(problem_code(res, 401, path).await, "unauthorized", "{method} {path}");
        let res = app.send(method.clone(), path, Some(&token), *body).await;
        assert_eq!(
            problem_code(res, 403, path).await,
            "forbidden",
            "{method} {path} with the expert's own token"
        );
    }
    let now = app.get_ok(&format!("/api/v1/introductions/{intro}")).await;
    assert_eq!(now["version"], 1, "nothing moved");
    let listed = app.get_ok("/api/v1/introductions").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "nothing was proposed");
}

/// Whether `expert` is marked met-before on `need`'s shortlist at `event` (None: not listed).
async fn met_flag(app: &TestApp, event: &str, need: &str, expert: &str) -> Option<bool> {
    let lists = app.get_ok(&format!("/api/v1/events/{event}/shortlists")).await;
    let list = lists["lists"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["need"]["id"] == need)
        .unwrap_or_else(|| panic!("no list for {need}: {lists:#}"));
    list["experts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["expert"]["id"] == expert)
        .map(|x| x["met_before"].as_bool().unwrap())
}

#[tokio::test]
async fn an_introduction_that_reached_met_makes_the_pair_met_before_at_events() {
    let app = spawn_app_without_samples().await;
    let expert = ml_expert(&app, "met@example.de", "Europe/Berlin").await;
    let needs = ml_needs(&app, "Met", 3).await;
    let slots = [
        ("2026-12-10T16:00", "2026-12-10T16:30"),
        ("2026-12-10T16:40", "2026-12-10T17:10"),
        ("2026-12-10T17:20", "2026-12-10T17:50"),
    ];
    let refs: Vec<&str> = needs.iter().map(String::as_str).collect();
    let event = id_of(&create_event(&app, &online_event("2026-12-10", &slots, &refs, &[&expert])).await);
    for n in &needs {
        assert_eq!(met_flag(&app, &event, n, &expert).await, Some(false), "nothing yet");
    }
    // needs[0] is met then declined, needs[1] only contacted, needs[2] never introduced
    let met = id_of(&propose_pair(&app, &needs[0], &expert).await);
    walk_to(&app, &met, "contacted").await;
    let contacted = id_of(&propose_pair(&app, &needs[1], &expert).await);
    walk_to(&app, &contacted, "contacted").await;
    assert_eq!(
        met_flag(&app, &event, &needs[0], &expert).await,
        Some(false),
        "contacted is not met"
    );
    move_to(&app, &met, "met").await;
    assert_eq!(met_flag(&app, &event, &needs[0], &expert).await, Some(true));
    move_to(&app, &met, "declined").await;
    assert_eq!(
        met_flag(&app, &event, &needs[0], &expert).await,
        Some(true),
        "they met, whatever came after"
    );
    assert_eq!(met_flag(&app, &event, &needs[1], &expert).await, Some(false));
    assert_eq!(met_flag(&app, &event, &needs[2], &expert).await, Some(false));

    let lists = app
        .get_ok(&format!("/api/v1/events/{event}/shortlists?met_before=exclude"))
        .await;
    let listed = |need: &str| {
        lists["lists"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["need"]["id"] == need)
            .is_some_and(|l| {
                l["experts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x["expert"]["id"] == expert.as_str())
            })
    };
    assert!(!listed(&needs[0]), "a met pair is excluded: {lists:#}");
    assert!(listed(&needs[1]) && listed(&needs[2]), "{lists:#}");
    let drafted = expect(
        send_if(
            &app,
            Method::POST,
            &format!("/api/v1/events/{event}/schedule?met_before=exclude"),
            None,
            None,
        )
        .await,
        200,
        "drafting without met pairs",
    )
    .await;
    let placed: BTreeSet<String> = meetings(&drafted)
        .iter()
        .map(|m| m["need"]["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(placed, BTreeSet::from([needs[1].clone(), needs[2].clone()]));
}
