//! Event schedules over HTTP: drafts that keep every rule (one meeting per side and slot, quotas,
//! no_thanks never, must_meet first, online only inside both sides' waking hours), times in each
//! side's own zone across daylight saving, tables on site, manual changes refused with the rule they
//! break, publish and met-before pairs, CSV and iCalendar exports, and slot suggestions.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;
use reqwest::Method;
use serde_json::{json, Value};

use crate::events::{
    active_expert, create_event, expect, fields, id_of, ml_expert, ml_need, need_with, online_event, problem_code,
    send_if,
};
use crate::helpers::{spawn_app, spawn_app_without_samples, TestApp, OPERATOR};

fn instant(rfc3339: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap_or_else(|e| panic!("{rfc3339:?} is not RFC 3339: {e}"))
}

fn zone(name: &str) -> Tz {
    name.parse().unwrap_or_else(|_| panic!("{name} is a zone"))
}

/// `t` on the wall clock of `zone`, as RFC 3339 with seconds, computed here.
fn wall(t: &str, zone_name: &str) -> String {
    instant(t).with_timezone(&zone(zone_name)).to_rfc3339()
}

fn meetings(schedule: &Value) -> &Vec<Value> {
    schedule["meetings"].as_array().unwrap()
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no {pointer} in {v:#}"))
}

async fn draft(app: &TestApp, event: &str, query: &str) -> Value {
    let path = format!("/api/v1/events/{event}/schedule?{query}");
    expect(send_if(app, Method::POST, &path, None, None).await, 200, "drafting").await
}

async fn add(app: &TestApp, event: &str, body: Value) -> reqwest::Response {
    send_if(
        app,
        Method::POST,
        &format!("/api/v1/events/{event}/schedule/meetings"),
        None,
        Some(&body),
    )
    .await
}

/// Checks that one local span shows the slot's instants on the wall clock of its zone, and that the
/// whole span lies inside 08:00-22:00 of one local day there.
fn check_local_span(span: &Value, slot: &Value, want_zone: &str, what: &str) {
    assert_eq!(span["time_zone"], want_zone, "{what}");
    for key in ["start", "end"] {
        let shown = str_at(span, &format!("/{key}"));
        assert_eq!(
            instant(shown),
            instant(str_at(slot, &format!("/{key}"))),
            "{what}: same instant"
        );
        assert_eq!(
            shown,
            wall(str_at(slot, &format!("/{key}")), want_zone),
            "{what}: the zone's offset"
        );
    }
    let (start, end) = (instant(str_at(span, "/start")), instant(str_at(span, "/end")));
    let eight = NaiveTime::from_hms_opt(8, 0, 0).unwrap();
    let ten_pm = NaiveTime::from_hms_opt(22, 0, 0).unwrap();
    assert!(start.time() >= eight, "{what}: starts at {start}, before 08:00 local");
    assert!(
        end.date_naive() == start.date_naive() && end.time() <= ten_pm,
        "{what}: ends at {end}, after 22:00 local"
    );
}

/// Seed participants of the tests below, with the zones the seed gives the experts.
const SEED_EXPERTS: [(&str, &str); 17] = [
    ("d9a6973d-7a95-488d-b12a-56e28ea3bd1d", "Europe/London"),
    ("f00c7fb8-7c82-4365-bc85-f8202814f596", "Europe/Paris"),
    ("f3f42b1d-db3b-4d1c-9cf6-f4bdfbb56ce0", "Europe/Oslo"),
    ("3c796406-b080-41b9-b582-252748738ac0", "Europe/Oslo"),
    ("0a7baaa4-40ae-401d-8251-18ffcba1cf51", "Europe/Berlin"),
    ("4ccd3487-e575-43b4-9c46-3eee36e6ccb0", "America/Toronto"),
    ("7f539af1-9cc1-4340-8724-cef648a06883", "Europe/Paris"),
    ("f80ce547-e058-43bc-b8ab-aa76ceea920d", "Europe/Zurich"),
    ("274cffb0-4cf4-41b3-86e0-df69c37929ab", "Australia/Sydney"),
    ("e376296b-f641-4877-915c-fb71228a682c", "Europe/Rome"),
    ("6e781e9a-35ee-45cc-bbca-710c9ee07b00", "Asia/Tokyo"),
    ("44bb49af-bb2a-495e-9020-febf82537464", "Europe/Amsterdam"),
    ("b415aafe-931b-4636-9979-73c85d3f0d87", "Europe/Amsterdam"),
    ("dcc74ba4-be62-4a8c-ab56-0797a73e4768", "Europe/Amsterdam"),
    ("128b9824-c127-494e-a455-23558acc2108", "Australia/Perth"),
    ("13803f33-1a18-4f49-9f36-f4746fa215cf", "Europe/Stockholm"),
    ("40d44634-4cd1-4652-904d-65b9217b3bf7", "Asia/Seoul"),
];
const GATED: [&str; 2] = [
    "13803f33-1a18-4f49-9f36-f4746fa215cf",
    "40d44634-4cd1-4652-904d-65b9217b3bf7",
];
const SEED_NEEDS: [&str; 8] = [
    "0683418e-84da-44e2-9d6c-c0e48f2942e2",
    "03b5de37-e25e-4043-957c-3923d001b46f",
    "fe54b4d7-0ef1-411f-97be-10ed47cedaaa",
    "daccd5df-b1ef-4a93-bff9-c1a750901acd",
    "5587bb0b-c81d-4cb0-9087-e25082d53956",
    "41a5c610-5fc2-4568-857a-00386287e2ca",
    "34d46446-ecf3-4c7f-bea1-1836a855cccc",
    "77693b5d-9fb0-4b10-93fe-fefba77a2ace",
];
const AUV_NEED: &str = SEED_NEEDS[0];
const AUV_BEST: &str = SEED_EXPERTS[0].0;
const MOORING_NEED: &str = SEED_NEEDS[4];
const MOORING_EXPERT: &str = SEED_EXPERTS[3].0;
const TOKYO_NEED: &str = SEED_NEEDS[5];
const CAPPED_NEED: &str = SEED_NEEDS[7];
const ONE_MEETING_EXPERT: &str = SEED_EXPERTS[1].0;

/// The seeded roadshow of the tests: a winter day in Shanghai, slots from 09:00 (night in Europe)
/// to 21:00, quotas with overrides, and a no_thanks, a must_meet and a meet preference.
fn roadshow() -> Value {
    let slots = [
        ("2027-01-12T09:00", "2027-01-12T09:30"),
        ("2027-01-12T15:00", "2027-01-12T15:30"),
        ("2027-01-12T15:40", "2027-01-12T16:10"),
        ("2027-01-12T16:20", "2027-01-12T16:50"),
        ("2027-01-12T17:00", "2027-01-12T17:30"),
        ("2027-01-12T21:00", "2027-01-12T21:30"),
    ];
    let experts: Vec<&str> = SEED_EXPERTS.iter().map(|(id, _)| *id).collect();
    let mut body = online_event("2027-01-12", &slots, &SEED_NEEDS, &experts);
    body["expert_quota"] = json!({"min": 0, "max": 2});
    body["need_quota"] = json!({"min": 1, "max": 3});
    body["experts"][1]["quota"] = json!({"min": 0, "max": 1});
    body["needs"][7]["quota"] = json!({"min": 0, "max": 1});
    body["needs"][5]["time_zone"] = json!("Asia/Tokyo");
    body["preferences"] = json!([
        {"need": AUV_NEED, "expert": AUV_BEST, "from": "need", "kind": "no_thanks"},
        {"need": MOORING_NEED, "expert": MOORING_EXPERT, "from": "expert", "kind": "must_meet"},
        {"need": SEED_NEEDS[6], "expert": SEED_EXPERTS[2].0, "from": "need", "kind": "meet"},
    ]);
    body
}

#[tokio::test]
async fn a_draft_keeps_every_scheduling_rule() {
    let app = spawn_app().await;
    let event = create_event(&app, &roadshow()).await;
    let id = id_of(&event);
    let res = send_if(
        &app,
        Method::POST,
        &format!("/api/v1/events/{id}/schedule"),
        Some(1),
        None,
    )
    .await;
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let schedule = expect(res, 200, "draft").await;
    assert_eq!(schedule["status"], "draft");
    assert_eq!(schedule["event_id"], id.as_str());
    assert_eq!(schedule["time_zone"], "Asia/Shanghai");
    assert_eq!(etag, format!("\"{}\"", schedule["event_version"]));
    assert!(
        schedule["event_version"].as_u64().unwrap() > 1,
        "a draft is a new version"
    );
    let list = meetings(&schedule);
    assert!(list.len() >= 8, "a real schedule: {} meetings", list.len());

    let zones: BTreeMap<&str, &str> = SEED_EXPERTS.iter().copied().collect();
    let slots: BTreeSet<DateTime<FixedOffset>> = event["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| instant(str_at(s, "/start")))
        .collect();
    let (mut per_slot_need, mut per_slot_expert, mut pairs) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let (mut need_count, mut expert_count) = (BTreeMap::<&str, u64>::new(), BTreeMap::<&str, u64>::new());
    for m in list {
        let (need, expert) = (str_at(m, "/need/id"), str_at(m, "/expert/id"));
        let start = instant(str_at(m, "/slot/start"));
        assert!(slots.contains(&start), "a meeting in one of the event's slots: {m:#}");
        assert_eq!(m["mode"], "online");
        assert_eq!(m["table"], Value::Null, "no tables online");
        assert!(
            per_slot_need.insert((start, need)),
            "need {need} double-booked at {start}"
        );
        assert!(
            per_slot_expert.insert((start, expert)),
            "expert {expert} double-booked at {start}"
        );
        assert!(pairs.insert((need, expert)), "the pair {need}/{expert} meets twice");
        *need_count.entry(need).or_default() += 1;
        *expert_count.entry(expert).or_default() += 1;
        assert_ne!((need, expert), (AUV_NEED, AUV_BEST), "a no_thanks pair is never placed");
        assert!(
            !GATED.contains(&expert),
            "a gated expert is not placed automatically: {m:#}"
        );
        assert_eq!(m["placed_by"], "auto");
        let expert_zone = zones[expert];
        assert_eq!(m["expert"]["time_zone"], expert_zone);
        check_local_span(
            &m["expert_time"],
            &m["slot"],
            expert_zone,
            &format!("expert {expert} at {start}"),
        );
        let need_zone = if need == TOKYO_NEED {
            "Asia/Tokyo"
        } else {
            "Asia/Shanghai"
        };
        check_local_span(
            &m["need_time"],
            &m["slot"],
            need_zone,
            &format!("need {need} at {start}"),
        );
        assert_eq!(
            str_at(m, "/slot/start"),
            wall(str_at(m, "/slot/start"), "Asia/Shanghai")
        );
    }
    for (need, n) in &need_count {
        let max = if *need == CAPPED_NEED { 1 } else { 3 };
        assert!(*n <= max, "need {need} has {n} meetings, quota {max}");
    }
    for (expert, n) in &expert_count {
        let max = if *expert == ONE_MEETING_EXPERT { 1 } else { 2 };
        assert!(*n <= max, "expert {expert} has {n} meetings, quota {max}");
    }
    let must = list
        .iter()
        .find(|m| m["need"]["id"] == MOORING_NEED && m["expert"]["id"] == MOORING_EXPERT)
        .expect("the must_meet pair is placed");
    assert_eq!(must["preference"], "must_meet");
    let summary = &schedule["summary"];
    assert_eq!(summary["meetings"], list.len());
    assert_eq!(summary["slots"], 6);
    assert_eq!(summary["must_meet_asked"], 1);
    assert_eq!(summary["must_meet_placed"], 1);
    assert_eq!(summary["needs_with_meetings"], need_count.len());
    assert_eq!(summary["experts_with_meetings"], expert_count.len());
    let total: f64 = list.iter().map(|m| m["score"].as_f64().unwrap()).sum();
    assert!((summary["total_score"].as_f64().unwrap() - total).abs() < 1e-3);
    let unplaced: Vec<(&str, &str)> = schedule["unplaced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["code"].as_str().unwrap(), u["expert_id"].as_str().unwrap_or("")))
        .collect();
    for gated in GATED {
        assert!(
            unplaced.contains(&("no_eligible_pair", gated)),
            "{gated} reported: {unplaced:?}"
        );
    }

    assert_eq!(
        app.get_ok(&format!("/api/v1/events/{id}/schedule")).await,
        schedule,
        "GET shows the draft"
    );
    let stale = send_if(
        &app,
        Method::POST,
        &format!("/api/v1/events/{id}/schedule"),
        Some(1),
        None,
    )
    .await;
    assert_eq!(problem_code(stale, 412, "stale draft").await, "version_mismatch");
    let read = app.get_ok(&format!("/api/v1/events/{id}")).await;
    assert_eq!(read["schedule_status"], "draft");
    assert_eq!(read["meetings"], list.len());
    assert_eq!(read["version"], schedule["event_version"]);
}

#[tokio::test]
async fn the_schedule_exports_read_back_as_the_json() {
    let app = spawn_app().await;
    let id = id_of(&create_event(&app, &roadshow()).await);
    let schedule = draft(&app, &id, "").await;
    let list = meetings(&schedule);

    let res = app
        .get(&format!("/api/v1/events/{id}/schedule?format=csv"), Some(OPERATOR))
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let bytes = res.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), list.len());
    for (row, m) in rows.iter().zip(list) {
        assert_eq!(&row[col("meeting_id")], str_at(m, "/id"));
        assert_eq!(&row[col("start")], str_at(m, "/slot/start"));
        assert_eq!(&row[col("need_id")], str_at(m, "/need/id"));
        assert_eq!(&row[col("expert")], str_at(m, "/expert/id"));
        assert_eq!(&row[col("expert_local_start")], str_at(m, "/expert_time/start"));
        assert_eq!(&row[col("expert_time_zone")], str_at(m, "/expert_time/time_zone"));
        assert_eq!(&row[col("enterprise_local_start")], str_at(m, "/need_time/start"));
    }

    // One expert's calendar: one VEVENT per meeting of that expert, and only those.
    let mut by_expert: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for m in list {
        by_expert
            .entry(str_at(m, "/expert/id"))
            .or_default()
            .push(str_at(m, "/id"));
    }
    let (busiest, theirs) = by_expert.iter().max_by_key(|(_, v)| v.len()).unwrap();
    let res = app
        .get(
            &format!("/api/v1/events/{id}/schedule?format=ics&expert={busiest}"),
            Some(OPERATOR),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let ics = res.text().await.unwrap();
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), theirs.len(), "{ics}");
    for m in list {
        let uid = format!("UID:{}@talentbridge", str_at(m, "/id"));
        assert_eq!(
            unfolded.contains(&uid),
            theirs.contains(&str_at(m, "/id")),
            "{uid} in {ics}"
        );
    }
    let need = str_at(&list[0], "/need/id");
    let of_need = list.iter().filter(|m| m["need"]["id"] == need).count();
    let ics = app
        .get(
            &format!("/api/v1/events/{id}/schedule?format=ics&need={need}"),
            Some(OPERATOR),
        )
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), of_need);
    let anon_ics = app
        .get(
            &format!("/api/v1/events/{id}/schedule?format=ics&expert={busiest}&anonymised=true"),
            Some(OPERATOR),
        )
        .await
        .text()
        .await
        .unwrap()
        .replace("\r\n ", "");
    assert_eq!(anon_ics.matches("BEGIN:VEVENT").count(), theirs.len());
    let named = list.iter().find(|m| m["expert"]["id"] == *busiest).unwrap();
    let escaped = |t: &str| t.replace('\\', "\\\\").replace(',', "\\,").replace(';', "\\;");
    for key in ["/expert/name", "/need/enterprise"] {
        let text = escaped(str_at(named, key));
        assert!(unfolded.contains(&text), "the named calendar shows {text}: {ics}");
        assert!(
            !anon_ics.contains(&text),
            "{key} leaked into the anonymised calendar: {anon_ics}"
        );
    }
    assert!(!anon_ics.contains(str_at(named, "/expert/email")));
    for q in [
        "format=ics",
        &format!("format=ics&need={need}&expert={busiest}"),
        "format=pdf",
    ] {
        let res = app
            .get(&format!("/api/v1/events/{id}/schedule?{q}"), Some(OPERATOR))
            .await;
        assert_eq!(problem_code(res, 400, q).await, "invalid_parameter");
    }

    // The anonymised view hides every name and contact the named one shows.
    let anon_text = app
        .get(&format!("/api/v1/events/{id}/schedule?anonymised=true"), Some(OPERATOR))
        .await
        .text()
        .await
        .unwrap();
    let anon: Value = serde_json::from_str(&anon_text).unwrap();
    assert_eq!(anon["anonymised"], true);
    assert_eq!(meetings(&anon).len(), list.len());
    for (a, m) in meetings(&anon).iter().zip(list) {
        for key in ["id", "name", "email", "organisation", "city"] {
            assert_eq!(a["expert"][key], Value::Null, "{key}");
        }
        // (The city is left out here: it is often part of the time zone's name, which stays.)
        for key in ["id", "name", "email", "organisation"] {
            let secret = str_at(m, &format!("/expert/{key}"));
            assert!(!anon_text.contains(secret), "{secret} leaked");
        }
        assert_eq!(a["need"]["enterprise"], Value::Null);
        assert!(!anon_text.contains(str_at(m, "/need/contact_email")));
        assert_eq!(a["expert_time"], m["expert_time"], "local times stay");
    }
}

