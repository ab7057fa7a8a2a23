//! The state of harvesting per source (peer or base URL).

use serde::Serialize;

use crate::{Store, StoreError, Tx};

/// One harvest source and how its harvests went (totals over all runs).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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

const SOURCE_COLUMNS: &str = "source, base_url, last_response_date, last_attempt_at, last_success_at, last_error, \
     records_seen, created, updated, withdrawn, rejected";

type SourceRow =
    (String, String, Option<String>, Option<String>, Option<String>, Option<String>, i64, i64, i64, i64, i64);

fn source_from_row(r: SourceRow) -> HarvestSource {
    let (
        source,
        base_url,
        last_response_date,
        last_attempt_at,
        last_success_at,
        last_error,
        records_seen,
        created,
        updated,
        withdrawn,
        rejected,
    ) = r;
    HarvestSource {
        source,
        base_url,
        last_response_date,
        last_attempt_at,
        last_success_at,
        last_error,
        records_seen,
        created,
        updated,
        withdrawn,
        rejected,
    }
}

impl Store {
    pub async fn harvest_source(&self, source: &str) -> Result<Option<HarvestSource>, StoreError> {
        let row: Option<SourceRow> =
            sqlx::query_as(&format!("SELECT {SOURCE_COLUMNS} FROM harvest_sources WHERE source = $1"))
                .bind(source)
                .fetch_optional(&self.pools.read)
                .await?;
        Ok(row.map(source_from_row))
    }

    pub async fn harvest_sources(&self) -> Result<Vec<HarvestSource>, StoreError> {
        let rows: Vec<SourceRow> =
            sqlx::query_as(&format!("SELECT {SOURCE_COLUMNS} FROM harvest_sources ORDER BY source"))
                .fetch_all(&self.pools.read)
                .await?;
        Ok(rows.into_iter().map(source_from_row).collect())
    }

    pub async fn save_harvest_source(&self, s: &HarvestSource) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.save_harvest_source(s).await?;
        tx.commit().await
    }
}

impl Tx {
    /// Saves a source's state, in the transaction of the harvest page it follows.
    pub async fn save_harvest_source(&mut self, s: &HarvestSource) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO harvest_sources (source, base_url, last_response_date, last_attempt_at, last_success_at,
                last_error, records_seen, created, updated, withdrawn, rejected)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
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
        .execute(self.conn())
        .await?;
        Ok(())
    }
}
