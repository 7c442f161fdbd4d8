//! The vectorized scorer, cache-blocked: posting lists are sorted by slot, so the experts are walked
//! in blocks of `BLOCK` slots with a cursor per list, and each block's accumulators stay in cache.
//! Per block: a pre-pass sets must-have bits (experts missing one are skipped after), an optional
//! pass marks experts with exact or narrower credit (the others are skipped in broader and sibling
//! lists once no such expert could reach the top k), then every need tag's postings are folded, best
//! credit per expert, into the block's scores in need order (so sums equal the reference's), and the
//! touched experts are gated, reverse-fitted and offered to the bounded top k.

use ndarray::Array1;

use super::formula::combine;
use super::index::{code, slot, MatchIndex};
use super::prepare::{List, Prepared};
use super::topk::{Ranked, TopK};

/// Slots per block: the block's accumulators (4 + 4 + 8 bytes per slot) stay in L2.
#[cfg(not(test))]
pub const BLOCK: usize = 1 << 13;
/// Tests use tiny blocks so that small pools span many blocks and the pruning happens.
#[cfg(test)]
pub const BLOCK: usize = 16;

/// Below this many slots one thread scores a need: splitting costs more than it saves.
#[cfg(not(test))]
pub const PARALLEL_MIN_SLOTS: usize = 200_000;
/// Tests split small pools too, so the split is held equal to the reference.
#[cfg(test)]
pub const PARALLEL_MIN_SLOTS: usize = 32;

/// Reusable buffers of one scoring thread, one block long; left clean after every query.
#[derive(Debug)]
pub struct Scratch {
    score: Array1<f32>,
    best: Array1<f32>,
    must: Vec<u64>,
    seen: Vec<u64>,
    touched: Vec<u16>,
    touched_tag: Vec<u16>,
    touched_must: Vec<u16>,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch {
            score: Array1::zeros(BLOCK),
            best: Array1::zeros(BLOCK),
            must: vec![0; BLOCK],
            seen: vec![0; BLOCK.div_ceil(64)],
            touched: vec![0; BLOCK + 1],
            touched_tag: vec![0; BLOCK + 1],
            touched_must: vec![0; BLOCK + 1],
        }
    }
}

/// What one query touched, for the bench.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Work {
    /// Postings read.
    pub postings: usize,
    /// Experts touched.
    pub candidates: usize,
    /// Experts whose reverse fit was computed.
    pub reversed: usize,
}

impl Work {
    /// Bytes read: 4 per posting, then per touched expert 4 (score) + 4 (best) + 8 (must).
    pub fn bytes(&self) -> usize {
        self.postings * 12 + self.candidates * 16
    }
}

/// One posting list of one need tag, ready to walk.
struct Walk<'a> {
    list: &'a [u32],
    table: &'a [f32; 256],
    factor: f32,
    entry: usize,
    essential: bool,
    must_bit: u64,
    main: usize,
    pre: usize,
    mark: usize,
}

/// Moves `cursor` past the postings of slots below `end`, calling `f` on each.
#[inline]
fn walk(list: &[u32], cursor: &mut usize, end: u32, mut f: impl FnMut(u32)) {
    let mut c = *cursor;
    while let Some(&p) = list.get(c) {
        if slot(p) >= end {
            break;
        }
        f(p);
        c += 1;
    }
    *cursor = c;
}

/// The block's accumulators.
struct Block<'s> {
    best: &'s mut [f32],
    must: &'s [u64],
    seen: &'s [u64],
    touched_tag: &'s mut [u16],
    n: usize,
}

/// Folds one list's postings below `end` into `best`, branch-free: the best credit per expert, and
/// each expert appended once to `touched_tag` (the append always writes and only counts when new).
/// `MUST`: skip experts missing a must-have; `SKIP`: skip experts without exact or narrower credit.
#[inline]
fn fold_list<const MUST: bool, const SKIP: bool>(
    w: &mut Walk<'_>,
    end: u32,
    base: u32,
    must_mask: u64,
    b: &mut Block<'_>,
) {
    let (list, table, factor) = (w.list, w.table, w.factor);
    let mut c = w.main;
    let mut n = b.n;
    while let Some(&p) = list.get(c) {
        if slot(p) >= end {
            break;
        }
        c += 1;
        let i = (slot(p) - base) as usize;
        let mut ok = true;
        if MUST {
            ok &= b.must[i] & must_mask == must_mask;
        }
        if SKIP {
            ok &= b.seen[i / 64] >> (i % 64) & 1 != 0;
        }
        // The same product as the reference's relation factor times level factor.
        let credit = if ok { factor * table[code(p) as usize] } else { 0.0 };
        let old = b.best[i];
        b.touched_tag[n] = i as u16;
        n += usize::from(old == 0.0 && credit > 0.0);
        b.best[i] = old.max(credit);
    }
    w.main = c;
    b.n = n;
}

