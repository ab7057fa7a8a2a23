//! API errors, rendered as RFC 9457 problem details (`application/problem+json`).
//! Internal details are logged, never shown.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lumbung_core::{FieldError, ValidationErrors, WorkflowError};
use lumbung_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Field errors, for 422 responses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The record's current version, for 409 responses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("sign in or send an API token")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("this method is not allowed here; the Allow header lists the ones that are")]
    MethodNotAllowed,
    #[error("the record was changed by someone else; reload it (now at version {current})")]
    Conflict { current: i64 },
    #[error("{0}")]
    Duplicate(String),
    /// A parent that would make the organisation tree loop (itself, or one of its descendants).
    #[error("{0}")]
    ParentLoop(ValidationErrors),
    /// A workflow step that the case's current status does not allow.
    #[error("{0}")]
    InvalidTransition(String),
    #[error("send the version you edited, as an If-Match header or a \"version\" field")]
    PreconditionRequired,
    #[error("the request body is larger than 1 MiB")]
    PayloadTooLarge,
    #[error("send the body as application/json")]
    UnsupportedMediaType,
    /// An uploaded file above the size limit.
    #[error("{0}")]
    FileTooLarge(String),
    /// An uploaded file whose content is not of a type accepted.
    #[error("{0}")]
    FileType(String),
    #[error("{0}")]
    Invalid(ValidationErrors),
    #[error("too many failed sign-ins; try again in {retry_after} seconds")]
    TooManyRequests { retry_after: u64 },
    /// Posting too fast (the dialogue's limits).
    #[error("{why}; try again in {retry_after} seconds")]
    Limited { retry_after: u64, why: String },
    #[error("the store is busy; try again")]
    Busy,
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. }
            | ApiError::Duplicate(_)
            | ApiError::InvalidTransition(_)
            | ApiError::ParentLoop(_) => StatusCode::CONFLICT,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::PayloadTooLarge | ApiError::FileTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType | ApiError::FileType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } | ApiError::Limited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn slug(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad-request",
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound => "not-found",
            ApiError::MethodNotAllowed => "method-not-allowed",
            ApiError::Conflict { .. } => "version-conflict",
            ApiError::Duplicate(_) => "duplicate",
            ApiError::ParentLoop(_) => "parent-loop",
            ApiError::InvalidTransition(_) => "invalid-transition",
            ApiError::PreconditionRequired => "version-required",
            ApiError::PayloadTooLarge => "payload-too-large",
            ApiError::UnsupportedMediaType => "unsupported-media-type",
            ApiError::FileTooLarge(_) => "file-too-large",
            ApiError::FileType(_) => "file-type-refused",
            ApiError::Invalid(_) => "validation-failed",
            ApiError::TooManyRequests { .. } => "too-many-requests",
            ApiError::Limited { .. } => "rate-limited",
            ApiError::Busy => "busy",
            ApiError::Internal(_) => "internal",
        }
    }

    /// A single-field validation error.
    pub fn field(field: &str, code: &'static str, message: impl Into<String>) -> ApiError {
        let mut e = ValidationErrors::default();
        e.add(field, code, message);
        ApiError::Invalid(e)
    }

    pub fn problem(&self) -> Problem {
        let status = self.status();
        Problem {
            kind: format!("urn:lumbung:problem:{}", self.slug()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: match self {
                ApiError::Invalid(e) | ApiError::ParentLoop(e) => format!("{} field error(s): {e}", e.errors.len()),
                other => other.to_string(),
            },
            errors: match self {
                ApiError::Invalid(e) | ApiError::ParentLoop(e) => e.errors.clone(),
                _ => Vec::new(),
            },
            current_version: match self {
                ApiError::Conflict { current } => Some(*current),
                _ => None,
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let problem = self.problem();
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut res = (self.status(), body).into_response();
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let ApiError::TooManyRequests { retry_after } | ApiError::Limited { retry_after, .. } = &self {
            if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        if let ApiError::Unauthorized = self {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict { current } => ApiError::Conflict { current },
            StoreError::Duplicate(what) => ApiError::Duplicate(what),
            StoreError::Invalid(errors) => ApiError::Invalid(errors),
            e if e.is_busy() || e.is_unavailable() => ApiError::Busy,
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<lumbung_app::AppError> for ApiError {
    fn from(e: lumbung_app::AppError) -> Self {
        use lumbung_app::AppError as A;
        match e {
            A::NotFound => ApiError::NotFound,
            A::Unauthorized => ApiError::Unauthorized,
            A::Forbidden(why) => ApiError::Forbidden(why),
            A::Conflict { current } => ApiError::Conflict { current },
            A::Duplicate(what) => ApiError::Duplicate(what),
            A::Invalid(errors) => ApiError::Invalid(errors),
            A::InvalidTransition(why) => ApiError::InvalidTransition(why),
            A::Limited { retry_after, why } => ApiError::Limited { retry_after, why },
            A::Upload(e @ lumbung_core::resource::UploadError::TooLarge) => ApiError::FileTooLarge(e.to_string()),
            A::Upload(
                e @ (lumbung_core::resource::UploadError::Unsupported(_)
                | lumbung_core::resource::UploadError::WrongName { .. }),
            ) => ApiError::FileType(e.to_string()),
            A::Upload(e) => ApiError::field("file", "invalid", e.to_string()),
            A::Busy => ApiError::Busy,
            A::Internal(detail) => ApiError::Internal(detail),
        }
    }
}

impl From<WorkflowError> for ApiError {
    fn from(e: WorkflowError) -> Self {
        match e {
            WorkflowError::Forbidden { .. } => ApiError::Forbidden(e.to_string()),
            WorkflowError::NotAllowedFrom { .. } => ApiError::InvalidTransition(e.to_string()),
            WorkflowError::CommentRequired { .. } => ApiError::field("comment", "required", e.to_string()),
        }
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(e: ValidationErrors) -> Self {
        ApiError::Invalid(e)
    }
}
