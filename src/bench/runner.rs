//! The bench run: builds the index (and the dense layout) from a stream of experts, times every path
//! over the needs, and prints one JSON object. Progress goes to standard error.

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::data::load_input;
use super::figures::{layout_comparison, merge, per_need, scalar_reference, work_fields, write_visibility};
use super::layouts::TagMajor;
use super::machine::{cores, Machine};
use super::policies::bounded_policies;
use super::stats::{median, ms, round, summarize};
use super::synthetic::{Pool, ACTIVE_SHARE, HOME_SHARE, ZIPF_EXPONENT};
use crate::config::BenchArgs;
use crate::domain::{Expert, ExpertStatus};
use crate::engine::matching::{prepare, Match, MatchFilter, MatchIndex, MatchNeed, ScatterScratch, Scratch, Work};
use crate::engine::Taxonomy;
use crate::error::{Error, Result};

/// Needs of a synthetic run when `--needs` is absent.
pub const DEFAULT_NEEDS: usize = 200;

/// Runs the bench and prints its JSON report on standard output.
pub fn run(args: &BenchArgs) -> Result<()> {
    if let Some(path) = &args.write_export {
        return super::export::write_export(path, args.pool_size(), args.needs.unwrap_or(DEFAULT_NEEDS), args.seed);
    }
    if let Some(path) = &args.write_top {
        return super::answers::write_top(args, path);
    }
    let report = match args.schedule_slots {
        Some(slots) => {
            let experts = args.experts.unwrap_or(300);
            super::schedule::schedule_figures(args.needs.unwrap_or(100), experts, slots, args.runs)
        }
        None => serde_json::to_value(report(args)?).map_err(|e| Error::Internal(e.to_string()))?,
    };
    let text = serde_json::to_string_pretty(&report).map_err(|e| Error::Internal(e.to_string()))?;
    println!("{text}");
    Ok(())
}

/// What every figure is measured against.
pub(super) struct Setup<'a> {
    pub(super) args: &'a BenchArgs,
    pub(super) machine: Machine,
    pub(super) threads: usize,
    pub(super) taxonomy: Taxonomy,
    pub(super) needs: Vec<MatchNeed>,
    pub(super) source: Value,
}

/// The report of a run. The input is read (and checked) before the machine is measured.
pub fn report(args: &BenchArgs) -> Result<Report> {
    let threads = args.threads.unwrap_or_else(cores).max(1);
    let measure = || {
        eprintln!("bench: measuring the machine");
        Machine::measure(threads)
    };
    match &args.data {
        Some(path) => {
            let (taxonomy, needs, experts) = load_input(path, args.needs)?;
            let count = experts.len();
            let setup = Setup {
                args,
                machine: measure(),
                threads,
                taxonomy,
                needs,
                source: json!({ "kind": "export", "path": path.display().to_string() }),
            };
            bench(&setup, experts.into_iter(), count)
        }
        None => {
            let taxonomy = Taxonomy::build(crate::seed::concepts()?)?;
            let pool = Pool::new(&taxonomy, args.seed)?;
            let setup = Setup {
                args,
                machine: measure(),
                threads,
                needs: pool.needs(args.needs.unwrap_or(DEFAULT_NEEDS)),
                source: json!({
                    "kind": "synthetic",
                    "seed": args.seed,
                    "zipf_exponent": ZIPF_EXPONENT,
                    "home_domain_share": HOME_SHARE,
                    "active_share": ACTIVE_SHARE,
                }),
                taxonomy,
            };
            bench(&setup, pool.experts(args.pool_size()), args.pool_size())
        }
    }
}

/// The index, the dense layout and the experts kept for the reference, built from one pass.
pub(super) struct Built {
    pub(super) index: MatchIndex,
    pub(super) dense: Option<TagMajor>,
    pub(super) reference: Vec<Expert>,
    pub(super) experts: usize,
    pub(super) active: usize,
    pub(super) index_build: Duration,
    pub(super) dense_build: Duration,
    pub(super) total: Duration,
}

fn build(setup: &Setup, experts: impl Iterator<Item = Expert>, count: usize) -> Built {
    let started = Instant::now();
    let mut built = Built {
        index: MatchIndex::new(&setup.taxonomy),
        dense: TagMajor::with_capacity(&setup.taxonomy, count),
        reference: Vec::with_capacity(count.min(setup.args.reference_limit)),
        experts: 0,
        active: 0,
        index_build: Duration::ZERO,
        dense_build: Duration::ZERO,
        total: Duration::ZERO,
    };
    for e in experts {
        let t = Instant::now();
        built.index.upsert(&e);
        built.index_build += t.elapsed();
        if let Some(dense) = &mut built.dense {
            let t = Instant::now();
            dense.push(&e);
            built.dense_build += t.elapsed();
        }
        built.experts += 1;
        built.active += usize::from(e.status == ExpertStatus::Active);
        if built.experts.is_multiple_of(100_000) {
            eprintln!("bench: {} experts indexed", built.experts);
        }
        if built.reference.len() < setup.args.reference_limit {
            built.reference.push(e);
        }
    }
    // The service does the same after its start-up load.
    let t = Instant::now();
    built.index.shrink_to_fit();
    built.index_build += t.elapsed();
    built.total = started.elapsed();
    built
}

