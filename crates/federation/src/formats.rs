//! The metadata formats a case is served in: `oai_dc` (unqualified Dublin
//! Core; mapping in `schema/oai_dc-mapping.md`) and `lumbung`, the full
//! native record (`schema/lumbung-case.xsd`).

use std::collections::HashMap;

use lumbung_core::{Case, Text, vocab};

use crate::xml::{element, esc};

pub const OAI_DC_NS: &str = "http://www.openarchives.org/OAI/2.0/oai_dc/";
pub const OAI_DC_SCHEMA: &str = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd";
pub const DC_NS: &str = "http://purl.org/dc/elements/1.1/";
pub const LUMBUNG_NS: &str = "urn:lumbung:schema:case:1";
/// Where a node serves the native schema (relative to its base URL).
pub const LUMBUNG_SCHEMA_PATH: &str = "/schemas/lumbung-case.xsd";
/// The native schema, served by every node.
pub const LUMBUNG_XSD: &str = include_str!("../schema/lumbung-case.xsd");

/// A metadata format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    OaiDc,
    Lumbung,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::OaiDc, Format::Lumbung];

    pub fn prefix(self) -> &'static str {
        match self {
            Format::OaiDc => "oai_dc",
            Format::Lumbung => "lumbung",
        }
    }

    pub fn parse(prefix: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.prefix() == prefix)
    }

    pub fn namespace(self) -> &'static str {
        match self {
            Format::OaiDc => OAI_DC_NS,
            Format::Lumbung => LUMBUNG_NS,
        }
    }

    pub fn schema(self, base_url: &str) -> String {
        match self {
            Format::OaiDc => OAI_DC_SCHEMA.to_owned(),
            Format::Lumbung => format!("{base_url}{LUMBUNG_SCHEMA_PATH}"),
        }
    }
}

/// What a record's metadata needs besides the case.
pub struct Context<'a> {
    pub node_name: &'a str,
    pub base_url: &'a str,
    /// Organisation id → name (English, else any).
    pub organisations: &'a HashMap<String, String>,
    /// Nomination notes to include: (upstream node, note).
    pub nominations: &'a [(String, Option<String>)],
    /// The case's replication links (what it descends from).
    pub links: &'a [lumbung_store::CaseLink],
}

fn texts(out: &mut String, name: &str, t: &Text) {
    for (lang, value) in &t.0 {
        if !value.trim().is_empty() {
            element(out, name, &[("xml:lang", lang)], value);
        }
    }
}

fn label(terms: &'static [vocab::Term], code: &str) -> String {
    vocab::find(terms, code).map_or_else(|| code.to_owned(), |t| t.en.to_owned())
}

/// The `oai_dc` metadata of a case.
pub fn oai_dc(case: &Case, ctx: &Context<'_>) -> String {
    let c = &case.content;
    let mut out = format!(
        "<oai_dc:dc xmlns:oai_dc=\"{OAI_DC_NS}\" xmlns:dc=\"{DC_NS}\" \
         xsi:schemaLocation=\"{OAI_DC_NS} {OAI_DC_SCHEMA}\">"
    );
    texts(&mut out, "dc:title", &c.title);
    for org in &c.organisations {
        let name = ctx.organisations.get(org).map_or(org.as_str(), String::as_str);
        element(&mut out, "dc:creator", &[], name);
    }
    for p in &c.partners {
        element(&mut out, "dc:contributor", &[], p);
    }
    for s in &c.sectors {
        element(&mut out, "dc:subject", &[], &label(vocab::SECTORS, s));
    }
    for f in &c.innovation_facets {
        element(&mut out, "dc:subject", &[], &label(vocab::INNOVATION_FACETS, f));
    }
    for sdg in &c.sdgs {
        element(&mut out, "dc:subject", &[], &format!("SDG {sdg}: {}", label(vocab::SDGS, &sdg.to_string())));
    }
    for t in &c.tags {
        element(&mut out, "dc:subject", &[], t);
    }
    texts(&mut out, "dc:description", &c.summary);
    element(&mut out, "dc:publisher", &[], ctx.node_name);
    if let Some(y) = c.year_launched {
        element(&mut out, "dc:date", &[], &y.to_string());
    }
    element(&mut out, "dc:type", &[], "Text");
    element(&mut out, "dc:type", &[], "Public sector innovation case");
    element(&mut out, "dc:identifier", &[], &format!("{}/cases/{}", ctx.base_url, case.id));
    if let Some(url) = &c.source_url {
        element(&mut out, "dc:source", &[], url);
    }
    element(&mut out, "dc:language", &[], &c.original_language);
    if let Some(w) = &c.website {
        element(&mut out, "dc:relation", &[], w);
    }
    for l in &c.links {
        element(&mut out, "dc:relation", &[], &l.url);
    }
    coverage(&mut out, [c.city.as_deref(), c.region.as_deref()], c.country.as_deref());
    out.push_str("</oai_dc:dc>");
    out
}

/// `dc:coverage`: the place's parts that are known, smallest first, then the
/// country's English name.
pub(crate) fn coverage(out: &mut String, parts: [Option<&str>; 2], country: Option<&str>) {
    let country = country.map(|code| vocab::find(vocab::COUNTRIES, code).map_or(code, |t| t.en));
    let place: Vec<&str> = parts.into_iter().chain([country]).flatten().collect();
    if !place.is_empty() {
        element(out, "dc:coverage", &[], &place.join(", "));
    }
}

