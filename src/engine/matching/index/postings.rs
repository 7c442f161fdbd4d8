//! Posting lists: per concept and credit kind, the slots of the experts that hold it, in slot order,
//! two bytes each. The slots are cut into segments of `SEGMENT` slots; a posting carries its slot's
//! offset within the segment (high bits) and the holder's level (low `LEVEL_BITS` bits), and a
//! directory per list says where each segment's run of postings begins. A scoring block lies within
//! one segment, so its postings are one contiguous run found without comparing slots.

use super::super::formula::{level_factor, narrower};

/// Bits of a posting that carry the level (1-5).
pub const LEVEL_BITS: u32 = 3;
/// Bits of a posting that carry the offset within the segment.
#[cfg(not(test))]
pub const SEGMENT_BITS: u32 = 13;
/// Tests use short segments so that small pools span many of them.
#[cfg(test)]
pub const SEGMENT_BITS: u32 = 5;
/// Slots per segment.
pub const SEGMENT: u32 = 1 << SEGMENT_BITS;
const _: () = assert!(SEGMENT_BITS + LEVEL_BITS <= 16);

/// The largest slot a posting can carry.
pub const MAX_SLOT: u32 = u32::MAX >> 1;

/// Credits of one list per level code: `credit[level]`, 0 for codes that are no level.
pub type Credits = [f32; 1 << LEVEL_BITS];

/// The offset of a posting within its segment.
#[inline]
pub fn offset(posting: u16) -> u32 {
    u32::from(posting >> LEVEL_BITS)
}

/// The level code of a posting.
#[inline]
pub fn level(posting: u16) -> usize {
    usize::from(posting & ((1 << LEVEL_BITS) - 1))
}

/// Credits of an exact holding: the level factor.
pub fn exact_credits() -> Credits {
    let mut c = [0.0; 1 << LEVEL_BITS];
    for level in 1..=5u8 {
        c[usize::from(level)] = level_factor(level);
    }
    c
}

/// Credits of a holding `distance` levels narrower: narrower(distance) times the level factor, the
/// same product as the reference scorer's.
pub fn deeper_credits(distance: u8) -> Credits {
    let mut c = [0.0; 1 << LEVEL_BITS];
    for level in 1..=5u8 {
        c[usize::from(level)] = narrower(distance) * level_factor(level);
    }
    c
}

/// Where a walk over one list stands: its directory entry and its posting.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cursor {
    dir: usize,
    at: usize,
}

/// One posting list.
#[derive(Debug, Clone, Default)]
pub struct PostingList {
    /// Per segment that holds postings, in order: the segment and the index of its first posting.
    dir: Vec<(u32, u32)>,
    postings: Vec<u16>,
}

impl PostingList {
    /// An empty list.
    pub const fn new() -> Self {
        PostingList {
            dir: Vec::new(),
            postings: Vec::new(),
        }
    }

    /// Appends a holder at `level` (1-5); slots must come in ascending order.
    pub fn push(&mut self, slot: u32, level: u8) {
        self.push_code(slot, level.clamp(1, 5));
    }

    /// Appends a posting with any code that fits in `LEVEL_BITS`; slots must come in ascending order.
    pub fn push_code(&mut self, slot: u32, code: u8) {
        let segment = slot >> SEGMENT_BITS;
        // The vector loop (`simd`) adds sixteen postings at once, which must be of distinct slots.
        debug_assert!(
            self.dir.last().is_none_or(|d| d.0 < segment
                || d.0 == segment && self.postings.last().is_none_or(|&p| offset(p) < slot & (SEGMENT - 1))),
            "slot {slot} pushed after a slot at or beyond it"
        );
        if self.dir.last().is_none_or(|d| d.0 != segment) {
            self.dir.push((segment, self.postings.len() as u32));
        }
        let offset = (slot & (SEGMENT - 1)) as u16;
        self.postings
            .push(offset << LEVEL_BITS | u16::from(code) & ((1 << LEVEL_BITS) - 1));
    }

    /// Number of postings.
    pub fn len(&self) -> usize {
        self.postings.len()
    }

