//! The mail outbox and the accounts' mail preferences (migration 0009).
//!
//! A message is queued in the transaction of what caused it ([`Tx::enqueue_mail`]),
//! so nothing is lost while the mail server is down or the node restarts.
//! Senders claim due messages under a lease with one conditional UPDATE whose
//! outer condition PostgreSQL re-checks on a row another sender changed
//! meanwhile, so two senders (instances) never hold the same message; the
//! holder marks it sent once the server accepted it, or reschedules it.

use std::time::Duration;

use crate::jobs::{lease_ms, ms};
use crate::{Store, StoreError, Tx, time_fmt};
use lumbung_core::MailFrequency;

/// A message to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    /// The account it is for, when it is for one (digests, notifications).
    pub account_id: Option<String>,
    pub to_address: String,
    /// What it is: `notification`, `digest`, `test`.
    pub kind: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: Option<String>,
    /// The one-click unsubscribe URL (RFC 8058), for mail to an account.
    pub unsubscribe_url: Option<String>,
}

/// A queued message a sender holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMail {
    pub id: String,
    pub mail: NewMail,
    /// Failed tries so far.
    pub attempts: i64,
    pub created_at: String,
}

/// One outbox row, for status pages and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub id: String,
    pub to_address: String,
    pub kind: String,
    pub subject: String,
    /// `queued`, `sent` or `failed`.
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<String>,
}

/// Messages in the outbox by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailCounts {
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
}

/// An account's mail preference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailPreference {
    pub account_id: String,
    pub frequency: MailFrequency,
    pub unsubscribe_token: String,
    pub last_digest_at: Option<String>,
}

type MailRow = (String, Option<String>, String, String, String, String, Option<String>, Option<String>, i64, String);
const MAIL_COLUMNS: &str =
    "id, account_id, to_address, kind, subject, text_body, html_body, unsubscribe_url, attempts, created_at";

type PreferenceRow = (String, String, String, Option<String>);

impl Tx {
    /// Queues a message, due at once; returns its id (also its Message-ID's left part).
    pub async fn enqueue_mail(&mut self, mail: &NewMail) -> Result<String, StoreError> {
        let id = ulid::Ulid::new().to_string();
        let now = lumbung_core::clock::now();
        sqlx::query(
            "INSERT INTO mail_outbox (id, account_id, to_address, kind, subject, text_body, html_body,
                unsubscribe_url, state, attempts, next_attempt_ms, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', 0, $9, $10)",
        )
        .bind(&id)
        .bind(&mail.account_id)
        .bind(&mail.to_address)
        .bind(&mail.kind)
        .bind(&mail.subject)
        .bind(&mail.text_body)
        .bind(&mail.html_body)
        .bind(&mail.unsubscribe_url)
        .bind(ms(now))
        .bind(time_fmt::fmt(now))
        .execute(self.conn())
        .await?;
        Ok(id)
    }

    /// Sets an account's mail frequency, creating its preference (with an
    /// unsubscribe token, `new_token`) when it has none.
    pub async fn set_mail_frequency(
        &mut self,
        account_id: &str,
        frequency: MailFrequency,
        new_token: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO mail_preferences (account_id, frequency, unsubscribe_token, updated_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (account_id) DO UPDATE SET frequency = excluded.frequency, updated_at = excluded.updated_at",
        )
        .bind(account_id)
        .bind(frequency.as_str())
        .bind(new_token)
        .bind(time_fmt::fmt(lumbung_core::clock::now()))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Turns mail off for the account whose unsubscribe token this is; its id,
    /// or none for an unknown token.
    pub async fn unsubscribe(&mut self, token: &str) -> Result<Option<String>, StoreError> {
        let account: Option<String> =
            sqlx::query_scalar("SELECT account_id FROM mail_preferences WHERE unsubscribe_token = $1")
                .bind(token)
                .fetch_optional(self.conn())
                .await?;
        if let Some(id) = &account {
            sqlx::query("UPDATE mail_preferences SET frequency = 'never', updated_at = $1 WHERE account_id = $2")
                .bind(time_fmt::fmt(lumbung_core::clock::now()))
                .bind(id)
                .execute(self.conn())
                .await?;
        }
        Ok(account)
    }
}

impl Store {
    /// Claims up to `limit` due messages for `holder` until the lease runs out.
    pub async fn claim_mail(&self, holder: &str, lease: Duration, limit: i64) -> Result<Vec<QueuedMail>, StoreError> {
        let now = ms(lumbung_core::clock::now());
        let until = now.saturating_add(lease_ms(lease));
        // The outer conditions repeat the inner ones: PostgreSQL re-checks
        // them on a row that a concurrent claim updated first, and skips it.
        sqlx::query(
            "UPDATE mail_outbox SET holder = $1, lease_until_ms = $2
             WHERE id IN (SELECT id FROM mail_outbox
                          WHERE state = 'queued' AND next_attempt_ms <= $3 AND (lease_until_ms IS NULL OR lease_until_ms < $4)
                          ORDER BY next_attempt_ms, id LIMIT $5)
               AND state = 'queued' AND (lease_until_ms IS NULL OR lease_until_ms < $6)",
        )
        .bind(holder)
        .bind(until)
        .bind(now)
        .bind(now)
        .bind(limit)
        .bind(now)
        .execute(&mut *self.writer().await?)
        .await?;
        let rows: Vec<MailRow> = sqlx::query_as(&format!(
            "SELECT {MAIL_COLUMNS} FROM mail_outbox WHERE holder = $1 AND lease_until_ms = $2 AND state = 'queued'
             ORDER BY next_attempt_ms, id"
        ))
        .bind(holder)
        .bind(until)
        .fetch_all(&mut *self.writer().await?)
        .await?;
        Ok(rows.into_iter().map(queued_from_row).collect())
    }