#[tokio::test]
async fn slot_times_show_in_each_sides_zone_across_a_dst_change() {
    let app = spawn_app_without_samples().await;
    let expert = ml_expert(&app, "paris@example.fr", "Europe/Paris").await;
    let n1 = ml_need(&app, "Before the change").await;
    let n2 = ml_need(&app, "After the change").await;
    let mut body = online_event(
        "2026-10-23",
        &[
            ("2026-10-23T15:00", "2026-10-23T15:30"),
            ("2026-10-26T15:00", "2026-10-26T15:30"),
        ],
        &[&n1, &n2],
        &[&expert],
    );
    body["ends_on"] = json!("2026-10-26");
    let id = id_of(&create_event(&app, &body).await);
    let schedule = draft(&app, &id, "").await;
    let list = meetings(&schedule);
    assert_eq!(
        list.len(),
        2,
        "the expert meets each need once, one slot each: {schedule:#}"
    );
    let mut shown = BTreeMap::new();
    for m in list {
        let start = str_at(m, "/slot/start");
        let paris = instant(start).with_timezone(&zone("Europe/Paris"));
        shown.insert(start.to_string(), (str_at(m, "/expert_time/start").to_string(), paris));
        assert_eq!(
            str_at(m, "/expert_time/start"),
            paris.to_rfc3339(),
            "shown as computed here"
        );
        assert_eq!(
            str_at(m, "/need_time/start"),
            start,
            "the enterprise sees Shanghai time"
        );
        check_local_span(&m["expert_time"], &m["slot"], "Europe/Paris", "Paris");
    }
    let before = &shown["2026-10-23T15:00:00+08:00"];
    let after = &shown["2026-10-26T15:00:00+08:00"];
    assert_eq!(before.0, "2026-10-23T09:00:00+02:00");
    assert_eq!(after.0, "2026-10-26T08:00:00+01:00");
    assert_eq!(
        (before.1.hour(), after.1.hour()),
        (9, 8),
        "summer time, then winter time"
    );

    let ics = app
        .get(
            &format!("/api/v1/events/{id}/schedule?format=ics&expert={expert}"),
            Some(OPERATOR),
        )
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2, "{ics}");
    assert!(
        ics.contains("DTSTART:20261023T070000Z") && ics.contains("DTSTART:20261026T070000Z"),
        "{ics}"
    );
    let ics = app
        .get(
            &format!("/api/v1/events/{id}/schedule?format=ics&need={n1}"),
            Some(OPERATOR),
        )
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1, "{ics}");

    // Dropping a slot from the event drops its meeting.
    let path = format!("/api/v1/events/{id}");
    let patch = json!({"slots": [{"start": "2026-10-23T15:00", "end": "2026-10-23T15:30"}]});
    let patched = expect(
        send_if(&app, Method::PATCH, &path, None, Some(&patch)).await,
        200,
        "drop a slot",
    )
    .await;
    assert_eq!(patched["meetings"], 1);
    let left = app.get_ok(&format!("{path}/schedule")).await;
    assert_eq!(meetings(&left).len(), 1);
    assert_eq!(str_at(&meetings(&left)[0], "/slot/start"), "2026-10-23T15:00:00+08:00");
}

