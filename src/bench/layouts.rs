//! A layout to measure the postings index against: dense tag-major rows (concepts × experts) of
//! precomputed credit, where a need reads only its own tags' rows.
//!
//! Each row holds every expert's credit for one concept, exact or through a narrower concept (the best
//! of the two, as the index's exact and narrower postings give it): skill rows from skills, sector rows
//! from sectors. Broader and sibling credit, gates and the reverse fit are left out, so the layout
//! computes the enterprise-side fit of exact and narrower holdings only, over every expert.

use ndarray::{Array1, Array2};

use crate::domain::{Expert, ExpertId, TagKind};
use crate::engine::matching::formula::{level_factor, narrower, skill_weight, SECTOR_WEIGHT};
use crate::engine::matching::index::ConceptTable;
use crate::engine::matching::{MatchNeed, Ranked, TopK};
use crate::engine::Taxonomy;

/// Past this size the dense layout is not built.
pub const MAX_TAG_MAJOR_BYTES: usize = 2 << 30;

/// Dense credit rows, one per concept, one column per expert in insertion order.
#[derive(Debug, Clone)]
pub struct TagMajor {
    credit: Array2<f32>,
    ids: Vec<ExpertId>,
    concepts: ConceptTable,
    sector: Vec<bool>,
}

impl TagMajor {
    /// Bytes of the matrix for `concepts` × `experts`.
    pub fn bytes_for(concepts: usize, experts: usize) -> usize {
        concepts.saturating_mul(experts).saturating_mul(4)
    }

    /// An empty layout with room for `experts` columns; `None` when it would exceed `MAX_TAG_MAJOR_BYTES`.
    pub fn with_capacity(taxonomy: &Taxonomy, experts: usize) -> Option<Self> {
        let concepts = ConceptTable::new(taxonomy);
        if Self::bytes_for(concepts.len(), experts) > MAX_TAG_MAJOR_BYTES {
            return None;
        }
        let sector = (0..concepts.len() as u32)
            .map(|n| {
                taxonomy
                    .get(concepts.name(n))
                    .is_some_and(|c| c.kind == TagKind::Sector)
            })
            .collect();
        Some(TagMajor {
            credit: Array2::zeros((concepts.len(), experts)),
            ids: Vec::with_capacity(experts),
            concepts,
            sector,
        })
    }

    /// Adds an expert as the next column; ignored when the layout is full.
    pub fn push(&mut self, expert: &Expert) {
        let column = self.ids.len();
        if column >= self.credit.ncols() {
            return;
        }
        self.ids.push(expert.id);
        let p = &expert.profile;
        let skills = p.skills.iter().map(|s| (&s.tag, s.level.get(), false));
        let sectors = p.sectors.iter().map(|t| (t, 5, true));
        for (tag, level, sector) in skills.chain(sectors) {
            let Some(n) = self.concepts.get(tag) else { continue };
            let held = std::iter::once((n, None)).chain(self.concepts.ancestors(n).map(|(a, d)| (a, Some(d))));
            for (row, distance) in held {
                // A skill's ancestors may be sectors: sector rows take sector credit only, and skill rows skill credit.
                if self.sector[row as usize] != sector {
                    continue;
                }
                let credit = distance.map_or(1.0, narrower) * level_factor(level);
                let cell = &mut self.credit[[row as usize, column]];
                *cell = cell.max(credit);
            }
        }
    }

    /// Experts held.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when no expert is held.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Bytes of the matrix.
    pub fn bytes(&self) -> usize {
        self.credit.len() * 4
    }

    /// Fills `score` (one entry per column) with every expert's enterprise-side fit (exact and narrower credit only) and returns
    /// the bytes the rows and the accumulator moved.
    pub fn scores(&self, need: &MatchNeed, score: &mut Array1<f32>) -> usize {
        // Columns not filled yet are zero: scoring them costs time but changes nothing.
        let experts = self.credit.ncols();
        if score.len() != experts {
            *score = Array1::zeros(experts);
        } else {
            score.fill(0.0);
        }
        let skills = need.skills.iter().map(|s| (&s.tag, skill_weight(s.weight)));
        let sectors = need.sectors.iter().map(|t| (t, SECTOR_WEIGHT));
        let mut rows = 0;
        for (tag, weight) in skills.chain(sectors) {
            if let Some(n) = self.concepts.get(tag) {
                let row = self.credit.row(n as usize);
                score.scaled_add(weight, &row);
                rows += 1;
            }
        }
        let total = need.total_weight();
        if total > 0.0 {
            score.mapv_inplace(|s| s / total);
        }
        // Per row: read the row, read and write the accumulator; then the fill, the division and the scan.
        (rows * 12 + 16) * experts
    }

