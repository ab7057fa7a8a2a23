//! Search through the API: visibility for every role, facet counts equal to
//! the store's, cross-language matching, the follower's latency, bad queries.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use common::*;
use lumbung_core::Status;
use lumbung_store::{CaseFilter, Visibility};
use serde_json::{Value, json};

async fn search(app: &TestApp, query: &str) -> Value {
    let (status, _, body) = app.request(Method::GET, &format!("/api/v1/search?{query}"), None, None).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    body
}

fn ids(body: &Value) -> Vec<String> {
    body["items"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn only_published_cases_are_found_by_anyone() {
    let app = TestApp::new().await;
    let word = "zyxwvutique";
    let mut by_status = Vec::new();
    for status in [Status::Draft, Status::Submitted, Status::Returned, Status::Published, Status::Archived] {
        let body = CaseBody::new(&format!("{word} case {status}")).build();
        by_status.push((status, app.case_in_with(status, body).await));
    }
    app.sync_search().await;
    let published = &by_status[3].1;
    for who in Who::ALL {
        let (status, _, body) = app.request_as(Method::GET, &format!("/api/v1/search?q={word}"), who, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ids(&body), vec![published.clone()], "{who:?} sees exactly the published case");
        let text = body.to_string();
        assert!(!text.contains("created_by"), "private fields never leave through search");
        assert!(!text.contains(&app.id_of(Who::Contributor)), "the submitter's account is private");
    }
    // The owner's e-mail is not searchable either.
    let body = search(&app, &format!("q={}", app.account(Who::Contributor).email)).await;
    assert_eq!(body["total"], 0);
}

#[tokio::test]
async fn facet_counts_equal_the_store_for_the_same_filters() {
    let app = TestApp::new().await;
    let specs = [
        ("ID", &["health"][..], 2019),
        ("ID", &["health", "education"], 2020),
        ("PH", &["education"], 2020),
        ("TH", &["health"], 2018),
        ("ID", &["transport"], 2018),
        ("PH", &["health", "transport"], 2019),
    ];
    for (i, (country, sectors, year)) in specs.iter().enumerate() {
        let body = CaseBody::new(&format!("Facet case {i}")).country(country).sectors(sectors).year(*year).build();
        app.case_in_with(Status::Published, body).await;
    }
    app.case_in_with(Status::Draft, CaseBody::new("Facet draft").country("ID").build()).await;
    app.sync_search().await;

    let filters: [(&str, CaseFilter); 4] = [
        ("", CaseFilter::default()),
        ("country=ID", CaseFilter { countries: vec!["ID".into()], ..Default::default() }),
        (
            "sector=health,transport",
            CaseFilter { sectors: vec!["health".into(), "transport".into()], ..Default::default() },
        ),
        (
            "country=ID&country=PH&sector=health",
            CaseFilter {
                countries: vec!["ID".into(), "PH".into()],
                sectors: vec!["health".into()],
                ..Default::default()
            },
        ),
    ];
    for (query, filter) in filters {
        let body = search(&app, &format!("{query}&limit=50")).await;
        let store_total = app.store.count_cases(&filter, &Visibility::Published).await.unwrap();
        assert_eq!(body["total"].as_i64().unwrap(), store_total, "total for {query}");
        let matching = app.store.list_cases(&filter, &Visibility::Published, None, 100).await.unwrap().items;
        for (facet, values) in [("country", ["ID", "PH", "TH"]), ("sector", ["health", "education", "transport"])] {
            for value in values {
                let expected = matching
                    .iter()
                    .filter(|c| match facet {
                        "country" => c.content.country.as_deref() == Some(value),
                        _ => c.content.sectors.iter().any(|s| s == value),
                    })
                    .count() as i64;
                let got = body["facets"][facet]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|v| v["value"] == value)
                    .map_or(0, |v| v["count"].as_i64().unwrap());
                assert_eq!(got, expected, "{facet}={value} under '{query}'");
            }
        }
    }
}

#[tokio::test]
async fn glossary_matches_across_languages_below_direct_hits() {
    let app = TestApp::new().await;
    let id_only = json!({
        "original_language": "id",
        "title": {"id": "Penanganan pengaduan masyarakat di kecamatan"},
        "summary": {"id": "Warga menyampaikan pengaduan melalui loket dan aplikasi."},
    });
    let en_only = json!({
        "original_language": "en",
        "title": {"en": "Complaint handling desk for citizens"},
        "summary": {"en": "Residents bring complaints to a single desk."},
    });
    let a = app.case_in_with(Status::Published, id_only).await;
    let b = app.case_in_with(Status::Published, en_only).await;
    app.sync_search().await;

    let en = search(&app, "q=complaint+handling").await;
    assert_eq!(ids(&en), vec![b.clone(), a.clone()], "the English case first, the Indonesian one through the glossary");
    let id = search(&app, "q=penanganan+pengaduan&lang=id").await;
    assert_eq!(ids(&id), vec![a.clone(), b.clone()], "and the other way round");
    assert!(id["items"][0]["snippet"].as_str().unwrap().contains("<mark>"), "{}", id["items"][0]["snippet"]);
}

#[tokio::test]
async fn stems_phrases_operators_and_typos() {
    let app = TestApp::new().await;
    let one = app
        .case_in_with(
            Status::Published,
            json!({"original_language": "id", "title": {"id": "Pelayanan kesehatan keliling di desa"}}),
        )
        .await;
    let two = app
        .case_in_with(
            Status::Published,
            json!({"original_language": "en", "title": {"en": "Participatory budgeting in the city of Porto Alegre"}}),
        )
        .await;
    let three = app
        .case_in_with(
            Status::Published,
            json!({"original_language": "en", "title": {"en": "Budgeting for city transport, participatory in name only"}}),
        )
        .await;
    app.sync_search().await;
    assert_eq!(ids(&search(&app, "q=melayani&lang=id").await), vec![one.clone()], "Indonesian stems meet");
    assert_eq!(ids(&search(&app, "q=%22participatory+budgeting%22").await), vec![two.clone()], "phrase");
    let both = ids(&search(&app, "q=budgeting+city").await);
    assert!(both.contains(&two) && both.contains(&three));
    assert_eq!(ids(&search(&app, "q=budgeting+-transport").await), vec![two.clone()], "excluded word");
    assert_eq!(ids(&search(&app, "q=budgeting+%2Btransport").await), vec![three.clone()], "required word");
    assert_eq!(ids(&search(&app, "q=partcipatory").await).first(), Some(&two), "typo tolerated");
}

#[tokio::test]
async fn bad_queries_get_a_clear_answer() {
    let app = TestApp::new().await;
    app.case_in(Status::Published).await;
    app.sync_search().await;
    for (query, expected) in [
        ("q=%22unbalanced", StatusCode::OK),
        ("q=%00%01%1b", StatusCode::OK),
        ("q=+-+%22%22", StatusCode::OK),
        (&format!("q={}", "a".repeat(10_000)), StatusCode::BAD_REQUEST),
        ("country=ZZ", StatusCode::BAD_REQUEST),
        ("sector=space", StatusCode::BAD_REQUEST),
        ("limit=100000", StatusCode::BAD_REQUEST),
        ("limit=0", StatusCode::BAD_REQUEST),
        ("cursor=999999999", StatusCode::BAD_REQUEST),
        ("sort=random", StatusCode::BAD_REQUEST),
        ("colour=red", StatusCode::BAD_REQUEST),
        ("year=20x9", StatusCode::BAD_REQUEST),
    ] {
        let (status, _, body) = app.request(Method::GET, &format!("/api/v1/search?{query}"), None, None).await;
        assert_eq!(status, expected, "{}: {body}", &query[..query.len().min(40)]);
        if status != StatusCode::OK {
            assert_eq!(body["status"], expected.as_u16());
        }
    }
}

#[tokio::test]
async fn pagination_walks_every_hit_once() {
    let app = TestApp::new().await;
    for i in 0..7 {
        app.case_in_with(Status::Published, CaseBody::new(&format!("Paged innovation {i}")).build()).await;
    }
    app.sync_search().await;
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let body = search(&app, &format!("q=innovation&limit=3&cursor={cursor}")).await;
        assert_eq!(body["total"], 7);
        seen.extend(ids(&body));
        match body["next"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (7, 7));
}

#[tokio::test]
async fn related_and_suggestions() {
    let app = TestApp::new().await;
    let a = app
        .case_in_with(
            Status::Published,
            CaseBody::new("Village fund transparency boards").sectors(&["rural_development"]).build(),
        )
        .await;
    let b = app
        .case_in_with(
            Status::Published,
            CaseBody::new("Village fund transparency online").sectors(&["rural_development"]).build(),
        )
        .await;
    let draft = app.case_in_with(Status::Draft, CaseBody::new("Village fund transparency draft").build()).await;
    app.sync_search().await;
    let (status, _, related) = app.request(Method::GET, &format!("/api/v1/cases/{a}/related"), None, None).await;
    assert_eq!(status, StatusCode::OK);
    let related = related.as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    assert_eq!(related.first(), Some(&b));
    assert!(!related.contains(&a) && !related.contains(&draft));
    let (status, _, _) = app.request(Method::GET, &format!("/api/v1/cases/{draft}/related"), None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a draft's relations do not leak it");

    let (status, _, suggestions) = app.request(Method::GET, "/api/v1/suggest?q=villa", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let titles: Vec<&str> =
        suggestions["cases"].as_array().unwrap().iter().map(|s| s["title"].as_str().unwrap()).collect();
    assert_eq!(titles.len(), 2, "{suggestions}");
    assert!(titles.iter().all(|t| t.starts_with("Village")));
    let (_, _, orgs) = app.request(Method::GET, "/api/v1/suggest?q=kemen", None, None).await;
    assert_eq!(orgs["organisations"][0]["id"], "kemenpan-rb", "{orgs}");
}

/// While the server runs, the index follows publish, update, unpublish
/// (archive) and returns within a second.
#[tokio::test]
async fn the_index_follows_changes_within_a_second() {
    let app = TestApp::new().await;
    let follower = app.search.follow(app.store.clone(), Duration::from_millis(200));
    let id = app.case_in_with(Status::Submitted, CaseBody::new("Quokkaville ferry timetable").build()).await;

    async fn wait_until(app: &TestApp, q: &str, want: usize) -> Duration {
        let start = Instant::now();
        loop {
            let body = search(app, q).await;
            if body["total"].as_u64() == Some(want as u64) {
                return start.elapsed();
            }
            assert!(start.elapsed() < Duration::from_secs(1), "not reflected within a second: {q} → {body}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    app.step(&id, "publish", Who::Curator, None).await;
    wait_until(&app, "q=quokkaville", 1).await;

    let case = app.stored_case(&id).await;
    let mut body = CaseBody::new("Wallabytown ferry timetable").build();
    body["version"] = json!(case.version);
    let (status, _, _) = app.request_as(Method::PUT, &format!("/api/v1/cases/{id}"), Who::Curator, Some(body)).await;
    assert_eq!(status, StatusCode::OK);
    wait_until(&app, "q=wallabytown", 1).await;
    wait_until(&app, "q=quokkaville", 0).await;

    app.step(&id, "archive", Who::Curator, None).await;
    wait_until(&app, "q=wallabytown", 0).await;
    app.step(&id, "publish", Who::Curator, None).await;
    wait_until(&app, "q=wallabytown", 1).await;
    follower.abort();
}

/// When nothing good matches (issue #15): a misspelt word in either language
/// gets a "did you mean" from the library's own words, offered only when the
/// corrected query finds cases. Through the API and the search page, in both
/// languages.
#[tokio::test]
async fn did_you_mean_corrects_misspellings_in_both_languages() {
    let app = TestApp::new().await;
    let id_only = json!({
        "original_language": "id",
        "title": {"id": "Penanganan pengaduan masyarakat di kecamatan"},
        "summary": {"id": "Warga menyampaikan pengaduan melalui loket dan aplikasi."},
    });
    app.case_in_with(Status::Published, id_only).await;
    let en_only = json!({
        "original_language": "en",
        "title": {"en": "Complaint handling desk"},
        "summary": {"en": "Residents bring complaints to a single desk."},
    });
    app.case_in_with(Status::Published, en_only).await;
    app.sync_search().await;

    let body = search(&app, "q=complant+handling").await;
    assert_eq!(body["did_you_mean"], "complaint handling", "{body}");
    let body = search(&app, "q=pengadaun&lang=id").await;
    assert_eq!(body["did_you_mean"], "pengaduan", "{body}");
    // Known words: nothing to correct; a word nothing is near: no suggestion.
    let body = search(&app, "q=complaint+handling").await;
    assert_eq!(body["did_you_mean"], Value::Null, "{body}");
    assert_eq!(search(&app, "q=qwxzvbnmkj").await["did_you_mean"], Value::Null);
    // Only on the first page.
    assert_eq!(search(&app, "q=complant+handling&cursor=1").await["did_you_mean"], Value::Null);

    // The page, in English and in Indonesian, with a link that keeps working.
    let mut en = Browser::new(&app);
    let html = en.get("/search?q=complant+handling").await.text();
    assert!(html.contains("Did you mean:"), "{html}");
    assert!(html.contains("href=\"/search?q=complaint+handling\""), "{html}");
    let mut id = Browser { app: &app, cookies: Vec::new(), accept_language: Some("id") };
    let html = id.get("/search?q=pengadaun").await.text();
    assert!(html.contains("Mungkin maksud Anda:") && html.contains("href=\"/search?q=pengaduan\""), "{html}");
}
