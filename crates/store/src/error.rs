//! The store's errors.

use lumbung_core::ValidationErrors;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// The record changed since the client read it.
    #[error("the record was changed by someone else (now at version {current})")]
    Conflict { current: i64 },
    /// A unique value (e-mail, id) is taken.
    #[error("{0}")]
    Duplicate(String),
    /// The write was refused by a domain rule checked inside the transaction.
    #[error("{0}")]
    Invalid(ValidationErrors),
    /// Stored data breaks an invariant (bad JSON, bad timestamp).
    #[error("store integrity: {0}")]
    Integrity(String),
    #[error("{0}")]
    Io(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Maps a unique-constraint violation to a readable duplicate error.
    pub(crate) fn on_unique(e: sqlx::Error, what: &str) -> StoreError {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate(what.to_owned()),
            _ => StoreError::Db(e),
        }
    }

    /// Whether the database was busy (another process writing); worth retrying.
    pub fn is_busy(&self) -> bool {
        matches!(self, StoreError::Db(sqlx::Error::Database(db)) if db.code().is_some_and(|c| c == "5" || c == "517" || c == "6"))
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Integrity(format!("stored JSON: {e}"))
    }
}
