//! Threads and posts: a post is numbered within its thread (its `position`),
//! so a page of a thread is a range of one index; every edit keeps the
//! previous text as a revision; a human translation sits beside its post.
//! A post changes the way a case does: read, check the version, write the
//! row, its revision and its change-log entry in one transaction.

use lumbung_core::dialogue::ThreadKind;
use time::OffsetDateTime;

use crate::changelog::Entity;
use crate::sql::Sql;
use crate::{Store, StoreError, Tx, time_fmt};

/// A thread as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    pub id: String,
    pub kind: ThreadKind,
    pub room: Option<String>,
    pub case_id: Option<String>,
    pub title: String,
    pub created_by: Option<String>,
    pub locked: bool,
    /// For questions to a case's owners: whether one of them has posted.
    pub answered: bool,
    pub post_count: i64,
    pub last_post_at: OffsetDateTime,
    pub version: i64,
    pub created_at: OffsetDateTime,
}

/// How a hidden post was hidden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hidden {
    /// True when flags hid it, false when a moderator did.
    pub automatic: bool,
    pub reason: String,
}

/// A post as stored, with its author's name and handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub id: String,
    pub thread_id: String,
    pub position: i64,
    pub author_id: String,
    pub author_name: String,
    pub author_handle: Option<String>,
    pub reply_to: Option<String>,
    pub quote_of: Option<String>,
    pub language: String,
    pub body: String,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub hidden: Option<Hidden>,
}

/// A post to add.
#[derive(Debug, Clone)]
pub struct NewPost {
    pub thread_id: String,
    pub author_id: String,
    pub reply_to: Option<String>,
    pub quote_of: Option<String>,
    pub language: String,
    pub body: String,
}

/// One saved state of a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRevision {
    pub version: i64,
    pub language: String,
    pub body: String,
    pub edited_by: Option<String>,
    pub created_at: OffsetDateTime,
}

/// A human translation of a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostTranslation {
    pub post_id: String,
    pub language: String,
    pub body: String,
    pub author_id: String,
    pub author_name: String,
    pub updated_at: OffsetDateTime,
}

type ThreadRow =
    (String, String, Option<String>, Option<String>, String, Option<String>, i64, i64, i64, String, i64, String);
const THREAD_COLUMNS: &str =
    "id, kind, room_slug, case_id, title, created_by, locked, answered, post_count, last_post_at, version, created_at";

fn thread_from_row(r: ThreadRow) -> Result<Thread, StoreError> {
    let (id, kind, room, case_id, title, created_by, locked, answered, post_count, last_post_at, version, created_at) =
        r;
    Ok(Thread {
        kind: ThreadKind::parse(&kind).ok_or_else(|| StoreError::Integrity(format!("thread {id} has kind {kind}")))?,
        id,
        room,
        case_id,
        title,
        created_by,
        locked: locked != 0,
        answered: answered != 0,
        post_count,
        last_post_at: time_fmt::parse(&last_post_at)?,
        version,
        created_at: time_fmt::parse(&created_at)?,
    })
}

struct PostRow {
    id: String,
    thread_id: String,
    position: i64,
    author_id: String,
    author_name: Option<String>,
    author_handle: Option<String>,
    reply_to: Option<String>,
    quote_of: Option<String>,
    language: String,
    body: String,
    version: i64,
    created_at: String,
    updated_at: String,
    hidden_by: Option<String>,
    hidden_reason: Option<String>,
}

impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for PostRow {
    fn from_row(row: &'r sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        use sqlx::Row;
        Ok(PostRow {
            id: row.try_get("id")?,
            thread_id: row.try_get("thread_id")?,
            position: row.try_get("position")?,
            author_id: row.try_get("author_id")?,
            author_name: row.try_get("author_name")?,
            author_handle: row.try_get("author_handle")?,
            reply_to: row.try_get("reply_to")?,
            quote_of: row.try_get("quote_of")?,
            language: row.try_get("language")?,
            body: row.try_get("body")?,
            version: row.try_get("version")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            hidden_by: row.try_get("hidden_by")?,
            hidden_reason: row.try_get("hidden_reason")?,
        })
    }
}

const POST_SELECT: &str = "SELECT p.id, p.thread_id, p.position, p.author_id, a.name AS author_name,
    h.handle AS author_handle, p.reply_to, p.quote_of, p.language, p.body, p.version, p.created_at, p.updated_at,
    p.hidden_by, p.hidden_reason
    FROM posts p LEFT JOIN accounts a ON a.id = p.author_id LEFT JOIN account_handles h ON h.account_id = p.author_id";

