//! The meeting scheduler: needs and experts assigned to time slots by maximum-weight matching,
//! over plain indices (no ids, no store), with the checks manual edits must pass.
//!
//! [`assign`] keeps the manual meetings, then works on one board of occupancy:
//! 1. `must_meet` pairs, slot by slot: in each slot the largest set of them that fits (a matching),
//!    preferring the pairs with the fewest slots left, then the heavier ones;
//! 2. two ways on from there, the better kept (by the objective below):
//!    - *chosen first*: the pairs to meet are chosen heaviest first while both sides have quota left
//!      (a greedy b-matching), then spread over the slots like the must pairs;
//!    - *slot by slot*: nothing chosen ahead;
//!
//!    then, on each, per slot a maximum-weight assignment (Hungarian method) of the free needs to the
//!    free experts over the pairs not met yet, within the slot's remaining capacity, and a local
//!    search: each pair left out, heaviest first, takes a slot from lighter meetings when that raises
//!    the objective; a last fill uses any room that freed.
//!
//! The objective is the sum of the placed pairs' weights (scaled to integers, plus a little per
//! meeting) plus, per meeting up to a participant's minimum, a bonus larger than any pair's weight:
//! minimums come before weight. Slot by slot alone is optimal with one slot but spends quotas in early
//! slots on light pairs; choosing first avoids that (about 1% more weight than [`greedy`] on the bench
//! event, against 0.3% less slot by slot alone), but its choice is greedy; hence both.
//!
//! Every pass places a meeting only under the rules [`violations`] checks: pairs in the list only
//! (`no_thanks` never), `auto` pairs only, a pair at most once, each side once per slot, within its
//! availability and quota, each slot within its capacity. [`greedy`] is the baseline.

mod assign;
mod board;
mod check;
mod choose;
mod fill;
mod greedy;
mod improve;
mod matching;
mod pairs;
mod problem;
mod spread;
mod violation;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

pub use assign::assign;
pub use check::{total_weight, violations};
pub use greedy::greedy;
pub use pairs::WEIGHT_CAP;
pub use problem::{Pair, Participant, Placed, Problem, SlotLimit};
pub use violation::Violation;
