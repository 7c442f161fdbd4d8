//! Examples: one per rule a set of meetings can break, and the scheduler's choices on small cases.

use serde_json::json;

use super::*;
use crate::domain::Side;

fn open(slots: usize, max: u16) -> Participant {
    Participant {
        min: 0,
        max,
        available: vec![true; slots],
    }
}

fn pair(need: usize, expert: usize, weight: f64) -> Pair {
    Pair {
        need,
        expert,
        weight,
        must: false,
        auto: true,
    }
}

fn must(need: usize, expert: usize, weight: f64) -> Pair {
    Pair {
        must: true,
        ..pair(need, expert, weight)
    }
}

fn at(slot: usize, need: usize, expert: usize) -> Placed {
    Placed { slot, need, expert }
}

/// `slots` unlimited slots, needs and experts free in all of them with a maximum of 3.
fn problem(slots: usize, needs: usize, experts: usize, pairs: Vec<Pair>) -> Problem {
    Problem {
        slots: vec![SlotLimit { capacity: None }; slots],
        needs: vec![open(slots, 3); needs],
        experts: vec![open(slots, 3); experts],
        pairs,
    }
}

#[test]
fn a_valid_schedule_breaks_no_rule() {
    let p = problem(2, 2, 2, vec![pair(0, 0, 0.5), pair(0, 1, 0.5), pair(1, 0, 0.5)]);
    assert_eq!(violations(&p, &[at(0, 0, 0), at(1, 0, 1), at(1, 1, 0)]), vec![]);
    assert_eq!(violations(&p, &[]), vec![]);
}

#[test]
fn a_slot_out_of_range_is_unknown() {
    let p = problem(2, 1, 1, vec![pair(0, 0, 0.5)]);
    assert_eq!(violations(&p, &[at(2, 0, 0)]), vec![Violation::UnknownSlot { slot: 2 }]);
}

#[test]
fn a_need_or_expert_out_of_range_is_an_unknown_participant() {
    let p = problem(1, 1, 1, vec![pair(0, 0, 0.5)]);
    assert_eq!(
        violations(&p, &[at(0, 1, 0), at(0, 0, 4)]),
        vec![
            Violation::UnknownParticipant {
                side: Side::Need,
                index: 1
            },
            Violation::UnknownParticipant {
                side: Side::Expert,
                index: 4
            },
        ]
    );
}

#[test]
fn a_pair_not_in_the_list_is_not_allowed() {
    let p = problem(1, 2, 2, vec![pair(0, 0, 0.5)]);
    assert_eq!(
        violations(&p, &[at(0, 1, 1)]),
        vec![Violation::NotAllowed { need: 1, expert: 1 }]
    );
}

#[test]
fn a_pair_listed_with_auto_false_may_be_placed_by_hand() {
    let p = problem(
        1,
        1,
        1,
        vec![Pair {
            auto: false,
            ..pair(0, 0, 0.5)
        }],
    );
    assert_eq!(violations(&p, &[at(0, 0, 0)]), vec![]);
}

#[test]
fn a_pair_meets_at_most_once() {
    let p = problem(2, 1, 1, vec![pair(0, 0, 0.5)]);
    assert_eq!(
        violations(&p, &[at(0, 0, 0), at(1, 0, 0)]),
        vec![Violation::PairTwice { need: 0, expert: 0 }]
    );
}

#[test]
fn a_side_meets_at_most_once_per_slot() {
    let p = problem(1, 2, 2, vec![pair(0, 0, 0.5), pair(0, 1, 0.5), pair(1, 1, 0.5)]);
    assert_eq!(
        violations(&p, &[at(0, 0, 0), at(0, 0, 1), at(0, 1, 1)]),
        vec![
            Violation::DoubleBooked {
                slot: 0,
                side: Side::Need,
                index: 0
            },
            Violation::DoubleBooked {
                slot: 0,
                side: Side::Expert,
                index: 1
            },
        ]
    );
}

#[test]
fn a_side_never_exceeds_its_quota() {
    let mut p = problem(2, 1, 2, vec![pair(0, 0, 0.5), pair(0, 1, 0.5)]);
    p.needs[0].max = 1;
    assert_eq!(
        violations(&p, &[at(0, 0, 0), at(1, 0, 1)]),
        vec![Violation::OverQuota {
            side: Side::Need,
            index: 0,
            max: 1
        }]
    );
}

