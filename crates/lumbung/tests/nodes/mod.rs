//! Real nodes on loopback for the federation tests (`three_levels`,
//! `diffusion_federation`, `events_federation`): each with its configuration,
//! a curator account and token, killed when dropped.
#![allow(dead_code)]

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::*;

pub struct Node {
    pub id: &'static str,
    pub data: String,
    pub port: u16,
    pub config: String,
    pub token: String,
    pub child: Child,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn http(port: u16, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
    let auth = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = auth.as_deref().map(|a| ("Authorization", a)).into_iter().collect();
    let (status, _, payload) = http_raw(port, method, path, &headers, body.map(|b| b.to_string()).as_deref());
    (status, serde_json::from_str(&payload).unwrap_or(Value::Null))
}

pub fn lumbung(args: &[&str], config: &str, stdin: Option<&str>) -> String {
    let mut all = args.to_vec();
    all.extend(["--config", config]);
    let out = match stdin {
        Some(input) => run_with_stdin(&all, input),
        None => run(&all),
    };
    assert!(out.status.success(), "lumbung {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Starts a node with a curator account and token; `peers` are (id, port, set).
pub fn node(
    dir: &TempDir,
    id: &'static str,
    upstream: Option<&str>,
    peers: &[(&str, u16, Option<&str>)],
    demo: bool,
    port: u16,
) -> Node {
    let data = dir.join(id).to_str().unwrap().to_owned();
    let config = dir.join(&format!("{id}.toml")).to_str().unwrap().to_owned();
    let mut toml = format!(
        "[node]\nid = \"{id}\"\nname = \"{id}\"\nbase_url = \"http://127.0.0.1:{port}\"\nupstreams = [{}]\n\n[server]\ndata = \"{data}\"\naddr = \"127.0.0.1:{port}\"\n\n[oai]\npage_size = 5\n",
        upstream.map(|u| format!("\"{u}\"")).unwrap_or_default()
    );
    if let Some(url) = database_for(std::path::Path::new(&data)) {
        toml.push_str(&format!("\n[store]\ndatabase = \"{url}\"\n"));
    }
    for (peer, peer_port, set) in peers {
        toml.push_str(&format!(
            "\n[[peers]]\nid = \"{peer}\"\nurl = \"http://127.0.0.1:{peer_port}/oai\"\nscheduled = false\n{}",
            set.map(|s| format!("set = \"{s}\"\n")).unwrap_or_default()
        ));
    }
    std::fs::write(&config, toml).unwrap();
    if demo {
        lumbung(&["demo", "--no-serve"], &config, None);
    } else {
        lumbung(
            &[
                "user",
                "add",
                "--email",
                "curator@lumbung.example",
                "--name",
                "Curator",
                "--role",
                "curator",
                "--password-stdin",
            ],
            &config,
            Some("a-long-enough-password\n"),
        );
    }
    let token = lumbung(&["token", "create", "--email", "curator@lumbung.example"], &config, None)
        .lines()
        .last()
        .unwrap()
        .to_owned();
    let child =
        lumbung_cmd(&["serve", "--config", &config]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let node = Node { id, data, port, config, token, child };
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
            && http(port, "GET", "/readyz", None, None).0 == 200
        {
            return node;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("node {id} did not start");
}

impl Node {
    pub fn harvest(&self, peer: &str, set: Option<&str>) -> String {
        let mut args = vec!["harvest", "--peer", peer];
        if let Some(s) = set {
            args.extend(["--set", s]);
        }
        lumbung(&args, &self.config, None)
    }

    pub fn api(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let (status, value) = http(self.port, method, path, Some(&self.token), body);
        assert!((200..300).contains(&status), "{} {method} {path}: {status} {value}", self.id);
        value
    }

    /// A published case here, created and published by the node's curator.
    pub fn published(&self, title: &str, country: &str, year: i32) -> String {
        let created = self.api(
            "POST",
            "/api/v1/cases",
            Some(serde_json::json!({"original_language": "en", "title": {"en": title}, "country": country, "year_launched": year})),
        );
        let id = created["id"].as_str().unwrap().to_owned();
        self.api("POST", &format!("/api/v1/cases/{id}/submit"), None);
        self.api("POST", &format!("/api/v1/cases/{id}/publish"), None);
        id
    }

    /// A page of the node as HTML, asserting it answers 200.
    pub fn page(&self, path: &str) -> String {
        let (status, _, body) = http_raw(self.port, "GET", path, &[("Accept", "text/html")], None);
        assert_eq!(status, 200, "{path}: {body}");
        body
    }
}
