//! The unit of work: one database transaction in which a use case makes all
//! its writes, and the change-log entries they make, so that everything
//! commits together or nothing does.

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
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tx").field("backend", &self.backend).field("changes", &self.changes.len()).finish()
    }
}

impl Store {
    /// Starts a unit of work.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(Tx {
            inner: self.pools.write.begin().await?,
            backend: self.pools.backend,
            changes: Vec::new(),
            commits: self.commits.clone(),
        })
    }
}

impl Tx {
    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        &mut self.inner
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
            self.commits.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        }
        Ok(())
    }
}
