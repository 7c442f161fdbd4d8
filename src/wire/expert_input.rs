//! The expert payload of `POST /experts` and `PUT /experts/{id}` (schemas/expert-input.schema.json).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::fields::{int_in, opt_text, tag, tags, text, vocab};
use super::limits::*;
use crate::domain::{
    ChannelId, Consent, Contact, CountryCode, Email, EngagementMode, Expert, ExpertProfile, LanguageCode, Level,
    NeedType, Preferences, Problems, Proficiency, Skill, SpokenLanguage, TagKind, TagLookup, Text, TimeZone,
};
use crate::error::Result;

/// How to reach the expert.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    /// Required, unique across experts.
    pub email: String,
    /// Optional phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Optional other contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
}

/// A language spoken.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageInput {
    /// ISO 639-1.
    pub code: String,
    /// native, fluent, working, basic.
    pub proficiency: String,
}

/// A skill held.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillInput {
    /// Id, or label or alias in zh, en or fr.
    pub tag: String,
    /// 1-5.
    pub level: i64,
    /// Papers, patents, projects.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

/// What the expert wants.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreferencesInput {
    /// Need types wanted.
    #[serde(default)]
    pub need_types: Vec<String>,
    /// Sectors wanted.
    #[serde(default)]
    pub sectors: Vec<String>,
}

/// Consent as given at registration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentInput {
    /// Must be true.
    pub given: bool,
    /// Version of the consent text shown.
    pub text_version: String,
}

/// An expert profile as written by the expert or an operator.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpertInput {
    pub name: String,
    pub contact: ContactInput,
    pub country: String,
    pub city: String,
    pub timezone: String,
    pub organisation: String,
    pub position: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
    pub languages: Vec<LanguageInput>,
    pub skills: Vec<SkillInput>,
    #[serde(default)]
    pub sectors: Vec<String>,
    pub engagement_modes: Vec<String>,
    pub hours_per_month: i64,
    #[serde(default)]
    pub preferences: PreferencesInput,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<ConsentInput>,
}

impl ExpertInput {
    /// Parses the payload into a profile, resolving tags; every bad field is reported at once.
    /// Consent is checked when `consent_required` (registration) or when given.
    pub fn into_profile(
        self,
        lookup: &dyn TagLookup,
        consent_required: bool,
        now: DateTime<Utc>,
    ) -> Result<(ExpertProfile, Option<Consent>)> {
        let mut p = Problems::new();
        let name = text(&mut p, "name", &self.name, NAME_CHARS);
        let email = p.check("contact.email", Email::parse(&self.contact.email));
        let phone = opt_text(&mut p, "contact.phone", self.contact.phone.as_deref(), PHONE_CHARS);
        let other = opt_text(&mut p, "contact.other", self.contact.other.as_deref(), SHORT_TEXT_CHARS);
        let country = p.check("country", CountryCode::parse(&self.country));
        let city = text(&mut p, "city", &self.city, PLACE_CHARS);
        let timezone = p.check("timezone", TimeZone::parse(&self.timezone));
        let organisation = text(&mut p, "organisation", &self.organisation, NAME_CHARS);
        let position = text(&mut p, "position", &self.position, NAME_CHARS);
        let bio = opt_text(&mut p, "bio", self.bio.as_deref(), BIO_CHARS);
        let languages = languages(&mut p, &self.languages);
        let skills = skills(&mut p, &self.skills, lookup);
        let sectors = tags(
            &mut p,
            "sectors",
            &self.sectors,
            MAX_SECTORS,
            Some(TagKind::Sector),
            lookup,
        );
        let modes = vocab(
            &mut p,
            "engagement_modes",
            &self.engagement_modes,
            1,
            EngagementMode::parse,
        );
        let hours = int_in(&mut p, "hours_per_month", self.hours_per_month, 0, MAX_HOURS);
        let need_types = vocab(
            &mut p,
            "preferences.need_types",
            &self.preferences.need_types,
            0,
            NeedType::parse,
        );
        let pref_sectors = tags(
            &mut p,
            "preferences.sectors",
            &self.preferences.sectors,
            MAX_SECTORS,
            Some(TagKind::Sector),
            lookup,
        );
        let channel = match self.channel.as_deref() {
            None => Some(None),
            Some(raw) => p.check("channel", ChannelId::parse(raw)).map(Some),
        };
        let consent = consent(&mut p, self.consent.as_ref(), consent_required, now);
        p.finish(|| {
            let profile = ExpertProfile {
                name: name?,
                contact: Contact {
                    email: email?,
                    phone: phone?,
                    other: other?,
                },
                country: country?,
                city: city?,
                timezone: timezone?,
                organisation: organisation?,
                position: position?,
                bio: bio?,
                languages: languages?,
                skills: skills?,
                sectors: sectors?,
                engagement_modes: modes?,
                hours_per_month: hours?,
                preferences: Preferences {
                    need_types: need_types?,
                    sectors: pref_sectors?,
                },
                channel: channel?,
            };
            Some((profile, consent?))
        })
    }

