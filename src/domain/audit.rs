//! Audit entries: who read contacts, exported, released contacts, erased data or changed tokens,
//! when, and about what. The log is append-only.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::AuditAction;

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the log, from 1, in write order.
    pub seq: u64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who: `operator:<name>` (`operator` in entries written before operators had names),
    /// `expert:<id>`, `viewer:<event id>:<name>` or `cli`.
    pub actor: String,
    /// What.
    pub action: AuditAction,
    /// About what: `expert:<id>`, `event:<id>`, `introduction:<id>`, `store`, `token:operator:<name>`,
    /// `token:viewer:<event id>:<name>`.
    pub target: String,
    /// A few words more (the route, the format, the number of records).
    pub detail: String,
}
