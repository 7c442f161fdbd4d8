//! Encoding of stored values: one format-version byte, then JSON.

use serde::{de::DeserializeOwned, Serialize};

use crate::error::{Error, Result};

/// The version byte every stored value starts with.
pub const VALUE_FORMAT: u8 = 1;

/// Encodes a value for sled.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut out = vec![VALUE_FORMAT];
    serde_json::to_writer(&mut out, value).map_err(|e| Error::Internal(format!("encoding a record: {e}")))?;
    Ok(out)
}

/// Decodes a value read from sled, refusing other format versions and corrupt bytes.
pub fn decode<T: DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T> {
    match bytes.split_first() {
        Some((&VALUE_FORMAT, json)) => {
            serde_json::from_slice(json).map_err(|e| Error::Storage(format!("a stored {what} is corrupt: {e}")))
        }
        Some((v, _)) => Err(Error::Storage(format!(
            "a stored {what} has value format {v}, this build reads format {VALUE_FORMAT}"
        ))),
        None => Err(Error::Storage(format!("a stored {what} is empty"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_round_trips() {
        let bytes = encode(&vec![1, 2, 3]).unwrap();
        assert_eq!(decode::<Vec<i32>>("list", &bytes).unwrap(), vec![1, 2, 3]);
    }

    #[test]
    fn another_format_version_is_refused_not_misread() {
        let mut bytes = encode(&5).unwrap();
        bytes[0] = 9;
        let err = decode::<i32>("number", &bytes).unwrap_err().to_string();
        assert!(err.contains("format 9"), "{err}");
    }

    #[test]
    fn corrupt_bytes_give_an_error_not_a_panic() {
        assert!(decode::<i32>("number", &[VALUE_FORMAT, b'{']).is_err());
        assert!(decode::<i32>("number", &[]).is_err());
    }
}
