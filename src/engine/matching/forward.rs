//! The forward path: one expert's enterprise-side fit read from its own skills and sectors (the
//! index's per-slot columns) against a per-query table of relation factors, instead of from posting
//! lists. The bounded scorer uses it for the few experts whose upper bound could still enter the top k.

use super::formula::{broader, level_factor, narrower, SIBLING};
use super::index::{ConceptTable, MatchIndex, ATTR_SECTOR, ATTR_SKILL};
use super::need::MatchNeed;

/// No row for this concept: it meets no need tag.
const NONE: u32 = u32::MAX;

/// Per concept, the relation factor it earns on each need tag (0 when unrelated), for skills and for
/// sectors separately, and the must-have bits it satisfies (exact or narrower).
#[derive(Debug, Clone, Default)]
pub struct ForwardTable {
    /// Need tags: skills first, then sectors, as in `Prepared::entries`.
    entries: usize,
    /// The first sector's entry.
    first_sector: usize,
    /// Weight of each need tag.
    weights: Vec<f32>,
    /// Per concept, its row among the skill rows, or `NONE`.
    skill_rows: Vec<u32>,
    /// Per concept, its row among the sector rows, or `NONE`.
    sector_rows: Vec<u32>,
    /// Row-major factors, `entries` per row.
    factors: Vec<f32>,
    /// Must-have bits per row.
    must: Vec<u64>,
}

impl ForwardTable {
    fn row(&mut self, skill: bool, concept: u32) -> usize {
        let rows = if skill {
            &mut self.skill_rows
        } else {
            &mut self.sector_rows
        };
        let at = &mut rows[concept as usize];
        if *at == NONE {
            *at = self.must.len() as u32;
            self.must.push(0);
            self.factors.resize(self.factors.len() + self.entries, 0.0);
        }
        *at as usize
    }

    fn set(&mut self, skill: bool, concept: u32, entry: usize, factor: f32, must: u64) {
        let r = self.row(skill, concept);
        let f = &mut self.factors[r * self.entries + entry];
        *f = f.max(factor);
        self.must[r] |= must;
    }

    /// Every concept related to one need tag, with the factor of its relation: the same rules as
    /// `ConceptTable::relate` (exact, narrower at any depth, broader up to the limit, sibling).
    fn relate_all(&mut self, concepts: &ConceptTable, skill: bool, entry: usize, n: u32, must: u64) {
        self.set(skill, n, entry, 1.0, must);
        let mut stack = vec![(n, 0u8)];
        while let Some((at, d)) = stack.pop() {
            // A taxonomy is a tree; the depth bound only guards against a damaged one.
            if d >= 32 {
                continue;
            }
            for &c in concepts.children(at) {
                let d = d + 1;
                self.set(skill, c, entry, narrower(d), must);
                stack.push((c, d));
            }
        }
        for (a, d) in concepts.ancestors(n) {
            let f = broader(d);
            if f > 0.0 {
                self.set(skill, a, entry, f, 0);
            }
        }
        for s in concepts.siblings(n) {
            self.set(skill, s, entry, SIBLING, 0);
        }
    }

    /// The table of `need` over the index's concepts; must-have bits are given in need-skill order.
    pub fn new(index: &MatchIndex, need: &MatchNeed) -> Self {
        let concepts = index.concepts();
        let entries = need.skills.len() + need.sectors.len();
        let mut t = ForwardTable {
            entries,
            first_sector: need.skills.len(),
            weights: Vec::with_capacity(entries),
            skill_rows: vec![NONE; concepts.len()],
            sector_rows: vec![NONE; concepts.len()],
            factors: Vec::new(),
            must: Vec::new(),
        };
        let mut must_count = 0;
        for (e, s) in need.skills.iter().enumerate() {
            t.weights.push(super::formula::skill_weight(s.weight));
            let must = if s.must_have {
                let bit = 1u64 << (must_count % 64);
                must_count += 1;
                bit
            } else {
                0
            };
            if let Some(n) = concepts.get(&s.tag) {
                t.relate_all(concepts, true, e, n, must);
            }
        }
        for (j, sector) in need.sectors.iter().enumerate() {
            t.weights.push(super::formula::SECTOR_WEIGHT);
            if let Some(n) = concepts.get(sector) {
                t.relate_all(concepts, false, need.skills.len() + j, n, 0);
            }
        }
        t
    }

    /// The best relation factor a sector concept earns on any of the need's sectors (0 when none).
    pub fn best_sector_factor(&self, concept: u32) -> f32 {
        match self.sector_rows.get(concept as usize) {
            Some(&r) if r != NONE => {
                let row = &self.factors[r as usize * self.entries..(r as usize + 1) * self.entries];
                row[self.first_sector..].iter().copied().fold(0.0, f32::max)
            }
            _ => 0.0,
        }
    }

    /// The relation factors a held concept earns on every need tag (0 when unrelated), in entry
    /// order, or `None` when it meets none.
    pub fn factors(&self, skill: bool, concept: u32) -> Option<&[f32]> {
        let rows = if skill { &self.skill_rows } else { &self.sector_rows };
        match rows.get(concept as usize) {
            Some(&r) if r != NONE => self
                .factors
                .get(r as usize * self.entries..(r as usize + 1) * self.entries),
            _ => None,
        }
    }
}

impl MatchIndex {
    /// The weighted sum `Σ w·credit` of one slot (the enterprise fit times the total weight, summed in
    /// need order as the reference does) and the must-have bits it holds; `best` is scratch space.
    pub(crate) fn forward_fit(&self, table: &ForwardTable, slot: u32, best: &mut Vec<f32>) -> (f32, u64) {
        let n = table.entries;
        best.clear();
        best.resize(n, 0.0);
        let mut must = 0u64;
        for (kind, v) in self.slots.attrs(slot) {
            let (row, factor) = match kind {
                ATTR_SKILL => {
                    let row = table.skill_rows.get((v >> 3) as usize).copied().unwrap_or(NONE);
                    (row, level_factor((v & 7) as u8))
                }
                ATTR_SECTOR => {
                    let row = table.sector_rows.get(v as usize).copied().unwrap_or(NONE);
                    (row, 1.0)
                }
                _ => continue,
            };
            if row == NONE {
                continue;
            }
            let r = row as usize;
            must |= table.must[r];
            let factors = &table.factors[r * n..(r + 1) * n];
            for (b, f) in best.iter_mut().zip(factors) {
                // The same product as the reference's relation factor times level factor.
                *b = b.max(f * factor);
            }
        }
        let mut sum = 0.0f32;
        for (w, b) in table.weights.iter().zip(best.iter()) {
            sum += w * b;
        }
        (sum, must)
    }
}
