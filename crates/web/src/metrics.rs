//! `/metrics` in the Prometheus (OpenMetrics) text format: requests and their
//! latency by route and status, the change log's head and this instance's
//! search-index position (its lag), harvest results per source, background
//! jobs, and the database pools. Not public: it answers to the configured
//! metrics token or an administrator's credentials, and is 404 to anyone else.

use std::time::Instant;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::extract::{MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::error::ApiError;
use crate::extract::MaybeUser;
use crate::state::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SourceLabels {
    source: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    job: String,
    what: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: String,
    state: String,
}

/// The node's metrics; one per process, shared by every request.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    change_log_head: Gauge,
    index_position: Gauge,
    index_lag: Gauge,
    harvest: Family<SourceLabels, Gauge>,
    jobs: Family<JobLabels, Gauge>,
    pools: Family<PoolLabels, Gauge>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("lumbung");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered, by route, method and status", requests.clone());
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0005, 2.0, 14))
        });
        registry.register("http_request_duration_seconds", "Time to answer, by route", latency.clone());
        let change_log_head = Gauge::default();
        registry.register("change_log_head", "The newest change-log sequence number", change_log_head.clone());
        let index_position = Gauge::default();
        registry.register(
            "search_index_position",
            "The change-log position this instance's search index has reached",
            index_position.clone(),
        );
        let index_lag = Gauge::default();
        registry.register(
            "search_index_lag",
            "Change-log entries the search index has not applied yet",
            index_lag.clone(),
        );
        let harvest = Family::<SourceLabels, Gauge>::default();
        registry.register(
            "harvest_records",
            "Harvest totals per source: records seen, created, updated, withdrawn, rejected; failing is 1 after a failed run",
            harvest.clone(),
        );
        let jobs = Family::<JobLabels, Gauge>::default();
        registry.register(
            "jobs",
            "Background jobs: attempts, finished runs, held (1 while an instance holds it)",
            jobs.clone(),
        );
        let pools = Family::<PoolLabels, Gauge>::default();
        registry.register("db_pool_connections", "Database connections by pool, open and idle", pools.clone());
        Metrics { registry, requests, latency, change_log_head, index_position, index_lag, harvest, jobs, pools }
    }
}

impl Metrics {
    fn observe(&self, route: &str, method: &str, status: StatusCode, seconds: f64) {
        let labels =
            RequestLabels { route: route.to_owned(), method: method.to_owned(), status: status.as_u16().to_string() };
        self.requests.get_or_create(&labels).inc();
        self.latency.get_or_create(&RouteLabels { route: route.to_owned() }).observe(seconds);
    }

    /// Reads the gauges' current values from the store and the index.
    async fn refresh(&self, state: &AppState) -> Result<(), ApiError> {
        let store = state.store();
        let head = store.last_change().await?;
        let position = state.search().position();
        self.change_log_head.set(head);
        self.index_position.set(position);
        self.index_lag.set(head.saturating_sub(position).max(0));
        for s in store.harvest_sources().await? {
            for (outcome, n) in [
                ("seen", s.records_seen),
                ("created", s.created),
                ("updated", s.updated),
                ("withdrawn", s.withdrawn),
                ("rejected", s.rejected),
                ("failing", i64::from(s.last_error.is_some())),
            ] {
                self.harvest.get_or_create(&SourceLabels { source: s.source.clone(), outcome: outcome.into() }).set(n);
            }
        }
        for j in store.jobs().await? {
            for (what, n) in [("attempts", j.attempts), ("runs", j.runs), ("held", i64::from(j.holder.is_some()))] {
                self.jobs.get_or_create(&JobLabels { job: j.name.clone(), what: what.into() }).set(n);
            }
        }
        let (read_size, read_idle, write_size, write_idle) = store.pool_usage();
        for (pool, state, n) in [
            ("read", "open", i64::from(read_size)),
            ("read", "idle", read_idle as i64),
            ("write", "open", i64::from(write_size)),
            ("write", "idle", write_idle as i64),
        ] {
            self.pools.get_or_create(&PoolLabels { pool: pool.into(), state: state.into() }).set(n);
        }
        Ok(())
    }
}

/// Counts and times every routed request.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "other".into());
    let method = req.method().as_str().to_owned();
    let res = next.run(req).await;
    state.metrics().observe(&route, &method, res.status(), started.elapsed().as_secs_f64());
    res
}

pub fn router() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics))
}

/// Whether the request may read the metrics: the configured token, or an
/// administrator's token or session. Everything else, bad credentials
/// included, gets the same 404.
async fn allowed(state: &AppState, parts: &mut Parts) -> bool {
    let given = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
        .to_owned();
    if let Some(expected) = state.settings().metrics_token.as_deref().filter(|t| !t.is_empty()) {
        // Compare hashes, so the time taken says nothing about the token.
        if lumbung_store::hash_token(&given) == lumbung_store::hash_token(expected) {
            return true;
        }
    }
    match MaybeUser::from_request_parts(parts, state).await {
        Ok(MaybeUser(Some(a))) => a.role == lumbung_core::Role::Admin && !a.disabled,
        _ => false,
    }
}

async fn metrics(State(state): State<AppState>, mut parts: Parts) -> Result<Response, ApiError> {
    if !allowed(&state, &mut parts).await {
        return Err(ApiError::NotFound);
    }
    let m = state.metrics();
    m.refresh(&state).await?;
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, &m.registry)
        .map_err(|e| ApiError::Internal(format!("metrics: {e}")))?;
    let mut res = text.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}