fn bench(setup: &Setup, experts: impl Iterator<Item = Expert>, count: usize) -> Result<Report> {
    if setup.needs.is_empty() {
        return Err(Error::BadParameter("no needs to run".into()));
    }
    eprintln!("bench: building the pool of {count} experts");
    let mut built = build(setup, experts, count);
    if built.experts == 0 {
        return Err(Error::BadParameter("no experts to match".into()));
    }
    let (args, needs, filter) = (setup.args, &setup.needs, MatchFilter::default());
    let index = &built.index;
    let mut scratch = Scratch::default();

    // The warm-up pass records what each need touches and its answer, for the reference check.
    let (answers, works): (Vec<Vec<Match>>, Vec<Work>) = needs
        .iter()
        .map(|n| index.top(n, &filter, args.k, false, &mut scratch))
        .unzip();
    eprintln!("bench: timing the index");
    let single = per_need(needs, args.runs, |n| {
        black_box(index.top(n, &filter, args.k, true, &mut scratch));
    });
    let single_parallel = per_need(needs, args.runs, |n| {
        black_box(index.top_parallel(n, &filter, args.k, true, setup.threads, &mut scratch));
    });
    let single_no_explain = per_need(needs, args.runs, |n| {
        black_box(index.top(n, &filter, args.k, false, &mut scratch));
    });
    eprintln!("bench: timing the bounded pass's policies");
    let (policies, full_works) = bounded_policies(index, needs, &filter, args.k, args.runs);
    // The first layout, postings accumulated into slot-long arrays at random, on the same needs.
    let mut scatter = ScatterScratch::default();
    let scattered = per_need(needs, args.runs, |n| {
        let prepared = prepare(index, n, &filter);
        black_box(index.rank_scattered(&prepared, args.k, &mut scatter));
    });
    let batch: Vec<f64> = (0..args.runs)
        .map(|_| {
            let t = Instant::now();
            black_box(index.top_batch(needs, &filter, args.k, true, setup.threads));
            ms(t.elapsed())
        })
        .collect();

    let layout = layout_comparison(setup, &built, &single_no_explain, &scattered);
    let reference = scalar_reference(setup, &built, &answers);
    // Sizes as loaded (and shrunk), before the write test appends to lists.
    let stats = built.index.stats();
    let writes = write_visibility(setup, &mut built);

    let m = &setup.machine;
    let need_work = work_fields(&works, m);
    let total_bytes: usize = works.iter().map(Work::bytes).sum();
    // What a need touches through its tags: the candidates of the full pass.
    let touched: Vec<f64> = full_works
        .iter()
        .map(|w| w.candidates as f64 / stats.slots as f64)
        .collect();
    let mut fig_single = merge(summarize(&single), &need_work);
    fig_single["explain"] = json!(true);
    let report = Report {
        machine: json!(m),
        pool: json!({
            "source": setup.source,
            "experts": built.experts,
            "active_experts": built.active,
            "needs": needs.len(),
            "must_have_needs": needs.iter().filter(|n| n.skills.iter().any(|s| s.must_have)).count(),
            "concepts": setup.taxonomy.len(),
            "k": args.k,
            "runs": args.runs,
            "threads": setup.threads,
            "index_bytes": stats.bytes,
            "index_parts": {"postings": stats.postings_bytes, "columns": stats.columns_bytes, "id_lookup": stats.lookup_bytes},
            "index_bytes_per_expert": round(stats.bytes as f64 / built.experts as f64),
            "index_postings": stats.postings,
            "index_build_ms": round(ms(built.index_build)),
            "pool_build_ms": round(ms(built.total)),
            "touched_share": {
                "median": round(median(&touched)),
                "mean": round(touched.iter().sum::<f64>() / touched.len() as f64),
                "min": round(touched.iter().copied().fold(f64::INFINITY, f64::min)),
                "max": round(touched.iter().copied().fold(0.0, f64::max)),
            },
        }),
        figures: json!({
            "bounded_pass": policies,
            "single_need": fig_single,
            "single_need_parallel": merge(summarize(&single_parallel), &json!({"explain": true, "threads": setup.threads})),
            "single_need_no_explain": merge(summarize(&single_no_explain), &need_work),
            "batch": merge(summarize(&batch), &json!({
                "needs": needs.len(),
                "threads": setup.threads,
                "explain": true,
                "postings": works.iter().map(|w| w.postings).sum::<usize>(),
                "bytes": total_bytes,
                "bandwidth_bound_ms": m.bound_ms(total_bytes, setup.threads),
            })),
            "scalar_reference": reference,
            "write_visibility": writes,
        }),
        layout_comparison: layout,
        notes: vec![
            "per-need figures: median and p95 over every need of every run (samples = needs x runs); batch: over runs",
            "postings, candidates and bytes beside a per-need figure are the median need's; bytes = what the scorer read and wrote (Work::bytes)",
            "bandwidth_bound_ms = bytes / measured memory bandwidth (one thread; the batch uses the threads figure)",
        ],
    };
    Ok(report)
}

/// The report, sections in reading order (a JSON map alone would sort its keys).
#[derive(Debug, serde::Serialize)]
pub struct Report {
    /// What the machine allows.
    pub machine: Value,
    /// What was measured on.
    pub pool: Value,
    /// The timings.
    pub figures: Value,
    /// The index against the dense tag-major layout.
    pub layout_comparison: Value,
    /// How to read the figures.
    pub notes: Vec<&'static str>,
}
