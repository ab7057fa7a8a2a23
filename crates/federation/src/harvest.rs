//! The OAI-PMH harvester's protocol half: builds `ListRecords` requests,
//! fetches and parses pages in the `lumbung` format, and turns one page's
//! records into writes (upserts by origin identifier through the store's
//! normal write path) inside a transaction it is given. The use case that
//! drives a whole harvest — the source's state, one transaction per page,
//! resumption — is `lumbung_app::App::harvest`.
//!
//! Everything a peer sends is untrusted. Responses are size-limited and
//! parsed by a strict XML reader; each record is validated like any other
//! input and refused (counted, logged) when invalid; resumption loops and
//! endless lists are cut off; a failing peer changes nothing already stored.

use std::collections::BTreeMap;
use std::time::Duration;

use lumbung_core::{
    Case, CaseContent, Contact, Link, NominationDirection, Origin, RevisionAction, Sections, Status, Text, validate,
};
use lumbung_store::{ImportMode, StoreError, Tx};

use crate::dom::{self, El};
use crate::formats::LUMBUNG_NS;

const OAI_NS: &str = "http://www.openarchives.org/OAI/2.0/";
/// Largest response accepted.
pub const MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
/// Most pages one harvest follows.
pub const MAX_PAGES: usize = 100_000;
/// How far before the last response date an incremental harvest starts: datestamps
/// follow the provider's commit order, so a few seconds cover same-second commits
/// and small clock steps.
pub const OVERLAP_SECONDS: i64 = 5;

/// What to harvest.
#[derive(Debug, Clone)]
pub struct HarvestJob {
    /// The name the state is kept under: a peer id, or the base URL.
    pub source: String,
    /// The peer's OAI-PMH base URL.
    pub base_url: String,
    pub set: Option<String>,
    /// Ignore the last response date and harvest everything.
    pub full: bool,
    /// This node's id: records that originate here are not copied back;
    /// they tell where this node's cases are published.
    pub own_node: String,
    /// The harvested node's id (a configured peer's id), for presence and nominations.
    pub peer_node: String,
    /// Harvesting a `nominated:<own id>` set: new copies wait in the curators'
    /// queue (submitted) instead of being published.
    pub queue: bool,
    /// In queue mode, send an accepted copy back for review when it changes at the origin.
    pub rereview: bool,
}

/// How to give two nodes different ids.
pub const NODE_ID_SETTING: &str = "node.id in the configuration file, or LUMBUNG_NODE_ID";

impl HarvestReport {
    pub(crate) fn skip(&mut self, reason: String) {
        *self.skipped.entry(reason).or_default() += 1;
    }

    /// How many records were skipped in all.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }
}

impl HarvestJob {
    /// A job for a source, queueing when the set is this node's nomination set.
    pub fn new(source: &str, base_url: &str, set: Option<String>, own_node: &str, peer_node: &str) -> HarvestJob {
        let queue = set.as_deref() == Some(&format!("nominated:{own_node}"));
        // Events are another list of the same peer, with datestamps of their
        // own: their harvest keeps its own state (last response date).
        let source = match set.as_deref() {
            Some(crate::events::EVENT_SET) => format!("{source} {}", crate::events::EVENT_SET),
            _ => source.to_owned(),
        };
        HarvestJob {
            source,
            base_url: base_url.to_owned(),
            set,
            full: false,
            own_node: own_node.to_owned(),
            peer_node: peer_node.to_owned(),
            queue,
            rereview: false,
        }
    }
}

/// What one harvest did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct HarvestReport {
    pub pages: usize,
    pub records: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub withdrawn: usize,
    /// This node's own cases seen published (or withdrawn) at the peer.
    pub presence: usize,
    /// (identifier, reason) of records refused.
    pub rejected: Vec<(String, String)>,
    /// Records passed over without a change here, counted by why.
    pub skipped: BTreeMap<String, usize>,
    pub response_date: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum HarvestError {
    #[error("cannot reach {url}: {reason}")]
    Fetch { url: String, reason: String },
    #[error("the peer's answer is not a valid OAI-PMH response: {0}")]
    Protocol(String),
    #[error("the peer reported an error: {code}: {message}")]
    Peer { code: String, message: String },
    #[error(
        "the source at {url} is node '{node}', and so is this node: its cases would be taken for this node's own. \
         Give each node its own id ({NODE_ID_SETTING}) and harvest again"
    )]
    SameNode { node: String, url: String },
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

