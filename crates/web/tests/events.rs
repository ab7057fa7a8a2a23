//! Events over the API and the pages: who may do what, bad input refused
//! with nothing written, the waiting list (also under a race), the online
//! link for registered participants only, stale edits, and "presented at".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Browser, TestApp, Who, assert_problem, error_fields};
use lumbung_core::Status;
use serde_json::{Value, json};

fn event_body(title: &str) -> Value {
    json!({
        "title": title,
        "kind": "forum",
        "level": "regional",
        "starts_at": "2099-03-10T09:00",
        "duration_minutes": 480,
        "time_zone": "Asia/Makassar",
        "venue": "Four Points",
        "city": "Makassar",
        "country": "ID",
        "online_url": "https://meet.example.org/apgf",
        "countries": ["ID", "PH"],
        "organisers": ["lan-ri"],
        "registration_open": true,
    })
}

async fn create(app: &TestApp, body: Value) -> Value {
    let (status, _, json) = app.request_as(Method::POST, "/api/v1/events", Who::Curator, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    json
}

async fn event_rows(app: &TestApp) -> i64 {
    app.store
        .list_events(&lumbung_store::EventFilter {
            when: lumbung_store::EventWhen::All,
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .total
}

#[tokio::test]
async fn times_are_shown_in_the_zone_and_in_utc() {
    let app = TestApp::new().await;
    let e = create(&app, event_body("Asian Public Governance Forum")).await;
    assert_eq!(e["starts_at"], "2099-03-10T09:00");
    assert_eq!(e["ends_at"], "2099-03-10T17:00");
    assert_eq!(e["zone_abbreviation"], "WITA");
    assert_eq!(e["starts_at_utc"], "2099-03-10T01:00:00Z");
    assert_eq!(e["version"], 1);
    let (status, _, list) =
        app.request_as(Method::GET, "/api/v1/events?level=regional&country=PH", Who::Anonymous, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], e["id"]);
    let (_, _, none) = app.request_as(Method::GET, "/api/v1/events?level=national", Who::Anonymous, None).await;
    assert_eq!(none["total"], 0);
    let (_, _, past) = app.request_as(Method::GET, "/api/v1/events?when=past", Who::Anonymous, None).await;
    assert_eq!(past["total"], 0);
    let (status, _, _) = app.request_as(Method::GET, "/api/v1/events?level=galactic", Who::Anonymous, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn permission_matrix() {
    let app = TestApp::new().await;
    let target = create(&app, event_body("Target")).await;
    let id = target["id"].as_str().unwrap().to_owned();
    for who in Who::ALL {
        let manager = matches!(who, Who::Curator | Who::Admin);
        let anonymous = who == Who::Anonymous;
        let expect = |ok: u16| {
            if anonymous {
                401
            } else if manager {
                ok
            } else {
                403
            }
        };
        // create
        let res = app.send_json(Method::POST, "/api/v1/events", who, Some(event_body("New")), &[]).await;
        assert_eq!(res.status.as_u16(), expect(201), "create as {who:?}: {}", res.text());
        // update (with the current version)
        let current = app.store.get_event(&id).await.unwrap().unwrap().version;
        let mut body = event_body("Renamed");
        body["version"] = json!(current);
        let res = app.send_json(Method::PUT, &format!("/api/v1/events/{id}"), who, Some(body), &[]).await;
        assert_eq!(res.status.as_u16(), expect(200), "update as {who:?}: {}", res.text());
        // read: everyone
        let res = app.send_json(Method::GET, &format!("/api/v1/events/{id}"), who, None, &[]).await;
        assert_eq!(res.status, StatusCode::OK, "read as {who:?}");
        let res = app.send_json(Method::GET, "/api/v1/events", who, None, &[]).await;
        assert_eq!(res.status, StatusCode::OK, "list as {who:?}");
        // register and cancel: any account
        let path = format!("/api/v1/events/{id}/registration");
        let res = app.send_json(Method::POST, &path, who, None, &[]).await;
        assert_eq!(res.status.as_u16(), if anonymous { 401 } else { 200 }, "register as {who:?}: {}", res.text());
        let res = app.send_json(Method::DELETE, &path, who, None, &[]).await;
        assert_eq!(res.status.as_u16(), if anonymous { 401 } else { 200 }, "cancel as {who:?}: {}", res.text());
        // cancelling twice: nothing to cancel
        let res = app.send_json(Method::DELETE, &path, who, None, &[]).await;
        assert_eq!(res.status.as_u16(), if anonymous { 401 } else { 409 }, "cancel again as {who:?}");
    }
}

#[tokio::test]
async fn bad_input_is_refused_and_nothing_is_written() {
    let app = TestApp::new().await;
    let draft = app.case_in(Status::Draft).await;
    let before_rows = event_rows(&app).await;
    let before_log = app.last_change().await;
    let cases: [(&str, Value, &str); 9] = [
        ("time_zone", json!("Mars/Olympus_Mons"), "time_zone"),
        ("time_zone", json!("asia/jakarta"), "time_zone"),
        ("duration_minutes", json!(-60), "duration_minutes"),
        ("duration_minutes", json!(0), "duration_minutes"),
        ("capacity", json!(0), "capacity"),
        ("capacity", json!(-3), "capacity"),
        ("starts_at", json!("2099-02-30T09:00"), "starts_at"),
        ("title", json!("Forum\u{0007}<script>alert(1)</script>"), "title"),
        (
            "sessions",
            json!([{"starts_at": "2099-03-10T09:00", "duration_minutes": 30, "title": "Case", "cases": [draft, "01HZZZZZZZZZZZZZZZZZZZZZZZ"]}]),
            "sessions[0].cases[0]",
        ),
    ];
    for (field, value, reported) in cases {
        let mut body = event_body("Bad");
        body[field] = value.clone();
        let res = app.send_json(Method::POST, "/api/v1/events", Who::Curator, Some(body), &[]).await;
        let problem = assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error_fields(&problem).iter().any(|f| f == reported), "{field}={value}: {problem}");
    }
    // Wrong types and unknown fields, too.
    let mut body = event_body("Bad");
    body["kind"] = json!("party");
    body["colour"] = json!("red");
    let res = app.send_json(Method::POST, "/api/v1/events", Who::Curator, Some(body), &[]).await;
    assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY);
    let res = app.send_raw(Method::POST, "/api/v1/events", Who::Curator, Some("application/json"), "[1,2").await;
    assert_problem(&res, StatusCode::BAD_REQUEST);
    assert_eq!(event_rows(&app).await, before_rows);
    assert_eq!(app.last_change().await, before_log, "no change-log entry for refused input");
}

#[tokio::test]
async fn hostile_text_is_stored_as_text_and_escaped_on_the_page() {
    let app = TestApp::new().await;
    let mut body = event_body("<script>alert('x')</script> Forum");
    body["description"] = json!("Hello <img src=x onerror=alert(1)> **bold**");
    let e = create(&app, body).await;
    let mut b = Browser::new(&app);
    let page = b.get(&format!("/events/{}", e["id"].as_str().unwrap())).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(!html.contains("<script>alert"), "title escaped");
    assert!(!html.contains("onerror"), "description sanitised");
    assert!(html.contains("<strong>bold</strong>"));
}

#[tokio::test]
async fn a_stale_edit_is_a_conflict_and_a_cancelled_event_says_so() {
    let app = TestApp::new().await;
    let e = create(&app, event_body("Forum")).await;
    let path = format!("/api/v1/events/{}", e["id"].as_str().unwrap());
    let mut body = event_body("Forum, renamed");
    body["version"] = json!(1);
    let (status, _, v2) = app.request_as(Method::PUT, &path, Who::Curator, Some(body.clone())).await;
    assert_eq!(status, StatusCode::OK, "{v2}");
    assert_eq!(v2["version"], 2);
    let res = app.send_json(Method::PUT, &path, Who::Admin, Some(body), &[]).await;
    let problem = assert_problem(&res, StatusCode::CONFLICT);
    assert_eq!(problem["current_version"], 2);
    let mut cancel = event_body("Forum, renamed");
    cancel["status"] = json!("cancelled");
    let res = app.send_json(Method::PUT, &path, Who::Curator, Some(cancel.clone()), &[]).await;
    assert_problem(&res, StatusCode::PRECONDITION_REQUIRED);
    let res = app.send_json(Method::PUT, &path, Who::Curator, Some(cancel), &[("if-match", "\"2\"")]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["status"], "cancelled");
    // Nobody registers for a cancelled event.
    let res = app.send_json(Method::POST, &format!("{path}/registration"), Who::Reader, None, &[]).await;
    assert_problem(&res, StatusCode::CONFLICT);
    let changes = app.store.changes_since(0, 1000).await.unwrap();
    let actions: Vec<&str> =
        changes.iter().filter(|c| c.entity == lumbung_store::Entity::Event).map(|c| c.action.as_str()).collect();
    assert_eq!(actions, ["create", "update", "cancel"]);
}

#[tokio::test]
async fn the_waiting_list_moves_up_when_a_place_frees() {
    let app = TestApp::new().await;
    let mut body = event_body("Small workshop");
    body["capacity"] = json!(2);
    let e = create(&app, body).await;
    let id = e["id"].as_str().unwrap();
    let path = format!("/api/v1/events/{id}/registration");
    let mut states = Vec::new();
    for who in [Who::Reader, Who::Contributor, Who::Delegate] {
        let (status, _, r) = app.request_as(Method::POST, &path, who, None).await;
        assert_eq!(status, StatusCode::OK, "{r}");
        states.push(r["state"].as_str().unwrap().to_owned());
    }
    assert_eq!(states, ["registered", "registered", "waiting"]);
    // The third does not see the online link yet; the registered do.
    let (_, _, seen) = app.request_as(Method::GET, &format!("/api/v1/events/{id}"), Who::Delegate, None).await;
    assert_eq!(seen["online_url"], Value::Null);
    assert_eq!(seen["my_registration"], "waiting");
    assert_eq!((seen["registered"].clone(), seen["waiting"].clone()), (json!(2), json!(1)));
    let (_, _, seen) = app.request_as(Method::GET, &format!("/api/v1/events/{id}"), Who::Reader, None).await;
    assert_eq!(seen["online_url"], "https://meet.example.org/apgf");
    let (_, _, anon) = app.request_as(Method::GET, &format!("/api/v1/events/{id}"), Who::Anonymous, None).await;
    assert_eq!(anon["online_url"], Value::Null);
    assert_eq!(anon["has_online_link"], true);
    // One cancels: the third is in.
    let (status, _, _) = app.request_as(Method::DELETE, &path, Who::Contributor, None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, seen) = app.request_as(Method::GET, &format!("/api/v1/events/{id}"), Who::Delegate, None).await;
    assert_eq!(seen["my_registration"], "registered");
    assert_eq!(seen["online_url"], "https://meet.example.org/apgf");
    assert_eq!((seen["registered"].clone(), seen["waiting"].clone()), (json!(2), json!(0)));
    // The online link is on the page for the registered only.
    let mut reader = Browser::signed_in(&app, Who::Delegate).await;
    assert!(reader.get(&format!("/events/{id}")).await.text().contains("https://meet.example.org/apgf"));
    let mut other = Browser::signed_in(&app, Who::Contributor).await;
    assert!(!other.get(&format!("/events/{id}")).await.text().contains("https://meet.example.org/apgf"));
}

#[tokio::test]
async fn accounts_racing_for_the_last_place_never_both_get_it() {
    let app = TestApp::new().await;
    for round in 0..5 {
        let mut body = event_body(&format!("Race {round}"));
        body["capacity"] = json!(1);
        let e = create(&app, body).await;
        let id = e["id"].as_str().unwrap().to_owned();
        let accounts: Vec<String> =
            [Who::Reader, Who::Contributor, Who::OtherContributor, Who::Delegate, Who::Curator, Who::Admin]
                .into_iter()
                .map(|w| app.id_of(w))
                .collect();
        let mut tasks = Vec::new();
        for a in accounts {
            let store = app.store.clone();
            let id = id.clone();
            tasks.push(tokio::spawn(async move {
                for attempt in 0..50 {
                    match store.register(&id, &a).await {
                        Ok(s) => return s,
                        Err(e) if e.is_busy() && attempt < 49 => {
                            tokio::time::sleep(std::time::Duration::from_millis(5)).await
                        }
                        Err(e) => panic!("{e}"),
                    }
                }
                unreachable!()
            }));
        }
        let mut registered = 0;
        for t in tasks {
            if t.await.unwrap() == lumbung_core::event::RegistrationState::Registered {
                registered += 1;
            }
        }
        assert_eq!(registered, 1, "round {round}");
        assert_eq!(app.store.registrations(&id).await.unwrap().registered, 1);
    }
}

#[tokio::test]
async fn a_case_shows_where_it_was_presented() {
    let app = TestApp::new().await;
    let case = app.case_in(Status::Published).await;
    let mut body = event_body("Innovation week");
    body["sessions"] = json!([
        {"starts_at": "2099-03-10T10:00", "duration_minutes": 45, "title": "Opening", "speakers": ["Minister"], "cases": [case, "oai:ph.dap:case/01HABCDEF"]},
    ]);
    let e = create(&app, body).await;
    assert_eq!(e["sessions"][0]["starts_at_utc"], "2099-03-10T02:00:00Z");
    let mut b = Browser::new(&app);
    let page = b.get(&format!("/cases/{case}")).await.text();
    assert!(page.contains(&format!("/events/{}", e["id"].as_str().unwrap())), "presented at links the event");
    assert!(page.contains("Innovation week"));
    let event_page = b.get(&format!("/events/{}", e["id"].as_str().unwrap())).await.text();
    assert!(event_page.contains(&format!("/cases/{case}")));
    assert!(event_page.contains("oai:ph.dap:case/01HABCDEF"));
    assert!(event_page.contains("WITA"));
}

fn form_fields<'a>(title: &'a str, starts: &'a str, ends: &'a str, sessions: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("description", "The **national** innovation week."),
        ("kind", "conference"),
        ("level", "national"),
        ("series", "innovation-week"),
        ("edition", "3"),
        ("starts_at", starts),
        ("ends_at", ends),
        ("time_zone", "Asia/Jakarta"),
        ("venue", "Balai Kartini"),
        ("city", "Jakarta"),
        ("country", "ID"),
        ("online_url", "https://meet.example.org/week"),
        ("organisers", "kemenpan-rb"),
        ("organisers", "lan-ri"),
        ("countries", "ID, MY"),
        ("sessions", sessions),
        ("registration_open", "on"),
        ("capacity", "100"),
        ("status", "scheduled"),
    ]
}