    /// Marks a held message sent; false when the claim was lost meanwhile.
    pub async fn mail_sent(&self, id: &str, holder: &str) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE mail_outbox SET state = 'sent', sent_at = $1, holder = NULL, lease_until_ms = NULL, last_error = NULL
             WHERE id = $2 AND holder = $3 AND state = 'queued'",
        )
        .bind(time_fmt::fmt(lumbung_core::clock::now()))
        .bind(id)
        .bind(holder)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a failed try of a held message: due again after `retry_in`,
    /// or given up (`failed`) when that is none.
    pub async fn mail_failed(
        &self,
        id: &str,
        holder: &str,
        error: &str,
        retry_in: Option<Duration>,
    ) -> Result<bool, StoreError> {
        let now = ms(lumbung_core::clock::now());
        let (state, next) = match retry_in {
            Some(d) => ("queued", now.saturating_add(lease_ms(d))),
            None => ("failed", now),
        };
        let done = sqlx::query(
            "UPDATE mail_outbox SET state = $1, next_attempt_ms = $2, attempts = attempts + 1, last_error = $3,
                holder = NULL, lease_until_ms = NULL
             WHERE id = $4 AND holder = $5 AND state = 'queued'",
        )
        .bind(state)
        .bind(next)
        .bind(error)
        .bind(id)
        .bind(holder)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// How many messages are queued, sent and given up.
    pub async fn mail_counts(&self) -> Result<MailCounts, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as("SELECT state, COUNT(*) FROM mail_outbox GROUP BY state")
            .fetch_all(&self.pools.read)
            .await?;
        let mut counts = MailCounts::default();
        for (state, n) in rows {
            match state.as_str() {
                "queued" => counts.queued = n,
                "sent" => counts.sent = n,
                _ => counts.failed += n,
            }
        }
        Ok(counts)
    }

    /// The newest `limit` outbox entries.
    pub async fn outbox(&self, limit: i64) -> Result<Vec<OutboxEntry>, StoreError> {
        type Row = (String, String, String, String, String, i64, Option<String>, Option<String>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, to_address, kind, subject, state, attempts, last_error, sent_at
             FROM mail_outbox ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pools.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, to_address, kind, subject, state, attempts, last_error, sent_at)| OutboxEntry {
                id,
                to_address,
                kind,
                subject,
                state,
                attempts,
                last_error,
                sent_at,
            })
            .collect())
    }

    /// An account's mail preference, when it has set one.
    pub async fn mail_preference(&self, account_id: &str) -> Result<Option<MailPreference>, StoreError> {
        let row: Option<PreferenceRow> = sqlx::query_as(
            "SELECT account_id, frequency, unsubscribe_token, last_digest_at FROM mail_preferences WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_optional(&self.pools.read)
        .await?;
        row.map(preference_from_row).transpose()
    }

    /// The account an unsubscribe token belongs to (for the confirmation page).
    pub async fn unsubscribe_account(&self, token: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT account_id FROM mail_preferences WHERE unsubscribe_token = $1")
            .bind(token)
            .fetch_optional(&self.pools.read)
            .await?)
    }
}

fn queued_from_row(row: MailRow) -> QueuedMail {
    let (id, account_id, to_address, kind, subject, text_body, html_body, unsubscribe_url, attempts, created_at) = row;
    QueuedMail {
        id,
        mail: NewMail { account_id, to_address, kind, subject, text_body, html_body, unsubscribe_url },
        attempts,
        created_at,
    }
}

fn preference_from_row(row: PreferenceRow) -> Result<MailPreference, StoreError> {
    let (account_id, frequency, unsubscribe_token, last_digest_at) = row;
    let frequency = MailFrequency::parse(&frequency).ok_or_else(|| {
        StoreError::Integrity(format!("account {account_id} has an unknown mail frequency '{frequency}'"))
    })?;
    Ok(MailPreference { account_id, frequency, unsubscribe_token, last_digest_at })
}
