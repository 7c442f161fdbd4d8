//! The vectorized scorer, cache-blocked: posting lists are sorted by slot, so the experts are walked
//! in blocks of `BLOCK` slots with a cursor per list, and each block's accumulators stay in cache.
//! Each block is scored one of two ways. The full pass, while the top k is not full or its floor
//! excludes nobody: must-have bits first (experts missing one are skipped after), then every need
//! tag's postings folded, best credit per expert, into the block's scores in need order (so sums
//! equal the reference's), and the touched experts gated, reverse-fitted and offered to the bounded
//! top k. The bounded pass (`bounded`), once the floor of the top k is high enough: only the lists
//! of the tags an expert cannot do without are read, and the few experts whose upper bound still
//! reaches the floor are scored from their own tags (`forward`).

use ndarray::Array1;

use super::bounded::{is_seeded, Bound, Essentials, Plan, HELD_WORDS, SEEDS};
use super::formula::combine;
use super::helper::Helper;
use super::index::{
    above_credits, deeper_credits, exact_credits, level, offset, Credits, Cursor, MatchIndex, PostingList, SEGMENT,
};
use super::prepare::{List, Prepared, Read, Tier};
use super::shared::SharedTop;
use super::topk::{Ranked, TopK};

/// Slots per block: the block's accumulators (4 + 4 + 8 bytes per slot) stay in L2.
#[cfg(not(test))]
pub const BLOCK: usize = 1 << 13;
/// Tests use tiny blocks so that small pools span many blocks and the pruning happens.
#[cfg(test)]
pub const BLOCK: usize = 16;

/// Below this many slots one thread scores a need: splitting costs more than it saves. Both
/// variants timed in one process (200 needs, passes in turn, 8 rounds, kept helper threads): at
/// 50,000 experts the split's median was lower (0.30 against 0.37 ms) but its p95 higher (2.3
/// against 0.9 ms) and the total the same; at 70,000 and 100,000 all three were lower.
#[cfg(not(test))]
pub const PARALLEL_MIN_SLOTS: usize = 65_536;
/// Tests split small pools too, so the split is held equal to the reference.
#[cfg(test)]
pub const PARALLEL_MIN_SLOTS: usize = 32;

/// The slots `first..last`.
pub(super) type SlotRange = (usize, usize);

/// Reusable buffers of one scoring thread, one block long; left clean after every query.
#[derive(Debug)]
pub struct Scratch {
    pub(super) score: Array1<f32>,
    pub(super) best: Array1<f32>,
    pub(super) must: Vec<u64>,
    pub(super) touched: Vec<u16>,
    pub(super) touched_tag: Vec<u16>,
    pub(super) touched_must: Vec<u16>,
    /// Experts of a block whose bound reaches the floor.
    pub(super) candidates: Vec<u16>,
    /// Their gains.
    pub(super) gains: Vec<f32>,
    /// Per need tag, the best credit of the expert scored from its own tags.
    pub(super) fit: Vec<f32>,
    /// Slots already offered by the seeding, sorted.
    pub(super) seeded: Vec<u32>,
    /// The block's open slots for the need's modes, 32 a word (`Slots::open_block`).
    pub(super) open: Vec<u32>,
    /// Per must-have bit, the block's holders of that must-have, 32 a word; left clear.
    pub(super) held: Box<[[u32; HELD_WORDS]; 64]>,
    /// Which need tags the bounded pass reads (the bench compares both policies).
    pub essentials: Essentials,
    /// Buffers of the helper threads when a need is split over threads.
    pub(super) spares: Vec<Scratch>,
    /// Threads kept to score a split need's blocks with this thread, one per spare.
    pub(super) helpers: Vec<Helper>,
}

