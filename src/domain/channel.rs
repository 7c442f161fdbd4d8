//! Channels: the partners abroad that bring experts to the base.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ChannelId, ChannelKind, CountryCode, Text};

/// A partner abroad (association, alumni network, incubator...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Channel {
    /// Slug id.
    pub id: ChannelId,
    /// Full name.
    pub name: Text,
    /// Where it is.
    pub country: CountryCode,
    /// What kind of partner.
    pub kind: ChannelKind,
    /// Its website.
    pub url: Option<Text>,
    /// When recorded.
    pub created_at: DateTime<Utc>,
}
