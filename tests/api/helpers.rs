//! Spawns the real service on port 0 with a temporary data directory, and typed request helpers.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use reqwest::{Method, Response};
use serde_json::{json, Value};
use talentbridge::config::ServeArgs;
use talentbridge::startup::Application;
use tempfile::TempDir;

/// The built binary, for tests that run it as a process.
pub const BIN: &str = env!("CARGO_BIN_EXE_talentbridge");

/// Starts the real binary's `serve` on `dir` (on port 0, with `extra` arguments) and returns the
/// process with its address, read from the port it logs.
pub fn serve_binary(dir: &Path, extra: &[&str]) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0", "--log-format", "json"])
        .args(extra)
        .arg("--data-dir")
        .arg(dir)
        .env("TALENTBRIDGE_OPERATOR_TOKEN", OPERATOR)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stderr = child.stderr.take().expect("stderr is piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(port) = serde_json::from_str::<Value>(&line)
                .ok()
                .and_then(|v| v["fields"]["port"].as_u64())
            {
                let _ = tx.send(port);
            }
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the server logs its port");
    (child, format!("http://127.0.0.1:{port}"))
}

/// The operator token every test app is started with.
pub const OPERATOR: &str = "test-operator-token-0123456789";

/// A running service and what a test needs to talk to it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub _data_dir: TempDir,
}

/// Starts the service with the sample data seeded.
pub async fn spawn_app() -> TestApp {
    spawn_with(true).await
}

/// Starts the service with the taxonomy only (`--no-seed`).
pub async fn spawn_app_without_samples() -> TestApp {
    spawn_with(false).await
}

async fn spawn_with(samples: bool) -> TestApp {
    spawn_app_with(|args| args.no_seed = !samples).await
}

/// Starts the service with the sample data seeded and `configure` applied to its settings (rate
/// limits, say) before it opens its data directory, which exists by then.
pub async fn spawn_app_with(configure: impl FnOnce(&mut ServeArgs)) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        talentbridge::telemetry::init(talentbridge::config::LogFormat::Text);
    }
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut args = ServeArgs::for_dir(data_dir.path().to_path_buf(), OPERATOR);
    configure(&mut args);
    let app = Application::build(&args).expect("the service builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::new(),
        _data_dir: data_dir,
    }
}

impl TestApp {
    /// Sends a request with an optional bearer token and JSON body.
    pub async fn send(&self, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> Response {
        let mut req = self.client.request(method, format!("{}{}", self.address, path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        req.send().await.expect("the request is answered")
    }

    /// GET.
    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.send(Method::GET, path, token, None).await
    }

    /// POST with a JSON body.
    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.send(Method::POST, path, token, Some(body)).await
    }

    /// GET as operator, expecting 200, returning the JSON.
    pub async fn get_ok(&self, path: &str) -> Value {
        let res = self.get(path, Some(OPERATOR)).await;
        assert_eq!(res.status(), 200, "GET {path}");
        res.json().await.expect("json")
    }

    /// Registers an expert, expecting 201; returns (id, token, body).
    pub async fn register(&self, body: &Value) -> (String, String, Value) {
        let res = self.post("/api/v1/experts", None, body).await;
        let status = res.status();
        let json: Value = res.json().await.expect("json");
        assert_eq!(status, 201, "registration failed: {json}");
        (
            json["id"].as_str().unwrap().to_string(),
            json["token"].as_str().unwrap().to_string(),
            json,
        )
    }

    /// Creates a need as operator, expecting 201; returns (id, body).
    pub async fn create_need(&self, body: &Value) -> (String, Value) {
        let res = self.post("/api/v1/needs", Some(OPERATOR), body).await;
        let status = res.status();
        let json: Value = res.json().await.expect("json");
        assert_eq!(status, 201, "need creation failed: {json}");
        (json["id"].as_str().unwrap().to_string(), json)
    }
}

/// A valid registration with tags given in three languages; `email` must be unique per app.
pub fn expert_body(email: &str) -> Value {
    json!({
        "name": "Dr. Chen Yuting",
        "contact": {"email": email, "phone": "+49 89 1234567"},
        "country": "DE",
        "city": "Munich",
        "timezone": "Europe/Berlin",
        "organisation": "Technical University of Munich",
        "position": "Senior researcher",
        "bio": "Works on battery materials and machine learning for materials discovery.",
        "languages": [{"code": "zh", "proficiency": "native"}, {"code": "en", "proficiency": "fluent"}],
        "skills": [
            {"tag": "机器学习", "level": 4, "evidence": ["12 papers on ML for materials"]},
            {"tag": "ai.nlp", "level": 3},
            {"tag": "intelligence artificielle", "level": 4}
        ],
        "sectors": ["ai"],
        "engagement_modes": ["remote", "consulting"],
        "hours_per_month": 20,
        "preferences": {"need_types": ["joint_research"], "sectors": ["ai"]},
        "consent": {"given": true, "text_version": "2026-01"}
    })
}

/// A valid need.
pub fn need_body() -> Value {
    json!({
        "enterprise": {"name": "Guangzhou Nansha Test Technology Co., Ltd.", "zone": "Nansha",
                       "contact": {"name": "Ms. Wang", "email": "wang@example.cn"}},
        "title": "Machine learning for battery quality inspection",
        "description": "We need an expert to build defect detection models.",
        "need_type": "joint_research",
        "skills": [{"tag": "ai.ml", "weight": 5, "must_have": true}, {"tag": "NLP", "weight": 2}],
        "sectors": ["ai"],
        "engagement_modes": ["remote", "consulting"],
        "languages": ["zh"],
        "urgency": "high",
        "deadline": "2027-06-30",
        "hours_per_month": 16,
        "indicators": [{"name": "defect recall", "target": ">= 99%"}]
    })
}