/// The full native record of a case.
pub fn lumbung(case: &Case, ctx: &Context<'_>) -> String {
    let c = &case.content;
    let mut out = format!(
        "<case xmlns=\"{LUMBUNG_NS}\" xsi:schemaLocation=\"{LUMBUNG_NS} {}{LUMBUNG_SCHEMA_PATH}\" id=\"{}\" version=\"{}\">",
        esc(ctx.base_url),
        esc(&case.id),
        case.version
    );
    texts(&mut out, "title", &c.title);
    texts(&mut out, "summary", &c.summary);
    element(&mut out, "originalLanguage", &[], &c.original_language);
    let opt = |out: &mut String, name: &str, v: &Option<String>| {
        if let Some(v) = v {
            element(out, name, &[], v);
        }
    };
    opt(&mut out, "country", &c.country);
    opt(&mut out, "region", &c.region);
    opt(&mut out, "city", &c.city);
    if let Some(place) = c.place.as_deref().and_then(vocab::id_place) {
        element(&mut out, "place", &[("code", place.code)], place.name);
    }
    opt(&mut out, "levelOfGovernment", &c.level_of_government);
    for org in &c.organisations {
        let name = ctx.organisations.get(org).map_or(org.as_str(), String::as_str);
        element(&mut out, "organisation", &[("id", org)], name);
    }
    for p in &c.partners {
        element(&mut out, "partner", &[], p);
    }
    for s in &c.sectors {
        element(&mut out, "sector", &[], s);
    }
    for f in &c.innovation_facets {
        element(&mut out, "innovationFacet", &[], f);
    }
    opt(&mut out, "lifecycleStage", &c.lifecycle_stage);
    for sdg in &c.sdgs {
        element(&mut out, "sdg", &[], &sdg.to_string());
    }
    for t in &c.tags {
        element(&mut out, "tag", &[], t);
    }
    if let Some(d) = c.digital {
        element(&mut out, "digital", &[], if d { "true" } else { "false" });
    }
    if let Some(y) = c.year_launched {
        element(&mut out, "yearLaunched", &[], &y.to_string());
    }
    opt(&mut out, "website", &c.website);
    for (name, text) in c.sections.iter() {
        for (lang, value) in &text.0 {
            if !value.trim().is_empty() {
                element(&mut out, "section", &[("name", name), ("xml:lang", lang)], value);
            }
        }
    }
    for l in &c.links {
        match &l.title {
            Some(t) => element(&mut out, "link", &[("url", &l.url)], t),
            None => element(&mut out, "link", &[("url", &l.url)], ""),
        }
    }
    if let Some(k) = &c.contact {
        out.push_str("<contact>");
        opt(&mut out, "name", &k.name);
        opt(&mut out, "email", &k.email);
        opt(&mut out, "organisation", &k.organisation);
        out.push_str("</contact>");
    }
    if let Some(s) = &c.operating_status {
        let date = c.operating_status_date.map(|d| d.to_string());
        match &date {
            Some(d) => element(&mut out, "operatingStatus", &[("date", d)], s),
            None => element(&mut out, "operatingStatus", &[], s),
        }
    }
    if let Some(d) = c.last_confirmed {
        element(&mut out, "lastConfirmed", &[], &d.to_string());
    }
    opt(&mut out, "sourceUrl", &c.source_url);
    element(&mut out, "completeness", &[], &case.completeness.to_string());
    let ts = |t: time::OffsetDateTime| crate::xml::utc(t.unix_timestamp());
    element(&mut out, "created", &[], &ts(case.created_at));
    element(&mut out, "updated", &[], &ts(case.updated_at));
    if let Some(p) = case.published_at {
        element(&mut out, "published", &[], &ts(p));
    }
    if let Some(o) = &case.origin {
        let mut attrs = vec![("node", o.node.as_str()), ("identifier", o.identifier.as_str())];
        if let Some(u) = &o.url {
            attrs.push(("url", u.as_str()));
        }
        element(&mut out, "origin", &attrs, "");
    }
    for (to, note) in ctx.nominations {
        element(&mut out, "nomination", &[("to", to)], note.as_deref().unwrap_or(""));
    }
    descends_from(&mut out, ctx.links);
    out.push_str("</case>");
    out
}

/// The replication links of a case: `<descendsFrom kind identifier …>what
/// was changed</descendsFrom>`, at most as many as a harvester keeps.
fn descends_from(out: &mut String, links: &[lumbung_store::CaseLink]) {
    for l in links.iter().take(lumbung_core::diffusion::MAX_LINKS_PER_CASE) {
        let year = l.year.map(|y| format!("{y:04}"));
        let mut attrs = vec![("kind", l.kind.as_str()), ("identifier", l.target_identifier.as_str())];
        for (name, value) in [
            ("url", &l.target_url),
            ("title", &l.target_title),
            ("country", &l.country),
            ("region", &l.region),
            ("year", &year),
        ] {
            if let Some(v) = value {
                attrs.push((name, v.as_str()));
            }
        }
        element(out, "descendsFrom", &attrs, l.changes.as_deref().unwrap_or(""));
    }
}