    /// The best `k` experts by the layout's score, ties by ascending id, and the bytes moved.
    pub fn top(&self, need: &MatchNeed, k: usize, score: &mut Array1<f32>) -> (Vec<Ranked>, usize) {
        let bytes = self.scores(need, score);
        let mut top = TopK::new(k);
        for (row, (&e, &id)) in score.iter().zip(&self.ids).enumerate() {
            if e > 0.0 && top.could_enter(e) {
                top.push(Ranked {
                    id,
                    slot: row as u32,
                    score: e,
                    enterprise: e,
                    reverse: 0.0,
                });
            }
        }
        (top.into_sorted(), bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::profiles::expert_holding;
    use crate::domain::{Aliases, Concept, Labels, Level, NeedSkill, NeedType, TagId};
    use crate::engine::matching::{MatchFilter, MatchIndex, Scratch};

    fn tag(s: &str) -> TagId {
        TagId::parse(s).unwrap()
    }

    /// Root skills `r0`..`r3`, each with children `rN.c0`..`rN.c2`: a need naming roots meets only exact
    /// and narrower holdings (roots have neither ancestors nor siblings).
    fn taxonomy() -> Taxonomy {
        let mut concepts = Vec::new();
        for r in 0..4 {
            let mut add = |id: String, parent: Option<String>| {
                concepts.push(Concept {
                    labels: Labels {
                        en: format!("label {id}"),
                        zh: format!("标签 {id}"),
                        fr: format!("étiquette {id}"),
                    },
                    id: tag(&id),
                    kind: TagKind::Skill,
                    parent: parent.map(|p| tag(&p)),
                    aliases: Aliases::default(),
                });
            };
            add(format!("r{r}"), None);
            for c in 0..3 {
                add(format!("r{r}.c{c}"), Some(format!("r{r}")));
            }
        }
        Taxonomy::build(concepts).unwrap()
    }

    fn need(tags: &[(&str, u8)]) -> MatchNeed {
        MatchNeed {
            skills: tags
                .iter()
                .map(|(t, w)| NeedSkill {
                    tag: tag(t),
                    weight: Level::parse(i64::from(*w)).unwrap(),
                    must_have: false,
                })
                .collect(),
            sectors: vec![],
            need_type: NeedType::Consulting,
            engagement_modes: crate::domain::EngagementMode::ALL.to_vec(),
            languages: vec![],
            hours_per_month: None,
        }
    }

    #[test]
    fn dense_scores_equal_the_postings_enterprise_fit_on_exact_and_narrower_data() {
        let t = taxonomy();
        let holdings: [&[(&str, u8)]; 5] = [
            &[("r0", 3), ("r1.c0", 5)],
            &[("r0.c1", 5), ("r0.c2", 2), ("r2", 1)],
            &[("r1", 4), ("r1.c2", 1), ("r3.c0", 2)],
            &[("r2.c0", 5), ("r3", 5)],
            &[("r0", 1), ("r0.c0", 4), ("r1.c1", 3)],
        ];
        let experts: Vec<Expert> = holdings.iter().map(|h| expert_holding(h)).collect();
        let mut index = MatchIndex::new(&t);
        let mut dense = TagMajor::with_capacity(&t, experts.len()).unwrap();
        for e in &experts {
            index.upsert(e);
            dense.push(e);
        }
        let mut score = Array1::zeros(0);
        for n in [
            need(&[("r0", 5), ("r1", 2)]),
            need(&[("r2", 1), ("r3", 4), ("r0", 3)]),
            need(&[("r1", 1)]),
        ] {
            let (fast, _) = index.top(&n, &MatchFilter::default(), 10, false, &mut Scratch::default());
            dense.scores(&n, &mut score);
            for (i, e) in experts.iter().enumerate() {
                let want = fast
                    .iter()
                    .find(|m| m.ranked.id == e.id)
                    .map_or(0.0, |m| m.ranked.enterprise);
                assert!(
                    (score[i] - want).abs() < 1e-6,
                    "expert {i}: dense {} postings {want}",
                    score[i]
                );
            }
            let (top, _) = dense.top(&n, 10, &mut score);
            assert_eq!(top.len(), fast.len());
        }
    }

    #[test]
    fn a_layout_over_the_size_limit_is_not_built() {
        let t = taxonomy();
        assert!(TagMajor::with_capacity(&t, MAX_TAG_MAJOR_BYTES / 4).is_none());
        assert!(TagMajor::with_capacity(&t, 10).is_some());
    }
}
