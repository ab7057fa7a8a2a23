//! Two real nodes on loopback: one harvests the other over OAI-PMH, follows
//! its updates and deletions; and a hostile peer harms nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::*;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A minimal HTTP/1.1 client for loopback requests.
fn http(method: &str, port: u16, path: &str, token: Option<&str>, body: Option<&str>) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let body = body.unwrap_or("");
    let ct = if body.is_empty() { String::new() } else { "Content-Type: application/json\r\n".to_owned() };
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{auth}{ct}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = out.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    // Chunked bodies: good enough for JSON assertions on small answers.
    (status, body)
}

fn json(body: &str) -> serde_json::Value {
    let start = body.find(['{', '[']).unwrap_or(0);
    let end = body.rfind(['}', ']']).map_or(body.len(), |e| e + 1);
    serde_json::from_str(&body[start..end]).unwrap_or(serde_json::Value::Null)
}

fn serve(data: &str, port: u16, node: &str) -> Server {
    let server = Server(
        lumbung_cmd(&["serve", "--data", data, "--addr", &format!("127.0.0.1:{port}")])
            .env("LUMBUNG_NODE_ID", node)
            .env("LUMBUNG_BASE_URL", format!("http://127.0.0.1:{port}"))
            .env("LUMBUNG_OAI_PAGE_SIZE", "7")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
            && http("GET", port, "/readyz", None, None).0 == 200
        {
            return server;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("node {node} did not start");
}

fn harvest(data: &str, url: &str, node: &str) -> String {
    let out = lumbung_cmd(&["harvest", "--data", data, "--url", url]).env("LUMBUNG_NODE_ID", node).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_node_harvests_another_and_follows_changes_and_deletions() {
    let dir = TempDir::new("two-nodes");
    let (a, b) = (dir.join("a"), dir.join("b"));
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    assert!(run(&["demo", "--data", a, "--no-serve"]).status.success());
    let port = free_port();
    let _server = serve(a, port, "asean.network");
    let oai = format!("http://127.0.0.1:{port}/oai");

    let first = harvest(b, &oai, "id.kemenpan");
    assert!(first.contains("harvested 34 records") && first.contains("34 new"), "{first}");
    let again = harvest(b, &oai, "id.kemenpan");
    assert!(again.contains("0 new") && again.contains("34 unchanged"), "{again}");

    // The copies are published on B, name their origin, and are searchable.
    let copies = with_store(std::path::Path::new(b), async |s| {
        s.list_cases(&Default::default(), &lumbung_store::Visibility::Published, None, 100).await.unwrap().items
    });
    assert_eq!(copies.len(), 34);
    assert!(copies.iter().all(|c| c.origin.as_ref().is_some_and(|o| o.node == "asean.network")));
    let check = run(&["check", "--data", b]);
    assert!(stdout(&check).contains("search index: 34 published cases"), "{}", stdout(&check));

    // Change one case and withdraw another at the origin.
    let token = stdout(&run(&["token", "create", "--data", a, "--email", "curator@lumbung.example"]))
        .lines()
        .last()
        .unwrap()
        .to_owned();
    let (_, list) = http("GET", port, "/api/v1/cases?limit=2", None, None);
    let list = json(&list);
    let (changed, withdrawn) = (list["items"][0].clone(), list["items"][1]["id"].as_str().unwrap().to_owned());
    let id = changed["id"].as_str().unwrap();
    let mut body = changed.clone();
    body["title"]["en"] = serde_json::json!("Renamed at the origin");
    let (status, answer) = http("PUT", port, &format!("/api/v1/cases/{id}"), Some(&token), Some(&body.to_string()));
    assert_eq!(status, 200, "{answer}");
    let (status, _) = http("POST", port, &format!("/api/v1/cases/{withdrawn}/archive"), Some(&token), None);
    assert_eq!(status, 200);

    let third = harvest(b, &oai, "id.kemenpan");
    assert!(third.contains("1 updated") && third.contains("1 withdrawn"), "{third}");
    let renamed = with_store(std::path::Path::new(b), async |s| {
        s.case_by_origin_identifier(&format!("oai:asean.network:case/{id}")).await.unwrap().unwrap()
    });
    assert_eq!(renamed.content.title.get("en"), Some("Renamed at the origin"));
    let gone = with_store(std::path::Path::new(b), async |s| {
        s.case_by_origin_identifier(&format!("oai:asean.network:case/{withdrawn}")).await.unwrap().unwrap()
    });
    assert_eq!(gone.status, lumbung_core::Status::Archived);
    assert!(run(&["check", "--data", b]).status.success());

    // B's page for the copy names its origin, for people and in JSON-LD (isBasedOn).
    let port_b = free_port();
    let _server_b = serve(b, port_b, "id.kemenpan");
    let (status, page) = http("GET", port_b, &format!("/cases/{}", renamed.id), None, None);
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Renamed at the origin"));
    assert!(page.contains("Shared from the node asean.network"), "{page}");
    let identifier = format!("\"isBasedOn\":{{\"@type\":\"Article\",\"identifier\":\"oai:asean.network:case/{id}\"");
    assert!(page.contains(&identifier), "{page}");
    let (status, _) = http("GET", port_b, &format!("/cases/{}", gone.id), None, None);
    assert_eq!(status, 404, "a withdrawn copy is not shown");
}

#[test]
fn two_nodes_with_the_same_id_are_refused_and_different_ids_harvest() {
    let dir = TempDir::new("same-id");
    let (a, b) = (dir.join("a"), dir.join("b"));
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    assert!(run(&["demo", "--data", a, "--no-serve"]).status.success());
    let port = free_port();
    // Both nodes with the default id.
    let _server = serve(a, port, "local");
    let oai = format!("http://127.0.0.1:{port}/oai");

    let out = lumbung_cmd(&["harvest", "--data", b, "--url", &oai])
        .env_remove("LUMBUNG_NODE_ID")
        .env_remove("LUMBUNG_CONFIG")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a harvest of a node with this node's id must fail: {err}");
    assert!(err.contains("is node 'local'") && err.contains("LUMBUNG_NODE_ID") && err.contains("node.id"), "{err}");
    let stored = with_store(std::path::Path::new(b), async |s| s.case_count().await.unwrap());
    assert_eq!(stored, 0, "nothing is stored from a node with the same id");

    // `serve` refuses a configured peer that answers with this node's id.
    let config = dir.join("b.toml");
    std::fs::write(&config, format!("[[peers]]\nid = \"a\"\nurl = \"{oai}\"\n")).unwrap();
    let out = lumbung_cmd(&["serve", "--data", b, "--addr", &format!("127.0.0.1:{}", free_port())])
        .arg("--config")
        .arg(&config)
        .env_remove("LUMBUNG_NODE_ID")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("peer 'a'") && err.contains("is node 'local'"), "{err}");

    // With another id, every published case is stored.
    let published = with_store(std::path::Path::new(a), async |s| {
        s.list_cases(&Default::default(), &lumbung_store::Visibility::Published, None, 100).await.unwrap().total
    });
    let text = harvest(b, &oai, "other");
    assert!(text.contains(&format!("{published} new")) && text.contains("0 skipped"), "{text}");
    let copies = with_store(std::path::Path::new(b), async |s| {
        s.list_cases(&Default::default(), &lumbung_store::Visibility::Published, None, 100).await.unwrap().total
    });
    assert_eq!(copies, published);
}

#[test]
fn skipped_records_are_counted_with_their_reason() {
    let dir = TempDir::new("skipped");
    let data = dir.join("n");
    let d = data.to_str().unwrap();
    // A deleted record never copied here, and a record carrying this node's id
    // that is none of its cases (a source minting identifiers under our id).
    let page = format!(
        "{OAI_OPEN}<ListRecords><record><header status=\"deleted\"><identifier>oai:evil:case/01KDVDNAZ89HAMTGG0000000ZZ</identifier>\
         <datestamp>2026-11-26T09:00:00Z</datestamp></header></record>{}</ListRecords></OAI-PMH>",
        record("01KDVDNAZ89HAMTGG0000000AE", "Mine?", "ID").replace("oai:evil:", "oai:local:")
    );
    let (port, handle) = hostile_peer(vec![page]);
    let out = lumbung_cmd(&["harvest", "--data", d, "--url", &format!("http://127.0.0.1:{port}/oai")])
        .env_remove("LUMBUNG_NODE_ID")
        .output()
        .unwrap();
    let _ = handle.join();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("0 new") && text.contains("2 skipped"), "{text}");
    assert!(text.contains("1 deleted at the source and never copied here"), "{text}");
    assert!(text.contains("1 carry this node's own id 'local'") && text.contains("LUMBUNG_NODE_ID"), "{text}");
}

/// Serves canned answers, one per request, then closes. Identify requests
/// are answered apart, as a node named `evil`.
fn hostile_peer(answers: Vec<String>) -> (u16, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let identify = format!(
            "{OAI_OPEN}<Identify><description><node xmlns=\"urn:lumbung:schema:case:1\" id=\"evil\"/></description></Identify></OAI-PMH>"
        );
        let mut answers = answers.into_iter().peekable();
        while answers.peek().is_some() {
            let Ok((mut s, _)) = listener.accept() else { return };
            let mut buf = [0u8; 4096];
            let n = s.read(&mut buf).unwrap_or(0);
            let answer = if String::from_utf8_lossy(&buf[..n]).contains("verb=Identify") {
                identify.clone()
            } else {
                match answers.next() {
                    Some(a) => a,
                    None => return,
                }
            };
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    (port, handle)
}

const OAI_OPEN: &str = "<?xml version=\"1.0\"?><OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><responseDate>2026-11-26T10:00:00Z</responseDate>";

fn record(id: &str, title: &str, country: &str) -> String {
    format!(
        "<record><header><identifier>oai:evil:case/{id}</identifier><datestamp>2026-11-26T09:00:00Z</datestamp></header>\
         <metadata><case xmlns=\"urn:lumbung:schema:case:1\" id=\"{id}\" version=\"1\"><title xml:lang=\"en\">{title}</title>\
         <originalLanguage>en</originalLanguage><country>{country}</country><completeness>10</completeness>\
         <created>2026-01-01T00:00:00Z</created><updated>2026-01-01T00:00:00Z</updated></case></metadata></record>"
    )
}

#[test]
fn a_hostile_peer_harms_nothing() {
    let dir = TempDir::new("hostile");
    let data = dir.join("n");
    let d = data.to_str().unwrap();
    assert!(run(&["import", "--data", d, "--format", "csv", participedia_cases().to_str().unwrap()]).status.success());
    let before = check(&data);

    // Not XML, the wrong namespace, and an endless resumption loop.
    let looping = format!(
        "{OAI_OPEN}<ListRecords>{}<resumptionToken>again</resumptionToken></ListRecords></OAI-PMH>",
        record("01KDVDNAZ89HAMTGG0000000AA", "Loop", "ID")
    );
    for (answers, expected) in [
        (vec!["<html>teapot</html>".to_owned()], "not a valid OAI-PMH response"),
        (vec!["<OAI-PMH xmlns=\"urn:evil\"/>".to_owned()], "not a valid OAI-PMH response"),
        (vec![looping.clone(), looping.clone()], "same resumption token twice"),
        (vec![format!("{OAI_OPEN}<error code=\"badArgument\">nope</error></OAI-PMH>")], "badArgument"),
    ] {
        let (port, handle) = hostile_peer(answers);
        let out =
            lumbung_cmd(&["harvest", "--data", d, "--url", &format!("http://127.0.0.1:{port}/oai")]).output().unwrap();
        let _ = handle.join();
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains(expected), "{}", String::from_utf8_lossy(&out.stderr));
    }
    // A peer that accepts the connection and never answers: the harvest gives
    // up after its timeout, records the error, and changes nothing.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_port = silent.local_addr().unwrap().port();
    let holder = std::thread::spawn(move || {
        let conn = silent.accept();
        std::thread::sleep(Duration::from_secs(4));
        drop(conn);
    });
    let started = Instant::now();
    let out = lumbung_cmd(&[
        "harvest",
        "--data",
        d,
        "--url",
        &format!("http://127.0.0.1:{silent_port}/oai"),
        "--timeout",
        "2",
    ])
    .output()
    .unwrap();
    assert!(!out.status.success());
    assert!(started.elapsed() < Duration::from_secs(4), "the timeout was not applied");
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot reach"), "{}", String::from_utf8_lossy(&out.stderr));
    let _ = holder.join();
    let state = with_store(&data, async |s| s.harvest_sources().await.unwrap());
    assert!(state.iter().any(|s| s.base_url.contains(&silent_port.to_string()) && s.last_error.is_some()));

    // A page with script in a title (kept as text), an invalid country
    // (refused), and a huge title (refused): the valid record is stored.
    let page = format!(
        "{OAI_OPEN}<ListRecords>{}{}{}</ListRecords></OAI-PMH>",
        record("01KDVDNAZ89HAMTGG0000000AB", "&lt;script&gt;alert(1)&lt;/script&gt; village boards", "ID"),
        record("01KDVDNAZ89HAMTGG0000000AC", "Bad country", "ZZ"),
        record("01KDVDNAZ89HAMTGG0000000AD", &"x".repeat(5000), "ID"),
    );
    let (port, handle) = hostile_peer(vec![page]);
    let out =
        lumbung_cmd(&["harvest", "--data", d, "--url", &format!("http://127.0.0.1:{port}/oai")]).output().unwrap();
    let _ = handle.join();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1 new") && text.contains("2 refused"), "{text}");
    let after = check(&data);
    assert!(after.is_ok(), "{:?}", after.problems);
    // The valid record here, and the valid record of the looping peer's first
    // page (pages are applied as they arrive; the loop is cut at the repeat).
    assert_eq!(after.cases, before.cases + 2);
    let stored = with_store(&data, async |s| {
        s.case_by_origin_identifier("oai:evil:case/01KDVDNAZ89HAMTGG0000000AB").await.unwrap().unwrap()
    });
    assert_eq!(stored.content.title.get("en"), Some("<script>alert(1)</script> village boards"));
}

#[test]
fn a_harvest_cut_short_keeps_whole_pages_and_records_why() {
    let dir = TempDir::new("cut");
    let data = dir.join("n");
    let d = data.to_str().unwrap();
    assert!(run(&["import", "--data", d, "--format", "csv", participedia_cases().to_str().unwrap()]).status.success());
    let before = check(&data);
    // Page one (two records) commits; page two is not OAI-PMH.
    let first = format!(
        "{OAI_OPEN}<ListRecords>{}{}<resumptionToken>p2</resumptionToken></ListRecords></OAI-PMH>",
        record("01KDVDNAZ89HAMTGG0000000BA", "Puskesmas queue board", "ID"),
        record("01KDVDNAZ89HAMTGG0000000BB", "Village budget posters", "PH"),
    );
    let (port, handle) = hostile_peer(vec![first.clone(), "<html>gone</html>".to_owned()]);
    let url = format!("http://127.0.0.1:{port}/oai");
    let out = lumbung_cmd(&["harvest", "--data", d, "--url", &url]).output().unwrap();
    let _ = handle.join();
    assert!(!out.status.success());
    let after = check(&data);
    assert!(after.is_ok(), "{:?}", after.problems);
    assert_eq!(after.cases, before.cases + 2, "the first page is stored whole");
    let state = with_store(&data, async |s| s.harvest_source(&url).await.unwrap().unwrap());
    assert!(state.last_error.as_deref().is_some_and(|e| e.contains("not a valid OAI-PMH response")), "{state:?}");
    assert_eq!(state.last_response_date, None, "an incomplete harvest does not move the next start");
    assert_eq!((state.last_success_at, state.created), (None, 0));

    // The next run covers the first page again: nothing new, nothing doubled;
    // the state now records the complete harvest.
    let last = format!(
        "{OAI_OPEN}<ListRecords>{}</ListRecords></OAI-PMH>",
        record("01KDVDNAZ89HAMTGG0000000BC", "Open contracting", "ID")
    );
    let (port2, handle) = hostile_peer(vec![first.replace("p2", "p3"), last]);
    let out = lumbung_cmd(&["harvest", "--data", d, "--url", &url.replace(&port.to_string(), &port2.to_string())])
        .output()
        .unwrap();
    let _ = handle.join();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1 new"), "{text}");
    assert_eq!(check(&data).cases, before.cases + 3);
    let url2 = url.replace(&port.to_string(), &port2.to_string());
    let state = with_store(&data, async |s| s.harvest_source(&url2).await.unwrap().unwrap());
    assert_eq!((state.last_error, state.created, state.records_seen), (None, 1, 3));
    assert_eq!(state.last_response_date.as_deref(), Some("2026-11-26T10:00:00Z"));
}
