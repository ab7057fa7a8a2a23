//! The check-in schedule of living cases while the node serves: a job
//! (`checkins`) shared by every instance through the store's leases
//! (`jobs.rs`), so one instance at a time marks due check-ins; the marking
//! itself is idempotent, so a run repeated after a lost lease or a restart
//! marks nothing twice.

use std::time::Duration;

use lumbung_store::Store;

use crate::config::Config;

/// The job's name in the store.
pub const JOB: &str = "checkins";
/// How long after a run the schedule runs again.
const EVERY: Duration = Duration::from_secs(3600);

/// Starts the schedule; runs until aborted.
pub fn schedule(config: &Config, store: Store) -> tokio::task::JoinHandle<()> {
    let app = config.app(&store);
    let months = config.checkins.interval_months;
    let lease = Duration::from_secs(u64::from(config.jobs.lease_seconds));
    let poll = Duration::from_secs(u64::from(config.jobs.poll_seconds));
    let holder = crate::harvest::instance_name();
    tokio::spawn(async move {
        loop {
            if store.is_closed() {
                return;
            }
            let claim = match store.ensure_job(JOB).await {
                Ok(()) => store.claim_job(JOB, &holder, lease).await,
                Err(e) => Err(e),
            };
            match claim {
                Ok(Some(claim)) => {
                    let renewer = {
                        let (store, claim) = (store.clone(), claim.clone());
                        tokio::spawn(async move {
                            loop {
                                tokio::time::sleep(lease / 3).await;
                                if !matches!(store.renew_job(&claim, lease).await, Ok(true)) {
                                    return;
                                }
                            }
                        })
                    };
                    let outcome = app.run_checkin_schedule(lumbung_core::clock::today(), months).await;
                    renewer.abort();
                    let error = match outcome {
                        Ok(n) => {
                            if n > 0 {
                                tracing::info!(marked = n, "check-ins fell due");
                            }
                            None
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "check-in schedule failed");
                            Some(e.to_string())
                        }
                    };
                    if let Err(e) = store.finish_job(&claim, EVERY, error.as_deref()).await {
                        tracing::warn!(job = JOB, error = %e, "cannot record the job's end");
                    }
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(job = JOB, error = %e, "cannot claim the job"),
            }
            tokio::time::sleep(poll).await;
        }
    })
}
