//! Expert profiles: who an overseas expert is, what they can do, and how they want to work.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    ChannelId, CountryCode, Email, EngagementMode, ExpertId, ExpertStatus, LanguageCode, Level, NeedType, Proficiency,
    TagId, Text, TimeZone,
};

/// How to reach an expert; visible to operators and to the expert only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    /// The address duplicates are detected by.
    pub email: Email,
    /// A phone number, free form.
    pub phone: Option<Text>,
    /// Anything else (WeChat id, LinkedIn...).
    pub other: Option<Text>,
}

/// A language an expert speaks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpokenLanguage {
    /// ISO 639-1 code.
    pub code: LanguageCode,
    /// How well.
    pub proficiency: Proficiency,
}

/// A skill an expert holds, at a level, with optional evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skill {
    /// The concept.
    pub tag: TagId,
    /// 1 (aware) to 5 (leading).
    pub level: Level,
    /// Papers, patents, projects.
    pub evidence: Vec<Text>,
}

/// What the expert is looking for: the reverse side of matching.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Preferences {
    /// Kinds of need the expert wants.
    pub need_types: Vec<NeedType>,
    /// Sectors the expert wants to work in.
    pub sectors: Vec<TagId>,
}

/// Consent to processing of personal data, recorded before a profile is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Consent {
    /// When it was given.
    pub given_at: DateTime<Utc>,
    /// Which version of the consent text was shown.
    pub text_version: Text,
    /// When it was withdrawn; a withdrawn consent takes the expert out of matching at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_at: Option<DateTime<Utc>>,
}

impl Consent {
    /// True unless withdrawn.
    pub fn is_given(&self) -> bool {
        self.withdrawn_at.is_none()
    }
}

/// Everything an expert (or an operator for them) may write about the expert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpertProfile {
    /// Full name.
    pub name: Text,
    /// Private contact.
    pub contact: Contact,
    /// Country of residence.
    pub country: CountryCode,
    /// City of residence.
    pub city: Text,
    /// Local time zone, for meetings.
    pub timezone: TimeZone,
    /// Employer or institute.
    pub organisation: Text,
    /// Position there.
    pub position: Text,
    /// A short biography.
    pub bio: Option<Text>,
    /// Languages spoken.
    pub languages: Vec<SpokenLanguage>,
    /// Skills with levels.
    pub skills: Vec<Skill>,
    /// Sectors of experience.
    pub sectors: Vec<TagId>,
    /// Ways of working accepted.
    pub engagement_modes: Vec<EngagementMode>,
    /// Hours per month available.
    pub hours_per_month: u16,
    /// What the expert wants.
    pub preferences: Preferences,
    /// The partner channel that brought the expert.
    pub channel: Option<ChannelId>,
}

/// A stored expert: the profile with its id, status, consent and version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Expert {
    /// Stable id.
    pub id: ExpertId,
    /// The profile.
    pub profile: ExpertProfile,
    /// Review status.
    pub status: ExpertStatus,
    /// Recorded consent.
    pub consent: Consent,
    /// Optimistic-concurrency version, 1 at creation, +1 per change.
    pub version: u64,
    /// When the profile was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl Expert {
    /// A newly registered expert, pending review.
    pub fn register(id: ExpertId, profile: ExpertProfile, consent: Consent, now: DateTime<Utc>) -> Self {
        Expert {
            id,
            profile,
            status: ExpertStatus::PendingReview,
            consent,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    /// The next version of this expert with a new profile and status.
    pub fn revise(&self, profile: ExpertProfile, status: ExpertStatus, now: DateTime<Utc>) -> Self {
        Expert {
            profile,
            status,
            version: self.version + 1,
            updated_at: now,
            ..self.clone()
        }
    }

    /// True when the expert speaks `code` at any level.
    pub fn speaks(&self, code: &LanguageCode) -> bool {
        self.profile.languages.iter().any(|l| &l.code == code)
    }
}

/// Whether `from → to` is a status change an expert may make on its own profile:
/// pausing or resuming once reviewed, never approving itself.
pub fn expert_may_set_status(from: ExpertStatus, to: ExpertStatus) -> bool {
    from == to
        || matches!(
            (from, to),
            (ExpertStatus::Active, ExpertStatus::Inactive) | (ExpertStatus::Inactive, ExpertStatus::Active)
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expert_cannot_approve_itself() {
        assert!(!expert_may_set_status(
            ExpertStatus::PendingReview,
            ExpertStatus::Active
        ));
    }

    #[test]
    fn an_active_expert_may_pause_and_resume() {
        assert!(expert_may_set_status(ExpertStatus::Active, ExpertStatus::Inactive));
        assert!(expert_may_set_status(ExpertStatus::Inactive, ExpertStatus::Active));
    }

    #[test]
    fn keeping_the_same_status_is_always_allowed() {
        assert!(expert_may_set_status(
            ExpertStatus::PendingReview,
            ExpertStatus::PendingReview
        ));
    }
}
