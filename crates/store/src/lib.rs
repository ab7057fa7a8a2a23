//! Lumbung's store: the SQL schema, its migrations, every query, and the
//! change log. All SQL lives in this crate; the rest of the program sees typed
//! records from `lumbung-core`.
//!
//! Two backends behind one interface, chosen by a database URL: SQLite in the
//! data folder (the embedded default; WAL mode, one writer connection) and
//! PostgreSQL (several instances of a node on one database). Every write is a
//! unit of work ([`Tx`]): one transaction that stores the record, its revision
//! and its change-log entries together.

mod accounts;
mod actions;
mod cases;
mod changelog;
mod check;
mod checkins;
mod copy;
mod db;
mod error;
mod events;
mod harvest;
mod jobs;
mod limits;
mod links;
mod mail;
mod mail_notices;
mod members;
mod moderation;
mod nominations;
mod notifications;
mod oai;
mod organisations;
mod resources;
mod rooms;
mod sql;
pub mod testing;
mod threads;
mod time_fmt;
mod tx;

use std::path::{Path, PathBuf};

pub use accounts::{AccountUpdate, NewAccount, hash_token};
pub use actions::ActionFilter;
pub use cases::{CaseFilter, CasePage, ImportMode, ImportOutcome, Revision, RevisionSummary, Visibility};
pub use changelog::{Change, Entity};
pub use check::{CheckReport, migrations};
pub use checkins::{Checkin, ScheduledCase};
pub use copy::{CopyReport, TABLES};
pub use db::{Backend, DB_FILE, create_postgres_database, drop_postgres_database, redact};
pub use error::StoreError;
pub use events::{CaseLink as PresentedCase, EventFilter, EventPage, EventWhen, Registrations};
pub use harvest::HarvestSource;
pub use jobs::{JobClaim, JobState};
pub use links::{CaseLink, Descendant, Flow, LinkSource, MAX_ADOPTERS};
pub use mail::{MailCounts, MailPreference, NewMail, OutboxEntry, QueuedMail};
pub use mail_notices::{DigestCandidate, MAIL_CURSOR, MailNotice};
pub use members::{Contributions, PublicProfile};
pub use moderation::{Appeal, ModerationAction, NewAction, QueueItem};
pub use nominations::{Nomination, Presence};
pub use notifications::{NOTIFY_CURSOR, NewNotification, Notification, Subscription};
pub use oai::{OaiSelection, OaiSet};
pub use resources::{Files, Page, ResourceFilter};
pub use rooms::{Member, Room};
pub use threads::{Hidden, NewPost, Post, PostRevision, PostTranslation, Thread};
pub use tx::Tx;

/// A handle on one node's data. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pools: db::Pools,
    dir: PathBuf,
    /// Where uploaded files are kept (default: `files` in the data folder).
    files_dir: Option<PathBuf>,
    counts: std::sync::Arc<cases::CountCache>,
    /// Transactions with change-log entries this process committed; caches
    /// of this process compare it to see their own writes at once.
    commits: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Units of work waiting for the writer (see `Tx::writers_waiting`).
    waiting: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Store {
    /// How many transactions with changes this process has committed (see `commits`).
    pub fn local_commits(&self) -> u64 {
        self.commits.load(std::sync::atomic::Ordering::Acquire)
    }
}

impl Store {
    /// Opens (creating if needed) the SQLite store in `dir` and applies migrations.
    pub async fn open(dir: &Path) -> Result<Store, StoreError> {
        Store::connect(dir, None).await
    }

    /// Opens the store at `database` (a `postgres://` or `sqlite://` URL), or
    /// the SQLite file in `dir` when none is given, and applies migrations.
    /// `dir` holds the node's local files (search index) either way.
    pub async fn connect(dir: &Path, database: Option<&str>) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Io(format!("cannot create {}: {e}", dir.display())))?;
        let pools = db::Pools::open(dir, database).await?;
        Ok(Store {
            pools,
            dir: dir.to_path_buf(),
            files_dir: None,
            counts: Default::default(),
            commits: Default::default(),
            waiting: Default::default(),
        })
    }

    /// The store keeping its uploaded files in `dir` instead of the data
    /// folder's `files`: instances sharing one database share this folder.
    pub fn with_files_dir(mut self, dir: PathBuf) -> Store {
        self.files_dir = Some(dir);
        self
    }

    /// Whether a store was ever made there (without making one): the SQLite
    /// file in `dir`, or the migrations table in the database.
    pub async fn exists(dir: &Path, database: Option<&str>) -> Result<bool, StoreError> {
        db::exists(dir, database).await
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The engine behind this store.
    pub fn backend(&self) -> Backend {
        self.pools.backend
    }

    /// Connections of the read and write pools: (size, idle, size, idle).
    pub fn pool_usage(&self) -> (u32, usize, u32, usize) {
        self.pools.usage()
    }

    /// Whether the database answers and every migration is applied.
    pub async fn ready(&self) -> Result<(), StoreError> {
        let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pools.read)
            .await?;
        let known = self.pools.backend.migrator().iter().count() as i64;
        if applied < known {
            return Err(StoreError::Integrity(format!("{applied} of {known} migrations applied")));
        }
        Ok(())
    }

    /// Whether the node has no cases, organisations or accounts yet.
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM organisations) + (SELECT count(*) FROM accounts)",
        )
        .fetch_one(&self.pools.read)
        .await?;
        Ok(n == 0)
    }

    /// How many cases the store holds, in every status.
    pub async fn case_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM cases").fetch_one(&self.pools.read).await?)
    }

    /// Refreshes the planner's statistics after a bulk load (an import, a
    /// restore): PostgreSQL plans from them, and without them picks plans
    /// that are 100× slower on filtered lists.
    pub async fn optimize(&self) -> Result<(), StoreError> {
        let sql = match self.pools.backend {
            Backend::Postgres => "ANALYZE",
            Backend::Sqlite => "PRAGMA optimize",
        };
        sqlx::query(sql).execute(&mut *self.writer().await?).await?;
        Ok(())
    }

    /// Whether `close` was called.
    pub fn is_closed(&self) -> bool {
        self.pools.read.is_closed()
    }

    /// Closes both pools, waiting for writes in flight.
    pub async fn close(&self) {
        self.pools.write.close().await;
        self.pools.read.close().await;
    }
}
