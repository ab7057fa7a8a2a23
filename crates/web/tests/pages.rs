//! The reading pages through the real router: languages, the case page and
//! what it may show, hostile text, CSRF, sign-in, errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::header::{ACCEPT, CONTENT_TYPE, LOCATION};
use axum::http::{Method, Request, StatusCode};
use common::{Browser, CaseBody, PASSWORD, TestApp, Who};
use lumbung_core::Status;
use serde_json::json;

#[tokio::test]
async fn the_interface_language_follows_the_switch_then_accept_language() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    let home = b.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.text().contains("<html lang=\"en\""));
    assert!(home.text().contains("Browse cases"));

    b.accept_language = Some("id-ID,id;q=0.9,en;q=0.5");
    let home = b.get("/").await;
    assert!(home.text().contains("<html lang=\"id\""));
    assert!(home.text().contains("Jelajahi kasus"));
    // The switch is a plain link back to where the reader was.
    assert!(home.text().contains("href=\"/lang/en?next=%2F\""), "{}", home.text());

    let res = b.get("/lang/en?next=/search%3Fq%3Dpajak").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header(LOCATION.as_str()), Some("/search?q=pajak"));
    // The choice wins over Accept-Language from now on.
    let page = b.get("/search?q=pajak").await;
    assert!(page.text().contains("<html lang=\"en\""));
    assert!(page.text().contains("Browse and search cases"));

    // Only local paths are followed.
    for evil in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
        let res = b.get(&format!("/lang/id?next={}", urlencode(evil))).await;
        assert_eq!(res.header(LOCATION.as_str()), Some("/"), "{evil}");
    }
    assert_eq!(b.get("/lang/xx").await.status, StatusCode::NOT_FOUND);
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn a_published_case_page_has_everything_readers_and_machines_need() {
    let app = TestApp::new().await;
    let id = app.case_in(Status::Published).await;
    app.sync_search().await;
    let mut b = Browser::new(&app);
    let page = b.get(&format!("/cases/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    // English reader: the English version, with a link to the Indonesian one.
    assert!(html.contains("<h1>Fixture case</h1>"), "{html}");
    assert!(html.contains(&format!("href=\"/cases/{id}?text=id\"")));
    for section in ["The problem", "What is new", "How it works", "Results", "Lessons learned"] {
        assert!(html.contains(section), "missing section {section}");
    }
    assert!(html.contains("href=\"/organisations/kemenpan-rb\""));
    // Machine-readable: JSON-LD, Open Graph, a canonical citation URL.
    let start = html.find("<script type=\"application/ld+json\">").expect("JSON-LD") + 35;
    let end = start + html[start..].find("</script>").unwrap();
    let ld: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    assert_eq!(ld["@type"], "Article");
    assert_eq!(ld["about"]["@type"], "Project");
    assert_eq!(ld["inLanguage"], "en");
    assert_eq!(ld["spatialCoverage"]["containedInPlace"]["identifier"], "ID");
    assert!(ld["publisher"]["name"].is_string());
    assert!(ld["dateModified"].as_str().unwrap().ends_with('Z'));
    assert!(ld.get("isBasedOn").is_none(), "a local case is based on nothing");
    assert!(html.contains("<meta property=\"og:title\" content=\"Fixture case\">"));
    assert!(html.contains(&format!("<link rel=\"canonical\" href=\"http://127.0.0.1:8080/cases/{id}\">")));
    // History is for the author and curators only.
    assert!(!html.contains("History"));
    // The Indonesian reader gets the Indonesian text.
    b.accept_language = Some("id");
    let html = b.get(&format!("/cases/{id}")).await.text();
    assert!(html.contains("<h1>Fixture case (ID)</h1>"));
    assert!(html.contains("Masalah") && html.contains("Layanan tersebar."));
    // A JSON client is sent to the API record.
    let res = app.send_raw(Method::GET, &format!("/cases/{id}"), Who::Anonymous, None, Body::empty()).await;
    assert!(res.status == StatusCode::OK || res.status == StatusCode::NOT_FOUND || res.status == StatusCode::FOUND);
    let req = Request::get(format!("/cases/{id}")).header(ACCEPT, "application/json").body(Body::empty()).unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::FOUND);
    assert_eq!(res.header(LOCATION.as_str()), Some(format!("/api/v1/cases/{id}").as_str()));
}

#[tokio::test]
async fn an_untranslated_case_says_so_and_shows_the_original() {
    let app = TestApp::new().await;
    let body = CaseBody::minimal("Only in English").build();
    let id = app.case_in_with(Status::Published, body).await;
    let mut b = Browser::new(&app);
    b.accept_language = Some("id");
    let html = b.get(&format!("/cases/{id}")).await.text();
    assert!(html.contains("<h1>Only in English</h1>"));
    assert!(html.contains("belum tersedia dalam Bahasa Indonesia"), "{html}");
    assert!(html.contains("<article class=\"case\" lang=\"en\">"), "the text is marked as English");
}

#[tokio::test]
async fn drafts_and_private_fields_stay_with_those_allowed() {
    let app = TestApp::new().await;
    let draft = app.case_in(Status::Draft).await;
    let returned = app.case_in(Status::Returned).await;
    let published = app.case_in(Status::Published).await;
    for (who, sees_draft) in [
        (Who::Anonymous, false),
        (Who::Reader, false),
        (Who::OtherContributor, false),
        (Who::Contributor, true),
        (Who::Curator, true),
        (Who::Admin, true),
    ] {
        let mut b = Browser::new(&app);
        if who != Who::Anonymous {
            b.sign_in(who).await;
        }
        for id in [&draft, &returned] {
            let res = b.get(&format!("/cases/{id}")).await;
            let expected = if sees_draft { StatusCode::OK } else { StatusCode::NOT_FOUND };
            assert_eq!(res.status, expected, "{who:?} on {id}");
        }
        let html = b.get(&format!("/cases/{published}")).await.text();
        // The revision history (with workflow comments) only for the author and editors.
        assert_eq!(html.contains("<section class=\"history\""), sees_draft, "{who:?}");
        // Nobody's account id leaks into the public page.
        if !sees_draft {
            assert!(!html.contains(&app.id_of(Who::Contributor)), "{who:?} sees the author's id");
        }
        // The returned case's comment is in its history for the author.
        if sees_draft {
            let html = b.get(&format!("/cases/{returned}")).await.text();
            assert!(html.contains("please add results"));
        }
    }
    // Search and listings show only published cases.
    app.sync_search().await;
    let mut b = Browser::new(&app);
    let html = b.get("/search").await.text();
    assert!(html.contains(&format!("/cases/{published}")));
    assert!(!html.contains(&format!("/cases/{draft}")));
    assert!(!html.contains(&format!("/cases/{returned}")));
}

const PAYLOADS: [&str; 7] = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=\"window.__xss=1\">",
    "[x](javascript:window.__xss=1)",
    "<a href=\"javascript:window.__xss=1\">x</a>",
    "<p style=\"background:url(x)\">styled</p>",
    "<svg onload=\"window.__xss=1\">",
    "\"><script>window.__xss=1</script>",
];

