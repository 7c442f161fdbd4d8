//! Scoring benches on seeded synthetic pools: the index's postings path beside the scalar reference and
//! the dense tag-major layout, one need at a time, and a batch of needs on every core.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use ndarray::Array1;
use talentbridge::bench::layouts::TagMajor;
use talentbridge::bench::reference_top;
use talentbridge::bench::synthetic::Pool;
use talentbridge::domain::Expert;
use talentbridge::engine::matching::{MatchFilter, MatchIndex, MatchNeed, Scratch};
use talentbridge::engine::Taxonomy;

/// Pool sizes.
const EXPERTS: [usize; 2] = [10_000, 100_000];
/// Matches per need.
const K: usize = 20;
/// Needs cycled through, and the size of the batch.
const NEEDS: usize = 200;
/// Seed of the synthetic pool.
const SEED: u64 = 42;
/// Threads of the batch.
const THREADS: usize = 2;

struct Fixture {
    taxonomy: Taxonomy,
    experts: Vec<Expert>,
    index: MatchIndex,
    dense: TagMajor,
    needs: Vec<MatchNeed>,
}

fn fixture(experts: usize) -> Fixture {
    let taxonomy = Taxonomy::build(talentbridge::seed::concepts().expect("seed concepts")).expect("seed taxonomy");
    let pool = Pool::new(&taxonomy, SEED).expect("a pool over the seed taxonomy");
    let experts: Vec<Expert> = pool.experts(experts).collect();
    let mut index = MatchIndex::new(&taxonomy);
    let mut dense = TagMajor::with_capacity(&taxonomy, experts.len()).expect("the dense layout fits");
    for e in &experts {
        index.upsert(e);
        dense.push(e);
    }
    Fixture {
        needs: pool.needs(NEEDS),
        taxonomy,
        experts,
        index,
        dense,
    }
}

/// The next need of a cycle over all of them, so a figure is the mean over needs.
fn cycle<'a>(needs: &'a [MatchNeed]) -> impl FnMut() -> &'a MatchNeed + 'a {
    let mut i = 0;
    move || {
        i = (i + 1) % needs.len();
        &needs[i]
    }
}

fn scoring(c: &mut Criterion) {
    let filter = MatchFilter::default();
    for experts in EXPERTS {
        let f = fixture(experts);
        let mut score = c.benchmark_group("score");
        score
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        score.bench_function(BenchmarkId::new("score-postings", experts), |b| {
            let (mut next, mut scratch) = (cycle(&f.needs), Scratch::default());
            b.iter(|| black_box(f.index.top(next(), &filter, K, true, &mut scratch)))
        });
        score.bench_function(BenchmarkId::new("score-reference", experts), |b| {
            let mut next = cycle(&f.needs);
            b.iter(|| black_box(reference_top(&f.taxonomy, next(), &f.experts, &filter, K)))
        });
        score.bench_function(BenchmarkId::new("score-tag-major", experts), |b| {
            let (mut next, mut acc) = (cycle(&f.needs), Array1::zeros(0));
            b.iter(|| black_box(f.dense.top(next(), K, &mut acc)))
        });
        score.finish();

        let mut batch = c.benchmark_group("batch");
        batch
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        batch.bench_function(BenchmarkId::new(format!("batch-{NEEDS}"), experts), |b| {
            b.iter(|| black_box(f.index.top_batch(&f.needs, &filter, K, true, THREADS)))
        });
        batch.finish();
    }
}

criterion_group!(benches, scoring);
criterion_main!(benches);
