//! The scalar baseline: the reference scorer over every profile, then a full sort for the top k.

use crate::domain::{Expert, ExpertId};
use crate::engine::matching::{score_reference, MatchFilter, MatchNeed};
use crate::engine::Taxonomy;

/// The best `k` of `experts` for `need` by the plain scalar reference, score descending then id ascending.
pub fn reference_top(
    taxonomy: &Taxonomy,
    need: &MatchNeed,
    experts: &[Expert],
    filter: &MatchFilter,
    k: usize,
) -> Vec<(ExpertId, f32)> {
    let mut scored: Vec<(ExpertId, f32)> = experts
        .iter()
        .filter_map(|e| score_reference(taxonomy, need, e, filter).map(|s| (e.id, s)))
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    scored.truncate(k);
    scored
}