impl MatchIndex {
    pub(crate) fn list(&self, list: List) -> &[u32] {
        fn get(v: &[Vec<u32>], n: u32) -> &[u32] {
            v.get(n as usize).map_or(&[][..], |l| l.as_slice())
        }
        match list {
            List::SkillExact(n) => get(&self.skills.exact, n),
            List::SkillDeeper(n) => get(&self.skills.deeper, n),
            List::SectorExact(n) => get(&self.sectors.exact, n),
            List::SectorDeeper(n) => get(&self.sectors.deeper, n),
        }
    }

    pub(crate) fn credit(&self, list: List, code: u8) -> f32 {
        match list {
            List::SkillExact(_) | List::SectorExact(_) => self.credits.exact[code as usize],
            List::SkillDeeper(_) | List::SectorDeeper(_) => self.credits.deeper[code as usize],
        }
    }

    fn walks<'a>(&'a self, need: &Prepared, first: u32) -> Vec<Walk<'a>> {
        let mut out = Vec::new();
        for (e, entry) in need.entries.iter().enumerate() {
            for source in &entry.sources {
                let list = self.list(source.list);
                if list.is_empty() {
                    continue;
                }
                let table = match source.list {
                    List::SkillExact(_) | List::SectorExact(_) => &self.credits.exact,
                    List::SkillDeeper(_) | List::SectorDeeper(_) => &self.credits.deeper,
                };
                let essential = source.factor == 1.0;
                let is_skill = matches!(source.list, List::SkillExact(_) | List::SkillDeeper(_));
                let must_bit = if essential && is_skill {
                    entry.must_bit.unwrap_or(0)
                } else {
                    0
                };
                let at = list.partition_point(|p| slot(*p) < first);
                out.push(Walk {
                    list,
                    table,
                    factor: source.factor,
                    entry: e,
                    essential,
                    must_bit,
                    main: at,
                    pre: at,
                    mark: at,
                });
            }
        }
        out
    }

    /// The best `k` experts for a prepared need; `scratch` is left clean for the next query.
    pub fn rank(&self, need: &Prepared, k: usize, scratch: &mut Scratch) -> (Vec<Ranked>, Work) {
        self.rank_slots(need, k, scratch, 0, self.slots.len())
    }

    /// `rank` with the slots split into `threads` ranges scored at once, each with its own buffers
    /// and top k, merged in the same order (score, then id): the same answer, sooner on a big pool.
    pub fn rank_parallel(
        &self,
        need: &Prepared,
        k: usize,
        threads: usize,
        scratch: &mut Scratch,
    ) -> (Vec<Ranked>, Work) {
        let slots = self.slots.len();
        if threads <= 1 || slots < PARALLEL_MIN_SLOTS {
            return self.rank(need, k, scratch);
        }
        let per = slots.div_ceil(threads).div_ceil(BLOCK) * BLOCK;
        let parts: Vec<(Vec<Ranked>, Work)> = std::thread::scope(|scope| {
            // The first range runs here with the caller's buffers, the others on new threads.
            let workers: Vec<_> = (per..slots)
                .step_by(per)
                .map(|first| {
                    let last = (first + per).min(slots);
                    scope.spawn(move || self.rank_slots(need, k, &mut Scratch::default(), first, last))
                })
                .collect();
            let mut parts = vec![self.rank_slots(need, k, scratch, 0, per.min(slots))];
            // A panicking worker is a bug; its range is left out rather than crashing the service.
            parts.extend(workers.into_iter().filter_map(|w| w.join().ok()));
            parts
        });
        let mut top = TopK::new(k);
        let mut work = Work::default();
        for (ranked, w) in parts {
            ranked.into_iter().for_each(|r| top.push(r));
            work.postings += w.postings;
            work.candidates += w.candidates;
            work.reversed += w.reversed;
        }
        (top.into_sorted(), work)
    }

    /// `rank` over the slots `first..last` (`first` a multiple of `BLOCK`).
    fn rank_slots(
        &self,
        need: &Prepared,
        k: usize,
        scratch: &mut Scratch,
        first: usize,
        last: usize,
    ) -> (Vec<Ranked>, Work) {
        let mut work = Work::default();
        if need.filter.impossible || need.languages.is_none() || need.total_weight <= 0.0 {
            return (Vec::new(), work);
        }
        let mut walks = self.walks(need, first as u32);
        // The best enterprise fit an expert can reach through broader and sibling credit alone.
        let mut side_only = 0.0f32;
        for (e, entry) in need.entries.iter().enumerate() {
            let best = entry
                .sources
                .iter()
                .filter(|s| s.factor < 1.0)
                .map(|s| s.factor)
                .fold(0.0, f32::max);
            side_only += need.entries[e].weight * best;
        }
        let side_only = side_only / need.total_weight;
        let must_mask = need.must_mask;
        let mut top = TopK::new(k);
        let slots = last;
        let Scratch {
            score,
            best,
            must,
            seen,
            touched,
            touched_tag,
            touched_must,
        } = scratch;
        let touched_tag = touched_tag.as_mut_slice();
        // Plain slices: ndarray's indexing reloads shape and stride on every access in these loops.
        let (Some(score), Some(best)) = (score.as_slice_mut(), best.as_slice_mut()) else {
            return (Vec::new(), work);
        };
        let (touched, touched_must) = (touched.as_mut_slice(), touched_must.as_mut_slice());
        for start in (first..slots).step_by(BLOCK) {
            let end = (start + BLOCK).min(slots) as u32;
            let base = start as u32;
            let mut n_must = 0;
            if must_mask != 0 {
                for w in walks.iter_mut().filter(|w| w.must_bit != 0) {
                    walk(w.list, &mut w.pre, end, |p| {
                        let i = (slot(p) - base) as usize;
                        touched_must[n_must] = i as u16;
                        n_must += usize::from(must[i] == 0);
                        must[i] |= w.must_bit;
                    });
                }
            }
            let mut n_touched = 0;
            let prune = !top.could_enter(side_only);
            if prune {
                for w in walks.iter_mut().filter(|w| w.essential) {
                    if w.mark < w.main {
                        w.mark = w.main;
                    }
                    walk(w.list, &mut w.mark, end, |p| {
                        let i = (slot(p) - base) as usize;
                        seen[i / 64] |= 1 << (i % 64);
                    });
                }
            }
            let mut at = 0;
            for (e, entry) in need.entries.iter().enumerate() {
                let mut b = Block {
                    best: &mut *best,
                    must,
                    seen,
                    touched_tag,
                    n: 0,
                };
                while at < walks.len() && walks[at].entry == e {
                    let w = &mut walks[at];
                    let before = w.main;
                    match (must_mask != 0, prune && !w.essential) {
                        (false, false) => fold_list::<false, false>(w, end, base, must_mask, &mut b),
                        (true, false) => fold_list::<true, false>(w, end, base, must_mask, &mut b),
                        (false, true) => fold_list::<false, true>(w, end, base, must_mask, &mut b),
                        (true, true) => fold_list::<true, true>(w, end, base, must_mask, &mut b),
                    }
                    work.postings += w.main - before;
                    at += 1;
                }
                let n = b.n;
                for &i in touched_tag[..n].iter() {
                    let i = i as usize;
                    let s = score[i];
                    touched[n_touched] = i as u16;
                    n_touched += usize::from(s == 0.0);
                    score[i] = s + entry.weight * best[i];
                    best[i] = 0.0;
                }
            }
            work.candidates += n_touched;
            for &i in touched[..n_touched].iter() {
                let i = i as usize;
                let slot = base + i as u32;
                let enterprise = score[i] / need.total_weight;
                score[i] = 0.0;
                // combine() never raises the enterprise fit: skip what cannot enter before the costly parts.
                if !top.could_enter(enterprise) || !self.passes(need, slot, must[i]) {
                    continue;
                }
                work.reversed += 1;
                let reverse = self.reverse_parts(need, slot).score;
                let score = combine(enterprise, reverse);
                if score >= need.filter.min_score {
                    top.push(Ranked {
                        id: self.slots.ids[slot as usize],
                        score,
                        enterprise,
                        reverse,
                    });
                }
            }
            for &i in touched_must[..n_must].iter() {
                must[i as usize] = 0;
            }
            if prune {
                seen.iter_mut().for_each(|w| *w = 0);
            }
        }
        (top.into_sorted(), work)
    }
}
