//! Property tests on random small problems: every schedule `assign` and `greedy` make passes
//! `violations`, places only pairs the scheduler may place, keeps the manual meetings, places the
//! `must_meet` pairs that can be placed, and is the same on every run; on one unlimited slot the
//! assignment weighs at least as much as greedy.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

use super::*;

/// A random problem before it is made consistent: indices may fall out of range, pairs repeat.
#[derive(Debug, Clone)]
struct Raw {
    slots: Vec<Option<usize>>,
    needs: Vec<(u16, u16, u16)>,
    experts: Vec<(u16, u16, u16)>,
    /// (need, expert, weight in 64ths, must, auto); an index of 95 or more falls out of range.
    pairs: Vec<(usize, usize, u8, bool, bool)>,
    /// Manual meetings to try: a pair entry and a slot, kept when still valid.
    fixed: Vec<(Index, usize)>,
}

fn participants(max_len: usize) -> impl Strategy<Value = Vec<(u16, u16, u16)>> {
    // Two random masks or-ed: each slot is available with probability 3/4.
    prop::collection::vec((0u16..=2, 0u16..=4, any::<u16>(), any::<u16>()), 0..=max_len)
        .prop_map(|v| v.into_iter().map(|(min, max, a, b)| (min, max, a | b)).collect())
}

fn raw() -> impl Strategy<Value = Raw> {
    let capacity = prop_oneof![2 => Just(None), 3 => (0usize..=4).prop_map(Some)];
    let pair = (
        0usize..100,
        0usize..100,
        0u8..=64,
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.85),
    );
    (
        prop::collection::vec(capacity, 0..=8),
        participants(10),
        participants(15),
        prop::collection::vec(pair, 0..60),
        prop::collection::vec((any::<Index>(), 0usize..8), 0..6),
    )
        .prop_map(|(slots, needs, experts, pairs, fixed)| Raw {
            slots,
            needs,
            experts,
            pairs,
            fixed,
        })
}

fn index(raw: usize, len: usize) -> usize {
    if raw >= 95 || len == 0 {
        len + raw % 5
    } else {
        raw % len
    }
}

/// The problem, and manual meetings that pass `violations`.
fn build(raw: &Raw) -> (Problem, Vec<Placed>) {
    let slots = raw.slots.len();
    let side = |v: &[(u16, u16, u16)]| -> Vec<Participant> {
        v.iter()
            .map(|&(min, max, mask)| Participant {
                min,
                max,
                available: (0..slots).map(|s| mask & (1 << s) != 0).collect(),
            })
            .collect()
    };
    let problem = Problem {
        slots: raw.slots.iter().map(|&capacity| SlotLimit { capacity }).collect(),
        needs: side(&raw.needs),
        experts: side(&raw.experts),
        pairs: raw
            .pairs
            .iter()
            .map(|&(n, e, w, must, auto)| Pair {
                need: index(n, raw.needs.len()),
                expert: index(e, raw.experts.len()),
                weight: f64::from(w) / 64.0,
                must,
                auto,
            })
            .collect(),
    };
    let mut fixed = Vec::new();
    if !problem.pairs.is_empty() && slots > 0 {
        for (pick, slot) in &raw.fixed {
            let p = pick.get(&problem.pairs);
            fixed.push(Placed {
                slot: slot % slots,
                need: p.need,
                expert: p.expert,
            });
            if !violations(&problem, &fixed).is_empty() {
                fixed.pop();
            }
        }
    }
    (problem, fixed)
}

/// The pair entry that counts for a meeting: the first one listed.
fn entry<'a>(problem: &'a Problem, m: &Placed) -> Option<&'a Pair> {
    problem.pairs.iter().find(|p| p.need == m.need && p.expert == m.expert)
}

/// The meetings of `placed` beyond those of `fixed` (as multisets); `None` when one of `fixed` is missing.
fn added(placed: &[Placed], fixed: &[Placed]) -> Option<Vec<Placed>> {
    let mut left: BTreeMap<Placed, usize> = BTreeMap::new();
    for m in placed {
        *left.entry(*m).or_default() += 1;
    }
    for m in fixed {
        let n = left.get_mut(m).filter(|n| **n > 0)?;
        *n -= 1;
    }
    Some(left.into_iter().flat_map(|(m, n)| std::iter::repeat_n(m, n)).collect())
}

/// Checks what holds for any schedule the scheduler makes.
fn check_schedule(problem: &Problem, fixed: &[Placed], placed: &[Placed]) -> Result<(), TestCaseError> {
    prop_assert_eq!(violations(problem, placed), vec![]);
    let added = added(placed, fixed);
    prop_assert!(added.is_some(), "a manual meeting is missing from {:?}", placed);
    for m in added.unwrap_or_default() {
        let p = entry(problem, &m);
        prop_assert!(
            p.is_some_and(|p| p.auto),
            "{:?} is not a pair the scheduler may place",
            m
        );
    }
    Ok(())
}