impl Scratch {
    /// Buffers whose bounded pass follows `policy`.
    pub fn with(policy: Essentials) -> Self {
        Scratch {
            essentials: policy,
            ..Scratch::default()
        }
    }
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch {
            score: Array1::zeros(BLOCK),
            best: Array1::zeros(BLOCK),
            must: vec![0; BLOCK],
            touched: vec![0; BLOCK + 1],
            touched_tag: vec![0; BLOCK + 1],
            touched_must: vec![0; BLOCK + 1],
            candidates: vec![0; BLOCK + 1],
            gains: vec![0.0; BLOCK + 1],
            fit: Vec::new(),
            seeded: Vec::new(),
            open: vec![0; BLOCK.div_ceil(32)],
            held: Box::new([[0; HELD_WORDS]; 64]),
            essentials: Essentials::default(),
            spares: Vec::new(),
            helpers: Vec::new(),
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
    /// Experts scored from their own tags (bounded pass and seeding).
    pub scored: usize,
    /// Experts whose reverse fit was computed.
    pub reversed: usize,
    /// Blocks read in full (every list), before the top k had a floor that bounds.
    pub full_blocks: usize,
    /// Blocks read bounded (only the essential tags' exact and narrower lists).
    pub bounded_blocks: usize,
}

impl Work {
    /// Adds another part's counts.
    pub fn add(&mut self, other: &Work) {
        self.postings += other.postings;
        self.candidates += other.candidates;
        self.scored += other.scored;
        self.reversed += other.reversed;
        self.full_blocks += other.full_blocks;
        self.bounded_blocks += other.bounded_blocks;
    }

    /// Bytes read: 2 per posting and 8 for the accumulator it reads and writes, then per touched
    /// expert 4 (score) + 4 (best) + 8 (must), then about 64 per expert scored from its own tags
    /// (its columns and attributes).
    pub fn bytes(&self) -> usize {
        self.postings * 10 + self.candidates * 16 + self.scored * 64
    }
}

/// One posting list of one need tag, ready to walk.
pub(super) struct Walk<'a> {
    pub(super) list: &'a PostingList,
    /// Credit per level code.
    pub(super) credits: Credits,
    pub(super) factor: f32,
    pub(super) entry: usize,
    /// How its experts relate to the need tag.
    pub(super) tier: Tier,
    /// Which passes read it.
    pub(super) read: Read,
    /// The list of experts holding the tag itself.
    pub(super) exact: bool,
    pub(super) must_bit: u64,
    pub(super) main: Cursor,
    pre: Cursor,
}

/// Calls `f` with the index within the block starting at `start`, and the posting, of every posting
/// of `run` (taken for that block): the posting's offset less the block's start within its segment.
/// A block that starts its segment, as every block does when a block is a segment (release builds),
/// takes the offset as it is: two instructions fewer per posting in the hottest loops.
#[inline(always)]
pub(super) fn each_in_block(run: &[u16], start: u32, mut f: impl FnMut(usize, u16)) {
    let shift = start & (SEGMENT - 1);
    if shift == 0 {
        for &p in run {
            f(offset(p) as usize & (BLOCK - 1), p);
        }
    } else {
        for &p in run {
            f(offset(p).wrapping_sub(shift) as usize & (BLOCK - 1), p);
        }
    }
}

/// The block's accumulators.
struct Block<'s> {
    best: &'s mut [f32; BLOCK],
    must: &'s [u64; BLOCK],
    touched_tag: &'s mut [u16],
    n: usize,
}

/// Folds one list's postings of the block `start..end` into `best`, branch-free: the best credit
/// per expert, and each expert appended once to `touched_tag` (the append always writes and only
/// counts when new). `MUST`: skip experts missing a must-have. Returns the postings read.
#[inline]
fn fold_list<const MUST: bool>(w: &mut Walk<'_>, (start, end): (u32, u32), must_mask: u64, b: &mut Block<'_>) -> usize {
    let run = w.list.take(&mut w.main, start, end);
    let (credits, factor) = (&w.credits, w.factor);
    let mut n = b.n;
    each_in_block(run, start, |i, p| {
        let ok = !MUST || b.must[i] & must_mask == must_mask;
        // The same product as the reference's relation factor times level factor.
        let credit = if ok { factor * credits[level(p)] } else { 0.0 };
        let old = b.best[i];
        b.touched_tag[n] = i as u16;
        n += usize::from(old == 0.0 && credit > 0.0);
        b.best[i] = old.max(credit);
    });
    b.n = n;
    run.len()
}

