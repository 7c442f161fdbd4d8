//! How an expert's tag relates to a need's tag in the taxonomy, and the credit that relation earns.

use serde::Serialize;

use super::formula::{broader, narrower, SIBLING};
use crate::domain::TagId;
use crate::engine::taxonomy::Taxonomy;

/// The relation of an expert tag to a need tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "relation", content = "levels", rename_all = "snake_case")]
pub enum Relation {
    /// The same concept.
    Exact,
    /// The expert's tag lies this many levels below the need's.
    Narrower(u8),
    /// The expert's tag lies this many levels above the need's.
    Broader(u8),
    /// Both tags share a parent.
    Sibling,
}

impl Relation {
    /// The credit factor of this relation (before the expert's level).
    pub fn factor(self) -> f32 {
        match self {
            Relation::Exact => 1.0,
            Relation::Narrower(d) => narrower(d),
            Relation::Broader(d) => broader(d),
            Relation::Sibling => SIBLING,
        }
    }

    /// The wire name of the relation.
    pub fn name(self) -> &'static str {
        match self {
            Relation::Exact => "exact",
            Relation::Narrower(_) => "narrower",
            Relation::Broader(_) => "broader",
            Relation::Sibling => "sibling",
        }
    }
}

/// The relation of `expert_tag` to `need_tag`, if it earns credit.
pub fn relate(taxonomy: &Taxonomy, need_tag: &TagId, expert_tag: &TagId) -> Option<Relation> {
    if need_tag == expert_tag {
        return Some(Relation::Exact);
    }
    if let Some(d) = taxonomy.ancestors(expert_tag).iter().position(|a| *a == need_tag) {
        return Some(Relation::Narrower(d as u8 + 1));
    }
    if let Some(d) = taxonomy.ancestors(need_tag).iter().position(|a| *a == expert_tag) {
        let d = d as u8 + 1;
        return (broader(d) > 0.0).then_some(Relation::Broader(d));
    }
    let parent = |t: &TagId| taxonomy.get(t).and_then(|c| c.parent.clone());
    match (parent(need_tag), parent(expert_tag)) {
        (Some(a), Some(b)) if a == b => Some(Relation::Sibling),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::taxonomy::tests::small;

    fn id(s: &str) -> TagId {
        TagId::parse(s).unwrap()
    }

    #[test]
    fn relations_follow_the_hierarchy() {
        let t = small();
        assert_eq!(relate(&t, &id("ai.ml"), &id("ai.ml")), Some(Relation::Exact));
        assert_eq!(
            relate(&t, &id("ai.ml"), &id("ai.ml.deep-learning")),
            Some(Relation::Narrower(1))
        );
        assert_eq!(
            relate(&t, &id("ai"), &id("ai.ml.deep-learning")),
            Some(Relation::Narrower(2))
        );
        assert_eq!(
            relate(&t, &id("ai.ml.deep-learning"), &id("ai.ml")),
            Some(Relation::Broader(1))
        );
        assert_eq!(relate(&t, &id("ai.ml"), &id("ai.nlp")), Some(Relation::Sibling));
        assert_eq!(relate(&t, &id("ai.ml"), &id("ic")), None);
    }

    #[test]
    fn roots_are_not_siblings_of_each_other() {
        assert_eq!(relate(&small(), &id("ai"), &id("ic")), None);
    }
}
