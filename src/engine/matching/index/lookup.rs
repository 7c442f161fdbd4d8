//! The id-to-slot lookup of the index: a hash table of bare slot numbers, whose ids are read from the
//! slots' id column, so that an entry costs a 4-byte slot and a control byte rather than a copy of
//! the 16-byte id beside it.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

use hashbrown::HashTable;

use crate::domain::ExpertId;

/// Slots by expert id.
#[derive(Debug, Clone, Default)]
pub struct SlotLookup {
    table: HashTable<u32>,
    hasher: RandomState,
}

impl SlotLookup {
    fn hash(&self, id: &ExpertId) -> u64 {
        self.hasher.hash_one(id)
    }

    /// The slot of `id`; `ids` is the slots' id column.
    pub fn get(&self, id: &ExpertId, ids: &[ExpertId]) -> Option<u32> {
        let same = |s: &u32| ids.get(*s as usize) == Some(id);
        self.table.find(self.hash(id), same).copied()
    }

    /// Records that `id` (already in `ids` at `slot`) lives at `slot`, replacing an older entry.
    pub fn insert(&mut self, id: &ExpertId, slot: u32, ids: &[ExpertId]) {
        let hash = self.hash(id);
        let hasher = &self.hasher;
        let rehash = |s: &u32| ids.get(*s as usize).map_or(0, |x| hasher.hash_one(x));
        match self.table.entry(hash, |s| ids.get(*s as usize) == Some(id), rehash) {
            hashbrown::hash_table::Entry::Occupied(mut e) => *e.get_mut() = slot,
            hashbrown::hash_table::Entry::Vacant(e) => {
                e.insert(slot);
            }
        }
    }

    /// Forgets `id`, giving back its slot.
    pub fn remove(&mut self, id: &ExpertId, ids: &[ExpertId]) -> Option<u32> {
        let same = |s: &u32| ids.get(*s as usize) == Some(id);
        self.table.find_entry(self.hash(id), same).ok().map(|e| e.remove().0)
    }

    /// A lookup of every slot of `ids` (all current).
    pub fn rebuild(&mut self, ids: &[ExpertId]) {
        self.table.clear();
        for (slot, id) in ids.iter().enumerate() {
            self.insert(id, slot as u32, ids);
        }
    }

    /// Entries.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// The slots held.
    pub fn slots(&self) -> impl Iterator<Item = u32> + '_ {
        self.table.iter().copied()
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self, ids: &[ExpertId]) {
        let hasher = &self.hasher;
        self.table
            .shrink_to_fit(|s| ids.get(*s as usize).map_or(0, |x| hasher.hash_one(x)));
    }

    /// Approximate heap bytes: a slot and a control byte per bucket.
    pub fn bytes(&self) -> usize {
        self.table.capacity() * 5
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_moves_and_forgets_ids_by_their_column() {
        let mut ids: Vec<ExpertId> = (0..1000).map(|_| ExpertId::generate()).collect();
        let mut l = SlotLookup::default();
        l.rebuild(&ids);
        assert_eq!(l.len(), 1000);
        assert_eq!(l.get(&ids[10], &ids), Some(10));
        // The expert of slot 10 moves to a new slot at the end.
        ids.push(ids[10]);
        l.insert(&ids[10], 1000, &ids);
        assert_eq!(l.get(&ids[10], &ids), Some(1000));
        assert_eq!(l.len(), 1000);
        assert_eq!(l.remove(&ids[3], &ids), Some(3));
        assert_eq!(l.get(&ids[3], &ids), None);
        assert_eq!(l.get(&ExpertId::generate(), &ids), None);
        l.shrink_to_fit(&ids);
        assert_eq!(l.get(&ids[999], &ids), Some(999));
    }
}
