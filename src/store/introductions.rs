//! Introductions, keyed by id, changed by compare-and-swap (each change appends one step).

use super::versioned;
use super::Store;
use crate::domain::{Introduction, IntroductionId};
use crate::error::Result;

versioned::versioned_by_id!(Introduction, "introduction");

impl Store {
    /// One introduction.
    pub fn introduction(&self, id: IntroductionId) -> Result<Option<Introduction>> {
        versioned::get(&self.introductions, id.as_bytes())
    }

    /// Introductions in id order, starting after `after`.
    pub fn introductions_after(&self, after: Option<IntroductionId>) -> impl Iterator<Item = Result<Introduction>> {
        versioned::after(&self.introductions, after.map(|id| *id.as_bytes()))
    }

    /// Stores a new introduction. Durable on return.
    pub fn insert_introduction(&self, intro: &Introduction) -> Result<()> {
        versioned::swap(&self.introductions, None, Some(intro))?;
        self.flush()
    }

    /// Replaces `current` by `updated`, or 412 when the stored one is no longer `current`.
    pub fn update_introduction(&self, current: &Introduction, updated: &Introduction) -> Result<()> {
        versioned::swap(&self.introductions, Some(current), Some(updated))?;
        self.flush()
    }
}
