//! Organisers' changes to a schedule: add, move and remove meetings under the scheduler's checks
//! (a published schedule goes back to draft), publish the schedule, or discard it.

use chrono::{DateTime, Utc};

use crate::domain::{
    Event, EventId, EventSpec, ExpertId, Meeting, MeetingId, NeedId, Placement, Schedule, ScheduleStatus, Side,
    SlotMode, Text,
};
use crate::engine::core::Engine;
use crate::error::{Error, Result};

use super::attendance::explain_pair;
use super::problem::{build, Built, PairSource};
use super::schedule::{violations, Placed, Violation};
use super::shortlists::MetBefore;
use super::tables::seat;

/// One change to a schedule.
#[derive(Debug, Clone)]
pub enum MeetingChange {
    /// A new meeting.
    Add {
        /// The slot's start.
        slot: DateTime<Utc>,
        /// The need.
        need: NeedId,
        /// The expert.
        expert: ExpertId,
        /// The table for an on-site slot; a free one when not given.
        table: Option<Text>,
    },
    /// A meeting to another slot or table.
    Move {
        /// The meeting.
        id: MeetingId,
        /// The new slot's start.
        slot: DateTime<Utc>,
        /// The table for an on-site slot; a free one when not given.
        table: Option<Text>,
    },
    /// A meeting taken out.
    Remove {
        /// The meeting.
        id: MeetingId,
    },
}

fn no_schedule(id: EventId) -> Error {
    Error::Conflict {
        code: "no_schedule",
        detail: format!("event {id} has no schedule yet; draft one with POST /api/v1/events/{id}/schedule"),
        existing: None,
    }
}

fn side_name(built: &Built, side: Side, index: usize) -> String {
    match side {
        Side::Need => built
            .needs
            .get(index)
            .map_or("a need".into(), |id| format!("need {id}")),
        Side::Expert => built
            .experts
            .get(index)
            .map_or("an expert".into(), |id| format!("expert {id}")),
    }
}

/// The stable code and a message with ids for a broken rule.
pub(super) fn describe(v: &Violation, built: &Built, spec: &EventSpec) -> (&'static str, String) {
    let slot = |s: usize| {
        spec.slots.get(s).map_or("a slot".into(), |x| {
            format!(
                "the slot at {}",
                x.start.with_timezone(&spec.time_zone.tz()).to_rfc3339()
            )
        })
    };
    match v {
        Violation::UnknownSlot { .. } => ("unknown_slot", "the slot is not one of the event's".into()),
        Violation::UnknownParticipant { side, .. } => (
            "not_a_participant",
            format!("the {side} does not take part in the event"),
        ),
        Violation::NotAllowed { need, expert } => (
            "pair_refused",
            format!(
                "{} and {} said no_thanks to each other",
                side_name(built, Side::Need, *need),
                side_name(built, Side::Expert, *expert)
            ),
        ),
        Violation::PairTwice { need, expert } => (
            "pair_already_meets",
            format!(
                "{} already meets {} at this event",
                side_name(built, Side::Need, *need),
                side_name(built, Side::Expert, *expert)
            ),
        ),
        Violation::DoubleBooked { slot: s, side, index } => (
            "double_booked",
            format!(
                "{} already has a meeting in {}",
                side_name(built, *side, *index),
                slot(*s)
            ),
        ),
        Violation::OverQuota { side, index, max } => (
            "over_quota",
            format!(
                "{} would have more than its {max} meetings",
                side_name(built, *side, *index)
            ),
        ),
        Violation::Unavailable { slot: s, side, index } => (
            "outside_waking_hours",
            format!(
                "{} falls outside the waking hours of {}",
                slot(*s),
                side_name(built, *side, *index)
            ),
        ),
        Violation::OverCapacity { slot: s, capacity } => (
            "slot_full",
            format!("{} already holds {capacity} meetings, one per table", slot(*s)),
        ),
    }
}

impl Engine {
    /// Applies one change to an event's schedule, or refuses it with the rule it would break.
    pub fn change_meeting(
        &self,
        id: EventId,
        expected: Option<u64>,
        change: MeetingChange,
    ) -> Result<(Event, Option<MeetingId>)> {
        let event = self.event_at(id, expected)?;
        if event.schedule.is_none() && !matches!(change, MeetingChange::Add { .. }) {
            return Err(no_schedule(id));
        }
        let spec = &event.spec;
        let mut schedule = event.schedule.clone().unwrap_or_else(|| Schedule {
            status: ScheduleStatus::Draft,
            meetings: Vec::new(),
            unplaced: Vec::new(),
            drafted_at: Utc::now(),
            published_at: None,
        });
        let before = schedule.meetings.clone();
        let touched = match change {
            MeetingChange::Add {
                slot,
                need,
                expert,
                table,
            } => {
                let meeting = Meeting {
                    id: MeetingId::generate(),
                    slot,
                    need,
                    expert,
                    table,
                    score: 0.0,
                    preference: spec.preference(need, expert),
                    placed_by: Placement::Manual,
                };
                let id = meeting.id;
                schedule.meetings.push(meeting);
                Some(id)
            }
            MeetingChange::Move {
                id: meeting,
                slot,
                table,
            } => {
                let m = schedule
                    .meetings
                    .iter_mut()
                    .find(|m| m.id == meeting)
                    .ok_or_else(|| Error::not_found("meeting", meeting))?;
                m.slot = slot;
                m.table = table;
                m.placed_by = Placement::Manual;
                Some(meeting)
            }
            MeetingChange::Remove { id: meeting } => {
                let len = schedule.meetings.len();
                schedule.meetings.retain(|m| m.id != meeting);
                if schedule.meetings.len() == len {
                    return Err(Error::not_found("meeting", meeting));
                }
                None
            }
        };
        if let Some(changed) = touched {
            self.check_meeting(&event, &before, &mut schedule.meetings, changed)?;
        }
        schedule
            .meetings
            .sort_by(|a, b| a.slot.cmp(&b.slot).then(a.need.cmp(&b.need)));
        seat(spec, &mut schedule.meetings);
        // A published schedule that changes goes back to draft: participants were told the old
        // one, so the organisers publish again once they are done.
        schedule.status = ScheduleStatus::Draft;
        let placed: Vec<(NeedId, ExpertId)> = schedule.meetings.iter().map(|m| (m.need, m.expert)).collect();
        schedule.unplaced.retain(|u| {
            !(u.code == "must_meet_not_placed" && u.need.zip(u.expert).is_some_and(|p| placed.contains(&p)))
        });
        let saved = self.save_event(&event, spec.clone(), Some(schedule))?;
        Ok((saved, touched))
    }

