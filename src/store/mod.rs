//! The only user of sled: trees, value encoding, format versions, transactions and durability.

mod audit;
mod channels;
mod codec;
mod concepts;
mod dump;
mod email_index;
mod erasure;
mod events;
mod experts;
mod intake;
mod introductions;
mod keys;
mod meta;
mod needs;
mod open;
mod sealed;
mod tokens;
mod versioned;

pub use dump::DumpRecord;
pub use intake::{IntakeMark, IntakeWrite};
pub use open::STORE_FORMAT;

use crate::error::Error;

/// The sled database with one tree per kind of record.
pub struct Store {
    db: sled::Db,
    meta: sled::Tree,
    concepts: sled::Tree,
    channels: sled::Tree,
    experts: sled::Tree,
    expert_emails: sled::Tree,
    expert_tokens: sled::Tree,
    /// Erased experts: id → when, nothing personal.
    erased: sled::Tree,
    /// One key per expert record, outside sled so that erasure can destroy it.
    keys: keys::KeyFile,
    /// Keys the email index, which holds no address.
    email_mac: email_index::EmailMac,
    needs: sled::Tree,
    events: sled::Tree,
    intake: sled::Tree,
    introductions: sled::Tree,
    audit: sled::Tree,
    operator_tokens: sled::Tree,
    viewer_tokens: sled::Tree,
}

impl Store {
    /// Makes every write so far durable (fsync) before a write is acknowledged.
    pub fn flush(&self) -> crate::Result<()> {
        self.db.flush().map(|_| ()).map_err(storage)
    }

    /// Number of stored experts and needs, read by streaming at start.
    pub fn is_empty(&self) -> bool {
        self.experts.is_empty()
            && self.needs.is_empty()
            && self.events.is_empty()
            && self.introductions.is_empty()
            && self.concepts.is_empty()
            && self.channels.is_empty()
            && self.erased.is_empty()
    }
}

pub(crate) fn storage(e: sled::Error) -> Error {
    Error::Storage(e.to_string())
}

pub(crate) fn tx_error(e: sled::transaction::TransactionError<Error>) -> Error {
    match e {
        sled::transaction::TransactionError::Abort(e) => e,
        sled::transaction::TransactionError::Storage(e) => storage(e),
    }
}
