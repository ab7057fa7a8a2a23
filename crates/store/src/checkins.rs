//! Check-ins of living cases: which fell due, how owners answered. The
//! scheduler's write ([`Tx::mark_checkin_due`]) is idempotent — one row per
//! case and due date — so any number of runs on any instances mark each due
//! check-in once.

use lumbung_core::Case;
use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::changelog::Entity;
use crate::{Store, StoreError, Tx, time_fmt};

/// One check-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checkin {
    pub id: String,
    pub case_id: String,
    pub due_on: String,
    /// `due` or `answered`.
    pub state: String,
    pub answer: Option<String>,
    pub what_changed: Option<String>,
    pub discontinued_on: Option<String>,
    pub reason: Option<String>,
    pub lessons: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<String>,
    pub created_at: String,
}

const COLUMNS: &str = "id, case_id, due_on, state, answer, what_changed, discontinued_on, reason, lessons, \
     answered_by, answered_at, created_at";

type Row = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

/// A check-in row followed by its case's JSON.
type LessonRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
);

fn from_row(r: Row) -> Checkin {
    let (
        id,
        case_id,
        due_on,
        state,
        answer,
        what_changed,
        discontinued_on,
        reason,
        lessons,
        answered_by,
        answered_at,
        created_at,
    ) = r;
    Checkin {
        id,
        case_id,
        due_on,
        state,
        answer,
        what_changed,
        discontinued_on,
        reason,
        lessons,
        answered_by,
        answered_at,
        created_at,
    }
}

/// A case the scheduler considers: (case, its own interval in months).
pub type ScheduledCase = (Case, Option<u32>);

impl Store {
    /// A case's check-ins, newest due date first.
    pub async fn checkins_of(&self, case_id: &str) -> Result<Vec<Checkin>, StoreError> {
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM case_checkins WHERE case_id = $1 ORDER BY due_on DESC, id DESC"
        ))
        .bind(case_id)
        .fetch_all(&self.pools.read)
        .await?;
        Ok(rows.into_iter().map(from_row).collect())
    }

    /// One check-in by its id.
    pub async fn checkin(&self, id: &str) -> Result<Option<Checkin>, StoreError> {
        let row: Option<Row> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM case_checkins WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?;
        Ok(row.map(from_row))
    }

    /// Unanswered check-ins due on or before `on`, oldest first (at most `limit`).
    pub async fn due_checkins(&self, on: Date, limit: i64) -> Result<Vec<Checkin>, StoreError> {
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM case_checkins WHERE state = 'due' AND due_on <= $1 ORDER BY due_on, id LIMIT $2"
        ))
        .bind(on.to_string())
        .bind(limit)
        .fetch_all(&self.pools.read)
        .await?;
        Ok(rows.into_iter().map(from_row).collect())
    }

    /// Unanswered check-ins due on or before `on`, oldest first (at most
    /// `limit`), each with its case; of the cases `author` created when
    /// given. One query, for the pages that list them.
    pub async fn due_checkins_with_cases(
        &self,
        on: Date,
        author: Option<&str>,
        limit: i64,
    ) -> Result<Vec<(Checkin, Case)>, StoreError> {
        let columns = COLUMNS.split(", ").map(|c| format!("k.{c}")).collect::<Vec<_>>().join(", ");
        let of_author = if author.is_some() { "AND c.created_by = $3" } else { "" };
        let sql = format!(
            "SELECT {columns}, c.data FROM case_checkins k JOIN cases c ON c.id = k.case_id
                 WHERE k.state = 'due' AND k.due_on <= $1 {of_author} ORDER BY k.due_on, k.id LIMIT $2"
        );
        let mut q = sqlx::query_as::<_, LessonRow>(&sql).bind(on.to_string()).bind(limit);
        if let Some(author) = author {
            q = q.bind(author);
        }
        let rows = q.fetch_all(&self.pools.read).await?;
        rows.into_iter()
            .map(|(a, b, c, d, e, f, g, h, i, j, k, l, data)| {
                Ok((from_row((a, b, c, d, e, f, g, h, i, j, k, l)), serde_json::from_str(&data)?))
            })
            .collect()
    }

    /// Published local cases after `after` (by id), with their own check-in
    /// interval, a page of `limit` (harvested copies are checked at their origin).
    pub async fn scheduled_cases(&self, after: &str, limit: i64) -> Result<Vec<ScheduledCase>, StoreError> {
        let rows: Vec<(String, Option<i64>)> = sqlx::query_as(
            "SELECT c.data, s.interval_months FROM cases c LEFT JOIN checkin_schedules s ON s.case_id = c.id
             WHERE c.status = 'published' AND c.origin_identifier IS NULL AND c.id > $1 ORDER BY c.id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pools.read)
        .await?;
        rows.into_iter()
            .map(|(data, months)| Ok((serde_json::from_str(&data)?, months.and_then(|m| u32::try_from(m).ok()))))
            .collect()
    }

    /// The newest discontinuation answer of every case that has one, with
    /// its case (whatever its status: callers keep the published), newest first.
    pub async fn lessons(&self, limit: i64) -> Result<Vec<(Case, Checkin)>, StoreError> {
        let rows: Vec<LessonRow> = sqlx::query_as(&format!(
            "SELECT {}, c.data FROM case_checkins k JOIN cases c ON c.id = k.case_id
                 WHERE k.answer = 'discontinued' AND c.operating_status = 'discontinued'
                 ORDER BY k.answered_at DESC, k.id DESC LIMIT $1",
            COLUMNS.split(", ").map(|c| format!("k.{c}")).collect::<Vec<_>>().join(", ")
        ))
        .bind(limit)
        .fetch_all(&self.pools.read)
        .await?;
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for (a, b, c, d, e, f, g, h, i, j, k, l, data) in rows {
            if seen.insert(b.clone()) {
                out.push((serde_json::from_str(&data)?, from_row((a, b, c, d, e, f, g, h, i, j, k, l))));
            }
        }
        Ok(out)
    }

    /// A case's own check-in interval, if it set one.
    pub async fn checkin_interval(&self, case_id: &str) -> Result<Option<u32>, StoreError> {
        let m: Option<i64> = sqlx::query_scalar("SELECT interval_months FROM checkin_schedules WHERE case_id = $1")
            .bind(case_id)
            .fetch_optional(&self.pools.read)
            .await?;
        Ok(m.and_then(|m| u32::try_from(m).ok()))
    }
}

