//! Records keyed by a 16-byte id and changed by compare-and-swap on the stored bytes: a write
//! succeeds only over the version the caller read, otherwise it is a 412 (or 404, or 409 on create).

use std::ops::Bound;

use serde::{de::DeserializeOwned, Serialize};

use super::{codec, storage};
use crate::error::{Error, Result};

/// A stored record with an optimistic-concurrency version.
pub trait Versioned: Serialize + DeserializeOwned {
    /// The record kind, in messages ("need", "event").
    const KIND: &'static str;
    /// The storage key.
    fn key(&self) -> [u8; 16];
    /// The id in messages.
    fn id_text(&self) -> String;
    /// The version.
    fn version(&self) -> u64;
}

/// Implements [`Versioned`] for a record with `id` (a 16-byte uuid id) and `version` fields.
macro_rules! versioned_by_id {
    ($record:ty, $kind:literal) => {
        impl $crate::store::versioned::Versioned for $record {
            const KIND: &'static str = $kind;
            fn key(&self) -> [u8; 16] {
                *self.id.as_bytes()
            }
            fn id_text(&self) -> String {
                self.id.to_string()
            }
            fn version(&self) -> u64 {
                self.version
            }
        }
    };
}
pub(super) use versioned_by_id;

/// One record by key.
pub fn get<T: Versioned>(tree: &sled::Tree, key: &[u8]) -> Result<Option<T>> {
    tree.get(key)
        .map_err(storage)?
        .map(|v| codec::decode(T::KIND, &v))
        .transpose()
}

/// Records in key order, starting after `after`.
pub fn after<T: Versioned>(tree: &sled::Tree, after: Option<[u8; 16]>) -> impl Iterator<Item = Result<T>> {
    let start = match after {
        Some(k) => Bound::Excluded(k.to_vec()),
        None => Bound::Unbounded,
    };
    tree.range::<Vec<u8>, _>((start, Bound::Unbounded)).map(|kv| {
        let (_, v) = kv.map_err(storage)?;
        codec::decode(T::KIND, &v)
    })
}

/// Replaces `old` (None: nothing stored yet) by `new` (None: removal) for the record's key, or
/// fails when the stored value is not `old` any more. The caller flushes.
pub fn swap<T: Versioned>(tree: &sled::Tree, old: Option<&T>, new: Option<&T>) -> Result<()> {
    let Some(any) = old.or(new) else {
        return Ok(());
    };
    let key = any.key();
    let id = any.id_text();
    let expected = old.map(Versioned::version);
    let old = old.map(codec::encode).transpose()?;
    let new = new.map(codec::encode).transpose()?;
    let swapped = tree.compare_and_swap(key, old, new).map_err(storage)?;
    if let Err(e) = swapped {
        return Err(match (expected, e.current) {
            (Some(_), None) => Error::not_found(T::KIND, id),
            (Some(expected), Some(bytes)) => {
                let current: T = codec::decode(T::KIND, &bytes)?;
                Error::Stale {
                    expected,
                    current: current.version(),
                }
            }
            (None, _) => Error::Conflict {
                code: "id_taken",
                detail: format!("{} {id} already exists", T::KIND),
                existing: Some(id),
            },
        });
    }
    Ok(())
}