    /// The payload that would write `expert` as it is (for PATCH, which merges into it).
    pub fn from_expert(expert: &Expert) -> ExpertInput {
        let p = &expert.profile;
        ExpertInput {
            name: p.name.to_string(),
            contact: ContactInput {
                email: p.contact.email.as_str().to_string(),
                phone: p.contact.phone.as_ref().map(Text::to_string),
                other: p.contact.other.as_ref().map(Text::to_string),
            },
            country: p.country.as_str().to_string(),
            city: p.city.to_string(),
            timezone: p.timezone.name().to_string(),
            organisation: p.organisation.to_string(),
            position: p.position.to_string(),
            bio: p.bio.as_ref().map(Text::to_string),
            languages: p
                .languages
                .iter()
                .map(|l| LanguageInput {
                    code: l.code.as_str().into(),
                    proficiency: l.proficiency.as_str().into(),
                })
                .collect(),
            skills: p
                .skills
                .iter()
                .map(|s| SkillInput {
                    tag: s.tag.to_string(),
                    level: i64::from(s.level.get()),
                    evidence: s.evidence.iter().map(Text::to_string).collect(),
                })
                .collect(),
            sectors: p.sectors.iter().map(ToString::to_string).collect(),
            engagement_modes: p.engagement_modes.iter().map(|m| m.as_str().to_string()).collect(),
            hours_per_month: i64::from(p.hours_per_month),
            preferences: PreferencesInput {
                need_types: p
                    .preferences
                    .need_types
                    .iter()
                    .map(|t| t.as_str().to_string())
                    .collect(),
                sectors: p.preferences.sectors.iter().map(ToString::to_string).collect(),
            },
            channel: p.channel.as_ref().map(ToString::to_string),
            consent: None,
        }
    }
}

fn languages(p: &mut Problems, raws: &[LanguageInput]) -> Option<Vec<SpokenLanguage>> {
    if !p.check_len("languages", raws, 1, MAX_LANGUAGES) {
        return None;
    }
    let mut out: Vec<SpokenLanguage> = Vec::new();
    let mut ok = true;
    for (i, l) in raws.iter().enumerate() {
        let code = p.check(format!("languages[{i}].code"), LanguageCode::parse(&l.code));
        let proficiency = p.check(
            format!("languages[{i}].proficiency"),
            Proficiency::parse(&l.proficiency),
        );
        match (code, proficiency) {
            (Some(code), _) if out.iter().any(|o| o.code == code) => {
                p.push(
                    format!("languages[{i}].code"),
                    format!("{} is listed twice", code.as_str()),
                );
                ok = false;
            }
            (Some(code), Some(proficiency)) => out.push(SpokenLanguage { code, proficiency }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

fn skills(p: &mut Problems, raws: &[SkillInput], lookup: &dyn TagLookup) -> Option<Vec<Skill>> {
    if !p.check_len("skills", raws, 1, MAX_SKILLS) {
        return None;
    }
    let mut out: Vec<Skill> = Vec::new();
    let mut ok = true;
    for (i, s) in raws.iter().enumerate() {
        let id = tag(p, &format!("skills[{i}].tag"), &s.tag, None, lookup);
        let level = p.check(format!("skills[{i}].level"), Level::parse(s.level));
        let evidence: Vec<Option<Text>> = if p.check_len(&format!("skills[{i}].evidence"), &s.evidence, 0, MAX_EVIDENCE)
        {
            s.evidence
                .iter()
                .enumerate()
                .map(|(j, e)| text(p, &format!("skills[{i}].evidence[{j}]"), e, EVIDENCE_CHARS))
                .collect()
        } else {
            vec![None]
        };
        match (id, level, evidence.into_iter().collect::<Option<Vec<_>>>()) {
            (Some(tag), _, _) if out.iter().any(|o| o.tag == tag) => {
                p.push(format!("skills[{i}].tag"), format!("{tag} is listed twice"));
                ok = false;
            }
            (Some(tag), Some(level), Some(evidence)) => out.push(Skill { tag, level, evidence }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

fn consent(
    p: &mut Problems,
    raw: Option<&ConsentInput>,
    required: bool,
    now: DateTime<Utc>,
) -> Option<Option<Consent>> {
    match raw {
        None if required => {
            p.push(
                "consent",
                "consent to the processing of personal data is required to register",
            );
            None
        }
        None => Some(None),
        Some(c) if !c.given => {
            p.push("consent.given", "must be true: a profile is stored only with consent");
            None
        }
        Some(c) => text(p, "consent.text_version", &c.text_version, VERSION_CHARS).map(|text_version| {
            Some(Consent {
                given_at: now,
                text_version,
            })
        }),
    }
}
