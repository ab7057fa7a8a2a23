//! Assembles every feature's router into the node's application, with the
//! layers every request passes: body limit, panic catching, tracing and
//! security headers.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Response, header};
use axum::response::IntoResponse;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::api::{
    accounts, actions, cases, checkins, events, harvest, health, links, nominations, organisations, search,
    vocabularies,
};
use crate::api::{moderation, notifications, posts, resources, rooms, threads};
use crate::error::ApiError;
use crate::state::AppState;
use crate::{auth, calendar, federation, html, metrics, openapi};

/// Largest request body accepted.
pub const MAX_BODY: usize = 1024 * 1024;

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(cases::router())
        .merge(organisations::router())
        .merge(accounts::router())
        .merge(vocabularies::router())
        .merge(search::router())
        .merge(harvest::router())
        .merge(nominations::router())
        .merge(events::router())
        .merge(actions::router())
        .merge(calendar::router())
        .merge(links::router())
        .merge(checkins::router())
        .merge(rooms::router())
        .merge(threads::router())
        .merge(posts::router())
        .merge(moderation::router())
        .merge(notifications::router())
        .merge(resources::router())
        .merge(auth::router())
        .merge(health::router())
        .merge(openapi::router())
        .merge(federation::router())
        .merge(html::router())
        .merge(metrics::router())
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .fallback(html::not_found)
        // After every route: axum keeps the Allow header on these responses.
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| -> Response<axum::body::Body> {
            ApiError::Internal("a handler panicked".into()).into_response()
        }))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::cache::layer))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; \
                 frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            ),
        ))
        .with_state(state)
}
