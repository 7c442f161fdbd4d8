//! Write observers: in-memory structures kept in step with every committed write.

use std::sync::atomic::{AtomicI64, Ordering};

use crate::domain::{Expert, ExpertId, ExpertStatus, Need, NeedId, NeedStatus};

/// Told of every write after it is durable, and of every record at start.
pub trait WriteObserver: Send + Sync {
    /// An expert was stored (created or changed); `before` is the previous version.
    fn expert_saved(&self, before: Option<&Expert>, after: &Expert);
    /// An expert was removed.
    fn expert_removed(&self, id: ExpertId, before: &Expert);
    /// A need was stored.
    fn need_saved(&self, before: Option<&Need>, after: &Need);
    /// A need was removed.
    fn need_removed(&self, id: NeedId, before: &Need);
}

/// Record counts by status, for readiness and metrics.
#[derive(Debug, Default)]
pub struct RecordCounts {
    experts: [AtomicI64; 3],
    needs: [AtomicI64; 4],
}

fn expert_slot(s: ExpertStatus) -> usize {
    ExpertStatus::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

fn need_slot(s: NeedStatus) -> usize {
    NeedStatus::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

impl RecordCounts {
    /// Experts by status.
    pub fn experts(&self) -> Vec<(ExpertStatus, i64)> {
        ExpertStatus::ALL
            .iter()
            .map(|s| (*s, self.experts[expert_slot(*s)].load(Ordering::Relaxed)))
            .collect()
    }

    /// Needs by status.
    pub fn needs(&self) -> Vec<(NeedStatus, i64)> {
        NeedStatus::ALL
            .iter()
            .map(|s| (*s, self.needs[need_slot(*s)].load(Ordering::Relaxed)))
            .collect()
    }
}

impl RecordCounts {
    /// Counts an expert read at start.
    pub fn expert_loaded(&self, status: ExpertStatus) {
        self.experts[expert_slot(status)].fetch_add(1, Ordering::Relaxed);
    }
}

impl WriteObserver for RecordCounts {
    fn expert_saved(&self, before: Option<&Expert>, after: &Expert) {
        if let Some(b) = before {
            self.experts[expert_slot(b.status)].fetch_sub(1, Ordering::Relaxed);
        }
        self.experts[expert_slot(after.status)].fetch_add(1, Ordering::Relaxed);
    }

    fn expert_removed(&self, _id: ExpertId, before: &Expert) {
        self.experts[expert_slot(before.status)].fetch_sub(1, Ordering::Relaxed);
    }

    fn need_saved(&self, before: Option<&Need>, after: &Need) {
        if let Some(b) = before {
            self.needs[need_slot(b.status)].fetch_sub(1, Ordering::Relaxed);
        }
        self.needs[need_slot(after.status)].fetch_add(1, Ordering::Relaxed);
    }

    fn need_removed(&self, _id: NeedId, before: &Need) {
        self.needs[need_slot(before.status)].fetch_sub(1, Ordering::Relaxed);
    }
}
