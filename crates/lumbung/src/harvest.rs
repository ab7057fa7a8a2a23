//! `lumbung harvest`, and the scheduled harvesting of configured peers while
//! the node serves.

use std::time::Duration;

use anyhow::{Result, anyhow, bail};
use lumbung_federation::harvest::{self, HarvestJob, HarvestReport};
use lumbung_store::Store;

use crate::cli::{HarvestArgs, load_config};
use crate::config::{Config, PeerConfig};

pub async fn run(args: HarvestArgs) -> Result<()> {
    let config = load_config(&args.data, None)?;
    let job = match (&args.peer, &args.url) {
        (Some(id), _) => {
            let peer = config
                .peers
                .iter()
                .find(|p| &p.id == id)
                .ok_or_else(|| anyhow!("no peer '{id}' in the configuration"))?;
            let mut job = HarvestJob::new(
                &peer.id,
                &peer.url,
                args.set.clone().or_else(|| peer.set.clone()),
                &config.node.id,
                &peer.id,
            );
            job.full = args.full;
            job.rereview = config.federation.rereview_changed_copies;
            job
        }
        (None, Some(url)) => {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                bail!("--url must be an http(s) OAI-PMH base URL");
            }
            let mut job = HarvestJob::new(url, url, args.set.clone(), &config.node.id, url);
            job.full = args.full;
            job.rereview = config.federation.rereview_changed_copies;
            job
        }
        (None, None) => bail!("give --peer or --url"),
    };
    let store = config.open_store().await?;
    let started = std::time::Instant::now();
    let agent = harvest::agent_with_timeout(Duration::from_secs(args.timeout.max(1)));
    let report = config.app(&store).harvest(&agent, &job).await;
    store.close().await;
    let report = report?;
    print_report(&job, &report, started.elapsed());
    Ok(())
}

fn print_report(job: &HarvestJob, r: &HarvestReport, took: Duration) {
    for (id, reason) in r.rejected.iter().take(20) {
        eprintln!("refused {id}: {reason}");
    }
    let secs = took.as_secs_f64().max(0.001);
    let skipped = if r.skipped.is_empty() {
        String::new()
    } else {
        let why: Vec<String> = r.skipped.iter().map(|(reason, n)| format!("{n} {reason}")).collect();
        format!(" ({})", why.join("; "))
    };
    println!(
        "harvested {} records in {} pages from {} in {:.1} s ({:.0} records/s): {} new, {} updated, {} unchanged, {} withdrawn, {} of ours seen there, {} skipped{}, {} refused",
        r.records,
        r.pages,
        job.base_url,
        secs,
        r.records as f64 / secs,
        r.created,
        r.updated,
        r.unchanged,
        r.withdrawn,
        r.presence,
        r.skipped_total(),
        skipped,
        r.rejected.len()
    );
}

/// Refuses to serve when a configured peer answers Identify with this
/// node's own id (harvesting it would take its cases for this node's own).
/// A peer that does not answer now is checked again at each harvest.
pub async fn check_peers(config: &Config) -> Result<()> {
    let agent = harvest::agent_with_timeout(Duration::from_secs(5));
    for peer in &config.peers {
        match harvest::check_not_self(&agent, &peer.url, &config.node.id).await {
            Ok(()) => {}
            Err(e @ harvest::HarvestError::SameNode { .. }) => bail!("peer '{}': {e}", peer.id),
            Err(e) => tracing::warn!(peer = %peer.id, error = %e, "cannot check the peer's node id now"),
        }
    }
    Ok(())
}

/// Harvests each configured peer on its schedule, retrying failures with
/// growing back-off (up to the peer's interval). Each peer is a job in the
/// store (`harvest:<peer>`), so with several instances on one database each
/// harvest runs on one of them, and another takes over if that one dies.
/// Runs until aborted.
pub fn schedule(config: &Config, store: Store) -> Vec<tokio::task::JoinHandle<()>> {
    let holder = instance_name();
    config
        .peers
        .iter()
        .filter(|peer| peer.scheduled)
        .map(|peer| {
            let runner = PeerRunner {
                peer: peer.clone(),
                own_node: config.node.id.clone(),
                rereview: config.federation.rereview_changed_copies,
                lease: Duration::from_secs(u64::from(config.jobs.lease_seconds)),
                poll: Duration::from_secs(u64::from(config.jobs.poll_seconds)),
                holder: holder.clone(),
            };
            tokio::spawn(runner.run(config.app(&store)))
        })
        .collect()
}

