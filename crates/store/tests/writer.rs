//! SQLite's one writer: long background work gives way to a unit of work
//! that comes to wait for it (issue #10: a post behind a 10,000-watcher
//! fan-out).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use lumbung_core::account::Role;
use lumbung_store::{NOTIFY_CURSOR, NewAccount, NewNotification, Store};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fan_out_commits_early_when_a_post_waits_for_the_writer_and_writes_the_rest_after() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let new = NewAccount {
        email: "watcher@example.org".into(),
        name: "Watcher".into(),
        role: Role::Reader,
        organisation: None,
        delegation: None,
        password_hash: None,
    };
    let account = store.create_account(new, None).await.unwrap();
    let rows: Vec<NewNotification> = (1..=350)
        .map(|seq| NewNotification {
            account_id: account.id.clone(),
            kind: "post".into(),
            change_seq: seq,
            thread_id: None,
            post_id: None,
            case_id: None,
            actor_id: None,
        })
        .collect();

    // Nobody waits: every row, then the cursor, in one transaction.
    let mut tx = store.begin().await.unwrap();
    assert!(!tx.writers_waiting());
    assert_eq!(tx.notify(&rows[..150], 150).await.unwrap(), 150);
    tx.commit().await.unwrap();
    assert_eq!(store.cursor(NOTIFY_CURSOR).await.unwrap(), 150);

    // A post comes to wait for the writer while the fan-out holds it: the
    // fan-out stops after one statement and leaves the cursor where it was.
    let mut tx = store.begin().await.unwrap();
    let other = store.clone();
    let post = tokio::spawn(async move { other.begin().await.unwrap().commit().await.unwrap() });
    tokio::time::timeout(Duration::from_secs(10), async {
        while !tx.writers_waiting() {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    })
    .await
    .expect("the second unit of work waits for the writer");
    assert_eq!(tx.notify(&rows[150..], 350).await.unwrap(), 100);
    tx.commit().await.unwrap();
    tokio::time::timeout(Duration::from_secs(10), post).await.expect("the post went").unwrap();
    assert_eq!(store.cursor(NOTIFY_CURSOR).await.unwrap(), 150, "the cursor passed rows not written");
    assert_eq!(store.notification_count().await.unwrap(), 250);

    // The rest, with the cursor: the rows written already are not written twice.
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.notify(&rows[150..], 350).await.unwrap(), 200);
    tx.commit().await.unwrap();
    assert_eq!(store.cursor(NOTIFY_CURSOR).await.unwrap(), 350);
    assert_eq!(store.notification_count().await.unwrap(), 350);
    store.close().await;
}

/// A statement on the writer outside a unit of work (marking notifications
/// read, changing an account) counts as waiting too, so background work gives
/// way to it; and a post's limit check, a read, does not wait for the writer
/// at all (it used to, and queued each post behind a whole fan-out).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_statement_outside_a_unit_of_work_is_waited_for_and_a_read_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let new = NewAccount {
        email: "poster@example.org".into(),
        name: "Poster".into(),
        role: Role::Contributor,
        organisation: None,
        delegation: None,
        password_hash: None,
    };
    let account = store.create_account(new, None).await.unwrap();

    let tx = store.begin().await.unwrap();
    assert!(!tx.writers_waiting());
    // The read goes while the writer is held.
    let read = tokio::time::timeout(Duration::from_secs(10), store.posts_by_since(&account.id, 0)).await;
    assert_eq!(read.expect("the limit check does not wait for the writer").unwrap(), Vec::<i64>::new());

    let other = store.clone();
    let id = account.id.clone();
    let write = tokio::spawn(async move { other.set_account_language(&id, Some("id")).await.unwrap() });
    tokio::time::timeout(Duration::from_secs(10), async {
        while !tx.writers_waiting() {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    })
    .await
    .expect("the statement counts as waiting for the writer");
    assert!(!write.is_finished(), "the statement went while the writer was held");
    tx.commit().await.unwrap();
    tokio::time::timeout(Duration::from_secs(10), write).await.expect("the statement went").unwrap();
    assert!(!store.begin().await.unwrap().writers_waiting());
    store.close().await;
}
