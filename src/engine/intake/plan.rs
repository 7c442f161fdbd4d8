//! A planned intake: one report per row and the writes to commit, in file order.

use std::collections::HashSet;

use super::report::{IntakeReport, Link, Outcome, RowReport};
use crate::error::FieldError;
use crate::store::IntakeWrite;

/// The reports of every row, and the writes of the rows to create or update.
#[derive(Debug)]
pub struct Plan<T> {
    /// One per row, in file order.
    pub reports: Vec<RowReport>,
    /// The writes, in file order.
    pub writes: Vec<IntakeWrite<T>>,
    /// For each write, the index of its row's report.
    pub write_reports: Vec<usize>,
    /// Ids generated for new records: a dry run does not show them, as a real run would draw others.
    pub generated: HashSet<String>,
}

impl<T> Plan<T> {
    /// An empty plan.
    pub fn new() -> Self {
        Plan {
            reports: Vec::new(),
            writes: Vec::new(),
            write_reports: Vec::new(),
            generated: HashSet::new(),
        }
    }

    /// Adds one row's report and its write, if any.
    pub fn push(&mut self, report: RowReport, write: Option<IntakeWrite<T>>) {
        if let Some(w) = write {
            self.write_reports.push(self.reports.len());
            self.writes.push(w);
        }
        self.reports.push(report);
    }

    /// The report of the intake; generated ids are left out of a dry run's.
    pub fn into_report(self, kind: &'static str, dry_run: bool, batches: usize) -> IntakeReport {
        let mut rows = self.reports;
        if dry_run {
            let hide = |id: &mut Option<String>| {
                if id.as_ref().is_some_and(|i| self.generated.contains(i)) {
                    *id = None;
                }
            };
            for r in &mut rows {
                hide(&mut r.id);
                r.duplicate_of.iter_mut().for_each(|l| hide(&mut l.id));
                r.possible_duplicate_of.iter_mut().for_each(|l| hide(&mut l.id));
            }
        }
        IntakeReport {
            kind,
            dry_run,
            batches,
            rows,
        }
    }
}

/// A row with bad fields.
pub fn reject(row: usize, errors: Vec<FieldError>) -> RowReport {
    RowReport {
        errors,
        ..RowReport::new(row, Outcome::Reject)
    }
}

/// A row with nothing to do.
pub fn skip(row: usize, id: String, detail: String) -> RowReport {
    RowReport {
        id: Some(id),
        detail: Some(detail),
        ..RowReport::new(row, Outcome::Skip)
    }
}

/// A row that duplicates `link`; nothing is written.
pub fn duplicate(row: usize, link: Link, detail: String) -> RowReport {
    RowReport {
        duplicate_of: vec![link],
        detail: Some(detail),
        ..RowReport::new(row, Outcome::Duplicate)
    }
}

/// A row written (or to be): created or updated, with its possible duplicates.
pub fn written(row: usize, outcome: Outcome, id: String, possible: Vec<Link>) -> RowReport {
    let detail = (!possible.is_empty())
        .then(|| "possible duplicate: check the linked records and rows; nothing was merged".to_string());
    RowReport {
        id: Some(id),
        possible_duplicate_of: possible,
        detail,
        ..RowReport::new(row, outcome)
    }
}
