//! An event's meeting schedule as returned by the API (schemas/schedule.schema.json): each
//! meeting's slot in the event's zone and in each side's own zone, and what was not placed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::event_view::{EventExpertView, EventNeedView};
use crate::domain::{Meeting, PreferenceKind, Slot, TimeZone};
use crate::engine::events::EventRecords;

/// A time span in one zone, with offsets.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocalSpan {
    pub time_zone: String,
    pub start: String,
    pub end: String,
}

impl LocalSpan {
    /// The span of `start`..`end` in `zone`.
    pub fn new(zone: TimeZone, start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        LocalSpan {
            time_zone: zone.name().to_string(),
            start: start.with_timezone(&zone.tz()).to_rfc3339(),
            end: end.with_timezone(&zone.tz()).to_rfc3339(),
        }
    }
}

/// One meeting.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MeetingView {
    pub id: String,
    pub mode: String,
    /// The slot in the event's zone.
    pub slot: LocalSpan,
    pub table: Option<String>,
    pub need: EventNeedView,
    pub expert: EventExpertView,
    /// The slot in the enterprise's zone.
    pub need_time: LocalSpan,
    /// The slot in the expert's zone.
    pub expert_time: LocalSpan,
    pub score: f32,
    pub preference: Option<String>,
    pub placed_by: String,
    pub met_before: bool,
}

/// Something the draft could not do.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnplacedView {
    pub code: String,
    pub need_id: Option<String>,
    pub expert_id: Option<String>,
    pub detail: String,
}

/// Totals of a schedule.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScheduleSummary {
    pub meetings: usize,
    pub slots: usize,
    pub needs_with_meetings: usize,
    pub experts_with_meetings: usize,
    pub must_meet_placed: usize,
    pub must_meet_asked: usize,
    pub total_score: f64,
}

/// The schedule of an event.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScheduleView {
    pub event_id: String,
    /// The event's version, for `If-Match` on schedule changes.
    pub event_version: u64,
    pub status: String,
    pub time_zone: String,
    pub anonymised: bool,
    pub drafted_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub meetings: Vec<MeetingView>,
    pub unplaced: Vec<UnplacedView>,
    pub summary: ScheduleSummary,
}

/// One meeting as shown, or None when its slot left the event.
pub fn meeting_view(r: &EventRecords, m: &Meeting, anonymised: bool) -> Option<MeetingView> {
    let spec = &r.event.spec;
    let slot: &Slot = spec.slot(m.slot)?;
    let expert_zone = r.experts.get(&m.expert).map_or(spec.time_zone, |e| e.profile.timezone);
    let need_zone = spec.need_zone(m.need);
    Some(MeetingView {
        id: m.id.to_string(),
        mode: slot.mode.as_str().to_string(),
        slot: LocalSpan::new(spec.time_zone, slot.start, slot.end),
        table: m.table.as_ref().map(ToString::to_string),
        need: EventNeedView::new(m.need, r.needs.get(&m.need), need_zone, anonymised),
        expert: EventExpertView::new(r.event.id, m.expert, r.experts.get(&m.expert), anonymised),
        need_time: LocalSpan::new(need_zone, slot.start, slot.end),
        expert_time: LocalSpan::new(expert_zone, slot.start, slot.end),
        score: m.score,
        preference: m.preference.map(|p| p.as_str().to_string()),
        placed_by: m.placed_by.as_str().to_string(),
        met_before: r.met.contains(&(m.need, m.expert)),
    })
}

impl ScheduleView {
    /// The view of the event's schedule, or None before the first draft.
    pub fn new(r: &EventRecords, anonymised: bool) -> Option<Self> {
        let schedule = r.event.schedule.as_ref()?;
        let spec = &r.event.spec;
        let meetings: Vec<MeetingView> = schedule
            .meetings
            .iter()
            .filter_map(|m| meeting_view(r, m, anonymised))
            .collect();
        let mut asked: Vec<_> = spec
            .preferences
            .iter()
            .filter(|p| p.kind == PreferenceKind::MustMeet)
            .map(|p| (p.need, p.expert))
            .collect();
        asked.sort_unstable();
        asked.dedup();
        let placed = |pair: &(crate::domain::NeedId, crate::domain::ExpertId)| {
            schedule.meetings.iter().any(|m| (m.need, m.expert) == *pair)
        };
        let mut needs: Vec<_> = schedule.meetings.iter().map(|m| m.need).collect();
        needs.sort_unstable();
        needs.dedup();
        let mut experts: Vec<_> = schedule.meetings.iter().map(|m| m.expert).collect();
        experts.sort_unstable();
        experts.dedup();
        let summary = ScheduleSummary {
            meetings: schedule.meetings.len(),
            slots: spec.slots.len(),
            needs_with_meetings: needs.len(),
            experts_with_meetings: experts.len(),
            must_meet_placed: asked.iter().filter(|p| placed(p)).count(),
            must_meet_asked: asked.len(),
            total_score: schedule.meetings.iter().map(|m| f64::from(m.score)).sum(),
        };
        Some(ScheduleView {
            event_id: r.event.id.to_string(),
            event_version: r.event.version,
            status: schedule.status.as_str().to_string(),
            time_zone: spec.time_zone.name().to_string(),
            anonymised,
            drafted_at: schedule.drafted_at,
            published_at: schedule.published_at,
            meetings,
            unplaced: if anonymised {
                Vec::new()
            } else {
                schedule
                    .unplaced
                    .iter()
                    .map(|u| UnplacedView {
                        code: u.code.clone(),
                        need_id: u.need.map(|n| n.to_string()),
                        expert_id: u.expert.map(|e| e.to_string()),
                        detail: u.detail.clone(),
                    })
                    .collect()
            },
            summary,
        })
    }
}
