//! Calendars checked by a third party: the Python `icalendar` package
//! (pinned in `tests/conformance/requirements.txt`) parses one event's
//! `.ics` before and after an edit and after its cancellation, and a
//! subscribable feed (`tests/conformance/check_calendars.py` says what it
//! checks: 09:00 Asia/Makassar is 01:00 UTC, SEQUENCE grows, STATUS:CANCELLED,
//! a VTIMEZONE for every TZID, lines of at most 75 octets). Also the Atom
//! feed of events and the private per-account calendar.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Browser, TestApp, Who};
use serde_json::{Value, json};

fn body(title: &str) -> Value {
    json!({
        "title": title,
        "kind": "forum",
        "level": "regional",
        "starts_at": "2099-03-10T09:00",
        "duration_minutes": 480,
        "time_zone": "Asia/Makassar",
        "city": "Makassar",
        "country": "ID",
        "countries": ["ID", "PH"],
        "registration_open": true,
        "description": "Line one\nLine two, with a comma; a semicolon and a backslash \\ — and a long text to fold: ".repeat(3),
    })
}

async fn ics(app: &TestApp, path: &str) -> String {
    let res = app.send_json(Method::GET, path, Who::Anonymous, None, &[]).await;
    assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.text());
    assert_eq!(res.header("content-type"), Some("text/calendar; charset=utf-8"));
    res.text()
}

#[tokio::test]
async fn icalendar_parses_our_calendars() {
    let app = TestApp::new().await;
    let (status, _, e) =
        app.request_as(Method::POST, "/api/v1/events", Who::Curator, Some(body("Makassar, ; \\ forum"))).await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    let id = e["id"].as_str().unwrap();
    // A second event in another zone, so the feed has two VTIMEZONEs.
    let mut paris = body("OPSI conference");
    paris["time_zone"] = json!("Europe/Paris");
    paris["level"] = json!("international");
    paris["starts_at"] = json!("2099-06-10T09:00");
    paris["countries"] = json!(["FR", "ID"]);
    let (status, _, _) = app.request_as(Method::POST, "/api/v1/events", Who::Curator, Some(paris)).await;
    assert_eq!(status, StatusCode::CREATED);
    let dir = tempfile::tempdir().unwrap();
    let first = ics(&app, &format!("/events/{id}.ics")).await;
    assert!(first.contains("DTSTART;TZID=Asia/Makassar:20990310T090000\r\n"), "{first}");
    let mut edit = body("Makassar, ; \\ forum (edited)");
    edit["version"] = json!(1);
    let (status, _, _) =
        app.request_as(Method::PUT, &format!("/api/v1/events/{id}"), Who::Curator, Some(edit.clone())).await;
    assert_eq!(status, StatusCode::OK);
    let edited = ics(&app, &format!("/events/{id}.ics")).await;
    edit["version"] = json!(2);
    edit["status"] = json!("cancelled");
    let (status, _, _) = app.request_as(Method::PUT, &format!("/api/v1/events/{id}"), Who::Curator, Some(edit)).await;
    assert_eq!(status, StatusCode::OK);
    let cancelled = ics(&app, &format!("/events/{id}.ics")).await;
    let feed = ics(&app, "/events.ics?country=ID").await;
    assert!(feed.contains("TZID:Europe/Paris") && feed.contains("TZID:Asia/Makassar"), "{feed}");
    let files: Vec<String> = [("first", &first), ("edited", &edited), ("cancelled", &cancelled), ("feed", &feed)]
        .into_iter()
        .map(|(name, text)| {
            let p = dir.path().join(format!("{name}.ics"));
            std::fs::write(&p, text).unwrap();
            p.to_str().unwrap().to_owned()
        })
        .collect();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/conformance/check_calendars.py");
    let out = std::process::Command::new("python3").arg(script).args(&files).output().unwrap_or_else(|e| {
        panic!("cannot run python3 ({e}); install tests/conformance/requirements.txt (scripts/test.sh does)")
    });
    assert!(
        out.status.success(),
        "icalendar found a problem:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{}", String::from_utf8_lossy(&out.stdout));
    // Filters: a level with no such event gives an empty calendar.
    let none = ics(&app, "/events.ics?level=national").await;
    assert!(!none.contains("BEGIN:VEVENT"));
    let res = app.send_json(Method::GET, "/events.ics?level=galactic", Who::Anonymous, None, &[]).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    // The Atom feed lists both.
    let res = app.send_json(Method::GET, "/events.atom", Who::Anonymous, None, &[]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.text().contains("OPSI conference") && res.text().contains("CANCELLED"));
}

#[tokio::test]
async fn the_private_calendar_holds_ones_registrations_and_can_be_revoked() {
    let app = TestApp::new().await;
    let (_, _, e) = app.request_as(Method::POST, "/api/v1/events", Who::Curator, Some(body("Mine"))).await;
    let (_, _, _) = app.request_as(Method::POST, "/api/v1/events", Who::Curator, Some(body("Not mine"))).await;
    let id = e["id"].as_str().unwrap();
    let (status, _, _) =
        app.request_as(Method::POST, &format!("/api/v1/events/{id}/registration"), Who::Reader, None).await;
    assert_eq!(status, StatusCode::OK);
    let mut b = Browser::signed_in(&app, Who::Reader).await;
    let page = b.get("/my/events").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Mine"));
    // The secret is shown once, in the answer to the form (never in a URL of the page).
    let res = b.post("/my/events/calendar", &[("action", "renew")]).await;
    assert_eq!(res.status, StatusCode::OK);
    let page = res.text();
    let start = page.find("/calendar/").expect("the page shows the private address");
    let path: String = page[start..].chars().take_while(|c| *c != '"' && *c != '<').collect();
    let cal = ics(&app, &path).await;
    assert!(cal.contains("SUMMARY:Mine") && !cal.contains("SUMMARY:Not mine"), "{cal}");
    let res = b.post("/my/events/calendar", &[("action", "revoke")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let res = app.send_json(Method::GET, &path, Who::Anonymous, None, &[]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}
