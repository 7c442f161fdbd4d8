//! The full matching path over the index: prepare, score, rank, explain; one need or a batch.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::index::MatchIndex;
use super::need::{MatchFilter, MatchNeed};
use super::prepare::prepare;
use super::reference::PairScore;
use super::scorer::{Scratch, Work};
use super::topk::Ranked;

/// One ranked expert and, when asked for, why.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// Id and scores.
    pub ranked: Ranked,
    /// The explanation.
    pub explanation: Option<PairScore>,
}

impl MatchIndex {
    /// The best `k` experts for `need`, explained when `explain`, on the calling thread.
    pub fn top(
        &self,
        need: &MatchNeed,
        filter: &MatchFilter,
        k: usize,
        explain: bool,
        scratch: &mut Scratch,
    ) -> (Vec<Match>, Work) {
        self.top_parallel(need, filter, k, explain, 1, scratch)
    }

    /// `top` with the need's scoring split over `threads` threads (one request, one big pool).
    pub fn top_parallel(
        &self,
        need: &MatchNeed,
        filter: &MatchFilter,
        k: usize,
        explain: bool,
        threads: usize,
        scratch: &mut Scratch,
    ) -> (Vec<Match>, Work) {
        let prepared = prepare(self, need, filter);
        let (ranked, work) = self.rank_parallel(&prepared, k, threads, scratch);
        let explanations = if explain {
            self.explain_ranked(need, &prepared, &ranked, threads, scratch)
        } else {
            Vec::new()
        };
        let mut explanations = explanations.into_iter();
        let matches = ranked
            .into_iter()
            .map(|r| Match {
                explanation: explanations.next().flatten(),
                ranked: r,
            })
            .collect();
        (matches, work)
    }

    /// `top` for many needs, on `threads` threads sharing the index, each with its own buffers. Each
    /// thread takes the next need not yet taken, so one slow need does not hold back a whole share.
    pub fn top_batch(
        &self,
        needs: &[MatchNeed],
        filter: &MatchFilter,
        k: usize,
        explain: bool,
        threads: usize,
    ) -> Vec<(Vec<Match>, Work)> {
        let threads = threads.clamp(1, needs.len().max(1));
        let next = AtomicUsize::new(0);
        let mut out: Vec<(Vec<Match>, Work)> = (0..needs.len()).map(|_| Default::default()).collect();
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let mut scratch = Scratch::default();
                        let mut answers = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(need) = needs.get(i) else { break };
                            answers.push((i, self.top(need, filter, k, explain, &mut scratch)));
                        }
                        answers
                    })
                })
                .collect();
            // A panicking worker is a bug; the needs it held keep empty answers rather than a crash.
            for answers in handles.into_iter().filter_map(|h| h.join().ok()) {
                for (i, answer) in answers {
                    if let Some(slot) = out.get_mut(i) {
                        *slot = answer;
                    }
                }
            }
        });
        out
    }
}
