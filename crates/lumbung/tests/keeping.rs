//! Keeping and moving a node: `backup` while writes continue, `restore` into
//! either backend, `migrate-store` SQLite → PostgreSQL → SQLite, all judged by
//! `export --include-unpublished`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::*;
use lumbung_store::testing::TestDatabase;

/// `lumbung ARGS` on exactly the store the arguments name (never the
/// database the suite would pick for a data folder), whatever its outcome.
fn attempt(args: &[&str]) -> std::process::Output {
    lumbung_cmd(args).env_remove("LUMBUNG_DATABASE").stdin(Stdio::null()).output().unwrap()
}

/// Like [`attempt`], for a command that must succeed.
fn cmd(args: &[&str]) -> std::process::Output {
    let out = attempt(args);
    assert!(out.status.success(), "lumbung {args:?}: {}", stderr(&out));
    out
}

/// Everything in a store, as the lossless export writes it.
fn export(store: &[&str]) -> String {
    let mut args = vec!["export", "--format", "jsonl", "--include-unpublished"];
    args.extend_from_slice(store);
    stdout(&cmd(&args))
}

#[test]
fn backup_while_writing_and_restore_into_either_backend() {
    let dir = TempDir::new("backup");
    let source = dir.join("source");
    let s = source.to_str().unwrap();
    cmd(&["demo", "--data", s, "--no-serve", "--generate", "300"]);
    let token = stdout(&cmd(&["token", "create", "--data", s, "--email", "contributor@lumbung.example"]))
        .lines()
        .last()
        .unwrap()
        .to_owned();
    let port = free_port();
    let mut serve = lumbung_cmd(&["serve", "--data", s, "--addr", &format!("127.0.0.1:{port}")]);
    serve.env_remove("LUMBUNG_DATABASE");
    let server = serve_ready(serve, port);

    // Writers keep creating drafts while the backup is taken.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (stop, bearer) = (stop.clone(), format!("Bearer {token}"));
        std::thread::spawn(move || {
            let mut made = 0;
            while !stop.load(Ordering::SeqCst) {
                let body =
                    format!(r#"{{"original_language":"en","title":{{"en":"Written during the backup {made}"}}}}"#);
                let (st, _, _) = http_raw(port, "POST", "/api/v1/cases", &[("Authorization", &bearer)], Some(&body));
                assert_eq!(st, 201);
                made += 1;
            }
            made
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    let file = dir.join("node.backup");
    let f = file.to_str().unwrap();
    let out = cmd(&["backup", "--data", s, "--out", f]);
    assert!(stdout(&out).contains("backed up to"), "{}", stdout(&out));
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::SeqCst);
    let made = writer.join().unwrap();
    assert!(made > 5, "the writers wrote {made} cases only");

    // The backup restores into SQLite and into PostgreSQL alike, consistent.
    let db = TestDatabase::create_postgres().expect("PostgreSQL must run on 127.0.0.1:5432");
    let (into_sqlite, into_pg) = (dir.join("r-sqlite"), dir.join("r-pg"));
    cmd(&["restore", "--data", into_sqlite.to_str().unwrap(), f]);
    cmd(&["restore", "--data", into_pg.to_str().unwrap(), "--database", &db.url, f]);
    let restored = export(&["--data", into_sqlite.to_str().unwrap()]);
    assert_eq!(restored, export(&["--data", into_pg.to_str().unwrap(), "--database", &db.url]));
    cmd(&["check", "--data", into_sqlite.to_str().unwrap()]);
    let pg_check = cmd(&["check", "--data", into_pg.to_str().unwrap(), "--database", &db.url]);
    assert!(stdout(&pg_check).contains("ok: the store is consistent"));
    // The resources' uploaded files (a PDF and a CSV in the demo) travel in the backup.
    assert!(stdout(&out).contains("2 uploaded files"), "{}", stdout(&out));
    for restored_dir in [&into_sqlite, &into_pg] {
        let files = files_under(&restored_dir.join("files"));
        assert_eq!(files, files_under(&source.join("files")), "{}", restored_dir.display());
        assert_eq!(files.len(), 2);
    }
    // The snapshot holds some of the drafts written meanwhile, not all.
    let during = restored.matches("Written during the backup").count();
    assert!(during < made, "the backup is not a snapshot: {during} of {made}");

    // A second restore into a non-empty store is refused unless forced.
    let refused = attempt(&["restore", "--data", into_sqlite.to_str().unwrap(), f]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("not empty"), "{}", stderr(&refused));
    // A file that is not a backup is refused and writes nothing.
    let junk = dir.join("junk");
    std::fs::write(&junk, "{\"format\":\"something else\"}\n[1,2]\n").unwrap();
    let empty = dir.join("empty");
    let bad = attempt(&["restore", "--data", empty.to_str().unwrap(), junk.to_str().unwrap()]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("line 1"), "{}", stderr(&bad));
    assert!(export(&["--data", empty.to_str().unwrap()]).is_empty());
    // A file line whose bytes are not what its name says: refused, nothing kept, no file left.
    let text = std::fs::read_to_string(&file).unwrap();
    let tampered: String = text
        .lines()
        .map(|l| {
            if l.starts_with("{\"base64\"") || l.starts_with("{\"file\"") {
                l.replacen("\"base64\":\"", "\"base64\":\"QUJD", 1)
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(tampered, text.trim_end(), "the backup has file lines");
    let forged = dir.join("forged.backup");
    std::fs::write(&forged, tampered + "\n").unwrap();
    let into = dir.join("forged");
    let bad = attempt(&["restore", "--data", into.to_str().unwrap(), forged.to_str().unwrap()]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("SHA-256") || stderr(&bad).contains("base64"), "{}", stderr(&bad));
    assert!(export(&["--data", into.to_str().unwrap()]).is_empty());
    assert!(files_under(&into.join("files")).is_empty(), "no file of the refused restore is left");

    // With the writers stopped, backup → restore reproduces the source exactly.
    drop(server);
    cmd(&["check", "--data", s]);
    let again = dir.join("again.backup");
    cmd(&["backup", "--data", s, "--out", again.to_str().unwrap()]);
    cmd(&["restore", "--data", into_pg.to_str().unwrap(), "--database", &db.url, "--force", again.to_str().unwrap()]);
    assert_eq!(export(&["--data", s]), export(&["--data", into_pg.to_str().unwrap(), "--database", &db.url]));
}

#[test]
fn migrate_store_sqlite_to_postgres_and_back() {
    let dir = TempDir::new("migrate");
    let first = dir.join("first");
    let csv = participedia_cases();
    cmd(&["import", "--data", first.to_str().unwrap(), "--format", "csv", csv.to_str().unwrap()]);
    let original = export(&["--data", first.to_str().unwrap()]);
    assert!(original.lines().count() >= 2258);

    let db = TestDatabase::create_postgres().expect("PostgreSQL must run on 127.0.0.1:5432");
    let out = cmd(&["migrate-store", "--from", first.to_str().unwrap(), "--to", &db.url]);
    assert!(stdout(&out).contains("cases 2258"), "{}", stdout(&out));
    assert_eq!(original, export(&["--data", dir.join("pg").to_str().unwrap(), "--database", &db.url]));

    // A non-empty target is refused unless forced.
    let again = attempt(&["migrate-store", "--from", first.to_str().unwrap(), "--to", &db.url]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));

    let back = dir.join("back");
    let back_url = format!("sqlite://{}/lumbung.db", back.to_str().unwrap());
    std::fs::create_dir_all(&back).unwrap();
    cmd(&["migrate-store", "--from", &db.url, "--to", &back_url]);
    assert_eq!(original, export(&["--data", back.to_str().unwrap()]));
    let checked = cmd(&["check", "--data", back.to_str().unwrap()]);
    assert!(stdout(&checked).contains("ok: the store is consistent"));
}

/// The files under a folder, by name, with their contents.
fn files_under(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.insert(entry.file_name().to_string_lossy().into_owned(), std::fs::read(&path).unwrap());
        }
    }
    out
}
