//! The yearly summary the base reports: experts registered, needs collected, enterprises served,
//! events held, meetings, agreements and landed projects of one calendar year.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Serialize;

use super::history::{History, Period};
use crate::domain::{NeedId, ScheduleStatus, Stage};

/// The figures of one year; each is defined on its field.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct YearSummary {
    /// The year.
    pub year: i32,
    /// The zone its days are counted in.
    pub time_zone: String,
    /// Expert profiles created in the year (erased ones are not counted).
    pub experts_registered: usize,
    /// Needs recorded in the year.
    pub needs_collected: usize,
    /// Distinct enterprises (by name, case and spacing ignored) with a need that had an
    /// introduction proposed or a published meeting in the year.
    pub enterprises_served: usize,
    /// Events whose first day is in the year.
    pub events_held: usize,
    /// Meetings of published schedules whose slot starts in the year.
    pub meetings: usize,
    /// Introductions that reached `agreed` in the year.
    pub agreements: usize,
    /// Introductions that reached `landed` in the year.
    pub landed_projects: usize,
}

fn enterprise_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The summary of `year` in `period.zone` (the period's days are ignored).
pub fn year_summary(history: &History, year: i32, zone: crate::domain::TimeZone) -> YearSummary {
    let (Some(from), Some(to)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return YearSummary {
            year,
            time_zone: zone.name().to_string(),
            ..Default::default()
        };
    };
    let p = Period { from, to, zone };
    let mut served: BTreeSet<NeedId> = BTreeSet::new();
    let mut meetings = 0;
    for ev in &history.events {
        let Some(s) = ev.schedule.as_ref().filter(|s| s.status == ScheduleStatus::Published) else {
            continue;
        };
        for m in s.meetings.iter().filter(|m| p.holds(m.slot)) {
            meetings += 1;
            served.insert(m.need);
        }
    }
    served.extend(
        history
            .introductions
            .iter()
            .filter(|i| p.holds(i.created_at()))
            .map(|i| i.need),
    );
    let enterprises: BTreeSet<String> = history
        .needs
        .iter()
        .filter(|n| served.contains(&n.id))
        .map(|n| enterprise_key(n.spec.enterprise.name.as_str()))
        .collect();
    let reached_in = |stage: Stage| {
        history
            .introductions
            .iter()
            .filter(|i| i.reached_at(stage).is_some_and(|t| p.holds(t)))
            .count()
    };
    YearSummary {
        year,
        time_zone: zone.name().to_string(),
        experts_registered: history.experts.iter().filter(|e| p.holds(e.created_at)).count(),
        needs_collected: history.needs.iter().filter(|n| p.holds(n.created_at)).count(),
        enterprises_served: enterprises.len(),
        events_held: history.events.iter().filter(|e| p.holds_day(e.spec.starts_on)).count(),
        meetings,
        agreements: reached_in(Stage::Agreed),
        landed_projects: reached_in(Stage::Landed),
    }
}
