//! Reading pages: home, browse and search, case, organisation and country.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery};
use axum::http::{StatusCode, header};
use axum::middleware::map_response;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lumbung_core::vocab::{self, Term};
use lumbung_core::{Case, Status, permissions};
use lumbung_search::schema::FACETS;
use lumbung_search::{Hit, SearchRequest, Sort};

use super::{Choice, Chrome, Ctx, PageError, Tr, human_date, markdown, render, urlencode};
use crate::api::search::parse_search;
use crate::extract::query_pairs;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home).layer(map_response(crate::cache::mark)))
        .route("/search", get(search).layer(map_response(crate::cache::mark)))
        .route("/cases/{id}", get(case_page).layer(map_response(crate::cache::mark)))
        .route("/cases/{id}/nominate", axum::routing::post(nominate))
        .route("/organisations/{id}", get(organisation_page).layer(map_response(crate::cache::mark)))
        .route("/countries/{code}", get(country_page).layer(map_response(crate::cache::mark)))
}

// ---------------------------------------------------------------------------
// Shared views

/// One search hit or case in a list.
pub struct HitView {
    pub id: String,
    /// Where the hit is: its case page, or its thread for a discussion.
    pub href: String,
    /// "Discussion" or "Resource" for what is not a case; empty for a case.
    pub kind_label: String,
    pub title: String,
    pub title_lang: String,
    /// Escaped text with `<mark>`ed matches (from the search engine).
    pub snippet: String,
    pub origin: Option<String>,
    pub place: String,
    pub year: Option<i32>,
    pub sectors: String,
}

impl HitView {
    pub fn from_hit(tr: Tr, h: Hit) -> HitView {
        let (folder, kind_label) = match h.kind.as_str() {
            lumbung_search::schema::KIND_DISCUSSION => ("threads", tr.t("hit-discussion")),
            lumbung_search::schema::KIND_RESOURCE => ("resources", tr.t("hit-resource")),
            _ => ("cases", String::new()),
        };
        HitView {
            href: format!("/{folder}/{}", h.id),
            kind_label,
            place: h.country.as_deref().map(|c| tr.term(vocab::COUNTRIES, c)).unwrap_or_default(),
            sectors: h.sectors.iter().map(|s| tr.term(vocab::SECTORS, s)).collect::<Vec<_>>().join(", "),
            id: h.id,
            title: h.title,
            title_lang: h.title_language,
            snippet: h.snippet,
            origin: h.origin,
            year: h.year_launched,
        }
    }

    pub fn from_case(tr: Tr, c: &Case) -> HitView {
        let lang = tr.lang.code();
        let summary = c.content.summary.best(lang, &c.content.original_language).unwrap_or("");
        let title_lang = if c.content.title.get(lang).is_some() { lang } else { &c.content.original_language };
        HitView {
            href: format!("/cases/{}", c.id),
            kind_label: String::new(),
            id: c.id.clone(),
            title: c.display_title(lang).to_owned(),
            title_lang: title_lang.to_owned(),
            snippet: super::escape_html(&markdown::plain(summary, 220)),
            origin: c.origin.as_ref().map(|o| o.node.clone()),
            place: c.content.country.as_deref().map(|cc| tr.term(vocab::COUNTRIES, cc)).unwrap_or_default(),
            year: c.content.year_launched,
            sectors: c.content.sectors.iter().map(|s| tr.term(vocab::SECTORS, s)).collect::<Vec<_>>().join(", "),
        }
    }
}

/// Kept for page modules that escape with the older name.
pub use super::escape_html as askama_escape;

/// Runs a search on a blocking thread, within the node's search slots.
pub async fn run_search(ctx: &Ctx, req: SearchRequest) -> Result<lumbung_search::SearchResponse, PageError> {
    let index = ctx.state.search().clone();
    let _slot = ctx.state.search_slot().await;
    tokio::task::spawn_blocking(move || index.search(&req))
        .await
        .map_err(|e| ctx.fail(crate::ApiError::Internal(e.to_string())))?
        .map_err(|e| ctx.fail(crate::ApiError::from(e)))
}

