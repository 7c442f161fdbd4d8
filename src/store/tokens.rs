//! Named operator tokens (keyed by name) and event viewer tokens (keyed by event, then name):
//! created, listed and revoked; a revoked record is kept so that lists show it.

use chrono::{DateTime, Utc};
use serde::{de::DeserializeOwned, Serialize};
use sled::transaction::ConflictableTransactionError;

use super::{codec, storage, tx_error, Store};
use crate::domain::{EventId, OperatorToken, TokenName, ViewerToken};
use crate::error::{Error, Result};

/// What a token record needs for creation and revocation.
trait Revocable: Serialize + DeserializeOwned {
    const WHAT: &'static str;
    fn revoked_at(&mut self) -> &mut Option<DateTime<Utc>>;
}

impl Revocable for OperatorToken {
    const WHAT: &'static str = "operator token";
    fn revoked_at(&mut self) -> &mut Option<DateTime<Utc>> {
        &mut self.revoked_at
    }
}

impl Revocable for ViewerToken {
    const WHAT: &'static str = "viewer token";
    fn revoked_at(&mut self) -> &mut Option<DateTime<Utc>> {
        &mut self.revoked_at
    }
}

fn viewer_key(event: EventId, name: &TokenName) -> Vec<u8> {
    let mut key = event.as_bytes().to_vec();
    key.extend_from_slice(name.as_str().as_bytes());
    key
}

/// Stores `record` under `key` unless a token that is not revoked holds the name. Durable on return.
fn create<T: Revocable>(store: &Store, tree: &sled::Tree, key: &[u8], name: &TokenName, record: &T) -> Result<()> {
    let value = codec::encode(record)?;
    tree.transaction(|t| {
        if let Some(bytes) = t.get(key)? {
            let mut old: T = codec::decode(T::WHAT, &bytes).map_err(ConflictableTransactionError::Abort)?;
            if old.revoked_at().is_none() {
                return Err(ConflictableTransactionError::Abort(Error::Conflict {
                    code: "token_exists",
                    detail: format!("a {} named {name} exists; revoke it first", T::WHAT),
                    existing: Some(name.to_string()),
                }));
            }
        }
        t.insert(key, value.as_slice())?;
        Ok(())
    })
    .map_err(tx_error)?;
    store.flush()
}

/// Marks the token under `key` revoked at `at`; true when it was not revoked before. Durable on return.
fn revoke<T: Revocable>(
    store: &Store,
    tree: &sled::Tree,
    key: &[u8],
    name: &TokenName,
    at: DateTime<Utc>,
) -> Result<bool> {
    let changed = tree
        .transaction(|t| {
            let Some(bytes) = t.get(key)? else {
                return Err(ConflictableTransactionError::Abort(Error::not_found(T::WHAT, name)));
            };
            let mut record: T = codec::decode(T::WHAT, &bytes).map_err(ConflictableTransactionError::Abort)?;
            if record.revoked_at().is_some() {
                return Ok(false);
            }
            *record.revoked_at() = Some(at);
            let value = codec::encode(&record).map_err(ConflictableTransactionError::Abort)?;
            t.insert(key, value)?;
            Ok(true)
        })
        .map_err(tx_error)?;
    store.flush()?;
    Ok(changed)
}

fn decode_all<T: Revocable>(iter: impl Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>) -> Result<Vec<T>> {
    iter.map(|kv| {
        let (_, v) = kv.map_err(storage)?;
        codec::decode(T::WHAT, &v)
    })
    .collect()
}

impl Store {
    /// Every named operator token, revoked ones included, in name order.
    pub fn operator_tokens(&self) -> Result<Vec<OperatorToken>> {
        decode_all(self.operator_tokens.iter())
    }

    /// Stores a new operator token; 409 `token_exists` while another one of that name is not revoked.
    pub fn create_operator_token(&self, record: &OperatorToken) -> Result<()> {
        create(
            self,
            &self.operator_tokens,
            record.name.as_str().as_bytes(),
            &record.name,
            record,
        )
    }

    /// Revokes an operator token; false when it was already revoked, not found when there is none.
    pub fn revoke_operator_token(&self, name: &TokenName, at: DateTime<Utc>) -> Result<bool> {
        revoke::<OperatorToken>(self, &self.operator_tokens, name.as_str().as_bytes(), name, at)
    }

    /// The viewer tokens of one event, revoked ones included, in name order.
    pub fn viewer_tokens(&self, event: EventId) -> Result<Vec<ViewerToken>> {
        decode_all(self.viewer_tokens.scan_prefix(event.as_bytes()))
    }

