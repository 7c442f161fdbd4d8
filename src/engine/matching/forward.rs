//! The forward path: one expert's enterprise-side fit read from its own skills and sectors (the
//! index's per-slot columns) against a per-query table of relation factors, instead of from posting
//! lists. The bounded scorer uses it for the few experts whose upper bound could still enter the top k.

use super::formula::{broader, level_factor, narrower, SIBLING};
use super::index::{ConceptTable, MatchIndex, ATTR_SECTOR, ATTR_SKILL};
use super::need::MatchNeed;
use std::sync::OnceLock;

/// No row for this concept: it meets no need tag.
const NONE: u32 = u32::MAX;
/// Rows are padded to a multiple of this many factors (zeros, of weight zero), so that the best
/// credits of a need with up to 8 or 16 tags are a fixed-size array the compiler keeps in registers.
const LANES: usize = 8;

/// Rows made room for at first: most needs relate fewer concepts, so the rows are not moved as they
/// grow.
const ROOM: usize = 64;
/// The level factor of every level code (0 and 6–7 as the nearest level), looked up per skill.
const LEVEL_FACTORS: [f32; 8] = level_factors();

const fn level_factors() -> [f32; 8] {
    let mut out = [0.0; 8];
    let mut l = 0;
    while l < 8 {
        out[l] = level_factor(l as u8);
        l += 1;
    }
    out
}

/// Per concept, the relation factor it earns on each need tag (0 when unrelated), for skills and for
/// sectors separately, and the must-have bits it satisfies (exact or narrower).
#[derive(Debug, Clone, Default)]
pub struct ForwardTable {
    /// Need tags: skills first, then sectors, as in `Prepared::entries`.
    entries: usize,
    /// Factors per row: `entries` rounded up to a multiple of `LANES`.
    width: usize,
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
    /// The concepts under a need tag still to visit, kept from tag to tag.
    stack: Vec<(u32, u8)>,
    /// Per row, its non-zero factors, built when an explanation first asks (`related`).
    related: OnceLock<Related>,
}

/// Every row's non-zero factors as (entry, factor): row `r`'s from `at[r]` to `at[r + 1]`.
#[derive(Debug, Clone, Default)]
struct Related {
    pairs: Vec<(u32, f32)>,
    at: Vec<u32>,
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
            self.factors.resize(self.factors.len() + self.width, 0.0);
        }
        *at as usize
    }

    fn set(&mut self, skill: bool, concept: u32, entry: usize, factor: f32, must: u64) {
        let r = self.row(skill, concept);
        let f = &mut self.factors[r * self.width + entry];
        *f = f.max(factor);
        self.must[r] |= must;
    }

    /// Every concept related to one need tag, with the factor of its relation: the same rules as
    /// `ConceptTable::relate` (exact, narrower at any depth, broader up to the limit, sibling).
    fn relate_all(&mut self, concepts: &ConceptTable, (skill, entry): (bool, usize), n: u32, must: u64) {
        self.set(skill, n, entry, 1.0, must);
        let mut stack = std::mem::take(&mut self.stack);
        stack.push((n, 0u8));
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
        self.stack = stack;
    }

    /// The table of `need` over the index's concepts; must-have bits are given in need-skill order.
    pub fn new(index: &MatchIndex, need: &MatchNeed) -> Self {
        let concepts = index.concepts();
        let entries = need.skills.len() + need.sectors.len();
        let width = entries.div_ceil(LANES).max(1) * LANES;
        let mut t = ForwardTable {
            entries,
            width,
            first_sector: need.skills.len(),
            weights: Vec::with_capacity(width),
            skill_rows: vec![NONE; concepts.len()],
            sector_rows: vec![NONE; concepts.len()],
            factors: Vec::with_capacity(ROOM * width),
            must: Vec::with_capacity(ROOM),
            stack: Vec::new(),
            related: OnceLock::new(),
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
                t.relate_all(concepts, (true, e), n, must);
            }
        }
        for (j, sector) in need.sectors.iter().enumerate() {
            t.weights.push(super::formula::SECTOR_WEIGHT);
            if let Some(n) = concepts.get(sector) {
                t.relate_all(concepts, (false, need.skills.len() + j), n, 0);
            }
        }
        // Padding factors are zero and so are their weights: they add exactly nothing.
        t.weights.resize(width, 0.0);
        t
    }

    /// Every row's non-zero factors, in entry order.
    fn sparse(&self) -> Related {
        let mut out = Related {
            pairs: Vec::new(),
            at: Vec::with_capacity(self.must.len() + 1),
        };
        for row in self.factors.chunks_exact(self.width) {
            out.at.push(out.pairs.len() as u32);
            let nonzero = row.iter().take(self.entries).enumerate().filter(|(_, f)| **f != 0.0);
            out.pairs.extend(nonzero.map(|(e, &f)| (e as u32, f)));
        }
        out.at.push(out.pairs.len() as u32);
        out
    }

    /// Row `r`'s factors, padding included.
    fn padded(&self, r: u32) -> &[f32] {
        let start = r as usize * self.width;
        self.factors.get(start..start + self.width).unwrap_or(&[])
    }

    /// The best relation factor a sector concept earns on any of the need's sectors (0 when none).
    pub fn best_sector_factor(&self, concept: u32) -> f32 {
        match self.sector_rows.get(concept as usize) {
            Some(&r) if r != NONE => self
                .padded(r)
                .get(self.first_sector..self.entries)
                .map_or(0.0, |row| row.iter().copied().fold(0.0, f32::max)),
            _ => 0.0,
        }
    }

    /// The need tags a held concept meets, as (entry, relation factor), in entry order; none when
    /// it meets none. Explanations walk these rather than a whole row of factors: a concept meets one
    /// or two of a need's tags. The lists are built the first time they are asked for, so that a
    /// query without explanations does not pay for them.
    pub fn related(&self, skill: bool, concept: u32) -> &[(u32, f32)] {
        let rows = if skill { &self.skill_rows } else { &self.sector_rows };
        let Some(&r) = rows.get(concept as usize).filter(|r| **r != NONE) else {
            return &[];
        };
        let related = self.related.get_or_init(|| self.sparse());
        let (Some(&from), Some(&to)) = (related.at.get(r as usize), related.at.get(r as usize + 1)) else {
            return &[];
        };
        related.pairs.get(from as usize..to as usize).unwrap_or(&[])
    }
}

