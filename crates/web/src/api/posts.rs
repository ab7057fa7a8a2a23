//! Posts of the dialogue: edit one at the version read (its history is
//! kept), translate one, read its history (moderators).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::threads::{PostView, post_view, rfc3339};
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, MaybeUser, if_match_version};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/posts/{id}", put(update_post))
        .route("/api/v1/posts/{id}/translations", post(translate_post))
        .route("/api/v1/posts/{id}/history", get(post_history))
}

/// A post's new text.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PostEdit {
    pub body: String,
    pub language: Option<String>,
    /// The version edited (or send If-Match).
    pub version: Option<i64>,
}

/// Edit a post (its author, or a moderator), at the version read.
#[utoipa::path(put, path = "/api/v1/posts/{id}", tag = "dialogue", request_body = PostEdit,
    params(("id" = String, Path, description = "Post id")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = PostView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
              (status = 428, body = Problem)))]
pub async fn update_post(
    State(state): State<AppState>,
    user: MaybeUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<PostView>, ApiError> {
    let actor = user.require()?;
    let header_version = if_match_version(&headers)?;
    let req: PostEdit = body.parse(&["body", "language", "version"])?;
    let version = req.version.or(header_version).ok_or(ApiError::PreconditionRequired)?;
    let post = state.app().edit_post(&actor, &id, version, &req.body, req.language.as_deref()).await?;
    let translations = state.store().translations(std::slice::from_ref(&post.id)).await?;
    Ok(Json(post_view(post, &translations)))
}

/// A human translation.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TranslationInput {
    pub language: String,
    pub body: String,
}

/// Add a translation of a post into another language (members who may post there).
#[utoipa::path(post, path = "/api/v1/posts/{id}/translations", tag = "dialogue", request_body = TranslationInput,
    params(("id" = String, Path, description = "Post id")), security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn translate_post(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<StatusCode, ApiError> {
    let actor = user.require()?;
    let req: TranslationInput = body.parse(&["language", "body"])?;
    state.app().translate_post(&actor, &id, &req.language, &req.body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One saved state of a post.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostRevisionView {
    pub version: i64,
    pub language: String,
    pub body: String,
    pub edited_by: Option<String>,
    pub created_at: String,
}

/// Every saved state of a post (the moderators of where it is).
#[utoipa::path(get, path = "/api/v1/posts/{id}/history", tag = "dialogue",
    params(("id" = String, Path, description = "Post id")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<PostRevisionView>), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn post_history(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<PostRevisionView>>, ApiError> {
    let actor = user.require()?;
    let revisions = state.app().post_history(&actor, &id).await?;
    Ok(Json(
        revisions
            .into_iter()
            .map(|r| PostRevisionView {
                version: r.version,
                language: r.language,
                body: r.body,
                edited_by: r.edited_by,
                created_at: rfc3339(r.created_at),
            })
            .collect(),
    ))
}
