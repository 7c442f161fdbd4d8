//! Named tokens: operators' (made and revoked with the CLI on a stopped data directory) and event
//! viewers' (made and revoked by operators over REST); every change audited; and finding whom a
//! token belongs to, reading the store on every request so that a revocation counts at once.

use chrono::{DateTime, Utc};

use super::auth::{claim_of, hash_token, new_operator_token, new_viewer_token, token_matches, Claim, Principal};
use super::core::Engine;
use crate::domain::{AuditAction, AuditEntry, EventId, OperatorToken, TokenName, ViewerToken};
use crate::error::{Error, Result};
use crate::store::Store;

/// The actor of changes made with the CLI.
pub const CLI_ACTOR: &str = "cli";

fn operator_target(name: &TokenName) -> String {
    format!("token:operator:{name}")
}

fn viewer_target(event: EventId, name: &TokenName) -> String {
    format!("token:viewer:{event}:{name}")
}

fn audit(store: &Store, actor: &str, action: AuditAction, target: String, detail: &str) -> Result<()> {
    store
        .append_audit(AuditEntry {
            seq: 0,
            at: Utc::now(),
            actor: actor.to_string(),
            action,
            target,
            detail: detail.to_string(),
        })
        .map(|_| ())
}

/// Makes a named operator token, stores its hash and audits it; returns the token (to show once)
/// and its record. The name `default` belongs to the operator token of the environment.
pub fn create_operator_token(store: &Store, name: TokenName, actor: &str) -> Result<(String, OperatorToken)> {
    if name.as_str() == TokenName::DEFAULT_OPERATOR {
        return Err(Error::Conflict {
            code: "token_exists",
            detail: "the name default belongs to the operator token of TALENTBRIDGE_OPERATOR_TOKEN (or the one \
                     generated at first start); choose another name"
                .into(),
            existing: Some(name.to_string()),
        });
    }
    let token = new_operator_token();
    let record = OperatorToken {
        name,
        sha256: hash_token(&token),
        created_at: Utc::now(),
        revoked_at: None,
    };
    store.create_operator_token(&record)?;
    audit(
        store,
        actor,
        AuditAction::TokenCreated,
        operator_target(&record.name),
        "operator token created",
    )?;
    Ok((token, record))
}

/// Revokes a named operator token and audits it; false when it was already revoked.
pub fn revoke_operator_token(store: &Store, name: &TokenName, actor: &str) -> Result<bool> {
    let changed = store.revoke_operator_token(name, Utc::now())?;
    if changed {
        audit(
            store,
            actor,
            AuditAction::TokenRevoked,
            operator_target(name),
            "operator token revoked",
        )?;
    }
    Ok(changed)
}

/// Every named operator token (not the default one), revoked ones included.
pub fn operator_tokens(store: &Store) -> Result<Vec<OperatorToken>> {
    store.operator_tokens()
}

/// The name of the live token among `records` that `token` matches. Every record is compared, so
/// the time taken does not tell which one matched.
fn live_match<'a>(
    token: &str,
    records: impl Iterator<Item = (&'a [u8; 32], bool, &'a TokenName)>,
) -> Option<TokenName> {
    let mut found = None;
    for (hash, live, name) in records {
        if token_matches(token, hash) && live {
            found = Some(name.clone());
        }
    }
    found
}

/// Whom a token that is not the default operator's belongs to, if anyone.
pub(super) fn principal_of(store: &Store, token: &str) -> Result<Option<Principal>> {
    Ok(match claim_of(token) {
        None => None,
        Some(Claim::Operator) => {
            let records = store.operator_tokens()?;
            live_match(
                token,
                records.iter().map(|r| (&r.sha256, r.revoked_at.is_none(), &r.name)),
            )
            .map(Principal::Operator)
        }
        Some(Claim::Expert(id)) => match store.expert_token_hash(id)? {
            Some(h) if token_matches(token, &h) => Some(Principal::Expert(id)),
            _ => None,
        },
        Some(Claim::Viewer(event)) => {
            let records = store.viewer_tokens(event)?;
            let now = Utc::now();
            live_match(token, records.iter().map(|r| (&r.sha256, r.is_live(now), &r.name)))
                .map(|name| Principal::Viewer(event, name))
        }
    })
}

