//! A deterministic synthetic pool over the real taxonomy: the same seed gives the same experts and needs.
//!
//! Tags are Zipf-popular (exponent `ZIPF_EXPONENT` over a random permutation). Drawn from the whole
//! taxonomy, such tags make one need touch ~90% of the experts (each holds 5-20 skills, and a need tag
//! also reaches the holders of its siblings and ancestors), which is not what a pool looks like: people
//! work in a field. So every expert and need has a home domain (a root sector, Zipf-popular too) and
//! draws `HOME_SHARE` of its skills from it, the rest from the whole taxonomy; a need then touches
//! about 30% of the experts through its tags. The bench measures and prints that share.

use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use super::profiles::level;
use super::zipf::Zipf;

use crate::domain::{
    ChannelId, Consent, Contact, CountryCode, Email, EngagementMode, Expert, ExpertId, ExpertProfile, ExpertStatus,
    LanguageCode, NeedSkill, NeedType, Preferences, Proficiency, Skill, SpokenLanguage, TagId, TagKind, Text, TimeZone,
};
use crate::engine::matching::MatchNeed;
use crate::engine::Taxonomy;
use crate::error::{Error, Result};

/// Exponent of the Zipf popularity of tags and of home domains.
pub const ZIPF_EXPONENT: f64 = 1.0;
/// Share of an expert's or a need's skills drawn from its home domain.
pub const HOME_SHARE: f64 = 0.9;
/// Share of experts that are active (the rest wait for review or are paused).
pub const ACTIVE_SHARE: f64 = 0.95;

const EXPERT_STREAM: u64 = 0x6578_7065_7274;
const NEED_STREAM: u64 = 0x6e65_6564;
const COUNTRIES: [&str; 12] = ["DE", "FR", "GB", "US", "CA", "AU", "NL", "CH", "SE", "JP", "SG", "IT"];
const TIME_ZONES: [&str; 4] = ["Europe/Berlin", "Europe/Paris", "America/New_York", "Asia/Tokyo"];
const CHANNELS: [&str; 6] = [
    "csa-germany",
    "csa-france",
    "alumni-uk",
    "acse-usa",
    "incubator-nl",
    "uni-tokyo",
];
/// Languages with the share of experts speaking each.
const LANGUAGES: [(&str, f64); 4] = [("en", 0.9), ("zh", 0.7), ("fr", 0.2), ("de", 0.2)];

/// The skills and sectors under one root sector.
#[derive(Debug, Clone)]
struct Domain {
    skills: Zipf,
    sectors: Zipf,
}

/// Fixed values every generated profile shares, parsed once.
#[derive(Debug, Clone)]
struct Constants {
    countries: Vec<CountryCode>,
    time_zones: Vec<TimeZone>,
    channels: Vec<ChannelId>,
    languages: Vec<(LanguageCode, f64)>,
    city: Text,
    organisation: Text,
    position: Text,
    consent: Consent,
    now: DateTime<Utc>,
}

/// A generator of experts and needs over a taxonomy, deterministic for its seed.
#[derive(Debug, Clone)]
pub struct Pool {
    seed: u64,
    tags: Vec<TagId>,
    domains: Vec<Domain>,
    domain_popularity: Zipf,
    all_skills: Zipf,
    constants: Constants,
}

fn internal(e: String) -> Error {
    Error::Internal(format!("synthetic pool: {e}"))
}

