//! Matchmaking events: the records, shortlists with an exposure cap, the meeting schedule across
//! time zones, manual edits under the scheduler's checks, and met-before pairs.

pub mod schedule;
pub mod suggest;
pub mod waking;