#[test]
fn a_side_meets_only_in_slots_it_is_available_in() {
    let mut p = problem(2, 1, 1, vec![pair(0, 0, 0.5)]);
    p.experts[0].available = vec![false];
    let expected = |slot| {
        vec![Violation::Unavailable {
            slot,
            side: Side::Expert,
            index: 0,
        }]
    };
    assert_eq!(violations(&p, &[at(0, 0, 0)]), expected(0));
    // A missing availability entry counts as unavailable.
    assert_eq!(violations(&p, &[at(1, 0, 0)]), expected(1));
}

#[test]
fn a_slot_holds_at_most_its_capacity() {
    let mut p = problem(1, 2, 2, vec![pair(0, 0, 0.5), pair(1, 1, 0.5)]);
    p.slots[0].capacity = Some(1);
    assert_eq!(
        violations(&p, &[at(0, 0, 0), at(0, 1, 1)]),
        vec![Violation::OverCapacity { slot: 0, capacity: 1 }]
    );
}

#[test]
fn each_violation_is_reported_once() {
    let p = problem(1, 1, 1, vec![]);
    let v = violations(&p, &[at(0, 0, 0), at(0, 0, 0), at(0, 0, 0)]);
    let not_allowed = v.iter().filter(|v| matches!(v, Violation::NotAllowed { .. })).count();
    assert_eq!(not_allowed, 1, "{v:?}");
    assert!(v.contains(&Violation::PairTwice { need: 0, expert: 0 }), "{v:?}");
}

#[test]
fn a_violation_serializes_with_a_snake_case_code() {
    let v = Violation::DoubleBooked {
        slot: 1,
        side: Side::Expert,
        index: 2,
    };
    assert_eq!(
        serde_json::to_value(&v).unwrap(),
        json!({"code": "double_booked", "slot": 1, "side": "expert", "index": 2})
    );
}

#[test]
fn a_message_names_the_rule_and_the_indices_in_plain_words() {
    let v = Violation::OverQuota {
        side: Side::Need,
        index: 3,
        max: 2,
    };
    assert_eq!(v.message(), "need 3 has more meetings than its maximum of 2");
    assert_eq!(Violation::UnknownSlot { slot: 9 }.message(), "slot 9 does not exist");
}

#[test]
fn an_empty_problem_gives_an_empty_schedule() {
    assert_eq!(assign(&Problem::default(), &[]), vec![]);
    assert_eq!(greedy(&Problem::default()), vec![]);
    let no_slots = problem(0, 2, 2, vec![pair(0, 0, 1.0), must(1, 1, 1.0)]);
    assert_eq!(assign(&no_slots, &[]), vec![]);
    assert_eq!(greedy(&no_slots), vec![]);
}

#[test]
fn pairs_out_of_range_are_skipped() {
    let p = problem(1, 1, 1, vec![pair(5, 0, 1.0), must(0, 7, 1.0), pair(0, 0, 0.1)]);
    assert_eq!(assign(&p, &[]), vec![at(0, 0, 0)]);
    assert_eq!(greedy(&p), vec![at(0, 0, 0)]);
}

#[test]
fn a_pair_absent_from_the_list_is_never_placed() {
    let p = problem(3, 2, 2, vec![pair(0, 0, 0.5), pair(1, 1, 0.5)]);
    let placed = assign(&p, &[]);
    assert_eq!(placed, vec![at(0, 0, 0), at(0, 1, 1)]);
}

#[test]
fn a_pair_with_auto_false_is_placed_by_hand_only() {
    let gated = Pair {
        auto: false,
        ..must(0, 0, 1.0)
    };
    let p = problem(2, 1, 1, vec![gated]);
    assert_eq!(assign(&p, &[]), vec![]);
    assert_eq!(greedy(&p), vec![]);
    assert_eq!(assign(&p, &[at(1, 0, 0)]), vec![at(1, 0, 0)]);
}

