//! Moderation with due process through the real router: flags that hide a
//! post pending review, moderators' decisions with reasons the author sees,
//! locked threads and suspended accounts refused with nothing written, the
//! audit log, one appeal per decision, and who may do each.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Browser, TestApp, Who};
use lumbung_core::Status;
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

async fn ok(app: &TestApp, method: Method, path: &str, who: Who, body: Option<Value>, expect: StatusCode) -> Value {
    let (status, _, json) = app.request_as(method.clone(), path, who, body).await;
    assert_eq!(status, expect, "{method} {path} as {who:?}: {json}");
    json
}

/// A published case's discussion with a post by the contributor: (thread, post).
async fn discussion(app: &TestApp) -> (String, String) {
    let case = app.case_in(Status::Published).await;
    let body = json!({"case": case, "body": "Buy cheap watches", "language": "en"});
    let created = ok(app, Method::POST, "/api/v1/threads", Who::Contributor, Some(body), StatusCode::CREATED).await;
    (created["thread"]["id"].as_str().unwrap().to_owned(), created["post"]["id"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn three_flags_hide_a_post_pending_review_and_a_moderator_decides() {
    let app = TestApp::with_settings(roomy()).await;
    let (thread, post) = discussion(&app).await;
    let flags = format!("/api/v1/posts/{post}/flags");
    ok(&app, Method::POST, &flags, Who::Anonymous, Some(json!({"reason": "spam"})), StatusCode::UNAUTHORIZED).await;
    ok(&app, Method::POST, &flags, Who::Reader, Some(json!({"reason": "rude"})), StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    ok(&app, Method::POST, &flags, Who::Reader, Some(json!({"reason": "other"})), StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    let f = ok(&app, Method::POST, &flags, Who::Reader, Some(json!({"reason": "spam"})), StatusCode::CREATED).await;
    assert_eq!((f["flags"].as_i64(), f["hidden"].as_bool()), (Some(1), Some(false)));
    ok(&app, Method::POST, &flags, Who::Reader, Some(json!({"reason": "spam"})), StatusCode::CONFLICT).await;
    ok(&app, Method::POST, &flags, Who::Delegate, Some(json!({"reason": "off_topic"})), StatusCode::CREATED).await;
    let f = ok(
        &app,
        Method::POST,
        &flags,
        Who::OtherContributor,
        Some(json!({"reason": "other", "note": "an advert"})),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!((f["flags"].as_i64(), f["hidden"].as_bool()), (Some(3), Some(true)));

    // The placeholder: no text, the reason, automatic.
    let t = ok(&app, Method::GET, &format!("/api/v1/threads/{thread}"), Who::Anonymous, None, StatusCode::OK).await;
    let p = &t["posts"][0];
    assert!(p["body"].is_null());
    assert_eq!(p["hidden"]["automatic"], true);
    let mut b = Browser::new(&app);
    let page = b.get(&format!("/threads/{thread}")).await.text();
    assert!(page.contains("hidden pending review") && !page.contains("Buy cheap watches"));

    // The queue: curators and administrators (moderators of case discussions), not others.
    ok(&app, Method::GET, "/api/v1/moderation/queue", Who::Contributor, None, StatusCode::FORBIDDEN).await;
    let q = ok(&app, Method::GET, "/api/v1/moderation/queue", Who::Curator, None, StatusCode::OK).await;
    assert_eq!(q.as_array().unwrap().len(), 1);
    assert_eq!(q[0]["flags"].as_array().unwrap().len(), 3);

    // A moderator's decision needs a reason; the author sees it.
    let decide = format!("/api/v1/posts/{post}/moderation");
    ok(
        &app,
        Method::POST,
        &decide,
        Who::Reader,
        Some(json!({"decision": "hide", "reason": "x"})),
        StatusCode::FORBIDDEN,
    )
    .await;
    ok(
        &app,
        Method::POST,
        &decide,
        Who::Curator,
        Some(json!({"decision": "hide", "reason": " "})),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    ok(
        &app,
        Method::POST,
        &decide,
        Who::Curator,
        Some(json!({"decision": "bury", "reason": "x"})),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let d = ok(
        &app,
        Method::POST,
        &decide,
        Who::Curator,
        Some(json!({"decision": "hide", "reason": "Advertising is not allowed here"})),
        StatusCode::OK,
    )
    .await;
    assert_eq!((d["action"].as_str(), d["automatic"].as_bool()), (Some("hide"), Some(false)));
    let q = ok(&app, Method::GET, "/api/v1/moderation/queue", Who::Curator, None, StatusCode::OK).await;
    assert!(q.as_array().unwrap().is_empty(), "reviewed: {q}");
    let mut author = Browser::signed_in(&app, Who::Contributor).await;
    let page = author.get(&format!("/threads/{thread}")).await.text();
    assert!(page.contains("A moderator hid this post: Advertising is not allowed here"));
    let page = author.get("/moderation").await.text();
    assert!(page.contains("Advertising is not allowed here"));

    // The audit log (curators, administrators): automatic then the moderator's.
    ok(&app, Method::GET, "/api/v1/moderation/log", Who::Contributor, None, StatusCode::FORBIDDEN).await;
    let log = ok(&app, Method::GET, "/api/v1/moderation/log", Who::Admin, None, StatusCode::OK).await;
    let entries: Vec<(bool, &str)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["automatic"].as_bool().unwrap(), e["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(entries.len(), 2);
    assert!(entries.contains(&(false, "Advertising is not allowed here")));
    assert!(entries.iter().any(|(auto, _)| *auto));

    // One appeal per decision, by the account it is about.
    let appeal = format!("/api/v1/moderation/{}/appeal", d["id"].as_str().unwrap());
    ok(&app, Method::POST, &appeal, Who::Reader, Some(json!({"body": "not mine"})), StatusCode::NOT_FOUND).await;
    ok(&app, Method::POST, &appeal, Who::Contributor, Some(json!({"body": ""})), StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    ok(&app, Method::POST, &appeal, Who::Contributor, Some(json!({"body": "It was a joke"})), StatusCode::NO_CONTENT)
        .await;
    ok(&app, Method::POST, &appeal, Who::Contributor, Some(json!({"body": "Again"})), StatusCode::CONFLICT).await;
    let mine = ok(&app, Method::GET, "/api/v1/moderation/mine", Who::Contributor, None, StatusCode::OK).await;
    assert!(mine.as_array().unwrap().iter().any(|d| d["appeal"] == "open"));

    // Restored: the text is back.
    ok(
        &app,
        Method::POST,
        &decide,
        Who::Admin,
        Some(json!({"decision": "restore", "reason": "Appeal accepted"})),
        StatusCode::OK,
    )
    .await;
    let t = ok(&app, Method::GET, &format!("/api/v1/threads/{thread}"), Who::Anonymous, None, StatusCode::OK).await;
    assert_eq!(t["posts"][0]["body"], "Buy cheap watches");
}

#[tokio::test]
async fn locked_threads_and_suspended_accounts_write_nothing() {
    let app = TestApp::with_settings(roomy()).await;
    let (thread, post) = discussion(&app).await;
    let lock = format!("/api/v1/threads/{thread}/moderation");
    ok(
        &app,
        Method::POST,
        &lock,
        Who::Contributor,
        Some(json!({"decision": "lock", "reason": "x"})),
        StatusCode::FORBIDDEN,
    )
    .await;
    ok(&app, Method::POST, &lock, Who::Curator, Some(json!({"decision": "lock", "reason": "Settled"})), StatusCode::OK)
        .await;
    let before = app.store.post_count().await.unwrap();
    let posts = format!("/api/v1/threads/{thread}/posts");
    ok(&app, Method::POST, &posts, Who::Reader, Some(json!({"body": "late", "language": "en"})), StatusCode::CONFLICT)
        .await;
    ok(&app, Method::POST, &posts, Who::Curator, Some(json!({"body": "late", "language": "en"})), StatusCode::CONFLICT)
        .await;
    let case = app.store.thread(&thread).await.unwrap().unwrap().case_id.unwrap();
    let again = json!({"case": case, "body": "late", "language": "en"});
    ok(&app, Method::POST, "/api/v1/threads", Who::Reader, Some(again), StatusCode::CONFLICT).await;
    let mut b = Browser::signed_in(&app, Who::Reader).await;
    let page = b.get(&format!("/threads/{thread}")).await.text();
    assert!(page.contains("This thread is locked") && !page.contains("action=\"/threads/"));
    let res = b.post(&format!("/threads/{thread}/posts"), &[("body", "late"), ("language", "en")]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    // The author may not edit in a locked thread either.
    let edit = json!({"body": "changed", "version": 1});
    ok(&app, Method::PUT, &format!("/api/v1/posts/{post}"), Who::Contributor, Some(edit), StatusCode::CONFLICT).await;
    assert_eq!(app.store.post_count().await.unwrap(), before);
    ok(
        &app,
        Method::POST,
        &lock,
        Who::Curator,
        Some(json!({"decision": "unlock", "reason": "Reopened"})),
        StatusCode::OK,
    )
    .await;
    ok(&app, Method::POST, &posts, Who::Reader, Some(json!({"body": "now", "language": "en"})), StatusCode::CREATED)
        .await;

    // Suspension: curators and administrators, in the future, with a reason.
    let reader = app.id_of(Who::Reader);
    let path = format!("/api/v1/accounts/{reader}/suspension");
    let body = json!({"until": "2999-01-01T00:00:00Z", "reason": "Flooding"});
    ok(&app, Method::POST, &path, Who::Contributor, Some(body.clone()), StatusCode::FORBIDDEN).await;
    let past = json!({"until": "2000-01-01T00:00:00Z", "reason": "Flooding"});
    ok(&app, Method::POST, &path, Who::Curator, Some(past), StatusCode::UNPROCESSABLE_ENTITY).await;
    let bad = json!({"until": "tomorrow", "reason": "Flooding"});
    ok(&app, Method::POST, &path, Who::Curator, Some(bad), StatusCode::UNPROCESSABLE_ENTITY).await;
    ok(
        &app,
        Method::POST,
        "/api/v1/accounts/01NOPE/suspension",
        Who::Curator,
        Some(body.clone()),
        StatusCode::NOT_FOUND,
    )
    .await;
    ok(&app, Method::POST, &path, Who::Curator, Some(body), StatusCode::OK).await;
    let before = app.store.post_count().await.unwrap();
    let (status, _, problem) =
        app.request_as(Method::POST, &posts, Who::Reader, Some(json!({"body": "again", "language": "en"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(problem["detail"].as_str().unwrap().contains("2999"));
    assert_eq!(app.store.post_count().await.unwrap(), before);
}

#[tokio::test]
async fn room_moderators_moderate_their_room_only() {
    let app = TestApp::with_settings(roomy()).await;
    for (slug, kind) in [("open", "members"), ("group", "private")] {
        ok(
            &app,
            Method::POST,
            "/api/v1/rooms",
            Who::Admin,
            Some(json!({"slug": slug, "kind": kind, "title": slug})),
            StatusCode::CREATED,
        )
        .await;
    }
    // The contributor moderates the members' room; the private group has only the admin.
    let contributor = app.id_of(Who::Contributor);
    app.store
        .set_membership("open", &contributor, Some(lumbung_core::dialogue::Membership::Moderator), None)
        .await
        .unwrap();
    let body = json!({"room": "open", "title": "T", "body": "text", "language": "en"});
    let t = ok(&app, Method::POST, "/api/v1/threads", Who::Reader, Some(body), StatusCode::CREATED).await;
    let post = t["post"]["id"].as_str().unwrap().to_owned();
    let hide = json!({"decision": "hide", "reason": "Off topic"});
    ok(
        &app,
        Method::POST,
        &format!("/api/v1/posts/{post}/moderation"),
        Who::Contributor,
        Some(hide.clone()),
        StatusCode::OK,
    )
    .await;
    ok(&app, Method::GET, "/api/v1/moderation/queue", Who::Contributor, None, StatusCode::OK).await;
    // A case's discussion is not theirs to moderate.
    let (_, case_post) = discussion(&app).await;
    ok(
        &app,
        Method::POST,
        &format!("/api/v1/posts/{case_post}/moderation"),
        Who::Contributor,
        Some(hide.clone()),
        StatusCode::FORBIDDEN,
    )
    .await;
    // The private group: curators are not its moderators; it does not exist for them.
    let body = json!({"room": "group", "title": "T", "body": "inside", "language": "en"});
    let t = ok(&app, Method::POST, "/api/v1/threads", Who::Admin, Some(body), StatusCode::CREATED).await;
    let inside = t["post"]["id"].as_str().unwrap().to_owned();
    ok(
        &app,
        Method::POST,
        &format!("/api/v1/posts/{inside}/moderation"),
        Who::Curator,
        Some(hide.clone()),
        StatusCode::NOT_FOUND,
    )
    .await;
    ok(
        &app,
        Method::POST,
        &format!("/api/v1/posts/{inside}/flags"),
        Who::Curator,
        Some(json!({"reason": "spam"})),
        StatusCode::NOT_FOUND,
    )
    .await;
    ok(&app, Method::POST, &format!("/api/v1/posts/{inside}/moderation"), Who::Admin, Some(hide), StatusCode::OK).await;
    // Pages: the moderation page for a room moderator shows the queue section.
    let mut b = Browser::signed_in(&app, Who::Contributor).await;
    let page = b.get("/moderation").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Waiting for review") && !page.text().contains("Audit log"));
    let mut b = Browser::new(&app);
    assert_eq!(b.get("/moderation").await.status, StatusCode::SEE_OTHER);
}

/// A hidden post's appeal upheld: the post stays hidden and the author reads why.
/// A locked thread's appeal overturned: the thread opens. A suspension's appeal
/// overturned: the account posts again. Only the moderators of the place decide,
/// never the author nor the moderator who made the decision; bad decisions
/// write nothing; each appeal is decided once.
#[tokio::test]
async fn appeals_are_decided_by_moderators_and_the_author_is_told() {
    let app = TestApp::with_settings(roomy()).await;
    let (thread, post) = discussion(&app).await;
    let hide = ok(
        &app,
        Method::POST,
        &format!("/api/v1/posts/{post}/moderation"),
        Who::Curator,
        Some(json!({"decision": "hide", "reason": "Advertising is not allowed here"})),
        StatusCode::OK,
    )
    .await;
    let hide_id = hide["id"].as_str().unwrap().to_owned();
    let decide = format!("/api/v1/moderation/{hide_id}/appeal/decision");
    // No appeal yet: nothing to decide.
    let uphold = json!({"decision": "uphold", "reason": "It is an advert"});
    ok(&app, Method::POST, &decide, Who::Admin, Some(uphold.clone()), StatusCode::NOT_FOUND).await;
    let appeal = format!("/api/v1/moderation/{hide_id}/appeal");
    ok(&app, Method::POST, &appeal, Who::Contributor, Some(json!({"body": "It was satire"})), StatusCode::NO_CONTENT)
        .await;

    // Who sees the open appeals: moderators only.
    ok(&app, Method::GET, "/api/v1/moderation/appeals", Who::Anonymous, None, StatusCode::UNAUTHORIZED).await;
    ok(&app, Method::GET, "/api/v1/moderation/appeals", Who::Contributor, None, StatusCode::FORBIDDEN).await;
    let open = ok(&app, Method::GET, "/api/v1/moderation/appeals", Who::Admin, None, StatusCode::OK).await;
    assert_eq!(open.as_array().unwrap().len(), 1, "{open}");
    assert_eq!((open[0]["appeal"].as_str(), open[0]["appeal_body"].as_str()), (Some("open"), Some("It was satire")));

    // Who decides, and bad decisions: nothing changes.
    ok(&app, Method::POST, &decide, Who::Anonymous, Some(uphold.clone()), StatusCode::UNAUTHORIZED).await;
    ok(&app, Method::POST, &decide, Who::Contributor, Some(uphold.clone()), StatusCode::FORBIDDEN).await;
    ok(&app, Method::POST, &decide, Who::Reader, Some(uphold.clone()), StatusCode::FORBIDDEN).await;
    for bad in [
        json!({"decision": "maybe", "reason": "x"}),
        json!({"decision": "uphold", "reason": "  "}),
        json!({"decision": "uphold", "reason": "two\nlines"}),
        json!({"decision": "uphold"}),
    ] {
        ok(&app, Method::POST, &decide, Who::Admin, Some(bad), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    ok(
        &app,
        Method::POST,
        "/api/v1/moderation/01NOPE/appeal/decision",
        Who::Admin,
        Some(uphold.clone()),
        StatusCode::NOT_FOUND,
    )
    .await;
    // Nor the curator who hid the post.
    ok(&app, Method::POST, &decide, Who::Curator, Some(uphold.clone()), StatusCode::FORBIDDEN).await;
    let still = ok(&app, Method::GET, "/api/v1/moderation/appeals", Who::Admin, None, StatusCode::OK).await;
    assert_eq!(still[0]["appeal"], "open", "refused decisions wrote nothing");

    // Upheld: the post stays hidden; decided once.
    let d = ok(&app, Method::POST, &decide, Who::Admin, Some(uphold.clone()), StatusCode::OK).await;
    assert_eq!((d["appeal"].as_str(), d["appeal_note"].as_str()), (Some("upheld"), Some("It is an advert")));
    ok(&app, Method::POST, &decide, Who::Admin, Some(uphold), StatusCode::CONFLICT).await;
    let t = ok(&app, Method::GET, &format!("/api/v1/threads/{thread}"), Who::Anonymous, None, StatusCode::OK).await;
    assert_ne!(t["posts"][0]["body"], "Buy cheap watches", "still hidden");
    let empty = ok(&app, Method::GET, "/api/v1/moderation/appeals", Who::Admin, None, StatusCode::OK).await;
    assert!(empty.as_array().unwrap().is_empty());

    // The author is told: an inbox entry, and the reason on /moderation.
    lumbung_app::App::new(app.store.clone(), lumbung_app::AppSettings::default()).notify_all().await.unwrap();
    let inbox = ok(&app, Method::GET, "/api/v1/notifications", Who::Contributor, None, StatusCode::OK).await;
    assert!(inbox["items"].as_array().unwrap().iter().any(|n| n["kind"] == "appeal"), "{inbox}");
    let mut b = Browser::signed_in(&app, Who::Contributor).await;
    let page = b.get("/moderation").await.text();
    assert!(page.contains("the decision stands") && page.contains("It is an advert"), "{page}");
    let mut b = Browser::signed_in(&app, Who::Contributor).await;
    assert!(b.get("/inbox").await.text().contains("Your appeal was decided"));

    // A lock overturned on appeal: the thread (the contributor's, in a members' room) opens again.
    let room = json!({"slug": "open", "kind": "members", "title": "Open"});
    ok(&app, Method::POST, "/api/v1/rooms", Who::Admin, Some(room), StatusCode::CREATED).await;
    let body = json!({"room": "open", "title": "Budgets", "body": "How do you plan?", "language": "en"});
    let started = ok(&app, Method::POST, "/api/v1/threads", Who::Contributor, Some(body), StatusCode::CREATED).await;
    let thread = started["thread"]["id"].as_str().unwrap().to_owned();
    let lock = ok(
        &app,
        Method::POST,
        &format!("/api/v1/threads/{thread}/moderation"),
        Who::Curator,
        Some(json!({"decision": "lock", "reason": "Settled"})),
        StatusCode::OK,
    )
    .await;
    let lock_id = lock["id"].as_str().unwrap().to_owned();
    ok(
        &app,
        Method::POST,
        &format!("/api/v1/moderation/{lock_id}/appeal"),
        Who::Contributor,
        Some(json!({"body": "There is more to say"})),
        StatusCode::NO_CONTENT,
    )
    .await;
    let reply = json!({"body": "More to say", "language": "en"});
    let posts = format!("/api/v1/threads/{thread}/posts");
    ok(&app, Method::POST, &posts, Who::Reader, Some(reply.clone()), StatusCode::CONFLICT).await;
    // Through the page, as a moderator would.
    let mut admin = Browser::signed_in(&app, Who::Admin).await;
    let page = admin.get("/moderation").await.text();
    assert!(page.contains("Appeals waiting for a decision") && page.contains("There is more to say"), "{page}");
    let res = admin
        .post(&format!("/moderation/{lock_id}/appeal/decide"), &[("decision", "overturn"), ("reason", "Reopened")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    ok(&app, Method::POST, &posts, Who::Reader, Some(reply.clone()), StatusCode::CREATED).await;

    // A suspension overturned on appeal: the account posts again.
    let susp = ok(
        &app,
        Method::POST,
        &format!("/api/v1/accounts/{}/suspension", app.id_of(Who::Reader)),
        Who::Curator,
        Some(json!({"until": "2999-01-01T00:00:00Z", "reason": "Flooding"})),
        StatusCode::OK,
    )
    .await;
    let susp_id = susp["id"].as_str().unwrap().to_owned();
    ok(&app, Method::POST, &posts, Who::Reader, Some(reply.clone()), StatusCode::FORBIDDEN).await;
    ok(
        &app,
        Method::POST,
        &format!("/api/v1/moderation/{susp_id}/appeal"),
        Who::Reader,
        Some(json!({"body": "I posted twice by mistake"})),
        StatusCode::NO_CONTENT,
    )
    .await;
    let overturn = json!({"decision": "overturn", "reason": "A mistake, not flooding"});
    let decide = format!("/api/v1/moderation/{susp_id}/appeal/decision");
    ok(&app, Method::POST, &decide, Who::Reader, Some(overturn.clone()), StatusCode::FORBIDDEN).await;
    // Not the curator who suspended: another moderator judges the appeal.
    ok(&app, Method::POST, &decide, Who::Curator, Some(overturn.clone()), StatusCode::FORBIDDEN).await;
    let open = ok(&app, Method::GET, "/api/v1/moderation/appeals", Who::Curator, None, StatusCode::OK).await;
    assert!(open.as_array().unwrap().is_empty(), "the curator is not offered their own decision: {open}");
    ok(&app, Method::POST, &decide, Who::Admin, Some(overturn), StatusCode::OK).await;
    ok(&app, Method::POST, &posts, Who::Reader, Some(reply), StatusCode::CREATED).await;
}

/// An appeal in a private room is decided by its moderators (not the one who
/// decided); to a curator who is not a member it does not exist.
#[tokio::test]
async fn a_private_rooms_appeals_stay_in_the_room() {
    let app = TestApp::with_settings(roomy()).await;
    let body = json!({"slug": "group", "kind": "private", "title": "Group"});
    ok(&app, Method::POST, "/api/v1/rooms", Who::Admin, Some(body), StatusCode::CREATED).await;
    let contributor = app.id_of(Who::Contributor);
    app.store
        .set_membership("group", &contributor, Some(lumbung_core::dialogue::Membership::Member), None)
        .await
        .unwrap();
    let body = json!({"room": "group", "title": "T", "body": "inside", "language": "en"});
    let t = ok(&app, Method::POST, "/api/v1/threads", Who::Contributor, Some(body), StatusCode::CREATED).await;
    let post = t["post"]["id"].as_str().unwrap().to_owned();
    let hide = json!({"decision": "hide", "reason": "Off topic"});
    let d = ok(&app, Method::POST, &format!("/api/v1/posts/{post}/moderation"), Who::Admin, Some(hide), StatusCode::OK)
        .await;
    let id = d["id"].as_str().unwrap().to_owned();
    ok(
        &app,
        Method::POST,
        &format!("/api/v1/moderation/{id}/appeal"),
        Who::Contributor,
        Some(json!({"body": "It was on topic"})),
        StatusCode::NO_CONTENT,
    )
    .await;
    let curator = ok(&app, Method::GET, "/api/v1/moderation/appeals", Who::Curator, None, StatusCode::OK).await;
    assert!(curator.as_array().unwrap().is_empty(), "{curator}");
    let decide = format!("/api/v1/moderation/{id}/appeal/decision");
    let overturn = json!({"decision": "overturn", "reason": "On topic after all"});
    ok(&app, Method::POST, &decide, Who::Curator, Some(overturn.clone()), StatusCode::NOT_FOUND).await;
    // The admin hid it, so the room's other moderator decides.
    ok(&app, Method::POST, &decide, Who::Admin, Some(overturn.clone()), StatusCode::FORBIDDEN).await;
    let reader = app.id_of(Who::Reader);
    app.store
        .set_membership("group", &reader, Some(lumbung_core::dialogue::Membership::Moderator), None)
        .await
        .unwrap();
    ok(&app, Method::POST, &decide, Who::Reader, Some(overturn), StatusCode::OK).await;
    let t = ok(
        &app,
        Method::GET,
        &format!("/api/v1/threads/{}", t["thread"]["id"].as_str().unwrap()),
        Who::Contributor,
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t["posts"][0]["body"], "inside", "the post is back");
}

/// Curators and administrators open a room from `/rooms`; a refused form keeps
/// what was typed; others get no form and a POST is refused.
#[tokio::test]
async fn a_room_is_opened_from_its_page() {
    let app = TestApp::with_settings(roomy()).await;
    let mut reader = Browser::signed_in(&app, Who::Reader).await;
    assert!(!reader.get("/rooms").await.text().contains("action=\"/rooms\""), "no form for a reader");
    let res = reader.post("/rooms", &[("slug", "x-room"), ("kind", "public"), ("title", "X")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(app.store.room("x-room").await.unwrap().is_none());

    let mut curator = Browser::signed_in(&app, Who::Curator).await;
    let page = curator.get("/rooms").await.text();
    assert!(page.contains("Open a room") && page.contains("action=\"/rooms\""), "{page}");
    // Refused: a bad address and no kind; the title typed is kept.
    let res =
        curator.post("/rooms", &[("slug", "Bad Slug!"), ("kind", "secret"), ("title", "Layanan <b>digital</b>")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text();
    assert!(
        text.contains("value=\"Layanan &lt;b&gt;digital&lt;/b&gt;\"")
            || text.contains("value=\"Layanan &#60;b&#62;digital&#60;/b&#62;\""),
        "{text}"
    );
    assert!(text.contains("role=\"alert\""), "{text}");
    assert!(app.store.room("bad-slug").await.unwrap().is_none());
    // Opened: the curator lands in the room and moderates it.
    let res = curator
        .post(
            "/rooms",
            &[
                ("slug", "layanan-digital"),
                ("kind", "private"),
                ("title", "Layanan digital"),
                ("description", "Kelompok kerja"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    assert_eq!(res.header("location"), Some("/rooms/layanan-digital"));
    let room = curator.get("/rooms/layanan-digital").await;
    assert_eq!(room.status, StatusCode::OK);
    assert!(room.text().contains("You moderate this room"));
    // The same address again: 409, and the first room is unchanged.
    let res = curator.post("/rooms", &[("slug", "layanan-digital"), ("kind", "public"), ("title", "Other")]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let stored = app.store.room("layanan-digital").await.unwrap().unwrap();
    assert_eq!((stored.title.as_str(), stored.kind), ("Layanan digital", lumbung_core::dialogue::RoomKind::Private));
    // A private room: the reader does not know it exists.
    assert_eq!(reader.get("/rooms/layanan-digital").await.status, StatusCode::NOT_FOUND);
}

/// An account chooses the language the node writes to it in; the account page
/// shows the node's first language until it does; anything else is refused.
#[tokio::test]
async fn an_account_chooses_its_language() {
    let app = TestApp::with_settings(roomy()).await;
    let mut b = Browser::signed_in(&app, Who::Delegate).await;
    let page = b.get("/account").await.text();
    assert!(page.contains("<option value=\"en\" selected>"), "the node's first language by default: {page}");
    let id = app.id_of(Who::Delegate);
    assert_eq!(app.store.account_language(&id).await.unwrap(), None);
    let res = b.post("/account/language", &[("language", "fr")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("id=\"account-language-error\""), "the refusal is said beside the field");
    assert_eq!(app.store.account_language(&id).await.unwrap(), None, "nothing written");
    let res = b.post("/account/language", &[("language", "id")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store.account_language(&id).await.unwrap().as_deref(), Some("id"));
    let page = b.get("/account?language=1").await.text();
    assert!(page.contains("<option value=\"id\" selected>"), "{page}");
    let mut anon = Browser::new(&app);
    assert_eq!(anon.get("/account").await.status, StatusCode::SEE_OTHER);
}
