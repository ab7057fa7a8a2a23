//! HTTP caching: the anonymous page cache, validators and `Cache-Control`.
//!
//! **The page cache.** A handler marks a response that every anonymous reader
//! sees alike as [`Cacheable`] (home, case, organisation and country pages,
//! search and browse, the dashboard, feeds and sitemaps). For a request
//! without a session or credentials, this layer keeps such a response — the
//! bytes and a gzip copy — under its path, query and interface language, and
//! answers the next such request from memory, without running the handler.
//! Entries belong to a *generation*: the change log's head and the search
//! index's searcher generation. The layer reads the head at most every
//! [`CHECK_EVERY`] (one indexed query), and at once after a write this
//! process committed (the store counts them); the searcher generation, in
//! memory, on every request. An entry of another generation is never served,
//! so any change — a publish, an edit, a translation, an archive — reaches
//! every cached page within that time. An
//! entry also lives at most [`MAX_AGE`], for what a page shows that the change
//! log does not number (the time of day). The cache is bounded in bytes and
//! drops the least recently used entries.
//!
//! **Validators.** Every GET answer up to [`MAX_TAGGED`] bytes gets an `ETag`
//! (its own, when the handler set one, as the case API does with the version;
//! else a hash of the body), and cached pages a `Last-Modified`; a matching
//! `If-None-Match` (or, without it, an `If-Modified-Since` not older) is
//! answered 304 with no body.
//!
//! **Cache-Control.** Anonymous cacheable answers are `public` with a short
//! `max-age` and `stale-while-revalidate`, so a proxy in front of the node may
//! keep them too; answers to a signed-in request are `private, no-cache`, so
//! nothing shared keeps a page with a draft on it. `Vary` names the request
//! headers an answer depends on: the language (`Accept-Language`, and the
//! language and session cookies) and the encoding.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::extract::session_token;
use crate::html::request_lang;
use crate::state::AppState;

/// How often the change log's head is read.
pub const CHECK_EVERY: Duration = Duration::from_millis(200);
/// The longest an entry is served, whatever the change log says.
pub const MAX_AGE: Duration = Duration::from_secs(60);
/// Answers larger than this get no validator and are not cached.
pub const MAX_TAGGED: u64 = 4 * 1024 * 1024;
/// Bytes the cache holds by default (bodies and their gzip copies).
pub const DEFAULT_BUDGET: usize = 64 * 1024 * 1024;
/// What anonymous cacheable answers tell shared caches.
const PUBLIC: &str = "public, max-age=10, stale-while-revalidate=60";
const PRIVATE: &str = "private, no-cache";
const VARY: &str = "Accept, Accept-Language, Cookie";

/// Marks a response as the same for every anonymous reader of its URL and language.
#[derive(Debug, Clone, Copy)]
pub struct Cacheable;

/// Marks a response as cacheable (for handlers: `render(&page).map(cacheable)`).
pub fn cacheable(mut res: Response) -> Response {
    res.extensions_mut().insert(Cacheable);
    res
}

/// The same as a route layer: `get(home).layer(map_response(cache::mark))`.
pub async fn mark(res: Response) -> Response {
    cacheable(res)
}

/// What a page was built from: the change log's head, and the generation of
/// the index's searcher (pages built from the index change when it catches
/// up, after the change log moved).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Generation {
    head: i64,
    indexed: i64,
}

impl Generation {
    const UNKNOWN: Generation = Generation { head: -1, indexed: -1 };

    fn known(self) -> bool {
        self.head >= 0
    }
}

struct Entry {
    generation: Generation,
    made: Instant,
    last_modified: SystemTime,
    etag: String,
    headers: HeaderMap,
    body: Bytes,
    gzip: Option<Bytes>,
}

impl Entry {
    fn weight(&self) -> usize {
        self.body.len() + self.gzip.as_ref().map_or(0, Bytes::len) + 256
    }
}

struct Lru {
    entries: lru::LruCache<String, std::sync::Arc<Entry>>,
    bytes: usize,
}

