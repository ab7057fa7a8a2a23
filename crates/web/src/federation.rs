//! What other nodes, harvesters, feed readers and search engines read:
//! `/oai` (OAI-PMH 2.0), `/feeds/*.atom`, `/sitemap.xml`, `/robots.txt`, and
//! the native record's XML Schema.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use axum::middleware::map_response;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lumbung_federation::{Provider, atom, formats, sitemap};
use lumbung_search::Sort;

use crate::api::search::parse_search;
use crate::error::ApiError;
use crate::extract::query_pairs;
use crate::state::AppState;

const XML: &str = "text/xml; charset=utf-8";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/oai", get(oai_get).post(oai_post))
        .route("/schemas/lumbung-case.xsd", get(schema).layer(map_response(crate::cache::mark)))
        .route("/feeds/cases.atom", get(feed).layer(map_response(crate::cache::mark)))
        .route("/feeds/search.atom", get(feed).layer(map_response(crate::cache::mark)))
        .route("/sitemap.xml", get(sitemap_root).layer(map_response(crate::cache::mark)))
        .route("/sitemaps/cases-{n}", get(sitemap_part).layer(map_response(crate::cache::mark)))
        .route("/robots.txt", get(robots).layer(map_response(crate::cache::mark)))
}

fn provider(state: &AppState) -> Provider {
    let s = state.settings();
    Provider {
        node_id: s.node_id.clone(),
        node_name: s.node_name.clone(),
        base_url: s.base_url.trim_end_matches('/').to_owned(),
        admin_email: s.admin_email.clone(),
        page_size: s.oai_page_size.max(1),
        upstreams: s.upstreams.clone(),
    }
}

async fn oai(state: &AppState, args: Vec<(String, String)>) -> Result<Response, ApiError> {
    let xml = provider(state).respond(state.store(), &args).await.map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(([(CONTENT_TYPE, XML)], xml).into_response())
}

async fn oai_get(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    oai(&state, query_pairs(raw.as_deref())).await
}

async fn oai_post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    let form = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return Err(ApiError::UnsupportedMediaType);
    }
    let text = std::str::from_utf8(&body).map_err(|_| ApiError::BadRequest("the form is not UTF-8".into()))?;
    oai(&state, query_pairs(Some(text))).await
}

async fn schema() -> Response {
    ([(CONTENT_TYPE, "application/xml; charset=utf-8")], formats::LUMBUNG_XSD).into_response()
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    lumbung_federation::xml::utc(t.unix_timestamp())
}

/// The newest published cases as Atom, optionally filtered or searched with
/// the search API's parameters (`/feeds/cases.atom?country=ID`,
/// `/feeds/search.atom?q=…`).
async fn feed(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let mut req = parse_search(&query_pairs(raw.as_deref()))?;
    if req.q.trim().is_empty() {
        req.sort = Sort::Newest;
    }
    req.limit = req.limit.min(50);
    let index = state.search().clone();
    let lang = req.lang.clone();
    let _slot = state.search_slot().await;
    let res = tokio::task::spawn_blocking(move || index.search(&req))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(ApiError::from)?;
    let s = state.settings();
    let base = s.base_url.trim_end_matches('/');
    let provider = provider(&state);
    let now = rfc3339(lumbung_core::clock::now());
    let entries: Vec<atom::Entry> = res
        .items
        .into_iter()
        .map(|h| {
            let published = h.published_at.clone().unwrap_or_else(|| now.clone());
            // A discussion (asked for with `kind=discussion`) is its page.
            let (id, url) = if h.kind == lumbung_search::schema::KIND_DISCUSSION {
                let url = format!("{base}/threads/{}", h.id);
                (url.clone(), url)
            } else if h.kind == lumbung_search::schema::KIND_RESOURCE {
                let url = format!("{base}/resources/{}", h.id);
                (url.clone(), url)
            } else {
                (provider.identifier(&h.id), format!("{base}/cases/{}", h.id))
            };
            atom::Entry {
                id,
                url,
                title: h.title,
                title_lang: h.title_language,
                updated: published.clone(),
                published,
                summary_html: h.snippet,
                categories: h
                    .sectors
                    .into_iter()
                    .map(|s| (format!("{base}/api/v1/vocabularies#sectors"), s))
                    .chain(h.country.map(|c| (format!("{base}/api/v1/vocabularies#countries"), c)))
                    .collect(),
            }
        })
        .collect();
    let updated = entries.iter().map(|e| e.updated.clone()).max().unwrap_or(now);
    let self_url = format!("{base}{}", uri.path_and_query().map_or("/feeds/cases.atom", |p| p.as_str()));
    let title = format!("{} — {}", s.node_name, if lang == "id" { "kasus terbaru" } else { "newest cases" });
    let xml = atom::render(
        &atom::Feed {
            self_url: &self_url,
            alternate_url: &format!("{base}/"),
            title: &title,
            subtitle: "Public-sector innovation cases",
            author: &s.node_name,
            lang: &lang,
            updated: &updated,
        },
        &entries,
    );
    Ok(([(CONTENT_TYPE, "application/atom+xml; charset=utf-8")], xml).into_response())
}

