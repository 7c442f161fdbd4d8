//! Seating on-site meetings at tables: one meeting per table and slot, and an enterprise keeps
//! its table from slot to slot where it can, so that experts walk and enterprises stay.

use std::collections::HashMap;

use crate::domain::{EventSpec, Meeting, NeedId, SlotMode, Text};

/// Gives every on-site meeting without a table a free one, preferring the need's last table;
/// meetings of online slots have none. `meetings` is in slot order.
pub fn seat(spec: &EventSpec, meetings: &mut [Meeting]) {
    let mut last: HashMap<NeedId, Text> = HashMap::new();
    let mut start = 0;
    while start < meetings.len() {
        let slot = meetings[start].slot;
        let end = start + meetings[start..].iter().take_while(|m| m.slot == slot).count();
        let group = &mut meetings[start..end];
        let onsite = spec.slot(slot).is_some_and(|s| s.mode == SlotMode::Onsite);
        if !onsite {
            group.iter_mut().for_each(|m| m.table = None);
        } else {
            seat_slot(&spec.tables, group, &mut last);
        }
        start = end;
    }
}

fn seat_slot(tables: &[Text], group: &mut [Meeting], last: &mut HashMap<NeedId, Text>) {
    let mut used: Vec<Text> = group
        .iter()
        .filter_map(|m| m.table.clone())
        .filter(|t| tables.contains(t))
        .collect();
    for m in group.iter_mut() {
        if m.table.as_ref().is_some_and(|t| tables.contains(t)) {
            continue;
        }
        let preferred = last.get(&m.need).filter(|t| !used.contains(t)).cloned();
        m.table = preferred.or_else(|| tables.iter().find(|t| !used.contains(t)).cloned());
        if let Some(t) = &m.table {
            used.push(t.clone());
        }
    }
    for m in group.iter() {
        if let Some(t) = &m.table {
            last.insert(m.need, t.clone());
        }
    }
}
