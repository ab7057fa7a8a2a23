//! Notifications through the real router and the change-log follower:
//! what notifies whom, exactly once (run twice, replayed from an old
//! cursor, restarted), the inbox and its unread count without JavaScript,
//! marking read, the private feed, and a room watched by 10,000 accounts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Browser, TestApp, Who};
use lumbung_core::{Role, Status};
use lumbung_store::NewAccount;
use serde_json::{Value, json};

fn roomy() -> lumbung_web::WebSettings {
    let dialogue = lumbung_app::DialogueSettings {
        posts_per_minute: 10_000,
        posts_per_hour: 10_000,
        new_posts_per_minute: 10_000,
        new_posts_per_hour: 10_000,
        ..Default::default()
    };
    lumbung_web::WebSettings { dialogue, ..Default::default() }
}

fn follower(app: &TestApp) -> lumbung_app::App {
    lumbung_app::App::new(app.store.clone(), lumbung_app::AppSettings::default())
}

async fn ok(app: &TestApp, method: Method, path: &str, who: Who, body: Option<Value>, expect: StatusCode) -> Value {
    let (status, _, json) = app.request_as(method.clone(), path, who, body).await;
    assert_eq!(status, expect, "{method} {path} as {who:?}: {json}");
    json
}

async fn kinds(app: &TestApp, who: Who) -> Vec<String> {
    let inbox = ok(app, Method::GET, "/api/v1/notifications", who, None, StatusCode::OK).await;
    inbox["items"].as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn replies_mentions_questions_and_answers_reach_the_inbox_once() {
    let app = TestApp::with_settings(roomy()).await;
    let case = app.case_in(Status::Published).await;
    // The reader asks the case's team; the post request itself writes no notification.
    let ask = json!({"case": case, "ask": true, "title": "Staffing?", "body": "How many staff?", "language": "en"});
    let created = ok(&app, Method::POST, "/api/v1/threads", Who::Reader, Some(ask), StatusCode::CREATED).await;
    let thread = created["thread"]["id"].as_str().unwrap().to_owned();
    assert_eq!(app.store.notification_count().await.unwrap(), 0, "a post never waits for its fan-out");
    let f = follower(&app);
    f.notify_all().await.unwrap();
    assert_eq!(kinds(&app, Who::Contributor).await, vec!["ask"], "the case's author is asked");
    assert!(kinds(&app, Who::Reader).await.is_empty(), "not one's own question");

    // The author answers, mentioning the delegate by handle.
    let delegate = app.store.ensure_handle(&app.id_of(Who::Delegate), "delegate").await.unwrap();
    let first = created["post"]["id"].as_str().unwrap();
    let answer = json!({"body": format!("Three. cc @{delegate}"), "language": "en", "reply_to": first});
    ok(
        &app,
        Method::POST,
        &format!("/api/v1/threads/{thread}/posts"),
        Who::Contributor,
        Some(answer),
        StatusCode::CREATED,
    )
    .await;
    f.notify_all().await.unwrap();
    assert_eq!(kinds(&app, Who::Reader).await, vec!["answer"], "one notification per change: the most specific");
    assert!(kinds(&app, Who::Delegate).await.contains(&"mention".to_owned()));

    // Exactly once: again, from an old cursor, and by a restarted follower.
    let count = app.store.notification_count().await.unwrap();
    f.notify_all().await.unwrap();
    app.store.set_cursor(lumbung_store::NOTIFY_CURSOR, 0).await.unwrap();
    follower(&app).notify_all().await.unwrap();
    assert_eq!(app.store.notification_count().await.unwrap(), count);

    // The header shows the unread count, the inbox lists them; mark read.
    let mut b = Browser::signed_in(&app, Who::Reader).await;
    let page = b.get("/").await.text();
    assert!(page.contains("1 unread"), "the header counts unread notifications");
    let inbox = b.get("/inbox").await.text();
    assert!(inbox.contains("answered your question") && inbox.contains(&format!("/threads/{thread}")));
    let id = ok(&app, Method::GET, "/api/v1/notifications", Who::Reader, None, StatusCode::OK).await["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(&app, Method::POST, &format!("/api/v1/notifications/{id}/read"), Who::Delegate, None, StatusCode::NOT_FOUND)
        .await;
    ok(&app, Method::POST, &format!("/api/v1/notifications/{id}/read"), Who::Reader, None, StatusCode::NO_CONTENT)
        .await;
    let inbox = ok(&app, Method::GET, "/api/v1/notifications", Who::Reader, None, StatusCode::OK).await;
    assert_eq!((inbox["unread"].as_i64(), inbox["items"][0]["read"].as_bool()), (Some(0), Some(true)));
    assert!(!b.get("/").await.text().contains("unread"));
    let mut d = Browser::signed_in(&app, Who::Delegate).await;
    assert!(d.get("/inbox").await.text().contains("mentioned you"));
    let res = d.post("/inbox/read", &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store.unread_count(&app.id_of(Who::Delegate)).await.unwrap(), 0);
}

#[tokio::test]
async fn following_watching_muting_and_private_rooms() {
    let app = TestApp::with_settings(roomy()).await;
    for (slug, kind) in [("open", "members"), ("group", "private")] {
        let body = json!({"slug": slug, "kind": kind, "title": slug});
        ok(&app, Method::POST, "/api/v1/rooms", Who::Curator, Some(body), StatusCode::CREATED).await;
    }
    // Targets are checked: they must exist and be visible.
    for (target, level) in [
        ("room:group", "watching"),
        ("room:nope", "watching"),
        ("sector:nope", "normal"),
        ("x", "normal"),
        ("room:open", "loud"),
    ] {
        let body = json!({"target": target, "level": level});
        ok(&app, Method::POST, "/api/v1/subscriptions", Who::Reader, Some(body), StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    }
    ok(
        &app,
        Method::POST,
        "/api/v1/subscriptions",
        Who::Reader,
        Some(json!({"target": "room:open", "level": "watching"})),
        StatusCode::OK,
    )
    .await;
    ok(
        &app,
        Method::POST,
        "/api/v1/subscriptions",
        Who::Delegate,
        Some(json!({"target": "room:open", "level": "muted"})),
        StatusCode::OK,
    )
    .await;
    ok(
        &app,
        Method::POST,
        "/api/v1/subscriptions",
        Who::Admin,
        Some(json!({"target": "sector:digital_government", "level": "normal"})),
        StatusCode::OK,
    )
    .await;
    let subs = ok(&app, Method::GET, "/api/v1/subscriptions", Who::Reader, None, StatusCode::OK).await;
    assert_eq!(subs, json!([{"target": "room:open", "level": "watching"}]));

    let body = json!({"room": "open", "title": "Hello", "body": "First", "language": "en"});
    ok(&app, Method::POST, "/api/v1/threads", Who::Contributor, Some(body), StatusCode::CREATED).await;
    // The private group: a mention of a non-member notifies nobody.
    let reader = app.store.ensure_handle(&app.id_of(Who::Reader), "reader").await.unwrap();
    let body = json!({"room": "group", "title": "Inside", "body": format!("@{reader} look"), "language": "en"});
    ok(&app, Method::POST, "/api/v1/threads", Who::Curator, Some(body), StatusCode::CREATED).await;
    // A case published in a followed sector.
    app.case_in(Status::Published).await;
    follower(&app).notify_all().await.unwrap();
    assert_eq!(kinds(&app, Who::Reader).await, vec!["thread"]);
    assert!(kinds(&app, Who::Delegate).await.is_empty(), "muted");
    assert_eq!(kinds(&app, Who::Admin).await, vec!["case_published"]);

    // Following from the page, without JavaScript; stopping.
    let mut b = Browser::signed_in(&app, Who::Delegate).await;
    b.get("/rooms/open").await;
    let res = b.post("/follow", &[("target", "room:open"), ("level", "none"), ("next", "/rooms/open")]).await;
    assert_eq!((res.status, res.header("location")), (StatusCode::SEE_OTHER, Some("/rooms/open")));
    assert!(kinds(&app, Who::Delegate).await.is_empty());
    ok(&app, Method::DELETE, "/api/v1/subscriptions/room:open", Who::Delegate, None, StatusCode::NOT_FOUND).await;
    ok(&app, Method::DELETE, "/api/v1/subscriptions/room:open", Who::Reader, None, StatusCode::NO_CONTENT).await;
}

#[tokio::test]
async fn moderation_decisions_reach_the_author_and_the_private_feed_is_revocable() {
    let app = TestApp::with_settings(roomy()).await;
    let case = app.case_in(Status::Published).await;
    let body = json!({"case": case, "body": "<b>spam</b>", "language": "en"});
    let created = ok(&app, Method::POST, "/api/v1/threads", Who::Reader, Some(body), StatusCode::CREATED).await;
    let post = created["post"]["id"].as_str().unwrap();
    let hide = json!({"decision": "hide", "reason": "Advertising"});
    ok(&app, Method::POST, &format!("/api/v1/posts/{post}/moderation"), Who::Curator, Some(hide), StatusCode::OK).await;
    follower(&app).notify_all().await.unwrap();
    assert_eq!(kinds(&app, Who::Reader).await, vec!["moderation"]);

    let feed = ok(&app, Method::POST, "/api/v1/notifications/feed", Who::Reader, None, StatusCode::CREATED).await;
    let url = feed["url"].as_str().unwrap();
    let path = &url[url.find("/feeds/").unwrap()..];
    let mut anon = Browser::new(&app);
    let res = anon.get(path).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.header("content-type").unwrap().starts_with("application/atom+xml"));
    let xml = res.text();
    assert!(xml.contains("<entry>") && xml.contains("A moderator decided"));
    assert!(!xml.contains("<b>spam"), "feed text is escaped");
    // A new secret replaces the old; revoking ends it.
    let again = ok(&app, Method::POST, "/api/v1/notifications/feed", Who::Reader, None, StatusCode::CREATED).await;
    assert_eq!(anon.get(path).await.status, StatusCode::NOT_FOUND);
    let url = again["url"].as_str().unwrap();
    let path = url[url.find("/feeds/").unwrap()..].to_owned();
    assert_eq!(anon.get(&path).await.status, StatusCode::OK);
    ok(&app, Method::DELETE, "/api/v1/notifications/feed", Who::Reader, None, StatusCode::NO_CONTENT).await;
    assert_eq!(anon.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(anon.get("/feeds/inbox/nonsense.atom").await.status, StatusCode::NOT_FOUND);
}

/// A post in a room watched by 10,000 accounts fills their inboxes, once.
#[tokio::test]
async fn ten_thousand_watchers() {
    let app = TestApp::with_settings(roomy()).await;
    let body = json!({"slug": "reform", "kind": "public", "title": "Reform"});
    ok(&app, Method::POST, "/api/v1/rooms", Who::Curator, Some(body), StatusCode::CREATED).await;
    let contributor = app.id_of(Who::Contributor);
    app.store
        .set_membership("reform", &contributor, Some(lumbung_core::dialogue::Membership::Member), None)
        .await
        .unwrap();
    // Sixteen writers at once: account creation dominates this test on PostgreSQL.
    let mut writers = Vec::new();
    for w in 0..16 {
        let store = app.store.clone();
        writers.push(tokio::spawn(async move {
            for n in (w..10_000).step_by(16) {
                let account = store
                    .create_account(
                        NewAccount {
                            email: format!("watcher-{n}@example.org"),
                            name: format!("Watcher {n}"),
                            role: Role::Reader,
                            organisation: None,
                            delegation: None,
                            password_hash: None,
                        },
                        None,
                    )
                    .await
                    .unwrap();
                store.subscribe(&account.id, "room:reform", "watching").await.unwrap();
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }
    let f = follower(&app);
    f.notify_all().await.unwrap();
    let before = app.store.notification_count().await.unwrap();
    let body = json!({"room": "reform", "title": "Budgets", "body": "How do you plan?", "language": "en"});
    ok(&app, Method::POST, "/api/v1/threads", Who::Contributor, Some(body), StatusCode::CREATED).await;
    assert_eq!(app.store.notification_count().await.unwrap(), before, "the post did not wait for its fan-out");
    let started = std::time::Instant::now();
    f.notify_all().await.unwrap();
    eprintln!("10,000 inbox entries in {:?}", started.elapsed());
    assert_eq!(app.store.notification_count().await.unwrap(), before + 10_000);
    follower(&app).notify_all().await.unwrap();
    app.store.set_cursor(lumbung_store::NOTIFY_CURSOR, 0).await.unwrap();
    f.notify_all().await.unwrap();
    assert_eq!(app.store.notification_count().await.unwrap(), before + 10_000, "exactly once");
}