async fn sitemap_root(State(state): State<AppState>) -> Result<Response, ApiError> {
    let base = state.settings().base_url.trim_end_matches('/').to_owned();
    let count = state.store().published_count().await? as usize;
    let xml = if count < sitemap::MAX_URLS {
        let mut urls = vec![(format!("{base}/"), None)];
        urls.extend(case_urls(&state, &base, None, sitemap::MAX_URLS).await?);
        sitemap::urlset(&urls)
    } else {
        let parts = count.div_ceil(sitemap::MAX_URLS);
        sitemap::index(&(1..=parts).map(|n| format!("{base}/sitemaps/cases-{n}.xml")).collect::<Vec<_>>())
    };
    Ok(([(CONTENT_TYPE, XML)], xml).into_response())
}

async fn case_urls(
    state: &AppState,
    base: &str,
    mut after: Option<String>,
    mut wanted: usize,
) -> Result<Vec<(String, Option<i64>)>, ApiError> {
    let mut urls = Vec::new();
    while wanted > 0 {
        let page = state.store().published_ids(after.as_deref(), wanted.min(10_000) as i64).await?;
        let Some((last, _)) = page.last() else { break };
        after = Some(last.clone());
        wanted -= page.len();
        urls.extend(page.into_iter().map(|(id, t)| (format!("{base}/cases/{id}"), Some(t))));
    }
    Ok(urls)
}

/// Part `n` (from 1) of a large node's sitemap: `/sitemaps/cases-3.xml`.
async fn sitemap_part(State(state): State<AppState>, Path(n): Path<String>) -> Result<Response, ApiError> {
    let n: usize = n.strip_suffix(".xml").and_then(|n| n.parse().ok()).filter(|n| *n >= 1).ok_or(ApiError::NotFound)?;
    let base = state.settings().base_url.trim_end_matches('/').to_owned();
    // Walk to the part's first id page by page (ids are ordered).
    let mut after: Option<String> = None;
    for _ in 1..n {
        let skip = state.store().published_ids(after.as_deref(), sitemap::MAX_URLS as i64).await?;
        match skip.last() {
            Some((id, _)) => after = Some(id.clone()),
            None => return Err(ApiError::NotFound),
        }
    }
    let urls = case_urls(&state, &base, after, sitemap::MAX_URLS).await?;
    if urls.is_empty() {
        return Err(ApiError::NotFound);
    }
    Ok(([(CONTENT_TYPE, XML)], sitemap::urlset(&urls)).into_response())
}

async fn robots(State(state): State<AppState>) -> Response {
    let base = state.settings().base_url.trim_end_matches('/').to_owned();
    let text = format!(
        "User-agent: *\nDisallow: /api/v1/search\nDisallow: /search\nDisallow: /lang/\nDisallow: /signin\nDisallow: /submit\nDisallow: /curate\nDisallow: /admin\nDisallow: /account\nDisallow: /my/\nDisallow: /api/v1/suggest\nDisallow: /feeds/search.atom\nDisallow: /oai\nSitemap: {base}/sitemap.xml\n"
    );
    ([(CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}
