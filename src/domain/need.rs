//! Enterprise needs: the technology and talent demands that experts are matched against.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{Email, EngagementMode, LanguageCode, Level, NeedId, NeedStatus, NeedType, TagId, Text, Urgency};

/// The enterprise's contact person; visible to operators only.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EnterpriseContact {
    /// Who to talk to.
    pub name: Option<Text>,
    /// Their email.
    pub email: Option<Email>,
    /// Their phone.
    pub phone: Option<Text>,
}

/// The enterprise behind a need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enterprise {
    /// Registered name.
    pub name: Text,
    /// Zone or district (Nansha...).
    pub zone: Text,
    /// Private contact.
    pub contact: EnterpriseContact,
}

/// A skill a need asks for, with its weight and whether it is a must-have.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeedSkill {
    /// The concept.
    pub tag: TagId,
    /// 1 (nice to have) to 5 (central).
    pub weight: Level,
    /// An expert without this tag (or a narrower one) is gated out.
    pub must_have: bool,
}

/// A quantified target of the need, such as an energy density to reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// What is measured.
    pub name: Text,
    /// The value to reach.
    pub target: Text,
}

/// Everything an operator writes about a need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeedSpec {
    /// Who needs it.
    pub enterprise: Enterprise,
    /// One line.
    pub title: Text,
    /// The full story.
    pub description: Text,
    /// Kind of demand.
    pub need_type: NeedType,
    /// Skills with weights and must-haves.
    pub skills: Vec<NeedSkill>,
    /// Sectors of the need.
    pub sectors: Vec<TagId>,
    /// Ways of working offered.
    pub engagement_modes: Vec<EngagementMode>,
    /// Languages the expert must speak.
    pub languages: Vec<LanguageCode>,
    /// How pressing.
    pub urgency: Urgency,
    /// When it must be met.
    pub deadline: Option<NaiveDate>,
    /// Expected hours per month.
    pub hours_per_month: Option<u16>,
    /// Quantified targets.
    pub indicators: Vec<Indicator>,
}

/// A stored need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Need {
    /// Stable id.
    pub id: NeedId,
    /// What the enterprise wants.
    pub spec: NeedSpec,
    /// Lifecycle status.
    pub status: NeedStatus,
    /// Optimistic-concurrency version.
    pub version: u64,
    /// When recorded.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

impl Need {
    /// A newly recorded need.
    pub fn create(id: NeedId, spec: NeedSpec, status: NeedStatus, now: DateTime<Utc>) -> Self {
        Need {
            id,
            spec,
            status,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    /// The next version with a new spec and status.
    pub fn revise(&self, spec: NeedSpec, status: NeedStatus, now: DateTime<Utc>) -> Self {
        Need {
            spec,
            status,
            version: self.version + 1,
            updated_at: now,
            ..self.clone()
        }
    }
}