    /// Checks the changed meeting against the event and every scheduling rule it could break;
    /// fills in its score. Rules already broken before the change are not held against it.
    fn check_meeting(
        &self,
        event: &Event,
        before: &[Meeting],
        meetings: &mut [Meeting],
        changed: MeetingId,
    ) -> Result<()> {
        let spec = &event.spec;
        let Some(m) = meetings.iter().find(|m| m.id == changed).cloned() else {
            return Ok(());
        };
        let slot = spec.slot(m.slot).ok_or_else(|| {
            Error::field(
                "slot",
                format!(
                    "{} is not the start of one of the event's slots",
                    m.slot.with_timezone(&spec.time_zone.tz()).to_rfc3339()
                ),
            )
        })?;
        match (&m.table, slot.mode) {
            (Some(_), SlotMode::Online) => return Err(Error::field("table", "an online slot has no tables")),
            (Some(t), SlotMode::Onsite) if !spec.tables.contains(t) => {
                return Err(Error::field("table", format!("{t} is not one of the event's tables")))
            }
            (Some(t), SlotMode::Onsite)
                if meetings
                    .iter()
                    .any(|o| o.id != m.id && o.slot == m.slot && o.table.as_ref() == Some(t)) =>
            {
                return Err(Error::Conflict {
                    code: "table_taken",
                    detail: format!("table {t} already holds a meeting in this slot"),
                    existing: None,
                })
            }
            _ => {}
        }
        let attendance = self.attendance(&event.spec)?;
        let (Some(n), Some(e)) = (attendance.need_index(m.need), attendance.expert_index(m.expert)) else {
            return Err(Error::Conflict {
                code: "not_a_participant",
                detail: format!(
                    "need {} and expert {} must both take part in the event (and still be stored)",
                    m.need, m.expert
                ),
                existing: None,
            });
        };
        let taxonomy = self.taxonomy();
        let score = explain_pair(&taxonomy, &attendance.needs[n], &attendance.experts[e]).map(|s| s.score);
        let mut pairs: Vec<(usize, usize, Option<f32>)> = meetings
            .iter()
            .filter_map(|x| Some((attendance.need_index(x.need)?, attendance.expert_index(x.expert)?, None)))
            .collect();
        pairs.push((n, e, score));
        let met = Default::default();
        let built = build(spec, &attendance, PairSource::Only(&pairs), &met, MetBefore::Mark);
        let as_placed = |list: &[Meeting]| -> Vec<Placed> {
            list.iter()
                .filter_map(|x| {
                    Some(Placed {
                        slot: Built::slot(spec, x.slot)?,
                        need: built.need(x.need)?,
                        expert: built.expert(x.expert)?,
                    })
                })
                .collect()
        };
        let old = violations(&built.problem, &as_placed(before));
        let new: Vec<Violation> = violations(&built.problem, &as_placed(meetings))
            .into_iter()
            .filter(|v| !old.contains(v))
            .collect();
        if let Some(first) = new.first() {
            let (code, _) = describe(first, &built, spec);
            let detail = new
                .iter()
                .map(|v| describe(v, &built, spec).1)
                .collect::<Vec<_>>()
                .join("; ");
            return Err(Error::Conflict {
                code,
                detail,
                existing: None,
            });
        }
        if let Some(x) = meetings.iter_mut().find(|x| x.id == changed) {
            x.score = score.unwrap_or(0.0);
        }
        Ok(())
    }

    /// Publishes an event's schedule: participants may be told, and its meetings count as met.
    pub fn publish_schedule(&self, id: EventId, expected: Option<u64>) -> Result<Event> {
        let event = self.event_at(id, expected)?;
        let mut schedule = event.schedule.clone().ok_or_else(|| no_schedule(id))?;
        schedule.status = ScheduleStatus::Published;
        schedule.published_at = Some(Utc::now());
        self.save_event(&event, event.spec.clone(), Some(schedule))
    }

    /// Discards an event's schedule, drafted or published.
    pub fn discard_schedule(&self, id: EventId, expected: Option<u64>) -> Result<Event> {
        let event = self.event_at(id, expected)?;
        if event.schedule.is_none() {
            return Err(no_schedule(id));
        }
        self.save_event(&event, event.spec.clone(), None)
    }
}
