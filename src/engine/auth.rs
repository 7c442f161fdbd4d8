//! Tokens: generation, hashing, and telling an operator from an expert in constant time.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::domain::ExpertId;

/// Who is calling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    /// Staff of the base: everything.
    Operator,
    /// One expert: its own profile only.
    Expert(ExpertId),
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

/// The expert an expert token claims to belong to (not yet verified).
pub fn expert_of_token(token: &str) -> Option<ExpertId> {
    let rest = token.strip_prefix("tbe.")?;
    let (id, secret) = rest.split_once('.')?;
    if secret.is_empty() {
        return None;
    }
    ExpertId::parse(id).ok()
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
    fn an_expert_token_names_its_expert() {
        let id = ExpertId::generate();
        assert_eq!(expert_of_token(&new_expert_token(id)), Some(id));
    }

    #[test]
    fn malformed_expert_tokens_name_no_one() {
        assert_eq!(expert_of_token("tbe.nothex.abc"), None);
        assert_eq!(expert_of_token("tbo.abc"), None);
        assert_eq!(
            expert_of_token(&format!("tbe.{}.", ExpertId::generate().simple())),
            None
        );
    }

    #[test]
    fn tokens_are_unique() {
        assert_ne!(new_operator_token(), new_operator_token());
    }
}
