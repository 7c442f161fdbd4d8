//! The one error type of talentbridge, grouped by outcome; `http/error.rs` maps it to statuses.

use serde::Serialize;

/// One bad field of a request: where it is, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldError {
    /// JSON path of the field, such as `skills[2].level`.
    pub field: String,
    /// What is wrong, lowercase, without a trailing period.
    pub message: String,
    /// For unknown tags: the nearest known labels.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
}

impl FieldError {
    /// A field error without suggestions.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
            suggestions: Vec::new(),
        }
    }
}

/// Every failure of talentbridge, by what the caller should make of it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The record does not exist.
    #[error("{what} {id} not found")]
    NotFound { what: &'static str, id: String },
    /// The record was erased; only its id is kept.
    #[error("{what} {id} was erased")]
    Erased { what: &'static str, id: String },
    /// The request body is not JSON or cannot be read.
    #[error("{0}")]
    Malformed(String),
    /// One or more fields are invalid; one entry per bad field.
    #[error("{} invalid field(s)", .0.len())]
    Invalid(Vec<FieldError>),
    /// A path or query parameter is invalid.
    #[error("{0}")]
    BadParameter(String),
    /// The write conflicts with stored data (such as an email already registered).
    #[error("{detail}")]
    Conflict {
        code: &'static str,
        detail: String,
        existing: Option<String>,
    },
    /// A record cannot move to the asked state from where it is; `allowed` lists where it can.
    #[error("cannot move from {from} to {to}; allowed next: {}", if allowed.is_empty() { "none (final)".to_string() } else { allowed.join(", ") })]
    Transition {
        from: String,
        to: String,
        allowed: Vec<String>,
    },
    /// `If-Match` named a version that is no longer current.
    #[error("version {expected} is stale, the current version is {current}")]
    Stale { expected: u64, current: u64 },
    /// No credentials, or credentials that match no one.
    #[error("{0}")]
    Unauthorized(String),
    /// Valid credentials that do not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// The body is larger than allowed.
    #[error("body over the limit of {limit} bytes")]
    TooLarge { limit: usize },
    /// The store failed or holds data this build cannot read.
    #[error("storage: {0}")]
    Storage(String),
    /// A bug or an unexpected failure.
    #[error("internal: {0}")]
    Internal(String),
}

/// The result type of talentbridge.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A validation error for one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid(vec![FieldError::new(field, message)])
    }

    /// A not-found error.
    pub fn not_found(what: &'static str, id: impl ToString) -> Self {
        Error::NotFound {
            what,
            id: id.to_string(),
        }
    }
}
