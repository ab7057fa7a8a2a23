//! A large import killed with SIGKILL part-way: after a restart every record
//! the import reported as committed is there, nothing is half-written, the
//! change log is continuous, and importing again completes the rest.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use common::*;

#[test]
fn sigkill_during_import_loses_nothing_reported_committed() {
    let dir = TempDir::new("crash");
    let source = dir.join("source");
    let target = dir.join("target");
    let file = dir.join("cases.jsonl");
    let made = run(&["demo", "--data", source.to_str().unwrap(), "--no-serve", "--generate", "12000"]);
    assert!(made.status.success(), "{}", stderr(&made));
    let exported =
        run(&["export", "--data", source.to_str().unwrap(), "--format", "jsonl", "--out", file.to_str().unwrap()]);
    assert!(exported.status.success());
    let text = std::fs::read_to_string(&file).unwrap();
    let total_cases = text.lines().filter(|l| l.contains("\"kind\":\"case\"")).count();
    let organisations = text.lines().filter(|l| l.contains("\"kind\":\"organisation\"")).count() as i64;

    let mut child = lumbung_cmd(&[
        "import",
        "--data",
        target.to_str().unwrap(),
        "--format",
        "jsonl",
        "--batch",
        "500",
        file.to_str().unwrap(),
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut reported = 0usize;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("committed ") {
            reported = rest.split('/').next().unwrap().parse().unwrap();
            if reported >= 1500 {
                // SIGKILL: no destructors, no flush, no chance to tidy up.
                child.kill().unwrap();
                break;
            }
        }
    }
    let _ = child.wait();
    assert!(reported >= 1500, "the import finished before it could be killed");

    let report = check(&target);
    assert!(report.is_ok(), "{:?}", report.problems);
    assert!(report.cases as usize >= reported, "{} stored < {reported} reported", report.cases);
    assert!((report.cases as usize) < total_cases, "the kill came too late to test anything");
    assert_eq!(report.cases % 500, 0, "a batch was half-written: {} cases", report.cases);
    assert_eq!(report.revisions, report.cases);
    assert_eq!(report.changes, report.cases + organisations);

    // Importing the same file again completes it: stored records are skipped.
    let again = run(&["import", "--data", target.to_str().unwrap(), "--format", "jsonl", file.to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));
    let report = check(&target);
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.cases as usize, total_cases);
}
