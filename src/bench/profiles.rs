//! Experts made by hand or changed: for tests, examples and the write-visibility figure.

use chrono::DateTime;

use crate::domain::{
    Consent, Contact, CountryCode, Email, EngagementMode, Expert, ExpertId, ExpertProfile, ExpertStatus, LanguageCode,
    Level, Preferences, Proficiency, Skill, SpokenLanguage, TagId, Text, TimeZone,
};

/// A level or weight from 1 to 5 (clamped).
pub fn level(n: i64) -> Level {
    Level::parse(n.clamp(1, 5)).unwrap_or(Level::MAX)
}

/// An active expert holding exactly these skills (`(tag id, level)`), accepting every mode, speaking
/// English, with no sectors or preferences: for tests and small examples.
pub fn expert_holding(skills: &[(&str, u8)]) -> Expert {
    let text = |s: &str| Text::parse(s, 1, 200).expect("fixed text is valid");
    let id = ExpertId::generate();
    let profile = ExpertProfile {
        name: text("Example expert"),
        contact: Contact {
            email: Email::parse(&format!("{}@example.org", id.simple())).expect("a generated address is valid"),
            phone: None,
            other: None,
        },
        country: CountryCode::parse("DE").expect("a known country"),
        city: text("Berlin"),
        timezone: TimeZone::parse("Europe/Berlin").expect("a known time zone"),
        organisation: text("Example institute"),
        position: text("Researcher"),
        bio: None,
        languages: vec![SpokenLanguage {
            code: LanguageCode::parse("en").expect("a known language"),
            proficiency: Proficiency::Fluent,
        }],
        skills: skills
            .iter()
            .filter_map(|(t, l)| {
                Some(Skill {
                    tag: TagId::parse(t).ok()?,
                    level: level(i64::from(*l)),
                    evidence: Vec::new(),
                })
            })
            .collect(),
        sectors: Vec::new(),
        engagement_modes: EngagementMode::ALL.to_vec(),
        hours_per_month: 20,
        preferences: Preferences::default(),
        channel: None,
    };
    let consent = Consent {
        given_at: DateTime::UNIX_EPOCH,
        text_version: text("v1"),
        withdrawn_at: None,
    };
    let mut expert = Expert::register(id, profile, consent, DateTime::UNIX_EPOCH);
    expert.status = ExpertStatus::Active;
    expert
}

/// The same expert with every skill level moved up by one (5 wraps to 1): a write for the bench.
pub fn changed(expert: &Expert) -> Expert {
    let mut profile = expert.profile.clone();
    for s in &mut profile.skills {
        s.level = level(i64::from(s.level.get() % 5 + 1));
    }
    expert.revise(profile, expert.status, expert.updated_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_expert_keeps_its_id_and_moves_its_levels() {
        let e = expert_holding(&[("ai.ml", 5), ("ai.nlp", 2)]);
        let c = changed(&e);
        assert_eq!(c.id, e.id);
        assert_eq!(c.version, e.version + 1);
        let levels = |x: &Expert| x.profile.skills.iter().map(|s| s.level.get()).collect::<Vec<_>>();
        assert_eq!(levels(&c), vec![1, 3]);
    }
}
