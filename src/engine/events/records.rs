//! Event records: creating, reading, changing and deleting events, with their participants checked
//! against the stored needs and experts.

use chrono::Utc;

use crate::domain::{Event, EventId, EventSpec, ExpertId, NeedId, Problems, RecordLookup, Schedule};
use crate::engine::core::Engine;
use crate::engine::page::{collect_page, Page};
use crate::engine::version::check_version;
use crate::error::{Error, Result};

impl Engine {
    /// Records an event.
    pub fn create_event(&self, spec: EventSpec) -> Result<Event> {
        self.load_event(EventId::generate(), spec)
    }

    /// Records an event with a given id (seed).
    pub fn load_event(&self, id: EventId, spec: EventSpec) -> Result<Event> {
        self.check_participants(&spec, None)?;
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
        check_version(expected, current.version)?;
        Ok(current)
    }

    /// Changes an event's spec; its schedule stays, without the meetings that no longer hold
    /// (reported as dropped).
    pub fn update_event(
        &self,
        id: EventId,
        expected: Option<u64>,
        change: impl FnOnce(&Event) -> Result<EventSpec>,
    ) -> Result<Event> {
        let current = self.event_at(id, expected)?;
        let spec = change(&current)?;
        self.check_participants(&spec, Some(&current.spec))?;
        let schedule = match current.schedule.clone() {
            Some(s) => Some(self.revalidate(&spec, s)?),
            None => None,
        };
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

    /// What an event may name: stored records, and those `current` names already (an erased
    /// expert stays listed, so that the event stays consistent).
    pub fn event_lookup<'a>(&'a self, current: Option<&'a EventSpec>) -> ParticipantLookup<'a> {
        ParticipantLookup { engine: self, current }
    }

    /// Every participant must be stored or already in the event; one problem per unknown one.
    fn check_participants(&self, spec: &EventSpec, current: Option<&EventSpec>) -> Result<()> {
        let lookup = self.event_lookup(current);
        let mut p = Problems::new();
        for (i, n) in spec.needs.iter().enumerate() {
            if !lookup.has_need(n.need) {
                p.push(format!("needs[{i}].need"), format!("no need {} is stored", n.need));
            }
        }
        for (i, e) in spec.experts.iter().enumerate() {
            if !lookup.has_expert(e.expert) {
                p.push(
                    format!("experts[{i}].expert"),
                    format!("no expert {} is stored", e.expert),
                );
            }
        }
        p.finish(|| Some(()))
    }
}

/// The records an event may name; see [`Engine::event_lookup`].
pub struct ParticipantLookup<'a> {
    engine: &'a Engine,
    current: Option<&'a EventSpec>,
}

impl RecordLookup for ParticipantLookup<'_> {
    fn has_need(&self, id: NeedId) -> bool {
        self.current.is_some_and(|c| c.needs.iter().any(|n| n.need == id))
            || matches!(self.engine.store.need(id), Ok(Some(_)))
    }

    fn has_expert(&self, id: ExpertId) -> bool {
        self.current.is_some_and(|c| c.experts.iter().any(|e| e.expert == id))
            || matches!(self.engine.store.expert(id), Ok(Some(_)))
    }
}
