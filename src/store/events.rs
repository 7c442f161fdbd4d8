//! Matchmaking events with their schedules, keyed by id, changed by compare-and-swap.

use super::versioned;
use super::Store;
use crate::domain::{Event, EventId};
use crate::error::Result;

versioned::versioned_by_id!(Event, "event");

impl Store {
    /// One event.
    pub fn event(&self, id: EventId) -> Result<Option<Event>> {
        versioned::get(&self.events, id.as_bytes())
    }

    /// Events in id order, starting after `after`.
    pub fn events_after(&self, after: Option<EventId>) -> impl Iterator<Item = Result<Event>> {
        versioned::after(&self.events, after.map(|id| *id.as_bytes()))
    }

    /// Stores a new event. Durable on return.
    pub fn insert_event(&self, event: &Event) -> Result<()> {
        versioned::swap(&self.events, None, Some(event))?;
        self.flush()
    }

    /// Replaces `current` by `updated`, or 412 when the stored event is no longer `current`.
    pub fn update_event(&self, current: &Event, updated: &Event) -> Result<()> {
        versioned::swap(&self.events, Some(current), Some(updated))?;
        self.flush()
    }

    /// Removes `current`, or 412 when the stored event is no longer `current`.
    pub fn delete_event(&self, current: &Event) -> Result<()> {
        versioned::swap(&self.events, Some(current), None)?;
        self.flush()
    }
}
