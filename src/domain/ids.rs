//! Record identifiers: experts, needs, events and meetings by UUID, channels by slug.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! uuid_id {
    ($name:ident, $what:literal) => {
        #[doc = concat!("The id of ", $what, ": a UUID, ordered by its bytes.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new random id.
            pub fn generate() -> Self {
                $name(Uuid::new_v4())
            }

            /// Parses the hyphenated or simple form of a UUID.
            pub fn parse(raw: &str) -> Result<Self, String> {
                Uuid::try_parse(raw.trim())
                    .map($name)
                    .map_err(|_| format!("{raw:?} is not a valid {} id", $what))
            }

            /// The 16 bytes used as the storage key (sorts like the id).
            pub fn as_bytes(&self) -> &[u8; 16] {
                self.0.as_bytes()
            }

            /// Rebuilds the id from its storage key.
            pub fn from_slice(bytes: &[u8]) -> Option<Self> {
                Uuid::from_slice(bytes).ok().map($name)
            }

            /// The id without hyphens, as used inside tokens.
            pub fn simple(&self) -> String {
                self.0.simple().to_string()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

uuid_id!(ExpertId, "expert");
uuid_id!(NeedId, "need");
uuid_id!(EventId, "event");
uuid_id!(MeetingId, "meeting");
uuid_id!(IntroductionId, "introduction");

/// The id of a channel: a lowercase slug such as `csa-germany`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ChannelId(String);

impl ChannelId {
    /// Parses a slug of 2-63 characters: lowercase ascii letters, digits and inner hyphens.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let ok = (2..=63).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !raw.starts_with('-')
            && !raw.ends_with('-');
        if ok {
            Ok(ChannelId(raw.to_string()))
        } else {
            Err(format!(
                "{raw:?} is not a channel id (2-63 lowercase letters, digits and hyphens)"
            ))
        }
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ChannelId {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        ChannelId::parse(&raw)
    }
}

impl From<ChannelId> for String {
    fn from(id: ChannelId) -> String {
        id.0
    }
}

impl std::fmt::Display for ChannelId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expert_id_round_trips_through_its_text_form() {
        let id = ExpertId::generate();
        assert_eq!(ExpertId::parse(&id.to_string()).unwrap(), id);
    }

    #[test]
    fn an_expert_id_round_trips_through_its_storage_key() {
        let id = ExpertId::generate();
        assert_eq!(ExpertId::from_slice(id.as_bytes()), Some(id));
    }

    #[test]
    fn garbage_is_not_an_id() {
        assert!(NeedId::parse("not-a-uuid").is_err());
        assert!(NeedId::parse("").is_err());
    }

    #[test]
    fn channel_slugs_are_lowercase_with_inner_hyphens() {
        assert!(ChannelId::parse("csa-germany").is_ok());
        assert!(ChannelId::parse("CSA").is_err());
        assert!(ChannelId::parse("-x").is_err());
        assert!(ChannelId::parse("a b").is_err());
    }
}
