//! The audit log through the engine: recording what was read, exported, released, erased or
//! changed, and reading the log back with filters.

use chrono::{DateTime, Utc};

use super::auth::Principal;
use super::core::Engine;
use super::page::{collect_page, Page};
use crate::domain::{AuditAction, AuditEntry};
use crate::error::Result;

/// Filters of the audit log.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// By this actor.
    pub actor: Option<String>,
    /// Of this action.
    pub action: Option<AuditAction>,
    /// About this target (`expert:<id>`...).
    pub target: Option<String>,
    /// At or after.
    pub since: Option<DateTime<Utc>>,
    /// Before.
    pub until: Option<DateTime<Utc>>,
}

impl AuditFilter {
    fn keeps(&self, e: &AuditEntry) -> bool {
        self.actor.as_ref().is_none_or(|a| *a == e.actor)
            && self.action.is_none_or(|a| a == e.action)
            && self.target.as_ref().is_none_or(|t| *t == e.target)
            && self.since.is_none_or(|t| e.at >= t)
            && self.until.is_none_or(|t| e.at < t)
    }
}

impl Principal {
    /// The principal as an audit actor: `operator:<name>`, `expert:<id>` or `viewer:<event id>:<name>`.
    pub fn actor(&self) -> String {
        match self {
            Principal::Operator(name) => format!("operator:{name}"),
            Principal::Expert(id) => format!("expert:{id}"),
            Principal::Viewer(event, name) => format!("viewer:{event}:{name}"),
        }
    }
}

impl Engine {
    /// Appends an audit entry; durable before the caller answers.
    pub fn audit(
        &self,
        actor: &str,
        action: AuditAction,
        target: impl Into<String>,
        detail: impl Into<String>,
    ) -> Result<AuditEntry> {
        self.store.append_audit(AuditEntry {
            seq: 0,
            at: Utc::now(),
            actor: actor.to_string(),
            action,
            target: target.into(),
            detail: detail.into(),
        })
    }

    /// Appends one entry per target, with one flush.
    pub fn audit_each(&self, actor: &str, action: AuditAction, targets: Vec<String>, detail: &str) -> Result<()> {
        if targets.is_empty() {
            return Ok(());
        }
        let at = Utc::now();
        let entries = targets
            .into_iter()
            .map(|target| AuditEntry {
                seq: 0,
                at,
                actor: actor.to_string(),
                action,
                target,
                detail: detail.to_string(),
            })
            .collect();
        self.store.append_audits(entries).map(|_| ())
    }

    /// A page of the log in write order.
    pub fn audit_log(&self, filter: &AuditFilter, after: Option<u64>, limit: usize) -> Result<Page<AuditEntry, u64>> {
        collect_page(self.store.audit_after(after), limit, |e| filter.keeps(e), |e| e.seq)
    }
}
