//! Erasure of an expert: the record, its email index entry and its token go, an id-only
//! placeholder (`erased` tree: id → when) stays so that events and introductions keep a meaningful
//! id and the id is never reused, and the record's key is destroyed in the key file, which leaves
//! every copy of the record sled may still hold in its log unreadable.

use std::ops::Bound;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, Transactional};

use super::experts::abort;
use super::{codec, storage, tx_error, Store};
use crate::domain::{Expert, ExpertId};
use crate::error::{Error, Result};

/// What is kept of an erased expert: its id (the key) and when it was erased; nothing personal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Placeholder {
    erased_at: DateTime<Utc>,
}

impl Store {
    /// When the expert was erased, if it was.
    pub fn erased_at(&self, id: ExpertId) -> Result<Option<DateTime<Utc>>> {
        self.erased
            .get(id.as_bytes())
            .map_err(storage)?
            .map(|v| codec::decode::<Placeholder>("erased expert", &v).map(|p| p.erased_at))
            .transpose()
    }

    /// Erased experts in id order, starting after `after` (exports).
    pub fn erased_after(&self, after: Option<ExpertId>) -> impl Iterator<Item = Result<(ExpertId, DateTime<Utc>)>> {
        let start = match after {
            Some(id) => Bound::Excluded(id.as_bytes().to_vec()),
            None => Bound::Unbounded,
        };
        self.erased.range::<Vec<u8>, _>((start, Bound::Unbounded)).map(|kv| {
            let (k, v) = kv.map_err(storage)?;
            let id = ExpertId::from_slice(&k)
                .ok_or_else(|| Error::Storage("an erased expert is stored under a bad key".into()))?;
            Ok((id, codec::decode::<Placeholder>("erased expert", &v)?.erased_at))
        })
    }

    /// Records `id` as erased at `at` without a record (import); the caller flushes.
    pub(super) fn put_erased(&self, id: ExpertId, at: DateTime<Utc>) -> Result<()> {
        let value = codec::encode(&Placeholder { erased_at: at })?;
        self.erased.insert(id.as_bytes(), value).map_err(storage)?;
        Ok(())
    }

    /// Erases an expert whose version is still `base_version`: in one transaction the record, its
    /// email index entry and its token are removed and the placeholder written; once that is
    /// durable, the key is destroyed (a crash in between leaves a key without a record, which the
    /// next start destroys). Returns the erased record.
    pub fn erase_expert(&self, id: ExpertId, base_version: u64, at: DateTime<Utc>) -> Result<Expert> {
        let key = id.as_bytes();
        let placeholder = codec::encode(&Placeholder { erased_at: at })?;
        let erased = (&self.experts, &self.expert_emails, &self.expert_tokens, &self.erased)
            .transaction(|(experts, emails, tokens, erased)| {
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
                experts.remove(key.as_slice())?;
                emails.remove(self.email_key(&current.profile.contact.email).as_slice())?;
                tokens.remove(key.as_slice())?;
                erased.insert(key.as_slice(), placeholder.as_slice())?;
                Ok(current)
            })
            .map_err(tx_error)?;
        self.flush()?;
        self.keys.destroy(&[id])?;
        Ok(erased)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn expert(email: &str) -> Expert {
        serde_json::from_value(json!({
            "id": ExpertId::generate(), "status": "active", "version": 1,
            "created_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:00:00Z",
            "consent": {"given_at": "2026-01-05T10:00:00Z", "text_version": "v1"},
            "profile": {
                "name": "Zyxwvutsrq Qwertyuiop", "contact": {"email": email, "phone": "+33 6 1357 9246"},
                "country": "FR", "city": "Lyon", "timezone": "Europe/Paris", "organisation": "CNRS",
                "position": "Researcher", "bio": "Quixotic zymurgist", "languages": [], "skills": [],
                "sectors": [], "engagement_modes": ["remote"], "hours_per_month": 10,
                "preferences": {"need_types": [], "sectors": []}
            }
        }))
        .unwrap()
    }

    #[test]
    fn erasure_removes_record_email_token_and_key_and_keeps_an_id_only_placeholder() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let e = expert("zyxw@example.org");
        store.insert_expert(&e, b"token hash").unwrap();
        assert_eq!(store.expert(e.id).unwrap(), Some(e.clone()));
        let at = Utc::now();
        assert_eq!(store.erase_expert(e.id, 1, at).unwrap(), e);
        assert_eq!(store.expert(e.id).unwrap(), None);
        assert_eq!(store.erased_at(e.id).unwrap(), Some(at));
        assert_eq!(store.expert_with_email("zyxw@example.org").unwrap(), None);
        assert_eq!(store.expert_token_hash(e.id).unwrap(), None);
        assert_eq!(store.keys.key(e.id), None);
        drop(store);
        let reopened = Store::open(dir.path()).unwrap();
        assert_eq!(reopened.erased_at(e.id).unwrap(), Some(at));
    }

