//! The need as returned by the API (schemas/need.schema.json).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::need_input::NeedInput;
use crate::domain::Need;

/// A need as operators see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NeedView {
    pub id: String,
    pub version: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(flatten)]
    pub need: NeedInput,
}

impl From<&Need> for NeedView {
    fn from(n: &Need) -> Self {
        NeedView {
            id: n.id.to_string(),
            version: n.version,
            created_at: n.created_at,
            updated_at: n.updated_at,
            need: NeedInput::from_need(n),
        }
    }
}
