//! Introductions: one need and one expert put in touch, and every step of the way to a landed
//! project. This is the record the base's yearly figures come from.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{EventId, ExpertId, IntroductionId, IntroductionSource, MeetingId, NeedId, Stage, Text};

impl Stage {
    /// The stages in order of progress, without the two endings.
    pub const PROGRESS: [Stage; 6] = [
        Stage::Proposed,
        Stage::Contacted,
        Stage::Met,
        Stage::Negotiating,
        Stage::Agreed,
        Stage::Landed,
    ];

    /// True for `landed`, `declined` and `withdrawn`: nothing follows.
    pub fn is_final(self) -> bool {
        matches!(self, Stage::Landed | Stage::Declined | Stage::Withdrawn)
    }

    /// The stages that may follow this one: the next one in order, or an ending.
    pub fn next(self) -> Vec<Stage> {
        if self.is_final() {
            return Vec::new();
        }
        let after = Stage::PROGRESS
            .iter()
            .position(|s| *s == self)
            .and_then(|i| Stage::PROGRESS.get(i + 1).copied());
        after.into_iter().chain([Stage::Declined, Stage::Withdrawn]).collect()
    }

    /// Position in the order of progress (endings have none).
    pub fn rank(self) -> Option<usize> {
        Stage::PROGRESS.iter().position(|s| *s == self)
    }
}

/// One step of an introduction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// The stage reached.
    pub stage: Stage,
    /// When.
    pub at: DateTime<Utc>,
    /// Who moved it.
    pub actor: Text,
    /// Why, or what happened.
    pub note: Option<Text>,
}

/// Where an introduction came from, in detail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Origin {
    /// Match, event or manual.
    pub source: IntroductionSource,
    /// The event, for an event meeting.
    pub event: Option<EventId>,
    /// The meeting, for an event meeting.
    pub meeting: Option<MeetingId>,
    /// The pair's match score when it was introduced, if it passed the gates.
    pub score: Option<f32>,
}

/// A stored introduction; its history is append-only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Introduction {
    /// Stable id.
    pub id: IntroductionId,
    /// The need.
    pub need: NeedId,
    /// The expert.
    pub expert: ExpertId,
    /// Where it came from.
    pub origin: Origin,
    /// Every step, oldest first; the last is the current stage.
    pub history: Vec<Step>,
    /// Optimistic-concurrency version.
    pub version: u64,
}

impl Introduction {
    /// A new introduction at `proposed`.
    pub fn propose(id: IntroductionId, need: NeedId, expert: ExpertId, origin: Origin, first: Step) -> Self {
        Introduction {
            id,
            need,
            expert,
            origin,
            history: vec![first],
            version: 1,
        }
    }

    /// The current stage.
    pub fn stage(&self) -> Stage {
        self.history.last().map_or(Stage::Proposed, |s| s.stage)
    }

    /// When it was proposed.
    pub fn created_at(&self) -> DateTime<Utc> {
        self.history.first().map_or(DateTime::<Utc>::MIN_UTC, |s| s.at)
    }

    /// When it last moved.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.history.last().map_or(DateTime::<Utc>::MIN_UTC, |s| s.at)
    }

    /// The furthest stage of progress it reached (an ended introduction keeps what it reached).
    pub fn furthest(&self) -> Stage {
        self.history
            .iter()
            .filter_map(|s| s.stage.rank().map(|r| (r, s.stage)))
            .max_by_key(|(r, _)| *r)
            .map_or(Stage::Proposed, |(_, s)| s)
    }

    /// When it reached `stage`, if it did.
    pub fn reached_at(&self, stage: Stage) -> Option<DateTime<Utc>> {
        self.history.iter().find(|s| s.stage == stage).map(|s| s.at)
    }

    /// The next version with one more step.
    pub fn advance(&self, step: Step) -> Self {
        let mut next = self.clone();
        next.history.push(step);
        next.version += 1;
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_open_stage_moves_one_step_on_or_ends() {
        assert_eq!(
            Stage::Proposed.next(),
            vec![Stage::Contacted, Stage::Declined, Stage::Withdrawn]
        );
        assert_eq!(
            Stage::Agreed.next(),
            vec![Stage::Landed, Stage::Declined, Stage::Withdrawn]
        );
    }

    #[test]
    fn final_stages_have_no_next() {
        for s in [Stage::Landed, Stage::Declined, Stage::Withdrawn] {
            assert!(s.next().is_empty(), "{s}");
        }
    }
}
