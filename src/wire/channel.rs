//! Channel payloads.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{Channel, ChannelId, ChannelKind, CountryCode, Problems, Text};
use crate::error::Result;

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

/// A new channel, as `POST /channels` and `seed/channels.jsonl` write it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelInput {
    pub id: String,
    pub name: String,
    pub country: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl ChannelInput {
    /// Parses the payload; every bad field at once.
    pub fn into_channel(self, now: DateTime<Utc>) -> Result<Channel> {
        let mut p = Problems::new();
        let id = p.check("id", ChannelId::parse(&self.id));
        let name = p.check("name", Text::parse(&self.name, 1, super::limits::NAME_CHARS));
        let country = p.check("country", CountryCode::parse(&self.country));
        let kind = p.check("kind", ChannelKind::parse(&self.kind));
        let url = match self.url.as_deref() {
            None => Some(None),
            Some(u) => p.check("url", Text::parse(u, 1, 300)).map(Some),
        };
        p.finish(|| {
            Some(Channel {
                id: id?,
                name: name?,
                country: country?,
                kind: kind?,
                url: url?,
                created_at: now,
            })
        })
    }
}
