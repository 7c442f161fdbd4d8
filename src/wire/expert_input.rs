//! The expert payload of `POST /experts` and `PUT /experts/{id}` (schemas/expert-input.schema.json).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::fields::{int_in, opt_text, required, tag, tags, text, vocab};
use super::limits::*;
use crate::domain::{
    ChannelId, Consent, Contact, CountryCode, Email, EngagementMode, Expert, ExpertProfile, LanguageCode, Level,
    NeedType, Preferences, Problems, Proficiency, Skill, SpokenLanguage, TagKind, TagLookup, Text, TimeZone,
};
use crate::error::Result;

/// How to reach the expert.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    /// Required, unique across experts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// native, fluent, working, basic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proficiency: Option<String>,
}

/// A skill held.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillInput {
    /// Id, or label or alias in zh, en or fr.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// 1-5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<i64>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<bool>,
    /// Version of the consent text shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_version: Option<String>,
}

/// An expert profile as written by the expert or an operator.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpertInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<ContactInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<LanguageInput>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<SkillInput>>,
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement_modes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_per_month: Option<i64>,
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
        let name = required(&mut p, "name", self.name).and_then(|v| text(&mut p, "name", &v, NAME_CHARS));
        let contact = required(&mut p, "contact", self.contact).unwrap_or_default();
        let email = required(&mut p, "contact.email", contact.email.as_deref())
            .and_then(|v| p.check("contact.email", Email::parse(v)));
        let phone = opt_text(&mut p, "contact.phone", contact.phone.as_deref(), PHONE_CHARS);
        let other = opt_text(&mut p, "contact.other", contact.other.as_deref(), SHORT_TEXT_CHARS);
        let country =
            required(&mut p, "country", self.country).and_then(|v| p.check("country", CountryCode::parse(&v)));
        let city = required(&mut p, "city", self.city).and_then(|v| text(&mut p, "city", &v, PLACE_CHARS));
        let timezone =
            required(&mut p, "timezone", self.timezone).and_then(|v| p.check("timezone", TimeZone::parse(&v)));
        let organisation = required(&mut p, "organisation", self.organisation)
            .and_then(|v| text(&mut p, "organisation", &v, NAME_CHARS));
        let position =
            required(&mut p, "position", self.position).and_then(|v| text(&mut p, "position", &v, NAME_CHARS));
        let bio = opt_text(&mut p, "bio", self.bio.as_deref(), BIO_CHARS);
        let languages = required(&mut p, "languages", self.languages).and_then(|v| languages(&mut p, &v));
        let skills = required(&mut p, "skills", self.skills).and_then(|v| skills(&mut p, &v, lookup));
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
        let hours = required(&mut p, "hours_per_month", self.hours_per_month)
            .and_then(|v| int_in(&mut p, "hours_per_month", v, 0, MAX_HOURS));
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
            name: Some(p.name.to_string()),
            contact: Some(ContactInput {
                email: Some(p.contact.email.as_str().to_string()),
                phone: p.contact.phone.as_ref().map(Text::to_string),
                other: p.contact.other.as_ref().map(Text::to_string),
            }),
            country: Some(p.country.as_str().to_string()),
            city: Some(p.city.to_string()),
            timezone: Some(p.timezone.name().to_string()),
            organisation: Some(p.organisation.to_string()),
            position: Some(p.position.to_string()),
            bio: p.bio.as_ref().map(Text::to_string),
            languages: Some(
                p.languages
                    .iter()
                    .map(|l| LanguageInput {
                        code: Some(l.code.as_str().into()),
                        proficiency: Some(l.proficiency.as_str().into()),
                    })
                    .collect(),
            ),
            skills: Some(
                p.skills
                    .iter()
                    .map(|s| SkillInput {
                        tag: Some(s.tag.to_string()),
                        level: Some(i64::from(s.level.get())),
                        evidence: s.evidence.iter().map(Text::to_string).collect(),
                    })
                    .collect(),
            ),
            sectors: p.sectors.iter().map(ToString::to_string).collect(),
            engagement_modes: Some(p.engagement_modes.iter().map(|m| m.as_str().to_string()).collect()),
            hours_per_month: Some(i64::from(p.hours_per_month)),
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
        let code = required(p, &format!("languages[{i}].code"), l.code.as_deref())
            .and_then(|v| p.check(format!("languages[{i}].code"), LanguageCode::parse(v)));
        let proficiency = required(p, &format!("languages[{i}].proficiency"), l.proficiency.as_deref())
            .and_then(|v| p.check(format!("languages[{i}].proficiency"), Proficiency::parse(v)));
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
        let id = required(p, &format!("skills[{i}].tag"), s.tag.as_deref())
            .and_then(|v| tag(p, &format!("skills[{i}].tag"), v, None, lookup));
        let level = required(p, &format!("skills[{i}].level"), s.level)
            .and_then(|v| p.check(format!("skills[{i}].level"), Level::parse(v)));
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
    consent_required: bool,
    now: DateTime<Utc>,
) -> Option<Option<Consent>> {
    match raw {
        None if consent_required => {
            p.push(
                "consent",
                "consent to the processing of personal data is required to register",
            );
            None
        }
        None => Some(None),
        Some(c) if c.given != Some(true) => {
            p.push("consent.given", "must be true: a profile is stored only with consent");
            None
        }
        Some(c) => required(p, "consent.text_version", c.text_version.as_deref())
            .and_then(|v| text(p, "consent.text_version", v, VERSION_CHARS))
            .map(|text_version| {
                Some(Consent {
                    given_at: now,
                    text_version,
                    withdrawn_at: None,
                })
            }),
    }
}
