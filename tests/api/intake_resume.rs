//! The real binary: a bulk intake killed with SIGKILL loses no committed batch, and a re-run of the
//! same file completes it without duplicates.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_talentbridge");
const ROWS: usize = 6000;
const BATCH: &str = "50";

fn spreadsheet(path: &std::path::Path) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "姓名,邮箱,国家,城市,时区,单位,职称,语言,技能,领域,合作方式,每月小时").unwrap();
    for i in 0..ROWS {
        writeln!(
            f,
            "Expert {i},expert{i}@example.org,DE,Munich,Europe/Berlin,Institute {},Researcher,en:fluent,ai.ml:4;ai.nlp:3,ai,remote,10",
            i % 10
        )
        .unwrap();
    }
}

fn intake(dir: &std::path::Path, file: &std::path::Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(["intake", "experts"])
        .arg(file)
        .args(["--consent-version", "2026-01", "--batch-size", BATCH, "--data-dir"])
        .arg(dir);
    cmd
}

#[test]
fn an_intake_killed_mid_way_keeps_its_committed_batches_and_a_rerun_completes_it() {
    let files = tempfile::tempdir().unwrap();
    let file = files.path().join("experts.csv");
    spreadsheet(&file);
    let dir = tempfile::tempdir().unwrap();
    let mut child = intake(dir.path(), &file)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut acknowledged = 0usize;
    for line in BufReader::new(child.stderr.take().unwrap())
        .lines()
        .map_while(Result::ok)
    {
        // "batch 3 committed: 150 records written, through row 151"
        if let Some(n) = line
            .split(": ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok())
        {
            acknowledged = n;
            if acknowledged >= 150 {
                child.kill().expect("SIGKILL");
                break;
            }
        }
    }
    child.wait().unwrap();
    assert!(acknowledged >= 150, "the intake never reported a committed batch");
    let stored = talentbridge::store::Store::open(dir.path()).unwrap().expert_count();
    assert!(
        stored >= acknowledged,
        "{stored} stored, but {acknowledged} were acknowledged"
    );
    assert!(stored < ROWS, "the intake finished before it was killed");

    let out = intake(dir.path(), &file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let skipped = report["skipped"].as_u64().unwrap() as usize;
    let created = report["created"].as_u64().unwrap() as usize;
    assert!(
        skipped >= acknowledged,
        "{skipped} skipped, but {acknowledged} were acknowledged before the kill"
    );
    assert_eq!(skipped + created, ROWS, "{report:#}");
    assert_eq!(report["duplicates"], 0, "a committed row came back as a duplicate");
    let store = talentbridge::store::Store::open(dir.path()).unwrap();
    assert_eq!(store.expert_count(), ROWS);
}
