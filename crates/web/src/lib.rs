//! Lumbung's HTTP layer: the web interface (server-rendered, bilingual pages),
//! the JSON API under `/api/v1` with its OpenAPI document, browser sessions
//! and API tokens, health checks.
//!
//! Each feature module exposes `router()`; `routes::router` merges them.

pub mod api;
pub mod auth;
pub mod cache;
pub mod error;
pub mod extract;
pub mod federation;
pub mod html;
pub mod mail;
pub mod metrics;
pub mod openapi;
pub mod routes;
pub mod state;

pub use error::ApiError;
pub use routes::router;
pub use state::{AppState, PeerSetting, WebSettings};
