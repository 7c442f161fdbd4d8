//! The full matching path over the index: prepare, score, rank, explain; one need or a batch.

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
        let matches = ranked
            .into_iter()
            .map(|r| Match {
                explanation: explain
                    .then(|| self.slot_of(r.id).map(|s| self.explain(need, &prepared, s)))
                    .flatten(),
                ranked: r,
            })
            .collect();
        (matches, work)
    }

    /// `top` for many needs, on `threads` threads sharing the index, each with its own buffers.
    pub fn top_batch(
        &self,
        needs: &[MatchNeed],
        filter: &MatchFilter,
        k: usize,
        explain: bool,
        threads: usize,
    ) -> Vec<(Vec<Match>, Work)> {
        let threads = threads.clamp(1, needs.len().max(1));
        let chunk = needs.len().div_ceil(threads).max(1);
        let mut out: Vec<(Vec<Match>, Work)> = Vec::with_capacity(needs.len());
        std::thread::scope(|scope| {
            let handles: Vec<_> = needs
                .chunks(chunk)
                .map(|part| {
                    let worker = scope.spawn(move || {
                        let mut scratch = Scratch::default();
                        part.iter()
                            .map(|n| self.top(n, filter, k, explain, &mut scratch))
                            .collect::<Vec<_>>()
                    });
                    (part.len(), worker)
                })
                .collect();
            for (len, h) in handles {
                // A panicking worker is a bug; its needs get empty answers, in place, rather than a crash.
                match h.join() {
                    Ok(answers) => out.extend(answers),
                    Err(_) => out.extend((0..len).map(|_| Default::default())),
                }
            }
        });
        out
    }
}
