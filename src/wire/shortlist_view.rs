//! An event's shortlists as returned by the API (schemas/shortlists.schema.json).

use serde::{Deserialize, Serialize};

use super::event_view::{expert_label, EventExpertView, EventNeedView};
use super::matching::Explanation;
use crate::domain::Event;
use crate::engine::events::{MetBefore, Shortlists};

/// One expert on a need's list.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShortlistItem {
    pub rank: usize,
    pub expert: EventExpertView,
    pub score: f32,
    pub enterprise_fit: f32,
    pub reverse_fit: f32,
    pub met_before: bool,
    pub preference: Option<String>,
    pub explanation: Explanation,
}

/// The list of one need.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShortlistView {
    pub need: EventNeedView,
    pub experts: Vec<ShortlistItem>,
    /// Experts (ids, or labels when anonymised) that would have made this list but had reached the cap.
    pub capped: Vec<String>,
}

/// How many lists an expert is on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExposureView {
    pub expert: String,
    pub lists: usize,
}

/// Every need's list.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShortlistsView {
    pub event_id: String,
    pub k: usize,
    pub cap: Option<usize>,
    pub met_before: String,
    pub anonymised: bool,
    pub lists: Vec<ShortlistView>,
    pub exposure: Vec<ExposureView>,
}

impl ShortlistsView {
    /// The view of `lists` drawn for `event`.
    pub fn new(
        event: &Event,
        lists: &Shortlists,
        k: usize,
        cap: Option<usize>,
        met: MetBefore,
        anonymised: bool,
    ) -> Self {
        let who = |id: crate::domain::ExpertId| {
            if anonymised {
                expert_label(event.id, id)
            } else {
                id.to_string()
            }
        };
        ShortlistsView {
            event_id: event.id.to_string(),
            k,
            cap,
            met_before: match met {
                MetBefore::Mark => "mark".into(),
                MetBefore::Exclude => "exclude".into(),
            },
            anonymised,
            lists: lists
                .lists
                .iter()
                .map(|l| ShortlistView {
                    need: EventNeedView::new(l.need.id, Some(&l.need), event.spec.need_zone(l.need.id), anonymised),
                    experts: l
                        .entries
                        .iter()
                        .enumerate()
                        .map(|(i, e)| ShortlistItem {
                            rank: i + 1,
                            expert: EventExpertView::new(event.id, e.expert.id, Some(&e.expert), anonymised),
                            score: e.score.score,
                            enterprise_fit: e.score.enterprise,
                            reverse_fit: e.score.reverse.score,
                            met_before: e.met_before,
                            preference: e.preference.map(|p| p.as_str().to_string()),
                            explanation: Explanation::from(&e.score),
                        })
                        .collect(),
                    capped: l.capped.iter().map(|id| who(*id)).collect(),
                })
                .collect(),
            exposure: lists
                .exposure
                .iter()
                .map(|(id, n)| ExposureView {
                    expert: who(*id),
                    lists: *n,
                })
                .collect(),
        }
    }
}
