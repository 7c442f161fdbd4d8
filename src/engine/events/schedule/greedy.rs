//! The baseline: every (pair, slot) option by weight, `must_meet` pairs first, each placed when it
//! still passes every rule.

use std::cmp::Reverse;

use super::board::Board;
use super::{Placed, Problem};

/// The baseline for benches and comparison: sort all (pair, slot) options by weight (must first) and
/// place greedily under the same rules as [`assign`](super::assign). Ties go to the earlier slot,
/// then the lower need and expert.
pub fn greedy(problem: &Problem) -> Vec<Placed> {
    let mut board = Board::new(problem, &[]);
    let pairs = &problem.pairs;
    let mut options: Vec<(usize, usize)> = board
        .pairs
        .ids()
        .filter(|&id| pairs[id].auto)
        .flat_map(|id| {
            let (need, expert) = (&problem.needs[pairs[id].need], &problem.experts[pairs[id].expert]);
            (0..problem.slots.len())
                .filter(move |&s| need.available_in(s) && expert.available_in(s))
                .map(move |s| (id, s))
        })
        .collect();
    options.sort_by_key(|&(id, slot)| {
        (
            Reverse(pairs[id].must),
            Reverse(board.pairs.value[id]),
            slot,
            pairs[id].need,
            pairs[id].expert,
        )
    });
    for (id, slot) in options {
        if board.can_place(id, slot) {
            let kind = board.kind_of(id);
            board.place(id, slot, kind);
        }
    }
    board.into_placed()
}