#[tokio::test]
async fn hostile_text_in_every_field_neither_runs_nor_survives() {
    let app = TestApp::new().await;
    let all = PAYLOADS.join(" ");
    let text = json!({"en": all, "id": all});
    let sections: serde_json::Map<String, serde_json::Value> = [
        "problem",
        "novelty",
        "how_it_works",
        "results",
        "evidence",
        "challenges",
        "conditions_for_success",
        "replication_potential",
        "resources",
        "lessons_learned",
    ]
    .into_iter()
    .map(|s| (s.to_owned(), text.clone()))
    .collect();
    let short = "<script>window.__xss=1</script><img src=x onerror=alert(1)>";
    let body = CaseBody::new("x")
        .set("title", json!({"en": short, "id": short}))
        .set("summary", text.clone())
        .set("sections", serde_json::Value::Object(sections))
        .set("region", json!(short))
        .set("city", json!(short))
        .set("partners", json!([short]))
        .set("tags", json!([short]))
        .set("links", json!([{"url": "https://example.org/", "title": short}]))
        .set("contact", json!({"name": short, "organisation": short, "email": "a@example.org"}))
        .build();
    let id = app.case_in_with(Status::Published, body).await;
    app.sync_search().await;
    let mut b = Browser::new(&app);
    for lang in [None, Some("id")] {
        b.accept_language = lang;
        for path in [format!("/cases/{id}"), "/".into(), "/search?q=window".into(), "/search".into()] {
            let res = b.get(&path).await;
            assert_eq!(res.status, StatusCode::OK, "{path}");
            let html = res.text().to_lowercase();
            // Escaped, the payloads are harmless text; as markup, none may survive.
            for tag in tags(&html) {
                let (name, attributes) = parse_tag(tag);
                assert!(!["img", "svg", "iframe", "style", "object", "embed"].contains(&name), "{path}: <{tag}>");
                for (attr, value) in attributes {
                    assert!(!attr.starts_with("on") && attr != "style", "{path} ({lang:?}): <{tag}>");
                    if ["href", "src", "action", "formaction"].contains(&attr.as_str()) {
                        let v = value.trim_start();
                        assert!(!v.starts_with("javascript:") && !v.starts_with("data:"), "{path}: <{tag}>");
                    }
                }
                if name == "script" {
                    assert!(tag.contains("src=\"/static/") || tag.contains("application/ld+json"), "<{tag}>");
                }
            }
            assert!(!html.contains("<script>window"), "{path}");
            if path.starts_with("/cases/") {
                // The text is there, shown as text.
                assert!(html.contains("&#60;script&#62;window.__xss") || html.contains("&lt;script&gt;window.__xss"));
            }
            // The only scripts are the node's own file and the JSON-LD data block.
            let scripts = html.matches("<script").count();
            assert!(scripts <= 2, "{path}: {scripts} scripts");
        }
    }
}

