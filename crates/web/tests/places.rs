//! Indonesia's places by their official codes (issue #12): a case names its
//! province, regency or city by Kemendagri code (`place`), which the API
//! validates and the wizard offers; a free-text Indonesian region and city
//! are matched to a code where they can be; the code travels in the native
//! OAI-PMH record.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Browser, CaseBody, TestApp, Who, error_fields};
use serde_json::json;

async fn create(app: &TestApp, body: serde_json::Value) -> (StatusCode, serde_json::Value) {
    let (status, _, json) = app.request_as(Method::POST, "/api/v1/cases", Who::Contributor, Some(body)).await;
    (status, json)
}

#[tokio::test]
async fn a_place_code_is_validated_and_names_the_region_and_city() {
    let app = &TestApp::new().await;
    // A code alone: Indonesia, its province and its name fill the empty fields.
    let body = CaseBody::minimal("Surabaya single window").set("place", json!("35.78")).build();
    let (status, case) = create(app, body).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    assert_eq!((case["country"].as_str(), case["region"].as_str()), (Some("ID"), Some("Jawa Timur")));
    assert_eq!((case["city"].as_str(), case["place"].as_str()), (Some("Kota Surabaya"), Some("35.78")));

    // Free text is matched where it can be, and left alone where it cannot.
    let body = CaseBody::new("Bandung").set("region", json!("Jawa Barat")).set("city", json!("Bandung")).build();
    let (_, case) = create(app, body).await;
    assert_eq!(case["place"], "32.73", "Kota Bandung");
    assert_eq!(case["city"], "Bandung", "the author's text stays");
    let body = CaseBody::new("Jakarta").set("region", json!("DKI Jakarta")).set("city", json!("Jakarta")).build();
    assert_eq!(create(app, body).await.1["place"], "31", "five cities are called Jakarta: the province");
    let body = CaseBody::new("Cebu").country("PH").set("region", json!("Cebu")).build();
    assert!(create(app, body).await.1["place"].is_null(), "no code outside Indonesia");

    // Bad codes are refused with a field error, and nothing is stored.
    let count = app.case_count().await;
    for (body, what) in [
        (CaseBody::minimal("x").set("place", json!("99.99")).build(), "an unknown code"),
        (CaseBody::minimal("x").country("PH").set("place", json!("35.78")).build(), "another country"),
        (
            CaseBody::minimal("x").set("region", json!("Bali")).set("place", json!("35.78")).build(),
            "a region of another province",
        ),
        (CaseBody::minimal("x").set("place", json!(35)).build(), "a number"),
    ] {
        let (status, problem) = create(app, body).await;
        assert!(status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::BAD_REQUEST, "{what}: {problem}");
        assert_eq!(error_fields(&problem), ["place"], "{what}: {problem}");
    }
    assert_eq!(app.case_count().await, count);

    // The native record carries the code with its name.
    let (_, case) =
        create(app, CaseBody::new("Published").without("region").without("city").set("place", json!("73.71")).build())
            .await;
    let id = case["id"].as_str().unwrap();
    app.step(id, "submit", Who::Contributor, None).await;
    app.step(id, "publish", Who::Curator, None).await;
    let res = app
        .send_json(
            Method::GET,
            &format!("/oai?verb=GetRecord&metadataPrefix=lumbung&identifier=oai:local:case/{id}"),
            Who::Anonymous,
            None,
            &[],
        )
        .await;
    assert!(res.text().contains("<place code=\"73.71\">Kota Makassar</place>"), "{}", res.text());
}

#[tokio::test]
async fn the_wizard_offers_the_official_places() {
    let app = &TestApp::new().await;
    let (_, case) = create(app, CaseBody::minimal("Wizard place").country("ID").build()).await;
    let id = case["id"].as_str().unwrap();
    let mut b = Browser::signed_in(app, Who::Contributor).await;
    let html = b.get(&format!("/submit/{id}/place")).await.text();
    assert!(html.contains("<select id=\"place\" name=\"place\""), "a list of places");
    assert!(html.contains("<option value=\"35.78\">Jawa Timur › Kota Surabaya</option>"));
    let version = app.stored_case(id).await.version.to_string();
    let res =
        b.post(&format!("/submit/{id}/place"), &[("version", &version), ("country", "ID"), ("place", "35.10")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let stored = app.stored_case(id).await.content;
    assert_eq!(stored.place.as_deref(), Some("35.10"));
    assert_eq!(stored.city.as_deref(), Some("Kabupaten Banyuwangi"));
    // A code that is not one: shown on the form, nothing saved.
    let version = app.stored_case(id).await.version.to_string();
    let res =
        b.post(&format!("/submit/{id}/place"), &[("version", &version), ("country", "ID"), ("place", "35.99")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text().contains("id=\"place-error\"") || res.text().contains("aria-invalid=\"true\""),
        "{}",
        res.text()
    );
    assert_eq!(app.stored_case(id).await.content.place.as_deref(), Some("35.10"));
}

#[tokio::test]
async fn cases_stored_before_places_get_the_code_their_region_and_city_match() {
    let t = &TestApp::new().await;
    let app = lumbung_app::App::new(
        t.store.clone(),
        lumbung_app::AppSettings { node_id: "local".into(), ..Default::default() },
    );
    // Cases as an earlier release stored them: no place (written past the
    // normalisation that now adds one).
    let old = |title: &str, region: Option<&str>, city: Option<&str>| {
        let content = lumbung_core::CaseContent {
            title: lumbung_core::Text::new("id", title),
            original_language: "id".into(),
            country: Some("ID".into()),
            region: region.map(str::to_owned),
            city: city.map(str::to_owned),
            ..Default::default()
        };
        lumbung_core::Case::new(
            ulid::Ulid::new().to_string(),
            content,
            lumbung_core::Status::Draft,
            None,
            lumbung_core::clock::now(),
        )
    };
    let matched = old("Surabaya", Some("Jawa Timur"), Some("Surabaya"));
    let unmatched = old("Somewhere", Some("Atlantis"), None);
    for c in [&matched, &unmatched] {
        t.store.create_case(c, None).await.unwrap();
    }
    let dry = app.match_places(true).await.unwrap();
    assert_eq!((dry.without_code, dry.matched), (2, 1));
    assert!(t.stored_case(&matched.id).await.content.place.is_none(), "a dry run changes nothing");
    let done = app.match_places(false).await.unwrap();
    assert_eq!(done.unmatched, [(unmatched.id.clone(), Some("Atlantis".to_owned()), None)]);
    let stored = t.stored_case(&matched.id).await;
    assert_eq!(stored.content.place.as_deref(), Some("35.78"));
    assert_eq!(stored.content.city.as_deref(), Some("Surabaya"), "the author's text stays");
    assert_eq!(stored.version, 2, "a revision");
    // Run again: nothing left to match.
    assert_eq!(app.match_places(false).await.unwrap().matched, 0);
}