#[test]
fn manual_meetings_are_kept_and_counted() {
    let mut p = problem(2, 1, 2, vec![pair(0, 0, 0.1), pair(0, 1, 0.9)]);
    p.needs[0].max = 1;
    // The light pair placed by hand keeps the need's only meeting.
    assert_eq!(assign(&p, &[at(1, 0, 0)]), vec![at(1, 0, 0)]);
}

#[test]
fn a_must_pair_goes_before_a_heavier_pair() {
    let mut p = problem(1, 1, 2, vec![must(0, 0, 0.1), pair(0, 1, 0.9)]);
    p.needs[0].max = 1;
    assert_eq!(assign(&p, &[]), vec![at(0, 0, 0)]);
    assert_eq!(greedy(&p), vec![at(0, 0, 0)]);
}

#[test]
fn a_must_pair_with_fewer_slots_left_goes_first() {
    // The need must meet both experts; expert 1 is only there in slot 0, so expert 0 waits for slot 1.
    let mut p = problem(2, 1, 2, vec![must(0, 0, 0.9), must(0, 1, 0.1)]);
    p.experts[1].available = vec![true, false];
    assert_eq!(assign(&p, &[]), vec![at(0, 0, 1), at(1, 0, 0)]);
}

#[test]
fn a_slot_with_few_tables_keeps_its_heaviest_meetings() {
    let mut p = problem(1, 3, 3, vec![pair(0, 0, 0.3), pair(1, 1, 0.8), pair(2, 2, 0.5)]);
    p.slots[0].capacity = Some(2);
    assert_eq!(assign(&p, &[]), vec![at(0, 1, 1), at(0, 2, 2)]);
}

#[test]
fn the_assignment_beats_greedy_where_the_heaviest_pair_blocks_two_good_ones() {
    let p = problem(
        1,
        2,
        2,
        vec![pair(0, 0, 1.0), pair(0, 1, 0.9), pair(1, 0, 0.9), pair(1, 1, 0.0)],
    );
    let best = assign(&p, &[]);
    assert_eq!(best, vec![at(0, 0, 1), at(0, 1, 0)]);
    assert!((total_weight(&p, &best) - 1.8).abs() < 1e-9);
    assert!((total_weight(&p, &greedy(&p)) - 1.0).abs() < 1e-9);
}

#[test]
fn a_participant_below_its_minimum_comes_before_weight() {
    let mut p = problem(1, 2, 1, vec![pair(0, 0, 0.9), pair(1, 0, 0.2)]);
    p.needs[1].min = 1;
    assert_eq!(assign(&p, &[]), vec![at(0, 1, 0)]);
    assert_eq!(greedy(&p), vec![at(0, 0, 0)]);
}

#[test]
fn a_meeting_that_spends_a_quota_early_gives_way_to_a_heavier_one_later() {
    // Slot 0 can only hold the light pair; it would use the expert's one meeting before slot 1.
    let mut p = problem(2, 2, 1, vec![pair(0, 0, 0.1), pair(1, 0, 0.9)]);
    p.experts[0].max = 1;
    p.needs[1].available = vec![false, true];
    assert_eq!(assign(&p, &[]), vec![at(1, 1, 0)]);
}

#[test]
fn the_total_weight_sums_the_pairs_placed_as_the_scheduler_reads_them() {
    let p = problem(1, 3, 1, vec![pair(0, 0, 0.25), pair(1, 0, f64::NAN), pair(2, 0, -1.0)]);
    let placed = [at(0, 0, 0), at(0, 1, 0), at(0, 2, 0)];
    assert_eq!(total_weight(&p, &placed), 0.25);
    // A pair not in the list adds nothing.
    assert_eq!(total_weight(&problem(1, 1, 1, vec![]), &[at(0, 0, 0)]), 0.0);
}

#[test]
fn weights_out_of_range_do_not_panic() {
    let p = problem(
        2,
        2,
        2,
        vec![
            pair(0, 0, f64::INFINITY),
            pair(0, 1, f64::NAN),
            must(1, 0, -3.0),
            pair(1, 1, 1e300),
        ],
    );
    let placed = assign(&p, &[]);
    assert_eq!(violations(&p, &placed), vec![]);
    assert_eq!(placed.len(), 4);
}
