//! The in-memory scoring index, kept in step with the store: interned concepts, packed postings per
//! concept and facet, and per-expert columns. Updates append a slot and mark the old one dead;
//! compaction drops dead slots once they are a quarter of all.

mod above;
mod concepts;
mod entry;
mod kin;
mod lookup;
mod postings;
mod slots;

use std::collections::HashSet;

pub use above::{above_credits, RAISED_LITTLE};
pub use concepts::ConceptTable;
pub use entry::IndexEntry;
pub use kin::kin_bit;
pub use lookup::SlotLookup;
pub use postings::{
    deeper_credits, exact_credits, level, offset, Credits, Cursor, FacetPostings, PostingList, LEVEL_BITS, MAX_SLOT,
    SEGMENT,
};
pub use slots::{Interner, Row, Slots, ATTR_LANGUAGE, ATTR_PREF_SECTOR, ATTR_SECTOR, ATTR_SKILL, ELIGIBLE, LIVE};

use super::formula::level_factor;
use crate::domain::{ChannelId, CountryCode, EngagementMode, Expert, ExpertFacts, ExpertId, LanguageCode, NeedType};
use crate::engine::taxonomy::Taxonomy;
use entry::Holding;

/// Sizes of the index, for the bench and metrics.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct IndexStats {
    /// Live experts.
    pub experts: usize,
    /// Slots, live and dead.
    pub slots: usize,
    /// Postings of skills and sectors.
    pub postings: usize,
    /// Approximate heap bytes of everything the scorer reads.
    pub bytes: usize,
    /// Of which posting lists.
    pub postings_bytes: usize,
    /// Of which per-expert columns (gates, filters, reverse fit, skills for explanations).
    pub columns_bytes: usize,
    /// Of which the id-to-slot map used by writes.
    pub lookup_bytes: usize,
}

/// The scoring index.
#[derive(Debug, Clone, Default)]
pub struct MatchIndex {
    pub(crate) concepts: ConceptTable,
    pub(crate) skills: FacetPostings,
    pub(crate) sectors: FacetPostings,
    pub(crate) slots: Slots,
    pub(crate) by_id: SlotLookup,
    pub(crate) languages: Interner<LanguageCode>,
    pub(crate) countries: Interner<CountryCode>,
    pub(crate) channels: Interner<ChannelId>,
    dead: usize,
}

/// Bit of a mode in the `modes` column.
pub fn mode_bit(m: EngagementMode) -> u8 {
    1 << EngagementMode::ALL.iter().position(|x| *x == m).unwrap_or(0)
}

/// Bit of a need type in the `pref_types` column.
pub fn type_bit(t: NeedType) -> u8 {
    1 << NeedType::ALL.iter().position(|x| *x == t).unwrap_or(0)
}

fn post(postings: &mut FacetPostings, slot: u32, holdings: &[Holding]) {
    for &(n, exact, deeper) in holdings {
        let exact_value = exact.map_or(0.0, level_factor);
        if let Some(level) = exact {
            postings.exact[n as usize].push(slot, level);
        }
        if let Some((value, level, d)) = deeper {
            if value > exact_value {
                postings.deeper_mut(n, d).push(slot, level);
            }
        }
    }
}

impl MatchIndex {
    /// An empty index over `taxonomy`.
    pub fn new(taxonomy: &Taxonomy) -> Self {
        let mut index = MatchIndex::default();
        index.sync_taxonomy(taxonomy);
        index
    }

    /// Takes in concepts added to the taxonomy.
    pub fn sync_taxonomy(&mut self, taxonomy: &Taxonomy) {
        let moved = self.concepts.sync(taxonomy);
        self.skills.grow(self.concepts.len());
        self.sectors.grow(self.concepts.len());
        if !moved.is_empty() {
            // A concept under a new parent changes which parents are near the tags experts hold.
            for slot in 0..self.slots.len() as u32 {
                let kin = self.kin_from_attrs(slot);
                if let Some(row) = self.slots.rows.get_mut(slot as usize) {
                    row.kin = kin;
                }
            }
        }
        above::rebuild_moved(&mut self.skills, &self.concepts, moved);
    }

    /// The kin mask of a slot worked out afresh from its attributes and the current taxonomy.
    pub(crate) fn kin_from_attrs(&self, slot: u32) -> u64 {
        kin::kin_mask(&self.concepts, kin::held_concepts(self.slots.attrs(slot)))
    }

