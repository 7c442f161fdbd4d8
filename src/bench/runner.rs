//! The bench run: builds the index (and the dense layout) from a stream of experts, times every path
//! over the needs, and prints one JSON object. Progress goes to standard error.

use std::hint::black_box;
use std::time::{Duration, Instant};

use ndarray::Array1;
use serde_json::{json, Value};

use super::baseline::reference_top;
use super::data::load_export;
use super::layouts::{TagMajor, MAX_TAG_MAJOR_BYTES};
use super::machine::{cores, Machine};
use super::stats::{median, ms, round, summarize};
use super::synthetic::{changed, Pool, ACTIVE_SHARE, HOME_SHARE, ZIPF_EXPONENT};
use crate::config::BenchArgs;
use crate::domain::{Expert, ExpertStatus};
use crate::engine::matching::{prepare, Match, MatchFilter, MatchIndex, MatchNeed, Scratch, Work};
use crate::engine::Taxonomy;
use crate::error::{Error, Result};

/// Needs of a synthetic run when `--needs` is absent.
pub const DEFAULT_NEEDS: usize = 200;
/// Changed experts written for the write-visibility figure.
const WRITES: usize = 200;

/// Runs the bench and prints its JSON report on standard output.
pub fn run(args: &BenchArgs) -> Result<()> {
    let report = report(args)?;
    let text = serde_json::to_string_pretty(&report).map_err(|e| Error::Internal(e.to_string()))?;
    println!("{text}");
    Ok(())
}

/// What every figure is measured against.
struct Setup<'a> {
    args: &'a BenchArgs,
    machine: Machine,
    threads: usize,
    taxonomy: Taxonomy,
    needs: Vec<MatchNeed>,
    source: Value,
}

