//! The test harness every API test shares: a [`TestApp`] that runs the real
//! router over a real SQLite store in a temporary folder, with one signed-in
//! account per role, and builders for valid request bodies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use lumbung_core::{Case, Role, Status, Text};
use lumbung_store::{CaseFilter, NewAccount, Store, Visibility};
use lumbung_web::{AppState, WebSettings};
use serde_json::{Value, json};
use tower::ServiceExt;

/// Every test account's password.
pub const PASSWORD: &str = "correct horse battery staple";

/// Who sends a request: nobody, or one of the test accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Who {
    Anonymous,
    Reader,
    /// The contributor who owns the fixtures' cases.
    Contributor,
    /// A second contributor, of another organisation (LAN), who owns none of them.
    OtherContributor,
    Delegate,
    Curator,
    Admin,
}

impl Who {
    /// Every caller, in the order permission tables list them.
    pub const ALL: [Who; 7] =
        [Who::Anonymous, Who::Reader, Who::Contributor, Who::OtherContributor, Who::Delegate, Who::Curator, Who::Admin];

    pub fn role(self) -> Option<Role> {
        match self {
            Who::Anonymous => None,
            Who::Reader => Some(Role::Reader),
            Who::Contributor | Who::OtherContributor => Some(Role::Contributor),
            Who::Delegate => Some(Role::Delegate),
            Who::Curator => Some(Role::Curator),
            Who::Admin => Some(Role::Admin),
        }
    }

    pub fn from_role(role: Option<Role>) -> Who {
        match role {
            None => Who::Anonymous,
            Some(Role::Reader) => Who::Reader,
            Some(Role::Contributor) => Who::Contributor,
            Some(Role::Delegate) => Who::Delegate,
            Some(Role::Curator) => Who::Curator,
            Some(Role::Admin) => Who::Admin,
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Who::Anonymous => "anonymous",
            Who::Reader => "reader",
            Who::Contributor => "contributor",
            Who::OtherContributor => "other-contributor",
            Who::Delegate => "delegate",
            Who::Curator => "curator",
            Who::Admin => "admin",
        }
    }
}

/// A test account with its API token.
#[derive(Debug, Clone)]
pub struct TestAccount {
    pub id: String,
    pub email: String,
    pub token: String,
}

/// A response, taken apart.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Bytes,
}

impl TestResponse {
    /// The body as JSON; `Null` when empty, a string when it is not JSON.
    pub fn json(&self) -> Value {
        if self.bytes.is_empty() {
            return Value::Null;
        }
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&self.bytes).into_owned()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every value of a header.
    pub fn header_all(&self, name: &str) -> Vec<String> {
        self.headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect()
    }
}

/// The real application over a real store in a temporary folder.
pub struct TestApp {
    pub store: Store,
    /// The node's search index (brought up to date with [`TestApp::sync_search`]).
    pub search: lumbung_search::SearchIndex,
    router: Router,
    accounts: BTreeMap<Who, TestAccount>,
    /// Organisations created at start: `kemenpan-rb` (ID) and `lan-ri` (ID).
    pub organisations: Vec<String>,
    _dir: tempfile::TempDir,
    /// PostgreSQL runs (LUMBUNG_TEST_BACKEND=postgres): the test's own database.
    _db: Option<lumbung_store::testing::TestDatabase>,
}

/// One argon2 hash of [`PASSWORD`], shared by every test account (hashing is slow).
fn password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| lumbung_app::passwords::hash(PASSWORD).expect("hash the test password")).clone()
}

impl TestApp {
    /// A fresh node with one account per role (and a second contributor),
    /// each with an API token, and two organisations.
    pub async fn new() -> TestApp {
        Self::with_settings(WebSettings::default()).await
    }

