//! Filling the slots: per slot, a maximum-weight assignment of the free needs to the free experts over
//! the pairs not met yet, within the slot's remaining capacity; a participant below its minimum adds a
//! bonus to each of its pairs.

use crate::domain::Side;

use super::board::Board;
use super::matching::best_pairs;

/// Fills each slot in turn. `bonus` is what one meeting of a participant below its minimum is worth.
pub(super) fn fill_slots(board: &mut Board, bonus: i64) {
    for slot in 0..board.slots() {
        let room = board.room(slot);
        if room == 0 {
            continue;
        }
        let candidates: Vec<(usize, i64)> = (0..board.problem.needs.len())
            .filter(|&need| board.open(Side::Need, slot, need))
            .flat_map(|need| board.pairs.by_need[need].iter().copied())
            .filter(|&id| board.problem.pairs[id].auto && board.can_place(id, slot))
            .map(|id| (id, gain(board, id, bonus)))
            .collect();
        for id in best_pairs(&board.problem.pairs, &candidates, room) {
            let kind = board.kind_of(id);
            board.place(id, slot, kind);
        }
    }
}

/// What placing a pair adds to the objective: its value, plus `bonus` per side still below its minimum.
fn gain(board: &Board, pair: usize, bonus: i64) -> i64 {
    let p = &board.problem.pairs[pair];
    let lifts = i64::from(board.below_min(Side::Need, p.need)) + i64::from(board.below_min(Side::Expert, p.expert));
    board.pairs.value[pair] + lifts * bonus
}
