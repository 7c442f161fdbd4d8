//! Explanations from the index: per need tag, the expert tag that met it and how, without reading
//! the store. The same rules and arithmetic as `reference::score_pair` (tested).

use super::formula::{combine, level_factor, skill_weight, SECTOR_WEIGHT};
use super::index::{MatchIndex, ATTR_SECTOR, ATTR_SKILL};
use super::need::MatchNeed;
use super::prepare::Prepared;
use super::reference::{Facet, PairScore, TagCredit};
use super::relation::Relation;
use crate::domain::TagId;

impl MatchIndex {
    /// The held concept that best meets need tag `entry` (the smallest name among equals), its
    /// relation and credit. Factors come from the need's relation table; only the winner's relation
    /// is worked out.
    fn best_held(
        &self,
        prepared: &Prepared,
        (entry, skill): (usize, bool),
        held: impl Iterator<Item = (u32, f32)>,
    ) -> (Option<TagId>, Option<Relation>, f32) {
        let Some(wanted) = prepared.entries.get(entry).and_then(|e| e.concept) else {
            return (None, None, 0.0);
        };
        let mut best: (Option<u32>, f32) = (None, 0.0);
        for (n, level) in held {
            let factor = prepared.forward.factor(skill, n, entry);
            if factor == 0.0 {
                continue;
            }
            let credit = factor * level;
            let smaller = |b: u32| self.concepts.name(n) < self.concepts.name(b);
            if credit > best.1 || (credit == best.1 && best.0.is_some_and(smaller)) {
                best = (Some(n), credit);
            }
        }
        let relation = best.0.and_then(|n| self.concepts.relate(wanted, n));
        (best.0.map(|n| self.concepts.name(n).clone()), relation, best.1)
    }

    /// The score of one indexed expert for `need`, with every part, as `reference::score_pair` gives it.
    pub fn explain(&self, need: &MatchNeed, prepared: &Prepared, slot: u32) -> PairScore {
        let skills = || {
            self.slots
                .values(slot, ATTR_SKILL)
                .map(|v| (v >> 3, level_factor((v & 7) as u8)))
        };
        let sectors = || self.slots.values(slot, ATTR_SECTOR).map(|n| (n, 1.0));
        let total = prepared.total_weight;
        let mut tags = Vec::with_capacity(need.skills.len() + need.sectors.len());
        let mut sum = 0.0f32;
        for (e, s) in need.skills.iter().enumerate() {
            let (matched_by, relation, credit) = self.best_held(prepared, (e, true), skills());
            let weight = skill_weight(s.weight);
            sum += weight * credit;
            let contribution = weight * credit / total;
            tags.push(TagCredit {
                need_tag: s.tag.clone(),
                facet: Facet::Skill,
                weight,
                must_have: s.must_have,
                matched_by,
                relation,
                credit,
                contribution,
            });
        }
        for (j, sector) in need.sectors.iter().enumerate() {
            let entry = (need.skills.len() + j, false);
            let (matched_by, relation, credit) = self.best_held(prepared, entry, sectors());
            sum += SECTOR_WEIGHT * credit;
            tags.push(TagCredit {
                need_tag: sector.clone(),
                facet: Facet::Sector,
                weight: SECTOR_WEIGHT,
                must_have: false,
                matched_by,
                relation,
                credit,
                contribution: SECTOR_WEIGHT * credit / total,
            });
        }
        let enterprise = if total > 0.0 { sum / total } else { 0.0 };
        let reverse = self.reverse_parts(prepared, slot);
        PairScore {
            score: combine(enterprise, reverse.score),
            enterprise,
            reverse,
            tags,
        }
    }
}
