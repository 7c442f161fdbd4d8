//! Bulk intake: a batch of experts or needs written with its ledger entries in one transaction and one
//! flush, the ledger that lets a re-run skip rows done before, and light scans for duplicate checks.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use sled::Transactional;

use super::experts::{email_taken, id_taken};
use super::{codec, sealed, storage, tx_error, Store};
use crate::domain::{Expert, ExpertId, Need, NeedId};
use crate::error::{Error, Result};

/// What the ledger remembers of one imported row: what it became, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntakeMark {
    /// `expert` or `need`.
    pub kind: String,
    /// The id of the record the row created or updated.
    pub id: String,
    /// When the row was committed.
    pub at: DateTime<Utc>,
}

/// One row's write: `after` replaces `before` (None: a new record), and the row's content hash
/// `key` goes into the ledger in the same transaction.
#[derive(Debug, Clone)]
pub struct IntakeWrite<T> {
    /// SHA-256 of the row's content (the ledger key).
    pub key: [u8; 32],
    /// The stored record the write is based on; None for a new one.
    pub before: Option<T>,
    /// The record to store.
    pub after: T,
}

type TxResult<T> = std::result::Result<T, ConflictableTransactionError<Error>>;

fn abort<T>(e: Error) -> TxResult<T> {
    Err(ConflictableTransactionError::Abort(e))
}

fn already_imported(id: &str) -> Error {
    Error::Conflict {
        code: "already_imported",
        detail: format!("this row was imported before, as {id}"),
        existing: Some(id.to_string()),
    }
}

fn mark(kind: &str, id: String, at: DateTime<Utc>) -> Result<Vec<u8>> {
    codec::encode(&IntakeMark {
        kind: kind.to_string(),
        id,
        at,
    })
}

/// Fails when the ledger already holds `key` (another intake of the same row came first).
fn check_ledger(ledger: &TransactionalTree, key: &[u8; 32], id: &str) -> TxResult<()> {
    match ledger.get(key)? {
        Some(_) => abort(already_imported(id)),
        None => Ok(()),
    }
}

/// Fails unless the stored version of the record under `key` is `expected`.
fn check_version<T: serde::de::DeserializeOwned>(
    tree: &TransactionalTree,
    key: &[u8],
    what: &'static str,
    id: String,
    expected: u64,
    version: impl Fn(&T) -> u64,
) -> TxResult<T> {
    let Some(bytes) = tree.get(key)? else {
        return abort(Error::not_found(what, id));
    };
    let current: T = codec::decode(what, &bytes).map_err(ConflictableTransactionError::Abort)?;
    if version(&current) != expected {
        return abort(Error::Stale {
            expected,
            current: version(&current),
        });
    }
    Ok(current)
}

#[derive(Deserialize)]
struct NameOnly {
    name: String,
    organisation: String,
}

#[derive(Deserialize)]
struct ExpertName {
    id: ExpertId,
    profile: NameOnly,
}

#[derive(Deserialize)]
struct EnterpriseName {
    name: String,
}

#[derive(Deserialize)]
struct TitleOnly {
    enterprise: EnterpriseName,
    title: String,
}

#[derive(Deserialize)]
struct NeedTitle {
    id: NeedId,
    spec: TitleOnly,
}

impl Store {
    /// The ledger entry of a row imported before, if any.
    pub fn intake_mark(&self, key: &[u8; 32]) -> Result<Option<IntakeMark>> {
        self.intake
            .get(key)
            .map_err(storage)?
            .map(|v| codec::decode("intake ledger entry", &v))
            .transpose()
    }

    /// The expert registered with `email` (already normalised), if any.
    pub fn expert_with_email(&self, email: &str) -> Result<Option<ExpertId>> {
        Ok(self
            .expert_emails
            .get(self.email_mac.of(email))
            .map_err(storage)?
            .and_then(|v| ExpertId::from_slice(&v)))
    }

    /// Every expert's id, name and organisation, decoding only those members (duplicate checks).
    pub fn expert_names(&self) -> Result<Vec<(ExpertId, String, String)>> {
        self.experts
            .iter()
            .map(|kv| {
                let (k, v) = kv.map_err(storage)?;
                let e: ExpertName = self.open_expert(&k, &v)?;
                Ok((e.id, e.profile.name, e.profile.organisation))
            })
            .collect()
    }

    /// Every need's id, enterprise name and title, decoding only those members (duplicate checks).
    pub fn need_titles(&self) -> Result<Vec<(NeedId, String, String)>> {
        self.needs
            .iter()
            .values()
            .map(|v| {
                let n: NeedTitle = codec::decode("need", &v.map_err(storage)?)?;
                Ok((n.id, n.spec.enterprise.name, n.spec.title))
            })
            .collect()
    }

