//! The OAI-PMH 2.0 provider: the six verbs, every error condition, selective
//! harvesting by datestamp and set, stateless resumption tokens, and
//! persistent deleted records (tombstones of once-published cases).
//!
//! Datestamps are the second of each record's last committed change. Lists
//! are ordered by (datestamp, id), and a resumption token names the last
//! record delivered, so paging survives restarts and a record changed during
//! a harvest moves to the end of the list rather than being missed.

use std::collections::HashMap;

use lumbung_core::event::{self, Event, RemoteActionItem};
use lumbung_core::{Case, Status, vocab};
use lumbung_store::{ActionFilter, OaiSelection, OaiSet, Store, StoreError};

use crate::events::{CASE_SET, EVENT_SET, EventContext};

use crate::formats::{Context, Format};
use crate::xml::{element, esc, utc};

const OAI_NS: &str = "http://www.openarchives.org/OAI/2.0/";
const OAI_SCHEMA: &str = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
const PROVENANCE_NS: &str = "http://www.openarchives.org/OAI/2.0/provenance";

/// Who this node is, as the provider needs it.
#[derive(Debug, Clone)]
pub struct Provider {
    pub node_id: String,
    pub node_name: String,
    /// Base URL of the node, without a trailing slash.
    pub base_url: String,
    pub admin_email: String,
    /// Records per page of a list.
    pub page_size: i64,
    /// Upstream nodes this node nominates to (`nominated:<id>` sets).
    pub upstreams: Vec<String>,
}

/// An OAI-PMH error condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OaiError {
    pub code: &'static str,
    pub message: String,
}

fn err(code: &'static str, message: impl Into<String>) -> OaiError {
    OaiError { code, message: message.into() }
}

/// A failure that is not the harvester's fault.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ProviderError(#[from] StoreError);

/// What a record says about its nominations: the notes for the upstream
/// being served (in the `lumbung` format) and every upstream it is nominated
/// to (its `nominated:` sets).
#[derive(Clone, Copy)]
struct Nominations<'a> {
    notes: &'a [(String, Option<String>)],
    upstreams: &'a [String],
}

const VERBS: [&str; 6] = ["Identify", "ListMetadataFormats", "ListSets", "ListIdentifiers", "ListRecords", "GetRecord"];

impl Provider {
    fn base(&self) -> String {
        format!("{}/oai", self.base_url)
    }

    /// The OAI identifier of a local case.
    pub fn identifier(&self, id: &str) -> String {
        format!("oai:{}:case/{id}", self.node_id)
    }

