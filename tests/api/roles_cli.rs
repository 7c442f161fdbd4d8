//! The real binary's `token` subcommands on a temporary data directory, then `serve` on it: a
//! created operator token works, a revoked one does not, and both changes are in the audit log.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::helpers::{serve_binary, BIN};

fn token(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("token")
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("TALENTBRIDGE_DATA_DIR")
        .output()
        .expect("the binary runs")
}

fn stdout_of(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[tokio::test]
async fn operator_tokens_made_and_revoked_with_the_cli_work_and_stop_working_in_the_service() {
    let dir = tempfile::tempdir().unwrap();
    let alice = stdout_of(&token(dir.path(), &["create", "--name", "alice"]), "create alice")
        .trim()
        .to_string();
    let bob = stdout_of(&token(dir.path(), &["create", "--name", "bob"]), "create bob")
        .trim()
        .to_string();
    assert!(alice.starts_with("tbo.") && bob.starts_with("tbo.") && alice != bob);
    assert!(
        !token(dir.path(), &["create", "--name", "alice"]).status.success(),
        "a live name is taken"
    );
    assert!(
        !token(dir.path(), &["create", "--name", "default"]).status.success(),
        "default is reserved"
    );
    assert!(
        !token(dir.path(), &["create", "--name", "a b"]).status.success(),
        "a bad name is refused"
    );
    assert!(
        !token(dir.path(), &["revoke", "--name", "carol"]).status.success(),
        "carol does not exist"
    );
    stdout_of(&token(dir.path(), &["revoke", "--name", "bob"]), "revoke bob");

    let list = stdout_of(&token(dir.path(), &["list"]), "list");
    let line = |name: &str| {
        list.lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} is not listed: {list}"))
            .to_string()
    };
    assert!(line("alice").trim_end().ends_with('-'), "alice is live: {list}");
    assert!(!line("bob").trim_end().ends_with('-'), "bob is revoked: {list}");
    line("default");
    assert!(
        !list.contains(&alice) && !list.contains(&bob),
        "the list shows no secret"
    );

    let (mut child, address) = serve_binary(dir.path(), &["--no-seed"]);
    let client = reqwest::Client::new();
    let get = |token: String, path: &str| client.get(format!("{address}{path}")).bearer_auth(token).send();
    assert_eq!(get(alice.clone(), "/api/v1/experts").await.unwrap().status(), 200);
    assert_eq!(get(bob.clone(), "/api/v1/experts").await.unwrap().status(), 401);
    let res = get(alice.clone(), "/api/v1/audit?actor=cli").await.unwrap();
    let log: Value = res.json().await.unwrap();
    let changes: Vec<(String, String)> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().into(),
                e["target"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expected = [
        ("token_created", "token:operator:alice"),
        ("token_created", "token:operator:bob"),
        ("token_revoked", "token:operator:bob"),
    ]
    .map(|(a, t)| (a.to_string(), t.to_string()));
    assert_eq!(changes, expected);
    let _ = child.kill();
    let _ = child.wait();
}
