//! What the ranges of one need scored at once on several threads share: the best `k` any of them
//! has ranked so far, and its floor, readable without a lock. Every range prunes against that
//! floor, the `k`-th best of everything scored so far, instead of against the `k`-th best of its
//! own share, so a split need does about the work of one thread.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use super::topk::TopK;

/// The shared best `k` of a need's ranges and its floor.
pub(super) struct SharedTop {
    /// The highest proven floor, as the bits of a non-negative `f32` (which order as integers).
    floor: AtomicU32,
    /// The best `k` published by the ranges; `None` for a range scored alone.
    top: Option<Mutex<TopK>>,
}

impl SharedTop {
    /// For a need scored as one range: nothing to share.
    pub(super) fn alone() -> Self {
        SharedTop {
            floor: AtomicU32::new(0),
            top: None,
        }
    }

    /// For ranges scored at once, keeping their best `k`.
    pub(super) fn new(k: usize) -> Self {
        SharedTop {
            floor: AtomicU32::new(0),
            top: Some(Mutex::new(TopK::new(k))),
        }
    }

    /// A top k for one range: it logs what enters it when there is anything to publish to.
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

    /// Publishes what entered a range's top k since its last call, and raises the floor.
    pub(super) fn publish(&self, top: &mut TopK) {
        let mut floor = top.floor();
        if let Some(shared) = &self.top {
            let entered = top.take_entered();
            // A poisoned lock means another range panicked: its share is lost, this one goes on.
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
