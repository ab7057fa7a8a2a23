//! Moderation through the API: flag a post, hide or restore it, lock or
//! unlock a thread, suspend an account's posting, the review queue, the
//! audit log, the decisions about oneself and their appeals, and the appeals
//! a moderator decides.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use lumbung_store::{ModerationAction, QueueItem};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::threads::rfc3339;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, MaybeUser};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/posts/{id}/flags", post(flag_post))
        .route("/api/v1/posts/{id}/moderation", post(moderate_post))
        .route("/api/v1/threads/{id}/moderation", post(moderate_thread))
        .route("/api/v1/accounts/{id}/suspension", post(suspend))
        .route("/api/v1/moderation/queue", get(queue))
        .route("/api/v1/moderation/log", get(log))
        .route("/api/v1/moderation/mine", get(mine))
        .route("/api/v1/moderation/{id}/appeal", post(appeal))
        .route("/api/v1/moderation/appeals", get(appeals))
        .route("/api/v1/moderation/{id}/appeal/decision", post(decide_appeal))
}

/// A moderation decision (an entry of the audit log).
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionView {
    pub id: String,
    /// hide, restore, lock, unlock or suspend.
    pub action: String,
    pub post_id: Option<String>,
    pub thread_id: Option<String>,
    /// The account the decision is about.
    pub subject_id: Option<String>,
    /// Who decided; null when flags hid the post automatically.
    pub moderator: Option<String>,
    pub automatic: bool,
    pub reason: String,
    pub until: Option<String>,
    pub created_at: String,
    /// The appeal's state (open, upheld, overturned), if appealed.
    pub appeal: Option<String>,
    /// The appeal's text, if appealed.
    pub appeal_body: Option<String>,
    /// Why the appeal was decided as it was, once decided.
    pub appeal_note: Option<String>,
}

impl From<ModerationAction> for ActionView {
    fn from(a: ModerationAction) -> Self {
        ActionView {
            automatic: a.moderator_id.is_none(),
            id: a.id,
            action: a.action,
            post_id: a.post_id,
            thread_id: a.thread_id,
            subject_id: a.subject_id,
            moderator: a.moderator_name,
            reason: a.reason,
            until: a.until.map(rfc3339),
            created_at: rfc3339(a.created_at),
            appeal_body: a.appeal.as_ref().map(|p| p.body.clone()),
            appeal_note: a.appeal.as_ref().and_then(|p| p.note.clone()),
            appeal: a.appeal.map(|p| p.state),
        }
    }
}

/// A flag.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FlagInput {
    /// spam, offensive, off_topic or other.
    pub reason: String,
    /// Required with `other`.
    pub note: Option<String>,
}

/// What a flag did.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlagView {
    /// Unreviewed flags on the post.
    pub flags: i64,
    /// Whether the post is now hidden pending review.
    pub hidden: bool,
}