impl MatchIndex {
    /// The weighted sum `Σ w·credit` of one slot (the enterprise fit times the total weight, summed in
    /// need order as the reference does) and the must-have bits it holds; `best` is scratch space
    /// for needs of more than 16 tags.
    pub(crate) fn forward_fit(&self, table: &ForwardTable, slot: u32, best: &mut Vec<f32>) -> (f32, u64) {
        match table.width {
            8 => self.fit_in::<8>(table, slot, &mut [0.0; 8]),
            16 => self.fit_in::<16>(table, slot, &mut [0.0; 16]),
            width => {
                best.clear();
                best.resize(width, 0.0);
                self.fit_in::<LANES>(table, slot, best)
            }
        }
    }

    /// `forward_fit` with the best credits in `best` (`table.width` of them), taken `W` at a time.
    #[inline(always)]
    fn fit_in<const W: usize>(&self, table: &ForwardTable, slot: u32, best: &mut [f32]) -> (f32, u64) {
        let mut must = 0u64;
        for (kind, v) in self.slots.attrs(slot) {
            let (row, factor) = match kind {
                ATTR_SKILL => {
                    let row = table.skill_rows.get((v >> 3) as usize).copied().unwrap_or(NONE);
                    (row, LEVEL_FACTORS[(v & 7) as usize])
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
            must |= table.must.get(row as usize).copied().unwrap_or(0);
            let factors = table.padded(row);
            for (b, f) in best.chunks_exact_mut(W).zip(factors.chunks_exact(W)) {
                let (Ok(b), Ok(f)) = (<&mut [f32; W]>::try_from(b), <&[f32; W]>::try_from(f)) else {
                    continue;
                };
                for j in 0..W {
                    // The same product as the reference's relation factor times level factor; the
                    // larger of two non-NaN floats, as `f32::max` gives, in one instruction.
                    let c = f[j] * factor;
                    b[j] = if c > b[j] { c } else { b[j] };
                }
            }
        }
        let mut sum = 0.0f32;
        for (w, b) in table.weights.iter().zip(best.iter()) {
            sum += w * b;
        }
        (sum, must)
    }
}
