//! The matching state kept in step with the store: the expert index and the needs, updated by every
//! committed write through `WriteObserver`, with scratch buffers reused across queries.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};

use super::matching::{MatchIndex, Scratch};
use super::observe::WriteObserver;
use super::taxonomy::Taxonomy;
use crate::domain::{Expert, ExpertId, Need, NeedId};

/// The expert index behind a lock, and a pool of scratch buffers.
pub struct LiveIndex {
    index: RwLock<MatchIndex>,
    scratch: Mutex<Vec<Scratch>>,
}

impl LiveIndex {
    /// An empty index over `taxonomy`.
    pub fn new(taxonomy: &Taxonomy) -> Self {
        LiveIndex {
            index: RwLock::new(MatchIndex::new(taxonomy)),
            scratch: Mutex::new(Vec::new()),
        }
    }

    /// Read access for queries.
    pub fn read(&self) -> RwLockReadGuard<'_, MatchIndex> {
        self.index.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes in concepts added to the taxonomy.
    pub fn sync_taxonomy(&self, taxonomy: &Taxonomy) {
        self.index
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .sync_taxonomy(taxonomy);
    }

    /// Runs the start-up load `f` with the index held for writing once, not per expert.
    pub fn load<T>(&self, f: impl FnOnce(&mut MatchIndex) -> T) -> T {
        f(&mut self.index.write().unwrap_or_else(|p| p.into_inner()))
    }

    /// Gives back spare capacity after the bulk load at start.
    pub fn shrink_to_fit(&self) {
        self.index.write().unwrap_or_else(|p| p.into_inner()).shrink_to_fit();
    }

    /// Runs `f` with a scratch buffer from the pool.
    pub fn with_scratch<T>(&self, f: impl FnOnce(&mut Scratch) -> T) -> T {
        let mut scratch = self
            .scratch
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop()
            .unwrap_or_default();
        let out = f(&mut scratch);
        self.scratch.lock().unwrap_or_else(|p| p.into_inner()).push(scratch);
        out
    }
}

impl WriteObserver for LiveIndex {
    fn expert_saved(&self, _before: Option<&Expert>, after: &Expert) {
        self.index.write().unwrap_or_else(|p| p.into_inner()).upsert(after);
    }

    fn expert_removed(&self, id: ExpertId, _before: &Expert) {
        self.index.write().unwrap_or_else(|p| p.into_inner()).remove(id);
    }

    fn need_saved(&self, _: Option<&Need>, _: &Need) {}

    fn need_removed(&self, _: NeedId, _: &Need) {}
}

/// Every need in memory (a base has hundreds), for matching an expert against the open ones.
#[derive(Default)]
pub struct NeedDirectory {
    needs: RwLock<BTreeMap<NeedId, Arc<Need>>>,
}

impl NeedDirectory {
    /// All needs, in id order.
    pub fn all(&self) -> Vec<Arc<Need>> {
        self.needs
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .cloned()
            .collect()
    }
}

impl WriteObserver for NeedDirectory {
    fn expert_saved(&self, _: Option<&Expert>, _: &Expert) {}

    fn expert_removed(&self, _: ExpertId, _: &Expert) {}

    fn need_saved(&self, _before: Option<&Need>, after: &Need) {
        self.needs
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(after.id, Arc::new(after.clone()));
    }

    fn need_removed(&self, id: NeedId, _before: &Need) {
        self.needs.write().unwrap_or_else(|p| p.into_inner()).remove(&id);
    }
}
