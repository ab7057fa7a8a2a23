//! The JSON API's reading side and its sessions: list filters, cursor
//! pagination, vocabularies, health checks, the OpenAPI document and its
//! page, sign-in with cookies, the sign-in limit, passwords and tokens.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{CaseBody, PASSWORD, TestApp, TestResponse, Who, assert_problem, error_fields};
use lumbung_core::{Role, Status};
use lumbung_web::WebSettings;
use serde_json::{Value, json};

fn ids(list: &Value) -> Vec<String> {
    list["items"].as_array().expect("items").iter().map(|c| c["id"].as_str().expect("id").to_owned()).collect()
}

/// Published cases with known classifications, by name, plus one draft.
struct Library {
    app: TestApp,
    ids: BTreeMap<&'static str, String>,
}

impl Library {
    async fn new() -> Library {
        let app = TestApp::new().await;
        let mut ids = BTreeMap::new();
        let cases: [(&str, Status, CaseBody); 6] = [
            ("a", Status::Published, CaseBody::new("A").country("ID").sectors(&["health"]).year(2015)),
            (
                "b",
                Status::Published,
                CaseBody::new("B")
                    .country("PH")
                    .sectors(&["education"])
                    .year(2018)
                    .set("organisations", json!(["lan-ri"])),
            ),
            (
                "c",
                Status::Published,
                CaseBody::new("C")
                    .country("TH")
                    .sectors(&["health", "education"])
                    .year(2020)
                    .set("sdgs", json!([3]))
                    .set("tags", json!(["E-Government", "Mobile"])),
            ),
            (
                "d",
                Status::Published,
                CaseBody::new("D")
                    .country("ID")
                    .sectors(&["transport"])
                    .year(2021)
                    .without("sections")
                    .set("level_of_government", json!("national"))
                    .set("operating_status", json!("scaled")),
            ),
            ("e", Status::Published, CaseBody::minimal("E")),
            ("draft", Status::Draft, CaseBody::new("Draft").country("ID").sectors(&["health"]).year(2015)),
        ];
        for (name, status, body) in cases {
            let id = app.case_in_with(status, body.build()).await;
            ids.insert(name, id);
        }
        Library { app, ids }
    }

    fn set(&self, names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| self.ids.get(n).unwrap_or_else(|| panic!("no case {n}")).clone()).collect()
    }

    async fn query(&self, who: Who, query: &str) -> (BTreeSet<String>, i64) {
        let (status, _, list) = self.app.request_as(Method::GET, &format!("/api/v1/cases?{query}"), who, None).await;
        assert_eq!(status, StatusCode::OK, "{query}: {list}");
        let found: Vec<String> = ids(&list);
        let set: BTreeSet<String> = found.iter().cloned().collect();
        assert_eq!(set.len(), found.len(), "{query} lists a case twice");
        (set, list["total"].as_i64().expect("total"))
    }
}

#[tokio::test]
async fn filters_return_exactly_the_matching_cases() {
    let lib = Library::new().await;
    let table: [(&str, &[&str]); 30] = [
        ("", &["a", "b", "c", "d", "e"]),
        ("country=ID", &["a", "d"]),
        ("country=id", &["a", "d"]),
        ("country=ID,PH", &["a", "b", "d"]),
        ("country=ID&country=PH", &["a", "b", "d"]),
        ("country=VN", &[]),
        ("sector=health", &["a", "c"]),
        ("sector=health,education", &["a", "b", "c"]),
        ("sector=health&sector=transport", &["a", "c", "d"]),
        ("sector=health&country=TH", &["c"]),
        ("sector=health,education&country=ID", &["a"]),
        ("sector=health&country=PH", &[]),
        ("year=2018", &["b"]),
        ("year=2015-2020", &["a", "b", "c"]),
        ("year=2019-2030", &["c", "d"]),
        ("year=2016-2017", &[]),
        ("country=ID&year=2021", &["d"]),
        ("completeness=incomplete", &["d", "e"]),
        ("completeness=complete", &["a", "b", "c"]),
        ("completeness=incomplete&country=ID", &["d"]),
        ("level=national", &["d"]),
        ("level=local,national", &["a", "b", "c", "d"]),
        ("sdg=3", &["c"]),
        ("sdg=16", &["a", "b", "d"]),
        ("sdg=3,16&sector=education", &["b", "c"]),
        ("tag=e-government", &["c"]),
        ("tag=E-Government,one-stop%20shop&country=TH,PH", &["b", "c"]),
        ("organisation=lan-ri", &["b"]),
        ("operating_status=scaled", &["d"]),
        ("stage=implementing&facet=enhancement&status=published", &["a", "b", "c", "d"]),
    ];
    for (query, expected) in table {
        let (found, total) = lib.query(Who::Anonymous, query).await;
        assert_eq!(found, lib.set(expected), "?{query}");
        assert_eq!(total, expected.len() as i64, "total of ?{query}");
    }
    // Editors' lists apply the same filters to what they see.
    let (found, total) = lib.query(Who::Curator, "country=ID&sector=health").await;
    assert_eq!(found, lib.set(&["a", "draft"]));
    assert_eq!(total, 2);
    let (found, _) = lib.query(Who::Curator, "status=draft").await;
    assert_eq!(found, lib.set(&["draft"]));
}

