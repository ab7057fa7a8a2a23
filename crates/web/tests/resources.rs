//! Resources (links and uploaded files) and collections, through the HTTP
//! API, on either backend: an upload's type comes from its content, and a
//! refused upload stores nothing — no row, no file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, Who, assert_problem, error_fields};
use lumbung_core::Status;
use serde_json::{Value, json};

const BOUNDARY: &str = "lumbung-test-boundary-7d3f";

/// A multipart body: text fields, then a file part (when `file` is given).
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    if let Some((file_name, content_type, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
                 Content-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

const FIELDS: [(&str, &str); 5] = [
    ("title_en", "Innovation toolkit for regional governments"),
    ("title_id", "Perangkat inovasi untuk pemerintah daerah"),
    ("resource_type", "toolkit"),
    ("languages", "en,id"),
    ("licence", "CC-BY-4.0"),
];

fn pdf() -> Vec<u8> {
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".to_vec()
}

async fn upload(app: &TestApp, who: Who, name: &str, content_type: &str, bytes: &[u8]) -> common::TestResponse {
    let body = multipart(&FIELDS, Some((name, content_type, bytes)));
    app.send_raw(
        Method::POST,
        "/api/v1/resources",
        who,
        Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
        body,
    )
    .await
}

async fn nothing_stored(app: &TestApp, what: &str) {
    let res = app.send_json(Method::GET, "/api/v1/resources", Who::Anonymous, None, &[]).await;
    assert_eq!(res.json()["total"], 0, "{what}: a resource was stored");
    assert_eq!(app.store.files().count(), 0, "{what}: a file was left under {}", app.store.files().dir().display());
}

#[tokio::test]
async fn refused_uploads_store_nothing() {
    let app = TestApp::new().await;
    // A Windows executable renamed to look like a PDF, and sent as one.
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".to_vec();
    exe.resize(512, 0);
    let res = upload(&app, Who::Curator, "panduan.pdf", "application/pdf", &exe).await;
    let problem = assert_problem(&res, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(problem["detail"].as_str().unwrap().contains("portable-executable"), "{problem}");
    nothing_stored(&app, "a renamed executable").await;

    // An ELF binary with no ending that matters.
    let mut elf = b"\x7fELF\x02\x01\x01\x00".to_vec();
    elf.resize(256, 0);
    let res = upload(&app, Who::Curator, "data.csv", "text/csv", &elf).await;
    assert_problem(&res, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    nothing_stored(&app, "an ELF binary").await;

    // One byte over 20 MiB.
    let mut big = pdf();
    big.resize(20 * 1024 * 1024 + 1, b' ');
    let res = upload(&app, Who::Curator, "big.pdf", "application/pdf", &big).await;
    assert_problem(&res, StatusCode::PAYLOAD_TOO_LARGE);
    nothing_stored(&app, "an oversized file").await;

    // An SVG with a script, as an image and as itself; HTML dressed as CSV.
    let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>"#;
    for (name, content_type) in [("chart.png", "image/png"), ("chart.svg", "image/svg+xml")] {
        let res = upload(&app, Who::Curator, name, content_type, svg).await;
        assert_problem(&res, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    let html = b"<!doctype html><html><body onload=\"alert(1)\">x,y</body></html>";
    let res = upload(&app, Who::Curator, "table.csv", "text/csv", html).await;
    assert_problem(&res, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    nothing_stored(&app, "SVG and HTML").await;

    // A file name that climbs out of its folder, with good content.
    for name in ["../../../etc/passwd.pdf", "..\\..\\boot.pdf", "/etc/cron.d/x.pdf", ".htaccess.pdf"] {
        let res = upload(&app, Who::Curator, name, "application/pdf", &pdf()).await;
        let problem = assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error_fields(&problem), ["file"], "{name}: {problem}");
    }
    nothing_stored(&app, "path traversal").await;

    // A PDF named as a Word document; no file at all; an empty file.
    let res = upload(&app, Who::Curator, "report.docx", "application/pdf", &pdf()).await;
    assert_problem(&res, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let res = app
        .send_raw(
            Method::POST,
            "/api/v1/resources",
            Who::Curator,
            Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
            multipart(&FIELDS, None),
        )
        .await;
    let problem = assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["url"], "neither a link nor a file: {problem}");
    let res = upload(&app, Who::Curator, "empty.pdf", "application/pdf", b"").await;
    assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY);
    // A malformed multipart body, and fields the resource does not have.
    let res = app
        .send_raw(Method::POST, "/api/v1/resources", Who::Curator, Some("multipart/form-data; boundary=x"), "junk")
        .await;
    assert_problem(&res, StatusCode::BAD_REQUEST);
    let body = multipart(&[("title_en", "x"), ("owner", "me")], Some(("a.pdf", "application/pdf", &pdf())));
    let res = app
        .send_raw(
            Method::POST,
            "/api/v1/resources",
            Who::Curator,
            Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
            body,
        )
        .await;
    let problem = assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["owner"], "{problem}");
    // Who may not keep resources stores nothing either.
    for who in [Who::Anonymous, Who::Reader, Who::Contributor, Who::Delegate] {
        let res = upload(&app, who, "guide.pdf", "application/pdf", &pdf()).await;
        assert!(res.status == StatusCode::UNAUTHORIZED || res.status == StatusCode::FORBIDDEN, "{who:?}");
    }
    nothing_stored(&app, "every refusal").await;
}

#[tokio::test]
async fn an_uploaded_file_is_served_as_an_attachment_and_kept_once() {
    let app = TestApp::new().await;
    let res = upload(&app, Who::Curator, "Panduan inovasi 2024.pdf", "application/octet-stream", &pdf()).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let first = res.json();
    assert_eq!(first["file"]["media_type"], "application/pdf", "the type comes from the content");
    assert_eq!(first["title"]["id"], "Perangkat inovasi untuk pemerintah daerah");
    assert_eq!(first["languages"], json!(["en", "id"]));
    let url = first["download_url"].as_str().unwrap().to_owned();
    let file = app.send_json(Method::GET, &url, Who::Anonymous, None, &[]).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.bytes.as_ref(), pdf().as_slice(), "the same bytes back");
    assert_eq!(file.header("content-type"), Some("application/pdf"));
    assert_eq!(file.header("x-content-type-options"), Some("nosniff"));
    let disposition = file.header("content-disposition").unwrap();
    assert!(disposition.starts_with("attachment; filename=\"Panduan inovasi 2024.pdf\""), "{disposition}");
    assert_eq!(app.store.files().count(), 1);

    // The same file for a second resource is stored once; it goes with the last resource using it.
    let second = upload(&app, Who::Admin, "copy.pdf", "application/pdf", &pdf()).await.json();
    assert_eq!(second["file"]["sha256"], first["file"]["sha256"]);
    assert_eq!(app.store.files().count(), 1);
    let delete = |id: String| {
        let app = &app;
        async move {
            let path = format!("/api/v1/resources/{id}");
            let res = app.send_json(Method::DELETE, &path, Who::Curator, None, &[]).await;
            assert_problem(&res, StatusCode::PRECONDITION_REQUIRED);
            let res = app.send_json(Method::DELETE, &path, Who::Curator, None, &[("if-match", "\"1\"")]).await;
            assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text());
        }
    };
    delete(first["id"].as_str().unwrap().to_owned()).await;
    assert_eq!(app.store.files().count(), 1, "still used by the second resource");
    let gone = app.send_json(Method::GET, &url, Who::Anonymous, None, &[]).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    delete(second["id"].as_str().unwrap().to_owned()).await;
    assert_eq!(app.store.files().count(), 0, "no resource uses it any more");
}

fn link(title: &str, cases: &[&str]) -> Value {
    json!({"title": {"en": title}, "summary": {"en": "How to run a complaint channel."},
           "resource_type": "guide", "languages": ["en"], "licence": "CC-BY-SA-4.0",
           "url": "https://example.org/guide.html", "cases": cases})
}

#[tokio::test]
async fn link_resources_serve_published_cases_and_events() {
    let app = TestApp::new().await;
    let published = app.case_in(Status::Published).await;
    let draft = app.case_in(Status::Draft).await;
    let res =
        app.send_json(Method::POST, "/api/v1/resources", Who::Curator, Some(link("Guide", &[&published])), &[]).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let id = res.json()["id"].as_str().unwrap().to_owned();
    assert!(res.json()["download_url"].is_null());

    // A draft case, an unknown event, a licence that is not SPDX, a bad URL: every error at once.
    let mut bad = link("Guide", &[&draft]);
    bad["events"] = json!(["01ARZ3NDEKTSV4RRFFQ69G5FAV"]);
    bad["licence"] = json!("free");
    bad["url"] = json!("javascript:alert(1)");
    bad["resource_type"] = json!("poster");
    let res = app.send_json(Method::POST, "/api/v1/resources", Who::Curator, Some(bad), &[]).await;
    let problem = assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = error_fields(&problem);
    fields.sort();
    assert_eq!(fields, ["cases[0]", "events[0]", "licence", "resource_type", "url"], "{problem}");

    // The filters: by case, by type; bad values are 400.
    let list =
        app.send_json(Method::GET, &format!("/api/v1/resources?case={published}"), Who::Anonymous, None, &[]).await;
    assert_eq!(list.json()["total"], 1);
    assert_eq!(list.json()["items"][0]["id"], id.as_str());
    let list = app.send_json(Method::GET, "/api/v1/resources?type=dataset", Who::Anonymous, None, &[]).await;
    assert_eq!(list.json()["total"], 0);
    let res = app.send_json(Method::GET, "/api/v1/resources?type=poster", Who::Anonymous, None, &[]).await;
    assert_problem(&res, StatusCode::BAD_REQUEST);

    // The case page lists it; an edit with a stale version is refused.
    let page = app.send_json(Method::GET, &format!("/cases/{published}"), Who::Anonymous, None, &[]).await;
    assert!(page.text().contains(&format!("/resources/{id}")), "the case page links its resources");
    let mut edit = link("Guide, second edition", &[&published]);
    edit["version"] = json!(1);
    let res = app.send_json(Method::PUT, &format!("/api/v1/resources/{id}"), Who::Admin, Some(edit.clone()), &[]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["version"], 2);
    let res = app.send_json(Method::PUT, &format!("/api/v1/resources/{id}"), Who::Admin, Some(edit), &[]).await;
    assert_problem(&res, StatusCode::CONFLICT);
    let page = app.send_json(Method::GET, &format!("/resources/{id}"), Who::Anonymous, None, &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Guide, second edition"));
    let list = app.send_json(Method::GET, "/resources", Who::Anonymous, None, &[]).await;
    assert!(list.text().contains("Guide, second edition"));

    // Searchable as their own kind: not among cases unless asked for, counted in the kind facet.
    app.sync_search().await;
    let found =
        app.send_json(Method::GET, "/api/v1/search?q=guide%20edition&kind=resource", Who::Anonymous, None, &[]).await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.text());
    let hits = found.json();
    assert_eq!(hits["items"][0]["id"], id.as_str(), "{hits}");
    assert_eq!(hits["items"][0]["kind"], "resource");
    let cases_only =
        app.send_json(Method::GET, "/api/v1/search?q=guide%20edition", Who::Anonymous, None, &[]).await.json();
    assert!(cases_only["items"].as_array().unwrap().iter().all(|h| h["kind"] == "case"), "{cases_only}");
    let facet = &cases_only["facets"]["kind"];
    assert!(facet.as_array().unwrap().iter().any(|v| v["value"] == "resource" && v["count"] == 1), "{facet}");
    let page = app.send_json(Method::GET, "/search?q=guide%20edition&kind=resource", Who::Anonymous, None, &[]).await;
    assert!(page.text().contains(&format!("href=\"/resources/{id}\"")), "the search page links the resource");
    // Removed, it is no longer found.
    let res = app
        .send_json(Method::DELETE, &format!("/api/v1/resources/{id}"), Who::Curator, None, &[("if-match", "\"2\"")])
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text());
    app.sync_search().await;
    let found =
        app.send_json(Method::GET, "/api/v1/search?q=guide%20edition&kind=resource", Who::Anonymous, None, &[]).await;
    assert_eq!(found.json()["total"], 0);
}

#[tokio::test]
async fn collections_show_only_what_is_published() {
    let app = TestApp::new().await;
    let a = app.case_in(Status::Published).await;
    let b = app.case_in(Status::Published).await;
    let draft = app.case_in(Status::Draft).await;
    let body = json!({"id": "complaint-handling", "title": {"en": "Complaint handling across ASEAN", "id": "Penanganan pengaduan di ASEAN"},
                      "introduction": {"en": "Cases that **closed the loop**."}, "cases": [b, a]});
    let res = app.send_json(Method::POST, "/api/v1/collections", Who::Curator, Some(body.clone()), &[]).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let res = app.send_json(Method::POST, "/api/v1/collections", Who::Curator, Some(body), &[]).await;
    assert_problem(&res, StatusCode::CONFLICT);
    let bad = json!({"id": "Bad Id", "title": {"en": "X"}, "cases": [draft, a, a]});
    let res = app.send_json(Method::POST, "/api/v1/collections", Who::Curator, Some(bad), &[]).await;
    let problem = assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = error_fields(&problem);
    fields.sort();
    assert_eq!(fields, ["cases[0]", "cases[2]", "id"], "{problem}");

    // The order is the curator's; a case archived later drops out of what is shown.
    let got = app.send_json(Method::GET, "/api/v1/collections/complaint-handling", Who::Anonymous, None, &[]).await;
    assert_eq!(got.json()["cases"], json!([b, a]));
    app.step(&b, "archive", Who::Curator, Some(json!({"comment": "Superseded"}))).await;
    let got = app.send_json(Method::GET, "/api/v1/collections/complaint-handling", Who::Anonymous, None, &[]).await;
    assert_eq!(got.json()["cases"], json!([a]));
    let page = app.send_json(Method::GET, "/collections/complaint-handling", Who::Anonymous, None, &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("<strong>closed the loop</strong>"), "the introduction is Markdown");
    assert!(text.contains(&format!("/cases/{a}")) && !text.contains(&format!("/cases/{b}")));
    let page = app.send_json(Method::GET, "/collections", Who::Anonymous, None, &[]).await;
    assert!(page.text().contains("Complaint handling across ASEAN"));
}

#[tokio::test]
async fn the_pages_forms_are_for_curators_and_check_their_token() {
    let app = TestApp::new().await;
    let mut anon = common::Browser::new(&app);
    let res = anon.get("/resources/new").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "anonymous readers are sent to sign in");
    for who in [Who::Reader, Who::Contributor, Who::Delegate] {
        let mut b = common::Browser::signed_in(&app, who).await;
        assert_eq!(b.get("/resources/new").await.status, StatusCode::FORBIDDEN, "{who:?}");
        assert_eq!(b.get("/collections/new").await.status, StatusCode::FORBIDDEN, "{who:?}");
    }
    let case = app.case_in(Status::Published).await;
    let mut cur = common::Browser::signed_in(&app, Who::Curator).await;
    assert_eq!(cur.get("/collections/new").await.status, StatusCode::OK);
    let fields =
        [("id", "picks"), ("title_en", "Our picks"), ("intro_en", "Read these *first*."), ("cases", case.as_str())];
    // Without the form's token: refused, nothing stored.
    let res = cur.post_form("/collections/new", &fields).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.send_json(Method::GET, "/api/v1/collections", Who::Anonymous, None, &[]).await.json()["total"], 0);
    let res = cur.post("/collections/new", &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    assert_eq!(res.header("location"), Some("/collections/picks"));
    // A refusal shows why and keeps what was typed.
    let res = cur.post("/collections/new", &[("id", "picks"), ("title_en", "Again"), ("cases", case.as_str())]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.text().contains("value=\"Again\""), "the form keeps what was typed");

    // The upload form: a multipart post with the page's token; without it, refused.
    cur.get("/resources/new").await;
    let csrf = cur.csrf();
    let post = |with_token: bool, file: (&'static str, Vec<u8>)| {
        let mut fields: Vec<(&str, &str)> = FIELDS.to_vec();
        if with_token {
            fields.push(("csrf", csrf.as_str()));
        }
        let body = multipart(&fields, Some((file.0, "application/octet-stream", &file.1)));
        cur.builder(Method::POST, "/resources/new")
            .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let res = app.send(post(false, ("guide.pdf", pdf()))).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    nothing_stored(&app, "an upload without the form's token").await;
    let res = app
        .send(post(true, ("guide.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".to_vec())))
        .await;
    assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let text = res.text();
    assert!(
        text.contains("role=\"alert\"") && text.contains("value=\"Innovation toolkit for regional governments\""),
        "{text}"
    );
    nothing_stored(&app, "an executable through the form").await;
    let res = app.send(post(true, ("guide.pdf", pdf()))).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    assert!(res.header("location").unwrap().starts_with("/resources/"));
}
