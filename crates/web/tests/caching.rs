//! HTTP caching through the real router (issue #13): anonymous pages come from
//! the page cache and follow every change within a second; signed-in pages
//! and drafts never pass through it; validators answer 304.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Browser, CaseBody, TestApp, TestResponse, Who};
use lumbung_core::Status;
use serde_json::json;

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> TestResponse {
    let mut b = Request::builder().method(Method::GET).uri(path).header("accept", "text/html");
    for (n, v) in headers {
        b = b.header(*n, *v);
    }
    app.send(b.body(Body::empty()).unwrap()).await
}

/// Asks `path` anonymously until its page contains `text` (or, `present`
/// false, no longer does); the time it took. Fails after two seconds.
async fn until(app: &TestApp, path: &str, text: &str, present: bool) -> Duration {
    let start = Instant::now();
    loop {
        let res = get(app, path, &[]).await;
        if res.text().contains(text) == present {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{path} never {} {text:?}",
            if present { "showed" } else { "dropped" }
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn edit(app: &TestApp, id: &str, body: CaseBody) {
    let version = app.stored_case(id).await.version;
    let (status, _, json) = app
        .request_as(
            Method::PUT,
            &format!("/api/v1/cases/{id}"),
            Who::Curator,
            Some(body.set("version", json!(version)).build()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{json}");
}

#[tokio::test]
async fn cached_pages_follow_every_change_within_a_second() {
    let app = TestApp::new().await;
    let id = app.case_in_with(Status::Published, CaseBody::new("Mal Pelayanan Publik").build()).await;
    let path = format!("/cases/{id}");
    let first = get(&app, &path, &[]).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.text().contains("Mal Pelayanan Publik"));
    assert_eq!(first.header("cache-control"), Some("public, max-age=10, stale-while-revalidate=60"));
    assert!(first.header("etag").is_some() && first.header("last-modified").is_some());
    assert!(first.header_all("vary").iter().any(|v| v.contains("Accept-Language")));
    // The same bytes again, from memory.
    let again = get(&app, &path, &[]).await;
    assert_eq!(again.bytes, first.bytes);
    assert_eq!(again.header("etag"), first.header("etag"));

    // An edit, a translation and an archive each reach the cached page within a second.
    edit(&app, &id, CaseBody::new("Mal Pelayanan Publik Digital")).await;
    let took = until(&app, &path, "Mal Pelayanan Publik Digital", true).await;
    assert!(took < Duration::from_secs(1), "edit: {took:?}");
    let id_page = get(&app, &path, &[("accept-language", "id")]).await;
    assert!(id_page.text().contains("Mal Pelayanan Publik Digital (ID)"), "each language has its own entry");
    edit(
        &app,
        &id,
        CaseBody::new("Mal Pelayanan Publik Digital")
            .set("title", json!({"en": "Mal Pelayanan Publik Digital", "id": "Mal Layanan Terpadu"})),
    )
    .await;
    let start = Instant::now();
    loop {
        let res = get(&app, &path, &[("accept-language", "id")]).await;
        if res.text().contains("Mal Layanan Terpadu") {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(1), "translation not shown within a second");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    app.step(&id, "archive", Who::Curator, None).await;
    let start = Instant::now();
    while get(&app, &path, &[]).await.header("etag") == again.header("etag") {
        assert!(start.elapsed() < Duration::from_secs(1), "archive not shown within a second");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // A publish reaches the listing pages (once the index has it).
    let new = app.case_in_with(Status::Submitted, CaseBody::new("Sampah jadi tabungan").build()).await;
    assert!(!get(&app, "/search", &[]).await.text().contains("Sampah jadi tabungan"));
    app.step(&new, "publish", Who::Curator, None).await;
    app.sync_search().await;
    let took = until(&app, "/search", "Sampah jadi tabungan", true).await;
    assert!(took < Duration::from_secs(1), "publish: {took:?}");
    let took = until(&app, "/", "Sampah jadi tabungan", true).await;
    assert!(took < Duration::from_secs(1), "publish on the home page: {took:?}");
}

/// Anonymous API searches come from the page cache too (the fixed cost of a
/// search is paid once per URL and generation), and still follow a publish.
#[tokio::test]
async fn cached_api_searches_follow_a_publish_within_a_second() {
    let app = TestApp::new().await;
    let path = "/api/v1/search?q=tabungan";
    let ask = || app.send_json(Method::GET, path, Who::Anonymous, None, &[]);
    let first = ask().await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.json()["total"], 0);
    assert_eq!(first.header("cache-control"), Some("public, max-age=10, stale-while-revalidate=60"));
    assert_eq!(ask().await.bytes, first.bytes);
    let new = app.case_in_with(Status::Submitted, CaseBody::new("Sampah jadi tabungan").build()).await;
    app.step(&new, "publish", Who::Curator, None).await;
    app.sync_search().await;
    let start = Instant::now();
    loop {
        let res = ask().await;
        if res.json()["total"] == 1 {
            assert_eq!(res.json()["items"][0]["id"], new.as_str());
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(1), "publish not in the API search within a second");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // With credentials the answer is the caller's own, never a shared one.
    let signed = app.send_json(Method::GET, path, Who::Curator, None, &[]).await;
    assert_eq!(signed.status, StatusCode::OK);
    assert_eq!(signed.header("cache-control"), Some("private, no-cache"));
}

#[tokio::test]
async fn signed_in_pages_and_drafts_never_pass_through_the_cache() {
    let app = TestApp::new().await;
    let draft = app.case_in_with(Status::Draft, CaseBody::new("Rahasia draf").build()).await;
    let path = format!("/cases/{draft}");
    assert_eq!(get(&app, &path, &[]).await.status, StatusCode::NOT_FOUND);
    let mut owner = Browser::signed_in(&app, Who::Contributor).await;
    let mine = owner.get(&path).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.text().contains("Rahasia draf"));
    assert_eq!(mine.header("cache-control"), Some("private, no-cache"));
    // The owner's view was not kept for anyone else.
    for _ in 0..3 {
        let anon = get(&app, &path, &[]).await;
        assert_eq!(anon.status, StatusCode::NOT_FOUND);
        assert!(!anon.text().contains("Rahasia draf"));
    }
    // A published page cached for anonymous readers is not what a signed-in reader gets.
    let public = app.case_in(Status::Published).await;
    let public_path = format!("/cases/{public}");
    let anon = get(&app, &public_path, &[]).await;
    assert!(anon.text().contains("/signin"));
    let curator = Browser::signed_in(&app, Who::Curator).await;
    let mut curator = curator;
    let theirs = curator.get(&public_path).await;
    assert!(!theirs.text().contains("href=\"/signin"), "the signed-in page is rendered for them");
    assert_eq!(theirs.header("cache-control"), Some("private, no-cache"));
    assert_eq!(owner.get("/my/cases").await.header("cache-control"), Some("private, no-cache"));
    // API reads with credentials are private too.
    let res = app.send_json(Method::GET, &format!("/api/v1/cases/{draft}"), Who::Contributor, None, &[]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("cache-control"), Some("private, no-cache"));
}

#[tokio::test]
async fn validators_answer_not_modified() {
    let app = TestApp::new().await;
    let id = app.case_in(Status::Published).await;
    app.sync_search().await;
    // A case page: If-None-Match, and If-Modified-Since.
    let path = format!("/cases/{id}");
    let page = get(&app, &path, &[]).await;
    let etag = page.header("etag").unwrap().to_owned();
    let res = get(&app, &path, &[("if-none-match", &etag)]).await;
    assert_eq!(res.status, StatusCode::NOT_MODIFIED);
    assert!(res.bytes.is_empty());
    assert_eq!(res.header("etag"), Some(etag.as_str()));
    let since = page.header("last-modified").unwrap().to_owned();
    assert_eq!(get(&app, &path, &[("if-modified-since", &since)]).await.status, StatusCode::NOT_MODIFIED);
    assert_eq!(get(&app, &path, &[("if-none-match", "\"something-else\"")]).await.status, StatusCode::OK);
    // The gzip copy has its own validator.
    let zipped = get(&app, &path, &[("accept-encoding", "gzip")]).await;
    assert_eq!(zipped.header("content-encoding"), Some("gzip"));
    let zetag = zipped.header("etag").unwrap().to_owned();
    assert_ne!(zetag, etag);
    assert_eq!(
        get(&app, &path, &[("accept-encoding", "gzip"), ("if-none-match", &zetag)]).await.status,
        StatusCode::NOT_MODIFIED
    );

    // An API read: its ETag is the version.
    let api = app.send_json(Method::GET, &format!("/api/v1/cases/{id}"), Who::Anonymous, None, &[]).await;
    let api_etag = api.header("etag").unwrap().to_owned();
    assert_eq!(api_etag, "\"3\"");
    let res = app
        .send_json(Method::GET, &format!("/api/v1/cases/{id}"), Who::Anonymous, None, &[("if-none-match", &api_etag)])
        .await;
    assert_eq!(res.status, StatusCode::NOT_MODIFIED);
    // A list without an ETag of its own gets one from its body.
    let list = app.send_json(Method::GET, "/api/v1/cases", Who::Anonymous, None, &[]).await;
    let list_etag = list.header("etag").unwrap().to_owned();
    let res = app.send_json(Method::GET, "/api/v1/cases", Who::Anonymous, None, &[("if-none-match", &list_etag)]).await;
    assert_eq!(res.status, StatusCode::NOT_MODIFIED);

    // A feed, until it changes.
    let feed = get(&app, "/feeds/cases.atom", &[]).await;
    assert_eq!(feed.status, StatusCode::OK);
    let feed_etag = feed.header("etag").unwrap().to_owned();
    assert_eq!(get(&app, "/feeds/cases.atom", &[("if-none-match", &feed_etag)]).await.status, StatusCode::NOT_MODIFIED);
    app.case_in_with(Status::Published, CaseBody::new("Kartu Indonesia Sehat").build()).await;
    app.sync_search().await;
    let start = Instant::now();
    while get(&app, "/feeds/cases.atom", &[("if-none-match", &feed_etag)]).await.status == StatusCode::NOT_MODIFIED {
        assert!(start.elapsed() < Duration::from_secs(1), "the feed did not change within a second");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // HEAD does not fill the cache with an empty body.
    let head = app.send(Request::builder().method(Method::HEAD).uri("/dashboard").body(Body::empty()).unwrap()).await;
    assert_eq!(head.status, StatusCode::OK);
    let full = get(&app, "/dashboard", &[]).await;
    assert!(full.text().contains("</html>"));
}