    /// True when no expert is listed.
    pub fn is_empty(&self) -> bool {
        self.postings.is_empty()
    }

    /// Heap bytes.
    pub fn bytes(&self) -> usize {
        self.postings.capacity() * 2 + self.dir.capacity() * 8 + 48
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.postings.shrink_to_fit();
        self.dir.shrink_to_fit();
    }

    /// The postings of the `j`-th segment the directory lists.
    fn run(&self, j: usize) -> &[u16] {
        let start = self.dir.get(j).map_or(self.postings.len(), |d| d.1 as usize);
        let end = self.dir.get(j + 1).map_or(self.postings.len(), |d| d.1 as usize);
        self.postings.get(start..end).unwrap_or(&[])
    }

    /// Every holder as (slot, level code) from slot `first` on, in slot order.
    pub fn iter_from(&self, first: u32) -> impl Iterator<Item = (u32, u8)> + '_ {
        let from = self.dir.partition_point(|d| d.0 < first >> SEGMENT_BITS);
        self.dir[from..].iter().enumerate().flat_map(move |(j, &(segment, _))| {
            let base = segment << SEGMENT_BITS;
            self.run(from + j)
                .iter()
                .map(move |&p| (base + offset(p), level(p) as u8))
                .filter(move |(slot, _)| *slot >= first)
        })
    }

    /// The slots below `last` whose code is at least `min`, among the first `scan` postings from slot
    /// `first` on, appended to `out`: a tight loop over the runs, for the seeding of every query.
    /// Every slot read is written and only those with the code counted, without a branch on the
    /// code: that branch mispredicted about every other posting (the seeding's scans of two lists
    /// took 26 µs per need at 100k without it, 47 with it).
    pub fn slots_from(&self, (first, last): (u32, u32), min: u8, scan: usize, out: &mut Vec<u32>) {
        let mut n = out.len();
        out.resize(n + scan, 0);
        let mut left = scan;
        let from = self.dir.partition_point(|d| d.0 < first >> SEGMENT_BITS);
        'runs: for (j, &(segment, _)) in self.dir.iter().enumerate().skip(from) {
            let base = segment << SEGMENT_BITS;
            if left == 0 || base >= last {
                break;
            }
            let run = self.run(j);
            let skip = run.partition_point(|p| base + offset(*p) < first);
            let run = run.get(skip..(skip + left).min(run.len())).unwrap_or(&[]);
            left -= run.len();
            for &p in run {
                let slot = base + offset(p);
                if slot >= last {
                    break 'runs;
                }
                // At most `scan` postings are read, so `n` stays within the room made above.
                if let Some(o) = out.get_mut(n) {
                    *o = slot;
                }
                n += usize::from(level(p) >= usize::from(min));
            }
        }
        out.truncate(n);
    }

    /// Every holder as (slot, level), in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, u8)> + '_ {
        self.iter_from(0)
    }

    /// Renumbers the holders by `renumber` (which keeps their order), dropping those mapped to
    /// `None`; codes are kept as they are.
    pub fn renumber(&mut self, renumber: impl Fn(u32) -> Option<u32>) {
        let mut out = PostingList::default();
        for (slot, code) in self.iter() {
            if let Some(new) = renumber(slot) {
                out.push_code(new, code);
            }
        }
        out.shrink_to_fit();
        *self = out;
    }

    /// The postings of the slots `start..end`, which lie in one segment, moving `cursor` past them.
    /// Their offsets count from the segment's first slot.
    #[inline]
    pub fn take(&self, cursor: &mut Cursor, start: u32, end: u32) -> &[u16] {
        let segment = start >> SEGMENT_BITS;
        // Blocks come in slot order, so the segment sought is nearly always the next entry: stepping
        // to it costs a comparison per segment over a whole query, where a binary search over the
        // rest of the directory took a few dependent loads every block (1M, one thread, need by
        // need in turn: a mean of 2,489 against 2,548 µs, faster for 161 of 200 needs).
        while self.dir.get(cursor.dir).is_some_and(|d| d.0 < segment) {
            cursor.dir += 1;
        }
        let Some(&(found, first)) = self.dir.get(cursor.dir) else {
            return &[];
        };
        if found != segment {
            return &[];
        }
        let last = self
            .dir
            .get(cursor.dir + 1)
            .map_or(self.postings.len(), |d| d.1 as usize);
        let from = cursor.at.max(first as usize);
        let run = self.postings.get(from..last).unwrap_or(&[]);
        let base = segment << SEGMENT_BITS;
        let (lo, hi) = (start - base, end - base);
        // A block of a whole segment, from its first slot, takes the whole run without a search.
        let skip = if lo > 0 {
            run.partition_point(|p| offset(*p) < lo)
        } else {
            0
        };
        let upto = if hi >= SEGMENT {
            run.len()
        } else {
            run.partition_point(|p| offset(*p) < hi)
        };
        cursor.at = from + upto;
        run.get(skip..upto).unwrap_or(&[])
    }
}

