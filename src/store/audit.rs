//! The audit log: entries keyed by a big-endian sequence number, only ever appended.

use std::ops::Bound;

use super::{codec, storage, Store};
use crate::domain::AuditEntry;
use crate::error::Result;

impl Store {
    /// Appends an entry, giving it the next free sequence number (after the last one, also after
    /// an import). Never overwrites an entry. Durable on return.
    pub fn append_audit(&self, entry: AuditEntry) -> Result<AuditEntry> {
        let mut entries = self.append_audits(vec![entry])?;
        entries
            .pop()
            .ok_or_else(|| crate::error::Error::Internal("an audit entry was lost".into()))
    }

    /// Appends entries in order, with one flush. Durable on return.
    pub fn append_audits(&self, entries: Vec<AuditEntry>) -> Result<Vec<AuditEntry>> {
        let mut out = Vec::with_capacity(entries.len());
        for entry in entries {
            out.push(self.place_audit(entry)?);
        }
        self.flush()?;
        Ok(out)
    }

    fn place_audit(&self, mut entry: AuditEntry) -> Result<AuditEntry> {
        let last = self
            .audit
            .last()
            .map_err(storage)?
            .and_then(|(k, _)| <[u8; 8]>::try_from(k.as_ref()).ok())
            .map_or(0, u64::from_be_bytes);
        entry.seq = last + 1;
        loop {
            let value = codec::encode(&entry)?;
            let placed = self
                .audit
                .compare_and_swap(entry.seq.to_be_bytes(), None as Option<&[u8]>, Some(value))
                .map_err(storage)?;
            if placed.is_ok() {
                break;
            }
            entry.seq += 1;
        }
        Ok(entry)
    }

    /// Stores an imported entry under its own sequence number.
    pub(super) fn put_audit(&self, entry: &AuditEntry) -> Result<()> {
        self.audit
            .insert(entry.seq.to_be_bytes(), codec::encode(entry)?)
            .map_err(storage)?;
        Ok(())
    }

    /// Entries in sequence order, starting after `after`.
    pub fn audit_after(&self, after: Option<u64>) -> impl Iterator<Item = Result<AuditEntry>> {
        let start = match after {
            Some(seq) => Bound::Excluded(seq.to_be_bytes().to_vec()),
            None => Bound::Unbounded,
        };
        self.audit.range::<Vec<u8>, _>((start, Bound::Unbounded)).map(|kv| {
            let (_, v) = kv.map_err(storage)?;
            codec::decode("audit entry", &v)
        })
    }
}
