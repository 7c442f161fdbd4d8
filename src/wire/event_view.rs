//! The event as returned by the API (schemas/event.schema.json), and how its participants appear
//! in shortlists and schedules, named or anonymised.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::event_input::EventInput;
use crate::domain::{Event, EventId, Expert, ExpertId, Need, NeedId, TimeZone};

/// An event as organisers see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventView {
    pub id: String,
    pub version: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// draft, published, or null before the first draft.
    pub schedule_status: Option<String>,
    pub meetings: usize,
    #[serde(flatten)]
    pub event: EventInput,
}

impl From<&Event> for EventView {
    fn from(e: &Event) -> Self {
        EventView {
            id: e.id.to_string(),
            version: e.version,
            created_at: e.created_at,
            updated_at: e.updated_at,
            schedule_status: e.schedule.as_ref().map(|s| s.status.as_str().to_string()),
            meetings: e.schedule.as_ref().map_or(0, |s| s.meetings.len()),
            event: EventInput::from_event(e),
        }
    }
}

/// A pseudonym of an expert that is stable within one event and reveals nothing.
pub fn expert_label(event: EventId, expert: ExpertId) -> String {
    let digest = Sha256::digest([event.as_bytes().as_slice(), expert.as_bytes().as_slice()].concat());
    let hex: String = digest.iter().take(3).map(|b| format!("{b:02X}")).collect();
    format!("Expert {hex}")
}

/// An expert as shown in an event's lists; anonymised: no id, name, organisation, city or contact.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventExpertView {
    pub id: Option<String>,
    pub label: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub organisation: Option<String>,
    pub position: Option<String>,
    pub country: Option<String>,
    pub city: Option<String>,
    pub time_zone: Option<String>,
}

impl EventExpertView {
    /// The expert `id` of `event`, from its record when still stored.
    pub fn new(event: EventId, id: ExpertId, record: Option<&Expert>, anonymised: bool) -> Self {
        let p = record.map(|e| &e.profile);
        let named = |v: Option<String>| if anonymised { None } else { v };
        EventExpertView {
            id: named(Some(id.to_string())),
            label: expert_label(event, id),
            name: named(p.map(|p| p.name.to_string())),
            email: named(p.map(|p| p.contact.email.as_str().to_string())),
            organisation: named(p.map(|p| p.organisation.to_string())),
            position: p.map(|p| p.position.to_string()),
            country: p.map(|p| p.country.as_str().to_string()),
            city: named(p.map(|p| p.city.to_string())),
            time_zone: p.map(|p| p.timezone.name().to_string()),
        }
    }
}

/// A need as shown in an event's lists; anonymised: no enterprise name or contact.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventNeedView {
    pub id: String,
    pub title: Option<String>,
    pub enterprise: Option<String>,
    pub contact_email: Option<String>,
    pub time_zone: String,
}

impl EventNeedView {
    /// The need `id`, from its record when still stored.
    pub fn new(id: NeedId, record: Option<&Need>, zone: TimeZone, anonymised: bool) -> Self {
        let s = record.map(|n| &n.spec);
        EventNeedView {
            id: id.to_string(),
            title: s.map(|s| s.title.to_string()),
            enterprise: s.filter(|_| !anonymised).map(|s| s.enterprise.name.to_string()),
            contact_email: s
                .filter(|_| !anonymised)
                .and_then(|s| s.enterprise.contact.email.as_ref())
                .map(|e| e.as_str().to_string()),
            time_zone: zone.name().to_string(),
        }
    }
}
