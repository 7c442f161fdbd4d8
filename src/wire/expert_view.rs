//! The expert as returned by the API (schemas/expert.schema.json) and the registration answer.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::expert_input::ExpertInput;
use crate::domain::Expert;

/// Recorded consent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConsentView {
    /// When given.
    pub given_at: DateTime<Utc>,
    /// Consent text version.
    pub text_version: String,
    /// When withdrawn, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_at: Option<DateTime<Utc>>,
}

/// An expert as its owner and operators see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExpertView {
    pub id: String,
    pub status: String,
    pub version: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub consent: ConsentView,
    #[serde(flatten)]
    pub profile: ExpertInput,
}

impl From<&Expert> for ExpertView {
    fn from(e: &Expert) -> Self {
        ExpertView {
            id: e.id.to_string(),
            status: e.status.as_str().to_string(),
            version: e.version,
            created_at: e.created_at,
            updated_at: e.updated_at,
            consent: ConsentView {
                given_at: e.consent.given_at,
                text_version: e.consent.text_version.to_string(),
                withdrawn_at: e.consent.withdrawn_at,
            },
            profile: ExpertInput::from_expert(e),
        }
    }
}

/// The answer to a registration: the secret token is shown this once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Registration {
    pub id: String,
    pub token: String,
    pub expert: ExpertView,
}
