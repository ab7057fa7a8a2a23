//! Check-ins of living cases: the owner confirms that a published case still
//! runs, was scaled up, changed, or was discontinued (when, why, what was
//! learned); each answer is kept as dated status history.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use lumbung_app::CheckinSchedule;
use lumbung_core::checkin::CheckinAnswer;
use lumbung_store::Checkin;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, MaybeUser};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cases/{id}/checkins", get(list_checkins).post(create_checkin))
        .route("/api/v1/cases/{id}/checkin-schedule", get(get_schedule).put(put_schedule))
}

/// A check-in as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckinView {
    pub id: String,
    pub case_id: String,
    /// The date it fell due (or was answered unasked).
    pub due_on: String,
    /// `due` (waiting for the owner) or `answered`.
    pub state: String,
    /// still_running, scaled_up, changed or discontinued.
    pub answer: Option<String>,
    pub what_changed: Option<String>,
    pub discontinued_on: Option<String>,
    /// funding_ended, political_change, legal_barrier, technology, low_uptake, replaced or other.
    pub reason: Option<String>,
    /// What was learned.
    pub lessons: Option<String>,
    pub answered_at: Option<String>,
}

impl From<Checkin> for CheckinView {
    fn from(c: Checkin) -> Self {
        CheckinView {
            id: c.id,
            case_id: c.case_id,
            due_on: c.due_on,
            state: c.state,
            answer: c.answer,
            what_changed: c.what_changed,
            discontinued_on: c.discontinued_on,
            reason: c.reason,
            lessons: c.lessons,
            answered_at: c.answered_at,
        }
    }
}

/// A check-in answer.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct CheckinRequest {
    /// still_running, scaled_up, changed or discontinued.
    pub answer: String,
    /// Required when the answer is `changed`.
    pub what_changed: Option<String>,
    /// Required when discontinued: YYYY-MM-DD, not in the future.
    pub discontinued_on: Option<String>,
    /// Required when discontinued.
    pub reason: Option<String>,
    pub lessons: Option<String>,
}

/// A case's check-ins, newest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/checkins", tag = "diffusion",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = [CheckinView]), (status = 404, body = Problem)))]
pub async fn list_checkins(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<CheckinView>>, ApiError> {
    let actor = user.actor();
    let list = state.app().checkins(actor.as_ref(), &id).await?;
    Ok(Json(list.into_iter().map(CheckinView::from).collect()))
}

/// Answer a check-in: the case still runs, was scaled up, changed, or was
/// discontinued (the case's owner, curators, administrators).
#[utoipa::path(post, path = "/api/v1/cases/{id}/checkins", tag = "diffusion", request_body = CheckinRequest,
    params(("id" = String, Path, description = "Case id")), security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CheckinView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_checkin(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<(StatusCode, Json<CheckinView>), ApiError> {
    let actor = user.require()?;
    state.app().case_to_check_in(&actor, &id).await?;
    let req: CheckinRequest = body.parse(&["answer", "what_changed", "discontinued_on", "reason", "lessons"])?;
    let answer = CheckinAnswer {
        answer: req.answer,
        what_changed: req.what_changed,
        discontinued_on: req.discontinued_on,
        reason: req.reason,
        lessons: req.lessons,
    };
    let c = state.app().check_in(&actor, &id, answer, lumbung_core::clock::today()).await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

/// A case's check-in schedule.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleView {
    /// The case's own interval in months (null: the node's applies).
    pub interval_months: Option<u32>,
    /// The node's interval in months.
    pub default_months: u32,
    /// The interval that applies, in months.
    pub effective_months: u32,
    /// The owners' last confirmation, YYYY-MM-DD.
    pub last_confirmed: Option<String>,
    /// When the next check-in falls due, YYYY-MM-DD (null: the case is not
    /// checked in here — a copy, not published, or discontinued).
    pub next_due: Option<String>,
}

impl From<CheckinSchedule> for ScheduleView {
    fn from(s: CheckinSchedule) -> Self {
        ScheduleView {
            interval_months: s.own_months,
            default_months: s.default_months,
            effective_months: s.months(),
            last_confirmed: s.last_confirmed.map(|d| d.to_string()),
            next_due: s.next_due.map(|d| d.to_string()),
        }
    }
}

/// A case's own check-in interval.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ScheduleRequest {
    /// Months from 1 to 60; null returns to the node's interval.
    pub interval_months: Option<u32>,
}

/// A case's check-in schedule: its own interval or the node's, and when the
/// next check-in falls due.
#[utoipa::path(get, path = "/api/v1/cases/{id}/checkin-schedule", tag = "diffusion",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = ScheduleView), (status = 404, body = Problem)))]
pub async fn get_schedule(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
) -> Result<Json<ScheduleView>, ApiError> {
    let actor = user.actor();
    Ok(Json(state.app().checkin_schedule(actor.as_ref(), &id).await?.into()))
}

/// Set a published case's own check-in interval, or return it to the
/// node's (the case's owner, curators, administrators).
#[utoipa::path(put, path = "/api/v1/cases/{id}/checkin-schedule", tag = "diffusion", request_body = ScheduleRequest,
    params(("id" = String, Path, description = "Case id")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ScheduleView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn put_schedule(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<ScheduleView>, ApiError> {
    let actor = user.require()?;
    state.app().case_to_check_in(&actor, &id).await?;
    let req: ScheduleRequest = body.parse(&["interval_months"])?;
    state.app().set_checkin_interval(&actor, &id, req.interval_months).await?;
    Ok(Json(state.app().checkin_schedule(Some(&actor), &id).await?.into()))
}