/// One parsed `ListRecords` page.
#[derive(Debug, Default)]
pub struct Page {
    pub response_date: Option<String>,
    pub records: Vec<Record>,
    pub token: Option<String>,
    /// `noRecordsMatch`: an empty list, not a failure.
    pub empty: bool,
}

/// One harvested record.
#[derive(Debug, Clone)]
pub struct Record {
    pub identifier: String,
    pub datestamp: String,
    pub deleted: bool,
    /// The parsed case, or why it could not be read.
    pub case: Result<CaseContent, String>,
    /// Nomination notes in the record: (to node, note).
    pub nominations: Vec<(String, String)>,
    /// The replication links the record carries (checked, bounded).
    pub links: Vec<crate::links::HarvestedLink>,
    /// An event record (`oai:<node>:event/<id>`): the parsed event, or why
    /// it could not be read. None for a case record.
    pub event: Option<Result<crate::events::HarvestedEvent, String>>,
}

/// Parses a `ListRecords` response.
pub fn parse_page(bytes: &[u8]) -> Result<Page, HarvestError> {
    let root = dom::parse(bytes).map_err(HarvestError::Protocol)?;
    if root.name != "OAI-PMH" || root.attr("xmlns") != Some(OAI_NS) {
        return Err(HarvestError::Protocol("the root is not an OAI-PMH element in the OAI-PMH namespace".into()));
    }
    let mut page = Page { response_date: root.text_of("responseDate"), ..Default::default() };
    if let Some(error) = root.child("error") {
        let code = error.attr("code").unwrap_or("unknown").to_owned();
        if code == "noRecordsMatch" {
            page.empty = true;
            return Ok(page);
        }
        return Err(HarvestError::Peer { code, message: error.text.trim().chars().take(300).collect() });
    }
    let list = root.child("ListRecords").ok_or_else(|| HarvestError::Protocol("no ListRecords element".into()))?;
    for record in list.all("record") {
        let Some(header) = record.child("header") else { continue };
        let identifier = header.text_of("identifier").unwrap_or_default();
        if identifier.is_empty() || identifier.len() > 300 {
            continue;
        }
        let deleted = header.attr("status") == Some("deleted");
        let event_el = record.child("metadata").and_then(|m| m.child("event"));
        if event_el.is_some() || identifier.contains(":event/") {
            let event = match event_el {
                _ if deleted => Err("deleted".to_owned()),
                Some(e) if e.attr("xmlns") == Some(LUMBUNG_NS) => crate::events::event_from_xml(e),
                Some(_) => Err("the metadata is not in the lumbung namespace".to_owned()),
                None => Err("the record has no lumbung event metadata".to_owned()),
            };
            page.records.push(Record {
                links: Vec::new(),
                identifier,
                datestamp: header.text_of("datestamp").unwrap_or_default(),
                deleted,
                case: Err("an event record".to_owned()),
                nominations: Vec::new(),
                event: Some(event),
            });
            continue;
        }
        let case = if deleted {
            Err("deleted".to_owned())
        } else {
            match record.child("metadata").and_then(|m| m.child("case")) {
                Some(c) if c.attr("xmlns") == Some(LUMBUNG_NS) => case_from_xml(c),
                Some(_) => Err("the metadata is not in the lumbung namespace".to_owned()),
                None => Err("the record has no lumbung metadata".to_owned()),
            }
        };
        let nominations = record
            .child("metadata")
            .and_then(|m| m.child("case"))
            .map(|c| {
                c.all("nomination")
                    .map(|n| (n.attr("to").unwrap_or_default().to_owned(), n.text.trim().chars().take(5_000).collect()))
                    .collect()
            })
            .unwrap_or_default();
        let links = match record.child("metadata").and_then(|m| m.child("case")) {
            Some(c) if !deleted => crate::links::parse_links(c, &identifier),
            _ => Vec::new(),
        };
        page.records.push(Record {
            links,
            identifier,
            datestamp: header.text_of("datestamp").unwrap_or_default(),
            deleted,
            case,
            nominations,
            event: None,
        });
    }
    page.token = list.text_of("resumptionToken");
    Ok(page)
}

