//! Broader lists without double counting, for the bounded pass. An expert's credit on a need tag is
//! the best of what meets it, yet the bounded pass adds up the gains of every list it reads for the
//! tag; read as it is, the ancestor's own list would count an expert holding both the tag and its
//! parent twice. So each skill concept `x` keeps, per distance `d` within the broader limit, the
//! holders of its ancestor `d` levels up whom that ancestor credits more than what they hold nearer
//! (`x` itself, a narrower concept, or a nearer ancestor). A posting's code is the ancestor's level
//! when they hold nothing nearer, or, when they do, a raised code for the most the ancestor adds on
//! top of it. The full pass keeps reading the ancestors' own lists, taking the best per expert.

use hashbrown::HashMap;

use super::super::formula::{broader, level_factor, narrower, BROADER_MAX_LEVELS};
use super::concepts::ConceptTable;
use super::entry::Holding;
use super::postings::{Credits, FacetPostings, LEVEL_BITS};

/// Code of a holder of something nearer whom the ancestor raises by at most `RAISE_LITTLE`.
pub const RAISED_LITTLE: u8 = 6;
/// Code of a holder of something nearer whom the ancestor raises by more (at most its whole credit).
pub const RAISED: u8 = 7;
/// The most a `RAISED_LITTLE` posting adds (an exact level 1 under a parent held at level 5 adds 0.1, at level 4 0.025).
pub const RAISE_LITTLE: f32 = 0.125;

/// The code of an expert in the list of distance `d` whose ancestor there is held at `level` and
/// whose best credit from nearer holdings is `nearer`; `None` when the ancestor adds nothing.
pub fn above_code(d: u8, level: u8, nearer: f32) -> Option<u8> {
    let credit = broader(d) * level_factor(level);
    if credit <= nearer {
        None
    } else if nearer == 0.0 {
        Some(level.clamp(1, 5))
    } else if credit - nearer <= RAISE_LITTLE {
        Some(RAISED_LITTLE)
    } else {
        Some(RAISED)
    }
}

/// Credits per code of the list at distance `d`, to be multiplied by its relation factor
/// `broader(d)`: the level factor for levels, and for the raised codes the most they add (divided
/// by the factor), which the bounded pass adds without taking off what other lists already count.
pub fn above_credits(d: u8) -> Credits {
    let mut c = [0.0; 1 << LEVEL_BITS];
    for level in 1..=5u8 {
        c[usize::from(level)] = level_factor(level);
    }
    let factor = broader(d);
    if factor > 0.0 {
        c[usize::from(RAISED_LITTLE)] = RAISE_LITTLE / factor;
        c[usize::from(RAISED)] = 1.0;
    }
    c
}

/// The best credit an expert's holdings (sorted by concept) give concept `n` exactly or narrower.
fn own_credit(holdings: &[Holding], n: u32) -> f32 {
    holdings.binary_search_by_key(&n, |h| h.0).ok().map_or(0.0, |i| {
        let (_, exact, deeper) = holdings[i];
        exact.map_or(0.0, level_factor).max(deeper.map_or(0.0, |d| d.0))
    })
}

/// The exact level an expert's holdings give concept `n`.
fn exact_level(holdings: &[Holding], n: u32) -> Option<u8> {
    holdings
        .binary_search_by_key(&n, |h| h.0)
        .ok()
        .and_then(|i| holdings[i].1)
}

/// An expert's postings in the broader lists, as (concept, distance, code): for every concept the
/// broader rule reaches under a concept the expert holds exactly. Worked out with the entry, off
/// the thread that appends to the index.
pub(super) fn above_holdings(concepts: &ConceptTable, holdings: &[Holding]) -> Vec<(u32, u8, u8)> {
    let mut out = Vec::new();
    let mut below: Vec<(u32, u8)> = Vec::new();
    for &(a, exact, _) in holdings {
        let Some(level) = exact else { continue };
        // The concepts `d` levels under `a`, for every distance the broader rule reaches.
        below.clear();
        below.extend(concepts.children(a).iter().map(|&c| (c, 1u8)));
        let mut i = 0;
        while let Some(&(x, d)) = below.get(i) {
            i += 1;
            if d < BROADER_MAX_LEVELS {
                below.extend(concepts.children(x).iter().map(|&c| (c, d + 1)));
            }
            // What `x` earns from nearer: its own holdings and the ancestors between it and `a`.
            let nearer = concepts
                .ancestors(x)
                .take_while(|&(_, j)| j < d)
                .filter_map(|(n, j)| Some(broader(j) * level_factor(exact_level(holdings, n)?)))
                .fold(own_credit(holdings, x), f32::max);
            if let Some(code) = above_code(d, level, nearer) {
                out.push((x, d, code));
            }
        }
    }
    out
}

