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
            "[node]\nid = \"shared.node\"\n\n[store]\ndatabase = \"{}\"\n\n[[peers]]\nid = \"peer.node\"\nurl = \"http://127.0.0.1:{slow}/oai\"\nevery_minutes = 60\n",
            db.url
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
