//! The draft: manual meetings kept, `must_meet` pairs placed, then two ways of going on, the better
//! kept: choosing the pairs to meet first and spreading them over the slots, or a maximum-weight
//! assignment slot by slot; each followed by a local search and a last fill.

use super::board::Board;
use super::choose::choose;
use super::spread::spread;
use super::{fill, improve, Placed, Problem};

/// The draft: keeps every meeting of `fixed` (already placed by hand; assumed to pass
/// [`violations`](super::violations)) and adds the best ones it can, by (slot, need, expert).
///
/// Never places a pair absent from the list or with `auto == false`; places `must` pairs before any
/// other; favours participants below their minimum over weight (one meeting that brings a
/// participant towards its minimum outweighs any single pair's weight). Deterministic.
pub fn assign(problem: &Problem, fixed: &[Placed]) -> Vec<Placed> {
    let mut board = Board::new(problem, fixed);
    let bonus = board.pairs.max_value().saturating_add(1);
    let pairs = &problem.pairs;
    let must: Vec<usize> = board
        .pairs
        .ids()
        .filter(|&id| pairs[id].must && pairs[id].auto)
        .collect();
    spread(&mut board, &must);

    // Choosing first (a greedy b-matching) keeps early slots from spending quotas on light pairs;
    // slot by slot is optimal when there is one slot. Neither wins everywhere.
    let mut chosen_first = board.clone();
    let chosen = choose(&chosen_first);
    spread(&mut chosen_first, &chosen);
    let mut slot_by_slot = board;
    for board in [&mut chosen_first, &mut slot_by_slot] {
        fill::fill_slots(board, bonus);
        improve::improve(board, bonus);
        // Taking meetings off may have freed room a pair left out fits in without displacing anything.
        fill::fill_slots(board, bonus);
    }
    if slot_by_slot.objective(bonus) > chosen_first.objective(bonus) {
        slot_by_slot.into_placed()
    } else {
        chosen_first.into_placed()
    }
}
