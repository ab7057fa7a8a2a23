//! The change log: an append-only, ordered record of every change, written in
//! the same transaction as the change itself. Derived views follow it from a
//! saved cursor.

use serde::Serialize;
use sqlx::{Sqlite, Transaction};
use time::OffsetDateTime;

use crate::{Store, StoreError, time_fmt};

/// One entry of the change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub seq: i64,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub version: i64,
    pub actor_id: Option<String>,
    pub at: String,
}

/// seq, entity, entity_id, action, version, actor_id, at.
type ChangeRow = (i64, String, String, String, i64, Option<String>, String);

pub(crate) async fn append(
    tx: &mut Transaction<'_, Sqlite>,
    entity: &str,
    entity_id: &str,
    action: &str,
    version: i64,
    actor: Option<&str>,
    at: OffsetDateTime,
) -> Result<i64, StoreError> {
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO change_log (seq, entity, entity_id, action, version, actor_id, at)
         VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM change_log), ?, ?, ?, ?, ?, ?) RETURNING seq",
    )
    .bind(entity)
    .bind(entity_id)
    .bind(action)
    .bind(version)
    .bind(actor)
    .bind(time_fmt::fmt(at))
    .fetch_one(&mut **tx)
    .await?;
    Ok(seq)
}

impl Store {
    /// Change-log entries after `after`, oldest first, at most `limit`.
    pub async fn changes_since(&self, after: i64, limit: i64) -> Result<Vec<Change>, StoreError> {
        let rows: Vec<ChangeRow> = sqlx::query_as(
            "SELECT seq, entity, entity_id, action, version, actor_id, at FROM change_log
             WHERE seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(seq, entity, entity_id, action, version, actor_id, at)| Change {
                seq,
                entity,
                entity_id,
                action,
                version,
                actor_id,
                at,
            })
            .collect())
    }

    /// The newest change-log sequence number (0 when empty).
    pub async fn last_change(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM change_log").fetch_one(&self.read).await?)
    }

    /// A derived view's saved position in the change log.
    pub async fn cursor(&self, name: &str) -> Result<i64, StoreError> {
        let seq: Option<i64> =
            sqlx::query_scalar("SELECT seq FROM cursors WHERE name = ?").bind(name).fetch_optional(&self.read).await?;
        Ok(seq.unwrap_or(0))
    }

    /// Saves a derived view's position in the change log.
    pub async fn set_cursor(&self, name: &str, seq: i64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO cursors (name, seq) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq",
        )
        .bind(name)
        .bind(seq)
        .execute(&self.write)
        .await?;
        Ok(())
    }
}
