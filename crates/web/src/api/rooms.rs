//! Rooms of the dialogue: list the ones the caller may see, read one, open
//! one (curators), and join, leave, invite and decide on members. A private
//! room answers 404 to anyone who is not in it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use lumbung_app::{NewRoom, RoomAccess};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::threads::rfc3339;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, MaybeUser};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/rooms", get(list_rooms).post(create_room))
        .route("/api/v1/rooms/{slug}", get(get_room))
        .route("/api/v1/rooms/{slug}/join", post(join_room))
        .route("/api/v1/rooms/{slug}/leave", post(leave_room))
        .route("/api/v1/rooms/{slug}/invitations", post(invite))
        .route("/api/v1/rooms/{slug}/members/{account}", post(decide_member))
}

/// A room as the API shows it, with the caller's place in it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoomView {
    pub slug: String,
    /// `public` (anyone reads, members post), `members` (signed-in accounts
    /// read and post) or `private` (a working group: members only).
    pub kind: String,
    pub title: String,
    pub description: String,
    /// The caller's place: requested, invited, member, moderator; null when none.
    pub membership: Option<String>,
    pub can_post: bool,
    pub can_moderate: bool,
    pub created_at: String,
}

impl From<RoomAccess> for RoomView {
    fn from(a: RoomAccess) -> Self {
        RoomView {
            slug: a.room.slug,
            kind: a.room.kind.as_str().to_owned(),
            title: a.room.title,
            description: a.room.description,
            membership: a.membership.map(|m| m.as_str().to_owned()),
            can_post: a.can_post,
            can_moderate: a.can_moderate,
            created_at: rfc3339(a.room.created_at),
        }
    }
}

/// Rooms the caller may see.
#[utoipa::path(get, path = "/api/v1/rooms", tag = "dialogue",
    responses((status = 200, body = Vec<RoomView>)))]
pub async fn list_rooms(State(state): State<AppState>, user: MaybeUser) -> Result<Json<Vec<RoomView>>, ApiError> {
    let rooms = state.app().visible_rooms(user.actor().as_ref()).await?;
    Ok(Json(rooms.into_iter().map(RoomView::from).collect()))
}

/// One room (404 for a private room the caller is not in).
#[utoipa::path(get, path = "/api/v1/rooms/{slug}", tag = "dialogue",
    params(("slug" = String, Path, description = "Room slug")),
    responses((status = 200, body = RoomView), (status = 404, body = Problem)))]
pub async fn get_room(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(slug): Path<String>,
) -> Result<Json<RoomView>, ApiError> {
    Ok(Json(state.app().room_for(user.actor().as_ref(), &slug).await?.into()))
}

/// A room to open.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RoomInput {
    /// 2–64 of a-z, 0-9 and '-'.
    pub slug: String,
    /// public, members or private.
    pub kind: String,
    pub title: String,
    pub description: Option<String>,
}

/// Open a room (curators and administrators); the opener moderates it.
#[utoipa::path(post, path = "/api/v1/rooms", tag = "dialogue", request_body = RoomInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = RoomView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_room(
    State(state): State<AppState>,
    user: MaybeUser,
    body: JsonBody,
) -> Result<(StatusCode, Json<RoomView>), ApiError> {
    let actor = user.require()?;
    if !lumbung_core::dialogue::can_create_room(&actor) {
        return Err(ApiError::Forbidden("rooms are opened by curators and administrators".into()));
    }
    let req: RoomInput = body.parse(&["slug", "kind", "title", "description"])?;
    let room = state
        .app()
        .create_room(&actor, NewRoom { slug: req.slug, kind: req.kind, title: req.title, description: req.description })
        .await?;
    let access = state.app().room_for(Some(&actor), &room.slug).await?;
    Ok((StatusCode::CREATED, Json(access.into())))
}

/// Join: ask to join a public room, or accept an invitation.
#[utoipa::path(post, path = "/api/v1/rooms/{slug}/join", tag = "dialogue",
    params(("slug" = String, Path, description = "Room slug")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = RoomView), (status = 401, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
pub async fn join_room(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(slug): Path<String>,
) -> Result<Json<RoomView>, ApiError> {
    let actor = user.require()?;
    state.app().join_room(&actor, &slug).await?;
    Ok(Json(state.app().room_for(Some(&actor), &slug).await?.into()))
}

/// Leave a room, withdraw a request or decline an invitation.
#[utoipa::path(post, path = "/api/v1/rooms/{slug}/leave", tag = "dialogue",
    params(("slug" = String, Path, description = "Room slug")), security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
pub async fn leave_room(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(slug): Path<String>,
) -> Result<StatusCode, ApiError> {
    let actor = user.require()?;
    state.app().leave_room(&actor, &slug).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An invitation by handle.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InvitationInput {
    /// The invitee's handle (with or without '@').
    pub handle: String,
}

/// The new place of an account in a room.
#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipView {
    /// requested, invited, member or moderator; null when removed.
    pub membership: Option<String>,
}

/// Invite an account into the room (its moderators).
#[utoipa::path(post, path = "/api/v1/rooms/{slug}/invitations", tag = "dialogue", request_body = InvitationInput,
    params(("slug" = String, Path, description = "Room slug")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = MembershipView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn invite(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(slug): Path<String>,
    body: JsonBody,
) -> Result<Json<MembershipView>, ApiError> {
    let actor = user.require()?;
    let req: InvitationInput = body.parse(&["handle"])?;
    let m = state.app().invite_to_room(&actor, &slug, &req.handle).await?;
    Ok(Json(MembershipView { membership: Some(m.as_str().to_owned()) }))
}

/// A moderator's decision about a member.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MemberDecision {
    /// approve (a request), refuse, remove, or moderator (make a member a moderator).
    pub decision: String,
}

/// Decide about an account's place in the room (its moderators).
#[utoipa::path(post, path = "/api/v1/rooms/{slug}/members/{account}", tag = "dialogue", request_body = MemberDecision,
    params(("slug" = String, Path, description = "Room slug"), ("account" = String, Path, description = "Account id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = MembershipView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decide_member(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((slug, account)): Path<(String, String)>,
    body: JsonBody,
) -> Result<Json<MembershipView>, ApiError> {
    let actor = user.require()?;
    let req: MemberDecision = body.parse(&["decision"])?;
    let m = state.app().decide_member(&actor, &slug, &account, &req.decision).await?;
    Ok(Json(MembershipView { membership: m.map(|m| m.as_str().to_owned()) }))
}
