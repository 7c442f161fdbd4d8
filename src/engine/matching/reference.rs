//! The plain scalar scorer: one need against one expert, tag by tag, straight from the taxonomy.
//! It explains every match, and it is the baseline the vectorized scorer is tested and benched against.

use serde::Serialize;

use super::formula::{
    combine, hours_fit, level_factor, need_type_fit, skill_weight, SECTOR_WEIGHT, UNKNOWN_PREFERENCE,
};
use super::gates::{gates, Gate};
use super::need::{MatchFilter, MatchNeed};
use super::relation::{relate, Relation};
use crate::domain::{Expert, TagId};
use crate::engine::taxonomy::Taxonomy;

/// Whether a need tag is a skill or a sector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Facet {
    /// A skill of the need, met by the expert's skills.
    Skill,
    /// A sector of the need, met by the expert's sectors.
    Sector,
}

/// How one need tag was met.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TagCredit {
    /// The need's tag.
    pub need_tag: TagId,
    /// Skill or sector.
    pub facet: Facet,
    /// Its weight.
    pub weight: f32,
    /// Whether it is a must-have.
    pub must_have: bool,
    /// The expert tag that met it best.
    pub matched_by: Option<TagId>,
    /// How that tag relates to the need's.
    pub relation: Option<Relation>,
    /// The credit earned, 0 to 1 (relation factor times level factor).
    pub credit: f32,
    /// What it adds to the enterprise-side fit (weight times credit over the total weight).
    pub contribution: f32,
}

/// How well the need suits the expert's own preferences; each part 0 to 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReverseFit {
    /// The mean of the parts.
    pub score: f32,
    /// Need type among the types the expert wants (0.5 when the expert said none).
    pub need_type: f32,
    /// Need sectors against the sectors the expert wants (0.5 when either side said none).
    pub sectors: f32,
    /// Share of the need's engagement modes the expert accepts.
    pub modes: f32,
    /// Expert hours against the hours the need expects.
    pub hours: f32,
}

/// The score of one pair, with every part that made it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairScore {
    /// The final score, 0 to 1.
    pub score: f32,
    /// The enterprise-side fit, 0 to 1.
    pub enterprise: f32,
    /// The reverse fit.
    pub reverse: ReverseFit,
    /// One entry per need skill, then per need sector.
    pub tags: Vec<TagCredit>,
}

fn best_credit<'a>(
    taxonomy: &Taxonomy,
    need_tag: &TagId,
    held: impl Iterator<Item = (&'a TagId, f32)>,
) -> (Option<TagId>, Option<Relation>, f32) {
    let mut best: (Option<TagId>, Option<Relation>, f32) = (None, None, 0.0);
    for (tag, level) in held {
        if let Some(rel) = relate(taxonomy, need_tag, tag) {
            let credit = rel.factor() * level;
            // Equal credits: the smaller tag id, so explanations are deterministic.
            let better =
                credit > best.2 || (credit == best.2 && credit > 0.0 && best.0.as_ref().is_some_and(|b| tag < b));
            if better {
                best = (Some(tag.clone()), Some(rel), credit);
            }
        }
    }
    best
}

/// The reverse fit of `need` for `expert`.
pub fn reverse_fit(taxonomy: &Taxonomy, need: &MatchNeed, expert: &Expert) -> ReverseFit {
    let p = &expert.profile;
    let need_type = need_type_fit(&p.preferences.need_types, need.need_type);
    let sectors = if p.preferences.sectors.is_empty() || need.sectors.is_empty() {
        UNKNOWN_PREFERENCE
    } else {
        let mut best: f32 = 0.0;
        for s in &need.sectors {
            for wanted in &p.preferences.sectors {
                best = best.max(relate(taxonomy, s, wanted).map_or(0.0, Relation::factor));
            }
        }
        best
    };
    let common = need
        .engagement_modes
        .iter()
        .filter(|m| p.engagement_modes.contains(m))
        .count();
    let modes = if need.engagement_modes.is_empty() {
        0.0
    } else {
        common as f32 / need.engagement_modes.len() as f32
    };
    let hours = hours_fit(p.hours_per_month, need.hours_per_month);
    ReverseFit {
        score: (need_type + sectors + modes + hours) / 4.0,
        need_type,
        sectors,
        modes,
        hours,
    }
}

/// Scores a pair without gates: per need tag the best-met credit, the weighted mean, the reverse fit.
pub fn score_pair(taxonomy: &Taxonomy, need: &MatchNeed, expert: &Expert) -> PairScore {
    let p = &expert.profile;
    let total = need.total_weight();
    let mut tags = Vec::with_capacity(need.skills.len() + need.sectors.len());
    let mut sum = 0.0f32;
    for s in &need.skills {
        let held = p.skills.iter().map(|k| (&k.tag, level_factor(k.level.get())));
        let (matched_by, relation, credit) = best_credit(taxonomy, &s.tag, held);
        let weight = skill_weight(s.weight);
        sum += weight * credit;
        tags.push(TagCredit {
            need_tag: s.tag.clone(),
            facet: Facet::Skill,
            weight,
            must_have: s.must_have,
            matched_by,
            relation,
            credit,
            contribution: weight * credit / total,
        });
    }
    for sector in &need.sectors {
        let held = p.sectors.iter().map(|t| (t, 1.0));
        let (matched_by, relation, credit) = best_credit(taxonomy, sector, held);
        sum += SECTOR_WEIGHT * credit;
        tags.push(TagCredit {
            need_tag: sector.clone(),
            facet: Facet::Sector,
            weight: SECTOR_WEIGHT,
            must_have: false,
            matched_by,
            relation,
            credit,
            contribution: SECTOR_WEIGHT * credit / total,
        });
    }
    let enterprise = if total > 0.0 { sum / total } else { 0.0 };
    let reverse = reverse_fit(taxonomy, need, expert);
    PairScore {
        score: combine(enterprise, reverse.score),
        enterprise,
        reverse,
        tags,
    }
}

/// The outcome of one pair: its score, or the gates that removed it.
#[derive(Debug, Clone, PartialEq)]
pub enum PairOutcome {
    /// Passed every gate.
    Scored(PairScore),
    /// Removed, with every reason.
    Gated(Vec<Gate>),
}

/// The full decision for one pair: gates, then the score, then the score-based gates.
pub fn judge(taxonomy: &Taxonomy, need: &MatchNeed, expert: &Expert, filter: &MatchFilter) -> PairOutcome {
    let gated = gates(taxonomy, need, expert, filter);
    if !gated.is_empty() {
        return PairOutcome::Gated(gated);
    }
    let scored = score_pair(taxonomy, need, expert);
    if scored.enterprise <= 0.0 {
        PairOutcome::Gated(vec![Gate::NoOverlap])
    } else if scored.score < filter.min_score {
        PairOutcome::Gated(vec![Gate::BelowMinScore {
            score: scored.score,
            min_score: filter.min_score,
        }])
    } else {
        PairOutcome::Scored(scored)
    }
}

/// The reference score of a pair, `None` when gated: the baseline of the vectorized scorer.
pub fn score_reference(taxonomy: &Taxonomy, need: &MatchNeed, expert: &Expert, filter: &MatchFilter) -> Option<f32> {
    match judge(taxonomy, need, expert, filter) {
        PairOutcome::Scored(s) => Some(s.score),
        PairOutcome::Gated(_) => None,
    }
}
