//! Events as OAI-PMH records (issue #11): the second kind of record of the
//! provider, in the `kind:event` set. `oai_dc` maps an event with `dc:type`
//! Event; the native record is the `event` element of the `lumbung` schema
//! (`schema/lumbung-case.xsd`). Every event of a node is public, but what
//! only registered participants see stays home: the online link, capacity
//! and registrations never travel.
//!
//! Harvesting reads an event record into a read-only copy with its origin:
//! the record is untrusted input, validated like an event written here (its
//! organisers and action items become names, since their ids are the
//! origin's), and the cases its agenda presents are linked to the local
//! cases their global identifiers name, so a case shows "presented at" on
//! its origin node once that node harvests the event.

use std::collections::HashMap;

use lumbung_core::event::{
    self, ActionStatus, Event, EventContent, EventKind, EventLevel, EventOrigin, EventStatus, Outcome,
    RemoteActionItem, Session,
};
use lumbung_store::{PresentedCase, StoreError, Tx};

use crate::dom::El;
use crate::formats::{DC_NS, LUMBUNG_NS, LUMBUNG_SCHEMA_PATH, OAI_DC_NS, OAI_DC_SCHEMA};
use crate::harvest::{HarvestJob, HarvestReport, node_of};
use crate::xml::{element, esc, utc};

/// The set of event records.
pub const EVENT_SET: &str = "kind:event";
/// The set of case records (the same as no set: lists without a set hold cases).
pub const CASE_SET: &str = "kind:case";

/// What an event's record needs besides the event.
pub struct EventContext<'a> {
    pub node_id: &'a str,
    pub node_name: &'a str,
    pub base_url: &'a str,
    /// Organisation id → name, for a local event's organisers.
    pub organisations: &'a HashMap<String, String>,
    /// Presented case reference → its global identifier (references that
    /// name no once-published case are left out).
    pub cases: &'a HashMap<String, String>,
    /// A local event's action items, with their owner's name.
    pub actions: &'a [RemoteActionItem],
}

/// The OAI identifier of an event: its origin's for a harvested copy.
pub fn identifier(node_id: &str, e: &Event) -> String {
    match &e.origin {
        Some(o) => o.identifier.clone(),
        None => format!("oai:{node_id}:event/{}", e.id),
    }
}

fn organisers(e: &Event, ctx: &EventContext<'_>) -> Vec<(Option<String>, String)> {
    match &e.origin {
        Some(o) => o.organisers.iter().map(|n| (None, n.clone())).collect(),
        None => e
            .content
            .organisers
            .iter()
            .map(|id| (Some(id.clone()), ctx.organisations.get(id).cloned().unwrap_or_else(|| id.clone())))
            .collect(),
    }
}

fn actions<'a>(e: &'a Event, ctx: &'a EventContext<'_>) -> &'a [RemoteActionItem] {
    match &e.origin {
        Some(o) => &o.action_items,
        None => ctx.actions,
    }
}

/// The `oai_dc` metadata of an event (`dc:type` Event).
pub fn oai_dc(e: &Event, ctx: &EventContext<'_>) -> String {
    let c = &e.content;
    let mut out = format!(
        "<oai_dc:dc xmlns:oai_dc=\"{OAI_DC_NS}\" xmlns:dc=\"{DC_NS}\" \
         xsi:schemaLocation=\"{OAI_DC_NS} {OAI_DC_SCHEMA}\">"
    );
    element(&mut out, "dc:title", &[], &c.title);
    for (_, name) in organisers(e, ctx) {
        element(&mut out, "dc:creator", &[], &name);
    }
    element(&mut out, "dc:subject", &[], &format!("{} event", c.level.as_str()));
    element(&mut out, "dc:subject", &[], c.kind.as_str());
    if let Some(d) = &c.description {
        element(&mut out, "dc:description", &[], d);
    }
    if let Some(s) = e.outcome.as_ref().and_then(|o| o.summary.as_ref()) {
        element(&mut out, "dc:description", &[], s);
    }
    element(&mut out, "dc:publisher", &[], ctx.node_name);
    if let Some(t) = c.times() {
        element(&mut out, "dc:date", &[], &utc(t.start.unix_timestamp()));
    }
    element(&mut out, "dc:type", &[], "Event");
    element(&mut out, "dc:identifier", &[], &format!("{}/events/{}", ctx.base_url, e.id));
    for r in c.presented_cases() {
        if let Some(g) = ctx.cases.get(&r) {
            element(&mut out, "dc:relation", &[], g);
        }
    }
    crate::formats::coverage(&mut out, [c.venue.as_deref(), c.city.as_deref()], c.country.as_deref());
    out.push_str("</oai_dc:dc>");
    out
}

