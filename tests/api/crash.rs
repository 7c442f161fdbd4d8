//! The real binary: acknowledged writes survive SIGKILL, the index loaded at start matches as the
//! one kept by writes, SIGTERM shuts down cleanly, bad stores are
//! refused with a message, export → import → export gives the same data, and an erased expert
//! leaves no readable personal data in the data directory.

use std::path::Path;
use std::process::{Child, Command};

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{expert_body, need_body, serve_binary, BIN, OPERATOR};

struct Server {
    child: Child,
    address: String,
    client: reqwest::Client,
}

fn start(dir: &Path) -> Server {
    let (child, address) = serve_binary(dir, &[]);
    Server {
        child,
        address,
        client: reqwest::Client::new(),
    }
}

impl Server {
    async fn get_json(&self, path: &str) -> Value {
        self.send(Method::GET, path, Some(OPERATOR), None)
            .await
            .json()
            .await
            .expect("a JSON body")
    }

    async fn send(&self, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> reqwest::Response {
        let mut req = self.client.request(method, format!("{}{path}", self.address));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        req.send().await.expect("answered")
    }
}

#[tokio::test]
async fn acknowledged_writes_survive_kill_9_and_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start(dir.path());
    let mut experts = Vec::new();
    for i in 0..15 {
        let res = server
            .send(
                Method::POST,
                "/api/v1/experts",
                None,
                Some(&expert_body(&format!("crash{i}@example.de"))),
            )
            .await;
        assert_eq!(res.status(), 201);
        let body: Value = res.json().await.unwrap();
        experts.push(body["id"].as_str().unwrap().to_string());
    }
    let patched = &experts[0];
    let res = server
        .send(
            Method::PATCH,
            &format!("/api/v1/experts/{patched}"),
            Some(OPERATOR),
            Some(&json!({"status": "active"})),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = server
        .send(Method::POST, "/api/v1/needs", Some(OPERATOR), Some(&need_body()))
        .await;
    assert_eq!(res.status(), 201);
    let need: Value = res.json().await.unwrap();
    server.child.kill().expect("SIGKILL");
    server.child.wait().unwrap();

    let server = start(dir.path());
    for id in &experts {
        let res = server
            .send(Method::GET, &format!("/api/v1/experts/{id}"), Some(OPERATOR), None)
            .await;
        assert_eq!(res.status(), 200, "expert {id} was lost");
    }
    let res = server
        .send(Method::GET, &format!("/api/v1/experts/{patched}"), Some(OPERATOR), None)
        .await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "active");
    let res = server
        .send(
            Method::GET,
            &format!("/api/v1/needs/{}", need["id"].as_str().unwrap()),
            Some(OPERATOR),
            None,
        )
        .await;
    assert_eq!(res.status(), 200);
    stop(server);
}

/// Experts that differ in every fact matching reads: levels, sectors, wanted types and sectors,
/// modes, hours, languages and country.
fn varied_expert(i: usize) -> Value {
    let mut body = expert_body(&format!("restart{i}@example.de"));
    let levels = [5, 4, 3, 2, 1, 5, 3, 4];
    body["skills"] = json!([
        {"tag": "ai.ml", "level": levels[i % levels.len()]},
        {"tag": if i.is_multiple_of(2) { "ai.nlp" } else { "ai" }, "level": 1 + i % 5},
        {"tag": if i % 3 == 1 { "ai.ml.deep-learning.cnn" } else { "ai.ml.reinforcement-learning" }, "level": 3}
    ]);
    body["sectors"] = if i % 3 == 2 {
        json!(["energy.grid"])
    } else {
        json!(["ai"])
    };
    body["hours_per_month"] = json!(4 + 7 * i);
    body["engagement_modes"] = if i.is_multiple_of(3) {
        json!(["remote"])
    } else {
        json!(["remote", "consulting"])
    };
    body["preferences"] = if i.is_multiple_of(4) {
        json!({"need_types": [], "sectors": []})
    } else {
        json!({"need_types": ["joint_research"], "sectors": [if i.is_multiple_of(2) { "ai" } else { "tcm" }]})
    };
    if i % 5 == 4 {
        body["languages"] = json!([{"code": "zh", "proficiency": "native"}, {"code": "fr", "proficiency": "working"}]);
        body["country"] = json!("FR");
    }
    body
}

