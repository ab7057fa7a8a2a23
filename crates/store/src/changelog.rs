//! The change log: an append-only, ordered record of every change, written in
//! the same transaction as the change itself. Derived views (the search
//! index, feeds, notifications) follow it from saved positions.
//!
//! Several writers, one order: a transaction does not number its entries when
//! it makes them but when it commits ([`crate::Tx::commit`]): it locks the log
//! against other appenders (`LOCK TABLE change_log IN EXCLUSIVE MODE` on
//! PostgreSQL; SQLite's write lock is already exclusive), reads `max(seq)`,
//! inserts its entries as the next numbers and commits, which releases the
//! lock. So entries become visible in the order of their numbers, with no
//! gaps: a transaction that rolls back numbered nothing; the next one to take
//! the lock reads a `max(seq)` that includes every committed entry (its
//! statement's snapshot is taken after the lock is granted, under PostgreSQL's
//! default READ COMMITTED); and no entry can commit below one a follower has
//! already seen, because numbering and committing happen under one lock. A
//! follower reading `seq > position` therefore never skips an entry.

use serde::Serialize;
use time::OffsetDateTime;

use crate::{Backend, Store, StoreError, Tx, sql::Sql, time_fmt};

/// What kind of record a change-log entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Case,
    Organisation,
    Account,
    Nomination,
    Event,
    ActionItem,
    /// A replication link between cases (recorded or removed).
    Link,
    /// A check-in of a living case (fallen due, answered).
    Checkin,
    Room,
    Thread,
    Post,
    Moderation,
    Resource,
    Collection,
}

impl Entity {
    pub const ALL: [Entity; 14] = [
        Entity::Case,
        Entity::Organisation,
        Entity::Account,
        Entity::Nomination,
        Entity::Event,
        Entity::ActionItem,
        Entity::Link,
        Entity::Checkin,
        Entity::Room,
        Entity::Thread,
        Entity::Post,
        Entity::Moderation,
        Entity::Resource,
        Entity::Collection,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Case => "case",
            Entity::Organisation => "organisation",
            Entity::Account => "account",
            Entity::Nomination => "nomination",
            Entity::Event => "event",
            Entity::ActionItem => "action_item",
            Entity::Link => "link",
            Entity::Checkin => "checkin",
            Entity::Room => "room",
            Entity::Thread => "thread",
            Entity::Post => "post",
            Entity::Moderation => "moderation",
            Entity::Resource => "resource",
            Entity::Collection => "collection",
        }
    }

    pub fn parse(s: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// One entry of the change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub seq: i64,
    pub entity: Entity,
    pub entity_id: String,
    pub action: String,
    pub version: i64,
    pub actor_id: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// An entry made in a transaction, numbered when it commits.
#[derive(Debug, Clone)]
pub(crate) struct PendingChange {
    pub entity: Entity,
    pub entity_id: String,
    pub action: String,
    pub version: i64,
    pub actor_id: Option<String>,
    pub at: OffsetDateTime,
}

/// seq, entity, entity_id, action, version, actor_id, at.
type ChangeRow = (i64, String, String, String, i64, Option<String>, String);

/// Rows per multi-row insert.
const ROWS: usize = 500;

/// Numbers and writes a transaction's entries (see the module comment).
pub(crate) async fn flush(tx: &mut Tx, changes: Vec<PendingChange>) -> Result<(), StoreError> {
    if changes.is_empty() {
        return Ok(());
    }
    if tx.backend == Backend::Postgres {
        sqlx::query("LOCK TABLE change_log IN EXCLUSIVE MODE").execute(tx.conn()).await?;
    }
    let last: i64 = sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM change_log").fetch_one(tx.conn()).await?;
    let numbered: Vec<(i64, &PendingChange)> = (last + 1..).zip(changes.iter()).collect();
    for chunk in numbered.chunks(ROWS) {
        let mut q = Sql::new(
            tx.backend,
            "INSERT INTO change_log (seq, entity, entity_id, action, version, actor_id, at) VALUES ",
        );
        q.rows(chunk, |r, (seq, c)| {
            r.bind(*seq)
                .bind(c.entity.as_str())
                .bind(c.entity_id.as_str())
                .bind(c.action.as_str())
                .bind(c.version)
                .bind(c.actor_id.as_deref())
                .bind(time_fmt::fmt(c.at));
        });
        q.query().execute(tx.conn()).await?;
    }
    Ok(())
}

fn change_from_row(row: ChangeRow) -> Result<Change, StoreError> {
    let (seq, entity, entity_id, action, version, actor_id, at) = row;
    Ok(Change {
        seq,
        entity: Entity::parse(&entity)
            .ok_or_else(|| StoreError::Integrity(format!("change {seq} names an unknown entity '{entity}'")))?,
        entity_id,
        action,
        version,
        actor_id,
        at: time_fmt::parse(&at)?,
    })
}

impl Store {
    /// Change-log entries after `after`, oldest first, at most `limit`.
    pub async fn changes_since(&self, after: i64, limit: i64) -> Result<Vec<Change>, StoreError> {
        let rows: Vec<ChangeRow> = sqlx::query_as(
            "SELECT seq, entity, entity_id, action, version, actor_id, at FROM change_log
             WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pools.read)
        .await?;
        rows.into_iter().map(change_from_row).collect()
    }

    /// The newest change-log sequence number (0 when empty).
    pub async fn last_change(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM change_log").fetch_one(&self.pools.read).await?)
    }

    /// A derived view's saved position in the change log.
    pub async fn cursor(&self, name: &str) -> Result<i64, StoreError> {
        let seq: Option<i64> = sqlx::query_scalar("SELECT seq FROM cursors WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pools.read)
            .await?;
        Ok(seq.unwrap_or(0))
    }

    /// Saves a derived view's position in the change log.
    pub async fn set_cursor(&self, name: &str, seq: i64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO cursors (name, seq) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq",
        )
        .bind(name)
        .bind(seq)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(())
    }
}
