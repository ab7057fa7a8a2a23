//! Background jobs that several instances share: a job runs on the instance
//! that claims it, under a lease that it renews while it works. A claim is one
//! conditional UPDATE, so two instances never both win it on either backend;
//! when the holder dies its lease runs out and another instance claims the
//! job and runs it again from the start.

use std::time::Duration;

use time::OffsetDateTime;

use crate::{Store, StoreError, time_fmt};

/// A job this instance holds until `lease_until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobClaim {
    pub name: String,
    pub holder: String,
}

/// A job's row, for status pages and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobState {
    pub name: String,
    pub due_at_ms: i64,
    pub holder: Option<String>,
    pub lease_until_ms: Option<i64>,
    /// Claims so far (a claim whose holder died counts too).
    pub attempts: i64,
    /// Runs that finished.
    pub runs: i64,
    pub last_finished_at: Option<String>,
    pub last_error: Option<String>,
}

pub(crate) fn ms(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

pub(crate) fn lease_ms(lease: Duration) -> i64 {
    i64::try_from(lease.as_millis()).unwrap_or(i64::MAX)
}

type JobRow = (String, i64, Option<String>, Option<i64>, i64, i64, Option<String>, Option<String>);

impl Store {
    /// Registers a job (due now) unless it exists.
    pub async fn ensure_job(&self, name: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO jobs (name, due_at_ms) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(ms(lumbung_core::clock::now()))
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    /// Claims `name` for `holder` if it is due and nobody holds a live lease on it.
    pub async fn claim_job(&self, name: &str, holder: &str, lease: Duration) -> Result<Option<JobClaim>, StoreError> {
        let now = lumbung_core::clock::now();
        let done = sqlx::query(
            "UPDATE jobs SET holder = $1, lease_until_ms = $2, attempts = attempts + 1, last_started_at = $3
             WHERE name = $4 AND due_at_ms <= $5 AND (holder IS NULL OR lease_until_ms < $6)",
        )
        .bind(holder)
        .bind(ms(now).saturating_add(lease_ms(lease)))
        .bind(time_fmt::fmt(now))
        .bind(name)
        .bind(ms(now))
        .bind(ms(now))
        .execute(&mut *self.writer().await?)
        .await?;
        Ok((done.rows_affected() == 1).then(|| JobClaim { name: name.to_owned(), holder: holder.to_owned() }))
    }

    /// Extends a held lease; false when the claim was lost (the lease ran out
    /// and another instance took the job).
    pub async fn renew_job(&self, claim: &JobClaim, lease: Duration) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE jobs SET lease_until_ms = $1 WHERE name = $2 AND holder = $3")
            .bind(ms(lumbung_core::clock::now()).saturating_add(lease_ms(lease)))
            .bind(&claim.name)
            .bind(&claim.holder)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Releases a job after a run, due again after `next_in`; false when the
    /// claim had been lost meanwhile (the run's outcome is then not recorded).
    pub async fn finish_job(
        &self,
        claim: &JobClaim,
        next_in: Duration,
        error: Option<&str>,
    ) -> Result<bool, StoreError> {
        let now = lumbung_core::clock::now();
        let done = sqlx::query(
            "UPDATE jobs SET holder = NULL, lease_until_ms = NULL, due_at_ms = $1, runs = runs + 1,
                last_finished_at = $2, last_error = $3
             WHERE name = $4 AND holder = $5",
        )
        .bind(ms(now).saturating_add(lease_ms(next_in)))
        .bind(time_fmt::fmt(now))
        .bind(error)
        .bind(&claim.name)
        .bind(&claim.holder)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Every job's state, by name.
    pub async fn jobs(&self) -> Result<Vec<JobState>, StoreError> {
        let rows: Vec<JobRow> = sqlx::query_as(
            "SELECT name, due_at_ms, holder, lease_until_ms, attempts, runs, last_finished_at, last_error
             FROM jobs ORDER BY name",
        )
        .fetch_all(&self.pools.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(name, due_at_ms, holder, lease_until_ms, attempts, runs, last_finished_at, last_error)| JobState {
                name,
                due_at_ms,
                holder,
                lease_until_ms,
                attempts,
                runs,
                last_finished_at,
                last_error,
            })
            .collect())
    }
}
