//! Gates: what removes an expert from a need's candidates before any scoring. A gate never adds points.

use serde::Serialize;

use super::formula::MIN_SKILLS;
use super::need::{MatchFilter, MatchNeed};
use crate::domain::{Expert, ExpertStatus, LanguageCode, TagId};
use crate::engine::taxonomy::Taxonomy;

/// Why an expert is not among a need's matches.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "gate", rename_all = "snake_case")]
pub enum Gate {
    /// The need is not open (paused, filled or closed).
    NeedNotOpen { status: crate::domain::NeedStatus },
    /// Pending review or inactive.
    NotActive { status: ExpertStatus },
    /// The expert withdrew consent to the processing of its profile.
    NoConsent,
    /// Fewer skills than a profile needs to be scored.
    IncompleteProfile { skills: usize },
    /// Holds neither this must-have tag nor a narrower one.
    MissingMustHave { tag: TagId },
    /// Accepts none of the need's engagement modes.
    NoCommonMode,
    /// Does not speak a required language.
    LanguageNotSpoken { language: LanguageCode },
    /// Excluded by the query.
    Excluded,
    /// Shares nothing with the need: unrelated tags add nothing.
    NoOverlap,
    /// Scores below the query's `min_score`.
    BelowMinScore { score: f32, min_score: f32 },
    /// Left out by a query filter.
    FilteredOut { filter: &'static str },
}

/// True when the expert holds `tag` or a narrower one.
pub fn holds(taxonomy: &Taxonomy, expert: &Expert, tag: &TagId) -> bool {
    expert.profile.skills.iter().any(|s| taxonomy.is_within(&s.tag, tag))
}

/// Every gate that removes `expert` from `need`'s candidates, before scoring (empty: it passes).
pub fn gates(taxonomy: &Taxonomy, need: &MatchNeed, expert: &Expert, filter: &MatchFilter) -> Vec<Gate> {
    let p = &expert.profile;
    let mut out = Vec::new();
    if expert.status != ExpertStatus::Active {
        out.push(Gate::NotActive { status: expert.status });
    }
    if !expert.consent.is_given() {
        out.push(Gate::NoConsent);
    }
    if p.skills.len() < MIN_SKILLS {
        out.push(Gate::IncompleteProfile { skills: p.skills.len() });
    }
    for s in need.skills.iter().filter(|s| s.must_have) {
        if !holds(taxonomy, expert, &s.tag) {
            out.push(Gate::MissingMustHave { tag: s.tag.clone() });
        }
    }
    if !need.engagement_modes.iter().any(|m| p.engagement_modes.contains(m)) {
        out.push(Gate::NoCommonMode);
    }
    for l in &need.languages {
        if !expert.speaks(l) {
            out.push(Gate::LanguageNotSpoken { language: l.clone() });
        }
    }
    if filter.exclude.contains(&expert.id) {
        out.push(Gate::Excluded);
    }
    let filtered = |name: &'static str| Gate::FilteredOut { filter: name };
    if filter.mode.is_some_and(|m| !p.engagement_modes.contains(&m)) {
        out.push(filtered("mode"));
    }
    if filter.country.as_ref().is_some_and(|c| &p.country != c) {
        out.push(filtered("country"));
    }
    if filter.language.as_ref().is_some_and(|l| !expert.speaks(l)) {
        out.push(filtered("language"));
    }
    if filter.channel.as_ref().is_some_and(|c| p.channel.as_ref() != Some(c)) {
        out.push(filtered("channel"));
    }
    if filter
        .sector
        .as_ref()
        .is_some_and(|s| !p.sectors.iter().any(|x| taxonomy.is_within(x, s)))
    {
        out.push(filtered("sector"));
    }
    out
}
