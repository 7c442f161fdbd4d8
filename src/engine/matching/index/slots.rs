//! Per-expert columns the scorer reads for gates, filters and the reverse fit, one row per slot.
//! A changed expert gets a new slot and its old one is marked dead, so writes never search postings.
//! A slot's languages, sectors, wanted sectors and skills are attributes in one arena of `u16`s:
//! one `u16` each when the value is small (a taxonomy under 1,024 concepts), two otherwise.

use hashbrown::HashMap;
use std::hash::Hash;

use crate::domain::{EngagementMode, ExpertId, NeedType};

/// Kinds of attribute: a spoken language (interned number).
pub const ATTR_LANGUAGE: u32 = 0;
/// An expert sector (concept number).
pub const ATTR_SECTOR: u32 = 1;
/// A sector the expert wants (concept number).
pub const ATTR_PREF_SECTOR: u32 = 2;
/// A skill: concept number shifted left by 3, level in the low 3 bits.
pub const ATTR_SKILL: u32 = 3;

/// The first `u16` of an attribute: the long flag (bit 15), the kind (bits 13-14) and the value
/// (bits 0-12), or for a long one the value's high bits, the next `u16` holding its low 16 bits.
const LONG: u16 = 1 << 15;
const SHORT_BITS: u32 = 13;
/// The largest value an attribute carries.
pub const MAX_ATTR_VALUE: u32 = (1 << (SHORT_BITS + 16)) - 1;

/// Appends an attribute to an arena.
fn push_attr(attrs: &mut Vec<u16>, kind: u32, value: u32) {
    let head = ((kind & 3) << SHORT_BITS) as u16;
    let value = value.min(MAX_ATTR_VALUE);
    if value < 1 << SHORT_BITS {
        attrs.push(head | value as u16);
    } else {
        attrs.push(LONG | head | (value >> 16) as u16);
        attrs.push(value as u16);
    }
}

/// The attributes of one slot as (kind, value), decoded from the arena.
#[derive(Debug, Clone)]
pub struct Attrs<'a> {
    rest: &'a [u16],
}

impl Iterator for Attrs<'_> {
    type Item = (u32, u32);

    #[inline]
    fn next(&mut self) -> Option<(u32, u32)> {
        let (&head, rest) = self.rest.split_first()?;
        let kind = u32::from(head >> SHORT_BITS) & 3;
        let high = u32::from(head) & ((1 << SHORT_BITS) - 1);
        if head & LONG == 0 {
            self.rest = rest;
            return Some((kind, high));
        }
        let (&low, rest) = rest.split_first()?;
        self.rest = rest;
        Some((kind, high << 16 | u32::from(low)))
    }
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

/// The columns of one slot the scorer reads for bounds, gates, filters and the reverse fit, packed
/// into 24 bytes so that a candidate costs one or two cache misses rather than one per column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Row {
    /// The parent concepts near the slot's skills and sectors (`kin`).
    pub kin: u64,
    /// Start of the slot's entries in `attrs`.
    pub attr_start: u32,
    /// Interned channel, 0 for none.
    pub channel: u32,
    /// Interned country (two letters: fewer than 700 exist).
    pub country: u16,
    /// Hours per month available.
    pub hours: u16,
    /// Number of the slot's `u16`s in `attrs`.
    pub attr_len: u16,
    /// Engagement modes as bits in `EngagementMode::ALL` order.
    pub modes: u8,
    /// Wanted need types as bits in `NeedType::ALL` order (low six bits), `LIVE` and `ELIGIBLE`.
    pub flags: u8,
}