#[tokio::test]
async fn filters_follow_edits() {
    let lib = Library::new().await;
    let id = lib.ids.get("draft").expect("draft").clone();
    let (status, _, _) = lib
        .app
        .request(
            Method::PUT,
            &format!("/api/v1/cases/{id}"),
            Some(Role::Contributor),
            Some(CaseBody::new("Draft").country("VN").sectors(&["energy"]).set("version", json!(1)).build()),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (found, _) = lib.query(Who::Curator, "sector=health&country=ID").await;
    assert_eq!(found, lib.set(&["a"]), "the old classification no longer matches");
    let (found, _) = lib.query(Who::Curator, "sector=energy&country=VN").await;
    assert_eq!(found, lib.set(&["draft"]));
}

#[tokio::test]
async fn cursor_pagination_walks_every_page_once() {
    let app = TestApp::new().await;
    let mut published = BTreeSet::new();
    for i in 0..23 {
        let id = app.case_in(Status::Published).await;
        published.insert(id);
        if i % 5 == 0 {
            // Drafts in between, which an anonymous reader must not be shown.
            app.case_in(Status::Draft).await;
        }
    }
    for (who, limit, expected_total) in [(Who::Anonymous, 5, 23), (Who::Anonymous, 23, 23), (Who::Curator, 7, 28)] {
        let mut seen: Vec<String> = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/cases?limit={limit}&cursor={c}"),
                None => format!("/api/v1/cases?limit={limit}"),
            };
            let (status, _, page) = app.request_as(Method::GET, &path, who, None).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            assert_eq!(page["total"], expected_total, "every page gives the total");
            let items = ids(&page);
            assert!(items.len() <= limit, "a page holds at most `limit` items");
            pages += 1;
            seen.extend(items.clone());
            match page["next"].as_str() {
                Some(next) => {
                    assert_eq!(items.len(), limit, "only the last page is short");
                    assert_eq!(Some(next), items.last().map(String::as_str));
                    cursor = Some(next.to_owned());
                }
                None => break,
            }
            assert!(pages <= 30, "pagination does not end");
        }
        let unique: BTreeSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "a case was listed twice");
        assert_eq!(seen.len() as i64, expected_total, "a case was skipped");
        assert_eq!(pages, (expected_total as usize).div_ceil(limit));
        let mut sorted = seen.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(seen, sorted, "newest (highest id) first");
        if who == Who::Anonymous {
            assert_eq!(unique.into_iter().cloned().collect::<BTreeSet<_>>(), published);
        }
    }
    // An empty cursor is the first page.
    let (_, _, first) = app.request(Method::GET, "/api/v1/cases?limit=5", None, None).await;
    let (status, _, empty) = app.request(Method::GET, "/api/v1/cases?limit=5&cursor=", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ids(&empty), ids(&first));
    assert_eq!(ids(&first).len(), 5);
    // Pagination with a filter keeps to the filter.
    let (_, _, page) = app.request(Method::GET, "/api/v1/cases?limit=2&status=draft", Some(Role::Curator), None).await;
    assert_eq!(page["total"], 5);
    assert_eq!(ids(&page).len(), 2);
    let next = page["next"].as_str().expect("next").to_owned();
    let (_, _, page) = app
        .request(Method::GET, &format!("/api/v1/cases?limit=2&status=draft&cursor={next}"), Some(Role::Curator), None)
        .await;
    for id in ids(&page) {
        assert_eq!(app.stored_case(&id).await.status, Status::Draft);
    }
}

