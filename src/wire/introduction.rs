//! Introduction payloads (schemas/introduction-input.schema.json, transition-input.schema.json,
//! introduction.schema.json, introduction-list.schema.json).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::fields::{opt_text, required};
use super::limits::SHORT_TEXT_CHARS;
use crate::domain::{EventId, ExpertId, Introduction, IntroductionSource, MeetingId, NeedId, Problems, Stage, Text};
use crate::engine::IntroductionFrom;
use crate::error::Result;

/// Longest note on a step.
pub const NOTE_CHARS: usize = 2000;

/// A new introduction: a pair (`source` match or manual), or an event meeting.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntroductionInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expert: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl IntroductionInput {
    /// What to introduce, and the note of the first step; every bad field at once.
    pub fn parse(&self) -> Result<(IntroductionFrom, Option<Text>)> {
        let mut p = Problems::new();
        let source = match self.source.as_deref() {
            None => Some(if self.meeting.is_some() {
                IntroductionSource::Event
            } else {
                IntroductionSource::Manual
            }),
            Some(raw) => p.check("source", IntroductionSource::parse(raw)),
        };
        let note = opt_text(&mut p, "note", self.note.as_deref(), NOTE_CHARS);
        let from = match source {
            Some(IntroductionSource::Event) => {
                let event =
                    required(&mut p, "event", self.event.as_deref()).and_then(|r| p.check("event", EventId::parse(r)));
                let meeting = required(&mut p, "meeting", self.meeting.as_deref())
                    .and_then(|r| p.check("meeting", MeetingId::parse(r)));
                for (field, given) in [("need", &self.need), ("expert", &self.expert)] {
                    if given.is_some() {
                        p.push(field, "comes from the meeting; leave it out");
                    }
                }
                event
                    .zip(meeting)
                    .map(|(event, meeting)| IntroductionFrom::Meeting { event, meeting })
            }
            Some(source) => {
                let need =
                    required(&mut p, "need", self.need.as_deref()).and_then(|r| p.check("need", NeedId::parse(r)));
                let expert = required(&mut p, "expert", self.expert.as_deref())
                    .and_then(|r| p.check("expert", ExpertId::parse(r)));
                for (field, given) in [("event", &self.event), ("meeting", &self.meeting)] {
                    if given.is_some() {
                        p.push(field, "only for source event");
                    }
                }
                need.zip(expert)
                    .map(|(need, expert)| IntroductionFrom::Pair { need, expert, source })
            }
            None => None,
        };
        p.finish(|| Some((from?, note?)))
    }
}

/// A move to another stage.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl TransitionInput {
    /// The stage to move to and the note.
    pub fn parse(&self) -> Result<(Stage, Option<Text>)> {
        let mut p = Problems::new();
        let to = required(&mut p, "to", self.to.as_deref()).and_then(|r| p.check("to", Stage::parse(r)));
        let note = opt_text(&mut p, "note", self.note.as_deref(), NOTE_CHARS);
        p.finish(|| Some((to?, note?)))
    }
}

/// One step.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StepView {
    pub stage: String,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub note: Option<String>,
}

/// An introduction as operators see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IntroductionView {
    pub id: String,
    pub version: u64,
    pub need_id: String,
    pub expert_id: String,
    pub source: String,
    pub event_id: Option<String>,
    pub meeting_id: Option<String>,
    pub score: Option<f32>,
    pub stage: String,
    /// Where it may move next; empty once final.
    pub allowed_next: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub history: Vec<StepView>,
}

impl From<&Introduction> for IntroductionView {
    fn from(i: &Introduction) -> Self {
        IntroductionView {
            id: i.id.to_string(),
            version: i.version,
            need_id: i.need.to_string(),
            expert_id: i.expert.to_string(),
            source: i.origin.source.as_str().to_string(),
            event_id: i.origin.event.map(|e| e.to_string()),
            meeting_id: i.origin.meeting.map(|m| m.to_string()),
            score: i.origin.score,
            stage: i.stage().as_str().to_string(),
            allowed_next: i.stage().next().iter().map(|s| s.as_str().to_string()).collect(),
            created_at: i.created_at(),
            updated_at: i.updated_at(),
            history: i
                .history
                .iter()
                .map(|s| StepView {
                    stage: s.stage.as_str().to_string(),
                    at: s.at,
                    actor: s.actor.to_string(),
                    note: s.note.as_ref().map(Text::to_string),
                })
                .collect(),
        }
    }
}

/// The actor of an operator's step: `operator:<name>`, as in the audit log.
pub fn operator_actor(operator: &crate::engine::Principal) -> Result<Text> {
    Text::parse(&operator.actor(), 1, SHORT_TEXT_CHARS).map_err(crate::error::Error::Internal)
}

/// A person's contact details.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContactView {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub other: Option<String>,
}

/// Both sides' contacts, released for one introduction.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReleasedContactsView {
    pub introduction_id: String,
    pub expert_id: String,
    pub expert: ContactView,
    pub need_id: String,
    pub enterprise: String,
    pub enterprise_contact: ContactView,
}

impl From<&crate::engine::ReleasedContacts> for ReleasedContactsView {
    fn from(r: &crate::engine::ReleasedContacts) -> Self {
        let p = &r.expert.profile;
        let c = &r.need.spec.enterprise.contact;
        ReleasedContactsView {
            introduction_id: r.introduction.to_string(),
            expert_id: r.expert.id.to_string(),
            expert: ContactView {
                name: Some(p.name.to_string()),
                email: Some(p.contact.email.as_str().to_string()),
                phone: p.contact.phone.as_ref().map(Text::to_string),
                other: p.contact.other.as_ref().map(Text::to_string),
            },
            need_id: r.need.id.to_string(),
            enterprise: r.need.spec.enterprise.name.to_string(),
            enterprise_contact: ContactView {
                name: c.name.as_ref().map(Text::to_string),
                email: c.email.as_ref().map(|e| e.as_str().to_string()),
                phone: c.phone.as_ref().map(Text::to_string),
                other: None,
            },
        }
    }
}
