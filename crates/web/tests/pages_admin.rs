//! The administration pages and the dashboard through the real router:
//! who may use them, forms with CSRF and inline errors, and counts that
//! only ever include published cases.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use axum::http::header::LOCATION;
use axum::http::{Method, StatusCode};
use common::{Browser, CaseBody, PASSWORD, TestApp, Who};
use lumbung_core::{Role, Status};
use serde_json::json;

async fn account_count(app: &TestApp) -> usize {
    app.store.list_accounts().await.unwrap().len()
}

// ---------------------------------------------------------------------------
// Accounts

#[tokio::test]
async fn an_administrator_creates_an_account_that_can_sign_in() {
    let app = TestApp::new().await;
    let mut admin = Browser::signed_in(&app, Who::Admin).await;
    let page = admin.get("/admin/accounts").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let html = page.text();
    assert!(html.contains("reader@example.go.id"));
    // Role labels are translated, and every control has a label.
    assert!(html.contains(">Administrator</option>") && html.contains(">Curator</option>"), "{html}");
    for id in ["name", "email", "role", "organisation", "password"] {
        assert!(html.contains(&format!("<label for=\"{id}\">")), "no label for {id}");
    }

    let res = admin
        .post(
            "/admin/accounts",
            &[
                ("name", "Dewi Lestari"),
                ("email", "Dewi@Example.go.id"),
                ("role", "curator"),
                ("organisation", "lan-ri"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let to = res.header(LOCATION.as_str()).unwrap().to_owned();
    assert_eq!(to, "/admin/accounts?done=created");
    let list = admin.get(&to).await;
    assert!(list.text().contains("class=\"notice\""));
    assert!(list.text().contains("dewi@example.go.id"));

    let stored =
        app.store.list_accounts().await.unwrap().into_iter().find(|a| a.email == "dewi@example.go.id").unwrap();
    assert_eq!(stored.role, Role::Curator);
    assert_eq!(stored.organisation.as_deref(), Some("lan-ri"));

    // The new account signs in through the page and through the API.
    let mut dewi = Browser::new(&app);
    let res = dewi.sign_in_as("dewi@example.go.id", "a long enough password").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    assert!(dewi.cookie("lumbung_session").is_some());
    let (status, _, body) = app
        .request(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "dewi@example.go.id", "password": "a long enough password"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_taken_e_mail_or_a_short_password_is_shown_inline_and_nothing_is_written() {
    let app = TestApp::new().await;
    let mut admin = Browser::signed_in(&app, Who::Admin).await;
    admin.get("/admin/accounts").await;
    let before = account_count(&app).await;

    let res = admin
        .post(
            "/admin/accounts",
            &[
                ("name", "Someone"),
                ("email", "READER@example.go.id"),
                ("role", "reader"),
                ("organisation", ""),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    assert!(html.contains("id=\"email-error\""), "{html}");
    assert!(html.contains("An account with this e-mail address already exists."));
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"email-error\""));
    // What was typed is kept (but never the password).
    assert!(html.contains("value=\"Someone\""));
    assert!(!html.contains("a long enough password"));

    let res = admin
        .post(
            "/admin/accounts",
            &[("name", "Short"), ("email", "short@example.go.id"), ("role", "reader"), ("password", "short")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("id=\"password-error\""));
    assert!(res.text().contains("The password needs at least 10 characters."));

    // A role that does not exist, and a bad address, in Bahasa Indonesia.
    admin.accept_language = Some("id");
    let res = admin
        .post(
            "/admin/accounts",
            &[("name", "X"), ("email", "not-an-address"), ("role", "emperor"), ("password", "a long enough password")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("Pilih peran dari daftar."), "{}", res.text());

    assert_eq!(account_count(&app).await, before);
}

#[tokio::test]
async fn only_administrators_reach_the_account_pages() {
    let app = TestApp::new().await;
    let reader_id = app.id_of(Who::Reader);
    for who in [Who::Reader, Who::Contributor, Who::Delegate, Who::Curator] {
        let mut b = Browser::signed_in(&app, who).await;
        for path in ["/admin/accounts".to_owned(), format!("/admin/accounts/{reader_id}"), "/admin/harvest".to_owned()]
        {
            let res = b.get(&path).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who:?} {path}");
        }
        let res = b
            .post(
                "/admin/accounts",
                &[
                    ("name", "Sneaky"),
                    ("email", "sneaky@example.go.id"),
                    ("role", "admin"),
                    ("password", "0123456789ab"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who:?}");
    }
    // Readers and contributors have no administration at all; curators keep organisations.
    for (who, status) in [(Who::Reader, StatusCode::FORBIDDEN), (Who::Contributor, StatusCode::FORBIDDEN)] {
        let mut b = Browser::signed_in(&app, who).await;
        assert_eq!(b.get("/admin").await.status, status);
        assert_eq!(b.get("/admin/organisations").await.status, status);
    }
    let mut curator = Browser::signed_in(&app, Who::Curator).await;
    let overview = curator.get("/admin").await;
    assert_eq!(overview.status, StatusCode::OK);
    assert!(overview.text().contains("href=\"/admin/organisations\""));
    assert!(!overview.text().contains("href=\"/admin/accounts\""));
    // Nobody signed in is sent to sign in.
    let mut anon = Browser::new(&app);
    for path in ["/admin", "/admin/accounts", "/admin/organisations", "/admin/harvest"] {
        let res = anon.get(path).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{path}");
        assert!(res.header(LOCATION.as_str()).unwrap().starts_with("/signin?next="));
    }
    assert!(app.store.list_accounts().await.unwrap().iter().all(|a| a.email != "sneaky@example.go.id"));
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::new().await;
    let mut admin = Browser::signed_in(&app, Who::Admin).await;
    admin.get("/admin/accounts").await;
    let before = account_count(&app).await;
    let fields =
        [("name", "No Token"), ("email", "notoken@example.go.id"), ("role", "reader"), ("password", "0123456789ab")];
    let res = admin.post_form("/admin/accounts", &fields).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let mut wrong = vec![("csrf", "0123456789abcdef0123456789abcdef")];
    wrong.extend_from_slice(&fields);
    assert_eq!(admin.post_form("/admin/accounts", &wrong).await.status, StatusCode::FORBIDDEN);
    let res =
        admin.post_form("/admin/organisations", &[("id", "no-token"), ("name_en", "X"), ("org_type", "agency")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(account_count(&app).await, before);
    assert!(app.store.get_organisation("no-token").await.unwrap().is_none());
}

#[tokio::test]
async fn an_administrator_edits_an_account_with_the_version_check() {
    let app = TestApp::new().await;
    let mut admin = Browser::signed_in(&app, Who::Admin).await;
    let reader = app.id_of(Who::Reader);
    let page = admin.get(&format!("/admin/accounts/{reader}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("name=\"version\" value=\"1\""));

    let res = admin
        .post(
            &format!("/admin/accounts/{reader}"),
            &[("version", "1"), ("name", "Test reader"), ("role", "contributor"), ("organisation", "lan-ri")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let stored = app.store.get_account(&reader).await.unwrap().unwrap();
    assert_eq!((stored.role, stored.organisation.as_deref(), stored.version), (Role::Contributor, Some("lan-ri"), 2));

    // A stale form: a conflict, the current values shown, nothing changed.
    let res = admin
        .post(
            &format!("/admin/accounts/{reader}"),
            &[("version", "1"), ("name", "Test reader"), ("role", "admin"), ("disabled", "1")],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.text().contains("role=\"alert\""));
    assert!(res.text().contains("name=\"version\" value=\"2\""));
    let stored = app.store.get_account(&reader).await.unwrap().unwrap();
    assert_eq!((stored.role, stored.disabled), (Role::Contributor, false));

    // Disabling: the account can no longer sign in.
    let res = admin
        .post(
            &format!("/admin/accounts/{reader}"),
            &[
                ("version", "2"),
                ("name", "Test reader"),
                ("role", "contributor"),
                ("organisation", ""),
                ("disabled", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let stored = app.store.get_account(&reader).await.unwrap().unwrap();
    assert!(stored.disabled);
    assert_eq!(stored.organisation, None);
    let mut b = Browser::new(&app);
    assert_ne!(b.sign_in_as(&app.account(Who::Reader).email, PASSWORD).await.status, StatusCode::SEE_OTHER);

    // An administrator cannot disable themselves.
    let me = app.id_of(Who::Admin);
    let res = admin
        .post(
            &format!("/admin/accounts/{me}"),
            &[("version", "1"), ("name", "Test admin"), ("role", "admin"), ("disabled", "1")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("You cannot disable your own account"));
    assert!(!app.store.get_account(&me).await.unwrap().unwrap().disabled);
}

// ---------------------------------------------------------------------------
// Organisations

#[tokio::test]
async fn organisations_are_created_and_edited_with_inline_errors() {
    let app = TestApp::new().await;
    let mut curator = Browser::signed_in(&app, Who::Curator).await;
    let page = curator.get("/admin/organisations").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("kemenpan-rb"));

    let good = [
        ("id", "pemprov-dki"),
        ("name_en", "Jakarta Provincial Government"),
        ("name_id", "Pemerintah Provinsi DKI Jakarta"),
        ("acronym", "Pemprov DKI"),
        ("org_type", "local_government"),
        ("level_of_government", "regional"),
        ("country", "ID"),
        ("parent", ""),
        ("website", "https://jakarta.go.id/"),
    ];
    let with = |field: &'static str, value: &'static str| -> Vec<(&'static str, &'static str)> {
        good.iter().map(|(k, v)| if *k == field { (*k, value) } else { (*k, *v) }).collect()
    };

    // A bad slug and an unknown parent: inline, nothing written.
    let res = curator.post("/admin/organisations", &with("id", "Pemprov DKI")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("id=\"id-error\""));
    assert!(res.text().contains("Use 2–64 lower-case letters, digits and hyphens."));
    let res = curator.post("/admin/organisations", &with("parent", "no-such-org")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("id=\"parent-error\""));
    assert!(res.text().contains("There is no organisation with that identifier."));
    let res = curator.post("/admin/organisations", &with("website", "jakarta.go.id")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("id=\"website-error\""));
    assert!(app.store.get_organisation("pemprov-dki").await.unwrap().is_none());

    let res = curator.post("/admin/organisations", &good).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let org = app.store.get_organisation("pemprov-dki").await.unwrap().unwrap();
    assert_eq!(org.content.name.get("id"), Some("Pemerintah Provinsi DKI Jakarta"));
    assert_eq!(org.content.level_of_government.as_deref(), Some("regional"));
    // The same id again.
    let res = curator.post("/admin/organisations", &good).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("An organisation with this identifier already exists."));

    // Edit: pemprov-dki becomes part of kemenpan-rb …
    let edit = curator.get("/admin/organisations/pemprov-dki").await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.text().contains("value=\"Jakarta Provincial Government\""));
    let mut fields: Vec<(&str, &str)> = with("parent", "kemenpan-rb").into_iter().filter(|(k, _)| *k != "id").collect();
    fields.push(("version", "1"));
    let res = curator.post("/admin/organisations/pemprov-dki", &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    assert_eq!(
        app.store.get_organisation("pemprov-dki").await.unwrap().unwrap().content.parent.as_deref(),
        Some("kemenpan-rb")
    );
    // … so kemenpan-rb cannot become part of pemprov-dki.
    let res = curator
        .post(
            "/admin/organisations/kemenpan-rb",
            &[
                ("version", "1"),
                ("name_en", "Ministry of Administrative and Bureaucratic Reform"),
                ("org_type", "agency"),
                ("parent", "pemprov-dki"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("id=\"parent-error\""));
    assert!(res.text().contains("the parent would end up inside itself"));
    let kemenpan = app.store.get_organisation("kemenpan-rb").await.unwrap().unwrap();
    assert_eq!((kemenpan.version, kemenpan.content.parent), (1, None));
    // A stale version is a conflict.
    let res = curator.post("/admin/organisations/pemprov-dki", &fields).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(curator.get("/admin/organisations/no-such-org").await.status, StatusCode::NOT_FOUND);
}

// ---------------------------------------------------------------------------
// Harvesting

#[tokio::test]
async fn the_harvest_page_shows_each_peer_to_administrators_only() {
    let peers = vec![
        lumbung_web::PeerSetting {
            id: "asean.network".into(),
            url: "http://127.0.0.1:9/oai".into(),
            set: Some("nominated:id.test".into()),
            every_minutes: 15,
            scheduled: true,
        },
        lumbung_web::PeerSetting {
            id: "oecd.opsi".into(),
            url: "http://127.0.0.1:10/oai".into(),
            set: None,
            every_minutes: 60,
            scheduled: false,
        },
    ];
    let app = TestApp::with_settings(lumbung_web::WebSettings { peers, ..Default::default() }).await;
    let mut admin = Browser::signed_in(&app, Who::Admin).await;
    let empty = admin.get("/admin/harvest").await;
    assert_eq!(empty.status, StatusCode::OK);
    let html = empty.text();
    assert!(html.contains("No peer has been harvested yet."));
    // The configured peers, with their sets and schedules.
    assert!(html.contains("nominated:id.test") && html.contains("Every 15 minutes"), "{html}");
    assert!(html.contains("All published records") && html.contains("Only from the command line"));

    app.store
        .save_harvest_source(&lumbung_store::HarvestSource {
            source: "th.opdc".into(),
            base_url: "https://opdc.example.go.th/oai".into(),
            last_attempt_at: Some("2026-03-01T10:00:00Z".into()),
            last_success_at: Some("2026-02-28T10:00:00Z".into()),
            last_error: Some("connection refused <b>".into()),
            records_seen: 42,
            created: 30,
            updated: 10,
            withdrawn: 1,
            rejected: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    let page = admin.get("/admin/harvest").await;
    let html = page.text();
    assert!(html.contains("th.opdc") && html.contains("https://opdc.example.go.th/oai"));
    assert!(html.contains("connection refused") && !html.contains("refused <b>"), "{html}");
    assert!(html.contains("<td>42</td>") && html.contains("<td>30</td>"));
    let overview = admin.get("/admin").await;
    assert!(overview.text().contains("one failing"), "{}", overview.text());

    for who in [Who::Curator, Who::Contributor, Who::Reader] {
        let mut b = Browser::signed_in(&app, who).await;
        assert_eq!(b.get("/admin/harvest").await.status, StatusCode::FORBIDDEN, "{who:?}");
    }
}

// ---------------------------------------------------------------------------
// Dashboard

/// Published cases in ID (2), TH (1); a draft and a submitted case elsewhere.
async fn dashboard_fixture(app: &TestApp) {
    app.case_in_with(Status::Published, CaseBody::new("Mall pelayanan publik").country("ID").year(2017).build()).await;
    app.case_in_with(Status::Published, CaseBody::new("Lapor!").country("ID").year(2012).sectors(&["health"]).build())
        .await;
    app.case_in_with(Status::Published, CaseBody::new("Biz portal").country("TH").year(2017).build()).await;
    app.case_in_with(Status::Draft, CaseBody::new("Secret draft").country("VN").year(1999).build()).await;
    app.case_in_with(Status::Submitted, CaseBody::new("Waiting").country("PH").year(1998).build()).await;
    app.sync_search().await;
}

#[tokio::test]
async fn the_dashboard_counts_published_cases_only_and_matches_the_search_api() {
    let app = TestApp::new().await;
    dashboard_fixture(&app).await;
    let mut b = Browser::new(&app);
    let page = b.get("/dashboard").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();

    // The search API's facets over published cases are the reference.
    let (status, _, search) = app.request(Method::GET, "/api/v1/search?limit=1", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(search["total"], json!(3));
    let countries: Vec<(String, u64)> = search["facets"]["country"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["value"].as_str().unwrap().to_owned(), v["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(countries, vec![("ID".to_owned(), 2), ("TH".to_owned(), 1)]);
    for (code, count) in &countries {
        assert!(
            html.contains(&format!("<a href=\"/search?country={code}\">"))
                && html.contains(&format!("<td>{count}</td>")),
            "{code} {count}"
        );
    }
    assert!(html.contains(">Indonesia</a></th><td>2</td>"), "{html}");
    assert!(html.contains(">Thailand</a></th><td>1</td>"));
    // Drafts and submitted cases count nowhere.
    for hidden in ["Viet", "Philippines", "1999", "1998"] {
        assert!(!html.contains(hidden), "{hidden} counted");
    }
    // Five charts, each an accessible SVG with a table and a CSV link.
    assert_eq!(html.matches("<figure class=\"chart\">").count(), 5);
    assert_eq!(html.matches("<svg role=\"img\"").count(), 5);
    assert_eq!(html.matches("<figcaption>").count(), 5);
    assert_eq!(html.matches("<details>").count(), 5);
    assert!(html.contains("<title id=\"chart-country-svg-title\">Published cases by country."));
    for chart in ["country", "sector", "year", "stage", "level"] {
        assert!(html.contains(&format!("href=\"/dashboard/{chart}.csv\"")), "{chart}");
    }
    // Chart labels are SVG text; the strict CSP allows no inline styles.
    assert!(html.contains("\nIndonesia\n</text>"), "{html}");
    assert!(!html.contains("style="), "inline style attribute");
    assert!(!html.contains("<style"), "inline style element");
    assert!(html.len() < 60_000, "dashboard is {} bytes", html.len());

    // Indonesian labels.
    b.accept_language = Some("id");
    let html = b.get("/dashboard").await.text();
    assert!(html.contains("Kasus terbit menurut negara"));
}

#[tokio::test]
async fn each_chart_downloads_as_csv_with_the_same_numbers() {
    let app = TestApp::new().await;
    dashboard_fixture(&app).await;
    let mut b = Browser::new(&app);
    let res = b.get("/dashboard/country.csv").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(res.header("content-disposition"), Some("attachment; filename=\"lumbung-cases-by-country.csv\""));
    let lines: Vec<String> = res.text().lines().map(str::to_owned).collect();
    assert_eq!(lines, vec!["Code,Country,Cases", "ID,Indonesia,2", "TH,Thailand,1"]);

    let years = b.get("/dashboard/year.csv").await.text();
    assert_eq!(years.lines().collect::<Vec<_>>(), vec!["Code,Year launched,Cases", "2012,2012,1", "2017,2017,2"]);
    // Sectors: a case counts in each of its sectors.
    let (_, _, search) = app.request(Method::GET, "/api/v1/search?limit=1", None, None).await;
    let sectors = b.get("/dashboard/sector.csv").await.text();
    for v in search["facets"]["sector"].as_array().unwrap() {
        let line = format!("{},", v["value"].as_str().unwrap());
        let row = sectors.lines().find(|l| l.starts_with(&line)).unwrap_or_else(|| panic!("{line} in {sectors}"));
        assert!(row.ends_with(&format!(",{}", v["count"])), "{row}");
    }

    b.accept_language = Some("id");
    let res = b.get("/dashboard/country.csv").await;
    assert_eq!(res.text().lines().next(), Some("Kode,Negara,Kasus"));
    for bad in ["/dashboard/planet.csv", "/dashboard/country", "/dashboard/sdg.csv"] {
        assert_eq!(b.get(bad).await.status, StatusCode::NOT_FOUND, "{bad}");
    }
}

#[tokio::test]
async fn an_empty_node_has_a_dashboard_without_charts() {
    let app = TestApp::new().await;
    app.case_in(Status::Draft).await;
    app.sync_search().await;
    let mut b = Browser::new(&app);
    let page = b.get("/dashboard").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("No cases have been published yet."));
    assert!(!page.text().contains("<svg"));
    let csv = b.get("/dashboard/country.csv").await;
    assert_eq!(csv.text().trim_end(), "Code,Country,Cases");
}