#[tokio::test]
async fn matches_after_a_restart_are_those_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start(dir.path());
    let mut experts = Vec::new();
    for i in 0..10 {
        let res = server
            .send(Method::POST, "/api/v1/experts", None, Some(&varied_expert(i)))
            .await;
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        assert_eq!(status, 201, "{body}");
        let id = body["id"].as_str().unwrap().to_string();
        let path = format!("/api/v1/experts/{id}");
        let res = server
            .send(Method::PATCH, &path, Some(OPERATOR), Some(&json!({"status": "active"})))
            .await;
        assert_eq!(res.status(), 200);
        experts.push(id);
    }
    // One withdraws consent: it leaves matching, before and after the restart.
    let withdrawn = &experts[3];
    let res = server
        .send(
            Method::DELETE,
            &format!("/api/v1/experts/{withdrawn}/consent"),
            Some(OPERATOR),
            None,
        )
        .await;
    assert_eq!(res.status(), 200);
    let mut need = need_body();
    need["skills"] = json!([{"tag": "ai.ml", "weight": 5}, {"tag": "NLP", "weight": 2}]);
    let res = server
        .send(Method::POST, "/api/v1/needs", Some(OPERATOR), Some(&need))
        .await;
    assert_eq!(res.status(), 201);
    let need_id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let matches = format!("/api/v1/needs/{need_id}/matches?k=20");
    let pair = format!("/api/v1/needs/{need_id}/matches/{withdrawn}");
    let before = server.get_json(&matches).await;
    let pair_before = server.get_json(&pair).await;
    let ranked: Vec<&str> = before["items"]
        .as_array()
        .expect("a list of matches")
        .iter()
        .filter_map(|m| m["expert_id"].as_str())
        .collect();
    for id in experts.iter().filter(|id| *id != withdrawn) {
        assert!(
            ranked.contains(&id.as_str()),
            "{id} speaks zh and holds ai.ml: {before}"
        );
    }
    assert!(!ranked.contains(&withdrawn.as_str()));
    assert!(pair_before.to_string().contains("consent"), "{pair_before}");
    server.child.kill().expect("SIGKILL");
    server.child.wait().unwrap();

    let server = start(dir.path());
    let after = server.get_json(&matches).await;
    let pair_after = server.get_json(&pair).await;
    assert_eq!(
        after, before,
        "the index loaded at start ranks and explains as the one kept by writes"
    );
    assert_eq!(pair_after, pair_before);
    stop(server);
}

fn stop(mut server: Server) {
    let _ = server.child.kill();
    let _ = server.child.wait();
}

#[tokio::test]
async fn sigterm_stops_the_service_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start(dir.path());
    let res = server.send(Method::GET, "/readyz", None, None).await;
    assert_eq!(res.status(), 200);
    let pid = server.child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let status = server.child.wait().unwrap();
    assert!(status.success(), "exit status {status:?}");
}

fn run_cli(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .env("TALENTBRIDGE_OPERATOR_TOKEN", OPERATOR)
        .output()
        .unwrap()
}

#[tokio::test]
async fn a_second_process_on_the_same_directory_is_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path());
    let out = run_cli(&["export", "--data-dir", dir.path().to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("in use by another talentbridge process"), "{err}");
    stop(server);
}

