//! A schedule in progress: who meets whom in which slot, the counts per participant and slot, and
//! the rules a new meeting must pass.

use std::collections::BTreeSet;

use crate::domain::Side;

use super::pairs::PairTable;
use super::{Participant, Placed, Problem};

/// How a meeting got on the board, which says whether the scheduler may take it off again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Placed by hand: kept as given.
    Fixed,
    /// A `must_meet` pair: kept once placed.
    Must,
    /// Placed for its weight: may give way to a better meeting.
    Auto,
}

/// One meeting on the board.
#[derive(Debug, Clone, Copy)]
pub(super) struct Meeting {
    pub slot: usize,
    pub need: usize,
    pub expert: usize,
    /// The pair entry; `None` for a fixed meeting of a pair that is not in the list.
    pub pair: Option<usize>,
    pub kind: Kind,
}

/// The meetings placed so far, with the occupancy they imply.
#[derive(Clone)]
pub(super) struct Board<'a> {
    pub problem: &'a Problem,
    pub pairs: PairTable,
    /// Every meeting ever placed; `None` once taken off.
    meetings: Vec<Option<Meeting>>,
    /// `slot * needs + need` -> the need's meeting in that slot.
    need_at: Vec<Option<usize>>,
    /// `slot * experts + expert` -> the expert's meeting in that slot.
    expert_at: Vec<Option<usize>>,
    need_count: Vec<usize>,
    expert_count: Vec<usize>,
    /// Meetings per slot.
    load: Vec<usize>,
    /// Per slot, the meetings the scheduler may take off (`Kind::Auto`), by (value, id).
    movable: Vec<BTreeSet<(i64, usize)>>,
    /// Per pair entry: placed already.
    met: Vec<bool>,
    /// The manual meetings, returned as given.
    fixed: Vec<Placed>,
}

impl<'a> Board<'a> {
    /// A board holding the manual meetings `fixed`. Those with an out-of-range index are returned
    /// as given but take no room.
    pub fn new(problem: &'a Problem, fixed: &[Placed]) -> Self {
        let (slots, needs, experts) = (problem.slots.len(), problem.needs.len(), problem.experts.len());
        let mut board = Board {
            problem,
            pairs: PairTable::new(problem),
            meetings: Vec::new(),
            need_at: vec![None; slots * needs],
            expert_at: vec![None; slots * experts],
            need_count: vec![0; needs],
            expert_count: vec![0; experts],
            load: vec![0; slots],
            movable: vec![BTreeSet::new(); slots],
            met: vec![false; problem.pairs.len()],
            fixed: fixed.to_vec(),
        };
        for m in fixed {
            if m.slot < slots && m.need < needs && m.expert < experts {
                let pair = board.pairs.find(m.need, m.expert);
                board.insert(m.slot, m.need, m.expert, pair, Kind::Fixed);
            }
        }
        board
    }

    /// How many slots there are.
    pub fn slots(&self) -> usize {
        self.problem.slots.len()
    }

