//! Following and the inbox through the API: subscriptions to a case, room,
//! thread, sector or country at a level; notifications and marking them
//! read; the private Atom feed's secret URL (made anew or revoked).

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use lumbung_store::Notification;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::threads::rfc3339;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, MaybeUser, query_pairs};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/subscriptions", get(list_subscriptions).post(subscribe))
        .route("/api/v1/subscriptions/{target}", delete(unsubscribe))
        .route("/api/v1/notifications", get(list_notifications))
        .route("/api/v1/notifications/read", post(read_all))
        .route("/api/v1/notifications/{id}/read", post(read_one))
        .route("/api/v1/notifications/feed", post(new_feed).delete(revoke_feed))
}

/// Something followed.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SubscriptionBody {
    /// `case:ID`, `room:SLUG`, `thread:ID`, `sector:CODE` or `country:CC`.
    pub target: String,
    /// `watching` (every post and change), `normal` (replies and mentions) or `muted`.
    pub level: String,
}

/// What the caller follows.
#[utoipa::path(get, path = "/api/v1/subscriptions", tag = "notifications",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<SubscriptionBody>), (status = 401, body = Problem)))]
pub async fn list_subscriptions(
    State(state): State<AppState>,
    user: MaybeUser,
) -> Result<Json<Vec<SubscriptionBody>>, ApiError> {
    let actor = user.require()?;
    let subs = state.store().subscriptions_of(&actor.account_id).await?;
    Ok(Json(subs.into_iter().map(|s| SubscriptionBody { target: s.target, level: s.level }).collect()))
}

/// Follow a target at a level (replaces an earlier level).
#[utoipa::path(post, path = "/api/v1/subscriptions", tag = "notifications", request_body = SubscriptionBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = SubscriptionBody), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn subscribe(
    State(state): State<AppState>,
    user: MaybeUser,
    body: JsonBody,
) -> Result<Json<SubscriptionBody>, ApiError> {
    let actor = user.require()?;
    let req: SubscriptionBody = body.parse(&["target", "level"])?;
    state.app().subscribe(&actor, &req.target, &req.level).await?;
    Ok(Json(req))
}

/// Stop following a target.
#[utoipa::path(delete, path = "/api/v1/subscriptions/{target}", tag = "notifications",
    params(("target" = String, Path, description = "e.g. room:reform")), security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn unsubscribe(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(target): Path<String>,
) -> Result<StatusCode, ApiError> {
    let actor = user.require()?;
    state.app().unsubscribe(&actor, &target).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationView {
    pub id: String,
    /// reply, mention, quote, thread, post, ask, answer, case_published,
    /// case_changed, case_nominated, checkin_due or moderation.
    pub kind: String,
    pub thread_id: Option<String>,
    pub thread_title: Option<String>,
    pub post_id: Option<String>,
    pub case_id: Option<String>,
    pub actor_name: Option<String>,
    pub created_at: String,
    pub read: bool,
}

impl From<Notification> for NotificationView {
    fn from(n: Notification) -> Self {
        NotificationView {
            id: n.id,
            kind: n.kind,
            thread_id: n.thread_id,
            thread_title: n.thread_title,
            post_id: n.post_id,
            case_id: n.case_id,
            actor_name: n.actor_name,
            created_at: rfc3339(n.created_at),
            read: n.read,
        }
    }
}

/// An inbox page.
#[derive(Debug, Serialize, ToSchema)]
pub struct Inbox {
    pub unread: i64,
    pub items: Vec<NotificationView>,
}

/// The caller's notifications, newest first (`page`, 50 each).
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications",
    params(("page" = Option<i64>, Query, description = "Page, from 1")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Inbox), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn list_notifications(
    State(state): State<AppState>,
    user: MaybeUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<Inbox>, ApiError> {
    let actor = user.require()?;
    let mut page = 1_i64;
    for (k, v) in query_pairs(raw.as_deref()) {
        match (k.as_str(), v.parse::<i64>()) {
            ("page", Ok(n)) if (1..=10_000).contains(&n) => page = n,
            _ => return Err(ApiError::BadRequest(format!("'{v}' is not a valid value for {k}"))),
        }
    }
    let (items, unread) = state.app().inbox(&actor, 50, (page - 1) * 50).await?;
    Ok(Json(Inbox { unread, items: items.into_iter().map(NotificationView::from).collect() }))
}

/// Mark every notification of the caller read.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications",
    security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 401, body = Problem)))]
pub async fn read_all(State(state): State<AppState>, user: MaybeUser) -> Result<StatusCode, ApiError> {
    let actor = user.require()?;
    state.app().mark_read(&actor, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mark one notification read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications",
    params(("id" = String, Path, description = "Notification id")), security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn read_one(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let actor = user.require()?;
    state.app().mark_read(&actor, Some(&id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The private feed's URL (keep it secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedView {
    pub url: String,
}

/// Make a new secret URL for the caller's private Atom feed (the old one stops working).
#[utoipa::path(post, path = "/api/v1/notifications/feed", tag = "notifications",
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = FeedView), (status = 401, body = Problem)))]
pub async fn new_feed(
    State(state): State<AppState>,
    user: MaybeUser,
) -> Result<(StatusCode, Json<FeedView>), ApiError> {
    let actor = user.require()?;
    let secret = state.app().new_feed_secret(&actor).await?;
    let url = format!("{}/feeds/inbox/{secret}.atom", state.settings().base_url);
    Ok((StatusCode::CREATED, Json(FeedView { url })))
}

/// Revoke the caller's private feed.
#[utoipa::path(delete, path = "/api/v1/notifications/feed", tag = "notifications",
    security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 401, body = Problem)))]
pub async fn revoke_feed(State(state): State<AppState>, user: MaybeUser) -> Result<StatusCode, ApiError> {
    let actor = user.require()?;
    state.app().revoke_feed(&actor).await?;
    Ok(StatusCode::NO_CONTENT)
}
