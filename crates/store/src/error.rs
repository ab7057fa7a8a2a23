//! The store's errors. No sqlx type crosses this crate's boundary: database
//! failures become messages, with a flag for the ones worth retrying.

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
    /// The database URL or another setting is not usable.
    #[error("{0}")]
    Config(String),
    /// The database cannot be reached.
    #[error("{0}")]
    Unavailable(String),
    /// The database refused or failed a statement.
    #[error("database: {message}")]
    Db {
        message: String,
        /// Another writer holds the database (SQLite busy, PostgreSQL
        /// serialization failure or deadlock): worth retrying.
        busy: bool,
    },
    #[error("migration: {0}")]
    Migrate(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        let busy = match &e {
            sqlx::Error::Database(db) => db.code().is_some_and(|c| {
                // SQLite: SQLITE_BUSY (5), BUSY_SNAPSHOT (517), LOCKED (6);
                // PostgreSQL: serialization_failure, deadlock_detected.
                matches!(c.as_ref(), "5" | "517" | "6" | "40001" | "40P01")
            }),
            sqlx::Error::PoolTimedOut => true,
            _ => false,
        };
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                StoreError::Unavailable(format!("database: {e}"))
            }
            e => StoreError::Db { message: e.to_string(), busy },
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError::Migrate(e.to_string())
    }
}

impl StoreError {
    /// Maps a unique-constraint violation to a readable duplicate error.
    pub(crate) fn on_unique(e: sqlx::Error, what: &str) -> StoreError {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate(what.to_owned()),
            _ => StoreError::from(e),
        }
    }

    /// Maps a foreign-key violation to a field error on `field`.
    pub(crate) fn on_reference(e: sqlx::Error, field: &str, message: &str) -> StoreError {
        match &e {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                let mut errors = ValidationErrors::default();
                errors.add(field, "unknown_value", message);
                StoreError::Invalid(errors)
            }
            _ => StoreError::from(e),
        }
    }

    /// Whether another writer held the database; worth retrying.
    pub fn is_busy(&self) -> bool {
        matches!(self, StoreError::Db { busy: true, .. })
    }

    /// Whether the database could not be reached at all.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_))
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Integrity(format!("stored JSON: {e}"))
    }
}
