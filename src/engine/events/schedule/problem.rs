//! The scheduler's input and output over plain indices: slots, participants, candidate pairs and the
//! meetings placed.

/// One time slot: how many meetings it can hold (on-site tables), `None` = unlimited (online).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SlotLimit {
    /// Most meetings the slot holds, `None` for no limit.
    pub capacity: Option<usize>,
}

/// A need or an expert of the event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Participant {
    /// Fewest meetings wanted: the scheduler favours pairs of participants still below it.
    pub min: u16,
    /// Most meetings allowed; never exceeded.
    pub max: u16,
    /// One entry per slot: may this side meet in that slot (waking hours, already computed by the
    /// caller). A missing entry counts as `false`.
    pub available: Vec<bool>,
}

impl Participant {
    /// Whether this side may meet in `slot`.
    pub fn available_in(&self, slot: usize) -> bool {
        self.available.get(slot).copied().unwrap_or(false)
    }
}

/// A pair the scheduler may consider. Pairs absent from the list (`no_thanks` from either side) may
/// never be placed, neither by the scheduler nor by hand. When a pair is listed twice, its first
/// entry counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// Index of the need.
    pub need: usize,
    /// Index of the expert.
    pub expert: usize,
    /// At least 0: the match score plus preference bonuses, computed by the caller. The scheduler
    /// reads NaN and negative weights as 0 and caps weights at [`WEIGHT_CAP`](super::WEIGHT_CAP).
    pub weight: f64,
    /// `must_meet`: placed before any other pair.
    pub must: bool,
    /// false: the scheduler never places it on its own (score-gated pair), but a manual placement
    /// is accepted.
    pub auto: bool,
}

/// Everything the scheduler needs to know about an event, by index.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Problem {
    /// The time slots, in order.
    pub slots: Vec<SlotLimit>,
    /// The needs taking part.
    pub needs: Vec<Participant>,
    /// The experts taking part.
    pub experts: Vec<Participant>,
    /// The pairs that may meet.
    pub pairs: Vec<Pair>,
}

/// One meeting: a need and an expert in a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Placed {
    /// Index of the slot.
    pub slot: usize,
    /// Index of the need.
    pub need: usize,
    /// Index of the expert.
    pub expert: usize,
}
