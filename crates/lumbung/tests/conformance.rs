//! Third-party conformance: a real node (154 published demo cases, one of
//! them archived into a deleted record, OAI-PMH pages of 25) checked by the
//! Python scripts in `tests/conformance/`: XML Schema validation of every
//! OAI-PMH response type and error (xmlschema), a full harvest with Sickle,
//! and the Atom feeds, sitemap and robots.txt with feedparser.
//!
//! Needs `python3` with `tests/conformance/requirements.txt` installed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};

const NODE_ID: &str = "id.test";
const PAGE_SIZE: &str = "25";

/// The server process, killed when the test ends, passes or fails.
struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(data: &str, log: PathBuf) -> Server {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let out = std::fs::File::create(&log).unwrap();
        let child = lumbung_cmd(&["serve", "--data", data, "--addr", &format!("127.0.0.1:{port}")])
            .env("RUST_LOG", "warn")
            .env("LUMBUNG_OAI_PAGE_SIZE", PAGE_SIZE)
            .env("LUMBUNG_NODE_ID", NODE_ID)
            .env("LUMBUNG_BASE_URL", format!("http://127.0.0.1:{port}"))
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap();
        let mut server = Server { child, port, log };
        server.wait_ready();
        server
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_ready(&mut self) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("the server exited ({status}) before it was ready:\n{}", self.log());
            }
            if let Ok((200, _)) = try_http(self.port, "GET", "/readyz", None) {
                return;
            }
            assert!(started.elapsed() < Duration::from_secs(120), "not ready after 120 s:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn get_json(&self, path: &str, token: Option<&str>) -> Value {
        let (status, body) = try_http(self.port, "GET", path, token).unwrap();
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    /// Ids of every case a list query gives, following `next`.
    fn case_ids(&self, query: &str, token: Option<&str>) -> Vec<String> {
        let mut ids = Vec::new();
        let mut cursor = String::new();
        loop {
            let page = self.get_json(&format!("/api/v1/cases?limit=100{query}&cursor={cursor}"), token);
            ids.extend(page["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()));
            match page["next"].as_str() {
                Some(next) => cursor = next.to_owned(),
                None => return ids,
            }
        }
    }
}

/// One HTTP/1.1 request on a fresh connection; (status, body).
fn try_http(port: u16, method: &str, path: &str, token: Option<&str>) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{auth}Content-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").map_or(raw.len(), |i| i + 4);
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let chunked = head.lines().any(|l| l.starts_with("transfer-encoding:") && l.contains("chunked"));
    let body = if chunked { dechunk(&raw[split..]) } else { raw[split..].to_vec() };
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// Decodes a chunked body.
fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&rest[..eol]);
        let n = usize::from_str_radix(size.split(';').next().unwrap().trim(), 16).unwrap();
        if n == 0 {
            break;
        }
        let data = &rest[eol + 2..];
        out.extend_from_slice(&data[..n]);
        rest = data[n..].strip_prefix(b"\r\n").unwrap_or(&data[n..]);
    }
    out
}

fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance")
}

fn python_clients_installed() {
    let probe = Command::new("python3").args(["-c", "import xmlschema, sickle, feedparser"]).output();
    match probe {
        Ok(o) if o.status.success() => {}
        Ok(o) => panic!(
            "the conformance clients are missing: python3 -m pip install -r tests/conformance/requirements.txt\n{}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => panic!("python3 cannot be run: {e}"),
    }
}

#[test]
fn third_party_clients_accept_oai_pmh_atom_and_sitemap() {
    python_clients_installed();
    let dir = TempDir::new("conformance");
    let data = dir.join("node");
    let d = data.to_str().unwrap();
    let made = run(&["demo", "--data", d, "--no-serve", "--generate", "120"]);
    assert!(made.status.success(), "{}", stderr(&made));

    let server = Server::start(d, dir.join("server.log"));
    let base = server.base();

    // A curator token, made while the server runs.
    let made = run(&["token", "create", "--data", d, "--email", "curator@lumbung.example"]);
    assert!(made.status.success(), "{}", stderr(&made));
    let token = stdout(&made).lines().rev().find(|l| !l.trim().is_empty()).unwrap().trim().to_owned();

    // Archive one published case: it becomes a deleted record.
    let before = server.case_ids("", None);
    assert!(before.len() > 150, "{} published cases", before.len());
    let gone = before[before.len() / 2].clone();
    let (status, body) = try_http(server.port, "POST", &format!("/api/v1/cases/{gone}/archive"), Some(&token)).unwrap();
    assert_eq!(status, 200, "archive: {body}");
    let (status, _) = try_http(server.port, "GET", &format!("/api/v1/cases/{gone}"), None).unwrap();
    assert_eq!(status, 404, "an archived case is still public");

    // What a harvester must find: the published cases, and the archived ones
    // (every archived case was published once) as deleted records.
    let published = server.case_ids("", None);
    let archived = server.case_ids("&status=archived", Some(&token));
    assert_eq!(published.len(), before.len() - 1);
    assert!(archived.contains(&gone));
    let oai_id = |id: &String| format!("oai:{NODE_ID}:case/{id}");
    let expected = json!({
        "published": published.iter().map(oai_id).collect::<Vec<_>>(),
        "deleted": archived.iter().map(oai_id).collect::<Vec<_>>(),
    });
    let expected_file = dir.join("expected-ids.json");
    std::fs::write(&expected_file, serde_json::to_string_pretty(&expected).unwrap()).unwrap();

    let runs: [(&str, Vec<String>); 3] = [
        ("oai_validate.py", vec![base.clone()]),
        ("harvest_sickle.py", vec![base.clone(), expected_file.to_str().unwrap().to_owned()]),
        ("check_feeds.py", vec![base.clone()]),
    ];
    let mut failures = Vec::new();
    for (script, args) in runs {
        let out = Command::new("python3")
            .arg(scripts().join(script))
            .args(&args)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("LUMBUNG_CONFORMANCE_TOKEN", &token)
            .env("LUMBUNG_BASE_URL", &base)
            .env("LUMBUNG_NODE_ID", NODE_ID)
            .env("LUMBUNG_OAI_PAGE_SIZE", PAGE_SIZE)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let report = format!("== {script} ({})\n{}{}", out.status, stdout(&out), stderr(&out));
        println!("{report}");
        if !out.status.success() {
            failures.push(report);
        }
    }
    assert!(
        failures.is_empty(),
        "{} conformance script(s) failed:\n{}\n== server log\n{}",
        failures.len(),
        failures.join("\n"),
        server.log()
    );
}
