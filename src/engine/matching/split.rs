//! A need split over the cores: the slots cut into as many ranges as threads, the first scored by
//! the caller with its buffers, each other on a helper thread kept with the caller's buffers
//! (`helper`), all pruning against the best k of every range so far (`SharedTop`), and their best
//! k merged in the same order (score, then id): the same answer as one thread, sooner on a big pool.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Mutex;

use super::helper::{run_all, Helper};
use super::index::MatchIndex;
use super::prepare::Prepared;
use super::scorer::{Scratch, Work, BLOCK, PARALLEL_MIN_SLOTS};
use super::shared::SharedTop;
use super::topk::{Ranked, TopK};

/// The best k of one range of slots, and what scoring it touched.
type Part = (Vec<Ranked>, Work);

impl MatchIndex {
    /// `rank` with the slots split into `threads` ranges scored at once, each with its own buffers
    /// and top k, merged in the same order (score, then id): the same answer, sooner on a big pool.
    pub fn rank_parallel(
        &self,
        need: &Prepared,
        k: usize,
        threads: usize,
        scratch: &mut Scratch,
    ) -> (Vec<Ranked>, Work) {
        let slots = self.slots.len();
        if threads <= 1 || slots < PARALLEL_MIN_SLOTS {
            return self.rank(need, k, scratch);
        }
        let per = slots.div_ceil(threads).div_ceil(BLOCK) * BLOCK;
        // The best k of every range so far: each prunes against the floor of all.
        let shared = SharedTop::new(k);
        let policy = scratch.essentials;
        let ranges: Vec<(usize, usize)> = (per..slots).step_by(per).map(|f| (f, (f + per).min(slots))).collect();
        // The other ranges' buffers are kept in the caller's between queries, as are the threads
        // that score them: allocating the buffers (and faulting their pages in) cost about 50 µs a
        // query, and spawning the threads more (see `helper`).
        let mut spares = std::mem::take(&mut scratch.spares);
        spares.resize_with(ranges.len(), || Scratch::with(policy));
        spares.iter_mut().for_each(|s| s.essentials = policy);
        let mut lost = Vec::new();
        let parts = self.rank_helped(
            need,
            k,
            scratch,
            (per.min(slots), &ranges),
            &shared,
            &mut spares,
            &mut lost,
        );
        for i in lost {
            spares[i] = Scratch::with(policy);
        }
        scratch.spares = spares;
        let mut top = TopK::new(k);
        let mut work = Work::default();
        for (ranked, w) in parts {
            ranked.into_iter().for_each(|r| top.push(r));
            work.add(&w);
        }
        (top.into_sorted(), work)
    }

    /// The first range here with the caller's buffers, each other range on one of the caller's
    /// helper threads (started when first needed) with a spare's. A range whose scoring panicked
    /// is left out and its number put in `lost`.
    #[allow(clippy::too_many_arguments)]
    fn rank_helped(
        &self,
        need: &Prepared,
        k: usize,
        scratch: &mut Scratch,
        (first_end, ranges): (usize, &[(usize, usize)]),
        shared: &SharedTop,
        spares: &mut [Scratch],
        lost: &mut Vec<usize>,
    ) -> Vec<Part> {
        let mut helpers = std::mem::take(&mut scratch.helpers);
        while helpers.len() < ranges.len() {
            let Some(helper) = Helper::start() else { break };
            helpers.push(helper);
        }
        let parts: Vec<Mutex<Option<Part>>> = ranges.iter().map(|_| Mutex::new(None)).collect();
        let spares: Vec<Mutex<&mut Scratch>> = spares.iter_mut().map(Mutex::new).collect();
        let tasks: Vec<Box<dyn Fn() + Sync + '_>> = ranges
            .iter()
            .zip(spares.iter().zip(&parts))
            .map(|(&range, (spare, part))| {
                Box::new(move || {
                    let mut spare = spare.lock().unwrap_or_else(|p| p.into_inner());
                    let ranked = self.rank_slots(need, k, &mut spare, range, shared);
                    *part.lock().unwrap_or_else(|p| p.into_inner()) = Some(ranked);
                }) as Box<dyn Fn() + Sync + '_>
            })
            .collect();
        let lent: Vec<&(dyn Fn() + Sync)> = tasks.iter().map(|t| &**t).collect();
        let helped = helpers.len().min(lent.len());
        let (mine, _) = run_all(&mut helpers[..helped], &lent[..helped], || {
            self.rank_slots(need, k, scratch, (0, first_end), shared)
        });
        scratch.helpers = helpers;
        // Ranges no helper could take (the system refused a thread) are scored here after.
        for task in &lent[helped..] {
            let _ = catch_unwind(AssertUnwindSafe(task));
        }
        drop(lent);
        drop(tasks);
        let mut out = vec![mine];
        for (i, part) in parts.into_iter().enumerate() {
            match part.into_inner().unwrap_or_else(|p| p.into_inner()) {
                Some(part) => out.push(part),
                None => lost.push(i),
            }
        }
        out
    }
}