fn texts(el: &El, name: &str) -> Text {
    let mut t = Text::default();
    for c in el.all(name) {
        let lang = c.attr("lang").unwrap_or("en").to_ascii_lowercase();
        t.0.insert(lang, c.text.trim().to_owned());
    }
    t
}

/// Reads the native record into case content (validation comes after).
pub fn case_from_xml(el: &El) -> Result<CaseContent, String> {
    let list = |name: &str| -> Vec<String> { el.all(name).map(|c| c.text.trim().to_owned()).collect() };
    let date = |name: &str, s: Option<String>| -> Result<Option<time::Date>, String> {
        match s {
            None => Ok(None),
            Some(v) => time::Date::parse(&v, time::macros::format_description!("[year]-[month]-[day]"))
                .map(Some)
                .map_err(|_| format!("{name}: '{}' is not a date", v.chars().take(40).collect::<String>())),
        }
    };
    let mut sections = Sections::default();
    for s in el.all("section") {
        let lang = s.attr("lang").unwrap_or("en").to_ascii_lowercase();
        let text = s.text.trim().to_owned();
        let name = s.attr("name");
        let Some(target) = name.and_then(|n| sections.get_mut(n)) else {
            return Err(format!("unknown section {name:?}"));
        };
        target.0.insert(lang, text);
    }
    let operating = el.child("operatingStatus");
    let content = CaseContent {
        title: texts(el, "title"),
        summary: texts(el, "summary"),
        original_language: el.text_of("originalLanguage").unwrap_or_default(),
        country: el.text_of("country"),
        region: el.text_of("region"),
        city: el.text_of("city"),
        place: el.child("place").and_then(|p| p.attr("code")).map(str::to_owned),
        level_of_government: el.text_of("levelOfGovernment"),
        // Organisation ids are the origin node's; keep their names as partners.
        organisations: Vec::new(),
        partners: el
            .all("organisation")
            .map(|o| o.text.trim().to_owned())
            .chain(list("partner"))
            .filter(|p| !p.is_empty())
            .collect(),
        sectors: list("sector"),
        innovation_facets: list("innovationFacet"),
        lifecycle_stage: el.text_of("lifecycleStage"),
        sdgs: list("sdg")
            .iter()
            .map(|s| s.parse::<u32>().map_err(|_| format!("sdg: '{s}'")))
            .collect::<Result<_, _>>()?,
        tags: list("tag"),
        digital: el.text_of("digital").map(|d| d == "true" || d == "1"),
        year_launched: el
            .text_of("yearLaunched")
            .map(|y| y.parse::<i32>().map_err(|_| format!("yearLaunched: '{y}'")))
            .transpose()?,
        website: el.text_of("website"),
        sections,
        links: el
            .all("link")
            .map(|l| Link {
                url: l.attr("url").unwrap_or_default().to_owned(),
                title: Some(l.text.trim().to_owned()).filter(|t| !t.is_empty()),
            })
            .collect(),
        contact: el.child("contact").map(|c| Contact {
            name: c.text_of("name"),
            email: c.text_of("email"),
            organisation: c.text_of("organisation"),
        }),
        operating_status: operating.map(|o| o.text.trim().to_owned()).filter(|s| !s.is_empty()),
        operating_status_date: date(
            "operatingStatus/@date",
            operating.and_then(|o| o.attr("date").map(str::to_owned)),
        )?,
        last_confirmed: date("lastConfirmed", el.text_of("lastConfirmed"))?,
        source_url: el.text_of("sourceUrl"),
    };
    Ok(content.normalised())
}

/// The node an OAI identifier names (`oai:<node>:…`).
pub fn node_of(identifier: &str) -> Option<&str> {
    let rest = identifier.strip_prefix("oai:")?;
    let (node, _) = rest.split_once(':')?;
    (!node.is_empty() && node.len() <= 64).then_some(node)
}

/// The node id a source gives in its Identify answer (a Lumbung node's
/// `<description><node id="…"/>`), or `None` when it names none.
pub fn identified_node(bytes: &[u8]) -> Result<Option<String>, HarvestError> {
    let root = dom::parse(bytes).map_err(HarvestError::Protocol)?;
    let Some(identify) = root.child("Identify") else {
        return Err(HarvestError::Protocol("the answer to Identify has no Identify element".into()));
    };
    Ok(identify.all("description").find_map(|d| d.child("node")).and_then(|n| n.attr("id")).map(str::to_owned))
}

