//! Partner channels, keyed by slug.

use super::{codec, storage, Store};
use crate::domain::{Channel, ChannelId};
use crate::error::{Error, Result};

impl Store {
    /// Every channel, in id order.
    pub fn channels(&self) -> Result<Vec<Channel>> {
        self.channels
            .iter()
            .map(|kv| {
                let (_, v) = kv.map_err(storage)?;
                codec::decode("channel", &v)
            })
            .collect()
    }

    /// One channel.
    pub fn channel(&self, id: &ChannelId) -> Result<Option<Channel>> {
        self.channels
            .get(id.as_str())
            .map_err(storage)?
            .map(|v| codec::decode("channel", &v))
            .transpose()
    }

    /// Adds a channel that must not exist yet, durably.
    pub fn insert_channel(&self, channel: &Channel) -> Result<()> {
        let value = codec::encode(channel)?;
        self.channels
            .compare_and_swap(channel.id.as_str(), None as Option<&[u8]>, Some(value))
            .map_err(storage)?
            .map_err(|_| Error::Conflict {
                code: "channel_exists",
                detail: format!("channel {} already exists", channel.id),
                existing: Some(channel.id.to_string()),
            })?;
        self.flush()
    }

    /// Replaces `current` by `updated` (same id), or 409 when it changed meanwhile. Durable on return.
    pub fn update_channel(&self, current: &Channel, updated: &Channel) -> Result<()> {
        self.channels
            .compare_and_swap(
                current.id.as_str(),
                Some(codec::encode(current)?),
                Some(codec::encode(updated)?),
            )
            .map_err(storage)?
            .map_err(|_| Error::Conflict {
                code: "concurrent_change",
                detail: format!("channel {} changed meanwhile; read it again", current.id),
                existing: Some(current.id.to_string()),
            })?;
        self.flush()
    }
}
