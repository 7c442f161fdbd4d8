//! The bounded pass's policies side by side (and the full pass alone, as the scorer was before it),
//! on the same needs, interleaved need by need so that the shared machine's noise falls on all alike.

use std::hint::black_box;
use std::time::Instant;

use serde_json::{json, Value};

use super::stats::{median, ms, summarize};
use crate::engine::matching::{Essentials, MatchFilter, MatchIndex, MatchNeed, Scratch, Work};

/// Every policy, the default last.
const POLICIES: [Essentials; 4] = Essentials::EVERY;

/// Per policy: the median and p95 of the full path without explanations, and what the median need
/// read and scored. Also gives the work of the full pass, which says what a need touches.
pub(super) fn bounded_policies(
    index: &MatchIndex,
    needs: &[MatchNeed],
    filter: &MatchFilter,
    k: usize,
    runs: usize,
) -> (Value, Vec<Work>) {
    let mut scratches: Vec<Scratch> = POLICIES.iter().map(|p| Scratch::with(*p)).collect();
    let mut times = vec![Vec::with_capacity(needs.len() * runs); POLICIES.len()];
    let mut works = vec![Vec::with_capacity(needs.len()); POLICIES.len()];
    for run in 0..runs {
        for n in needs {
            for (p, scratch) in scratches.iter_mut().enumerate() {
                let t = Instant::now();
                let (_, work) = black_box(index.top(n, filter, k, false, scratch));
                times[p].push(ms(t.elapsed()));
                if run == 0 {
                    works[p].push(work);
                }
            }
        }
    }
    let med = |w: &[Work], f: fn(&Work) -> usize| median(&w.iter().map(|x| f(x) as f64).collect::<Vec<_>>());
    let mut out = json!({
        "note": "the full path without explanations per policy of the bounded pass, interleaved need by need: \
                 off = every block read in full (the scorer before the bounded pass); fewest = only the need \
                 tags the floor requires; all = every tag's exact and narrower lists; broader = those and the \
                 broader lists (the default)",
        "default": Essentials::default(),
    });
    for (p, policy) in POLICIES.iter().enumerate() {
        let s = summarize(&times[p]);
        out[serde_json::to_string(policy).unwrap_or_default().trim_matches('"')] = json!({
            "median_ms": s.median_ms,
            "p95_ms": s.p95_ms,
            "postings": med(&works[p], |w| w.postings),
            "scored_one_by_one": med(&works[p], |w| w.scored),
            "bounded_blocks": med(&works[p], |w| w.bounded_blocks),
            "full_blocks": med(&works[p], |w| w.full_blocks),
        });
    }
    let off = std::mem::take(&mut works[0]);
    (out, off)
}
