//! The engine handle: the store, the taxonomy snapshot, the observers and authentication.

use std::sync::{Arc, RwLock};

use super::auth::{hash_token, new_operator_token, token_matches, Principal};
use super::live::{LiveIndex, NeedDirectory};
use super::matching::index::IndexEntry;
use super::observe::{RecordCounts, WriteObserver};
use super::taxonomy::Taxonomy;
use crate::error::{Error, Result};
use crate::store::Store;

/// Where the operator token comes from.
#[derive(Debug, Clone)]
pub enum OperatorToken {
    /// Given by the environment; not stored.
    Given(String),
    /// Generated at first start (or earlier), stored hashed.
    Stored,
}

/// The engine: every read and write of the service goes through it.
pub struct Engine {
    pub(super) store: Store,
    pub(super) taxonomy: RwLock<Arc<Taxonomy>>,
    pub(super) observers: Vec<Arc<dyn WriteObserver>>,
    pub(super) counts: Arc<RecordCounts>,
    pub(super) live: Arc<LiveIndex>,
    pub(super) needs: Arc<NeedDirectory>,
    /// Serialises proposals of introductions (check for an open one, then insert).
    pub(super) proposals: std::sync::Mutex<()>,
    operator_hash: [u8; 32],
}

impl Engine {
    /// Opens the engine over a store: loads the taxonomy, sets up the operator token (returning a
    /// newly generated one, to print once) and streams every record through the observers.
    pub fn open(store: Store, operator: Option<String>) -> Result<(Engine, Option<String>)> {
        let taxonomy = Taxonomy::build(store.concepts()?).map_err(|e| match e {
            Error::Invalid(list) => Error::Storage(format!(
                "the stored taxonomy is inconsistent: {}",
                list.iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
            other => other,
        })?;
        let (operator_hash, generated) = match operator {
            Some(token) => (hash_token(&token), None),
            None => match store.operator_token_hash()? {
                Some(h) => (
                    <[u8; 32]>::try_from(h.as_slice())
                        .map_err(|_| Error::Storage("the stored operator token hash is damaged".into()))?,
                    None,
                ),
                None => {
                    let token = new_operator_token();
                    let h = hash_token(&token);
                    store.set_operator_token_hash(&h)?;
                    (h, Some(token))
                }
            },
        };
        let counts = Arc::new(RecordCounts::default());
        let live = Arc::new(LiveIndex::new(&taxonomy));
        let needs = Arc::new(NeedDirectory::default());
        let engine = Engine {
            store,
            taxonomy: RwLock::new(Arc::new(taxonomy)),
            observers: vec![counts.clone(), live.clone(), needs.clone()],
            counts,
            live,
            needs,
            proposals: std::sync::Mutex::new(()),
            operator_hash,
        };
        engine.replay()?;
        Ok((engine, generated))
    }

    /// Loads every stored record into the in-memory state (at start): experts into the counts and
    /// the index, which are the only observers of experts (read as facts, not whole records), and
    /// needs through every observer.
    fn replay(&self) -> Result<()> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        // Entries are made on the decoding threads from a copy of the index's concept table (the
        // taxonomy does not change during the load); this thread only appends them.
        let concepts = self.live.read().concepts().clone();
        self.live.load(|index| {
            self.store.for_each_expert_facts(
                threads,
                |id, facts| IndexEntry::new(id, &facts, &concepts),
                |entry| {
                    self.counts.expert_loaded(entry.status());
                    index.insert(&entry);
                },
            )
        })?;
        for need in self.store.needs_after(None) {
            let need = need?;
            self.observers.iter().for_each(|o| o.need_saved(None, &need));
        }
        self.live.shrink_to_fit();
        Ok(())
    }

    /// The current taxonomy; cheap, and stable for the caller while concepts are added.
    pub fn taxonomy(&self) -> Arc<Taxonomy> {
        match self.taxonomy.read() {
            Ok(t) => t.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Record counts by status.
    pub fn counts(&self) -> &RecordCounts {
        &self.counts
    }

    /// Who a bearer token belongs to, if anyone: the default operator (the environment's or the
    /// generated token), a named operator, an expert or an event viewer. Named tokens are read from
    /// the store each time, so a revoked one stops working at once.
    pub fn authenticate(&self, token: &str) -> Result<Option<Principal>> {
        if token_matches(token, &self.operator_hash) {
            return Ok(Some(Principal::Operator(crate::domain::TokenName::default_operator())));
        }
        super::tokens::principal_of(&self.store, token)
    }

    /// Flushes the store (at shutdown).
    pub fn flush(&self) -> Result<()> {
        self.store.flush()
    }

    /// True once samples were seeded or skipped.
    pub fn samples_seeded(&self) -> Result<bool> {
        self.store.samples_seeded()
    }

    /// Records that samples were seeded.
    pub fn mark_samples_seeded(&self) -> Result<()> {
        self.store.mark_samples_seeded()
    }
}
