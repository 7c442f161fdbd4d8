//! Small facts about the store: the operator token's hash and whether samples were seeded.

use super::{storage, Store};
use crate::error::Result;

const OPERATOR_TOKEN_KEY: &[u8] = b"operator_token_sha256";
const SEEDED_KEY: &[u8] = b"samples_seeded";

impl Store {
    /// The SHA-256 of the generated operator token, if one was generated.
    pub fn operator_token_hash(&self) -> Result<Option<Vec<u8>>> {
        Ok(self.meta.get(OPERATOR_TOKEN_KEY).map_err(storage)?.map(|v| v.to_vec()))
    }

    /// Stores the SHA-256 of a generated operator token, durably.
    pub fn set_operator_token_hash(&self, hash: &[u8]) -> Result<()> {
        self.meta.insert(OPERATOR_TOKEN_KEY, hash).map_err(storage)?;
        self.flush()
    }

    /// True once the sample experts, needs and channels were loaded (or skipped for good).
    pub fn samples_seeded(&self) -> Result<bool> {
        Ok(self.meta.get(SEEDED_KEY).map_err(storage)?.is_some())
    }

    /// Records that samples were loaded, durably.
    pub fn mark_samples_seeded(&self) -> Result<()> {
        self.meta.insert(SEEDED_KEY, b"1".as_slice()).map_err(storage)?;
        self.flush()
    }

    pub(super) fn meta_entries(&self) -> Result<Vec<(String, Vec<u8>)>> {
        self.meta
            .iter()
            .map(|kv| {
                let (k, v) = kv.map_err(storage)?;
                Ok((String::from_utf8_lossy(&k).into_owned(), v.to_vec()))
            })
            .collect()
    }

    pub(super) fn put_meta(&self, key: &str, value: &[u8]) -> Result<()> {
        self.meta.insert(key.as_bytes(), value).map_err(storage)?;
        Ok(())
    }
}