/// Builds again the broader lists of the concepts `moved` under a new parent (added to the
/// taxonomy) and of the concepts under them within the broader limit, whose ancestors changed too.
pub(super) fn rebuild_moved(facet: &mut FacetPostings, concepts: &ConceptTable, moved: Vec<u32>) {
    let mut stale: Vec<(u32, u8)> = moved.into_iter().map(|n| (n, 1)).collect();
    let mut i = 0;
    while let Some(&(n, depth)) = stale.get(i) {
        i += 1;
        if depth < BROADER_MAX_LEVELS {
            stale.extend(concepts.children(n).iter().map(|&c| (c, depth + 1)));
        }
    }
    let mut stale: Vec<u32> = stale.into_iter().map(|(n, _)| n).collect();
    stale.sort_unstable();
    stale.dedup();
    for n in stale {
        rebuild_above(facet, concepts, n);
    }
}

/// Builds the broader lists of concept `x` anew from the lists of its holders and its ancestors,
/// for a concept whose ancestors changed (added to the taxonomy). The same codes as `above_holdings`.
fn rebuild_above(facet: &mut FacetPostings, concepts: &ConceptTable, x: u32) {
    let Some(lists) = facet.above.get_mut(x as usize) else {
        return;
    };
    lists.clear();
    // Per slot, the best credit from nearer holdings, raised as each nearer ancestor is passed.
    let mut nearer: HashMap<u32, f32> = HashMap::new();
    let mut raise = |slot: u32, credit: f32| {
        let best = nearer.entry(slot).or_insert(0.0);
        let before = *best;
        *best = before.max(credit);
        before
    };
    if let Some(list) = facet.exact.get(x as usize) {
        list.iter().for_each(|(s, level)| {
            raise(s, level_factor(level));
        });
    }
    for d in 1..=facet.distances(x) {
        for (s, level) in facet.deeper(x, d).into_iter().flat_map(|l| l.iter()) {
            raise(s, narrower(d) * level_factor(level));
        }
    }
    for (a, d) in concepts.ancestors(x).take_while(|&(_, d)| d <= BROADER_MAX_LEVELS) {
        let Some(holders) = facet.exact.get(a as usize) else {
            continue;
        };
        // A slot is listed once per ancestor: what it earned before this one is what is nearer.
        let mut out = super::postings::PostingList::default();
        for (s, level) in holders.iter() {
            let before = raise(s, broader(d) * level_factor(level));
            if let Some(code) = above_code(d, level, before) {
                out.push_code(s, code);
            }
        }
        if !out.is_empty() {
            *facet.above_mut(x, d) = out;
        }
    }
}

#[cfg(test)]
mod tests {
    use hashbrown::HashMap;

    use super::*;
    use crate::bench::synthetic::Pool;
    use crate::domain::Expert;
    use crate::engine::matching::index::MatchIndex;
    use crate::engine::matching::relation::{relate, Relation};
    use crate::engine::Taxonomy;

    fn pool_index(count: usize) -> (Taxonomy, Vec<Expert>, MatchIndex) {
        let taxonomy = Taxonomy::build(crate::seed::concepts().unwrap()).unwrap();
        let experts: Vec<Expert> = Pool::new(&taxonomy, 11).unwrap().experts(count).collect();
        let mut index = MatchIndex::new(&taxonomy);
        experts.iter().for_each(|e| index.upsert(e));
        (taxonomy, experts, index)
    }

    /// What the bounded pass counts for each expert on concept `x`: from the lists of holders (exact
    /// and narrower), from these broader lists, and whether a raised code was among the latter.
    fn counted(facet: &FacetPostings, x: u32) -> HashMap<u32, (f32, f32, bool)> {
        let mut out: HashMap<u32, (f32, f32, bool)> = HashMap::new();
        let mut held = |slot: u32, credit: f32| out.entry(slot).or_insert((0.0, 0.0, false)).0 += credit;
        facet.exact[x as usize]
            .iter()
            .for_each(|(s, l)| held(s, level_factor(l)));
        for d in 1..=facet.distances(x) {
            for (s, l) in facet.deeper(x, d).into_iter().flat_map(|l| l.iter()) {
                held(s, narrower(d) * level_factor(l));
            }
        }
        for d in 1..=BROADER_MAX_LEVELS {
            let credits = above_credits(d);
            for (s, code) in facet.above(x, d).into_iter().flat_map(|l| l.iter()) {
                let e = out.entry(s).or_insert((0.0, 0.0, false));
                e.1 += broader(d) * credits[usize::from(code)];
                e.2 |= code >= RAISED_LITTLE;
            }
        }
        out
    }

