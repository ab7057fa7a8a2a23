//! `/map` through the real router: published cases only, shaded and linked
//! by country, the same numbers in a table, accessible SVG without inline
//! styles, small enough for a slow link.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::io::Write;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{CaseBody, TestApp};
use lumbung_core::Status;

#[tokio::test]
async fn the_map_shows_published_cases_by_country() {
    let app = TestApp::new().await;
    for (title, country) in [("Mal pelayanan", "ID"), ("Lapor", "ID"), ("eGov PH", "PH")] {
        app.case_in_with(Status::Published, CaseBody::new(title).country(country).build()).await;
    }
    app.case_in_with(Status::Draft, CaseBody::new("Draft in Thailand").country("TH").build()).await;
    app.case_in_with(Status::Submitted, CaseBody::new("Waiting in Viet Nam").country("VN").build()).await;
    app.sync_search().await;

    let res = app.send(Request::get("/map").header("accept", "text/html").body(Body::empty()).unwrap()).await;
    assert_eq!(res.status, StatusCode::OK);
    let html = res.text();
    // Two maps, each an image with a title.
    assert_eq!(html.matches("role=\"img\"").count(), 2);
    assert!(html.contains("<title id=\"map-southeast-asia-title\">Published cases in Southeast Asia</title>"));
    // Countries with published cases link to the search, with their count.
    assert!(html.contains("<path class=\"shade-5\""));
    assert!(html.contains("<title>Indonesia: 2 cases</title>"));
    assert!(html.contains("<a href=\"/search?country=ID\" tabindex=\"-1\"><path d="));
    assert!(html.contains("<a href=\"/search?country=PH\" tabindex=\"-1\"><path d="));
    // Unpublished cases count for nothing.
    assert!(!html.contains("/search?country=TH") && !html.contains("/search?country=VN"));
    assert!(html.contains("<title>Thailand: 0 cases</title>"));
    // The table has the same numbers.
    assert!(html.contains("<th scope=\"row\"><a href=\"/search?country=ID\">Indonesia</a></th><td>2</td>"));
    assert!(html.contains("<th scope=\"row\"><a href=\"/search?country=PH\">Philippines</a></th><td>1</td>"));
    // No inline styles, nothing from another host, small when compressed.
    assert!(!html.contains("style="));
    assert!(!html.contains("src=\"http"));
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    z.write_all(html.as_bytes()).unwrap();
    let compressed = z.finish().unwrap().len();
    assert!(compressed < 150 * 1024, "the map page is {compressed} bytes compressed");

    // In Indonesian.
    let res = app
        .send(
            Request::get("/map")
                .header("accept", "text/html")
                .header("accept-language", "id")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let html = res.text();
    assert!(html.contains("Peta inovasi") && html.contains("2 kasus"));
}

#[tokio::test]
async fn replication_between_countries_is_drawn_as_arcs_with_a_table() {
    let app = TestApp::new().await;
    let source = app.case_in_with(Status::Published, CaseBody::new("Mal pelayanan").country("ID").build()).await;
    let mut adopters = Vec::new();
    for (title, country) in [("One-stop PH", "PH"), ("Another PH", "PH"), ("Same country", "ID")] {
        adopters.push(app.case_in_with(Status::Published, CaseBody::new(title).country(country).build()).await);
    }
    let draft = app.case_in_with(Status::Draft, CaseBody::new("Draft in Thailand").country("TH").build()).await;
    for adopter in adopters.iter().chain([&draft]) {
        let (status, _, body) = app
            .request_as(
                axum::http::Method::POST,
                &format!("/api/v1/cases/{adopter}/links"),
                common::Who::Curator,
                Some(serde_json::json!({"kind": "adapts", "target": source})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    app.sync_search().await;
    let html = app.send(Request::get("/map").header("accept", "text/html").body(Body::empty()).unwrap()).await.text();
    // One arc per pair of countries and view: Indonesia → the Philippines
    // (two cases); not the same-country link, not the draft's.
    assert_eq!(html.matches("<path class=\"arc arc-").count(), 2, "one arc on each map");
    assert!(html.contains("<title>Indonesia → Philippines: 2 cases</title>"), "{html}");
    assert!(!html.contains("Indonesia → Thailand") && !html.contains("Indonesia → Indonesia"));
    assert!(html.contains("marker-end=\"url(#map-southeast-asia-head)\""));
    assert!(!html.contains("style="));
    // The same numbers in the table.
    assert!(html.contains(
        "<tr><td><a href=\"/search?country=ID\">Indonesia</a></td><td><a href=\"/search?country=PH\">Philippines</a></td><td>2</td></tr>"
    ));
}
