//! Helpers for driving the real `lumbung` binary.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The built binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_lumbung"))
}

/// A fresh temporary folder, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("lumbung-test-{name}-{}-{}", std::process::id(), ulid::Ulid::new()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, p: &str) -> PathBuf {
        self.0.join(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // Drop the PostgreSQL databases of the nodes in this folder.
        let mut dbs = databases().lock().unwrap_or_else(|p| p.into_inner());
        dbs.retain(|path, _| !path.starts_with(&self.0));
        drop(dbs);
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// PostgreSQL runs: each node's data folder → its own database.
fn databases() -> &'static std::sync::Mutex<std::collections::HashMap<PathBuf, lumbung_store::testing::TestDatabase>> {
    static DBS: std::sync::OnceLock<
        std::sync::Mutex<std::collections::HashMap<PathBuf, lumbung_store::testing::TestDatabase>>,
    > = std::sync::OnceLock::new();
    DBS.get_or_init(Default::default)
}

/// The database URL of the node in `data` when the tests run on PostgreSQL
/// (`LUMBUNG_TEST_BACKEND=postgres`), made on first use; None on SQLite.
pub fn database_for(data: &Path) -> Option<String> {
    lumbung_store::testing::postgres_admin_url()?;
    let mut dbs = databases().lock().unwrap_or_else(|p| p.into_inner());
    if let Some(db) = dbs.get(data) {
        return Some(db.url.clone());
    }
    let db = lumbung_store::testing::TestDatabase::create().unwrap().unwrap();
    let url = db.url.clone();
    dbs.insert(data.to_path_buf(), db);
    Some(url)
}

/// `lumbung ARGS` as a command, with the node's database set when the tests
/// run on PostgreSQL (the node is the one `--data` names).
pub fn lumbung_cmd(args: &[&str]) -> Command {
    let mut cmd = Command::new(bin());
    cmd.args(args).env("RUST_LOG", "warn").env_remove("LUMBUNG_DATABASE");
    if let Some(data) = args.iter().position(|a| *a == "--data").and_then(|i| args.get(i + 1)) {
        if let Some(url) = database_for(Path::new(data)) {
            cmd.env("LUMBUNG_DATABASE", url);
        }
    }
    cmd
}

/// Runs `lumbung ARGS` and returns its output.
pub fn run(args: &[&str]) -> Output {
    lumbung_cmd(args).stdin(Stdio::null()).output().unwrap()
}

/// Runs `lumbung ARGS` with `input` on standard input.
pub fn run_with_stdin(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child =
        lumbung_cmd(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The shared folder beside the checkout.
pub fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

pub fn participedia_cases() -> PathBuf {
    shared().join("data/participedia/cases.csv")
}

/// Opens a node's store and runs `f` on it (in a runtime of its own).
pub fn with_store<T>(data: &Path, f: impl AsyncFnOnce(&lumbung_store::Store) -> T) -> T {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let store = lumbung_store::Store::connect(data, database_for(data).as_deref()).await.unwrap();
        let v = f(&store).await;
        store.close().await;
        v
    })
}

/// The store's integrity report (counts of cases, revisions, changes; problems).
pub fn check(data: &Path) -> lumbung_store::CheckReport {
    with_store(data, async |s| s.check().await.unwrap())
}

/// One HTTP/1.1 request to a node on loopback: (status, head, body), with
/// chunked bodies joined.
pub fn http_raw(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (u16, String, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    let extra: String = headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
    let body = body.unwrap_or_default();
    let ct = if body.is_empty() { "" } else { "Content-Type: application/json\r\n" };
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{extra}{ct}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let (head, mut payload) =
        text.split_once("\r\n\r\n").map(|(h, b)| (h.to_owned(), b.to_owned())).unwrap_or_default();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        let mut out = String::new();
        let mut rest = payload.as_str();
        while let Some((size, tail)) = rest.split_once("\r\n") {
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if n == 0 || tail.len() < n {
                break;
            }
            out.push_str(&tail[..n]);
            rest = tail[n..].trim_start_matches("\r\n");
        }
        payload = out;
    }
    (status, head, payload)
}

/// A free loopback port.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Waits until the node on `port` answers /readyz (or panics after 60 s).
pub fn wait_ready(port: u16) {
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(60) {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
            && http_raw(port, "GET", "/readyz", &[], None).0 == 200
        {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("the node on port {port} did not become ready");
}

/// A child process that is killed when dropped, so a failing test leaves no
/// server running.
pub struct Running(pub std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a `lumbung serve` command, output discarded, and waits until it
/// answers on `port`; the server is killed when the value is dropped.
pub fn serve_ready(mut cmd: Command, port: u16) -> Running {
    let child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let running = Running(child);
    wait_ready(port);
    running
}
