//! A need split over the cores: the caller and helper threads kept with the caller's buffers
//! (`helper`) each seed in their own region of the slots, share their seeds, then take the blocks
//! one at a time in slot order, whichever asks first, all pruning against the best k of every block
//! so far (`SharedTop`); their best k are merged in the same order (score, then id): the same answer
//! as one thread, sooner on a big pool. Handing out blocks rather than cutting the slots in halves
//! keeps both cores busy to the end when one is slowed (by a heavier share of the need, or by
//! another program on the machine).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::helper::{run_all, Helper};
use super::index::MatchIndex;
use super::need::MatchNeed;
use super::prepare::Prepared;
use super::reference::PairScore;
use super::scorer::{Scratch, SlotRange, Work, BLOCK, PARALLEL_MIN_SLOTS};
use super::shared::SharedTop;
use super::topk::{Ranked, TopK};

/// The blocks of `0..last`, handed out in order, one to each call.
struct Blocks {
    next: AtomicUsize,
    last: usize,
}

impl Blocks {
    fn take(&self) -> Option<SlotRange> {
        let start = self.next.fetch_add(BLOCK, Ordering::Relaxed);
        (start < self.last).then(|| (start, (start + BLOCK).min(self.last)))
    }
}

impl MatchIndex {
    /// `rank` with the slots' blocks scored by `threads` threads at once, each with its own buffers
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
        let mut crew = Crew::gather(scratch, threads);
        let size = crew.size();
        // The best k of every block so far, and every thread's seeds.
        let shared = SharedTop::new(k, size);
        let blocks = Blocks {
            next: AtomicUsize::new(0),
            last: slots,
        };
        let per = slots.div_ceil(size).div_ceil(BLOCK) * BLOCK;
        let parts = crew.run(scratch, |s, i| {
            let region = ((i * per).min(slots), ((i + 1) * per).min(slots));
            self.rank_slots(need, k, s, region, &mut || blocks.take(), &shared)
        });
        crew.put_back(scratch);
        let mut top = TopK::new(k);
        let mut work = Work::default();
        for (ranked, w) in parts {
            ranked.into_iter().for_each(|r| top.push(r));
            work.add(&w);
        }
        (top.into_sorted(), work)
    }

    /// The explanations of `ranked`, in order: on a pool that is split, the caller and its helpers
    /// take the experts one at a time, whichever asks first.
    pub(super) fn explain_ranked(
        &self,
        need: &MatchNeed,
        prepared: &Prepared,
        ranked: &[Ranked],
        threads: usize,
        scratch: &mut Scratch,
    ) -> Vec<Option<PairScore>> {
        // The slot is this index's, where the expert was just ranked.
        let explain = |r: &Ranked| {
            let here = self.slots.ids.get(r.slot as usize) == Some(&r.id);
            here.then(|| self.explain(need, prepared, r.slot))
        };
        if threads <= 1 || ranked.len() <= 1 || self.slots.len() < PARALLEL_MIN_SLOTS {
            return ranked.iter().map(explain).collect();
        }
        let next = AtomicUsize::new(0);
        let mut crew = Crew::gather(scratch, threads);
        let parts = crew.run(scratch, |_, _| {
            let mut mine = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(r) = ranked.get(i) else { break mine };
                mine.push((i, explain(r)));
            }
        });
        crew.put_back(scratch);
        let mut done: Vec<Option<Option<PairScore>>> = ranked.iter().map(|_| None).collect();
        for (i, e) in parts.into_iter().flatten() {
            if let Some(d) = done.get_mut(i) {
                *d = Some(e);
            }
        }
        // What a helper that panicked had taken is explained here.
        done.into_iter()
            .zip(ranked)
            .map(|(d, r)| d.unwrap_or_else(|| explain(r)))
            .collect()
    }
}

/// The caller's helper threads and their buffers (spares), taken from the caller's `Scratch` for a
/// query and put back after: allocating the buffers (and faulting their pages in) cost about 50 µs
/// a query, and spawning the threads more (see `helper`).
pub(super) struct Crew {
    helpers: Vec<Helper>,
    spares: Vec<Scratch>,
    /// How many of them this query uses: a caller kept more from a query with more threads, and
    /// keeps them (dropping a helper joins its thread).
    used: usize,
}

impl Crew {
    /// Up to `threads − 1` helpers with a spare each, started when first needed; fewer when the
    /// system refuses a thread.
    pub(super) fn gather(scratch: &mut Scratch, threads: usize) -> Crew {
        let others = threads.saturating_sub(1);
        let policy = scratch.essentials;
        let mut helpers = std::mem::take(&mut scratch.helpers);
        while helpers.len() < others {
            let Some(helper) = Helper::start() else { break };
            helpers.push(helper);
        }
        let used = helpers.len().min(others);
        let mut spares = std::mem::take(&mut scratch.spares);
        if spares.len() < used {
            spares.resize_with(used, || Scratch::with(policy));
        }
        spares.iter_mut().for_each(|s| s.essentials = policy);
        Crew { helpers, spares, used }
    }

    /// The threads that run a task: the caller and the helpers used.
    pub(super) fn size(&self) -> usize {
        self.used + 1
    }

    /// Runs `task(scratch, 0)` here and `task(spare, i)` on helper `i` at once; returns what each
    /// gave, this thread's first. A helper whose task panicked gives nothing, and its spare is
    /// replaced (it may be left unclean).
    pub(super) fn run<T: Send>(
        &mut self,
        scratch: &mut Scratch,
        task: impl Fn(&mut Scratch, usize) -> T + Sync,
    ) -> Vec<T> {
        let used = self.used;
        let outs: Vec<Mutex<Option<T>>> = (0..used).map(|_| Mutex::new(None)).collect();
        let spares: Vec<Mutex<&mut Scratch>> = self.spares[..used].iter_mut().map(Mutex::new).collect();
        let task = &task;
        let tasks: Vec<Box<dyn Fn() + Sync + '_>> = spares
            .iter()
            .zip(&outs)
            .enumerate()
            .map(|(i, (spare, out))| {
                Box::new(move || {
                    let mut spare = spare.lock().unwrap_or_else(|p| p.into_inner());
                    let r = task(&mut spare, i + 1);
                    *out.lock().unwrap_or_else(|p| p.into_inner()) = Some(r);
                }) as Box<dyn Fn() + Sync + '_>
            })
            .collect();
        let lent: Vec<&(dyn Fn() + Sync)> = tasks.iter().map(|t| &**t).collect();
        let (mine, _) = run_all(&mut self.helpers[..used], &lent, || task(scratch, 0));
        drop(lent);
        drop(tasks);
        drop(spares);
        let mut out = vec![mine];
        for (i, o) in outs.into_iter().enumerate() {
            match o.into_inner().unwrap_or_else(|p| p.into_inner()) {
                Some(r) => out.push(r),
                None => self.spares[i] = Scratch::with(scratch.essentials),
            }
        }
        out
    }

    /// Puts the helpers and spares back in the caller's buffers for the next query.
    pub(super) fn put_back(self, scratch: &mut Scratch) {
        scratch.helpers = self.helpers;
        scratch.spares = self.spares;
    }
}
