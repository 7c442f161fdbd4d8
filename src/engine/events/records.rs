//! Event records: creating, reading, changing and deleting events, with their participants checked
//! against the stored needs and experts.

use chrono::Utc;

use crate::domain::{Event, EventId, EventSpec, Problems, Schedule};
use crate::engine::core::Engine;
use crate::engine::page::{collect_page, Page};
use crate::error::{Error, Result};

impl Engine {
    /// Records an event.
    pub fn create_event(&self, spec: EventSpec) -> Result<Event> {
        self.load_event(EventId::generate(), spec)
    }

    /// Records an event with a given id (seed).
    pub fn load_event(&self, id: EventId, spec: EventSpec) -> Result<Event> {
        self.check_participants(&spec)?;
        let event = Event::create(id, spec, Utc::now());
        self.store.insert_event(&event)?;
        Ok(event)
    }

    /// One event.
    pub fn event(&self, id: EventId) -> Result<Event> {
        self.store.event(id)?.ok_or_else(|| Error::not_found("event", id))
    }

    /// The event, when `expected` (an `If-Match` version) is current or not given.
    pub(super) fn event_at(&self, id: EventId, expected: Option<u64>) -> Result<Event> {
        let current = self.event(id)?;
        match expected {
            Some(v) if v != current.version => Err(Error::Stale {
                expected: v,
                current: current.version,
            }),
            _ => Ok(current),
        }
    }

    /// Changes an event's spec; its schedule stays, and meetings whose slot, need or expert left
    /// the event are dropped from it.
    pub fn update_event(
        &self,
        id: EventId,
        expected: Option<u64>,
        change: impl FnOnce(&Event) -> Result<EventSpec>,
    ) -> Result<Event> {
        let current = self.event_at(id, expected)?;
        let spec = change(&current)?;
        self.check_participants(&spec)?;
        let schedule = current.schedule.clone().map(|s| still_valid(s, &spec));
        self.save_event(&current, spec, schedule)
    }

    /// Stores the next version of `current`.
    pub(super) fn save_event(&self, current: &Event, spec: EventSpec, schedule: Option<Schedule>) -> Result<Event> {
        let updated = current.revise(spec, schedule, Utc::now());
        self.store.update_event(current, &updated)?;
        Ok(updated)
    }

    /// Deletes an event.
    pub fn delete_event(&self, id: EventId, expected: Option<u64>) -> Result<()> {
        let current = self.event_at(id, expected)?;
        self.store.delete_event(&current)
    }

    /// A page of events in id order.
    pub fn list_events(&self, after: Option<EventId>, limit: usize) -> Result<Page<Event, EventId>> {
        collect_page(self.store.events_after(after), limit, |_| true, |e| e.id)
    }

    /// Every participant must be a stored need or expert; one problem per unknown one.
    fn check_participants(&self, spec: &EventSpec) -> Result<()> {
        let mut p = Problems::new();
        for (i, n) in spec.needs.iter().enumerate() {
            if self.store.need(n.need)?.is_none() {
                p.push(format!("needs[{i}].need"), format!("no need {} is stored", n.need));
            }
        }
        for (i, e) in spec.experts.iter().enumerate() {
            if self.store.expert(e.expert)?.is_none() {
                p.push(format!("experts[{i}].expert"), format!("no expert {} is stored", e.expert));
            }
        }
        p.finish(|| Some(()))
    }
}

/// The schedule without meetings that no longer fit the spec (slot gone, participant gone).
fn still_valid(mut schedule: Schedule, spec: &EventSpec) -> Schedule {
    schedule.meetings.retain(|m| {
        spec.slot(m.slot).is_some()
            && spec.needs.iter().any(|n| n.need == m.need)
            && spec.experts.iter().any(|e| e.expert == m.expert)
    });
    schedule
}
