//! Replication links through the API: who may record and remove them (every
//! role), both sides shown, bad input refused with nothing written.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::{CaseBody, TestApp, Who, assert_problem, error_fields};
use lumbung_core::Status;
use serde_json::{Value, json};

const NO_SUCH_CASE: &str = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

fn links(id: &str) -> String {
    format!("/api/v1/cases/{id}/links")
}

async fn published(app: &TestApp, title: &str) -> String {
    app.case_in_with(Status::Published, CaseBody::new(title).build()).await
}

async fn add(app: &TestApp, who: Who, case: &str, body: Value) -> (StatusCode, Value) {
    let (status, _, json) = app.request_as(Method::POST, &links(case), who, Some(body)).await;
    (status, json)
}

#[tokio::test]
async fn only_owners_and_editors_record_and_remove_links() {
    // Callers in the order of Who::ALL: anonymous, reader, contributor (the
    // owner), another contributor, delegate, curator, admin.
    let app = TestApp::new().await;
    let cases: [(Status, [u16; 7], [u16; 7]); 3] = [
        (Status::Published, [401, 403, 201, 403, 403, 201, 201], [401, 403, 204, 403, 403, 204, 204]),
        (Status::Draft, [401, 404, 201, 404, 404, 201, 201], [401, 404, 204, 404, 404, 204, 204]),
        (Status::Archived, [401, 404, 201, 404, 404, 201, 201], [401, 404, 204, 404, 404, 204, 204]),
    ];
    let mut failures = Vec::new();
    for (status, record, remove) in cases {
        for (who, (want_record, want_remove)) in Who::ALL.into_iter().zip(record.into_iter().zip(remove)) {
            let source = published(&app, "Source").await;
            let adopter = app.case_in(status).await;
            let before = app.store.links_of(&adopter).await.unwrap().len();
            let (got, body) = add(&app, who, &adopter, json!({"kind": "adapts", "target": source})).await;
            if got.as_u16() != want_record {
                failures.push(format!("record on {status} as {who:?}: {got} {body}"));
            }
            let after = app.store.links_of(&adopter).await.unwrap().len();
            assert_eq!(after - before, usize::from(got == StatusCode::CREATED), "{who:?}");
            // A link to remove, recorded by a curator.
            let (s, link) = add(
                &app,
                Who::Curator,
                &adopter,
                json!({"kind": "replicates", "target": published(&app, "Another").await}),
            )
            .await;
            assert_eq!(s, StatusCode::CREATED, "{link}");
            let path = format!("{}/{}", links(&adopter), link["id"].as_str().unwrap());
            let res = app.send_json(Method::DELETE, &path, who, None, &[]).await;
            if res.status.as_u16() != want_remove {
                failures.push(format!("remove on {status} as {who:?}: {} {}", res.status, res.text()));
            }
            if res.status.is_client_error() {
                assert_problem(&res, res.status);
            }
            let left = app.store.link(&adopter, link["id"].as_str().unwrap()).await.unwrap();
            assert_eq!(left.is_none(), res.status == StatusCode::NO_CONTENT, "{who:?}");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn both_sides_show_the_link_and_only_published_adopters_are_public() {
    let app = TestApp::new().await;
    let source = published(&app, "Mal Pelayanan Publik").await;
    let public_adopter = published(&app, "Regional service mall").await;
    let draft_adopter = app.case_in(Status::Draft).await;
    let body = json!({"kind": "adapts", "target": source, "changes": "Smaller counters\nand a mobile unit",
                      "country": "ID", "region": "Jawa Barat", "year": 2021});
    let (s, link) = add(&app, Who::Contributor, &public_adopter, body.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{link}");
    assert_eq!(link["kind"], "adapts");
    assert_eq!(link["target"], format!("oai:local:case/{source}"));
    assert_eq!(link["target_case_id"], json!(source));
    assert_eq!(link["target_title"], "Mal Pelayanan Publik (ID)");
    assert_eq!(link["year"], 2021);
    let (s, _) = add(&app, Who::Contributor, &draft_adopter, json!({"kind": "replicates", "target": source})).await;
    assert_eq!(s, StatusCode::CREATED);

    // The adopter's side.
    let (s, _, mine) = app.request_as(Method::GET, &links(&public_adopter), Who::Anonymous, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(mine["links"][0]["id"], link["id"]);
    assert_eq!(mine["adopted_by"], json!([]));
    // The source's side: the anonymous reader sees only the published adopter.
    let (_, _, theirs) = app.request_as(Method::GET, &links(&source), Who::Anonymous, None).await;
    let adopters = theirs["adopted_by"].as_array().unwrap();
    assert_eq!(adopters.len(), 1, "{theirs}");
    assert_eq!(adopters[0]["link"]["case_id"], json!(public_adopter));
    assert_eq!(adopters[0]["title"], "Regional service mall (ID)");
    // The draft's owner and the curators see theirs too.
    for who in [Who::Contributor, Who::Curator] {
        let (_, _, theirs) = app.request_as(Method::GET, &links(&source), who, None).await;
        assert_eq!(theirs["adopted_by"].as_array().unwrap().len(), 2, "{who:?}");
    }
    // A draft's own links are as private as the draft.
    let (s, _, _) = app.request_as(Method::GET, &links(&draft_adopter), Who::Anonymous, None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The revision log and the change log record the link.
    let revisions = app.store.case_revisions(&public_adopter).await.unwrap();
    let last = revisions.iter().max_by_key(|r| r.version).unwrap();
    assert_eq!(last.comment.as_deref(), Some(format!("link: adapts oai:local:case/{source}").as_str()));
    let changes = app.store.changes_since(0, 10_000).await.unwrap();
    assert!(
        changes.iter().any(|c| c.entity == lumbung_store::Entity::Link && c.entity_id == link["id"].as_str().unwrap())
    );
}

#[tokio::test]
async fn a_source_is_named_by_id_global_identifier_or_page_url() {
    let app = TestApp::new().await;
    let source = published(&app, "Source").await;
    let adopter = published(&app, "Adopter").await;
    for (i, target) in [
        format!("oai:local:case/{source}"),
        // Another node's case, not harvested here: kept by its identifier.
        "oai:my.kl-gov:case/01HZX3K9V7Q2M5N8P4R6S1T0AB".to_owned(),
        format!("https://lumbung.example/cases/{}", published(&app, "Third").await),
    ]
    .into_iter()
    .enumerate()
    {
        let (s, body) = add(&app, Who::Contributor, &adopter, json!({"kind": "inspired_by", "target": target})).await;
        assert_eq!(s, StatusCode::CREATED, "{i}: {body}");
    }
    let stored = app.store.links_of(&adopter).await.unwrap();
    assert_eq!(stored.len(), 3);
    let remote = stored.iter().find(|l| l.target_identifier == "oai:my.kl-gov:case/01HZX3K9V7Q2M5N8P4R6S1T0AB");
    assert_eq!(remote.map(|l| l.target_case_id.is_none()), Some(true));
    assert!(stored.iter().any(|l| l.target_url.as_deref().is_some_and(|u| u.starts_with("https://lumbung.example/"))
        && l.target_case_id.is_some()));
}

#[tokio::test]
async fn bad_links_are_refused_and_nothing_is_written() {
    let app = TestApp::new().await;
    let source = published(&app, "Source").await;
    let adopter = published(&app, "Adopter").await;
    let draft = app.case_in(Status::Draft).await;
    let (s, _) = add(&app, Who::Contributor, &adopter, json!({"kind": "adapts", "target": source})).await;
    assert_eq!(s, StatusCode::CREATED);
    // A cycle is fine: the source may say it was inspired by its adopter.
    let (s, body) = add(&app, Who::Contributor, &source, json!({"kind": "inspired_by", "target": adopter})).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");

    let version = app.stored_case(&adopter).await.version;
    let change = app.last_change().await;
    let cases: Vec<(Value, u16, &str)> = vec![
        (json!({"kind": "adapts", "target": adopter}), 422, "target"),
        (json!({"kind": "replicates", "target": source}), 409, ""),
        (json!({"kind": "adapts", "target": format!("oai:local:case/{source}")}), 409, ""),
        (json!({"kind": "adapts", "target": NO_SUCH_CASE}), 404, ""),
        (json!({"kind": "adapts", "target": draft}), 404, ""),
        (json!({"kind": "adapts", "target": "oai:other:case/not-a-ulid"}), 422, "target"),
        (json!({"kind": "adapts", "target": "oai:Bad Node:case/01HZX3K9V7Q2M5N8P4R6S1T0AB"}), 422, "target"),
        (json!({"kind": "adapts", "target": "https://example.org/about"}), 422, "target"),
        (json!({"kind": "adapts", "target": format!("https://example.org/cases/{NO_SUCH_CASE}")}), 404, ""),
        (json!({"kind": "adapts", "target": "javascript:alert(1)"}), 422, "target"),
        (json!({"kind": "adapts", "target": ""}), 422, "target"),
        (json!({"kind": "adapts", "target": "x".repeat(3000)}), 422, "target"),
        (json!({"kind": "copies", "target": NO_SUCH_CASE}), 422, "kind"),
        (json!({"kind": "adapts", "target": source, "changes": "bell\u{7}"}), 422, "changes"),
        (json!({"kind": "adapts", "target": source, "changes": "x".repeat(2001)}), 422, "changes"),
        (json!({"kind": "adapts", "target": source, "region": "a\nb"}), 422, "region"),
        (json!({"kind": "adapts", "target": source, "country": "XX"}), 422, "country"),
        (json!({"kind": "adapts", "target": source, "year": 1800}), 422, "year"),
        (json!({"kind": "adapts", "target": source, "year": 99_999_999_999_i64}), 422, "year"),
        (json!({"kind": "adapts", "target": source, "year": "2020"}), 422, "year"),
        (json!({"kind": "adapts", "target": source, "by": "me"}), 422, "by"),
        (json!({"target": source}), 422, "kind"),
        (json!(["adapts"]), 400, ""),
    ];
    for (body, want, field) in cases {
        let res = app.send_json(Method::POST, &links(&adopter), Who::Contributor, Some(body.clone()), &[]).await;
        let problem = assert_problem(&res, StatusCode::from_u16(want).unwrap());
        if !field.is_empty() {
            assert!(error_fields(&problem).iter().any(|f| f == field), "{body}: {problem}");
        }
    }
    // Several field errors at once.
    let res = app
        .send_json(
            Method::POST,
            &links(&adopter),
            Who::Contributor,
            Some(json!({"kind": "x", "target": "oai:bad", "country": "XX", "year": 3000})),
            &[],
        )
        .await;
    let problem = assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem).len(), 4, "{problem}");
    // Nothing was written.
    assert_eq!(app.store.links_of(&adopter).await.unwrap().len(), 1);
    assert_eq!(app.stored_case(&adopter).await.version, version);
    assert_eq!(app.last_change().await, change);
    // Removing a link that is not there, or another case's link.
    let other = app.store.links_of(&source).await.unwrap();
    let res = app
        .send_json(Method::DELETE, &format!("{}/{}", links(&adopter), other[0].id), Who::Contributor, None, &[])
        .await;
    assert_problem(&res, StatusCode::NOT_FOUND);
    assert_eq!(app.store.links_of(&source).await.unwrap().len(), 1);
}
