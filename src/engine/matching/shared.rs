//! What the threads scoring one need at once share: the best `k` any of them has ranked so far,
//! and its floor, readable without a lock, and the slots they seeded. Every thread prunes against
//! that floor, the `k`-th best of everything scored so far, instead of against the `k`-th best of
//! its own share, so a split need does about the work of one thread.

use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::Mutex;

use super::topk::TopK;

/// The shared best `k` of a need's threads, its floor, and their seeds.
pub(super) struct SharedTop {
    /// The highest proven floor, as the bits of a non-negative `f32` (which order as integers).
    floor: AtomicU32,
    /// The best `k` published by the threads; `None` for a need scored by one.
    top: Option<Mutex<TopK>>,
    /// The seeded slots of every thread; `None` for a need scored by one.
    seeds: Option<Seeds>,
    /// The threads scoring the need.
    threads: usize,
}

impl SharedTop {
    /// For a need scored by one thread: nothing to share.
    pub(super) fn alone() -> Self {
        SharedTop {
            floor: AtomicU32::new(0),
            top: None,
            seeds: None,
            threads: 1,
        }
    }

    /// For a need scored by `threads` threads at once, keeping their best `k` and their seeds.
    pub(super) fn new(k: usize, threads: usize) -> Self {
        SharedTop {
            floor: AtomicU32::new(0),
            top: Some(Mutex::new(TopK::new(k))),
            seeds: Some(Seeds::new(threads)),
            threads: threads.max(1),
        }
    }

    /// The threads scoring the need, at least one.
    pub(super) fn threads(&self) -> usize {
        self.threads
    }

    /// A thread's turn to share its seeds, taken before it seeds.
    pub(super) fn seed_turn(&self) -> SeedTurn<'_> {
        SeedTurn {
            seeds: self.seeds.as_ref(),
        }
    }

    /// A top k for one thread: it logs what enters it when there is anything to publish to.
    pub(super) fn local_top(&self, k: usize) -> TopK {
        if self.top.is_some() {
            TopK::logged(k)
        } else {
            TopK::new(k)
        }
    }

    /// The highest proven floor: no expert scoring below it can enter the merged top k.
    pub(super) fn floor(&self) -> f32 {
        f32::from_bits(self.floor.load(Ordering::Relaxed))
    }

    /// Publishes what entered a thread's top k since its last call, and raises the floor.
    pub(super) fn publish(&self, top: &mut TopK) {
        let mut floor = top.floor();
        if let Some(shared) = &self.top {
            let entered = top.take_entered();
            // A poisoned lock means another thread panicked: its share is lost, this one goes on.
            if let (false, Ok(mut shared)) = (entered.is_empty(), shared.lock()) {
                entered.into_iter().for_each(|r| shared.push(r));
                if let Some(f) = shared.floor() {
                    floor = Some(floor.map_or(f, |own| own.max(f)));
                }
            }
        }
        if let Some(f) = floor {
            self.floor.fetch_max(f.max(0.0).to_bits(), Ordering::Relaxed);
        }
    }
}

/// The slots the threads of a split need seeded. Each thread seeds in its own region of the slots
/// and any thread may score any block, so none scores a block before every thread has put its
/// seeds here: then each knows every seeded slot, and no expert is offered twice.
struct Seeds {
    slots: Mutex<Vec<u32>>,
    pending: AtomicUsize,
}

impl Seeds {
    /// A board for `threads` threads.
    fn new(threads: usize) -> Self {
        Seeds {
            slots: Mutex::new(Vec::new()),
            pending: AtomicUsize::new(threads),
        }
    }

    /// Adds `mine` to the board, waits until every thread has added its own (or given up), and puts
    /// them all in `mine`, sorted.
    fn share(&self, mine: &mut Vec<u32>) {
        {
            let mut all = self.slots.lock().unwrap_or_else(|p| p.into_inner());
            all.extend_from_slice(mine);
        }
        self.pending.fetch_sub(1, Ordering::AcqRel);
        // The others seed at the same time; the wait is the difference between their seedings.
        while self.pending.load(Ordering::Acquire) > 0 {
            std::thread::yield_now();
        }
        mine.clone_from(&self.slots.lock().unwrap_or_else(|p| p.into_inner()));
        mine.sort_unstable();
    }

    /// For a thread that will not share (its scoring stopped before): the others go on.
    fn give_up(&self) {
        self.pending.fetch_sub(1, Ordering::AcqRel);
    }
}

/// One thread's turn to share its seeds: sharing them ends it, and a turn dropped without (the
/// thread returned early or panicked) gives up, so that the others do not wait for it.
pub(super) struct SeedTurn<'a> {
    seeds: Option<&'a Seeds>,
}

impl SeedTurn<'_> {
    /// Shares `mine` (see `Seeds::share`); nothing to do for a need scored by one thread.
    pub(super) fn share(mut self, mine: &mut Vec<u32>) {
        if let Some(seeds) = self.seeds.take() {
            seeds.share(mine);
        }
    }
}

impl Drop for SeedTurn<'_> {
    fn drop(&mut self) {
        if let Some(seeds) = self.seeds {
            seeds.give_up();
        }
    }
}
