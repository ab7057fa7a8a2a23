//! The publication workflow through the JSON API, with every role: draft,
//! edits, submission, return with a comment, publication, archiving and
//! republication, revisions and diffs, and refused transitions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::{CaseBody, TestApp, Who, assert_problem, error_fields};
use lumbung_core::{Role, Status};
use serde_json::{Value, json};

fn ids(list: &Value) -> Vec<String> {
    list["items"].as_array().expect("items").iter().map(|c| c["id"].as_str().expect("id").to_owned()).collect()
}

#[tokio::test]
async fn a_case_goes_through_the_whole_workflow() {
    let app = TestApp::new().await;
    let contributor = Some(Role::Contributor);
    let curator = Some(Role::Curator);

    // The contributor starts a draft.
    let (status, headers, case) = app
        .request(Method::POST, "/api/v1/cases", contributor, Some(CaseBody::new("Public service mall").build()))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let id = case["id"].as_str().expect("id").to_owned();
    assert_eq!(case["status"], "draft");
    assert_eq!(case["version"], 1);
    assert_eq!(case["created_by"], json!(app.id_of(Who::Contributor)));
    assert!(case["published_at"].is_null());
    assert_eq!(headers.get("location").and_then(|v| v.to_str().ok()), Some(format!("/api/v1/cases/{id}").as_str()));
    assert_eq!(headers.get("etag").and_then(|v| v.to_str().ok()), Some("\"1\""));
    let path = format!("/api/v1/cases/{id}");

    // The draft is private: anonymous readers do not see it.
    let (status, _, _) = app.request(Method::GET, &path, None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // First edit with If-Match.
    let res = app
        .send_json(
            Method::PUT,
            &path,
            Who::Contributor,
            Some(CaseBody::new("Public service mall").year(2018).build()),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["version"], 2);
    assert_eq!(res.json()["year_launched"], 2018);
    assert_eq!(res.header("etag"), Some("\"2\""));

    // Second edit with a version field in the body.
    let body = CaseBody::new("Public service mall").year(2018).set("city", json!("Bandung")).set("version", json!(2));
    let (status, headers, case) = app.request(Method::PUT, &path, contributor, Some(body.build())).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["version"], 3);
    assert_eq!(case["city"], "Bandung");
    assert_eq!(headers.get("etag").and_then(|v| v.to_str().ok()), Some("\"3\""));

    // Both, agreeing, also works.
    let body = CaseBody::new("Public service mall").year(2018).set("city", json!("Bandung")).set("version", json!(3));
    let res = app.send_json(Method::PUT, &path, Who::Contributor, Some(body.build()), &[("if-match", "W/\"3\"")]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["version"], 4);

    // Submit.
    let (status, _, case) = app.request(Method::POST, &format!("{path}/submit"), contributor, None).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["status"], "submitted");
    assert_eq!(case["version"], 5);

    // Once submitted, its author can no longer edit it.
    let (status, _, problem) = app
        .request(Method::PUT, &path, contributor, Some(CaseBody::new("Sneaky edit").set("version", json!(5)).build()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");

    // A contributor cannot publish, not even their own case.
    let res = app.send_json(Method::POST, &format!("{path}/publish"), Who::Contributor, None, &[]).await;
    assert_problem(&res, StatusCode::FORBIDDEN);
    assert_eq!(app.stored_case(&id).await.status, Status::Submitted);

    // A curator cannot return a case without saying why.
    let changes = app.last_change().await;
    let res = app.send_json(Method::POST, &format!("{path}/return"), Who::Curator, None, &[]).await;
    let problem = assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), vec!["comment"]);
    let res = app
        .send_json(Method::POST, &format!("{path}/return"), Who::Curator, Some(json!({"comment": "   "})), &[])
        .await;
    let problem = assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), vec!["comment"]);
    assert_eq!(app.last_change().await, changes, "a refused step writes nothing");

    // With a comment, the case goes back to its author.
    let comment = "Please add the evaluation results and a contact.";
    let (status, _, case) =
        app.request(Method::POST, &format!("{path}/return"), curator, Some(json!({"comment": comment}))).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["status"], "returned");
    assert_eq!(case["version"], 6);

    // The contributor reads the comment in the history.
    let (status, _, revisions) = app.request(Method::GET, &format!("{path}/revisions"), contributor, None).await;
    assert_eq!(status, StatusCode::OK, "{revisions}");
    let revisions = revisions.as_array().expect("a list of revisions");
    let actions: Vec<&str> = revisions.iter().map(|r| r["action"].as_str().expect("action")).collect();
    assert_eq!(actions, ["create", "update", "update", "update", "submit", "return"]);
    let versions: Vec<i64> = revisions.iter().map(|r| r["version"].as_i64().expect("version")).collect();
    assert_eq!(versions, [1, 2, 3, 4, 5, 6]);
    let returned = revisions.last().expect("the return revision");
    assert_eq!(returned["comment"], comment);
    assert_eq!(returned["actor_id"], json!(app.id_of(Who::Curator)));

    // One revision, with the case as it was.
    let (status, _, rev) = app.request(Method::GET, &format!("{path}/revisions/2"), contributor, None).await;
    assert_eq!(status, StatusCode::OK, "{rev}");
    assert_eq!(rev["version"], 2);
    assert_eq!(rev["case"]["year_launched"], 2018);
    assert_eq!(rev["case"]["city"], "Jakarta");
    let (status, _, _) = app.request(Method::GET, &format!("{path}/revisions/99"), contributor, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The contributor fixes it and submits again.
    let fixed = CaseBody::new("Public service mall")
        .year(2018)
        .set("city", json!("Bandung"))
        .set("sections", json!({"results": {"en": "Waiting times fell by 60%.", "id": "Waktu tunggu turun 60%."}}));
    let res = app.send_json(Method::PUT, &path, Who::Contributor, Some(fixed.build()), &[("if-match", "\"6\"")]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["status"], "returned", "editing does not change the status");
    let case = app.step(&id, "submit", Who::Contributor, None).await;
    assert_eq!(case["status"], "submitted");

    // The curator publishes.
    let case = app.step(&id, "publish", Who::Curator, None).await;
    assert_eq!(case["status"], "published");
    let published_at = case["published_at"].as_str().expect("published_at is set").to_owned();
    assert!(published_at.starts_with("20"), "{published_at}");

    // Anyone now sees it, in the case and in the list.
    let (status, headers, case) = app.request(Method::GET, &path, None, None).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["status"], "published");
    assert_eq!(case["version"], 9);
    assert_eq!(headers.get("etag").and_then(|v| v.to_str().ok()), Some("\"9\""));
    assert!(case.get("created_by").is_none(), "the submitter stays private: {case}");
    let (status, _, list) = app.request(Method::GET, "/api/v1/cases", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ids(&list), vec![id.clone()]);
    assert_eq!(list["total"], 1);

    // The curator archives it: it disappears for the public.
    let case = app.step(&id, "archive", Who::Curator, None).await;
    assert_eq!(case["status"], "archived");
    let (status, _, _) = app.request(Method::GET, &path, None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, _, list) = app.request(Method::GET, "/api/v1/cases", None, None).await;
    assert_eq!(list["total"], 0);
    assert!(ids(&list).is_empty());
    // Its author still sees it.
    let (status, _, case) = app.request(Method::GET, &path, contributor, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(case["status"], "archived");

    // The curator republishes it; the first publication date is kept.
    let case = app.step(&id, "publish", Who::Curator, None).await;
    assert_eq!(case["status"], "published");
    assert_eq!(case["published_at"], json!(published_at));
    let (status, _, case) = app.request(Method::GET, &path, None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(case["status"], "published");

    // Every step is in the history, in order.
    let (_, _, revisions) = app.request(Method::GET, &format!("{path}/revisions"), curator, None).await;
    let actions: Vec<&str> =
        revisions.as_array().expect("list").iter().map(|r| r["action"].as_str().expect("action")).collect();
    assert_eq!(
        actions,
        [
            "create", "update", "update", "update", "submit", "return", "update", "submit", "publish", "archive",
            "publish"
        ]
    );
}

#[tokio::test]
async fn every_step_writes_one_change_log_entry() {
    let app = TestApp::new().await;
    let before = app.last_change().await;
    let id = app.case_in(Status::Archived).await;
    // create, submit, publish, archive
    assert_eq!(app.last_change().await, before + 4);
    let changes = app.store.changes_since(before, 100).await.expect("changes");
    let actions: Vec<(&str, &str, i64)> =
        changes.iter().map(|c| (c.entity.as_str(), c.action.as_str(), c.version)).collect();
    assert_eq!(actions, [("case", "create", 1), ("case", "submit", 2), ("case", "publish", 3), ("case", "archive", 4)]);
    assert!(changes.iter().all(|c| c.entity_id == id));
}

#[tokio::test]
async fn the_diff_lists_the_changed_fields() {
    let app = TestApp::new().await;
    let case = app.create_case_as(Who::Contributor, CaseBody::new("Public service mall").build()).await;
    let id = case["id"].as_str().expect("id");
    let path = format!("/api/v1/cases/{id}");
    let edited = CaseBody::new("Public service mall")
        .set("title", json!({"en": "Public service mall", "id": "Mal Pelayanan Publik"}))
        .set("sectors", json!(["public_administration", "health"]))
        .year(2019)
        .without("website")
        .set("version", json!(1));
    let (status, _, _) = app.request(Method::PUT, &path, Some(Role::Contributor), Some(edited.build())).await;
    assert_eq!(status, StatusCode::OK);
    app.step(id, "submit", Who::Contributor, None).await;

    let (status, _, diff) =
        app.request(Method::GET, &format!("{path}/diff?from=1&to=2"), Some(Role::Contributor), None).await;
    assert_eq!(status, StatusCode::OK, "{diff}");
    assert_eq!(diff["from"], 1);
    assert_eq!(diff["to"], 2);
    let changes = diff["changes"].as_array().expect("changes");
    let fields: Vec<&str> = changes.iter().map(|c| c["field"].as_str().expect("field")).collect();
    assert_eq!(fields, ["sectors", "title.id", "website", "year_launched"]);
    let title = changes.iter().find(|c| c["field"] == "title.id").expect("title.id change");
    assert_eq!(title["before"], "Public service mall (ID)");
    assert_eq!(title["after"], "Mal Pelayanan Publik");
    let website = changes.iter().find(|c| c["field"] == "website").expect("website change");
    assert_eq!(website["before"], "https://mpp.example.go.id/");
    assert!(website["after"].is_null());

    // The workflow step shows up as a status change.
    let (_, _, diff) = app.request(Method::GET, &format!("{path}/diff?from=2&to=3"), Some(Role::Curator), None).await;
    let fields: Vec<&str> =
        diff["changes"].as_array().expect("changes").iter().map(|c| c["field"].as_str().expect("field")).collect();
    assert_eq!(fields, ["status"]);

    // Bad or unknown versions.
    let (status, _, _) = app.request(Method::GET, &format!("{path}/diff?from=1"), Some(Role::Curator), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) =
        app.request(Method::GET, &format!("{path}/diff?from=one&to=2"), Some(Role::Curator), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = app.request(Method::GET, &format!("{path}/diff?from=1&to=9"), Some(Role::Curator), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Which steps each status allows, as the design's state machine draws it.
const ALLOWED: [(Status, &str, Status); 6] = [
    (Status::Draft, "submit", Status::Submitted),
    (Status::Returned, "submit", Status::Submitted),
    (Status::Submitted, "return", Status::Returned),
    (Status::Submitted, "publish", Status::Published),
    (Status::Archived, "publish", Status::Published),
    (Status::Published, "archive", Status::Archived),
];

#[tokio::test]
async fn every_step_from_every_status() {
    let app = TestApp::new().await;
    let statuses = [Status::Draft, Status::Submitted, Status::Returned, Status::Published, Status::Archived];
    for from in statuses {
        for step in ["submit", "return", "publish", "archive"] {
            let id = app.case_in(from).await;
            let before = app.stored_case(&id).await;
            let changes = app.last_change().await;
            let res = app
                .send_json(
                    Method::POST,
                    &format!("/api/v1/cases/{id}/{step}"),
                    Who::Curator,
                    Some(json!({"comment": "reviewed"})),
                    &[],
                )
                .await;
            match ALLOWED.iter().find(|(f, s, _)| *f == from && *s == step) {
                Some((_, _, to)) => {
                    assert_eq!(res.status, StatusCode::OK, "{step} from {from}: {}", res.text());
                    assert_eq!(res.json()["status"], to.as_str(), "{step} from {from}");
                    assert_eq!(app.last_change().await, changes + 1);
                }
                None => {
                    let problem = assert_problem(&res, StatusCode::CONFLICT);
                    assert_eq!(problem["type"], "urn:lumbung:problem:invalid-transition", "{step} from {from}");
                    assert_eq!(app.stored_case(&id).await, before, "{step} from {from} changed the case");
                    assert_eq!(app.last_change().await, changes, "{step} from {from} wrote to the change log");
                }
            }
        }
    }
}

#[tokio::test]
async fn a_step_with_a_stale_version_is_refused() {
    let app = TestApp::new().await;
    let id = app.case_in(Status::Submitted).await;
    let res = app
        .send_json(Method::POST, &format!("/api/v1/cases/{id}/publish"), Who::Curator, Some(json!({"version": 1})), &[])
        .await;
    let problem = assert_problem(&res, StatusCode::CONFLICT);
    assert_eq!(problem["type"], "urn:lumbung:problem:version-conflict");
    assert_eq!(problem["current_version"], 2);
    assert_eq!(app.stored_case(&id).await.status, Status::Submitted);
    let res = app
        .send_json(Method::POST, &format!("/api/v1/cases/{id}/publish"), Who::Curator, None, &[("if-match", "\"2\"")])
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
}

#[tokio::test]
async fn curators_and_delegates_in_the_workflow() {
    let app = TestApp::new().await;
    // A delegate writes and submits a case of its country, like a contributor…
    let case = app.create_case_as(Who::Delegate, CaseBody::new("Regional dialogue").country("PH").build()).await;
    let id = case["id"].as_str().expect("id");
    let case = app.step(id, "submit", Who::Delegate, None).await;
    assert_eq!(case["status"], "submitted");
    // …but cannot publish it.
    let (status, _, _) =
        app.request(Method::POST, &format!("/api/v1/cases/{id}/publish"), Some(Role::Delegate), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A contributor cannot submit someone else's draft (it is invisible to them).
    let draft = app.case_in(Status::Draft).await;
    let (status, _, _) =
        app.request_as(Method::POST, &format!("/api/v1/cases/{draft}/submit"), Who::OtherContributor, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A curator may submit on the author's behalf, and an administrator may publish.
    app.step(&draft, "submit", Who::Curator, None).await;
    let case = app.step(&draft, "publish", Who::Admin, None).await;
    assert_eq!(case["status"], "published");
}
