//! Enterprise needs, keyed by id, changed by compare-and-swap on the stored bytes.

use std::ops::Bound;

use super::{codec, storage, Store};
use crate::domain::{Need, NeedId};
use crate::error::{Error, Result};

impl Store {
    /// One need.
    pub fn need(&self, id: NeedId) -> Result<Option<Need>> {
        self.needs
            .get(id.as_bytes())
            .map_err(storage)?
            .map(|v| codec::decode("need", &v))
            .transpose()
    }

    /// Needs in id order, starting after `after`.
    pub fn needs_after(&self, after: Option<NeedId>) -> impl Iterator<Item = Result<Need>> {
        let start = match after {
            Some(id) => Bound::Excluded(id.as_bytes().to_vec()),
            None => Bound::Unbounded,
        };
        self.needs.range::<Vec<u8>, _>((start, Bound::Unbounded)).map(|kv| {
            let (_, v) = kv.map_err(storage)?;
            codec::decode("need", &v)
        })
    }

    /// Number of stored needs.
    pub fn need_count(&self) -> usize {
        self.needs.len()
    }

    /// Stores a new need. Durable on return.
    pub fn insert_need(&self, need: &Need) -> Result<()> {
        self.swap_need(need.id, None, Some(need))
    }

    /// Replaces `current` by `updated`, or 412 when the stored need is no longer `current`.
    pub fn update_need(&self, current: &Need, updated: &Need) -> Result<()> {
        self.swap_need(current.id, Some(current), Some(updated))
    }

    /// Removes `current`, or 412 when the stored need is no longer `current`.
    pub fn delete_need(&self, current: &Need) -> Result<()> {
        self.swap_need(current.id, Some(current), None)
    }

    fn swap_need(&self, id: NeedId, old: Option<&Need>, new: Option<&Need>) -> Result<()> {
        let expected = old.map(|n| n.version);
        let old = old.map(codec::encode).transpose()?;
        let new = new.map(codec::encode).transpose()?;
        let swapped = self.needs.compare_and_swap(id.as_bytes(), old, new).map_err(storage)?;
        if let Err(e) = swapped {
            return Err(match (expected, e.current) {
                (Some(_), None) => Error::not_found("need", id),
                (Some(expected), Some(bytes)) => {
                    let current: Need = codec::decode("need", &bytes)?;
                    Error::Stale {
                        expected,
                        current: current.version,
                    }
                }
                (None, _) => Error::Conflict {
                    code: "id_taken",
                    detail: format!("need {id} already exists"),
                    existing: Some(id.to_string()),
                },
            });
        }
        self.flush()
    }
}