/// The native record of an event: the `event` element of the lumbung schema.
pub fn lumbung(e: &Event, ctx: &EventContext<'_>) -> String {
    let c = &e.content;
    let mut out = format!(
        "<event xmlns=\"{LUMBUNG_NS}\" xsi:schemaLocation=\"{LUMBUNG_NS} {}{LUMBUNG_SCHEMA_PATH}\" id=\"{}\" version=\"{}\">",
        esc(ctx.base_url),
        esc(&e.id),
        e.version
    );
    element(&mut out, "title", &[], &c.title);
    if let Some(d) = &c.description {
        element(&mut out, "description", &[], d);
    }
    element(&mut out, "kind", &[], c.kind.as_str());
    element(&mut out, "level", &[], c.level.as_str());
    if let Some(s) = &c.series {
        let edition = c.edition.map(|n| n.to_string());
        match &edition {
            Some(n) => element(&mut out, "series", &[("edition", n)], s),
            None => element(&mut out, "series", &[], s),
        }
    }
    element(&mut out, "start", &[("timeZone", &c.time_zone)], &c.starts_at);
    element(&mut out, "durationMinutes", &[], &c.duration_minutes.to_string());
    if let Some(t) = c.times() {
        element(&mut out, "startUtc", &[], &utc(t.start.unix_timestamp()));
        element(&mut out, "endUtc", &[], &utc(t.end.unix_timestamp()));
    }
    element(&mut out, "status", &[], c.status.as_str());
    for (name, v) in [("venue", &c.venue), ("city", &c.city), ("country", &c.country)] {
        if let Some(v) = v {
            element(&mut out, name, &[], v);
        }
    }
    for (id, name) in organisers(e, ctx) {
        match &id {
            Some(id) => element(&mut out, "organiser", &[("id", id)], &name),
            None => element(&mut out, "organiser", &[], &name),
        }
    }
    for cc in &c.countries {
        element(&mut out, "participatingCountry", &[], cc);
    }
    for s in &c.sessions {
        out.push_str(&format!("<session start=\"{}\" durationMinutes=\"{}\">", esc(&s.starts_at), s.duration_minutes));
        element(&mut out, "title", &[], &s.title);
        for sp in &s.speakers {
            element(&mut out, "speaker", &[], sp);
        }
        for r in &s.cases {
            if let Some(g) = ctx.cases.get(r) {
                element(&mut out, "presents", &[("identifier", g)], "");
            }
        }
        out.push_str("</session>");
    }
    if let Some(o) = &e.outcome {
        out.push_str("<outcome>");
        if let Some(s) = &o.summary {
            element(&mut out, "summary", &[], s);
        }
        if let Some(m) = &o.minutes {
            element(&mut out, "minutes", &[], m);
        }
        for d in &o.decisions {
            element(&mut out, "decision", &[], d);
        }
        out.push_str("</outcome>");
    }
    for a in actions(e, ctx) {
        element(
            &mut out,
            "actionItem",
            &[("owner", &a.owner), ("due", &a.due_on), ("status", a.status.as_str())],
            &a.what,
        );
    }
    let ts = |t: time::OffsetDateTime| utc(t.unix_timestamp());
    element(&mut out, "created", &[], &ts(e.created_at));
    element(&mut out, "updated", &[], &ts(e.updated_at));
    if let Some(o) = &e.origin {
        let mut attrs = vec![("node", o.node.as_str()), ("identifier", o.identifier.as_str())];
        if let Some(u) = &o.url {
            attrs.push(("url", u.as_str()));
        }
        element(&mut out, "origin", &attrs, "");
    }
    out.push_str("</event>");
    out
}