/// Asks the source who it is; refuses a source that is this node's id.
/// A source that cannot answer Identify is left to the records check.
pub async fn check_not_self(agent: &ureq::Agent, base_url: &str, own_node: &str) -> Result<(), HarvestError> {
    let (a, url) = (agent.clone(), url_with(base_url, &[("verb", "Identify")]));
    let bytes = match tokio::task::spawn_blocking(move || fetch(&a, &url)).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(e)) => return Err(e),
        Err(e) => return Err(HarvestError::Protocol(e.to_string())),
    };
    match identified_node(&bytes) {
        Ok(Some(node)) if node == own_node => Err(HarvestError::SameNode { node, url: base_url.to_owned() }),
        _ => Ok(()),
    }
}

/// A blocking HTTP GET with a size limit, for `spawn_blocking`.
fn fetch(agent: &ureq::Agent, url: &str) -> Result<Vec<u8>, HarvestError> {
    let fail = |reason: String| HarvestError::Fetch { url: url.to_owned(), reason };
    let mut res = agent.get(url).call().map_err(|e| fail(e.to_string()))?;
    res.body_mut().with_config().limit(MAX_RESPONSE_BYTES).read_to_vec().map_err(|e| fail(e.to_string()))
}

/// Default limit on one request to a peer, connection to last byte.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// An HTTP client with the harvester's timeouts.
pub fn agent() -> ureq::Agent {
    agent_with_timeout(DEFAULT_TIMEOUT)
}

/// An HTTP client whose requests give up after `timeout` (a slow or silent peer).
pub fn agent_with_timeout(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(10).min(timeout)))
        .timeout_global(Some(timeout))
        .user_agent(concat!("Lumbung/", env!("CARGO_PKG_VERSION"), " (OAI-PMH harvester)"))
        .build()
        .into()
}

