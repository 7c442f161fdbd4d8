//! The email index without emails: experts are found by HMAC-SHA256 of their normalised email
//! under a per-store secret, so the index (and the old copies sled keeps of it) holds no address.
//!
//! The secret is in the meta tree, not in the key file: a MAC is pseudonymous, not readable. Who
//! holds the store's files and guesses an address can check whether it was ever registered, but
//! cannot list the addresses. The secret is not exported; an import indexes under its own.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use super::storage;
use crate::error::{Error, Result};

/// The meta key of the secret, which exports leave out.
pub const META_KEY: &str = "email_index_secret";

/// The keyed hash that email index entries are stored under.
pub struct EmailMac(Hmac<Sha256>);

impl EmailMac {
    /// Loads the store's secret, or makes one for a store that holds no expert yet.
    pub fn load(meta: &sled::Tree, experts_stored: bool) -> Result<EmailMac> {
        if let Some(v) = meta.get(META_KEY).map_err(storage)? {
            return match <[u8; 32]>::try_from(v.as_ref()) {
                Ok(secret) => EmailMac::new(&secret),
                Err(_) => Err(Error::Storage("the email index secret is damaged".into())),
            };
        }
        if experts_stored {
            return Err(Error::Storage(
                "the store holds experts but no email index secret; it was not written by this build".into(),
            ));
        }
        let mut secret = [0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        meta.insert(META_KEY, &secret).map_err(storage)?;
        meta.flush().map_err(storage)?;
        EmailMac::new(&secret)
    }

    fn new(secret: &[u8; 32]) -> Result<EmailMac> {
        <Hmac<Sha256> as Mac>::new_from_slice(secret)
            .map(EmailMac)
            .map_err(|e| Error::Internal(format!("cannot key the email index: {e}")))
    }

    /// The index key of a normalised email.
    pub fn of(&self, email: &str) -> [u8; 32] {
        self.0
            .clone()
            .chain_update(email.as_bytes())
            .finalize()
            .into_bytes()
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> (tempfile::TempDir, sled::Tree) {
        let dir = tempfile::tempdir().unwrap();
        let db = sled::open(dir.path()).unwrap();
        let tree = db.open_tree("meta").unwrap();
        (dir, tree)
    }

    #[test]
    fn the_index_key_is_stable_per_store_and_differs_between_stores() {
        let (_a, meta_a) = meta();
        let (_b, meta_b) = meta();
        let a = EmailMac::load(&meta_a, false).unwrap();
        let again = EmailMac::load(&meta_a, true).unwrap();
        let b = EmailMac::load(&meta_b, false).unwrap();
        assert_eq!(a.of("x@example.org"), again.of("x@example.org"));
        assert_ne!(a.of("x@example.org"), a.of("y@example.org"));
        assert_ne!(a.of("x@example.org"), b.of("x@example.org"));
    }

    #[test]
    fn a_store_with_experts_but_no_secret_is_refused() {
        let (_dir, meta) = meta();
        assert!(EmailMac::load(&meta, true).is_err());
    }
}
