//! Named tokens of operators and event viewers: their names, and the records kept of them
//! (the SHA-256 of the secret, never the secret itself).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::EventId;

/// The name of a token: 1-64 ASCII letters, digits, `-`, `_` or `.`, starting with a letter or
/// digit, such as `alice` or `cn-delegation.2026`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TokenName(String);

impl TokenName {
    /// The name of the operator whose token comes from `TALENTBRIDGE_OPERATOR_TOKEN` or was
    /// generated at first start.
    pub const DEFAULT_OPERATOR: &'static str = "default";

    /// Parses a name.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let ok = (1..=64).contains(&raw.len())
            && raw.starts_with(|c: char| c.is_ascii_alphanumeric())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if ok {
            Ok(TokenName(raw.to_string()))
        } else {
            Err(format!(
                "{raw:?} is not a token name (1-64 letters, digits, '-', '_' or '.', starting with a letter or digit)"
            ))
        }
    }

    /// The name of the built-in operator.
    pub fn default_operator() -> Self {
        TokenName(Self::DEFAULT_OPERATOR.to_string())
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TokenName {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        TokenName::parse(&raw)
    }
}

impl From<TokenName> for String {
    fn from(name: TokenName) -> String {
        name.0
    }
}

impl std::fmt::Display for TokenName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A named operator token, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperatorToken {
    /// Its name, unique among operator tokens.
    pub name: TokenName,
    /// The SHA-256 of the token.
    #[serde(with = "hex32")]
    pub sha256: [u8; 32],
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was revoked; a revoked token matches no one.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A token that reads one event's anonymised shortlists and schedule, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewerToken {
    /// The event it reads.
    pub event: EventId,
    /// Its name, unique among the event's viewer tokens.
    pub name: TokenName,
    /// The SHA-256 of the token.
    #[serde(with = "hex32")]
    pub sha256: [u8; 32],
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was revoked; a revoked token matches no one.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it stops working by itself (tokens made before expiry existed have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}

impl ViewerToken {
    /// True unless revoked or past its expiry at `now`.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|t| now < t)
    }
}

/// 32 bytes as 64 lowercase hex digits.
mod hex32 {
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        let mut out = [0u8; 32];
        if text.len() != 64 || !text.is_ascii() {
            return Err(D::Error::custom("a token hash must be 64 hex digits"));
        }
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16)
                .map_err(|_| D::Error::custom("a token hash must be 64 hex digits"))?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_letters_digits_and_separators_are_accepted() {
        for ok in ["alice", "Bob-2", "cn_delegation.2026", "x"] {
            assert!(TokenName::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn empty_long_spaced_or_punctuated_names_are_refused() {
        let long = "a".repeat(65);
        for bad in [
            "",
            " alice",
            "al ice",
            "-alice",
            ".hidden",
            "alice/bob",
            "名字",
            long.as_str(),
        ] {
            assert!(TokenName::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_token_record_round_trips_with_its_hash_in_hex() {
        let record = OperatorToken {
            name: TokenName::parse("alice").unwrap(),
            sha256: [0xab; 32],
            created_at: Utc::now(),
            revoked_at: None,
        };
        let json = serde_json::to_string(&record).unwrap();
        assert!(json.contains(&"ab".repeat(32)), "{json}");
        assert_eq!(serde_json::from_str::<OperatorToken>(&json).unwrap(), record);
    }

    #[test]
    fn a_damaged_hash_is_refused_when_read() {
        let json = r#"{"name":"a","sha256":"zz","created_at":"2026-01-01T00:00:00Z","revoked_at":null}"#;
        assert!(serde_json::from_str::<OperatorToken>(json).is_err());
    }
}
