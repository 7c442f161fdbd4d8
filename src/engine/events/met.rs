//! Pairs that met before: the meetings of other events' published schedules.

use std::collections::HashSet;

use crate::domain::{EventId, ExpertId, NeedId};
use crate::engine::core::Engine;
use crate::error::Result;

/// Need-expert pairs that already met.
pub type MetPairs = HashSet<(NeedId, ExpertId)>;

impl Engine {
    /// Every pair with a meeting in the published schedule of an event other than `except`.
    pub fn met_before(&self, except: EventId) -> Result<MetPairs> {
        let mut met = MetPairs::new();
        for event in self.store.events_after(None) {
            let event = event?;
            if event.id == except || !event.is_published() {
                continue;
            }
            if let Some(schedule) = &event.schedule {
                met.extend(schedule.meetings.iter().map(|m| (m.need, m.expert)));
            }
        }
        Ok(met)
    }
}
