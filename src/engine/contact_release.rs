//! Releasing contacts for one introduction: an operator's explicit act, allowed while the
//! introduction is open, and always audited (for the expert and for the introduction).

use super::core::Engine;
use crate::domain::{AuditAction, Expert, IntroductionId, Need};
use crate::error::{Error, Result};

/// The two sides of an introduction with their contacts.
#[derive(Debug, Clone)]
pub struct ReleasedContacts {
    /// The introduction.
    pub introduction: IntroductionId,
    /// The expert, contacts included.
    pub expert: Expert,
    /// The need, with the enterprise's contact.
    pub need: Need,
}

impl Engine {
    /// The contacts of both sides of an open introduction, audited as a release by `actor`.
    pub fn release_contacts(&self, id: IntroductionId, actor: &str) -> Result<ReleasedContacts> {
        let intro = self.introduction(id)?;
        if intro.stage().is_final() {
            return Err(Error::Conflict {
                code: "introduction_closed",
                detail: format!(
                    "introduction {id} is {}; contacts are released for open introductions only",
                    intro.stage()
                ),
                existing: Some(id.to_string()),
            });
        }
        let expert = self.expert(intro.expert)?;
        let need = self.need(intro.need)?;
        let detail = format!("contacts of introduction {id} (need {})", need.id);
        self.audit_each(
            actor,
            AuditAction::ContactRelease,
            vec![format!("expert:{}", expert.id), format!("introduction:{id}")],
            &detail,
        )?;
        Ok(ReleasedContacts {
            introduction: id,
            expert,
            need,
        })
    }
}
