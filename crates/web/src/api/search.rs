//! `/api/v1/search`, `/api/v1/suggest` and `/api/v1/cases/{id}/related`:
//! full-text search with facets over published cases (and, asked with
//! `kind=discussion`, public discussions). Anonymous answers come
//! from the page cache (`crate::cache`): the same URL is searched once per
//! change-log head and index searcher generation.

use std::collections::BTreeMap;

use axum::extract::{Path, RawQuery, State};
use axum::middleware::map_response;
use axum::routing::get;
use axum::{Json, Router};
use lumbung_core::vocab;
use lumbung_search::schema::FACETS;
use lumbung_search::{Hit, SearchError, SearchRequest, Sort, Suggestion};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, Problem};
use crate::extract::query_pairs;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/search", get(search).layer(map_response(crate::cache::mark)))
        .route("/api/v1/suggest", get(suggest).layer(map_response(crate::cache::mark)))
        .route("/api/v1/cases/{id}/related", get(related).layer(map_response(crate::cache::mark)))
}

/// A search result page.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchPage {
    pub items: Vec<SearchHit>,
    pub total: usize,
    /// Facet name → values with counts over all matching cases (`kind`:
    /// over all matching cases and discussions, whichever kinds were asked).
    pub facets: BTreeMap<String, Vec<FacetValue>>,
    /// Cursor of the next page, or null.
    pub next: Option<String>,
    /// On the first page, when a word of the query is not in the library:
    /// the query with misspellings corrected, if that finds cases; else null.
    pub did_you_mean: Option<String>,
}

/// A search with what to offer when nothing good matches (first page only).
pub fn search_with_alternatives(
    index: &lumbung_search::SearchIndex,
    req: &SearchRequest,
) -> Result<(lumbung_search::SearchResponse, lumbung_search::Alternatives), SearchError> {
    let res = index.search(req)?;
    let alternatives = if req.offset == 0 { index.alternatives(req)? } else { lumbung_search::Alternatives::default() };
    Ok((res, alternatives))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
}

/// One hit.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    pub id: String,
    /// `case` (at `/cases/{id}`) or `discussion` (a thread, at `/threads/{id}`).
    pub kind: String,
    /// In the reader's language when there is one, else the original.
    pub title: String,
    pub title_language: String,
    #[schema(value_type = BTreeMap<String, String>)]
    pub titles: lumbung_core::Text,
    /// HTML: escaped text, matches wrapped in `<mark>`.
    pub snippet: String,
    pub score: f32,
    /// Origin node of a harvested case; null for local cases.
    pub origin: Option<String>,
    pub original_language: String,
    pub country: Option<String>,
    pub year_launched: Option<i32>,
    pub sectors: Vec<String>,
    pub lifecycle_stage: Option<String>,
    pub completeness: u8,
    pub published_at: Option<String>,
}

impl From<Hit> for SearchHit {
    fn from(h: Hit) -> Self {
        SearchHit {
            id: h.id,
            kind: h.kind,
            title: h.title,
            title_language: h.title_language,
            titles: h.titles,
            snippet: h.snippet,
            score: h.score,
            origin: h.origin,
            original_language: h.original_language,
            country: h.country,
            year_launched: h.year_launched,
            sectors: h.sectors,
            lifecycle_stage: h.lifecycle_stage,
            completeness: h.completeness,
            published_at: h.published_at,
        }
    }
}

/// Search parameters. Facet filters take several values, repeated or
/// comma-separated: OR within a facet, AND across facets.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchParams {
    /// Words, "phrases", +required, -excluded. Typos in longer words are tolerated;
    /// English and Indonesian terms are matched across languages through the glossary.
    q: Option<String>,
    /// The reader's language (en or id) for titles and snippets.
    lang: Option<String>,
    country: Option<String>,
    level: Option<String>,
    sector: Option<String>,
    facet: Option<String>,
    stage: Option<String>,
    sdg: Option<String>,
    year: Option<String>,
    organisation_type: Option<String>,
    /// `local` or a node id.
    origin: Option<String>,
    operating_status: Option<String>,
    /// `complete` or `incomplete`.
    completeness: Option<String>,
    /// Organisation ids.
    organisation: Option<String>,
    /// `case` (the default) and/or `discussion`: threads of public rooms and of published cases.
    kind: Option<String>,
    /// `relevance` (default with words) or `newest`.
    sort: Option<String>,
    /// 1–100, default 20.
    limit: Option<usize>,
    cursor: Option<String>,
}

