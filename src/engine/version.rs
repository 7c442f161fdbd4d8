//! Optimistic concurrency: the `If-Match` version a write names must be the stored one.

use crate::error::{Error, Result};

/// Fails with 412 when `expected` is given and is not `current`.
pub(crate) fn check_version(expected: Option<u64>, current: u64) -> Result<()> {
    match expected {
        Some(v) if v != current => Err(Error::Stale { expected: v, current }),
        _ => Ok(()),
    }
}
