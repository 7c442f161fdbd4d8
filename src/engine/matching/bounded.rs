//! The bounded pass, MaxScore over need tags. Once the top k holds `k` experts, its floor `F` says
//! how much weighted credit an expert needs: `Σ w·credit ≥ F·W` (the final score never exceeds the
//! enterprise fit). An expert holding a need tag neither exactly nor through a narrower tag earns at
//! most the tag's `side` credit on it (broader or sibling; sibling alone when the broader lists are
//! read too), so it loses `w·(1 − side)` of the ideal `W`. The essential tags are the fewest, most
//! costly to lack, whose losses together put an expert lacking all of them below the floor;
//! must-haves are always among them, and the default policy (`Essentials::Broader`) reads every
//! tag. The pass reads the essential tags' exact and narrower (and broader) lists into a dense gain
//! array per block, bounds every expert by `base + Σ w·max(0, credit − side)`, takes back what
//! `base` granted on the need tags whose parent is missing from the expert's kin mask (in its row:
//! it earns nothing on them), lowers the bound by the most its reverse fit can give, and scores
//! from its own tags (`forward`) only the experts whose bound still reaches the floor. Nothing is
//! approximated: every expert the full pass would rank is ranked, with the same arithmetic.
//!
//! Before the first block, a few likely experts (holders of the two most costly tags at level 4 or
//! 5 who pass the gates) are scored from their own tags, so that the floor is high from the start
//! (`seed`).

use super::formula::combine;
use super::gating::{reverse_ceiling, row_passes};
use super::index::{level, Credits, MatchIndex, RAISED_LITTLE};
use super::prepare::{Prepared, Read, Tier};
use super::scorer::{each_in_block, Scratch, Walk, Work, BLOCK};
use super::simd::{add_gains, collect_reaching};
use super::topk::TopK;

/// Relative slack on every bound: float sums in another order may differ in the last bits.
const SLACK: f32 = 1e-4;
/// Experts scored to seed the floor, at most, by all the threads of a need together (four times as
/// many holders are looked at for them: a single engagement mode or a required language can gate
/// out most); and postings scanned per tag to find them. Tests seed a couple, so that their small
/// pools are ranked by the bounded pass rather than the seeds.
#[cfg(not(test))]
pub(super) const SEEDS: usize = 64;
#[cfg(test)]
pub(super) const SEEDS: usize = 2;
const SEED_SCAN: usize = 2048;
/// The least gain of a posting, so that every expert an essential list touches has a gain.
const TINY: f32 = 1e-6;
/// Gains scanned at once for one above the needed gain (one bit each in a `u32`).
const SCAN: usize = 32;
/// Words of a block's bitmap, one bit a slot.
pub(super) const HELD_WORDS: usize = BLOCK.div_ceil(SCAN);
/// The least exact code (level) of a seed.
const HIGH_LEVEL: u8 = 4;

/// Which need tags the bounded pass reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Essentials {
    /// No bounded pass: every block is read in full (the scorer before it, kept for the bench).
    Off,
    /// Only as many as the floor requires (fewer postings, more experts scored one by one).
    Fewest,
    /// Every need tag's exact and narrower lists (more postings, tighter bounds).
    All,
    /// Every need tag's exact, narrower and broader lists: only sibling credit is bounded. The
    /// fastest on the bench's pools, so the default.
    #[default]
    Broader,
}

impl Essentials {
    /// Every policy, the default last.
    pub const EVERY: [Essentials; 4] = [
        Essentials::Off,
        Essentials::Fewest,
        Essentials::All,
        Essentials::Broader,
    ];
}

/// The need tags in the order they become essential (must-haves, then by the credit lost without
/// them), and per list the gain each credit code adds, worked out once per query.
pub(super) struct Plan {
    order: Vec<usize>,
    policy: Essentials,
    /// Per need tag: its weight times the most an expert can earn on it from lists not read.
    lost: Vec<f32>,
    /// Per walk: `max(w·factor·credit(level) − lost, TINY)` for every level code.
    gains: Vec<Credits>,
}

/// The essential tags for one floor.
#[derive(Default)]
pub(super) struct Bound {
    /// Per need tag: whether its exact and narrower lists are read.
    essential: Vec<bool>,
    /// Per need tag: whether its broader lists are read too.
    broader: Vec<bool>,
    /// The score an expert must reach, from this part's top k, another part's or the filter.
    floor: f32,
    /// `Σ w·side` over essential tags plus `Σ w` over the others: the bound of an expert none of
    /// the essential lists touch.
    base: f32,
    /// Per parent of need tags (its kin bit): the share of the score `base` grants on its tags,
    /// which an expert whose kin mask lacks the bit cannot earn.
    kinless: Vec<(u64, f32)>,
}

