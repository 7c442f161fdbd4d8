//! The need payload of `POST /needs` and `PUT /needs/{id}` (schemas/need-input.schema.json).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::fields::{int_in, language_codes, opt_text, required, tag, tags, text, vocab};
use super::limits::*;
use crate::domain::{
    Email, EngagementMode, Enterprise, EnterpriseContact, Indicator, Level, Need, NeedSkill, NeedSpec, NeedStatus,
    NeedType, Problems, TagKind, TagLookup, Text, Urgency,
};
use crate::error::Result;

/// The enterprise's contact person.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseContactInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// The enterprise.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    #[serde(default)]
    pub contact: EnterpriseContactInput,
}

/// A skill asked for.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedSkillInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
    #[serde(default)]
    pub must_have: bool,
}

/// A quantified target.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// A need as written by an operator.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise: Option<EnterpriseInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<NeedSkillInput>>,
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement_modes: Option<Vec<String>>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_per_month: Option<i64>,
    #[serde(default)]
    pub indicators: Vec<IndicatorInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

impl NeedInput {
    /// Parses the payload into a spec and status (open unless given); every bad field at once.
    pub fn into_spec(self, lookup: &dyn TagLookup) -> Result<(NeedSpec, NeedStatus)> {
        let mut p = Problems::new();
        let enterprise = required(&mut p, "enterprise", self.enterprise).unwrap_or_default();
        let name = required(&mut p, "enterprise.name", enterprise.name.as_deref())
            .and_then(|v| text(&mut p, "enterprise.name", v, NAME_CHARS));
        let zone = required(&mut p, "enterprise.zone", enterprise.zone.as_deref())
            .and_then(|v| text(&mut p, "enterprise.zone", v, PLACE_CHARS));
        let c = &enterprise.contact;
        let contact_name = opt_text(&mut p, "enterprise.contact.name", c.name.as_deref(), NAME_CHARS);
        let contact_email = match c.email.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(raw) => p.check("enterprise.contact.email", Email::parse(raw)).map(Some),
        };
        let contact_phone = opt_text(&mut p, "enterprise.contact.phone", c.phone.as_deref(), PHONE_CHARS);
        let title = required(&mut p, "title", self.title).and_then(|v| text(&mut p, "title", &v, NAME_CHARS));
        let description = p.check("description", Text::parse(&self.description, 0, DESCRIPTION_CHARS));
        let need_type =
            required(&mut p, "need_type", self.need_type).and_then(|v| p.check("need_type", NeedType::parse(&v)));
        let skills = required(&mut p, "skills", self.skills).and_then(|v| need_skills(&mut p, &v, lookup));
        let sectors = tags(
            &mut p,
            "sectors",
            &self.sectors,
            MAX_SECTORS,
            Some(TagKind::Sector),
            lookup,
        );
        let modes = required(&mut p, "engagement_modes", self.engagement_modes)
            .and_then(|v| vocab(&mut p, "engagement_modes", &v, 1, EngagementMode::parse));
        let languages = language_codes(&mut p, "languages", &self.languages, MAX_REQUIRED_LANGUAGES);
        let urgency = required(&mut p, "urgency", self.urgency).and_then(|v| p.check("urgency", Urgency::parse(&v)));
        let deadline = match self.deadline.as_deref() {
            None => Some(None),
            Some(raw) => p
                .check(
                    "deadline",
                    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                        .map_err(|_| format!("{raw:?} is not a date such as 2027-03-31")),
                )
                .map(Some),
        };
        let hours = match self.hours_per_month {
            None => Some(None),
            Some(h) => int_in(&mut p, "hours_per_month", h, 0, MAX_HOURS).map(Some),
        };
        let indicators = indicators(&mut p, &self.indicators);
        let status = match self.status.as_deref() {
            None => Some(NeedStatus::Open),
            Some(raw) => p.check("status", NeedStatus::parse(raw)),
        };
        p.finish(|| {
            let spec = NeedSpec {
                enterprise: Enterprise {
                    name: name?,
                    zone: zone?,
                    contact: EnterpriseContact {
                        name: contact_name?,
                        email: contact_email?,
                        phone: contact_phone?,
                    },
                },
                title: title?,
                description: description?,
                need_type: need_type?,
                skills: skills?,
                sectors: sectors?,
                engagement_modes: modes?,
                languages: languages?,
                urgency: urgency?,
                deadline: deadline?,
                hours_per_month: hours?,
                indicators: indicators?,
            };
            Some((spec, status?))
        })
    }

    /// The payload that would write `need` as it is (for PATCH).
    pub fn from_need(need: &Need) -> NeedInput {
        let s = &need.spec;
        let c = &s.enterprise.contact;
        NeedInput {
            enterprise: Some(EnterpriseInput {
                name: Some(s.enterprise.name.to_string()),
                zone: Some(s.enterprise.zone.to_string()),
                contact: EnterpriseContactInput {
                    name: c.name.as_ref().map(Text::to_string),
                    email: c.email.as_ref().map(|e| e.as_str().to_string()),
                    phone: c.phone.as_ref().map(Text::to_string),
                },
            }),
            title: Some(s.title.to_string()),
            description: s.description.to_string(),
            need_type: Some(s.need_type.as_str().to_string()),
            skills: Some(
                s.skills
                    .iter()
                    .map(|k| NeedSkillInput {
                        tag: Some(k.tag.to_string()),
                        weight: Some(i64::from(k.weight.get())),
                        must_have: k.must_have,
                    })
                    .collect(),
            ),
            sectors: s.sectors.iter().map(ToString::to_string).collect(),
            engagement_modes: Some(s.engagement_modes.iter().map(|m| m.as_str().to_string()).collect()),
            languages: s.languages.iter().map(|l| l.as_str().to_string()).collect(),
            urgency: Some(s.urgency.as_str().to_string()),
            deadline: s.deadline.map(|d| d.format("%Y-%m-%d").to_string()),
            hours_per_month: s.hours_per_month.map(i64::from),
            indicators: s
                .indicators
                .iter()
                .map(|i| IndicatorInput {
                    name: Some(i.name.to_string()),
                    target: Some(i.target.to_string()),
                })
                .collect(),
            status: Some(need.status.as_str().to_string()),
        }
    }
}

