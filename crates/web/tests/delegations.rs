//! Delegations (issue #11): on a regional node a delegate represents one
//! country. It writes, submits and nominates that country's cases — anyone's
//! there, its own included — and nothing of another country's, through any
//! channel: the API, the pages, replication links, check-ins. The test
//! fixture's delegate represents the Philippines (PH). Administrators set the
//! delegation; a delegate without one, or another role with one, is refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Browser, CaseBody, TestApp, Who, error_fields};
use lumbung_core::Status;
use lumbung_web::WebSettings;
use serde_json::json;

async fn app() -> TestApp {
    TestApp::with_settings(WebSettings { upstreams: vec!["asean.network".into()], ..Default::default() }).await
}

async fn case(app: &TestApp, status: Status, country: &str) -> String {
    app.case_in_with(status, CaseBody::new(&format!("A case of {country}")).country(country).build()).await
}

#[tokio::test]
async fn a_delegate_acts_for_its_own_country_and_for_no_other_through_every_channel() {
    let app = &app().await;
    let (ph_draft, id_draft) = (case(app, Status::Draft, "PH").await, case(app, Status::Draft, "ID").await);
    let (ph_pub, id_pub) = (case(app, Status::Published, "PH").await, case(app, Status::Published, "ID").await);
    let d = Who::Delegate;

    // Creating: a case of its country, or with no country (it becomes one of
    // its country); another country's is refused with a clear field error.
    let mine = app.create_case_as(d, CaseBody::minimal("Anti-red-tape desks").build()).await;
    assert_eq!(mine["country"], "PH");
    let count = app.case_count().await;
    let (status, _, problem) =
        app.request_as(Method::POST, "/api/v1/cases", d, Some(CaseBody::new("x").country("ID").build())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(error_fields(&problem), ["country"]);
    assert!(problem["detail"].as_str().unwrap().contains("PH"), "{problem}");
    assert_eq!(app.case_count().await, count, "nothing stored");

    // Reading and editing another author's draft: its country's, not another's.
    let (status, _, _) = app.request_as(Method::GET, &format!("/api/v1/cases/{ph_draft}"), d, None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = app.request_as(Method::GET, &format!("/api/v1/cases/{id_draft}"), d, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let edit = |id: &str, country: &str, version: i64| {
        let body = CaseBody::new("Edited by the delegation").country(country).set("version", json!(version)).build();
        let path = format!("/api/v1/cases/{id}");
        async move { app.request_as(Method::PUT, &path, d, Some(body)).await }
    };
    let (status, _, edited) = edit(&ph_draft, "PH", 1).await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["title"]["en"], "Edited by the delegation");
    // Moving its country's case to another country is refused, and changes nothing.
    let before = app.stored_case(&ph_draft).await;
    let (status, _, problem) = edit(&ph_draft, "ID", before.version).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(app.stored_case(&ph_draft).await, before);
    let (status, _, _) = edit(&id_draft, "ID", 1).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(app.stored_case(&id_draft).await.version, 1);

    // Submitting.
    let (status, _, _) = app.request_as(Method::POST, &format!("/api/v1/cases/{id_draft}/submit"), d, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.step(&ph_draft, "submit", d, None).await;

    // Nominating upstream, through the API and the case page.
    let nominate = |id: &str| {
        let path = format!("/api/v1/cases/{id}/nominate");
        async move { app.request_as(Method::POST, &path, d, Some(json!({"to": "asean.network"}))).await }
    };
    let (status, _, problem) = nominate(&id_pub).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("own country"), "{problem}");
    assert!(app.store.nominations_of(&id_pub).await.unwrap().is_empty());
    let (status, _, body) = nominate(&ph_pub).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let mut b = Browser::signed_in(app, d).await;
    assert!(!b.get(&format!("/cases/{id_pub}")).await.text().contains("/nominate\""), "no form for another country");
    assert!(b.get(&format!("/cases/{ph_pub}")).await.text().contains(&format!("action=\"/cases/{ph_pub}/nominate\"")));
    let csrf = b.csrf();
    let res = b.post_form(&format!("/cases/{id_pub}/nominate"), &[("csrf", &csrf), ("to", "asean.network")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(app.store.nominations_of(&id_pub).await.unwrap().is_empty());
    // The submission wizard's pages for another country's draft.
    assert_eq!(b.get(&format!("/submit/{id_draft}/place")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(b.get(&format!("/submit/{}/place", mine["id"].as_str().unwrap())).await.status, StatusCode::OK);

    // Replication links and check-ins: its country's published cases only.
    let link = json!({"kind": "adapts", "target": ph_pub});
    let (status, _, _) = app.request_as(Method::POST, &format!("/api/v1/cases/{id_pub}/links"), d, Some(link)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(app.store.links_of(&id_pub).await.unwrap().is_empty());
    let link = json!({"kind": "adapts", "target": id_pub});
    let (status, _, body) = app.request_as(Method::POST, &format!("/api/v1/cases/{ph_pub}/links"), d, Some(link)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let answer = json!({"answer": "still_running"});
    let (status, _, _) =
        app.request_as(Method::POST, &format!("/api/v1/cases/{id_pub}/checkins"), d, Some(answer.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, body) =
        app.request_as(Method::POST, &format!("/api/v1/cases/{ph_pub}/checkins"), d, Some(answer)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn administrators_set_a_delegation_and_it_is_checked() {
    let app = &app().await;
    let create = |role: &str, delegation: Option<&str>, n: u32| {
        let body = json!({"email": format!("d{n}@example.go.id"), "name": "Delegate", "role": role,
                          "delegation": delegation, "password": "a long enough password"});
        async move { app.request_as(Method::POST, "/api/v1/accounts", Who::Admin, Some(body)).await }
    };
    for (role, delegation, n) in [("delegate", None, 1), ("delegate", Some("XX"), 2), ("contributor", Some("PH"), 3)] {
        let (status, _, problem) = create(role, delegation, n).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{role} {delegation:?}: {problem}");
        assert_eq!(error_fields(&problem), ["delegation"], "{problem}");
    }
    let (status, _, account) = create("delegate", Some("th"), 4).await;
    assert_eq!(status, StatusCode::CREATED, "{account}");
    assert_eq!(account["delegation"], "TH", "stored in upper case");
    // Only administrators set it.
    let id = account["id"].as_str().unwrap();
    let change = json!({"delegation": "ID", "version": account["version"]});
    let (status, _, _) =
        app.request_as(Method::PUT, &format!("/api/v1/accounts/{id}"), Who::Curator, Some(change.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, moved) =
        app.request_as(Method::PUT, &format!("/api/v1/accounts/{id}"), Who::Admin, Some(change)).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["delegation"], "ID");
    // Becoming a contributor drops the delegation; a delegate cannot lose it.
    let (status, _, problem) = app
        .request_as(
            Method::PUT,
            &format!("/api/v1/accounts/{id}"),
            Who::Admin,
            Some(json!({"delegation": null, "version": moved["version"]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let (status, _, contributor) = app
        .request_as(
            Method::PUT,
            &format!("/api/v1/accounts/{id}"),
            Who::Admin,
            Some(json!({"role": "contributor", "version": moved["version"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{contributor}");
    assert!(contributor["delegation"].is_null(), "{contributor}");

    // The administration page offers the country and says what is wrong.
    let mut admin = Browser::signed_in(app, Who::Admin).await;
    let html = admin.get("/admin/accounts").await.text();
    assert!(html.contains("name=\"delegation\"") && html.contains("<option value=\"PH\""), "a country list");
    let csrf = admin.csrf();
    let res = admin
        .post_form(
            "/admin/accounts",
            &[
                ("csrf", &csrf),
                ("email", "page@example.go.id"),
                ("name", "Page delegate"),
                ("role", "delegate"),
                ("delegation", ""),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("A delegate represents a country"), "{}", res.text());
}
