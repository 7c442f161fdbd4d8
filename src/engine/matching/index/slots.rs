//! Per-expert columns the scorer reads for gates, filters and the reverse fit, one row per slot.
//! A changed expert gets a new slot and its old one is marked dead, so writes never search postings.

use std::collections::HashMap;
use std::hash::Hash;

use crate::domain::{ExpertId, NeedType};

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

/// The columns of one slot the scorer reads for gates, filters and the reverse fit, packed into 16
/// bytes so that a candidate costs one cache miss rather than one per column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Row {
    /// Start of the slot's entries in `attrs`.
    pub attr_start: u32,
    /// Interned channel, 0 for none.
    pub channel: u32,
    /// Interned country (two letters: fewer than 700 exist).
    pub country: u16,
    /// Hours per month available.
    pub hours: u16,
    /// Number of the slot's entries in `attrs`.
    pub attr_len: u16,
    /// Engagement modes as bits in `EngagementMode::ALL` order.
    pub modes: u8,
    /// Wanted need types as bits in `NeedType::ALL` order (low six bits), `LIVE` and `ELIGIBLE`.
    pub flags: u8,
}

/// The slot is current (not superseded or removed).
pub const LIVE: u8 = 1 << 6;
/// Active, consented and with enough skills to be scored.
pub const ELIGIBLE: u8 = 1 << 7;
// The wanted need types share the flags byte.
const _: () = assert!(NeedType::ALL.len() <= 6);

impl Row {
    /// True when the slot is current.
    pub fn live(&self) -> bool {
        self.flags & LIVE != 0
    }

    /// True when the slot is current and may be scored.
    pub fn scorable(&self) -> bool {
        self.flags & (LIVE | ELIGIBLE) == LIVE | ELIGIBLE
    }

    /// Wanted need types as bits.
    pub fn pref_types(&self) -> u8 {
        self.flags & !(LIVE | ELIGIBLE)
    }
}

/// One row per slot.
#[derive(Debug, Clone, Default)]
pub struct Slots {
    /// The expert of each slot.
    pub ids: Vec<ExpertId>,
    /// The packed columns of each slot.
    pub rows: Vec<Row>,
    /// Languages, sectors, wanted sectors and skills of every slot.
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
        let r = self.rows[slot as usize];
        let start = r.attr_start as usize;
        &self.attrs[start..start + usize::from(r.attr_len)]
    }

    /// Reads the rows of many slots in one tight loop, so that their cache misses overlap before
    /// the slots are looked at one by one.
    pub fn touch_rows(&self, slots: impl Iterator<Item = u32>) {
        let mut sum = 0u32;
        for s in slots {
            sum ^= self.rows.get(s as usize).map_or(0, |r| r.attr_start);
        }
        std::hint::black_box(sum);
    }

    /// The same for the attributes and ids of many slots.
    pub fn touch_attrs(&self, slots: impl Iterator<Item = u32>) {
        let mut sum = 0u32;
        for s in slots {
            let attrs = self.attrs_of(s);
            sum ^= attrs.first().copied().unwrap_or(0) ^ attrs.last().copied().unwrap_or(0);
            sum ^= self.ids.get(s as usize).map_or(0, |id| u32::from(id.as_bytes()[0]));
        }
        std::hint::black_box(sum);
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
        self.ids.capacity() * 16 + self.rows.capacity() * std::mem::size_of::<Row>() + self.attrs.capacity() * 4
    }
}
