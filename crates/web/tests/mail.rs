//! Mail settings and one-click unsubscribing through the real router: who
//! may set what, bad input refused with nothing changed, and an unsubscribe
//! link that only a POST acts on (RFC 8058) and that no one can guess.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::{Browser, TestApp, Who};
use lumbung_core::{Actor, MailFrequency, Role};

async fn frequency(app: &TestApp, who: Who) -> Option<MailFrequency> {
    app.store.mail_preference(&app.id_of(who)).await.unwrap().map(|p| p.frequency)
}

fn app_of(app: &TestApp) -> lumbung_app::App {
    lumbung_app::App::new(app.store.clone(), lumbung_app::AppSettings::default())
}

#[tokio::test]
async fn an_account_sets_how_often_it_gets_mail() {
    let app = TestApp::new().await;
    // Anonymous readers are sent to sign in.
    let mut anon = Browser::new(&app);
    let res = anon.get("/account/mail").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.header("location").unwrap().starts_with("/signin"));

    let mut b = Browser::signed_in(&app, Who::Reader).await;
    let res = b.get("/account/mail").await;
    assert_eq!(res.status, StatusCode::OK);
    let page = res.text();
    assert!(page.contains("value=\"daily\" aria-describedby=\"frequency-daily-hint\" checked"), "daily is the default");
    for f in MailFrequency::ALL {
        assert!(page.contains(&format!("id=\"frequency-{}\"", f.as_str())));
    }
    let res = b.post("/account/mail", &[("frequency", "weekly")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(frequency(&app, Who::Reader).await, Some(MailFrequency::Weekly));
    assert!(
        b.get("/account/mail?done=1")
            .await
            .text()
            .contains("value=\"weekly\" aria-describedby=\"frequency-weekly-hint\" checked")
    );

    // Bad input changes nothing: an unknown frequency, none, no CSRF token.
    for fields in [vec![("frequency", "hourly")], vec![]] {
        let res = b.post("/account/mail", &fields).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let res = b.post_form("/account/mail", &[("frequency", "never")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(frequency(&app, Who::Reader).await, Some(MailFrequency::Weekly));

    // In Indonesian too.
    let mut id = Browser::signed_in_lang(&app, Who::Contributor, "id").await;
    assert!(id.get("/account/mail").await.text().contains("Ringkasan harian"));
}

#[tokio::test]
async fn only_the_account_or_an_administrator_sets_its_mail() {
    let app = TestApp::new().await;
    let a = app_of(&app);
    let target = app.id_of(Who::Reader);
    for who in Who::ALL.into_iter().skip(1) {
        let actor =
            Actor { account_id: app.id_of(who), role: who.role().unwrap(), delegation: None, organisation: None };
        let outcome = a.set_mail_frequency(&actor, &target, MailFrequency::Never).await;
        let allowed = who == Who::Reader || actor.role == Role::Admin;
        assert_eq!(outcome.is_ok(), allowed, "{who:?}: {outcome:?}");
    }
    let admin = Actor { account_id: app.id_of(Who::Admin), role: Role::Admin, delegation: None, organisation: None };
    assert!(matches!(
        a.set_mail_frequency(&admin, "01NOSUCHACCOUNT0000000000", MailFrequency::Daily).await,
        Err(lumbung_app::AppError::NotFound)
    ));
    // Test messages: administrators and the node only, to a real address.
    let curator =
        Actor { account_id: app.id_of(Who::Curator), role: Role::Curator, delegation: None, organisation: None };
    assert!(matches!(
        a.send_test_mail(Some(&curator), "x@example.org", "N").await,
        Err(lumbung_app::AppError::Forbidden(_))
    ));
    assert!(matches!(
        a.send_test_mail(Some(&admin), "not an address", "N").await,
        Err(lumbung_app::AppError::Invalid(_))
    ));
    assert!(a.send_test_mail(Some(&admin), "x@example.org", "N").await.is_ok());
    assert_eq!(app.store.mail_counts().await.unwrap().queued, 1, "only the allowed message was queued");
}

#[tokio::test]
async fn the_unsubscribe_link_acts_only_on_post_and_only_with_its_secret() {
    let app = TestApp::new().await;
    let pref = app_of(&app).mail_preference(&app.id_of(Who::Contributor)).await.unwrap();
    assert_eq!(pref.frequency, MailFrequency::Daily);
    assert!(pref.unsubscribe_token.len() >= 64, "a long random secret");
    let other = app_of(&app).mail_preference(&app.id_of(Who::Reader)).await.unwrap();
    assert_ne!(pref.unsubscribe_token, other.unsubscribe_token);
    let url = format!("/mail/unsubscribe/{}", pref.unsubscribe_token);

    // A GET (a link scanner, a preview) only asks.
    let mut b = Browser::new(&app);
    let res = b.get(&url).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.text().contains(&format!("action=\"{url}\"")));
    assert_eq!(frequency(&app, Who::Contributor).await, Some(MailFrequency::Daily));

    // Unknown and malformed tokens: 404 on both methods, nothing changes.
    for bad in ["u_nope", "u_%3Cscript%3E", &"u_".repeat(300)] {
        assert_eq!(b.get(&format!("/mail/unsubscribe/{bad}")).await.status, StatusCode::NOT_FOUND);
        let res = b.post_form(&format!("/mail/unsubscribe/{bad}"), &[("List-Unsubscribe", "One-Click")]).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(frequency(&app, Who::Contributor).await, Some(MailFrequency::Daily));

    // The one-click POST of a mail client: no session, no CSRF token.
    let res = b.post_form(&url, &[("List-Unsubscribe", "One-Click")]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(frequency(&app, Who::Contributor).await, Some(MailFrequency::Never));
    assert_eq!(frequency(&app, Who::Reader).await, Some(MailFrequency::Daily), "only that account");
    // Again: harmless.
    assert_eq!(b.post_form(&url, &[]).await.status, StatusCode::OK);
}