#[tokio::test]
async fn a_curator_creates_an_event_with_the_form_and_a_reader_registers_on_the_page() {
    let app = TestApp::new().await;
    let a = app.case_in(Status::Published).await;
    let b = app.case_in(Status::Published).await;
    // Who may open the form.
    let mut anon = Browser::new(&app);
    assert_eq!(anon.get("/events/new").await.status, StatusCode::SEE_OTHER);
    for who in [Who::Reader, Who::Contributor, Who::Delegate] {
        let mut br = Browser::signed_in(&app, who).await;
        assert_eq!(br.get("/events/new").await.status, StatusCode::FORBIDDEN, "{who:?}");
        let res = br.post("/events/new", &form_fields("X", "2099-05-01T09:00", "2099-05-01T10:00", "")).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who:?}");
    }
    let mut curator = Browser::signed_in(&app, Who::Curator).await;
    assert_eq!(curator.get("/events/new").await.status, StatusCode::OK);
    // An end before the start is refused, nothing written.
    let before = event_rows(&app).await;
    let res = curator.post("/events/new", &form_fields("Week", "2099-05-01T09:00", "2099-05-01T08:00", "")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("duration_minutes"));
    assert_eq!(event_rows(&app).await, before);
    // Two sessions presenting two cases.
    let sessions = format!(
        "2099-05-01T09:30 | 60 | Opening | Minister A; Dr B | {a}\n2099-05-01T11:00 | 45 | Panel | C | {b} oai:my.mampu:case/01HX"
    );
    let res = curator
        .post("/events/new", &form_fields("Innovation Week 2099", "2099-05-01T09:00", "2099-05-03T17:00", &sessions))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let location = res.header("location").unwrap().to_owned();
    let page = curator.get(&location).await.text();
    assert!(page.contains("Innovation Week 2099") && page.contains("WIB"), "{page}");
    assert!(page.contains(&format!("/cases/{a}")) && page.contains(&format!("/cases/{b}")));
    assert!(page.contains("oai:my.mampu:case/01HX"));
    assert!(page.contains("<strong>national</strong>"));
    for case in [&a, &b] {
        assert!(anon.get(&format!("/cases/{case}")).await.text().contains("Innovation Week 2099"));
    }
    // The edit form keeps the agenda and saves.
    let id = location.trim_start_matches("/events/").split('?').next().unwrap().to_owned();
    let edit = curator.get(&format!("/events/{id}/edit")).await.text();
    assert!(edit.contains("2099-05-03T17:00") && edit.contains("| Opening |"));
    let mut fields = form_fields("Innovation Week 2099 (edited)", "2099-05-01T09:00", "2099-05-03T17:00", &sessions);
    fields.push(("version", "1"));
    let res = curator.post(&format!("/events/{id}/edit"), &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    // A stale form is a conflict.
    let res = curator.post(&format!("/events/{id}/edit"), &fields).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    // A reader registers on the page and sees the online link.
    let mut reader = Browser::signed_in(&app, Who::Reader).await;
    let before = reader.get(&format!("/events/{id}")).await.text();
    assert!(!before.contains("https://meet.example.org/week"));
    let res = reader.post(&format!("/events/{id}/register"), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let after = reader.get(res.header("location").unwrap()).await.text();
    assert!(after.contains("https://meet.example.org/week"));
    // Forms without the CSRF token change nothing.
    let res = reader.post_form(&format!("/events/{id}/unregister"), &[]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.store.registrations(&id).await.unwrap().registered, 1);
    // Both languages render.
    let mut id_reader = Browser::signed_in_lang(&app, Who::Reader, "id").await;
    let page = id_reader.get("/events").await.text();
    assert!(page.contains("Akan datang") && page.contains("Innovation Week 2099 (edited)"));
}