impl Plan {
    pub(super) fn new(need: &Prepared, walks: &[Walk<'_>], policy: Essentials) -> Self {
        let loss = |e: usize| need.entries[e].weight * (1.0 - need.entries[e].side);
        let mut order: Vec<usize> = (0..need.entries.len()).collect();
        order.sort_by(|&a, &b| {
            let must = |e: usize| need.entries[e].must_bit.is_some();
            must(b).cmp(&must(a)).then(loss(b).total_cmp(&loss(a))).then(a.cmp(&b))
        });
        let lost: Vec<f32> = need
            .entries
            .iter()
            .map(|e| {
                e.weight
                    * if policy == Essentials::Broader {
                        e.sibling
                    } else {
                        e.side
                    }
            })
            .collect();
        let gains = if policy == Essentials::Off {
            Vec::new()
        } else {
            walks
                .iter()
                .map(|w| {
                    let weight = need.entries[w.entry].weight * w.factor;
                    let mut g = Credits::default();
                    for (code, (g, credit)) in g.iter_mut().zip(w.credits.iter()).enumerate() {
                        *g = if w.read == Read::Bounded && code >= usize::from(RAISED_LITTLE) {
                            // A raised code adds to what the expert's nearer holding already counts.
                            weight * credit
                        } else {
                            // Every posting adds at least TINY, so an expert a list touched has a gain.
                            (weight * credit - lost[w.entry]).max(TINY)
                        };
                    }
                    g
                })
                .collect()
        };
        Plan {
            order,
            policy,
            lost,
            gains,
        }
    }

    /// The essential tags for the current floor of `top` (or the higher floor `shared` of another
    /// part of the slots scored at once) written into `out`, or false when the full pass is needed
    /// (no floor yet, or one too low to exclude experts lacking every tag). `out` is reused from
    /// block to block: a fresh bound took three allocations every block.
    pub(super) fn bound(&self, need: &Prepared, top: &TopK, shared: f32, out: &mut Bound) -> bool {
        let policy = self.policy;
        let min = need.filter.min_score.max(shared);
        let floor = top.floor().map_or(min, |f| f.max(min));
        if floor <= 0.0 || policy == Essentials::Off {
            return false;
        }
        let target = floor * need.total_weight;
        let mut base = need.total_weight;
        let n = need.entries.len();
        let Bound {
            essential,
            broader,
            kinless,
            ..
        } = out;
        essential.clear();
        essential.resize(n, false);
        broader.clear();
        broader.resize(n, false);
        let mut enough = false;
        for &e in &self.order {
            let entry = &need.entries[e];
            if enough && entry.must_bit.is_none() && policy == Essentials::Fewest {
                break;
            }
            essential[e] = true;
            broader[e] = policy == Essentials::Broader;
            base -= entry.weight - self.lost[e];
            enough |= base * (1.0 + SLACK) < target;
        }
        kinless.clear();
        for (e, entry) in need.entries.iter().enumerate() {
            let Some(bit) = entry.kin else {
                continue;
            };
            let granted = if essential[e] { self.lost[e] } else { entry.weight } / need.total_weight;
            match kinless.iter_mut().find(|(b, _)| *b == bit) {
                Some((_, share)) => *share += granted,
                None => kinless.push((bit, granted)),
            }
        }
        out.base = base;
        out.floor = floor;
        // With a must-have, an expert no essential list touches is gated out whatever the floor.
        enough || need.must_mask != 0
    }
}

impl Bound {
    /// The share of the score the bound granted an expert with kin mask `kin` on need tags it
    /// cannot earn anything on.
    fn kinless(&self, kin: u64) -> f32 {
        self.kinless
            .iter()
            .map(|&(bit, share)| if kin & bit == 0 { share } else { 0.0 })
            .sum()
    }

    /// True when the bounded pass reads this list.
    fn reads(&self, w: &Walk<'_>) -> bool {
        if w.read == Read::Full {
            return false;
        }
        match w.tier {
            Tier::Held => self.essential[w.entry],
            Tier::Broader => self.broader[w.entry],
            Tier::Sibling => false,
        }
    }
}

/// True when `slot` was already offered by the seeding.
pub(super) fn is_seeded(seeded: &[u32], slot: u32) -> bool {
    !seeded.is_empty() && seeded.binary_search(&slot).is_ok()
}

/// True when `slot` was seeded, for slots asked in ascending order with the same `cursor`.
fn seeded_at(seeded: &[u32], cursor: &mut usize, slot: u32) -> bool {
    while seeded.get(*cursor).is_some_and(|s| *s < slot) {
        *cursor += 1;
    }
    seeded.get(*cursor) == Some(&slot)
}

impl MatchIndex {
    /// The enterprise fit of one slot from its own tags, and the must-have bits it holds.
    fn forward_enterprise(&self, need: &Prepared, slot: u32, fit: &mut Vec<f32>, work: &mut Work) -> (f32, u64) {
        work.scored += 1;
        let (sum, must) = self.forward_fit(&need.forward, slot, fit);
        (sum / need.total_weight, must)
    }

