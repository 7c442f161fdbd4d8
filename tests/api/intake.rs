//! Bulk intake over REST: dry runs, real runs and re-runs, duplicates reported and never merged,
//! rejected rows beside good ones, GB18030 spreadsheets with Chinese headers, JSON lines.

use serde_json::{json, Value};

use crate::contract::{assert_documented, assert_valid};
use crate::helpers::{expert_body, need_body, spawn_app, spawn_app_without_samples, TestApp, OPERATOR};

const HEADER: &str =
    "name,email,country,city,timezone,organisation,position,languages,skills,sectors,engagement_modes,hours_per_month";

/// One spreadsheet row of an expert in Munich.
fn row(name: &str, email: &str, organisation: &str) -> String {
    format!(
        "{name},{email},DE,Munich,Europe/Berlin,{organisation},Researcher,zh:native;en:fluent,\
         machine learning:4;ai.nlp:3,ai,remote;consulting,20"
    )
}

fn csv(rows: &[String]) -> String {
    format!("{HEADER}\n{}\n", rows.join("\n"))
}

/// Posts a file to `path` (with its query) as `media`; checks the answer is documented and returns it.
async fn post(app: &TestApp, path: &str, media: &str, body: impl Into<reqwest::Body>) -> (u16, Value) {
    let res = app
        .client
        .post(format!("{}{path}", app.address))
        .bearer_auth(OPERATOR)
        .header("content-type", media)
        .body(body)
        .send()
        .await
        .expect("answered");
    let route = path.split('?').next().unwrap();
    assert_documented("POST", route, &res);
    let status = res.status().as_u16();
    let json = res.json().await.expect("json");
    if status == 200 {
        assert_valid("intake-report.schema.json", &json);
    }
    (status, json)
}

async fn experts_csv(app: &TestApp, query: &str, rows: &[String]) -> Value {
    let (status, report) = post(app, &format!("/api/v1/intake/experts?{query}"), "text/csv", csv(rows)).await;
    assert_eq!(status, 200, "{report:#}");
    report
}