    /// Answers one request, given its arguments as decoded pairs (from the
    /// query string or a form body). Always an XML document; OAI-PMH errors
    /// are reported inside it, as the protocol requires.
    pub async fn respond(&self, store: &Store, args: &[(String, String)]) -> Result<String, ProviderError> {
        let now = utc(lumbung_core::clock::now().unix_timestamp());
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<OAI-PMH xmlns=\"{OAI_NS}\" xmlns:xsi=\"{XSI_NS}\" \
             xsi:schemaLocation=\"{OAI_NS} {OAI_SCHEMA}\"><responseDate>{now}</responseDate>"
        );
        match self.dispatch(store, args).await? {
            Ok(body) => {
                // The request element echoes the (valid) arguments.
                let attrs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                element(&mut out, "request", &attrs, &self.base());
                out.push_str(&body);
            }
            Err(errors) => {
                let echo = !errors.iter().any(|e| e.code == "badVerb" || e.code == "badArgument");
                if echo {
                    let attrs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                    element(&mut out, "request", &attrs, &self.base());
                } else {
                    element(&mut out, "request", &[], &self.base());
                }
                for e in errors {
                    element(&mut out, "error", &[("code", e.code)], &e.message);
                }
            }
        }
        out.push_str("</OAI-PMH>");
        Ok(out)
    }

    async fn dispatch(
        &self,
        store: &Store,
        args: &[(String, String)],
    ) -> Result<Result<String, Vec<OaiError>>, ProviderError> {
        let verbs: Vec<&str> = args.iter().filter(|(k, _)| k == "verb").map(|(_, v)| v.as_str()).collect();
        let verb = match verbs.as_slice() {
            [] => return Ok(Err(vec![err("badVerb", "the verb argument is missing")])),
            [v] if VERBS.contains(v) => *v,
            [v] => return Ok(Err(vec![err("badVerb", format!("'{}' is not an OAI-PMH verb", clip(v)))])),
            _ => return Ok(Err(vec![err("badVerb", "the verb argument is repeated")])),
        };
        let mut map: HashMap<&str, &str> = HashMap::new();
        for (k, v) in args {
            if k == "verb" {
                continue;
            }
            if map.insert(k.as_str(), v.as_str()).is_some() {
                return Ok(Err(vec![err("badArgument", format!("the argument '{}' is repeated", clip(k)))]));
            }
        }
        // Arguments whose syntax is illegal are badArgument (and are not echoed).
        for (k, v) in &map {
            let ok = match *k {
                "metadataPrefix" => valid_spec_part(v),
                "set" => !v.is_empty() && v.split(':').all(valid_spec_part),
                "resumptionToken" => !v.is_empty(),
                _ => true,
            };
            if !ok {
                return Ok(Err(vec![err("badArgument", format!("the value of '{k}' has an illegal syntax"))]));
            }
        }
        let allowed: &[&str] = match verb {
            "Identify" => &[],
            "ListMetadataFormats" => &["identifier"],
            "ListSets" => &["resumptionToken"],
            "GetRecord" => &["identifier", "metadataPrefix"],
            _ => &["metadataPrefix", "from", "until", "set", "resumptionToken"],
        };
        if let Some(k) = map.keys().find(|k| !allowed.contains(k)) {
            return Ok(Err(vec![err("badArgument", format!("'{}' is not an argument of {verb}", clip(k)))]));
        }
        Ok(match verb {
            "Identify" => Ok(self.identify(store).await?),
            "ListMetadataFormats" => self.list_metadata_formats(store, map.get("identifier").copied()).await?,
            "ListSets" => match map.get("resumptionToken") {
                Some(_) => Err(vec![err("badResumptionToken", "ListSets is answered in one response")]),
                None => Ok(self.list_sets(store).await?),
            },
            "GetRecord" => match (map.get("identifier"), map.get("metadataPrefix")) {
                (Some(id), Some(prefix)) => self.get_record(store, id, prefix).await?,
                _ => Err(vec![err("badArgument", "GetRecord needs identifier and metadataPrefix")]),
            },
            list => self.list(store, list == "ListRecords", &map).await?,
        })
    }

    async fn identify(&self, store: &Store) -> Result<String, ProviderError> {
        let earliest =
            [store.oai_earliest().await?, store.oai_events_earliest().await?].into_iter().flatten().min().unwrap_or(0);
        let mut out = String::from("<Identify>");
        element(&mut out, "repositoryName", &[], &self.node_name);
        element(&mut out, "baseURL", &[], &self.base());
        element(&mut out, "protocolVersion", &[], "2.0");
        element(&mut out, "adminEmail", &[], &self.admin_email);
        element(&mut out, "earliestDatestamp", &[], &utc(earliest));
        element(&mut out, "deletedRecord", &[], "persistent");
        element(&mut out, "granularity", &[], "YYYY-MM-DDThh:mm:ssZ");
        // Which node this is, so a harvester can tell it is not harvesting itself
        // (or a node configured with the same id).
        out.push_str("<description>");
        element(&mut out, "node", &[("xmlns", crate::formats::LUMBUNG_NS), ("id", &self.node_id)], "");
        out.push_str("</description>");
        out.push_str("</Identify>");
        Ok(out)
    }

    async fn list_metadata_formats(
        &self,
        store: &Store,
        identifier: Option<&str>,
    ) -> Result<Result<String, Vec<OaiError>>, ProviderError> {
        if let Some(id) = identifier {
            let found = if event::is_global_event_id(id) {
                self.find_event(store, id).await?.is_some()
            } else {
                self.find(store, id).await?.is_some()
            };
            if !found {
                return Ok(Err(vec![err("idDoesNotExist", format!("no record '{}'", clip(id)))]));
            }
        }
        let mut out = String::from("<ListMetadataFormats>");
        for f in Format::ALL {
            out.push_str("<metadataFormat>");
            element(&mut out, "metadataPrefix", &[], f.prefix());
            element(&mut out, "schema", &[], &f.schema(&self.base_url));
            element(&mut out, "metadataNamespace", &[], f.namespace());
            out.push_str("</metadataFormat>");
        }
        out.push_str("</ListMetadataFormats>");
        Ok(Ok(out))
    }

    async fn list_sets(&self, store: &Store) -> Result<String, ProviderError> {
        let mut out = String::from("<ListSets>");
        let mut set = |spec: &str, name: &str| {
            out.push_str("<set>");
            element(&mut out, "setSpec", &[], spec);
            element(&mut out, "setName", &[], name);
            out.push_str("</set>");
        };
        for (prefix, what, terms) in [
            ("country", "Country", vocab::COUNTRIES),
            ("sector", "Sector", vocab::SECTORS),
            ("level", "Level of government", vocab::LEVELS_OF_GOVERNMENT),
        ] {
            for t in terms {
                set(&format!("{prefix}:{}", t.code), &format!("{what}: {}", t.en));
            }
        }
        set(CASE_SET, "Cases");
        set(EVENT_SET, "Events (forums, conferences, workshops… with agendas and outcomes)");
        set(&format!("origin:{}", self.node_id), &format!("Origin: {} (this node)", self.node_name));
        for up in &self.upstreams {
            if valid_spec_part(up) {
                set(&format!("nominated:{up}"), &format!("Nominated to {up}"));
            }
        }
        for node in store.origin_nodes().await? {
            if node != self.node_id && valid_spec_part(&node) {
                set(&format!("origin:{node}"), &format!("Origin: {node}"));
            }
        }
        out.push_str("</ListSets>");
        Ok(out)
    }

    /// The case an OAI identifier names, if it was ever published here.
    async fn find(&self, store: &Store, identifier: &str) -> Result<Option<Case>, ProviderError> {
        let own = format!("oai:{}:case/", self.node_id);
        let case = match identifier.strip_prefix(&own) {
            Some(id) if id.len() == 26 && id.chars().all(|c| c.is_ascii_alphanumeric()) => store.get_case(id).await?,
            Some(_) => None,
            None => store.case_by_origin_identifier(identifier).await?,
        };
        Ok(case.filter(|c| c.published_at.is_some()))
    }

    /// The event an OAI identifier names: a local event, or a harvested copy
    /// by its origin's identifier. Every event is public.
    async fn find_event(&self, store: &Store, identifier: &str) -> Result<Option<(i64, Event)>, ProviderError> {
        let own = format!("oai:{}:event/", self.node_id);
        Ok(match identifier.strip_prefix(&own) {
            Some(id) if id.len() == 26 && id.chars().all(|c| c.is_ascii_alphanumeric()) => {
                store.oai_event(Some(id), None).await?
            }
            Some(_) => None,
            None => store.oai_event(None, Some(identifier)).await?,
        })
    }

    /// The global identifiers of the cases these events present (references
    /// to local cases that were never published are left out) and the action
    /// items of the local ones, with their owners' names.
    async fn event_extras(
        &self,
        store: &Store,
        events: &[&Event],
        organisations: &HashMap<String, String>,
    ) -> Result<(HashMap<String, String>, HashMap<String, Vec<RemoteActionItem>>), ProviderError> {
        let mut cases = HashMap::new();
        let mut actions = HashMap::new();
        for e in events {
            for r in e.content.presented_cases() {
                if cases.contains_key(&r) {
                    continue;
                }
                if event::is_global_case_id(&r) {
                    cases.insert(r.clone(), r);
                } else if let Some(c) = store.get_case(&r).await?.filter(|c| c.published_at.is_some()) {
                    let global = c.origin.map_or_else(|| self.identifier(&c.id), |o| o.identifier);
                    cases.insert(r, global);
                }
            }
            if e.origin.is_none() {
                let items = store
                    .action_items(&ActionFilter { event_id: Some(e.id.clone()), ..Default::default() })
                    .await?
                    .into_iter()
                    .map(|a| RemoteActionItem {
                        owner: organisations.get(&a.content.owner).cloned().unwrap_or(a.content.owner),
                        what: a.content.what,
                        due_on: a.content.due_on,
                        status: a.content.status,
                    })
                    .collect();
                actions.insert(e.id.clone(), items);
            }
        }
        Ok((cases, actions))
    }

    fn event_header(&self, out: &mut String, e: &Event, changed: i64) {
        out.push_str("<header>");
        element(out, "identifier", &[], &crate::events::identifier(&self.node_id, e));
        element(out, "datestamp", &[], &utc(changed));
        element(out, "setSpec", &[], EVENT_SET);
        out.push_str("</header>");
    }

    #[allow(clippy::too_many_arguments)]
    fn event_record(
        &self,
        out: &mut String,
        e: &Event,
        changed: i64,
        format: Format,
        organisations: &HashMap<String, String>,
        cases: &HashMap<String, String>,
        actions: &HashMap<String, Vec<RemoteActionItem>>,
    ) {
        out.push_str("<record>");
        self.event_header(out, e, changed);
        let ctx = EventContext {
            node_id: &self.node_id,
            node_name: &self.node_name,
            base_url: &self.base_url,
            organisations,
            cases,
            actions: actions.get(&e.id).map(Vec::as_slice).unwrap_or_default(),
        };
        out.push_str("<metadata>");
        out.push_str(&match format {
            Format::OaiDc => crate::events::oai_dc(e, &ctx),
            Format::Lumbung => crate::events::lumbung(e, &ctx),
        });
        out.push_str("</metadata>");
        if let Some(o) = &e.origin {
            provenance(out, o.url.as_deref().unwrap_or(&o.node), &o.identifier, o.harvested_at, changed, format);
        }
        out.push_str("</record>");
    }

    async fn get_event_record(
        &self,
        store: &Store,
        identifier: &str,
        prefix: &str,
    ) -> Result<Result<String, Vec<OaiError>>, ProviderError> {
        let format = Format::parse(prefix);
        let found = self.find_event(store, identifier).await?;
        let mut errors = Vec::new();
        if found.is_none() {
            errors.push(err("idDoesNotExist", format!("no record '{}'", clip(identifier))));
        }
        if format.is_none() {
            errors.push(err("cannotDisseminateFormat", format!("'{}' is not a metadata format here", clip(prefix))));
        }
        let (Some((changed, e)), Some(format)) = (found, format) else { return Ok(Err(errors)) };
        let organisations = org_names(store).await?;
        let (cases, actions) = self.event_extras(store, &[&e], &organisations).await?;
        let mut out = String::from("<GetRecord>");
        self.event_record(&mut out, &e, changed, format, &organisations, &cases, &actions);
        out.push_str("</GetRecord>");
        Ok(Ok(out))
    }

    /// A page of the `kind:event` set.
    async fn list_events(
        &self,
        store: &Store,
        records: bool,
        request: &Token,
        resumed: bool,
        format: Format,
    ) -> Result<Result<String, Vec<OaiError>>, ProviderError> {
        let total = store.oai_events_count(request.from, request.until).await?;
        let after = request.after.as_ref().map(|(t, id)| (*t, id.as_str()));
        let mut page = store.oai_events_page(request.from, request.until, after, self.page_size + 1).await?;
        let more = page.len() as i64 > self.page_size;
        page.truncate(usize::try_from(self.page_size).unwrap_or(0));
        if page.is_empty() && !resumed {
            return Ok(Err(vec![err("noRecordsMatch", "no records match these arguments")]));
        }
        let verb = if records { "ListRecords" } else { "ListIdentifiers" };
        let mut out = format!("<{verb}>");
        if records {
            let organisations = org_names(store).await?;
            let refs: Vec<&Event> = page.iter().map(|(_, e)| e).collect();
            let (cases, actions) = self.event_extras(store, &refs, &organisations).await?;
            for (changed, e) in &page {
                self.event_record(&mut out, e, *changed, format, &organisations, &cases, &actions);
            }
        } else {
            for (changed, e) in &page {
                self.event_header(&mut out, e, *changed);
            }
        }
        let last = page.last().map(|(t, e)| (*t, e.id.clone())).filter(|_| more);
        resumption(&mut out, request, last, page.len(), total, resumed);
        out.push_str(&format!("</{verb}>"));
        Ok(Ok(out))
    }

    async fn get_record(
        &self,
        store: &Store,
        identifier: &str,
        prefix: &str,
    ) -> Result<Result<String, Vec<OaiError>>, ProviderError> {
        if event::is_global_event_id(identifier) {
            return self.get_event_record(store, identifier, prefix).await;
        }
        let format = Format::parse(prefix);
        let case = self.find(store, identifier).await?;
        let mut errors = Vec::new();
        if case.is_none() {
            errors.push(err("idDoesNotExist", format!("no record '{}'", clip(identifier))));
        }
        if format.is_none() {
            errors.push(err("cannotDisseminateFormat", format!("'{}' is not a metadata format here", clip(prefix))));
        }
        let (Some(case), Some(format)) = (case, format) else { return Ok(Err(errors)) };
        let organisations = org_names(store).await?;
        let mut out = String::from("<GetRecord>");
        let changed = case.updated_at.unix_timestamp();
        let upstreams = store.nominated_upstreams(&[case.id.as_str()]).await?.remove(&case.id).unwrap_or_default();
        let links = store.links_of(&case.id).await?;
        self.record(
            &mut out,
            &case,
            changed,
            format,
            &organisations,
            Nominations { notes: &[], upstreams: &upstreams },
            &links,
        );
        out.push_str("</GetRecord>");
        Ok(Ok(out))
    }

    async fn list(
        &self,
        store: &Store,
        records: bool,
        args: &HashMap<&str, &str>,
    ) -> Result<Result<String, Vec<OaiError>>, ProviderError> {
        let (request, resumed) = match args.get("resumptionToken") {
            Some(token) => {
                if args.len() > 1 {
                    return Ok(Err(vec![err("badArgument", "resumptionToken is an exclusive argument")]));
                }
                match Token::decode(token) {
                    Some(t) => (t, true),
                    None => return Ok(Err(vec![err("badResumptionToken", "this resumption token is not valid")])),
                }
            }
            None => match self.parse_list_args(args) {
                Ok(t) => (t, false),
                Err(e) => return Ok(Err(vec![e])),
            },
        };
        let Some(format) = Format::parse(&request.prefix) else {
            return Ok(Err(vec![err(
                "cannotDisseminateFormat",
                format!("'{}' is not a metadata format here", clip(&request.prefix)),
            )]));
        };
        if request.set.as_deref() == Some(EVENT_SET) {
            return self.list_events(store, records, &request, resumed, format).await;
        }
        let selection = match self.selection(&request) {
            Some(s) => s,
            None => return Ok(Err(vec![err("noRecordsMatch", "no records are in that set")])),
        };
        let total = store.oai_count(&selection).await?;
        let after = request.after.as_ref().map(|(t, id)| (*t, id.as_str()));
        let mut page = store.oai_page(&selection, after, self.page_size + 1).await?;
        let more = page.len() as i64 > self.page_size;
        page.truncate(usize::try_from(self.page_size).unwrap_or(0));
        if page.is_empty() && !resumed {
            return Ok(Err(vec![err("noRecordsMatch", "no records match these arguments")]));
        }
        let organisations = if records { org_names(store).await? } else { HashMap::new() };
        let nominated_to = match &selection.set {
            Some(OaiSet::Nominated(up)) => Some(up.clone()),
            _ => None,
        };
        let verb = if records { "ListRecords" } else { "ListIdentifiers" };
        let ids: Vec<&str> = page.iter().map(|(_, c)| c.id.as_str()).collect();
        let upstreams = store.nominated_upstreams(&ids).await?;
        let links = if records { store.links_of_cases(&ids).await? } else { HashMap::new() };
        let mut out = format!("<{verb}>");
        for (changed, case) in &page {
            let sets = upstreams.get(&case.id).map(Vec::as_slice).unwrap_or_default();
            if records {
                let notes = match &nominated_to {
                    Some(up) => store.outgoing_notes(&case.id).await?.into_iter().filter(|(n, _)| n == up).collect(),
                    None => Vec::new(),
                };
                self.record(
                    &mut out,
                    case,
                    *changed,
                    format,
                    &organisations,
                    Nominations { notes: &notes, upstreams: sets },
                    links.get(&case.id).map(Vec::as_slice).unwrap_or_default(),
                );
            } else {
                self.header(&mut out, case, *changed, sets);
            }
        }
        let last = page.last().map(|(t, c)| (*t, c.id.clone())).filter(|_| more);
        resumption(&mut out, &request, last, page.len(), total, resumed);
        out.push_str(&format!("</{verb}>"));
        Ok(Ok(out))
    }

    fn parse_list_args(&self, args: &HashMap<&str, &str>) -> Result<Token, OaiError> {
        let prefix = args.get("metadataPrefix").ok_or_else(|| err("badArgument", "metadataPrefix is required"))?;
        let from = args.get("from").map(|v| parse_date(v, false)).transpose()?;
        let until = args.get("until").map(|v| parse_date(v, true)).transpose()?;
        if let (Some((f, fg)), Some((u, ug))) = (from, until) {
            if fg != ug {
                return Err(err("badArgument", "from and until must have the same granularity"));
            }
            if f > u {
                return Err(err("badArgument", "from is later than until"));
            }
        }
        Ok(Token {
            prefix: (*prefix).to_owned(),
            from: from.map(|(t, _)| t),
            until: until.map(|(t, _)| t),
            set: args.get("set").map(|s| (*s).to_owned()),
            after: None,
            cursor: 0,
        })
    }

    fn selection(&self, t: &Token) -> Option<OaiSelection> {
        let set = match &t.set {
            None => None,
            Some(spec) => {
                if spec == CASE_SET {
                    return Some(OaiSelection { from: t.from, until: t.until, set: None });
                }
                let (kind, value) = spec.split_once(':')?;
                Some(match kind {
                    "country" if vocab::contains(vocab::COUNTRIES, value) => OaiSet::Country(value.to_owned()),
                    "sector" if vocab::contains(vocab::SECTORS, value) => OaiSet::Sector(value.to_owned()),
                    "level" if vocab::contains(vocab::LEVELS_OF_GOVERNMENT, value) => OaiSet::Level(value.to_owned()),
                    "nominated" if valid_spec_part(value) => OaiSet::Nominated(value.to_owned()),
                    "origin" if valid_spec_part(value) => {
                        OaiSet::Origin { node: value.to_owned(), own: value == self.node_id }
                    }
                    _ => return None,
                })
            }
        };
        Some(OaiSelection { from: t.from, until: t.until, set })
    }

    /// A record's header; `nominated` are the upstreams it is nominated to (its `nominated:` sets).
    fn header(&self, out: &mut String, case: &Case, changed: i64, nominated: &[String]) {
        if case.status == Status::Published {
            out.push_str("<header>");
        } else {
            out.push_str("<header status=\"deleted\">");
        }
        let identifier = match &case.origin {
            Some(o) => o.identifier.clone(),
            None => self.identifier(&case.id),
        };
        element(out, "identifier", &[], &identifier);
        element(out, "datestamp", &[], &utc(changed));
        element(out, "setSpec", &[], CASE_SET);
        let c = &case.content;
        if let Some(v) = &c.country {
            element(out, "setSpec", &[], &format!("country:{v}"));
        }
        for s in &c.sectors {
            element(out, "setSpec", &[], &format!("sector:{s}"));
        }
        if let Some(v) = &c.level_of_government {
            element(out, "setSpec", &[], &format!("level:{v}"));
        }
        let origin = case.origin.as_ref().map_or(self.node_id.as_str(), |o| o.node.as_str());
        if valid_spec_part(origin) {
            element(out, "setSpec", &[], &format!("origin:{origin}"));
        }
        // Only while published: a deleted record's header keeps no nomination.
        if case.status == Status::Published {
            for up in nominated.iter().filter(|u| valid_spec_part(u)) {
                element(out, "setSpec", &[], &format!("nominated:{up}"));
            }
        }
        out.push_str("</header>");
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &self,
        out: &mut String,
        case: &Case,
        changed: i64,
        format: Format,
        organisations: &HashMap<String, String>,
        nominations: Nominations<'_>,
        links: &[lumbung_store::CaseLink],
    ) {
        let Nominations { notes: nominations, upstreams: nominated } = nominations;
        out.push_str("<record>");
        self.header(out, case, changed, nominated);
        if case.status == Status::Published {
            let ctx =
                Context { node_name: &self.node_name, base_url: &self.base_url, organisations, nominations, links };
            out.push_str("<metadata>");
            out.push_str(&match format {
                Format::OaiDc => crate::formats::oai_dc(case, &ctx),
                Format::Lumbung => crate::formats::lumbung(case, &ctx),
            });
            out.push_str("</metadata>");
            if let Some(o) = &case.origin {
                provenance(out, o.url.as_deref().unwrap_or(&o.node), &o.identifier, o.harvested_at, changed, format);
            }
        }
        out.push_str("</record>");
    }
}

