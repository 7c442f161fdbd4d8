//! Records due for follow-up: expert profiles not updated for a while, and needs still open or
//! paused past their deadline.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::history::History;
use crate::domain::{ExpertId, ExpertStatus, NeedId, NeedStatus};

/// An expert whose profile is stale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaleExpert {
    /// The expert.
    pub id: ExpertId,
    /// Its name.
    pub name: String,
    /// Its status.
    pub status: ExpertStatus,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Days since.
    pub days_since_update: i64,
}

/// A need past its deadline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaleNeed {
    /// The need.
    pub id: NeedId,
    /// Its title.
    pub title: String,
    /// Open or paused.
    pub status: NeedStatus,
    /// The deadline passed.
    pub deadline: NaiveDate,
    /// Days since.
    pub days_past_deadline: i64,
}

/// Everything due for follow-up, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RenewalDue {
    /// Profiles are stale after this many days without a change.
    pub stale_after_days: i64,
    /// Active and pending profiles not updated for `stale_after_days` (inactive ones are left alone).
    pub experts: Vec<StaleExpert>,
    /// Open and paused needs past their deadline.
    pub needs: Vec<StaleNeed>,
}

/// What is due as of `now` (`today` is its local date).
pub fn renewal_due(history: &History, now: DateTime<Utc>, today: NaiveDate, stale_after_days: i64) -> RenewalDue {
    let mut experts: Vec<StaleExpert> = history
        .experts
        .iter()
        .filter(|e| e.status != ExpertStatus::Inactive)
        .map(|e| StaleExpert {
            id: e.id,
            name: e.profile.name.to_string(),
            status: e.status,
            updated_at: e.updated_at,
            days_since_update: (now - e.updated_at).num_days(),
        })
        .filter(|e| e.days_since_update >= stale_after_days)
        .collect();
    experts.sort_by(|a, b| a.updated_at.cmp(&b.updated_at).then(a.id.cmp(&b.id)));
    let mut needs: Vec<StaleNeed> = history
        .needs
        .iter()
        .filter(|n| matches!(n.status, NeedStatus::Open | NeedStatus::Paused))
        .filter_map(|n| {
            let deadline = n.spec.deadline?;
            (deadline < today).then(|| StaleNeed {
                id: n.id,
                title: n.spec.title.to_string(),
                status: n.status,
                deadline,
                days_past_deadline: (today - deadline).num_days(),
            })
        })
        .collect();
    needs.sort_by(|a, b| a.deadline.cmp(&b.deadline).then(a.id.cmp(&b.id)));
    RenewalDue {
        stale_after_days,
        experts,
        needs,
    }
}