/// The report of a run, as JSON.
pub fn report(args: &BenchArgs) -> Result<Report> {
    let threads = args.threads.unwrap_or_else(cores).max(1);
    eprintln!("bench: measuring the machine");
    let machine = Machine::measure(threads);
    match &args.data {
        Some(path) => {
            let export = load_export(path)?;
            let mut needs = export.needs;
            needs.truncate(args.needs.unwrap_or(usize::MAX));
            let count = export.experts.len();
            let setup = Setup {
                args,
                machine,
                threads,
                taxonomy: Taxonomy::build(export.concepts)?,
                needs,
                source: json!({ "kind": "export", "path": path.display().to_string() }),
            };
            bench(&setup, export.experts.into_iter(), count)
        }
        None => {
            let taxonomy = Taxonomy::build(crate::seed::concepts()?)?;
            let pool = Pool::new(&taxonomy, args.seed)?;
            let setup = Setup {
                args,
                machine,
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
            bench(&setup, pool.experts(args.experts), args.experts)
        }
    }
}

/// The index, the dense layout and the experts kept for the reference, built from one pass.
struct Built {
    index: MatchIndex,
    dense: Option<TagMajor>,
    reference: Vec<Expert>,
    experts: usize,
    active: usize,
    index_build: Duration,
    dense_build: Duration,
    total: Duration,
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
    let single_no_explain = per_need(needs, args.runs, |n| {
        black_box(index.top(n, &filter, args.k, false, &mut scratch));
    });
    let exact_narrower = per_need(needs, args.runs, |n| {
        let mut prepared = prepare(index, n, &filter);
        // Exact and narrower lists carry factor 1; broader and sibling lists less.
        prepared
            .entries
            .iter_mut()
            .for_each(|e| e.sources.retain(|s| s.factor == 1.0));
        black_box(index.rank(&prepared, args.k, &mut scratch));
    });
    let batch: Vec<f64> = (0..args.runs)
        .map(|_| {
            let t = Instant::now();
            black_box(index.top_batch(needs, &filter, args.k, true, setup.threads));
            ms(t.elapsed())
        })
        .collect();

    let layout = layout_comparison(setup, &built, &single_no_explain, &exact_narrower);
    let reference = scalar_reference(setup, &built, &answers);
    let writes = write_visibility(setup, &mut built);

    let m = &setup.machine;
    let need_work = work_fields(&works, m);
    let total_bytes: usize = works.iter().map(Work::bytes).sum();
    let stats = built.index.stats();
    let touched: Vec<f64> = works.iter().map(|w| w.candidates as f64 / stats.slots as f64).collect();
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
            "single_need": fig_single,
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

fn per_need(needs: &[MatchNeed], runs: usize, mut f: impl FnMut(&MatchNeed)) -> Vec<f64> {
    let mut out = Vec::with_capacity(needs.len() * runs);
    for _ in 0..runs {
        for n in needs {
            let t = Instant::now();
            f(n);
            out.push(ms(t.elapsed()));
        }
    }
    out
}

fn merge(summary: super::stats::Summary, extra: &Value) -> Value {
    let mut v = json!(summary);
    if let (Some(obj), Some(more)) = (v.as_object_mut(), extra.as_object()) {
        obj.extend(more.iter().map(|(k, x)| (k.clone(), x.clone())));
    }
    v
}

fn work_fields(works: &[Work], m: &Machine) -> Value {
    let med = |f: fn(&Work) -> usize| median(&works.iter().map(|w| f(w) as f64).collect::<Vec<_>>()) as usize;
    let bytes = med(Work::bytes);
    json!({
        "postings": med(|w| w.postings),
        "candidates": med(|w| w.candidates),
        "reversed": med(|w| w.reversed),
        "bytes": bytes,
        "bandwidth_bound_ms": m.bound_ms(bytes, 1),
    })
}

fn layout_comparison(setup: &Setup, built: &Built, postings: &[f64], exact_narrower: &[f64]) -> Value {
    let mut out = json!({
        "postings_ms": summarize(postings).median_ms,
        "postings_exact_narrower_ms": summarize(exact_narrower).median_ms,
        "note": "postings_ms: the full path without explanations; postings_exact_narrower_ms: the same with only \
                 exact and narrower lists; tag_major_dense: exact and narrower credit rows only (no broader or \
                 sibling credit, no gates, no reverse fit) over every expert, then a top-k",
    });
    let Some(dense) = &built.dense else {
        let bytes = TagMajor::bytes_for(setup.taxonomy.len(), built.experts);
        out["tag_major_dense_ms"] = Value::Null;
        out["tag_major_bytes"] = json!(bytes);
        out["tag_major_skipped"] = json!(format!(
            "{bytes} bytes of concepts x experts x 4 exceed the limit of {MAX_TAG_MAJOR_BYTES}"
        ));
        return out;
    };
    eprintln!("bench: timing the dense tag-major layout");
    let mut score = Array1::zeros(dense.len());
    let mut touched = Vec::new();
    for n in &setup.needs {
        touched.push(dense.top(n, setup.args.k, &mut score).1 as f64);
    }
    let times = per_need(&setup.needs, setup.args.runs, |n| {
        black_box(dense.top(n, setup.args.k, &mut score));
    });
    let s = summarize(&times);
    let bytes = median(&touched) as usize;
    out["tag_major_dense_ms"] = json!(s.median_ms);
    out["tag_major_dense_p95_ms"] = json!(s.p95_ms);
    out["tag_major_bytes"] = json!(dense.bytes());
    out["tag_major_touched_bytes"] = json!(bytes);
    out["tag_major_bandwidth_bound_ms"] = json!(setup.machine.bound_ms(bytes, 1));
    out["tag_major_build_ms"] = json!(round(ms(built.dense_build)));
    out
}

fn scalar_reference(setup: &Setup, built: &Built, answers: &[Vec<Match>]) -> Value {
    let (args, experts) = (setup.args, &built.reference);
    let needs = &setup.needs[..setup.needs.len().min(args.reference_needs)];
    let extrapolated = experts.len() < built.experts;
    let scale = built.experts as f64 / experts.len().max(1) as f64;
    eprintln!(
        "bench: timing the scalar reference on {} needs x {} experts",
        needs.len(),
        experts.len()
    );
    let filter = MatchFilter::default();
    let mut times = Vec::with_capacity(needs.len());
    let mut agree = 0;
    for (n, fast) in needs.iter().zip(answers) {
        let t = Instant::now();
        let top = reference_top(&setup.taxonomy, n, experts, &filter, args.k);
        times.push(ms(t.elapsed()) * scale);
        let same = top.len() == fast.len()
            && top
                .iter()
                .zip(fast)
                .all(|((_, s), m)| (s - m.ranked.score).abs() <= 1e-5);
        agree += usize::from(same);
    }
    let mut out = merge(
        summarize(&times),
        &json!({
            "needs_timed": needs.len(),
            "experts_scored": experts.len(),
            "note": "score_reference over every expert (gates, scalar score), then a full sort for the top k",
        }),
    );
    if extrapolated {
        out["reference_extrapolated_from"] = json!(experts.len());
    } else {
        out["top_k_equal_to_index"] = json!(format!("{agree} of {} needs", needs.len()));
    }
    out
}

fn write_visibility(setup: &Setup, built: &mut Built) -> Value {
    let (args, needs, filter) = (setup.args, &setup.needs, MatchFilter::default());
    let writes = built.reference.len().min(WRITES);
    let mut scratch = Scratch::default();
    let mut upserts = Vec::with_capacity(writes);
    let mut queries = Vec::with_capacity(writes);
    for (i, e) in built.reference.iter().take(writes).enumerate() {
        let c = changed(e);
        let t = Instant::now();
        built.index.upsert(&c);
        upserts.push(ms(t.elapsed()));
        let t = Instant::now();
        black_box(
            built
                .index
                .top(&needs[i % needs.len()], &filter, args.k, true, &mut scratch),
        );
        queries.push(ms(t.elapsed()));
    }
    merge(
        summarize(&upserts),
        &json!({
            "what": "index.upsert of a changed expert (every skill level moved), alone; a top() query follows each",
            "query_after_median_ms": summarize(&queries).median_ms,
        }),
    )
}
