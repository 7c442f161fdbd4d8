//! The local search: each pair left out, heaviest first, takes the slot where it gains
//! the most over the meetings it displaces (the sides' meetings in that slot, a meeting of a side at
//! its maximum, the lightest meeting of a full slot), when that gain is positive. Slot-by-slot
//! matchings spend quotas in early slots; this lets a heavier pair of a later slot win them back.

use std::cmp::Reverse;

use crate::domain::Side;

use super::board::{Board, Kind};

/// Passes over the pairs left out; each stops early when nothing changed.
const ROUNDS: usize = 4;

/// Improves the board while a pair left out is worth more than what it displaces. `bonus` is what
/// one meeting of a participant below its minimum is worth.
pub(super) fn improve(board: &mut Board, bonus: i64) {
    let mut order: Vec<usize> = board.pairs.ids().filter(|&id| board.problem.pairs[id].auto).collect();
    order.sort_by_key(|&id| (Reverse(board.pairs.value[id]), id));
    for _ in 0..ROUNDS {
        let mut changed = false;
        for &id in &order {
            if board.met(id) || !may_gain(board, id, bonus) {
                continue;
            }
            let mut best: Option<(i64, usize, Vec<usize>)> = None;
            for slot in 0..board.slots() {
                if let Some((gain, displaced)) = plan(board, id, slot, bonus) {
                    if gain > 0 && best.as_ref().is_none_or(|b| gain > b.0) {
                        best = Some((gain, slot, displaced));
                    }
                }
            }
            if let Some((_, slot, displaced)) = best {
                for m in displaced {
                    board.remove(m);
                }
                let kind = board.kind_of(id);
                board.place(id, slot, kind);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// A bound that rules most pairs out before any slot is tried: a side at its maximum must give up
/// one of its meetings, so the pair gains nothing unless it outweighs the lightest of them or brings
/// a side towards its minimum.
fn may_gain(board: &Board, pair: usize, bonus: i64) -> bool {
    let p = &board.problem.pairs[pair];
    let mut bound = board.pairs.value[pair];
    for (side, i) in [(Side::Need, p.need), (Side::Expert, p.expert)] {
        if board.below_min(side, i) {
            bound += bonus;
        }
        if board.count(side, i) >= usize::from(board.participant(side, i).max) {
            match lightest(board, board.meetings_of(side, i), &[]) {
                Some(m) => bound -= value(board, m),
                None => return false,
            }
        }
    }
    bound > 0
}

/// The meetings to take off so that `pair` fits in `slot`, and the objective's change, or `None`
/// when it cannot fit (unavailable, or only fixed or must meetings stand in the way).
fn plan(board: &Board, pair: usize, slot: usize, bonus: i64) -> Option<(i64, Vec<usize>)> {
    let p = &board.problem.pairs[pair];
    let sides = [(Side::Need, p.need), (Side::Expert, p.expert)];
    if board.met(pair)
        || sides
            .iter()
            .any(|&(side, i)| !board.participant(side, i).available_in(slot))
    {
        return None;
    }
    let mut displaced = Vec::new();
    for (side, i) in sides {
        if let Some(m) = board.at(side, slot, i) {
            take(board, &mut displaced, Some(m))?;
        }
    }
    for (side, i) in sides {
        let max = usize::from(board.participant(side, i).max);
        let left = board.count(side, i) - displaced.iter().filter(|&&m| involves(board, m, side, i)).count();
        if left >= max {
            let lightest = lightest(board, board.meetings_of(side, i), &displaced);
            take(board, &mut displaced, lightest.filter(|_| left == max))?;
        }
    }
    if let Some(capacity) = board.problem.slots[slot].capacity {
        let load = board.load(slot) - displaced.iter().filter(|&&m| in_slot(board, m, slot)).count();
        if load >= capacity {
            let lightest = board.movable_in(slot).find(|m| !displaced.contains(m));
            take(board, &mut displaced, lightest.filter(|_| load == capacity))?;
        }
    }
    let lost: i64 = displaced.iter().map(|&m| value(board, m)).sum();
    Some((
        board.pairs.value[pair] - lost + bonus * min_change(board, pair, &displaced),
        displaced,
    ))
}

/// Adds a meeting to the displaced ones when the scheduler may take it off.
fn take(board: &Board, displaced: &mut Vec<usize>, meeting: Option<usize>) -> Option<()> {
    let m = meeting?;
    if board.meeting(m)?.kind != Kind::Auto {
        return None;
    }
    if !displaced.contains(&m) {
        displaced.push(m);
    }
    Some(())
}

/// The lightest meeting among `meetings` the scheduler may take off, not displaced yet.
fn lightest(board: &Board, meetings: impl Iterator<Item = usize>, displaced: &[usize]) -> Option<usize> {
    meetings
        .filter(|m| !displaced.contains(m))
        .filter(|&m| board.meeting(m).is_some_and(|x| x.kind == Kind::Auto))
        .min_by_key(|&m| (value(board, m), m))
}

fn value(board: &Board, meeting: usize) -> i64 {
    board
        .meeting(meeting)
        .and_then(|m| m.pair)
        .map_or(0, |pair| board.pairs.value[pair])
}

fn involves(board: &Board, meeting: usize, side: Side, index: usize) -> bool {
    board.meeting(meeting).is_some_and(|m| match side {
        Side::Need => m.need == index,
        Side::Expert => m.expert == index,
    })
}

fn in_slot(board: &Board, meeting: usize, slot: usize) -> bool {
    board.meeting(meeting).is_some_and(|m| m.slot == slot)
}

/// How many meetings below the participants' minimums the move fills (negative: leaves open).
fn min_change(board: &Board, pair: usize, displaced: &[usize]) -> i64 {
    let p = &board.problem.pairs[pair];
    let mut deltas: Vec<(Side, usize, i64)> = vec![(Side::Need, p.need, 1), (Side::Expert, p.expert, 1)];
    for m in displaced.iter().filter_map(|&m| board.meeting(m)) {
        deltas.push((Side::Need, m.need, -1));
        deltas.push((Side::Expert, m.expert, -1));
    }
    deltas.sort_by_key(|&(side, i, _)| (side, i));
    let mut change = 0;
    for group in deltas.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let (side, i) = (group[0].0, group[0].1);
        let before = board.count(side, i) as i64;
        let after = before + group.iter().map(|d| d.2).sum::<i64>();
        let min = i64::from(board.participant(side, i).min);
        change += after.min(min) - before.min(min);
    }
    change
}
