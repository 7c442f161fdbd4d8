//! An event with the records of its participants and the pairs that met before: what views and
//! exports of shortlists and schedules are drawn from.

use std::collections::HashMap;

use crate::domain::{Event, EventId, Expert, ExpertId, Need, NeedId};
use crate::engine::core::Engine;
use crate::error::Result;

use super::met::MetPairs;

/// An event and its participants' records.
#[derive(Debug, Clone)]
pub struct EventRecords {
    /// The event.
    pub event: Event,
    /// Its needs still stored.
    pub needs: HashMap<NeedId, Need>,
    /// Its experts still stored.
    pub experts: HashMap<ExpertId, Expert>,
    /// Pairs that met at other events.
    pub met: MetPairs,
}

impl Engine {
    /// An event with its participants' records.
    pub fn event_records(&self, id: EventId) -> Result<EventRecords> {
        let event = self.event(id)?;
        let attendance = self.attendance(&event.spec)?;
        Ok(EventRecords {
            needs: attendance.needs.into_iter().map(|n| (n.id, n)).collect(),
            experts: attendance.experts.into_iter().map(|e| (e.id, e)).collect(),
            met: self.met_before(id)?,
            event,
        })
    }
}
