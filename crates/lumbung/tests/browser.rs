//! Browser tests of the web interface (issue #3): a real demo node driven by
//! headless Chromium through Playwright, from `tests/browser/run.mjs` — the
//! whole workflow (write a case in steps, leave and resume, submit, return
//! with a comment, fix, resubmit, publish, find it with facets), the language
//! switch, keyboard only, no JavaScript, hostile text, and on every page type
//! axe (WCAG 2.1 AA, no serious or critical violation), page weight and no
//! request to another host.
//!
//! Needs `node` and `/usr/bin/chromium` (or `CHROMIUM=/path`); `.ci/run`
//! installs both. Runs `npm ci` in `tests/browser` when its `node_modules`
//! is missing. Screenshots of failures go to `tests/browser/artifacts/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const INSTALL_HINT: &str = "`.ci/run` installs it (apt-get install chromium nodejs npm; npm ci in tests/browser)";

/// The demo node, killed when the test ends, passes or fails.
struct Node {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Node {
    fn start(data: &Path, log: PathBuf) -> Node {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let out = std::fs::File::create(&log).unwrap();
        let child = lumbung_cmd(&["demo", "--data", data.to_str().unwrap(), "--addr", &format!("127.0.0.1:{port}")])
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap();
        let mut node = Node { child, port, log };
        let started = Instant::now();
        loop {
            if let Some(status) = node.child.try_wait().unwrap() {
                panic!("the demo node exited ({status}) before it was ready:\n{}", node.log());
            }
            if ready(port) {
                return node;
            }
            assert!(started.elapsed() < Duration::from_secs(120), "not ready after 120 s:\n{}", node.log());
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// Whether `GET /readyz` answers 200.
fn ready(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
    if write!(s, "GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").is_err() {
        return false;
    }
    let mut head = [0u8; 16];
    s.read(&mut head).is_ok_and(|n| head[..n].starts_with(b"HTTP/1.1 200"))
}

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser")
}

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Runs a command to the end (at most `limit`): its output, or why it failed with its output.
fn run_checked(mut cmd: Command, what: &str, limit: Duration) -> Result<String, String> {
    let dir = TempDir::new("browser-out");
    let out_path = dir.join("out.txt");
    let out = std::fs::File::create(&out_path).unwrap();
    let mut child = match cmd.stdin(Stdio::null()).stdout(out.try_clone().unwrap()).stderr(out).spawn() {
        Ok(c) => c,
        Err(e) => return Err(format!("cannot run {what}: {e}; {INSTALL_HINT}")),
    };
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let output = std::fs::read_to_string(&out_path).unwrap_or_default();
    match status {
        Some(s) if s.success() => Ok(output),
        Some(s) => Err(format!("{what} failed ({s}):\n{output}")),
        None => Err(format!("{what} took more than {} s and was stopped:\n{output}", limit.as_secs())),
    }
}

#[test]
fn the_web_interface_in_a_real_browser() {
    // The tools: a missing one is a failure, not a skip.
    match Command::new("node").arg("--version").output() {
        Ok(o) if o.status.success() => {}
        _ => panic!("`node` is missing; {INSTALL_HINT}"),
    }
    let chromium = chromium();
    assert!(chromium.exists(), "{} is missing; {INSTALL_HINT}", chromium.display());
    let dir = browser_dir();
    if !dir.join("node_modules/playwright-core").exists() || !dir.join("node_modules/@axe-core/playwright").exists() {
        let mut npm = Command::new("npm");
        npm.args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir);
        if let Err(e) = run_checked(npm, "npm ci in tests/browser", Duration::from_secs(300)) {
            panic!("{e}\n{INSTALL_HINT}");
        }
    }

    let tmp = TempDir::new("browser");
    let node = Node::start(&tmp.join("data"), tmp.join("node.log"));
    let url = format!("http://127.0.0.1:{}", node.port);

    let mut cmd = Command::new("node");
    cmd.arg("run.mjs").current_dir(&dir).env("LUMBUNG_URL", &url).env("CHROMIUM", &chromium);
    match run_checked(cmd, "the browser tests (node run.mjs)", Duration::from_secs(600)) {
        Ok(output) => println!("{output}"),
        Err(e) => {
            let log = node.log();
            let lines: Vec<&str> = log.lines().collect();
            let tail = lines[lines.len().saturating_sub(40)..].join("\n");
            panic!("{e}\n--- the node's log (last lines) ---\n{tail}");
        }
    }
}
