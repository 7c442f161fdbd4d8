//! Drafting an event's schedule: the scheduler's assignment turned into meetings with tables, and
//! the report of what could not be placed.

use chrono::Utc;

use crate::domain::{Event, EventId, Meeting, MeetingId, Placement, Schedule, ScheduleStatus, SlotMode};
use crate::engine::core::Engine;
use crate::error::{Error, Result};

use super::problem::{build, Built, PairSource};
use super::schedule::{assign, Placed};
use super::shortlists::MetBefore;
use super::tables::seat;
use super::unplaced::report;

/// How a draft is made.
#[derive(Debug, Clone, Copy)]
pub struct DraftOptions {
    /// Keep the meetings organisers placed by hand in the current draft.
    pub keep_manual: bool,
    /// Pairs that met before: left to the scheduler (marked) or only placed by hand (excluded).
    pub met_before: MetBefore,
}

fn published(event: &Event) -> Error {
    Error::Conflict {
        code: "schedule_published",
        detail: format!(
            "the schedule of event {} is published; discard it (DELETE /api/v1/events/{}/schedule) before drafting anew",
            event.id, event.id
        ),
        existing: Some(event.id.to_string()),
    }
}

impl Engine {
    /// Drafts the schedule of an event anew, keeping hand-placed meetings when asked.
    pub fn draft_schedule(&self, id: EventId, expected: Option<u64>, options: DraftOptions) -> Result<Event> {
        let event = self.event_at(id, expected)?;
        if event.is_published() {
            return Err(published(&event));
        }
        let spec = &event.spec;
        let attendance = self.attendance(&event.spec)?;
        let scores = self.score_pairs(&attendance)?;
        let met = self.met_before(id)?;
        let built = build(spec, &attendance, PairSource::All(&scores), &met, options.met_before);
        let kept: Vec<&Meeting> = match (&event.schedule, options.keep_manual) {
            (Some(s), true) => s.meetings.iter().filter(|m| m.placed_by == Placement::Manual).collect(),
            _ => Vec::new(),
        };
        let fixed: Vec<Placed> = kept.iter().filter_map(|m| placed_of(&built, &event, m)).collect();
        let placed = assign(&built.problem, &fixed);
        let mut meetings: Vec<Meeting> = placed
            .iter()
            .map(|p| {
                let (need, expert) = (built.needs[p.need], built.experts[p.expert]);
                let slot = spec.slots[p.slot].start;
                match kept
                    .iter()
                    .find(|m| m.slot == slot && m.need == need && m.expert == expert)
                {
                    Some(m) => (*m).clone(),
                    None => Meeting {
                        id: MeetingId::generate(),
                        slot,
                        need,
                        expert,
                        table: None,
                        score: scores[p.need][p.expert].unwrap_or(0.0),
                        preference: spec.preference(need, expert),
                        placed_by: Placement::Auto,
                    },
                }
            })
            .collect();
        meetings.sort_by(|a, b| a.slot.cmp(&b.slot).then(a.need.cmp(&b.need)));
        seat(spec, &mut meetings);
        let unplaced = report(spec, &attendance, &built, &placed);
        let schedule = Schedule {
            status: ScheduleStatus::Draft,
            meetings,
            unplaced,
            drafted_at: Utc::now(),
            published_at: None,
        };
        self.save_event(&event, event.spec.clone(), Some(schedule))
    }
}

/// A stored meeting as the scheduler's placement, when its slot and sides are still in the event.
pub fn placed_of(built: &Built, event: &Event, m: &Meeting) -> Option<Placed> {
    let slot = Built::slot(&event.spec, m.slot)?;
    // A hand-placed meeting keeps its table; an on-site slot without tables cannot hold it.
    if event.spec.slots[slot].mode == SlotMode::Onsite && event.spec.tables.is_empty() {
        return None;
    }
    Some(Placed {
        slot,
        need: built.need(m.need)?,
        expert: built.expert(m.expert)?,
    })
}