/// A parsed `from`/`until`: seconds, and whether it was a whole day.
fn parse_date(v: &str, until: bool) -> Result<(i64, bool), OaiError> {
    let bad = || err("badArgument", format!("'{}' is not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)", clip(v)));
    let day = time::macros::format_description!("[year]-[month]-[day]");
    let second = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    if v.len() == 10 {
        let d = time::Date::parse(v, day).map_err(|_| bad())?;
        let start = d.midnight().assume_utc().unix_timestamp();
        Ok((if until { start + 86_399 } else { start }, true))
    } else if v.len() == 20 {
        let t = time::PrimitiveDateTime::parse(v, second).map_err(|_| bad())?;
        Ok((t.assume_utc().unix_timestamp(), false))
    } else {
        Err(bad())
    }
}

fn valid_spec_part(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c))
}

fn clip(s: &str) -> String {
    s.chars().take(60).collect()
}

async fn org_names(store: &Store) -> Result<HashMap<String, String>, StoreError> {
    Ok(store
        .list_organisations()
        .await?
        .into_iter()
        .map(|o| {
            let name = o.content.name.best("en", "id").unwrap_or(&o.id).to_owned();
            (o.id, name)
        })
        .collect())
}

/// A list request and where it got to: everything a resumption token carries.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    prefix: String,
    from: Option<i64>,
    until: Option<i64>,
    set: Option<String>,
    /// The last record delivered: (datestamp, id).
    after: Option<(i64, String)>,
    /// Records delivered before the page this token asks for.
    cursor: i64,
}

