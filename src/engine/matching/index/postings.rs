//! Posting lists: per concept, the slots of experts that hold it, each packed with its credit code
//! in one `u32` (slot in the high 24 bits, code in the low 8), in slot order.

use super::super::formula::{level_factor, narrower};

/// The largest slot a posting can carry.
pub const MAX_SLOT: u32 = (1 << 24) - 1;

/// Packs a slot and a code.
pub fn pack(slot: u32, code: u8) -> u32 {
    (slot << 8) | u32::from(code)
}

/// The slot of a posting.
pub fn slot(posting: u32) -> u32 {
    posting >> 8
}

/// The code of a posting.
pub fn code(posting: u32) -> u8 {
    (posting & 0xff) as u8
}

/// Code of an exact holding: the level (1-5); sectors use 5.
pub fn exact_code(level: u8) -> u8 {
    level.clamp(1, 5)
}

/// Code of a narrower holding: level in the high nibble, distance (1-15) in the low one.
pub fn deeper_code(level: u8, distance: u8) -> u8 {
    (level.clamp(1, 5) << 4) | distance.clamp(1, 15)
}

/// The credit of each code, computed once with the same arithmetic as the reference scorer.
#[derive(Debug, Clone)]
pub struct CreditTable {
    /// Exact codes: the level factor.
    pub exact: [f32; 256],
    /// Narrower codes: narrower(distance) times the level factor.
    pub deeper: [f32; 256],
}

impl CreditTable {
    /// Fills both tables.
    pub fn new() -> Self {
        let mut exact = [0.0; 256];
        let mut deeper = [0.0; 256];
        for c in 0..=255u8 {
            let (level, d) = (c >> 4, c & 15);
            exact[c as usize] = if (1..=5).contains(&c) { level_factor(c) } else { 0.0 };
            deeper[c as usize] = if (1..=5).contains(&level) && d >= 1 {
                narrower(d) * level_factor(level)
            } else {
                0.0
            };
        }
        CreditTable { exact, deeper }
    }
}

impl Default for CreditTable {
    fn default() -> Self {
        Self::new()
    }
}

/// Exact and narrower holders of every concept, for one facet (skills or sectors).
#[derive(Debug, Clone, Default)]
pub struct FacetPostings {
    /// Experts holding the concept itself.
    pub exact: Vec<Vec<u32>>,
    /// Experts holding a narrower concept, when that beats what they hold exactly.
    pub deeper: Vec<Vec<u32>>,
}

impl FacetPostings {
    /// Every list, for compaction.
    pub fn lists_mut(&mut self) -> impl Iterator<Item = &mut Vec<u32>> {
        self.exact.iter_mut().chain(self.deeper.iter_mut())
    }

    /// Makes room for `n` concepts.
    pub fn grow(&mut self, n: usize) {
        if self.exact.len() < n {
            self.exact.resize_with(n, Vec::new);
            self.deeper.resize_with(n, Vec::new);
        }
    }

    /// Total postings.
    pub fn len(&self) -> usize {
        self.exact.iter().chain(&self.deeper).map(Vec::len).sum()
    }

    /// True when no posting is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Heap bytes of the postings.
    pub fn bytes(&self) -> usize {
        self.exact
            .iter()
            .chain(&self.deeper)
            .map(|v| v.capacity() * 4 + 24)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posting_round_trips() {
        let p = pack(MAX_SLOT, 0xab);
        assert_eq!(slot(p), MAX_SLOT);
        assert_eq!(code(p), 0xab);
    }

    #[test]
    fn codes_map_to_the_reference_credits() {
        let t = CreditTable::new();
        assert_eq!(t.exact[exact_code(5) as usize], 1.0);
        assert_eq!(t.deeper[deeper_code(4, 2) as usize], narrower(2) * level_factor(4));
    }
}
