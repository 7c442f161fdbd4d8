//! Pairs that met before: the meetings of other events' published schedules, and introductions
//! that reached `met`.

use std::collections::HashSet;

use crate::domain::{EventId, ExpertId, NeedId, Stage};
use crate::engine::core::Engine;
use crate::error::Result;

/// Need-expert pairs that already met.
pub type MetPairs = HashSet<(NeedId, ExpertId)>;

impl Engine {
    /// Every pair with a meeting in the published schedule of an event other than `except`, or
    /// an introduction that reached `met`.
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
        for intro in self.store.introductions_after(None) {
            let intro = intro?;
            if intro.reached_at(Stage::Met).is_some() {
                met.insert((intro.need, intro.expert));
            }
        }
        Ok(met)
    }
}
