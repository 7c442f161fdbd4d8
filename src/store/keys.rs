//! The key file: one random 256-bit key per expert record, kept outside sled in fixed-size slots so
//! that erasing an expert destroys its key in place.
//!
//! sled is a log: a replaced or removed value stays readable in its files until the segment that
//! holds it is rewritten, so a key stored in sled would outlive the erasure it is meant to make
//! final. `keys.bin` is a plain file: a 48-byte header, then 48-byte slots of a 16-byte expert id
//! and its 32-byte key; an all-zero slot is free. A new key is written and fsynced before the sled
//! write that needs it; an erasure overwrites the slot with zeros and fsyncs; freed slots are
//! reused, lowest first, before the file grows. A key whose record is not in sled (a crash came
//! between the two writes, or between an erasure and its key's destruction) is an orphan; a full
//! pass over the experts that finds fewer records than keys destroys the orphans.
//!
//! Residual risk: overwriting in place is what the file system is asked to do, not what the medium
//! must do. An SSD's wear levelling, a copy-on-write file system (btrfs, ZFS), file-system
//! snapshots or backups of the data directory may keep the old block with the key. Full-disk
//! encryption with its own key management is the layer that covers those.

use std::collections::{BTreeSet, HashSet};

use hashbrown::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, RwLock};

use rand::RngCore;

use crate::domain::ExpertId;
use crate::error::{Error, Result};

/// The key of one expert record (ChaCha20-Poly1305).
pub type RecordKey = [u8; 32];

const SLOT: usize = 48;
const HEADER: [u8; SLOT] = {
    let mut h = [0u8; SLOT];
    let magic = b"talentbridge keys, format 1";
    let mut i = 0;
    while i < magic.len() {
        h[i] = magic[i];
        i += 1;
    }
    h
};

/// The open file and which of its slots are free; locked for every write.
struct Slots {
    file: File,
    /// Whole slots in the file, free or not.
    count: u64,
    free: BTreeSet<u64>,
    /// Keys made for writes that have not settled yet: their records may not be in sled yet, so
    /// they are never taken for orphans.
    pending: HashSet<ExpertId>,
}

/// The keys of every stored expert, loaded at open; writes go to the file before they are used.
pub struct KeyFile {
    path: PathBuf,
    keys: RwLock<HashMap<ExpertId, (u64, RecordKey)>>,
    slots: Mutex<Slots>,
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::Storage(format!("cannot {what} the key file {}: {e}", path.display()))
}

fn offset(slot: u64) -> u64 {
    (slot + 1) * SLOT as u64
}

