//! Partner channels: listing, adding and changing them.

use super::core::Engine;
use crate::domain::{Channel, ChannelId};
use crate::error::{Error, Result};

impl Engine {
    /// Every channel.
    pub fn channels(&self) -> Result<Vec<Channel>> {
        self.store.channels()
    }

    /// One channel.
    pub fn channel(&self, id: &ChannelId) -> Result<Channel> {
        self.store.channel(id)?.ok_or_else(|| Error::not_found("channel", id))
    }

    /// Adds a channel; 409 when the id is taken.
    pub fn add_channel(&self, channel: Channel) -> Result<Channel> {
        self.store.insert_channel(&channel)?;
        Ok(channel)
    }

    /// Changes a channel: `change` gets the current record and returns the new one (same id,
    /// same creation time).
    pub fn update_channel(&self, id: &ChannelId, change: impl FnOnce(&Channel) -> Result<Channel>) -> Result<Channel> {
        let current = self.channel(id)?;
        let mut updated = change(&current)?;
        if updated.id != current.id {
            return Err(Error::field("id", "a channel's id cannot change"));
        }
        updated.created_at = current.created_at;
        self.store.update_channel(&current, &updated)?;
        Ok(updated)
    }

    /// Fails with a field error when `channel` is given and unknown.
    pub(super) fn check_channel(&self, channel: Option<&ChannelId>) -> Result<()> {
        match channel {
            Some(id) if self.store.channel(id)?.is_none() => {
                Err(Error::field("channel", format!("channel {id} does not exist")))
            }
            _ => Ok(()),
        }
    }
}
