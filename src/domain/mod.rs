//! Plain domain types, parsed at the edges so that an invalid value cannot exist.

mod audit;
mod channel;
mod codes;
mod email;
mod event;
mod expert;
mod expert_facts;
mod ids;
mod introduction;
mod need;
mod problems;
mod tag;
mod text;
mod timezone;
mod token;
mod vocab;

pub use audit::AuditEntry;
pub use channel::Channel;
pub use codes::{CountryCode, LanguageCode};
pub use email::Email;
pub use event::{
    Event, EventExpert, EventNeed, EventSpec, Meeting, Preference, Quota, Schedule, Slot, Unplaced, WakingHours,
};
pub use expert::{expert_may_set_status, Consent, Contact, Expert, ExpertProfile, Preferences, Skill, SpokenLanguage};
pub use expert_facts::{ConsentFacts, ExpertFacts, LanguageFacts, PreferenceFacts, ProfileFacts, SkillFacts, TagText};
pub use ids::{ChannelId, EventId, ExpertId, IntroductionId, MeetingId, NeedId};
pub use introduction::{Introduction, Origin, Step};
pub use need::{Enterprise, EnterpriseContact, Indicator, Need, NeedSkill, NeedSpec};
pub use problems::Problems;
pub use tag::{Aliases, Concept, Labels, Lang, TagId, TagKind};
pub use text::Text;
pub use timezone::TimeZone;
pub use token::{OperatorToken, TokenName, ViewerToken};
pub use vocab::{
    AuditAction, ChannelKind, EngagementMode, EventFormat, ExpertStatus, IntroductionSource, Level, NeedStatus,
    NeedType, Placement, PreferenceKind, Proficiency, ScheduleStatus, Side, SlotMode, Stage, Urgency,
};

/// Turns free tag input (an id, or a label or alias in any language) into a concept id.
pub trait TagLookup {
    /// The concept `input` names, restricted to `kind` when given, or the nearest labels as suggestions.
    fn lookup(&self, input: &str, kind: Option<TagKind>) -> Result<TagId, Vec<String>>;
}

/// Tells whether records an event refers to exist, so that unknown ones are reported with the
/// other bad fields of the same request.
pub trait RecordLookup {
    /// True when the need may take part.
    fn has_need(&self, id: NeedId) -> bool;
    /// True when the expert may take part.
    fn has_expert(&self, id: ExpertId) -> bool;
}