impl Pool {
    /// A pool over `taxonomy` (which needs at least one root sector with skills under it).
    pub fn new(taxonomy: &Taxonomy, seed: u64) -> Result<Self> {
        let mut rng = StdRng::seed_from_u64(seed);
        let concepts = taxonomy.concepts();
        let tags: Vec<TagId> = concepts.iter().map(|c| c.id.clone()).collect();
        let root_of = |id: &TagId| {
            taxonomy
                .ancestors(id)
                .last()
                .map_or_else(|| id.clone(), |r| (*r).clone())
        };
        let roots: Vec<usize> = (0..concepts.len())
            .filter(|&i| concepts[i].parent.is_none() && concepts[i].kind == TagKind::Sector)
            .collect();
        let mut domains = Vec::new();
        for &r in &roots {
            let under = |kind: TagKind| -> Vec<usize> {
                (0..concepts.len())
                    .filter(|&i| concepts[i].kind == kind && root_of(&concepts[i].id) == tags[r])
                    .collect()
            };
            let (skills, sectors) = (under(TagKind::Skill), under(TagKind::Sector));
            if !skills.is_empty() {
                domains.push(Domain {
                    skills: Zipf::new(skills, ZIPF_EXPONENT, &mut rng),
                    sectors: Zipf::new(sectors, ZIPF_EXPONENT, &mut rng),
                });
            }
        }
        if domains.is_empty() {
            return Err(internal("the taxonomy has no root sector with skills".into()));
        }
        let skills = (0..concepts.len())
            .filter(|&i| concepts[i].kind == TagKind::Skill)
            .collect();
        let constants = Constants {
            countries: COUNTRIES
                .iter()
                .map(|c| CountryCode::parse(c))
                .collect::<Result<_, _>>()
                .map_err(internal)?,
            time_zones: TIME_ZONES
                .iter()
                .map(|z| TimeZone::parse(z))
                .collect::<Result<_, _>>()
                .map_err(internal)?,
            channels: CHANNELS
                .iter()
                .map(|c| ChannelId::parse(c))
                .collect::<Result<_, _>>()
                .map_err(internal)?,
            languages: LANGUAGES
                .iter()
                .map(|(l, share)| LanguageCode::parse(l).map(|l| (l, *share)))
                .collect::<Result<_, _>>()
                .map_err(internal)?,
            city: Text::parse("Bench city", 1, 200).map_err(internal)?,
            organisation: Text::parse("Institute of Synthetic Research", 1, 200).map_err(internal)?,
            position: Text::parse("Principal investigator", 1, 200).map_err(internal)?,
            consent: Consent {
                given_at: DateTime::UNIX_EPOCH,
                text_version: Text::parse("bench-v1", 1, 40).map_err(internal)?,
                withdrawn_at: None,
            },
            now: DateTime::UNIX_EPOCH,
        };
        Ok(Pool {
            seed,
            domain_popularity: Zipf::new((0..domains.len()).collect(), ZIPF_EXPONENT, &mut rng),
            all_skills: Zipf::new(skills, ZIPF_EXPONENT, &mut rng),
            tags,
            domains,
            constants,
        })
    }