    /// Stores a new viewer token; 409 `token_exists` while another one of that name is not revoked.
    pub fn create_viewer_token(&self, record: &ViewerToken) -> Result<()> {
        create(
            self,
            &self.viewer_tokens,
            &viewer_key(record.event, &record.name),
            &record.name,
            record,
        )
    }

    /// Revokes a viewer token; false when it was already revoked, not found when there is none.
    pub fn revoke_viewer_token(&self, event: EventId, name: &TokenName, at: DateTime<Utc>) -> Result<bool> {
        revoke::<ViewerToken>(self, &self.viewer_tokens, &viewer_key(event, name), name, at)
    }

    /// Every viewer token of every event (for exports).
    pub(super) fn all_viewer_tokens(&self) -> Result<Vec<ViewerToken>> {
        decode_all(self.viewer_tokens.iter())
    }

    /// Stores an imported token record as it is.
    pub(super) fn put_operator_token(&self, record: &OperatorToken) -> Result<()> {
        self.operator_tokens
            .insert(record.name.as_str().as_bytes(), codec::encode(record)?)
            .map_err(storage)?;
        Ok(())
    }

    /// Stores an imported token record as it is.
    pub(super) fn put_viewer_token(&self, record: &ViewerToken) -> Result<()> {
        self.viewer_tokens
            .insert(viewer_key(record.event, &record.name), codec::encode(record)?)
            .map_err(storage)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operator(name: &str) -> OperatorToken {
        OperatorToken {
            name: TokenName::parse(name).unwrap(),
            sha256: [7; 32],
            created_at: Utc::now(),
            revoked_at: None,
        }
    }

    fn viewer(event: EventId, name: &str) -> ViewerToken {
        ViewerToken {
            event,
            name: TokenName::parse(name).unwrap(),
            sha256: [9; 32],
            created_at: Utc::now(),
            revoked_at: None,
            expires_at: None,
        }
    }

    #[test]
    fn a_name_holds_one_live_operator_token_and_is_free_again_once_revoked() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.create_operator_token(&operator("alice")).unwrap();
        let err = store.create_operator_token(&operator("alice")).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Conflict {
                    code: "token_exists",
                    ..
                }
            ),
            "{err}"
        );
        let name = TokenName::parse("alice").unwrap();
        assert!(store.revoke_operator_token(&name, Utc::now()).unwrap());
        assert!(
            !store.revoke_operator_token(&name, Utc::now()).unwrap(),
            "revoking twice changes nothing"
        );
        assert!(store.operator_tokens().unwrap()[0].revoked_at.is_some());
        store.create_operator_token(&operator("alice")).unwrap();
        assert!(store.operator_tokens().unwrap()[0].revoked_at.is_none());
    }

    #[test]
    fn revoking_an_unknown_token_is_not_found() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let name = TokenName::parse("nobody").unwrap();
        assert!(matches!(
            store.revoke_operator_token(&name, Utc::now()),
            Err(Error::NotFound { .. })
        ));
        assert!(matches!(
            store.revoke_viewer_token(EventId::generate(), &name, Utc::now()),
            Err(Error::NotFound { .. })
        ));
    }

    #[test]
    fn viewer_tokens_are_listed_per_event() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let (a, b) = (EventId::generate(), EventId::generate());
        store.create_viewer_token(&viewer(a, "press")).unwrap();
        store.create_viewer_token(&viewer(a, "board")).unwrap();
        store.create_viewer_token(&viewer(b, "press")).unwrap();
        let names: Vec<String> = store
            .viewer_tokens(a)
            .unwrap()
            .iter()
            .map(|t| t.name.to_string())
            .collect();
        assert_eq!(names, ["board", "press"]);
        assert_eq!(store.viewer_tokens(b).unwrap().len(), 1);
        assert_eq!(store.all_viewer_tokens().unwrap().len(), 3);
    }

    #[test]
    fn tokens_travel_in_an_export_and_keep_working_after_an_import() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut revoked = operator("bob");
        revoked.revoked_at = Some(Utc::now());
        store.create_operator_token(&operator("alice")).unwrap();
        store.create_operator_token(&revoked).unwrap();
        store
            .create_viewer_token(&viewer(EventId::generate(), "press"))
            .unwrap();
        let mut export = Vec::new();
        let counts = store.export(&mut export).unwrap();
        assert_eq!(counts.tokens, 3);

        let other = tempfile::tempdir().unwrap();
        let restored = Store::open(other.path()).unwrap();
        restored.import(&mut export.as_slice()).unwrap();
        assert_eq!(restored.operator_tokens().unwrap(), store.operator_tokens().unwrap());
        assert_eq!(
            restored.all_viewer_tokens().unwrap(),
            store.all_viewer_tokens().unwrap()
        );
    }
}
