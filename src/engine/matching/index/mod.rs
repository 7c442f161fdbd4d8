//! The in-memory scoring index, kept in step with the store: interned concepts, packed postings per
//! concept and facet, and per-expert columns. Updates append a slot and mark the old one dead;
//! compaction drops dead slots once they are a quarter of all.

mod concepts;
mod lookup;
mod postings;
mod slots;

use std::collections::HashSet;

pub use concepts::ConceptTable;
pub use lookup::SlotLookup;
pub use postings::{
    deeper_credits, exact_credits, level, offset, Credits, Cursor, FacetPostings, PostingList, MAX_SLOT, SEGMENT,
};
pub use slots::{Interner, Row, Slots, ATTR_LANGUAGE, ATTR_PREF_SECTOR, ATTR_SECTOR, ATTR_SKILL, ELIGIBLE, LIVE};

use super::formula::{level_factor, narrower, MIN_SKILLS};
use crate::domain::{ChannelId, CountryCode, EngagementMode, Expert, ExpertId, ExpertStatus, LanguageCode, NeedType};
use crate::engine::taxonomy::Taxonomy;

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

/// One concept held: its number, the exact level, and the best narrower (value, level, distance).
type Holding = (u32, Option<u8>, Option<(f32, u8, u8)>);

/// What a set of held (concept, level) gives each concept: sorted and merged, a short vector
/// rather than a hash map (an expert holds a few dozen concepts with their ancestors).
fn holdings(concepts: &ConceptTable, held: &[(u32, u8)]) -> Vec<Holding> {
    let mut raw: Vec<Holding> = Vec::with_capacity(held.len() * 4);
    for &(n, level) in held {
        raw.push((n, Some(level), None));
        for (a, d) in concepts.ancestors(n) {
            raw.push((a, None, Some((narrower(d) * level_factor(level), level, d))));
        }
    }
    // A stable sort: of equal narrower values, the first held wins, as it always has.
    raw.sort_by_key(|h| h.0);
    let mut out: Vec<Holding> = Vec::with_capacity(raw.len());
    for (n, exact, deeper) in raw {
        match out.last_mut() {
            Some(last) if last.0 == n => {
                last.1 = last.1.max(exact);
                if let Some(value) = deeper.map(|d| d.0) {
                    if last.2.is_none_or(|(v, _, _)| value > v) {
                        last.2 = deeper;
                    }
                }
            }
            _ => out.push((n, exact, deeper)),
        }
    }
    out
}

fn post(postings: &mut FacetPostings, slot: u32, holdings: Vec<Holding>) {
    for (n, exact, deeper) in holdings {
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
        self.concepts.sync(taxonomy);
        self.skills.grow(self.concepts.len());
        self.sectors.grow(self.concepts.len());
    }

    /// The interned concepts.
    pub fn concepts(&self) -> &ConceptTable {
        &self.concepts
    }

    /// Adds or replaces an expert: a new slot; the old one, if any, is marked dead.
    pub fn upsert(&mut self, expert: &Expert) {
        self.remove(expert.id);
        if self.slots.len() as u32 > MAX_SLOT {
            self.compact();
        }
        let slot = self.slots.len() as u32;
        let p = &expert.profile;
        let mut attrs = Vec::with_capacity(p.languages.len() + p.sectors.len() + p.skills.len());
        for l in &p.languages {
            attrs.push((ATTR_LANGUAGE, self.languages.intern(&l.code)));
        }
        let concepts = &self.concepts;
        let sectors: Vec<(u32, u8)> = p.sectors.iter().filter_map(|t| Some((concepts.get(t)?, 5))).collect();
        let skills: Vec<(u32, u8)> = p
            .skills
            .iter()
            .filter_map(|k| Some((concepts.get(&k.tag)?, k.level.get())))
            .collect();
        attrs.extend(sectors.iter().map(|&(n, _)| (ATTR_SECTOR, n)));
        attrs.extend(
            p.preferences
                .sectors
                .iter()
                .filter_map(|t| Some((ATTR_PREF_SECTOR, concepts.get(t)?))),
        );
        attrs.extend(
            skills
                .iter()
                .map(|&(n, level)| (ATTR_SKILL, (n << 3) | u32::from(level))),
        );
        let eligible =
            expert.status == ExpertStatus::Active && expert.consent.is_given() && p.skills.len() >= MIN_SKILLS;
        let pref_types = p.preferences.need_types.iter().fold(0, |m, x| m | type_bit(*x));
        let row = Row {
            channel: p.channel.as_ref().map_or(0, |c| self.channels.intern(c)),
            country: u16::try_from(self.countries.intern(&p.country)).unwrap_or(u16::MAX),
            hours: p.hours_per_month,
            modes: p.engagement_modes.iter().fold(0, |m, x| m | mode_bit(*x)),
            flags: pref_types | LIVE | if eligible { ELIGIBLE } else { 0 },
            ..Row::default()
        };
        self.slots.push(expert.id, row, attrs.into_iter());
        post(&mut self.skills, slot, holdings(&self.concepts, &skills));
        post(&mut self.sectors, slot, holdings(&self.concepts, &sectors));
        self.by_id.insert(&expert.id, slot, &self.slots.ids);
    }

    /// Removes an expert (its slot is marked dead); compacts when dead slots are a quarter of all.
    pub fn remove(&mut self, id: ExpertId) {
        if let Some(old) = self.by_id.remove(&id, &self.slots.ids) {
            self.slots.rows[old as usize].flags &= !LIVE;
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
