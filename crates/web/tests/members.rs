//! `/members`: organisations by country and type with what each contributed,
//! delegations by country, and opt-in public profiles — never an e-mail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Browser, CaseBody, TestApp, Who};
use lumbung_core::Status;
use serde_json::json;

/// The table row of an organisation on /members, as text.
fn row_of(page: &str, org: &str) -> String {
    let start = page.find(&format!("href=\"/organisations/{org}\"")).unwrap_or_else(|| panic!("{org} not listed"));
    let end = page[start..].find("</tr>").unwrap() + start;
    page[start..end].to_owned()
}

fn cells(row: &str) -> Vec<String> {
    row.split("<td>").skip(1).map(|c| c.split('<').next().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn members_show_contributions_delegations_and_only_public_profiles() {
    let app = TestApp::new().await;
    // A published case of KemenPAN-RB, presented at an event; an action item for LAN.
    let case = app
        .case_in_with(
            Status::Published,
            CaseBody::new("Service mall for every regency").set("organisations", json!(["kemenpan-rb"])).build(),
        )
        .await;
    let event = json!({"title": "Innovation week", "kind": "forum", "level": "national",
        "starts_at": "2030-11-17T09:00", "duration_minutes": 120, "time_zone": "Asia/Jakarta",
        "venue": "Balai Kartini", "city": "Jakarta", "country": "ID",
        "sessions": [{"starts_at": "2030-11-17T09:30", "duration_minutes": 30, "title": "Malls", "cases": [case]}]});
    let res = app.send_json(Method::POST, "/api/v1/events", Who::Curator, Some(event), &[]).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let event_id = res.json()["id"].as_str().unwrap().to_owned();
    let action = json!({"what": "Write the mall guide", "owner": "lan-ri", "due_on": "2031-01-31"});
    let res = app
        .send_json(Method::POST, &format!("/api/v1/events/{event_id}/actions"), Who::Curator, Some(action), &[])
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());

    let mut anon = Browser::new(&app);
    let page = anon.get("/members").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert_eq!(cells(&row_of(&text, "kemenpan-rb"))[1..], ["1", "1", "0"], "cases, presentations, action items");
    assert_eq!(cells(&row_of(&text, "lan-ri"))[1..], ["0", "0", "1"]);
    // The delegate represents the Philippines: one delegate, no name (its profile is hidden).
    assert!(text.contains("href=\"/countries/PH\""), "the Philippine delegation");
    assert!(!text.contains("Test contributor") && !text.contains("Test delegate"), "no hidden profile is shown");
    assert!(!text.contains("@example.go.id"), "never an e-mail address");

    // The contributor shows its profile; the delegate too.
    for (who, expertise) in [(Who::Contributor, "Service design, complaint handling"), (Who::Delegate, "")] {
        let mut b = Browser::signed_in(&app, who).await;
        b.get("/account").await;
        let res = b.post("/account/profile", &[("public", "1"), ("expertise", expertise)]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let account = b.get("/account").await.text();
        assert!(account.contains("name=\"public\" value=\"1\" checked"), "the choice is kept");
    }
    let text = anon.get("/members").await.text();
    let kemenpan = row_of(&text, "kemenpan-rb");
    assert!(kemenpan.contains("Test contributor — Service design, complaint handling"), "{kemenpan}");
    assert!(text.contains("(Test delegate)"), "the public delegate by its delegation");
    assert!(!text.contains("Test reader"), "the others stay hidden");
    assert!(!text.contains("@example.go.id"), "never an e-mail address");

    // Filters: another country's organisations only.
    let text = anon.get("/members?country=PH&type=").await.text();
    assert!(!text.contains("href=\"/organisations/kemenpan-rb\""));

    // A bad expertise line changes nothing; hiding works.
    let mut b = Browser::signed_in(&app, Who::Contributor).await;
    b.get("/account").await;
    let long = "x".repeat(301);
    let res = b.post("/account/profile", &[("public", "1"), ("expertise", &long)]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(anon.get("/members").await.text().contains("Service design, complaint handling"));
    let res = b.post("/account/profile", &[("expertise", "Service design")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(!anon.get("/members").await.text().contains("Test contributor"), "hidden again");
    // Without the form's token nothing changes.
    let res = b.post_form("/account/profile", &[("public", "1")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(!anon.get("/members").await.text().contains("Test contributor"));
}
