//! Enterprise needs, keyed by id, changed by compare-and-swap on the stored bytes.

use super::versioned;
use super::Store;
use crate::domain::{Need, NeedId};
use crate::error::Result;

versioned::versioned_by_id!(Need, "need");

impl Store {
    /// One need.
    pub fn need(&self, id: NeedId) -> Result<Option<Need>> {
        versioned::get(&self.needs, id.as_bytes())
    }

    /// Needs in id order, starting after `after`.
    pub fn needs_after(&self, after: Option<NeedId>) -> impl Iterator<Item = Result<Need>> {
        versioned::after(&self.needs, after.map(|id| *id.as_bytes()))
    }

    /// Number of stored needs.
    pub fn need_count(&self) -> usize {
        self.needs.len()
    }

    /// Stores a new need. Durable on return.
    pub fn insert_need(&self, need: &Need) -> Result<()> {
        versioned::swap(&self.needs, None, Some(need))?;
        self.flush()
    }

    /// Replaces `current` by `updated`, or 412 when the stored need is no longer `current`.
    pub fn update_need(&self, current: &Need, updated: &Need) -> Result<()> {
        versioned::swap(&self.needs, Some(current), Some(updated))?;
        self.flush()
    }

    /// Removes `current`, or 412 when the stored need is no longer `current`.
    pub fn delete_need(&self, current: &Need) -> Result<()> {
        versioned::swap(&self.needs, Some(current), None)?;
        self.flush()
    }
}
