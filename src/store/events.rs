//! Matchmaking events with their schedules, keyed by id, changed by compare-and-swap.

use super::versioned::{self, Versioned};
use super::Store;
use crate::domain::{Event, EventId};
use crate::error::Result;

impl Versioned for Event {
    const KIND: &'static str = "event";
    fn key(&self) -> [u8; 16] {
        *self.id.as_bytes()
    }
    fn id_text(&self) -> String {
        self.id.to_string()
    }
    fn version(&self) -> u64 {
        self.version
    }
}

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
