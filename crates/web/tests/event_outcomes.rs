//! Outcomes and action items: who may record them, bad input refused with
//! nothing written, overdue items for curators, the owner organisation's
//! page, and the next edition showing the previous one's open items.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Browser, TestApp, Who, assert_problem, error_fields};
use lumbung_core::Status;
use serde_json::{Value, json};

fn event(title: &str, start: &str) -> Value {
    json!({"title": title, "kind": "forum", "level": "regional", "series": "apgf", "starts_at": start,
           "duration_minutes": 600, "time_zone": "Asia/Manila", "city": "Manila", "country": "PH"})
}

async fn create(app: &TestApp, body: Value) -> String {
    let (status, _, e) = app.request_as(Method::POST, "/api/v1/events", Who::Curator, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    e["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn outcomes_and_action_items_permission_matrix() {
    let app = TestApp::new().await;
    let id = create(&app, event("APGF 2025", "2025-06-10T09:00")).await;
    let (_, _, item) = app
        .request_as(
            Method::POST,
            &format!("/api/v1/events/{id}/actions"),
            Who::Admin,
            Some(json!({"what": "Share the toolkit", "owner": "lan-ri", "due_on": "2025-09-01"})),
        )
        .await;
    let aid = item["id"].as_str().unwrap().to_owned();
    for who in Who::ALL {
        let manager = matches!(who, Who::Curator | Who::Admin);
        let expect = |ok: u16| {
            if who == Who::Anonymous {
                401
            } else if manager {
                ok
            } else {
                403
            }
        };
        let version = app.store.get_event(&id).await.unwrap().unwrap().version;
        let res = app
            .send_json(
                Method::PUT,
                &format!("/api/v1/events/{id}/outcome"),
                who,
                Some(json!({"summary": "Good", "decisions": ["Meet again"], "version": version})),
                &[],
            )
            .await;
        assert_eq!(res.status.as_u16(), expect(200), "outcome as {who:?}: {}", res.text());
        let res = app
            .send_json(
                Method::POST,
                &format!("/api/v1/events/{id}/actions"),
                who,
                Some(json!({"what": "Write the report", "owner": "kemenpan-rb", "due_on": "2025-12-01"})),
                &[],
            )
            .await;
        assert_eq!(res.status.as_u16(), expect(201), "add action as {who:?}: {}", res.text());
        let v = app.store.action_item(&aid).await.unwrap().unwrap().version;
        let res = app
            .send_json(
                Method::PUT,
                &format!("/api/v1/actions/{aid}"),
                who,
                Some(json!({"what": "Share the toolkit", "owner": "lan-ri", "due_on": "2025-09-01", "status": "open", "version": v})),
                &[],
            )
            .await;
        assert_eq!(res.status.as_u16(), expect(200), "update action as {who:?}: {}", res.text());
        for path in [format!("/api/v1/events/{id}/actions"), "/api/v1/actions?overdue=true".to_owned()] {
            let res = app.send_json(Method::GET, &path, who, None, &[]).await;
            assert_eq!(res.status, StatusCode::OK, "{path} as {who:?}");
        }
        // The curators' page of overdue items.
        let mut b = Browser::signed_in(&app, who).await;
        let res = b.get("/events/actions?overdue=1").await;
        let page = if who == Who::Anonymous {
            303
        } else if manager {
            200
        } else {
            403
        };
        assert_eq!(res.status.as_u16(), page, "overdue page as {who:?}");
    }
}

#[tokio::test]
async fn bad_outcomes_and_action_items_write_nothing() {
    let app = TestApp::new().await;
    let id = create(&app, event("APGF 2025", "2025-06-10T09:00")).await;
    let draft = app.case_in(Status::Draft).await;
    let before = app.last_change().await;
    let bad: [(Value, &str); 5] = [
        (json!({"what": " ", "owner": "lan-ri", "due_on": "2025-09-01"}), "what"),
        (json!({"what": "x", "owner": "nobody", "due_on": "2025-09-01"}), "owner"),
        (json!({"what": "x", "owner": "lan-ri", "due_on": "2025-02-30"}), "due_on"),
        (json!({"what": "x", "owner": "lan-ri", "due_on": "soon"}), "due_on"),
        (json!({"what": "x", "owner": "lan-ri", "due_on": "2025-09-01", "cases": [draft]}), "cases[0]"),
    ];
    for (body, field) in bad {
        let res = app
            .send_json(Method::POST, &format!("/api/v1/events/{id}/actions"), Who::Curator, Some(body.clone()), &[])
            .await;
        let p = assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error_fields(&p).iter().any(|f| f == field), "{body}: {p}");
    }
    let res = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/events/{id}/outcome"),
            Who::Curator,
            Some(json!({"summary": "a\u{0000}b", "decisions": [" "], "version": 1})),
            &[],
        )
        .await;
    let p = assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&p), ["summary", "decisions[0]"]);
    let res = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/events/{id}/outcome"),
            Who::Curator,
            Some(json!({"summary": "ok", "version": 7})),
            &[],
        )
        .await;
    assert_problem(&res, StatusCode::CONFLICT);
    assert_eq!(app.last_change().await, before);
    let res = app.send_json(Method::GET, "/api/v1/actions?overdue=maybe", Who::Anonymous, None, &[]).await;
    assert_problem(&res, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn action_items_show_on_the_owner_page_as_overdue_and_at_the_next_edition() {
    let app = TestApp::new().await;
    let case = app.case_in(Status::Published).await;
    let past = create(&app, event("APGF 2025", "2025-06-10T09:00")).await;
    let next = create(&app, event("APGF 2099", "2099-06-10T09:00")).await;
    for (what, due, status) in [
        ("Publish the toolkit", "2025-09-01", "open"),
        ("Translate the guide", "2025-08-01", "done"),
        ("Visit Davao", "2099-01-01", "open"),
    ] {
        let (status_code, _, item) = app
            .request_as(
                Method::POST,
                &format!("/api/v1/events/{past}/actions"),
                Who::Curator,
                Some(json!({"what": what, "owner": "lan-ri", "due_on": due, "status": status, "cases": [case]})),
            )
            .await;
        assert_eq!(status_code, StatusCode::CREATED, "{item}");
    }
    let (_, _, overdue) = app.request_as(Method::GET, "/api/v1/actions?overdue=true", Who::Anonymous, None).await;
    let whats: Vec<&str> = overdue.as_array().unwrap().iter().map(|a| a["what"].as_str().unwrap()).collect();
    assert_eq!(whats, ["Publish the toolkit"]);
    assert_eq!(overdue[0]["overdue"], true);
    let mut reader = Browser::new(&app);
    let org = reader.get("/organisations/lan-ri").await.text();
    // In the page's body, under its heading (not in the <title>).
    let body = org.split_once("<h2 id=\"org-actions\">").map(|(_, b)| b).unwrap_or_default();
    assert!(body.contains("Publish the toolkit") && body.contains("Visit Davao"), "{org}");
    assert!(!org.split_once("</title>").unwrap().0.contains("Publish the toolkit"), "not in the title");
    let page = reader.get(&format!("/events/{next}")).await.text();
    assert!(page.contains("Open action items of the previous edition"));
    assert!(page.contains("Publish the toolkit") && page.contains("Visit Davao"));
    assert!(!page.contains("Translate the guide"), "done items are not carried over");
    // A curator records the outcome and closes an item on the pages.
    let mut curator = Browser::signed_in(&app, Who::Curator).await;
    let res = curator
        .post(
            &format!("/events/{past}/outcome"),
            &[("version", "1"), ("summary", "**Agreed** on three things"), ("decisions", "One\nTwo"), ("minutes", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let page = curator.get(&format!("/events/{past}")).await.text();
    assert!(page.contains("<strong>Agreed</strong>") && page.contains("<li>Two</li>"));
    let items = app
        .store
        .action_items(&lumbung_store::ActionFilter { event_id: Some(past.clone()), ..Default::default() })
        .await
        .unwrap();
    let open = items.iter().find(|a| a.content.what == "Publish the toolkit").unwrap();
    let res = curator
        .post(
            &format!("/events/actions/{}/status", open.id),
            &[("status", "done"), ("version", &open.version.to_string())],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let overdue = curator.get("/events/actions?overdue=1").await.text();
    assert!(!overdue.contains("Publish the toolkit"));
    let res = curator
        .post(
            &format!("/events/{past}/actions"),
            &[("what", "Report back"), ("owner", "kemenpan-rb"), ("due_on", "2025-07-01"), ("cases", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(curator.get("/events/actions?overdue=1").await.text().contains("Report back"));
}
