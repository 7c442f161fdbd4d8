//! An expert's kin mask, kept in its row: the parent concepts near its tags, one bit each (the
//! concept's number mod 64). An expert earns credit on a need tag only if the tag's parent is among
//! them, so the bounded pass can take back, from the row alone, the sibling credit its bound
//! granted on need tags the expert cannot earn anything on.

use super::super::formula::BROADER_MAX_LEVELS;
use super::concepts::ConceptTable;
use super::slots::{ATTR_SECTOR, ATTR_SKILL};

// The mask covers broader credit from one and two levels up (through a held tag's children).
const _: () = assert!(BROADER_MAX_LEVELS <= 2);

/// The bit of concept `n` in a kin mask.
pub fn kin_bit(n: u32) -> u64 {
    1 << (n % 64)
}

/// The kin mask of the held concepts `held`: for each, the concepts with children among its
/// ancestors, itself and its children. A need tag `t` under a parent `p` is met by a held `h`
/// only if `p` is one of them: exactly or by a narrower tag (`h` is `t` or under it), `p` is an
/// ancestor of `h`; as a sibling, `p` is `h`'s parent; by a broader tag one level up, `h` is `p`;
/// two levels up, `p` is a child of `h`. Depends on the taxonomy's shape: the index works masks
/// out again when the taxonomy changes.
pub fn kin_mask(concepts: &ConceptTable, held: impl IntoIterator<Item = u32>) -> u64 {
    let parent_bit = |n: u32| {
        if concepts.children(n).is_empty() {
            0
        } else {
            kin_bit(n)
        }
    };
    let mut mask = 0;
    for h in held {
        mask |= parent_bit(h);
        mask |= concepts.ancestors(h).fold(0, |m, (a, _)| m | kin_bit(a));
        mask |= concepts.children(h).iter().fold(0, |m, &c| m | parent_bit(c));
    }
    mask
}

/// The held concepts (skills and sectors) among a slot's attributes.
pub fn held_concepts(attrs: impl Iterator<Item = (u32, u32)>) -> impl Iterator<Item = u32> {
    attrs.filter_map(|(kind, v)| match kind {
        ATTR_SKILL => Some(v >> 3),
        ATTR_SECTOR => Some(v),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TagId;
    use crate::engine::taxonomy::tests::small;
    use crate::engine::Taxonomy;

    /// Every held and wanted pair of the seed taxonomy: whenever the held concept earns credit on
    /// the wanted one, the wanted one's parent is in the held one's mask.
    #[test]
    fn every_related_pair_has_the_wanted_tags_parent_in_the_mask() {
        for taxonomy in [small(), Taxonomy::build(crate::seed::concepts().unwrap()).unwrap()] {
            let concepts = ConceptTable::new(&taxonomy);
            let (mut related, mut unrelated_out) = (0, 0);
            for held in 0..concepts.len() as u32 {
                let mask = kin_mask(&concepts, [held]);
                for wanted in 0..concepts.len() as u32 {
                    let Some(parent) = concepts.parent(wanted) else {
                        continue;
                    };
                    let inside = mask & kin_bit(parent) != 0;
                    if concepts.relate(wanted, held).is_some_and(|r| r.factor() > 0.0) {
                        related += 1;
                        assert!(inside, "{:?} meets {:?}", concepts.name(held), concepts.name(wanted));
                    } else {
                        unrelated_out += usize::from(!inside);
                    }
                }
            }
            assert!(related > 0);
            // The mask tells most unrelated pairs apart, or it would not be worth reading.
            assert!(unrelated_out > 0);
        }
    }

    #[test]
    fn a_broader_tag_two_levels_up_keeps_the_grandchildren_in() {
        let taxonomy = small();
        let concepts = ConceptTable::new(&taxonomy);
        let n = |s: &str| concepts.get(&TagId::parse(s).unwrap()).unwrap();
        // `ai` is two levels above `ai.ml.deep-learning`, whose parent `ai.ml` is a child of `ai`.
        let mask = kin_mask(&concepts, [n("ai")]);
        assert_ne!(mask & kin_bit(n("ai.ml")), 0);
        assert_eq!(
            held_concepts([(ATTR_SKILL, n("ai") << 3 | 4), (0, 3)].into_iter()).collect::<Vec<_>>(),
            vec![n("ai")]
        );
    }
}