    /// Writes a batch of experts (new ones under new keys, with their email and an empty token
    /// hash; changed ones over the version they were read at) and their ledger entries in one
    /// transaction, then flushes once. The new keys are written and fsynced once, before. Any
    /// conflict aborts the whole batch, which then writes nothing and leaves no key.
    pub fn commit_expert_intake(&self, batch: &[IntakeWrite<Expert>]) -> Result<()> {
        let now = Utc::now();
        let fresh: Vec<ExpertId> = batch
            .iter()
            .filter(|w| w.before.is_none())
            .map(|w| w.after.id)
            .collect();
        let mut new_keys = self.keys.create(&fresh)?.into_iter();
        let written = batch
            .iter()
            .map(|w| {
                let key = match w.before {
                    None => new_keys
                        .next()
                        .ok_or_else(|| Error::Internal("a new expert has no key".into()))?,
                    Some(_) => self.record_key(w.after.id)?,
                };
                let value = sealed::seal(&key, w.after.id, &w.after)?;
                Ok((value, mark("expert", w.after.id.to_string(), now)?))
            })
            .collect::<Result<Vec<_>>>()
            .and_then(|encoded| self.write_expert_batch(batch, &encoded));
        if let Err(e) = written {
            // The new keys guard nothing; if they cannot be destroyed now, they are orphans that
            // the next start destroys.
            let _ = self.keys.destroy(&fresh);
            return Err(e);
        }
        self.keys.settle(&fresh);
        self.flush()
    }

    fn write_expert_batch(&self, batch: &[IntakeWrite<Expert>], encoded: &[(Vec<u8>, Vec<u8>)]) -> Result<()> {
        (
            &self.experts,
            &self.expert_emails,
            &self.expert_tokens,
            &self.intake,
            &self.erased,
        )
            .transaction(|(experts, emails, tokens, ledger, erased)| {
                for (w, (value, entry)) in batch.iter().zip(encoded) {
                    let id = w.after.id;
                    let key = id.as_bytes().as_slice();
                    check_ledger(ledger, &w.key, &id.to_string())?;
                    let email = &w.after.profile.contact.email;
                    let old_email = match &w.before {
                        None => {
                            if experts.get(key)?.is_some() || erased.get(key)?.is_some() {
                                return abort(id_taken(id, erased.get(key)?.is_some()));
                            }
                            tokens.insert(key, &b""[..])?;
                            None
                        }
                        Some(before) => {
                            let current = self.current_expert(experts, id, before.version)?;
                            Some(current.profile.contact.email)
                        }
                    };
                    if old_email.as_ref() != Some(email) {
                        let email_key = self.email_key(email);
                        if let Some(owner) = emails.get(email_key)? {
                            return abort(email_taken(email.as_str(), &owner));
                        }
                        if let Some(old) = old_email {
                            emails.remove(self.email_key(&old).as_slice())?;
                        }
                        emails.insert(email_key.as_slice(), key)?;
                    }
                    experts.insert(key, value.as_slice())?;
                    ledger.insert(w.key.as_slice(), entry.as_slice())?;
                }
                Ok(())
            })
            .map_err(tx_error)
    }

    /// The stored expert `id`, decrypted, if its version is still `expected`.
    fn current_expert(&self, experts: &TransactionalTree, id: ExpertId, expected: u64) -> TxResult<Expert> {
        let Some(bytes) = experts.get(id.as_bytes())? else {
            return abort(Error::not_found("expert", id));
        };
        let current: Expert = self
            .open_expert(id.as_bytes(), &bytes)
            .map_err(ConflictableTransactionError::Abort)?;
        if current.version != expected {
            return abort(Error::Stale {
                expected,
                current: current.version,
            });
        }
        Ok(current)
    }

    /// Writes a batch of needs and their ledger entries in one transaction, then flushes once.
    pub fn commit_need_intake(&self, batch: &[IntakeWrite<Need>]) -> Result<()> {
        let now = Utc::now();
        let encoded = batch
            .iter()
            .map(|w| Ok((codec::encode(&w.after)?, mark("need", w.after.id.to_string(), now)?)))
            .collect::<Result<Vec<_>>>()?;
        (&self.needs, &self.intake)
            .transaction(|(needs, ledger)| {
                for (w, (value, entry)) in batch.iter().zip(&encoded) {
                    let id = w.after.id;
                    let key = id.as_bytes().as_slice();
                    check_ledger(ledger, &w.key, &id.to_string())?;
                    match &w.before {
                        None if needs.get(key)?.is_some() => {
                            return abort(Error::Conflict {
                                code: "id_taken",
                                detail: format!("need {id} already exists"),
                                existing: Some(id.to_string()),
                            })
                        }
                        None => {}
                        Some(before) => {
                            check_version(needs, key, "need", id.to_string(), before.version, |n: &Need| n.version)?;
                        }
                    }
                    needs.insert(key, value.as_slice())?;
                    ledger.insert(w.key.as_slice(), entry.as_slice())?;
                }
                Ok(())
            })
            .map_err(tx_error)?;
        self.flush()
    }
}
