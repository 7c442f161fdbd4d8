//! The candidate pairs as the scheduler reads them: in-range entries only, the first entry of a pair
//! listed twice, and weights clamped and scaled to integers for the matchings.

use std::collections::BTreeMap;

use super::Problem;

/// Largest weight the scheduler distinguishes; heavier pairs count as this.
pub const WEIGHT_CAP: f64 = 1e6;
/// Integer units per unit of weight (weights are kept to 1e-6).
const SCALE: f64 = 1e6;

/// A weight as the scheduler counts it: NaN and negatives are 0, at most [`WEIGHT_CAP`].
pub(super) fn clamp_weight(weight: f64) -> f64 {
    if weight.is_nan() {
        0.0
    } else {
        weight.clamp(0.0, WEIGHT_CAP)
    }
}

/// The pairs of a problem, indexed by need and expert.
#[derive(Clone)]
pub(super) struct PairTable {
    /// (need, expert) -> index in `problem.pairs` of the entry that counts.
    lookup: BTreeMap<(usize, usize), usize>,
    /// Per need, the pairs that count, by ascending expert.
    pub by_need: Vec<Vec<usize>>,
    /// Per pair entry: its weight in integer units plus one (a meeting is worth a little even at
    /// weight 0), or 0 for an entry that does not count.
    pub value: Vec<i64>,
}

impl PairTable {
    /// Indexes the pairs of `problem`, skipping entries with an out-of-range need or expert.
    pub fn new(problem: &Problem) -> Self {
        let mut lookup = BTreeMap::new();
        let mut value = vec![0; problem.pairs.len()];
        for (id, p) in problem.pairs.iter().enumerate() {
            if p.need < problem.needs.len() && p.expert < problem.experts.len() {
                lookup.entry((p.need, p.expert)).or_insert_with(|| {
                    value[id] = (clamp_weight(p.weight) * SCALE).round() as i64 + 1;
                    id
                });
            }
        }
        let mut by_need = vec![Vec::new(); problem.needs.len()];
        for (&(need, _), &id) in &lookup {
            by_need[need].push(id);
        }
        PairTable { lookup, by_need, value }
    }

    /// The entry that counts for a need and an expert, if they may meet.
    pub fn find(&self, need: usize, expert: usize) -> Option<usize> {
        self.lookup.get(&(need, expert)).copied()
    }

    /// The entries that count, by ascending (need, expert).
    pub fn ids(&self) -> impl Iterator<Item = usize> + '_ {
        self.lookup.values().copied()
    }

    /// The largest value of any pair (0 when there is none).
    pub fn max_value(&self) -> i64 {
        self.value.iter().copied().max().unwrap_or(0)
    }
}
