//! Committing a plan in batches: each batch one transaction with its ledger entries and one flush,
//! the observers told after it is durable. A batch that conflicts with a concurrent write is retried
//! row by row, so that one conflicting row is reported and the others still land.

use super::plan::Plan;
use super::report::{Link, MatchedOn, Outcome, RowReport};
use super::rows::{BatchDone, IntakeOptions};
use crate::error::{Error, FieldError, Result};
use crate::store::IntakeWrite;

/// How to write a batch and whom to tell of each written record.
pub struct Committer<'a, T> {
    /// Writes a batch durably, or nothing of it.
    pub commit: &'a dyn Fn(&[IntakeWrite<T>]) -> Result<()>,
    /// Called for each written record, after its batch is durable.
    pub notify: &'a dyn Fn(&IntakeWrite<T>),
}

fn conflicts(e: &Error) -> bool {
    matches!(e, Error::Conflict { .. } | Error::Stale { .. } | Error::NotFound { .. })
}

/// The report of a row whose write was refused at commit time.
fn refused(report: &RowReport, e: Error) -> RowReport {
    match e {
        Error::Conflict {
            code: "already_imported",
            existing: Some(id),
            ..
        } => super::plan::skip(report.row, id, "imported meanwhile by another intake".into()),
        Error::Conflict {
            code: "email_taken",
            existing,
            detail,
        } => super::plan::duplicate(
            report.row,
            Link {
                id: existing,
                row: None,
                matched_on: MatchedOn::Email,
            },
            detail,
        ),
        other => RowReport {
            errors: vec![FieldError::new("row", other.to_string())],
            ..RowReport::new(report.row, Outcome::Reject)
        },
    }
}

/// Commits the plan's writes in batches of `options.batch_size`; returns the batches committed.
/// A storage failure stops the intake: batches committed before it stay, and a re-run skips them.
pub fn run<T>(
    plan: &mut Plan<T>,
    options: &IntakeOptions,
    to: &Committer<'_, T>,
    progress: &mut dyn FnMut(&BatchDone),
) -> Result<usize> {
    if options.dry_run {
        return Ok(0);
    }
    let size = options.batch_size.max(1);
    let writes = std::mem::take(&mut plan.writes);
    let rows = std::mem::take(&mut plan.write_reports);
    let (mut batches, mut written) = (0, 0);
    for (batch, indices) in writes.chunks(size).zip(rows.chunks(size)) {
        match (to.commit)(batch) {
            Ok(()) => {
                batch.iter().for_each(to.notify);
                written += batch.len();
            }
            Err(e) if conflicts(&e) => {
                for (w, &i) in batch.iter().zip(indices) {
                    match (to.commit)(std::slice::from_ref(w)) {
                        Ok(()) => {
                            (to.notify)(w);
                            written += 1;
                        }
                        Err(e) if conflicts(&e) => plan.reports[i] = refused(&plan.reports[i], e),
                        Err(e) => return Err(e),
                    }
                }
            }
            Err(e) => return Err(e),
        }
        batches += 1;
        let last = indices.last().map_or(0, |&i| plan.reports[i].row);
        progress(&BatchDone {
            batch: batches,
            written,
            last_row: last,
        });
    }
    Ok(batches)
}
