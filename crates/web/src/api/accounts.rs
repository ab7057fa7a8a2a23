//! `/api/v1/accounts`: accounts and roles, kept by administrators.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use lumbung_core::{Account, Actor, Role, permissions, validate};
use lumbung_store::NewAccount;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{check_password_policy, hash_password};
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, MaybeUser, if_match_version};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/accounts", get(list_accounts).post(create_account))
        .route("/api/v1/accounts/{id}", get(get_account).put(update_account))
}

fn require_admin(user: &MaybeUser) -> Result<Actor, ApiError> {
    let actor = user.require()?;
    if !permissions::can_manage_accounts(&actor) {
        return Err(ApiError::Forbidden("accounts are kept by administrators".into()));
    }
    Ok(actor)
}

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AccountCreate {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation: Option<String>,
    /// At least 10 characters.
    pub password: String,
}

/// Changes to an account; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AccountUpdate {
    pub name: Option<String>,
    pub role: Option<Role>,
    /// An organisation id, or null to clear it.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub organisation: Option<String>,
    pub disabled: Option<bool>,
}

/// Validates a new account (e-mail, name, password policy), hashes its
/// password and stores it: what the API and the administration pages share.
/// The caller has checked that `actor` may manage accounts.
pub async fn create_checked(state: &AppState, actor: &Actor, req: AccountCreate) -> Result<Account, ApiError> {
    let email = req.email.trim().to_lowercase();
    let name = req.name.trim().to_owned();
    let mut errors = validate::ValidationErrors::default();
    if !validate::valid_email(&email) {
        errors.add("email", "invalid", "not an e-mail address");
    }
    if name.is_empty() || name.chars().count() > validate::MAX_SHORT {
        errors.add("name", "required", "a name of 1–200 characters is required");
    }
    if let Err(ApiError::Invalid(e)) = check_password_policy(&req.password) {
        errors.errors.extend(e.errors);
    }
    errors.into_result()?;
    let password = req.password;
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))??;
    Ok(state
        .store()
        .create_account(
            NewAccount { email, name, role: req.role, organisation: req.organisation, password_hash: Some(hash) },
            Some(&actor.account_id),
        )
        .await?)
}

/// Applies an account change after the checks the API and the pages share:
/// administrators cannot disable themselves or drop their own role, and a
/// new name must be 1–200 characters. `organisation`: `Some(None)` clears it.
pub async fn update_checked(
    state: &AppState,
    actor: &Actor,
    id: &str,
    version: i64,
    req: AccountUpdate,
    organisation: Option<Option<String>>,
) -> Result<Account, ApiError> {
    if id == actor.account_id && (req.disabled == Some(true) || req.role.is_some_and(|r| r != Role::Admin)) {
        return Err(ApiError::Forbidden("you cannot disable yourself or drop your own administrator role".into()));
    }
    if let Some(n) = &req.name {
        if n.trim().is_empty() || n.chars().count() > validate::MAX_SHORT {
            return Err(ApiError::field("name", "required", "a name of 1–200 characters is required"));
        }
    }
    Ok(state
        .store()
        .update_account(id, version, req.name, req.role, organisation, req.disabled, Some(&actor.account_id))
        .await?)
}

/// Every account (administrators).
#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<Account>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_accounts(State(state): State<AppState>, user: MaybeUser) -> Result<Json<Vec<Account>>, ApiError> {
    require_admin(&user)?;
    Ok(Json(state.store().list_accounts().await?))
}

/// One account (administrators, or the account itself).
#[utoipa::path(get, path = "/api/v1/accounts/{id}", tag = "accounts", params(("id" = String, Path, description = "Account id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Account), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_account(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
) -> Result<Json<Account>, ApiError> {
    let actor = user.require()?;
    if actor.account_id != id && !permissions::can_manage_accounts(&actor) {
        return Err(ApiError::Forbidden("accounts are kept by administrators".into()));
    }
    state.store().get_account(&id).await?.map(Json).ok_or(ApiError::NotFound)
}

/// Create an account with a role (administrators).
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", request_body = AccountCreate,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Account), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_account(
    State(state): State<AppState>,
    user: MaybeUser,
    body: JsonBody,
) -> Result<(StatusCode, Json<Account>), ApiError> {
    let actor = require_admin(&user)?;
    let req: AccountCreate = body.parse(&["email", "name", "role", "organisation", "password"])?;
    let account = create_checked(&state, &actor, req).await?;
    Ok((StatusCode::CREATED, Json(account)))
}

/// Change an account's name, role, organisation or disabled flag
/// (administrators); send the `version` you edited.
#[utoipa::path(put, path = "/api/v1/accounts/{id}", tag = "accounts", request_body = AccountUpdate,
    params(("id" = String, Path, description = "Account id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Account), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update_account(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    mut body: JsonBody,
) -> Result<Json<Account>, ApiError> {
    let actor = require_admin(&user)?;
    let version = if_match_version(&headers)?.or(body.take_i64("version")?).ok_or(ApiError::PreconditionRequired)?;
    let organisation = match body.0.remove("organisation") {
        None => None,
        Some(serde_json::Value::Null) => Some(None),
        Some(serde_json::Value::String(s)) => Some(Some(s)),
        Some(_) => return Err(ApiError::field("organisation", "invalid", "an organisation id or null")),
    };
    for f in ["id", "email", "created_at", "updated_at"] {
        body.0.remove(f);
    }
    let req: AccountUpdate = body.parse(&["name", "role", "disabled"])?;
    let account = update_checked(&state, &actor, &id, version, req, organisation).await?;
    Ok(Json(account))
}
