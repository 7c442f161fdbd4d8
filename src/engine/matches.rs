//! Matching through the engine: a stored need's experts, an ad-hoc need's, one pair's verdict, an
//! expert's open needs, and batches. Scoring reads the live index; records come from the store.

use std::sync::Arc;

use super::core::Engine;
use super::matching::{judge, Match, MatchFilter, MatchNeed, PairOutcome, PairScore, Work};
use crate::domain::{Expert, ExpertId, ExpertStatus, Need, NeedId, NeedStatus};
use crate::error::{Error, Result};

/// Ranked experts of a need with their records.
#[derive(Debug, Clone)]
pub struct NeedMatches {
    /// Best first.
    pub items: Vec<(Match, Expert)>,
    /// What the scorer touched.
    pub work: Work,
}

/// The verdict on one pair.
#[derive(Debug, Clone)]
pub struct PairReport {
    /// The expert's record.
    pub expert: Expert,
    /// Scored with reasons, or gated with every gate.
    pub outcome: PairOutcome,
}

/// An open need that fits an expert.
#[derive(Debug, Clone)]
pub struct ExpertMatch {
    /// The need.
    pub need: Arc<Need>,
    /// Its score for the expert, with reasons.
    pub score: PairScore,
}

fn not_open(need: &Need) -> Error {
    Error::Conflict {
        code: "need_not_open",
        detail: format!("need {} is {}; only open needs are matched", need.id, need.status),
        existing: Some(need.id.to_string()),
    }
}

impl Engine {
    fn with_records(&self, matches: Vec<Match>, work: Work) -> Result<NeedMatches> {
        let items = matches
            .into_iter()
            .map(|m| self.expert(m.ranked.id).map(|e| (m, e)))
            .collect::<Result<Vec<_>>>()?;
        Ok(NeedMatches { items, work })
    }

    /// The best `k` experts for an ad-hoc need (or a stored one's spec).
    pub fn match_spec(&self, need: &MatchNeed, k: usize, filter: &MatchFilter, explain: bool) -> Result<NeedMatches> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let (matches, work) = {
            let index = self.live.read();
            self.live
                .with_scratch(|scratch| index.top_parallel(need, filter, k, explain, threads, scratch))
        };
        self.with_records(matches, work)
    }

    /// The best `k` experts for a stored, open need.
    pub fn match_need(&self, id: NeedId, k: usize, filter: &MatchFilter, explain: bool) -> Result<(Need, NeedMatches)> {
        let need = self.need(id)?;
        if need.status != NeedStatus::Open {
            return Err(not_open(&need));
        }
        let matches = self.match_spec(&MatchNeed::from_spec(&need.spec), k, filter, explain)?;
        Ok((need, matches))
    }

    /// The score and reasons of one pair, or every gate that removes the expert.
    pub fn match_pair(&self, need_id: NeedId, expert_id: ExpertId) -> Result<PairReport> {
        let need = self.need(need_id)?;
        let expert = self.expert(expert_id)?;
        let taxonomy = self.taxonomy();
        let outcome = judge(
            &taxonomy,
            &MatchNeed::from_spec(&need.spec),
            &expert,
            &MatchFilter::default(),
        );
        let outcome = match (need.status, outcome) {
            (NeedStatus::Open, o) => o,
            (status, PairOutcome::Gated(mut gates)) => {
                gates.insert(0, super::matching::Gate::NeedNotOpen { status });
                PairOutcome::Gated(gates)
            }
            (status, PairOutcome::Scored(_)) => PairOutcome::Gated(vec![super::matching::Gate::NeedNotOpen { status }]),
        };
        Ok(PairReport { expert, outcome })
    }

    /// The open needs that fit an expert best. The expert's own review status does not gate this
    /// view: an expert still in review may look at the needs that would fit it.
    pub fn match_expert(&self, id: ExpertId, k: usize) -> Result<Vec<ExpertMatch>> {
        let mut expert = self.expert(id)?;
        expert.status = ExpertStatus::Active;
        let taxonomy = self.taxonomy();
        let filter = MatchFilter::default();
        let mut out: Vec<ExpertMatch> = self
            .needs
            .all()
            .into_iter()
            .filter(|n| n.status == NeedStatus::Open)
            .filter_map(
                |need| match judge(&taxonomy, &MatchNeed::from_spec(&need.spec), &expert, &filter) {
                    PairOutcome::Scored(score) => Some(ExpertMatch { need, score }),
                    PairOutcome::Gated(_) => None,
                },
            )
            .collect();
        out.sort_by(|a, b| {
            b.score
                .score
                .total_cmp(&a.score.score)
                .then_with(|| a.need.id.cmp(&b.need.id))
        });
        out.truncate(k);
        Ok(out)
    }

    /// The best `k` experts for each of many stored needs, scored in parallel on `threads` threads.
    /// A need that does not exist or is not open gets its error in place.
    pub fn match_batch(
        &self,
        ids: &[NeedId],
        k: usize,
        explain: bool,
        threads: usize,
    ) -> Vec<(NeedId, Result<NeedMatches>)> {
        let needs: Vec<(NeedId, Result<MatchNeed>)> = ids
            .iter()
            .map(|id| {
                let need = self.need(*id).and_then(|n| {
                    if n.status == NeedStatus::Open {
                        Ok(MatchNeed::from_spec(&n.spec))
                    } else {
                        Err(not_open(&n))
                    }
                });
                (*id, need)
            })
            .collect();
        let runnable: Vec<MatchNeed> = needs.iter().filter_map(|(_, n)| n.as_ref().ok().cloned()).collect();
        let mut answers = {
            let index = self.live.read();
            index
                .top_batch(&runnable, &MatchFilter::default(), k, explain, threads)
                .into_iter()
        };
        needs
            .into_iter()
            .map(|(id, need)| {
                let result = need.and_then(|_| {
                    let (matches, work) = answers.next().unwrap_or_default();
                    self.with_records(matches, work)
                });
                (id, result)
            })
            .collect()
    }
}
