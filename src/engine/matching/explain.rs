//! Explanations from the index: per need tag, the expert tag that met it and how, without reading
//! the store. The same rules and arithmetic as `reference::score_pair` (tested).

use super::formula::{combine, level_factor, skill_weight, SECTOR_WEIGHT};
use super::index::{MatchIndex, ATTR_SECTOR, ATTR_SKILL};
use super::need::MatchNeed;
use super::prepare::Prepared;
use super::reference::{Facet, PairScore, TagCredit};
use super::relation::Relation;
use crate::domain::TagId;

/// Per need tag, the held concept that meets it best so far and its credit.
type Best = Vec<(Option<u32>, f32)>;

impl MatchIndex {
    /// Per need tag (entries in `Prepared` order), the held concept that best meets it (the
    /// smallest name among equals) and its credit, in one walk over the expert's tags: skills meet
    /// the skill entries, sectors the sector entries. Factors come from the need's relation table.
    fn best_held(&self, prepared: &Prepared, slot: u32) -> Best {
        let mut best: Best = vec![(None, 0.0); prepared.entries.len()];
        for (kind, v) in self.slots.attrs(slot) {
            let (skill, n, level) = match kind {
                ATTR_SKILL => (true, v >> 3, level_factor((v & 7) as u8)),
                ATTR_SECTOR => (false, v, 1.0),
                _ => continue,
            };
            // Only the need tags the concept meets: walking every tag's factor, zeros included,
            // made explanations about a fifth slower (20 took 21.2 against 16.6 µs at 100k and
            // 18.3 against 14.7 µs at 10k, the 200 bench needs' top 20 in turn in one process).
            for &(e, factor) in prepared.forward.related(skill, n) {
                let Some(b) = best.get_mut(e as usize) else { continue };
                let credit = factor * level;
                let smaller = |b: u32| self.concepts.name(n) < self.concepts.name(b);
                if credit > b.1 || (credit == b.1 && b.0.is_some_and(smaller)) {
                    *b = (Some(n), credit);
                }
            }
        }
        best
    }

    /// The name and relation of the concept that met need tag `entry`, and its credit.
    fn met_by(
        &self,
        prepared: &Prepared,
        entry: usize,
        (held, credit): (Option<u32>, f32),
    ) -> (Option<TagId>, Option<Relation>, f32) {
        let Some(wanted) = prepared.entries.get(entry).and_then(|e| e.concept) else {
            return (None, None, 0.0);
        };
        let relation = held.and_then(|n| self.concepts.relate(wanted, n));
        (held.map(|n| self.concepts.name(n).clone()), relation, credit)
    }

    /// The score of one indexed expert for `need`, with every part, as `reference::score_pair` gives it.
    pub fn explain(&self, need: &MatchNeed, prepared: &Prepared, slot: u32) -> PairScore {
        let best = self.best_held(prepared, slot);
        let held = |e: usize| best.get(e).copied().unwrap_or((None, 0.0));
        let total = prepared.total_weight;
        let mut tags = Vec::with_capacity(need.skills.len() + need.sectors.len());
        let mut sum = 0.0f32;
        for (e, s) in need.skills.iter().enumerate() {
            let (matched_by, relation, credit) = self.met_by(prepared, e, held(e));
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
            let e = need.skills.len() + j;
            let (matched_by, relation, credit) = self.met_by(prepared, e, held(e));
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