    /// A need or an expert.
    pub fn participant(&self, side: Side, index: usize) -> &'a Participant {
        match side {
            Side::Need => &self.problem.needs[index],
            Side::Expert => &self.problem.experts[index],
        }
    }

    /// How many meetings a participant has.
    pub fn count(&self, side: Side, index: usize) -> usize {
        match side {
            Side::Need => self.need_count[index],
            Side::Expert => self.expert_count[index],
        }
    }

    /// The meeting a participant has in a slot.
    pub fn at(&self, side: Side, slot: usize, index: usize) -> Option<usize> {
        match side {
            Side::Need => self.need_at[slot * self.problem.needs.len() + index],
            Side::Expert => self.expert_at[slot * self.problem.experts.len() + index],
        }
    }

    /// Whether a participant is still below its minimum.
    pub fn below_min(&self, side: Side, index: usize) -> bool {
        self.count(side, index) < usize::from(self.participant(side, index).min)
    }

    /// Whether a participant may take one more meeting in `slot`: available, free, below its maximum.
    pub fn open(&self, side: Side, slot: usize, index: usize) -> bool {
        self.participant(side, index).available_in(slot)
            && self.at(side, slot, index).is_none()
            && self.count(side, index) < usize::from(self.participant(side, index).max)
    }

    /// How many meetings `slot` holds now.
    pub fn load(&self, slot: usize) -> usize {
        self.load[slot]
    }

    /// How many more meetings `slot` holds.
    pub fn room(&self, slot: usize) -> usize {
        match self.problem.slots[slot].capacity {
            Some(c) => c.saturating_sub(self.load[slot]),
            None => usize::MAX,
        }
    }

    /// Whether a pair entry that counts may be placed in `slot` under every rule.
    pub fn can_place(&self, pair: usize, slot: usize) -> bool {
        let p = &self.problem.pairs[pair];
        slot < self.slots()
            && self.pairs.value[pair] > 0
            && !self.met[pair]
            && self.open(Side::Need, slot, p.need)
            && self.open(Side::Expert, slot, p.expert)
            && self.room(slot) > 0
    }

    /// The kind of meeting the scheduler makes of a pair entry.
    pub fn kind_of(&self, pair: usize) -> Kind {
        if self.problem.pairs[pair].must {
            Kind::Must
        } else {
            Kind::Auto
        }
    }

    /// Whether a pair entry has been placed.
    pub fn met(&self, pair: usize) -> bool {
        self.met[pair]
    }

    /// Places a pair entry in `slot` (the caller checked `can_place`); returns the meeting's id.
    pub fn place(&mut self, pair: usize, slot: usize, kind: Kind) -> usize {
        let p = &self.problem.pairs[pair];
        self.insert(slot, p.need, p.expert, Some(pair), kind)
    }

    fn insert(&mut self, slot: usize, need: usize, expert: usize, pair: Option<usize>, kind: Kind) -> usize {
        let id = self.meetings.len();
        self.meetings.push(Some(Meeting {
            slot,
            need,
            expert,
            pair,
            kind,
        }));
        let (n, e) = (
            slot * self.problem.needs.len() + need,
            slot * self.problem.experts.len() + expert,
        );
        self.need_at[n].get_or_insert(id);
        self.expert_at[e].get_or_insert(id);
        self.need_count[need] += 1;
        self.expert_count[expert] += 1;
        self.load[slot] += 1;
        if let (Kind::Auto, Some(pair)) = (kind, pair) {
            self.movable[slot].insert((self.pairs.value[pair], id));
        }
        if let Some(pair) = pair {
            self.met[pair] = true;
        }
        id
    }

    /// Takes a meeting off the board.
    pub fn remove(&mut self, id: usize) {
        let Some(m) = self.meetings.get_mut(id).and_then(Option::take) else {
            return;
        };
        let (n, e) = (
            m.slot * self.problem.needs.len() + m.need,
            m.slot * self.problem.experts.len() + m.expert,
        );
        if self.need_at[n] == Some(id) {
            self.need_at[n] = None;
        }
        if self.expert_at[e] == Some(id) {
            self.expert_at[e] = None;
        }
        self.need_count[m.need] -= 1;
        self.expert_count[m.expert] -= 1;
        self.load[m.slot] -= 1;
        if let (Kind::Auto, Some(pair)) = (m.kind, m.pair) {
            self.movable[m.slot].remove(&(self.pairs.value[pair], id));
        }
        if let Some(pair) = m.pair {
            self.met[pair] = false;
        }
    }

    /// A meeting on the board.
    pub fn meeting(&self, id: usize) -> Option<&Meeting> {
        self.meetings.get(id).and_then(Option::as_ref)
    }

    /// The meetings of a participant, by slot.
    pub fn meetings_of(&self, side: Side, index: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.slots()).filter_map(move |s| self.at(side, s, index))
    }

    /// The meetings of a slot the scheduler may take off, lightest first.
    pub fn movable_in(&self, slot: usize) -> impl Iterator<Item = usize> + '_ {
        self.movable[slot].iter().map(|&(_, id)| id)
    }

    /// What the scheduler maximizes: the value of every meeting of a listed pair, plus `bonus` per
    /// meeting up to each participant's minimum.
    pub fn objective(&self, bonus: i64) -> i128 {
        let values: i128 = self
            .meetings
            .iter()
            .flatten()
            .filter_map(|m| m.pair)
            .map(|p| i128::from(self.pairs.value[p]))
            .sum();
        let towards_min = |counts: &[usize], participants: &[Participant]| -> i128 {
            counts
                .iter()
                .zip(participants)
                .map(|(&c, p)| c.min(usize::from(p.min)) as i128)
                .sum()
        };
        let filled =
            towards_min(&self.need_count, &self.problem.needs) + towards_min(&self.expert_count, &self.problem.experts);
        values + i128::from(bonus) * filled
    }

    /// The manual meetings as given, then the placed ones, by (slot, need, expert).
    pub fn into_placed(self) -> Vec<Placed> {
        let mut placed = self.fixed;
        placed.extend(
            self.meetings
                .iter()
                .flatten()
                .filter(|m| m.kind != Kind::Fixed)
                .map(|m| Placed {
                    slot: m.slot,
                    need: m.need,
                    expert: m.expert,
                }),
        );
        placed.sort();
        placed
    }
}
