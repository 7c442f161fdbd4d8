//! Matchmaking events: the records, shortlists with an exposure cap, the meeting schedule across
//! time zones, manual edits under the scheduler's checks, and met-before pairs.

pub mod schedule;
pub mod suggest;
pub mod waking;

mod attendance;
mod drafting;
mod edits;
mod met;
mod problem;
mod records;
mod report;
mod revalidate;
mod shortlists;
mod tables;
mod unplaced;
mod windows;

pub use attendance::{explain_pair, Attendance};
pub use drafting::DraftOptions;
pub use edits::MeetingChange;
pub use met::MetPairs;
pub use records::ParticipantLookup;
pub use report::EventRecords;
pub use shortlists::{MetBefore, Shortlist, ShortlistEntry, ShortlistOptions, Shortlists};
pub use windows::{Attendee, SlotSuggestions};
