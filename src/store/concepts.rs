//! The taxonomy's concepts, keyed by tag id.

use super::{codec, storage, Store};
use crate::domain::Concept;
use crate::error::{Error, Result};

impl Store {
    /// Every stored concept, in id order.
    pub fn concepts(&self) -> Result<Vec<Concept>> {
        self.concepts
            .iter()
            .map(|kv| {
                let (_, v) = kv.map_err(storage)?;
                codec::decode("concept", &v)
            })
            .collect()
    }

    /// Adds a concept that must not exist yet, durably.
    pub fn insert_concept(&self, concept: &Concept) -> Result<()> {
        let value = codec::encode(concept)?;
        self.concepts
            .compare_and_swap(concept.id.as_str(), None as Option<&[u8]>, Some(value))
            .map_err(storage)?
            .map_err(|_| Error::Conflict {
                code: "tag_exists",
                detail: format!("tag {} already exists", concept.id),
                existing: Some(concept.id.to_string()),
            })?;
        self.flush()
    }

    /// Adds concepts that are not stored yet (seed), keeping stored ones; returns how many were added.
    pub fn insert_missing_concepts(&self, concepts: &[Concept]) -> Result<usize> {
        let mut added = 0;
        for c in concepts {
            let value = codec::encode(c)?;
            let swapped = self
                .concepts
                .compare_and_swap(c.id.as_str(), None as Option<&[u8]>, Some(value))
                .map_err(storage)?;
            added += usize::from(swapped.is_ok());
        }
        if added > 0 {
            self.flush()?;
        }
        Ok(added)
    }
}
