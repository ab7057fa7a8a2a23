//! The state of harvesting per source (peer or base URL).

use serde::Serialize;

use crate::{Store, StoreError};

/// One harvest source and how its harvests went (totals over all runs).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct HarvestSource {
    pub source: String,
    pub base_url: String,
    /// The peer's `responseDate` when the last complete harvest started.
    pub last_response_date: Option<String>,
    pub last_attempt_at: Option<String>,
    pub last_success_at: Option<String>,
    pub last_error: Option<String>,
    pub records_seen: i64,
    pub created: i64,
    pub updated: i64,
    pub withdrawn: i64,
    pub rejected: i64,
}

impl Store {
    pub async fn harvest_source(&self, source: &str) -> Result<Option<HarvestSource>, StoreError> {
        Ok(sqlx::query_as("SELECT * FROM harvest_sources WHERE source = ?")
            .bind(source)
            .fetch_optional(&self.read)
            .await?)
    }

    pub async fn harvest_sources(&self) -> Result<Vec<HarvestSource>, StoreError> {
        Ok(sqlx::query_as("SELECT * FROM harvest_sources ORDER BY source").fetch_all(&self.read).await?)
    }

    pub async fn save_harvest_source(&self, s: &HarvestSource) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO harvest_sources (source, base_url, last_response_date, last_attempt_at, last_success_at,
                last_error, records_seen, created, updated, withdrawn, rejected)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (source) DO UPDATE SET base_url = excluded.base_url,
                last_response_date = excluded.last_response_date, last_attempt_at = excluded.last_attempt_at,
                last_success_at = excluded.last_success_at, last_error = excluded.last_error,
                records_seen = excluded.records_seen, created = excluded.created, updated = excluded.updated,
                withdrawn = excluded.withdrawn, rejected = excluded.rejected",
        )
        .bind(&s.source)
        .bind(&s.base_url)
        .bind(&s.last_response_date)
        .bind(&s.last_attempt_at)
        .bind(&s.last_success_at)
        .bind(&s.last_error)
        .bind(s.records_seen)
        .bind(s.created)
        .bind(s.updated)
        .bind(s.withdrawn)
        .bind(s.rejected)
        .execute(&self.write)
        .await?;
        Ok(())
    }
}