    /// Offers up to `seeds` holders of the most costly tags at a high level within `first..last` who
    /// pass the gates, so that the first blocks already have a floor; their slots are remembered and not
    /// offered twice. Seeds taken without looking at the gates left the top k short for a third of
    /// the needs (one engagement mode, or a required language, gates out most experts), and those
    /// needs read their first block in full.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn seed(
        &self,
        need: &Prepared,
        plan: &Plan,
        walks: &[Walk<'_>],
        top: &mut TopK,
        scratch: &mut Scratch,
        (first, last): (usize, usize),
        seeds: usize,
        work: &mut Work,
    ) {
        scratch.seeded.clear();
        let (first, last) = (first as u32, last as u32);
        // Holders of each of the two most costly tags at a high level, near the start of the range.
        let holders = |e: usize| -> Vec<u32> {
            let Some(w) = walks.iter().find(|w| w.entry == e && w.exact) else {
                return Vec::new();
            };
            let mut out = Vec::new();
            w.list.slots_from((first, last), HIGH_LEVEL, SEED_SCAN, &mut out);
            out
        };
        let mut heads = plan.order.iter().map(|&e| holders(e));
        let first_tag = heads.next().unwrap_or_default();
        let second_tag = heads.next().unwrap_or_default();
        // Those holding both first, then the first tag's alone, from one merge of the two lists
        // (both in slot order; the merge steps without branching on which is ahead). A holder of
        // the first tag below the second list's next holder lacks the second tag. Before, each
        // holder of the first tag was looked up in those holding both after the merge: the two
        // steps took about 12 µs of a need's seeding at 100k under timers, the one merge 8.5 µs
        // in a later run on a busier machine.
        let mut both = vec![0; first_tag.len().min(second_tag.len())];
        let mut alone = vec![0; first_tag.len()];
        let (mut i, mut j, mut n, mut m) = (0, 0, 0, 0);
        while let (Some(&a), Some(&b)) = (first_tag.get(i), second_tag.get(j)) {
            if let Some(o) = both.get_mut(n) {
                *o = a;
            }
            if let Some(o) = alone.get_mut(m) {
                *o = a;
            }
            n += usize::from(a == b);
            m += usize::from(a < b);
            i += usize::from(a <= b);
            j += usize::from(b <= a);
        }
        both.truncate(n);
        alone.truncate(m);
        // Past the second list's last holder, the first tag's holders hold it alone.
        alone.extend_from_slice(first_tag.get(i..).unwrap_or(&[]));
        alone.truncate((4 * seeds).saturating_sub(both.len()));
        let mut tries = both;
        tries.extend(alone);
        tries.truncate(4 * seeds);
        // Their rows, then the attributes of (at most twice the seeds of) those the rows' gates
        // keep, each read in a tight loop so that the cache misses overlap; then the first who pass
        // every gate but the must-haves (known once scored).
        self.slots.touch_rows(tries.iter().copied());
        let rows = &self.slots.rows;
        tries.retain(|&s| rows.get(s as usize).is_some_and(|r| row_passes(r, need)));
        tries.truncate(2 * seeds);
        self.slots.touch_attrs(tries.iter().copied());
        let seeded = &mut scratch.seeded;
        seeded.extend(
            tries
                .iter()
                .copied()
                .filter(|&s| self.passes(need, s, need.must_mask))
                .take(seeds),
        );
        seeded.sort_unstable();
        let Scratch { seeded, fit, .. } = scratch;
        for &s in seeded.iter() {
            let (enterprise, must) = self.forward_enterprise(need, s, fit, work);
            // Every other gate was passed above; the must-haves are known once scored.
            let must_met = must & need.must_mask == need.must_mask;
            if enterprise > 0.0 && top.could_enter(enterprise) && must_met {
                self.offer(need, s, enterprise, top, work);
            }
        }
    }

