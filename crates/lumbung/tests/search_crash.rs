//! SIGKILL while the server builds its search index: after a restart the
//! index matches the store exactly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use common::*;

#[test]
fn sigkill_during_indexing_leaves_a_consistent_index() {
    let dir = TempDir::new("search-crash");
    let data = dir.join("n");
    let d = data.to_str().unwrap();
    let made = run(&["demo", "--data", d, "--no-serve", "--generate", "15000"]);
    assert!(made.status.success(), "{}", stderr(&made));

    // The first start builds the index from scratch; kill it part-way,
    // after thousands of documents were added but before the commit.
    let mut child = lumbung_cmd(&["serve", "--data", d, "--addr", "127.0.0.1:0"])
        .env("RUST_LOG", "lumbung_search=debug,lumbung=info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let log = BufReader::new(child.stderr.take().unwrap());
    let mut killed_at = None;
    for line in log.lines() {
        let line = line.unwrap();
        if line.contains("search rebuild progress") && line.contains("read=6000") {
            child.kill().unwrap();
            killed_at = Some(line);
            break;
        }
        if line.contains("listening") {
            child.kill().unwrap();
            break;
        }
    }
    let _ = child.wait();
    assert!(killed_at.is_some(), "the server never reported indexing progress");

    // Restarting brings the index up to date; check compares it to the store.
    let check = run(&["check", "--data", d]);
    assert!(check.status.success(), "{}\n{}", stdout(&check), stderr(&check));
    let text = stdout(&check);
    assert!(text.contains("in step with the store"), "{text}");
    // The killed rebuild's files were removed when the index caught up.
    assert!(text.contains("no unreferenced files"), "{text}");
    let published = text
        .lines()
        .find(|l| l.starts_with("search index:"))
        .and_then(|l| l.split_whitespace().nth(2))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap();
    assert!(published >= 15_000, "{text}");
}
