//! The pairs chosen to meet before any slot is decided: heaviest first, while both sides have quota
//! left (a greedy b-matching), among the pairs that share an open slot. Choosing first keeps the
//! slot-by-slot matchings from spending quotas on light pairs in early slots.

use std::cmp::Reverse;

use crate::domain::Side;

use super::board::Board;

/// The pair entries to spread over the slots, heaviest first.
pub(super) fn choose(board: &Board) -> Vec<usize> {
    let problem = board.problem;
    let quota_left = |side: Side, count: usize| -> Vec<usize> {
        (0..count)
            .map(|i| usize::from(board.participant(side, i).max).saturating_sub(board.count(side, i)))
            .collect()
    };
    let mut needs = quota_left(Side::Need, problem.needs.len());
    let mut experts = quota_left(Side::Expert, problem.experts.len());
    let mut order: Vec<usize> = board
        .pairs
        .ids()
        .filter(|&id| problem.pairs[id].auto && !board.met(id) && shares_a_slot(board, id))
        .collect();
    order.sort_by_key(|&id| (Reverse(board.pairs.value[id]), id));
    let mut chosen = Vec::new();
    for id in order {
        let (n, e) = (problem.pairs[id].need, problem.pairs[id].expert);
        if needs[n] > 0 && experts[e] > 0 {
            needs[n] -= 1;
            experts[e] -= 1;
            chosen.push(id);
        }
    }
    chosen
}

/// Whether both sides of a pair are available in a slot that has room.
fn shares_a_slot(board: &Board, pair: usize) -> bool {
    let p = &board.problem.pairs[pair];
    (0..board.slots()).any(|s| {
        board.participant(Side::Need, p.need).available_in(s)
            && board.participant(Side::Expert, p.expert).available_in(s)
            && board.room(s) > 0
    })
}
