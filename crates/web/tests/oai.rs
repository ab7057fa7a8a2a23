//! OAI-PMH, feeds and sitemaps through the router: only published cases (and
//! tombstones of once-published ones) leave the node; paging with resumption
//! tokens delivers every record once; errors carry the protocol's codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use lumbung_core::Status;
use lumbung_web::WebSettings;

async fn get(app: &TestApp, path: &str) -> String {
    let res = app.send_raw(Method::GET, path, Who::Anonymous, None, "").await;
    assert_eq!(res.status, StatusCode::OK, "{path}");
    res.text()
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    s.split(start).skip(1).filter_map(|p| p.split(end).next()).collect()
}

async fn app_with_cases() -> (TestApp, Vec<String>, String, String) {
    let app =
        TestApp::with_settings(WebSettings { oai_page_size: 2, node_id: "id.test".into(), ..Default::default() }).await;
    let mut published = Vec::new();
    for i in 0..5 {
        published.push(app.case_in_with(Status::Published, CaseBody::new(&format!("Published {i}")).build()).await);
    }
    let draft = app.case_in(Status::Draft).await;
    let archived = app.case_in(Status::Archived).await;
    app.case_in(Status::Submitted).await;
    app.sync_search().await;
    (app, published, draft, archived)
}

#[tokio::test]
async fn list_records_pages_through_published_and_deleted_only() {
    let (app, published, draft, archived) = app_with_cases().await;
    let mut identifiers = Vec::new();
    let mut deleted = Vec::new();
    let mut path = "/oai?verb=ListRecords&metadataPrefix=oai_dc".to_owned();
    let mut pages = 0;
    loop {
        let xml = get(&app, &path).await;
        pages += 1;
        for record in xml.split("<record>").skip(1) {
            let id = between(record, "<identifier>", "</identifier>")[0].to_owned();
            if record.contains("status=\"deleted\"") {
                assert!(!record.contains("<metadata>"), "a deleted record has no metadata");
                deleted.push(id);
            } else {
                assert!(record.contains("<dc:title"), "{record}");
                identifiers.push(id);
            }
        }
        let token = between(&xml, "<resumptionToken", "</resumptionToken>");
        match token.first().and_then(|t| t.split('>').nth(1)).filter(|t| !t.is_empty()) {
            Some(t) => {
                assert!(token[0].contains("completeListSize=\"6\""), "{}", token[0]);
                path = format!("/oai?verb=ListRecords&resumptionToken={t}");
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let mut expected: Vec<String> = published.iter().map(|id| format!("oai:id.test:case/{id}")).collect();
    expected.sort();
    identifiers.sort();
    assert_eq!(identifiers, expected);
    assert_eq!(deleted, vec![format!("oai:id.test:case/{archived}")]);
    assert!(!identifiers.iter().chain(&deleted).any(|i| i.ends_with(&draft)));
}

#[tokio::test]
async fn errors_have_protocol_codes() {
    let (app, published, draft, _) = app_with_cases().await;
    for (query, code) in [
        ("", "badVerb"),
        ("verb=Dance", "badVerb"),
        ("verb=Identify&verb=Identify", "badVerb"),
        ("verb=Identify&colour=red", "badArgument"),
        ("verb=ListRecords", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2020-13-01", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2021-01-01&until=2020-01-01", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01&until=2021-01-01T00:00:00Z", "badArgument"),
        ("verb=ListRecords&resumptionToken=zzz", "badResumptionToken"),
        ("verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2999-01-01", "noRecordsMatch"),
        ("verb=ListRecords&metadataPrefix=oai_dc&set=country:ZZ", "noRecordsMatch"),
        (&format!("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:id.test:case/{draft}"), "idDoesNotExist"),
        ("verb=GetRecord&metadataPrefix=oai_dc&identifier=junk", "idDoesNotExist"),
        (
            &format!("verb=GetRecord&metadataPrefix=x&identifier=oai:id.test:case/{}", published[0]),
            "cannotDisseminateFormat",
        ),
    ] {
        let xml = get(&app, &format!("/oai?{query}")).await;
        assert!(xml.contains(&format!("<error code=\"{code}\">")), "{query}: {xml}");
    }
}

#[tokio::test]
async fn get_record_post_and_sets() {
    let (app, published, _, _) = app_with_cases().await;
    let id = format!("oai:id.test:case/{}", published[0]);
    let xml = get(&app, &format!("/oai?verb=GetRecord&metadataPrefix=lumbung&identifier={id}")).await;
    assert!(xml.contains("<case xmlns=\"urn:lumbung:schema:case:1\""), "{xml}");
    assert!(xml.contains("<setSpec>origin:id.test</setSpec>"));
    let body = format!("verb=GetRecord&metadataPrefix=lumbung&identifier={id}");
    let res = app.send_raw(Method::POST, "/oai", Who::Anonymous, Some("application/x-www-form-urlencoded"), body).await;
    assert_eq!(res.status, StatusCode::OK);
    let posted = res.text();
    let strip = |s: &str| s.split("</responseDate>").nth(1).unwrap_or_default().to_owned();
    assert_eq!(strip(&posted), strip(&xml), "POST answers as GET does");

    let sets = get(&app, "/oai?verb=ListSets").await;
    assert!(sets.contains("<setSpec>country:ID</setSpec>") && sets.contains("<setSpec>sector:health</setSpec>"));
    let in_set = get(&app, "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc&set=country:ID").await;
    assert!(in_set.contains(&id));
}

#[tokio::test]
async fn feeds_and_sitemap_hold_published_cases_only() {
    let (app, published, draft, archived) = app_with_cases().await;
    let atom = get(&app, "/feeds/cases.atom").await;
    assert!(atom.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    for id in &published {
        assert!(atom.contains(id.as_str()), "{id} missing from the feed");
    }
    assert!(!atom.contains(draft.as_str()) && !atom.contains(archived.as_str()));
    let by_country = get(&app, "/feeds/cases.atom?country=PH").await;
    assert_eq!(by_country.matches("<entry>").count(), 0);
    let searched = get(&app, "/feeds/search.atom?q=published").await;
    assert_eq!(searched.matches("<entry>").count(), published.len());

    let sitemap = get(&app, "/sitemap.xml").await;
    assert_eq!(sitemap.matches("/cases/").count(), published.len());
    assert!(!sitemap.contains(draft.as_str()) && !sitemap.contains(archived.as_str()));
    assert!(get(&app, "/robots.txt").await.contains("Sitemap: "));
    let res = app.send_raw(Method::GET, "/feeds/cases.atom?country=ZZ", Who::Anonymous, None, "").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_nominated_record_names_its_nomination_set_in_its_header() {
    let app = TestApp::with_settings(WebSettings {
        node_id: "id.test".into(),
        upstreams: vec!["asean.network".into()],
        ..Default::default()
    })
    .await;
    let nominated = app.case_in(Status::Published).await;
    let other = app.case_in(Status::Published).await;
    let (status, _, body) = app
        .request_as(
            Method::POST,
            &format!("/api/v1/cases/{nominated}/nominate"),
            Who::Curator,
            Some(serde_json::json!({"to": "asean.network", "note": "worth a look"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let list = get(&app, "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").await;
    let headers = between(&list, "<header>", "</header>");
    let header_of = |id: &str| headers.iter().find(|h| h.contains(&format!("case/{id}<"))).unwrap().to_string();
    assert!(header_of(&nominated).contains("<setSpec>nominated:asean.network</setSpec>"), "{list}");
    assert!(!header_of(&other).contains("nominated:"));
    let record =
        get(&app, &format!("/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:id.test:case/{nominated}")).await;
    assert!(record.contains("<setSpec>nominated:asean.network</setSpec>"));
    // The set lists exactly the nominated record.
    let set = get(&app, "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc&set=nominated:asean.network").await;
    assert!(set.contains(&nominated) && !set.contains(&other));
}