#[tokio::test]
async fn an_online_slot_outside_waking_hours_stays_empty() {
    let app = spawn_app_without_samples().await;
    let london = ml_expert(&app, "london@example.uk", "Europe/London").await;
    let need = ml_need(&app, "Early need").await;
    // 15:00 in Shanghai is 07:00 in London in January: too early; 16:00 is 08:00: fine.
    let body = online_event(
        "2027-01-12",
        &[
            ("2027-01-12T15:00", "2027-01-12T15:30"),
            ("2027-01-12T16:00", "2027-01-12T16:30"),
        ],
        &[&need],
        &[&london],
    );
    let id = id_of(&create_event(&app, &body).await);
    let schedule = draft(&app, &id, "").await;
    let list = meetings(&schedule);
    assert_eq!(list.len(), 1, "{schedule:#}");
    assert_eq!(str_at(&list[0], "/slot/start"), "2027-01-12T16:00:00+08:00");
    assert_eq!(str_at(&list[0], "/expert_time/start"), "2027-01-12T08:00:00+00:00");
    let res = send_if(
        &app,
        Method::PATCH,
        &format!("/api/v1/events/{id}/schedule/meetings/{}", str_at(&list[0], "/id")),
        None,
        Some(&json!({"slot": "2027-01-12T15:00"})),
    )
    .await;
    assert_eq!(
        problem_code(res, 409, "move to 07:00 London").await,
        "outside_waking_hours"
    );

    // The event's own waking hours count: from 09:00, 08:00 in London is too early as well.
    let patch = json!({"waking_hours": {"start": "09:00", "end": "22:00"}});
    expect(
        send_if(&app, Method::PATCH, &format!("/api/v1/events/{id}"), None, Some(&patch)).await,
        200,
        "hours",
    )
    .await;
    let later = draft(&app, &id, "").await;
    assert_eq!(meetings(&later).len(), 0, "{later:#}");
    let res = add(
        &app,
        &id,
        json!({"slot": "2027-01-12T16:00", "need": need, "expert": london}),
    )
    .await;
    assert_eq!(
        problem_code(res, 409, "08:00 London before 09:00").await,
        "outside_waking_hours"
    );
    // A slot given with another offset is the same instant.
    let patch = json!({"waking_hours": null});
    expect(
        send_if(&app, Method::PATCH, &format!("/api/v1/events/{id}"), None, Some(&patch)).await,
        200,
        "reset",
    )
    .await;
    let res = add(
        &app,
        &id,
        json!({"slot": "2027-01-12T08:00:00Z", "need": need, "expert": london}),
    )
    .await;
    let placed = expect(res, 201, "the 16:00 slot in UTC").await;
    assert_eq!(
        str_at(&meetings(&placed)[0], "/slot/start"),
        "2027-01-12T16:00:00+08:00"
    );
}

