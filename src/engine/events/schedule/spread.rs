//! Spreading a set of pairs over the slots: slot by slot, as many of them as each slot takes, those
//! with the fewest slots left to meet in before the others, then the heavier. Used for the
//! `must_meet` pairs, then for the pairs chosen to meet.

use std::cmp::Reverse;

use super::board::Board;
use super::matching::best_pairs;

/// Largest total weight of one slot's matching under the exact priorities; beyond it (thousands of
/// pairs and slots), the pass only counts pairs.
const SAFE_TOTAL: i64 = 1 << 56;

/// Places as many of the pair entries `set` as the slots take, each as `board.kind_of` says.
pub(super) fn spread(board: &mut Board, set: &[usize]) {
    let pairs = &board.problem.pairs;
    if set.is_empty() {
        return;
    }
    // Rank by weight, so that among equally scarce pairs the heavier one wins a contested slot.
    let mut rank = vec![0i64; pairs.len()];
    let mut by_value = set.to_vec();
    by_value.sort_by_key(|&id| (board.pairs.value[id], Reverse(id)));
    for (r, &id) in by_value.iter().enumerate() {
        rank[id] = r as i64;
    }
    let slots = board.slots();
    let ranks = set.len() as i64 + 1;
    let tie_max = (slots as i64).saturating_mul(ranks).saturating_add(ranks);
    for slot in 0..slots {
        let open: Vec<usize> = set.iter().copied().filter(|&id| board.can_place(id, slot)).collect();
        if open.is_empty() {
            continue;
        }
        // Each pair is worth `base` plus a tie-break below `base / open.len()`: the matching takes as many
        // pairs as it can, and among the largest sets the one with the scarcest, then heaviest pairs.
        let n = open.len() as i64 + 1;
        let base = n
            .checked_mul(tie_max + 1)
            .filter(|b| b.checked_mul(n).is_some_and(|t| t < SAFE_TOTAL));
        let candidates: Vec<(usize, i64)> = open
            .iter()
            .map(|&id| match base {
                Some(base) => (id, base + scarcity(board, id, slot) * ranks + rank[id]),
                None => (id, 1),
            })
            .collect();
        for id in best_pairs(pairs, &candidates, board.room(slot)) {
            let kind = board.kind_of(id);
            board.place(id, slot, kind);
        }
    }
}

/// How few slots from `slot` on a pair could still meet in: 0 when it could meet in every slot.
fn scarcity(board: &Board, pair: usize, slot: usize) -> i64 {
    let p = &board.problem.pairs[pair];
    let (need, expert) = (&board.problem.needs[p.need], &board.problem.experts[p.expert]);
    let left = (slot..board.slots())
        .filter(|&s| need.available_in(s) && expert.available_in(s) && board.problem.slots[s].capacity != Some(0))
        .count();
    (board.slots() - left) as i64
}
