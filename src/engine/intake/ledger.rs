//! The content hash of a row: the intake ledger's key, so that a re-run of the same file skips the
//! rows it committed before, whatever the file's format or encoding.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::rows::{ExpertRow, NeedRow};
use crate::error::{Error, Result};

#[derive(Serialize)]
struct Content<'a, T: Serialize, I: Serialize, S: Serialize> {
    kind: &'static str,
    id: &'a Option<I>,
    status: &'a Option<S>,
    record: &'a T,
    consent_version: Option<&'a str>,
}

fn digest<T: Serialize>(content: &T) -> Result<[u8; 32]> {
    let bytes = serde_json::to_vec(content).map_err(|e| Error::Internal(format!("hashing a row: {e}")))?;
    Ok(Sha256::digest(&bytes).into())
}

/// The key of an expert row: its id, status, profile and consent version (not the time of consent).
pub fn expert_key(row: &ExpertRow) -> Result<[u8; 32]> {
    digest(&Content {
        kind: "expert",
        id: &row.id,
        status: &row.status,
        record: &row.profile,
        consent_version: row.consent.as_ref().map(|c| c.text_version.as_str()),
    })
}

/// The key of a need row: its id, status and spec.
pub fn need_key(row: &NeedRow) -> Result<[u8; 32]> {
    digest(&Content {
        kind: "need",
        id: &row.id,
        status: &row.status,
        record: &row.spec,
        consent_version: None,
    })
}
