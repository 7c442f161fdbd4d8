//! The bounded pass's two hottest loops, with AVX-512 where the processor has it (checked at run
//! time) and scalar loops elsewhere.
//!
//! **Adding a block's postings into its gains** (`add_gains`): gathers and scatters, sixteen
//! postings at a time. Both give the same floats bit for bit: a list holds a slot at
//! most once (its postings are in strictly ascending slot order), so the sixteen lanes never meet,
//! and every gain gets the same additions in the same order.
//!
//! Measured need by need, both loops in turn in one process (order alternating), the same top 20:
//! 100k, one thread, a mean of 412 against 424 µs (faster for 139 of 200 needs); 1M, one thread,
//! 2,232 against 2,401 µs (151 of 200); 1M, two threads, 1,373 against 1,426 µs (122 of 200) and
//! the batch of 200 a median 228 against 250 ms over 5 rounds. A standalone loop over the same
//! shape of runs: 0.71 against 1.0 ns a posting.
//!
//! **Scanning the block for the gains that reach the need** (`collect_reaching`): one compare of
//! sixteen gains into a mask, thirty-two into a word. The scalar scan compiled to 128-bit compares
//! and shifts and was 11 % of a need's samples at 1M under perf; the vector scan took a need at
//! 1M, one thread, from a mean of 2,151 to 2,063 µs (faster for 179 of 200 needs, in turn in one
//! process), within noise at 100k; comparing all the gains first, before visiting any bit, took
//! another 4-5 % off at 1M and 100k. Both collect the same slots and gains.
//!
//! The second module allowed `unsafe` (Cargo.toml denies it elsewhere): the intrinsics are
//! `unsafe` to call. What keeps them sound is checked here, not assumed of the caller: the
//! processor's features before the vector path is entered; every lane's index masked below the
//! gain array's length, which its type fixes; every load of postings within the run; every load
//! and store of the scan within the gain array (its length a multiple of 16, fixed by its type,
//! and no gains past it scanned).
#![allow(unsafe_code)]

use super::index::{level, offset, Credits, LEVEL_BITS};

/// The most words of 32 gains the vector scan lists: a block of 8,192.
const HIT_WORDS: usize = 256;

/// Adds `credits[level]` of every posting of `run` to `gain[offset]`, the offset taken modulo
/// `N` (a power of two): the gains of a block of `N` slots starting on a multiple of `N`.
#[inline]
pub(super) fn add_gains<const N: usize>(run: &[u16], credits: &Credits, gain: &mut [f32; N]) {
    #[cfg(target_arch = "x86_64")]
    if N.is_power_of_two() && avx512() {
        // SAFETY: the processor has AVX-512F (just checked); `add_gains_avx512` reads and writes
        // within `run` and `gain` only (see there).
        unsafe { add_gains_avx512(run, credits, gain) };
        return;
    }
    add_gains_scalar(run, credits, gain);
}

/// The scalar loop.
#[inline]
pub(super) fn add_gains_scalar<const N: usize>(run: &[u16], credits: &Credits, gain: &mut [f32; N]) {
    for &p in run {
        gain[offset(p) as usize % N] += credits[level(p)];
    }
}

/// True when the processor has AVX-512F (the standard library caches the answer).
#[cfg(target_arch = "x86_64")]
pub(super) fn avx512() -> bool {
    std::is_x86_feature_detected!("avx512f")
}

