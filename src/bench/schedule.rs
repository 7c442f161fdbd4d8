//! The scheduler's figures: a deterministic synthetic event (sparse candidate pairs, a few must
//! pairs, quotas, ~80% availability, half the slots with tables), the assignment timed beside the
//! greedy baseline, and what each placed.

use std::hint::black_box;
use std::time::Instant;

use rand::rngs::StdRng;
use rand::seq::index::sample;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use super::stats::{ms, round, summarize};
use crate::domain::Side;
use crate::engine::events::schedule::{
    assign, greedy, total_weight, violations, Pair, Participant, Placed, Problem, SlotLimit,
};

/// Seed of the synthetic event.
pub const SEED: u64 = 42;
/// Candidate experts per need (pairs absent from the list are `no_thanks` or gated out).
pub const CANDIDATES: usize = 60;
/// Share of needs with one `must_meet` pair.
pub const MUST_SHARE: f64 = 0.1;
/// Share of the other pairs the scheduler may not place on its own (`auto == false`).
pub const GATED_SHARE: f64 = 0.05;
/// Chance that a participant is available in a slot.
pub const AVAILABLE: f64 = 0.8;
/// Tables of an on-site slot; every other slot (the odd ones) is online and unlimited.
pub const TABLES: usize = 40;
/// A need's quota (min, max).
pub const NEED_QUOTA: (u16, u16) = (2, 8);
/// An expert's quota (min, max).
pub const EXPERT_QUOTA: (u16, u16) = (1, 4);

/// The synthetic event: the same arguments give the same problem. Weights are uniform in [0, 1).
pub fn synthetic_problem(needs: usize, experts: usize, slots: usize, seed: u64) -> Problem {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut side = |count: usize, (min, max): (u16, u16)| -> Vec<Participant> {
        (0..count)
            .map(|_| Participant {
                min,
                max,
                available: (0..slots).map(|_| rng.random_bool(AVAILABLE)).collect(),
            })
            .collect()
    };
    let (need_side, expert_side) = (side(needs, NEED_QUOTA), side(experts, EXPERT_QUOTA));
    let mut pairs = Vec::new();
    for need in 0..needs {
        let mut chosen = sample(&mut rng, experts, CANDIDATES.min(experts)).into_vec();
        chosen.sort_unstable();
        let must_at = (!chosen.is_empty() && rng.random_bool(MUST_SHARE)).then(|| rng.random_range(0..chosen.len()));
        for (k, expert) in chosen.into_iter().enumerate() {
            let must = must_at == Some(k);
            pairs.push(Pair {
                need,
                expert,
                weight: rng.random(),
                must,
                auto: must || !rng.random_bool(GATED_SHARE),
            });
        }
    }
    Problem {
        slots: (0..slots)
            .map(|s| SlotLimit {
                capacity: (s % 2 == 0).then_some(TABLES),
            })
            .collect(),
        needs: need_side,
        experts: expert_side,
        pairs,
    }
}

/// Times `assign` and `greedy` on the synthetic event (`runs` each, median and p95 in ms) and reports
/// what each placed: meetings, must pairs, total weight, participants left below their minimum.
pub fn schedule_figures(needs: usize, experts: usize, slots: usize, runs: usize) -> Value {
    let problem = synthetic_problem(needs, experts, slots, SEED);
    let (assigned, assign_ms) = timed(runs, || assign(&problem, &[]));
    let (greedy_placed, greedy_ms) = timed(runs, || greedy(&problem));
    let (wa, wg) = (
        total_weight(&problem, &assigned),
        total_weight(&problem, &greedy_placed),
    );
    json!({
        "problem": {
            "needs": needs,
            "experts": experts,
            "slots": slots,
            "on_site_slots": problem.slots.iter().filter(|s| s.capacity.is_some()).count(),
            "tables": TABLES,
            "pairs": problem.pairs.len(),
            "must_pairs": problem.pairs.iter().filter(|p| p.must).count(),
            "need_quota": NEED_QUOTA,
            "expert_quota": EXPERT_QUOTA,
            "seed": SEED,
            "runs": runs.max(1),
        },
        "assign": outcome(&problem, &assigned, &assign_ms),
        "greedy": outcome(&problem, &greedy_placed, &greedy_ms),
        "weight_ratio_assign_to_greedy": ratio(wa, wg),
        "minimums_ignored": without_minimums(&problem),
    })
}

/// The same event with every minimum at 0 (greedy ignores them anyway): what the minimums cost
/// assign in weight, and how the two compare on weight alone.
fn without_minimums(problem: &Problem) -> Value {
    let mut free = problem.clone();
    free.needs
        .iter_mut()
        .chain(free.experts.iter_mut())
        .for_each(|p| p.min = 0);
    let (wa, wg) = (
        total_weight(&free, &assign(&free, &[])),
        total_weight(&free, &greedy(&free)),
    );
    json!({
        "assign_total_weight": round(wa),
        "greedy_total_weight": round(wg),
        "weight_ratio_assign_to_greedy": ratio(wa, wg),
    })
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        round(a / b)
    } else {
        0.0
    }
}

/// Runs `f` `runs` times (at least once): its last result and the timings in ms.
fn timed(runs: usize, mut f: impl FnMut() -> Vec<Placed>) -> (Vec<Placed>, Vec<f64>) {
    let mut times = Vec::new();
    let mut last = Vec::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        last = black_box(f());
        times.push(ms(start.elapsed()));
    }
    (last, times)
}

fn outcome(problem: &Problem, placed: &[Placed], times: &[f64]) -> Value {
    let must = |p: &Pair| p.must;
    let must_placed = placed
        .iter()
        .filter(|m| {
            problem
                .pairs
                .iter()
                .any(|p| must(p) && p.need == m.need && p.expert == m.expert)
        })
        .count();
    let below = |side: Side, participants: &[Participant]| {
        participants
            .iter()
            .enumerate()
            .filter(|(i, p)| {
                let count = placed
                    .iter()
                    .filter(|m| match side {
                        Side::Need => m.need == *i,
                        Side::Expert => m.expert == *i,
                    })
                    .count();
                count < usize::from(p.min)
            })
            .count()
    };
    let summary = summarize(times);
    json!({
        "median_ms": summary.median_ms,
        "p95_ms": summary.p95_ms,
        "meetings": placed.len(),
        "must_placed": must_placed,
        "must_total": problem.pairs.iter().filter(|p| must(p)).count(),
        "total_weight": round(total_weight(problem, placed)),
        "below_min": { "needs": below(Side::Need, &problem.needs), "experts": below(Side::Expert, &problem.experts) },
        "valid": violations(problem, placed).is_empty(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_synthetic_event_is_the_same_for_the_same_seed() {
        assert_eq!(synthetic_problem(10, 30, 4, 7), synthetic_problem(10, 30, 4, 7));
        assert_ne!(synthetic_problem(10, 30, 4, 7), synthetic_problem(10, 30, 4, 8));
        assert_eq!(synthetic_problem(0, 0, 0, 7), Problem::default());
    }

    #[test]
    fn the_figures_report_valid_schedules_for_both_schedulers() {
        let figures = schedule_figures(12, 40, 4, 1);
        assert_eq!(figures["assign"]["valid"], json!(true));
        assert_eq!(figures["greedy"]["valid"], json!(true));
        assert_eq!(figures["problem"]["pairs"], json!(12 * 40));
    }
}
