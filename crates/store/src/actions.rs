//! Action items agreed at events: owned by an organisation, due on a date,
//! open, done or dropped, linked to cases. Each change is one transaction
//! with its change-log entry, the version checked as for every record.

use lumbung_core::event::{ActionItem, ActionStatus};

use crate::changelog::Entity;
use crate::sql::Sql;
use crate::{Store, StoreError, time_fmt};

/// Which action items a list shows.
#[derive(Debug, Clone, Default)]
pub struct ActionFilter {
    pub event_id: Option<String>,
    pub owner: Option<String>,
    pub status: Option<ActionStatus>,
    /// Open and due before this date (`YYYY-MM-DD`).
    pub due_before: Option<String>,
}

impl Store {
    /// Action items matching `f`, by due date.
    pub async fn action_items(&self, f: &ActionFilter) -> Result<Vec<ActionItem>, StoreError> {
        let mut q = Sql::new(self.pools.backend, &format!("SELECT {COLUMNS} FROM action_items WHERE 1 = 1"));
        if let Some(e) = &f.event_id {
            q.push(" AND event_id = ").bind(e.clone());
        }
        if let Some(o) = &f.owner {
            q.push(" AND owner_org = ").bind(o.clone());
        }
        if let Some(s) = f.status {
            q.push(" AND status = ").bind(s.as_str());
        }
        if let Some(d) = &f.due_before {
            q.push(" AND status = 'open' AND due_on < ").bind(d.clone());
        }
        q.push(" ORDER BY due_on, id LIMIT 1000");
        let rows: Vec<ActionRow> = q.query_as().fetch_all(&self.pools.read).await?;
        rows.into_iter().map(from_row).collect()
    }

    pub async fn action_item(&self, id: &str) -> Result<Option<ActionItem>, StoreError> {
        let row: Option<ActionRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM action_items WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?;
        row.map(from_row).transpose()
    }

    /// Stores a new action item.
    pub async fn create_action_item(&self, a: &ActionItem, actor: Option<&str>) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO action_items (id, event_id, what, owner_org, due_on, status, cases, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&a.id)
        .bind(&a.event_id)
        .bind(&a.content.what)
        .bind(&a.content.owner)
        .bind(&a.content.due_on)
        .bind(a.content.status.as_str())
        .bind(serde_json::to_string(&a.content.cases)?)
        .bind(a.version)
        .bind(time_fmt::fmt(a.created_at))
        .bind(time_fmt::fmt(a.updated_at))
        .execute(tx.conn())
        .await?;
        tx.touch_event(&a.event_id, a.updated_at.unix_timestamp()).await?;
        tx.log(Entity::ActionItem, &a.id, "create", a.version, actor, a.updated_at);
        tx.commit().await
    }

    /// Replaces an action item's content if `expected_version` is current.
    pub async fn update_action_item(
        &self,
        id: &str,
        expected_version: i64,
        content: lumbung_core::event::ActionItemContent,
        actor: Option<&str>,
    ) -> Result<ActionItem, StoreError> {
        let mut tx = self.begin().await?;
        let row: Option<ActionRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM action_items WHERE id = $1"))
            .bind(id)
            .fetch_optional(tx.conn())
            .await?;
        let mut a = from_row(row.ok_or(StoreError::NotFound)?)?;
        if a.version != expected_version {
            return Err(StoreError::Conflict { current: a.version });
        }
        a.content = content;
        a.version += 1;
        a.updated_at = lumbung_core::clock::now();
        let done = sqlx::query(
            "UPDATE action_items SET what = $1, owner_org = $2, due_on = $3, status = $4, cases = $5, version = $6,
                updated_at = $7 WHERE id = $8 AND version = $9",
        )
        .bind(&a.content.what)
        .bind(&a.content.owner)
        .bind(&a.content.due_on)
        .bind(a.content.status.as_str())
        .bind(serde_json::to_string(&a.content.cases)?)
        .bind(a.version)
        .bind(time_fmt::fmt(a.updated_at))
        .bind(id)
        .bind(expected_version)
        .execute(tx.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict { current: expected_version + 1 });
        }
        tx.touch_event(&a.event_id, a.updated_at.unix_timestamp()).await?;
        tx.log(Entity::ActionItem, id, "update", a.version, actor, a.updated_at);
        tx.commit().await?;
        Ok(a)
    }
}

const COLUMNS: &str = "id, event_id, what, owner_org, due_on, status, cases, version, created_at, updated_at";

type ActionRow = (String, String, String, String, String, String, String, i64, String, String);

fn from_row(r: ActionRow) -> Result<ActionItem, StoreError> {
    let (id, event_id, what, owner, due_on, status, cases, version, created_at, updated_at) = r;
    let status = ActionStatus::parse(&status)
        .ok_or_else(|| StoreError::Integrity(format!("action item {id} has an unknown status '{status}'")))?;
    Ok(ActionItem {
        content: lumbung_core::event::ActionItemContent {
            what,
            owner,
            due_on,
            status,
            cases: serde_json::from_str(&cases)?,
        },
        id,
        event_id,
        version,
        created_at: time_fmt::parse(&created_at)?,
        updated_at: time_fmt::parse(&updated_at)?,
    })
}