/// The vector loop: per sixteen postings, their offsets and level codes widened to 32 bits, the
/// credits looked up in a register, the sixteen gains gathered, added to and scattered back
/// (after the next sixteen are gathered).
///
/// # Safety
/// The processor must have AVX-512F. Loads read `run[i..i + 16]` with `i + 16 <= run.len()`;
/// gathers and scatters touch `gain[j]` with `j = offset & (N − 1) < N` (`N` a power of two).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn add_gains_avx512<const N: usize>(run: &[u16], credits: &Credits, gain: &mut [f32; N]) {
    use std::arch::x86_64::{
        __m256i, _mm256_loadu_si256, _mm512_add_ps, _mm512_and_si512, _mm512_cvtepu16_epi32, _mm512_i32gather_ps,
        _mm512_i32scatter_ps, _mm512_loadu_ps, _mm512_permutexvar_ps, _mm512_set1_epi32, _mm512_srli_epi32,
    };
    let mut table = [0.0f32; 16];
    table[..credits.len()].copy_from_slice(credits);
    let table = _mm512_loadu_ps(table.as_ptr());
    let level_mask = _mm512_set1_epi32((1 << LEVEL_BITS) - 1);
    let index_mask = _mm512_set1_epi32(N as i32 - 1);
    let base = gain.as_mut_ptr();
    let whole = run.len() / 16 * 16;
    // Per sixteen postings from `i` (with `i + 16 <= run.len()`): the gain indexes and additions.
    let sixteen = |i: usize| {
        // SAFETY: i + 16 <= run.len(), so the 32 bytes read lie within `run`.
        let postings = unsafe { _mm256_loadu_si256(run.as_ptr().add(i).cast::<__m256i>()) };
        let wide = _mm512_cvtepu16_epi32(postings);
        let index = _mm512_and_si512(_mm512_srli_epi32::<LEVEL_BITS>(wide), index_mask);
        (index, _mm512_permutexvar_ps(_mm512_and_si512(wide, level_mask), table))
    };
    if whole > 0 {
        // Software-pipelined: the next sixteen gains are gathered before these sixteen are
        // scattered, which a list allows (it holds a slot once, so the two sets never meet), so
        // that the gather need not wait on the scatter before it. Need by need in turn: 1M, one
        // thread, a mean of 1,707 against 1,770 µs (faster for 143 of 200 needs); 100k 426
        // against 436 µs (129 of 200).
        let (mut index, mut add) = sixteen(0);
        // SAFETY: every index is below N, the length of `gain` (masked).
        let mut old = unsafe { _mm512_i32gather_ps::<4>(index, base.cast_const()) };
        let mut i = 16;
        while i < whole {
            let (next_index, next_add) = sixteen(i);
            // SAFETY: the indexes are below N; the lanes' indexes differ, and differ from those
            // of the sixteen before, so each gain is read before it is written and written once.
            unsafe {
                let next_old = _mm512_i32gather_ps::<4>(next_index, base.cast_const());
                _mm512_i32scatter_ps::<4>(base, index, _mm512_add_ps(old, add));
                old = next_old;
            }
            (index, add) = (next_index, next_add);
            i += 16;
        }
        // SAFETY: as above.
        unsafe { _mm512_i32scatter_ps::<4>(base, index, _mm512_add_ps(old, add)) };
    }
    add_gains_scalar(&run[whole..], credits, gain);
}

/// Collects, in slot order, the offsets and gains of the block's first `len` gains that reach
/// `needed` and whose bit is set in `open` (32 gains a word, the first in the lowest bit), and
/// clears the gains; `open` may be overwritten. Returns how many it collected. Gains and `needed`
/// are positive floats (or zero), whose bit patterns order as the floats do: they compare as
/// signed integers.
#[inline]
pub(super) fn collect_reaching<const N: usize>(
    gain: &mut [f32; N],
    len: usize,
    needed: f32,
    open: &mut [u32],
    candidates: &mut [u16; N],
    gains: &mut [f32; N],
) -> usize {
    #[cfg(target_arch = "x86_64")]
    if N.is_multiple_of(16) && N <= 32 * HIT_WORDS && len <= N && avx512() {
        // SAFETY: the processor has AVX-512F (just checked); `collect_reaching_avx512` loads and
        // stores whole groups of sixteen gains below `len.div_ceil(16) * 16 <= N` (see there).
        return unsafe { collect_reaching_avx512(gain, len, needed, open, candidates, gains) };
    }
    collect_reaching_scalar(gain, len, needed, open, candidates, gains)
}

