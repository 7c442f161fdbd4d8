//! Slot windows for an event: its participants' zones fed to the window search, and the answer
//! named by participant.

use chrono::{Duration, NaiveDate};

use crate::domain::{EventId, Side, TimeZone};
use crate::engine::core::Engine;
use crate::error::Result;

use super::suggest::{suggest_windows, WindowSuggestion};

/// Step between candidate window starts.
const STEP_MINUTES: i64 = 30;

/// One participant of the window search.
#[derive(Debug, Clone)]
pub struct Attendee {
    /// Need or expert.
    pub side: Side,
    /// Its id.
    pub id: String,
    /// Its zone.
    pub zone: TimeZone,
}

/// The windows of an event, with the participants their `asleep` indices point into.
#[derive(Debug, Clone)]
pub struct SlotSuggestions {
    /// The event's zone.
    pub zone: TimeZone,
    /// Everyone considered.
    pub attendees: Vec<Attendee>,
    /// Best first.
    pub windows: Vec<WindowSuggestion>,
}

impl Engine {
    /// The `count` windows of `duration` between `from` and `to` where the most participants of
    /// the event are inside the event's waking hours.
    pub fn slot_suggestions(
        &self,
        id: EventId,
        from: NaiveDate,
        to: NaiveDate,
        duration: Duration,
        count: usize,
    ) -> Result<SlotSuggestions> {
        let event = self.event(id)?;
        let attendance = self.attendance(&event.spec)?;
        let spec = &event.spec;
        let mut attendees: Vec<Attendee> = attendance
            .needs
            .iter()
            .map(|n| Attendee {
                side: Side::Need,
                id: n.id.to_string(),
                zone: spec.need_zone(n.id),
            })
            .collect();
        attendees.extend(attendance.experts.iter().map(|e| Attendee {
            side: Side::Expert,
            id: e.id.to_string(),
            zone: e.profile.timezone,
        }));
        let zones: Vec<chrono_tz::Tz> = attendees.iter().map(|a| a.zone.tz()).collect();
        let windows = suggest_windows(
            &zones,
            spec.waking_hours,
            spec.time_zone.tz(),
            from,
            to,
            duration,
            Duration::minutes(STEP_MINUTES),
            count,
        );
        Ok(SlotSuggestions {
            zone: spec.time_zone,
            attendees,
            windows,
        })
    }
}
