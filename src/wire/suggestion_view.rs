//! Slot window suggestions as returned by the API (schemas/slot-suggestions.schema.json).

use serde::{Deserialize, Serialize};

use super::schedule_view::LocalSpan;
use crate::engine::events::SlotSuggestions;

/// A participant outside its waking hours in a window.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AsleepView {
    pub side: String,
    pub id: String,
    /// The window in the participant's zone.
    pub local: LocalSpan,
}

/// One window.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WindowView {
    /// The window in the event's zone.
    pub window: LocalSpan,
    pub awake: usize,
    pub total: usize,
    pub asleep: Vec<AsleepView>,
}

/// The windows of an event, best first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SuggestionsView {
    pub event_id: String,
    pub participants: usize,
    pub windows: Vec<WindowView>,
}

impl SuggestionsView {
    /// The view of the suggestions for event `event_id`.
    pub fn new(event_id: &str, s: &SlotSuggestions) -> Self {
        SuggestionsView {
            event_id: event_id.to_string(),
            participants: s.attendees.len(),
            windows: s
                .windows
                .iter()
                .map(|w| WindowView {
                    window: LocalSpan::new(s.zone, w.start, w.end),
                    awake: w.awake,
                    total: w.total,
                    asleep: w
                        .asleep
                        .iter()
                        .filter_map(|i| s.attendees.get(*i))
                        .map(|a| AsleepView {
                            side: a.side.as_str().to_string(),
                            id: a.id.clone(),
                            local: LocalSpan::new(a.zone, w.start, w.end),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}
