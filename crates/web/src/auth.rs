//! Sign-in, sign-out, password changes and API tokens: argon2id password
//! hashes, HttpOnly SameSite=Lax session cookies, bearer tokens, and a limit
//! on failed sign-ins per e-mail and per client address.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::header::{AUTHORIZATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use lumbung_core::Account;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, MaybeUser, SESSION_COOKIE, session_token};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/login", post(login))
        .route("/api/v1/auth/logout", post(logout))
        .route("/api/v1/auth/tokens", post(create_token))
        .route("/api/v1/me", get(me))
        .route("/api/v1/me/password", put(change_password))
}

pub use lumbung_app::passwords::{MAX_PASSWORD, MIN_PASSWORD, new_secret};

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenCreated {
    /// The token; shown once, never stored in clear.
    pub token: String,
    pub label: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Sign in with e-mail and password; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, description = "Signed in; the session cookie is set", body = Account),
              (status = 401, body = Problem), (status = 429, description = "Too many failed attempts", body = Problem)))]
pub async fn login(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let req: LoginRequest = body.parse(&["email", "password"])?;
    let client = connect.map(|Extension(ConnectInfo(addr))| addr.ip());
    let (account, cookie) = sign_in(&state, &req.email, req.password, client).await?;
    let mut res = Json(account).into_response();
    res.headers_mut().insert(SET_COOKIE, cookie);
    Ok(res)
}

/// Checks an e-mail and password (with the failure limit) and opens a session:
/// the account and the session cookie to set. Shared by the API and the sign-in page.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: String,
    client: Option<std::net::IpAddr>,
) -> Result<(Account, HeaderValue), ApiError> {
    let email = email.trim().to_lowercase();
    let mut keys = vec![format!("email:{email}")];
    if let Some(ip) = client {
        keys.push(format!("ip:{ip}"));
    }
    let (max, window) = (state.settings().login_max_failures, state.settings().login_window);
    // Failures are counted in the database, so every instance of the node
    // sees them and round-robin cannot spread attempts over instances.
    if let Some(retry_after) = state.store().sign_in_blocked(&keys, max, window).await? {
        return Err(ApiError::TooManyRequests { retry_after });
    }
    let found = state.store().account_by_email(&email).await?;
    let verified = tokio::task::spawn_blocking(move || match found {
        Some((account, Some(hash))) if !account.disabled && lumbung_app::passwords::verify(&password, &hash) => {
            Some(account)
        }
        Some((_, Some(_))) => None,
        // No account (or no password): spend the same work on a dummy hash,
        // so response times do not tell which e-mails have accounts.
        _ => {
            let _ = lumbung_app::passwords::verify(&password, lumbung_app::passwords::dummy_hash());
            None
        }
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    let Some(account) = verified else {
        state.store().record_sign_in_failure(&keys, window).await?;
        return Err(ApiError::Unauthorized);
    };
    // A success clears the e-mail's count, not the client address's.
    state.store().clear_sign_in_failures(keys.get(..1).unwrap_or_default()).await?;
    let token = new_secret("s_");
    let ttl = state.settings().session_ttl;
    let expires = lumbung_core::clock::now() + ttl;
    state.store().create_session(&account.id, &token, expires).await?;
    Ok((account, session_cookie(&token, ttl.as_secs(), state.settings().secure_cookies)))
}

/// Ends the request's session; the cookie that clears it.
pub async fn sign_out(state: &AppState, headers: &HeaderMap) -> Result<HeaderValue, ApiError> {
    if let Some(token) = session_token(headers) {
        state.store().delete_session(&token).await?;
    }
    Ok(session_cookie("", 0, state.settings().secure_cookies))
}

/// Sign out: ends the session and clears the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204, description = "Signed out")))]
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let cookie = sign_out(&state, &headers).await?;
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut().insert(SET_COOKIE, cookie);
    Ok(res)
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Account), (status = 401, body = Problem)))]
pub async fn me(user: MaybeUser) -> Result<Json<Account>, ApiError> {
    user.0.map(Json).ok_or(ApiError::Unauthorized)
}

/// Changes the signed-in account's password; ends its other sessions.
#[utoipa::path(put, path = "/api/v1/me/password", tag = "auth", request_body = PasswordChange,
    security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "Changed"), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn change_password(
    State(state): State<AppState>,
    user: MaybeUser,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<StatusCode, ApiError> {
    let account = user.0.ok_or(ApiError::Unauthorized)?;
    let req: PasswordChange = body.parse(&["current_password", "new_password"])?;
    // The session this request came with (if it came with one) stays signed in.
    let current_session = if headers.contains_key(AUTHORIZATION) { None } else { session_token(&headers) };
    // A wrong current password is a refused credential (403), not a malformed request.
    state
        .app()
        .change_password(&account, req.current_password, req.new_password, current_session.as_deref())
        .await
        .map_err(|e| match ApiError::from(e) {
            ApiError::Invalid(errors) if errors.errors.iter().any(|f| f.field == "current_password") => {
                ApiError::Forbidden("the current password is not right".into())
            }
            other => other,
        })?;
    Ok(StatusCode::NO_CONTENT)
}

/// Creates an API token for the signed-in account. The token is shown once.
#[utoipa::path(post, path = "/api/v1/auth/tokens", tag = "auth", security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = TokenCreated), (status = 401, body = Problem)))]
pub async fn create_token(
    State(state): State<AppState>,
    user: MaybeUser,
) -> Result<(StatusCode, Json<TokenCreated>), ApiError> {
    let account = user.0.ok_or(ApiError::Unauthorized)?;
    let label = format!("created {}", lumbung_core::clock::now().date());
    let token = state.app().create_token(&account, &label).await?;
    Ok((StatusCode::CREATED, Json(TokenCreated { token, label })))
}

fn session_cookie(token: &str, max_age: u64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let value = format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("lumbung_session=; Max-Age=0"))
}
