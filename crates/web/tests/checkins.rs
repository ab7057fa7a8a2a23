//! Living cases: who answers check-ins (every role), bad answers refused with
//! nothing written, the schedule marking each due check-in exactly once with
//! two runners and a moved clock, and the `confirmed` facet lapsing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::{TestApp, Who, assert_problem, error_fields};
use lumbung_app::{App, AppSettings};
use lumbung_core::Status;
use serde_json::{Value, json};

fn checkins(id: &str) -> String {
    format!("/api/v1/cases/{id}/checkins")
}

fn app_of(t: &TestApp) -> App {
    App::new(t.store.clone(), AppSettings { node_id: "local".into(), upstreams: Vec::new(), ..Default::default() })
}

#[tokio::test]
async fn only_owners_and_editors_answer_check_ins_of_published_cases() {
    let app = TestApp::new().await;
    let cases: [(Status, [u16; 7]); 3] = [
        (Status::Published, [401, 403, 201, 403, 403, 201, 201]),
        (Status::Draft, [401, 404, 409, 404, 404, 409, 409]),
        (Status::Archived, [401, 404, 409, 404, 404, 409, 409]),
    ];
    let mut failures = Vec::new();
    for (status, expect) in cases {
        for (who, want) in Who::ALL.into_iter().zip(expect) {
            let id = app.case_in(status).await;
            let res =
                app.send_json(Method::POST, &checkins(&id), who, Some(json!({"answer": "still_running"})), &[]).await;
            if res.status.as_u16() != want {
                failures.push(format!("{status} as {who:?}: {} {}", res.status, res.text()));
            } else if want >= 400 {
                assert_problem(&res, res.status);
            }
            let kept = app.store.checkins_of(&id).await.unwrap().len();
            assert_eq!(kept, usize::from(want == 201), "{status} as {who:?}");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn answers_are_kept_as_status_history_and_bad_ones_refused() {
    let app = TestApp::new().await;
    let id = app.case_in(Status::Published).await;
    let version = app.stored_case(&id).await.version;
    let change = app.last_change().await;
    let bad: Vec<(Value, &str)> = vec![
        (json!({"answer": "thriving"}), "answer"),
        (json!({}), "answer"),
        (json!({"answer": "changed"}), "what_changed"),
        (json!({"answer": "discontinued", "reason": "funding_ended"}), "discontinued_on"),
        (json!({"answer": "discontinued", "discontinued_on": "2020-01-01"}), "reason"),
        (
            json!({"answer": "discontinued", "discontinued_on": "2999-01-01", "reason": "funding_ended"}),
            "discontinued_on",
        ),
        (
            json!({"answer": "discontinued", "discontinued_on": "yesterday", "reason": "funding_ended"}),
            "discontinued_on",
        ),
        (json!({"answer": "discontinued", "discontinued_on": "2020-01-01", "reason": "boredom"}), "reason"),
        (json!({"answer": "still_running", "lessons": "a\u{0}b"}), "lessons"),
        (json!({"answer": "still_running", "lessons": "x".repeat(5001)}), "lessons"),
        (json!({"answer": "still_running", "when": "now"}), "when"),
    ];
    for (body, field) in bad {
        let res = app.send_json(Method::POST, &checkins(&id), Who::Contributor, Some(body.clone()), &[]).await;
        let problem = assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error_fields(&problem).iter().any(|f| f == field), "{body}: {problem}");
    }
    assert!(app.store.checkins_of(&id).await.unwrap().is_empty());
    assert_eq!(app.stored_case(&id).await.version, version);
    assert_eq!(app.last_change().await, change);

    // Discontinued, with lessons: the case says so and keeps it as history.
    let body = json!({"answer": "discontinued", "discontinued_on": "2025-06-30", "reason": "funding_ended",
                      "lessons": "Budget it in the regional plan from the start."});
    let (status, _, answer) = app.request_as(Method::POST, &checkins(&id), Who::Contributor, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(answer["state"], "answered");
    let case = app.stored_case(&id).await;
    assert_eq!(case.content.operating_status.as_deref(), Some("discontinued"));
    assert_eq!(case.content.operating_status_date.map(|d| d.to_string()).as_deref(), Some("2025-06-30"));
    assert_eq!(case.content.last_confirmed, Some(lumbung_core::clock::today()));
    let revisions = app.store.case_revisions(&id).await.unwrap();
    assert!(revisions.iter().any(|r| r.comment.as_deref() == Some("check-in: discontinued")));
    let (_, _, list) = app.request_as(Method::GET, &checkins(&id), Who::Anonymous, None).await;
    assert_eq!(list[0]["lessons"], "Budget it in the regional plan from the start.");
    assert_eq!(list[0]["reason"], "funding_ended");
    assert!(list[0].get("answered_by").is_none());
}

#[tokio::test]
async fn the_schedule_marks_each_due_check_in_once_across_runners_and_restarts() {
    let t = TestApp::new().await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(t.case_in(Status::Published).await);
    }
    let draft = t.case_in(Status::Draft).await;
    // One case asks every six months.
    let app = app_of(&t);
    let owner = lumbung_core::Actor {
        account_id: t.id_of(Who::Contributor),
        role: lumbung_core::Role::Contributor,
        delegation: None,
        organisation: None,
    };
    app.set_checkin_interval(&owner, &ids[0], Some(6)).await.unwrap();
    let today = lumbung_core::clock::today();

    // Nothing is due before its time.
    let soon = lumbung_core::checkin::add_months(today, 5);
    assert_eq!(app.run_checkin_schedule(soon, 12).await.unwrap(), 0);

    // Two instances, each running the schedule under the shared lease, and
    // two more running it unleased at once: each due check-in once.
    let later = lumbung_core::checkin::add_months(today, 7);
    let run = |holder: &'static str, on| {
        let (store, app) = (t.store.clone(), app_of(&t));
        async move {
            let mut marked = 0;
            for _ in 0..3 {
                store.ensure_job("checkins").await.unwrap();
                if let Some(claim) = store.claim_job("checkins", holder, Duration::from_secs(60)).await.unwrap() {
                    marked += app.run_checkin_schedule(on, 12).await.unwrap();
                    store.finish_job(&claim, Duration::ZERO, None).await.unwrap();
                }
                tokio::task::yield_now().await;
            }
            marked
        }
    };
    let (third, fourth) = (app_of(&t), app_of(&t));
    let (a, b, c, d) = tokio::join!(
        run("instance-a", later),
        run("instance-b", later),
        third.run_checkin_schedule(later, 12),
        fourth.run_checkin_schedule(later, 12)
    );
    assert_eq!(a + b + c.unwrap() + d.unwrap(), 1, "only the six-monthly case is due after seven months");
    // A year on, from a fresh start: the others fall due, the first is not marked again.
    let year = lumbung_core::checkin::add_months(today, 13);
    let (a, b) = tokio::join!(run("instance-c", year), run("instance-d", year));
    assert_eq!(a + b, 4);
    assert_eq!(app_of(&t).run_checkin_schedule(year, 12).await.unwrap(), 0, "a restart marks nothing twice");
    for id in &ids {
        let due = t.store.checkins_of(id).await.unwrap();
        assert_eq!(due.len(), 1, "{id}: {due:?}");
        assert_eq!(due[0].state, "due");
    }
    assert!(t.store.checkins_of(&draft).await.unwrap().is_empty());
    assert_eq!(t.store.due_checkins(year, 100).await.unwrap().len(), 5);

    // Answering closes the due check-in; the next falls due a full interval later.
    app.check_in(
        &owner,
        &ids[1],
        lumbung_core::checkin::CheckinAnswer { answer: "still_running".into(), ..Default::default() },
        year,
    )
    .await
    .unwrap();
    let after = t.store.checkins_of(&ids[1]).await.unwrap();
    assert_eq!((after.len(), after[0].state.as_str()), (1, "answered"));
    assert_eq!(app.run_checkin_schedule(lumbung_core::checkin::add_months(year, 11), 12).await.unwrap(), 0);
    assert_eq!(app.run_checkin_schedule(lumbung_core::checkin::add_months(year, 12), 12).await.unwrap(), 1);
}

async fn confirmed(t: &TestApp, bucket: &str) -> i64 {
    t.sync_search().await;
    let (status, _, body) =
        t.request_as(Method::GET, &format!("/api/v1/search?confirmed={bucket}"), Who::Anonymous, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["total"].as_i64().unwrap()
}

#[tokio::test]
async fn an_unanswered_check_in_moves_the_case_out_of_confirmed_within_12_months() {
    let t = TestApp::new().await;
    let id = t.case_in(Status::Published).await;
    let (status, _, _) =
        t.request_as(Method::POST, &checkins(&id), Who::Contributor, Some(json!({"answer": "still_running"}))).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(confirmed(&t, "within_12_months").await, 1);
    assert_eq!(confirmed(&t, "earlier").await, 0);
    // Thirteen months later nobody has answered: the schedule marks the
    // check-in due, which re-indexes the case, now confirmed "earlier".
    lumbung_core::clock::set_offset(time::Duration::days(400));
    let marked = app_of(&t).run_checkin_schedule(lumbung_core::clock::today(), 12).await.unwrap();
    assert_eq!(marked, 1);
    assert_eq!(confirmed(&t, "within_12_months").await, 0);
    assert_eq!(confirmed(&t, "earlier").await, 1);
    lumbung_core::clock::set_offset(time::Duration::ZERO);
}

async fn inbox(t: &TestApp, who: Who) -> Vec<Value> {
    let (status, _, body) = t.request_as(Method::GET, "/api/v1/notifications", who, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["items"].as_array().unwrap().clone()
}

async fn reminders(t: &TestApp, who: Who) -> Vec<String> {
    inbox(t, who)
        .await
        .into_iter()
        .filter(|n| n["kind"] == "checkin_due")
        .map(|n| n["case_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_due_check_in_reminds_its_author_once_across_runs_and_restarts() {
    let t = TestApp::new().await;
    // The cases belong to their author and to kemenpan-rb: the author and
    // a contributor colleague there, who may answer a check-in, are
    // reminded of it; the curator and the others are not.
    let colleague = t
        .store
        .create_account(
            lumbung_store::NewAccount {
                email: "colleague@kemenpan.example".into(),
                name: "Colleague".into(),
                role: lumbung_core::Role::Contributor,
                organisation: Some("kemenpan-rb".into()),
                delegation: None,
                password_hash: None,
            },
            None,
        )
        .await
        .unwrap();
    let due = t.case_in(Status::Published).await;
    let answered = t.case_in(Status::Published).await;
    let app = app_of(&t);
    app.notify_all().await.unwrap();
    assert!(reminders(&t, Who::Contributor).await.is_empty());

    // A year on, both fall due; the owner answers one before the follower runs.
    let year = lumbung_core::checkin::add_months(lumbung_core::clock::today(), 13);
    assert_eq!(app.run_checkin_schedule(year, 12).await.unwrap(), 2);
    let owner = lumbung_core::Actor {
        account_id: t.id_of(Who::Contributor),
        role: lumbung_core::Role::Contributor,
        delegation: None,
        organisation: None,
    };
    let answer = lumbung_core::checkin::CheckinAnswer { answer: "still_running".into(), ..Default::default() };
    app.check_in(&owner, &answered, answer, year).await.unwrap();
    app.notify_all().await.unwrap();
    assert_eq!(reminders(&t, Who::Contributor).await, vec![due.clone()], "the author, once, for the open check-in");
    for who in [Who::Reader, Who::Delegate, Who::OtherContributor, Who::Curator] {
        assert!(reminders(&t, who).await.is_empty(), "{who:?} is not the case's author");
    }
    let theirs = t.store.notifications(&colleague.id, 50, 0).await.unwrap();
    let kinds: Vec<&str> = theirs.iter().map(|n| n.kind.as_str()).collect();
    assert_eq!(kinds, ["checkin_due"], "the organisation's contributor is asked too");
    // The inbox entry leads to the case's check-ins.
    let mut owner_browser = common::Browser::signed_in(&t, Who::Contributor).await;
    let page = owner_browser.get("/inbox").await;
    assert!(page.text().contains(&format!("/cases/{due}#checkins")), "{}", page.text());

    // Run again, and from a fresh process (a restart): nothing twice.
    assert_eq!(app.run_checkin_schedule(year, 12).await.unwrap(), 0);
    app.notify_all().await.unwrap();
    let restarted = app_of(&t);
    assert_eq!(restarted.run_checkin_schedule(year, 12).await.unwrap(), 0);
    restarted.notify_all().await.unwrap();
    assert_eq!(reminders(&t, Who::Contributor).await.len(), 1);
}

fn schedule(id: &str) -> String {
    format!("/api/v1/cases/{id}/checkin-schedule")
}

#[tokio::test]
async fn a_case_s_own_interval_is_validated_and_moves_its_next_check_in() {
    let t = TestApp::new().await;
    let id = t.case_in(Status::Published).await;
    let (status, _, before) = t.request_as(Method::GET, &schedule(&id), Who::Anonymous, None).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert_eq!(before["interval_months"], Value::Null);
    assert_eq!(before["default_months"], 12);
    let next_due = |v: &Value| v["next_due"].as_str().unwrap().to_owned();

    // Bad intervals: refused with the field named, nothing changed.
    let bad = [
        json!({"interval_months": 0}),
        json!({"interval_months": 61}),
        json!({"interval_months": "six"}),
        json!({"interval_months": -3}),
        json!({"interval_months": 6, "extra": true}),
    ];
    for body in bad {
        let res = t.send_json(Method::PUT, &schedule(&id), Who::Contributor, Some(body.clone()), &[]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", res.text());
        assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!error_fields(&res.json()).is_empty(), "{body}: the field is named: {}", res.text());
    }
    let res = t.send_raw(Method::PUT, &schedule(&id), Who::Contributor, Some("application/json"), "{not json").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.text());
    assert_eq!(t.store.checkin_interval(&id).await.unwrap(), None, "nothing was written");

    // Only the owner and editors set it.
    for (who, want) in [
        (Who::Anonymous, StatusCode::UNAUTHORIZED),
        (Who::Reader, StatusCode::FORBIDDEN),
        (Who::OtherContributor, StatusCode::FORBIDDEN),
        (Who::Delegate, StatusCode::FORBIDDEN),
    ] {
        let res = t.send_json(Method::PUT, &schedule(&id), who, Some(json!({"interval_months": 3})), &[]).await;
        assert_eq!(res.status, want, "{who:?}: {}", res.text());
    }
    assert_eq!(t.store.checkin_interval(&id).await.unwrap(), None);

    // Six months: the next check-in comes six months earlier; null returns to the node's.
    let (status, _, six) =
        t.request_as(Method::PUT, &schedule(&id), Who::Contributor, Some(json!({"interval_months": 6}))).await;
    assert_eq!(status, StatusCode::OK, "{six}");
    assert_eq!(six["interval_months"], 6);
    let (b, s) = (next_due(&before), next_due(&six));
    assert!(s < b, "{s} comes before {b}");
    let (status, _, reset) =
        t.request_as(Method::PUT, &schedule(&id), Who::Curator, Some(json!({"interval_months": null}))).await;
    assert_eq!(status, StatusCode::OK, "{reset}");
    assert_eq!(reset["interval_months"], Value::Null);
    assert_eq!(next_due(&reset), b);

    // A draft has no schedule to set.
    let draft = t.case_in(Status::Draft).await;
    let res =
        t.send_json(Method::PUT, &schedule(&draft), Who::Contributor, Some(json!({"interval_months": 6})), &[]).await;
    assert!(res.status == StatusCode::CONFLICT || res.status == StatusCode::NOT_FOUND, "{}", res.text());
    assert_eq!(t.store.checkin_interval(&draft).await.unwrap(), None);
}
