//! Everything stored about one expert, gathered for the expert's own export (GDPR art. 15 and
//! 20, PIPL art. 45): the record, the events it takes part in and their meetings, its
//! introductions, and the audit entries about it.

use super::core::Engine;
use crate::domain::{AuditAction, AuditEntry, Event, Expert, ExpertId, Introduction};
use crate::error::Result;

/// One expert's data.
#[derive(Debug, Clone)]
pub struct PersonalData {
    /// The profile, consent and status.
    pub expert: Expert,
    /// Events listing the expert.
    pub events: Vec<Event>,
    /// Introductions of the expert.
    pub introductions: Vec<Introduction>,
    /// Audit entries about the expert (this export's own entry included).
    pub audit: Vec<AuditEntry>,
}

impl Engine {
    /// Gathers everything stored about the expert and audits the export.
    pub fn personal_data(&self, id: ExpertId, actor: &str) -> Result<PersonalData> {
        let expert = self.expert(id)?;
        self.audit(
            actor,
            AuditAction::Export,
            format!("expert:{id}"),
            "the expert's own data",
        )?;
        let events = self
            .store
            .events_after(None)
            .filter(|e| {
                e.as_ref()
                    .map_or(true, |e| e.spec.experts.iter().any(|x| x.expert == id))
            })
            .collect::<Result<Vec<_>>>()?;
        let introductions = self
            .store
            .introductions_after(None)
            .filter(|i| i.as_ref().map_or(true, |i| i.expert == id))
            .collect::<Result<Vec<_>>>()?;
        let target = format!("expert:{id}");
        let audit = self
            .store
            .audit_after(None)
            .filter(|a| a.as_ref().map_or(true, |a| a.target == target))
            .collect::<Result<Vec<_>>>()?;
        Ok(PersonalData {
            expert,
            events,
            introductions,
            audit,
        })
    }
}
