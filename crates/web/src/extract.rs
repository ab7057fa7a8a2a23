//! Request extractors: the JSON body (with problem-details errors for every
//! way it can be wrong), the signed-in account, and query-string parsing.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, OptionalFromRequest, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE, IF_MATCH};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use lumbung_core::{Account, Actor, ValidationErrors};
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "lumbung_session";

/// A request body that must be a JSON object. Wrong content type: 415;
/// too large: 413; not JSON: 400 with line and column.
#[derive(Debug)]
pub struct JsonBody(pub serde_json::Map<String, serde_json::Value>);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        read_body(req, state).await?.ok_or_else(|| ApiError::BadRequest("the request needs a JSON body".into()))
    }
}

/// An optional body: none at all is fine, anything sent must be a JSON object.
impl<S: Send + Sync> OptionalFromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        read_body(req, state).await
    }
}

async fn read_body<S: Send + Sync>(req: Request, state: &S) -> Result<Option<JsonBody>, ApiError> {
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase());
    let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge
        } else {
            ApiError::BadRequest(format!("could not read the request body: {}", rejection.body_text()))
        }
    })?;
    if bytes.is_empty() && content_type.is_none() {
        return Ok(None);
    }
    let is_json = content_type
        .is_some_and(|m| m == "application/json" || (m.starts_with("application/") && m.ends_with("+json")));
    if !is_json {
        return Err(ApiError::UnsupportedMediaType);
    }
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::BadRequest(format!("malformed JSON at line {} column {}: {e}", e.line(), e.column())))?;
    match value {
        serde_json::Value::Object(map) => Ok(Some(JsonBody(map))),
        _ => Err(ApiError::BadRequest("the body must be a JSON object".into())),
    }
}

impl JsonBody {
    /// Deserialises into `T`, refusing keys outside `allowed` and naming the
    /// path of any value of the wrong type.
    pub fn parse<T: DeserializeOwned>(self, allowed: &[&str]) -> Result<T, ApiError> {
        let mut errors = ValidationErrors::default();
        for key in self.0.keys() {
            if !allowed.contains(&key.as_str()) {
                errors.add(key.clone(), "unknown_field", format!("'{key}' is not a field of this record"));
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::Invalid(errors));
        }
        let mut value = serde_json::Value::Object(self.0);
        whole_numbers(&mut value);
        serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." { "body".to_owned() } else { path };
            ApiError::field(&field, "invalid", e.into_inner().to_string())
        })
    }

    /// Takes an integer field out of the body, if present.
    pub fn take_i64(&mut self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.0.remove(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(mut v @ serde_json::Value::Number(_)) => {
                whole_numbers(&mut v);
                v.as_i64().map(Some).ok_or_else(|| ApiError::field(key, "invalid", "must be a whole number"))
            }
            Some(_) => Err(ApiError::field(key, "invalid", "must be a whole number")),
        }
    }

    /// Takes a string field out of the body, if present.
    pub fn take_string(&mut self, key: &str) -> Result<Option<String>, ApiError> {
        match self.0.remove(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(ApiError::field(key, "invalid", "must be a string")),
        }
    }
}

/// Writes numbers with no fraction (`3.0`) as integers (`3`), recursively:
/// JSON (and JSON Schema's `integer`) does not tell them apart.
fn whole_numbers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64() {
                // Within ±2^53 a float with no fraction is exactly that integer.
                if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 {
                    *value = serde_json::Value::from(f as i64);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        serde_json::Value::Object(map) => map.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

/// The account a request acts for, if any: from `Authorization: Bearer`
/// (an unknown token is refused with 401) or the session cookie (an unknown or
/// expired session is treated as anonymous).
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<Account>);

impl MaybeUser {
    pub fn actor(&self) -> Option<Actor> {
        self.0.as_ref().map(Account::actor)
    }

    /// The actor, or 401 for anonymous requests.
    pub fn require(&self) -> Result<Actor, ApiError> {
        self.actor().ok_or(ApiError::Unauthorized)
    }
}

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(auth) = parts.headers.get(AUTHORIZATION) {
            let token = auth
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
                .map(str::trim)
                .filter(|t| !t.is_empty() && t.len() <= 200)
                .ok_or(ApiError::Unauthorized)?;
            let account = state.store().account_for_token(token).await?.ok_or(ApiError::Unauthorized)?;
            return Ok(MaybeUser(Some(account)));
        }
        if let Some(token) = session_token(&parts.headers) {
            return Ok(MaybeUser(state.store().account_for_session(&token).await?));
        }
        Ok(MaybeUser(None))
    }
}

/// The session token from the request's cookies.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 200)
}

/// The version named by an `If-Match` header (`"3"`, `W/"3"` or `3`).
pub fn if_match_version(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let Some(v) = headers.get(IF_MATCH) else { return Ok(None) };
    let s = v.to_str().map_err(|_| ApiError::BadRequest("If-Match is not readable text".into()))?;
    let s = s.trim().trim_start_matches("W/").trim_matches('"');
    s.parse::<i64>()
        .map(Some)
        .map_err(|_| ApiError::BadRequest(format!("If-Match must name a version such as \"3\", not {s:?}")))
}

/// Query-string pairs, decoded, in order (repeated keys kept).
pub fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    raw.map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect()).unwrap_or_default()
}
