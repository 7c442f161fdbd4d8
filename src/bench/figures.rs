//! The figures of one run beside the index: the dense layout, the scalar reference and a write.

use std::hint::black_box;
use std::time::Instant;

use ndarray::Array1;
use serde_json::{json, Value};

use super::baseline::reference_top;
use super::layouts::{TagMajor, MAX_TAG_MAJOR_BYTES};
use super::machine::Machine;
use super::profiles::changed;
use super::runner::{Built, Setup};
use super::stats::{median, ms, round, summarize, Summary};
use crate::engine::matching::{Match, MatchFilter, MatchNeed, Scratch, Work};

/// Changed experts written for the write-visibility figure.
const WRITES: usize = 200;

/// Times `f` on every need, `runs` times over; one sample per call, in ms.
pub(super) fn per_need(needs: &[MatchNeed], runs: usize, mut f: impl FnMut(&MatchNeed)) -> Vec<f64> {
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

/// A summary with more fields beside it.
pub(super) fn merge(summary: Summary, extra: &Value) -> Value {
    let mut v = json!(summary);
    if let (Some(obj), Some(more)) = (v.as_object_mut(), extra.as_object()) {
        obj.extend(more.iter().map(|(k, x)| (k.clone(), x.clone())));
    }
    v
}

/// What the median need touched, and the time memory bandwidth allows for it.
pub(super) fn work_fields(works: &[Work], m: &Machine) -> Value {
    let med = |f: fn(&Work) -> usize| median(&works.iter().map(|w| f(w) as f64).collect::<Vec<_>>()) as usize;
    let bytes = med(Work::bytes);
    json!({
        "postings": med(|w| w.postings),
        "candidates": med(|w| w.candidates),
        "scored": med(|w| w.scored),
        "reversed": med(|w| w.reversed),
        "bytes": bytes,
        "bandwidth_bound_ms": m.bound_ms(bytes, 1),
    })
}

/// The dense tag-major layout beside the postings path, or why it was skipped.
pub(super) fn layout_comparison(setup: &Setup, built: &Built, postings: &[f64], scattered: &[f64]) -> Value {
    let mut out = json!({
        "postings_ms": summarize(postings).median_ms,
        "postings_scattered_ms": summarize(scattered).median_ms,
        "note": "postings_ms: the full path without explanations (cache-blocked scorer); postings_scattered_ms: the \
                 first scorer, same postings accumulated into slot-long arrays at random (no bounded pass); tag_major_dense: exact and narrower credit rows only (no broader or \
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

/// The scalar reference per need, scaled linearly when timed on fewer experts than the pool, and
/// checked against the index's answers when not.
pub(super) fn scalar_reference(setup: &Setup, built: &Built, answers: &[Vec<Match>]) -> Value {
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

/// The time of one upsert of a changed expert.
pub(super) fn write_visibility(setup: &Setup, built: &mut Built) -> Value {
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
