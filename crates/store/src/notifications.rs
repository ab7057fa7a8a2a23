//! Subscriptions, inbox notifications and private feed tokens.
//!
//! Notifications are written by one follower of the change log: the entries
//! a change produces and the follower's new cursor commit in one transaction,
//! and each (account, change, kind) is unique, so a change replayed after a
//! crash or by a second instance adds nothing twice.

use time::OffsetDateTime;

use crate::sql::Sql;
use crate::{Store, StoreError, Tx, time_fmt};

/// The follower's name in `cursors`.
pub const NOTIFY_CURSOR: &str = "notifications";

/// A notification to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub account_id: String,
    /// reply, mention, quote, post, thread, ask, answer, case_changed,
    /// case_published, case_nominated, checkin_due, moderation, appeal.
    pub kind: String,
    pub change_seq: i64,
    pub thread_id: Option<String>,
    pub post_id: Option<String>,
    pub case_id: Option<String>,
    pub actor_id: Option<String>,
}

/// A notification in an inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: String,
    pub kind: String,
    pub thread_id: Option<String>,
    pub thread_title: Option<String>,
    pub post_id: Option<String>,
    pub case_id: Option<String>,
    pub actor_name: Option<String>,
    pub created_at: OffsetDateTime,
    pub read: bool,
}

/// One subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub account_id: String,
    pub target: String,
    pub level: String,
    /// Since when (a change before it does not notify).
    pub since: OffsetDateTime,
}

/// Rows per multi-row insert (9 values each, well under both backends'
/// limits): a unit of work waiting for the writer waits at most one of them
/// (see `Tx::notify`).
const ROWS: usize = 100;

type NotificationRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
);

fn subscription(
    (account_id, target, level, since): (String, String, String, String),
) -> Result<Subscription, StoreError> {
    Ok(Subscription { account_id, target, level, since: time_fmt::parse(&since)? })
}

impl Store {
    /// Follows `target` at `level` (watching, normal, muted), replacing an earlier level.
    pub async fn subscribe(&self, account: &str, target: &str, level: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO subscriptions (account_id, target, level, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (account_id, target) DO UPDATE SET level = excluded.level",
        )
        .bind(account)
        .bind(target)
        .bind(level)
        .bind(time_fmt::fmt(lumbung_core::clock::now()))
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(())
    }

    /// Stops following `target`; false when there was nothing to stop.
    pub async fn unsubscribe(&self, account: &str, target: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM subscriptions WHERE account_id = $1 AND target = $2")
            .bind(account)
            .bind(target)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn subscriptions_of(&self, account: &str) -> Result<Vec<Subscription>, StoreError> {
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT account_id, target, level, created_at FROM subscriptions WHERE account_id = $1 ORDER BY target",
        )
        .bind(account)
        .fetch_all(&self.pools.read)
        .await?;
        rows.into_iter().map(subscription).collect()
    }

    /// Everyone following any of `targets`.
    pub async fn subscribers(&self, targets: &[String]) -> Result<Vec<Subscription>, StoreError> {
        if targets.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = Sql::new(
            self.pools.backend,
            "SELECT account_id, target, level, created_at FROM subscriptions WHERE target IN (",
        );
        q.list(targets.iter().map(String::as_str)).push(")");
        let rows: Vec<(String, String, String, String)> = q.query_as().fetch_all(&self.pools.read).await?;
        rows.into_iter().map(subscription).collect()
    }

