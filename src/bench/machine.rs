//! Facts about the machine the figures are read against: cores, how fast memory streams (one thread and
//! all bench threads) and how many scattered float updates per second it does.

use std::hint::black_box;
use std::time::Instant;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;

const STREAM_BYTES: usize = 256 << 20;
const SCATTER_UPDATES: usize = 1 << 24;
const SCATTER_MIB: [usize; 3] = [4, 16, 64];
const BEST_OF: usize = 3;

/// What the machine allows.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    /// Cores the process may use.
    pub cores: usize,
    /// Sequential read of a 256 MiB buffer on one thread, best of 3, GB/s.
    pub memory_bandwidth_gbps: f64,
    /// The same buffer split over `threads` threads.
    pub memory_bandwidth_gbps_threads: f64,
    /// Threads of the figure above (and of the batch).
    pub threads: usize,
    /// Random `+=` on f32 arrays of 4, 16 and 64 MiB, best of 3, millions per second.
    pub scattered_updates_mps: Vec<ScatterRate>,
}

/// Scattered updates into an array of one size.
#[derive(Debug, Clone, Serialize)]
pub struct ScatterRate {
    /// Size of the array.
    pub array_mib: usize,
    /// Millions of updates per second.
    pub mups: f64,
}

impl Machine {
    /// Measures the machine (a few seconds).
    pub fn measure(threads: usize) -> Machine {
        let threads = threads.max(1);
        let buffer: Vec<u64> = (0..STREAM_BYTES / 8).map(|i| i as u64).collect();
        let single = best_seconds(|| sum(&buffer, 1));
        let parallel = best_seconds(|| sum(&buffer, threads));
        let mut rng = StdRng::seed_from_u64(1);
        let targets: Vec<u32> = (0..SCATTER_UPDATES).map(|_| rng.random()).collect();
        drop(buffer);
        Machine {
            cores: cores(),
            memory_bandwidth_gbps: round2(STREAM_BYTES as f64 / single / 1e9),
            memory_bandwidth_gbps_threads: round2(STREAM_BYTES as f64 / parallel / 1e9),
            threads,
            scattered_updates_mps: SCATTER_MIB
                .iter()
                .map(|&mib| ScatterRate {
                    array_mib: mib,
                    mups: round2(SCATTER_UPDATES as f64 / scatter_seconds(mib, &targets) / 1e6),
                })
                .collect(),
        }
    }

    /// The milliseconds that streaming `bytes` takes at the measured bandwidth of `threads` threads.
    pub fn bound_ms(&self, bytes: usize, threads: usize) -> f64 {
        let gbps = if threads > 1 {
            self.memory_bandwidth_gbps_threads
        } else {
            self.memory_bandwidth_gbps
        };
        (bytes as f64 / (gbps * 1e6) * 1e5).round() / 1e5
    }
}

/// Cores available to the process.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn best_seconds(mut f: impl FnMut() -> u64) -> f64 {
    (0..BEST_OF)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn sum(buffer: &[u64], threads: usize) -> u64 {
    // Integer wrapping adds reassociate freely, so the loop vectorizes.
    let chunk = buffer.len().div_ceil(threads);
    std::thread::scope(|s| {
        let parts: Vec<_> = black_box(buffer)
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().fold(0u64, |a, &x| a.wrapping_add(x))))
            .collect();
        parts
            .into_iter()
            .map(|h| h.join().unwrap_or(0))
            .fold(0, u64::wrapping_add)
    })
}

fn scatter_seconds(mib: usize, targets: &[u32]) -> f64 {
    let len = (mib << 20) / 4;
    let mask = (len - 1) as u32;
    let mut array = vec![0f32; len];
    array.iter_mut().for_each(|x| *x = 1.0);
    best_seconds(|| {
        for &t in black_box(targets) {
            array[(t & mask) as usize] += 1.0;
        }
        black_box(&array);
        0
    })
}
