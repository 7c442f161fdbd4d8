//! What bulk intake takes in: the parsed rows of a file, and how to run it.

use crate::domain::{Consent, ExpertId, ExpertProfile, ExpertStatus, NeedId, NeedSpec, NeedStatus};
use crate::error::FieldError;

/// One expert row, parsed through the same checks as the API.
#[derive(Debug, Clone)]
pub struct ExpertRow {
    /// The id the row names: an update when stored, else a creation under that id.
    pub id: Option<ExpertId>,
    /// The status the row (or the request) gives; `pending_review` for new experts when absent,
    /// unchanged for updates.
    pub status: Option<ExpertStatus>,
    /// The profile.
    pub profile: ExpertProfile,
    /// The consent the base attests to; required for new experts.
    pub consent: Option<Consent>,
}

/// One need row, parsed through the same checks as the API.
#[derive(Debug, Clone)]
pub struct NeedRow {
    /// The id the row names: an update when stored, else a creation under that id.
    pub id: Option<NeedId>,
    /// The status given; `open` for new needs when absent, unchanged for updates.
    pub status: Option<NeedStatus>,
    /// The need.
    pub spec: NeedSpec,
}

/// One row of a file: where it starts, and what it parsed to or every bad field of it.
#[derive(Debug, Clone)]
pub struct Row<T> {
    /// The line of the file where the row starts (a spreadsheet's row number; the header is line 1).
    pub row: usize,
    /// The parsed row, or its bad fields.
    pub parsed: Result<T, Vec<FieldError>>,
}

/// How to run an intake.
#[derive(Debug, Clone, Copy)]
pub struct IntakeOptions {
    /// Plan and report only; write nothing.
    pub dry_run: bool,
    /// Rows written per transaction and flush.
    pub batch_size: usize,
}

impl IntakeOptions {
    /// Rows per committed batch unless told otherwise: large enough that a flush per batch costs
    /// little, small enough that an interruption loses at most one batch of work (never a committed one).
    pub const DEFAULT_BATCH: usize = 500;

    /// Options with the default batch size.
    pub fn new(dry_run: bool) -> Self {
        IntakeOptions {
            dry_run,
            batch_size: Self::DEFAULT_BATCH,
        }
    }
}

/// Told after each committed (durable) batch.
#[derive(Debug, Clone, Copy)]
pub struct BatchDone {
    /// 1 for the first batch.
    pub batch: usize,
    /// Records written so far, this batch included.
    pub written: usize,
    /// The last file row of the batch.
    pub last_row: usize,
}
