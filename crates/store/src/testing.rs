//! Support for running a test suite on either backend: with
//! `LUMBUNG_TEST_BACKEND=postgres`, every [`TestDatabase`] is a fresh
//! PostgreSQL database on the server `LUMBUNG_TEST_PG` names (default
//! `postgres://postgres@127.0.0.1:5432/postgres`), dropped when the value is.
//! Otherwise tests use SQLite in their data folder and this does nothing.

use crate::StoreError;

/// The PostgreSQL server's administrative URL when tests run on PostgreSQL.
pub fn postgres_admin_url() -> Option<String> {
    let backend = std::env::var("LUMBUNG_TEST_BACKEND").unwrap_or_default();
    (backend == "postgres").then(|| {
        std::env::var("LUMBUNG_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
    })
}

/// A database of one's own for a test, or nothing on SQLite.
#[derive(Debug)]
pub struct TestDatabase {
    admin: String,
    name: String,
    /// The URL to open the store with.
    pub url: String,
}

/// Runs a future to completion on a runtime of its own, in a thread of its
/// own, so that it works from synchronous code and from inside a runtime.
fn block_on<T: Send + 'static>(f: impl std::future::Future<Output = T> + Send + 'static) -> Result<T, StoreError> {
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError::Io(e.to_string()))?;
        Ok(rt.block_on(f))
    })
    .join()
    .map_err(|_| StoreError::Io("the database set-up thread panicked".into()))?
}

impl TestDatabase {
    /// A fresh PostgreSQL database when the tests run on PostgreSQL, else None.
    pub fn create() -> Result<Option<TestDatabase>, StoreError> {
        match postgres_admin_url() {
            Some(_) => Self::create_postgres().map(Some),
            None => Ok(None),
        }
    }

    /// A fresh PostgreSQL database whatever the suite's backend, for tests
    /// that are about PostgreSQL (several instances on one database).
    pub fn create_postgres() -> Result<TestDatabase, StoreError> {
        let admin =
            std::env::var("LUMBUNG_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("lumbung_t_{}", ulid::Ulid::new().to_string().to_lowercase());
        let (a, n) = (admin.clone(), name.clone());
        let url = block_on(async move { crate::create_postgres_database(&a, &n).await })??;
        Ok(TestDatabase { admin, name, url })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let (a, n) = (self.admin.clone(), self.name.clone());
        let _ = block_on(async move { crate::drop_postgres_database(&a, &n).await });
    }
}
