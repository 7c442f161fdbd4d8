//! Introductions: proposing one from a match, an event meeting or by hand, moving it stage by
//! stage with an append-only history, and listing them by need, expert, event or stage.

use chrono::Utc;

use super::core::Engine;
use super::events::explain_pair;
use super::page::{collect_page, Page};
use super::version::check_version;
use crate::domain::{
    EventId, ExpertId, Introduction, IntroductionId, IntroductionSource, MeetingId, NeedId, Origin, Stage, Step, Text,
};
use crate::error::{Error, Result};

/// What a new introduction is made from.
#[derive(Debug, Clone)]
pub enum IntroductionFrom {
    /// A pair, from a match or by hand.
    Pair {
        /// The need.
        need: NeedId,
        /// The expert.
        expert: ExpertId,
        /// `match` or `manual`.
        source: IntroductionSource,
    },
    /// A meeting of an event's schedule.
    Meeting {
        /// The event.
        event: EventId,
        /// The meeting.
        meeting: MeetingId,
    },
}

/// Filters of the introduction list.
#[derive(Debug, Clone, Default)]
pub struct IntroductionFilter {
    /// Of this need.
    pub need: Option<NeedId>,
    /// Of this expert.
    pub expert: Option<ExpertId>,
    /// From this event.
    pub event: Option<EventId>,
    /// At this stage now.
    pub stage: Option<Stage>,
}

impl IntroductionFilter {
    fn keeps(&self, i: &Introduction) -> bool {
        self.need.is_none_or(|n| i.need == n)
            && self.expert.is_none_or(|e| i.expert == e)
            && self.event.is_none_or(|e| i.origin.event == Some(e))
            && self.stage.is_none_or(|s| i.stage() == s)
    }
}

impl Engine {
    /// Proposes an introduction; 409 `introduction_exists` when the pair has one still open.
    pub fn propose_introduction(
        &self,
        from: IntroductionFrom,
        actor: Text,
        note: Option<Text>,
    ) -> Result<Introduction> {
        let (need, expert, origin) = match from {
            IntroductionFrom::Pair { need, expert, source } => (
                need,
                expert,
                Origin {
                    source,
                    event: None,
                    meeting: None,
                    score: None,
                },
            ),
            IntroductionFrom::Meeting { event, meeting } => {
                let ev = self.event(event)?;
                let m = ev
                    .schedule
                    .as_ref()
                    .and_then(|s| s.meetings.iter().find(|m| m.id == meeting))
                    .ok_or_else(|| Error::not_found("meeting", meeting))?;
                (
                    m.need,
                    m.expert,
                    Origin {
                        source: IntroductionSource::Event,
                        event: Some(event),
                        meeting: Some(meeting),
                        score: None,
                    },
                )
            }
        };
        let need_record = self.need(need)?;
        let expert_record = self.expert(expert)?;
        // One open introduction per pair: the check and the insert must not interleave.
        let _one_at_a_time = self.proposals.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let open = self
            .store
            .introductions_after(None)
            .filter_map(|i| i.ok())
            .find(|i| i.need == need && i.expert == expert && !i.stage().is_final());
        if let Some(existing) = open {
            return Err(Error::Conflict {
                code: "introduction_exists",
                detail: format!(
                    "need {need} and expert {expert} already have an open introduction ({}, {})",
                    existing.id,
                    existing.stage()
                ),
                existing: Some(existing.id.to_string()),
            });
        }
        let score = explain_pair(&self.taxonomy(), &need_record, &expert_record).map(|s| s.score);
        let first = Step {
            stage: Stage::Proposed,
            at: Utc::now(),
            actor,
            note,
        };
        let intro = Introduction::propose(
            IntroductionId::generate(),
            need,
            expert,
            Origin { score, ..origin },
            first,
        );
        self.store.insert_introduction(&intro)?;
        Ok(intro)
    }

    /// One introduction.
    pub fn introduction(&self, id: IntroductionId) -> Result<Introduction> {
        self.store
            .introduction(id)?
            .ok_or_else(|| Error::not_found("introduction", id))
    }

    /// Moves an introduction to `to`, appending a step; 409 `illegal_transition` naming the
    /// allowed next stages when `to` may not follow the current one.
    pub fn move_introduction(
        &self,
        id: IntroductionId,
        expected: Option<u64>,
        to: Stage,
        actor: Text,
        note: Option<Text>,
    ) -> Result<Introduction> {
        let current = self.introduction(id)?;
        check_version(expected, current.version)?;
        let from = current.stage();
        let allowed = from.next();
        if !allowed.contains(&to) {
            return Err(Error::Transition {
                from: from.to_string(),
                to: to.to_string(),
                allowed: allowed.iter().map(ToString::to_string).collect(),
            });
        }
        // Steps keep time order even if the clock steps back.
        let at = Utc::now().max(current.updated_at());
        let updated = current.advance(Step {
            stage: to,
            at,
            actor,
            note,
        });
        self.store.update_introduction(&current, &updated)?;
        Ok(updated)
    }

    /// A page of introductions in id order that pass `filter`.
    pub fn list_introductions(
        &self,
        filter: &IntroductionFilter,
        after: Option<IntroductionId>,
        limit: usize,
    ) -> Result<Page<Introduction, IntroductionId>> {
        collect_page(
            self.store.introductions_after(after),
            limit,
            |i| filter.keeps(i),
            |i| i.id,
        )
    }

    /// Every introduction (reports).
    pub fn all_introductions(&self) -> Result<Vec<Introduction>> {
        self.store.introductions_after(None).collect()
    }
}
