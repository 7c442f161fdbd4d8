//! The participants of an event as records, and the scores of need-expert pairs among them,
//! judged with the same gates and formula as the matcher.

use crate::domain::{EventSpec, Expert, ExpertId, Need, NeedId, NeedStatus};
use crate::engine::core::Engine;
use crate::engine::matching::{judge, MatchFilter, MatchNeed, PairOutcome, PairScore};
use crate::engine::taxonomy::Taxonomy;
use crate::error::{Error, Result};

/// The stored records of an event's participants, and their pair scores.
pub struct Attendance {
    /// Participating needs still stored, in the event's order.
    pub needs: Vec<Need>,
    /// Participating experts still stored, in the event's order.
    pub experts: Vec<Expert>,
    /// Participants listed by the event but no longer stored.
    pub missing_needs: Vec<NeedId>,
    /// Experts listed by the event but no longer stored (erased).
    pub missing_experts: Vec<ExpertId>,
}

/// `scores[n][e]`: the score of need `n` and expert `e` of an attendance, or None when gated out.
pub type PairScores = Vec<Vec<Option<f32>>>;

impl Attendance {
    /// The index of a need among the loaded ones.
    pub fn need_index(&self, id: NeedId) -> Option<usize> {
        self.needs.iter().position(|n| n.id == id)
    }

    /// The index of an expert among the loaded ones.
    pub fn expert_index(&self, id: ExpertId) -> Option<usize> {
        self.experts.iter().position(|e| e.id == id)
    }
}

/// The full verdict on one pair (with the explanation), for the few pairs that are shown.
pub fn explain_pair(taxonomy: &Taxonomy, need: &Need, expert: &Expert) -> Option<PairScore> {
    match judge_pair(taxonomy, need, expert) {
        PairOutcome::Scored(s) => Some(s),
        PairOutcome::Gated(_) => None,
    }
}

fn judge_pair(taxonomy: &Taxonomy, need: &Need, expert: &Expert) -> PairOutcome {
    if need.status != NeedStatus::Open {
        return PairOutcome::Gated(Vec::new());
    }
    judge(
        taxonomy,
        &MatchNeed::from_spec(&need.spec),
        expert,
        &MatchFilter::default(),
    )
}

fn score_row(taxonomy: &Taxonomy, need: &Need, experts: &[Expert]) -> Vec<Option<f32>> {
    experts
        .iter()
        .map(|e| match judge_pair(taxonomy, need, e) {
            PairOutcome::Scored(s) => Some(s.score),
            PairOutcome::Gated(_) => None,
        })
        .collect()
}

impl Engine {
    /// Loads the stored records of the participants of an event.
    pub fn attendance(&self, spec: &EventSpec) -> Result<Attendance> {
        let mut needs = Vec::new();
        let mut missing_needs = Vec::new();
        for n in &spec.needs {
            match self.store.need(n.need)? {
                Some(need) => needs.push(need),
                None => missing_needs.push(n.need),
            }
        }
        let mut experts = Vec::new();
        let mut missing_experts = Vec::new();
        for e in &spec.experts {
            match self.store.expert(e.expert)? {
                Some(expert) => experts.push(expert),
                None => missing_experts.push(e.expert),
            }
        }
        Ok(Attendance {
            needs,
            experts,
            missing_needs,
            missing_experts,
        })
    }

    /// Scores every pair of an attendance, splitting the needs over the cores.
    pub fn score_pairs(&self, attendance: &Attendance) -> Result<PairScores> {
        let (needs, experts) = (&attendance.needs, &attendance.experts);
        let taxonomy = self.taxonomy();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).max(1);
        let chunk = needs.len().div_ceil(threads).max(1);
        std::thread::scope(|scope| {
            let workers: Vec<_> = needs
                .chunks(chunk)
                .map(|part| {
                    let taxonomy = &taxonomy;
                    scope.spawn(move || part.iter().map(|n| score_row(taxonomy, n, experts)).collect::<Vec<_>>())
                })
                .collect();
            let mut rows = Vec::with_capacity(needs.len());
            for w in workers {
                rows.extend(
                    w.join()
                        .map_err(|_| Error::Internal("scoring an event's pairs failed".into()))?,
                );
            }
            Ok::<_, Error>(rows)
        })
    }
}