/// The inside of every tag in an HTML page (`a href="…"`, `/p`…).
fn tags(html: &str) -> Vec<&str> {
    html.split('<').skip(1).filter_map(|rest| rest.split_once('>').map(|(tag, _)| tag)).collect()
}

/// A tag's name and its attributes (names lower-case, values unquoted).
fn parse_tag(tag: &str) -> (&str, Vec<(String, String)>) {
    let tag = tag.trim_end_matches('/');
    let (name, mut rest) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
    let mut attrs = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let end = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
        let attr = rest[..end].to_lowercase();
        rest = &rest[end..];
        let mut value = String::new();
        if let Some(after) = rest.trim_start().strip_prefix('=') {
            let after = after.trim_start();
            if let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') {
                let body = &after[1..];
                let close = body.find(q).unwrap_or(body.len());
                value = body[..close].to_owned();
                rest = body.get(close + 1..).unwrap_or("");
            } else {
                let close = after.find(char::is_whitespace).unwrap_or(after.len());
                value = after[..close].to_owned();
                rest = &after[close..];
            }
        }
        attrs.push((attr, value));
    }
    (name, attrs)
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    b.get("/signin").await;
    let email = app.account(Who::Contributor).email.clone();
    for csrf in ["", "0123456789abcdef0123456789abcdef", "not-a-token"] {
        let res = b.post_form("/signin", &[("csrf", csrf), ("email", &email), ("password", PASSWORD)]).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "token {csrf:?}");
        assert!(res.text().contains("expired or did not come from this site"));
        assert!(b.cookie("lumbung_session").is_none());
    }
    // Right token, but posted from another site.
    let csrf = b.cookie("lumbung_csrf").unwrap();
    let body = format!("csrf={csrf}&email={}&password={}", urlencode(&email), urlencode(PASSWORD));
    let req = b
        .builder(Method::POST, "/signin")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("origin", "https://evil.example")
        .header("host", "127.0.0.1:8080")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
    // Not a form at all.
    let req =
        b.builder(Method::POST, "/signin").header(CONTENT_TYPE, "application/json").body(Body::from("{}")).unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn signing_in_and_out_and_changing_the_password() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    b.get("/signin").await;
    let csrf = b.cookie("lumbung_csrf").unwrap();
    let email = app.account(Who::Contributor).email.clone();
    let res = b.post_form("/signin", &[("csrf", &csrf), ("email", &email), ("password", "wrong password!")]).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(res.text().contains("do not match an account"));
    assert!(res.text().contains(&format!("value=\"{email}\"")), "the e-mail is kept");
    // Pages that need an account send anonymous readers to sign in, and back.
    let res = b.get("/my/cases").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header(LOCATION.as_str()), Some("/signin?next=%2Fmy%2Fcases"));
    let res = b
        .post_form("/signin", &[("csrf", &csrf), ("email", &email), ("password", PASSWORD), ("next", "/my/cases")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header(LOCATION.as_str()), Some("/my/cases"));
    let html = b.get("/my/cases").await.text();
    assert!(html.contains("My cases"));
    // Password change: mismatch and policy errors inline, then success.
    let res = b
        .post_form(
            "/account",
            &[
                ("csrf", &csrf),
                ("current_password", PASSWORD),
                ("new_password", "long enough pw"),
                ("confirm_password", "other"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("id=\"confirm_password-error\""));
    let res = b
        .post_form(
            "/account",
            &[
                ("csrf", &csrf),
                ("current_password", PASSWORD),
                ("new_password", "short"),
                ("confirm_password", "short"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("id=\"new_password-error\""));
    let res = b
        .post_form(
            "/account",
            &[
                ("csrf", &csrf),
                ("current_password", PASSWORD),
                ("new_password", "a brand new passphrase"),
                ("confirm_password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    assert!(b.get("/account?done=1").await.text().contains("has been changed"));
    // Sign out ends the session.
    let res = b.post_form("/signout", &[("csrf", &csrf)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(b.cookie("lumbung_session").is_none());
    assert_eq!(b.get("/my/cases").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn error_pages_help_in_both_languages() {
    let settings = lumbung_web::WebSettings { node_name: "Simpul Uji".into(), ..Default::default() };
    let app = TestApp::with_settings(settings).await;
    let mut b = Browser::new(&app);
    let res = b.get("/no/such/page").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.text().contains("Page not found") && res.text().contains("href=\"/search\""));
    // The header names the node, as on every page.
    assert!(res.text().contains("<a class=\"brand\" href=\"/\">Simpul Uji</a>"), "{}", res.text());
    assert!(b.get("/organisations/nope").await.text().contains("Page not found · Simpul Uji"));
    b.accept_language = Some("id");
    let res = b.get("/cases/01ARZ3NDEKTSV4RRFFQ69G5FAV").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.text().contains("Halaman tidak ditemukan"));
    assert_eq!(b.get("/countries/XX").await.status, StatusCode::NOT_FOUND);
    assert_eq!(b.get("/organisations/nope").await.status, StatusCode::NOT_FOUND);
    // The API keeps answering in problem JSON.
    let res = app.send_raw(Method::GET, "/api/v1/nothing", Who::Anonymous, None, Body::empty()).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.header("content-type").unwrap().starts_with("application/problem+json"));
}

#[tokio::test]
async fn the_search_page_filters_and_refuses_bad_input_politely() {
    let app = TestApp::new().await;
    let a = app.case_in(Status::Published).await;
    let b_id =
        app.case_in_with(Status::Published, CaseBody::new("Thai case").set("country", json!("TH")).build()).await;
    app.sync_search().await;
    let mut b = Browser::new(&app);
    let html = b.get("/search?country=ID").await.text();
    assert!(html.contains(&format!("/cases/{a}")) && !html.contains(&format!("/cases/{b_id}")));
    assert!(html.contains("id=\"f-country-ID\" name=\"country\" value=\"ID\" checked"));
    assert!(html.contains("1 case"));
    let html = b.get("/search?country=ID&country=TH&sort=newest").await.text();
    assert!(html.contains("2 cases"));
    for bad in [
        "/search?country=ZZ",
        "/search?sort=sideways",
        "/search?limit=100000",
        "/search?cursor=-1",
        "/search?unknown=1",
        "/search?q=%22unbalanced",
    ] {
        let res = b.get(bad).await;
        assert!(res.status == StatusCode::OK || res.status == StatusCode::BAD_REQUEST, "{bad}: {}", res.status);
        assert!(
            res.text().contains("<form method=\"get\" action=\"/search\""),
            "{bad}: the search form is still there"
        );
    }
    let long = "a".repeat(10_000);
    let res = b.get(&format!("/search?q={long}")).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = b.get("/search?q=%01%02%03").await;
    assert!(res.status.is_success() || res.status == StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_long_facet_lists_its_first_values_and_links_to_all_of_them() {
    let app = TestApp::new().await;
    // Ten countries: two more than a facet lists at first.
    let countries = ["ID", "TH", "VN", "PH", "MY", "SG", "KH", "LA", "MM", "BN"];
    for cc in countries {
        app.case_in_with(Status::Published, CaseBody::new(&format!("Case of {cc}")).set("country", json!(cc)).build())
            .await;
    }
    app.sync_search().await;
    let mut b = Browser::new(&app);
    let shown = |html: &str| countries.iter().filter(|cc| html.contains(&format!("id=\"f-country-{cc}\""))).count();
    let html = b.get("/search").await.text();
    assert_eq!(shown(&html), 8, "{html}");
    assert!(html.contains("href=\"/search?more=country#facet-country\">Show 2 more</a>"), "{html}");
    // The link lists them all, the group open; nothing else changes.
    let html = b.get("/search?more=country").await.text();
    assert_eq!(shown(&html), 10);
    assert!(!html.contains("Show 2 more") && html.contains("<details id=\"facet-country\" open>"));
    assert!(html.contains("10 cases"));
    // A chosen value always shows, wherever it falls in the list.
    for cc in countries {
        let html = b.get(&format!("/search?country={cc}&sort=newest")).await.text();
        assert!(html.contains(&format!("id=\"f-country-{cc}\" name=\"country\" value=\"{cc}\" checked")), "{cc}");
    }
    // The form sends the ticked "Cases": it is the default, so no chip offers to remove it.
    let html = b.get("/search?kind=case&country=TH").await.text();
    assert_eq!(html.matches("class=\"chip\"").count(), 1, "only the country's chip: {html}");
    let html = b.get("/search?kind=case&kind=discussion").await.text();
    assert_eq!(html.matches("class=\"chip\"").count(), 2, "either kind can be removed");
    b.accept_language = Some("id");
    assert!(b.get("/search").await.text().contains("Tampilkan 2 lagi"));
}

#[tokio::test]
async fn organisation_and_country_pages_list_their_published_cases() {
    let app = TestApp::new().await;
    let published = app.case_in(Status::Published).await;
    let draft = app.case_in(Status::Draft).await;
    app.sync_search().await;
    let mut b = Browser::new(&app);
    for path in ["/organisations/kemenpan-rb", "/countries/ID", "/countries/id"] {
        let res = b.get(path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        let html = res.text();
        assert!(html.contains(&format!("/cases/{published}")), "{path}");
        assert!(!html.contains(&format!("/cases/{draft}")), "{path}");
    }
}

#[tokio::test]
async fn pages_are_compressed_and_send_a_strict_content_security_policy() {
    let app = TestApp::new().await;
    app.case_in(Status::Published).await;
    app.sync_search().await;
    let req =
        Request::get("/").header(ACCEPT, "text/html").header("accept-encoding", "gzip").body(Body::empty()).unwrap();
    let res = app.send(req).await;
    assert_eq!(res.header("content-encoding"), Some("gzip"));
    let csp = res.header("content-security-policy").unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("style-src 'self'"));
    assert!(!csp.contains("unsafe-inline"));
    // The stylesheet is versioned and cached for a year.
    let html = {
        let req = Request::get("/").header(ACCEPT, "text/html").body(Body::empty()).unwrap();
        app.send(req).await.text()
    };
    let start = html.find("/static/lumbung.css?v=").unwrap();
    let url = &html[start..start + html[start..].find('"').unwrap()];
    let css = app.send(Request::get(url).body(Body::empty()).unwrap()).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.header("cache-control").unwrap().contains("immutable"));
    assert!(!html.contains("style=\""), "no inline styles (CSP)");
    assert!(!html.contains("http://") || !html.contains("src=\"http"), "nothing from other hosts");
}

#[tokio::test]
async fn a_curator_nominates_a_published_case_upstream_from_its_page() {
    let settings = lumbung_web::WebSettings { upstreams: vec!["asean.network".into()], ..Default::default() };
    let app = TestApp::with_settings(settings).await;
    let id = app.case_in(Status::Published).await;
    let draft = app.case_in(Status::Draft).await;
    // Contributors see no nomination form.
    let mut b = Browser::new(&app);
    b.sign_in(Who::Contributor).await;
    assert!(!b.get(&format!("/cases/{id}")).await.text().contains("/nominate\""));
    let csrf = b.cookie("lumbung_csrf").unwrap();
    let res = b.post_form(&format!("/cases/{id}/nominate"), &[("csrf", &csrf), ("to", "asean.network")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    let mut b = Browser::new(&app);
    b.sign_in(Who::Curator).await;
    let html = b.get(&format!("/cases/{id}")).await.text();
    assert!(html.contains(&format!("action=\"/cases/{id}/nominate\"")));
    assert!(html.contains("<option value=\"asean.network\">"));
    let csrf = b.cookie("lumbung_csrf").unwrap();
    // Unknown upstreams and unpublished cases are refused, and nothing is recorded.
    let res = b.post_form(&format!("/cases/{id}/nominate"), &[("csrf", &csrf), ("to", "oecd.opsi")]).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.text().contains("Choose one of the listed values"), "{}", res.text());
    let res = b.post_form(&format!("/cases/{draft}/nominate"), &[("csrf", &csrf), ("to", "asean.network")]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(app.store.nominations_of(&id).await.unwrap().is_empty());
    let res = b
        .post_form(&format!("/cases/{id}/nominate"), &[("csrf", &csrf), ("to", "asean.network"), ("note", "A model")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let nominations = app.store.nominations_of(&id).await.unwrap();
    assert_eq!(nominations.len(), 1);
    assert_eq!(nominations[0].note.as_deref(), Some("A model"));
    let html = b.get(&format!("/cases/{id}?nominated=1")).await.text();
    assert!(html.contains("has been nominated") && html.contains("asean.network: <strong>Nominated</strong>"));
}

#[tokio::test]
async fn an_author_translates_a_case_beside_its_original() {
    let app = TestApp::new().await;
    let body = CaseBody::new("x")
        .set("title", json!({"id": "Mal Pelayanan Publik"}))
        .set("summary", json!({"id": "Satu gedung untuk banyak layanan."}))
        .set("sections", json!({"problem": {"id": "Layanan tersebar."}}))
        .build();
    let id = app.case_in_with(Status::Draft, body).await;
    let mut author = Browser::signed_in(&app, Who::Contributor).await;
    let page = author.get(&format!("/translate/{id}/en")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("<blockquote>Layanan tersebar.</blockquote>"), "the original is shown beside the field");
    assert!(html.contains("<label for=\"t-problem\">"));
    let version = app.stored_case(&id).await.version.to_string();
    // A title over the limit: shown inline, nothing saved.
    let long = "x".repeat(301);
    let res = author.post(&format!("/translate/{id}/en"), &[("version", &version), ("title", &long)]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("id=\"t-title-error\""));
    assert_eq!(app.stored_case(&id).await.version.to_string(), version);
    let res = author
        .post(
            &format!("/translate/{id}/en"),
            &[
                ("version", &version),
                ("title", "One-stop public service mall"),
                ("summary", "One building for many services."),
                ("problem", "Services were scattered."),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let case = app.stored_case(&id).await;
    assert_eq!(case.content.title.get("en"), Some("One-stop public service mall"));
    assert_eq!(case.content.sections.problem.get("en"), Some("Services were scattered."));
    assert_eq!(case.content.title.get("id"), Some("Mal Pelayanan Publik"), "the original is untouched");
    // A stale version is a conflict, not an overwrite.
    let res = author.post(&format!("/translate/{id}/en"), &[("version", &version), ("title", "Other")]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(app.stored_case(&id).await.content.title.get("en"), Some("One-stop public service mall"));
    // Only those who may edit; never into the original language.
    assert_eq!(author.get(&format!("/translate/{id}/id")).await.status, StatusCode::NOT_FOUND);
    let mut other = Browser::signed_in(&app, Who::OtherContributor).await;
    assert_eq!(other.get(&format!("/translate/{id}/en")).await.status, StatusCode::NOT_FOUND);
    let res = other.post(&format!("/translate/{id}/en"), &[("version", "9"), ("title", "Hijack")]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let mut anonymous = Browser::new(&app);
    assert_eq!(anonymous.get(&format!("/translate/{id}/en")).await.status, StatusCode::SEE_OTHER);
    // The case page offers the translation link to its author.
    let html = author.get(&format!("/cases/{id}")).await.text();
    assert!(html.contains(&format!("href=\"/translate/{id}/en\"")));
}
