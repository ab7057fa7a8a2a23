//! The dialogue through the real router: rooms of each kind against every
//! role and membership (API and pages), threads on cases and questions to a
//! case's team, replies, quotes, paging, edits with history, translations,
//! and hostile input refused with nothing written.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Browser, TestApp, Who};
use lumbung_core::Status;
use serde_json::{Value, json};

/// Limits high enough that the matrix never meets them.
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

async fn handle(app: &TestApp, who: Who) -> String {
    let account = app.store.get_account(&app.id_of(who)).await.unwrap().unwrap();
    app.store.ensure_handle(&account.id, &account.email.split('@').next().unwrap().replace('-', "_")).await.unwrap()
}

/// Three rooms opened by the curator (their moderator): the contributor is a
/// member of each, the other contributor is invited to each.
async fn rooms(app: &TestApp) -> [(&'static str, String); 3] {
    let other = handle(app, Who::OtherContributor).await;
    let member = handle(app, Who::Contributor).await;
    let mut out = Vec::new();
    for kind in ["public", "members", "private"] {
        let slug = format!("{kind}-room");
        let body =
            json!({"slug": slug, "kind": kind, "title": format!("The {kind} room"), "description": "About reform"});
        ok(app, Method::POST, "/api/v1/rooms", Who::Curator, Some(body), StatusCode::CREATED).await;
        let invite = format!("/api/v1/rooms/{slug}/invitations");
        ok(app, Method::POST, &invite, Who::Curator, Some(json!({"handle": member})), StatusCode::OK).await;
        ok(app, Method::POST, &format!("/api/v1/rooms/{slug}/join"), Who::Contributor, None, StatusCode::OK).await;
        ok(app, Method::POST, &invite, Who::Curator, Some(json!({"handle": format!("@{other}")})), StatusCode::OK)
            .await;
        out.push((kind, slug));
    }
    out.try_into().unwrap()
}

async fn start(app: &TestApp, slug: &str, who: Who) -> (String, String) {
    let body = json!({"room": slug, "title": "Digital services", "body": "How do you *measure* waiting times?", "language": "en"});
    let created = ok(app, Method::POST, "/api/v1/threads", who, Some(body), StatusCode::CREATED).await;
    (created["thread"]["id"].as_str().unwrap().to_owned(), created["post"]["id"].as_str().unwrap().to_owned())
}

fn post_body() -> Value {
    json!({"body": "We count them at the counter.", "language": "en"})
}

/// Every operation on rooms and their threads × every caller × every room
/// kind. Callers: anonymous, reader (no place), contributor (member), other
/// contributor (invited), delegate (no place), curator (moderator, the
/// rooms' opener), admin (no place).
#[tokio::test]
async fn permission_matrix_of_rooms() {
    let app = TestApp::with_settings(roomy()).await;
    let rooms = rooms(&app).await;
    use StatusCode as S;
    const OK: S = S::OK;
    const NF: S = S::NOT_FOUND;
    const CR: S = S::CREATED;
    const FB: S = S::FORBIDDEN;
    const UA: S = S::UNAUTHORIZED;
    const CF: S = S::CONFLICT;
    // Per kind: read room, read thread, list threads, reply, start a thread, join.
    let expect: [(&str, [[S; 7]; 6]); 3] = [
        (
            "public",
            [
                [OK, OK, OK, OK, OK, OK, OK],
                [OK, OK, OK, OK, OK, OK, OK],
                [OK, OK, OK, OK, OK, OK, OK],
                [UA, FB, CR, FB, FB, CR, FB],
                [UA, FB, CR, FB, FB, CR, FB],
                [UA, OK, OK, OK, OK, OK, OK],
            ],
        ),
        (
            "members",
            [
                [NF, OK, OK, OK, OK, OK, OK],
                [NF, OK, OK, OK, OK, OK, OK],
                [NF, OK, OK, OK, OK, OK, OK],
                [UA, CR, CR, CR, CR, CR, CR],
                [UA, CR, CR, CR, CR, CR, CR],
                [UA, CF, OK, OK, CF, OK, CF],
            ],
        ),
        (
            "private",
            [
                [NF, NF, OK, OK, NF, OK, NF],
                [NF, NF, OK, NF, NF, OK, NF],
                [NF, NF, OK, NF, NF, OK, NF],
                [UA, NF, CR, NF, NF, CR, NF],
                [UA, NF, CR, NF, NF, CR, NF],
                [UA, NF, OK, OK, NF, OK, NF],
            ],
        ),
    ];
    for ((kind, slug), (expected_kind, rows)) in rooms.iter().zip(expect.iter()) {
        assert_eq!(kind, expected_kind);
        let (thread, _) = start(&app, slug, Who::Contributor).await;
        // The pages answer as the API does (before anyone joins).
        for (i, who) in Who::ALL.iter().enumerate() {
            let mut b = if *who == Who::Anonymous { Browser::new(&app) } else { Browser::signed_in(&app, *who).await };
            assert_eq!(b.get(&format!("/rooms/{slug}")).await.status, rows[0][i], "{kind} room page as {who:?}");
            assert_eq!(b.get(&format!("/threads/{thread}")).await.status, rows[1][i], "{kind} thread page as {who:?}");
        }
        let ops: [(Method, String, Option<Value>); 6] = [
            (Method::GET, format!("/api/v1/rooms/{slug}"), None),
            (Method::GET, format!("/api/v1/threads/{thread}"), None),
            (Method::GET, format!("/api/v1/threads?room={slug}"), None),
            (Method::POST, format!("/api/v1/threads/{thread}/posts"), Some(post_body())),
            (
                Method::POST,
                "/api/v1/threads".to_owned(),
                Some(json!({"room": slug, "title": "T", "body": "B", "language": "id"})),
            ),
            (Method::POST, format!("/api/v1/rooms/{slug}/join"), None),
        ];
        for ((method, path, body), row) in ops.iter().zip(rows.iter()) {
            for (who, expected) in Who::ALL.iter().zip(row.iter()) {
                let before = app.store.post_count().await.unwrap();
                let (status, _, json) = app.request_as(method.clone(), path, *who, body.clone()).await;
                assert_eq!(status, *expected, "{kind} room: {method} {path} as {who:?}: {json}");
                let after = app.store.post_count().await.unwrap();
                let wrote = status == S::CREATED;
                assert_eq!(after - before, i64::from(wrote), "{kind}: {method} {path} as {who:?} wrote");
            }
        }
    }
    // A private room is not listed to those outside it.
    let (_, _, list) = app.request_as(Method::GET, "/api/v1/rooms", Who::Admin, None).await;
    let slugs: Vec<&str> = list.as_array().unwrap().iter().map(|r| r["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, vec!["members-room", "public-room"]);
    let mut b = Browser::new(&app);
    let page = b.get("/rooms").await.text();
    assert!(page.contains("/rooms/public-room") && !page.contains("private-room") && !page.contains("members-room"));
}

/// Membership: a public room's join request waits for a moderator; only moderators decide.
#[tokio::test]
async fn requests_to_join_are_decided_by_moderators() {
    let app = TestApp::with_settings(roomy()).await;
    ok(
        &app,
        Method::POST,
        "/api/v1/rooms",
        Who::Curator,
        Some(json!({"slug": "reform", "kind": "public", "title": "Reform"})),
        StatusCode::CREATED,
    )
    .await;
    let joined = ok(&app, Method::POST, "/api/v1/rooms/reform/join", Who::Reader, None, StatusCode::OK).await;
    assert_eq!(joined["membership"], "requested");
    assert!(!joined["can_post"].as_bool().unwrap());
    let reader = app.id_of(Who::Reader);
    let path = format!("/api/v1/rooms/reform/members/{reader}");
    for who in [Who::Reader, Who::Contributor, Who::Delegate] {
        ok(&app, Method::POST, &path, who, Some(json!({"decision": "approve"})), StatusCode::FORBIDDEN).await;
    }
    ok(&app, Method::POST, &path, Who::Admin, Some(json!({"decision": "approve"})), StatusCode::OK).await;
    let room = ok(&app, Method::GET, "/api/v1/rooms/reform", Who::Reader, None, StatusCode::OK).await;
    assert_eq!(room["membership"], "member");
    assert!(room["can_post"].as_bool().unwrap());
    // Rooms are opened by curators and administrators only; bad input is named.
    let body = json!({"slug": "x y", "kind": "secret", "title": ""});
    ok(&app, Method::POST, "/api/v1/rooms", Who::Contributor, Some(body.clone()), StatusCode::FORBIDDEN).await;
    let problem =
        ok(&app, Method::POST, "/api/v1/rooms", Who::Admin, Some(body), StatusCode::UNPROCESSABLE_ENTITY).await;
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["slug", "kind", "title"]);
    let dup = json!({"slug": "reform", "kind": "members", "title": "Again"});
    ok(&app, Method::POST, "/api/v1/rooms", Who::Admin, Some(dup), StatusCode::CONFLICT).await;
}

/// A published case has a discussion; a draft has none; anyone signed in posts.
#[tokio::test]
async fn case_discussions_and_questions_to_the_team() {
    let app = TestApp::with_settings(roomy()).await;
    let published = app.case_in(Status::Published).await;
    let draft = app.case_in(Status::Draft).await;
    for who in Who::ALL {
        let body = json!({"case": published, "body": format!("A word from {who:?}"), "language": "en"});
        let expect = if who == Who::Anonymous { StatusCode::UNAUTHORIZED } else { StatusCode::CREATED };
        ok(&app, Method::POST, "/api/v1/threads", who, Some(body), expect).await;
        let body = json!({"case": draft, "body": "hello", "language": "en"});
        let expect = if who == Who::Anonymous { StatusCode::UNAUTHORIZED } else { StatusCode::NOT_FOUND };
        ok(&app, Method::POST, "/api/v1/threads", who, Some(body), expect).await;
    }
    // One discussion, with every post.
    let threads =
        ok(&app, Method::GET, &format!("/api/v1/threads?case={published}"), Who::Anonymous, None, StatusCode::OK).await;
    assert_eq!(threads.as_array().unwrap().len(), 1);
    assert_eq!(threads[0]["post_count"], 6);
    ok(&app, Method::GET, &format!("/api/v1/threads?case={draft}"), Who::Anonymous, None, StatusCode::NOT_FOUND).await;
    ok(&app, Method::GET, &format!("/api/v1/threads?case={draft}"), Who::Contributor, None, StatusCode::NOT_FOUND)
        .await;

    // Ask the team: answered once an owner (the author) posts.
    let ask = json!({"case": published, "ask": true, "title": "Staffing?", "body": "How many staff per counter?", "language": "en"});
    let created = ok(&app, Method::POST, "/api/v1/threads", Who::Reader, Some(ask), StatusCode::CREATED).await;
    let thread = created["thread"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created["thread"]["kind"], "ask");
    assert_eq!(created["thread"]["answered"], false);
    let posts = format!("/api/v1/threads/{thread}/posts");
    ok(
        &app,
        Method::POST,
        &posts,
        Who::Reader,
        Some(json!({"body": "Any news?", "language": "en"})),
        StatusCode::CREATED,
    )
    .await;
    let t = ok(&app, Method::GET, &format!("/api/v1/threads/{thread}"), Who::Anonymous, None, StatusCode::OK).await;
    assert_eq!(t["thread"]["answered"], false);
    ok(
        &app,
        Method::POST,
        &posts,
        Who::Contributor,
        Some(json!({"body": "Three.", "language": "en"})),
        StatusCode::CREATED,
    )
    .await;
    let t = ok(&app, Method::GET, &format!("/api/v1/threads/{thread}"), Who::Anonymous, None, StatusCode::OK).await;
    assert_eq!(t["thread"]["answered"], true);

    // The case page links to its discussion; the discussion page shows the question answered.
    let mut b = Browser::new(&app);
    let page = b.get(&format!("/cases/{published}")).await.text();
    assert!(page.contains(&format!("/cases/{published}/discussion")));
    let page = b.get(&format!("/cases/{published}/discussion")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Staffing?") && page.text().contains("Answered by the team"));
    assert_eq!(b.get(&format!("/cases/{draft}/discussion")).await.status, StatusCode::NOT_FOUND);
    // Asking through the page, without JavaScript.
    let mut b = Browser::signed_in(&app, Who::Delegate).await;
    b.get(&format!("/cases/{published}/discussion")).await;
    let res = b
        .post(
            &format!("/cases/{published}/ask"),
            &[("title", "Budget?"), ("body", "What did it cost?"), ("language", "en")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let to = res.header("location").unwrap().to_owned();
    let page = b.get(&to).await.text();
    assert!(page.contains("What did it cost?") && page.contains("Not answered yet"));
}

/// Replies, quotes, references and mentions, paging, edits and translations.
#[tokio::test]
async fn threads_replies_paging_edits_and_translations() {
    let app = TestApp::with_settings(roomy()).await;
    let rooms = rooms(&app).await;
    let slug = &rooms[1].1;
    let case = app.case_in(Status::Published).await;
    let draft = app.case_in(Status::Draft).await;
    let (thread, first) = start(&app, slug, Who::Contributor).await;
    let posts = format!("/api/v1/threads/{thread}/posts");
    let body = json!({"body": format!("See case:{case} and case:{draft}, @contributor"), "language": "en", "reply_to": first, "quote_of": first});
    let reply = ok(&app, Method::POST, &posts, Who::Reader, Some(body), StatusCode::CREATED).await;
    assert_eq!(reply["reply_to"], first.as_str());
    assert_eq!(reply["position"], 2);
    for n in 3..=52 {
        ok(
            &app,
            Method::POST,
            &posts,
            Who::Delegate,
            Some(json!({"body": format!("post {n}"), "language": "id"})),
            StatusCode::CREATED,
        )
        .await;
    }
    let p1 = ok(&app, Method::GET, &format!("/api/v1/threads/{thread}"), Who::Reader, None, StatusCode::OK).await;
    assert_eq!(
        (p1["page"].as_i64(), p1["pages"].as_i64(), p1["posts"].as_array().unwrap().len()),
        (Some(1), Some(2), 50)
    );
    let p2 =
        ok(&app, Method::GET, &format!("/api/v1/threads/{thread}?page=2"), Who::Reader, None, StatusCode::OK).await;
    let positions: Vec<i64> = p2["posts"].as_array().unwrap().iter().map(|p| p["position"].as_i64().unwrap()).collect();
    assert_eq!(positions, vec![51, 52]);
    ok(&app, Method::GET, &format!("/api/v1/threads/{thread}?page=0"), Who::Reader, None, StatusCode::BAD_REQUEST)
        .await;
    ok(&app, Method::GET, &format!("/api/v1/threads/{thread}?page=x"), Who::Reader, None, StatusCode::BAD_REQUEST)
        .await;

    // The page: the card of the published case only, the quote, the reply link, paging.
    let mut b = Browser::signed_in(&app, Who::Reader).await;
    let page = b.get(&format!("/threads/{thread}")).await.text();
    assert!(page.contains(&format!("href=\"/cases/{case}\"")), "a card for the published case");
    assert!(!page.contains(&format!("href=\"/cases/{draft}\"")), "no card for a draft");
    assert!(page.contains("In reply to #1"));
    assert!(page.contains("?page=2"));

    // Edits: the author at the version read; history for moderators only.
    let reply_id = reply["id"].as_str().unwrap();
    let path = format!("/api/v1/posts/{reply_id}");
    ok(&app, Method::PUT, &path, Who::Reader, Some(json!({"body": "no version"})), StatusCode::PRECONDITION_REQUIRED)
        .await;
    ok(&app, Method::PUT, &path, Who::Delegate, Some(json!({"body": "not mine", "version": 1})), StatusCode::FORBIDDEN)
        .await;
    let edited =
        ok(&app, Method::PUT, &path, Who::Reader, Some(json!({"body": "Better words", "version": 1})), StatusCode::OK)
            .await;
    assert_eq!((edited["edited"].as_bool(), edited["version"].as_i64()), (Some(true), Some(2)));
    let conflict =
        ok(&app, Method::PUT, &path, Who::Reader, Some(json!({"body": "stale", "version": 1})), StatusCode::CONFLICT)
            .await;
    assert_eq!(conflict["current_version"], 2);
    let history = format!("{path}/history");
    ok(&app, Method::GET, &history, Who::Reader, None, StatusCode::FORBIDDEN).await;
    let h = ok(&app, Method::GET, &history, Who::Curator, None, StatusCode::OK).await;
    let bodies: Vec<&str> = h.as_array().unwrap().iter().map(|r| r["body"].as_str().unwrap()).collect();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[1], "Better words");
    let page = b.get(&format!("/threads/{thread}")).await.text();
    assert!(page.contains("edited") && !page.contains("See case:"));

    // A human translation beside the original.
    let tpath = format!("{path}/translations");
    ok(
        &app,
        Method::POST,
        &tpath,
        Who::Delegate,
        Some(json!({"language": "en", "body": "same"})),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    ok(
        &app,
        Method::POST,
        &tpath,
        Who::Delegate,
        Some(json!({"language": "id", "body": "Kata-kata lebih baik"})),
        StatusCode::NO_CONTENT,
    )
    .await;
    ok(
        &app,
        Method::POST,
        &tpath,
        Who::Anonymous,
        Some(json!({"language": "id", "body": "x"})),
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let page = b.get(&format!("/threads/{thread}")).await.text();
    assert!(page.contains("Kata-kata lebih baik") && page.contains("Human translation by Test delegate"));
    let mut b = Browser::signed_in_lang(&app, Who::Reader, "id").await;
    let page = b.get(&format!("/threads/{thread}")).await.text();
    assert!(page.contains("Terjemahan manusia oleh Test delegate"));
}

/// Hostile input: refused with 4xx and nothing written, or rendered inert.
#[tokio::test]
async fn hostile_input_is_refused_or_inert() {
    let app = TestApp::with_settings(roomy()).await;
    let rooms = rooms(&app).await;
    let (public, private) = (&rooms[0].1, &rooms[2].1);
    let (thread, first) = start(&app, public, Who::Contributor).await;
    let (private_thread, private_post) = start(&app, private, Who::Contributor).await;
    let posts = format!("/api/v1/threads/{thread}/posts");
    let before = app.store.post_count().await.unwrap();

    // A forged reply_to or quote_of from another thread, unknown ids, bad languages, blanks.
    for body in [
        json!({"body": "x", "language": "en", "reply_to": private_post}),
        json!({"body": "x", "language": "en", "quote_of": private_post}),
        json!({"body": "x", "language": "en", "reply_to": "nope"}),
        json!({"body": "x", "language": "xx"}),
        json!({"body": "   ", "language": "en"}),
        json!({"body": "bell\u{7}", "language": "en"}),
        json!({"body": "x".repeat(20_001), "language": "en"}),
        json!({"body": "x", "language": "en", "extra": 1}),
        json!({"body": 5, "language": "en"}),
    ] {
        let (status, _, problem) = app.request_as(Method::POST, &posts, Who::Contributor, Some(body.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {problem}");
    }
    // A 1 MiB post.
    let huge = json!({"body": "x".repeat(1024 * 1024), "language": "en"});
    let (status, _, _) = app.request_as(Method::POST, &posts, Who::Contributor, Some(huge)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // A non-member in a private room, through the API and the page.
    let private_posts = format!("/api/v1/threads/{private_thread}/posts");
    for who in [Who::Reader, Who::OtherContributor, Who::Admin] {
        ok(&app, Method::POST, &private_posts, who, Some(post_body()), StatusCode::NOT_FOUND).await;
        let mut b = Browser::signed_in(&app, who).await;
        b.get("/rooms").await;
        let res =
            b.post(&format!("/threads/{private_thread}/posts"), &[("body", "let me in"), ("language", "en")]).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
    }
    // A form without the CSRF token.
    let mut b = Browser::signed_in(&app, Who::Contributor).await;
    let res = b.post_form(&format!("/threads/{thread}/posts"), &[("body", "forged"), ("language", "en")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.store.post_count().await.unwrap(), before, "nothing was written");

    // Script and event-handler payloads in every field are inert.
    let payload =
        "<script>alert(1)</script><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\" onclick=\"x()\">l</a>";
    let body = json!({"room": public, "title": payload, "body": format!("{payload}\n\n[x](javascript:alert(2))"), "language": "en"});
    let created = ok(&app, Method::POST, "/api/v1/threads", Who::Contributor, Some(body), StatusCode::CREATED).await;
    let hostile = created["thread"]["id"].as_str().unwrap().to_owned();
    let reply = json!({"body": payload, "language": "id", "reply_to": first});
    let r = ok(&app, Method::POST, &posts, Who::Contributor, Some(reply), StatusCode::CREATED).await;
    let tpath = format!("/api/v1/posts/{}/translations", r["id"].as_str().unwrap());
    ok(
        &app,
        Method::POST,
        &tpath,
        Who::Contributor,
        Some(json!({"language": "en", "body": payload})),
        StatusCode::NO_CONTENT,
    )
    .await;
    let mut b = Browser::signed_in(&app, Who::Contributor).await;
    for path in [format!("/threads/{hostile}"), format!("/threads/{thread}"), format!("/rooms/{public}")] {
        let html = b.get(&path).await.text();
        for bad in ["<script>alert", "<img"] {
            assert!(!html.contains(bad), "{path} contains {bad}");
        }
        // Handlers and script URLs appear only as escaped text, never inside a tag.
        for bad in ["onerror=", "onclick=", "javascript:"] {
            for (i, _) in html.match_indices(bad) {
                let before = &html[..i];
                let in_tag = before.rfind('<') > before.rfind('>');
                assert!(!in_tag, "{path} has {bad} inside a tag: {}", &html[i.saturating_sub(120)..i + 40]);
            }
        }
    }
}

/// Flooding: the limits of a young account answer 429 with Retry-After, and
/// the page keeps what was typed.
#[tokio::test]
async fn flooding_is_refused_with_429() {
    let app = TestApp::new().await;
    let case = app.case_in(Status::Published).await;
    let limit = lumbung_app::DialogueSettings::default().new_posts_per_minute;
    for n in 0..limit {
        let body = json!({"case": case, "body": format!("post {n}"), "language": "en"});
        ok(&app, Method::POST, "/api/v1/threads", Who::Reader, Some(body), StatusCode::CREATED).await;
    }
    let before = app.store.post_count().await.unwrap();
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/threads",
            Who::Reader,
            Some(json!({"case": case, "body": "one more", "language": "en"})),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.text());
    let wait: u64 = res.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
    assert_eq!(res.json()["type"], "urn:lumbung:problem:rate-limited");
    let mut b = Browser::signed_in(&app, Who::Reader).await;
    b.get(&format!("/cases/{case}/discussion")).await;
    let res =
        b.post(&format!("/cases/{case}/discussion"), &[("body", "My carefully typed words"), ("language", "en")]).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(res.text().contains("My carefully typed words"));
    assert_eq!(app.store.post_count().await.unwrap(), before);
    // Links per post for a young account.
    let links = "https://a.example https://b.example https://c.example";
    let body = json!({"case": case, "body": links, "language": "en"});
    ok(&app, Method::POST, "/api/v1/threads", Who::Contributor, Some(body), StatusCode::UNPROCESSABLE_ENTITY).await;
}

/// The site search finds public discussions (threads of public rooms and of
/// published cases) under the `kind` facet, and nothing else of the
/// dialogue: members-only and private rooms, hidden posts and the
/// discussions of an archived case never reach the index.
#[tokio::test]
async fn public_discussions_are_found_by_the_site_search_and_nothing_else() {
    let app = TestApp::with_settings(roomy()).await;
    let [(_, public), (_, members), (_, private)] = rooms(&app).await;
    let word = |w: &str| json!({"title": format!("Queue {w}"), "body": format!("We tried {w} at the counter."), "language": "en"});
    let mut threads = Vec::new();
    for (slug, w) in [(&public, "zanzibarian"), (&members, "quokkalike"), (&private, "wombatish")] {
        let mut body = word(w);
        body["room"] = json!(slug);
        let created =
            ok(&app, Method::POST, "/api/v1/threads", Who::Contributor, Some(body), StatusCode::CREATED).await;
        threads.push(created["thread"]["id"].as_str().unwrap().to_owned());
    }
    let case = app.case_in(Status::Published).await;
    let on_case = json!({"case": case, "body": "Our pilot used a ticketing kiosk, hypothetically named narwhalix.", "language": "en"});
    let created = ok(&app, Method::POST, "/api/v1/threads", Who::Reader, Some(on_case), StatusCode::CREATED).await;
    let case_thread = created["thread"]["id"].as_str().unwrap().to_owned();
    let reply = json!({"body": "A second kiosk said blorptastic; nobody knew why.", "language": "en"});
    let reply = ok(
        &app,
        Method::POST,
        &format!("/api/v1/threads/{case_thread}/posts"),
        Who::Contributor,
        Some(reply),
        StatusCode::CREATED,
    )
    .await;
    let reply_id = reply["id"].as_str().unwrap().to_owned();
    app.sync_search().await;

    let search = |q: &str, kind: &str| format!("/api/v1/search?q={q}{kind}");
    let ids = |v: &Value| -> Vec<String> {
        v["items"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_owned()).collect()
    };
    // The public room's thread: a discussion, found when asked for, with its kind.
    let found =
        ok(&app, Method::GET, &search("zanzibarian", "&kind=discussion"), Who::Anonymous, None, StatusCode::OK).await;
    assert_eq!(ids(&found), vec![threads[0].clone()], "{found}");
    assert_eq!(found["items"][0]["kind"], "discussion");
    assert_eq!(found["items"][0]["title"], "Queue zanzibarian");
    assert!(found["items"][0]["snippet"].as_str().unwrap().contains("<mark>zanzibarian</mark>"), "{found}");
    // Cases by default: the discussion is counted under `kind`, not listed.
    let default = ok(&app, Method::GET, &search("zanzibarian", ""), Who::Anonymous, None, StatusCode::OK).await;
    assert_eq!(default["total"], 0, "{default}");
    assert_eq!(default["facets"]["kind"], json!([{"value": "discussion", "count": 1}]));
    let both =
        ok(&app, Method::GET, &search("zanzibarian", "&kind=case,discussion"), Who::Anonymous, None, StatusCode::OK)
            .await;
    assert_eq!(ids(&both), vec![threads[0].clone()]);
    // A case's discussion, its reply included.
    for w in ["narwhalix", "blorptastic"] {
        let found = ok(&app, Method::GET, &search(w, "&kind=discussion"), Who::Anonymous, None, StatusCode::OK).await;
        assert_eq!(ids(&found), vec![case_thread.clone()], "{w}: {found}");
    }
    // Members-only and private rooms: not for anyone, not even their members.
    for (w, who) in [("quokkalike", Who::Anonymous), ("quokkalike", Who::Contributor), ("wombatish", Who::Contributor)]
    {
        let found = ok(&app, Method::GET, &search(w, "&kind=case,discussion"), who, None, StatusCode::OK).await;
        assert_eq!(found["total"], 0, "{w} as {who:?}: {found}");
        assert_eq!(found["facets"]["kind"], json!([]), "{w}");
    }
    // The page: the kind facet, and a discussion links to its thread.
    let mut b = Browser::new(&app);
    let html = b.get("/search?q=zanzibarian").await.text();
    assert!(html.contains("id=\"f-kind-case\" name=\"kind\" value=\"case\" checked"), "{html}");
    assert!(html.contains("id=\"f-kind-discussion\" name=\"kind\" value=\"discussion\">"), "{html}");
    let html = b.get("/search?q=zanzibarian&kind=discussion").await.text();
    assert!(html.contains(&format!("href=\"/threads/{}\"", threads[0])) && html.contains("Discussion"), "{html}");
    let feed = b.get("/feeds/search.atom?q=zanzibarian&kind=discussion").await.text();
    assert!(feed.contains(&format!("/threads/{}", threads[0])), "{feed}");
    // Bad kinds are refused.
    ok(&app, Method::GET, "/api/v1/search?kind=post", Who::Anonymous, None, StatusCode::BAD_REQUEST).await;

    // A hidden post's words leave the index with it.
    let decide = format!("/api/v1/posts/{reply_id}/moderation");
    ok(
        &app,
        Method::POST,
        &decide,
        Who::Curator,
        Some(json!({"decision": "hide", "reason": "Off topic"})),
        StatusCode::OK,
    )
    .await;
    // Only the discussion changed: the learned lexicon (learned from cases) stays.
    let done = app.sync_search().await;
    assert!(done.changes > 0 && done.case_changes == 0, "{done:?}");
    let found =
        ok(&app, Method::GET, &search("blorptastic", "&kind=discussion"), Who::Anonymous, None, StatusCode::OK).await;
    assert_eq!(found["total"], 0, "{found}");
    let found =
        ok(&app, Method::GET, &search("narwhalix", "&kind=discussion"), Who::Anonymous, None, StatusCode::OK).await;
    assert_eq!(ids(&found), vec![case_thread.clone()]);
    // An archived case takes its discussion out of the index.
    app.step(&case, "archive", Who::Curator, None).await;
    assert_eq!(app.sync_search().await.case_changes, 1);
    let found =
        ok(&app, Method::GET, &search("narwhalix", "&kind=discussion"), Who::Anonymous, None, StatusCode::OK).await;
    assert_eq!(found["total"], 0, "{found}");
    // Related cases and the index's own account of its cases stay cases.
    assert!(!app.search.ids().unwrap().contains(&threads[0]));
    // The public room's thread is the one document left; no case is published.
    assert_eq!((app.search.len(), app.search.case_count().unwrap()), (1, 0));
}
