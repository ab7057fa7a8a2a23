//! The other subcommands through the real binary: user, token, check,
//! config, and errors that exit non-zero with a one-line reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::*;

#[test]
fn user_add_and_token_create() {
    let dir = TempDir::new("users");
    let data = dir.join("n");
    let d = data.to_str().unwrap();
    let out = run_with_stdin(
        &[
            "user",
            "add",
            "--data",
            d,
            "--email",
            "Sari@Example.org",
            "--name",
            "Sari",
            "--role",
            "curator",
            "--password-stdin",
        ],
        "a-long-enough-password\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("sari@example.org"));

    let dup = run_with_stdin(
        &[
            "user",
            "add",
            "--data",
            d,
            "--email",
            "sari@example.org",
            "--name",
            "Sari",
            "--role",
            "curator",
            "--password-stdin",
        ],
        "a-long-enough-password\n",
    );
    assert!(!dup.status.success());
    assert!(stderr(&dup).contains("already exists"), "{}", stderr(&dup));

    let short = run_with_stdin(
        &[
            "user",
            "add",
            "--data",
            d,
            "--email",
            "x@example.org",
            "--name",
            "X",
            "--role",
            "reader",
            "--password-stdin",
        ],
        "short\n",
    );
    assert!(!short.status.success());
    assert!(stderr(&short).contains("at least 10 characters"));

    let bad_role = run_with_stdin(
        &["user", "add", "--data", d, "--email", "y@example.org", "--name", "Y", "--role", "king", "--password-stdin"],
        "a-long-enough-password\n",
    );
    assert!(!bad_role.status.success());
    assert!(stderr(&bad_role).contains("unknown role 'king'"));

    let token = run(&["token", "create", "--data", d, "--email", "sari@example.org"]);
    assert!(token.status.success(), "{}", stderr(&token));
    let last = stdout(&token).lines().last().unwrap().to_owned();
    assert!(last.starts_with("lmb_") && last.len() > 40, "{last}");
    let account = with_store(&data, async |s| s.account_for_token(&last).await.unwrap());
    assert_eq!(account.map(|a| a.email), Some("sari@example.org".to_owned()));

    let missing = run(&["token", "create", "--data", d, "--email", "nobody@example.org"]);
    assert!(!missing.status.success());
    assert_eq!(stderr(&missing).lines().count(), 1);
}

#[test]
fn check_reports_a_healthy_store_and_a_missing_one() {
    let dir = TempDir::new("check");
    let data = dir.join("n");
    let csv = participedia_cases();
    assert!(
        run(&["import", "--data", data.to_str().unwrap(), "--format", "csv", csv.to_str().unwrap()]).status.success()
    );
    let ok = run(&["check", "--data", data.to_str().unwrap()]);
    assert!(ok.status.success(), "{}", stdout(&ok));
    assert!(stdout(&ok).contains("ok: the store is consistent"));

    let none = run(&["check", "--data", dir.join("nothing").to_str().unwrap()]);
    assert!(!none.status.success());
    assert!(stderr(&none).contains("no Lumbung store"));
}

#[test]
fn reindex_leaves_one_clean_index_and_check_reports_it() {
    let dir = TempDir::new("reindex-layout");
    let data = dir.join("n");
    let d = data.to_str().unwrap();
    let csv = participedia_cases();
    assert!(run(&["import", "--data", d, "--format", "csv", csv.to_str().unwrap()]).status.success());
    // check brings the index up to date (a catch-up) and reports its layout.
    let first = run(&["check", "--data", d]);
    assert!(first.status.success(), "{}", stdout(&first));
    assert!(stdout(&first).contains("search index layout: "), "{}", stdout(&first));
    // Each rebuild replaces every segment: their files must go too.
    for _ in 0..2 {
        let reindex = run(&["reindex", "--data", d]);
        assert!(reindex.status.success(), "{}", stderr(&reindex));
        let out = stdout(&reindex);
        assert!(out.contains("merged into 1 segment(s) (target 1)"), "{out}");
        assert!(out.contains("no unreferenced files"), "{out}");
    }
    let again = run(&["check", "--data", d]);
    assert!(again.status.success(), "{}", stdout(&again));
    let out = stdout(&again);
    assert!(out.contains("search index layout: 1 segment(s) (target 1)"), "{out}");
    assert!(out.contains("no unreferenced files"), "{out}");
    // On disk, independently of tantivy's bookkeeping: the files of one
    // segment (named by its id) and nothing else.
    let mut segments = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(data.join("index")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some((id, _)) = name.split_once('.') {
            if id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()) {
                segments.insert(id.to_owned());
            }
        }
    }
    assert_eq!(segments.len(), 1, "{segments:?}");

    // What a merge cut short by a crash leaves: a file tantivy created (it is
    // in its list of managed files) for a segment that never made it into
    // meta.json. check reports it; --repair removes it.
    let index = data.join("index");
    let stray = "0123456789abcdef0123456789abcdef.store";
    std::fs::write(index.join(stray), b"half a merge").unwrap();
    let managed = std::fs::read_to_string(index.join(".managed.json")).unwrap();
    let mut names: Vec<String> = serde_json::from_str(&managed).unwrap();
    names.push(stray.to_owned());
    std::fs::write(index.join(".managed.json"), serde_json::to_string(&names).unwrap()).unwrap();
    let found = run(&["check", "--data", d]);
    assert!(!found.status.success(), "{}", stdout(&found));
    let out = stdout(&found);
    assert!(out.contains("1 unreferenced file(s)"), "{out}");
    assert!(out.contains(&format!("index file {stray} belongs to no segment")), "{out}");
    let repaired = run(&["check", "--data", d, "--repair"]);
    assert!(repaired.status.success(), "{}", stdout(&repaired));
    assert!(stdout(&repaired).contains("removed 1 unreferenced file(s)"), "{}", stdout(&repaired));
    assert!(!index.join(stray).exists());
    assert!(run(&["check", "--data", d]).status.success());
}

