//! Nominations between nodes and where this node's cases are published elsewhere.

use lumbung_core::{NominationDirection, NominationState};
use serde::Serialize;
use time::OffsetDateTime;

use crate::changelog::Entity;
use crate::sql::Sql;
use crate::{Store, StoreError, Tx, time_fmt};

/// A nomination, outgoing or incoming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Nomination {
    pub id: String,
    pub direction: NominationDirection,
    pub case_id: String,
    /// Outgoing: the upstream node; incoming: the nominating node.
    pub node: String,
    pub note: Option<String>,
    pub state: NominationState,
    pub decision_note: Option<String>,
    pub created_by: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A node where one of this node's cases is (or was) published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
        direction: NominationDirection,
        case_id: &str,
        node: &str,
        note: Option<&str>,
        actor: Option<&str>,
    ) -> Result<Nomination, StoreError> {
        let mut tx = self.begin().await?;
        let id = tx.nominate(direction, case_id, node, note, actor).await?;
        tx.commit().await?;
        self.nomination(&id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn nomination(&self, id: &str) -> Result<Option<Nomination>, StoreError> {
        let row: Option<NominationRow> =
            sqlx::query_as(&format!("SELECT {NOMINATION_COLUMNS} FROM nominations WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pools.read)
                .await?;
        row.map(nomination_from_row).transpose()
    }

    /// Nominations by direction (and state), newest first.
    pub async fn nominations(
        &self,
        direction: NominationDirection,
        state: Option<NominationState>,
    ) -> Result<Vec<Nomination>, StoreError> {
        let mut q =
            Sql::new(self.pools.backend, &format!("SELECT {NOMINATION_COLUMNS} FROM nominations WHERE direction = "));
        q.bind(direction.as_str());
        if let Some(state) = state {
            q.push(" AND state = ").bind(state.as_str());
        }
        q.push(" ORDER BY updated_at DESC, id DESC LIMIT 500");
        let rows: Vec<NominationRow> = q.query_as().fetch_all(&self.pools.read).await?;
        rows.into_iter().map(nomination_from_row).collect()
    }

    /// Every nomination of one case.
    pub async fn nominations_of(&self, case_id: &str) -> Result<Vec<Nomination>, StoreError> {
        let rows: Vec<NominationRow> = sqlx::query_as(&format!(
            "SELECT {NOMINATION_COLUMNS} FROM nominations WHERE case_id = $1 ORDER BY created_at"
        ))
        .bind(case_id)
        .fetch_all(&self.pools.read)
        .await?;
        rows.into_iter().map(nomination_from_row).collect()
    }

    /// Sets a nomination's state (with the curator's note).
    pub async fn decide_nomination(
        &self,
        id: &str,
        state: NominationState,
        note: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.decide_nomination(id, state, note).await?;
        tx.commit().await
    }

    /// The outgoing nomination notes of a case, by upstream node.
    pub async fn outgoing_notes(&self, case_id: &str) -> Result<Vec<(String, Option<String>)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT node, note FROM nominations WHERE direction = 'outgoing' AND case_id = $1 AND state IN ('nominated', 'accepted')",
        )
        .bind(case_id)
        .fetch_all(&self.pools.read)
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
            let mut q = Sql::new(
                self.pools.backend,
                "SELECT case_id, node FROM nominations WHERE direction = 'outgoing' \
                 AND state IN ('nominated', 'accepted') AND case_id IN (",
            );
            q.list(chunk.iter().copied()).push(") ORDER BY node");
            let rows: Vec<(String, String)> = q.query_as().fetch_all(&self.pools.read).await?;
            for (case_id, node) in rows {
                out.entry(case_id).or_default().push(node);
            }
        }
        Ok(out)
    }

    /// Records that a case of this node is published (or withdrawn) at `node`,
    /// and moves an outgoing nomination there to accepted (or declined/withdrawn).
    pub async fn set_presence(&self, case_id: &str, node: &str, published: bool) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let known = tx.set_presence(case_id, node, published).await?;
        tx.commit().await?;
        Ok(known)
    }

    /// Where a case of this node is published elsewhere.
    pub async fn presence(&self, case_id: &str) -> Result<Vec<Presence>, StoreError> {
        let rows: Vec<(String, String, String)> =
            sqlx::query_as("SELECT node, state, since FROM case_presence WHERE case_id = $1 ORDER BY node")
                .bind(case_id)
                .fetch_all(&self.pools.read)
                .await?;
        Ok(rows.into_iter().map(|(node, state, since)| Presence { node, state, since }).collect())
    }
}

const NOMINATION_COLUMNS: &str =
    "id, direction, case_id, node, note, state, decision_note, created_by, created_at, updated_at";

type NominationRow =
    (String, String, String, String, Option<String>, String, Option<String>, Option<String>, String, String);

