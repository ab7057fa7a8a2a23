//! Moderation: flags on posts, decisions (hide, restore, lock, unlock,
//! suspend) recorded as the audit log, and one appeal per decision. A
//! decision and what it changes commit together with their change-log
//! entries, so the author's notification follows from the log.

use time::OffsetDateTime;

use crate::changelog::Entity;
use crate::{Store, StoreError, Tx, time_fmt};

/// One moderation decision (a row of the audit log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModerationAction {
    pub id: String,
    /// hide, restore, lock, unlock or suspend.
    pub action: String,
    pub post_id: Option<String>,
    pub thread_id: Option<String>,
    /// The account the decision is about.
    pub subject_id: Option<String>,
    /// None when the node acted on its own (flags).
    pub moderator_id: Option<String>,
    pub moderator_name: Option<String>,
    pub reason: String,
    pub until: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    /// The appeal against it, if any.
    pub appeal: Option<Appeal>,
}

/// The one appeal against a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appeal {
    /// open, upheld or overturned.
    pub state: String,
    /// Why the author says the decision should change.
    pub body: String,
    pub created_at: OffsetDateTime,
    /// Who decided it, when and why (once decided).
    pub decided_by: Option<String>,
    pub decided_at: Option<OffsetDateTime>,
    pub note: Option<String>,
}

/// A post waiting for a moderator: flagged, or hidden by flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueItem {
    pub post_id: String,
    pub thread_id: String,
    pub thread_title: String,
    pub room: Option<String>,
    pub case_id: Option<String>,
    pub author_name: String,
    pub body: String,
    pub hidden_by: Option<String>,
    /// Unreviewed flags: (reason, note).
    pub flags: Vec<(String, Option<String>)>,
}

/// A decision to record.
#[derive(Debug, Clone, Default)]
pub struct NewAction<'a> {
    pub action: &'a str,
    pub post_id: Option<&'a str>,
    pub thread_id: Option<&'a str>,
    pub subject_id: Option<&'a str>,
    pub moderator_id: Option<&'a str>,
    pub reason: &'a str,
    pub until: Option<OffsetDateTime>,
}

type ActionRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    String,
    // The appeal: state, body, created_at, the decider's name, decided_at, note.
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// state, body, created_at, decider's name, decided_at, note.
type AppealRow = (Option<String>, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);

/// post, thread, title, room, case, author, body, hidden_by.
type QueueRow = (String, String, String, Option<String>, Option<String>, Option<String>, String, Option<String>);

const ACTION_SELECT: &str = "SELECT m.id, m.action, m.post_id, m.thread_id, m.subject_id, m.moderator_id, a.name,
    m.reason, m.until, m.created_at, p.state, p.body, p.created_at, d.name, p.decided_at, p.decision_note
    FROM moderation_actions m LEFT JOIN accounts a ON a.id = m.moderator_id
    LEFT JOIN appeals p ON p.action_id = m.id LEFT JOIN accounts d ON d.id = p.decided_by";

fn appeal_from_row(r: AppealRow) -> Result<Option<Appeal>, StoreError> {
    let (state, body, at, decided_by, decided_at, note) = r;
    let (Some(state), Some(body), Some(at)) = (state, body, at) else { return Ok(None) };
    Ok(Some(Appeal {
        state,
        body,
        created_at: time_fmt::parse(&at)?,
        decided_by,
        decided_at: decided_at.as_deref().map(time_fmt::parse).transpose()?,
        note,
    }))
}

fn action_from_row(r: ActionRow) -> Result<ModerationAction, StoreError> {
    let (
        id,
        action,
        post_id,
        thread_id,
        subject_id,
        moderator_id,
        moderator_name,
        reason,
        until,
        at,
        state,
        body,
        appealed_at,
        decided_by,
        decided_at,
        note,
    ) = r;
    Ok(ModerationAction {
        id,
        action,
        post_id,
        thread_id,
        subject_id,
        moderator_id,
        moderator_name,
        reason,
        until: until.as_deref().map(time_fmt::parse).transpose()?,
        created_at: time_fmt::parse(&at)?,
        appeal: appeal_from_row((state, body, appealed_at, decided_by, decided_at, note))?,
    })
}

