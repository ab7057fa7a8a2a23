//! The notification follower in `serve`: one leased job (`notifications`)
//! across every instance on the database. The holder follows the change log
//! every 200 ms, renewing its lease as it goes; if it dies, the lease runs out
//! and another instance takes over from the saved cursor. Each step commits
//! its notifications with the cursor, so nothing is notified twice or lost.

use std::time::Duration;

use lumbung_app::App;
use lumbung_store::Store;

use crate::config::Config;

/// The job's name in `jobs`.
pub const JOB: &str = "notifications";

/// Starts the follower; runs until aborted.
pub fn spawn(config: &Config, store: Store) -> tokio::task::JoinHandle<()> {
    let app = config.app(&store);
    let lease = Duration::from_secs(u64::from(config.jobs.lease_seconds));
    let poll = Duration::from_secs(u64::from(config.jobs.poll_seconds));
    let holder = crate::harvest::instance_name();
    let mailer = crate::mailer::Mailer::new(config, &store);
    tokio::spawn(run(app, store, holder, lease, poll, mailer))
}

async fn run(
    app: App,
    store: Store,
    holder: String,
    lease: Duration,
    poll: Duration,
    mut mailer: Option<crate::mailer::Mailer>,
) {
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
                let mut renewed = std::time::Instant::now();
                loop {
                    if store.is_closed() {
                        return;
                    }
                    match app.notify_step(500).await {
                        Ok(0) => tokio::time::sleep(Duration::from_millis(200)).await,
                        Ok(_) => {}
                        Err(e) => {
                            tracing::warn!(error = %e, "notifications: a step failed; retrying");
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                    }
                    // Mail about what this step (and the ones before) notified.
                    if let Some(m) = mailer.as_mut() {
                        if let Err(e) = m.step().await {
                            tracing::warn!(error = %e, "notification mail: a step failed; retrying");
                        }
                    }
                    if renewed.elapsed() >= lease / 3 {
                        if !matches!(store.renew_job(&claim, lease).await, Ok(true)) {
                            tracing::warn!("notifications: lease lost; another instance follows now");
                            break;
                        }
                        renewed = std::time::Instant::now();
                    }
                }
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(job = JOB, error = %e, "cannot claim the job"),
        }
        tokio::time::sleep(poll).await;
    }
}