#[test]
fn a_corrupt_store_gives_a_clear_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("conf"), b"\xff\xfe this is not sled").unwrap();
    std::fs::write(dir.path().join("db"), vec![0xAB; 8192]).unwrap();
    let out = run_cli(&["export", "--data-dir", dir.path().to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("talentbridge: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[tokio::test]
async fn export_then_import_into_an_empty_directory_gives_the_same_data() {
    let first = tempfile::tempdir().unwrap();
    let server = start(first.path());
    let res = server
        .send(
            Method::POST,
            "/api/v1/experts",
            None,
            Some(&expert_body("roundtrip@example.de")),
        )
        .await;
    assert_eq!(res.status(), 201);
    stop(server);
    let files = tempfile::tempdir().unwrap();
    let a = files.path().join("a.jsonl");
    let b = files.path().join("b.jsonl");
    let out = run_cli(&[
        "export",
        "--data-dir",
        first.path().to_str().unwrap(),
        "--out",
        a.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let second = tempfile::tempdir().unwrap();
    let out = run_cli(&[
        "import",
        "--data-dir",
        second.path().to_str().unwrap(),
        a.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run_cli(&[
        "export",
        "--data-dir",
        second.path().to_str().unwrap(),
        "--out",
        b.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let (a, b) = (std::fs::read_to_string(a).unwrap(), std::fs::read_to_string(b).unwrap());
    assert!(a.lines().count() > 400, "the export holds the taxonomy and samples");
    assert_eq!(a, b);
    let again = run_cli(&[
        "import",
        "--data-dir",
        second.path().to_str().unwrap(),
        files.path().join("a.jsonl").to_str().unwrap(),
    ]);
    assert!(!again.status.success(), "importing into a non-empty store is refused");
}

/// The personal data of the erasure test: every string (and the email's local part) must be
/// nowhere in the data directory's files once the expert is erased.
const NAME: &str = "Zyxwvutsrq Qwertyuiop";
const EMAIL: &str = "zyxw.unique@example.org";
const EMAIL_LOCAL_PART: &str = "zyxw.unique";
const PHONES: [&str; 3] = ["+33 6 1357 9246", "+33 6 2468 0135", "+33 6 9753 8642"];
const BIOS: [&str; 3] = [
    "Quixotic zymurgist of Vrbnik, first version of this biography.",
    "Quixotic zymurgist of Vrbnik, second version, with fermentation kinetics.",
    "Quixotic zymurgist of Vrbnik, third version, now leading a lab in Rijeka.",
];

fn personal_strings() -> Vec<&'static str> {
    let mut all = vec![NAME, EMAIL, EMAIL_LOCAL_PART];
    all.extend(PHONES);
    all.extend(BIOS);
    all
}

/// Which of `needles` occur in the bytes of each file under `dir`, as (file, needle) pairs.
fn found_in_files(dir: &Path, needles: &[&str]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(path) = pending.pop() {
        if path.is_dir() {
            pending.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        for needle in needles {
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found.push((path.display().to_string(), needle.to_string()));
            }
        }
    }
    found
}

#[tokio::test]
async fn an_erased_expert_leaves_no_readable_personal_data_in_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path());
    let mut body = expert_body(EMAIL);
    body["name"] = json!(NAME);
    body["contact"]["phone"] = json!(PHONES[0]);
    body["bio"] = json!(BIOS[0]);
    let res = server.send(Method::POST, "/api/v1/experts", None, Some(&body)).await;
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/experts/{id}");
    for (phone, bio) in PHONES.iter().zip(BIOS).skip(1) {
        let patch = json!({"contact": {"phone": phone}, "bio": bio, "status": "active"});
        let res = server.send(Method::PATCH, &path, Some(OPERATOR), Some(&patch)).await;
        assert_eq!(res.status(), 200, "every change writes another version to sled");
    }
    stop(server);

    // The control: the same scan finds the current version's strings in an export taken before
    // the erasure (an export is plaintext; sled's files never were).
    let files = tempfile::tempdir().unwrap();
    let export = files.path().join("before-erasure.jsonl");
    let data_dir = dir.path().to_str().unwrap();
    let out = run_cli(&["export", "--data-dir", data_dir, "--out", export.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let current = [NAME, EMAIL, EMAIL_LOCAL_PART, PHONES[2], BIOS[2]];
    let in_export = found_in_files(files.path(), &current);
    assert_eq!(
        in_export.len(),
        current.len(),
        "the scan finds plaintext: {in_export:?}"
    );

    let mut server = start(dir.path());
    let res = server.send(Method::DELETE, &path, Some(OPERATOR), None).await;
    assert_eq!(res.status(), 204);
    let res = server.send(Method::GET, &path, Some(OPERATOR), None).await;
    assert_eq!(res.status(), 410);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "erased");
    let pid = server.child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(server.child.wait().unwrap().success());

    let left = found_in_files(dir.path(), &personal_strings());
    assert!(left.is_empty(), "personal data readable after erasure: {left:?}");

    let server = start(dir.path());
    let res = server.send(Method::GET, &path, Some(OPERATOR), None).await;
    assert_eq!(res.status(), 410, "the placeholder outlives a restart");
    let res = server.send(Method::POST, "/api/v1/experts", None, Some(&body)).await;
    assert_eq!(res.status(), 201, "the address is free again");
    assert_ne!(res.json::<Value>().await.unwrap()["id"], id.as_str(), "under a new id");
    stop(server);
}
