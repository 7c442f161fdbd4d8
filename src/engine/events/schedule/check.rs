//! The checks a set of meetings must pass (manual edits, and the tests of the scheduler), and the
//! total weight of a schedule.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::Side;

use super::pairs::{clamp_weight, PairTable};
use super::{Placed, Problem, Violation};

/// Every rule a set of meetings breaks (empty when valid). Rules of one meeting come first, in the
/// order of `placed`; then pairs met twice, double bookings, quotas and capacities, by index. Each
/// violation is reported once.
pub fn violations(problem: &Problem, placed: &[Placed]) -> Vec<Violation> {
    let pairs = PairTable::new(problem);
    let mut found = Vec::new();
    let mut seen = BTreeSet::new();
    let mut report = |key: (u8, usize, usize, usize), v: Violation| {
        if seen.insert(key) {
            found.push(v);
        }
    };
    let mut pair_count: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut busy: BTreeMap<(usize, Side, usize), usize> = BTreeMap::new();
    let mut quota: BTreeMap<(Side, usize), usize> = BTreeMap::new();
    let mut load: BTreeMap<usize, usize> = BTreeMap::new();
    for m in placed {
        let slot_known = m.slot < problem.slots.len();
        if slot_known {
            *load.entry(m.slot).or_default() += 1;
        } else {
            report((0, m.slot, 0, 0), Violation::UnknownSlot { slot: m.slot });
        }
        let sides = [
            (Side::Need, m.need, &problem.needs),
            (Side::Expert, m.expert, &problem.experts),
        ];
        for (side, index, participants) in sides {
            let Some(p) = participants.get(index) else {
                report(
                    (1, side as usize, index, 0),
                    Violation::UnknownParticipant { side, index },
                );
                continue;
            };
            *quota.entry((side, index)).or_default() += 1;
            if slot_known {
                *busy.entry((m.slot, side, index)).or_default() += 1;
                if !p.available_in(m.slot) {
                    report(
                        (2, m.slot, side as usize, index),
                        Violation::Unavailable {
                            slot: m.slot,
                            side,
                            index,
                        },
                    );
                }
            }
        }
        if m.need < problem.needs.len() && m.expert < problem.experts.len() {
            *pair_count.entry((m.need, m.expert)).or_default() += 1;
            if pairs.find(m.need, m.expert).is_none() {
                report(
                    (3, m.need, m.expert, 0),
                    Violation::NotAllowed {
                        need: m.need,
                        expert: m.expert,
                    },
                );
            }
        }
    }
    for (&(need, expert), _) in pair_count.iter().filter(|(_, &n)| n > 1) {
        found.push(Violation::PairTwice { need, expert });
    }
    for (&(slot, side, index), _) in busy.iter().filter(|(_, &n)| n > 1) {
        found.push(Violation::DoubleBooked { slot, side, index });
    }
    for (&(side, index), &n) in &quota {
        let max = match side {
            Side::Need => problem.needs[index].max,
            Side::Expert => problem.experts[index].max,
        };
        if n > usize::from(max) {
            found.push(Violation::OverQuota { side, index, max });
        }
    }
    for (&slot, &n) in &load {
        if let Some(capacity) = problem.slots[slot].capacity.filter(|&c| n > c) {
            found.push(Violation::OverCapacity { slot, capacity });
        }
    }
    found
}

/// Sum of pair weights of the placed meetings (must pairs count their weight only), each weight as
/// the scheduler reads it (NaN and negatives 0, at most [`WEIGHT_CAP`](super::WEIGHT_CAP)); a
/// meeting of a pair not in the list adds nothing.
pub fn total_weight(problem: &Problem, placed: &[Placed]) -> f64 {
    let pairs = PairTable::new(problem);
    placed
        .iter()
        .filter_map(|m| pairs.find(m.need, m.expert))
        .map(|id| clamp_weight(problem.pairs[id].weight))
        .sum()
}
