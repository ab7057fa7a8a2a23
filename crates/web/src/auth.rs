//! Sign-in, sign-out, password changes and API tokens: argon2id password
//! hashes, HttpOnly SameSite=Lax session cookies, bearer tokens, and a limit
//! on failed sign-ins per e-mail and per client address.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{ConnectInfo, State};
use axum::http::header::{AUTHORIZATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use lumbung_core::Account;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, MaybeUser, SESSION_COOKIE, session_token};
use crate::state::AppState;

/// Shortest password accepted, in characters.
pub const MIN_PASSWORD: usize = 10;
/// Longest password accepted, in characters.
pub const MAX_PASSWORD: usize = 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/login", post(login))
        .route("/api/v1/auth/logout", post(logout))
        .route("/api/v1/auth/tokens", post(create_token))
        .route("/api/v1/me", get(me))
        .route("/api/v1/me/password", put(change_password))
}

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("hashing failed: {e}")))
}

/// Whether `password` matches the stored hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash of a random password, for equal-time refusals.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&new_secret("")).unwrap_or_default())
}

/// Checks a new password against the policy.
pub fn check_password_policy(password: &str) -> Result<(), ApiError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(ApiError::field(
            "password",
            "too_short",
            format!("a password needs at least {MIN_PASSWORD} characters"),
        ));
    }
    if password.chars().count() > MAX_PASSWORD {
        return Err(ApiError::field(
            "password",
            "too_long",
            format!("a password has at most {MAX_PASSWORD} characters"),
        ));
    }
    Ok(())
}

/// A new random secret: 32 bytes as hex, with a prefix naming its use.
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

/// Counts failed sign-ins in a sliding window, by key.
pub struct LoginLimiter {
    max: u32,
    window: Duration,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginLimiter {
    pub fn new(max: u32, window: Duration) -> LoginLimiter {
        LoginLimiter { max, window, failures: Mutex::new(HashMap::new()) }
    }

    /// Seconds to wait if any key is over the limit.
    pub fn blocked(&self, keys: &[String]) -> Option<u64> {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = None;
        for key in keys {
            if let Some(list) = map.get_mut(key) {
                list.retain(|t| now.duration_since(*t) < self.window);
                if list.len() >= self.max as usize {
                    let oldest = list.iter().min().copied().unwrap_or(now);
                    let secs = self.window.saturating_sub(now.duration_since(oldest)).as_secs().max(1);
                    wait = Some(wait.map_or(secs, |w: u64| w.max(secs)));
                }
            }
        }
        wait
    }

    pub fn record_failure(&self, keys: &[String]) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, list| list.iter().any(|t| now.duration_since(*t) < self.window));
        }
        for key in keys {
            map.entry(key.clone()).or_default().push(now);
        }
    }

    pub fn clear(&self, keys: &[String]) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for key in keys {
            map.remove(key);
        }
    }
}

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
    if let Some(retry_after) = state.limiter().blocked(&keys) {
        return Err(ApiError::TooManyRequests { retry_after });
    }
    let found = state.store().account_by_email(&email).await?;
    let verified = tokio::task::spawn_blocking(move || match found {
        Some((account, Some(hash))) if !account.disabled && verify_password(&password, &hash) => Some(account),
        Some((_, Some(_))) => None,
        // No account (or no password): spend the same work on a dummy hash,
        // so response times do not tell which e-mails have accounts.
        _ => {
            let _ = verify_password(&password, dummy_hash());
            None
        }
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    let Some(account) = verified else {
        state.limiter().record_failure(&keys);
        return Err(ApiError::Unauthorized);
    };
    // A success clears the e-mail's count, not the client address's.
    state.limiter().clear(keys.get(..1).unwrap_or_default());
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
    set_password(&state, &account, req.current_password, req.new_password, current_session.as_deref()).await.map_err(
        |e| match e {
            ApiError::Invalid(errors) if errors.errors.iter().any(|f| f.field == "current_password") => {
                ApiError::Forbidden("the current password is not right".into())
            }
            other => other,
        },
    )?;
    Ok(StatusCode::NO_CONTENT)
}

/// Checks the current password and the policy, then stores the new one and
/// ends the account's other sessions (all but `keep_session`).
pub async fn set_password(
    state: &AppState,
    account: &Account,
    current: String,
    new: String,
    keep_session: Option<&str>,
) -> Result<(), ApiError> {
    check_password_policy(&new).map_err(|e| match e {
        ApiError::Invalid(mut errors) => {
            for error in &mut errors.errors {
                error.field = "new_password".into();
            }
            ApiError::Invalid(errors)
        }
        other => other,
    })?;
    let stored = state.store().account_by_email(&account.email).await?.and_then(|(_, h)| h);
    let hash = tokio::task::spawn_blocking(move || {
        if stored.is_some_and(|h| verify_password(&current, &h)) { hash_password(&new).map(Some) } else { Ok(None) }
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))??;
    let Some(hash) = hash else {
        return Err(ApiError::field("current_password", "invalid", "the current password is not right"));
    };
    state.store().set_password_hash(&account.id, &hash, keep_session).await?;
    Ok(())
}

/// Creates an API token for the signed-in account. The token is shown once.
#[utoipa::path(post, path = "/api/v1/auth/tokens", tag = "auth", security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = TokenCreated), (status = 401, body = Problem)))]
pub async fn create_token(
    State(state): State<AppState>,
    user: MaybeUser,
) -> Result<(StatusCode, Json<TokenCreated>), ApiError> {
    let account = user.0.ok_or(ApiError::Unauthorized)?;
    let token = new_secret("lmb_");
    let label = format!("created {}", lumbung_core::clock::now().date());
    state.store().create_token(&account.id, &token, &label).await?;
    Ok((StatusCode::CREATED, Json(TokenCreated { token, label })))
}

fn session_cookie(token: &str, max_age: u64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let value = format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("lumbung_session=; Max-Age=0"))
}
