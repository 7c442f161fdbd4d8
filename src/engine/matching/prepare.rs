//! Turns a need and a filter into what the scorer reads: per need tag the posting lists to visit with
//! their relation factors, and the gates as bit masks and interned numbers.

use super::formula::{broader, skill_weight, SECTOR_WEIGHT, SIBLING};
use super::forward::ForwardTable;
use super::index::{kin_bit, mode_bit, type_bit, ConceptTable, MatchIndex};
use super::need::{MatchFilter, MatchNeed};
use crate::domain::ExpertId;

/// Which posting list of which facet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// Skills held exactly.
    SkillExact(u32),
    /// Skills held through a concept this many levels narrower.
    SkillDeeper(u32, u8),
    /// Sectors held exactly.
    SectorExact(u32),
    /// Sectors held through a concept this many levels narrower.
    SectorDeeper(u32, u8),
    /// Holders of the skill this many levels up whom it credits more than what they hold nearer.
    SkillAbove(u32, u8),
}

/// Which passes of the scorer read a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// Both.
    Both,
    /// Only the full pass (which takes the best credit per expert): a skill ancestor's own list.
    Full,
    /// Only the bounded pass (which adds up gains): that ancestor's holders not counted already.
    Bounded,
}

/// How a list's experts relate to the need tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// They hold the tag or a narrower one (the code carries the credit).
    Held,
    /// They hold an ancestor within the broader limit.
    Broader,
    /// They hold a sibling.
    Sibling,
}

/// One list to visit for a need tag, with the factor its credits are multiplied by.
#[derive(Debug, Clone, Copy)]
pub struct Source {
    /// The list.
    pub list: List,
    /// The relation factor (1 for exact and narrower holdings, whose codes carry their credit).
    pub factor: f32,
    /// The relation.
    pub tier: Tier,
    /// Which passes read it.
    pub read: Read,
}

/// One need tag: its weight, its must-have bit, and where its credit comes from.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The tag's concept, if the taxonomy has it.
    pub concept: Option<u32>,
    /// Weight of the tag.
    pub weight: f32,
    /// Bit in the must-have mask, if it is a must-have.
    pub must_bit: Option<u64>,
    /// Lists to visit.
    pub sources: Vec<Source>,
    /// The best relation factor of its broader and sibling sources: the most an expert holding
    /// neither the tag nor a narrower one can earn on it.
    pub side: f32,
    /// The sibling factor if it has siblings: the most an expert holding neither the tag, nor a
    /// narrower one, nor an ancestor can earn on it.
    pub sibling: f32,
    /// The kin bit of the tag's parent (none for a root or a tag the taxonomy lacks): an expert
    /// whose kin mask lacks it earns nothing on the tag.
    pub kin: Option<u64>,
}

impl Entry {
    fn new(
        concepts: &ConceptTable,
        concept: Option<u32>,
        weight: f32,
        must_bit: Option<u64>,
        sources: Vec<Source>,
    ) -> Self {
        let best = |tiers: &[Tier]| {
            sources
                .iter()
                .filter(|s| tiers.contains(&s.tier))
                .map(|s| s.factor)
                .fold(0.0, f32::max)
        };
        let side = best(&[Tier::Broader, Tier::Sibling]);
        let sibling = best(&[Tier::Sibling]);
        Entry {
            kin: concept.and_then(|n| concepts.parent(n)).map(kin_bit),
            concept,
            weight,
            must_bit,
            sources,
            side,
            sibling,
        }
    }
}

/// A need ready for the scorer.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// One entry per need skill, then per need sector.
    pub entries: Vec<Entry>,
    /// Sum of weights.
    pub total_weight: f32,
    /// All must-have bits.
    pub must_mask: u64,
    /// Modes offered.
    pub modes: u8,
    /// Number of modes offered.
    pub mode_count: u32,
    /// Interned required languages; `None` when one is spoken by no indexed expert.
    pub languages: Option<Vec<u32>>,
    /// Bit of the need type.
    pub need_type: u8,
    /// Need sectors as concept numbers, for the reverse fit.
    pub sectors: Vec<u32>,
    /// Whether the need named any sector (unknown ones included).
    pub has_sectors: bool,
    /// Expected hours.
    pub hours: Option<u16>,
    /// Filters.
    pub filter: PreparedFilter,
    /// Relation factors per concept, for scoring single experts from their own tags.
    pub forward: ForwardTable,
}