impl Store {
    /// The audit log, newest first.
    pub async fn moderation_log(&self, limit: i64) -> Result<Vec<ModerationAction>, StoreError> {
        let rows: Vec<ActionRow> =
            sqlx::query_as(&format!("{ACTION_SELECT} ORDER BY m.created_at DESC, m.id DESC LIMIT $1"))
                .bind(limit)
                .fetch_all(&self.pools.read)
                .await?;
        rows.into_iter().map(action_from_row).collect()
    }

    /// Decisions about one account, newest first.
    pub async fn moderation_about(&self, account: &str) -> Result<Vec<ModerationAction>, StoreError> {
        let rows: Vec<ActionRow> =
            sqlx::query_as(&format!("{ACTION_SELECT} WHERE m.subject_id = $1 ORDER BY m.created_at DESC, m.id DESC"))
                .bind(account)
                .fetch_all(&self.pools.read)
                .await?;
        rows.into_iter().map(action_from_row).collect()
    }

    pub async fn moderation_action(&self, id: &str) -> Result<Option<ModerationAction>, StoreError> {
        let row: Option<ActionRow> = sqlx::query_as(&format!("{ACTION_SELECT} WHERE m.id = $1"))
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?;
        row.map(action_from_row).transpose()
    }

    /// Decisions with an open appeal, oldest appeal first.
    pub async fn open_appeals(&self, limit: i64) -> Result<Vec<ModerationAction>, StoreError> {
        let rows: Vec<ActionRow> =
            sqlx::query_as(&format!("{ACTION_SELECT} WHERE p.state = 'open' ORDER BY p.created_at, m.id LIMIT $1"))
                .bind(limit)
                .fetch_all(&self.pools.read)
                .await?;
        rows.into_iter().map(action_from_row).collect()
    }

    /// Posts with unreviewed flags or hidden by flags, oldest first.
    pub async fn moderation_queue(&self, limit: i64) -> Result<Vec<QueueItem>, StoreError> {
        let rows: Vec<QueueRow> = sqlx::query_as(
            "SELECT p.id, t.id, t.title, t.room_slug, t.case_id, a.name, p.body, p.hidden_by
                 FROM posts p JOIN threads t ON t.id = p.thread_id LEFT JOIN accounts a ON a.id = p.author_id
                 WHERE p.hidden_by = 'automatic'
                    OR EXISTS (SELECT 1 FROM post_flags f WHERE f.post_id = p.id AND f.reviewed = 0)
                 ORDER BY p.created_at, p.id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pools.read)
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        for (post_id, thread_id, thread_title, room, case_id, author, body, hidden_by) in rows {
            let flags: Vec<(String, Option<String>)> = sqlx::query_as(
                "SELECT reason, note FROM post_flags WHERE post_id = $1 AND reviewed = 0 ORDER BY created_at",
            )
            .bind(&post_id)
            .fetch_all(&self.pools.read)
            .await?;
            items.push(QueueItem {
                post_id,
                thread_id,
                thread_title,
                room,
                case_id,
                author_name: author.unwrap_or_default(),
                body,
                hidden_by,
                flags,
            });
        }
        Ok(items)
    }

    /// How many flags there are on a post (reviewed or not).
    pub async fn flag_count(&self, post: &str) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM post_flags WHERE post_id = $1")
            .bind(post)
            .fetch_one(&self.pools.read)
            .await?)
    }
}

