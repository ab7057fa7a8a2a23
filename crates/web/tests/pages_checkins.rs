//! Living cases on the pages: the owner's check-in form, status history,
//! lessons shown first and on /lessons, "not confirmed since", and the
//! curators' overdue list.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::{Browser, TestApp, Who};
use lumbung_app::{App, AppSettings};
use lumbung_core::Status;

#[tokio::test]
async fn owners_confirm_or_report_discontinued_and_lessons_appear() {
    let app = TestApp::new().await;
    let running = app.case_in(Status::Published).await;
    let stopped = app.case_in(Status::Published).await;
    let mut owner = Browser::signed_in(&app, Who::Contributor).await;

    let page = owner.get(&format!("/cases/{running}")).await.text();
    assert!(page.contains("Not confirmed since it was published"), "a new case is not yet confirmed");
    assert!(page.contains(&format!("action=\"/cases/{running}/checkins\"")));
    let res = owner.post(&format!("/cases/{running}/checkins"), &[("answer", "still_running")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let page = owner.get(&format!("/cases/{running}")).await.text();
    assert!(!page.contains("Not confirmed since"));
    assert!(page.contains("Status history") && page.contains("Still running"));

    // A bad answer is refused, nothing kept.
    let res = owner.post(&format!("/cases/{stopped}/checkins"), &[("answer", "discontinued")]).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(app.store.checkins_of(&stopped).await.unwrap().is_empty());
    let res = owner
        .post(
            &format!("/cases/{stopped}/checkins"),
            &[
                ("answer", "discontinued"),
                ("discontinued_on", "2025-03-31"),
                ("reason", "political_change"),
                ("lessons", "Anchor it in a regulation <b>before</b> the election."),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());

    let mut anonymous = Browser::new(&app);
    let page = anonymous.get(&format!("/cases/{stopped}")).await.text();
    let lessons = page.find("Anchor it in a regulation").expect("the lessons are shown");
    let summary = page.find("class=\"summary\"").unwrap();
    assert!(lessons < summary, "what was learned comes first");
    assert!(page.contains("discontinued on 2025-03-31"));
    assert!(!page.contains("<b>before</b>"));
    assert!(!page.contains(&format!("action=\"/cases/{stopped}/checkins\"")), "strangers get no form");
    let page = anonymous.get("/lessons").await.text();
    assert!(page.contains("Anchor it in a regulation") && page.contains("Political change"), "{page}");
    assert!(!page.contains(&format!("/cases/{running}\"")));
    let mut indonesian = Browser { app: &app, cookies: Vec::new(), accept_language: Some("id") };
    assert!(indonesian.get("/lessons").await.text().contains("Pelajaran dari inovasi yang dihentikan"));
}

#[tokio::test]
async fn curators_see_overdue_check_ins() {
    let app = TestApp::new().await;
    let id = app.case_in(Status::Published).await;
    let settings = AppSettings { node_id: "local".into(), upstreams: Vec::new(), ..Default::default() };
    let later = lumbung_core::checkin::add_months(lumbung_core::clock::today(), 13);
    App::new(app.store.clone(), settings).run_checkin_schedule(later, 12).await.unwrap();
    let mut contributor = Browser::signed_in(&app, Who::Contributor).await;
    assert_eq!(contributor.get("/curate/checkins").await.status, StatusCode::FORBIDDEN);
    let page = contributor.get(&format!("/cases/{id}")).await.text();
    assert!(page.contains("A check-in is due"), "the owner sees it on the case page");
    let mut curator = Browser::signed_in(&app, Who::Curator).await;
    // Overdue as of the real clock: not yet (it falls due in a year).
    let page = curator.get("/curate/checkins").await.text();
    assert!(page.contains("No check-in is waiting"), "{page}");
    lumbung_core::clock::set_offset(time::Duration::days(400));
    let page = curator.get("/curate/checkins").await.text();
    assert!(page.contains(&format!("/cases/{id}#checkins")), "{page}");
    let page = contributor.get("/my/cases").await.text();
    assert!(page.contains("Check-ins waiting for your answer") && page.contains(&format!("/cases/{id}#checkins")));
    let mut other = Browser::signed_in(&app, Who::OtherContributor).await;
    assert!(!other.get("/my/cases").await.text().contains("Check-ins waiting"));
    lumbung_core::clock::set_offset(time::Duration::ZERO);
}

/// `/lessons` is filtered by why an innovation stopped, its country and its
/// sector, each choice counting the lessons it holds; a value outside its
/// vocabulary is a 400, not an empty page.
#[tokio::test]
async fn lessons_are_filtered_by_their_facets() {
    let app = TestApp::new().await;
    let mut owner = Browser::signed_in(&app, Who::Contributor).await;
    for (reason, lesson) in [("political_change", "Anchor it in a regulation"), ("funding_ended", "Budget it early")] {
        let id = app.case_in(Status::Published).await;
        let res = owner
            .post(
                &format!("/cases/{id}/checkins"),
                &[
                    ("answer", "discontinued"),
                    ("discontinued_on", "2025-03-31"),
                    ("reason", reason),
                    ("lessons", lesson),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    }
    let mut anonymous = Browser::new(&app);
    let page = anonymous.get("/lessons").await.text();
    assert!(page.contains("Anchor it in a regulation") && page.contains("Budget it early"));
    assert!(page.contains("2 of 2 lessons"), "{page}");
    assert!(page.contains("Political change (1)") && page.contains("Funding ended (1)"), "{page}");

    let page = anonymous.get("/lessons?reason=funding_ended&sector=").await.text();
    assert!(page.contains("Budget it early") && !page.contains("Anchor it in a regulation"), "{page}");
    assert!(page.contains("1 of 2 lessons") && page.contains("href=\"/lessons\""), "{page}");
    assert!(page.contains("<option value=\"funding_ended\" selected>"), "the choice stays selected");
    // The reason facet still offers the other reason (counted without its own filter).
    assert!(page.contains("Political change (1)"), "{page}");

    for bad in ["/lessons?reason=bored", "/lessons?country=XX", "/lessons?sector=%3Cb%3E"] {
        let res = anonymous.get(bad).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(!res.text().contains("<b>"), "{bad}: the value is escaped");
    }
    assert_eq!(anonymous.get("/lessons?utm_source=x").await.status, StatusCode::OK, "other keys are ignored");
    let mut indonesian = Browser { app: &app, cookies: Vec::new(), accept_language: Some("id") };
    assert!(indonesian.get("/lessons").await.text().contains("2 dari 2 pelajaran"));
}