impl MatchIndex {
    pub(crate) fn list(&self, list: List) -> &PostingList {
        static EMPTY: PostingList = PostingList::new();
        let found = match list {
            List::SkillExact(n) => self.skills.exact.get(n as usize),
            List::SkillDeeper(n, d) => self.skills.deeper(n, d),
            List::SectorExact(n) => self.sectors.exact.get(n as usize),
            List::SectorDeeper(n, d) => self.sectors.deeper(n, d),
            List::SkillAbove(n, d) => self.skills.above(n, d),
        };
        found.unwrap_or(&EMPTY)
    }

    /// The credit of each level code in a list.
    pub(crate) fn credits(list: List) -> Credits {
        match list {
            List::SkillExact(_) | List::SectorExact(_) => exact_credits(),
            List::SkillDeeper(_, d) | List::SectorDeeper(_, d) => deeper_credits(d),
            List::SkillAbove(_, d) => above_credits(d),
        }
    }

    pub(super) fn walks<'a>(&'a self, need: &Prepared) -> Vec<Walk<'a>> {
        let mut out = Vec::new();
        for (e, entry) in need.entries.iter().enumerate() {
            for source in &entry.sources {
                let list = self.list(source.list);
                if list.is_empty() {
                    continue;
                }
                let essential = source.tier == Tier::Held;
                let exact = matches!(source.list, List::SkillExact(_) | List::SectorExact(_)) && essential;
                let is_skill = matches!(source.list, List::SkillExact(_) | List::SkillDeeper(..));
                let must_bit = if essential && is_skill {
                    entry.must_bit.unwrap_or(0)
                } else {
                    0
                };
                out.push(Walk {
                    list,
                    credits: Self::credits(source.list),
                    factor: source.factor,
                    entry: e,
                    tier: source.tier,
                    read: source.read,
                    exact,
                    must_bit,
                    main: Cursor::default(),
                    pre: Cursor::default(),
                });
            }
        }
        out
    }

    /// The best `k` experts for a prepared need; `scratch` is left clean for the next query.
    pub fn rank(&self, need: &Prepared, k: usize, scratch: &mut Scratch) -> (Vec<Ranked>, Work) {
        let all = (0, self.slots.len());
        let mut whole = Some(all);
        self.rank_slots(need, k, scratch, all, &mut || whole.take(), &SharedTop::alone())
    }

    /// `rank` over the ranges of slots `next` gives (each starting on a multiple of `BLOCK`, in
    /// ascending order) until it gives none, seeding from the slots `region`. The seeds are shared
    /// with the other threads scoring the need before any block is scored; what enters the top k
    /// is published to `shared` after the seeding and after every block, and every block is
    /// bounded by the shared floor when it is higher than its own.
    pub(super) fn rank_slots(
        &self,
        need: &Prepared,
        k: usize,
        scratch: &mut Scratch,
        region: SlotRange,
        next: &mut dyn FnMut() -> Option<SlotRange>,
        shared: &SharedTop,
    ) -> (Vec<Ranked>, Work) {
        let mut work = Work::default();
        let turn = shared.seed_turn();
        if k == 0 || need.filter.impossible || need.languages.is_none() || need.total_weight <= 0.0 {
            return (Vec::new(), work);
        }
        let mut walks = self.walks(need);
        let mut top = shared.local_top(k);
        let plan = Plan::new(need, &walks, scratch.essentials);
        let mut bound = Bound::default();
        // The threads of a split need seed in their own regions and share their seeds: together
        // as many as one thread alone.
        let seeds = SEEDS.div_ceil(shared.threads());
        self.seed(need, &plan, &walks, &mut top, scratch, region, seeds, &mut work);
        // The seeds' scores are published before the threads wait for each other's seeds, so that
        // every thread's first block is bounded by the floor of all the seeds: publishing after
        // let a thread start before the other had published, and read its first blocks in full.
        shared.publish(&mut top);
        turn.share(&mut scratch.seeded);
        while let Some((first, last)) = next() {
            for start in (first..last).step_by(BLOCK) {
                let end = (start + BLOCK).min(last) as u32;
                let block = (start as u32, end);
                if plan.bound(need, &top, shared.floor(), &mut bound) {
                    self.bounded_block(need, (&plan, &bound), &mut walks, &mut top, scratch, block, &mut work);
                } else {
                    self.full_block(need, &mut walks, &mut top, scratch, block, &mut work);
                }
                shared.publish(&mut top);
            }
        }
        (top.into_sorted(), work)
    }

    /// Scores the slots `start..end` from every list of every need tag.
    fn full_block(
        &self,
        need: &Prepared,
        walks: &mut [Walk<'_>],
        top: &mut TopK,
        scratch: &mut Scratch,
        (start, end): (u32, u32),
        work: &mut Work,
    ) {
        work.full_blocks += 1;
        let must_mask = need.must_mask;
        let Scratch {
            score,
            best,
            must,
            touched,
            touched_tag,
            touched_must,
            seeded,
            ..
        } = scratch;
        // Fixed-length arrays (ndarray's indexing reloads shape and stride on every access), indexed
        // below their length by a mask: no bounds checks in the loops.
        let (Some(score), Some(best), Ok(must)) = (
            score.as_slice_mut().and_then(|s| <&mut [f32; BLOCK]>::try_from(s).ok()),
            best.as_slice_mut().and_then(|s| <&mut [f32; BLOCK]>::try_from(s).ok()),
            <&mut [u64; BLOCK]>::try_from(&mut must[..]),
        ) else {
            return;
        };
        let base = start;
        let mut n_must = 0;
        if must_mask != 0 {
            for w in walks.iter_mut().filter(|w| w.must_bit != 0) {
                each_in_block(w.list.take(&mut w.pre, start, end), start, |i, _| {
                    touched_must[n_must] = i as u16;
                    n_must += usize::from(must[i] == 0);
                    must[i] |= w.must_bit;
                });
            }
        }
        let mut n_touched = 0;
        let mut at = 0;
        for (e, entry) in need.entries.iter().enumerate() {
            let mut b = Block {
                best: &mut *best,
                must: &*must,
                touched_tag,
                n: 0,
            };
            while at < walks.len() && walks[at].entry == e {
                let w = &mut walks[at];
                at += 1;
                if w.read == Read::Bounded {
                    continue;
                }
                work.postings += if must_mask != 0 {
                    fold_list::<true>(w, (start, end), must_mask, &mut b)
                } else {
                    fold_list::<false>(w, (start, end), must_mask, &mut b)
                };
            }
            let n = b.n;
            for &i in touched_tag[..n].iter() {
                let i = usize::from(i) & (BLOCK - 1);
                let s = score[i];
                touched[n_touched] = i as u16;
                n_touched += usize::from(s == 0.0);
                score[i] = s + entry.weight * best[i];
                best[i] = 0.0;
            }
        }
        work.candidates += n_touched;
        for &i in touched[..n_touched].iter() {
            let i = usize::from(i) & (BLOCK - 1);
            let slot = base + i as u32;
            let enterprise = score[i] / need.total_weight;
            score[i] = 0.0;
            // combine() never raises the enterprise fit: skip what cannot enter before the costly parts.
            if !top.could_enter(enterprise) || is_seeded(seeded, slot) || !self.passes(need, slot, must[i]) {
                continue;
            }
            self.offer(need, slot, enterprise, top, work);
        }
        for &i in touched_must[..n_must].iter() {
            must[usize::from(i) & (BLOCK - 1)] = 0;
        }
    }

    /// Offers a gated slot with its enterprise fit to the top k: reverse fit, final score, filter.
    pub(super) fn offer(&self, need: &Prepared, slot: u32, enterprise: f32, top: &mut TopK, work: &mut Work) {
        work.reversed += 1;
        let reverse = self.reverse_parts(need, slot).score;
        let score = combine(enterprise, reverse);
        if score >= need.filter.min_score {
            top.push(Ranked {
                id: self.slots.ids[slot as usize],
                slot,
                score,
                enterprise,
                reverse,
            });
        }
    }
}
