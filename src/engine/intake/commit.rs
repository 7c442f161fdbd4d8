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

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;
    use crate::engine::intake::plan::written;

    fn plan(n: u32) -> Plan<u32> {
        let mut plan = Plan::new();
        for i in 0..n {
            let w = IntakeWrite {
                key: [i as u8; 32],
                before: None,
                after: i,
            };
            plan.push(
                written(i as usize + 2, Outcome::Create, format!("id-{i}"), vec![]),
                Some(w),
            );
        }
        plan
    }

    fn taken() -> Error {
        Error::Conflict {
            code: "email_taken",
            detail: "x@example.org is already registered by expert e-1".into(),
            existing: Some("e-1".into()),
        }
    }

    #[test]
    fn a_conflicting_row_is_reported_and_the_rest_of_its_batch_still_lands() {
        let mut p = plan(5);
        let notified = RefCell::new(Vec::new());
        let commit = |batch: &[IntakeWrite<u32>]| {
            if batch.iter().any(|w| w.after == 3) {
                Err(taken())
            } else {
                Ok(())
            }
        };
        let notify = |w: &IntakeWrite<u32>| notified.borrow_mut().push(w.after);
        let to = Committer {
            commit: &commit,
            notify: &notify,
        };
        let mut seen = Vec::new();
        let batches = run(
            &mut p,
            &IntakeOptions {
                dry_run: false,
                batch_size: 2,
            },
            &to,
            &mut |b| seen.push(b.written),
        )
        .unwrap();
        assert_eq!(batches, 3);
        assert_eq!(*notified.borrow(), vec![0, 1, 2, 4]);
        assert_eq!(seen, vec![2, 3, 4]);
        let refused = &p.reports[3];
        assert_eq!(refused.outcome, Outcome::Duplicate);
        assert_eq!(refused.duplicate_of[0].id.as_deref(), Some("e-1"));
    }

    #[test]
    fn a_storage_failure_stops_the_intake_after_the_batches_committed_before_it() {
        let mut p = plan(4);
        let calls = RefCell::new(0);
        let commit = |_: &[IntakeWrite<u32>]| {
            *calls.borrow_mut() += 1;
            if *calls.borrow() == 2 {
                Err(Error::Storage("disk full".into()))
            } else {
                Ok(())
            }
        };
        let notified = RefCell::new(0);
        let notify = |_: &IntakeWrite<u32>| *notified.borrow_mut() += 1;
        let to = Committer {
            commit: &commit,
            notify: &notify,
        };
        let result = run(
            &mut p,
            &IntakeOptions {
                dry_run: false,
                batch_size: 2,
            },
            &to,
            &mut |_| {},
        );
        assert!(matches!(result, Err(Error::Storage(_))));
        assert_eq!(
            *notified.borrow(),
            2,
            "only the committed batch is told to the observers"
        );
    }

    #[test]
    fn a_dry_run_commits_nothing() {
        let mut p = plan(3);
        let commit = |_: &[IntakeWrite<u32>]| -> Result<()> { panic!("a dry run wrote") };
        let notify = |_: &IntakeWrite<u32>| {};
        let to = Committer {
            commit: &commit,
            notify: &notify,
        };
        assert_eq!(run(&mut p, &IntakeOptions::new(true), &to, &mut |_| {}).unwrap(), 0);
    }
}
