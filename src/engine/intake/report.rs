//! What bulk intake answers: per row, what happened (or would happen) and why.

use crate::error::FieldError;

/// What became of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new record.
    Create,
    /// A stored record the row names by id, replaced.
    Update,
    /// Nothing to do: imported before, or the same as stored.
    Skip,
    /// Bad fields; nothing written.
    Reject,
    /// The row duplicates a stored record or an earlier row; nothing written, linked for an operator.
    Duplicate,
}

impl Outcome {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Create => "create",
            Outcome::Update => "update",
            Outcome::Skip => "skip",
            Outcome::Reject => "reject",
            Outcome::Duplicate => "duplicate",
        }
    }
}

/// Why two rows or records are taken for the same one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedOn {
    /// The same email address (experts).
    Email,
    /// The same id named twice in a file.
    Id,
    /// The very same content twice in a file.
    Content,
    /// The same name at the same organisation, after normalisation (experts).
    NameAndOrganisation,
    /// The same title for the same enterprise, after normalisation (needs).
    EnterpriseAndTitle,
}

impl MatchedOn {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedOn::Email => "email",
            MatchedOn::Id => "id",
            MatchedOn::Content => "content",
            MatchedOn::NameAndOrganisation => "name_and_organisation",
            MatchedOn::EnterpriseAndTitle => "enterprise_and_title",
        }
    }
}

/// A record or earlier row that a row may duplicate.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The record's id, when it is stored or will be.
    pub id: Option<String>,
    /// The earlier row of the same file, when the link is to a row.
    pub row: Option<usize>,
    /// What the two have in common.
    pub matched_on: MatchedOn,
}

/// The outcome of one row.
#[derive(Debug, Clone)]
pub struct RowReport {
    /// The row's line in the file.
    pub row: usize,
    /// What became of it.
    pub outcome: Outcome,
    /// The record created, updated or skipped.
    pub id: Option<String>,
    /// Every bad field (rejected rows).
    pub errors: Vec<FieldError>,
    /// What a `duplicate` row duplicates.
    pub duplicate_of: Vec<Link>,
    /// Records and rows a created or updated row may duplicate, for an operator to decide.
    pub possible_duplicate_of: Vec<Link>,
    /// Why, in words.
    pub detail: Option<String>,
}

impl RowReport {
    /// A report of `outcome` for `row`, with nothing else yet.
    pub fn new(row: usize, outcome: Outcome) -> Self {
        RowReport {
            row,
            outcome,
            id: None,
            errors: Vec::new(),
            duplicate_of: Vec::new(),
            possible_duplicate_of: Vec::new(),
            detail: None,
        }
    }
}

/// The report of one intake.
#[derive(Debug, Clone)]
pub struct IntakeReport {
    /// `experts` or `needs`.
    pub kind: &'static str,
    /// True when nothing was written.
    pub dry_run: bool,
    /// Batches committed (each one transaction and one flush).
    pub batches: usize,
    /// One entry per row, in file order.
    pub rows: Vec<RowReport>,
}

impl IntakeReport {
    /// Rows with this outcome.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.rows.iter().filter(|r| r.outcome == outcome).count()
    }

    /// Rows written (or to be written) with a possible duplicate to look at.
    pub fn flagged(&self) -> usize {
        self.rows.iter().filter(|r| !r.possible_duplicate_of.is_empty()).count()
    }
}
