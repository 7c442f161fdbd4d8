//! A schedule kept through a change of its event: meetings are taken back one by one, in slot
//! order, and each stays only if it still holds under the new spec (slot, participants, tables,
//! waking hours, quotas, preferences); the others are reported as dropped.

use crate::domain::{EventSpec, Meeting, Schedule, SlotMode, Unplaced};
use crate::engine::core::Engine;
use crate::error::Result;

use super::edits::describe;
use super::problem::{build, Built, PairSource};
use super::schedule::{violations, Placed};
use super::shortlists::MetBefore;
use super::tables::seat;

fn dropped(spec: &EventSpec, m: &Meeting, why: String) -> Unplaced {
    Unplaced {
        code: "meeting_dropped".into(),
        need: Some(m.need),
        expert: Some(m.expert),
        detail: format!(
            "the meeting at {} no longer fits the event: {why}",
            m.slot.with_timezone(&spec.time_zone.tz()).to_rfc3339()
        ),
    }
}

impl Engine {
    /// The schedule with only the meetings that still hold under `spec`.
    pub(super) fn revalidate(&self, spec: &EventSpec, mut schedule: Schedule) -> Result<Schedule> {
        let attendance = self.attendance(spec)?;
        let pairs: Vec<(usize, usize, Option<f32>)> = schedule
            .meetings
            .iter()
            .filter_map(|m| Some((attendance.need_index(m.need)?, attendance.expert_index(m.expert)?, None)))
            .collect();
        let built = build(
            spec,
            &attendance,
            PairSource::Only(&pairs),
            &Default::default(),
            MetBefore::Mark,
        );
        let placed_of = |built: &Built, m: &Meeting| -> Option<Placed> {
            Some(Placed {
                slot: Built::slot(spec, m.slot)?,
                need: built.need(m.need)?,
                expert: built.expert(m.expert)?,
            })
        };
        let before = schedule.meetings.len();
        let mut kept: Vec<Meeting> = Vec::new();
        let mut placed: Vec<Placed> = Vec::new();
        for mut m in std::mem::take(&mut schedule.meetings) {
            let Some(p) = placed_of(&built, &m) else {
                schedule
                    .unplaced
                    .push(dropped(spec, &m, "its slot, need or expert left the event".into()));
                continue;
            };
            placed.push(p);
            let broken = violations(&built.problem, &placed);
            if let Some(v) = broken.first() {
                placed.pop();
                schedule.unplaced.push(dropped(spec, &m, describe(v, &built, spec).1));
                continue;
            }
            let onsite = spec.slot(m.slot).is_some_and(|s| s.mode == SlotMode::Onsite);
            if !onsite || m.table.as_ref().is_some_and(|t| !spec.tables.contains(t)) {
                m.table = None;
            }
            kept.push(m);
        }
        seat(spec, &mut kept);
        if kept.len() < before {
            // Meetings participants were told of are gone: back to draft until published again.
            schedule.status = crate::domain::ScheduleStatus::Draft;
        }
        schedule.meetings = kept;
        Ok(schedule)
    }
}
