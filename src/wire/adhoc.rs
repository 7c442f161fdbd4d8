//! The body of `POST /match`: a need being drafted, not stored (schemas/adhoc-need.schema.json).

use serde::{Deserialize, Serialize};

use super::fields::{int_in, language_codes, required, tags, vocab};
use super::limits::{MAX_HOURS, MAX_REQUIRED_LANGUAGES, MAX_SECTORS};
use super::need_input::NeedSkillInput;
use crate::domain::{EngagementMode, Level, NeedSkill, NeedType, Problems, TagKind, TagLookup};
use crate::engine::matching::MatchNeed;
use crate::error::Result;

/// A need to rank experts for without storing it; tags as ids or labels in any language.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdhocNeedInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<NeedSkillInput>>,
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement_modes: Option<Vec<String>>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_per_month: Option<i64>,
}

impl AdhocNeedInput {
    /// Parses the draft; every bad field at once. Without engagement modes, every mode is offered.
    pub fn into_match_need(self, lookup: &dyn TagLookup) -> Result<MatchNeed> {
        let mut p = Problems::new();
        let skills = required(&mut p, "skills", self.skills).and_then(|raws| {
            if !p.check_len("skills", &raws, 1, super::limits::MAX_SKILLS) {
                return None;
            }
            let tags_in: Vec<String> = raws.iter().map(|s| s.tag.clone().unwrap_or_default()).collect();
            let ids = tags(&mut p, "skills", &tags_in, super::limits::MAX_SKILLS, None, lookup);
            let weights: Vec<Option<Level>> = raws
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    required(&mut p, &format!("skills[{i}].weight"), s.weight)
                        .and_then(|w| p.check(format!("skills[{i}].weight"), Level::parse(w)))
                })
                .collect();
            let ids = ids?;
            ids.into_iter()
                .zip(weights)
                .zip(raws.iter())
                .map(|((tag, weight), raw)| {
                    Some(NeedSkill {
                        tag,
                        weight: weight?,
                        must_have: raw.must_have,
                    })
                })
                .collect::<Option<Vec<_>>>()
        });
        let sectors = tags(
            &mut p,
            "sectors",
            &self.sectors,
            MAX_SECTORS,
            Some(TagKind::Sector),
            lookup,
        );
        let need_type = match self.need_type.as_deref() {
            None => Some(NeedType::Consulting),
            Some(raw) => p.check("need_type", NeedType::parse(raw)),
        };
        let modes = match self.engagement_modes {
            None => Some(EngagementMode::ALL.to_vec()),
            Some(raws) => vocab(&mut p, "engagement_modes", &raws, 1, EngagementMode::parse),
        };
        let languages = language_codes(&mut p, "languages", &self.languages, MAX_REQUIRED_LANGUAGES);
        let hours = match self.hours_per_month {
            None => Some(None),
            Some(h) => int_in(&mut p, "hours_per_month", h, 0, MAX_HOURS).map(Some),
        };
        p.finish(|| {
            Some(MatchNeed {
                skills: skills?,
                sectors: sectors?,
                need_type: need_type?,
                engagement_modes: modes?,
                languages: languages?,
                hours_per_month: hours?,
            })
        })
    }
}
