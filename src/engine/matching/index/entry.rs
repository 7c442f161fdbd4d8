//! An expert as the index takes it in: its tags as concept numbers, the holdings its postings are
//! made of, and its columns, worked out from the expert's facts with the concept table alone. The
//! start-up load prepares entries on many threads; the index then only appends them.

use super::super::formula::{level_factor, narrower, MIN_SKILLS};
use super::above::above_holdings;
use super::concepts::ConceptTable;
use super::kin::kin_mask;
use super::slots::{ATTR_PREF_SECTOR, ATTR_SECTOR, ATTR_SKILL};
use super::{mode_bit, type_bit};
use crate::domain::{ChannelId, CountryCode, ExpertFacts, ExpertId, ExpertStatus, LanguageCode};

/// One concept held: its number, the exact level, and the best narrower (value, level, distance).
pub(super) type Holding = (u32, Option<u8>, Option<(f32, u8, u8)>);

/// What a set of held (concept, level) gives each concept: sorted and merged, a short vector
/// rather than a hash map (an expert holds a few dozen concepts with their ancestors).
fn holdings(concepts: &ConceptTable, held: &[(u32, u8)]) -> Vec<Holding> {
    let mut raw: Vec<Holding> = Vec::with_capacity(held.len() * 4);
    for &(n, level) in held {
        raw.push((n, Some(level), None));
        for (a, d) in concepts.ancestors(n) {
            raw.push((a, None, Some((narrower(d) * level_factor(level), level, d))));
        }
    }
    // A stable sort: of equal narrower values, the first held wins, as it always has.
    raw.sort_by_key(|h| h.0);
    let mut out: Vec<Holding> = Vec::with_capacity(raw.len());
    for (n, exact, deeper) in raw {
        match out.last_mut() {
            Some(last) if last.0 == n => {
                last.1 = last.1.max(exact);
                if let Some(value) = deeper.map(|d| d.0) {
                    if last.2.is_none_or(|(v, _, _)| value > v) {
                        last.2 = deeper;
                    }
                }
            }
            _ => out.push((n, exact, deeper)),
        }
    }
    out
}

/// An expert ready to be appended to the index.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexEntry {
    pub(super) id: ExpertId,
    pub(super) status: ExpertStatus,
    /// Active, consented and with enough skills to be scored.
    pub(super) eligible: bool,
    pub(super) languages: Vec<LanguageCode>,
    pub(super) country: CountryCode,
    pub(super) channel: Option<ChannelId>,
    pub(super) hours: u16,
    pub(super) modes: u8,
    pub(super) pref_types: u8,
    /// Sectors, wanted sectors and skills as (kind, value) attributes, in that order; the languages,
    /// interned by the index, go before them.
    pub(super) attrs: Vec<(u32, u32)>,
    pub(super) skills: Vec<Holding>,
    pub(super) sectors: Vec<Holding>,
    /// Postings in the skills' broader lists, as (concept, distance, code).
    pub(super) above: Vec<(u32, u8, u8)>,
    /// The parents near its skills and sectors (`kin`).
    pub(super) kin: u64,
}

impl IndexEntry {
    /// The entry of expert `id` from its facts; tags the table does not know are left out.
    pub fn new(id: ExpertId, facts: &ExpertFacts<'_>, concepts: &ConceptTable) -> Self {
        let p = &facts.profile;
        let sectors: Vec<(u32, u8)> = p
            .sectors
            .iter()
            .filter_map(|t| Some((concepts.get_text(&t.0)?, 5)))
            .collect();
        let skills: Vec<(u32, u8)> = p
            .skills
            .iter()
            .filter_map(|k| Some((concepts.get_text(&k.tag.0)?, k.level.get())))
            .collect();
        let skill_holdings = holdings(concepts, &skills);
        let wanted = &p.preferences.sectors;
        let mut attrs = Vec::with_capacity(sectors.len() + wanted.len() + skills.len());
        attrs.extend(sectors.iter().map(|&(n, _)| (ATTR_SECTOR, n)));
        attrs.extend(
            wanted
                .iter()
                .filter_map(|t| Some((ATTR_PREF_SECTOR, concepts.get_text(&t.0)?))),
        );
        attrs.extend(
            skills
                .iter()
                .map(|&(n, level)| (ATTR_SKILL, (n << 3) | u32::from(level))),
        );
        IndexEntry {
            id,
            status: facts.status,
            eligible: facts.status == ExpertStatus::Active && facts.consent.is_given() && p.skills.len() >= MIN_SKILLS,
            languages: p.languages.iter().map(|l| l.code.clone()).collect(),
            country: p.country.clone(),
            channel: p.channel.clone(),
            hours: p.hours_per_month,
            modes: p.engagement_modes.iter().fold(0, |m, x| m | mode_bit(*x)),
            pref_types: p.preferences.need_types.iter().fold(0, |m, x| m | type_bit(*x)),
            attrs,
            above: above_holdings(concepts, &skill_holdings),
            kin: kin_mask(concepts, sectors.iter().chain(&skills).map(|&(n, _)| n)),
            skills: skill_holdings,
            sectors: holdings(concepts, &sectors),
        }
    }

    /// Its review status.
    pub fn status(&self) -> ExpertStatus {
        self.status
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use chrono::DateTime;

    use super::*;
    use crate::bench::synthetic::Pool;
    use crate::domain::Expert;
    use crate::engine::Taxonomy;

    fn from_record(expert: &Expert, concepts: &ConceptTable) -> IndexEntry {
        let json = serde_json::to_vec(expert).unwrap();
        let facts: ExpertFacts<'_> = serde_json::from_slice(&json).unwrap();
        assert_eq!(facts, ExpertFacts::of(expert));
        if let Some(skill) = facts.profile.skills.first() {
            assert!(matches!(skill.tag.0, Cow::Borrowed(_)), "tags are read in place");
        }
        IndexEntry::new(expert.id, &facts, concepts)
    }

    #[test]
    fn an_entry_read_from_a_record_equals_the_entry_of_the_expert_in_memory() {
        let taxonomy = Taxonomy::build(crate::seed::concepts().unwrap()).unwrap();
        let concepts = ConceptTable::new(&taxonomy);
        let pool = Pool::new(&taxonomy, 7).unwrap();
        let (mut withdrawn, mut channels, mut eligible) = (0, 0, 0);
        for (i, mut expert) in pool.experts(400).enumerate() {
            if i % 7 == 0 {
                expert.consent.withdrawn_at = Some(DateTime::UNIX_EPOCH);
            }
            let entry = from_record(&expert, &concepts);
            assert_eq!(entry, IndexEntry::new(expert.id, &ExpertFacts::of(&expert), &concepts));
            withdrawn += usize::from(!expert.consent.is_given());
            channels += usize::from(entry.channel.is_some());
            eligible += usize::from(entry.eligible);
            assert!(!entry.eligible || expert.consent.is_given());
            assert_eq!(entry.attrs.len(), {
                let p = &expert.profile;
                p.skills.len() + p.sectors.len() + p.preferences.sectors.len()
            });
        }
        assert!(withdrawn > 0 && channels > 0 && eligible > 0 && eligible < 400);
    }
}