    /// The first `count` experts, generated one at a time.
    pub fn experts(&self, count: usize) -> impl Iterator<Item = Expert> + '_ {
        let mut rng = StdRng::seed_from_u64(self.seed ^ EXPERT_STREAM);
        (0..count).map(move |i| self.expert(&mut rng, i))
    }

    /// The first `count` needs (independent of the number of experts).
    pub fn needs(&self, count: usize) -> Vec<MatchNeed> {
        let mut rng = StdRng::seed_from_u64(self.seed ^ NEED_STREAM);
        (0..count).map(|_| self.need(&mut rng)).collect()
    }

    fn home(&self, rng: &mut StdRng) -> &Domain {
        &self.domains[self.domain_popularity.sample(rng).unwrap_or(0)]
    }

    fn expert(&self, rng: &mut StdRng, i: usize) -> Expert {
        let c = &self.constants;
        let id = ExpertId::from_slice(&rng.random::<[u8; 16]>()).unwrap_or_else(ExpertId::generate);
        let home = self.home(rng);
        let count = rng.random_range(5..=20);
        let skills = home
            .skills
            .distinct(rng, count, Some((&self.all_skills, HOME_SHARE)))
            .into_iter()
            .map(|t| Skill {
                tag: self.tags[t].clone(),
                level: level(rng.random_range(1..=5)),
                evidence: Vec::new(),
            })
            .collect();
        let sector_count = rng.random_range(0..=3);
        let sectors = self.tags_of(home.sectors.distinct(rng, sector_count, None));
        let mut languages = Vec::new();
        for (code, share) in &c.languages {
            if rng.random_bool(*share) {
                languages.push(SpokenLanguage {
                    code: code.clone(),
                    proficiency: *Proficiency::ALL.choose(rng).unwrap_or(&Proficiency::Fluent),
                });
            }
        }
        if languages.is_empty() {
            languages.push(SpokenLanguage {
                code: c.languages[0].0.clone(),
                proficiency: Proficiency::Working,
            });
        }
        let mode_count = rng.random_range(1..=3);
        let type_count = rng.random_range(0..=2);
        let wanted_sectors = rng.random_range(0..=2);
        let profile = ExpertProfile {
            name: Text::parse(&format!("Expert {i}"), 1, 200).expect("a generated name is valid"),
            contact: Contact {
                email: Email::parse(&format!("expert{i}@bench.example.org")).expect("a generated address is valid"),
                phone: None,
                other: None,
            },
            country: c
                .countries
                .choose(rng)
                .cloned()
                .unwrap_or_else(|| c.countries[0].clone()),
            city: c.city.clone(),
            timezone: c.time_zones.choose(rng).copied().unwrap_or(c.time_zones[0]),
            organisation: c.organisation.clone(),
            position: c.position.clone(),
            bio: None,
            languages,
            skills,
            sectors,
            engagement_modes: EngagementMode::ALL.choose_multiple(rng, mode_count).copied().collect(),
            hours_per_month: rng.random_range(0..=80),
            preferences: Preferences {
                need_types: NeedType::ALL.choose_multiple(rng, type_count).copied().collect(),
                sectors: self.tags_of(home.sectors.distinct(rng, wanted_sectors, None)),
            },
            channel: rng.random_bool(0.7).then(|| c.channels.choose(rng).cloned()).flatten(),
        };
        let mut expert = Expert::register(id, profile, c.consent.clone(), c.now);
        expert.status = if rng.random_bool(ACTIVE_SHARE) {
            ExpertStatus::Active
        } else if rng.random_bool(0.5) {
            ExpertStatus::PendingReview
        } else {
            ExpertStatus::Inactive
        };
        expert
    }

    fn need(&self, rng: &mut StdRng) -> MatchNeed {
        let home = self.home(rng);
        let count = rng.random_range(3..=8);
        let mut skills: Vec<NeedSkill> = home
            .skills
            .distinct(rng, count, Some((&self.all_skills, HOME_SHARE)))
            .into_iter()
            .map(|t| NeedSkill {
                tag: self.tags[t].clone(),
                weight: level(rng.random_range(1..=5)),
                must_have: false,
            })
            .collect();
        if rng.random_bool(0.5) {
            let at = rng.random_range(0..skills.len());
            skills[at].must_have = true;
        }
        let sector_count = rng.random_range(1..=2);
        let mode_count = rng.random_range(1..=3);
        let languages = match rng.random_range(0..10) {
            0..5 => vec![],
            5..8 => vec![self.constants.languages[0].0.clone()],
            8 => vec![self.constants.languages[1].0.clone()],
            _ => vec![self.constants.languages[2].0.clone()],
        };
        MatchNeed {
            skills,
            sectors: self.tags_of(home.sectors.distinct(rng, sector_count, None)),
            need_type: *NeedType::ALL.choose(rng).unwrap_or(&NeedType::Consulting),
            engagement_modes: EngagementMode::ALL.choose_multiple(rng, mode_count).copied().collect(),
            languages,
            hours_per_month: rng.random_bool(0.7).then(|| rng.random_range(8..=60)),
        }
    }

    fn tags_of(&self, items: Vec<usize>) -> Vec<TagId> {
        items.into_iter().map(|t| self.tags[t].clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(seed: u64) -> Pool {
        let taxonomy = Taxonomy::build(crate::seed::concepts().unwrap()).unwrap();
        Pool::new(&taxonomy, seed).unwrap()
    }

    #[test]
    fn the_same_seed_gives_the_same_experts_and_needs() {
        let (a, b) = (pool(7), pool(7));
        assert_eq!(a.experts(50).collect::<Vec<_>>(), b.experts(50).collect::<Vec<_>>());
        assert_eq!(a.needs(20), b.needs(20));
    }

    #[test]
    fn another_seed_gives_another_pool() {
        assert_ne!(pool(7).needs(5), pool(8).needs(5));
    }

    #[test]
    fn needs_do_not_depend_on_how_many_experts_were_drawn() {
        let p = pool(3);
        let before = p.needs(10);
        let _ = p.experts(100).count();
        assert_eq!(p.needs(10), before);
    }

    #[test]
    fn experts_and_needs_stay_within_the_stated_ranges() {
        let p = pool(11);
        for e in p.experts(200) {
            let s = &e.profile;
            assert!((2..=20).contains(&s.skills.len()), "{} skills", s.skills.len());
            assert!(s.sectors.len() <= 3 && (1..=3).contains(&s.engagement_modes.len()));
            assert!(!s.languages.is_empty());
        }
        for n in p.needs(100) {
            assert!((1..=8).contains(&n.skills.len()));
            assert!(n.skills.iter().filter(|s| s.must_have).count() <= 1);
            assert!((1..=2).contains(&n.sectors.len()) && n.languages.len() <= 1);
        }
    }
}