/// What a harvested event record says, before validation.
#[derive(Debug, Clone)]
pub struct HarvestedEvent {
    pub content: EventContent,
    pub outcome: Option<Outcome>,
    pub organisers: Vec<String>,
    pub action_items: Vec<RemoteActionItem>,
}

/// How many of anything a record may list before it is refused (the
/// validation's limits are checked after; this only bounds the reading).
const READ_LIMIT: usize = 1_000;

/// Reads the native event record (validation comes after).
pub fn event_from_xml(el: &El) -> Result<HarvestedEvent, String> {
    let bounded = |name: &'static str| -> Result<Vec<&El>, String> {
        let all: Vec<&El> = el.all(name).collect();
        if all.len() > READ_LIMIT { Err(format!("more than {READ_LIMIT} {name} elements")) } else { Ok(all) }
    };
    let text = |name: &str| el.text_of(name);
    let number = |name: &str, v: Option<&str>| -> Result<Option<i64>, String> {
        v.map(|v| v.trim().parse::<i64>().map_err(|_| format!("{name}: '{}' is not a number", clip(v)))).transpose()
    };
    let kind = text("kind").unwrap_or_default();
    let kind = EventKind::parse(&kind).ok_or_else(|| format!("kind: '{}' is not an event kind", clip(&kind)))?;
    let level = text("level").unwrap_or_default();
    let level = EventLevel::parse(&level).ok_or_else(|| format!("level: '{}' is not an event level", clip(&level)))?;
    let status = text("status").unwrap_or_else(|| "scheduled".into());
    let status =
        EventStatus::parse(&status).ok_or_else(|| format!("status: '{}' is not an event status", clip(&status)))?;
    let start = el.child("start").ok_or("an event record needs a start")?;
    let series = el.child("series");
    let mut sessions = Vec::new();
    for s in bounded("session")? {
        let cases = s
            .all("presents")
            .take(READ_LIMIT)
            .map(|p| p.attr("identifier").unwrap_or_default().trim().to_owned())
            .collect();
        sessions.push(Session {
            starts_at: s.attr("start").unwrap_or_default().trim().to_owned(),
            duration_minutes: number("session/@durationMinutes", s.attr("durationMinutes"))?.unwrap_or(0),
            title: s.text_of("title").unwrap_or_default(),
            speakers: s.all("speaker").take(READ_LIMIT).map(|x| x.text.trim().to_owned()).collect(),
            cases,
        });
    }
    let outcome = el.child("outcome").map(|o| Outcome {
        summary: o.text_of("summary"),
        minutes: o.text_of("minutes"),
        decisions: o.all("decision").take(READ_LIMIT).map(|d| d.text.trim().to_owned()).collect(),
    });
    let mut action_items = Vec::new();
    for a in bounded("actionItem")? {
        let status = a.attr("status").unwrap_or("open");
        action_items.push(RemoteActionItem {
            what: a.text.trim().to_owned(),
            owner: a.attr("owner").unwrap_or_default().trim().to_owned(),
            due_on: a.attr("due").unwrap_or_default().trim().to_owned(),
            status: ActionStatus::parse(status)
                .ok_or_else(|| format!("actionItem/@status: '{}' is not a status", clip(status)))?,
        });
    }
    let content = EventContent {
        title: text("title").unwrap_or_default(),
        description: text("description"),
        kind,
        level,
        series: series.map(|s| s.text.trim().to_owned()).filter(|s| !s.is_empty()),
        edition: number("series/@edition", series.and_then(|s| s.attr("edition")))?,
        starts_at: start.text.trim().to_owned(),
        duration_minutes: number("durationMinutes", text("durationMinutes").as_deref())?.unwrap_or(0),
        time_zone: start.attr("timeZone").unwrap_or_default().trim().to_owned(),
        venue: text("venue"),
        city: text("city"),
        country: text("country"),
        // What only registered participants see never travels; a copy takes
        // no registrations (they are the origin's).
        online_url: None,
        organisers: Vec::new(),
        countries: bounded("participatingCountry")?.iter().map(|c| c.text.trim().to_owned()).collect(),
        sessions,
        registration_open: false,
        capacity: None,
        status,
    };
    Ok(HarvestedEvent {
        content,
        outcome: outcome.filter(|o| o.summary.is_some() || o.minutes.is_some() || !o.decisions.is_empty()),
        organisers: bounded("organiser")?.iter().map(|o| o.text.trim().to_owned()).filter(|n| !n.is_empty()).collect(),
        action_items,
    })
}

