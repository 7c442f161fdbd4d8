//! Expert records at rest: value format 2, a random 96-bit nonce and the ChaCha20-Poly1305
//! ciphertext of the record's JSON under the expert's own key, with the expert's id as associated
//! data (a record moved under another id does not decrypt). Destroying the key (`keys.rs`) leaves
//! every copy sled still holds, current or old, unreadable.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use super::keys::RecordKey;
use crate::domain::ExpertId;
use crate::error::{Error, Result};

/// The version byte of a sealed value.
pub const SEALED_FORMAT: u8 = 2;
const NONCE: usize = 12;

/// Encrypts `value` as the record of `id` under `key`.
pub fn seal<T: Serialize>(key: &RecordKey, id: ExpertId, value: &T) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(value).map_err(|e| Error::Internal(format!("encoding a record: {e}")))?;
    let mut nonce = [0u8; NONCE];
    rand::rng().fill_bytes(&mut nonce);
    let sealed = ChaCha20Poly1305::new(Key::from_slice(key))
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &json,
                aad: id.as_bytes(),
            },
        )
        .map_err(|_| Error::Internal(format!("cannot encrypt the record of expert {id}")))?;
    let mut out = Vec::with_capacity(1 + NONCE + sealed.len());
    out.push(SEALED_FORMAT);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Decodes the plain record of `id` (as `decrypt` gives it), borrowing from it where `T` does.
pub fn decode<'a, T: Deserialize<'a>>(id: ExpertId, record: &'a [u8]) -> Result<T> {
    serde_json::from_slice(record)
        .map_err(|e| Error::Storage(format!("the stored record of expert {id} is corrupt: {e}")))
}

/// The plain record of `id` from its stored value; a wrong key, a damaged value or another format
/// is an error, never a panic.
pub fn decrypt(key: &RecordKey, id: ExpertId, bytes: &[u8]) -> Result<Vec<u8>> {
    let (nonce, sealed) = match bytes.split_first() {
        Some((&SEALED_FORMAT, rest)) if rest.len() >= NONCE => rest.split_at(NONCE),
        Some((&SEALED_FORMAT, _)) | None => {
            return Err(Error::Storage(format!("the stored record of expert {id} is truncated")))
        }
        Some((v, _)) => {
            return Err(Error::Storage(format!(
                "the stored record of expert {id} has value format {v}, this build reads format {SEALED_FORMAT}"
            )))
        }
    };
    ChaCha20Poly1305::new(Key::from_slice(key))
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: id.as_bytes(),
            },
        )
        .map_err(|_| {
            Error::Storage(format!(
                "the stored record of expert {id} does not decrypt with its key (damaged record or key file)"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open<T: serde::de::DeserializeOwned>(key: &RecordKey, id: ExpertId, bytes: &[u8]) -> Result<T> {
        decode(id, &decrypt(key, id, bytes)?)
    }

    const KEY: RecordKey = [7; 32];

    #[test]
    fn a_record_round_trips_and_its_text_is_not_in_the_stored_bytes() {
        let id = ExpertId::generate();
        let bytes = seal(&KEY, id, &"Zyxwvutsrq Qwertyuiop").unwrap();
        assert_eq!(bytes[0], SEALED_FORMAT);
        assert!(!bytes.windows(10).any(|w| w == b"Zyxwvutsrq"));
        assert_eq!(open::<String>(&KEY, id, &bytes).unwrap(), "Zyxwvutsrq Qwertyuiop");
    }

    #[test]
    fn two_seals_of_the_same_record_differ() {
        let id = ExpertId::generate();
        assert_ne!(seal(&KEY, id, &1).unwrap(), seal(&KEY, id, &1).unwrap());
    }

    #[test]
    fn another_key_another_id_or_a_flipped_bit_do_not_decrypt() {
        let id = ExpertId::generate();
        let bytes = seal(&KEY, id, &"x").unwrap();
        assert!(open::<String>(&[8; 32], id, &bytes).is_err());
        assert!(open::<String>(&KEY, ExpertId::generate(), &bytes).is_err());
        let mut flipped = bytes.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(open::<String>(&KEY, id, &flipped).is_err());
    }

    #[test]
    fn plaintext_values_and_short_values_are_errors_not_panics() {
        let id = ExpertId::generate();
        let err = open::<String>(&KEY, id, b"\x01{\"a\":1}").unwrap_err().to_string();
        assert!(err.contains("value format 1"), "{err}");
        assert!(open::<String>(&KEY, id, &[SEALED_FORMAT, 1, 2]).is_err());
        assert!(open::<String>(&KEY, id, &[]).is_err());
    }
}