/// This process's name as a job holder: host, process id and a random part.
pub fn instance_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_owned()).unwrap_or_default();
    format!("{host}:{}:{}", std::process::id(), ulid::Ulid::new())
}

struct PeerRunner {
    peer: PeerConfig,
    own_node: String,
    rereview: bool,
    lease: Duration,
    poll: Duration,
    holder: String,
}

impl PeerRunner {
    /// The peer's events (the `kind:event` set), after its cases: a peer that
    /// serves no events, or fails, is logged and leaves the cases' run as it was.
    async fn harvest_events(&self, app: &lumbung_app::App) {
        let set = Some(lumbung_federation::events::EVENT_SET.to_owned());
        let job = HarvestJob::new(&self.peer.id, &self.peer.url, set, &self.own_node, &self.peer.id);
        match app.harvest(&harvest::agent(), &job).await {
            Ok(r) => {
                tracing::info!(peer = %self.peer.id, records = r.records, created = r.created, updated = r.updated, "harvested events")
            }
            Err(e) => tracing::warn!(peer = %self.peer.id, error = %e, "harvesting events failed"),
        }
    }

    async fn run(self, app: lumbung_app::App) {
        let store = app.store().clone();
        let name = format!("harvest:{}", self.peer.id);
        let every = Duration::from_secs(u64::from(self.peer.every_minutes) * 60);
        let agent = harvest::agent();
        let mut backoff = Duration::from_secs(30);
        loop {
            if store.is_closed() {
                return;
            }
            let claim = match store.ensure_job(&name).await {
                Ok(()) => store.claim_job(&name, &self.holder, self.lease).await,
                Err(e) => Err(e),
            };
            match claim {
                Ok(Some(claim)) => {
                    // Renew the lease while the harvest runs; a lost lease
                    // (this instance stalled past it) ends the renewals.
                    let renewer = {
                        let (store, claim, lease) = (store.clone(), claim.clone(), self.lease);
                        tokio::spawn(async move {
                            loop {
                                tokio::time::sleep(lease / 3).await;
                                if !matches!(store.renew_job(&claim, lease).await, Ok(true)) {
                                    return;
                                }
                            }
                        })
                    };
                    let mut job = HarvestJob::new(
                        &self.peer.id,
                        &self.peer.url,
                        self.peer.set.clone(),
                        &self.own_node,
                        &self.peer.id,
                    );
                    job.rereview = self.rereview;
                    let outcome = app.harvest(&agent, &job).await;
                    if outcome.is_ok() && self.peer.set.is_none() && self.peer.events {
                        self.harvest_events(&app).await;
                    }
                    renewer.abort();
                    let (next, error) = match outcome {
                        Ok(r) => {
                            tracing::info!(peer = %self.peer.id, records = r.records, created = r.created, updated = r.updated, withdrawn = r.withdrawn, "harvested");
                            backoff = Duration::from_secs(30);
                            (every, None)
                        }
                        Err(e) => {
                            tracing::warn!(peer = %self.peer.id, error = %e, retry_in = ?backoff, "harvest failed");
                            let wait = backoff.min(every);
                            backoff = (backoff * 2).min(every);
                            (wait, Some(e.to_string()))
                        }
                    };
                    match store.finish_job(&claim, next, error.as_deref()).await {
                        Ok(true) => {}
                        Ok(false) => {
                            tracing::warn!(job = %name, "lease lost during the run; another instance took the job")
                        }
                        Err(e) => tracing::warn!(job = %name, error = %e, "cannot record the job's end"),
                    }
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(job = %name, error = %e, "cannot claim the job"),
            }
            tokio::time::sleep(self.poll).await;
        }
    }
}