/// Days after an event's last day that its viewer tokens keep working unless told otherwise.
pub const VIEWER_GRACE_DAYS: u64 = 30;

impl Engine {
    /// Makes a viewer token of an existing event and audits it; returns the token (to show once)
    /// and its record. It expires at `expires_at`, or [`VIEWER_GRACE_DAYS`] after the event's last
    /// day ends (in the event's zone).
    pub fn create_viewer_token(
        &self,
        event: EventId,
        name: TokenName,
        expires_at: Option<DateTime<Utc>>,
        actor: &str,
    ) -> Result<(String, ViewerToken)> {
        let ev = self.event(event)?;
        let now = Utc::now();
        if expires_at.is_some_and(|t| t <= now) {
            return Err(crate::error::Error::field("expires_at", "must be in the future"));
        }
        let default_expiry = ev
            .spec
            .ends_on
            .checked_add_days(chrono::Days::new(VIEWER_GRACE_DAYS + 1))
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|t| t.and_local_timezone(ev.spec.time_zone.tz()).earliest())
            .map(|t| t.with_timezone(&Utc));
        let token = new_viewer_token(event);
        let record = ViewerToken {
            event,
            name,
            sha256: hash_token(&token),
            created_at: now,
            revoked_at: None,
            expires_at: expires_at.or(default_expiry),
        };
        self.store.create_viewer_token(&record)?;
        audit(
            &self.store,
            actor,
            AuditAction::TokenCreated,
            viewer_target(event, &record.name),
            "viewer token created",
        )?;
        Ok((token, record))
    }

    /// The viewer tokens of an existing event, revoked ones included, in name order.
    pub fn viewer_tokens(&self, event: EventId) -> Result<Vec<ViewerToken>> {
        self.event(event)?;
        self.store.viewer_tokens(event)
    }

    /// Revokes a viewer token (it stops working with the next request) and audits it; revoking
    /// a revoked token changes nothing.
    pub fn revoke_viewer_token(&self, event: EventId, name: &TokenName, actor: &str) -> Result<()> {
        if self.store.revoke_viewer_token(event, name, Utc::now())? {
            audit(
                &self.store,
                actor,
                AuditAction::TokenRevoked,
                viewer_target(event, name),
                "viewer token revoked",
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        (dir, store)
    }

    fn name(raw: &str) -> TokenName {
        TokenName::parse(raw).unwrap()
    }

    #[test]
    fn a_named_operator_token_authenticates_as_its_name_until_revoked() {
        let (_dir, store) = store();
        let (token, _) = create_operator_token(&store, name("alice"), CLI_ACTOR).unwrap();
        assert_eq!(
            principal_of(&store, &token).unwrap(),
            Some(Principal::Operator(name("alice")))
        );
        assert!(revoke_operator_token(&store, &name("alice"), CLI_ACTOR).unwrap());
        assert_eq!(principal_of(&store, &token).unwrap(), None);
    }

    #[test]
    fn the_default_name_is_reserved() {
        let (_dir, store) = store();
        assert!(create_operator_token(&store, name("default"), CLI_ACTOR).is_err());
    }

    #[test]
    fn token_changes_are_audited_once() {
        let (_dir, store) = store();
        create_operator_token(&store, name("bob"), CLI_ACTOR).unwrap();
        revoke_operator_token(&store, &name("bob"), CLI_ACTOR).unwrap();
        revoke_operator_token(&store, &name("bob"), CLI_ACTOR).unwrap();
        let log: Vec<AuditEntry> = store.audit_after(None).map(Result::unwrap).collect();
        let actions: Vec<AuditAction> = log.iter().map(|e| e.action).collect();
        assert_eq!(actions, [AuditAction::TokenCreated, AuditAction::TokenRevoked]);
        assert!(log.iter().all(|e| e.target == "token:operator:bob" && e.actor == "cli"));
    }

    #[test]
    fn tokens_of_one_kind_do_not_open_another() {
        let (_dir, store) = store();
        let (token, _) = create_operator_token(&store, name("carol"), CLI_ACTOR).unwrap();
        let secret = token.trim_start_matches("tbo.");
        let event = EventId::generate();
        let as_viewer = format!("tbv.{}.{secret}", event.simple());
        assert_eq!(principal_of(&store, &as_viewer).unwrap(), None);
        assert_eq!(principal_of(&store, "not a token").unwrap(), None);
    }
}
