//! Turns an event into the scheduler's problem: slots with their table capacity, each side's
//! quota and waking hours per slot, and the pairs that may meet with their weights.

use crate::domain::{EventSpec, ExpertId, NeedId, PreferenceKind, SlotMode};

use super::attendance::{Attendance, PairScores};
use super::met::MetPairs;
use super::schedule::{Pair, Participant, Problem, SlotLimit};
use super::shortlists::MetBefore;
use super::waking::within_waking_hours;

/// What a pair's weight gains per side that asked to meet (`meet` or `must_meet`): a request
/// from both sides outweighs a score difference of half the scale.
pub const MEET_BONUS: f64 = 0.25;

/// The scheduler's problem with the ids behind its indices.
pub struct Built {
    /// The problem over indices.
    pub problem: Problem,
    /// Need ids by index.
    pub needs: Vec<NeedId>,
    /// Expert ids by index.
    pub experts: Vec<ExpertId>,
}

impl Built {
    /// The index of a need.
    pub fn need(&self, id: NeedId) -> Option<usize> {
        self.needs.iter().position(|n| *n == id)
    }

    /// The index of an expert.
    pub fn expert(&self, id: ExpertId) -> Option<usize> {
        self.experts.iter().position(|e| *e == id)
    }

    /// The index of a slot.
    pub fn slot(spec: &EventSpec, start: chrono::DateTime<chrono::Utc>) -> Option<usize> {
        spec.slots.iter().position(|s| s.start == start)
    }
}

/// Which pairs the problem lists.
pub enum PairSource<'a> {
    /// Every pair, with the scores of all of them (drafting).
    All(&'a PairScores),
    /// Only these pairs, with their scores (checking manual edits).
    Only(&'a [(usize, usize, Option<f32>)]),
}

/// Builds the problem of an event.
pub fn build(
    spec: &EventSpec,
    attendance: &Attendance,
    source: PairSource,
    met: &MetPairs,
    met_before: MetBefore,
) -> Built {
    let slots = spec
        .slots
        .iter()
        .map(|s| SlotLimit {
            capacity: (s.mode == SlotMode::Onsite).then_some(spec.tables.len()),
        })
        .collect();
    let awake = |zone: chrono_tz::Tz| -> Vec<bool> {
        spec.slots
            .iter()
            .map(|s| s.mode == SlotMode::Onsite || within_waking_hours(zone, spec.waking_hours, s.start, s.end))
            .collect()
    };
    let needs = attendance
        .needs
        .iter()
        .map(|n| {
            let q = spec.need_quota(n.id);
            Participant {
                min: q.min,
                max: q.max,
                available: awake(spec.need_zone(n.id).tz()),
            }
        })
        .collect();
    let experts = attendance
        .experts
        .iter()
        .map(|e| {
            let q = spec.expert_quota(e.id);
            Participant {
                min: q.min,
                max: q.max,
                available: awake(e.profile.timezone.tz()),
            }
        })
        .collect();
    let pair = |n: usize, e: usize, score: Option<f32>| -> Option<Pair> {
        let (need, expert) = (attendance.needs[n].id, attendance.experts[e].id);
        let preference = spec.preference(need, expert);
        if preference == Some(PreferenceKind::NoThanks) {
            return None;
        }
        let must = preference == Some(PreferenceKind::MustMeet);
        let votes = spec.meet_votes(need, expert);
        let excluded = met_before == MetBefore::Exclude && met.contains(&(need, expert));
        Some(Pair {
            need: n,
            expert: e,
            weight: f64::from(score.unwrap_or(0.0)) + MEET_BONUS * votes as f64,
            must,
            // A `meet` vote adds weight but does not lift the match gates (an inactive expert, a
            // missing must-have); only `must_meet` does, and the organiser sees it in the draft.
            auto: must || (!excluded && score.is_some()),
        })
    };
    let pairs = match source {
        PairSource::All(scores) => scores
            .iter()
            .enumerate()
            .flat_map(|(n, row)| row.iter().enumerate().map(move |(e, s)| (n, e, *s)))
            .filter_map(|(n, e, s)| pair(n, e, s))
            .collect(),
        PairSource::Only(list) => list.iter().filter_map(|&(n, e, s)| pair(n, e, s)).collect(),
    };
    Built {
        problem: Problem {
            slots,
            needs,
            experts,
            pairs,
        },
        needs: attendance.needs.iter().map(|n| n.id).collect(),
        experts: attendance.experts.iter().map(|e| e.id).collect(),
    }
}