/// Flag a post (once per account); enough flags hide it pending review.
#[utoipa::path(post, path = "/api/v1/posts/{id}/flags", tag = "moderation", request_body = FlagInput,
    params(("id" = String, Path, description = "Post id")), security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = FlagView), (status = 401, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn flag_post(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<(StatusCode, Json<FlagView>), ApiError> {
    let actor = user.require()?;
    let req: FlagInput = body.parse(&["reason", "note"])?;
    let outcome = state.app().flag_post(&actor, &id, &req.reason, req.note).await?;
    Ok((StatusCode::CREATED, Json(FlagView { flags: outcome.flags, hidden: outcome.hidden })))
}

/// A moderator's decision.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionInput {
    /// For a post: hide or restore; for a thread: lock or unlock.
    pub decision: String,
    /// Why; the author is told.
    pub reason: String,
}

/// Hide or restore a post, with a reason (the moderators of where it is).
#[utoipa::path(post, path = "/api/v1/posts/{id}/moderation", tag = "moderation", request_body = DecisionInput,
    params(("id" = String, Path, description = "Post id")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ActionView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn moderate_post(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<ActionView>, ApiError> {
    let actor = user.require()?;
    let req: DecisionInput = body.parse(&["decision", "reason"])?;
    Ok(Json(state.app().moderate_post(&actor, &id, &req.decision, Some(req.reason)).await?.into()))
}

/// Lock or unlock a thread, with a reason (its moderators).
#[utoipa::path(post, path = "/api/v1/threads/{id}/moderation", tag = "moderation", request_body = DecisionInput,
    params(("id" = String, Path, description = "Thread id")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ActionView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn moderate_thread(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<ActionView>, ApiError> {
    let actor = user.require()?;
    let req: DecisionInput = body.parse(&["decision", "reason"])?;
    Ok(Json(state.app().moderate_thread(&actor, &id, &req.decision, Some(req.reason)).await?.into()))
}

/// A suspension of posting.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SuspensionInput {
    /// Until when (RFC 3339), in the future.
    pub until: String,
    /// Why; the account is told.
    pub reason: String,
}

/// Suspend an account's posting until a time (curators and administrators).
#[utoipa::path(post, path = "/api/v1/accounts/{id}/suspension", tag = "moderation", request_body = SuspensionInput,
    params(("id" = String, Path, description = "Account id")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ActionView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn suspend(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<ActionView>, ApiError> {
    let actor = user.require()?;
    if !lumbung_core::dialogue::can_suspend(&actor) {
        return Err(ApiError::Forbidden("curators and administrators suspend posting".into()));
    }
    let req: SuspensionInput = body.parse(&["until", "reason"])?;
    let until = time::OffsetDateTime::parse(&req.until, &time::format_description::well_known::Rfc3339)
        .map_err(|_| ApiError::field("until", "invalid", "an RFC 3339 time, e.g. 2030-01-31T00:00:00Z"))?;
    Ok(Json(state.app().suspend_posting(&actor, &id, until, Some(req.reason)).await?.into()))
}

/// A post waiting for review.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueItemView {
    pub post_id: String,
    pub thread_id: String,
    pub thread_title: String,
    pub author_name: String,
    pub body: String,
    /// Whether flags have hidden it pending review.
    pub hidden: bool,
    /// Unreviewed flags' reasons.
    pub flags: Vec<String>,
}

impl From<QueueItem> for QueueItemView {
    fn from(q: QueueItem) -> Self {
        QueueItemView {
            post_id: q.post_id,
            thread_id: q.thread_id,
            thread_title: q.thread_title,
            author_name: q.author_name,
            body: q.body,
            hidden: q.hidden_by.is_some(),
            flags: q.flags.into_iter().map(|(r, _)| r).collect(),
        }
    }
}

/// Flagged posts in the places the caller moderates.
#[utoipa::path(get, path = "/api/v1/moderation/queue", tag = "moderation",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<QueueItemView>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn queue(State(state): State<AppState>, user: MaybeUser) -> Result<Json<Vec<QueueItemView>>, ApiError> {
    let actor = user.require()?;
    if !state.app().is_moderator(&actor).await? {
        return Err(ApiError::Forbidden("the queue is for moderators".into()));
    }
    Ok(Json(state.app().moderation_queue(&actor).await?.into_iter().map(QueueItemView::from).collect()))
}

/// The audit log of every moderation action (curators and administrators).
#[utoipa::path(get, path = "/api/v1/moderation/log", tag = "moderation",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<ActionView>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn log(State(state): State<AppState>, user: MaybeUser) -> Result<Json<Vec<ActionView>>, ApiError> {
    let actor = user.require()?;
    Ok(Json(state.app().moderation_log(&actor).await?.into_iter().map(ActionView::from).collect()))
}

/// The decisions about the caller.
#[utoipa::path(get, path = "/api/v1/moderation/mine", tag = "moderation",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<ActionView>), (status = 401, body = Problem)))]
pub async fn mine(State(state): State<AppState>, user: MaybeUser) -> Result<Json<Vec<ActionView>>, ApiError> {
    let actor = user.require()?;
    Ok(Json(state.app().decisions_about_me(&actor).await?.into_iter().map(ActionView::from).collect()))
}

/// An appeal.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AppealInput {
    /// Why the decision should change.
    pub body: String,
}

/// Appeal a decision about the caller (once).
#[utoipa::path(post, path = "/api/v1/moderation/{id}/appeal", tag = "moderation", request_body = AppealInput,
    params(("id" = String, Path, description = "Decision id")), security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn appeal(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<StatusCode, ApiError> {
    let actor = user.require()?;
    let req: AppealInput = body.parse(&["body"])?;
    state.app().appeal(&actor, &id, Some(req.body)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Open appeals against decisions in the places the caller moderates, but not the caller's own decisions.
#[utoipa::path(get, path = "/api/v1/moderation/appeals", tag = "moderation",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<ActionView>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn appeals(State(state): State<AppState>, user: MaybeUser) -> Result<Json<Vec<ActionView>>, ApiError> {
    let actor = user.require()?;
    if !state.app().is_moderator(&actor).await? {
        return Err(ApiError::Forbidden("appeals are decided by moderators".into()));
    }
    Ok(Json(state.app().appeals_to_decide(&actor).await?.into_iter().map(ActionView::from).collect()))
}

/// A decision on an appeal.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AppealDecisionInput {
    /// uphold (the decision stands) or overturn (it is undone).
    pub decision: String,
    /// Why; the author is told.
    pub reason: String,
}

/// Decide the appeal against a decision (the moderators of where it was taken; never its subject nor the moderator who took it).
#[utoipa::path(post, path = "/api/v1/moderation/{id}/appeal/decision", tag = "moderation",
    request_body = AppealDecisionInput,
    params(("id" = String, Path, description = "Decision id")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ActionView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decide_appeal(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<ActionView>, ApiError> {
    let actor = user.require()?;
    let req: AppealDecisionInput = body.parse(&["decision", "reason"])?;
    Ok(Json(state.app().decide_appeal(&actor, &id, &req.decision, Some(req.reason)).await?.into()))
}
