//! `/api/v1/accounts`: accounts and roles, kept by administrators.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use lumbung_core::{Account, Actor, Role, permissions};
use serde::Deserialize;
use utoipa::ToSchema;

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
    /// The country a delegate represents (ISO 3166-1 alpha-2): required for
    /// the role `delegate`, refused for any other.
    pub delegation: Option<String>,
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
    /// A delegate's country (ISO 3166-1 alpha-2), or null to clear it;
    /// a role other than `delegate` drops it.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub delegation: Option<String>,
    pub disabled: Option<bool>,
}

impl From<AccountCreate> for lumbung_app::NewAccountRequest {
    fn from(r: AccountCreate) -> Self {
        lumbung_app::NewAccountRequest {
            email: r.email,
            name: r.name,
            role: r.role,
            organisation: r.organisation,
            delegation: r.delegation,
            password: r.password,
        }
    }
}

impl AccountUpdate {
    /// The change to make; `organisation` and `delegation` as read from the
    /// body (`Some(None)` clears one).
    pub fn into_change(
        self,
        organisation: Option<Option<String>>,
        delegation: Option<Option<String>>,
    ) -> lumbung_app::AccountChange {
        lumbung_app::AccountChange {
            name: self.name,
            role: self.role,
            organisation,
            delegation,
            disabled: self.disabled,
        }
    }
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
    let req: AccountCreate = body.parse(&["email", "name", "role", "organisation", "delegation", "password"])?;
    let account = state.app().create_account(Some(&actor), req.into()).await?;
    Ok((StatusCode::CREATED, Json(account)))
}

/// Change an account's name, role, organisation, delegation or disabled flag
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
    let mut nullable = |field: &str, what: &str| match body.0.remove(field) {
        None => Ok(None),
        Some(serde_json::Value::Null) => Ok(Some(None)),
        Some(serde_json::Value::String(s)) => Ok(Some(Some(s))),
        Some(_) => Err(ApiError::field(field, "invalid", format!("{what} or null"))),
    };
    let organisation = nullable("organisation", "an organisation id")?;
    let delegation = nullable("delegation", "a country code")?;
    for f in ["id", "email", "created_at", "updated_at"] {
        body.0.remove(f);
    }
    let req: AccountUpdate = body.parse(&["name", "role", "disabled"])?;
    let account = state.app().update_account(&actor, &id, version, req.into_change(organisation, delegation)).await?;
    Ok(Json(account))
}