    pub async fn with_settings(settings: WebSettings) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = lumbung_store::testing::TestDatabase::create().expect("a test database");
        let store = Store::connect(dir.path(), db.as_ref().map(|d| d.url.as_str())).await.expect("open the store");
        let mut organisations = Vec::new();
        for (id, en, idn, acronym) in [
            ("kemenpan-rb", "Ministry of Administrative and Bureaucratic Reform", "Kementerian PANRB", "KemenPAN-RB"),
            ("lan-ri", "National Institute of Public Administration", "Lembaga Administrasi Negara", "LAN"),
        ] {
            let now = lumbung_core::clock::now();
            let org = lumbung_core::Organisation {
                id: id.into(),
                content: lumbung_core::OrganisationContent {
                    name: Text::new("en", en).with("id", idn),
                    acronym: Some(acronym.into()),
                    org_type: "agency".into(),
                    level_of_government: Some("national".into()),
                    country: Some("ID".into()),
                    parent: None,
                    website: None,
                },
                version: 1,
                created_at: now,
                updated_at: now,
            };
            store.create_organisation(&org, None).await.expect("create organisation");
            organisations.push(id.to_owned());
        }
        let hash = password_hash();
        let mut accounts = BTreeMap::new();
        for who in Who::ALL.into_iter().skip(1) {
            let email = format!("{}@example.go.id", who.slug());
            let role = who.role().expect("a signed-in caller has a role");
            let account = store
                .create_account(
                    NewAccount {
                        email: email.clone(),
                        name: format!("Test {}", who.slug()),
                        role,
                        // Cases belong to their author's organisation too: the
                        // other contributor works elsewhere, so it owns none.
                        organisation: Some(if who == Who::OtherContributor { "lan-ri" } else { "kemenpan-rb" }.into()),
                        // The delegate represents the Philippines; the fixture
                        // cases are Indonesian, so it acts for none of them.
                        delegation: (role == Role::Delegate).then(|| "PH".to_owned()),
                        password_hash: Some(hash.clone()),
                    },
                    None,
                )
                .await
                .expect("create account");
            let token = format!("lmb_test_{}_{}", who.slug().replace('-', "_"), account.id.to_lowercase());
            store.create_token(&account.id, &token, "test").await.expect("create token");
            accounts.insert(who, TestAccount { id: account.id, email, token });
        }
        let search = lumbung_search::SearchIndex::open_for(&store).expect("search index");
        let router = lumbung_web::router(AppState::new(store.clone(), search.clone(), settings));
        TestApp { store, search, router, accounts, organisations, _dir: dir, _db: db }
    }

    /// The account of a signed-in caller.
    pub fn account(&self, who: Who) -> &TestAccount {
        self.accounts.get(&who).unwrap_or_else(|| panic!("{who:?} has no account"))
    }

    pub fn id_of(&self, who: Who) -> String {
        self.account(who).id.clone()
    }

    pub fn token_of(&self, who: Who) -> Option<String> {
        self.accounts.get(&who).map(|a| a.token.clone())
    }

    /// Sends a JSON request as `role`'s account (None: anonymous) and returns
    /// the status, the headers and the body as JSON (`Null` when empty).
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        role: Option<Role>,
        body: Option<Value>,
    ) -> (StatusCode, HeaderMap, Value) {
        self.request_as(method, path, Who::from_role(role), body).await
    }

    /// Like [`TestApp::request`], for any caller including the second contributor.
    pub async fn request_as(
        &self,
        method: Method,
        path: &str,
        who: Who,
        body: Option<Value>,
    ) -> (StatusCode, HeaderMap, Value) {
        let res = self.send_json(method, path, who, body, &[]).await;
        let json = res.json();
        (res.status, res.headers, json)
    }

    /// Sends a JSON request with extra headers.
    pub async fn send_json(
        &self,
        method: Method,
        path: &str,
        who: Who,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(token) = self.token_of(who) {
            builder = builder.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let req = match body {
            Some(b) => builder
                .header(CONTENT_TYPE, "application/json")
                .body(Body::from(serde_json::to_vec(&b).expect("serialise body")))
                .expect("build request"),
            None => builder.body(Body::empty()).expect("build request"),
        };
        self.send(req).await
    }

    /// Sends any request through the router.
    pub async fn send(&self, req: Request<Body>) -> TestResponse {
        let res = self.router.clone().oneshot(req).await.expect("the router is infallible");
        let (parts, body) = res.into_parts();
        let bytes = body.collect().await.expect("read the response body").to_bytes();
        TestResponse { status: parts.status, headers: parts.headers, bytes }
    }

    /// Sends raw bytes with a content type (or none) as `who`.
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        who: Who,
        content_type: Option<&str>,
        body: impl Into<Body>,
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(token) = self.token_of(who) {
            builder = builder.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(ct) = content_type {
            builder = builder.header(CONTENT_TYPE, ct);
        }
        self.send(builder.body(body.into()).expect("build request")).await
    }

    // ---- fixtures -------------------------------------------------------

    /// Creates a case through the API as `who` and returns its JSON.
    pub async fn create_case_as(&self, who: Who, body: Value) -> Value {
        let (status, _, json) = self.request_as(Method::POST, "/api/v1/cases", who, Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "creating a case as {who:?}: {json}");
        json
    }

    /// Takes a workflow step through the API and asserts it succeeded.
    pub async fn step(&self, id: &str, step: &str, who: Who, body: Option<Value>) -> Value {
        let (status, _, json) = self.request_as(Method::POST, &format!("/api/v1/cases/{id}/{step}"), who, body).await;
        assert_eq!(status, StatusCode::OK, "{step} of {id} as {who:?}: {json}");
        json
    }

    /// A case by the contributor, brought to `status` through the API. Returns its id.
    pub async fn case_in(&self, status: Status) -> String {
        self.case_in_with(status, CaseBody::new("Fixture case").build()).await
    }

    /// A case with this body by the contributor, brought to `status`.
    pub async fn case_in_with(&self, status: Status, body: Value) -> String {
        let case = self.create_case_as(Who::Contributor, body).await;
        let id = case["id"].as_str().expect("case id").to_owned();
        match status {
            Status::Draft => {}
            Status::Submitted => {
                self.step(&id, "submit", Who::Contributor, None).await;
            }
            Status::Returned => {
                self.step(&id, "submit", Who::Contributor, None).await;
                self.step(&id, "return", Who::Curator, Some(json!({"comment": "please add results"}))).await;
            }
            Status::Published => {
                self.step(&id, "submit", Who::Contributor, None).await;
                self.step(&id, "publish", Who::Curator, None).await;
            }
            Status::Archived => {
                self.step(&id, "submit", Who::Contributor, None).await;
                self.step(&id, "publish", Who::Curator, None).await;
                self.step(&id, "archive", Who::Curator, None).await;
            }
        }
        id
    }

    /// The case as stored, bypassing the API.
    pub async fn stored_case(&self, id: &str) -> Case {
        self.store.get_case(id).await.expect("read the store").expect("the case is stored")
    }

    /// How many cases the store holds, whatever their status.
    pub async fn case_count(&self) -> i64 {
        self.store.count_cases(&CaseFilter::default(), &Visibility::All).await.expect("count cases")
    }

    /// Applies every change so far to the search index (what the server's
    /// follower does in the background); what it did.
    pub async fn sync_search(&self) -> lumbung_search::CatchUp {
        self.search.catch_up(&self.store).await.expect("search catch-up")
    }

    /// The newest change-log sequence number.
    pub async fn last_change(&self) -> i64 {
        self.store.last_change().await.expect("read the change log")
    }
}

