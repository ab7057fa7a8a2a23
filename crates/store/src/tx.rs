//! The unit of work: one database transaction in which a use case makes all
//! its writes, and the change-log entries they make, so that everything
//! commits together or nothing does.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::{Any, AnyConnection, Transaction};
use time::OffsetDateTime;

use crate::changelog::{self, Entity, PendingChange};
use crate::{Backend, Store, StoreError};

/// An open transaction on the store. Dropping it without `commit` rolls back.
pub struct Tx {
    inner: Transaction<'static, Any>,
    pub(crate) backend: Backend,
    changes: Vec<PendingChange>,
    commits: std::sync::Arc<std::sync::atomic::AtomicU64>,
    waiting: Arc<AtomicUsize>,
}

/// Counts a unit of work waiting for the writer while it lives.
struct Waiting(Arc<AtomicUsize>);

impl Waiting {
    fn new(count: &Arc<AtomicUsize>) -> Waiting {
        count.fetch_add(1, Ordering::AcqRel);
        Waiting(count.clone())
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tx").field("backend", &self.backend).field("changes", &self.changes.len()).finish()
    }
}

impl Store {
    /// The writer's connection, for a statement outside a unit of work. On
    /// SQLite there is one: while this waits for it, it counts as waiting
    /// (see [`Tx::writers_waiting`]), so that background work holding the
    /// writer lets it go as it would for a unit of work.
    pub(crate) async fn writer(&self) -> Result<sqlx::pool::PoolConnection<Any>, StoreError> {
        let _waiting = Waiting::new(&self.waiting);
        Ok(self.pools.write.acquire().await?)
    }

    /// Starts a unit of work.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        let inner = {
            let _waiting = Waiting::new(&self.waiting);
            self.pools.write.begin().await?
        };
        Ok(Tx {
            inner,
            backend: self.pools.backend,
            changes: Vec::new(),
            commits: self.commits.clone(),
            waiting: self.waiting.clone(),
        })
    }
}

impl Tx {
    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        &mut self.inner
    }

    /// Whether another unit of work of this process waits to begin: on
    /// SQLite, for this one's writer. Long background work commits early
    /// when it does (see `notify`), so that a request never waits long
    /// behind it.
    pub fn writers_waiting(&self) -> bool {
        self.waiting.load(Ordering::Acquire) > 0
    }

    /// Records a change-log entry, numbered when the transaction commits.
    pub(crate) fn log(
        &mut self,
        entity: Entity,
        entity_id: &str,
        action: &str,
        version: i64,
        actor: Option<&str>,
        at: OffsetDateTime,
    ) {
        self.changes.push(PendingChange {
            entity,
            entity_id: entity_id.to_owned(),
            action: action.to_owned(),
            version,
            actor_id: actor.map(str::to_owned),
            at,
        });
    }

    /// Writes the change-log entries and commits everything.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        let changes = std::mem::take(&mut self.changes);
        let changed = !changes.is_empty();
        changelog::flush(&mut self, changes).await?;
        self.inner.commit().await?;
        if changed {
            self.commits.fetch_add(1, Ordering::AcqRel);
        }
        Ok(())
    }
}