const _: () = assert!(std::mem::size_of::<Row>() == 24);

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
    /// Per engagement mode, one bit per slot (32 a word) that may be scored and offers the mode:
    /// the bounded pass takes the slots a need's modes leave open 32 at a time.
    open: [Vec<u32>; EngagementMode::ALL.len()],
    /// Languages, sectors, wanted sectors and skills of every slot.
    attrs: Vec<u16>,
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

    /// The encoded attributes of a slot.
    fn raw_attrs(&self, slot: u32) -> &[u16] {
        let Some(r) = self.rows.get(slot as usize) else {
            return &[];
        };
        let start = r.attr_start as usize;
        self.attrs.get(start..start + usize::from(r.attr_len)).unwrap_or(&[])
    }

    /// The attributes of a slot as (kind, value).
    pub fn attrs(&self, slot: u32) -> Attrs<'_> {
        Attrs {
            rest: self.raw_attrs(slot),
        }
    }

    /// Appends a slot with `row` (whose `attr_start` and `attr_len` are set here) and its
    /// attributes as (kind, value).
    pub fn push(&mut self, id: ExpertId, row: Row, attrs: impl Iterator<Item = (u32, u32)>) {
        let start = self.attrs.len();
        for (kind, value) in attrs {
            push_attr(&mut self.attrs, kind, value);
        }
        self.push_raw(id, row, start);
    }

    fn push_raw(&mut self, id: ExpertId, row: Row, start: usize) {
        let len = self.attrs.len() - start;
        let attr_len = u16::try_from(len).unwrap_or(u16::MAX);
        // An attribute list longer than a row can say is cut (profiles are limited far below).
        self.attrs.truncate(start + usize::from(attr_len));
        let slot = self.ids.len();
        self.ids.push(id);
        for (m, open) in self.open.iter_mut().enumerate() {
            if open.len() <= slot / 32 {
                open.push(0);
            }
            if let Some(word) = open.get_mut(slot / 32) {
                *word |= u32::from(row.scorable() && row.modes & (1 << m) != 0) << (slot % 32);
            }
        }
        self.rows.push(Row {
            attr_start: start as u32,
            attr_len,
            ..row
        });
    }

    /// Marks a slot dead (superseded or removed).
    pub fn kill(&mut self, slot: u32) {
        if let Some(row) = self.rows.get_mut(slot as usize) {
            row.flags &= !LIVE;
        }
        for open in self.open.iter_mut() {
            if let Some(word) = open.get_mut(slot as usize / 32) {
                *word &= !(1 << (slot % 32));
            }
        }
    }

    /// One bit per slot of the 32 from `first`: set when the slot may be scored and offers one of
    /// `modes` (the bits of `Row::modes`), as `gating::row_passes` says from the row.
    #[inline]
    pub fn open_bits(&self, modes: u8, first: usize) -> u32 {
        let (word, shift) = (first / 32, first % 32);
        let low = self.open_word(modes, word) >> shift;
        if shift == 0 {
            low
        } else {
            low | self.open_word(modes, word + 1) << (32 - shift)
        }
    }

    /// `open_bits` of the slots from `first` on, 32 to an element of `out`: one pass over each of
    /// `modes`' words when `first` is a multiple of 32 (every scoring block's first slot is).
    pub fn open_block(&self, modes: u8, first: usize, out: &mut [u32]) {
        if !first.is_multiple_of(32) {
            for (c, o) in out.iter_mut().enumerate() {
                *o = self.open_bits(modes, first + 32 * c);
            }
            return;
        }
        out.fill(0);
        let mut left = modes;
        while left != 0 {
            let m = left.trailing_zeros() as usize;
            left &= left - 1;
            let words = self.open.get(m).and_then(|o| o.get(first / 32..)).unwrap_or(&[]);
            for (o, w) in out.iter_mut().zip(words) {
                *o |= w;
            }
        }
    }

    /// `open_bits` of the 32 slots from `32·word`.
    #[inline]
    fn open_word(&self, modes: u8, word: usize) -> u32 {
        let mut out = 0;
        let mut left = modes;
        while left != 0 {
            let m = left.trailing_zeros() as usize;
            left &= left - 1;
            out |= self.open.get(m).and_then(|o| o.get(word)).copied().unwrap_or(0);
        }
        out
    }

    /// Appends a slot of another column set as it is, for compaction.
    pub fn push_from(&mut self, other: &Slots, slot: u32) {
        let (Some(&id), Some(&row)) = (other.ids.get(slot as usize), other.rows.get(slot as usize)) else {
            return;
        };
        let start = self.attrs.len();
        self.attrs.extend_from_slice(other.raw_attrs(slot));
        self.push_raw(id, row, start);
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.ids.shrink_to_fit();
        self.rows.shrink_to_fit();
        self.open.iter_mut().for_each(Vec::shrink_to_fit);
        self.attrs.shrink_to_fit();
    }

    /// Reads the rows of many slots in one tight loop, so that their cache misses overlap before
    /// the slots are looked at one by one.
    pub fn touch_rows(&self, slots: impl Iterator<Item = u32>) {
        let mut sum = 0u32;
        for s in slots {
            // The first and last field: a row that straddles two cache lines reads both.
            sum ^= self
                .rows
                .get(s as usize)
                .map_or(0, |r| r.kin as u32 ^ u32::from(r.flags));
        }
        std::hint::black_box(sum);
    }

    /// The same for the attributes and ids of many slots.
    pub fn touch_attrs(&self, slots: impl Iterator<Item = u32>) {
        let mut sum = 0u32;
        for s in slots {
            let attrs = self.raw_attrs(s);
            sum ^= u32::from(attrs.first().copied().unwrap_or(0) ^ attrs.last().copied().unwrap_or(0));
            sum ^= self.ids.get(s as usize).map_or(0, |id| u32::from(id.as_bytes()[0]));
        }
        std::hint::black_box(sum);
    }

    /// Values of one kind among a slot's attributes.
    pub fn values(&self, slot: u32, kind: u32) -> impl Iterator<Item = u32> + '_ {
        self.attrs(slot).filter(move |a| a.0 == kind).map(|a| a.1)
    }

    /// Heap bytes of the columns.
    pub fn bytes(&self) -> usize {
        self.ids.capacity() * 16
            + self.rows.capacity() * std::mem::size_of::<Row>()
            + self.open.iter().map(|o| o.capacity() * 4).sum::<usize>()
            + self.attrs.capacity() * 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_round_trip_short_and_long() {
        let mut slots = Slots::default();
        let attrs = [
            (ATTR_LANGUAGE, 3),
            (ATTR_SKILL, (1023 << 3) | 5),
            (ATTR_SKILL, (1024 << 3) | 2),
            (ATTR_SECTOR, 0),
            (ATTR_PREF_SECTOR, MAX_ATTR_VALUE),
        ];
        slots.push(ExpertId::generate(), Row::default(), attrs.iter().copied());
        slots.push(ExpertId::generate(), Row::default(), [(ATTR_SECTOR, 9)].into_iter());
        assert_eq!(slots.attrs(0).collect::<Vec<_>>(), attrs);
        assert_eq!(slots.values(1, ATTR_SECTOR).collect::<Vec<_>>(), vec![9]);
        // Short values take one u16, long ones two.
        assert_eq!(slots.rows[0].attr_len, 7);
        let mut copy = Slots::default();
        copy.push_from(&slots, 1);
        copy.push_from(&slots, 0);
        assert_eq!(copy.attrs(1).collect::<Vec<_>>(), attrs);
        assert_eq!(copy.ids[0], slots.ids[1]);
    }

    #[test]
    fn open_words_say_which_slots_may_be_scored_for_which_modes() {
        let mut slots = Slots::default();
        for i in 0..100u32 {
            let flags = match i % 4 {
                0 => LIVE,
                1 => ELIGIBLE,
                _ => LIVE | ELIGIBLE,
            };
            let row = Row {
                modes: (i * 7 % 64) as u8,
                flags,
                ..Row::default()
            };
            slots.push(ExpertId::generate(), row, std::iter::empty());
        }
        slots.kill(6);
        slots.kill(99);
        let mut copy = Slots::default();
        (0..100).for_each(|s| copy.push_from(&slots, s));
        for s in [&slots, &copy] {
            for modes in 0..64u8 {
                for (i, row) in s.rows.iter().enumerate() {
                    let want = row.scorable() && row.modes & modes != 0;
                    assert_eq!(s.open_bits(modes, i) & 1 == 1, want, "slot {i} modes {modes}");
                    // The same bit seen from a window that starts earlier, aligned or not.
                    let from = i.saturating_sub(i * 13 % 32);
                    assert_eq!(
                        s.open_bits(modes, from) >> (i - from) & 1 == 1,
                        want,
                        "slot {i} from {from}"
                    );
                }
            }
        }
        assert!(!slots.rows[6].scorable() && slots.open_bits(u8::MAX >> 2, 0) & 1 << 6 == 0);
    }

    #[test]
    fn a_blocks_open_words_equal_the_words_looked_up_one_by_one() {
        let mut slots = Slots::default();
        for i in 0..150u32 {
            let row = Row {
                modes: (i * 11 % 64) as u8,
                flags: if i % 5 == 0 { LIVE } else { LIVE | ELIGIBLE },
                ..Row::default()
            };
            slots.push(ExpertId::generate(), row, std::iter::empty());
        }
        slots.kill(40);
        for modes in 0..64u8 {
            // Aligned windows (every scoring block's), unaligned ones, and windows past the last slot.
            for first in [0, 32, 64, 128, 160, 7, 45, 149] {
                let mut out = [u32::MAX; 4];
                slots.open_block(modes, first, &mut out);
                for (c, word) in out.iter().enumerate() {
                    assert_eq!(
                        *word,
                        slots.open_bits(modes, first + 32 * c),
                        "modes {modes} from {first}"
                    );
                }
            }
        }
    }
}
