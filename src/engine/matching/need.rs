//! What the matcher needs of a need (stored or ad hoc), and the filters of a match query.

use std::collections::HashSet;

use super::formula::{skill_weight, SECTOR_WEIGHT};
use crate::domain::{
    ChannelId, CountryCode, EngagementMode, ExpertId, LanguageCode, NeedSkill, NeedSpec, NeedType, TagId,
};

/// A need as the matcher sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchNeed {
    /// Skills with weights and must-haves.
    pub skills: Vec<NeedSkill>,
    /// Sectors, matched against the expert's sectors.
    pub sectors: Vec<TagId>,
    /// Kind of demand, for the reverse fit.
    pub need_type: NeedType,
    /// Modes offered; an expert must accept one.
    pub engagement_modes: Vec<EngagementMode>,
    /// Languages the expert must all speak.
    pub languages: Vec<LanguageCode>,
    /// Expected hours per month, for the reverse fit.
    pub hours_per_month: Option<u16>,
}

impl MatchNeed {
    /// The matcher's view of a stored need.
    pub fn from_spec(spec: &NeedSpec) -> Self {
        MatchNeed {
            skills: spec.skills.clone(),
            sectors: spec.sectors.clone(),
            need_type: spec.need_type,
            engagement_modes: spec.engagement_modes.clone(),
            languages: spec.languages.clone(),
            hours_per_month: spec.hours_per_month,
        }
    }

    /// The sum of all weights (skills 1-5 each, sectors `SECTOR_WEIGHT` each): the normaliser.
    pub fn total_weight(&self) -> f32 {
        let skills: f32 = self.skills.iter().map(|s| skill_weight(s.weight)).sum();
        skills + SECTOR_WEIGHT * self.sectors.len() as f32
    }
}

/// Filters of a match query; gates apply in any case.
#[derive(Debug, Clone, Default)]
pub struct MatchFilter {
    /// Drop matches scoring below this.
    pub min_score: f32,
    /// Only experts accepting this mode.
    pub mode: Option<EngagementMode>,
    /// Only experts living in this country.
    pub country: Option<CountryCode>,
    /// Only experts speaking this language.
    pub language: Option<LanguageCode>,
    /// Only experts brought by this channel.
    pub channel: Option<ChannelId>,
    /// Only experts with this sector or a narrower one.
    pub sector: Option<TagId>,
    /// Experts to leave out.
    pub exclude: HashSet<ExpertId>,
}
