//! Per-expert columns the scorer reads for gates, filters and the reverse fit, one row per slot.
//! A changed expert gets a new slot and its old one is marked dead, so writes never search postings.

use std::collections::HashMap;
use std::hash::Hash;

use crate::domain::ExpertId;

/// Tags of the `attrs` arena: what an entry holds.
pub const ATTR_LANGUAGE: u32 = 0;
/// An expert sector (concept number).
pub const ATTR_SECTOR: u32 = 1;
/// A sector the expert wants (concept number).
pub const ATTR_PREF_SECTOR: u32 = 2;

/// A skill: concept number shifted left by 3, level in the low 3 bits.
pub const ATTR_SKILL: u32 = 3;

/// Packs an attribute kind and value.
pub fn attr(kind: u32, value: u32) -> u32 {
    (kind << 30) | (value & 0x3fff_ffff)
}

/// Dense numbers for values seen in profiles (languages, countries, channels); 0 means none.
#[derive(Debug, Clone)]
pub struct Interner<T: Eq + Hash + Clone> {
    numbers: HashMap<T, u32>,
}

impl<T: Eq + Hash + Clone> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            numbers: HashMap::new(),
        }
    }
}

impl<T: Eq + Hash + Clone> Interner<T> {
    /// The number of `value`, assigning the next one (from 1) when new.
    pub fn intern(&mut self, value: &T) -> u32 {
        let next = self.numbers.len() as u32 + 1;
        *self.numbers.entry(value.clone()).or_insert(next)
    }

    /// The number of `value` if it was seen.
    pub fn get(&self, value: &T) -> Option<u32> {
        self.numbers.get(value).copied()
    }
}

/// One row per slot.
#[derive(Debug, Clone, Default)]
pub struct Slots {
    /// The expert of each slot.
    pub ids: Vec<ExpertId>,
    /// False once the slot is superseded or removed.
    pub live: Vec<bool>,
    /// Active, consented and with enough skills to be scored.
    pub eligible: Vec<bool>,
    /// Engagement modes as bits in `EngagementMode::ALL` order.
    pub modes: Vec<u8>,
    /// Hours per month available.
    pub hours: Vec<u16>,
    /// Wanted need types as bits in `NeedType::ALL` order.
    pub pref_types: Vec<u8>,
    /// Interned country.
    pub country: Vec<u32>,
    /// Interned channel, 0 for none.
    pub channel: Vec<u32>,
    /// Start of each slot's entries in `attrs`; one more entry than slots.
    pub attr_start: Vec<u32>,
    /// Languages, sectors and wanted sectors of every slot.
    pub attrs: Vec<u32>,
}

impl Slots {
    /// Number of slots, live or dead.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when there are no slots.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The attribute entries of a slot.
    pub fn attrs_of(&self, slot: u32) -> &[u32] {
        let s = slot as usize;
        &self.attrs[self.attr_start[s] as usize..self.attr_start[s + 1] as usize]
    }

    /// Values of one kind among a slot's attributes.
    pub fn values(&self, slot: u32, kind: u32) -> impl Iterator<Item = u32> + '_ {
        self.attrs_of(slot)
            .iter()
            .filter(move |a| *a >> 30 == kind)
            .map(|a| a & 0x3fff_ffff)
    }

    /// Heap bytes of the columns.
    pub fn bytes(&self) -> usize {
        self.ids.capacity() * 16
            + self.live.capacity()
            + self.eligible.capacity()
            + self.modes.capacity()
            + self.hours.capacity() * 2
            + self.pref_types.capacity()
            + self.country.capacity() * 4
            + self.channel.capacity() * 4
            + self.attr_start.capacity() * 4
            + self.attrs.capacity() * 4
    }
}
