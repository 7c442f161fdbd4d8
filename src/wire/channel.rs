//! Channel payloads.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::Channel;

/// A channel as the API returns it, and as seed files write it (without `created_at`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelView {
    pub id: String,
    pub name: String,
    pub country: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
}

impl From<&Channel> for ChannelView {
    fn from(c: &Channel) -> Self {
        ChannelView {
            id: c.id.to_string(),
            name: c.name.to_string(),
            country: c.country.as_str().to_string(),
            kind: c.kind.as_str().to_string(),
            url: c.url.as_ref().map(ToString::to_string),
            created_at: Some(c.created_at),
        }
    }
}