/// The anonymous page cache of one instance.
pub struct PageCache {
    lru: Mutex<Lru>,
    budget: usize,
    generation: AtomicI64,
    /// The store's local commit count when last seen.
    local: AtomicU64,
    /// Milliseconds since `epoch` when the head was last read.
    checked_ms: AtomicU64,
    epoch: Instant,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache").field("budget", &self.budget).finish_non_exhaustive()
    }
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache::new(DEFAULT_BUDGET)
    }
}

impl PageCache {
    pub fn new(budget: usize) -> PageCache {
        PageCache {
            lru: Mutex::new(Lru { entries: lru::LruCache::unbounded(), bytes: 0 }),
            budget,
            generation: AtomicI64::new(-1),
            local: AtomicU64::new(0),
            checked_ms: AtomicU64::new(0),
            epoch: Instant::now(),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// (hits, misses) so far.
    pub fn counts(&self) -> (u64, u64) {
        (self.hits.load(Ordering::Relaxed), self.misses.load(Ordering::Relaxed))
    }

    /// The current generation, reading the change log's head when the last
    /// read is older than [`CHECK_EVERY`] (one request reads it; the others
    /// meanwhile use the generation they find).
    async fn generation(&self, state: &AppState) -> Generation {
        let now = u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX).max(1);
        let last = self.checked_ms.load(Ordering::Acquire);
        // A write this process committed shows at once; other instances'
        // writes within CHECK_EVERY.
        let local = state.store().local_commits();
        let wrote = self.local.swap(local, Ordering::AcqRel) != local;
        let due =
            wrote || last == 0 || now.saturating_sub(last) >= u64::try_from(CHECK_EVERY.as_millis()).unwrap_or(200);
        if due && (wrote || self.checked_ms.compare_exchange(last, now, Ordering::AcqRel, Ordering::Acquire).is_ok()) {
            match state.store().last_change().await {
                Ok(head) => self.generation.store(head, Ordering::Release),
                // Unknown: serve nothing from memory until the head is known again.
                Err(_) => self.generation.store(-1, Ordering::Release),
            }
        }
        // The index's side is read on every request (in memory): an answer
        // built before the index caught up is never served after it has.
        let indexed = i64::try_from(state.search().searcher_generation()).unwrap_or(i64::MAX);
        Generation { head: self.generation.load(Ordering::Acquire), indexed }
    }

    fn get(&self, key: &str, generation: Generation) -> Option<std::sync::Arc<Entry>> {
        if !generation.known() {
            return None;
        }
        let mut lru = self.lru.lock().unwrap_or_else(|p| p.into_inner());
        let fresh = lru.entries.get(key).filter(|e| e.generation == generation && e.made.elapsed() < MAX_AGE).cloned();
        if fresh.is_none() {
            if let Some(stale) = lru.entries.pop(key) {
                lru.bytes = lru.bytes.saturating_sub(stale.weight());
            }
        }
        fresh
    }

    fn put(&self, key: String, entry: Entry) {
        let weight = entry.weight();
        if weight > self.budget / 8 {
            return;
        }
        let mut lru = self.lru.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(old) = lru.entries.put(key, std::sync::Arc::new(entry)) {
            lru.bytes = lru.bytes.saturating_sub(old.weight());
        }
        lru.bytes += weight;
        while lru.bytes > self.budget {
            match lru.entries.pop_lru() {
                Some((_, old)) => lru.bytes = lru.bytes.saturating_sub(old.weight()),
                None => break,
            }
        }
    }
}

/// The middleware (see the module comment).
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    if method != Method::GET && method != Method::HEAD {
        return next.run(req).await;
    }
    let headers = req.headers().clone();
    let anonymous = session_token(&headers).is_none() && !headers.contains_key(header::AUTHORIZATION);
    let key = anonymous.then(|| {
        let path = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
        // Pages answer a JSON client differently (a redirect to the API).
        let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
        format!("{}|{accept}|{path}", request_lang(&headers).code())
    });
    let cache = state.page_cache();
    let generation = match &key {
        Some(_) => cache.generation(&state).await,
        None => Generation::UNKNOWN,
    };
    if let Some(entry) = key.as_deref().and_then(|k| cache.get(k, generation)) {
        cache.hits.fetch_add(1, Ordering::Relaxed);
        return from_entry(&entry, &headers, method == Method::HEAD);
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::OK {
        return res;
    }
    let small = res.body().size_hint().upper().is_some_and(|n| n <= MAX_TAGGED);
    if !small {
        return res;
    }
    // A HEAD answer has no body to keep; only a GET fills the cache.
    let cacheable = anonymous
        && method == Method::GET
        && res.extensions().get::<Cacheable>().is_some()
        && !res.headers().contains_key(header::SET_COOKIE)
        && !res.headers().contains_key(header::CONTENT_ENCODING);
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::try_from(MAX_TAGGED).unwrap_or(usize::MAX)).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let etag = match parts.headers.get(header::ETAG).and_then(|v| v.to_str().ok()) {
        Some(own) => own.to_owned(),
        None => body_etag(&bytes),
    };
    if let (true, Some(key)) = (cacheable, key) {
        cache.misses.fetch_add(1, Ordering::Relaxed);
        let mut kept = HeaderMap::new();
        for (name, value) in &parts.headers {
            if name != header::CONTENT_LENGTH && name != header::DATE {
                kept.append(name.clone(), value.clone());
            }
        }
        let entry = Entry {
            generation,
            made: Instant::now(),
            last_modified: SystemTime::now(),
            etag,
            headers: kept,
            gzip: gzip(&bytes),
            body: bytes,
        };
        let res = from_entry(&entry, &headers, method == Method::HEAD);
        if generation.known() {
            cache.put(key, entry);
        }
        return res;
    }
    set(&mut parts.headers, header::ETAG, &etag);
    // Signed in, or setting a cookie: nothing shared may keep it (unless the
    // handler said otherwise: versioned static files, `no-store` metrics).
    let private = !anonymous || parts.headers.contains_key(header::SET_COOKIE);
    if private && !parts.headers.contains_key(header::CACHE_CONTROL) {
        set(&mut parts.headers, header::CACHE_CONTROL, PRIVATE);
    }
    append_vary(&mut parts.headers);
    if not_modified(&headers, &etag, None) {
        return not_modified_response(parts.headers);
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn from_entry(entry: &Entry, req: &HeaderMap, head: bool) -> Response {
    let gzip = entry.gzip.as_ref().filter(|_| accepts_gzip(req));
    let etag = match gzip {
        Some(_) => gzip_etag(&entry.etag),
        None => entry.etag.clone(),
    };
    let mut headers = entry.headers.clone();
    set(&mut headers, header::ETAG, &etag);
    set(&mut headers, header::LAST_MODIFIED, &httpdate::fmt_http_date(entry.last_modified));
    set(&mut headers, header::CACHE_CONTROL, PUBLIC);
    append_vary(&mut headers);
    if entry.gzip.is_some() {
        headers.append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    if not_modified(req, &etag, Some(entry.last_modified)) {
        return not_modified_response(headers);
    }
    let body = match gzip {
        Some(z) => {
            set(&mut headers, header::CONTENT_ENCODING, "gzip");
            z.clone()
        }
        None => entry.body.clone(),
    };
    set(&mut headers, header::CONTENT_LENGTH, &body.len().to_string());
    let mut res = if head { Response::new(Body::empty()) } else { Response::new(Body::from(body)) };
    *res.headers_mut() = headers;
    res
}

fn not_modified_response(mut headers: HeaderMap) -> Response {
    for name in [header::CONTENT_LENGTH, header::CONTENT_ENCODING] {
        headers.remove(name);
    }
    let mut res = Response::new(Body::empty());
    *res.status_mut() = StatusCode::NOT_MODIFIED;
    *res.headers_mut() = headers;
    res
}

/// RFC 9110 §13.1: `If-None-Match` (weak comparison) decides when present;
/// else `If-Modified-Since`, when the answer has a date.
fn not_modified(req: &HeaderMap, etag: &str, modified: Option<SystemTime>) -> bool {
    if let Some(inm) = req.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        let ours = etag.trim_start_matches("W/");
        return inm.split(',').map(str::trim).any(|t| t == "*" || t.trim_start_matches("W/") == ours);
    }
    match (modified, req.get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok())) {
        (Some(modified), Some(since)) => httpdate::parse_http_date(since).is_ok_and(|since| {
            // HTTP dates have whole seconds.
            modified.duration_since(since).map_or(true, |d| d < Duration::from_secs(1))
        }),
        _ => false,
    }
}

fn accepts_gzip(req: &HeaderMap) -> bool {
    req.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).any(|v| {
        v.split(',').any(|part| {
            let mut bits = part.split(';');
            let name = bits.next().unwrap_or("").trim();
            let refused = bits.any(|p| p.trim().replace(' ', "") == "q=0");
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
    })
}

fn body_etag(bytes: &[u8]) -> String {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    format!("\"{:016x}-{:x}\"", h.finish(), bytes.len())
}

fn gzip_etag(etag: &str) -> String {
    match etag.strip_suffix('"') {
        Some(open) => format!("{open}-gz\""),
        None => format!("{etag}-gz"),
    }
}

/// A gzip copy, when it is smaller (level 6: made once, served many times).
fn gzip(bytes: &[u8]) -> Option<Bytes> {
    if bytes.len() < 256 {
        return None;
    }
    let mut z = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), flate2::Compression::new(6));
    z.write_all(bytes).ok()?;
    let out = z.finish().ok()?;
    (out.len() < bytes.len()).then(|| Bytes::from(out))
}