/// Filters as interned numbers; `impossible` when a filter names something no expert has.
#[derive(Debug, Clone, Default)]
pub struct PreparedFilter {
    /// Minimum final score.
    pub min_score: f32,
    /// Required mode bit.
    pub mode: Option<u8>,
    /// Required country.
    pub country: Option<u32>,
    /// Required language.
    pub language: Option<u32>,
    /// Required channel.
    pub channel: Option<u32>,
    /// Required sector (or narrower).
    pub sector: Option<u32>,
    /// Excluded experts.
    pub exclude: Vec<ExpertId>,
    /// No expert can pass.
    pub impossible: bool,
}

fn sources(index: &MatchIndex, concept: Option<u32>, skill: bool) -> Vec<Source> {
    let Some(n) = concept else { return Vec::new() };
    let c = index.concepts();
    type MakeList = fn(u32) -> List;
    type MakeDeeper = fn(u32, u8) -> List;
    let (exact, deeper, facet): (MakeList, MakeDeeper, _) = if skill {
        (List::SkillExact, List::SkillDeeper, &index.skills)
    } else {
        (List::SectorExact, List::SectorDeeper, &index.sectors)
    };
    let source = |list, factor, tier, read| Source {
        list,
        factor,
        tier,
        read,
    };
    let mut out = vec![source(exact(n), 1.0, Tier::Held, Read::Both)];
    for d in 1..=facet.distances(n) {
        out.push(source(deeper(n, d), 1.0, Tier::Held, Read::Both));
    }
    for (a, d) in c.ancestors(n) {
        let f = broader(d);
        if f > 0.0 {
            // Skills keep broader lists without double counting for the bounded pass (`above`).
            if skill {
                out.push(source(exact(a), f, Tier::Broader, Read::Full));
                out.push(source(List::SkillAbove(n, d), f, Tier::Broader, Read::Bounded));
            } else {
                out.push(source(exact(a), f, Tier::Broader, Read::Both));
            }
        }
    }
    for s in c.siblings(n) {
        out.push(source(exact(s), SIBLING, Tier::Sibling, Read::Both));
    }
    out
}

fn prepare_filter(index: &MatchIndex, filter: &MatchFilter) -> PreparedFilter {
    let mut f = PreparedFilter {
        min_score: filter.min_score,
        mode: filter.mode.map(mode_bit),
        exclude: filter.exclude.iter().copied().collect(),
        ..PreparedFilter::default()
    };
    let mut need = |found: Option<u32>| {
        if found.is_none() {
            f.impossible = true;
        }
        found
    };
    let country = filter.country.as_ref().map(|c| need(index.countries.get(c)));
    let language = filter.language.as_ref().map(|l| need(index.languages.get(l)));
    let channel = filter.channel.as_ref().map(|c| need(index.channels.get(c)));
    let sector = filter.sector.as_ref().map(|s| need(index.concepts().get(s)));
    f.country = country.flatten();
    f.language = language.flatten();
    f.channel = channel.flatten();
    f.sector = sector.flatten();
    f
}

/// Prepares `need` and `filter` against `index`.
pub fn prepare(index: &MatchIndex, need: &MatchNeed, filter: &MatchFilter) -> Prepared {
    let c = index.concepts();
    let mut entries = Vec::with_capacity(need.skills.len() + need.sectors.len());
    let mut must_mask = 0u64;
    let mut must_count = 0;
    for s in &need.skills {
        let must_bit = s.must_have.then(|| {
            let bit = 1u64 << (must_count % 64);
            must_count += 1;
            must_mask |= bit;
            bit
        });
        let concept = c.get(&s.tag);
        entries.push(Entry::new(
            c,
            concept,
            skill_weight(s.weight),
            must_bit,
            sources(index, concept, true),
        ));
    }
    for sector in &need.sectors {
        let concept = c.get(sector);
        entries.push(Entry::new(
            c,
            concept,
            SECTOR_WEIGHT,
            None,
            sources(index, concept, false),
        ));
    }
    let languages: Option<Vec<u32>> = need.languages.iter().map(|l| index.languages.get(l)).collect();
    Prepared {
        entries,
        total_weight: need.total_weight(),
        must_mask,
        modes: need.engagement_modes.iter().fold(0, |m, x| m | mode_bit(*x)),
        mode_count: need.engagement_modes.len() as u32,
        languages,
        need_type: type_bit(need.need_type),
        sectors: need.sectors.iter().filter_map(|s| c.get(s)).collect(),
        has_sectors: !need.sectors.is_empty(),
        hours: need.hours_per_month,
        filter: prepare_filter(index, filter),
        forward: ForwardTable::new(index, need),
    }
}
