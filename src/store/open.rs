//! Opening the store: the data directory, its lock, its format version, and corruption.

use std::path::Path;

use super::{storage, Store};
use crate::error::{Error, Result};

/// The layout version of the store; a store of another version is refused at start.
pub const STORE_FORMAT: u32 = 1;
const FORMAT_KEY: &[u8] = b"store_format";

impl Store {
    /// Opens (or creates) the store under `dir`, refusing other format versions and corrupt files.
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Storage(format!("cannot create data directory {}: {e}", dir.display())))?;
        let config = sled::Config::new().path(dir);
        // sled panics on some damaged files; a damaged store must give a message, not a crash.
        let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| config.open()));
        let db = match opened {
            Ok(Ok(db)) => db,
            Ok(Err(sled::Error::Io(e)))
                if e.kind() == std::io::ErrorKind::WouldBlock || e.to_string().contains("lock") =>
            {
                return Err(Error::Storage(format!(
                    "data directory {} is in use by another talentbridge process (sled locks it): {e}",
                    dir.display()
                )))
            }
            Ok(Err(e)) => {
                return Err(Error::Storage(format!(
                    "cannot open the store in {}: {e} (the files may be corrupt; restore from an export)",
                    dir.display()
                )))
            }
            Err(_) => {
                return Err(Error::Storage(format!(
                    "the store in {} is corrupt and could not be opened; restore it from an export",
                    dir.display()
                )))
            }
        };
        let tree = |name: &str| db.open_tree(name).map_err(storage);
        let store = Store {
            meta: tree("meta")?,
            concepts: tree("concepts")?,
            channels: tree("channels")?,
            experts: tree("experts")?,
            expert_emails: tree("expert_emails")?,
            expert_tokens: tree("expert_tokens")?,
            needs: tree("needs")?,
            events: tree("events")?,
            intake: tree("intake")?,
            introductions: tree("introductions")?,
            audit: tree("audit")?,
            operator_tokens: tree("operator_tokens")?,
            viewer_tokens: tree("viewer_tokens")?,
            db,
        };
        store.check_format(dir)?;
        Ok(store)
    }

    fn check_format(&self, dir: &Path) -> Result<()> {
        match self.meta.get(FORMAT_KEY).map_err(storage)? {
            Some(bytes) => {
                let found = <[u8; 4]>::try_from(bytes.as_ref())
                    .map(u32::from_be_bytes)
                    .map_err(|_| {
                        Error::Storage(format!(
                            "the store in {} has an unreadable format marker",
                            dir.display()
                        ))
                    })?;
                if found != STORE_FORMAT {
                    return Err(Error::Storage(format!(
                        "the store in {} has format version {found}, this build reads version {STORE_FORMAT}; \
                         export it with the build that wrote it and import it here",
                        dir.display()
                    )));
                }
                Ok(())
            }
            None if self.is_empty() => {
                self.meta
                    .insert(FORMAT_KEY, &STORE_FORMAT.to_be_bytes())
                    .map_err(storage)?;
                self.flush()
            }
            None => Err(Error::Storage(format!(
                "the store in {} holds records but no format marker; it was not written by talentbridge",
                dir.display()
            ))),
        }
    }

    #[cfg(test)]
    pub(crate) fn set_format_for_test(&self, version: u32) {
        self.meta.insert(FORMAT_KEY, &version.to_be_bytes()).unwrap();
        self.flush().unwrap();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_store_is_created_with_the_current_format() {
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(dir.path()).unwrap());
        assert!(Store::open(dir.path()).is_ok());
    }

    #[test]
    fn a_store_of_another_format_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        Store::open(dir.path()).unwrap().set_format_for_test(STORE_FORMAT + 1);
        let err = Store::open(dir.path()).err().expect("open must fail").to_string();
        assert!(err.contains("format version 2"), "{err}");
    }

    #[test]
    fn garbage_files_give_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("conf"), b"\xff\xfe garbage").unwrap();
        std::fs::write(dir.path().join("db"), vec![0xAB; 4096]).unwrap();
        assert!(Store::open(dir.path()).is_err());
    }
}