fn bad(key: &str, value: &str) -> ApiError {
    ApiError::BadRequest(format!("'{}' is not a valid value for {key}", value.chars().take(40).collect::<String>()))
}

/// The vocabulary behind a search facet (none for year, origin and completeness).
pub fn facet_terms(name: &str) -> Option<&'static [vocab::Term]> {
    match name {
        "country" => Some(vocab::COUNTRIES),
        "level" => Some(vocab::LEVELS_OF_GOVERNMENT),
        "sector" => Some(vocab::SECTORS),
        "facet" => Some(vocab::INNOVATION_FACETS),
        "stage" => Some(vocab::LIFECYCLE_STAGES),
        "sdg" => Some(vocab::SDGS),
        "organisation_type" => Some(vocab::ORGANISATION_TYPES),
        "operating_status" => Some(vocab::OPERATING_STATUSES),
        _ => None,
    }
}

/// Parses search parameters, refusing unknown names and values.
pub fn parse_search(pairs: &[(String, String)]) -> Result<SearchRequest, ApiError> {
    let mut req = SearchRequest { lang: "en".into(), limit: 20, ..Default::default() };
    for (key, raw) in pairs {
        let values = || raw.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        match key.as_str() {
            "q" => req.q = raw.clone(),
            "lang" => {
                if !vocab::contains(vocab::LANGUAGES, raw) {
                    return Err(bad(key, raw));
                }
                req.lang = raw.clone();
            }
            "sort" => {
                req.sort = match raw.as_str() {
                    "relevance" => Sort::Relevance,
                    "newest" => Sort::Newest,
                    _ => return Err(bad(key, raw)),
                }
            }
            "limit" => {
                req.limit = raw
                    .parse::<usize>()
                    .ok()
                    .filter(|l| (1..=lumbung_search::search::MAX_LIMIT).contains(l))
                    .ok_or_else(|| ApiError::BadRequest("limit is a number from 1 to 100".into()))?
            }
            "cursor" => {
                if !raw.is_empty() {
                    req.offset = raw
                        .parse::<usize>()
                        .ok()
                        .filter(|o| *o <= lumbung_search::search::MAX_OFFSET)
                        .ok_or_else(|| ApiError::BadRequest("cursor is not one this server gave".into()))?;
                }
            }
            "organisation" => req.organisations.extend(values()),
            "kind" => {
                for v in values() {
                    if !lumbung_search::schema::KINDS.contains(&v.as_str()) {
                        return Err(bad(key, &v));
                    }
                    req.kinds.push(v);
                }
            }
            name if FACETS.iter().any(|(n, _)| *n == name) => {
                let terms = facet_terms(name);
                for v in values() {
                    let v = if name == "country" { v.to_ascii_uppercase() } else { v };
                    let ok = match (terms, name) {
                        (Some(t), _) => vocab::contains(t, &v),
                        (None, "year") => v.len() == 4 && v.chars().all(|c| c.is_ascii_digit()),
                        (None, "completeness") => v == "complete" || v == "incomplete",
                        (None, "confirmed") => ["within_12_months", "earlier", "never"].contains(&v.as_str()),
                        (None, "origin") => {
                            v.len() <= 64
                                && v.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c))
                        }
                        _ => false,
                    };
                    if !ok {
                        return Err(bad(name, &v));
                    }
                    req.filters.entry(name.to_owned()).or_default().push(v);
                }
            }
            other => {
                return Err(ApiError::BadRequest(format!(
                    "unknown query parameter '{}'",
                    other.chars().take(40).collect::<String>()
                )));
            }
        }
    }
    Ok(req)
}

impl From<SearchError> for ApiError {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::Query(q) => ApiError::BadRequest(q.to_string()),
            SearchError::BadRequest(m) => ApiError::BadRequest(m),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

async fn run_blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, SearchError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| ApiError::Internal(e.to_string()))?.map_err(ApiError::from)
}