fn set(headers: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        headers.insert(name, v);
    }
}

fn append_vary(headers: &mut HeaderMap) {
    headers.append(header::VARY, HeaderValue::from_static(VARY));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (n, v) in pairs {
            h.insert(n.clone(), HeaderValue::from_str(v).unwrap_or(HeaderValue::from_static("")));
        }
        h
    }

    #[test]
    fn validators() {
        let etag = body_etag(b"hello");
        assert!(not_modified(&req(&[(header::IF_NONE_MATCH, &etag)]), &etag, None));
        assert!(not_modified(&req(&[(header::IF_NONE_MATCH, &format!("\"x\", W/{etag}"))]), &etag, None));
        assert!(!not_modified(&req(&[(header::IF_NONE_MATCH, "\"other\"")]), &etag, None));
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let same = httpdate::fmt_http_date(t);
        let before = httpdate::fmt_http_date(t - Duration::from_secs(5));
        assert!(not_modified(&req(&[(header::IF_MODIFIED_SINCE, &same)]), &etag, Some(t)));
        assert!(!not_modified(&req(&[(header::IF_MODIFIED_SINCE, &before)]), &etag, Some(t)));
        // If-None-Match decides when both are sent.
        let both = req(&[(header::IF_NONE_MATCH, "\"other\""), (header::IF_MODIFIED_SINCE, &same)]);
        assert!(!not_modified(&both, &etag, Some(t)));
        assert_eq!(gzip_etag("\"abc\""), "\"abc-gz\"");
    }

    #[test]
    fn encodings() {
        assert!(accepts_gzip(&req(&[(header::ACCEPT_ENCODING, "gzip, deflate, br")])));
        assert!(accepts_gzip(&req(&[(header::ACCEPT_ENCODING, "*")])));
        assert!(!accepts_gzip(&req(&[(header::ACCEPT_ENCODING, "gzip;q=0, br")])));
        assert!(!accepts_gzip(&req(&[(header::ACCEPT_ENCODING, "identity")])));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn the_budget_evicts_the_least_recently_used() {
        let cache = PageCache::new(8 * 3000);
        let entry = |n: usize| Entry {
            generation: Generation { head: 1, indexed: 1 },
            made: Instant::now(),
            last_modified: SystemTime::now(),
            etag: "\"e\"".into(),
            headers: HeaderMap::new(),
            body: Bytes::from(vec![b'x'; n]),
            gzip: None,
        };
        for i in 0..20 {
            cache.put(format!("k{i}"), entry(2000));
        }
        let lru = cache.lru.lock().unwrap_or_else(|p| p.into_inner());
        assert!(lru.bytes <= 8 * 3000);
        assert!(lru.entries.contains("k19") && !lru.entries.contains("k0"));
        drop(lru);
        assert!(cache.get("k19", Generation { head: 2, indexed: 1 }).is_none(), "another generation is never served");
        assert!(cache.get("k18", Generation { head: 1, indexed: 2 }).is_none(), "nor another index position");
        assert!(cache.get("k17", Generation { head: 1, indexed: 1 }).is_some());
    }
}
