//! Several `lumbung serve` instances on one PostgreSQL database, as behind a
//! load balancer: a publish through one is found through the other's search,
//! a session made on one works on the other, failed sign-ins count across
//! both, and a scheduled harvest runs once — taken over by the survivor when
//! the instance holding it is killed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::*;
use lumbung_store::testing::TestDatabase;
use serde_json::Value;

struct Instance {
    port: u16,
    child: Child,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `lumbung ARGS` on the database the configuration names (never the one the
/// suite would pick for a data folder).
fn node_cmd(args: &[&str]) -> std::process::Command {
    let mut cmd = lumbung_cmd(args);
    cmd.env_remove("LUMBUNG_DATABASE");
    cmd
}

fn start(config: &str, data: &str, port: u16) -> Instance {
    let child = node_cmd(&["serve", "--config", config, "--data", data, "--addr", &format!("127.0.0.1:{port}")])
        .env("LUMBUNG_JOB_LEASE_SECONDS", "3")
        .env("LUMBUNG_JOB_POLL_SECONDS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let instance = Instance { port, child };
    wait_ready(port);
    instance
}

/// A loopback proxy that holds every connection for `delay` before passing
/// it to `target`: a slow peer, so a harvest is still running when its
/// instance is killed.
fn slow_proxy(target: u16, delay: Duration) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming().take(200) {
            let Ok(mut client) = client else { continue };
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                let Ok(mut upstream) = TcpStream::connect(("127.0.0.1", target)) else { return };
                let (mut c2, mut u2) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
                let up = std::thread::spawn(move || {
                    let _ = std::io::copy(&mut c2, &mut u2);
                    let _ = u2.shutdown(std::net::Shutdown::Write);
                });
                // Stream the answer as it comes: the harvester keeps its
                // connection alive, so waiting for the end would never end.
                let _ = std::io::copy(&mut upstream, &mut client);
                let _ = client.shutdown(std::net::Shutdown::Both);
                let _ = up.join();
            });
        }
    });
    port
}

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or(Value::Null)
}