fn outcomes(report: &Value) -> Vec<&str> {
    report["report"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect()
}

fn three() -> Vec<String> {
    vec![
        row("Anna Weber", "anna.weber@example.de", "Fraunhofer IWS"),
        row("Li Na", "li.na@example.fr", "INSA Lyon"),
        row("Marc Dubois", "marc.dubois@example.fr", "CNRS"),
    ]
}

#[tokio::test]
async fn a_dry_run_is_the_default_reports_every_row_and_writes_nothing() {
    let app = spawn_app_without_samples().await;
    let report = experts_csv(&app, "consent_version=2026-01", &three()).await;
    assert_eq!(report["dry_run"], true);
    assert_eq!(
        (report["rows"].as_u64(), report["created"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(outcomes(&report), vec!["create"; 3]);
    let rows: Vec<u64> = report["report"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, vec![2, 3, 4], "rows are spreadsheet rows, the header being row 1");
    assert!(report["report"][0].get("id").is_none(), "a dry run draws no ids");
    assert_eq!(
        report["columns"][1],
        json!({"header": "email", "field": "contact.email"})
    );
    let listed = app.get_ok("/api/v1/experts?limit=200").await;
    assert_eq!(listed["items"], json!([]), "a dry run wrote something");
}

#[tokio::test]
async fn a_real_run_creates_and_a_rerun_skips_everything() {
    let app = spawn_app_without_samples().await;
    let first = experts_csv(&app, "dry_run=false&consent_version=2026-01", &three()).await;
    assert_eq!(
        (first["created"].as_u64(), first["batches"].as_u64()),
        (Some(3), Some(1))
    );
    for item in first["report"].as_array().unwrap() {
        let expert = app
            .get_ok(&format!("/api/v1/experts/{}", item["id"].as_str().unwrap()))
            .await;
        assert_eq!(expert["status"], "pending_review");
        assert_eq!(expert["skills"][0]["tag"], "ai.ml");
    }
    let again = experts_csv(&app, "dry_run=false&consent_version=2026-01", &three()).await;
    assert_eq!(outcomes(&again), vec!["skip"; 3]);
    assert_eq!(again["created"], 0);
    for (a, b) in first["report"]
        .as_array()
        .unwrap()
        .iter()
        .zip(again["report"].as_array().unwrap())
    {
        assert_eq!(a["id"], b["id"], "a skipped row names the record it became");
    }
    let listed = app.get_ok("/api/v1/experts?limit=200").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn a_registered_email_is_reported_as_a_duplicate_and_never_merged() {
    let app = spawn_app().await;
    let (id, _, _) = app.register(&expert_body("taken@example.de")).await;
    let rows = vec![
        row("Someone Else", "TAKEN@example.de", "Elsewhere GmbH"),
        row("Jan Kowalski", "jan@example.pl", "AGH"),
        row("Jan K.", "jan@example.pl", "AGH Krakow"),
    ];
    let report = experts_csv(&app, "dry_run=false&consent_version=2026-01", &rows).await;
    assert_eq!(outcomes(&report), vec!["duplicate", "create", "duplicate"]);
    assert_eq!(
        report["report"][0]["duplicate_of"],
        json!([{"id": id, "matched_on": "email"}])
    );
    let earlier = &report["report"][2]["duplicate_of"][0];
    assert_eq!(
        (earlier["row"].as_u64(), &earlier["matched_on"]),
        (Some(3), &json!("email"))
    );
    assert_eq!(
        earlier["id"], report["report"][1]["id"],
        "the link names the earlier row's record"
    );
    let stored = app.get_ok(&format!("/api/v1/experts/{id}")).await;
    assert_eq!(
        (stored["name"].as_str(), stored["version"].as_u64()),
        (Some("Dr. Chen Yuting"), Some(1))
    );
}

#[tokio::test]
async fn a_row_naming_a_stored_id_updates_that_expert() {
    let app = spawn_app().await;
    let (id, _, _) = app.register(&expert_body("update.me@example.de")).await;
    let body = format!(
        "id,status,{HEADER}\n{id},active,{}\n",
        row("Dr. Chen Yuting", "update.me@example.de", "Max Planck Institute")
    );
    let (status, report) = post(&app, "/api/v1/intake/experts?dry_run=false", "text/csv", body).await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(outcomes(&report), vec!["update"], "{report:#}");
    let stored = app.get_ok(&format!("/api/v1/experts/{id}")).await;
    assert_eq!(stored["organisation"], "Max Planck Institute");
    assert_eq!(
        (stored["status"].as_str(), stored["version"].as_u64()),
        (Some("active"), Some(2))
    );
}

#[tokio::test]
async fn the_same_name_at_the_same_organisation_is_created_but_flagged() {
    let app = spawn_app().await;
    let (id, _, _) = app.register(&expert_body("yuting@example.de")).await;
    let rows = vec![row(
        "Yuting CHEN",
        "y.chen@tum.example.de",
        "Technical University of Munich",
    )];
    let report = experts_csv(&app, "dry_run=false&consent_version=2026-01", &rows).await;
    assert_eq!(outcomes(&report), vec!["create"]);
    assert_eq!(report["flagged"], 1);
    let links = &report["report"][0]["possible_duplicate_of"];
    assert_eq!(links, &json!([{"id": id, "matched_on": "name_and_organisation"}]));
    let created = report["report"][0]["id"].as_str().unwrap();
    assert_ne!(created, id, "never merged");
}

#[tokio::test]
async fn bad_rows_are_rejected_with_every_field_error_while_good_rows_land() {
    let app = spawn_app_without_samples().await;
    let bad = "Bad Row,bad@example.org,Atlantis,Munich,Europe/Berlin,X,Y,en:fluent,nonsense:9,ai,remote,many";
    let rows = vec![three()[0].clone(), bad.to_string(), three()[1].clone()];
    let report = experts_csv(&app, "dry_run=false&consent_version=2026-01", &rows).await;
    assert_eq!(outcomes(&report), vec!["create", "reject", "create"]);
    let fields: Vec<&str> = report["report"][1]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for expected in ["country", "skills[0].tag", "skills[0].level", "hours_per_month"] {
        assert!(fields.contains(&expected), "{expected} missing from {fields:?}");
    }
    let listed = app.get_ok("/api/v1/experts?limit=200").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn new_experts_without_consent_are_rejected() {
    let app = spawn_app_without_samples().await;
    let report = experts_csv(&app, "dry_run=false", &three()[..1]).await;
    assert_eq!(report["report"][0]["errors"][0]["field"], "consent.text_version");
    assert_eq!(report["created"], 0);
}

#[tokio::test]
async fn a_gb18030_spreadsheet_with_chinese_headers_and_values_is_read() {
    let app = spawn_app_without_samples().await;
    let text = "姓名,邮箱,国家,城市,时区,单位,职称,语言,技能,领域,合作方式,每月小时,同意书版本\n\
                陈雨婷,chen.yuting@example.de,德国,慕尼黑,Europe/Berlin,慕尼黑工业大学,研究员,中文:母语；英语:流利,机器学习:4；固态电池,人工智能,远程、联合研发,16,2026-01\n";
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    let (status, report) = post(
        &app,
        "/api/v1/intake/experts?dry_run=false",
        "text/csv",
        bytes.into_owned(),
    )
    .await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(
        (report["encoding"].as_str(), report["created"].as_u64()),
        (Some("gb18030"), Some(1)),
        "{report:#}"
    );
    let expert = app
        .get_ok(&format!(
            "/api/v1/experts/{}",
            report["report"][0]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        (expert["name"].as_str(), expert["country"].as_str()),
        (Some("陈雨婷"), Some("DE"))
    );
    assert_eq!(expert["engagement_modes"], json!(["remote", "joint_research"]));
    assert_eq!(expert["consent"]["text_version"], "2026-01");
}

#[tokio::test]
async fn a_column_mapping_names_unknown_headers() {
    let app = spawn_app_without_samples().await;
    let body = csv(&three()[..1]).replacen("organisation", "Arbeitgeber", 1);
    let (status, problem) = post(
        &app,
        "/api/v1/intake/experts?consent_version=v1",
        "text/csv",
        body.clone(),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["field"], "header");
    let res = app
        .client
        .post(format!("{}/api/v1/intake/experts?consent_version=v1", app.address))
        .bearer_auth(OPERATOR)
        .header("content-type", "text/csv")
        .header("x-column-mapping", r#"{"Arbeitgeber": "\u5355\u4f4d"}"#)
        .body(body)
        .send()
        .await
        .unwrap();
    let report: Value = res.json().await.unwrap();
    assert_eq!(report["created"], 1, "{report:#}");
}

#[tokio::test]
async fn json_lines_of_experts_and_needs_are_imported() {
    let app = spawn_app().await;
    let mut profile = expert_body("jsonl@example.de");
    profile.as_object_mut().unwrap().remove("consent");
    let lines = format!(
        "{}\n\n{}\n",
        json!({"status": "active", "profile": profile}),
        json!({"profile": {"name": "x"}})
    );
    let (status, report) = post(
        &app,
        "/api/v1/intake/experts?dry_run=false&consent_version=2026-02",
        "application/x-ndjson",
        lines,
    )
    .await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(outcomes(&report), vec!["create", "reject"]);
    assert_eq!(report["report"][1]["row"], 3, "rows are lines of the file");
    let expert = app
        .get_ok(&format!(
            "/api/v1/experts/{}",
            report["report"][0]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(expert["status"], "active");
    let needs = format!("{}\n{}\n", json!({"need": need_body()}), json!({"need": need_body()}));
    let (status, report) = post(&app, "/api/v1/intake/needs?dry_run=false", "application/jsonl", needs).await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(outcomes(&report), vec!["create", "duplicate"]);
    assert_eq!(report["report"][1]["duplicate_of"][0]["matched_on"], "content");
}

#[tokio::test]
async fn needs_come_from_a_chinese_spreadsheet_and_a_known_title_is_flagged() {
    let app = spawn_app_without_samples().await;
    let text = "企业名称,园区,联系人,需求标题,需求类型,技能,合作方式,紧急程度,截止日期,指标\n\
                南沙海洋科技有限公司,南沙,陈女士,水下机器人导航,联合研发,ai.ml:5:必须；自然语言处理:2,远程、咨询,高,2027/6/30,定位误差=0.5%\n\
                南沙海洋科技有限公司,南沙,陈女士,水下机器人导航（二期）,联合研发,ai.ml,远程,中,,\n";
    let (status, report) = post(&app, "/api/v1/intake/needs?dry_run=false", "text/csv", text.to_string()).await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(outcomes(&report), vec!["create", "create"]);
    assert_eq!(report["report"][1]["possible_duplicate_of"][0]["row"], 2);
    let need = app
        .get_ok(&format!(
            "/api/v1/needs/{}",
            report["report"][0]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        (need["need_type"].as_str(), need["urgency"].as_str()),
        (Some("joint_research"), Some("high"))
    );
    assert_eq!(
        need["skills"][0],
        json!({"tag": "ai.ml", "weight": 5, "must_have": true})
    );
    assert_eq!(need["deadline"], "2027-06-30");
}

#[tokio::test]
async fn intake_is_for_operators_and_needs_a_known_format() {
    let app = spawn_app_without_samples().await;
    let (_, token, _) = app.register(&expert_body("not.an.operator@example.de")).await;
    for (what, auth, media, query, status) in [
        ("no token", None, "text/csv", "", 401),
        ("an expert token", Some(token.as_str()), "text/csv", "", 403),
        ("no format", Some(OPERATOR), "text/plain", "", 400),
        (
            "an unknown encoding",
            Some(OPERATOR),
            "text/csv",
            "?encoding=latin1",
            400,
        ),
        ("an unknown parameter", Some(OPERATOR), "text/csv", "?dryrun=false", 400),
    ] {
        let mut req = app
            .client
            .post(format!("{}/api/v1/intake/experts{query}", app.address))
            .header("content-type", media)
            .body(csv(&three()));
        if let Some(t) = auth {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status().as_u16(), status, "{what}");
    }
}

#[tokio::test]
async fn imported_experts_are_matched_at_once() {
    let app = spawn_app_without_samples().await;
    let (need, _) = app.create_need(&need_body()).await;
    let line = json!({"status": "active", "profile": expert_body("matched.at.once@example.de")});
    let (status, report) = post(
        &app,
        "/api/v1/intake/experts?dry_run=false",
        "application/x-ndjson",
        line.to_string(),
    )
    .await;
    assert_eq!(status, 200, "{report:#}");
    let id = report["report"][0]["id"].as_str().unwrap();
    let matches = app
        .get_ok(&format!("/api/v1/needs/{need}/matches?k=5&explain=false"))
        .await;
    let ids: Vec<&str> = matches["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["expert_id"].as_str().or(m["expert"]["id"].as_str()).unwrap())
        .collect();
    assert_eq!(ids, vec![id], "{matches:#}");
}

#[tokio::test]
async fn an_update_never_gives_back_a_consent_the_expert_withdrew() {
    let app = spawn_app_without_samples().await;
    let (id, token, _) = app.register(&expert_body("withdrawn@example.de")).await;
    let res = app
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/experts/{id}/consent"),
            Some(&token),
            None,
        )
        .await;
    assert!(res.status().is_success(), "withdrawal: {}", res.status());
    let body = format!(
        "id,{HEADER},consent version\n{id},{},2026-01\n",
        row("Dr. Chen Yuting", "withdrawn@example.de", "Max Planck Institute")
    );
    let (status, report) = post(&app, "/api/v1/intake/experts?dry_run=false", "text/csv", body).await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(outcomes(&report), vec!["update"]);
    assert!(
        report["report"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("withdrew consent"),
        "{report:#}"
    );
    let stored = app.get_ok(&format!("/api/v1/experts/{id}")).await;
    assert_eq!(stored["organisation"], "Max Planck Institute");
    assert!(stored["consent"]["withdrawn_at"].is_string(), "{stored:#}");
}
