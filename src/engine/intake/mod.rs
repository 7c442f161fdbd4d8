//! Bulk intake of experts and needs from operators' files: per-row plans (create, update, skip,
//! reject, duplicate), duplicate links that are reported and never merged, and batched commits that
//! a re-run resumes through the store's intake ledger.

mod commit;
mod dedup;
mod experts;
mod ledger;
mod needs;
mod plan;
mod report;
mod rows;

pub use dedup::without_asides;
pub use report::{IntakeReport, Link, MatchedOn, Outcome, RowReport};
pub use rows::{BatchDone, ExpertRow, IntakeOptions, NeedRow, Row};

/// Why a new expert row without consent is rejected (DESIGN §5: consent is recorded before a profile
/// is stored; an operator's file carries it as the version of the consent text the base holds).
pub const CONSENT_REQUIRED: &str =
    "is required for a new expert: a consent version column or the consent_version parameter";