#[test]
fn two_instances_share_one_postgres_database() {
    let dir = TempDir::new("instances");
    let db =
        TestDatabase::create_postgres().expect("PostgreSQL must run on 127.0.0.1:5432 (scripts/test.sh starts it)");

    // The peer both instances are configured to harvest: a node of its own
    // (SQLite), behind a proxy that answers slowly.
    let peer_data = dir.join("peer");
    let peer = peer_data.to_str().unwrap();
    assert!(
        lumbung_cmd(&["demo", "--data", peer, "--no-serve"])
            .env("LUMBUNG_NODE_ID", "peer.node")
            .status()
            .unwrap()
            .success()
    );
    let peer_port = free_port();
    let _peer = {
        let child = lumbung_cmd(&["serve", "--data", peer, "--addr", &format!("127.0.0.1:{peer_port}")])
            .env("LUMBUNG_NODE_ID", "peer.node")
            .env("LUMBUNG_BASE_URL", format!("http://127.0.0.1:{peer_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let p = Instance { port: peer_port, child };
        wait_ready(peer_port);
        p
    };
    let slow = slow_proxy(peer_port, Duration::from_secs(10));

    // One node, two instances, one database.
    let config = dir.join("node.toml");
    std::fs::write(
        &config,
        format!(
            "[node]\nid = \"shared.node\"\n\n[store]\ndatabase = \"{}\"\nfiles = \"{}\"\n\n[[peers]]\nid = \"peer.node\"\nurl = \"http://127.0.0.1:{slow}/oai\"\nevery_minutes = 60\n",
            db.url,
            dir.join("shared-files").display()
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap().to_owned();
    let (data_a, data_b) = (dir.join("a"), dir.join("b"));
    let filled =
        node_cmd(&["demo", "--config", &config, "--data", data_a.to_str().unwrap(), "--no-serve"]).output().unwrap();
    assert!(filled.status.success(), "{}", String::from_utf8_lossy(&filled.stderr));
    let token_of = |email: &str| {
        let out = node_cmd(&["token", "create", "--config", &config, "--email", email]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).lines().last().unwrap().to_owned()
    };
    let token = token_of("curator@lumbung.example");
    let admin = format!("Bearer {}", token_of("admin@lumbung.example"));
    let mut a = Some(start(&config, data_a.to_str().unwrap(), free_port()));
    let mut b = Some(start(&config, data_b.to_str().unwrap(), free_port()));
    let (pa, pb) = (a.as_ref().unwrap().port, b.as_ref().unwrap().port);
    let bearer = format!("Bearer {token}");
    let auth = [("Authorization", bearer.as_str())];

    // Publish through A a case waiting for review; B's search finds it within 2 s.
    let (_, _, list) = http_raw(pa, "GET", "/api/v1/cases?status=submitted&limit=1", &auth, None);
    let case = json(&list)["items"][0].clone();
    let id = case["id"].as_str().expect("a submitted demo case").to_owned();
    let title = case["title"].as_object().and_then(|t| t.values().next()).and_then(Value::as_str).unwrap().to_owned();
    let query: String = title.split_whitespace().take(4).collect::<Vec<_>>().join("+");
    let (st, _, before) = http_raw(pb, "GET", &format!("/api/v1/search?q={query}&limit=50"), &[], None);
    assert_eq!(st, 200);
    assert!(!before.contains(&id), "an unpublished case is in B's search");
    let (st, _, _) = http_raw(pa, "POST", &format!("/api/v1/cases/{id}/publish"), &auth, Some("{}"));
    assert_eq!(st, 200);
    let published = Instant::now();
    let mut found = false;
    while published.elapsed() < Duration::from_secs(2) {
        let (_, _, hits) = http_raw(pb, "GET", &format!("/api/v1/search?q={query}&limit=50"), &[], None);
        if hits.contains(&id) {
            found = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(found, "a case published through A is not found through B's search within 2 s");

    // A session made on A works on B; signing out on B ends it on A.
    let login = r#"{"email":"contributor@lumbung.example","password":"lumbung-demo"}"#;
    let (st, head, _) = http_raw(pa, "POST", "/api/v1/auth/login", &[], Some(login));
    assert_eq!(st, 200);
    let cookie = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().split(';').next().unwrap().to_owned())
        .expect("a session cookie");
    let (st, _, me) = http_raw(pb, "GET", "/api/v1/me", &[("Cookie", &cookie)], None);
    assert_eq!(st, 200, "the session made on A is not known to B");
    assert_eq!(json(&me)["email"], "contributor@lumbung.example");

    // Uploaded files live in the folder the instances share: the demo's
    // toolkit, uploaded while A's data folder was made, downloads through B.
    let (st, _, list) = http_raw(pb, "GET", "/api/v1/resources?type=toolkit", &[], None);
    assert_eq!(st, 200, "{list}");
    let url = json(&list)["items"][0]["download_url"].as_str().expect("the demo's uploaded toolkit").to_owned();
    let (st, head, _) = http_raw(pb, "GET", &url, &[], None);
    assert_eq!(st, 200, "a file uploaded through one instance downloads through the other");
    assert!(head.to_ascii_lowercase().contains("content-type: application/pdf"), "{head}");
    assert!(!data_a.join("files").exists() && !data_b.join("files").exists(), "no instance keeps files of its own");

    // Failed sign-ins count across instances: alternating cannot get past the limit.
    let bad = r#"{"email":"reader@lumbung.example","password":"wrong-password"}"#;
    let mut statuses = Vec::new();
    for i in 0..7 {
        let port = if i % 2 == 0 { pa } else { pb };
        statuses.push(http_raw(port, "POST", "/api/v1/auth/login", &[], Some(bad)).0);
    }
    assert_eq!(&statuses[..5], &[401; 5]);
    assert_eq!(&statuses[5..], &[429, 429], "round-robin got past the sign-in limiter: {statuses:?}");

    // The scheduled harvest runs on one instance; kill -9 it mid-harvest and
    // the other finishes it, once.
    let jobs = |f: &dyn Fn(&lumbung_store::JobState) -> bool| {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let store = lumbung_store::Store::connect(dir.path(), Some(&db.url)).await.unwrap();
            let jobs = store.jobs().await.unwrap();
            store.close().await;
            jobs.iter().find(|j| j.name == "harvest:peer.node").is_some_and(f)
        })
    };
    let holder_pid = {
        let start = Instant::now();
        let mut pid = None;
        while start.elapsed() < Duration::from_secs(20) && pid.is_none() {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            pid = rt.block_on(async {
                let store = lumbung_store::Store::connect(dir.path(), Some(&db.url)).await.unwrap();
                let jobs = store.jobs().await.unwrap();
                store.close().await;
                jobs.into_iter()
                    .find(|j| j.name == "harvest:peer.node")
                    .and_then(|j| j.holder)
                    .and_then(|h| h.split(':').nth(1).and_then(|p| p.parse::<u32>().ok()))
            });
            std::thread::sleep(Duration::from_millis(100));
        }
        pid.expect("an instance claims the harvest job")
    };
    let (victim, survivor) = if a.as_ref().unwrap().child.id() == holder_pid {
        (a.take().unwrap(), b.take().unwrap())
    } else {
        assert_eq!(b.as_ref().unwrap().child.id(), holder_pid, "the job's holder is one of the two instances");
        (b.take().unwrap(), a.take().unwrap())
    };
    assert!(jobs(&|j| j.runs == 0), "the harvest finished before the kill; the proxy is not slow enough");
    let mut victim = victim;
    victim.child.kill().unwrap(); // SIGKILL
    let _ = victim.child.wait();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(90) && !jobs(&|j| j.runs >= 1) {
        std::thread::sleep(Duration::from_millis(250));
    }
    assert!(
        jobs(&|j| j.runs == 1 && j.attempts == 2 && j.holder.is_none() && j.last_error.is_none()),
        "the survivor did not complete the harvest exactly once: {:?}",
        {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let store = lumbung_store::Store::connect(dir.path(), Some(&db.url)).await.unwrap();
                store.jobs().await.unwrap()
            })
        }
    );
    let (_, _, sources) = http_raw(survivor.port, "GET", "/api/v1/harvest-sources", &[("Authorization", &admin)], None);
    let sources = json(&sources);
    let source =
        sources.as_array().and_then(|s| s.iter().find(|s| s["source"] == "peer.node")).cloned().unwrap_or(Value::Null);
    assert!(source["last_success_at"].is_string(), "{sources}");
    let copies = source["created"].as_i64().unwrap_or(0);
    assert!(copies > 0, "{sources}");
    // Each harvested record is stored once.
    let (_, _, listed) = http_raw(survivor.port, "GET", "/api/v1/cases?limit=1", &auth, None);
    assert!(json(&listed)["total"].as_i64().unwrap() >= copies);
    drop(survivor);
    let check = node_cmd(&["check", "--config", &config, "--data", data_b.to_str().unwrap()]).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
}

/// 50 writers across two instances edit the same few cases with version
/// checks: no update is lost (a stale version gets 409), the change log stays
/// gap-free, and a follower reading it meanwhile sees every entry once.
#[test]
fn fifty_writers_across_two_instances_lose_nothing() {
    let dir = TempDir::new("writers");
    let db =
        TestDatabase::create_postgres().expect("PostgreSQL must run on 127.0.0.1:5432 (scripts/test.sh starts it)");
    let config = dir.join("node.toml");
    std::fs::write(&config, format!("[node]\nid = \"writers.node\"\n\n[store]\ndatabase = \"{}\"\n", db.url)).unwrap();
    let config = config.to_str().unwrap().to_owned();
    let (data_a, data_b) = (dir.join("a"), dir.join("b"));
    let added = node_cmd(&[
        "user",
        "add",
        "--config",
        &config,
        "--email",
        "writer@example.go.id",
        "--name",
        "Writer",
        "--role",
        "contributor",
        "--password-stdin",
    ])
    .stdin(Stdio::piped())
    .spawn()
    .and_then(|mut c| {
        use std::io::Write;
        c.stdin.take().unwrap().write_all(b"a-long-enough-password\n")?;
        c.wait()
    })
    .unwrap();
    assert!(added.success());
    let out = node_cmd(&["token", "create", "--config", &config, "--email", "writer@example.go.id"]).output().unwrap();
    let bearer = format!("Bearer {}", String::from_utf8_lossy(&out.stdout).lines().last().unwrap());
    let a = start(&config, data_a.to_str().unwrap(), free_port());
    let b = start(&config, data_b.to_str().unwrap(), free_port());
    let ports = [a.port, b.port];

    let mut ids = Vec::new();
    for i in 0..4 {
        let body = format!(r#"{{"original_language":"id","title":{{"id":"Kasus bersama {i}"}}}}"#);
        let (st, _, made) = http_raw(a.port, "POST", "/api/v1/cases", &[("Authorization", &bearer)], Some(&body));
        assert_eq!(st, 201, "{made}");
        ids.push(json(&made)["id"].as_str().unwrap().to_owned());
    }

    // A follower of the change log, reading while the writers write.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let follower = {
        let (url, dir, stop) = (db.url.clone(), dir.path().to_path_buf(), stop.clone());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let store = lumbung_store::Store::connect(&dir, Some(&url)).await.unwrap();
                let (mut position, mut seen) = (0_i64, Vec::new());
                loop {
                    let done = stop.load(std::sync::atomic::Ordering::SeqCst);
                    let batch = store.changes_since(position, 1000).await.unwrap();
                    for c in &batch {
                        assert_eq!(c.seq, position + 1, "the follower skipped or repeated an entry");
                        position = c.seq;
                        seen.push((c.entity_id.clone(), c.version));
                    }
                    if done && batch.is_empty() {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                (position, seen)
            })
        })
    };

    let writers: Vec<_> = (0..50)
        .map(|w| {
            let (ids, bearer, port) = (ids.clone(), bearer.clone(), ports[w % 2]);
            std::thread::spawn(move || {
                let mut outcome = Vec::new();
                for round in 0..4 {
                    let id = &ids[(w + round) % ids.len()];
                    let auth = [("Authorization", bearer.as_str())];
                    let (_, _, got) = http_raw(port, "GET", &format!("/api/v1/cases/{id}"), &auth, None);
                    let mut case = json(&got);
                    let version = case["version"].as_i64().unwrap();
                    case["title"] = serde_json::json!({"id": format!("Kasus bersama, penulis {w} putaran {round}")});
                    let body = serde_json::json!({"original_language": "id", "title": case["title"], "summary": {"id": format!("Ringkasan {w}/{round}")}});
                    let if_match = format!("\"{version}\"");
                    let (st, _, _) = http_raw(
                        port,
                        "PUT",
                        &format!("/api/v1/cases/{id}"),
                        &[("Authorization", bearer.as_str()), ("If-Match", &if_match)],
                        Some(&body.to_string()),
                    );
                    assert!(st == 200 || st == 409, "a write answered {st}");
                    outcome.push((id.clone(), st));
                }
                outcome
            })
        })
        .collect();
    let outcomes: Vec<(String, u16)> = writers.into_iter().flat_map(|w| w.join().unwrap()).collect();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let (last_seen, seen) = follower.join().unwrap();

    let saved = outcomes.iter().filter(|(_, st)| *st == 200).count();
    let refused = outcomes.iter().filter(|(_, st)| *st == 409).count();
    assert_eq!(saved + refused, 200);
    assert!(saved >= 4 && refused > 0, "{saved} saved, {refused} refused: the writers did not overlap");
    for id in &ids {
        let (_, _, got) = http_raw(a.port, "GET", &format!("/api/v1/cases/{id}"), &[("Authorization", &bearer)], None);
        let ok_here = outcomes.iter().filter(|(i, st)| i == id && *st == 200).count() as i64;
        assert_eq!(json(&got)["version"].as_i64().unwrap(), 1 + ok_here, "an update to {id} was lost");
        // Every version of the case is in the log once.
        let versions: Vec<i64> = seen.iter().filter(|(e, _)| e == id).map(|(_, v)| *v).collect();
        assert_eq!(versions, (1..=1 + ok_here).collect::<Vec<_>>());
    }
    drop((a, b));
    let check = node_cmd(&["check", "--config", &config, "--data", data_a.to_str().unwrap()]).output().unwrap();
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{report}");
    assert!(report.contains(&format!("{last_seen} change-log entries")), "{report}");
}
