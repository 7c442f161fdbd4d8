//! What a draft could not do, and why: participants no longer stored, `must_meet` pairs left out,
//! participants below their minimum, participants without any pair the scheduler may place.

use crate::domain::{EventSpec, PreferenceKind, Unplaced};

use super::attendance::Attendance;
use super::problem::Built;
use super::schedule::Placed;

fn entry(
    code: &str,
    need: Option<crate::domain::NeedId>,
    expert: Option<crate::domain::ExpertId>,
    detail: String,
) -> Unplaced {
    Unplaced {
        code: code.to_string(),
        need,
        expert,
        detail,
    }
}

/// The report of a draft.
pub fn report(spec: &EventSpec, attendance: &Attendance, built: &Built, placed: &[Placed]) -> Vec<Unplaced> {
    let mut out = Vec::new();
    for id in &attendance.missing_needs {
        out.push(entry(
            "participant_missing",
            Some(*id),
            None,
            format!("need {id} is no longer stored"),
        ));
    }
    for id in &attendance.missing_experts {
        out.push(entry(
            "participant_missing",
            None,
            Some(*id),
            format!("expert {id} is no longer stored"),
        ));
    }
    let problem = &built.problem;
    let need_count = |n: usize| placed.iter().filter(|p| p.need == n).count();
    let expert_count = |e: usize| placed.iter().filter(|p| p.expert == e).count();
    let mut asked: Vec<(usize, usize)> = spec
        .preferences
        .iter()
        .filter(|p| p.kind == PreferenceKind::MustMeet)
        .filter_map(|p| Some((built.need(p.need)?, built.expert(p.expert)?)))
        .collect();
    asked.sort_unstable();
    asked.dedup();
    for (n, e) in asked {
        if placed.iter().any(|p| p.need == n && p.expert == e) {
            continue;
        }
        let (need, expert) = (&problem.needs[n], &problem.experts[e]);
        let why = if !problem.pairs.iter().any(|p| p.need == n && p.expert == e) {
            "the other side said no_thanks".to_string()
        } else if !(0..problem.slots.len()).any(|s| need.available[s] && expert.available[s]) {
            "no slot falls inside both sides' waking hours".to_string()
        } else if need_count(n) >= usize::from(need.max) || expert_count(e) >= usize::from(expert.max) {
            "a side's meeting quota is full".to_string()
        } else {
            "every slot both sides could use is taken (by other must_meet pairs or by tables)".to_string()
        };
        out.push(entry(
            "must_meet_not_placed",
            Some(built.needs[n]),
            Some(built.experts[e]),
            why,
        ));
    }
    for (n, p) in problem.needs.iter().enumerate() {
        let count = need_count(n);
        let candidates = problem.pairs.iter().any(|x| x.need == n && x.auto);
        if count == 0 && !candidates {
            out.push(entry("no_eligible_pair", Some(built.needs[n]), None, "no attending expert may be placed with this need: every pair is gated by the match rules (must-haves, modes, languages, status) or refused with no_thanks; place meetings by hand if wanted".into()));
        } else if count < usize::from(p.min) {
            out.push(entry(
                "below_min_quota",
                Some(built.needs[n]),
                None,
                format!("{count} meetings, at least {} wanted", p.min),
            ));
        }
    }
    for (e, p) in problem.experts.iter().enumerate() {
        let count = expert_count(e);
        let candidates = problem.pairs.iter().any(|x| x.expert == e && x.auto);
        if count == 0 && !candidates {
            out.push(entry("no_eligible_pair", None, Some(built.experts[e]), "no attending need may be placed with this expert: every pair is gated by the match rules or refused with no_thanks (or excluded as met before); place meetings by hand if wanted".into()));
        } else if count < usize::from(p.min) {
            out.push(entry(
                "below_min_quota",
                None,
                Some(built.experts[e]),
                format!("{count} meetings, at least {} wanted", p.min),
            ));
        }
    }
    out
}
