//! The rules a set of meetings can break, each with the indices it concerns and a message in plain
//! words.

use serde::Serialize;

use crate::domain::Side;

/// A rule a set of meetings breaks.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Violation {
    /// The slot index is out of range.
    UnknownSlot {
        /// The slot index.
        slot: usize,
    },
    /// The need or expert index is out of range.
    UnknownParticipant {
        /// Which side.
        side: Side,
        /// The index on that side.
        index: usize,
    },
    /// The pair is not in the problem's pairs (`no_thanks` from either side).
    NotAllowed {
        /// The need.
        need: usize,
        /// The expert.
        expert: usize,
    },
    /// A pair meets at most once per event.
    PairTwice {
        /// The need.
        need: usize,
        /// The expert.
        expert: usize,
    },
    /// A participant has two meetings in one slot.
    DoubleBooked {
        /// The slot.
        slot: usize,
        /// Which side.
        side: Side,
        /// The index on that side.
        index: usize,
    },
    /// A participant has more meetings than its quota allows.
    OverQuota {
        /// Which side.
        side: Side,
        /// The index on that side.
        index: usize,
        /// The quota's maximum.
        max: u16,
    },
    /// A participant meets in a slot outside its waking hours.
    Unavailable {
        /// The slot.
        slot: usize,
        /// Which side.
        side: Side,
        /// The index on that side.
        index: usize,
    },
    /// A slot holds more meetings than it has tables.
    OverCapacity {
        /// The slot.
        slot: usize,
        /// How many meetings it holds at most.
        capacity: usize,
    },
}

impl Violation {
    /// The rule broken, in plain words (lowercase, no trailing period), with indices.
    pub fn message(&self) -> String {
        match self {
            Violation::UnknownSlot { slot } => format!("slot {slot} does not exist"),
            Violation::UnknownParticipant { side, index } => format!("{side} {index} does not take part"),
            Violation::NotAllowed { need, expert } => {
                format!("need {need} and expert {expert} may not meet (not a candidate pair, or a side said no thanks)")
            }
            Violation::PairTwice { need, expert } => format!("need {need} and expert {expert} meet more than once"),
            Violation::DoubleBooked { slot, side, index } => {
                format!("{side} {index} has more than one meeting in slot {slot}")
            }
            Violation::OverQuota { side, index, max } => {
                format!("{side} {index} has more meetings than its maximum of {max}")
            }
            Violation::Unavailable { slot, side, index } => format!("{side} {index} is not available in slot {slot}"),
            Violation::OverCapacity { slot, capacity } => {
                format!("slot {slot} holds more meetings than its capacity of {capacity}")
            }
        }
    }
}
