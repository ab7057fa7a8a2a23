//! `/api/v1/organisations`: list and read (everyone), create and update (curators, administrators).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use lumbung_core::{Organisation, OrganisationContent, permissions};

use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, MaybeUser};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/organisations", get(list_organisations).post(create_organisation))
        .route("/api/v1/organisations/{id}", get(get_organisation).put(update_organisation))
}

const FIELDS: [&str; 7] = ["name", "acronym", "org_type", "level_of_government", "country", "parent", "website"];
const READ_ONLY: [&str; 4] = ["id", "version", "created_at", "updated_at"];

/// Every organisation on the node.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations", responses((status = 200, body = Vec<Organisation>)))]
pub async fn list_organisations(State(state): State<AppState>) -> Result<Json<Vec<Organisation>>, ApiError> {
    Ok(Json(state.store().list_organisations().await?))
}

/// One organisation.
#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "organisations",
    params(("id" = String, Path, description = "Organisation id (slug)")),
    responses((status = 200, body = Organisation), (status = 404, body = Problem)))]
pub async fn get_organisation(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Organisation>, ApiError> {
    state.store().get_organisation(&id).await?.map(Json).ok_or(ApiError::NotFound)
}

fn require_editor(user: &MaybeUser) -> Result<lumbung_core::Actor, ApiError> {
    let actor = user.require()?;
    if !permissions::can_manage_organisations(&actor) {
        return Err(ApiError::Forbidden("organisations are kept by curators and administrators".into()));
    }
    Ok(actor)
}

/// Add an organisation. Send its `id` (a slug such as `kemenpan-rb`).
#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations", request_body = OrganisationContent,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Organisation), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_organisation(
    State(state): State<AppState>,
    user: MaybeUser,
    mut body: JsonBody,
) -> Result<Response, ApiError> {
    let actor = require_editor(&user)?;
    let id = body.take_string("id")?.map(|s| s.trim().to_owned()).unwrap_or_default();
    for f in ["version", "created_at", "updated_at"] {
        body.0.remove(f);
    }
    let content = body.parse::<OrganisationContent>(&FIELDS)?;
    let org = state
        .app()
        .create_organisation(Some(&actor), id, content)
        .await
        .map_err(ApiError::from)
        .map_err(parent_loop)?;
    let location = format!("/api/v1/organisations/{}", org.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(org)).into_response())
}

/// Replace an organisation's details; send the `version` you edited.
#[utoipa::path(put, path = "/api/v1/organisations/{id}", tag = "organisations", request_body = OrganisationContent,
    params(("id" = String, Path, description = "Organisation id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Organisation), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update_organisation(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    mut body: JsonBody,
) -> Result<Json<Organisation>, ApiError> {
    let actor = require_editor(&user)?;
    let version = crate::extract::if_match_version(&headers)?
        .or(body.take_i64("version")?)
        .ok_or(ApiError::PreconditionRequired)?;
    for f in READ_ONLY {
        body.0.remove(f);
    }
    let content = body.parse::<OrganisationContent>(&FIELDS)?;
    Ok(Json(
        state
            .app()
            .update_organisation(&actor, &id, version, content)
            .await
            .map_err(ApiError::from)
            .map_err(parent_loop)?,
    ))
}

/// A parent that is the organisation itself or one of its descendants
/// conflicts with the stored tree: 409 over the API (the field is named).
fn parent_loop(e: ApiError) -> ApiError {
    match e {
        ApiError::Invalid(errors)
            if !errors.errors.is_empty()
                && errors.errors.iter().all(|f| f.field == "parent" && f.code == "invalid") =>
        {
            ApiError::ParentLoop(errors)
        }
        other => other,
    }
}
