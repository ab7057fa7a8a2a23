//! The replication block of a case page, its forms, and the diffusion page.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::{Browser, CaseBody, TestApp, Who};
use lumbung_core::Status;

#[tokio::test]
async fn an_owner_records_a_link_and_both_pages_and_the_graph_show_it() {
    let app = TestApp::new().await;
    let source = app.case_in_with(Status::Published, CaseBody::new("Mal Pelayanan Publik").year(2017).build()).await;
    let adopter = app
        .case_in_with(Status::Published, CaseBody::new("Service mall of Bandung").country("ID").year(2020).build())
        .await;
    let abroad = app
        .case_in_with(Status::Published, CaseBody::new("Urban Transformation Centre").country("MY").year(2022).build())
        .await;

    let mut owner = Browser::signed_in(&app, Who::Contributor).await;
    let page = owner.get(&format!("/cases/{adopter}")).await;
    assert!(page.text().contains("action=\"/cases/"), "the owner sees the form");
    for (case, kind, region) in [(&adopter, "adapts", "Jawa Barat"), (&abroad, "inspired_by", "Kuala Lumpur")] {
        let res = owner
            .post(
                &format!("/cases/{case}/links"),
                &[
                    ("kind", kind),
                    ("target", &source),
                    ("changes", "<script>alert(1)</script>"),
                    ("region", region),
                    ("country", ""),
                    ("year", ""),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    }
    // A bad form is refused with a page, and nothing is written.
    let res = owner.post(&format!("/cases/{adopter}/links"), &[("kind", "adapts"), ("target", "nonsense")]).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = owner
        .post(&format!("/cases/{adopter}/links"), &[("kind", "adapts"), ("target", &source), ("year", "soon")])
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.store.links_of(&adopter).await.unwrap().len(), 1);

    let mut anonymous = Browser::new(&app);
    let page = anonymous.get(&format!("/cases/{adopter}")).await.text();
    assert!(page.contains("Adapts"), "{page}");
    assert!(page.contains(&format!("href=\"/cases/{source}\"")));
    assert!(
        page.contains("&lt;script&gt;") || page.contains("&#60;script&#62;"),
        "hostile text is escaped: {}",
        page.split("class=\"changes\"").nth(1).unwrap_or("")
    );
    assert!(!page.contains("<script>alert"));
    assert!(!page.contains(&format!("action=\"/cases/{adopter}/links\"")), "strangers get no form");
    let page = anonymous.get(&format!("/cases/{source}")).await.text();
    assert!(page.contains("Adopted by"), "{page}");
    assert!(page.contains(&format!("href=\"/cases/{adopter}\"")));
    assert!(page.contains(&format!("href=\"/cases/{source}/diffusion\"")));

    let res = anonymous.get(&format!("/cases/{source}/diffusion")).await;
    assert_eq!(res.status, StatusCode::OK);
    let page = res.text();
    assert!(page.contains("role=\"img\""));
    assert!(page.contains("<title id=\"dg-title\">"));
    assert!(page.contains("dg-edge-adapts") && page.contains("dg-edge-inspired_by"));
    assert!(page.contains("<table class=\"diffusion-table\">"));
    assert!(page.contains("Urban Transformation Centre") && page.contains("Malaysia"));
    assert!(!page.contains("style="), "no inline styles");
    // In Bahasa Indonesia too.
    let mut indonesian = Browser { app: &app, cookies: Vec::new(), accept_language: Some("id") };
    let page = indonesian.get(&format!("/cases/{source}")).await.text();
    assert!(page.contains("Diadopsi oleh"), "{page}");

    // The owner removes the link; the source no longer lists it.
    let link = app.store.links_of(&adopter).await.unwrap().remove(0);
    let res = owner.post(&format!("/cases/{adopter}/links/{}/delete", link.id), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let page = anonymous.get(&format!("/cases/{source}")).await.text();
    assert!(!page.contains(&format!("href=\"/cases/{adopter}\"")));
    // Another contributor may not.
    let mut other = Browser::signed_in(&app, Who::OtherContributor).await;
    other.get(&format!("/cases/{abroad}")).await;
    let link = app.store.links_of(&abroad).await.unwrap().remove(0);
    let res = other.post(&format!("/cases/{abroad}/links/{}/delete", link.id), &[]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.store.links_of(&abroad).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_diffusion_page_of_a_draft_is_private() {
    let app = TestApp::new().await;
    let draft = app.case_in(Status::Draft).await;
    let mut anonymous = Browser::new(&app);
    assert_eq!(anonymous.get(&format!("/cases/{draft}/diffusion")).await.status, StatusCode::NOT_FOUND);
    let mut owner = Browser::signed_in(&app, Who::Contributor).await;
    assert_eq!(owner.get(&format!("/cases/{draft}/diffusion")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_dashboard_ranks_replicated_innovations_and_counts_flows() {
    let app = TestApp::new().await;
    let source = app
        .case_in_with(
            Status::Published,
            CaseBody::new("Complaint channel")
                .country("ID")
                .set("level_of_government", serde_json::json!("national"))
                .build(),
        )
        .await;
    let draft_source = app.case_in(Status::Draft).await;
    let mut owner = Browser::signed_in(&app, Who::Contributor).await;
    for country in ["MY", "TH"] {
        let adopter = app.case_in_with(Status::Published, CaseBody::new("Adopter").country(country).build()).await;
        owner.get(&format!("/cases/{adopter}")).await;
        let res = owner.post(&format!("/cases/{adopter}/links"), &[("kind", "adapts"), ("target", &source)]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    }
    // An unpublished adopter does not count.
    let hidden = app.case_in(Status::Draft).await;
    let res = owner.post(&format!("/cases/{hidden}/links"), &[("kind", "adapts"), ("target", &source)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(!draft_source.is_empty());

    let mut anonymous = Browser::new(&app);
    let page = anonymous.get("/dashboard/diffusion").await.text();
    assert!(page.contains(&format!("<a href=\"/cases/{source}\">Complaint channel</a></th><td>2</td>")), "{page}");
    assert!(page.contains("Indonesia → Malaysia") && page.contains("Indonesia → Thailand"));
    assert!(page.contains("National → Local"), "{page}");
    let csv = anonymous.get("/dashboard/diffusion/country-flows.csv").await;
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(csv.text().contains("\"Indonesia → Malaysia\",1"), "{}", csv.text());
    assert_eq!(anonymous.get("/dashboard/diffusion/nothing.csv").await.status, StatusCode::NOT_FOUND);
    assert!(anonymous.get("/dashboard").await.text().contains("href=\"/dashboard/diffusion\""));
}

/// The submission wizard asks "Is your innovation based on one of these?" on
/// its second step, with published cases like the draft from the search
/// engine; choosing one records the link and comes
/// back to the wizard; the form returns only to the wizard's own step.
#[tokio::test]
async fn the_wizard_suggests_similar_cases_and_records_the_chosen_one() {
    let app = TestApp::new().await;
    let source =
        app.case_in_with(Status::Published, CaseBody::new("One-stop public service mall").country("ID").build()).await;
    let other = app.case_in_with(Status::Published, CaseBody::new("Participatory budgeting in schools").build()).await;
    let hidden =
        app.case_in_with(Status::Submitted, CaseBody::new("Public service mall draft in review").build()).await;
    app.sync_search().await;

    let mut owner = Browser::signed_in(&app, Who::OtherContributor).await;
    let draft =
        app.create_case_as(Who::OtherContributor, CaseBody::new("A public service mall for our regency").build()).await;
    let draft = draft["id"].as_str().unwrap().to_owned();
    let page = owner.get(&format!("/submit/{draft}/place")).await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.text();
    let panel = &page[page.find("id=\"based-on\"").expect("the panel")..];
    assert!(panel.contains("Is your innovation based on one of these?"));
    assert!(panel.contains(&format!("href=\"/cases/{source}\"")), "the similar case is suggested: {panel}");
    assert!(!panel.contains(&format!("/cases/{hidden}\"")), "only published cases");

    // Chosen: the link is recorded and the wizard shows it, no longer suggesting it.
    let res = owner
        .post(
            &format!("/cases/{draft}/links"),
            &[("target", source.as_str()), ("kind", "adapts"), ("back", &format!("/submit/{draft}/place"))],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    assert_eq!(res.header("location"), Some(format!("/submit/{draft}/place?linked=1#based-on").as_str()));
    let page = owner.get(&format!("/submit/{draft}/place?linked=1")).await.text();
    assert!(page.contains("The link is recorded"), "{page}");
    let panel = &page[page.find("id=\"based-on\"").unwrap()..];
    assert!(panel.contains("Your case records:") && panel.contains("One-stop public service mall"), "{panel}");
    assert!(!panel.contains(&format!("href=\"/cases/{source}\"")), "a recorded case is not suggested again");
    assert_eq!(app.store.links_of(&draft).await.unwrap().len(), 1);

    // Anywhere else than the wizard's own step, the form returns to the case page.
    let res = owner
        .post(
            &format!("/cases/{draft}/links"),
            &[("target", other.as_str()), ("kind", "inspired_by"), ("back", "https://evil.example/")],
        )
        .await;
    assert_eq!(res.header("location"), Some(format!("/cases/{draft}#diffusion").as_str()));

    // In Indonesian, the panel is translated.
    let mut indonesian = Browser::signed_in(&app, Who::OtherContributor).await;
    indonesian.accept_language = Some("id");
    let page = indonesian.get(&format!("/submit/{draft}/place")).await.text();
    assert!(page.contains("Apakah inovasi Anda berdasarkan salah satu dari ini?"), "{page}");
}