    /// The interned concepts.
    pub fn concepts(&self) -> &ConceptTable {
        &self.concepts
    }

    /// Adds or replaces an expert: a new slot; the old one, if any, is marked dead.
    pub fn upsert(&mut self, expert: &Expert) {
        let entry = IndexEntry::new(expert.id, &ExpertFacts::of(expert), &self.concepts);
        self.insert(&entry);
    }

    /// Adds or replaces an expert from an entry made with this index's concept table (or a copy of
    /// it taken since the last change of the taxonomy).
    pub fn insert(&mut self, entry: &IndexEntry) {
        self.remove(entry.id);
        if self.slots.len() as u32 > MAX_SLOT {
            self.compact();
        }
        let slot = self.slots.len() as u32;
        let languages: Vec<(u32, u32)> = entry
            .languages
            .iter()
            .map(|l| (ATTR_LANGUAGE, self.languages.intern(l)))
            .collect();
        let row = Row {
            channel: entry.channel.as_ref().map_or(0, |c| self.channels.intern(c)),
            country: u16::try_from(self.countries.intern(&entry.country)).unwrap_or(u16::MAX),
            hours: entry.hours,
            modes: entry.modes,
            flags: entry.pref_types | LIVE | if entry.eligible { ELIGIBLE } else { 0 },
            kin: entry.kin,
            ..Row::default()
        };
        self.slots
            .push(entry.id, row, languages.into_iter().chain(entry.attrs.iter().copied()));
        post(&mut self.skills, slot, &entry.skills);
        for &(x, d, code) in &entry.above {
            self.skills.above_mut(x, d).push_code(slot, code);
        }
        post(&mut self.sectors, slot, &entry.sectors);
        self.by_id.insert(&entry.id, slot, &self.slots.ids);
    }

    /// Removes an expert (its slot is marked dead); compacts when dead slots are a quarter of all.
    pub fn remove(&mut self, id: ExpertId) {
        if let Some(old) = self.by_id.remove(&id, &self.slots.ids) {
            self.slots.kill(old);
            self.dead += 1;
            if self.dead > 1024 && self.dead * 4 > self.slots.len() {
                self.compact();
            }
        }
    }

    /// Drops dead slots and renumbers the live ones, keeping their order.
    pub fn compact(&mut self) {
        let old = std::mem::take(&mut self.slots);
        let mut renumber = vec![u32::MAX; old.len()];
        let mut s = Slots::default();
        for (i, new) in renumber.iter_mut().enumerate() {
            let row = old.rows[i];
            if !row.live() {
                continue;
            }
            *new = s.ids.len() as u32;
            s.push_from(&old, i as u32);
        }
        for list in self.skills.lists_mut().chain(self.sectors.lists_mut()) {
            list.renumber(|s| renumber.get(s as usize).copied().filter(|new| *new != u32::MAX));
        }
        self.by_id.rebuild(&s.ids);
        self.slots = s;
        self.dead = 0;
    }

    /// Gives back the spare capacity of every list and column, after a bulk load.
    pub fn shrink_to_fit(&mut self) {
        for list in self.skills.lists_mut().chain(self.sectors.lists_mut()) {
            list.shrink_to_fit();
        }
        self.slots.shrink_to_fit();
        self.by_id.shrink_to_fit(&self.slots.ids);
    }

    /// Live experts.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// True when no expert is indexed.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The slot of an expert.
    pub fn slot_of(&self, id: ExpertId) -> Option<u32> {
        self.by_id.get(&id, &self.slots.ids)
    }

    /// The slots, for the scorer.
    pub fn slots(&self) -> &Slots {
        &self.slots
    }

    /// Sizes of the index.
    pub fn stats(&self) -> IndexStats {
        let postings_bytes = self.skills.bytes() + self.sectors.bytes();
        let columns_bytes = self.slots.bytes() + self.concepts.bytes();
        let lookup_bytes = self.by_id.bytes();
        IndexStats {
            experts: self.len(),
            slots: self.slots.len(),
            postings: self.skills.len() + self.sectors.len(),
            bytes: postings_bytes + columns_bytes + lookup_bytes,
            postings_bytes,
            columns_bytes,
            lookup_bytes,
        }
    }

    /// Experts whose slots are live, for checks.
    pub fn live_ids(&self) -> HashSet<ExpertId> {
        self.by_id.slots().map(|s| self.slots.ids[s as usize]).collect()
    }
}