impl KeyFile {
    /// Opens (or creates) the key file at `path` and loads every key.
    pub fn open(path: &Path) -> Result<KeyFile> {
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).map_err(|e| io_error(path, "open", e))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(|e| io_error(path, "read", e))?;
        if HEADER.starts_with(&bytes) && bytes.len() < SLOT {
            // New, or its header torn by a crash before any key was written.
            file.seek(SeekFrom::Start(0)).map_err(|e| io_error(path, "write", e))?;
            file.write_all(&HEADER).map_err(|e| io_error(path, "write", e))?;
            bytes = HEADER.to_vec();
            file.sync_all().map_err(|e| io_error(path, "sync", e))?;
            sync_parent(path)?;
        } else if bytes.get(..SLOT) != Some(HEADER.as_slice()) {
            return Err(Error::Storage(format!(
                "{} is not a talentbridge key file (or a newer format of one)",
                path.display()
            )));
        }
        let body = bytes.get(SLOT..).unwrap_or_default();
        let mut keys = HashMap::new();
        let mut free = BTreeSet::new();
        for (slot, raw) in (0u64..).zip(body.chunks_exact(SLOT)) {
            let (id, key) = raw.split_at(16);
            match ExpertId::from_slice(id).filter(|_| id.iter().any(|&b| b != 0)) {
                None => {
                    free.insert(slot);
                }
                Some(id) => {
                    let key = RecordKey::try_from(key).unwrap_or_default();
                    if keys.insert(id, (slot, key)).is_some() {
                        return Err(Error::Storage(format!(
                            "the key file {} holds two keys for expert {id}",
                            path.display()
                        )));
                    }
                }
            }
        }
        let count = (body.len() / SLOT) as u64;
        if body.len() % SLOT != 0 {
            // A slot torn by a crash was never used: its sled write waits for the fsync.
            file.set_len(offset(count)).map_err(|e| io_error(path, "truncate", e))?;
        }
        Ok(KeyFile {
            path: path.to_path_buf(),
            keys: RwLock::new(keys),
            slots: Mutex::new(Slots {
                file,
                count,
                free,
                pending: HashSet::new(),
            }),
        })
    }

    /// The key of an expert's record, if it has one.
    pub fn key(&self, id: ExpertId) -> Option<RecordKey> {
        self.read_keys().get(&id).map(|(_, key)| *key)
    }

    /// Number of keys held (pending ones included).
    pub fn count(&self) -> usize {
        self.read_keys().len()
    }

    /// Makes new keys for `ids`, written and fsynced before this returns; refused (and nothing
    /// written) when one of them already has a key. The keys are pending until `settle` (or
    /// `destroy`) is called for them, once their records are written or refused.
    pub fn create(&self, ids: &[ExpertId]) -> Result<Vec<RecordKey>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let keys = self.create_unsynced(ids)?;
        self.sync()?;
        Ok(keys)
    }

    /// Makes new keys without fsync, for an import that syncs once before it flushes sled.
    pub fn create_unsynced(&self, ids: &[ExpertId]) -> Result<Vec<RecordKey>> {
        let mut slots = self.lock_slots();
        {
            let held = self.read_keys();
            let mut seen = BTreeSet::new();
            if let Some(id) = ids.iter().find(|id| held.contains_key(*id) || !seen.insert(**id)) {
                return Err(Error::Conflict {
                    code: "id_taken",
                    detail: format!("expert {id} already exists"),
                    existing: Some(id.to_string()),
                });
            }
        }
        let mut made = Vec::with_capacity(ids.len());
        for &id in ids {
            let mut key = RecordKey::default();
            rand::rng().fill_bytes(&mut key);
            let slot = slots.free.pop_first().unwrap_or(slots.count);
            let mut raw = [0u8; SLOT];
            raw[..16].copy_from_slice(id.as_bytes());
            raw[16..].copy_from_slice(&key);
            if let Err(e) = write_slot(&mut slots.file, slot, &raw) {
                if slot < slots.count {
                    slots.free.insert(slot);
                }
                return Err(io_error(&self.path, "write", e));
            }
            slots.count = slots.count.max(slot + 1);
            slots.pending.insert(id);
            self.write_keys().insert(id, (slot, key));
            made.push(key);
        }
        Ok(made)
    }

    /// Marks the keys of `ids` as used by records written to sled (no longer pending).
    pub fn settle(&self, ids: &[ExpertId]) {
        let mut slots = self.lock_slots();
        ids.iter().for_each(|id| {
            slots.pending.remove(id);
        });
    }

    /// Destroys the keys of `ids` (those that have one): their slots are overwritten with zeros
    /// in place and fsynced, then reused.
    pub fn destroy(&self, ids: &[ExpertId]) -> Result<()> {
        let mut slots = self.lock_slots();
        let mut destroyed = 0;
        for id in ids {
            slots.pending.remove(id);
            let Some((slot, _)) = self.write_keys().remove(id) else {
                continue;
            };
            write_slot(&mut slots.file, slot, &[0u8; SLOT]).map_err(|e| io_error(&self.path, "overwrite", e))?;
            slots.free.insert(slot);
            destroyed += 1;
        }
        if destroyed == 0 {
            return Ok(());
        }
        slots.file.sync_data().map_err(|e| io_error(&self.path, "sync", e))
    }

    /// Destroys every settled key whose expert `keep` does not name (orphans); returns how many.
    /// `keep` is asked in id order, which is the order of sled's experts tree.
    pub fn retain(&self, keep: impl Fn(ExpertId) -> Result<bool>) -> Result<usize> {
        let mut ids: Vec<ExpertId> = {
            let slots = self.lock_slots();
            let held = self.read_keys();
            held.keys().filter(|id| !slots.pending.contains(id)).copied().collect()
        };
        ids.sort_unstable();
        let mut orphans = Vec::new();
        for id in ids {
            if !keep(id)? {
                orphans.push(id);
            }
        }
        if !orphans.is_empty() {
            self.destroy(&orphans)?;
        }
        Ok(orphans.len())
    }

    /// Makes every key written so far durable.
    pub fn sync(&self) -> Result<()> {
        self.lock_slots()
            .file
            .sync_data()
            .map_err(|e| io_error(&self.path, "sync", e))
    }

    fn read_keys(&self) -> std::sync::RwLockReadGuard<'_, HashMap<ExpertId, (u64, RecordKey)>> {
        self.keys.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write_keys(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<ExpertId, (u64, RecordKey)>> {
        self.keys.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn lock_slots(&self) -> MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn write_slot(file: &mut File, slot: u64, raw: &[u8; SLOT]) -> std::io::Result<()> {
    file.seek(SeekFrom::Start(offset(slot)))?;
    file.write_all(raw)
}

/// A new file's directory entry must be durable too, or a crash could lose the whole file.
fn sync_parent(path: &Path) -> Result<()> {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| io_error(path, "sync the directory of", e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<ExpertId> {
        (0..n).map(|_| ExpertId::generate()).collect()
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn each_expert_gets_its_own_key_and_the_keys_survive_a_reload() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.bin");
        let ids = ids(3);
        let made = KeyFile::open(&path).unwrap().create(&ids).unwrap();
        assert_ne!(made[0], made[1]);
        assert_ne!(made[0], RecordKey::default());
        let reloaded = KeyFile::open(&path).unwrap();
        assert_eq!(reloaded.count(), 3);
        for (id, key) in ids.iter().zip(&made) {
            assert_eq!(reloaded.key(*id), Some(*key));
        }
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 4 * SLOT as u64);
    }

    #[test]
    fn destroying_a_key_overwrites_its_slot_with_zeros_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.bin");
        let keys = KeyFile::open(&path).unwrap();
        let ids = ids(3);
        let made = keys.create(&ids).unwrap();
        keys.destroy(&ids[1..2]).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes.len(), 4 * SLOT, "the file keeps its size");
        assert!(bytes[2 * SLOT..3 * SLOT].iter().all(|&b| b == 0), "slot 1 is zeros");
        assert!(!contains(&bytes, &made[1]), "the destroyed key is nowhere in the file");
        assert!(!contains(&bytes, ids[1].as_bytes()), "nor its expert's id");
        assert!(contains(&bytes, &made[0]) && contains(&bytes, &made[2]));
        assert_eq!(keys.key(ids[1]), None);
        assert_eq!(KeyFile::open(&path).unwrap().key(ids[1]), None);
    }

    #[test]
    fn a_freed_slot_is_reused_before_the_file_grows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.bin");
        let keys = KeyFile::open(&path).unwrap();
        let first = ids(3);
        keys.create(&first).unwrap();
        keys.destroy(&[first[0], first[2]]).unwrap();
        let second = ids(2);
        let made = keys.create(&second).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 4 * SLOT as u64);
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[SLOT..SLOT + 16], second[0].as_bytes(), "lowest free slot first");
        assert_eq!(&bytes[3 * SLOT + 16..4 * SLOT], made[1].as_slice());
        let reloaded = KeyFile::open(&path).unwrap();
        assert_eq!(reloaded.count(), 3);
        reloaded.create(&ids(1)).unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().len(),
            5 * SLOT as u64,
            "then it grows"
        );
    }

    #[test]
    fn a_second_key_for_the_same_expert_is_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.bin");
        let keys = KeyFile::open(&path).unwrap();
        let id = ExpertId::generate();
        let made = keys.create(&[id]).unwrap();
        let err = keys.create(&[ExpertId::generate(), id]).unwrap_err();
        assert!(matches!(err, Error::Conflict { code: "id_taken", .. }), "{err}");
        assert!(
            keys.create(&[ExpertId::generate(); 2]).is_err(),
            "nor twice in one call"
        );
        assert_eq!(keys.key(id), Some(made[0]));
        assert_eq!(keys.count(), 1);
    }

    #[test]
    fn retain_destroys_the_settled_keys_of_records_that_are_gone() {
        let dir = tempfile::tempdir().unwrap();
        let keys = KeyFile::open(&dir.path().join("keys.bin")).unwrap();
        let ids = ids(5);
        keys.create(&ids).unwrap();
        keys.settle(&ids[..4]);
        let kept = [ids[0], ids[3]];
        assert_eq!(keys.retain(|id| Ok(kept.contains(&id))).unwrap(), 2);
        assert_eq!(keys.count(), 3);
        assert!(keys.key(ids[1]).is_none() && keys.key(ids[3]).is_some());
        assert!(keys.key(ids[4]).is_some(), "a pending key is never an orphan");
    }

    #[test]
    fn a_torn_last_slot_is_dropped_and_its_place_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.bin");
        let id = ExpertId::generate();
        KeyFile::open(&path).unwrap().create(&[id]).unwrap();
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(&[7u8; 20]).unwrap();
        drop(file);
        let keys = KeyFile::open(&path).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 2 * SLOT as u64);
        assert!(keys.key(id).is_some());
        keys.create(&[ExpertId::generate()]).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 3 * SLOT as u64);
    }

    #[test]
    fn a_header_torn_before_any_key_was_written_is_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.bin");
        std::fs::write(&path, &HEADER[..10]).unwrap();
        let keys = KeyFile::open(&path).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), HEADER.to_vec());
        keys.create(&ids(1)).unwrap();
        assert_eq!(KeyFile::open(&path).unwrap().count(), 1);
    }

    #[test]
    fn a_file_that_is_not_a_key_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.bin");
        std::fs::write(&path, b"not keys at all, just some bytes that are long enough").unwrap();
        let err = KeyFile::open(&path).err().expect("refused").to_string();
        assert!(err.contains("not a talentbridge key file"), "{err}");
    }
}
