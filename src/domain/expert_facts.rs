//! The facts of an expert that matching reads (status, consent, skills, sectors, languages, modes,
//! hours, preferences, country, channel), decoded from a stored record without the rest: names,
//! contacts, evidence and dates are skipped, not allocated, and tags are borrowed from the record.
//! The start-up load of a million profiles reads only these.

use std::borrow::Cow;

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::{ChannelId, CountryCode, EngagementMode, Expert, ExpertStatus, LanguageCode, Level, NeedType};

/// A tag id as written in a record, borrowed from it when it has no escapes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TagText<'a>(#[serde(borrow)] pub Cow<'a, str>);

/// What matching reads of an expert; field names and shapes are those of `Expert`'s record.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ExpertFacts<'a> {
    /// Review status.
    pub status: ExpertStatus,
    /// Whether consent is withdrawn.
    pub consent: ConsentFacts,
    /// The profile's matching parts.
    #[serde(borrow)]
    pub profile: ProfileFacts<'a>,
}

/// Of the consent, only whether it was withdrawn.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ConsentFacts {
    /// True when the record has a withdrawal date.
    #[serde(default, rename = "withdrawn_at", deserialize_with = "present")]
    pub withdrawn: bool,
}

impl ConsentFacts {
    /// True unless withdrawn.
    pub fn is_given(&self) -> bool {
        !self.withdrawn
    }
}

/// True for any value but null, as `Option` reads it.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Option::<IgnoredAny>::deserialize(d).map(|v| v.is_some())
}

/// A spoken language's code (the proficiency is not read).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LanguageFacts {
    /// ISO 639-1 code.
    pub code: LanguageCode,
}

/// A skill's tag and level (the evidence is not read).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SkillFacts<'a> {
    /// The concept.
    #[serde(borrow)]
    pub tag: TagText<'a>,
    /// 1 to 5.
    pub level: Level,
}

/// The wanted need types and sectors.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PreferenceFacts<'a> {
    /// Kinds of need wanted.
    pub need_types: Vec<NeedType>,
    /// Sectors wanted.
    #[serde(borrow)]
    pub sectors: Vec<TagText<'a>>,
}

/// The profile's matching parts.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ProfileFacts<'a> {
    /// Country of residence.
    pub country: CountryCode,
    /// Languages spoken.
    pub languages: Vec<LanguageFacts>,
    /// Skills with levels.
    #[serde(borrow)]
    pub skills: Vec<SkillFacts<'a>>,
    /// Sectors of experience.
    #[serde(borrow)]
    pub sectors: Vec<TagText<'a>>,
    /// Ways of working accepted.
    pub engagement_modes: Vec<EngagementMode>,
    /// Hours per month available.
    pub hours_per_month: u16,
    /// What the expert wants.
    #[serde(borrow)]
    pub preferences: PreferenceFacts<'a>,
    /// The partner channel that brought the expert.
    pub channel: Option<ChannelId>,
}

fn tags(tags: &[super::TagId]) -> Vec<TagText<'_>> {
    tags.iter().map(|t| TagText(Cow::Borrowed(t.as_str()))).collect()
}

impl<'a> ExpertFacts<'a> {
    /// The facts of an expert in memory, borrowing its tags.
    pub fn of(expert: &'a Expert) -> Self {
        let p = &expert.profile;
        ExpertFacts {
            status: expert.status,
            consent: ConsentFacts {
                withdrawn: !expert.consent.is_given(),
            },
            profile: ProfileFacts {
                country: p.country.clone(),
                languages: p
                    .languages
                    .iter()
                    .map(|l| LanguageFacts { code: l.code.clone() })
                    .collect(),
                skills: p
                    .skills
                    .iter()
                    .map(|s| SkillFacts {
                        tag: TagText(Cow::Borrowed(s.tag.as_str())),
                        level: s.level,
                    })
                    .collect(),
                sectors: tags(&p.sectors),
                engagement_modes: p.engagement_modes.clone(),
                hours_per_month: p.hours_per_month,
                preferences: PreferenceFacts {
                    need_types: p.preferences.need_types.clone(),
                    sectors: tags(&p.preferences.sectors),
                },
                channel: p.channel.clone(),
            },
        }
    }
}