impl Token {
    fn encode(&self) -> String {
        let opt = |v: Option<i64>| v.map_or_else(String::new, |v| v.to_string());
        let (t, id) = self.after.clone().map_or((String::new(), String::new()), |(t, id)| (t.to_string(), id));
        let raw = format!(
            "1|{}|{}|{}|{}|{t}|{id}|{}",
            self.prefix,
            opt(self.from),
            opt(self.until),
            self.set.clone().unwrap_or_default(),
            self.cursor
        );
        hex::encode(raw)
    }

    fn decode(token: &str) -> Option<Token> {
        if token.len() > 2_000 {
            return None;
        }
        let raw = String::from_utf8(hex::decode(token).ok()?).ok()?;
        let parts: Vec<&str> = raw.split('|').collect();
        let [version, prefix, from, until, set, t, id, cursor] = parts.as_slice() else { return None };
        if *version != "1" {
            return None;
        }
        let num = |s: &str| if s.is_empty() { Ok(None) } else { s.parse::<i64>().map(Some) };
        let after = match (num(t).ok()?, *id) {
            (Some(t), id) if id.len() == 26 && id.chars().all(|c| c.is_ascii_alphanumeric()) => {
                Some((t, id.to_owned()))
            }
            (None, "") => None,
            _ => return None,
        };
        let cursor = cursor.parse::<i64>().ok().filter(|c| *c >= 0)?;
        Some(Token {
            prefix: (*prefix).to_owned(),
            from: num(from).ok()?,
            until: num(until).ok()?,
            set: (!set.is_empty()).then(|| (*set).to_owned()),
            after,
            cursor,
        })
    }
}

