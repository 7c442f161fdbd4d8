//! An expert's own export (schemas/personal-data.schema.json): the profile as the expert sees it,
//! its events with its own meetings, its introductions and the audit entries about it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::expert_view::ExpertView;
use super::introduction::IntroductionView;
use crate::domain::AuditEntry;
use crate::engine::PersonalData;

/// One of the expert's meetings at an event.
#[derive(Debug, Clone, Serialize)]
pub struct OwnMeeting {
    pub start: DateTime<Utc>,
    pub need_id: String,
    pub table: Option<String>,
    pub status: String,
}

/// An event the expert takes part in.
#[derive(Debug, Clone, Serialize)]
pub struct OwnEvent {
    pub id: String,
    pub title: String,
    pub starts_on: String,
    pub meetings: Vec<OwnMeeting>,
}

/// Everything stored about an expert.
#[derive(Debug, Clone, Serialize)]
pub struct PersonalDataView {
    pub exported_at: DateTime<Utc>,
    pub expert: ExpertView,
    pub events: Vec<OwnEvent>,
    pub introductions: Vec<IntroductionView>,
    pub audit: Vec<AuditEntry>,
}

impl PersonalDataView {
    /// The view of `data`.
    pub fn new(data: &PersonalData) -> Self {
        let id = data.expert.id;
        PersonalDataView {
            exported_at: Utc::now(),
            expert: ExpertView::from(&data.expert),
            events: data
                .events
                .iter()
                .map(|e| OwnEvent {
                    id: e.id.to_string(),
                    title: e.spec.title.to_string(),
                    starts_on: e.spec.starts_on.to_string(),
                    meetings: e
                        .schedule
                        .iter()
                        .flat_map(|s| {
                            s.meetings.iter().filter(|m| m.expert == id).map(|m| OwnMeeting {
                                start: m.slot,
                                need_id: m.need.to_string(),
                                table: m.table.as_ref().map(ToString::to_string),
                                status: s.status.as_str().to_string(),
                            })
                        })
                        .collect(),
                })
                .collect(),
            introductions: data.introductions.iter().map(IntroductionView::from).collect(),
            audit: data.audit.clone(),
        }
    }
}
