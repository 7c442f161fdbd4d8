//! Export and import of the whole store as JSON lines: the backup and migration path. An export
//! holds expert records in plaintext (it is an explicit backup, to be kept as such); an import
//! seals each expert under a new key of the importing store.

use std::io::{BufRead, Write};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::experts::id_taken;
use super::{codec, sealed, storage, Store};
use crate::domain::{
    AuditEntry, Channel, Concept, Event, Expert, ExpertId, Introduction, Need, OperatorToken, ViewerToken,
};
use crate::error::{Error, Result};

/// One line of an export: a record of one kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum DumpRecord {
    /// A fact about the store (operator token hash, seeded flag), value hex-encoded.
    Meta { key: String, value_hex: String },
    /// A taxonomy concept.
    Concept { record: Concept },
    /// A partner channel.
    Channel { record: Channel },
    /// An expert with the hash of its token, so that tokens keep working after a restore.
    Expert {
        record: Expert,
        token_sha256_hex: Option<String>,
    },
    /// An enterprise need.
    Need { record: Need },
    /// A matchmaking event with its schedule.
    Event { record: Event },
    /// An introduction with its history.
    Introduction { record: Introduction },
    /// An entry of the audit log.
    Audit { record: AuditEntry },
    /// A named operator token (its hash), so that operators keep their tokens after a restore.
    OperatorToken { record: OperatorToken },
    /// An event viewer token (its hash).
    ViewerToken { record: ViewerToken },
    /// An erased expert: its id and when it was erased, nothing else.
    Erased { id: ExpertId, erased_at: DateTime<Utc> },
}

/// Counts of what an export wrote or an import read.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct DumpCounts {
    /// Concepts.
    pub concepts: usize,
    /// Channels.
    pub channels: usize,
    /// Experts.
    pub experts: usize,
    /// Needs.
    pub needs: usize,
    /// Events.
    pub events: usize,
    /// Introductions.
    pub introductions: usize,
    /// Audit entries.
    pub audit: usize,
    /// Named operator and event viewer tokens.
    pub tokens: usize,
    /// Erased experts' placeholders.
    pub erased: usize,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Result<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return Err(Error::Malformed(format!("odd-length hex {s:?}")));
    }
    (0..s.len())
        .step_by(2)
        .map(|i| {
            s.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| Error::Malformed(format!("bad hex {s:?}")))
        })
        .collect()
}

const NOT_EXPORTED_META: &[&str] = &["store_format", super::email_index::META_KEY];

impl Store {
    /// Writes every record as one JSON line: meta, concepts, channels, experts (decrypted), erased
    /// experts' placeholders, needs, events, introductions, audit entries.
    pub fn export(&self, out: &mut dyn Write) -> Result<DumpCounts> {
        let mut counts = DumpCounts::default();
        let mut line = |rec: &DumpRecord| -> Result<()> {
            let json = serde_json::to_string(rec).map_err(|e| Error::Internal(e.to_string()))?;
            writeln!(out, "{json}").map_err(|e| Error::Storage(format!("writing the export: {e}")))
        };
        for (key, value) in self.meta_entries()? {
            if !NOT_EXPORTED_META.contains(&key.as_str()) {
                line(&DumpRecord::Meta {
                    key,
                    value_hex: hex(&value),
                })?;
            }
        }
        for record in self.concepts()? {
            counts.concepts += 1;
            line(&DumpRecord::Concept { record })?;
        }
        for record in self.channels()? {
            counts.channels += 1;
            line(&DumpRecord::Channel { record })?;
        }
        for record in self.experts_after(None) {
            let record = record?;
            let token = self.expert_token_hash(record.id)?.map(|h| hex(&h));
            counts.experts += 1;
            line(&DumpRecord::Expert {
                record,
                token_sha256_hex: token,
            })?;
        }
        for erased in self.erased_after(None) {
            let (id, erased_at) = erased?;
            counts.erased += 1;
            line(&DumpRecord::Erased { id, erased_at })?;
        }
        for record in self.needs_after(None) {
            counts.needs += 1;
            line(&DumpRecord::Need { record: record? })?;
        }
        for record in self.events_after(None) {
            counts.events += 1;
            line(&DumpRecord::Event { record: record? })?;
        }
        for record in self.introductions_after(None) {
            counts.introductions += 1;
            line(&DumpRecord::Introduction { record: record? })?;
        }
        for record in self.audit_after(None) {
            counts.audit += 1;
            line(&DumpRecord::Audit { record: record? })?;
        }
        for record in self.operator_tokens()? {
            counts.tokens += 1;
            line(&DumpRecord::OperatorToken { record })?;
        }
        for record in self.all_viewer_tokens()? {
            counts.tokens += 1;
            line(&DumpRecord::ViewerToken { record })?;
        }
        Ok(counts)
    }