    /// Scores the slots `start..end` reading only the essential tags' exact and narrower lists.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn bounded_block(
        &self,
        need: &Prepared,
        (plan, bound): (&Plan, &Bound),
        walks: &mut [Walk<'_>],
        top: &mut TopK,
        scratch: &mut Scratch,
        (start, end): (u32, u32),
        work: &mut Work,
    ) {
        work.bounded_blocks += 1;
        let Scratch {
            score: gain,
            held,
            candidates,
            gains,
            fit,
            seeded,
            open,
            ..
        } = scratch;
        // Fixed-length arrays indexed below their length by a mask: no bounds checks in the loops.
        let Some(gain) = gain.as_slice_mut().and_then(|g| <&mut [f32; BLOCK]>::try_from(g).ok()) else {
            return;
        };
        let len = (end - start) as usize;
        // The slots who may be scored and offer one of the need's modes (the gates a row decides),
        // 32 a word, worked out for the whole block at once: per chunk with a hit, looking up each
        // mode's word took 6.5 % of a need's samples at 1M under perf. Only the open slots are
        // candidates, before their rows are read: about half of those reaching the need at 100k.
        let open = open.get_mut(..len.div_ceil(SCAN)).unwrap_or(&mut []);
        self.slots.open_block(need.modes, start as usize, open);
        let aligned = (start as usize).is_multiple_of(BLOCK);
        for (w, gains) in walks.iter_mut().zip(&plan.gains).filter(|(w, _)| bound.reads(w)) {
            // The block's run of the list, found from the list's directory.
            let run = w.list.take(&mut w.main, start, end);
            if aligned {
                // A block that starts on a multiple of its length (every block): its slots are
                // the offsets within their segment modulo the length, both powers of two.
                add_gains(run, gains, gain);
            } else {
                each_in_block(run, start, |i, p| gain[i] += gains[level(p)]);
            }
            if w.must_bit != 0 {
                // The holders of a must-have, one bit each in its own bitmap (a must-have's
                // exact and narrower lists mark the same one).
                let words = &mut held[w.must_bit.trailing_zeros() as usize % 64];
                each_in_block(run, start, |i, _| words[i % BLOCK / SCAN] |= 1 << (i % SCAN));
            }
            work.postings += run.len();
        }
        // Only the holders of every must-have stay open; the bitmaps are left clear for the next
        // block. Marking holders as their postings were added and clearing the marks after took
        // about 8 % of a need's samples at 1M under perf, and looking each candidate up in the
        // must-have runs after the scan about 5 % at 100k.
        let mut musts = need.must_mask;
        while musts != 0 {
            let words = &mut held[musts.trailing_zeros() as usize % 64];
            musts &= musts - 1;
            for (o, h) in open.iter_mut().zip(words.iter_mut()) {
                *o &= *h;
                *h = 0;
            }
        }
        // The gain an expert needs for its bound to reach the floor.
        let floor = top.floor().map_or(bound.floor, |f| f.max(bound.floor));
        let needed = (floor * need.total_weight / (1.0 + SLACK) - bound.base).max(TINY);
        let (Ok(candidates), Ok(gains)) = (
            <&mut [u16; BLOCK]>::try_from(&mut candidates[..BLOCK]),
            <&mut [f32; BLOCK]>::try_from(&mut gains[..BLOCK]),
        ) else {
            return;
        };
        let n = collect_reaching(gain, len, needed, open, candidates, gains);
        // Candidates whose profiles lie at random in memory: each step reads them in one tight
        // loop first, so that the cache misses overlap where looking at one after another would
        // wait for each in turn. First their rows; then the bound lowered by the reverse fit's
        // ceiling (from the rows; the gates they decide were applied in the scan, the must-haves
        // before it), and the seeded slots, passed with one cursor as candidates come in slot
        // order. This filter writes every candidate and counts those kept, without a branch on
        // whether it is kept (which mispredicts: about a quarter pass the ceiling).
        let slot_of = |i: u16| start + u32::from(i);
        self.slots.touch_rows(candidates[..n].iter().map(|&i| slot_of(i)));
        // The top k takes nothing in this loop, so the score that could enter it is fixed.
        let enters = top.floor().map_or(bound.floor, |f| f.max(bound.floor));
        let mut next_seed = seeded.partition_point(|s| *s < start);
        let mut left = 0;
        for c in 0..n {
            let (i, gain) = (candidates[c], gains[c]);
            let slot = slot_of(i);
            // The row is read once for the mask and the ceiling.
            let row = self.slots.rows.get(slot as usize);
            let enterprise = (bound.base + gain) / need.total_weight - row.map_or(0.0, |r| bound.kinless(r.kin));
            let ceiling = combine(enterprise, row.map_or(1.0, |r| reverse_ceiling(r, need))) * (1.0 + SLACK);
            candidates[left] = i;
            gains[left] = ceiling;
            left += usize::from((ceiling >= enters) & !seeded_at(seeded, &mut next_seed, slot));
        }
        self.slots.touch_attrs(candidates[..left].iter().map(|&i| slot_of(i)));
        for (&i, &ceiling) in candidates[..left].iter().zip(gains.iter()) {
            let slot = slot_of(i);
            // The floor may have risen since.
            if ceiling < bound.floor || !top.could_enter(ceiling) || !self.passes(need, slot, need.must_mask) {
                continue;
            }
            let enterprise = self.forward_enterprise(need, slot, fit, work).0;
            if enterprise > 0.0 && top.could_enter(enterprise) {
                self.offer(need, slot, enterprise, top, work);
            }
        }
        work.candidates += n;
    }
}