fn clip(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Applies one harvested event record in the caller's transaction: a new
/// copy, an update of the copy in place, or nothing when unchanged; refused
/// (counted in `report`) when it does not validate.
pub async fn apply_event(
    tx: &mut Tx,
    job: &HarvestJob,
    identifier: String,
    deleted: bool,
    parsed: Result<HarvestedEvent, String>,
    report: &mut HarvestReport,
) -> Result<(), StoreError> {
    let Some(node) = node_of(&identifier).map(str::to_owned) else {
        report.rejected.push((identifier, "not an oai:<node>:… identifier".into()));
        return Ok(());
    };
    if !event::is_global_event_id(&identifier) {
        report.rejected.push((identifier, "an event record's identifier is oai:<node>:event/<id>".into()));
        return Ok(());
    }
    if node == job.own_node {
        report.skip("this node's own events, served back by the peer".into());
        return Ok(());
    }
    if deleted {
        // Events are never deleted where they are kept (a cancelled event
        // says so); a copy stays as last harvested.
        report.skip("deleted event records (a copy stays as last harvested)".into());
        return Ok(());
    }
    let h = match parsed {
        Ok(h) => h,
        Err(reason) => {
            report.rejected.push((identifier, reason));
            return Ok(());
        }
    };
    let now = lumbung_core::clock::now();
    let origin = EventOrigin {
        node: node.clone(),
        identifier: identifier.clone(),
        url: Some(job.base_url.clone()),
        harvested_at: Some(now),
        organisers: h.organisers,
        action_items: h.action_items,
    };
    let mut problems = Vec::new();
    // Presented cases must be global identifiers; organisers are names.
    if let Err(e) = event::validate_event(&h.content, &|_| false, &event::is_global_case_id) {
        problems.push(e.to_string());
    }
    if let Some(o) = &h.outcome {
        if let Err(e) = event::validate_outcome(o) {
            problems.push(e.to_string());
        }
    }
    if let Err(e) = event::validate_event_origin(&origin) {
        problems.push(e.to_string());
    }
    if !problems.is_empty() {
        tracing::warn!(%identifier, problems = %problems.join("; "), "harvested event refused");
        report.rejected.push((identifier, problems.join("; ")));
        return Ok(());
    }
    let own = format!("oai:{}:case/", job.own_node);
    let mut links: Vec<PresentedCase> = Vec::new();
    for r in h.content.presented_cases() {
        let local = match r.strip_prefix(&own) {
            Some(id) => tx.published_case_id(id).await?,
            None => tx.case_id_for(&r, None).await?,
        };
        links.push((r, local));
    }
    match tx.event_by_origin(&identifier).await? {
        Some(copy) => {
            let same_origin = copy.origin.as_ref().is_some_and(|o| {
                o.node == origin.node && o.organisers == origin.organisers && o.action_items == origin.action_items
            });
            if copy.content == h.content && copy.outcome == h.outcome && same_origin {
                report.unchanged += 1;
                return Ok(());
            }
            let updated = Event {
                content: h.content,
                outcome: h.outcome,
                origin: Some(origin),
                version: copy.version + 1,
                updated_at: now,
                ..copy
            };
            tx.replace_harvested_event(&updated, &links).await?;
            report.updated += 1;
        }
        None => {
            let copy = Event {
                id: ulid::Ulid::new().to_string(),
                content: h.content,
                outcome: h.outcome,
                origin: Some(origin),
                version: 1,
                created_by: None,
                created_at: now,
                updated_at: now,
            };
            tx.insert_event(&copy, &links, None, "harvest").await?;
            report.created += 1;
        }
    }
    Ok(())
}