#[tokio::test]
async fn vocabularies_have_english_and_indonesian_labels() {
    let app = TestApp::new().await;
    let (status, _, vocab) = app.request(Method::GET, "/api/v1/vocabularies", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let vocab = vocab.as_object().expect("an object of vocabularies");
    let names: BTreeSet<&str> = vocab.keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> = [
        "countries",
        "sectors",
        "levels_of_government",
        "innovation_facets",
        "lifecycle_stages",
        "sdgs",
        "organisation_types",
        "operating_statuses",
        "workflow_statuses",
        "roles",
        "languages",
        "nomination_states",
        "id_places",
    ]
    .into_iter()
    .collect();
    assert_eq!(names, expected);
    // Indonesia's places by their official codes: 38 provinces, and the
    // regencies and cities under them.
    let places = vocab["id_places"].as_array().expect("id_places");
    let provinces = places.iter().filter(|t| !t["code"].as_str().expect("code").contains('.')).count();
    assert_eq!(provinces, 38);
    assert!(places.len() > 500, "{} places", places.len());
    assert!(places.iter().any(|t| t["code"] == "31.71" && t["en"] == "Kota Administrasi Jakarta Pusat"));
    for (name, terms) in vocab {
        let terms = terms.as_array().expect("a list of terms");
        assert!(!terms.is_empty(), "{name} is empty");
        let mut codes = BTreeSet::new();
        for term in terms {
            for key in ["code", "en", "id"] {
                assert!(term[key].as_str().is_some_and(|s| !s.trim().is_empty()), "{name}: {term} lacks {key}");
            }
            assert!(codes.insert(term["code"].as_str().expect("code")), "{name}: duplicate {term}");
        }
    }
    let countries: BTreeMap<&str, &str> = vocab["countries"]
        .as_array()
        .expect("countries")
        .iter()
        .map(|t| (t["code"].as_str().expect("code"), t["id"].as_str().expect("id")))
        .collect();
    for (code, indonesian) in [
        ("BN", "Brunei Darussalam"),
        ("KH", "Kamboja"),
        ("ID", "Indonesia"),
        ("LA", "Laos"),
        ("MY", "Malaysia"),
        ("MM", "Myanmar"),
        ("PH", "Filipina"),
        ("SG", "Singapura"),
        ("TH", "Thailand"),
        ("VN", "Vietnam"),
    ] {
        assert_eq!(countries.get(code), Some(&indonesian), "ASEAN member {code}");
    }
    assert_eq!(vocab["sdgs"].as_array().expect("sdgs").len(), 17);
    let statuses: Vec<&str> =
        vocab["workflow_statuses"].as_array().expect("statuses").iter().filter_map(|t| t["code"].as_str()).collect();
    assert_eq!(statuses, ["draft", "submitted", "returned", "published", "archived"]);
}

#[tokio::test]
async fn health_checks_answer() {
    let app = TestApp::new().await;
    let (status, _, body) = app.request(Method::GET, "/healthz", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    let (status, _, body) = app.request(Method::GET, "/readyz", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ready");
    // Once the store is closed, the node is not ready.
    app.store.close().await;
    let (status, _, body) = app.request(Method::GET, "/readyz", None, None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["status"], "not ready");
}

/// Every route of the JSON API with its methods, as `routes.rs` and the
/// feature routers declare them.
const ROUTES: [(&str, &[&str]); 71] = [
    ("/api/v1/cases", &["get", "post"]),
    ("/api/v1/cases/{id}", &["get", "put"]),
    ("/api/v1/cases/{id}/submit", &["post"]),
    ("/api/v1/cases/{id}/return", &["post"]),
    ("/api/v1/cases/{id}/publish", &["post"]),
    ("/api/v1/cases/{id}/archive", &["post"]),
    ("/api/v1/cases/{id}/revisions", &["get"]),
    ("/api/v1/cases/{id}/revisions/{version}", &["get"]),
    ("/api/v1/cases/{id}/diff", &["get"]),
    ("/api/v1/organisations", &["get", "post"]),
    ("/api/v1/organisations/{id}", &["get", "put"]),
    ("/api/v1/accounts", &["get", "post"]),
    ("/api/v1/accounts/{id}", &["get", "put"]),
    ("/api/v1/auth/login", &["post"]),
    ("/api/v1/auth/logout", &["post"]),
    ("/api/v1/auth/tokens", &["post"]),
    ("/api/v1/me", &["get"]),
    ("/api/v1/me/password", &["put"]),
    ("/api/v1/vocabularies", &["get"]),
    ("/api/v1/search", &["get"]),
    ("/api/v1/suggest", &["get"]),
    ("/api/v1/cases/{id}/related", &["get"]),
    ("/api/v1/harvest-sources", &["get"]),
    ("/api/v1/cases/{id}/nominate", &["post"]),
    ("/api/v1/cases/{id}/federation", &["get"]),
    ("/api/v1/nominations", &["get"]),
    ("/api/v1/nominations/{id}/accept", &["post"]),
    ("/api/v1/nominations/{id}/decline", &["post"]),
    ("/api/v1/events", &["get", "post"]),
    ("/api/v1/events/{id}", &["get", "put"]),
    ("/api/v1/events/{id}/registration", &["post", "delete"]),
    ("/api/v1/events/{id}/outcome", &["put"]),
    ("/api/v1/events/{id}/actions", &["get", "post"]),
    ("/api/v1/actions", &["get"]),
    ("/api/v1/actions/{id}", &["put"]),
    ("/api/v1/cases/{id}/links", &["get", "post"]),
    ("/api/v1/cases/{id}/links/{link_id}", &["delete"]),
    ("/api/v1/cases/{id}/checkins", &["get", "post"]),
    ("/api/v1/rooms", &["get", "post"]),
    ("/api/v1/rooms/{slug}", &["get"]),
    ("/api/v1/rooms/{slug}/join", &["post"]),
    ("/api/v1/rooms/{slug}/leave", &["post"]),
    ("/api/v1/rooms/{slug}/invitations", &["post"]),
    ("/api/v1/rooms/{slug}/members/{account}", &["post"]),
    ("/api/v1/threads", &["get", "post"]),
    ("/api/v1/threads/{id}", &["get"]),
    ("/api/v1/threads/{id}/posts", &["post"]),
    ("/api/v1/posts/{id}", &["put"]),
    ("/api/v1/posts/{id}/translations", &["post"]),
    ("/api/v1/posts/{id}/history", &["get"]),
    ("/api/v1/posts/{id}/flags", &["post"]),
    ("/api/v1/posts/{id}/moderation", &["post"]),
    ("/api/v1/threads/{id}/moderation", &["post"]),
    ("/api/v1/accounts/{id}/suspension", &["post"]),
    ("/api/v1/moderation/queue", &["get"]),
    ("/api/v1/moderation/log", &["get"]),
    ("/api/v1/moderation/mine", &["get"]),
    ("/api/v1/moderation/{id}/appeal", &["post"]),
    ("/api/v1/moderation/appeals", &["get"]),
    ("/api/v1/moderation/{id}/appeal/decision", &["post"]),
    ("/api/v1/cases/{id}/checkin-schedule", &["get", "put"]),
    ("/api/v1/subscriptions", &["get", "post"]),
    ("/api/v1/subscriptions/{target}", &["delete"]),
    ("/api/v1/notifications", &["get"]),
    ("/api/v1/notifications/read", &["post"]),
    ("/api/v1/notifications/{id}/read", &["post"]),
    ("/api/v1/notifications/feed", &["post", "delete"]),
    ("/api/v1/resources", &["get", "post"]),
    ("/api/v1/resources/{id}", &["get", "put", "delete"]),
    ("/api/v1/collections", &["get", "post"]),
    ("/api/v1/collections/{id}", &["get", "put", "delete"]),
];

#[tokio::test]
async fn the_openapi_document_lists_every_route() {
    let app = TestApp::new().await;
    let res = app.send_json(Method::GET, "/api/openapi.json", Who::Anonymous, None, &[]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.header("content-type").is_some_and(|c| c.starts_with("application/json")));
    let doc = res.json();
    let version = doc["openapi"].as_str().expect("openapi version");
    assert!(version.starts_with("3.1."), "OpenAPI {version}");
    assert!(doc["info"]["title"].as_str().is_some_and(|t| !t.is_empty()));
    let paths = doc["paths"].as_object().expect("paths");
    for (path, methods) in ROUTES {
        let item = paths.get(path).unwrap_or_else(|| panic!("{path} is not documented"));
        for method in methods {
            let op = item.get(*method).unwrap_or_else(|| panic!("{method} {path} is not documented"));
            let responses = op["responses"].as_object().unwrap_or_else(|| panic!("{method} {path} has no responses"));
            assert!(!responses.is_empty(), "{method} {path}");
        }
    }
    let documented_api: BTreeSet<&str> =
        paths.keys().map(String::as_str).filter(|p| p.starts_with("/api/v1/")).collect();
    let known: BTreeSet<&str> = ROUTES.iter().map(|(p, _)| *p).collect();
    assert_eq!(documented_api, known, "the document and the router list the same routes");
    for path in ["/healthz", "/readyz"] {
        assert!(paths.contains_key(path), "{path} is documented");
    }
    let schemes = doc["components"]["securitySchemes"].as_object().expect("security schemes");
    assert!(schemes.contains_key("bearer") && schemes.contains_key("session"));
    for schema in ["Case", "CaseContent", "Problem", "Organisation", "Account", "CaseList"] {
        assert!(doc["components"]["schemas"].get(schema).is_some(), "schema {schema}");
    }
}

#[tokio::test]
async fn the_docs_page_names_every_path() {
    let app = TestApp::new().await;
    let res = app.send_json(Method::GET, "/api/docs", Who::Anonymous, None, &[]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.header("content-type").is_some_and(|c| c.starts_with("text/html")), "{:?}", res.header("content-type"));
    let html = res.text();
    assert!(html.starts_with("<!doctype html>"));
    for (path, _) in ROUTES {
        assert!(html.contains(&format!("<code>{path}</code>")), "the page names {path}");
    }
    assert!(!html.contains("<script"), "the page needs no script");
    assert!(!html.contains("https://"), "the page loads nothing from another host");
    assert!(res.header("content-security-policy").is_some());
    assert_eq!(res.header("x-content-type-options"), Some("nosniff"));
    let res = app.send_json(Method::GET, "/api/docs.css", Who::Anonymous, None, &[]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.header("content-type").is_some_and(|c| c.starts_with("text/css")));
    // The home page links to the API documentation.
    let res = app.send_json(Method::GET, "/", Who::Anonymous, None, &[]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.text().contains("href=\"/api/docs\""));
}

// ---- sessions ---------------------------------------------------------------

async fn login(app: &TestApp, email: &str, password: &str) -> TestResponse {
    app.send_json(
        Method::POST,
        "/api/v1/auth/login",
        Who::Anonymous,
        Some(json!({"email": email, "password": password})),
        &[],
    )
    .await
}

/// The `name=value` part of a Set-Cookie header.
fn cookie_pair(res: &TestResponse) -> String {
    let set_cookie = res.header("set-cookie").expect("a Set-Cookie header");
    set_cookie.split(';').next().expect("name=value").trim().to_owned()
}

async fn with_cookie(app: &TestApp, method: Method, path: &str, cookie: &str) -> TestResponse {
    let req =
        Request::builder().method(method).uri(path).header("cookie", cookie).body(Body::empty()).expect("request");
    app.send(req).await
}

#[tokio::test]
async fn signing_in_sets_a_session_cookie_and_signing_out_clears_it() {
    let app = TestApp::new().await;
    let email = app.account(Who::Curator).email.clone();
    let res = login(&app, &email.to_uppercase(), PASSWORD).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["id"], json!(app.id_of(Who::Curator)));
    assert!(res.json().get("password_hash").is_none());
    let set_cookie = res.header("set-cookie").expect("Set-Cookie").to_owned();
    let attrs: Vec<&str> = set_cookie.split(';').map(str::trim).collect();
    assert!(attrs.contains(&"HttpOnly"), "{set_cookie}");
    assert!(attrs.contains(&"SameSite=Lax"), "{set_cookie}");
    assert!(attrs.contains(&"Path=/"), "{set_cookie}");
    assert!(!attrs.contains(&"Secure"), "plain-http nodes do not mark cookies Secure: {set_cookie}");
    assert!(attrs.iter().any(|a| a.starts_with("Max-Age=") && *a != "Max-Age=0"), "{set_cookie}");
    let cookie = cookie_pair(&res);
    assert!(cookie.starts_with("lumbung_session=") && cookie.len() > "lumbung_session=".len() + 20, "{cookie}");

    // The cookie authenticates.
    let res = with_cookie(&app, Method::GET, "/api/v1/me", &cookie).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["role"], "curator");
    assert_eq!(res.json()["email"], json!(email));
    // …for everything a curator may do.
    let res = with_cookie(&app, Method::GET, "/api/v1/cases?status=draft", &cookie).await;
    assert_eq!(res.status, StatusCode::OK);

    // Signing out clears the cookie and ends the session.
    let res = with_cookie(&app, Method::POST, "/api/v1/auth/logout", &cookie).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    let cleared = res.header("set-cookie").expect("Set-Cookie").to_owned();
    assert!(cleared.starts_with("lumbung_session=;"), "{cleared}");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let res = with_cookie(&app, Method::GET, "/api/v1/me", &cookie).await;
    assert_problem(&res, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn https_nodes_mark_the_cookie_secure() {
    let app = TestApp::with_settings(WebSettings { secure_cookies: true, ..WebSettings::default() }).await;
    let res = login(&app, &app.account(Who::Reader).email.clone(), PASSWORD).await;
    assert_eq!(res.status, StatusCode::OK);
    let set_cookie = res.header("set-cookie").expect("Set-Cookie");
    assert!(set_cookie.split(';').map(str::trim).any(|a| a == "Secure"), "{set_cookie}");
}

#[tokio::test]
async fn wrong_sign_ins_are_refused_alike() {
    let app = TestApp::new().await;
    let email = app.account(Who::Reader).email.clone();
    for (email, password) in
        [(email.as_str(), "wrong password"), ("nobody@example.org", PASSWORD), (email.as_str(), "")]
    {
        let res = login(&app, email, password).await;
        let problem = assert_problem(&res, StatusCode::UNAUTHORIZED);
        assert!(res.header("set-cookie").is_none());
        assert_eq!(problem["type"], "urn:lumbung:problem:unauthorized");
    }
    let res =
        app.send_json(Method::POST, "/api/v1/auth/login", Who::Anonymous, Some(json!({"email": email})), &[]).await;
    let problem = assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem.to_string().contains("password"), "{problem}");
}

#[tokio::test]
async fn five_failed_sign_ins_lock_the_account_for_a_while() {
    let app = TestApp::new().await;
    let email = app.account(Who::Contributor).email.clone();
    for attempt in 1..=5 {
        let res = login(&app, &email, "wrong password").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    // The sixth attempt is refused even with the right password.
    let res = login(&app, &email, PASSWORD).await;
    let problem = assert_problem(&res, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(problem["type"], "urn:lumbung:problem:too-many-requests");
    let retry_after: u64 = res.header("retry-after").expect("Retry-After").parse().expect("seconds");
    assert!((1..=15 * 60).contains(&retry_after), "Retry-After {retry_after}");
    assert!(res.header("set-cookie").is_none());
    // The limit is per account: others still sign in, and tokens still work.
    let res = login(&app, &app.account(Who::Reader).email.clone(), PASSWORD).await;
    assert_eq!(res.status, StatusCode::OK);
    let (status, _, _) = app.request(Method::GET, "/api/v1/me", Some(Role::Contributor), None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_successful_sign_in_resets_the_count() {
    let app = TestApp::new().await;
    let email = app.account(Who::Delegate).email.clone();
    for _ in 0..4 {
        assert_eq!(login(&app, &email, "wrong password").await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(login(&app, &email, PASSWORD).await.status, StatusCode::OK);
    for _ in 0..4 {
        assert_eq!(login(&app, &email, "wrong password").await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(login(&app, &email, PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn changing_the_password() {
    let app = TestApp::new().await;
    let email = app.account(Who::Reader).email.clone();
    let session = cookie_pair(&login(&app, &email, PASSWORD).await);
    let new_password = "a brand new passphrase";

    // The current password must be right, and the new one long enough.
    let res = app
        .send_json(
            Method::PUT,
            "/api/v1/me/password",
            Who::Reader,
            Some(json!({"current_password": "not my password", "new_password": new_password})),
            &[],
        )
        .await;
    // A wrong current password is a refused credential.
    assert_problem(&res, StatusCode::FORBIDDEN);
    let res = app
        .send_json(
            Method::PUT,
            "/api/v1/me/password",
            Who::Reader,
            Some(json!({"current_password": PASSWORD, "new_password": "short"})),
            &[],
        )
        .await;
    let problem = assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["new_password"]);
    assert_eq!(problem["errors"][0]["code"], "too_short");
    let res = app
        .send_json(
            Method::PUT,
            "/api/v1/me/password",
            Who::Reader,
            Some(json!({"current_password": PASSWORD, "new_password": "x".repeat(2_000)})),
            &[],
        )
        .await;
    let problem = assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["new_password"]);
    assert_eq!(problem["errors"][0]["code"], "too_long", "{problem}");
    // Nothing changed so far.
    assert_eq!(with_cookie(&app, Method::GET, "/api/v1/me", &session).await.status, StatusCode::OK);
    assert_eq!(login(&app, &email, PASSWORD).await.status, StatusCode::OK);

    let res = app
        .send_json(
            Method::PUT,
            "/api/v1/me/password",
            Who::Reader,
            Some(json!({"current_password": PASSWORD, "new_password": new_password})),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text());
    assert_eq!(login(&app, &email, PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(login(&app, &email, new_password).await.status, StatusCode::OK);
    // Sessions from before the change are over.
    let res = with_cookie(&app, Method::GET, "/api/v1/me", &session).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn changing_the_password_in_a_browser_keeps_that_session_only() {
    let app = TestApp::new().await;
    let email = app.account(Who::Curator).email.clone();
    let laptop = cookie_pair(&login(&app, &email, PASSWORD).await);
    let phone = cookie_pair(&login(&app, &email, PASSWORD).await);
    assert_ne!(laptop, phone);
    let req = Request::builder()
        .method(Method::PUT)
        .uri("/api/v1/me/password")
        .header("cookie", &laptop)
        .header("content-type", "application/json")
        .body(Body::from(json!({"current_password": PASSWORD, "new_password": "a brand new passphrase"}).to_string()))
        .expect("request");
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text());
    assert_eq!(with_cookie(&app, Method::GET, "/api/v1/me", &laptop).await.status, StatusCode::OK, "this session");
    assert_eq!(with_cookie(&app, Method::GET, "/api/v1/me", &phone).await.status, StatusCode::UNAUTHORIZED, "others");
    // API tokens are not sessions: they keep working.
    let (status, _, _) = app.request(Method::GET, "/api/v1/me", Some(Role::Curator), None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_new_token_works_at_once() {
    let app = TestApp::new().await;
    let cookie = cookie_pair(&login(&app, &app.account(Who::Contributor).email.clone(), PASSWORD).await);
    let res = with_cookie(&app, Method::POST, "/api/v1/auth/tokens", &cookie).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let created = res.json();
    let token = created["token"].as_str().expect("token").to_owned();
    assert!(token.starts_with("lmb_") && token.len() >= 60, "{token}");
    assert!(created["label"].as_str().is_some_and(|l| !l.is_empty()));

    let req = Request::builder()
        .uri("/api/v1/me")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["id"], json!(app.id_of(Who::Contributor)));

    // The token acts for its account: it can write a case.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/cases")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(CaseBody::new("Via token").build().to_string()))
        .expect("request");
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(res.json()["created_by"], json!(app.id_of(Who::Contributor)));

    // Each call makes a different token.
    let again = with_cookie(&app, Method::POST, "/api/v1/auth/tokens", &cookie).await.json();
    assert_ne!(again["token"], json!(token));
}

#[tokio::test]
async fn an_account_reads_itself() {
    let app = TestApp::new().await;
    for who in [Who::Reader, Who::Contributor, Who::Delegate, Who::Curator, Who::Admin] {
        let (status, _, me) = app.request_as(Method::GET, "/api/v1/me", who, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(me["id"], json!(app.id_of(who)));
        assert_eq!(me["role"], json!(who.role().expect("role").as_str()));
        let (status, _, account) =
            app.request_as(Method::GET, &format!("/api/v1/accounts/{}", app.id_of(who)), who, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(account, me);
    }
    // Administrators list everyone.
    let (_, _, accounts) = app.request(Method::GET, "/api/v1/accounts", Some(Role::Admin), None).await;
    assert_eq!(accounts.as_array().expect("accounts").len(), 6);
}

#[tokio::test]
async fn organisations_are_created_and_updated() {
    let app = TestApp::new().await;
    let body = common::organisation_body("pemprov-dki");
    let (status, headers, org) =
        app.request(Method::POST, "/api/v1/organisations", Some(Role::Curator), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{org}");
    assert_eq!(headers.get("location").and_then(|v| v.to_str().ok()), Some("/api/v1/organisations/pemprov-dki"));
    assert_eq!(org["version"], 1);
    let mut edit = common::organisation_body("pemprov-dki");
    edit["parent"] = json!("kemenpan-rb");
    edit["version"] = json!(1);
    let (status, _, org) =
        app.request(Method::PUT, "/api/v1/organisations/pemprov-dki", Some(Role::Admin), Some(edit)).await;
    assert_eq!(status, StatusCode::OK, "{org}");
    assert_eq!(org["version"], 2);
    assert_eq!(org["parent"], "kemenpan-rb");
    let (_, _, list) = app.request(Method::GET, "/api/v1/organisations", None, None).await;
    let ids: Vec<&str> = list.as_array().expect("list").iter().filter_map(|o| o["id"].as_str()).collect();
    assert_eq!(ids, ["kemenpan-rb", "lan-ri", "pemprov-dki"]);
    // A case may now name it.
    let case = app
        .create_case_as(Who::Contributor, CaseBody::new("Jakarta").set("organisations", json!(["pemprov-dki"])).build())
        .await;
    assert_eq!(case["organisations"], json!(["pemprov-dki"]));
}

#[tokio::test]
async fn metrics_answer_administrators_and_the_scrape_token_only() {
    let settings = WebSettings { metrics_token: Some("scrape-secret".into()), ..Default::default() };
    let app = TestApp::with_settings(settings).await;
    app.create_case_as(Who::Contributor, serde_json::json!({"original_language": "en", "title": {"en": "Metered"}}))
        .await;
    for who in [Who::Anonymous, Who::Reader, Who::Contributor, Who::Curator] {
        let res = app.send_raw(Method::GET, "/metrics", who, None, "").await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{who:?} reads the metrics");
    }
    let wrong = Request::builder().uri("/metrics").header("authorization", "Bearer nope").body(Body::empty()).unwrap();
    assert_eq!(app.send(wrong).await.status, StatusCode::NOT_FOUND);
    let scraper =
        Request::builder().uri("/metrics").header("authorization", "Bearer scrape-secret").body(Body::empty()).unwrap();
    let res = app.send(scraper).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/openmetrics-text"));
    let res = app.send_raw(Method::GET, "/metrics", Who::Admin, None, "").await;
    assert_eq!(res.status, StatusCode::OK);
    let text = String::from_utf8_lossy(&res.bytes).into_owned();
    let head = app.last_change().await;
    for line in [
        format!("lumbung_change_log_head {head}"),
        "lumbung_http_requests_total{route=\"/api/v1/cases\",method=\"POST\",status=\"201\"} 1".to_owned(),
        "lumbung_http_request_duration_seconds_bucket{le=\"0.0005\",route=\"/api/v1/cases\"}".to_owned(),
        "lumbung_search_index_lag ".to_owned(),
        "lumbung_db_pool_connections{pool=\"read\",state=\"open\"}".to_owned(),
    ] {
        assert!(text.contains(&line), "missing {line} in\n{text}");
    }
    assert!(text.ends_with("# EOF\n"));
}