#[test]
fn config_example_is_valid_and_used() {
    let out = run(&["config", "example"]);
    assert!(out.status.success());
    let dir = TempDir::new("config");
    let file = dir.join("lumbung.toml");
    let text = stdout(&out).replace("id = \"local\"", "id = \"id.kemenpan\"");
    std::fs::write(&file, text).unwrap();
    let shown = run(&["config", "show", "--config", file.to_str().unwrap()]);
    assert!(shown.status.success(), "{}", stderr(&shown));
    assert!(stdout(&shown).contains("id = \"id.kemenpan\""));

    std::fs::write(&file, "[server]\nadress = \"typo\"\n").unwrap();
    let bad = run(&["config", "show", "--config", file.to_str().unwrap()]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("unknown field"), "{}", stderr(&bad));
}

/// `[dialogue]` in lumbung.toml reaches the running node: with one post a
/// minute for new accounts the second post is refused (429, Retry-After,
/// nothing written), where the default (three) would have taken it; with one
/// flag to hide, a single flag hides a post.
#[test]
fn configured_dialogue_limits_are_applied() {
    let dir = TempDir::new("dialogue-config");
    let data = dir.join("n");
    let d = data.to_str().unwrap();
    for (email, role) in [("sari@example.org", "curator"), ("budi@example.org", "contributor")] {
        let args = ["user", "add", "--data", d, "--email", email, "--name", "X", "--role", role, "--password-stdin"];
        let out = run_with_stdin(&args, "a-long-enough-password\n");
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let file = dir.join("lumbung.toml");
    std::fs::write(&file, "[dialogue]\nnew_account_posts_per_minute = 1\nposts_per_minute = 1\nflags_to_hide = 1\n")
        .unwrap();
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let token = |email: &str| {
        let out = run(&["token", "create", "--data", d, "--email", email]);
        assert!(out.status.success(), "{}", stderr(&out));
        format!("Bearer {}", stdout(&out).lines().last().unwrap())
    };
    let sari = token("sari@example.org");
    let budi = token("budi@example.org");
    let _node =
        serve_ready(lumbung_cmd(&["serve", "--data", d, "--addr", &addr, "--config", file.to_str().unwrap()]), port);
    let auth = |t: &str| vec![("Authorization", t.to_owned())];
    let call = |t: &str, method: &str, path: &str, body: &str| {
        let h = auth(t);
        let headers: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
        http_raw(port, method, path, &headers, Some(body))
    };
    let (status, _, body) =
        call(&sari, "POST", "/api/v1/rooms", r#"{"slug":"tata-kelola","kind":"members","title":"Tata kelola"}"#);
    assert_eq!(status, 201, "{body}");
    let (status, _, body) = call(
        &budi,
        "POST",
        "/api/v1/threads",
        r#"{"room":"tata-kelola","title":"Pertama","body":"Halo semua","language":"id"}"#,
    );
    assert_eq!(status, 201, "{body}");
    let thread: serde_json::Value = serde_json::from_str(&body).unwrap();
    let thread_id = thread["thread"]["id"].as_str().expect("thread id").to_owned();
    let posts = format!("/api/v1/threads/{thread_id}/posts");
    let (status, head, body) = call(&budi, "POST", &posts, r#"{"body":"Kedua","language":"id"}"#);
    assert_eq!(status, 429, "the configured limit (1 a minute) refuses the second post: {body}");
    assert!(head.to_ascii_lowercase().contains("retry-after:"), "{head}");
    let (_, _, body) = call(&budi, "GET", &format!("/api/v1/threads/{thread_id}"), "");
    assert!(!body.contains("Kedua"), "nothing written: {body}");
    // One flag hides the post (the default needs three).
    let post_id = serde_json::from_str::<serde_json::Value>(&body).unwrap()["posts"][0]["id"]
        .as_str()
        .expect("the first post")
        .to_owned();
    let (status, _, body) = call(&sari, "POST", &format!("/api/v1/posts/{post_id}/flags"), r#"{"reason":"spam"}"#);
    assert_eq!(status, 201, "{body}");
    assert!(body.contains(r#""hidden":true"#), "one flag hides it: {body}");
}

#[test]
fn every_subcommand_has_help() {
    for sub in [
        &["serve"][..],
        &["demo"],
        &["import"],
        &["export"],
        &["user", "add"],
        &["token", "create"],
        &["check"],
        &["config", "example"],
    ] {
        let mut args = sub.to_vec();
        args.push("--help");
        let out = run(&args);
        assert!(out.status.success(), "{sub:?}");
        assert!(stdout(&out).contains("Usage:"), "{sub:?}");
    }
}
