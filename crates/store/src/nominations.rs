//! Nominations between nodes and where this node's cases are published elsewhere.

use serde::Serialize;

use crate::{Store, StoreError, changelog, time_fmt};

/// A nomination, outgoing or incoming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Nomination {
    pub id: String,
    /// `outgoing` (this node nominated) or `incoming` (harvested from below).
    pub direction: String,
    pub case_id: String,
    /// Outgoing: the upstream node; incoming: the nominating node.
    pub node: String,
    pub note: Option<String>,
    /// nominated, accepted, declined or withdrawn.
    pub state: String,
    pub decision_note: Option<String>,
    pub created_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A node where one of this node's cases is (or was) published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Presence {
    pub node: String,
    /// `published` or `withdrawn`.
    pub state: String,
    pub since: String,
}

impl Store {
    /// Records a nomination (or renews a declined or withdrawn one).
    pub async fn nominate(
        &self,
        direction: &str,
        case_id: &str,
        node: &str,
        note: Option<&str>,
        actor: Option<&str>,
    ) -> Result<Nomination, StoreError> {
        let now = time_fmt::fmt(lumbung_core::clock::now());
        let id = ulid::Ulid::new().to_string();
        let mut tx = self.write.begin().await?;
        let existing: Option<(String, String)> =
            sqlx::query_as("SELECT id, state FROM nominations WHERE direction = ? AND case_id = ? AND node = ?")
                .bind(direction)
                .bind(case_id)
                .bind(node)
                .fetch_optional(&mut *tx)
                .await?;
        let id = match existing {
            Some((_, state)) if state == "nominated" || state == "accepted" => {
                return Err(StoreError::Duplicate(format!("the case is already {state} at {node}")));
            }
            Some((id, _)) => {
                sqlx::query(
                    "UPDATE nominations SET state = 'nominated', note = ?, decision_note = NULL, updated_at = ? WHERE id = ?",
                )
                .bind(note)
                .bind(&now)
                .bind(&id)
                .execute(&mut *tx)
                .await?;
                id
            }
            None => {
                sqlx::query(
                    "INSERT INTO nominations (id, direction, case_id, node, note, state, created_by, created_at, updated_at)
                     VALUES (?, ?, ?, ?, ?, 'nominated', ?, ?, ?)",
                )
                .bind(&id)
                .bind(direction)
                .bind(case_id)
                .bind(node)
                .bind(note)
                .bind(actor)
                .bind(&now)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
                id
            }
        };
        // A nomination changes what the nomination set holds: the case's
        // OAI datestamp moves, so incremental harvesters of the set see it.
        sqlx::query("UPDATE cases SET changed_s = ? WHERE id = ?")
            .bind(lumbung_core::clock::now().unix_timestamp())
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
        let version: i64 =
            sqlx::query_scalar("SELECT version FROM cases WHERE id = ?").bind(case_id).fetch_one(&mut *tx).await?;
        changelog::append(&mut tx, "nomination", &id, "nominate", version, actor, lumbung_core::clock::now()).await?;
        tx.commit().await?;
        self.nomination(&id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn nomination(&self, id: &str) -> Result<Option<Nomination>, StoreError> {
        Ok(sqlx::query_as("SELECT * FROM nominations WHERE id = ?").bind(id).fetch_optional(&self.read).await?)
    }

    /// Nominations by direction (and state), newest first.
    pub async fn nominations(&self, direction: &str, state: Option<&str>) -> Result<Vec<Nomination>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT * FROM nominations WHERE direction = ? AND (? IS NULL OR state = ?) ORDER BY updated_at DESC, id DESC LIMIT 500",
        )
        .bind(direction)
        .bind(state)
        .bind(state)
        .fetch_all(&self.read)
        .await?)
    }

    /// Every nomination of one case.
    pub async fn nominations_of(&self, case_id: &str) -> Result<Vec<Nomination>, StoreError> {
        Ok(sqlx::query_as("SELECT * FROM nominations WHERE case_id = ? ORDER BY created_at")
            .bind(case_id)
            .fetch_all(&self.read)
            .await?)
    }

    /// Sets a nomination's state (with the curator's note).
    pub async fn decide_nomination(&self, id: &str, state: &str, note: Option<&str>) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE nominations SET state = ?, decision_note = ?, updated_at = ? WHERE id = ?")
            .bind(state)
            .bind(note)
            .bind(time_fmt::fmt(lumbung_core::clock::now()))
            .bind(id)
            .execute(&self.write)
            .await?;
        if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    /// The outgoing nomination notes of a case, by upstream node.
    pub async fn outgoing_notes(&self, case_id: &str) -> Result<Vec<(String, Option<String>)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT node, note FROM nominations WHERE direction = 'outgoing' AND case_id = ? AND state IN ('nominated', 'accepted')",
        )
        .bind(case_id)
        .fetch_all(&self.read)
        .await?)
    }

    /// The upstream nodes each of these cases is nominated to (nominated or
    /// accepted): the `nominated:<node>` OAI-PMH sets a record belongs to.
    pub async fn nominated_upstreams(
        &self,
        case_ids: &[&str],
    ) -> Result<std::collections::HashMap<String, Vec<String>>, StoreError> {
        let mut out: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
        for chunk in case_ids.chunks(500) {
            let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                "SELECT case_id, node FROM nominations WHERE direction = 'outgoing' \
                 AND state IN ('nominated', 'accepted') AND case_id IN (",
            );
            let mut ids = q.separated(", ");
            for id in chunk {
                ids.push_bind(*id);
            }
            q.push(") ORDER BY node");
            let rows: Vec<(String, String)> = q.build_query_as().fetch_all(&self.read).await?;
            for (case_id, node) in rows {
                out.entry(case_id).or_default().push(node);
            }
        }
        Ok(out)
    }

    /// Records that a case of this node is published (or withdrawn) at `node`,
    /// and moves an outgoing nomination there to accepted (or declined/withdrawn).
    pub async fn set_presence(&self, case_id: &str, node: &str, published: bool) -> Result<bool, StoreError> {
        let known: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM cases WHERE id = ?").bind(case_id).fetch_optional(&self.read).await?;
        if known.is_none() {
            return Ok(false);
        }
        let now = time_fmt::fmt(lumbung_core::clock::now());
        let state = if published { "published" } else { "withdrawn" };
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO case_presence (case_id, node, state, since) VALUES (?, ?, ?, ?)
             ON CONFLICT (case_id, node) DO UPDATE SET state = excluded.state,
                since = CASE WHEN case_presence.state = excluded.state THEN case_presence.since ELSE excluded.since END",
        )
        .bind(case_id)
        .bind(node)
        .bind(state)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        let outcome = if published { "accepted" } else { "declined" };
        sqlx::query(
            "UPDATE nominations SET state = CASE WHEN ? = 'declined' AND state = 'accepted' THEN 'withdrawn' ELSE ? END,
                updated_at = ?
             WHERE direction = 'outgoing' AND case_id = ? AND node = ? AND state IN ('nominated', 'accepted') AND state != ?",
        )
        .bind(outcome)
        .bind(outcome)
        .bind(&now)
        .bind(case_id)
        .bind(node)
        .bind(outcome)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Where a case of this node is published elsewhere.
    pub async fn presence(&self, case_id: &str) -> Result<Vec<Presence>, StoreError> {
        Ok(sqlx::query_as("SELECT node, state, since FROM case_presence WHERE case_id = ? ORDER BY node")
            .bind(case_id)
            .fetch_all(&self.read)
            .await?)
    }
}