impl Tx {
    /// Records a flag (one per account per post: `Duplicate` otherwise) and
    /// returns the post's unreviewed flags.
    pub async fn flag_post(
        &mut self,
        post: &str,
        account: &str,
        reason: &str,
        note: Option<&str>,
    ) -> Result<i64, StoreError> {
        let now = lumbung_core::clock::now();
        sqlx::query(
            "INSERT INTO post_flags (post_id, account_id, reason, note, created_at, reviewed) VALUES ($1, $2, $3, $4, $5, 0)",
        )
        .bind(post)
        .bind(account)
        .bind(reason)
        .bind(note)
        .bind(time_fmt::fmt(now))
        .execute(self.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "you have flagged this post already"))?;
        Ok(sqlx::query_scalar("SELECT count(*) FROM post_flags WHERE post_id = $1 AND reviewed = 0")
            .bind(post)
            .fetch_one(self.conn())
            .await?)
    }

    /// Hides a post (`automatic`: by flags) or restores it (`None`); a
    /// moderator's decision marks its flags reviewed.
    pub async fn set_hidden(
        &mut self,
        post: &str,
        hidden: Option<(bool, &str)>,
        actor: Option<&str>,
    ) -> Result<(), StoreError> {
        let now = lumbung_core::clock::now();
        let (by, reason) = match hidden {
            Some((automatic, reason)) => (Some(if automatic { "automatic" } else { "moderator" }), Some(reason)),
            None => (None, None),
        };
        let done = sqlx::query("UPDATE posts SET hidden_by = $1, hidden_reason = $2 WHERE id = $3")
            .bind(by)
            .bind(reason)
            .bind(post)
            .execute(self.conn())
            .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        if actor.is_some() {
            sqlx::query("UPDATE post_flags SET reviewed = 1 WHERE post_id = $1")
                .bind(post)
                .execute(self.conn())
                .await?;
        }
        self.log(Entity::Post, post, if hidden.is_some() { "hide" } else { "restore" }, 1, actor, now);
        Ok(())
    }

    /// Locks or unlocks a thread.
    pub async fn set_locked(&mut self, thread: &str, locked: bool, actor: &str) -> Result<(), StoreError> {
        let now = lumbung_core::clock::now();
        let done = sqlx::query("UPDATE threads SET locked = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(locked))
            .bind(time_fmt::fmt(now))
            .bind(thread)
            .execute(self.conn())
            .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        self.log(Entity::Thread, thread, if locked { "lock" } else { "unlock" }, 1, Some(actor), now);
        Ok(())
    }

    /// Records a decision in the audit log; returns its id.
    pub async fn record_action(&mut self, a: &NewAction<'_>) -> Result<String, StoreError> {
        let now = lumbung_core::clock::now();
        let id = ulid::Ulid::new().to_string();
        sqlx::query(
            "INSERT INTO moderation_actions (id, action, post_id, thread_id, subject_id, moderator_id, reason, until, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&id)
        .bind(a.action)
        .bind(a.post_id)
        .bind(a.thread_id)
        .bind(a.subject_id)
        .bind(a.moderator_id)
        .bind(a.reason)
        .bind(a.until.map(time_fmt::fmt))
        .bind(time_fmt::fmt(now))
        .execute(self.conn())
        .await?;
        self.log(Entity::Moderation, &id, a.action, 1, a.moderator_id, now);
        Ok(id)
    }

    /// The one appeal against a decision (`Duplicate` for a second).
    pub async fn appeal(&mut self, action: &str, account: &str, body: &str) -> Result<(), StoreError> {
        let now = lumbung_core::clock::now();
        sqlx::query(
            "INSERT INTO appeals (action_id, account_id, body, state, created_at) VALUES ($1, $2, $3, 'open', $4)",
        )
        .bind(action)
        .bind(account)
        .bind(body)
        .bind(time_fmt::fmt(now))
        .execute(self.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "this decision has been appealed already"))?;
        self.log(Entity::Moderation, action, "appeal", 1, Some(account), now);
        Ok(())
    }

    /// Decides the open appeal against a decision: `upheld` or `overturned`,
    /// with the decider's note. False when there is no open appeal (none, or
    /// decided already, perhaps by a concurrent moderator).
    pub async fn decide_appeal(
        &mut self,
        action: &str,
        overturned: bool,
        by: &str,
        note: &str,
    ) -> Result<bool, StoreError> {
        let now = lumbung_core::clock::now();
        let state = if overturned { "overturned" } else { "upheld" };
        let done = sqlx::query(
            "UPDATE appeals SET state = $1, decided_by = $2, decided_at = $3, decision_note = $4
             WHERE action_id = $5 AND state = 'open'",
        )
        .bind(state)
        .bind(by)
        .bind(time_fmt::fmt(now))
        .bind(note)
        .bind(action)
        .execute(self.conn())
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        self.log(Entity::Moderation, action, "appeal_decided", 1, Some(by), now);
        Ok(true)
    }
}