/// Builds a valid case body; every setter returns the builder.
#[derive(Debug, Clone)]
pub struct CaseBody(Value);

impl CaseBody {
    /// A full, bilingual case written first in Indonesian, titled `title` (in
    /// English; the Indonesian title is `"<title> (ID)"`).
    pub fn new(title: &str) -> CaseBody {
        CaseBody(json!({
            "title": {"en": title, "id": format!("{title} (ID)")},
            "summary": {
                "en": "One building where citizens reach dozens of public services.",
                "id": "Satu gedung tempat warga mengakses puluhan layanan publik."
            },
            "original_language": "id",
            "country": "ID",
            "region": "DKI Jakarta",
            "city": "Jakarta",
            "level_of_government": "local",
            "organisations": ["kemenpan-rb"],
            "partners": ["Bank Indonesia"],
            "sectors": ["public_administration", "digital_government"],
            "innovation_facets": ["enhancement"],
            "lifecycle_stage": "implementing",
            "sdgs": [16],
            "tags": ["one-stop shop"],
            "digital": true,
            "year_launched": 2017,
            "website": "https://mpp.example.go.id/",
            "sections": {
                "problem": {"en": "Services were scattered.", "id": "Layanan tersebar."},
                "novelty": {"en": "All services under one roof.", "id": "Semua layanan di satu atap."},
                "how_it_works": {"en": "Agencies staff counters.", "id": "Instansi menempatkan petugas."},
                "results": {"en": "Waiting times fell.", "id": "Waktu tunggu turun."},
                "lessons_learned": {"en": "Start small.", "id": "Mulai dari kecil."}
            },
            "links": [{"url": "https://example.org/report", "title": "Evaluation report"}],
            "contact": {"name": "Ibu Sari", "email": "sari@example.go.id", "organisation": "KemenPAN-RB"},
            "operating_status": "active"
        }))
    }

    /// A case with only a title and summary in English (incomplete).
    pub fn minimal(title: &str) -> CaseBody {
        CaseBody(json!({
            "title": {"en": title},
            "summary": {"en": "A short summary."},
            "original_language": "en"
        }))
    }

    /// Sets (or replaces) one top-level field.
    pub fn set(mut self, field: &str, value: Value) -> CaseBody {
        if let Some(map) = self.0.as_object_mut() {
            map.insert(field.to_owned(), value);
        }
        self
    }

    /// Removes one top-level field.
    pub fn without(mut self, field: &str) -> CaseBody {
        if let Some(map) = self.0.as_object_mut() {
            map.remove(field);
        }
        self
    }

