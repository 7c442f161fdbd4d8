//! The event payload of `POST /events` and `PUT /events/{id}` (schemas/event-input.schema.json).
//! Slot times are local times of the event's zone (`2026-12-03T15:00`) or carry an offset.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use super::fields::{int_in, opt_text, required, text};
use super::limits::*;
use crate::domain::{
    Event, EventExpert, EventFormat, EventNeed, EventSpec, ExpertId, NeedId, Preference, PreferenceKind, Problems,
    Quota, RecordLookup, Side, Slot, SlotMode, Text, TimeZone, WakingHours,
};
use crate::error::Result;

/// A time slot.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
}

/// Local hours for online meetings, `HH:MM`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WakingHoursInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

/// A meeting quota.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotaInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
}

/// A participating need.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventNeedInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<QuotaInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

/// A participating expert.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventExpertInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expert: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<QuotaInput>,
}

/// A pair preference.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreferenceInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expert: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

impl PreferenceInput {
    /// The preference, or its bad fields recorded under `prefix` (`preferences[3].`).
    fn fields(&self, p: &mut Problems, prefix: &str) -> Option<Preference> {
        let f = |name: &str| format!("{prefix}{name}");
        let need = required(p, &f("need"), self.need.as_deref()).and_then(|r| p.check(f("need"), NeedId::parse(r)));
        let expert =
            required(p, &f("expert"), self.expert.as_deref()).and_then(|r| p.check(f("expert"), ExpertId::parse(r)));
        let from = required(p, &f("from"), self.from.as_deref()).and_then(|r| p.check(f("from"), Side::parse(r)));
        let kind =
            required(p, &f("kind"), self.kind.as_deref()).and_then(|r| p.check(f("kind"), PreferenceKind::parse(r)));
        Some(Preference {
            need: need?,
            expert: expert?,
            from: from?,
            kind: kind?,
        })
    }

    /// One preference on its own (`POST /events/{id}/preferences`); every bad field at once.
    pub fn parse(&self) -> Result<Preference> {
        let mut p = Problems::new();
        let preference = self.fields(&mut p, "");
        p.finish(|| preference)
    }
}

/// An event as written by an organiser.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<String>,
    #[serde(default)]
    pub slots: Vec<SlotInput>,
    #[serde(default)]
    pub tables: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waking_hours: Option<WakingHoursInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expert_quota: Option<QuotaInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need_quota: Option<QuotaInput>,
    #[serde(default)]
    pub needs: Vec<EventNeedInput>,
    #[serde(default)]
    pub experts: Vec<EventExpertInput>,
    #[serde(default)]
    pub preferences: Vec<PreferenceInput>,
}

/// A local time of `zone` (`2026-12-03T15:00`) or an instant with an offset, as UTC.
pub fn instant_in(zone: TimeZone, raw: &str) -> Result<DateTime<Utc>, String> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    let local = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
        .ok_or_else(|| format!("{raw:?} is not a time such as 2026-12-03T15:00 or 2026-12-03T15:00:00+08:00"))?;
    match local.and_local_timezone(zone.tz()) {
        chrono::LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        chrono::LocalResult::Ambiguous(..) => Err(format!(
            "{raw} happens twice in {} (clocks go back); give it with an offset",
            zone.name()
        )),
        chrono::LocalResult::None => Err(format!("{raw} does not exist in {} (clocks go forward)", zone.name())),
    }
}

/// A time of day `HH:MM`.
fn time_of_day(raw: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(raw.trim(), "%H:%M").map_err(|_| format!("{raw:?} is not a time of day such as 08:00"))
}

fn date(p: &mut Problems, field: &str, raw: Option<&str>) -> Option<NaiveDate> {
    required(p, field, raw).and_then(|raw| {
        p.check(
            field,
            NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
                .map_err(|_| format!("{raw:?} is not a date such as 2026-12-03")),
        )
    })
}

fn quota(p: &mut Problems, field: &str, raw: Option<&QuotaInput>, default: Quota) -> Option<Quota> {
    let Some(q) = raw else {
        return Some(default);
    };
    let max = int_in(
        p,
        &format!("{field}.max"),
        q.max.unwrap_or(i64::from(default.max)),
        0,
        MAX_QUOTA,
    );
    // A participant that gives only its maximum keeps the event's minimum, unless that is above it.
    let min_default = i64::from(default.min).min(q.max.unwrap_or(i64::MAX));
    let min = int_in(p, &format!("{field}.min"), q.min.unwrap_or(min_default), 0, MAX_QUOTA);
    let (min, max) = (min?, max?);
    if min > max {
        p.push(format!("{field}.min"), format!("{min} is more than the maximum {max}"));
        return None;
    }
    Some(Quota { min, max })
}

