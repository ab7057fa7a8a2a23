//! Notifications as mail sees them: who gets one by mail now (frequency
//! `immediately`, followed by the mail cursor over the change-log positions
//! the notification follower has finished), and whose digest is due (the
//! unread notifications after the account's `last_digest_seq`).

use lumbung_core::MailFrequency;
use time::OffsetDateTime;

use crate::{Store, StoreError, Tx, time_fmt};

/// The mail follower's name in `cursors`.
pub const MAIL_CURSOR: &str = "mail";

/// A notification with what a message about it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailNotice {
    pub account_id: String,
    pub email: String,
    /// The account's language, when it chose one.
    pub language: Option<String>,
    pub unsubscribe_token: Option<String>,
    pub kind: String,
    pub change_seq: i64,
    pub thread_id: Option<String>,
    pub thread_title: Option<String>,
    /// The post's text, unless the post is hidden.
    pub post_body: Option<String>,
    pub post_id: Option<String>,
    pub case_id: Option<String>,
    pub actor_name: Option<String>,
    pub created_at: OffsetDateTime,
}

/// An account whose digest may be due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestCandidate {
    pub account_id: String,
    pub frequency: MailFrequency,
    pub last_digest_at: Option<OffsetDateTime>,
}

type NoticeRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

const NOTICE_SELECT: &str =
    "SELECT n.account_id, a.email, a.language, p.unsubscribe_token, n.kind, n.change_seq, n.thread_id, t.title,
        CASE WHEN po.hidden_by IS NULL THEN po.body ELSE NULL END, n.post_id, n.case_id, ac.name, n.created_at
     FROM notifications n
     JOIN accounts a ON a.id = n.account_id
     LEFT JOIN mail_preferences p ON p.account_id = n.account_id
     LEFT JOIN threads t ON t.id = n.thread_id
     LEFT JOIN posts po ON po.id = n.post_id
     LEFT JOIN accounts ac ON ac.id = n.actor_id";

fn notice(row: NoticeRow) -> Result<MailNotice, StoreError> {
    let (
        account_id,
        email,
        language,
        unsubscribe_token,
        kind,
        change_seq,
        thread_id,
        thread_title,
        post_body,
        post_id,
        case_id,
        actor_name,
        created_at,
    ) = row;
    Ok(MailNotice {
        account_id,
        email,
        language,
        unsubscribe_token,
        kind,
        change_seq,
        thread_id,
        thread_title,
        post_body,
        post_id,
        case_id,
        actor_name,
        created_at: time_fmt::parse(&created_at)?,
    })
}

impl Store {
    /// The mail cursor, or none before the first run.
    pub async fn mail_cursor(&self) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar("SELECT seq FROM cursors WHERE name = $1")
            .bind(MAIL_CURSOR)
            .fetch_optional(&self.pools.read)
            .await?)
    }

    /// Notifications of changes in (`after`, `upto`] for active accounts that
    /// get mail immediately, in change order.
    pub async fn immediate_notices(&self, after: i64, upto: i64) -> Result<Vec<MailNotice>, StoreError> {
        let rows: Vec<NoticeRow> = sqlx::query_as(&format!(
            "{NOTICE_SELECT}
             WHERE n.change_seq > $1 AND n.change_seq <= $2 AND p.frequency = 'immediately' AND a.disabled = 0
             ORDER BY n.change_seq, n.id"
        ))
        .bind(after)
        .bind(upto)
        .fetch_all(&self.pools.read)
        .await?;
        rows.into_iter().map(notice).collect()
    }

    /// Active accounts getting digests (daily is the default) with unread
    /// notifications after their last digest, up to change `upto`.
    pub async fn digest_candidates(&self, upto: i64) -> Result<Vec<DigestCandidate>, StoreError> {
        let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT DISTINCT n.account_id, p.frequency, p.last_digest_at
             FROM notifications n
             JOIN accounts a ON a.id = n.account_id
             LEFT JOIN mail_preferences p ON p.account_id = n.account_id
             WHERE n.read_at IS NULL AND n.change_seq > COALESCE(p.last_digest_seq, 0) AND n.change_seq <= $1
               AND COALESCE(p.frequency, 'daily') IN ('daily', 'weekly') AND a.disabled = 0
             ORDER BY n.account_id",
        )
        .bind(upto)
        .fetch_all(&self.pools.read)
        .await?;
        rows.into_iter()
            .map(|(account_id, frequency, last)| {
                Ok(DigestCandidate {
                    account_id,
                    frequency: frequency.as_deref().and_then(MailFrequency::parse).unwrap_or_default(),
                    last_digest_at: last.as_deref().map(time_fmt::parse).transpose()?,
                })
            })
            .collect()
    }

    /// An account's unread notifications after its last digest, up to `upto`.
    pub async fn digest_notices(&self, account_id: &str, upto: i64) -> Result<Vec<MailNotice>, StoreError> {
        let rows: Vec<NoticeRow> = sqlx::query_as(&format!(
            "{NOTICE_SELECT}
             WHERE n.account_id = $1 AND n.read_at IS NULL AND n.change_seq > COALESCE(p.last_digest_seq, 0)
               AND n.change_seq <= $2
             ORDER BY n.change_seq, n.id"
        ))
        .bind(account_id)
        .bind(upto)
        .fetch_all(&self.pools.read)
        .await?;
        rows.into_iter().map(notice).collect()
    }
}

impl Tx {
    /// Moves the mail cursor.
    pub async fn set_mail_cursor(&mut self, seq: i64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO cursors (name, seq) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq",
        )
        .bind(MAIL_CURSOR)
        .bind(seq)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Records a digest sent: it covered the notifications up to `seq`.
    /// False when the account has no mail preference (make it first).
    pub async fn digest_sent(&mut self, account_id: &str, seq: i64) -> Result<bool, StoreError> {
        let now = time_fmt::fmt(lumbung_core::clock::now());
        let done =
            sqlx::query("UPDATE mail_preferences SET last_digest_seq = $1, last_digest_at = $2 WHERE account_id = $3")
                .bind(seq)
                .bind(now)
                .bind(account_id)
                .execute(self.conn())
                .await?;
        Ok(done.rows_affected() == 1)
    }
}
