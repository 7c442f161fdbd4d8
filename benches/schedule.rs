//! Scheduler benches on a seeded synthetic event: the per-slot assignment (must pairs, Hungarian
//! method per slot, local search) beside the greedy baseline, on 100 needs x 300 experts x 12 slots.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use talentbridge::bench::schedule::{schedule_figures, synthetic_problem, SEED};
use talentbridge::engine::events::schedule::{assign, greedy};

/// Needs of the event.
const NEEDS: usize = 100;
/// Experts of the event.
const EXPERTS: usize = 300;
/// Time slots, every other one with tables.
const SLOTS: usize = 12;
/// Samples per bench: one assignment takes milliseconds.
const SAMPLES: usize = 20;
/// Runs behind the placement figures printed before the benches.
const FIGURE_RUNS: usize = 5;

fn schedule(c: &mut Criterion) {
    // Criterion times; what each scheduler placed (meetings, must pairs, weight, minimums) goes beside.
    eprintln!("{:#}", schedule_figures(NEEDS, EXPERTS, SLOTS, FIGURE_RUNS));
    let problem = synthetic_problem(NEEDS, EXPERTS, SLOTS, SEED);
    let mut group = c.benchmark_group("schedule");
    group.sample_size(SAMPLES).measurement_time(Duration::from_secs(5));
    group.bench_function("assign", |b| b.iter(|| assign(black_box(&problem), &[])));
    group.bench_function("greedy", |b| b.iter(|| greedy(black_box(&problem))));
    group.finish();
}

criterion_group!(benches, schedule);
criterion_main!(benches);
