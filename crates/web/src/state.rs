//! The application state every handler shares: the store and the settings.

use std::sync::Arc;
use std::time::Duration;

use lumbung_search::SearchIndex;
use lumbung_store::Store;

/// Web settings taken from the node's configuration.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// The node's display name.
    pub node_name: String,
    /// The node's stable id, e.g. `id.kemenpan`.
    pub node_id: String,
    /// Mark cookies `Secure` (on when the base URL is https).
    pub secure_cookies: bool,
    /// How long a browser session lasts.
    pub session_ttl: Duration,
    /// Failed sign-ins allowed per e-mail and per client address within `login_window`.
    pub login_max_failures: u32,
    pub login_window: Duration,
    /// Public base URL, without a trailing slash (links in feeds, sitemaps, OAI-PMH).
    pub base_url: String,
    /// The administrator's address, published by OAI-PMH Identify.
    pub admin_email: String,
    /// Records per OAI-PMH list page.
    pub oai_page_size: i64,
    /// Upstream nodes curators may nominate cases to.
    pub upstreams: Vec<String>,
    /// The peers this node harvests, as configured (shown to administrators).
    pub peers: Vec<PeerSetting>,
    /// A bearer token that may read `/metrics` (administrators always may).
    pub metrics_token: Option<String>,
    /// Posting limits and the flags that hide a post.
    pub dialogue: lumbung_app::DialogueSettings,
    /// The node's first language: what it writes to an account that chose none.
    pub default_language: String,
    /// The node's check-in interval of published cases, in months.
    pub checkin_months: u32,
}

/// A configured peer, as administrators see it beside its harvest state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerSetting {
    pub id: String,
    pub url: String,
    pub set: Option<String>,
    pub every_minutes: u32,
    /// Harvested on a schedule while serving (else only from the command line).
    pub scheduled: bool,
}

impl Default for WebSettings {
    fn default() -> Self {
        WebSettings {
            node_name: "Lumbung".into(),
            node_id: "local".into(),
            secure_cookies: false,
            session_ttl: Duration::from_secs(14 * 24 * 3600),
            login_max_failures: 5,
            login_window: Duration::from_secs(15 * 60),
            base_url: "http://127.0.0.1:8080".into(),
            admin_email: "admin@lumbung.example".into(),
            oai_page_size: 100,
            upstreams: Vec::new(),
            peers: Vec::new(),
            metrics_token: None,
            dialogue: Default::default(),
            default_language: "en".into(),
            checkin_months: lumbung_core::checkin::DEFAULT_INTERVAL_MONTHS,
        }
    }
}

/// One cloneable handle on everything a request needs.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    app: lumbung_app::App,
    store: Store,
    search: SearchIndex,
    /// Searches running at once: more only queue up memory and latency on a small machine.
    search_slots: tokio::sync::Semaphore,
    settings: WebSettings,
    metrics: crate::metrics::Metrics,
    page_cache: crate::cache::PageCache,
}

impl AppState {
    pub fn new(store: Store, search: SearchIndex, settings: WebSettings) -> AppState {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        let search_slots = tokio::sync::Semaphore::new(cores * 2);
        AppState {
            inner: Arc::new(Inner {
                app: lumbung_app::App::new(
                    store.clone(),
                    lumbung_app::AppSettings {
                        node_id: settings.node_id.clone(),
                        upstreams: settings.upstreams.clone(),
                        dialogue: settings.dialogue.clone(),
                        checkin_months: settings.checkin_months,
                    },
                ),
                store,
                search,
                search_slots,
                settings,
                metrics: Default::default(),
                page_cache: Default::default(),
            }),
        }
    }

    /// The application layer: every use case that changes something.
    pub fn app(&self) -> &lumbung_app::App {
        &self.inner.app
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn search(&self) -> &SearchIndex {
        &self.inner.search
    }

    /// A permit to run one search (waits while the machine is busy with others).
    pub async fn search_slot(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        self.inner.search_slots.acquire().await.ok()
    }

    pub fn metrics(&self) -> &crate::metrics::Metrics {
        &self.inner.metrics
    }

    /// The anonymous page cache (see `cache.rs`).
    pub fn page_cache(&self) -> &crate::cache::PageCache {
        &self.inner.page_cache
    }

    pub fn settings(&self) -> &WebSettings {
        &self.inner.settings
    }
}