/// Exact and narrower holders of every concept, for one facet (skills or sectors).
#[derive(Debug, Clone, Default)]
pub struct FacetPostings {
    /// Experts holding the concept itself.
    pub exact: Vec<PostingList>,
    /// Per concept and distance `d` (at `d - 1`): experts holding a concept `d` levels narrower,
    /// when that beats what they hold exactly and any nearer narrower holding.
    pub deeper: Vec<Vec<PostingList>>,
    /// Per concept and distance `d` (at `d - 1`), kept for skills only: holders of the ancestor `d`
    /// levels up whom it credits more than what they hold nearer (`above`). Read by the bounded
    /// pass instead of the ancestor's own list, so that an expert holding both a tag and its parent
    /// is not counted twice.
    pub above: Vec<Vec<PostingList>>,
}

impl FacetPostings {
    /// Every list, for compaction.
    pub fn lists_mut(&mut self) -> impl Iterator<Item = &mut PostingList> {
        self.exact
            .iter_mut()
            .chain(self.deeper.iter_mut().flatten())
            .chain(self.above.iter_mut().flatten())
    }

    fn lists(&self) -> impl Iterator<Item = &PostingList> {
        self.exact
            .iter()
            .chain(self.deeper.iter().flatten())
            .chain(self.above.iter().flatten())
    }

    /// The narrower list of concept `n` at `distance`, if any.
    pub fn deeper(&self, n: u32, distance: u8) -> Option<&PostingList> {
        self.deeper.get(n as usize)?.get(usize::from(distance).checked_sub(1)?)
    }

    /// The distances concept `n` has narrower lists for: `1..=distances(n)`.
    pub fn distances(&self, n: u32) -> u8 {
        self.deeper
            .get(n as usize)
            .map_or(0, |d| u8::try_from(d.len()).unwrap_or(u8::MAX))
    }

    /// The narrower list of concept `n` at `distance`, made when new.
    pub fn deeper_mut(&mut self, n: u32, distance: u8) -> &mut PostingList {
        at_distance(&mut self.deeper[n as usize], distance)
    }

    /// The broader list of concept `n` at `distance` read by the bounded pass, if any.
    pub fn above(&self, n: u32, distance: u8) -> Option<&PostingList> {
        self.above.get(n as usize)?.get(usize::from(distance).checked_sub(1)?)
    }

    /// The broader list of concept `n` at `distance`, made when new.
    pub fn above_mut(&mut self, n: u32, distance: u8) -> &mut PostingList {
        at_distance(&mut self.above[n as usize], distance)
    }

    /// Makes room for `n` concepts.
    pub fn grow(&mut self, n: usize) {
        if self.exact.len() < n {
            self.exact.resize_with(n, PostingList::default);
            self.deeper.resize_with(n, Vec::new);
            self.above.resize_with(n, Vec::new);
        }
    }

    /// Total postings.
    pub fn len(&self) -> usize {
        self.lists().map(PostingList::len).sum()
    }

    /// True when no posting is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Heap bytes of the postings and their directories.
    pub fn bytes(&self) -> usize {
        self.lists().map(PostingList::bytes).sum::<usize>()
            + self
                .deeper
                .iter()
                .chain(&self.above)
                .map(|d| d.capacity() * 48)
                .sum::<usize>()
    }
}

