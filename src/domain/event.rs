//! Matchmaking events: slots, tables, participants with quotas, pair preferences and the schedule.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    EventFormat, EventId, ExpertId, MeetingId, NeedId, Placement, PreferenceKind, ScheduleStatus, Side, SlotMode, Text,
    TimeZone,
};

/// How many meetings one participant should have at an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quota {
    /// Fewest meetings wanted; the draft reports participants left below it.
    pub min: u16,
    /// Most meetings allowed; never exceeded.
    pub max: u16,
}

impl Quota {
    /// The default: no minimum, at most 6 meetings.
    pub const DEFAULT: Quota = Quota { min: 0, max: 6 };
}

/// The local hours in which a participant may be asked to join an online meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WakingHours {
    /// Earliest local start.
    pub start: NaiveTime,
    /// Latest local end; when before `start`, the window runs past midnight.
    pub end: NaiveTime,
}

impl Default for WakingHours {
    /// 08:00 to 22:00.
    fn default() -> Self {
        WakingHours {
            start: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
            end: NaiveTime::from_hms_opt(22, 0, 0).unwrap_or_default(),
        }
    }
}

/// One time slot of an event; its start identifies it within the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    /// Start instant.
    pub start: DateTime<Utc>,
    /// End instant, after the start.
    pub end: DateTime<Utc>,
    /// Online or at tables.
    pub mode: SlotMode,
}

/// A need taking part in an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventNeed {
    /// The need.
    pub need: NeedId,
    /// Its quota, when not the event's default.
    pub quota: Option<Quota>,
    /// Where the enterprise's people sit, when not in the event's zone.
    pub time_zone: Option<TimeZone>,
}

/// An expert taking part in an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventExpert {
    /// The expert.
    pub expert: ExpertId,
    /// Its quota, when not the event's default.
    pub quota: Option<Quota>,
}

/// What one side said about meeting the other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preference {
    /// The need of the pair.
    pub need: NeedId,
    /// The expert of the pair.
    pub expert: ExpertId,
    /// Who said it.
    pub from: Side,
    /// What they said.
    pub kind: PreferenceKind,
}

/// Everything an organiser writes about an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventSpec {
    /// Title.
    pub title: Text,
    /// What it is about.
    pub description: Option<Text>,
    /// Online, on site or both.
    pub format: EventFormat,
    /// The zone the event's times are written in.
    pub time_zone: TimeZone,
    /// Where it takes place (for on-site slots).
    pub location: Option<Text>,
    /// First day, in the event's zone.
    pub starts_on: NaiveDate,
    /// Last day, in the event's zone.
    pub ends_on: NaiveDate,
    /// Meeting slots in time order, without overlaps.
    pub slots: Vec<Slot>,
    /// Tables or rooms for on-site meetings; one meeting per table and slot.
    pub tables: Vec<Text>,
    /// Local hours for online meetings.
    pub waking_hours: WakingHours,
    /// Quota of an expert without its own.
    pub expert_quota: Quota,
    /// Quota of a need without its own.
    pub need_quota: Quota,
    /// Participating needs.
    pub needs: Vec<EventNeed>,
    /// Participating experts.
    pub experts: Vec<EventExpert>,
    /// Pair preferences from either side.
    pub preferences: Vec<Preference>,
}

impl EventSpec {
    /// The quota of a participating need.
    pub fn need_quota(&self, id: NeedId) -> Quota {
        self.needs
            .iter()
            .find(|n| n.need == id)
            .and_then(|n| n.quota)
            .unwrap_or(self.need_quota)
    }

    /// The quota of a participating expert.
    pub fn expert_quota(&self, id: ExpertId) -> Quota {
        self.experts
            .iter()
            .find(|e| e.expert == id)
            .and_then(|e| e.quota)
            .unwrap_or(self.expert_quota)
    }

    /// The zone of a participating need's enterprise.
    pub fn need_zone(&self, id: NeedId) -> TimeZone {
        self.needs
            .iter()
            .find(|n| n.need == id)
            .and_then(|n| n.time_zone)
            .unwrap_or(self.time_zone)
    }

    /// The slot starting at `start`.
    pub fn slot(&self, start: DateTime<Utc>) -> Option<&Slot> {
        self.slots.iter().find(|s| s.start == start)
    }

    /// What both sides said about a pair, combined: `no_thanks` from either side wins, then
    /// `must_meet`, then `meet`.
    pub fn preference(&self, need: NeedId, expert: ExpertId) -> Option<PreferenceKind> {
        self.preferences
            .iter()
            .filter(|p| p.need == need && p.expert == expert)
            .map(|p| p.kind)
            .min_by_key(|k| match k {
                PreferenceKind::NoThanks => 0,
                PreferenceKind::MustMeet => 1,
                PreferenceKind::Meet => 2,
            })
    }

    /// How many sides asked to meet (`meet` or `must_meet`).
    pub fn meet_votes(&self, need: NeedId, expert: ExpertId) -> usize {
        self.preferences
            .iter()
            .filter(|p| p.need == need && p.expert == expert && p.kind != PreferenceKind::NoThanks)
            .count()
    }
}

/// One 1:1 meeting of a schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    /// Stable id within the event.
    pub id: MeetingId,
    /// The slot's start.
    pub slot: DateTime<Utc>,
    /// The need.
    pub need: NeedId,
    /// The expert.
    pub expert: ExpertId,
    /// The table or room, for on-site slots.
    pub table: Option<Text>,
    /// The pair's match score when placed (0 when placed against the score gates).
    pub score: f32,
    /// What the sides said about the pair.
    pub preference: Option<PreferenceKind>,
    /// The scheduler or an organiser.
    pub placed_by: Placement,
}

/// Something the scheduler could not do, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unplaced {
    /// A stable code: `must_meet_not_placed`, `below_min_quota`...
    pub code: String,
    /// The need concerned, if any.
    pub need: Option<NeedId>,
    /// The expert concerned, if any.
    pub expert: Option<ExpertId>,
    /// Why, in words.
    pub detail: String,
}

/// The meetings of an event, from the draft to the published plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    /// Draft or published.
    pub status: ScheduleStatus,
    /// Meetings in slot order.
    pub meetings: Vec<Meeting>,
    /// What could not be placed, as of the last change.
    pub unplaced: Vec<Unplaced>,
    /// When the draft was made.
    pub drafted_at: DateTime<Utc>,
    /// When last published.
    pub published_at: Option<DateTime<Utc>>,
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Stable id.
    pub id: EventId,
    /// What the organisers wrote.
    pub spec: EventSpec,
    /// The meeting schedule, once drafted.
    pub schedule: Option<Schedule>,
    /// Optimistic-concurrency version.
    pub version: u64,
    /// When recorded.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

impl Event {
    /// A newly recorded event.
    pub fn create(id: EventId, spec: EventSpec, now: DateTime<Utc>) -> Self {
        Event {
            id,
            spec,
            schedule: None,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    /// The next version with a new spec and schedule.
    pub fn revise(&self, spec: EventSpec, schedule: Option<Schedule>, now: DateTime<Utc>) -> Self {
        Event {
            spec,
            schedule,
            version: self.version + 1,
            updated_at: now,
            ..self.clone()
        }
    }

    /// True when the schedule is published.
    pub fn is_published(&self) -> bool {
        self.schedule
            .as_ref()
            .is_some_and(|s| s.status == ScheduleStatus::Published)
    }
}