fn url_with(base: &str, args: &[(&str, &str)]) -> String {
    let query: Vec<String> = args.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
    format!("{base}?{}", query.join("&"))
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The first `ListRecords` request of a harvest: from `from` (see
/// [`incremental_from`]), in the job's set, in the `lumbung` format.
pub fn first_page_url(job: &HarvestJob, from: Option<&str>) -> String {
    let mut args: Vec<(&str, &str)> = vec![("verb", "ListRecords"), ("metadataPrefix", "lumbung")];
    if let Some(f) = from {
        args.push(("from", f));
    }
    if let Some(s) = &job.set {
        args.push(("set", s));
    }
    url_with(&job.base_url, &args)
}

/// The request that resumes a list after a page that ended with `token`.
pub fn resume_url(job: &HarvestJob, token: &str) -> String {
    url_with(&job.base_url, &[("verb", "ListRecords"), ("resumptionToken", token)])
}

/// Where an incremental harvest starts: the last response date less an overlap.
pub fn incremental_from(last_response_date: &str) -> Option<String> {
    let t = time::OffsetDateTime::parse(last_response_date, &time::format_description::well_known::Rfc3339).ok()?;
    Some(crate::xml::utc(t.unix_timestamp() - OVERLAP_SECONDS))
}

/// Fetches and parses one `ListRecords` page (off the async threads).
pub async fn fetch_page(agent: &ureq::Agent, url: &str) -> Result<Page, HarvestError> {
    let (a, u) = (agent.clone(), url.to_owned());
    let bytes = tokio::task::spawn_blocking(move || fetch(&a, &u))
        .await
        .map_err(|e| HarvestError::Protocol(e.to_string()))??;
    tokio::task::spawn_blocking(move || parse_page(&bytes)).await.map_err(|e| HarvestError::Protocol(e.to_string()))?
}

/// Applies one page's records in the caller's transaction: updates and
/// withdrawals of existing copies in place, new copies as one batch, with
/// their incoming nominations in queue mode, and this node's own cases seen
/// at the peer as presence. Counts everything in `report`.
pub async fn apply_page(
    tx: &mut Tx,
    job: &HarvestJob,
    records: Vec<Record>,
    report: &mut HarvestReport,
) -> Result<(), HarvestError> {
    let mut new_copies: Vec<Case> = Vec::new();
    let mut notes: Vec<Option<String>> = Vec::new();
    let mut new_links: Vec<Vec<crate::links::HarvestedLink>> = Vec::new();
    let identifiers: Vec<String> = records.iter().filter(|r| r.event.is_none()).map(|r| r.identifier.clone()).collect();
    let mut existing = tx.cases_by_origin_identifiers(&identifiers).await?;
    for mut record in records {
        report.records += 1;
        if let Some(event) = record.event.take() {
            crate::events::apply_event(tx, job, record.identifier, record.deleted, event, report).await?;
            continue;
        }
        let copy = existing.remove(&record.identifier);
        let note = record.nominations.iter().find(|(to, _)| *to == job.own_node).map(|(_, n)| n.clone());
        // An existing copy whose record was read keeps its links in step.
        let links = record.links.clone();
        let linked_copy = copy.as_ref().filter(|_| record.case.is_ok() && !record.deleted).map(|c| c.id.clone());
        let rejected = report.rejected.len();
        if let Some(case) = apply(tx, job, record, copy, report).await? {
            new_copies.push(case);
            notes.push(note);
            new_links.push(links);
        } else if let Some(copy_id) = linked_copy.filter(|_| report.rejected.len() == rejected) {
            crate::links::sync_links_in(tx, &copy_id, &links, &job.own_node).await?;
        }
    }
    if new_copies.is_empty() {
        return Ok(());
    }
    let outcome = tx.import_cases(&new_copies, ImportMode::Harvest, None).await?;
    report.created += outcome.inserted;
    let skipped: Vec<usize> = outcome.skipped.iter().map(|(i, _)| *i).collect();
    for (i, (copy, links)) in new_copies.iter().zip(&new_links).enumerate() {
        if !skipped.contains(&i) && !links.is_empty() {
            crate::links::sync_links_in(tx, &copy.id, links, &job.own_node).await?;
        }
    }
    for (i, reason) in outcome.skipped {
        let id = new_copies.get(i).and_then(|c| c.origin.as_ref()).map(|o| o.identifier.clone());
        report.rejected.push((id.unwrap_or_default(), reason));
    }
    if job.queue {
        // Each queued copy is an incoming nomination, with its note.
        for (i, (copy, note)) in new_copies.iter().zip(notes).enumerate() {
            if skipped.contains(&i) {
                continue;
            }
            let from = copy.origin.as_ref().map_or(job.peer_node.as_str(), |o| o.node.as_str());
            match tx.nominate(NominationDirection::Incoming, &copy.id, from, note.as_deref(), None).await {
                // A copy that is already nominated here stays as it is
                // (refused before anything was written).
                Ok(_) | Err(StoreError::Duplicate(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}

/// Applies one record: withdraws or updates an existing copy in place, or
/// returns a new copy for the page's batch.
async fn apply(
    tx: &mut Tx,
    job: &HarvestJob,
    record: Record,
    existing: Option<Case>,
    report: &mut HarvestReport,
) -> Result<Option<Case>, HarvestError> {
    let Some(node) = node_of(&record.identifier) else {
        report.rejected.push((record.identifier, "not an oai:<node>:… identifier".into()));
        return Ok(None);
    };
    if node == job.own_node {
        // Our own case, served back by the peer: it is published (or
        // withdrawn) there. Nothing to copy; note where it stands.
        if let Some(id) = record.identifier.rsplit_once("case/").map(|(_, id)| id) {
            if tx.set_presence(id, &job.peer_node, !record.deleted).await? {
                report.presence += 1;
                return Ok(None);
            }
        }
        report.skip(format!(
            "carry this node's own id '{}' but are not its cases: the source has the same node id ({NODE_ID_SETTING})",
            job.own_node
        ));
        return Ok(None);
    }
    let now = lumbung_core::clock::now();
    if record.deleted {
        match &existing {
            None => report.skip("deleted at the source and never copied here".into()),
            Some(c) if c.status == Status::Archived => {
                report.skip("deleted at the source, already withdrawn here".into())
            }
            Some(_) => {}
        }
        if let Some(copy) = existing.filter(|c| c.status != Status::Archived) {
            tx.update_case::<StoreError, _>(
                &copy.id,
                None,
                RevisionAction::Withdraw,
                None,
                Some("withdrawn at the origin"),
                |c| {
                    c.status = Status::Archived;
                    Ok(())
                },
            )
            .await?;
            report.withdrawn += 1;
        }
        return Ok(None);
    }
    let content = match record.case {
        Ok(c) => c,
        Err(reason) => {
            report.rejected.push((record.identifier, reason));
            return Ok(None);
        }
    };
    if let Err(errors) = validate::validate_case(&content, &|_| false) {
        tracing::warn!(identifier = %record.identifier, %errors, "harvested record refused");
        report.rejected.push((record.identifier, errors.to_string()));
        return Ok(None);
    }
    let origin = Origin {
        node: node.to_owned(),
        identifier: record.identifier.clone(),
        url: Some(job.base_url.clone()),
        harvested_at: Some(now),
    };
    match existing {
        Some(copy) => {
            let status = if !job.queue {
                Status::Published
            } else if copy.status == Status::Published && job.rereview && copy.content != content {
                Status::Submitted
            } else {
                copy.status
            };
            if copy.content == content && copy.status == status {
                report.unchanged += 1;
                return Ok(None);
            }
            tx.update_case::<StoreError, _>(&copy.id, None, RevisionAction::Harvest, None, None, |c| {
                c.content = content;
                c.origin = Some(origin);
                c.status = status;
                Ok(())
            })
            .await?;
            report.updated += 1;
        }
        None => {
            let status = if job.queue { Status::Submitted } else { Status::Published };
            let mut case = Case::new(ulid::Ulid::new().to_string(), content, status, None, now);
            case.origin = Some(origin);
            return Ok(Some(case));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-11-26T10:00:00Z</responseDate><ListRecords>
<record><header><identifier>oai:asean:case/01KDVDNAZ89HAMTGG000000001</identifier><datestamp>2026-11-26T09:00:00Z</datestamp></header>
<metadata><case xmlns="urn:lumbung:schema:case:1" id="01KDVDNAZ89HAMTGG000000001" version="2"><title xml:lang="en">Village &lt;b&gt;fund&lt;/b&gt; boards</title><title xml:lang="id">Papan dana desa</title><originalLanguage>id</originalLanguage><country>ID</country><organisation id="x">Kemendes</organisation><sector>rural_development</sector><sdg>16</sdg><section name="problem" xml:lang="id">Warga tidak tahu.</section><completeness>40</completeness><created>2026-01-01T00:00:00Z</created><updated>2026-01-01T00:00:00Z</updated></case></metadata></record>
<record><header status="deleted"><identifier>oai:asean:case/01KDVDNAZ89HAMTGG000000002</identifier><datestamp>2026-11-26T09:00:00Z</datestamp></header></record>
<record><header><identifier>oai:asean:case/3</identifier><datestamp>x</datestamp></header><metadata><case xmlns="urn:other"/></metadata></record>
<resumptionToken completeListSize="10" cursor="0">abc</resumptionToken></ListRecords></OAI-PMH>"#;

    #[test]
    fn parses_records_deletions_and_tokens() {
        let page = parse_page(PAGE.as_bytes()).unwrap_or_default();
        assert_eq!(page.records.len(), 3);
        assert_eq!(page.token.as_deref(), Some("abc"));
        assert_eq!(page.response_date.as_deref(), Some("2026-11-26T10:00:00Z"));
        let first = page.records[0].case.clone().unwrap_or_default();
        assert_eq!(first.title.get("en"), Some("Village <b>fund</b> boards"), "text stays text, never markup");
        assert_eq!(first.partners, vec!["Kemendes"]);
        assert_eq!(first.sections.problem.get("id"), Some("Warga tidak tahu."));
        assert!(page.records[1].deleted);
        assert!(page.records[2].case.is_err());
    }

    #[test]
    fn refuses_foreign_or_broken_answers() {
        for bad in [
            "<html><body>not oai</body></html>",
            "<OAI-PMH xmlns=\"urn:wrong\"><ListRecords/></OAI-PMH>",
            "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><Identify/></OAI-PMH>",
            "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><error code=\"badArgument\">no</error></OAI-PMH>",
        ] {
            assert!(parse_page(bad.as_bytes()).is_err(), "{bad}");
        }
        let empty =
            "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><error code=\"noRecordsMatch\"/></OAI-PMH>";
        assert!(parse_page(empty.as_bytes()).is_ok_and(|p| p.empty));
    }

    #[test]
    fn identifiers() {
        assert_eq!(node_of("oai:id.kemenpan:case/01X"), Some("id.kemenpan"));
        assert_eq!(node_of("urn:x"), None);
        assert_eq!(encode("a b:c/d"), "a%20b%3Ac%2Fd");
    }
}
