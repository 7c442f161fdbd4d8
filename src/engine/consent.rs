//! Consent after registration: withdrawing it takes the expert out of matching at once (the
//! index sees the change before the answer); giving it again goes through PUT or PATCH.

use chrono::Utc;

use super::core::Engine;
use crate::domain::{AuditAction, Expert, ExpertId};
use crate::error::Result;

impl Engine {
    /// Records that the expert withdrew consent, and audits it.
    pub fn withdraw_consent(&self, id: ExpertId, expected: Option<u64>, actor: &str) -> Result<Expert> {
        let updated = self.update_expert(id, expected, |current| {
            let mut consent = current.consent.clone();
            consent.withdrawn_at.get_or_insert_with(Utc::now);
            Ok((current.profile.clone(), current.status, Some(consent)))
        })?;
        self.audit(
            actor,
            AuditAction::ConsentWithdrawn,
            format!("expert:{id}"),
            "consent withdrawn",
        )?;
        Ok(updated)
    }
}