#[tokio::test]
async fn an_onsite_slot_holds_one_meeting_per_table() {
    let app = spawn_app_without_samples().await;
    let mut needs = Vec::new();
    let mut experts = Vec::new();
    for i in 0..3 {
        needs.push(ml_need(&app, &format!("On-site need {i}")).await);
        experts.push(ml_expert(&app, &format!("onsite{i}@example.de"), "Europe/Berlin").await);
    }
    // A pair that nobody else fits and the scheduler leaves alone (each side's gates fail).
    let loner_need = need_with(
        &app,
        "Chip need",
        json!([{"tag": "ic", "weight": 5, "must_have": true}]),
    )
    .await;
    let loner = active_expert(
        &app,
        "tcm@example.de",
        "Europe/Berlin",
        json!([{"tag": "tcm", "level": 4}, {"tag": "tcm.acupuncture", "level": 3}]),
    )
    .await;
    needs.push(loner_need.clone());
    experts.push(loner.clone());
    let needs_ref: Vec<&str> = needs.iter().map(String::as_str).collect();
    let experts_ref: Vec<&str> = experts.iter().map(String::as_str).collect();
    // 03:00 in Shanghai: everyone is asleep, but on-site meetings ignore waking hours.
    let mut body = online_event(
        "2027-01-12",
        &[
            ("2027-01-12T03:00", "2027-01-12T03:30"),
            ("2027-01-12T03:30", "2027-01-12T04:00"),
        ],
        &needs_ref,
        &experts_ref,
    );
    body["format"] = json!("onsite");
    body["location"] = json!("Nansha Talent Building");
    body["tables"] = json!(["A", "B"]);
    let id = id_of(&create_event(&app, &body).await);
    let schedule = draft(&app, &id, "").await;
    let list = meetings(&schedule);
    assert_eq!(list.len(), 4, "two tables in two slots, all filled: {schedule:#}");
    let mut tables: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for m in list {
        assert_eq!(m["mode"], "onsite");
        let table = m["table"].as_str().expect("an on-site meeting has a table");
        assert!(["A", "B"].contains(&table));
        assert!(
            tables.entry(str_at(m, "/slot/start")).or_default().insert(table),
            "table {table} twice"
        );
        assert_ne!(m["need"]["id"], loner_need.as_str());
    }
    assert!(tables.values().all(|t| t.len() == 2));

    let first = "2027-01-12T03:00";
    let loner_pair = json!({"slot": first, "need": loner_need, "expert": loner});
    assert_eq!(
        problem_code(add(&app, &id, loner_pair.clone()).await, 409, "full").await,
        "slot_full"
    );
    let mut with_table = loner_pair.clone();
    with_table["table"] = json!("Z");
    let problem = expect(add(&app, &id, with_table).await, 422, "unknown table").await;
    assert_eq!(fields(&problem), ["table"]);

    let in_first: Vec<&Value> = list
        .iter()
        .filter(|m| str_at(m, "/slot/start").starts_with("2027-01-12T03:00"))
        .collect();
    let (gone, kept) = (in_first[0], in_first[1]);
    let path = format!("/api/v1/events/{id}/schedule/meetings/{}", str_at(gone, "/id"));
    let after = expect(send_if(&app, Method::DELETE, &path, None, None).await, 200, "remove").await;
    assert_eq!(meetings(&after).len(), 3);
    assert!(meetings(&after).iter().all(|m| m["id"] != gone["id"]));
    assert_eq!(send_if(&app, Method::DELETE, &path, None, None).await.status(), 404);
    let mut taken = loner_pair.clone();
    taken["table"] = kept["table"].clone();
    assert_eq!(
        problem_code(add(&app, &id, taken).await, 409, "taken").await,
        "table_taken"
    );
    let placed = expect(add(&app, &id, loner_pair).await, 201, "free table").await;
    let new = meetings(&placed)
        .iter()
        .find(|m| m["expert"]["id"] == loner.as_str())
        .expect("placed");
    assert_eq!(new["table"], gone["table"], "the free table");
    assert_eq!(new["placed_by"], "manual");

    let kept_manual = draft(&app, &id, "keep_manual=true").await;
    let again = meetings(&kept_manual)
        .iter()
        .find(|m| m["expert"]["id"] == loner.as_str());
    assert_eq!(
        again.expect("kept")["id"],
        new["id"],
        "a redraft keeps hand-placed meetings"
    );
    let fresh = draft(&app, &id, "keep_manual=false").await;
    assert!(
        meetings(&fresh).iter().all(|m| m["expert"]["id"] != loner.as_str()),
        "unless asked not to"
    );
}

