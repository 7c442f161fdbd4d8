//! Per-need shortlists of an event: the top-k attending experts after the gates, with an exposure
//! cap so that one scarce expert is not put on every list, and met-before pairs marked or excluded.

use std::collections::HashMap;

use crate::domain::{EventId, Expert, ExpertId, Need, PreferenceKind};
use crate::engine::core::Engine;
use crate::engine::matching::PairScore;
use crate::error::Result;

use super::attendance::explain_pair;

/// What to do with pairs that met before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetBefore {
    /// Keep them, flagged.
    Mark,
    /// Leave them out.
    Exclude,
}

/// How shortlists are drawn.
#[derive(Debug, Clone, Copy)]
pub struct ShortlistOptions {
    /// Experts per need.
    pub k: usize,
    /// Lists an expert may be on; None for no cap.
    pub cap: Option<usize>,
    /// Met-before pairs.
    pub met_before: MetBefore,
}

/// One expert on a need's list.
#[derive(Debug, Clone)]
pub struct ShortlistEntry {
    /// The expert.
    pub expert: Expert,
    /// The score with reasons.
    pub score: PairScore,
    /// Met at an earlier event.
    pub met_before: bool,
    /// What the sides said about the pair.
    pub preference: Option<PreferenceKind>,
}

/// The list of one need.
#[derive(Debug, Clone)]
pub struct Shortlist {
    /// The need.
    pub need: Need,
    /// Best first.
    pub entries: Vec<ShortlistEntry>,
    /// Experts that would have made this list but had reached the exposure cap.
    pub capped: Vec<ExpertId>,
}

/// Every need's list.
#[derive(Debug, Clone)]
pub struct Shortlists {
    /// In the event's order of needs.
    pub lists: Vec<Shortlist>,
    /// On how many lists each listed expert is.
    pub exposure: Vec<(ExpertId, usize)>,
}

/// A candidate placement: need index, expert index, score.
type Candidate = (usize, usize, f32);

/// Places candidates in the order given (best first: score, then expert id): a need's list takes
/// at most `k`, an expert at most `cap` lists, so every expert keeps its best placements. Returns
/// per need the accepted and the capped experts.
fn place(candidates: &[Candidate], needs: usize, k: usize, cap: Option<usize>) -> Vec<(Vec<usize>, Vec<usize>)> {
    let mut lists: Vec<(Vec<usize>, Vec<usize>)> = vec![(Vec::new(), Vec::new()); needs];
    let mut exposure: HashMap<usize, usize> = HashMap::new();
    for &(n, e, _) in candidates.iter() {
        let (taken, capped) = &mut lists[n];
        if taken.len() >= k {
            continue;
        }
        let seen = exposure.entry(e).or_insert(0);
        if cap.is_some_and(|c| *seen >= c) {
            capped.push(e);
            continue;
        }
        *seen += 1;
        taken.push(e);
    }
    lists
}

impl Engine {
    /// The shortlists of an event.
    pub fn shortlists(&self, id: EventId, options: ShortlistOptions) -> Result<Shortlists> {
        let event = self.event(id)?;
        let attendance = self.attendance(&event.spec)?;
        let scores = self.score_pairs(&attendance)?;
        let met = self.met_before(id)?;
        let spec = &event.spec;
        let mut candidates: Vec<Candidate> = Vec::new();
        for (n, need) in attendance.needs.iter().enumerate() {
            for (e, expert) in attendance.experts.iter().enumerate() {
                let Some(score) = scores[n][e] else {
                    continue;
                };
                let refused = spec.preference(need.id, expert.id) == Some(PreferenceKind::NoThanks);
                let excluded = options.met_before == MetBefore::Exclude && met.contains(&(need.id, expert.id));
                if !refused && !excluded {
                    candidates.push((n, e, score));
                }
            }
        }
        let (needs, experts) = (&attendance.needs, &attendance.experts);
        candidates.sort_by(|a, b| {
            b.2.total_cmp(&a.2)
                .then(experts[a.1].id.cmp(&experts[b.1].id))
                .then(needs[a.0].id.cmp(&needs[b.0].id))
        });
        let placed = place(&candidates, attendance.needs.len(), options.k, options.cap);
        let taxonomy = self.taxonomy();
        let mut exposure: HashMap<ExpertId, usize> = HashMap::new();
        let lists = attendance
            .needs
            .iter()
            .zip(placed)
            .map(|(need, (taken, capped))| {
                let entries = taken
                    .into_iter()
                    .filter_map(|e| {
                        let expert = &attendance.experts[e];
                        let score = explain_pair(&taxonomy, need, expert)?;
                        *exposure.entry(expert.id).or_insert(0) += 1;
                        Some(ShortlistEntry {
                            expert: expert.clone(),
                            score,
                            met_before: met.contains(&(need.id, expert.id)),
                            preference: spec.preference(need.id, expert.id),
                        })
                    })
                    .collect();
                Shortlist {
                    need: need.clone(),
                    entries,
                    capped: capped.into_iter().map(|e| attendance.experts[e].id).collect(),
                }
            })
            .collect();
        let mut exposure: Vec<(ExpertId, usize)> = exposure.into_iter().collect();
        exposure.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(Shortlists { lists, exposure })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn best_first(mut c: Vec<Candidate>) -> Vec<Candidate> {
        c.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.1.cmp(&b.1)).then(a.0.cmp(&b.0)));
        c
    }

    #[test]
    fn the_cap_keeps_an_experts_best_placements() {
        // Expert 0 is the best for all three needs; with a cap of 2 it stays on the two lists
        // where it scores highest, and the third list takes the next expert.
        let c = best_first(vec![
            (0, 0, 0.9),
            (1, 0, 0.8),
            (2, 0, 0.95),
            (0, 1, 0.5),
            (1, 1, 0.4),
            (2, 1, 0.3),
        ]);
        let lists = place(&c, 3, 1, Some(2));
        assert_eq!(lists[0].0, vec![0]);
        assert_eq!(lists[2].0, vec![0]);
        assert_eq!(lists[1].0, vec![1]);
        assert_eq!(lists[1].1, vec![0]);
    }

    #[test]
    fn without_a_cap_every_list_takes_its_top_k() {
        let c = best_first(vec![(0, 0, 0.9), (1, 0, 0.8), (0, 1, 0.5), (1, 1, 0.4), (0, 2, 0.1)]);
        let lists = place(&c, 2, 2, None);
        assert_eq!(lists[0].0, vec![0, 1]);
        assert_eq!(lists[1].0, vec![0, 1]);
        assert!(lists.iter().all(|l| l.1.is_empty()));
    }

    #[test]
    fn a_cap_of_zero_empties_every_list() {
        let c = best_first(vec![(0, 0, 0.9), (1, 1, 0.8)]);
        let lists = place(&c, 2, 3, Some(0));
        assert!(lists.iter().all(|l| l.0.is_empty()));
    }
}
