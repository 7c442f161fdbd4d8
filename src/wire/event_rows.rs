//! Shortlists and schedules flattened into spreadsheet rows and calendar entries, from the views
//! so that an export never shows more than the view it comes from.

use serde::{Deserialize, Serialize};

use super::export::{csv_with_bom, CalendarEntry};
use super::schedule_view::{MeetingView, ScheduleView};
use super::shortlist_view::ShortlistsView;

/// One shortlist line of the CSV export.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShortlistRow {
    pub need_id: String,
    pub need_title: String,
    pub enterprise: String,
    pub rank: usize,
    pub expert: String,
    pub expert_name: String,
    pub organisation: String,
    pub position: String,
    pub country: String,
    pub email: String,
    pub score: String,
    pub must_haves_met: String,
    pub missing: String,
    pub met_before: bool,
    pub preference: String,
}

/// One meeting line of the CSV export.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MeetingRow {
    pub meeting_id: String,
    pub mode: String,
    pub start: String,
    pub end: String,
    pub table: String,
    pub need_id: String,
    pub need_title: String,
    pub enterprise: String,
    pub enterprise_local_start: String,
    pub enterprise_time_zone: String,
    pub expert: String,
    pub expert_name: String,
    pub organisation: String,
    pub country: String,
    pub expert_local_start: String,
    pub expert_time_zone: String,
    pub score: String,
    pub preference: String,
    pub met_before: bool,
}

/// Free text as a spreadsheet cell: text that a spreadsheet would run as a formula (it starts
/// with `=`, `+`, `-` or `@`) gets a leading apostrophe, so a registered name cannot carry one.
pub fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn or_blank(v: &Option<String>) -> String {
    cell(v.as_deref().unwrap_or_default())
}

/// A CSV file with a BOM; a header row even when there are no rows.
pub fn csv_file<T: Serialize + Default>(rows: &[T]) -> crate::error::Result<Vec<u8>> {
    if !rows.is_empty() {
        return csv_with_bom(rows);
    }
    let mut header = csv_with_bom(&[T::default()])?;
    if let Some(end) = header.iter().position(|b| *b == b'\n') {
        header.truncate(end + 1);
    }
    Ok(header)
}

/// The rows of a shortlists view, need by need.
pub fn shortlist_rows(view: &ShortlistsView) -> Vec<ShortlistRow> {
    view.lists
        .iter()
        .flat_map(|l| {
            l.experts.iter().map(move |x| ShortlistRow {
                need_id: l.need.id.clone(),
                need_title: or_blank(&l.need.title),
                enterprise: or_blank(&l.need.enterprise),
                rank: x.rank,
                expert: x.expert.id.clone().unwrap_or_else(|| x.expert.label.clone()),
                expert_name: or_blank(&x.expert.name),
                organisation: or_blank(&x.expert.organisation),
                position: or_blank(&x.expert.position),
                country: or_blank(&x.expert.country),
                email: or_blank(&x.expert.email),
                score: format!("{:.3}", x.score),
                must_haves_met: x.explanation.must_haves_met.join(" "),
                missing: x.explanation.missing.join(" "),
                met_before: x.met_before,
                preference: or_blank(&x.preference),
            })
        })
        .collect()
}

fn meeting_row(m: &MeetingView) -> MeetingRow {
    MeetingRow {
        meeting_id: m.id.clone(),
        mode: m.mode.clone(),
        start: m.slot.start.clone(),
        end: m.slot.end.clone(),
        table: or_blank(&m.table),
        need_id: m.need.id.clone(),
        need_title: or_blank(&m.need.title),
        enterprise: or_blank(&m.need.enterprise),
        enterprise_local_start: m.need_time.start.clone(),
        enterprise_time_zone: m.need_time.time_zone.clone(),
        expert: m.expert.id.clone().unwrap_or_else(|| m.expert.label.clone()),
        expert_name: or_blank(&m.expert.name),
        organisation: or_blank(&m.expert.organisation),
        country: or_blank(&m.expert.country),
        expert_local_start: m.expert_time.start.clone(),
        expert_time_zone: m.expert_time.time_zone.clone(),
        score: format!("{:.3}", m.score),
        preference: or_blank(&m.preference),
        met_before: m.met_before,
    }
}

/// The rows of a schedule view, in slot order.
pub fn meeting_rows(view: &ScheduleView) -> Vec<MeetingRow> {
    view.meetings.iter().map(meeting_row).collect()
}

/// Calendar entries of the meetings `keep` selects (one participant's), titled for that side.
pub fn calendar_entries(
    view: &ScheduleView,
    event_title: &str,
    keep: impl Fn(&MeetingView) -> bool,
) -> Vec<CalendarEntry> {
    view.meetings
        .iter()
        .filter(|m| keep(m))
        .filter_map(|m| {
            let start = chrono::DateTime::parse_from_rfc3339(&m.slot.start).ok()?.to_utc();
            let end = chrono::DateTime::parse_from_rfc3339(&m.slot.end).ok()?.to_utc();
            let expert = m.expert.name.clone().unwrap_or_else(|| m.expert.label.clone());
            let need = m.need.title.clone().unwrap_or_else(|| m.need.id.clone());
            let enterprise = m.need.enterprise.clone().map(|e| format!(" ({e})")).unwrap_or_default();
            Some(CalendarEntry {
                uid: format!("{}@talentbridge", m.id),
                start,
                end,
                summary: format!("{event_title}: {need} / {expert}"),
                description: format!(
                    "1:1 meeting, {}.\nNeed: {need}{enterprise}\nExpert: {expert}\nEnterprise time: {} ({})\nExpert time: {} ({})",
                    m.mode, m.need_time.start, m.need_time.time_zone, m.expert_time.start, m.expert_time.time_zone
                ),
                location: m.table.clone(),
            })
        })
        .collect()
}