    #[test]
    fn an_erased_id_is_never_reused_but_its_email_is_free() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let e = expert("zyxw@example.org");
        store.insert_expert(&e, b"").unwrap();
        store.erase_expert(e.id, 1, Utc::now()).unwrap();
        let err = store.insert_expert(&e, b"").unwrap_err();
        assert!(matches!(err, Error::Conflict { code: "id_taken", .. }), "{err}");
        assert_eq!(store.keys.key(e.id), None, "the refused insert left no key");
        let again = expert("zyxw@example.org");
        store.insert_expert(&again, b"").unwrap();
        assert_eq!(store.expert_with_email("zyxw@example.org").unwrap(), Some(again.id));
    }

    #[test]
    fn a_stale_erasure_is_refused_and_erases_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let e = expert("a@example.org");
        store.insert_expert(&e, b"").unwrap();
        assert!(matches!(
            store.erase_expert(e.id, 7, Utc::now()),
            Err(Error::Stale { current: 1, .. })
        ));
        assert!(store.expert(e.id).unwrap().is_some() && store.keys.key(e.id).is_some());
        assert!(matches!(
            store.erase_expert(ExpertId::generate(), 1, Utc::now()),
            Err(Error::NotFound { .. })
        ));
    }

    #[test]
    fn the_full_pass_gives_every_record_once_in_id_order_across_chunks_and_threads() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut ids: Vec<ExpertId> = (0..9)
            .map(|i| {
                let e = expert(&format!("p{i}@example.org"));
                store.insert_expert(&e, b"").unwrap();
                e.id
            })
            .collect();
        ids.sort_by_key(|id| *id.as_bytes());
        for (threads, chunk) in [(1, 1), (3, 2), (2, 4), (4, 100)] {
            let mut seen = Vec::new();
            store
                .for_each_expert_in_chunks(threads, chunk, |id, _| id, |id| seen.push(id))
                .unwrap();
            assert_eq!(seen, ids, "{threads} threads, chunks of {chunk}");
        }
    }

    #[test]
    fn a_key_left_without_its_record_by_a_crash_is_destroyed_by_the_next_full_pass() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let (kept, orphan) = (expert("k@example.org"), ExpertId::generate());
        store.insert_expert(&kept, b"").unwrap();
        store.keys.create(&[orphan]).unwrap();
        let in_flight = ExpertId::generate();
        store.keys.create(&[in_flight]).unwrap();
        store.keys.settle(&[orphan]);
        store.for_each_expert_facts(2, |_, _| (), |_| {}).unwrap();
        assert!(
            store.keys.key(in_flight).is_some(),
            "a key whose write is in flight stays"
        );
        assert_eq!(store.keys.key(orphan), None);
        store.keys.settle(&[in_flight]);
        drop(store);
        let reopened = Store::open(dir.path()).unwrap();
        let mut seen = Vec::new();
        reopened
            .for_each_expert_facts(2, |id, _| id, |id| seen.push(id))
            .unwrap();
        assert_eq!(seen, vec![kept.id]);
        assert_eq!(
            reopened.keys.key(in_flight),
            None,
            "after a restart it is an orphan too"
        );
        assert_eq!(reopened.keys.count(), 1);
    }

    #[test]
    fn an_export_carries_placeholders_and_an_import_seals_experts_under_new_keys() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let store = Store::open(a.path()).unwrap();
        let (kept, gone) = (expert("kept@example.org"), expert("gone@example.org"));
        store.insert_expert(&kept, b"h").unwrap();
        store.insert_expert(&gone, b"").unwrap();
        store.erase_expert(gone.id, 1, Utc::now()).unwrap();
        let mut export = Vec::new();
        let counts = store.export(&mut export).unwrap();
        assert_eq!((counts.experts, counts.erased), (1, 1));
        let text = String::from_utf8(export.clone()).unwrap();
        assert!(text.contains("kept@example.org") && !text.contains("gone@example.org"));
        let restored = Store::open(b.path()).unwrap();
        restored.import(&mut export.as_slice()).unwrap();
        assert_eq!(restored.expert(kept.id).unwrap(), Some(kept.clone()));
        assert_ne!(restored.keys.key(kept.id), store.keys.key(kept.id));
        assert_eq!(restored.expert_with_email("kept@example.org").unwrap(), Some(kept.id));
        assert!(restored.erased_at(gone.id).unwrap().is_some());
        assert!(restored.insert_expert(&gone, b"").is_err());
    }
}