    /// Reads an export into this store, which must hold no records; durable on return (the new
    /// experts' keys are fsynced once, before sled is flushed).
    pub fn import(&self, input: &mut dyn BufRead) -> Result<DumpCounts> {
        if !self.is_empty() {
            return Err(Error::Conflict {
                code: "store_not_empty",
                detail: "import needs an empty data directory".into(),
                existing: None,
            });
        }
        let mut counts = DumpCounts::default();
        for (n, line) in input.lines().enumerate() {
            let line = line.map_err(|e| Error::Storage(format!("reading line {}: {e}", n + 1)))?;
            if line.trim().is_empty() {
                continue;
            }
            let record: DumpRecord =
                serde_json::from_str(&line).map_err(|e| Error::Malformed(format!("line {}: {e}", n + 1)))?;
            self.import_record(record, &mut counts)
                .map_err(|e| Error::Malformed(format!("line {}: {e}", n + 1)))?;
        }
        self.keys.sync()?;
        self.flush()?;
        Ok(counts)
    }

    fn import_record(&self, record: DumpRecord, counts: &mut DumpCounts) -> Result<()> {
        match record {
            DumpRecord::Meta { key, value_hex } => {
                if !NOT_EXPORTED_META.contains(&key.as_str()) {
                    self.put_meta(&key, &unhex(&value_hex)?)?;
                }
            }
            DumpRecord::Concept { record } => {
                self.concepts
                    .insert(record.id.as_str(), codec::encode(&record)?)
                    .map_err(storage)?;
                counts.concepts += 1;
            }
            DumpRecord::Channel { record } => {
                self.channels
                    .insert(record.id.as_str(), codec::encode(&record)?)
                    .map_err(storage)?;
                counts.channels += 1;
            }
            DumpRecord::Expert {
                record,
                token_sha256_hex,
            } => {
                let hash = match token_sha256_hex {
                    Some(h) => unhex(&h)?,
                    None => Vec::new(),
                };
                self.insert_expert_unflushed(&record, &hash)?;
                counts.experts += 1;
            }
            DumpRecord::Need { record } => {
                self.needs
                    .insert(record.id.as_bytes(), codec::encode(&record)?)
                    .map_err(storage)?;
                counts.needs += 1;
            }
            DumpRecord::Event { record } => {
                self.events
                    .insert(record.id.as_bytes(), codec::encode(&record)?)
                    .map_err(storage)?;
                counts.events += 1;
            }
            DumpRecord::Introduction { record } => {
                self.introductions
                    .insert(record.id.as_bytes(), codec::encode(&record)?)
                    .map_err(storage)?;
                counts.introductions += 1;
            }
            DumpRecord::Audit { record } => {
                self.put_audit(&record)?;
                counts.audit += 1;
            }
            DumpRecord::OperatorToken { record } => {
                self.put_operator_token(&record)?;
                counts.tokens += 1;
            }
            DumpRecord::ViewerToken { record } => {
                self.put_viewer_token(&record)?;
                counts.tokens += 1;
            }
            DumpRecord::Erased { id, erased_at } => {
                if self.experts.contains_key(id.as_bytes()).map_err(storage)? {
                    return Err(id_taken(id, false));
                }
                self.put_erased(id, erased_at)?;
                counts.erased += 1;
            }
        }
        Ok(())
    }

    fn insert_expert_unflushed(&self, expert: &Expert, token_hash: &[u8]) -> Result<()> {
        let id = expert.id;
        let key = id.as_bytes();
        let email = &expert.profile.contact.email;
        let email_key = self.email_key(email);
        if self.expert_emails.get(email_key).map_err(storage)?.is_some() {
            return Err(Error::Conflict {
                code: "email_taken",
                detail: format!("{} appears twice", email.as_str()),
                existing: None,
            });
        }
        if self.erased.contains_key(key).map_err(storage)? {
            return Err(id_taken(id, true));
        }
        let record_key = self.keys.create_unsynced(&[id])?;
        let value = sealed::seal(&record_key[0], id, expert)?;
        self.experts.insert(key, value).map_err(storage)?;
        self.expert_emails.insert(email_key, key.as_slice()).map_err(storage)?;
        self.expert_tokens.insert(key, token_hash).map_err(storage)?;
        self.keys.settle(&[id]);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        assert_eq!(unhex(&hex(&[0, 1, 254, 255])).unwrap(), vec![0, 1, 254, 255]);
    }

    #[test]
    fn bad_hex_is_an_error() {
        assert!(unhex("abc").is_err());
        assert!(unhex("zz").is_err());
    }
}