fn facet_value_label(tr: Tr, facet: &str, value: &str) -> String {
    match (crate::api::search::facet_terms(facet), facet) {
        (Some(terms), _) => tr.term(terms, value),
        (None, "completeness") => tr.t(&format!("completeness-{value}")),
        (None, "origin") if value == "local" => tr.t("origin-local"),
        (None, "confirmed") => tr.t(&format!("confirmed-{value}")),
        (None, "kind") => tr.t(&format!("kind-{value}")),
        _ => value.to_owned(),
    }
}

// ---------------------------------------------------------------------------
// Home

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    published: i64,
    latest: Vec<HitView>,
    featured: Vec<HitView>,
    countries: Vec<Choice>,
    sectors: Vec<Choice>,
}

async fn home(ctx: Ctx) -> Result<Response, PageError> {
    let tr = ctx.tr();
    let lang = ctx.lang().code().to_owned();
    let all =
        run_search(&ctx, SearchRequest { lang: lang.clone(), limit: 6, sort: Sort::Newest, ..Default::default() })
            .await?;
    let mut filters = BTreeMap::new();
    filters.insert("completeness".to_owned(), vec!["complete".to_owned()]);
    let featured =
        run_search(&ctx, SearchRequest { lang, limit: 3, sort: Sort::Newest, filters, ..Default::default() }).await?;
    let counts = |name: &str| -> Vec<Choice> {
        all.facets
            .get(name)
            .map(|values| {
                values
                    .iter()
                    .take(12)
                    .map(|(v, n)| Choice {
                        value: v.clone(),
                        label: facet_value_label(tr, name, v),
                        selected: false,
                        count: Some(*n),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let page = HomePage {
        countries: counts("country"),
        sectors: counts("sector"),
        published: all.total as i64,
        latest: all.items.iter().cloned().map(|h| HitView::from_hit(tr, h)).collect(),
        featured: featured.items.into_iter().map(|h| HitView::from_hit(tr, h)).collect(),
        c: ctx.chrome,
    };
    render(&page)
}

// ---------------------------------------------------------------------------
// Browse and search

/// One facet group on the search page.
pub struct FacetGroup {
    pub name: String,
    pub label: String,
    pub values: Vec<Choice>,
    pub open: bool,
    /// Values left out of a long list...
    pub more: i64,
    /// ...and the link that shows them all.
    pub more_href: Option<String>,
}

/// Values a facet lists before "show all" (the chosen ones always show).
const FACET_SHOWN: usize = 8;

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    c: Chrome,
    q: String,
    sort_newest: bool,
    total: i64,
    hits: Vec<HitView>,
    facets: Vec<FacetGroup>,
    error: Option<String>,
    prev_href: Option<String>,
    next_href: Option<String>,
    /// Active filters, each with the link that removes it.
    active: Vec<(String, String)>,
    feed_href: String,
    /// The corrected query and its search link.
    did_you_mean: Option<(String, String)>,
}

/// The search page's query string without `cursor`, plus a new cursor.
fn with_cursor(pairs: &[(String, String)], cursor: Option<usize>) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs.iter().filter(|(k, _)| k != "cursor" && k != "lang") {
        ser.append_pair(k, v);
    }
    if let Some(c) = cursor.filter(|c| *c > 0) {
        ser.append_pair("cursor", &c.to_string());
    }
    let q = ser.finish();
    if q.is_empty() { "/search".into() } else { format!("/search?{q}") }
}

async fn search(ctx: Ctx, RawQuery(raw): RawQuery) -> Result<Response, PageError> {
    let tr = ctx.tr();
    // The page sets the reader's language itself; an explicit `lang` is ignored.
    let pairs: Vec<(String, String)> =
        query_pairs(raw.as_deref()).into_iter().filter(|(k, v)| k != "lang" && !v.trim().is_empty()).collect();
    // `more=NAME` lists every value of one facet; it is the page's, not a search parameter.
    let expanded: Vec<String> = pairs.iter().filter(|(k, _)| k == "more").map(|(_, v)| v.clone()).collect();
    let pairs: Vec<(String, String)> = pairs.into_iter().filter(|(k, _)| k != "more").collect();
    let parsed = parse_search(&pairs);
    let (req, error) = match parsed {
        Ok(mut req) => {
            req.lang = ctx.lang().code().to_owned();
            (req, None)
        }
        Err(e) => (SearchRequest { lang: ctx.lang().code().to_owned(), limit: 20, ..Default::default() }, Some(e)),
    };
    let q = req.q.clone();
    let sort_newest = req.sort == Sort::Newest;
    let (offset, limit) = (req.offset, req.limit);
    let mut selected = req.filters.clone();
    // Cases unless the reader names kinds: the box says so.
    let kinds =
        if req.kinds.is_empty() { vec![lumbung_search::schema::KIND_CASE.to_owned()] } else { req.kinds.clone() };
    selected.insert("kind".to_owned(), kinds);
    let searched = {
        let index = ctx.state.search().clone();
        let _slot = ctx.state.search_slot().await;
        tokio::task::spawn_blocking(move || crate::api::search::search_with_alternatives(&index, &req))
            .await
            .map_err(|e| ctx.fail(crate::ApiError::Internal(e.to_string())))?
            .map_err(|e| ctx.fail(crate::ApiError::from(e)))
    };
    let (res, error) = match (error, searched) {
        (None, Ok((res, alternatives))) => (Some((res, alternatives)), None),
        (Some(e), _) => (None, Some(e.to_string())),
        (None, Err(e)) if e.status == StatusCode::BAD_REQUEST => (None, e.detail),
        (None, Err(e)) => return Err(e),
    };
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let (total, items, counts, has_next, alternatives) = match res {
        Some((r, a)) => (r.total, r.items, r.facets, r.next.is_some(), a),
        None => (0, Vec::new(), BTreeMap::new(), false, Default::default()),
    };
    // The same search (filters kept) with another query.
    let with_q = |q: &str| {
        let mut other: Vec<(String, String)> = pairs.iter().filter(|(k, _)| k != "q").cloned().collect();
        other.insert(0, ("q".to_owned(), q.to_owned()));
        with_cursor(&other, None)
    };
    let did_you_mean = alternatives.did_you_mean.map(|q| (q.clone(), with_q(&q)));
    // What to find first (cases, discussions), then the cases' facets.
    let facets = std::iter::once(&("kind", "kind"))
        .chain(FACETS.iter())
        .map(|(name, _)| {
            let chosen = selected.get(*name).cloned().unwrap_or_default();
            let mut values: Vec<Choice> = counts
                .get(name)
                .map(|vs| {
                    vs.iter()
                        .map(|(v, n)| Choice {
                            value: v.clone(),
                            label: facet_value_label(tr, name, v),
                            selected: chosen.contains(v),
                            count: Some(*n),
                        })
                        .collect()
                })
                .unwrap_or_default();
            if *name == "year" {
                values.sort_by(|a, b| b.value.cmp(&a.value));
            }
            // A chosen value stays visible (and un-tickable) even with no matches left.
            for v in &chosen {
                if !values.iter().any(|c| &c.value == v) {
                    values.push(Choice {
                        value: v.clone(),
                        label: facet_value_label(tr, name, v),
                        selected: true,
                        count: Some(0),
                    });
                }
            }
            // A long list shows its first values (and every chosen one) and
            // links to the whole list, which the page then shows opened.
            let expand = expanded.iter().any(|e| e == name);
            let (mut more, mut more_href) = (0, None);
            if !expand && values.len() > FACET_SHOWN {
                let mut shown = 0;
                let total = values.len();
                values.retain(|v| {
                    shown += 1;
                    v.selected || shown <= FACET_SHOWN
                });
                let mut with_more = pairs.clone();
                with_more.push(("more".to_owned(), (*name).to_owned()));
                more = i64::try_from(total - values.len()).unwrap_or(i64::MAX);
                more_href = Some(format!("{}#facet-{name}", with_cursor(&with_more, Some(offset))));
            }
            FacetGroup {
                name: (*name).to_owned(),
                label: tr.t(&format!("facet-{}", name.replace('_', "-"))),
                open: expand || !chosen.is_empty() || matches!(*name, "country" | "sector" | "level"),
                values,
                more,
                more_href,
            }
        })
        .collect();
    // Cases alone is what a search finds anyway (the form sends it, ticked
    // by default): no chip to remove it.
    let only_cases = pairs.iter().filter(|(k, _)| k == "kind").all(|(_, v)| v == lumbung_search::schema::KIND_CASE);
    let active = pairs
        .iter()
        .filter(|(k, _)| FACETS.iter().any(|(n, _)| n == k) || k == "organisation" || k == "kind")
        .filter(|(k, _)| !(k == "kind" && only_cases))
        .map(|(k, v)| {
            let rest: Vec<(String, String)> = pairs.iter().filter(|(k2, v2)| !(k2 == k && v2 == v)).cloned().collect();
            (facet_value_label(tr, k, v), with_cursor(&rest, None))
        })
        .collect();
    let page = SearchPage {
        q,
        sort_newest,
        total: total as i64,
        hits: items.into_iter().map(|h| HitView::from_hit(tr, h)).collect(),
        facets,
        error,
        prev_href: (offset > 0).then(|| with_cursor(&pairs, Some(offset.saturating_sub(limit)))),
        next_href: has_next.then(|| with_cursor(&pairs, Some(offset + limit))),
        active,
        did_you_mean,
        feed_href: format!("/feeds/search.atom{}", with_cursor(&pairs, None).trim_start_matches("/search")),
        c: ctx.chrome,
    };
    render(&page).map(|r| (status, r).into_response())
}

// ---------------------------------------------------------------------------
// Case page

/// One narrative section as shown.
pub struct SectionView {
    pub id: String,
    pub heading: String,
    pub html: String,
    /// Set when the section is shown in another language than the page's text.
    pub lang: Option<String>,
}

pub struct RevisionView {
    pub version: i64,
    pub action: String,
    pub actor: String,
    pub comment: Option<String>,
    pub at: String,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    c: Chrome,
    id: String,
    title: String,
    text_lang: String,
    /// Shown when the reader's language has no translation.
    untranslated_note: Option<String>,
    versions: Vec<(String, String, bool)>,
    summary_html: String,
    sections: Vec<SectionView>,
    facts: Vec<(String, String)>,
    organisations: Vec<(String, String)>,
    partners: String,
    links: Vec<(String, String)>,
    website: Option<String>,
    contact: Option<String>,
    published: bool,
    status_label: String,
    completeness: u8,
    origin: Option<(String, String, Option<String>)>,
    presence: Vec<String>,
    revisions: Vec<RevisionView>,
    related: Vec<HitView>,
    citation: String,
    cite_text: String,
    json_ld: String,
    description: String,
    can_edit: bool,
    /// Upstream nodes this user may nominate the case to.
    nominate_to: Vec<String>,
    /// Outgoing nominations: node, state label, decision note.
    nominations: Vec<(String, String, Option<String>)>,
    nominated_notice: bool,
    /// Events where the case was presented: (event id, title, date).
    presented_at: Vec<(String, String, String)>,
    /// Shipped languages other than the original, for the translate links.
    translate_into: Vec<(String, String)>,
    /// Replication links, both ways (`_diffusion.html`).
    diffusion: super::diffusion::DiffusionBlock,
    /// Check-ins, status history and lessons (`_checkins.html`, `_lessons.html`).
    checkins: super::checkins::CheckinBlock,
    /// Resources serving the case (`_resources.html`).
    resources: Vec<super::resources::ResourceCard>,
}

/// JSON-LD safe inside `<script>`: no `</` and no `<!--`.
fn script_safe_json(v: &serde_json::Value) -> String {
    v.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

async fn case_page(ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    // Machine clients asking for JSON get the API record.
    let wants_json = ctx.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| {
        (a.contains("application/json") || a.contains("application/ld+json")) && !a.contains("text/html")
    });
    if wants_json {
        return Ok((StatusCode::FOUND, [(header::LOCATION, format!("/api/v1/cases/{id}"))]).into_response());
    }
    let tr = ctx.tr();
    let actor = ctx.actor();
    let store = ctx.state.store();
    let case = store.get_case(&id).await.map_err(|e| ctx.fail(e))?.ok_or_else(|| ctx.error(StatusCode::NOT_FOUND))?;
    if !permissions::can_view_case(actor.as_ref(), case.status, case.owners()) {
        return Err(ctx.error(StatusCode::NOT_FOUND));
    }
    let reader = ctx.lang().code();
    let content = &case.content;
    let original = content.original_language.as_str();
    // The text language: the reader's when translated, else the original.
    let requested = query_text_lang(&ctx.chrome.here);
    let text_lang = requested
        .filter(|l| content.title.get(l).is_some())
        .or_else(|| content.title.get(reader).map(|_| reader.to_owned()))
        .unwrap_or_else(|| original.to_owned());
    let lang_name = |code: &str| tr.term(vocab::LANGUAGES, code);
    let untranslated_note = (content.title.get(reader).is_none())
        .then(|| tr.targs("case-untranslated", &[("language", &lang_name(reader)), ("shown", &lang_name(&text_lang))]));
    let versions = content.title.languages().map(|l| (l.to_owned(), lang_name(l), l == text_lang)).collect::<Vec<_>>();
    let pick = |t: &lumbung_core::Text| -> Option<(String, Option<String>)> {
        match t.get(&text_lang) {
            Some(s) => Some((s.to_owned(), None)),
            None => t.best(original, original).map(|s| {
                (s.to_owned(), Some(if t.get(original).is_some() { original.to_owned() } else { String::new() }))
            }),
        }
    };
    let title = content.title.best(&text_lang, original).unwrap_or("").to_owned();
    let summary = pick(&content.summary).map(|(s, _)| s).unwrap_or_default();
    let sections = content
        .sections
        .iter()
        .into_iter()
        .filter_map(|(name, text)| {
            pick(text).map(|(md, lang)| SectionView {
                id: name.replace('_', "-"),
                heading: tr.t(&format!("section-{}", name.replace('_', "-"))),
                html: markdown::render(&md),
                lang: lang.filter(|l| !l.is_empty()),
            })
        })
        .collect();
    let mut facts = Vec::new();
    if let Some(cc) = &content.country {
        let mut place = tr.term(vocab::COUNTRIES, cc);
        for part in [&content.region, &content.city].into_iter().flatten() {
            place = format!("{part}, {place}");
        }
        facts.push((tr.t("case-place"), place));
    }
    if let Some(p) = content.place.as_deref().and_then(vocab::id_place) {
        facts.push((tr.t("case-official-place"), format!("{} ({})", p.name, p.code)));
    }
    if let Some(l) = &content.level_of_government {
        facts.push((tr.t("facet-level"), tr.term(vocab::LEVELS_OF_GOVERNMENT, l)));
    }
    let join = |terms: &'static [Term], codes: &[String]| {
        codes.iter().map(|c| tr.term(terms, c)).collect::<Vec<_>>().join(", ")
    };
    if !content.sectors.is_empty() {
        facts.push((tr.t("facet-sector"), join(vocab::SECTORS, &content.sectors)));
    }
    if !content.innovation_facets.is_empty() {
        facts.push((tr.t("facet-facet"), join(vocab::INNOVATION_FACETS, &content.innovation_facets)));
    }
    if let Some(s) = &content.lifecycle_stage {
        facts.push((tr.t("facet-stage"), tr.term(vocab::LIFECYCLE_STAGES, s)));
    }
    if !content.sdgs.is_empty() {
        let sdgs: Vec<String> = content.sdgs.iter().map(|n| tr.term(vocab::SDGS, &n.to_string())).collect();
        facts.push((tr.t("facet-sdg"), sdgs.join(", ")));
    }
    if let Some(y) = content.year_launched {
        facts.push((tr.t("facet-year"), y.to_string()));
    }
    if let Some(s) = &content.operating_status {
        facts.push((tr.t("facet-operating-status"), tr.term(vocab::OPERATING_STATUSES, s)));
    }
    if let Some(d) = content.digital {
        facts.push((tr.t("case-digital"), tr.t(if d { "yes" } else { "no" })));
    }
    if !content.tags.is_empty() {
        facts.push((tr.t("case-tags"), content.tags.join(", ")));
    }
    if let Some(d) = content.last_confirmed {
        facts.push((tr.t("case-last-confirmed"), d.to_string()));
    }
    let mut organisations = Vec::new();
    for org_id in &content.organisations {
        if let Some(org) = store.get_organisation(org_id).await.map_err(|e| ctx.fail(e))? {
            let name = org.content.name.best(reader, "en").unwrap_or(&org.id).to_owned();
            organisations.push((org.id, name));
        }
    }
    let links = content
        .links
        .iter()
        .filter(|l| is_web_url(&l.url))
        .map(|l| (l.url.clone(), l.title.clone().unwrap_or_else(|| l.url.clone())))
        .collect();
    let website = content.website.clone().filter(|w| is_web_url(w));
    let contact = content
        .contact
        .as_ref()
        .map(|c| {
            [c.name.as_deref(), c.organisation.as_deref(), c.email.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ")
        })
        .filter(|s| !s.is_empty());
    let origin = case.origin.as_ref().map(|o| {
        let harvested = o.harvested_at.map(|t| human_date(tr, t));
        (o.node.clone(), o.url.clone().filter(|u| is_web_url(u)).unwrap_or_else(|| o.identifier.clone()), harvested)
    });
    let presence = store
        .presence(&case.id)
        .await
        .map_err(|e| ctx.fail(e))?
        .into_iter()
        .filter(|p| p.state == "published")
        .map(|p| tr.t1("case-accepted-by", "node", p.node))
        .collect();
    let can_history = permissions::can_see_private(actor.as_ref(), case.owners());
    let revisions = if can_history {
        store
            .case_revisions(&case.id)
            .await
            .map_err(|e| ctx.fail(e))?
            .into_iter()
            .rev()
            .map(|r| RevisionView {
                version: r.version,
                action: tr.t(&format!("action-{}", r.action)),
                actor: r.actor_id.unwrap_or_default(),
                comment: r.comment,
                at: super::minute(r.created_at),
            })
            .collect()
    } else {
        Vec::new()
    };
    let related = if case.status == Status::Published {
        let index = ctx.state.search().clone();
        let (rid, rl) = (case.id.clone(), reader.to_owned());
        tokio::task::spawn_blocking(move || index.related(&rid, &rl, 5))
            .await
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|h| HitView::from_hit(tr, h))
            .collect()
    } else {
        Vec::new()
    };
    let base = ctx.state.settings().base_url.trim_end_matches('/').to_owned();
    let citation = format!("{base}/cases/{}", case.id);
    let description = markdown::plain(&summary, 300);
    let year = case.published_at.map(|t| t.year().to_string()).unwrap_or_else(|| case.created_at.year().to_string());
    let cite_text =
        format!("{}. ({year}). {title}. {}. {citation}", ctx.state.settings().node_name, lang_name(&text_lang));
    let json_ld = json_ld(
        &case,
        &title,
        &description,
        &text_lang,
        &citation,
        &ctx.state.settings().node_name,
        &organisations,
        tr,
    );
    let can_edit = actor.as_ref().is_some_and(|a| permissions::can_edit_case(a, case.status, case.owners()));
    let nominator = actor.as_ref().is_some_and(permissions::is_nominator);
    let notes = permissions::sees_nomination_notes(actor.as_ref());
    let may_nominate = actor.as_ref().is_some_and(|a| permissions::can_nominate(a, case.owners()));
    let nominate_to = if may_nominate && case.status == Status::Published {
        ctx.state.settings().upstreams.clone()
    } else {
        Vec::new()
    };
    let nominations = if nominator {
        store
            .nominations_of(&case.id)
            .await
            .map_err(|e| ctx.fail(e))?
            .into_iter()
            .filter(|n| n.direction == lumbung_core::NominationDirection::Outgoing)
            .map(|n| (n.node, tr.term(vocab::NOMINATION_STATES, n.state.as_str()), n.decision_note.filter(|_| notes)))
            .collect()
    } else {
        Vec::new()
    };
    let nominated_notice = ctx.chrome.here.contains("nominated=1");
    let presented_at = super::events::presented_at(&ctx.state, tr, &case.id).await;
    let diffusion = super::diffusion::case_block(&ctx, &case).await?;
    let checkins = super::checkins::case_block(&ctx, &case).await?;
    let resources = if case.status == Status::Published {
        super::resources::block(&ctx.state, tr, ctx.lang(), Some(&case.id), None).await
    } else {
        Vec::new()
    };
    let page = CasePage {
        resources,
        id: case.id.clone(),
        title,
        text_lang,
        untranslated_note,
        versions,
        summary_html: markdown::render(&summary),
        sections,
        facts,
        organisations,
        partners: content.partners.join(", "),
        links,
        website,
        contact,
        published: case.status == Status::Published,
        status_label: tr.term(vocab::WORKFLOW_STATUSES, case.status.as_str()),
        completeness: case.completeness,
        origin,
        presence,
        revisions,
        related,
        citation,
        cite_text,
        json_ld,
        description,
        can_edit,
        nominate_to,
        nominations,
        nominated_notice,
        presented_at,
        translate_into: super::Lang::ALL
            .iter()
            .map(|l| l.code())
            .filter(|l| *l != original)
            .map(|l| (l.to_owned(), lang_name(l)))
            .collect(),
        diffusion,
        checkins,
        c: ctx.chrome,
    };
    render(&page)
}

/// `POST /cases/{id}/nominate`: a curator or delegate nominates the case upstream.
async fn nominate(ctx: Ctx, Path(id): Path<String>, form: super::FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    let to = form.get("to").unwrap_or("").to_owned();
    ctx.state.app().nominate(&actor, &id, &to, form.text("note")).await.map_err(|e| ctx.fail(e))?;
    Ok(super::see_other(&format!("/cases/{id}?nominated=1#federation")))
}

/// `?text=xx` on a case page picks the language of the case's text.
fn query_text_lang(here: &str) -> Option<String> {
    let query = here.split_once('?').map(|(_, q)| q)?;
    url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "text").map(|(_, v)| v.into_owned())
}

/// Only http(s) links are shown as links.
pub fn is_web_url(u: &str) -> bool {
    url::Url::parse(u).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

#[allow(clippy::too_many_arguments)]
fn json_ld(
    case: &Case,
    title: &str,
    description: &str,
    lang: &str,
    url: &str,
    node_name: &str,
    organisations: &[(String, String)],
    tr: Tr,
) -> String {
    use serde_json::{Map, Value, json};
    let content = &case.content;
    let mut project = Map::new();
    project.insert("@type".into(), "Project".into());
    project.insert("name".into(), title.into());
    if !organisations.is_empty() {
        let members: Vec<Value> =
            organisations.iter().map(|(_, name)| json!({"@type": "GovernmentOrganization", "name": name})).collect();
        project.insert("member".into(), members.into());
    }
    if let Some(y) = content.year_launched {
        project.insert("foundingDate".into(), y.to_string().into());
    }
    let rfc3339 = |t: time::OffsetDateTime| t.format(&time::format_description::well_known::Rfc3339).ok();
    let mut article = Map::new();
    for (k, v) in [
        ("@context", Value::from("https://schema.org")),
        ("@type", "Article".into()),
        ("@id", url.into()),
        ("url", url.into()),
        ("headline", title.into()),
        ("description", description.into()),
        ("inLanguage", lang.into()),
        ("about", project.into()),
        ("publisher", json!({"@type": "Organization", "name": node_name})),
        ("dateModified", rfc3339(case.updated_at).unwrap_or_default().into()),
    ] {
        article.insert(k.into(), v);
    }
    if let Some(p) = case.published_at.and_then(rfc3339) {
        article.insert("datePublished".into(), p.into());
    }
    if let Some(cc) = &content.country {
        let country = json!({"@type": "Country", "name": tr.term(vocab::COUNTRIES, cc), "identifier": cc});
        let place = match &content.region {
            Some(r) => json!({"@type": "AdministrativeArea", "name": r, "containedInPlace": country}),
            None => country,
        };
        article.insert("spatialCoverage".into(), place);
    }
    if let Some(o) = &case.origin {
        let mut based = Map::new();
        based.insert("@type".into(), "Article".into());
        based.insert("identifier".into(), o.identifier.clone().into());
        if let Some(u) = o.url.as_ref().filter(|u| is_web_url(u)) {
            based.insert("url".into(), u.clone().into());
        }
        article.insert("isBasedOn".into(), based.into());
        article.insert("sourceOrganization".into(), json!({"@type": "Organization", "identifier": o.node}));
    }
    if !content.tags.is_empty() {
        article.insert("keywords".into(), content.tags.join(", ").into());
    }
    script_safe_json(&Value::Object(article))
}

// ---------------------------------------------------------------------------
// Organisation and country pages

#[derive(Template)]
#[template(path = "listing.html")]
struct ListingPage {
    c: Chrome,
    heading: String,
    facts: Vec<(String, String)>,
    website: Option<String>,
    total: i64,
    hits: Vec<HitView>,
    more_href: String,
    children: Vec<(String, String)>,
    /// Action items of events owned by the organisation.
    actions: Vec<super::events::ActionCard>,
}

async fn organisation_page(ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    let tr = ctx.tr();
    let store = ctx.state.store();
    let org =
        store.get_organisation(&id).await.map_err(|e| ctx.fail(e))?.ok_or_else(|| ctx.error(StatusCode::NOT_FOUND))?;
    let reader = ctx.lang().code().to_owned();
    let mut facts = vec![(tr.t("org-type"), tr.term(vocab::ORGANISATION_TYPES, &org.content.org_type))];
    if let Some(l) = &org.content.level_of_government {
        facts.push((tr.t("facet-level"), tr.term(vocab::LEVELS_OF_GOVERNMENT, l)));
    }
    if let Some(cc) = &org.content.country {
        facts.push((tr.t("facet-country"), tr.term(vocab::COUNTRIES, cc)));
    }
    let all = store.list_organisations().await.map_err(|e| ctx.fail(e))?;
    if let Some(parent) = org.content.parent.as_ref().and_then(|p| all.iter().find(|o| &o.id == p)) {
        facts.push((tr.t("org-parent"), parent.content.name.best(&reader, "en").unwrap_or(&parent.id).to_owned()));
    }
    let children = all
        .iter()
        .filter(|o| o.content.parent.as_deref() == Some(&org.id))
        .map(|o| (o.id.clone(), o.content.name.best(&reader, "en").unwrap_or(&o.id).to_owned()))
        .collect();
    let res = run_search(
        &ctx,
        SearchRequest {
            lang: reader.clone(),
            limit: 50,
            sort: Sort::Newest,
            organisations: vec![org.id.clone()],
            ..Default::default()
        },
    )
    .await?;
    let mut heading = org.content.name.best(&reader, "en").unwrap_or(&org.id).to_owned();
    if let Some(a) = &org.content.acronym {
        heading = format!("{heading} ({a})");
    }
    let page = ListingPage {
        heading,
        facts,
        website: org.content.website.clone().filter(|w| is_web_url(w)),
        total: res.total as i64,
        hits: res.items.into_iter().map(|h| HitView::from_hit(tr, h)).collect(),
        more_href: format!("/search?organisation={}", urlencode(&org.id)),
        children,
        actions: super::events::action_cards(
            &ctx,
            &lumbung_store::ActionFilter { owner: Some(org.id.clone()), ..Default::default() },
        )
        .await?,
        c: ctx.chrome,
    };
    render(&page)
}

async fn country_page(ctx: Ctx, Path(code): Path<String>) -> Result<Response, PageError> {
    let tr = ctx.tr();
    let code = code.to_ascii_uppercase();
    let term = vocab::find(vocab::COUNTRIES, &code).ok_or_else(|| ctx.error(StatusCode::NOT_FOUND))?;
    let reader = ctx.lang().code().to_owned();
    let mut filters = BTreeMap::new();
    filters.insert("country".to_owned(), vec![code.clone()]);
    let res = run_search(
        &ctx,
        SearchRequest { lang: reader.clone(), limit: 50, sort: Sort::Newest, filters, ..Default::default() },
    )
    .await?;
    let mut facts = Vec::new();
    for (facet, key) in [("sector", "facet-sector"), ("level", "facet-level")] {
        if let Some(values) = res.facets.get(facet).filter(|v| !v.is_empty()) {
            let top: Vec<String> =
                values.iter().take(5).map(|(v, n)| format!("{} ({n})", facet_value_label(tr, facet, v))).collect();
            facts.push((tr.t(key), top.join(", ")));
        }
    }
    let orgs = ctx.state.store().list_organisations().await.map_err(|e| ctx.fail(e))?;
    let children = orgs
        .iter()
        .filter(|o| o.content.country.as_deref() == Some(code.as_str()))
        .map(|o| (o.id.clone(), o.content.name.best(&reader, "en").unwrap_or(&o.id).to_owned()))
        .collect();
    let page = ListingPage {
        heading: term.label(&reader).to_owned(),
        facts,
        website: None,
        total: res.total as i64,
        hits: res.items.into_iter().map(|h| HitView::from_hit(tr, h)).collect(),
        more_href: format!("/search?country={}", urlencode(&code)),
        children,
        actions: Vec::new(),
        c: ctx.chrome,
    };
    render(&page)
}
