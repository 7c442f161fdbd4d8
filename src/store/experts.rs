//! Expert profiles with their email index and token hashes, written together in one transaction.

use std::ops::Bound;

use sled::transaction::{ConflictableTransactionError, Transactional};

use super::{codec, storage, tx_error, Store};
use crate::domain::{Email, Expert, ExpertId};
use crate::error::{Error, Result};

fn email_taken(email: &Email, owner: &[u8]) -> Error {
    let owner = ExpertId::from_slice(owner).map(|id| id.to_string()).unwrap_or_default();
    Error::Conflict {
        code: "email_taken",
        detail: format!("{} is already registered by expert {owner}", email.as_str()),
        existing: Some(owner),
    }
}

impl Store {
    /// One expert.
    pub fn expert(&self, id: ExpertId) -> Result<Option<Expert>> {
        self.experts
            .get(id.as_bytes())
            .map_err(storage)?
            .map(|v| codec::decode("expert", &v))
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

    /// Experts in id order, starting after `after`; streamed, for pages and for the index at start.
    pub fn experts_after(&self, after: Option<ExpertId>) -> impl Iterator<Item = Result<Expert>> {
        let start = match after {
            Some(id) => Bound::Excluded(id.as_bytes().to_vec()),
            None => Bound::Unbounded,
        };
        self.experts.range::<Vec<u8>, _>((start, Bound::Unbounded)).map(|kv| {
            let (_, v) = kv.map_err(storage)?;
            codec::decode("expert", &v)
        })
    }

    /// Calls `f` on every expert in id order, decoding chunks of records on `threads` threads: the
    /// start-up load of a million profiles is mostly JSON decoding.
    pub fn for_each_expert(&self, threads: usize, mut f: impl FnMut(Expert)) -> Result<()> {
        const CHUNK: usize = 8192;
        let threads = threads.max(1);
        let mut raw: Vec<sled::IVec> = Vec::with_capacity(CHUNK);
        let mut iter = self.experts.iter().values();
        loop {
            raw.clear();
            for v in iter.by_ref().take(CHUNK) {
                raw.push(v.map_err(storage)?);
            }
            if raw.is_empty() {
                return Ok(());
            }
            let per = raw.len().div_ceil(threads);
            let decoded: Vec<Result<Vec<Expert>>> = std::thread::scope(|scope| {
                let workers: Vec<_> = raw
                    .chunks(per)
                    .map(|part| scope.spawn(move || part.iter().map(|v| codec::decode("expert", v)).collect()))
                    .collect();
                workers
                    .into_iter()
                    .map(|w| {
                        w.join()
                            .unwrap_or_else(|_| Err(Error::Internal("a decoding thread panicked".into())))
                    })
                    .collect()
            });
            for part in decoded {
                part?.into_iter().for_each(&mut f);
            }
        }
    }

    /// Number of stored experts.
    pub fn expert_count(&self) -> usize {
        self.experts.len()
    }

    /// Stores a new expert with its token hash; 409 when the email is taken. Durable on return.
    pub fn insert_expert(&self, expert: &Expert, token_hash: &[u8]) -> Result<()> {
        let key = expert.id.as_bytes();
        let email = &expert.profile.contact.email;
        let value = codec::encode(expert)?;
        (&self.experts, &self.expert_emails, &self.expert_tokens)
            .transaction(|(experts, emails, tokens)| {
                if let Some(owner) = emails.get(email.as_str())? {
                    return Err(ConflictableTransactionError::Abort(email_taken(email, &owner)));
                }
                if experts.get(key)?.is_some() {
                    return Err(ConflictableTransactionError::Abort(Error::Conflict {
                        code: "id_taken",
                        detail: format!("expert {} already exists", expert.id),
                        existing: Some(expert.id.to_string()),
                    }));
                }
                experts.insert(key.as_slice(), value.as_slice())?;
                emails.insert(email.as_str(), key.as_slice())?;
                tokens.insert(key.as_slice(), token_hash)?;
                Ok(())
            })
            .map_err(tx_error)?;
        self.flush()
    }

    /// Replaces an expert whose stored version is still `base_version`; 412 otherwise. Durable on return.
    pub fn update_expert(&self, updated: &Expert, base_version: u64) -> Result<()> {
        let key = updated.id.as_bytes();
        let new_email = &updated.profile.contact.email;
        let value = codec::encode(updated)?;
        (&self.experts, &self.expert_emails)
            .transaction(|(experts, emails)| {
                let current: Expert = match experts.get(key)? {
                    Some(v) => codec::decode("expert", &v).map_err(ConflictableTransactionError::Abort)?,
                    None => {
                        return Err(ConflictableTransactionError::Abort(Error::not_found(
                            "expert", updated.id,
                        )))
                    }
                };
                if current.version != base_version {
                    return Err(ConflictableTransactionError::Abort(Error::Stale {
                        expected: base_version,
                        current: current.version,
                    }));
                }
                let old_email = &current.profile.contact.email;
                if old_email != new_email {
                    if let Some(owner) = emails.get(new_email.as_str())? {
                        return Err(ConflictableTransactionError::Abort(email_taken(new_email, &owner)));
                    }
                    emails.remove(old_email.as_str())?;
                    emails.insert(new_email.as_str(), key.as_slice())?;
                }
                experts.insert(key.as_slice(), value.as_slice())?;
                Ok(())
            })
            .map_err(tx_error)?;
        self.flush()
    }

    /// Removes an expert, its email and its token if its version is still `base_version`. Durable on return.
    pub fn delete_expert(&self, id: ExpertId, base_version: u64) -> Result<()> {
        let key = id.as_bytes();
        (&self.experts, &self.expert_emails, &self.expert_tokens)
            .transaction(|(experts, emails, tokens)| {
                let current: Expert = match experts.get(key)? {
                    Some(v) => codec::decode("expert", &v).map_err(ConflictableTransactionError::Abort)?,
                    None => return Err(ConflictableTransactionError::Abort(Error::not_found("expert", id))),
                };
                if current.version != base_version {
                    return Err(ConflictableTransactionError::Abort(Error::Stale {
                        expected: base_version,
                        current: current.version,
                    }));
                }
                experts.remove(key.as_slice())?;
                emails.remove(current.profile.contact.email.as_str())?;
                tokens.remove(key.as_slice())?;
                Ok(())
            })
            .map_err(tx_error)?;
        self.flush()
    }
}