fn post_from_row(r: PostRow) -> Result<Post, StoreError> {
    Ok(Post {
        hidden: r
            .hidden_by
            .map(|by| Hidden { automatic: by == "automatic", reason: r.hidden_reason.unwrap_or_default() }),
        id: r.id,
        thread_id: r.thread_id,
        position: r.position,
        author_id: r.author_id,
        author_name: r.author_name.unwrap_or_default(),
        author_handle: r.author_handle,
        reply_to: r.reply_to,
        quote_of: r.quote_of,
        language: r.language,
        body: r.body,
        version: r.version,
        created_at: time_fmt::parse(&r.created_at)?,
        updated_at: time_fmt::parse(&r.updated_at)?,
    })
}

pub(crate) fn now_ms(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

impl Store {
    pub async fn thread(&self, id: &str) -> Result<Option<Thread>, StoreError> {
        let row: Option<ThreadRow> = sqlx::query_as(&format!("SELECT {THREAD_COLUMNS} FROM threads WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?;
        row.map(thread_from_row).transpose()
    }

    /// Threads of a room, newest activity first.
    pub async fn room_threads(&self, room: &str, limit: i64, offset: i64) -> Result<Vec<Thread>, StoreError> {
        let rows: Vec<ThreadRow> = sqlx::query_as(&format!(
            "SELECT {THREAD_COLUMNS} FROM threads WHERE room_slug = $1 ORDER BY last_post_at DESC, id LIMIT $2 OFFSET $3"
        ))
        .bind(room)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pools.read)
        .await?;
        rows.into_iter().map(thread_from_row).collect()
    }

    /// Threads on a case (its discussion and its questions), newest activity first.
    pub async fn case_threads(&self, case_id: &str) -> Result<Vec<Thread>, StoreError> {
        let rows: Vec<ThreadRow> = sqlx::query_as(&format!(
            "SELECT {THREAD_COLUMNS} FROM threads WHERE case_id = $1 ORDER BY last_post_at DESC, id"
        ))
        .bind(case_id)
        .fetch_all(&self.pools.read)
        .await?;
        rows.into_iter().map(thread_from_row).collect()
    }

    /// Every thread in id order after `after`, at most `limit` (for
    /// rebuilding the search index).
    pub async fn threads_after(&self, after: Option<&str>, limit: i64) -> Result<Vec<Thread>, StoreError> {
        let rows: Vec<ThreadRow> =
            sqlx::query_as(&format!("SELECT {THREAD_COLUMNS} FROM threads WHERE id > $1 ORDER BY id LIMIT $2"))
                .bind(after.unwrap_or(""))
                .bind(limit)
                .fetch_all(&self.pools.read)
                .await?;
        rows.into_iter().map(thread_from_row).collect()
    }

    /// The one discussion thread of a case, if it was started.
    pub async fn case_discussion(&self, case_id: &str) -> Result<Option<Thread>, StoreError> {
        let row: Option<ThreadRow> =
            sqlx::query_as(&format!("SELECT {THREAD_COLUMNS} FROM threads WHERE case_id = $1 AND kind = 'case'"))
                .bind(case_id)
                .fetch_optional(&self.pools.read)
                .await?;
        row.map(thread_from_row).transpose()
    }

    pub async fn post(&self, id: &str) -> Result<Option<Post>, StoreError> {
        let row: Option<PostRow> =
            sqlx::query_as(&format!("{POST_SELECT} WHERE p.id = $1")).bind(id).fetch_optional(&self.pools.read).await?;
        row.map(post_from_row).transpose()
    }

    /// Posts of a thread from position `from` (1 is the first), at most `limit`.
    pub async fn posts(&self, thread: &str, from: i64, limit: i64) -> Result<Vec<Post>, StoreError> {
        let rows: Vec<PostRow> = sqlx::query_as(&format!(
            "{POST_SELECT} WHERE p.thread_id = $1 AND p.position >= $2 AND p.position < $3 ORDER BY p.position"
        ))
        .bind(thread)
        .bind(from)
        .bind(from.saturating_add(limit))
        .fetch_all(&self.pools.read)
        .await?;
        rows.into_iter().map(post_from_row).collect()
    }

    /// These posts (any thread), for quotes and replies shown in context.
    pub async fn posts_by_ids(&self, ids: &[String]) -> Result<Vec<Post>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = Sql::new(self.pools.backend, &format!("{POST_SELECT} WHERE p.id IN ("));
        q.list(ids.iter().map(String::as_str)).push(")");
        let rows: Vec<PostRow> = q.query_as().fetch_all(&self.pools.read).await?;
        rows.into_iter().map(post_from_row).collect()
    }

    /// Every saved state of a post, oldest first.
    pub async fn post_revisions(&self, id: &str) -> Result<Vec<PostRevision>, StoreError> {
        let rows: Vec<(i64, String, String, Option<String>, String)> = sqlx::query_as(
            "SELECT version, language, body, edited_by, created_at FROM post_revisions WHERE post_id = $1 ORDER BY version",
        )
        .bind(id)
        .fetch_all(&self.pools.read)
        .await?;
        rows.into_iter()
            .map(|(version, language, body, edited_by, at)| {
                Ok(PostRevision { version, language, body, edited_by, created_at: time_fmt::parse(&at)? })
            })
            .collect()
    }

    /// The translations of these posts.
    pub async fn translations(&self, post_ids: &[String]) -> Result<Vec<PostTranslation>, StoreError> {
        if post_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = Sql::new(
            self.pools.backend,
            "SELECT t.post_id, t.language, t.body, t.author_id, a.name, t.updated_at FROM post_translations t
             LEFT JOIN accounts a ON a.id = t.author_id WHERE t.post_id IN (",
        );
        q.list(post_ids.iter().map(String::as_str)).push(") ORDER BY t.post_id, t.language");
        let rows: Vec<(String, String, String, String, Option<String>, String)> =
            q.query_as().fetch_all(&self.pools.read).await?;
        rows.into_iter()
            .map(|(post_id, language, body, author_id, name, at)| {
                Ok(PostTranslation {
                    post_id,
                    language,
                    body,
                    author_id,
                    author_name: name.unwrap_or_default(),
                    updated_at: time_fmt::parse(&at)?,
                })
            })
            .collect()
    }

    /// Posts by `author` since `since_ms` (for the posting limits). A read
    /// like any other: it sees every committed post, and on the writer it
    /// queued each post behind whatever held the writer (a fan-out).
    pub async fn posts_by_since(&self, author: &str, since_ms: i64) -> Result<Vec<i64>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT created_ms FROM posts WHERE author_id = $1 AND created_ms > $2 ORDER BY created_ms",
        )
        .bind(author)
        .bind(since_ms)
        .fetch_all(&self.pools.read)
        .await?)
    }

    /// How many posts there are (for tests and checks that nothing was written).
    pub async fn post_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM posts").fetch_one(&self.pools.read).await?)
    }

    /// Saves (or replaces) a human translation of a post.
    pub async fn set_translation(
        &self,
        post: &str,
        language: &str,
        body: &str,
        author: &str,
    ) -> Result<(), StoreError> {
        let now = lumbung_core::clock::now();
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO post_translations (post_id, language, body, author_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (post_id, language) DO UPDATE SET body = excluded.body, author_id = excluded.author_id,
                updated_at = excluded.updated_at",
        )
        .bind(post)
        .bind(language)
        .bind(body)
        .bind(author)
        .bind(time_fmt::fmt(now))
        .bind(time_fmt::fmt(now))
        .execute(tx.conn())
        .await?;
        tx.log(Entity::Post, post, &format!("translate:{language}"), 1, Some(author), now);
        tx.commit().await
    }
}

