//! Bad input of every kind gets a specific problem document and writes
//! nothing: no case, no revision, no change-log entry.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::{CaseBody, TestApp, TestResponse, Who, assert_problem, error_fields, organisation_body};
use lumbung_core::Status;
use serde_json::{Value, json};

/// What the store holds, to check a refused request wrote nothing.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    last_change: i64,
    cases: i64,
}

async fn snapshot(app: &TestApp) -> Snapshot {
    Snapshot { last_change: app.last_change().await, cases: app.case_count().await }
}

/// Asserts a refusal: the status, a problem document, and an unchanged store.
async fn assert_refused(app: &TestApp, before: &Snapshot, res: &TestResponse, status: StatusCode) -> Value {
    let problem = assert_problem(res, status);
    assert_eq!(&snapshot(app).await, before, "a refused request wrote to the store");
    problem
}

async fn post_raw(app: &TestApp, content_type: Option<&str>, body: impl Into<axum::body::Body>) -> TestResponse {
    app.send_raw(Method::POST, "/api/v1/cases", Who::Contributor, content_type, body).await
}

#[tokio::test]
async fn malformed_json_is_a_bad_request() {
    let app = TestApp::new().await;
    let before = snapshot(&app).await;
    for body in ["{\"title\": ", "{'title': 'x'}", "{\"title\": {\"en\": \"x\"},}", "not json at all"] {
        let res = post_raw(&app, Some("application/json"), body).await;
        let problem = assert_refused(&app, &before, &res, StatusCode::BAD_REQUEST).await;
        let detail = problem["detail"].as_str().expect("detail");
        assert!(detail.contains("line 1 column"), "the detail says where: {detail}");
        assert_eq!(problem["type"], "urn:lumbung:problem:bad-request");
    }
}

