//! Expert profiles, sealed under their own keys, with their email index (by keyed hash) and token
//! hashes, written together in one transaction.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::{mpsc, Arc, Mutex};

use serde::de::DeserializeOwned;
use sled::transaction::{ConflictableTransactionError, Transactional};

use super::keys::RecordKey;
use super::{sealed, storage, tx_error, Store};
use crate::domain::{Email, Expert, ExpertFacts, ExpertId};
use crate::error::{Error, Result};

pub(super) fn email_taken(email: &str, owner: &[u8]) -> Error {
    let owner = ExpertId::from_slice(owner).map(|id| id.to_string()).unwrap_or_default();
    Error::Conflict {
        code: "email_taken",
        detail: format!("{email} is already registered by expert {owner}"),
        existing: Some(owner),
    }
}

pub(super) fn id_taken(id: ExpertId, erased: bool) -> Error {
    Error::Conflict {
        code: "id_taken",
        detail: if erased {
            format!("expert {id} was erased; its id is not reused")
        } else {
            format!("expert {id} already exists")
        },
        existing: Some(id.to_string()),
    }
}

pub(super) fn abort<T>(e: Error) -> std::result::Result<T, ConflictableTransactionError<Error>> {
    Err(ConflictableTransactionError::Abort(e))
}

impl Store {
    /// Decrypts a stored expert value (or the members of it that `T` names) with its key.
    pub(super) fn open_expert<T: DeserializeOwned>(&self, key: &[u8], value: &[u8]) -> Result<T> {
        let (id, record) = self.open_record(key, value)?;
        sealed::decode(id, &record)
    }

    /// The id and the plain record stored under `key`.
    fn open_record(&self, key: &[u8], value: &[u8]) -> Result<(ExpertId, Vec<u8>)> {
        let id = ExpertId::from_slice(key)
            .ok_or_else(|| Error::Storage(format!("an expert is stored under a bad key {key:?}")))?;
        let Some(record_key) = self.keys.key(id) else {
            return Err(Error::Storage(format!(
                "expert {id} has no key in the key file (keys.bin is damaged or from another store)"
            )));
        };
        Ok((id, sealed::decrypt(&record_key, id, value)?))
    }

    /// The key of a stored expert, for sealing a new version of it; 404 when it has none.
    pub(super) fn record_key(&self, id: ExpertId) -> Result<RecordKey> {
        self.keys.key(id).ok_or_else(|| Error::not_found("expert", id))
    }

    /// The email index key of an address.
    pub(super) fn email_key(&self, email: &Email) -> [u8; 32] {
        self.email_mac.of(email.as_str())
    }

    /// One expert.
    pub fn expert(&self, id: ExpertId) -> Result<Option<Expert>> {
        self.experts
            .get(id.as_bytes())
            .map_err(storage)?
            .map(|v| self.open_expert(id.as_bytes(), &v))
            .transpose()
    }

    /// The SHA-256 of an expert's token.
    pub fn expert_token_hash(&self, id: ExpertId) -> Result<Option<Vec<u8>>> {
        Ok(self
            .expert_tokens
            .get(id.as_bytes())
            .map_err(storage)?
            .map(|v| v.to_vec()))
    }