/// The list at `distance` (from 1) of one concept's lists by distance, made when new.
fn at_distance(by_distance: &mut Vec<PostingList>, distance: u8) -> &mut PostingList {
    let d = usize::from(distance.max(1));
    if by_distance.len() < d {
        by_distance.resize_with(d, PostingList::default);
    }
    &mut by_distance[d - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(slots: &[(u32, u8)]) -> PostingList {
        let mut l = PostingList::default();
        for &(s, level) in slots {
            l.push(s, level);
        }
        l
    }

    #[test]
    fn postings_round_trip_across_segments() {
        let held = [(0, 1), (3, 5), (SEGMENT - 1, 2), (SEGMENT * 3 + 7, 4), (MAX_SLOT, 3)];
        let l = list(&held);
        assert_eq!(l.iter().collect::<Vec<_>>(), held);
        assert_eq!(l.iter_from(4).collect::<Vec<_>>(), held[2..]);
        assert_eq!(l.iter_from(SEGMENT).collect::<Vec<_>>(), held[3..]);
    }

    #[test]
    fn take_returns_each_blocks_run_once() {
        let held: Vec<(u32, u8)> = (0..200).map(|i| (i * 3, (i % 5 + 1) as u8)).collect();
        let l = list(&held);
        let block = SEGMENT / 2;
        let mut cursor = Cursor::default();
        let mut seen = Vec::new();
        // Block by block, two per segment, as the scorer walks them.
        for start in (0..600).step_by(block as usize) {
            let run = l.take(&mut cursor, start, start + block);
            let base = start & !(SEGMENT - 1);
            seen.extend(run.iter().map(|&p| (base + offset(p), level(p) as u8)));
            assert!(seen.iter().all(|(s, _)| *s < start + block));
        }
        assert_eq!(seen, held);
        let mut cursor = Cursor::default();
        let later = l.take(&mut cursor, 2 * SEGMENT, 2 * SEGMENT + block);
        assert_eq!(
            later.len(),
            held.iter()
                .filter(|(s, _)| (2 * SEGMENT..2 * SEGMENT + block).contains(s))
                .count()
        );
    }

    #[test]
    fn slots_from_scans_as_many_postings_as_asked_from_the_first_slot() {
        let held: Vec<(u32, u8)> = (0..300).map(|i| (i * 7 + i % 3, (i * 7 % 5 + 1) as u8)).collect();
        let l = list(&held);
        for first in [0, 5, SEGMENT - 1, SEGMENT, 3 * SEGMENT + 2, 2_000, 2_200] {
            for last in [first, first + 40, 2 * SEGMENT, 2_500] {
                for (min, scan) in [(1, 1000), (4, 10), (4, 1000), (5, 0), (3, 33)] {
                    // The iterator over every holder, cut the same way.
                    let want: Vec<u32> = l
                        .iter_from(first)
                        .take(scan)
                        .take_while(|(s, _)| *s < last)
                        .filter(|(_, level)| *level >= min)
                        .map(|(s, _)| s)
                        .collect();
                    // Appended after what `out` holds already.
                    let mut got = vec![u32::MAX];
                    l.slots_from((first, last), min, scan, &mut got);
                    assert_eq!(got[0], u32::MAX);
                    assert_eq!(got[1..], want, "first {first} last {last} min {min} scan {scan}");
                }
            }
        }
    }

    #[test]
    fn renumbering_drops_and_keeps_order() {
        let mut l = list(&[(1, 1), (40, 2), (90, 3)]);
        l.renumber(|s| (s != 40).then_some(s / 2));
        assert_eq!(l.iter().collect::<Vec<_>>(), vec![(0, 1), (45, 3)]);
    }

    #[test]
    fn credits_follow_the_reference_factors() {
        assert_eq!(exact_credits()[5], 1.0);
        assert_eq!(exact_credits()[0], 0.0);
        assert_eq!(deeper_credits(2)[4], narrower(2) * level_factor(4));
    }
}
