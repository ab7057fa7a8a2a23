//! `/api/v1/harvest-sources`: how harvesting each peer went (administrators).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use lumbung_core::permissions;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, Problem};
use crate::extract::MaybeUser;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/harvest-sources", get(list))
}

/// A harvested peer: its last harvest and totals.
#[derive(Debug, Serialize, ToSchema)]
pub struct HarvestSourceView {
    /// Peer id, or the base URL of a one-off harvest.
    pub source: String,
    pub base_url: String,
    /// The peer's response date of the last complete harvest (the next one starts there, less an overlap).
    pub last_response_date: Option<String>,
    pub last_attempt_at: Option<String>,
    pub last_success_at: Option<String>,
    /// Why the last attempt failed; null after a success.
    pub last_error: Option<String>,
    pub records_seen: i64,
    pub created: i64,
    pub updated: i64,
    pub withdrawn: i64,
    pub rejected: i64,
}

/// Every harvest source with its state (administrators).
#[utoipa::path(get, path = "/api/v1/harvest-sources", tag = "federation", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<HarvestSourceView>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list(State(state): State<AppState>, user: MaybeUser) -> Result<Json<Vec<HarvestSourceView>>, ApiError> {
    let actor = user.require()?;
    if !permissions::can_manage_accounts(&actor) {
        return Err(ApiError::Forbidden("harvesting is watched by administrators".into()));
    }
    let sources = state.store().harvest_sources().await?;
    Ok(Json(
        sources
            .into_iter()
            .map(|s| HarvestSourceView {
                source: s.source,
                base_url: s.base_url,
                last_response_date: s.last_response_date,
                last_attempt_at: s.last_attempt_at,
                last_success_at: s.last_success_at,
                last_error: s.last_error,
                records_seen: s.records_seen,
                created: s.created,
                updated: s.updated,
                withdrawn: s.withdrawn,
                rejected: s.rejected,
            })
            .collect(),
    ))
}