#[tokio::test]
async fn manual_changes_are_refused_with_the_rule_they_break() {
    let app = spawn_app_without_samples().await;
    let x1 = ml_expert(&app, "x1@example.fr", "Europe/Paris").await;
    let x2 = ml_expert(&app, "x2@example.fr", "Europe/Paris").await;
    let x3 = ml_expert(&app, "x3@example.fr", "Europe/Paris").await;
    let (n1, n2, n3) = (
        ml_need(&app, "N1").await,
        ml_need(&app, "N2").await,
        ml_need(&app, "N3").await,
    );
    let outsider = ml_need(&app, "Not at the event").await;
    // 09:00 Shanghai is 02:00 in Paris; 03:00 Shanghai is 20:00 in Paris the day before.
    let mut body = online_event(
        "2027-01-12",
        &[
            ("2027-01-12T03:00", "2027-01-12T03:30"),
            ("2027-01-12T09:00", "2027-01-12T09:30"),
            ("2027-01-12T15:00", "2027-01-12T15:30"),
            ("2027-01-12T16:00", "2027-01-12T16:30"),
            ("2027-01-12T17:00", "2027-01-12T17:30"),
        ],
        &[&n1, &n2, &n3],
        &[&x1, &x2, &x3],
    );
    body["experts"][2]["quota"] = json!({"max": 1});
    body["preferences"] = json!([{"need": n3, "expert": x2, "from": "need", "kind": "no_thanks"}]);
    let id = id_of(&create_event(&app, &body).await);
    let (s1, s2, s3) = ("2027-01-12T15:00", "2027-01-12T16:00", "2027-01-12T17:00");
    let meet = |slot: &str, n: &str, x: &str| json!({"slot": slot, "need": n, "expert": x});

    let res = app.get(&format!("/api/v1/events/{id}/schedule"), Some(OPERATOR)).await;
    assert_eq!(problem_code(res, 404, "no draft yet").await, "not_found");
    let res = send_if(
        &app,
        Method::POST,
        &format!("/api/v1/events/{id}/schedule/publish"),
        None,
        None,
    )
    .await;
    assert_eq!(problem_code(res, 409, "nothing to publish").await, "no_schedule");
    let res = add(&app, &id, meet(s1, &n1, &x1)).await;
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let one = expect(res, 201, "first").await;
    assert_eq!(etag, "\"2\"");
    assert_eq!(one["status"], "draft");
    let m1 = &meetings(&one)[0];
    assert_eq!(m1["placed_by"], "manual");
    assert!(m1["score"].as_f64().unwrap() > 0.0, "a hand-placed meeting is scored");
    let m1_id = str_at(m1, "/id").to_string();

    let refused = [
        ("the expert is busy", meet(s1, &n2, &x1), "double_booked"),
        ("the need is busy", meet(s1, &n1, &x2), "double_booked"),
        ("the pair meets already", meet(s2, &n1, &x1), "pair_already_meets"),
        ("a no_thanks pair", meet(s2, &n3, &x2), "pair_refused"),
        (
            "02:00 in Paris",
            meet("2027-01-12T09:00", &n2, &x2),
            "outside_waking_hours",
        ),
        (
            "03:00 in Shanghai",
            meet("2027-01-12T03:00", &n2, &x2),
            "outside_waking_hours",
        ),
        ("a need not at the event", meet(s2, &outsider, &x2), "not_a_participant"),
    ];
    for (what, body, code) in refused {
        assert_eq!(
            problem_code(add(&app, &id, body).await, 409, what).await,
            code,
            "{what}"
        );
    }
    expect(add(&app, &id, meet(s1, &n2, &x3)).await, 201, "x3's one meeting").await;
    assert_eq!(
        problem_code(add(&app, &id, meet(s2, &n3, &x3)).await, 409, "quota").await,
        "over_quota"
    );
    let problem = expect(
        add(&app, &id, meet("2027-01-12T15:10", &n2, &x2)).await,
        422,
        "no such slot",
    )
    .await;
    assert_eq!(fields(&problem), ["slot"]);
    let mut on_table = meet(s2, &n2, &x2);
    on_table["table"] = json!("A");
    assert_eq!(
        fields(&expect(add(&app, &id, on_table).await, 422, "table online").await),
        ["table"]
    );
    assert_eq!(
        fields(&expect(add(&app, &id, json!({"slot": s2})).await, 422, "no pair").await),
        ["expert", "need"]
    );
    let stale = send_if(
        &app,
        Method::POST,
        &format!("/api/v1/events/{id}/schedule/meetings"),
        Some(2),
        Some(&meet(s2, &n2, &x2)),
    )
    .await;
    assert_eq!(problem_code(stale, 412, "stale").await, "version_mismatch");

    let move_to = |slot: &str| json!({"slot": slot});
    let m1_path = format!("/api/v1/events/{id}/schedule/meetings/{m1_id}");
    let moved = expect(
        send_if(&app, Method::PATCH, &m1_path, None, Some(&move_to(s2))).await,
        200,
        "move",
    )
    .await;
    let m = meetings(&moved)
        .iter()
        .find(|m| m["id"] == m1_id.as_str())
        .expect("same meeting");
    assert_eq!(str_at(m, "/slot/start"), "2027-01-12T16:00:00+08:00");
    assert_eq!(str_at(m, "/expert_time/start"), "2027-01-12T09:00:00+01:00");
    let busy = expect(add(&app, &id, meet(s3, &n2, &x1)).await, 201, "x1 at 17:00").await;
    let other = meetings(&busy)
        .iter()
        .find(|m| m["need"]["id"] == n2.as_str() && m["expert"]["id"] == x1.as_str());
    let other_path = format!(
        "/api/v1/events/{id}/schedule/meetings/{}",
        str_at(other.unwrap(), "/id")
    );
    let res = send_if(&app, Method::PATCH, &other_path, None, Some(&move_to(s2))).await;
    assert_eq!(problem_code(res, 409, "move onto x1's meeting").await, "double_booked");
    let res = send_if(
        &app,
        Method::PATCH,
        &other_path,
        None,
        Some(&move_to("2027-01-12T09:00")),
    )
    .await;
    assert_eq!(
        problem_code(res, 409, "move into the night").await,
        "outside_waking_hours"
    );
    let res = send_if(
        &app,
        Method::PATCH,
        &other_path,
        None,
        Some(&json!({"slot": s1, "expert": x2})),
    )
    .await;
    assert_eq!(fields(&expect(res, 422, "a move keeps its pair").await), ["need"]);
    let gone = format!("/api/v1/events/{id}/schedule/meetings/00000000-0000-4000-8000-000000000009");
    assert_eq!(
        send_if(&app, Method::PATCH, &gone, None, Some(&move_to(s2)))
            .await
            .status(),
        404
    );

    let now = app.get_ok(&format!("/api/v1/events/{id}/schedule")).await;
    assert_eq!(meetings(&now).len(), 3, "refused changes wrote nothing: {now:#}");
    let removed = expect(send_if(&app, Method::DELETE, &m1_path, None, None).await, 200, "remove").await;
    assert_eq!(meetings(&removed).len(), 2);
    assert!(meetings(&removed).iter().all(|m| m["id"] != m1_id.as_str()));
    expect(
        add(&app, &id, meet(s1, &n1, &x1)).await,
        201,
        "the pair may meet again once removed",
    )
    .await;
}

