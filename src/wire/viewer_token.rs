//! Viewer token payloads (`viewer-token-input`, `viewer-token-created`, `viewer-token`,
//! `viewer-token-list` in `schemas/`): the token itself appears once, in the answer that makes it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{Problems, TokenName, ViewerToken};
use crate::error::Result;

/// The body of `POST /events/{id}/viewer-tokens`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewerTokenInput {
    pub name: String,
    /// RFC 3339; by default 30 days after the event's last day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

impl ViewerTokenInput {
    /// The name and the expiry, parsed.
    pub fn parse(self) -> Result<(TokenName, Option<DateTime<Utc>>)> {
        let mut p = Problems::new();
        let name = p.check("name", TokenName::parse(&self.name));
        let expires = match self.expires_at.as_deref() {
            None => Some(None),
            Some(raw) => p.check(
                "expires_at",
                DateTime::parse_from_rfc3339(raw.trim())
                    .map(|t| Some(t.with_timezone(&Utc)))
                    .map_err(|_| format!("{raw:?} is not an RFC 3339 time such as 2027-04-30T00:00:00+08:00")),
            ),
        };
        p.finish(|| Some((name?, expires?)))
    }
}

/// A viewer token without its secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewerTokenView {
    pub name: String,
    pub event_id: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl From<&ViewerToken> for ViewerTokenView {
    fn from(t: &ViewerToken) -> Self {
        ViewerTokenView {
            name: t.name.to_string(),
            event_id: t.event.to_string(),
            created_at: t.created_at,
            revoked_at: t.revoked_at,
            expires_at: t.expires_at,
        }
    }
}

/// The answer of `POST /events/{id}/viewer-tokens`: the token, shown this once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewerTokenCreated {
    pub token: String,
    pub name: String,
    pub event_id: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl ViewerTokenCreated {
    /// The answer for a token and its record.
    pub fn new(token: String, record: &ViewerToken) -> Self {
        ViewerTokenCreated {
            token,
            name: record.name.to_string(),
            event_id: record.event.to_string(),
            created_at: record.created_at,
            expires_at: record.expires_at,
        }
    }
}

/// The answer of `GET /events/{id}/viewer-tokens`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewerTokenList {
    pub items: Vec<ViewerTokenView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_name_is_reported_under_name() {
        let err = ViewerTokenInput {
            name: "a b".into(),
            expires_at: None,
        }
        .parse()
        .unwrap_err();
        match err {
            crate::error::Error::Invalid(list) => assert_eq!(list[0].field, "name"),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn a_listed_token_shows_no_secret() {
        let record = ViewerToken {
            event: crate::domain::EventId::generate(),
            name: TokenName::parse("press").unwrap(),
            sha256: [1; 32],
            created_at: Utc::now(),
            revoked_at: None,
            expires_at: None,
        };
        let json = serde_json::to_value(ViewerTokenView::from(&record)).unwrap();
        assert!(json.get("sha256").is_none() && json.get("token").is_none(), "{json}");
    }
}