    pub fn country(self, code: &str) -> CaseBody {
        self.set("country", json!(code))
    }

    pub fn sectors(self, codes: &[&str]) -> CaseBody {
        self.set("sectors", json!(codes))
    }

    pub fn year(self, year: i32) -> CaseBody {
        self.set("year_launched", json!(year))
    }

    pub fn build(self) -> Value {
        self.0
    }
}

/// A valid organisation body with this id.
pub fn organisation_body(id: &str) -> Value {
    json!({
        "id": id,
        "name": {"en": "Jakarta Provincial Government", "id": "Pemerintah Provinsi DKI Jakarta"},
        "acronym": "Pemprov DKI",
        "org_type": "local_government",
        "level_of_government": "regional",
        "country": "ID",
        "website": "https://jakarta.go.id/"
    })
}

/// Asserts that a response is a problem document with this status, and returns its body.
pub fn assert_problem(res: &TestResponse, status: StatusCode) -> Value {
    assert_eq!(res.status, status, "unexpected status; body: {}", res.text());
    assert_eq!(
        res.header("content-type"),
        Some("application/problem+json"),
        "a {status} response is problem+json; body: {}",
        res.text()
    );
    let body = res.json();
    assert_eq!(body["status"], json!(status.as_u16()), "problem status field: {body}");
    assert!(body["type"].as_str().is_some_and(|t| t.starts_with("urn:lumbung:problem:")), "problem type: {body}");
    assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()), "problem detail: {body}");
    body
}

/// The `field` of every entry of a problem's `errors`.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| errors.iter().filter_map(|e| e["field"].as_str()).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// A browser for the HTML pages: keeps cookies, asks for HTML, optionally in
/// a language, and posts forms (with the CSRF token a page set, or without).
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookies: Vec<(String, String)>,
    pub accept_language: Option<&'a str>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Browser { app, cookies: Vec::new(), accept_language: None }
    }

    /// A browser signed in as `who` through the sign-in page (anonymous: not signed in).
    pub async fn signed_in(app: &'a TestApp, who: Who) -> Browser<'a> {
        let mut b = Browser::new(app);
        if who != Who::Anonymous {
            b.sign_in(who).await;
        }
        b
    }

    /// A browser signed in as `who`, its interface in `lang`.
    pub async fn signed_in_lang(app: &'a TestApp, who: Who, lang: &'a str) -> Browser<'a> {
        let mut b = Browser { app, cookies: Vec::new(), accept_language: Some(lang) };
        b.sign_in(who).await;
        b
    }

    fn keep_cookies(&mut self, res: &TestResponse) {
        for set in res.header_all("set-cookie") {
            let pair = set.split(';').next().unwrap_or("");
            if let Some((name, value)) = pair.split_once('=') {
                self.cookies.retain(|(n, _)| n != name);
                if !value.is_empty() {
                    self.cookies.push((name.to_owned(), value.to_owned()));
                }
            }
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    }

    /// The CSRF token the pages set.
    pub fn csrf(&self) -> String {
        self.cookie("lumbung_csrf").expect("a page has set the CSRF cookie")
    }

    /// A request with this browser's cookies and language, asking for HTML.
    pub fn builder(&self, method: Method, path: &str) -> axum::http::request::Builder {
        let mut b = Request::builder().method(method).uri(path).header("accept", "text/html");
        if !self.cookies.is_empty() {
            let header = self.cookies.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("; ");
            b = b.header("cookie", header);
        }
        if let Some(l) = self.accept_language {
            b = b.header("accept-language", l);
        }
        b
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        let res = self.app.send(self.builder(Method::GET, path).body(Body::empty()).unwrap()).await;
        self.keep_cookies(&res);
        res
    }

    /// Posts exactly these fields (no CSRF token added).
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body: String = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let req = self
            .builder(Method::POST, path)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let res = self.app.send(req).await;
        self.keep_cookies(&res);
        res
    }

    /// Posts a form with the CSRF token, as the page's form would.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let csrf = self.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_form(path, &all).await
    }

    /// Signs in through the sign-in page with any e-mail and password; the answer.
    pub async fn sign_in_as(&mut self, email: &str, password: &str) -> TestResponse {
        self.get("/signin").await;
        self.post("/signin", &[("email", email), ("password", password), ("next", "/")]).await
    }

    /// Signs in as a test account and checks it worked.
    pub async fn sign_in(&mut self, who: Who) {
        let email = self.app.account(who).email.clone();
        let res = self.sign_in_as(&email, PASSWORD).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        assert!(self.cookie("lumbung_session").is_some());
    }
}
