//! Outcomes and action items of events: `PUT /api/v1/events/{id}/outcome`,
//! `/api/v1/events/{id}/actions` (list, add), `/api/v1/actions` (list, with
//! `overdue=true`) and `PUT /api/v1/actions/{id}`. Reading is open to all;
//! writing to curators and administrators.

use axum::extract::{Path, RawQuery, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use lumbung_core::event::{ActionItem, ActionItemContent, ActionStatus, Outcome};
use lumbung_store::ActionFilter;
use serde::Serialize;
use utoipa::ToSchema;

use super::events::{EventView, rfc3339};
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, MaybeUser, query_pairs};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/events/{id}/outcome", put(record_outcome))
        .route("/api/v1/events/{id}/actions", get(event_actions).post(create_action))
        .route("/api/v1/actions", get(list_actions))
        .route("/api/v1/actions/{id}", put(update_action))
}

/// An action item as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionItemView {
    pub id: String,
    pub event_id: String,
    pub what: String,
    /// The owner organisation's id.
    pub owner: String,
    pub due_on: String,
    pub status: ActionStatus,
    pub cases: Vec<String>,
    /// Open and past its due date.
    pub overdue: bool,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<ActionItem> for ActionItemView {
    fn from(a: ActionItem) -> Self {
        ActionItemView {
            overdue: a.overdue(lumbung_core::clock::today()),
            id: a.id,
            event_id: a.event_id,
            what: a.content.what,
            owner: a.content.owner,
            due_on: a.content.due_on,
            status: a.content.status,
            cases: a.content.cases,
            version: a.version,
            created_at: rfc3339(a.created_at),
            updated_at: rfc3339(a.updated_at),
        }
    }
}

fn require_manager(user: &MaybeUser) -> Result<lumbung_core::Actor, ApiError> {
    let actor = user.require()?;
    if !lumbung_core::permissions::can_manage_events(&actor) {
        return Err(ApiError::Forbidden("outcomes and action items are kept by curators and administrators".into()));
    }
    Ok(actor)
}

fn version(headers: &HeaderMap, body: &mut JsonBody) -> Result<i64, ApiError> {
    crate::extract::if_match_version(headers)?.or(body.take_i64("version")?).ok_or(ApiError::PreconditionRequired)
}

/// Record what came out of an event (replaces the outcome); send the event's `version`.
#[utoipa::path(put, path = "/api/v1/events/{id}/outcome", tag = "events", request_body = Outcome,
    params(("id" = String, Path, description = "Event id (a ULID)")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = EventView), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn record_outcome(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    mut body: JsonBody,
) -> Result<Json<EventView>, ApiError> {
    let actor = require_manager(&user)?;
    let v = version(&headers, &mut body)?;
    let outcome = body.parse::<Outcome>(&["summary", "minutes", "decisions"])?;
    let e = state.app().record_outcome(Some(&actor), &id, v, outcome).await?;
    let base = state.settings().base_url.trim_end_matches('/').to_owned();
    let counts = state.store().registrations(&e.id).await?;
    Ok(Json(super::events::view(e, &base, true, Some(counts), None)))
}

/// The action items of one event.
#[utoipa::path(get, path = "/api/v1/events/{id}/actions", tag = "events",
    params(("id" = String, Path, description = "Event id (a ULID)")),
    responses((status = 200, body = Vec<ActionItemView>), (status = 404, body = Problem)))]
pub async fn event_actions(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<ActionItemView>>, ApiError> {
    state.app().event(&id).await?;
    let items = state.store().action_items(&ActionFilter { event_id: Some(id), ..Default::default() }).await?;
    Ok(Json(items.into_iter().map(ActionItemView::from).collect()))
}

/// Add an action item to an event.
#[utoipa::path(post, path = "/api/v1/events/{id}/actions", tag = "events", request_body = ActionItemContent,
    params(("id" = String, Path, description = "Event id (a ULID)")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = ActionItemView), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 422, body = Problem)))]
pub async fn create_action(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let actor = require_manager(&user)?;
    let content = body.parse::<ActionItemContent>(&ActionItemContent::FIELDS)?;
    let a = state.app().create_action_item(Some(&actor), &id, content).await?;
    let location = format!("/api/v1/actions/{}", a.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(ActionItemView::from(a))).into_response())
}

/// Replace an action item (mark it done or dropped); send its `version`.
#[utoipa::path(put, path = "/api/v1/actions/{id}", tag = "events", request_body = ActionItemContent,
    params(("id" = String, Path, description = "Action item id (a ULID)")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ActionItemView), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update_action(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    mut body: JsonBody,
) -> Result<Json<ActionItemView>, ApiError> {
    let actor = require_manager(&user)?;
    let v = version(&headers, &mut body)?;
    for f in ["id", "event_id", "overdue", "created_at", "updated_at"] {
        body.0.remove(f);
    }
    let content = body.parse::<ActionItemContent>(&ActionItemContent::FIELDS)?;
    Ok(Json(state.app().update_action_item(Some(&actor), &id, v, content).await?.into()))
}

/// The filter of `/api/v1/actions` and `/events/actions`.
pub fn action_filter(pairs: &[(String, String)]) -> Result<ActionFilter, ApiError> {
    let mut f = ActionFilter::default();
    for (k, v) in pairs {
        let bad = || ApiError::BadRequest(format!("'{v}' is not a valid value of '{k}'"));
        match k.as_str() {
            "owner" => {
                if !lumbung_core::organisation::valid_slug(v) {
                    return Err(bad());
                }
                f.owner = Some(v.clone());
            }
            "status" => f.status = Some(ActionStatus::parse(v).ok_or_else(bad)?),
            "overdue" => match v.as_str() {
                "true" | "1" => f.due_before = Some(lumbung_core::clock::today().to_string()),
                "false" | "0" => {}
                _ => return Err(bad()),
            },
            _ => {}
        }
    }
    Ok(f)
}

/// Action items of every event, by due date: `owner`, `status`, `overdue=true`.
#[utoipa::path(get, path = "/api/v1/actions", tag = "events",
    responses((status = 200, body = Vec<ActionItemView>), (status = 400, body = Problem)))]
pub async fn list_actions(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<ActionItemView>>, ApiError> {
    let f = action_filter(&query_pairs(raw.as_deref()))?;
    Ok(Json(state.store().action_items(&f).await?.into_iter().map(ActionItemView::from).collect()))
}