fn slots(
    p: &mut Problems,
    raws: &[SlotInput],
    zone: Option<TimeZone>,
    format: Option<EventFormat>,
    days: Option<(NaiveDate, NaiveDate)>,
) -> Option<Vec<Slot>> {
    if !p.check_len("slots", raws, 0, MAX_EVENT_SLOTS) {
        return None;
    }
    let zone = zone?;
    let mut out = Vec::new();
    let mut ok = true;
    for (i, s) in raws.iter().enumerate() {
        let f = |name: &str| format!("slots[{i}].{name}");
        let start = required(p, &f("start"), s.start.as_deref()).and_then(|r| p.check(f("start"), instant_in(zone, r)));
        let end = required(p, &f("end"), s.end.as_deref()).and_then(|r| p.check(f("end"), instant_in(zone, r)));
        let mode = match (s.mode.as_deref(), format) {
            (Some(raw), _) => p.check(f("mode"), SlotMode::parse(raw)),
            (None, Some(EventFormat::Online)) => Some(SlotMode::Online),
            (None, Some(EventFormat::Onsite)) => Some(SlotMode::Onsite),
            (None, Some(EventFormat::Hybrid)) => {
                p.push(f("mode"), "is required in a hybrid event: online or onsite");
                None
            }
            (None, None) => None,
        };
        let (Some(start), Some(end), Some(mode)) = (start, end, mode) else {
            ok = false;
            continue;
        };
        let minutes = (end - start).num_minutes();
        if minutes <= 0 {
            p.push(f("end"), "must be after the start");
            ok = false;
        } else if minutes > MAX_SLOT_MINUTES {
            p.push(f("end"), format!("a slot lasts at most {MAX_SLOT_MINUTES} minutes"));
            ok = false;
        }
        match format {
            Some(EventFormat::Online) if mode == SlotMode::Onsite => {
                p.push(f("mode"), "an online event has online slots only");
                ok = false;
            }
            Some(EventFormat::Onsite) if mode == SlotMode::Online => {
                p.push(f("mode"), "an on-site event has onsite slots only");
                ok = false;
            }
            _ => {}
        }
        if let Some((first, last)) = days {
            let day = start.with_timezone(&zone.tz()).date_naive();
            if day < first || day > last {
                p.push(
                    f("start"),
                    format!("{day} is outside the event's days {first} to {last}"),
                );
                ok = false;
            }
        }
        out.push(Slot { start, end, mode });
    }
    out.sort_by_key(|s| s.start);
    for w in out.windows(2) {
        if w[1].start < w[0].end {
            p.push(
                "slots",
                format!(
                    "the slots starting {} and {} overlap",
                    w[0].start.to_rfc3339(),
                    w[1].start.to_rfc3339()
                ),
            );
            ok = false;
        }
    }
    ok.then_some(out)
}

