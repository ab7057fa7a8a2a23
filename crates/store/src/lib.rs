//! Lumbung's store: the SQL schema, its migrations, every query, and the
//! change log. All SQL lives in this crate; the rest of the program sees typed
//! records from `lumbung-core`.
//!
//! SQLite in WAL mode is the embedded default. Reads go through a pool of
//! connections; every write goes through one writer connection, so writes are
//! serialised in the process and each is one transaction that stores the
//! record, its revision and its change-log entry together.

mod accounts;
mod cases;
mod changelog;
mod check;
mod error;
mod harvest;
mod nominations;
mod oai;
mod organisations;
mod time_fmt;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

pub use accounts::{NewAccount, hash_token};
pub use cases::{CaseFilter, CasePage, ImportMode, ImportOutcome, Revision, RevisionSummary, Visibility};
pub use changelog::Change;
pub use check::CheckReport;
pub use error::StoreError;
pub use harvest::HarvestSource;
pub use nominations::{Nomination, Presence};
pub use oai::{OaiSelection, OaiSet};

/// The database file's name inside the data folder.
pub const DB_FILE: &str = "lumbung.db";

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A handle on one node's data. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    read: SqlitePool,
    write: SqlitePool,
    dir: PathBuf,
    counts: std::sync::Arc<cases::CountCache>,
}

impl Store {
    /// Opens (creating if needed) the store in `dir` and applies migrations.
    pub async fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Io(format!("cannot create {}: {e}", dir.display())))?;
        let path = dir.join(DB_FILE);
        let url = format!("sqlite://{}", path.display());
        let options = SqliteConnectOptions::from_str(&url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-8000")
            .pragma("temp_store", "memory");
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await?;
        MIGRATOR.run(&write).await?;
        let readers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).clamp(2, 8) as u32 * 2;
        let read = SqlitePoolOptions::new()
            .max_connections(readers)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.read_only(true))
            .await?;
        Ok(Store { read, write, dir: dir.to_path_buf(), counts: Default::default() })
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the database answers and every migration is applied.
    pub async fn ready(&self) -> Result<(), StoreError> {
        let applied: i64 =
            sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success = 1").fetch_one(&self.read).await?;
        let known = MIGRATOR.iter().count() as i64;
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
        .fetch_one(&self.read)
        .await?;
        Ok(n == 0)
    }

    /// How many cases the store holds, in every status.
    pub async fn case_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM cases").fetch_one(&self.read).await?)
    }

    /// Whether `close` was called.
    pub fn is_closed(&self) -> bool {
        self.read.is_closed()
    }

    /// Closes both pools, waiting for writes in flight.
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}