/// The scalar scan: one bit per gain reaching `needed` over a chunk of 32, then only the set bits
/// visited (candidates are a few in a hundred), and the gains cleared in one go after.
#[inline]
pub(super) fn collect_reaching_scalar<const N: usize>(
    gain: &mut [f32; N],
    len: usize,
    needed: f32,
    open: &mut [u32],
    candidates: &mut [u16; N],
    gains: &mut [f32; N],
) -> usize {
    let len = len.min(N);
    let needed = needed.to_bits() as i32;
    let mut n = 0;
    for (c, chunk) in gain[..len].chunks(32).enumerate() {
        let reaches = |h: u32, (j, g): (usize, &f32)| h | u32::from(g.to_bits() as i32 >= needed) << j;
        let mut hits = chunk.iter().enumerate().fold(0u32, reaches) & open.get(c).copied().unwrap_or(0);
        while hits != 0 {
            let j = hits.trailing_zeros() as usize;
            hits &= hits - 1;
            candidates[n % N] = (c * 32 + j) as u16;
            gains[n % N] = chunk[j];
            n += 1;
        }
    }
    gain[..len].fill(0.0);
    n
}

/// The vector scan in three passes, the first without a branch on the gains: per 32 gains, two
/// compares masked by the open word into one word written over it, and the word's index listed
/// when it has a bit; then the set bits of the listed words visited; then the gains cleared. One
/// pass that visited the bits and cleared each group of sixteen as it went was slower: need by
/// need in turn, 1M one thread, a mean of 1,879 against 1,801 µs for this one (faster for 186 of
/// 200 needs), 100k 356 against 339 µs (181 of 200). Masking the compares and listing the words
/// with a hit, instead of ANDing the words and then testing all of them, took 1M (one thread, in
/// turn) from a mean of 1,003 to 969 µs and 1,283 to 1,245 µs (faster for 153 and 160 of 200
/// needs), and 100k from 352 to 345 µs and 321 to 313 µs (140 and 141 of 200).
///
/// # Safety
/// The processor must have AVX-512F, `N` must be a multiple of 16 and `len <= N`: loads and
/// stores touch `gain[16g..16g + 16]` for `g < len.div_ceil(16)`, so below `N`. `N` is at most
/// `32 · HIT_WORDS`, so the listed words fit their array (which is indexed modulo its length
/// anyway).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn collect_reaching_avx512<const N: usize>(
    gain: &mut [f32; N],
    len: usize,
    needed: f32,
    open: &mut [u32],
    candidates: &mut [u16; N],
    gains: &mut [f32; N],
) -> usize {
    use std::arch::x86_64::{
        _mm512_loadu_si512, _mm512_mask_cmpge_epi32_mask, _mm512_set1_epi32, _mm512_setzero_si512, _mm512_storeu_si512,
    };
    let needed = _mm512_set1_epi32(needed.to_bits() as i32);
    let base = gain.as_mut_ptr();
    let groups = len.div_ceil(16);
    let mut n = 0;
    // The words with a hit, listed as they are written (without a branch), so that the second
    // pass visits those only: a few in a hundred hold a candidate.
    let mut hit = [0u16; HIT_WORDS];
    let mut hits = 0;
    let pairs = groups / 2;
    for (c, word) in open.iter_mut().enumerate().take(pairs) {
        // SAFETY: 32c + 32 <= 16·groups <= N. The open word masks the compares: a closed slot's
        // bit is never set.
        let (lo, hi) = unsafe {
            (
                _mm512_mask_cmpge_epi32_mask(*word as u16, _mm512_loadu_si512(base.add(32 * c).cast()), needed),
                _mm512_mask_cmpge_epi32_mask(
                    (*word >> 16) as u16,
                    _mm512_loadu_si512(base.add(32 * c + 16).cast()),
                    needed,
                ),
            )
        };
        *word = u32::from(hi) << 16 | u32::from(lo);
        hit[hits % HIT_WORDS] = c as u16;
        hits += usize::from(*word != 0);
    }
    if groups % 2 == 1 {
        if let Some(word) = open.get_mut(pairs) {
            // SAFETY: 32·pairs + 16 = 16·groups <= N.
            let lo = unsafe {
                _mm512_mask_cmpge_epi32_mask(*word as u16, _mm512_loadu_si512(base.add(32 * pairs).cast()), needed)
            };
            *word = u32::from(lo);
            hit[hits % HIT_WORDS] = pairs as u16;
            hits += usize::from(*word != 0);
        }
    }
    for &c in &hit[..hits.min(HIT_WORDS)] {
        let c = usize::from(c);
        let mut bits = open.get(c).copied().unwrap_or(0);
        while bits != 0 {
            let j = 32 * c + bits.trailing_zeros() as usize;
            bits &= bits - 1;
            candidates[n % N] = j as u16;
            gains[n % N] = gain[j % N];
            n += 1;
        }
    }
    let zero = _mm512_setzero_si512();
    for g in 0..groups {
        // SAFETY: 16g + 16 <= N.
        unsafe { _mm512_storeu_si512(base.add(16 * g).cast(), zero) };
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run of strictly ascending offsets below 8192 with level codes 1-5, from a simple generator.
    fn run(seed: u64, len: usize) -> Vec<u16> {
        let mut x = seed | 1;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut offsets: Vec<u16> = (0..len).map(|_| (next() % 8192) as u16).collect();
        offsets.sort_unstable();
        offsets.dedup();
        offsets
            .into_iter()
            .map(|o| o << LEVEL_BITS | (1 + next() % 5) as u16)
            .collect()
    }

    #[test]
    fn the_vector_loop_adds_exactly_what_the_scalar_loop_adds() {
        let credits: Credits = [0.0, 0.1, 0.25, 0.3, 0.55, 0.7, 0.0, 0.0];
        let (mut fast, mut slow) = ([0.25f32; 8192], [0.25f32; 8192]);
        // Runs of every length around the vector width, and long ones, added one after another.
        for (seed, len) in (0..40u64)
            .map(|s| (s, s as usize))
            .chain([(77, 500), (78, 3000), (79, 8192)])
        {
            let run = run(seed + 1, len);
            add_gains(&run, &credits, &mut fast);
            add_gains_scalar(&run, &credits, &mut slow);
        }
        assert!(fast.iter().zip(&slow).all(|(a, b)| a.to_bits() == b.to_bits()));
        assert!(slow.iter().any(|g| *g > 1.0), "the runs added something");
        #[cfg(target_arch = "x86_64")]
        if !avx512() {
            eprintln!("no AVX-512 here: only the scalar loop was compared with itself");
        }
    }

    #[test]
    fn the_vector_scan_collects_and_clears_what_the_scalar_scan_does() {
        // Gains at and around the needed value, zeros, and every open pattern, over blocks cut
        // at every length around the chunk widths and whole.
        let needed = 0.5f32;
        let values = [0.0, 1e-6, 0.25, 0.4999999, 0.5, 0.5000001, 0.75, 3.0];
        let mut x = 12345u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let block: Vec<f32> = (0..8192).map(|_| values[(next() % 8) as usize]).collect();
        let open: Vec<u32> = (0..256)
            .map(|i| if i % 3 == 0 { u32::MAX } else { next() as u32 })
            .collect();
        for len in (0..70).chain([500, 8191, 8192]) {
            let (mut fast, mut slow) = ([0.0f32; 8192], [0.0f32; 8192]);
            fast[..len].copy_from_slice(&block[..len]);
            slow[..len].copy_from_slice(&block[..len]);
            let (mut fast_at, mut slow_at) = ([0u16; 8192], [0u16; 8192]);
            let (mut fast_gain, mut slow_gain) = ([0.0f32; 8192], [0.0f32; 8192]);
            let open = &open[..len.div_ceil(32)];
            let (mut fast_open, mut slow_open) = (open.to_vec(), open.to_vec());
            let n = collect_reaching(&mut fast, len, needed, &mut fast_open, &mut fast_at, &mut fast_gain);
            let m = collect_reaching_scalar(&mut slow, len, needed, &mut slow_open, &mut slow_at, &mut slow_gain);
            assert_eq!(n, m, "{len} gains");
            assert_eq!(fast_at[..n], slow_at[..n]);
            assert!(fast_gain[..n]
                .iter()
                .zip(&slow_gain[..n])
                .all(|(a, b)| a.to_bits() == b.to_bits()));
            assert!(fast.iter().chain(&slow).all(|g| *g == 0.0), "the gains are cleared");
            // What the scalar scan collects is every open gain reaching the need, in order.
            let expected: Vec<u16> = (0..len)
                .filter(|&i| block[i] >= needed && open[i / 32] >> (i % 32) & 1 == 1)
                .map(|i| i as u16)
                .collect();
            assert_eq!(slow_at[..m], expected[..]);
        }
    }
}