/// The resumption token of a list page: the next page's after `last` (None:
/// this is the last page), or an empty token ending a resumed list.
fn resumption(out: &mut String, request: &Token, last: Option<(i64, String)>, sent: usize, total: i64, resumed: bool) {
    let cursor = request.cursor;
    let attrs = [("completeListSize", total.to_string()), ("cursor", cursor.to_string())];
    let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    match last {
        Some(last) => {
            let next = Token { after: Some(last), cursor: cursor + sent as i64, ..request.clone() };
            element(out, "resumptionToken", &attrs, &next.encode());
        }
        None if resumed => element(out, "resumptionToken", &attrs, ""),
        None => {}
    }
}

/// The `about` of a harvested copy served onward: OAI-PMH provenance naming
/// where it was harvested from and when.
fn provenance(
    out: &mut String,
    base_url: &str,
    identifier: &str,
    harvested_at: Option<time::OffsetDateTime>,
    changed: i64,
    format: Format,
) {
    let harvested = harvested_at.map(|t| utc(t.unix_timestamp())).unwrap_or_else(|| utc(changed));
    out.push_str(&format!(
        "<about><provenance xmlns=\"{PROVENANCE_NS}\" xsi:schemaLocation=\"{PROVENANCE_NS} \
         http://www.openarchives.org/OAI/2.0/provenance.xsd\"><originDescription harvestDate=\"{}\" altered=\"false\">",
        esc(&harvested)
    ));
    element(out, "baseURL", &[], base_url);
    element(out, "identifier", &[], identifier);
    element(out, "datestamp", &[], &utc(changed));
    element(out, "metadataNamespace", &[], format.namespace());
    out.push_str("</originDescription></provenance></about>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_reject_garbage() {
        let t = Token {
            prefix: "oai_dc".into(),
            from: Some(10),
            until: None,
            set: Some("country:ID".into()),
            after: Some((42, "01KDVDNGTR9HAMTGG000000007".into())),
            cursor: 100,
        };
        assert_eq!(Token::decode(&t.encode()), Some(t));
        for bad in ["", "zz", "31", &hex::encode("2|a|||||x|0"), &hex::encode("1|oai_dc||||5|short|0")] {
            assert_eq!(Token::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2026-01-02", false).map(|d| d.0), Ok(1_767_312_000));
        assert_eq!(parse_date("2026-01-02", true).map(|d| d.0), Ok(1_767_312_000 + 86_399));
        assert_eq!(parse_date("2026-01-02T00:00:01Z", false), Ok((1_767_312_001, false)));
        for bad in ["2026-13-01", "2026-01-02T00:00:01", "yesterday", "2026-01-02T00:00:01+07:00"] {
            assert!(parse_date(bad, false).is_err(), "{bad}");
        }
    }
}