    /// Experts in id order, starting after `after`; streamed, for pages and exports.
    pub fn experts_after(&self, after: Option<ExpertId>) -> impl Iterator<Item = Result<Expert>> + '_ {
        let start = match after {
            Some(id) => Bound::Excluded(id.as_bytes().to_vec()),
            None => Bound::Unbounded,
        };
        self.experts.range::<Vec<u8>, _>((start, Bound::Unbounded)).map(|kv| {
            let (k, v) = kv.map_err(storage)?;
            self.open_expert(&k, &v)
        })
    }

    /// Calls `apply` on every expert in id order with what `convert` makes of its facts (the parts
    /// matching reads, decoded without the rest), as a pipeline: one thread reads numbered chunks of
    /// records from sled, `threads` threads decrypt, decode and convert them, and the caller's
    /// thread calls `apply` on each chunk in order while the next ones are being decoded (the
    /// start-up load of a million profiles is mostly that work, and `apply`, which fills the index,
    /// is the part that cannot be split). A pass that finds fewer records than keys then destroys
    /// the orphan keys (see `keys.rs`); counting here spares every start a lookup per key.
    pub fn for_each_expert_facts<T: Send>(
        &self,
        threads: usize,
        convert: impl Fn(ExpertId, ExpertFacts<'_>) -> T + Sync,
        apply: impl FnMut(T),
    ) -> Result<()> {
        self.for_each_expert_in_chunks(threads, 1024, convert, apply)
    }

    pub(super) fn for_each_expert_in_chunks<T: Send>(
        &self,
        threads: usize,
        chunk: usize,
        convert: impl Fn(ExpertId, ExpertFacts<'_>) -> T + Sync,
        mut f: impl FnMut(T),
    ) -> Result<()> {
        type Raw = Vec<(sled::IVec, sled::IVec)>;
        let threads = threads.max(1);
        let (records, chunks, applied) = std::thread::scope(|scope| -> Result<(usize, usize, usize)> {
            let (raw_tx, raw_rx) = mpsc::sync_channel::<(usize, Raw)>(threads * 2);
            let (done_tx, done_rx) = mpsc::sync_channel::<(usize, Result<Vec<T>>)>(threads * 2);
            let reader = scope.spawn(move || -> Result<(usize, usize)> {
                let (mut iter, mut records, mut chunks) = (self.experts.iter(), 0, 0);
                loop {
                    let chunk: Raw = iter
                        .by_ref()
                        .take(chunk.max(1))
                        .collect::<Result<_, _>>()
                        .map_err(storage)?;
                    if chunk.is_empty() {
                        return Ok((records, chunks));
                    }
                    records += chunk.len();
                    // A closed channel means the load stopped on an error, reported by the caller.
                    if raw_tx.send((chunks, chunk)).is_err() {
                        return Ok((records, chunks));
                    }
                    chunks += 1;
                }
            });
            let raw_rx = Arc::new(Mutex::new(raw_rx));
            let convert = &convert;
            for _ in 0..threads {
                let (raw_rx, done_tx) = (raw_rx.clone(), done_tx.clone());
                scope.spawn(move || loop {
                    let next = match raw_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, chunk)) = next else { return };
                    let decoded = chunk
                        .iter()
                        .map(|(k, v)| {
                            let (id, record) = self.open_record(k, v)?;
                            Ok(convert(id, sealed::decode(id, &record)?))
                        })
                        .collect();
                    if done_tx.send((seq, decoded)).is_err() {
                        return;
                    }
                });
            }
            drop((raw_rx, done_tx));
            // Chunks come back in any order; they are applied in the order read.
            let mut pending = BTreeMap::new();
            let mut applied = 0;
            for (seq, decoded) in done_rx {
                pending.insert(seq, decoded);
                while let Some(part) = pending.remove(&applied) {
                    part?.into_iter().for_each(&mut f);
                    applied += 1;
                }
            }
            let (records, chunks) = reader
                .join()
                .unwrap_or_else(|_| Err(Error::Internal("the reading thread panicked".into())))?;
            Ok((records, chunks, applied))
        })?;
        if applied != chunks {
            return Err(Error::Internal("a decoding thread panicked".into()));
        }
        self.destroy_orphan_keys(records)
    }

    /// Every record decrypted with its own key, so `records` distinct keys are in use; any more
    /// are orphans (pending ones aside) and are looked up one by one in id order.
    fn destroy_orphan_keys(&self, records: usize) -> Result<()> {
        if self.keys.count() > records {
            self.keys
                .retain(|id| self.experts.contains_key(id.as_bytes()).map_err(storage))?;
        }
        Ok(())
    }

    /// Number of stored experts.
    pub fn expert_count(&self) -> usize {
        self.experts.len()
    }

    /// Stores a new expert with its token hash under a new key (written to the key file first);
    /// 409 when the email or the id is taken (an erased expert's id included). Durable on return.
    pub fn insert_expert(&self, expert: &Expert, token_hash: &[u8]) -> Result<()> {
        let id = expert.id;
        let key = id.as_bytes();
        let email = &expert.profile.contact.email;
        let email_key = self.email_key(email);
        let record_key = self.keys.create(&[id])?;
        let written = sealed::seal(&record_key[0], id, expert).and_then(|value| {
            (&self.experts, &self.expert_emails, &self.expert_tokens, &self.erased)
                .transaction(|(experts, emails, tokens, erased)| {
                    if let Some(owner) = emails.get(email_key)? {
                        return abort(email_taken(email.as_str(), &owner));
                    }
                    if experts.get(key)?.is_some() || erased.get(key)?.is_some() {
                        return abort(id_taken(id, erased.get(key)?.is_some()));
                    }
                    experts.insert(key.as_slice(), value.as_slice())?;
                    emails.insert(email_key.as_slice(), key.as_slice())?;
                    tokens.insert(key.as_slice(), token_hash)?;
                    Ok(())
                })
                .map_err(tx_error)
        });
        if let Err(e) = written {
            // The key guards nothing; if it cannot be destroyed now, it is an orphan that the
            // next start destroys.
            let _ = self.keys.destroy(&[id]);
            return Err(e);
        }
        self.keys.settle(&[id]);
        self.flush()
    }

    /// Replaces an expert whose stored version is still `base_version`; 412 otherwise. Durable on return.
    pub fn update_expert(&self, updated: &Expert, base_version: u64) -> Result<()> {
        let id = updated.id;
        let key = id.as_bytes();
        let new_email = &updated.profile.contact.email;
        let new_email_key = self.email_key(new_email);
        let value = sealed::seal(&self.record_key(id)?, id, updated)?;
        (&self.experts, &self.expert_emails)
            .transaction(|(experts, emails)| {
                let current: Expert = match experts.get(key)? {
                    Some(v) => self.open_expert(key, &v).map_err(ConflictableTransactionError::Abort)?,
                    None => return abort(Error::not_found("expert", id)),
                };
                if current.version != base_version {
                    return abort(Error::Stale {
                        expected: base_version,
                        current: current.version,
                    });
                }
                if &current.profile.contact.email != new_email {
                    if let Some(owner) = emails.get(new_email_key)? {
                        return abort(email_taken(new_email.as_str(), &owner));
                    }
                    emails.remove(self.email_key(&current.profile.contact.email).as_slice())?;
                    emails.insert(new_email_key.as_slice(), key.as_slice())?;
                }
                experts.insert(key.as_slice(), value.as_slice())?;
                Ok(())
            })
            .map_err(tx_error)?;
        self.flush()
    }
}