impl Tx {
    /// Starts a thread (with no posts yet).
    #[allow(clippy::too_many_arguments)]
    pub async fn create_thread(
        &mut self,
        kind: ThreadKind,
        room: Option<&str>,
        case_id: Option<&str>,
        title: &str,
        actor: Option<&str>,
    ) -> Result<Thread, StoreError> {
        let now = lumbung_core::clock::now();
        let id = ulid::Ulid::new().to_string();
        sqlx::query(&format!(
            "INSERT INTO threads ({THREAD_COLUMNS}, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 0, $7, 1, $8, $9)"
        ))
        .bind(&id)
        .bind(kind.as_str())
        .bind(room)
        .bind(case_id)
        .bind(title)
        .bind(actor)
        .bind(time_fmt::fmt(now))
        .bind(time_fmt::fmt(now))
        .bind(time_fmt::fmt(now))
        .execute(self.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "this case's discussion exists already"))?;
        self.log(Entity::Thread, &id, "create", 1, actor, now);
        Ok(Thread {
            id,
            kind,
            room: room.map(str::to_owned),
            case_id: case_id.map(str::to_owned),
            title: title.to_owned(),
            created_by: actor.map(str::to_owned),
            locked: false,
            answered: false,
            post_count: 0,
            last_post_at: now,
            version: 1,
            created_at: now,
        })
    }

    /// The discussion of a case, started when first needed (one per case).
    pub async fn case_discussion(&mut self, case_id: &str, title: &str) -> Result<Thread, StoreError> {
        let row: Option<ThreadRow> =
            sqlx::query_as(&format!("SELECT {THREAD_COLUMNS} FROM threads WHERE case_id = $1 AND kind = 'case'"))
                .bind(case_id)
                .fetch_optional(self.conn())
                .await?;
        match row {
            Some(r) => thread_from_row(r),
            None => self.create_thread(ThreadKind::Case, None, Some(case_id), title, None).await,
        }
    }

    /// Adds a post as the thread's next position; `None` when the thread is
    /// locked (checked in the same statement that numbers the post).
    pub async fn add_post(&mut self, new: &NewPost, answers: bool) -> Result<Option<String>, StoreError> {
        let now = lumbung_core::clock::now();
        let at = time_fmt::fmt(now);
        let position: Option<i64> = sqlx::query_scalar(
            "UPDATE threads SET post_count = post_count + 1, last_post_at = $1, updated_at = $2,
                answered = CASE WHEN $3 = 1 THEN 1 ELSE answered END
             WHERE id = $4 AND locked = 0 RETURNING post_count",
        )
        .bind(&at)
        .bind(&at)
        .bind(i64::from(answers))
        .bind(&new.thread_id)
        .fetch_optional(self.conn())
        .await?;
        let Some(position) = position else { return Ok(None) };
        let id = ulid::Ulid::new().to_string();
        sqlx::query(
            "INSERT INTO posts (id, thread_id, position, author_id, reply_to, quote_of, language, body, version,
                created_at, created_ms, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $11)",
        )
        .bind(&id)
        .bind(&new.thread_id)
        .bind(position)
        .bind(&new.author_id)
        .bind(&new.reply_to)
        .bind(&new.quote_of)
        .bind(&new.language)
        .bind(&new.body)
        .bind(&at)
        .bind(now_ms(now))
        .bind(&at)
        .execute(self.conn())
        .await?;
        self.post_revision(&id, 1, &new.language, &new.body, Some(&new.author_id), now).await?;
        self.log(Entity::Post, &id, "create", 1, Some(&new.author_id), now);
        Ok(Some(id))
    }

    async fn post_revision(
        &mut self,
        id: &str,
        version: i64,
        language: &str,
        body: &str,
        by: Option<&str>,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO post_revisions (post_id, version, language, body, edited_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(version)
        .bind(language)
        .bind(body)
        .bind(by)
        .bind(time_fmt::fmt(at))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Replaces a post's text if it is still at `expected_version`; keeps the new state as a revision.
    pub async fn edit_post(
        &mut self,
        id: &str,
        expected_version: i64,
        language: &str,
        body: &str,
        editor: &str,
    ) -> Result<i64, StoreError> {
        let now = lumbung_core::clock::now();
        let next = expected_version.saturating_add(1);
        let done = sqlx::query(
            "UPDATE posts SET body = $1, language = $2, version = $3, updated_at = $4 WHERE id = $5 AND version = $6",
        )
        .bind(body)
        .bind(language)
        .bind(next)
        .bind(time_fmt::fmt(now))
        .bind(id)
        .bind(expected_version)
        .execute(self.conn())
        .await?;
        if done.rows_affected() != 1 {
            let current: Option<i64> = sqlx::query_scalar("SELECT version FROM posts WHERE id = $1")
                .bind(id)
                .fetch_optional(self.conn())
                .await?;
            return Err(match current {
                Some(current) => StoreError::Conflict { current },
                None => StoreError::NotFound,
            });
        }
        self.post_revision(id, next, language, body, Some(editor), now).await?;
        self.log(Entity::Post, id, "edit", next, Some(editor), now);
        Ok(next)
    }
}
