//! Tokens: generation, hashing, what a token claims to be, and comparing it with a stored hash in
//! constant time.
//!
//! Formats: `tbo.<secret>` for named operators, `tbe.<expert uuid simple>.<secret>` for experts,
//! `tbv.<event uuid simple>.<secret>` for event viewers; the secret is 32 random bytes in base64url.
//! The default operator token (from the environment) may be any string.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::domain::{EventId, ExpertId, TokenName};

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// Staff of the base, by the name of their token: everything.
    Operator(TokenName),
    /// One expert: its own profile only.
    Expert(ExpertId),
    /// A viewer of one event, by the name of its token: that event's anonymised shortlists and schedule.
    Viewer(EventId, TokenName),
}

impl Principal {
    /// True for operators.
    pub fn is_operator(&self) -> bool {
        matches!(self, Principal::Operator(_))
    }

    /// True for event viewers, who see anonymised data only.
    pub fn is_viewer(&self) -> bool {
        matches!(self, Principal::Viewer(..))
    }
}

/// What a token says it is, before it is checked against the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// A named operator token (`tbo.`).
    Operator,
    /// The token of this expert (`tbe.`).
    Expert(ExpertId),
    /// A viewer token of this event (`tbv.`).
    Viewer(EventId),
}

/// The SHA-256 of a token; tokens are random and long, so a fast hash is enough.
pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Compares a token with a stored hash in constant time.
pub fn token_matches(token: &str, stored_hash: &[u8]) -> bool {
    stored_hash.len() == 32 && bool::from(hash_token(token).as_slice().ct_eq(stored_hash))
}

fn secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new operator token.
pub fn new_operator_token() -> String {
    format!("tbo.{}", secret())
}

/// A new expert token; it names its expert so the check needs one hash lookup.
pub fn new_expert_token(id: ExpertId) -> String {
    format!("tbe.{}.{}", id.simple(), secret())
}

/// A new viewer token of an event; it names its event so the check reads that event's tokens only.
pub fn new_viewer_token(event: EventId) -> String {
    format!("tbv.{}.{}", event.simple(), secret())
}

/// A well-formed secret: non-empty base64url.
fn secret_ok(secret: &str) -> bool {
    !secret.is_empty()
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `<uuid simple>.<secret>`: the id part, when both parts are well-formed. Only the simple form is
/// taken, so that one token has one spelling.
fn id_and_secret(rest: &str) -> Option<&str> {
    let (id, secret) = rest.split_once('.')?;
    (id.len() == 32 && secret_ok(secret)).then_some(id)
}

/// What a token claims to be; `None` for anything that is not one of the three formats.
pub fn claim_of(token: &str) -> Option<Claim> {
    if let Some(secret) = token.strip_prefix("tbo.") {
        return secret_ok(secret).then_some(Claim::Operator);
    }
    if let Some(rest) = token.strip_prefix("tbe.") {
        return ExpertId::parse(id_and_secret(rest)?).ok().map(Claim::Expert);
    }
    if let Some(rest) = token.strip_prefix("tbv.") {
        return EventId::parse(id_and_secret(rest)?).ok().map(Claim::Viewer);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_matches_its_own_hash_only() {
        let t = new_operator_token();
        assert!(token_matches(&t, &hash_token(&t)));
        assert!(!token_matches(&new_operator_token(), &hash_token(&t)));
        assert!(!token_matches(&t, b"short"));
    }

    #[test]
    fn a_token_with_one_character_changed_does_not_match() {
        let t = new_viewer_token(EventId::generate());
        let mut bytes = t.clone().into_bytes();
        let last = bytes.len() - 1;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(bytes).unwrap();
        assert!(!token_matches(&tampered, &hash_token(&t)));
    }

    #[test]
    fn an_expert_token_names_its_expert() {
        let id = ExpertId::generate();
        assert_eq!(claim_of(&new_expert_token(id)), Some(Claim::Expert(id)));
    }

    #[test]
    fn a_viewer_token_names_its_event() {
        let event = EventId::generate();
        assert_eq!(claim_of(&new_viewer_token(event)), Some(Claim::Viewer(event)));
    }

    #[test]
    fn an_operator_token_claims_an_operator() {
        assert_eq!(claim_of(&new_operator_token()), Some(Claim::Operator));
    }

    #[test]
    fn malformed_tokens_claim_nothing() {
        let id = ExpertId::generate();
        let event = EventId::generate();
        for bad in [
            "tbe.nothex.abc".to_string(),
            format!("tbe.{}.", id.simple()),
            format!("tbe.{id}.abc"),
            format!("tbe.{}", id.simple()),
            format!("tbv.{}.a b", event.simple()),
            format!("tbv.{}.abc.def", event.simple()),
            "tbo.".into(),
            "tbo.a.b".into(),
            "tbx.abc".into(),
            "Bearer tbo.abc".into(),
            String::new(),
        ] {
            assert_eq!(claim_of(&bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_token_with_another_prefix_claims_another_role() {
        let event = EventId::generate();
        let viewer = new_viewer_token(event);
        let as_expert = viewer.replacen("tbv.", "tbe.", 1);
        assert!(matches!(claim_of(&as_expert), Some(Claim::Expert(_))));
        assert!(!token_matches(&as_expert, &hash_token(&viewer)));
    }

    #[test]
    fn tokens_are_unique() {
        assert_ne!(new_operator_token(), new_operator_token());
        let event = EventId::generate();
        assert_ne!(new_viewer_token(event), new_viewer_token(event));
    }
}