    /// An inbox, newest first.
    pub async fn notifications(&self, account: &str, limit: i64, offset: i64) -> Result<Vec<Notification>, StoreError> {
        let rows: Vec<NotificationRow> = sqlx::query_as(
            "SELECT n.id, n.kind, n.thread_id, t.title, n.post_id, n.case_id, a.name, n.created_at, n.read_at
             FROM notifications n LEFT JOIN threads t ON t.id = n.thread_id LEFT JOIN accounts a ON a.id = n.actor_id
             WHERE n.account_id = $1 ORDER BY n.change_seq DESC, n.id DESC LIMIT $2 OFFSET $3",
        )
        .bind(account)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pools.read)
        .await?;
        rows.into_iter()
            .map(|(id, kind, thread_id, thread_title, post_id, case_id, actor_name, at, read_at)| {
                Ok(Notification {
                    id,
                    kind,
                    thread_id,
                    thread_title,
                    post_id,
                    case_id,
                    actor_name,
                    created_at: time_fmt::parse(&at)?,
                    read: read_at.is_some(),
                })
            })
            .collect()
    }

    /// Unread notifications of an account: one count over the `(account_id, read_at)` index.
    pub async fn unread_count(&self, account: &str) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM notifications WHERE account_id = $1 AND read_at IS NULL")
            .bind(account)
            .fetch_one(&self.pools.read)
            .await?)
    }

    /// How many notifications there are in all (for tests and checks).
    pub async fn notification_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM notifications").fetch_one(&self.pools.read).await?)
    }

    /// Marks one notification (`Some`) or all of an account's as read; how many changed.
    pub async fn mark_read(&self, account: &str, id: Option<&str>) -> Result<u64, StoreError> {
        let now = time_fmt::fmt(lumbung_core::clock::now());
        let done = match id {
            Some(id) => {
                sqlx::query(
                    "UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND id = $3 AND read_at IS NULL",
                )
                .bind(now)
                .bind(account)
                .bind(id)
                .execute(&mut *self.writer().await?)
                .await?
            }
            None => {
                sqlx::query("UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL")
                    .bind(now)
                    .bind(account)
                    .execute(&mut *self.writer().await?)
                    .await?
            }
        };
        Ok(done.rows_affected())
    }

    /// Whether a notification of this account exists.
    pub async fn has_notification(&self, account: &str, id: &str) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM notifications WHERE account_id = $1 AND id = $2")
            .bind(account)
            .bind(id)
            .fetch_one(&self.pools.read)
            .await?;
        Ok(n > 0)
    }

    /// Sets the (hashed) secret of an account's private feed, replacing the old one.
    pub async fn set_feed_token(&self, account: &str, token_hash: &str) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM feed_tokens WHERE account_id = $1").bind(account).execute(tx.conn()).await?;
        sqlx::query("INSERT INTO feed_tokens (token_hash, account_id, created_at) VALUES ($1, $2, $3)")
            .bind(token_hash)
            .bind(account)
            .bind(time_fmt::fmt(lumbung_core::clock::now()))
            .execute(tx.conn())
            .await?;
        tx.commit().await
    }

    /// Revokes an account's private feed.
    pub async fn revoke_feed_token(&self, account: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM feed_tokens WHERE account_id = $1")
            .bind(account)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    /// Whether the account has a private feed now.
    pub async fn has_feed_token(&self, account: &str) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM feed_tokens WHERE account_id = $1")
            .bind(account)
            .fetch_one(&self.pools.read)
            .await?;
        Ok(n > 0)
    }

    /// The account whose feed secret hashes to this.
    pub async fn account_for_feed(&self, token_hash: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT account_id FROM feed_tokens WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.pools.read)
            .await?)
    }
}

impl Tx {
    /// Writes notifications (skipping any that exist) and moves the
    /// follower's cursor, in this transaction; returns how many rows it
    /// wrote. When another unit of work waits for the writer it stops
    /// early, after a statement of [`ROWS`] rows, and leaves the cursor
    /// where it was: the caller commits and writes the rest in the next
    /// transaction (a replay skips the rows written).
    pub async fn notify(&mut self, rows: &[NewNotification], cursor: i64) -> Result<usize, StoreError> {
        let at = time_fmt::fmt(lumbung_core::clock::now());
        let mut written = 0;
        for chunk in rows.chunks(ROWS) {
            if written > 0 && self.writers_waiting() {
                return Ok(written);
            }
            let mut q = Sql::new(
                self.backend,
                "INSERT INTO notifications (id, account_id, kind, change_seq, thread_id, post_id, case_id, actor_id, created_at)
                 VALUES ",
            );
            q.rows(chunk, |r, n| {
                r.bind(ulid::Ulid::new().to_string())
                    .bind(n.account_id.as_str())
                    .bind(n.kind.as_str())
                    .bind(n.change_seq)
                    .bind(n.thread_id.as_deref())
                    .bind(n.post_id.as_deref())
                    .bind(n.case_id.as_deref())
                    .bind(n.actor_id.as_deref())
                    .bind(at.as_str());
            });
            q.push(" ON CONFLICT (account_id, change_seq, kind) DO NOTHING");
            q.query().execute(self.conn()).await?;
            written += chunk.len();
        }
        sqlx::query(
            "INSERT INTO cursors (name, seq) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq",
        )
        .bind(NOTIFY_CURSOR)
        .bind(cursor)
        .execute(self.conn())
        .await?;
        Ok(written)
    }
}