fn need_skills(p: &mut Problems, raws: &[NeedSkillInput], lookup: &dyn TagLookup) -> Option<Vec<NeedSkill>> {
    if !p.check_len("skills", raws, 1, MAX_SKILLS) {
        return None;
    }
    let mut out: Vec<NeedSkill> = Vec::new();
    let mut ok = true;
    for (i, s) in raws.iter().enumerate() {
        let id = required(p, &format!("skills[{i}].tag"), s.tag.as_deref())
            .and_then(|v| tag(p, &format!("skills[{i}].tag"), v, None, lookup));
        let weight = required(p, &format!("skills[{i}].weight"), s.weight)
            .and_then(|v| p.check(format!("skills[{i}].weight"), Level::parse(v)));
        match (id, weight) {
            (Some(tag), _) if out.iter().any(|o| o.tag == tag) => {
                p.push(format!("skills[{i}].tag"), format!("{tag} is listed twice"));
                ok = false;
            }
            (Some(tag), Some(weight)) => out.push(NeedSkill {
                tag,
                weight,
                must_have: s.must_have,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

fn indicators(p: &mut Problems, raws: &[IndicatorInput]) -> Option<Vec<Indicator>> {
    if !p.check_len("indicators", raws, 0, MAX_INDICATORS) {
        return None;
    }
    raws.iter()
        .enumerate()
        .map(|(i, ind)| {
            let name = required(p, &format!("indicators[{i}].name"), ind.name.as_deref())
                .and_then(|v| text(p, &format!("indicators[{i}].name"), v, SHORT_TEXT_CHARS));
            let target = required(p, &format!("indicators[{i}].target"), ind.target.as_deref())
                .and_then(|v| text(p, &format!("indicators[{i}].target"), v, SHORT_TEXT_CHARS));
            Some(Indicator {
                name: name?,
                target: target?,
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}