impl Tx {
    /// Marks the check-in of `case` due on `due_on`, unless it already is (or
    /// was answered). True when this call marked it. The case gets a
    /// change-log entry (at its version) so the search index recomputes its
    /// `confirmed` facet.
    pub async fn mark_checkin_due(&mut self, case_id: &str, version: i64, due_on: Date) -> Result<bool, StoreError> {
        let now = lumbung_core::clock::now();
        let id = ulid::Ulid::new().to_string();
        let done = sqlx::query(
            "INSERT INTO case_checkins (id, case_id, due_on, state, created_at) VALUES ($1, $2, $3, 'due', $4)
             ON CONFLICT (case_id, due_on) DO NOTHING",
        )
        .bind(&id)
        .bind(case_id)
        .bind(due_on.to_string())
        .bind(time_fmt::fmt(now))
        .execute(self.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        self.log(Entity::Checkin, &id, "due", version, None, now);
        self.log(Entity::Case, case_id, "checkin_due", version, None, now);
        Ok(true)
    }

    /// Records an owner's answer: the open check-in (if any) is answered,
    /// else a new answered one is kept for `on` (a second answer that day
    /// replaces the first).
    #[allow(clippy::too_many_arguments)]
    pub async fn answer_checkin(
        &mut self,
        case_id: &str,
        version: i64,
        on: Date,
        answer: &str,
        what_changed: Option<&str>,
        discontinued_on: Option<Date>,
        reason: Option<&str>,
        lessons: Option<&str>,
        actor: Option<&str>,
        at: OffsetDateTime,
    ) -> Result<String, StoreError> {
        let open: Option<String> = sqlx::query_scalar(
            "SELECT id FROM case_checkins WHERE case_id = $1 AND state = 'due' ORDER BY due_on DESC LIMIT 1",
        )
        .bind(case_id)
        .fetch_optional(self.conn())
        .await?;
        // A second answer on the same day replaces the first.
        let today: Option<String> =
            sqlx::query_scalar("SELECT id FROM case_checkins WHERE case_id = $1 AND due_on = $2")
                .bind(case_id)
                .bind(on.to_string())
                .fetch_optional(self.conn())
                .await?;
        let id = match open.or(today) {
            Some(id) => id,
            None => {
                let id = ulid::Ulid::new().to_string();
                sqlx::query(
                    "INSERT INTO case_checkins (id, case_id, due_on, state, created_at) VALUES ($1, $2, $3, 'due', $4)",
                )
                .bind(&id)
                .bind(case_id)
                .bind(on.to_string())
                .bind(time_fmt::fmt(at))
                .execute(self.conn())
                .await?;
                id
            }
        };
        sqlx::query(
            "UPDATE case_checkins SET state = 'answered', answer = $1, what_changed = $2, discontinued_on = $3,
                reason = $4, lessons = $5, answered_by = $6, answered_at = $7 WHERE id = $8",
        )
        .bind(answer)
        .bind(what_changed)
        .bind(discontinued_on.map(|d| d.to_string()))
        .bind(reason)
        .bind(lessons)
        .bind(actor)
        .bind(time_fmt::fmt(at))
        .bind(&id)
        .execute(self.conn())
        .await?;
        self.log(Entity::Checkin, &id, "answer", version, actor, at);
        Ok(id)
    }

    /// Sets (or clears) a case's own check-in interval.
    pub async fn set_checkin_interval(&mut self, case_id: &str, months: Option<u32>) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM checkin_schedules WHERE case_id = $1").bind(case_id).execute(self.conn()).await?;
        if let Some(m) = months {
            sqlx::query("INSERT INTO checkin_schedules (case_id, interval_months) VALUES ($1, $2)")
                .bind(case_id)
                .bind(i64::from(m))
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }
}
