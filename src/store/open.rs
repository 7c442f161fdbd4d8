//! Opening the store: the data directory, its lock, its format version, its key file, and
//! corruption.

use std::path::Path;

use super::email_index::EmailMac;
use super::keys::KeyFile;
use super::{storage, Store};
use crate::error::{Error, Result};

/// The layout version of the store; a store of another version is refused at start. Format 2
/// seals expert records under per-record keys (`keys.bin`) and keys the email index by HMAC.
pub const STORE_FORMAT: u32 = 2;
const FORMAT_KEY: &[u8] = b"store_format";
/// The key file's name in the data directory.
pub const KEY_FILE: &str = "keys.bin";
/// How often, and how long apart, a locked store is tried again before it is reported in use.
const LOCK_RETRIES: usize = 20;
const LOCK_RETRY_WAIT: std::time::Duration = std::time::Duration::from_millis(50);

impl Store {
    /// Opens (or creates) the store under `dir`, refusing other format versions and corrupt files.
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Storage(format!("cannot create data directory {}: {e}", dir.display())))?;
        let config = sled::Config::new().path(dir);
        let locked = |e: &std::io::Error| e.kind() == std::io::ErrorKind::WouldBlock || e.to_string().contains("lock");
        // sled panics on some damaged files; a damaged store must give a message, not a crash.
        let open = || std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| config.open()));
        let mut opened = open();
        // A store closed a moment ago (a restart, or a test reopening it) may keep its lock until
        // sled's background threads let go of it; another process holding it is reported after this.
        for _ in 0..LOCK_RETRIES {
            match &opened {
                Ok(Err(sled::Error::Io(e))) if locked(e) => {
                    std::thread::sleep(LOCK_RETRY_WAIT);
                    opened = open();
                }
                _ => break,
            }
        }
        let db = match opened {
            Ok(Ok(db)) => db,
            Ok(Err(sled::Error::Io(e))) if locked(&e) => {
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
        let (meta, experts) = (tree("meta")?, tree("experts")?);
        refuse_other_format(&meta, dir)?;
        let key_path = dir.join(KEY_FILE);
        if !key_path.exists() && !experts.is_empty() {
            return Err(Error::Storage(format!(
                "the store in {} holds experts but no key file {KEY_FILE}; restore it from the same \
                 backup as the other files, or import an export into an empty directory",
                dir.display()
            )));
        }
        let store = Store {
            email_mac: EmailMac::load(&meta, !experts.is_empty())?,
            keys: KeyFile::open(&key_path)?,
            erased: tree("erased")?,
            meta,
            concepts: tree("concepts")?,
            channels: tree("channels")?,
            experts,
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
            Some(_) => refuse_other_format(&self.meta, dir),
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
}

/// Refuses a store whose format marker names another version, before anything is written to it.
fn refuse_other_format(meta: &sled::Tree, dir: &Path) -> Result<()> {
    let Some(bytes) = meta.get(FORMAT_KEY).map_err(storage)? else {
        return Ok(());
    };
    let found = <[u8; 4]>::try_from(bytes.as_ref())
        .map(u32::from_be_bytes)
        .map_err(|_| {
            Error::Storage(format!(
                "the store in {} has an unreadable format marker",
                dir.display()
            ))
        })?;
    match found {
        STORE_FORMAT => Ok(()),
        1 => Err(Error::Storage(format!(
            "the store in {} has format version 1 (expert records in plaintext), this build reads version \
             {STORE_FORMAT}; export it with the previous talentbridge version (talentbridge export) and \
             import the export here (talentbridge import), which encrypts every expert record",
            dir.display()
        ))),
        _ => Err(Error::Storage(format!(
            "the store in {} has format version {found}, this build reads version {STORE_FORMAT}; \
             export it with the build that wrote it and import it here",
            dir.display()
        ))),
    }
}

impl Store {
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
        if let Err(e) = Store::open(dir.path()) {
            panic!("{e}");
        }
    }

    #[test]
    fn a_store_of_another_format_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        Store::open(dir.path()).unwrap().set_format_for_test(STORE_FORMAT + 1);
        let err = Store::open(dir.path()).err().expect("open must fail").to_string();
        assert!(err.contains(&format!("format version {}", STORE_FORMAT + 1)), "{err}");
    }

    #[test]
    fn a_format_1_store_is_refused_with_the_way_to_migrate_it() {
        let dir = tempfile::tempdir().unwrap();
        Store::open(dir.path()).unwrap().set_format_for_test(1);
        let err = Store::open(dir.path()).err().expect("open must fail").to_string();
        assert!(
            err.contains("format version 1") && err.contains("talentbridge export"),
            "{err}"
        );
        assert!(err.contains("talentbridge import"), "{err}");
    }

    #[test]
    fn a_store_with_experts_but_without_its_key_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store
            .experts
            .insert(crate::domain::ExpertId::generate().as_bytes(), b"x".as_slice())
            .unwrap();
        store.flush().unwrap();
        drop(store);
        std::fs::remove_file(dir.path().join(KEY_FILE)).unwrap();
        let err = Store::open(dir.path()).err().expect("open must fail").to_string();
        assert!(err.contains("no key file keys.bin"), "{err}");
    }

    #[test]
    fn garbage_files_give_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("conf"), b"\xff\xfe garbage").unwrap();
        std::fs::write(dir.path().join("db"), vec![0xAB; 4096]).unwrap();
        assert!(Store::open(dir.path()).is_err());
    }
}