#[tokio::test]
async fn a_published_schedule_marks_its_pairs_as_met_in_later_events() {
    let app = spawn_app_without_samples().await;
    let expert = ml_expert(&app, "met@example.fr", "Europe/Paris").await;
    let (n1, n2) = (ml_need(&app, "Met before").await, ml_need(&app, "Never met").await);
    let slots = [
        ("2027-01-12T15:00", "2027-01-12T15:30"),
        ("2027-01-12T16:00", "2027-01-12T16:30"),
    ];
    let first = id_of(&create_event(&app, &online_event("2027-01-12", &slots[..1], &[&n1], &[&expert])).await);
    let first_draft = draft(&app, &first, "").await;
    assert_eq!(meetings(&first_draft).len(), 1);
    let second = id_of(&create_event(&app, &online_event("2027-01-12", &slots, &[&n1, &n2], &[&expert])).await);
    let met_flag = |lists: &Value, need: &str| -> Option<bool> {
        let list = lists["lists"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["need"]["id"] == need)
            .unwrap();
        list["experts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["expert"]["id"] == expert.as_str())
            .map(|x| x["met_before"].as_bool().unwrap())
    };
    let lists = app.get_ok(&format!("/api/v1/events/{second}/shortlists")).await;
    assert_eq!(met_flag(&lists, &n1), Some(false), "a draft does not count");

    let publish = format!("/api/v1/events/{first}/schedule/publish");
    let stale = send_if(&app, Method::POST, &publish, Some(1), None).await;
    assert_eq!(problem_code(stale, 412, "stale publish").await, "version_mismatch");
    let published = expect(send_if(&app, Method::POST, &publish, None, None).await, 200, "publish").await;
    assert_eq!(published["status"], "published");
    assert!(published["published_at"].is_string());
    assert_eq!(
        app.get_ok(&format!("/api/v1/events/{first}")).await["schedule_status"],
        "published"
    );
    let res = send_if(
        &app,
        Method::POST,
        &format!("/api/v1/events/{first}/schedule"),
        None,
        None,
    )
    .await;
    assert_eq!(problem_code(res, 409, "redraft").await, "schedule_published");

    let lists = app.get_ok(&format!("/api/v1/events/{second}/shortlists")).await;
    assert_eq!(met_flag(&lists, &n1), Some(true), "met at the published event");
    assert_eq!(met_flag(&lists, &n2), Some(false));
    let lists = app
        .get_ok(&format!("/api/v1/events/{second}/shortlists?met_before=exclude"))
        .await;
    assert_eq!(lists["met_before"], "exclude");
    assert_eq!(met_flag(&lists, &n1), None, "excluded");
    assert_eq!(met_flag(&lists, &n2), Some(false));

    let marked = draft(&app, &second, "met_before=mark").await;
    let pairs: BTreeMap<&str, bool> = meetings(&marked)
        .iter()
        .map(|m| (str_at(m, "/need/id"), m["met_before"].as_bool().unwrap()))
        .collect();
    assert_eq!(pairs, BTreeMap::from([(n1.as_str(), true), (n2.as_str(), false)]));
    let excluded = draft(&app, &second, "met_before=exclude").await;
    let needs: Vec<&str> = meetings(&excluded).iter().map(|m| str_at(m, "/need/id")).collect();
    assert_eq!(needs, [n2.as_str()], "a met pair is not drafted again");

    let discard = format!("/api/v1/events/{first}/schedule");
    assert_eq!(send_if(&app, Method::DELETE, &discard, None, None).await.status(), 204);
    assert_eq!(app.get(&discard, Some(OPERATOR)).await.status(), 404);
    assert_eq!(
        app.get_ok(&format!("/api/v1/events/{first}")).await["schedule_status"],
        Value::Null
    );
    let res = send_if(&app, Method::DELETE, &discard, None, None).await;
    assert_eq!(problem_code(res, 409, "nothing to discard").await, "no_schedule");
    let lists = app.get_ok(&format!("/api/v1/events/{second}/shortlists")).await;
    assert_eq!(
        met_flag(&lists, &n1),
        Some(false),
        "a discarded schedule no longer counts"
    );
}

#[tokio::test]
async fn slot_suggestions_for_shanghai_and_paris_start_in_the_shanghai_afternoon() {
    let app = spawn_app_without_samples().await;
    let expert = ml_expert(&app, "sugg@example.fr", "Europe/Paris").await;
    let need = ml_need(&app, "Shanghai need").await;
    let id = id_of(&create_event(&app, &online_event("2027-01-12", &[], &[&need], &[&expert])).await);
    let path = format!("/api/v1/events/{id}/slot-suggestions");
    let found = app.get_ok(&format!("{path}?duration_minutes=60&count=3")).await;
    assert_eq!(found["event_id"], id.as_str());
    assert_eq!(found["participants"], 2);
    let windows = found["windows"].as_array().unwrap();
    assert_eq!(windows.len(), 3);
    let best = &windows[0];
    assert_eq!(best["awake"], 2);
    assert_eq!(best["total"], 2);
    assert_eq!(best["asleep"], json!([]));
    let start = str_at(best, "/window/start");
    let shanghai = instant(start).with_timezone(&zone("Asia/Shanghai"));
    assert!((12..18).contains(&shanghai.hour()), "a Shanghai afternoon: {start}");
    let paris = instant(start).with_timezone(&zone("Europe/Paris"));
    assert!(paris.hour() >= 8, "Paris is awake: {paris}");
    assert_eq!(
        start, "2027-01-12T15:00:00+08:00",
        "the earliest window both are awake for"
    );
    assert_eq!(str_at(best, "/window/end"), "2027-01-12T16:00:00+08:00");
    for w in windows {
        assert_eq!(w["awake"], 2, "{w:#}");
        let s = instant(str_at(w, "/window/start")).with_timezone(&Utc);
        assert!(s.with_timezone(&zone("Europe/Paris")).hour() >= 8);
        assert!(s.with_timezone(&zone("Asia/Shanghai")).hour() < 22);
    }
    let all = app.get_ok(&format!("{path}?duration_minutes=60&count=20")).await;
    let partial = all["windows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["awake"] == 1)
        .expect("some window has one side asleep");
    let asleep = &partial["asleep"][0];
    let who = if asleep["side"] == "expert" {
        expert.as_str()
    } else {
        need.as_str()
    };
    assert_eq!(asleep["id"], who);
    let local_zone = if asleep["side"] == "expert" {
        "Europe/Paris"
    } else {
        "Asia/Shanghai"
    };
    assert_eq!(asleep["local"]["time_zone"], local_zone);
    assert_eq!(
        str_at(asleep, "/local/start"),
        wall(str_at(partial, "/window/start"), local_zone)
    );
    for bad in [
        "duration_minutes=5",
        "count=0",
        "from=2027-13-01",
        "from=2027-01-12&to=2027-03-12",
    ] {
        let res = app.get(&format!("{path}?{bad}"), Some(OPERATOR)).await;
        assert_eq!(problem_code(res, 400, bad).await, "invalid_parameter");
    }
}

/// Whether a schedule change was refused because the schedule is published, or took it back to draft.
async fn refused_or_back_to_draft(res: reqwest::Response, what: &str) -> bool {
    if res.status() == 409 {
        assert_eq!(problem_code(res, 409, what).await, "schedule_published", "{what}");
        return true;
    }
    let body = expect(res, 200, what).await;
    assert_eq!(
        body["status"], "draft",
        "{what}: a published schedule changed but still says published"
    );
    false
}

#[tokio::test]
async fn a_published_schedule_does_not_change_behind_its_status() {
    let app = spawn_app_without_samples().await;
    let x1 = ml_expert(&app, "pub1@example.fr", "Europe/Paris").await;
    let x2 = ml_expert(&app, "pub2@example.fr", "Europe/Paris").await;
    let need = ml_need(&app, "Published need").await;
    let slots = [
        ("2027-01-12T15:00", "2027-01-12T15:30"),
        ("2027-01-12T16:00", "2027-01-12T16:30"),
        ("2027-01-12T17:00", "2027-01-12T17:30"),
    ];
    let id = id_of(&create_event(&app, &online_event("2027-01-12", &slots, &[&need], &[&x1, &x2])).await);
    assert_eq!(meetings(&draft(&app, &id, "").await).len(), 2);
    let published = expect(
        send_if(
            &app,
            Method::POST,
            &format!("/api/v1/events/{id}/schedule/publish"),
            None,
            None,
        )
        .await,
        200,
        "publish",
    )
    .await;
    let used: BTreeSet<&str> = meetings(&published).iter().map(|m| str_at(m, "/slot/start")).collect();
    let free = [
        "2027-01-12T15:00:00+08:00",
        "2027-01-12T16:00:00+08:00",
        "2027-01-12T17:00:00+08:00",
    ]
    .into_iter()
    .find(|s| !used.contains(s))
    .unwrap();
    let first = format!(
        "/api/v1/events/{id}/schedule/meetings/{}",
        str_at(&meetings(&published)[0], "/id")
    );
    let res = send_if(&app, Method::PATCH, &first, None, Some(&json!({"slot": free}))).await;
    if refused_or_back_to_draft(res, "moving a published meeting").await {
        let now = app.get_ok(&format!("/api/v1/events/{id}/schedule")).await;
        assert_eq!(now["meetings"], published["meetings"], "a refused move changes nothing");
        let res = send_if(&app, Method::DELETE, &first, None, None).await;
        refused_or_back_to_draft(res, "removing a published meeting").await;
    }
}

#[tokio::test]
async fn an_erased_expert_does_not_lock_its_events() {
    let app = spawn_app_without_samples().await;
    let stays = ml_expert(&app, "stays@example.fr", "Europe/Paris").await;
    let leaves = ml_expert(&app, "leaves@example.fr", "Europe/Paris").await;
    let need = ml_need(&app, "Need of an erased expert").await;
    let slots = [
        ("2027-01-12T15:00", "2027-01-12T15:30"),
        ("2027-01-12T16:00", "2027-01-12T16:30"),
    ];
    let id = id_of(&create_event(&app, &online_event("2027-01-12", &slots, &[&need], &[&stays, &leaves])).await);
    assert_eq!(meetings(&draft(&app, &id, "").await).len(), 2);
    let erased = app
        .send(
            Method::DELETE,
            &format!("/api/v1/experts/{leaves}"),
            Some(OPERATOR),
            None,
        )
        .await;
    assert_eq!(erased.status(), 204);

    let lists = app.get_ok(&format!("/api/v1/events/{id}/shortlists")).await;
    let listed: Vec<&str> = lists["lists"][0]["experts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| str_at(x, "/expert/id"))
        .collect();
    assert_eq!(listed, [stays.as_str()]);
    let redrafted = draft(&app, &id, "").await;
    assert!(
        meetings(&redrafted).iter().all(|m| m["expert"]["id"] == stays.as_str()),
        "{redrafted:#}"
    );
    let missing = redrafted["unplaced"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["code"] == "participant_missing" && u["expert_id"] == leaves.as_str());
    assert!(missing, "the draft reports the erased expert: {redrafted:#}");

    let path = format!("/api/v1/events/{id}");
    let res = send_if(
        &app,
        Method::PATCH,
        &path,
        None,
        Some(&json!({"title": "Renamed after an erasure"})),
    )
    .await;
    let renamed = expect(res, 200, "renaming an event whose expert was erased").await;
    assert_eq!(renamed["title"], "Renamed after an erasure");
    let pref = json!({"need": need, "expert": stays, "from": "need", "kind": "must_meet"});
    let res = send_if(&app, Method::POST, &format!("{path}/preferences"), None, Some(&pref)).await;
    expect(res, 200, "a preference between the remaining participants").await;
}

#[tokio::test]
async fn one_slot_gets_a_maximum_weight_assignment() {
    let app = spawn_app_without_samples().await;
    let skills = |tags: &[(&str, u8)]| Value::Array(tags.iter().map(|(t, l)| json!({"tag": t, "level": l})).collect());
    let experts = [
        active_expert(
            &app,
            "star@example.de",
            "Europe/Berlin",
            skills(&[("ai.ml", 5), ("ai.nlp", 5), ("ai.cv", 5)]),
        )
        .await,
        active_expert(
            &app,
            "ml@example.de",
            "Europe/Berlin",
            skills(&[("ai.ml", 4), ("ic", 2)]),
        )
        .await,
        active_expert(
            &app,
            "nlp@example.de",
            "Europe/Berlin",
            skills(&[("ai.nlp", 4), ("ai.ml", 2)]),
        )
        .await,
    ];
    let must = |tag: &str| json!([{"tag": tag, "weight": 5, "must_have": true}]);
    let needs = [
        need_with(&app, "Needs ML", must("ai.ml")).await,
        need_with(&app, "Needs NLP", must("ai.nlp")).await,
        need_with(
            &app,
            "Needs vision and TCM",
            json!([{"tag": "ai.cv", "weight": 5, "must_have": true}, {"tag": "tcm", "weight": 5}]),
        )
        .await,
    ];
    // Every pair's score as the matcher gives it (None: gated).
    let mut score = [[None; 3]; 3];
    for (n, need) in needs.iter().enumerate() {
        for (e, expert) in experts.iter().enumerate() {
            let pair = app.get_ok(&format!("/api/v1/needs/{need}/matches/{expert}")).await;
            score[n][e] = pair["score"].as_f64();
        }
    }
    // The best one-slot assignment, by trying every permutation (a missing pair means no meeting).
    let perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    let best = perms
        .iter()
        .map(|p| (0..3).filter_map(|n| score[n][p[n]]).sum::<f64>())
        .fold(0.0, f64::max);
    // Taking the heaviest free pair first, again and again, stays below the best.
    let mut greedy = 0.0;
    let (mut need_busy, mut expert_busy) = ([false; 3], [false; 3]);
    loop {
        let next = (0..9)
            .map(|i| (i / 3, i % 3))
            .filter(|&(n, e)| !need_busy[n] && !expert_busy[e])
            .filter_map(|(n, e)| score[n][e].map(|s| (s, n, e)))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let Some((s, n, e)) = next else { break };
        greedy += s;
        need_busy[n] = true;
        expert_busy[e] = true;
    }
    assert!(best > greedy + 1e-3, "greedy {greedy} would already be best: {score:?}");
    let needs_ref: Vec<&str> = needs.iter().map(String::as_str).collect();
    let experts_ref: Vec<&str> = experts.iter().map(String::as_str).collect();
    let body = online_event(
        "2027-01-12",
        &[("2027-01-12T15:00", "2027-01-12T15:30")],
        &needs_ref,
        &experts_ref,
    );
    let id = id_of(&create_event(&app, &body).await);
    let schedule = draft(&app, &id, "").await;
    let total = schedule["summary"]["total_score"].as_f64().unwrap();
    assert!(
        (total - best).abs() < 1e-4,
        "drafted {total}, best {best}; scores {score:?}: {schedule:#}"
    );
}

#[tokio::test]
async fn a_hybrid_event_seats_on_site_meetings_and_wakes_online_ones() {
    let app = spawn_app_without_samples().await;
    let expert = ml_expert(&app, "hybrid@example.fr", "Europe/Paris").await;
    let (n1, n2) = (ml_need(&app, "Hybrid one").await, ml_need(&app, "Hybrid two").await);
    // 03:00 in Shanghai: the Shanghai needs are asleep, which only matters online.
    let mut body = online_event("2027-01-12", &[], &[&n1, &n2], &[&expert]);
    body["format"] = json!("hybrid");
    body["tables"] = json!(["Room 1"]);
    body["slots"] = json!([
        {"start": "2027-01-12T03:00", "end": "2027-01-12T03:30", "mode": "online"},
        {"start": "2027-01-12T03:30", "end": "2027-01-12T04:00", "mode": "onsite"},
        {"start": "2027-01-12T15:00", "end": "2027-01-12T15:30", "mode": "online"},
    ]);
    let id = id_of(&create_event(&app, &body).await);
    let schedule = draft(&app, &id, "").await;
    let by_slot: BTreeMap<&str, (&str, Option<&str>)> = meetings(&schedule)
        .iter()
        .map(|m| (str_at(m, "/slot/start"), (str_at(m, "/mode"), m["table"].as_str())))
        .collect();
    assert_eq!(
        by_slot,
        BTreeMap::from([
            ("2027-01-12T03:30:00+08:00", ("onsite", Some("Room 1"))),
            ("2027-01-12T15:00:00+08:00", ("online", None)),
        ]),
        "{schedule:#}"
    );
}

#[tokio::test]
async fn a_minimum_quota_comes_before_a_better_score() {
    let app = spawn_app_without_samples().await;
    let expert = ml_expert(&app, "scarce@example.fr", "Europe/Paris").await;
    let strong = need_with(
        &app,
        "Fits well",
        json!([{"tag": "ai.ml", "weight": 5, "must_have": true}, {"tag": "ai.nlp", "weight": 4}]),
    )
    .await;
    let weak = need_with(
        &app,
        "Fits less",
        json!([{"tag": "ai.ml", "weight": 2, "must_have": true}, {"tag": "tcm", "weight": 5}]),
    )
    .await;
    let score = |need: String| {
        let app = &app;
        let expert = &expert;
        async move {
            app.get_ok(&format!("/api/v1/needs/{need}/matches/{expert}")).await["score"]
                .as_f64()
                .unwrap()
        }
    };
    assert!(score(strong.clone()).await > score(weak.clone()).await);
    let slots = [
        ("2027-01-12T15:00", "2027-01-12T15:30"),
        ("2027-01-12T16:00", "2027-01-12T16:30"),
    ];
    let mut body = online_event("2027-01-12", &slots, &[&strong, &weak], &[&expert]);
    body["experts"][0]["quota"] = json!({"max": 1});
    let id = id_of(&create_event(&app, &body).await);
    let only = |s: &Value| -> String { meetings(s).iter().map(|m| str_at(m, "/need/id").to_string()).collect() };
    assert_eq!(
        only(&draft(&app, &id, "").await),
        strong,
        "the better pair without minimums"
    );
    let patch = json!({"needs": [{"need": strong}, {"need": weak, "quota": {"min": 1, "max": 6}}]});
    expect(
        send_if(&app, Method::PATCH, &format!("/api/v1/events/{id}"), None, Some(&patch)).await,
        200,
        "min",
    )
    .await;
    let schedule = draft(&app, &id, "").await;
    assert_eq!(
        only(&schedule),
        weak,
        "a need below its minimum comes first: {schedule:#}"
    );
    let below = schedule["unplaced"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["code"] == "below_min_quota");
    assert!(!below, "every minimum is met");
}
