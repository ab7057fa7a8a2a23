//! The sign-in limiter's memory: failed attempts by key (an e-mail or a
//! client address), in the database so that every instance counts them.

use std::time::Duration;

use crate::sql::Sql;
use crate::{Store, StoreError};

fn now_ms() -> i64 {
    i64::try_from(lumbung_core::clock::now().unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

impl Store {
    /// Seconds to wait if any key has `max` failures within `window`.
    pub async fn sign_in_blocked(
        &self,
        keys: &[String],
        max: u32,
        window: Duration,
    ) -> Result<Option<u64>, StoreError> {
        if keys.is_empty() {
            return Ok(None);
        }
        let now = now_ms();
        let window_ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX);
        let mut q =
            Sql::new(self.pools.backend, "SELECT key, count(*), min(at_ms) FROM sign_in_failures WHERE at_ms > ");
        q.bind(now.saturating_sub(window_ms)).push(" AND key IN (").list(keys.iter().map(String::as_str));
        q.push(") GROUP BY key");
        let rows: Vec<(String, i64, i64)> = q.query_as().fetch_all(&self.pools.read).await?;
        let wait = rows
            .into_iter()
            .filter(|(_, n, _)| *n >= i64::from(max))
            .map(|(_, _, oldest)| {
                let left = oldest.saturating_add(window_ms).saturating_sub(now).max(0);
                u64::try_from(left / 1000).unwrap_or(0).max(1)
            })
            .max();
        Ok(wait)
    }

    /// Records a failed attempt under each key, forgetting attempts older than `window`.
    pub async fn record_sign_in_failure(&self, keys: &[String], window: Duration) -> Result<(), StoreError> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM sign_in_failures WHERE at_ms <= $1")
            .bind(now.saturating_sub(i64::try_from(window.as_millis()).unwrap_or(i64::MAX)))
            .execute(tx.conn())
            .await?;
        if !keys.is_empty() {
            let mut q = Sql::new(tx.backend, "INSERT INTO sign_in_failures (key, at_ms) VALUES ");
            q.rows(keys, |r, key| {
                r.bind(key.as_str()).bind(now);
            });
            q.query().execute(tx.conn()).await?;
        }
        tx.commit().await
    }

    /// Forgets the failures under these keys (after a successful sign-in).
    pub async fn clear_sign_in_failures(&self, keys: &[String]) -> Result<(), StoreError> {
        if keys.is_empty() {
            return Ok(());
        }
        let mut q = Sql::new(self.pools.backend, "DELETE FROM sign_in_failures WHERE key IN (");
        q.list(keys.iter().map(String::as_str)).push(")");
        q.query().execute(&mut *self.writer().await?).await?;
        Ok(())
    }
}