#[tokio::test]
async fn a_body_must_be_a_json_object() {
    let app = TestApp::new().await;
    let before = snapshot(&app).await;
    for body in ["[]", "[{\"title\": {\"en\": \"x\"}}]", "\"a string\"", "42", "null", "true"] {
        let res = post_raw(&app, Some("application/json"), body).await;
        let problem = assert_refused(&app, &before, &res, StatusCode::BAD_REQUEST).await;
        assert!(problem["detail"].as_str().expect("detail").contains("object"), "{body}: {problem}");
    }
    // An empty body where one is needed.
    let res = post_raw(&app, None, "").await;
    assert_refused(&app, &before, &res, StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn only_json_is_accepted() {
    let app = TestApp::new().await;
    let before = snapshot(&app).await;
    let valid = serde_json::to_vec(&CaseBody::new("Typed wrong").build()).expect("json");
    for content_type in [Some("text/plain"), Some("application/x-www-form-urlencoded"), Some("text/json"), None] {
        let res = post_raw(&app, content_type, valid.clone()).await;
        let problem = assert_refused(&app, &before, &res, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
        assert_eq!(problem["type"], "urn:lumbung:problem:unsupported-media-type", "{content_type:?}");
    }
    // JSON with parameters and structured-syntax suffixes is fine.
    for content_type in ["application/json; charset=utf-8", "application/merge-patch+json"] {
        let res = post_raw(&app, Some(content_type), valid.clone()).await;
        assert_eq!(res.status, StatusCode::CREATED, "{content_type}: {}", res.text());
    }
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_refused() {
    let app = TestApp::new().await;
    let before = snapshot(&app).await;
    let huge = "x".repeat(1024 * 1024);
    let body = CaseBody::new("Too big").set("summary", json!({"en": huge})).build();
    let res = post_raw(&app, Some("application/json"), serde_json::to_vec(&body).expect("json")).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::PAYLOAD_TOO_LARGE).await;
    assert_eq!(problem["type"], "urn:lumbung:problem:payload-too-large");
    // The same on an update.
    let id = app.case_in(Status::Draft).await;
    let before = snapshot(&app).await;
    let res = app
        .send_raw(
            Method::PUT,
            &format!("/api/v1/cases/{id}"),
            Who::Contributor,
            Some("application/json"),
            serde_json::to_vec(&body).expect("json"),
        )
        .await;
    assert_refused(&app, &before, &res, StatusCode::PAYLOAD_TOO_LARGE).await;
}

#[tokio::test]
async fn unknown_fields_are_named() {
    let app = TestApp::new().await;
    let before = snapshot(&app).await;
    let body = CaseBody::new("Typo").set("titel", json!({"en": "x"})).set("colour", json!("red")).build();
    let res = app.send_json(Method::POST, "/api/v1/cases", Who::Contributor, Some(body), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::UNPROCESSABLE_ENTITY).await;
    let mut fields = error_fields(&problem);
    fields.sort();
    assert_eq!(fields, ["colour", "titel"]);
    assert_eq!(problem["errors"][0]["code"], "unknown_field");
    // Inside a nested record, too.
    let body = CaseBody::new("Typo").set("sections", json!({"problme": {"en": "x"}})).build();
    let res = app.send_json(Method::POST, "/api/v1/cases", Who::Contributor, Some(body), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(problem.to_string().contains("problme"), "the unknown field is named: {problem}");
}

#[tokio::test]
async fn values_of_the_wrong_type_are_named() {
    let app = TestApp::new().await;
    let before = snapshot(&app).await;
    for (field, value, path) in [
        ("sdgs", json!("three"), "sdgs"),
        ("sdgs", json!([3, "four"]), "sdgs[1]"),
        ("year_launched", json!("2017"), "year_launched"),
        ("title", json!("just a string"), "title"),
        ("digital", json!("yes"), "digital"),
        ("sections", json!({"problem": 5}), "sections.problem"),
        ("links", json!([{"url": 5}]), "links[0].url"),
        ("operating_status_date", json!("last week"), "operating_status_date"),
    ] {
        let body = CaseBody::new("Wrong type").set(field, value).build();
        let res = app.send_json(Method::POST, "/api/v1/cases", Who::Contributor, Some(body), &[]).await;
        let problem = assert_refused(&app, &before, &res, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), [path], "{problem}");
    }
}

#[tokio::test]
async fn every_field_error_is_reported_at_once() {
    let app = TestApp::new().await;
    let before = snapshot(&app).await;
    let body = CaseBody::new("ignored")
        .set("title", json!({"en": "", "id": "   "}))
        .sectors(&["health", "space_travel"])
        .country("ZZ")
        .set("level_of_government", json!("federal"))
        .year(1800)
        .set("website", json!("javascript:alert(1)"))
        .set("sdgs", json!([3, 18]))
        .set("innovation_facets", json!(["disruptive"]))
        .set("lifecycle_stage", json!("dreaming"))
        .set("organisations", json!(["no-such-org"]))
        .set("links", json!([{"url": "ftp://example.org/file"}]))
        .set("contact", json!({"email": "not an email"}))
        .build();
    let res = app.send_json(Method::POST, "/api/v1/cases", Who::Contributor, Some(body), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["type"], "urn:lumbung:problem:validation-failed");
    let fields = error_fields(&problem);
    for expected in [
        "title",
        "sectors[1]",
        "country",
        "level_of_government",
        "year_launched",
        "website",
        "sdgs[1]",
        "innovation_facets[0]",
        "lifecycle_stage",
        "organisations[0]",
        "links[0].url",
        "contact.email",
    ] {
        assert!(fields.iter().any(|f| f == expected), "{expected} is missing from {fields:?}");
    }
    assert_eq!(fields.len(), 12, "exactly one error per problem: {fields:?}");
    for error in problem["errors"].as_array().expect("errors") {
        assert!(error["code"].as_str().is_some_and(|c| !c.is_empty()), "{error}");
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()), "{error}");
    }
    assert!(problem["detail"].as_str().expect("detail").starts_with("12 field error(s)"));
}

#[tokio::test]
async fn the_title_must_be_in_the_original_language() {
    let app = TestApp::new().await;
    let before = snapshot(&app).await;
    let body = CaseBody::new("x").set("title", json!({"en": "Only English"})).build();
    let res = app.send_json(Method::POST, "/api/v1/cases", Who::Contributor, Some(body), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["title.id"]);
    let body = CaseBody::new("x").without("original_language").build();
    let res = app.send_json(Method::POST, "/api/v1/cases", Who::Contributor, Some(body), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["original_language"]);
    let body = CaseBody::new("x").set("title", json!({"en": "x", "id": "x", "xx": "Klingon"})).build();
    let res = app.send_json(Method::POST, "/api/v1/cases", Who::Contributor, Some(body), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["title.xx"]);
}

#[tokio::test]
async fn control_characters_are_refused() {
    let app = TestApp::new().await;
    let before = snapshot(&app).await;
    for (field, value, path) in [
        ("title", json!({"en": "Bell\u{7} in title", "id": "Judul"}), "title.en"),
        ("title", json!({"en": "Title", "id": "Escape\u{1b}[31m"}), "title.id"),
        ("summary", json!({"en": "Null\u{0}byte"}), "summary.en"),
        ("city", json!("Ja\u{8}karta"), "city"),
        ("tags", json!(["ok", "bad\u{0}tag"]), "tags[1]"),
    ] {
        let body = CaseBody::new("Control").set(field, value).build();
        let res = app.send_json(Method::POST, "/api/v1/cases", Who::Contributor, Some(body), &[]).await;
        let problem = assert_refused(&app, &before, &res, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), [path], "{problem}");
    }
    // Line breaks and tabs in prose are fine.
    let body = CaseBody::new("Prose").set("summary", json!({"en": "Line one.\nLine two.\tTabbed."})).build();
    let res = app.send_json(Method::POST, "/api/v1/cases", Who::Contributor, Some(body), &[]).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
}