/// Keeps `must` on at most one pair per need and per expert (first entries only).
fn must_matching(problem: &mut Problem) {
    let (mut needs, mut experts) = (vec![false; problem.needs.len()], vec![false; problem.experts.len()]);
    let mut seen = std::collections::BTreeSet::new();
    for p in &mut problem.pairs {
        let first = seen.insert((p.need, p.expert));
        let in_range = p.need < needs.len() && p.expert < experts.len();
        if p.must && first && in_range && !needs[p.need] && !experts[p.expert] {
            needs[p.need] = true;
            experts[p.expert] = true;
        } else if p.must {
            p.must = false;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn assign_keeps_every_rule_and_the_manual_meetings(raw in raw()) {
        let (problem, fixed) = build(&raw);
        let placed = assign(&problem, &fixed);
        check_schedule(&problem, &fixed, &placed)?;
        prop_assert_eq!(assign(&problem, &fixed), placed, "assign is deterministic");
    }

    #[test]
    fn greedy_keeps_every_rule(raw in raw()) {
        let (problem, _) = build(&raw);
        let placed = greedy(&problem);
        check_schedule(&problem, &[], &placed)?;
        prop_assert_eq!(greedy(&problem), placed, "greedy is deterministic");
    }

    #[test]
    fn assign_leaves_out_no_pair_that_still_fits(raw in raw()) {
        let (problem, fixed) = build(&raw);
        let placed = assign(&problem, &fixed);
        for p in problem.pairs.iter().filter(|p| p.auto) {
            if entry(&problem, &Placed { slot: 0, need: p.need, expert: p.expert }) != Some(p) {
                continue;
            }
            for slot in 0..problem.slots.len() {
                let mut more = placed.clone();
                more.push(Placed { slot, need: p.need, expert: p.expert });
                prop_assert!(!violations(&problem, &more).is_empty(), "{:?} still fits in slot {}", p, slot);
            }
        }
    }

    #[test]
    fn must_pairs_that_form_a_matching_are_all_placed_when_they_can_be(raw in raw()) {
        let (mut problem, _) = build(&raw);
        must_matching(&mut problem);
        let musts: Vec<Pair> = problem.pairs.iter().filter(|p| p.must && p.auto).cloned().collect();
        for slot in &mut problem.slots {
            slot.capacity = slot.capacity.map(|c| c.max(musts.len()));
        }
        let placed = assign(&problem, &[]);
        check_schedule(&problem, &[], &placed)?;
        for p in &musts {
            let (need, expert) = (&problem.needs[p.need], &problem.experts[p.expert]);
            let shared = (0..problem.slots.len()).any(|s| need.available_in(s) && expert.available_in(s));
            if shared && need.max >= 1 && expert.max >= 1 {
                prop_assert!(
                    placed.iter().any(|m| m.need == p.need && m.expert == p.expert),
                    "must pair {:?} is not placed in {:?}", p, placed
                );
            }
        }
    }

    #[test]
    fn on_one_unlimited_slot_without_must_pairs_or_minimums_assign_weighs_at_least_greedy(raw in raw()) {
        let (mut problem, _) = build(&raw);
        problem.slots = vec![SlotLimit { capacity: None }];
        for p in problem.needs.iter_mut().chain(problem.experts.iter_mut()) {
            p.min = 0;
            p.available.truncate(1);
            p.available.resize(1, false);
        }
        for p in &mut problem.pairs {
            p.must = false;
        }
        // Weights are multiples of 1/64, so these sums are exact.
        let (a, g) = (total_weight(&problem, &assign(&problem, &[])), total_weight(&problem, &greedy(&problem)));
        prop_assert!(a >= g, "assign {} < greedy {}", a, g);
    }
}

/// Not a property: how assign and greedy compare on random problems in general (must pairs,
/// capacities, many slots), with the minimums drawn and with none, printed with `--nocapture`.
/// Minimums cost assign weight that greedy, blind to them, keeps. Both schedules must stay valid.
#[test]
fn assign_and_greedy_weights_on_random_problems_are_reported() {
    for minimums in [true, false] {
        let mut runner = TestRunner::deterministic();
        let (mut better, mut equal, mut worse, mut ratio_sum, mut counted) = (0, 0, 0, 0.0, 0);
        let (mut below_assign, mut below_greedy) = (0, 0);
        for _ in 0..200 {
            let raw = raw().new_tree(&mut runner).expect("a random problem").current();
            let (mut problem, _) = build(&raw);
            if !minimums {
                problem
                    .needs
                    .iter_mut()
                    .chain(problem.experts.iter_mut())
                    .for_each(|p| p.min = 0);
            }
            let (a, g) = (assign(&problem, &[]), greedy(&problem));
            assert_eq!(violations(&problem, &a), vec![]);
            assert_eq!(violations(&problem, &g), vec![]);
            below_assign += below_min(&problem, &a);
            below_greedy += below_min(&problem, &g);
            let (wa, wg) = (total_weight(&problem, &a), total_weight(&problem, &g));
            match wa.partial_cmp(&wg) {
                Some(std::cmp::Ordering::Greater) => better += 1,
                Some(std::cmp::Ordering::Less) => worse += 1,
                _ => equal += 1,
            }
            if wg > 0.0 {
                ratio_sum += wa / wg;
                counted += 1;
            }
        }
        eprintln!(
            "assign vs greedy total weight, 200 random problems, minimums {}: {better} heavier, {equal} equal, \
             {worse} lighter; mean ratio {:.4}; participants left below their minimum: assign {below_assign}, \
             greedy {below_greedy}",
            if minimums { "drawn" } else { "none" },
            ratio_sum / f64::from(counted.max(1))
        );
    }
}

/// How many participants have fewer meetings than their minimum.
fn below_min(problem: &Problem, placed: &[Placed]) -> usize {
    let needs = problem
        .needs
        .iter()
        .enumerate()
        .filter(|(i, p)| placed.iter().filter(|m| m.need == *i).count() < usize::from(p.min));
    let experts = problem
        .experts
        .iter()
        .enumerate()
        .filter(|(i, p)| placed.iter().filter(|m| m.expert == *i).count() < usize::from(p.min));
    needs.count() + experts.count()
}