    #[test]
    fn broader_lists_add_what_the_ancestor_adds_over_nearer_holdings_and_no_more() {
        let (taxonomy, experts, index) = pool_index(300);
        let concepts = index.concepts();
        let (mut both, mut raised, mut plain) = (0, 0, 0);
        for x in 0..concepts.len() as u32 {
            let name = concepts.name(x);
            let counted = counted(&index.skills, x);
            for (slot, e) in experts.iter().enumerate() {
                // The reference's best credit from the tag or a narrower one, and with broader ones.
                let best = |broader_too: bool| {
                    e.profile
                        .skills
                        .iter()
                        .filter_map(|k| {
                            let rel = relate(&taxonomy, name, &k.tag)?;
                            let wanted = match rel {
                                Relation::Exact | Relation::Narrower(_) => true,
                                Relation::Broader(_) => broader_too,
                                Relation::Sibling => false,
                            };
                            wanted.then(|| rel.factor() * level_factor(k.level.get()))
                        })
                        .fold(0.0, f32::max)
                };
                let (held, credit) = (best(false), best(true));
                let (held_sum, above_sum, was_raised) = counted.get(&(slot as u32)).copied().unwrap_or_default();
                assert!(
                    held_sum + above_sum >= credit - 1e-6,
                    "{name} slot {slot}: below {credit}"
                );
                if was_raised {
                    raised += 1;
                    assert!(above_sum >= credit - held - 1e-6, "{name} slot {slot}");
                } else {
                    // Nothing when nearer holdings beat the ancestor, else its whole credit.
                    assert!(
                        (above_sum - (credit - held)).abs() < 1e-6,
                        "{name} slot {slot}: {above_sum}"
                    );
                    plain += usize::from(above_sum > 0.0);
                }
                let holds = |n: u32| e.profile.skills.iter().any(|k| concepts.get(&k.tag) == Some(n));
                both += usize::from(holds(x) && concepts.parent(x).is_some_and(holds));
            }
        }
        // The pool has experts holding a skill and its parent, whom the parent's list counted twice.
        assert!(both > 100 && plain > 100, "{both} {plain}");
        assert!(raised > 0 && raised < both, "{raised} of {both}");
    }

    #[test]
    fn lists_built_again_equal_the_lists_built_expert_by_expert() {
        let (_, _, index) = pool_index(200);
        let concepts = index.concepts();
        let mut rebuilt = index.skills.clone();
        let mut nonempty = 0;
        for x in 0..concepts.len() as u32 {
            rebuild_above(&mut rebuilt, concepts, x);
            for d in 1..=BROADER_MAX_LEVELS {
                let listed =
                    |f: &FacetPostings| f.above(x, d).map(|l| l.iter().collect::<Vec<_>>()).unwrap_or_default();
                assert_eq!(listed(&rebuilt), listed(&index.skills), "concept {x} distance {d}");
                nonempty += usize::from(!listed(&rebuilt).is_empty());
            }
        }
        assert!(nonempty > 20, "{nonempty}");
    }

    #[test]
    fn codes_say_what_the_ancestor_adds() {
        assert_eq!(above_code(1, 5, 0.0), Some(5));
        // Exact at level 1 (0.5) under a parent held at level 5 (0.6): raised by 0.1.
        assert_eq!(above_code(1, 5, level_factor(1)), Some(RAISED_LITTLE));
        // Two levels narrower at level 1 (0.8 × 0.85 × 0.5 = 0.34) under the parent at 5: by 0.26.
        assert_eq!(above_code(1, 5, narrower(2) * level_factor(1)), Some(RAISED));
        // An exact level 2 (0.625) beats any parent (0.6 at most): nothing to add.
        assert_eq!(above_code(1, 5, level_factor(2)), None);
        assert_eq!(above_code(3, 5, 0.0), None);
        assert!(RAISE_LITTLE >= broader(1) * level_factor(5) - level_factor(1));
    }
}
