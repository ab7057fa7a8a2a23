//! Cases belong to their author's organisation too (issue #11): every
//! contributor of that organisation may see and continue its drafts and
//! returned cases, so a case outlives a staff rotation; contributors of
//! other organisations may not, through any channel.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Browser, CaseBody, PASSWORD, TestApp, Who};
use lumbung_core::Role;
use lumbung_store::NewAccount;

/// A contributor of `org` with an API token; returns its token.
async fn colleague(app: &TestApp, email: &str, org: &str) -> String {
    let hash = lumbung_app::passwords::hash(PASSWORD).unwrap();
    let account = app
        .store
        .create_account(
            NewAccount {
                email: email.into(),
                name: format!("Colleague {email}"),
                role: Role::Contributor,
                organisation: Some(org.into()),
                delegation: None,
                password_hash: Some(hash),
            },
            None,
        )
        .await
        .unwrap();
    let token = format!("lmb_test_colleague_{}", account.id.to_lowercase());
    app.store.create_token(&account.id, &token, "test").await.unwrap();
    token
}

async fn as_token(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> common::TestResponse {
    let bearer = format!("Bearer {token}");
    app.send_json(method, path, Who::Anonymous, body, &[("authorization", bearer.as_str())]).await
}

#[tokio::test]
async fn a_colleague_continues_a_draft_and_another_organisation_cannot() {
    let app = TestApp::new().await;
    // The contributor (KemenPAN-RB) starts a draft; it belongs to KemenPAN-RB as well.
    let draft = app.create_case_as(Who::Contributor, CaseBody::new("One-stop permits for small firms").build()).await;
    let id = draft["id"].as_str().unwrap().to_owned();
    assert_eq!(draft["owner_organisation"], "kemenpan-rb");
    let same = colleague(&app, "colleague@kemenpan.example", "kemenpan-rb").await;
    let other = colleague(&app, "someone@lan.example", "lan-ri").await;

    // The colleague reads it, finds it in the list, and saves a change.
    let res = as_token(&app, Method::GET, &format!("/api/v1/cases/{id}"), &same, None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let list = as_token(&app, Method::GET, "/api/v1/cases?status=draft", &same, None).await;
    assert!(list.text().contains(&id), "the organisation's drafts are in the colleague's list");
    let body =
        CaseBody::new("One-stop permits for small firms, second draft").set("version", serde_json::json!(1)).build();
    let res = as_token(&app, Method::PUT, &format!("/api/v1/cases/{id}"), &same, Some(body)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let res = as_token(&app, Method::POST, &format!("/api/v1/cases/{id}/submit"), &same, None).await;
    assert_eq!(res.status, StatusCode::OK, "the colleague submits it: {}", res.text());

    // Another organisation's contributor learns nothing of it, anywhere.
    for path in [format!("/api/v1/cases/{id}"), format!("/api/v1/cases/{id}/revisions")] {
        let res = as_token(&app, Method::GET, &path, &other, None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
    }
    let list = as_token(&app, Method::GET, "/api/v1/cases?status=submitted", &other, None).await;
    assert!(!list.text().contains(&id));
    let body = CaseBody::new("Taken over").set("version", serde_json::json!(3)).build();
    let res = as_token(&app, Method::PUT, &format!("/api/v1/cases/{id}"), &other, Some(body)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.stored_case(&id).await.content.title.get("en"),
        Some("One-stop permits for small firms, second draft")
    );

    // Returned, it is the colleague's to continue on the pages too.
    app.step(&id, "return", Who::Curator, Some(serde_json::json!({"comment": "Add the results."}))).await;
    let mut b = Browser::new(&app);
    b.sign_in_as("colleague@kemenpan.example", PASSWORD).await;
    let mine = b.get("/my/cases").await.text();
    assert!(mine.contains(&format!("/submit/{id}")), "listed under the organisation's cases, editable");
    let mut o = Browser::new(&app);
    o.sign_in_as("someone@lan.example", PASSWORD).await;
    assert!(!o.get("/my/cases").await.text().contains(&id));
    assert_eq!(o.get(&format!("/cases/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(o.get(&format!("/submit/{id}")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_case_started_without_an_organisation_stays_its_authors() {
    let app = TestApp::new().await;
    // The delegate acts by country, never by organisation: its drafts belong to no organisation.
    let body = CaseBody::new("Anti-red-tape hotline").country("PH").build();
    let draft = app.create_case_as(Who::Delegate, body).await;
    assert!(draft.get("owner_organisation").is_none() || draft["owner_organisation"].is_null());
    let same_org = colleague(&app, "colleague@kemenpan.example", "kemenpan-rb").await;
    let id = draft["id"].as_str().unwrap();
    let res = as_token(&app, Method::GET, &format!("/api/v1/cases/{id}"), &same_org, None).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}