#[tokio::test]
async fn urls_must_be_plain_http_urls() {
    let app = TestApp::new().await;
    let before = snapshot(&app).await;
    for (field, value, path) in [
        ("website", json!("javascript:alert(1)"), "website"),
        ("website", json!("ftp://example.org/"), "website"),
        ("website", json!("https://"), "website"),
        ("website", json!("example.org"), "website"),
        // The URL parser would quietly drop these, but the text would be stored with them.
        ("website", json!("https://exa\tmple.org/"), "website"),
        ("website", json!("https://example.org/\nSet-Cookie: x"), "website"),
        ("website", json!("https://example.org/a b"), "website"),
        ("source_url", json!("https://example.org/\u{0}"), "source_url"),
        ("links", json!([{"url": "https://example.org/\r\nx"}]), "links[0].url"),
        ("links", json!([{"title": "no url"}]), "links[0].url"),
    ] {
        let body = CaseBody::new("Links").set(field, value.clone()).build();
        let res = app.send_json(Method::POST, "/api/v1/cases", Who::Contributor, Some(body), &[]).await;
        let problem = assert_refused(&app, &before, &res, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), [path], "{value}: {problem}");
    }
}

#[tokio::test]
async fn a_wrong_method_is_a_problem_document_naming_the_allowed_ones() {
    let app = TestApp::new().await;
    let id = app.case_in(Status::Draft).await;
    let before = snapshot(&app).await;
    for (method, path, allowed) in [
        (Method::DELETE, format!("/api/v1/cases/{id}"), ["GET", "PUT"].as_slice()),
        (Method::PATCH, "/api/v1/cases".to_owned(), ["GET", "POST"].as_slice()),
        (Method::GET, format!("/api/v1/cases/{id}/publish"), ["POST"].as_slice()),
        (Method::DELETE, "/api/v1/me".to_owned(), ["GET"].as_slice()),
    ] {
        let res = app.send_json(method.clone(), &path, Who::Admin, None, &[]).await;
        let problem = assert_refused(&app, &before, &res, StatusCode::METHOD_NOT_ALLOWED).await;
        assert_eq!(problem["type"], "urn:lumbung:problem:method-not-allowed");
        let allow = res.header("allow").unwrap_or_else(|| panic!("{method} {path} has no Allow header"));
        for m in allowed {
            assert!(allow.split(',').any(|a| a.trim() == *m), "{method} {path}: Allow {allow} lacks {m}");
        }
    }
    // An unknown path is still a 404 problem.
    let res = app.send_json(Method::DELETE, "/api/v1/nothing/here", Who::Admin, None, &[]).await;
    assert_problem(&res, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_update_needs_the_version_edited() {
    let app = TestApp::new().await;
    let id = app.case_in(Status::Draft).await;
    let path = format!("/api/v1/cases/{id}");
    let stored = app.stored_case(&id).await;
    let before = snapshot(&app).await;

    // No version at all.
    let res = app.send_json(Method::PUT, &path, Who::Contributor, Some(CaseBody::new("No version").build()), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::PRECONDITION_REQUIRED).await;
    assert_eq!(problem["type"], "urn:lumbung:problem:version-required");
    assert_eq!(app.stored_case(&id).await, stored);

    // A version that is not a number.
    let res = app
        .send_json(Method::PUT, &path, Who::Contributor, Some(CaseBody::new("x").build()), &[("if-match", "\"abc\"")])
        .await;
    assert_refused(&app, &before, &res, StatusCode::BAD_REQUEST).await;
    let body = CaseBody::new("x").set("version", json!("1")).build();
    let res = app.send_json(Method::PUT, &path, Who::Contributor, Some(body), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["version"]);

    // Header and field disagree: they cannot both be current.
    let body = CaseBody::new("x").set("version", json!(1)).build();
    let res = app.send_json(Method::PUT, &path, Who::Contributor, Some(body), &[("if-match", "\"2\"")]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::CONFLICT).await;
    assert_eq!(problem["current_version"], 1);

    // Someone else saved first: the stale edit is refused and the case is unchanged.
    let (status, _, _) = app
        .request(
            Method::PUT,
            &path,
            Some(lumbung_core::Role::Curator),
            Some(CaseBody::new("Curator's edit").set("version", json!(1)).build()),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let stored = app.stored_case(&id).await;
    let before = snapshot(&app).await;
    let body = CaseBody::new("Contributor's stale edit").set("version", json!(1)).build();
    let res = app.send_json(Method::PUT, &path, Who::Contributor, Some(body), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::CONFLICT).await;
    assert_eq!(problem["type"], "urn:lumbung:problem:version-conflict");
    assert_eq!(problem["current_version"], 2);
    assert_eq!(app.stored_case(&id).await, stored, "the stored case is unchanged");
    assert_eq!(app.stored_case(&id).await.content.title.get("en"), Some("Curator's edit"));
    let res = app
        .send_json(Method::PUT, &path, Who::Contributor, Some(CaseBody::new("x").build()), &[("if-match", "\"7\"")])
        .await;
    let problem = assert_refused(&app, &before, &res, StatusCode::CONFLICT).await;
    assert_eq!(problem["current_version"], 2);

    // Invalid content on an update is refused the same way as on creation.
    let body = CaseBody::new("x").country("ZZ").year(1800).set("version", json!(2)).build();
    let res = app.send_json(Method::PUT, &path, Who::Contributor, Some(body), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["country", "year_launched"]);
    assert_eq!(app.stored_case(&id).await, stored);
}

#[tokio::test]
async fn fields_the_node_keeps_are_ignored_not_written() {
    let app = TestApp::new().await;
    let body = CaseBody::new("Sneaky")
        .set("status", json!("published"))
        .set("created_by", json!("someone-else"))
        .set("version", json!(99))
        .set("completeness", json!(100))
        .set("published_at", json!("2020-01-01T00:00:00Z"))
        .build();
    let (status, _, case) =
        app.request(Method::POST, "/api/v1/cases", Some(lumbung_core::Role::Contributor), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    assert_eq!(case["status"], "draft");
    assert_eq!(case["version"], 1);
    assert_eq!(case["created_by"], json!(app.id_of(Who::Contributor)));
    assert!(case["published_at"].is_null());
    let stored = app.stored_case(case["id"].as_str().expect("id")).await;
    assert_eq!(stored.status, Status::Draft);
    assert_eq!(stored.created_by, Some(app.id_of(Who::Contributor)));
}

#[tokio::test]
async fn bad_list_queries_are_bad_requests() {
    let app = TestApp::new().await;
    app.case_in(Status::Published).await;
    for query in [
        "colour=red",
        "country=ZZ",
        "country=ID,ZZ",
        "sector=space_travel",
        "level=federal",
        "stage=dreaming",
        "facet=disruptive",
        "sdg=18",
        "status=pending",
        "operating_status=zombie",
        "year=18x",
        "year=2015-",
        "year=99",
        "completeness=half",
        "completeness_min=101",
        "mine=perhaps",
        "limit=0",
        "limit=1000",
        "limit=-1",
        "limit=ten",
        "cursor=../../etc",
    ] {
        let res = app.send_json(Method::GET, &format!("/api/v1/cases?{query}"), Who::Curator, None, &[]).await;
        let problem = assert_problem(&res, StatusCode::BAD_REQUEST);
        let key = query.split('=').next().expect("key");
        assert!(problem["detail"].as_str().expect("detail").contains(key), "{query}: {problem}");
    }
    // The edges of what is allowed.
    for query in ["limit=1", "limit=100", "country=id", "year=2017", "year=2000-2030", "completeness=complete"] {
        let (status, _, body) = app.request(Method::GET, &format!("/api/v1/cases?{query}"), None, None).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
    }
}

#[tokio::test]
async fn bad_workflow_bodies_write_nothing() {
    let app = TestApp::new().await;
    let id = app.case_in(Status::Submitted).await;
    let path = format!("/api/v1/cases/{id}/return");
    let before = snapshot(&app).await;
    let res = app.send_raw(Method::POST, &path, Who::Curator, Some("application/json"), "{\"comment\": ").await;
    assert_refused(&app, &before, &res, StatusCode::BAD_REQUEST).await;
    let res = app.send_raw(Method::POST, &path, Who::Curator, Some("text/plain"), "please fix").await;
    assert_refused(&app, &before, &res, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    let res = app.send_json(Method::POST, &path, Who::Curator, Some(json!({"coment": "typo"})), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["coment"]);
    let res = app.send_json(Method::POST, &path, Who::Curator, Some(json!({"comment": 5})), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["comment"]);
    let long = "x".repeat(5_001);
    let res = app.send_json(Method::POST, &path, Who::Curator, Some(json!({"comment": long})), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["comment"]);
    assert_eq!(app.stored_case(&id).await.status, Status::Submitted);
}

#[tokio::test]
async fn bad_organisations_write_nothing() {
    let app = TestApp::new().await;
    let before = snapshot(&app).await;
    let mut body = organisation_body("Not A Slug!");
    body["org_type"] = json!("club");
    body["country"] = json!("ZZ");
    body["parent"] = json!("no-such-parent");
    body["website"] = json!("javascript:alert(1)");
    let res = app.send_json(Method::POST, "/api/v1/organisations", Who::Curator, Some(body), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::UNPROCESSABLE_ENTITY).await;
    let mut fields = error_fields(&problem);
    fields.sort();
    assert_eq!(fields, ["country", "id", "org_type", "parent", "website"]);
    // A taken id.
    let res = app
        .send_json(Method::POST, "/api/v1/organisations", Who::Curator, Some(organisation_body("kemenpan-rb")), &[])
        .await;
    let problem = assert_refused(&app, &before, &res, StatusCode::CONFLICT).await;
    assert_eq!(problem["type"], "urn:lumbung:problem:duplicate");
    // An update without a version, and with a stale one.
    let res = app
        .send_json(Method::PUT, "/api/v1/organisations/lan-ri", Who::Curator, Some(organisation_body("lan-ri")), &[])
        .await;
    assert_refused(&app, &before, &res, StatusCode::PRECONDITION_REQUIRED).await;
    let res = app
        .send_json(
            Method::PUT,
            "/api/v1/organisations/lan-ri",
            Who::Curator,
            Some(organisation_body("lan-ri")),
            &[("if-match", "\"4\"")],
        )
        .await;
    let problem = assert_refused(&app, &before, &res, StatusCode::CONFLICT).await;
    assert_eq!(problem["current_version"], 1);
    // An organisation cannot be its own parent.
    let mut body = organisation_body("lan-ri");
    body["parent"] = json!("lan-ri");
    body["version"] = json!(1);
    let res = app.send_json(Method::PUT, "/api/v1/organisations/lan-ri", Who::Curator, Some(body), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::CONFLICT).await;
    assert_eq!(problem["type"], "urn:lumbung:problem:parent-loop");
    assert_eq!(error_fields(&problem), ["parent"]);
    // …nor its own grandparent: a chain of parents never loops.
    for (id, parent) in [("dki-a", None), ("dki-b", Some("dki-a")), ("dki-c", Some("dki-b"))] {
        let mut body = organisation_body(id);
        body["parent"] = json!(parent);
        let res = app.send_json(Method::POST, "/api/v1/organisations", Who::Curator, Some(body), &[]).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }
    let before = snapshot(&app).await;
    let mut body = organisation_body("dki-a");
    body["parent"] = json!("dki-c");
    body["version"] = json!(1);
    let res = app.send_json(Method::PUT, "/api/v1/organisations/dki-a", Who::Curator, Some(body), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::CONFLICT).await;
    assert_eq!(error_fields(&problem), ["parent"]);
    let (_, _, org) = app.request(Method::GET, "/api/v1/organisations/dki-a", None, None).await;
    assert!(org["parent"].is_null(), "{org}");
    // Moving a branch elsewhere in the tree is fine.
    let mut body = organisation_body("dki-c");
    body["parent"] = json!("dki-a");
    body["version"] = json!(1);
    let res = app.send_json(Method::PUT, "/api/v1/organisations/dki-c", Who::Curator, Some(body), &[]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
}

#[tokio::test]
async fn bad_accounts_write_nothing() {
    let app = TestApp::new().await;
    let before = snapshot(&app).await;
    let body = json!({"email": "not-an-email", "name": " ", "role": "reader", "password": "short"});
    let res = app.send_json(Method::POST, "/api/v1/accounts", Who::Admin, Some(body), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["email", "name", "password"]);
    let body = json!({"email": "x@example.org", "name": "X", "role": "emperor", "password": "long enough password"});
    let res = app.send_json(Method::POST, "/api/v1/accounts", Who::Admin, Some(body), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["role"]);
    let taken = app.account(Who::Reader).email.to_uppercase();
    let body = json!({"email": taken, "name": "X", "role": "reader", "password": "long enough password"});
    let res = app.send_json(Method::POST, "/api/v1/accounts", Who::Admin, Some(body), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::CONFLICT).await;
    assert_eq!(problem["type"], "urn:lumbung:problem:duplicate");
    let body = json!({"email": "y@example.org", "name": "Y", "role": "reader", "organisation": "no-such-org",
                      "password": "long enough password"});
    let res = app.send_json(Method::POST, "/api/v1/accounts", Who::Admin, Some(body), &[]).await;
    let problem = assert_refused(&app, &before, &res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["organisation"]);
}