/// Search published cases, with facet counts and highlighted snippets.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, body = SearchPage), (status = 400, body = Problem)))]
pub async fn search(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<SearchPage>, ApiError> {
    let req = parse_search(&query_pairs(raw.as_deref()))?;
    let index = state.search().clone();
    let _slot = state.search_slot().await;
    let (res, alternatives) = run_blocking(move || search_with_alternatives(&index, &req)).await?;
    Ok(Json(SearchPage {
        items: res.items.into_iter().map(SearchHit::from).collect(),
        total: res.total,
        facets: res
            .facets
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.into_iter().map(|(value, count)| FacetValue { value, count }).collect()))
            .collect(),
        next: res.next,
        did_you_mean: alternatives.did_you_mean,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SuggestParams {
    /// What the user has typed so far.
    q: String,
    lang: Option<String>,
}

/// Suggestions as the user types: case titles and organisation names.
#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestions {
    pub cases: Vec<SuggestedCase>,
    pub organisations: Vec<SuggestedOrganisation>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestedCase {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestedOrganisation {
    pub id: String,
    pub name: String,
}

/// Title and organisation suggestions for a prefix.
#[utoipa::path(get, path = "/api/v1/suggest", tag = "search", params(SuggestParams),
    responses((status = 200, body = Suggestions), (status = 400, body = Problem)))]
pub async fn suggest(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<Suggestions>, ApiError> {
    let pairs = query_pairs(raw.as_deref());
    let mut q = String::new();
    let mut lang = "en".to_owned();
    for (k, v) in pairs {
        match k.as_str() {
            "q" => q = v,
            "lang" if vocab::contains(vocab::LANGUAGES, &v) => lang = v,
            "lang" => return Err(bad("lang", &v)),
            other => return Err(ApiError::BadRequest(format!("unknown query parameter '{other}'"))),
        }
    }
    if q.chars().count() > 100 {
        return Err(ApiError::BadRequest("a suggestion prefix has at most 100 characters".into()));
    }
    let index = state.search().clone();
    let (prefix, l) = (q.clone(), lang.clone());
    let cases: Vec<Suggestion> = run_blocking(move || index.suggest(&prefix, &l, 8)).await?;
    let needle = q.trim().to_lowercase();
    let organisations = if needle.is_empty() {
        Vec::new()
    } else {
        state
            .store()
            .list_organisations()
            .await?
            .into_iter()
            .filter_map(|o| {
                let name = o.content.name.best(&lang, "en").unwrap_or(&o.id).to_owned();
                let acronym = o.content.acronym.clone().unwrap_or_default().to_lowercase();
                let hit = name.to_lowercase().split_whitespace().any(|w| w.starts_with(&needle))
                    || name.to_lowercase().starts_with(&needle)
                    || acronym.starts_with(&needle);
                hit.then_some(SuggestedOrganisation { id: o.id, name })
            })
            .take(5)
            .collect()
    };
    Ok(Json(Suggestions {
        cases: cases.into_iter().map(|s| SuggestedCase { id: s.id, title: s.title }).collect(),
        organisations,
    }))
}

/// Published cases related to this one (text and classification).
#[utoipa::path(get, path = "/api/v1/cases/{id}/related", tag = "search",
    params(("id" = String, Path, description = "Case id"), ("lang" = Option<String>, Query, description = "Reader's language")),
    responses((status = 200, body = Vec<SearchHit>), (status = 404, body = Problem)))]
pub async fn related(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<SearchHit>>, ApiError> {
    let mut lang = "en".to_owned();
    for (k, v) in query_pairs(raw.as_deref()) {
        match k.as_str() {
            "lang" if vocab::contains(vocab::LANGUAGES, &v) => lang = v,
            _ => return Err(bad(&k, &v)),
        }
    }
    let case = state.store().get_case(&id).await?.ok_or(ApiError::NotFound)?;
    if case.status != lumbung_core::Status::Published {
        return Err(ApiError::NotFound);
    }
    let index = state.search().clone();
    let hits = run_blocking(move || index.related(&id, &lang, 6)).await?;
    Ok(Json(hits.into_iter().map(SearchHit::from).collect()))
}