fn tables(p: &mut Problems, raws: &[String]) -> Option<Vec<Text>> {
    if !p.check_len("tables", raws, 0, MAX_TABLES) {
        return None;
    }
    let mut out: Vec<Text> = Vec::new();
    let mut ok = true;
    for (i, raw) in raws.iter().enumerate() {
        match text(p, &format!("tables[{i}]"), raw, SHORT_TEXT_CHARS) {
            Some(t) if out.contains(&t) => {
                p.push(format!("tables[{i}]"), format!("{t} is listed twice"));
                ok = false;
            }
            Some(t) => out.push(t),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// The ids of a participant list (`needs[i].need`), each parsed, known to `exists` and listed once.
fn id_list<T: Copy + Eq + std::hash::Hash + std::fmt::Display>(
    p: &mut Problems,
    (field, member): (&str, &str),
    raws: &[Option<&str>],
    parse: fn(&str) -> Result<T, String>,
    exists: impl Fn(T) -> bool,
) -> Vec<Option<T>> {
    let mut seen = HashSet::new();
    raws.iter()
        .enumerate()
        .map(|(i, raw)| {
            let f = format!("{field}[{i}].{member}");
            let id = required(p, &f, *raw).and_then(|r| p.check(f.clone(), parse(r)))?;
            if !seen.insert(id) {
                p.push(f, "is listed twice");
                return None;
            }
            if !exists(id) {
                p.push(f, format!("no {member} {id} is stored"));
                return None;
            }
            Some(id)
        })
        .collect()
}

impl EventInput {
    /// Parses the payload into an event spec; every bad field at once, participants that
    /// `records` does not know included.
    pub fn into_spec(self, records: &dyn RecordLookup) -> Result<EventSpec> {
        let mut p = Problems::new();
        let title = required(&mut p, "title", self.title.as_deref()).and_then(|v| text(&mut p, "title", v, NAME_CHARS));
        let description = opt_text(&mut p, "description", self.description.as_deref(), DESCRIPTION_CHARS);
        let format =
            required(&mut p, "format", self.format.as_deref()).and_then(|v| p.check("format", EventFormat::parse(v)));
        let zone = required(&mut p, "time_zone", self.time_zone.as_deref())
            .and_then(|v| p.check("time_zone", TimeZone::parse(v)));
        let location = opt_text(&mut p, "location", self.location.as_deref(), NAME_CHARS);
        let starts_on = date(&mut p, "starts_on", self.starts_on.as_deref());
        let ends_on = date(&mut p, "ends_on", self.ends_on.as_deref());
        let days = match (starts_on, ends_on) {
            (Some(a), Some(b)) if b < a => {
                p.push("ends_on", "is before starts_on");
                None
            }
            (Some(a), Some(b)) if (b - a).num_days() >= MAX_EVENT_DAYS => {
                p.push("ends_on", format!("an event lasts at most {MAX_EVENT_DAYS} days"));
                None
            }
            (Some(a), Some(b)) => Some((a, b)),
            _ => None,
        };
        let slots = slots(&mut p, &self.slots, zone, format, days);
        let tables = tables(&mut p, &self.tables);
        let onsite = self.slots.iter().any(|s| match s.mode.as_deref() {
            Some(m) => m.trim() == SlotMode::Onsite.as_str(),
            None => format == Some(EventFormat::Onsite),
        });
        if onsite && tables.as_ref().is_some_and(Vec::is_empty) {
            p.push("tables", "on-site slots need at least one table or room");
        }
        let waking = match &self.waking_hours {
            None => Some(WakingHours::default()),
            Some(w) => {
                let d = WakingHours::default();
                let start = match w.start.as_deref() {
                    None => Some(d.start),
                    Some(r) => p.check("waking_hours.start", time_of_day(r)),
                };
                let end = match w.end.as_deref() {
                    None => Some(d.end),
                    Some(r) => p.check("waking_hours.end", time_of_day(r)),
                };
                match (start, end) {
                    (Some(s), Some(e)) if s == e => {
                        p.push("waking_hours.end", "must differ from the start");
                        None
                    }
                    (Some(start), Some(end)) => Some(WakingHours { start, end }),
                    _ => None,
                }
            }
        };
        let expert_quota = quota(&mut p, "expert_quota", self.expert_quota.as_ref(), Quota::DEFAULT);
        let need_quota = quota(&mut p, "need_quota", self.need_quota.as_ref(), Quota::DEFAULT);
        let needs = self.needs(&mut p, need_quota.unwrap_or(Quota::DEFAULT), records);
        let experts = self.experts(&mut p, expert_quota.unwrap_or(Quota::DEFAULT), records);
        let preferences = self.preferences(&mut p, needs.as_deref(), experts.as_deref());
        p.finish(|| {
            Some(EventSpec {
                title: title?,
                description: description?,
                format: format?,
                time_zone: zone?,
                location: location?,
                starts_on: starts_on?,
                ends_on: ends_on?,
                slots: slots?,
                tables: tables?,
                waking_hours: waking?,
                expert_quota: expert_quota?,
                need_quota: need_quota?,
                needs: needs?,
                experts: experts?,
                preferences: preferences?,
            })
        })
    }

    fn needs(&self, p: &mut Problems, default: Quota, records: &dyn RecordLookup) -> Option<Vec<EventNeed>> {
        if !p.check_len("needs", &self.needs, 0, MAX_EVENT_NEEDS) {
            return None;
        }
        let raws: Vec<Option<&str>> = self.needs.iter().map(|n| n.need.as_deref()).collect();
        let ids = id_list(p, ("needs", "need"), &raws, NeedId::parse, |id| records.has_need(id));
        let mut out = Vec::new();
        for (i, (n, id)) in self.needs.iter().zip(ids).enumerate() {
            let quota = match &n.quota {
                None => Some(None),
                Some(q) => quota(p, &format!("needs[{i}].quota"), Some(q), default).map(Some),
            };
            let zone = match n.time_zone.as_deref() {
                None => Some(None),
                Some(r) => p.check(format!("needs[{i}].time_zone"), TimeZone::parse(r)).map(Some),
            };
            out.push(EventNeed {
                need: id?,
                quota: quota?,
                time_zone: zone?,
            });
        }
        Some(out)
    }

    fn experts(&self, p: &mut Problems, default: Quota, records: &dyn RecordLookup) -> Option<Vec<EventExpert>> {
        if !p.check_len("experts", &self.experts, 0, MAX_EVENT_EXPERTS) {
            return None;
        }
        let raws: Vec<Option<&str>> = self.experts.iter().map(|e| e.expert.as_deref()).collect();
        let ids = id_list(p, ("experts", "expert"), &raws, ExpertId::parse, |id| {
            records.has_expert(id)
        });
        let mut out = Vec::new();
        for (i, (e, id)) in self.experts.iter().zip(ids).enumerate() {
            let quota = match &e.quota {
                None => Some(None),
                Some(q) => quota(p, &format!("experts[{i}].quota"), Some(q), default).map(Some),
            };
            out.push(EventExpert {
                expert: id?,
                quota: quota?,
            });
        }
        Some(out)
    }

    fn preferences(
        &self,
        p: &mut Problems,
        needs: Option<&[EventNeed]>,
        experts: Option<&[EventExpert]>,
    ) -> Option<Vec<Preference>> {
        if !p.check_len("preferences", &self.preferences, 0, MAX_PREFERENCES) {
            return None;
        }
        let mut out: Vec<Preference> = Vec::new();
        let mut ok = true;
        for (i, raw) in self.preferences.iter().enumerate() {
            let f = |name: &str| format!("preferences[{i}].{name}");
            let Some(Preference {
                need,
                expert,
                from,
                kind,
            }) = raw.fields(p, &format!("preferences[{i}]."))
            else {
                ok = false;
                continue;
            };
            if needs.is_some_and(|list| !list.iter().any(|n| n.need == need)) {
                p.push(f("need"), format!("need {need} is not among the event's needs"));
                ok = false;
            }
            if experts.is_some_and(|list| !list.iter().any(|e| e.expert == expert)) {
                p.push(f("expert"), format!("expert {expert} is not among the event's experts"));
                ok = false;
            }
            if out
                .iter()
                .any(|o| o.need == need && o.expert == expert && o.from == from)
            {
                p.push(
                    f("from"),
                    format!("the {from} side already gave a preference for this pair"),
                );
                ok = false;
            }
            out.push(Preference {
                need,
                expert,
                from,
                kind,
            });
        }
        ok.then_some(out)
    }

    /// The payload that would write `event` as it is (for PATCH and views); times in the event's zone.
    pub fn from_event(event: &Event) -> EventInput {
        let s = &event.spec;
        let zone = s.time_zone.tz();
        let quota = |q: Quota| QuotaInput {
            min: Some(i64::from(q.min)),
            max: Some(i64::from(q.max)),
        };
        EventInput {
            title: Some(s.title.to_string()),
            description: s.description.as_ref().map(Text::to_string),
            format: Some(s.format.as_str().to_string()),
            time_zone: Some(s.time_zone.name().to_string()),
            location: s.location.as_ref().map(Text::to_string),
            starts_on: Some(s.starts_on.format("%Y-%m-%d").to_string()),
            ends_on: Some(s.ends_on.format("%Y-%m-%d").to_string()),
            slots: s
                .slots
                .iter()
                .map(|x| SlotInput {
                    start: Some(x.start.with_timezone(&zone).to_rfc3339()),
                    end: Some(x.end.with_timezone(&zone).to_rfc3339()),
                    mode: Some(x.mode.as_str().to_string()),
                })
                .collect(),
            tables: s.tables.iter().map(Text::to_string).collect(),
            waking_hours: Some(WakingHoursInput {
                start: Some(s.waking_hours.start.format("%H:%M").to_string()),
                end: Some(s.waking_hours.end.format("%H:%M").to_string()),
            }),
            expert_quota: Some(quota(s.expert_quota)),
            need_quota: Some(quota(s.need_quota)),
            needs: s
                .needs
                .iter()
                .map(|n| EventNeedInput {
                    need: Some(n.need.to_string()),
                    quota: n.quota.map(quota),
                    time_zone: n.time_zone.map(|z| z.name().to_string()),
                })
                .collect(),
            experts: s
                .experts
                .iter()
                .map(|e| EventExpertInput {
                    expert: Some(e.expert.to_string()),
                    quota: e.quota.map(quota),
                })
                .collect(),
            preferences: s
                .preferences
                .iter()
                .map(|x| PreferenceInput {
                    need: Some(x.need.to_string()),
                    expert: Some(x.expert.to_string()),
                    from: Some(x.from.as_str().to_string()),
                    kind: Some(x.kind.as_str().to_string()),
                })
                .collect(),
        }
    }
}
