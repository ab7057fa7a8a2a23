//! Harvest bookkeeping: one harvest of a peer as one use case. The protocol
//! (requests, parsing, the mapping of a record to a copy) is
//! `lumbung_federation::harvest`; this drives it with the source's state and
//! the unit of work: each page's writes commit together or not at all, and the
//! source's state (last response date, totals, last error) is saved in the
//! transaction of the last page, or on its own after a failure.

use std::collections::HashSet;

use lumbung_federation::harvest::{
    self, HarvestError, HarvestJob, HarvestReport, MAX_PAGES, check_not_self, first_page_url, resume_url,
};
use lumbung_store::HarvestSource;

use crate::App;

impl App {
    /// Runs one harvest of `job`'s source: incremental from its last response
    /// date (minus an overlap) unless `job.full`. The node acts, not an account:
    /// who may start a harvest is decided where it is started (configuration,
    /// the command line).
    pub async fn harvest(&self, agent: &ureq::Agent, job: &HarvestJob) -> Result<HarvestReport, HarvestError> {
        let mut state = self.store.harvest_source(&job.source).await?.unwrap_or_else(|| HarvestSource {
            source: job.source.clone(),
            base_url: job.base_url.clone(),
            ..Default::default()
        });
        state.base_url = job.base_url.clone();
        state.last_attempt_at = Some(lumbung_federation::xml::utc(lumbung_core::clock::now().unix_timestamp()));
        let from =
            if job.full { None } else { state.last_response_date.as_deref().and_then(harvest::incremental_from) };
        let mut report = HarvestReport::default();
        let outcome = match check_not_self(agent, &job.base_url, &job.own_node).await {
            Ok(()) => self.harvest_pages(agent, job, from.as_deref(), &mut report, &mut state).await,
            Err(e) => Err(e),
        };
        if let Err(e) = &outcome {
            // Pages committed before the failure stay (each is whole); the
            // state keeps its last response date, so the next run covers
            // them again, and they come back unchanged.
            state.last_error = Some(e.to_string());
            self.store.save_harvest_source(&state).await?;
        }
        outcome.map(|()| report)
    }

    async fn harvest_pages(
        &self,
        agent: &ureq::Agent,
        job: &HarvestJob,
        from: Option<&str>,
        report: &mut HarvestReport,
        state: &mut HarvestSource,
    ) -> Result<(), HarvestError> {
        let mut url = first_page_url(job, from);
        let mut seen_tokens: HashSet<String> = HashSet::new();
        loop {
            let page = harvest::fetch_page(agent, &url).await?;
            report.pages += 1;
            if report.response_date.is_none() {
                report.response_date = page.response_date.clone();
            }
            let next = match page.token {
                Some(token) if !token.is_empty() => {
                    if !seen_tokens.insert(token.clone()) {
                        return Err(HarvestError::Protocol("the peer sent the same resumption token twice".into()));
                    }
                    if report.pages >= MAX_PAGES {
                        return Err(HarvestError::Protocol(format!("more than {MAX_PAGES} pages; stopped")));
                    }
                    Some(resume_url(job, &token))
                }
                _ => None,
            };
            let mut tx = self.store.begin().await?;
            harvest::apply_page(&mut tx, job, page.records, report).await?;
            if next.is_none() {
                // The last page: the harvest is complete, and its state
                // commits with the page's writes.
                finished(state, report);
                tx.save_harvest_source(state).await?;
            }
            tx.commit().await?;
            match next {
                Some(u) => url = u,
                None => return Ok(()),
            }
        }
    }
}

/// The source's state after a complete harvest.
fn finished(state: &mut HarvestSource, report: &HarvestReport) {
    state.last_success_at = state.last_attempt_at.clone();
    state.last_error = None;
    if let Some(d) = &report.response_date {
        state.last_response_date = Some(d.clone());
    }
    state.records_seen += report.records as i64;
    state.created += report.created as i64;
    state.updated += report.updated as i64;
    state.withdrawn += report.withdrawn as i64;
    state.rejected += report.rejected.len() as i64;
}
