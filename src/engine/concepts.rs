//! Adding concepts to the taxonomy: checked against the whole taxonomy, then stored, then swapped in.

use std::sync::Arc;

use super::core::Engine;
use super::taxonomy::Taxonomy;
use crate::domain::Concept;
use crate::error::Result;

impl Engine {
    /// Adds one concept (operators); 409 when the id or one of its names is taken.
    pub fn add_concept(&self, concept: Concept) -> Result<Concept> {
        let mut guard = self.taxonomy.write().unwrap_or_else(|p| p.into_inner());
        let next = guard.with(concept.clone())?;
        self.store.insert_concept(&concept)?;
        self.live.sync_taxonomy(&next);
        *guard = Arc::new(next);
        Ok(concept)
    }

    /// Adds the seed concepts that are not stored yet; stored ones (and operators' additions) stay.
    pub fn ensure_concepts(&self, seed: Vec<Concept>) -> Result<usize> {
        let mut guard = self.taxonomy.write().unwrap_or_else(|p| p.into_inner());
        let missing: Vec<Concept> = seed.into_iter().filter(|c| guard.get(&c.id).is_none()).collect();
        if missing.is_empty() {
            return Ok(0);
        }
        let mut all = guard.concepts().to_vec();
        all.extend(missing.iter().cloned());
        let next = Taxonomy::build(all)?;
        let added = self.store.insert_missing_concepts(&missing)?;
        self.live.sync_taxonomy(&next);
        *guard = Arc::new(next);
        Ok(added)
    }
}