fn nomination_from_row(r: NominationRow) -> Result<Nomination, StoreError> {
    let (id, direction, case_id, node, note, state, decision_note, created_by, created_at, updated_at) = r;
    let bad = |what: &str, v: &str| StoreError::Integrity(format!("nomination {id} has an unknown {what} '{v}'"));
    Ok(Nomination {
        direction: NominationDirection::parse(&direction).ok_or_else(|| bad("direction", &direction))?,
        state: NominationState::parse(&state).ok_or_else(|| bad("state", &state))?,
        created_at: time_fmt::parse(&created_at)?,
        updated_at: time_fmt::parse(&updated_at)?,
        id,
        case_id,
        node,
        note,
        decision_note,
        created_by,
    })
}

impl Tx {
    /// Records a nomination (or renews a declined or withdrawn one); returns its id.
    /// Refuses (before writing anything) one already nominated or accepted.
    pub async fn nominate(
        &mut self,
        direction: NominationDirection,
        case_id: &str,
        node: &str,
        note: Option<&str>,
        actor: Option<&str>,
    ) -> Result<String, StoreError> {
        let direction = direction.as_str();
        let now = time_fmt::fmt(lumbung_core::clock::now());
        let id = ulid::Ulid::new().to_string();
        let existing: Option<(String, String)> =
            sqlx::query_as("SELECT id, state FROM nominations WHERE direction = $1 AND case_id = $2 AND node = $3")
                .bind(direction)
                .bind(case_id)
                .bind(node)
                .fetch_optional(self.conn())
                .await?;
        let id = match existing {
            Some((_, state)) if state == "nominated" || state == "accepted" => {
                return Err(StoreError::Duplicate(format!("the case is already {state} at {node}")));
            }
            Some((id, _)) => {
                sqlx::query(
                    "UPDATE nominations SET state = 'nominated', note = $1, decision_note = NULL, updated_at = $2 WHERE id = $3",
                )
                .bind(note)
                .bind(&now)
                .bind(&id)
                .execute(self.conn())
                .await?;
                id
            }
            None => {
                sqlx::query(
                    "INSERT INTO nominations (id, direction, case_id, node, note, state, created_by, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, 'nominated', $6, $7, $8)",
                )
                .bind(&id)
                .bind(direction)
                .bind(case_id)
                .bind(node)
                .bind(note)
                .bind(actor)
                .bind(&now)
                .bind(&now)
                .execute(self.conn())
                .await?;
                id
            }
        };
        // A nomination changes what the nomination set holds: the case's
        // OAI datestamp moves, so incremental harvesters of the set see it.
        sqlx::query("UPDATE cases SET changed_s = $1 WHERE id = $2")
            .bind(lumbung_core::clock::now().unix_timestamp())
            .bind(case_id)
            .execute(self.conn())
            .await?;
        let version: i64 =
            sqlx::query_scalar("SELECT version FROM cases WHERE id = $1").bind(case_id).fetch_one(self.conn()).await?;
        self.log(Entity::Nomination, &id, "nominate", version, actor, lumbung_core::clock::now());
        Ok(id)
    }

    /// Records that a case of this node is published (or withdrawn) at `node`,
    /// and moves an outgoing nomination there to accepted (or declined/withdrawn).
    /// False (and nothing written) when no such case is stored here.
    pub async fn set_presence(&mut self, case_id: &str, node: &str, published: bool) -> Result<bool, StoreError> {
        let known: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM cases WHERE id = $1").bind(case_id).fetch_optional(self.conn()).await?;
        if known.is_none() {
            return Ok(false);
        }
        let now = time_fmt::fmt(lumbung_core::clock::now());
        let state = if published { "published" } else { "withdrawn" };
        sqlx::query(
            "INSERT INTO case_presence (case_id, node, state, since) VALUES ($1, $2, $3, $4)
             ON CONFLICT (case_id, node) DO UPDATE SET state = excluded.state,
                since = CASE WHEN case_presence.state = excluded.state THEN case_presence.since ELSE excluded.since END",
        )
        .bind(case_id)
        .bind(node)
        .bind(state)
        .bind(&now)
        .execute(self.conn())
        .await?;
        let outcome = if published { "accepted" } else { "declined" };
        sqlx::query(
            "UPDATE nominations SET state = CASE WHEN $1 = 'declined' AND state = 'accepted' THEN 'withdrawn' ELSE $2 END,
                updated_at = $3
             WHERE direction = 'outgoing' AND case_id = $4 AND node = $5 AND state IN ('nominated', 'accepted') AND state != $6",
        )
        .bind(outcome)
        .bind(outcome)
        .bind(&now)
        .bind(case_id)
        .bind(node)
        .bind(outcome)
        .execute(self.conn())
        .await?;
        Ok(true)
    }

    /// Sets a nomination's state (with the curator's note).
    pub async fn decide_nomination(
        &mut self,
        id: &str,
        state: NominationState,
        note: Option<&str>,
    ) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE nominations SET state = $1, decision_note = $2, updated_at = $3 WHERE id = $4")
            .bind(state.as_str())
            .bind(note)
            .bind(time_fmt::fmt(lumbung_core::clock::now()))
            .bind(id)
            .execute(self.conn())
            .await?;
        if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }
}
