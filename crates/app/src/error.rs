//! The application layer's errors: what a use case can refuse, typed, so the
//! HTTP layer, the pages and the command line each render them their way.

use lumbung_core::{ValidationErrors, WorkflowError};
use lumbung_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such record, or one the actor may not know exists.
    #[error("not found")]
    NotFound,
    /// The use case needs a signed-in account.
    #[error("sign in first")]
    Unauthorized,
    /// The actor may not do this; the message says who may.
    #[error("{0}")]
    Forbidden(String),
    /// The record changed since the actor read it.
    #[error("the record was changed by someone else (now at version {current})")]
    Conflict { current: i64 },
    /// A unique value is taken (an e-mail, an id, a nomination).
    #[error("{0}")]
    Duplicate(String),
    /// The input breaks a domain rule: every field error at once.
    #[error("{0}")]
    Invalid(ValidationErrors),
    /// The record is not in a state that allows this step.
    #[error("{0}")]
    InvalidTransition(String),
    /// Too many posts too fast: try again after `retry_after` seconds.
    #[error("{why}; try again in {retry_after} seconds")]
    Limited { retry_after: u64, why: String },
    /// An uploaded file that is too large or of a type not accepted.
    #[error("{0}")]
    Upload(lumbung_core::resource::UploadError),
    /// The database is busy or unreachable; worth retrying.
    #[error("the node is busy; try again")]
    Busy,
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    /// A single field error.
    pub fn field(field: &str, code: &'static str, message: impl Into<String>) -> AppError {
        let mut e = ValidationErrors::default();
        e.add(field, code, message);
        AppError::Invalid(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { current } => AppError::Conflict { current },
            StoreError::Duplicate(what) => AppError::Duplicate(what),
            StoreError::Invalid(errors) => AppError::Invalid(errors),
            e if e.is_busy() || e.is_unavailable() => AppError::Busy,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<WorkflowError> for AppError {
    fn from(e: WorkflowError) -> Self {
        match e {
            WorkflowError::Forbidden { .. } => AppError::Forbidden(e.to_string()),
            WorkflowError::NotAllowedFrom { .. } => AppError::InvalidTransition(e.to_string()),
            WorkflowError::CommentRequired { .. } => AppError::field("comment", "required", e.to_string()),
        }
    }
}

impl From<ValidationErrors> for AppError {
    fn from(e: ValidationErrors) -> Self {
        AppError::Invalid(e)
    }
}
