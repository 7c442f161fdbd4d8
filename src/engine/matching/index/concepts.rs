//! The taxonomy as the index sees it: concepts interned to dense numbers with parent links.

use hashbrown::HashMap;

use super::super::formula::broader;
use super::super::relation::Relation;
use crate::domain::TagId;
use crate::engine::taxonomy::Taxonomy;

/// Concepts as dense numbers, with parents and children, for relations without string work.
#[derive(Debug, Clone, Default)]
pub struct ConceptTable {
    ids: HashMap<TagId, u32>,
    names: Vec<TagId>,
    parents: Vec<Option<u32>>,
    children: Vec<Vec<u32>>,
}

impl ConceptTable {
    /// Interns every concept of `taxonomy`.
    pub fn new(taxonomy: &Taxonomy) -> Self {
        let mut table = ConceptTable::default();
        table.sync(taxonomy);
        table
    }

    /// Interns concepts added to the taxonomy since; existing numbers never change. Returns the
    /// concepts whose parent was set or changed.
    pub fn sync(&mut self, taxonomy: &Taxonomy) -> Vec<u32> {
        let mut moved = Vec::new();
        for c in taxonomy.concepts() {
            if !self.ids.contains_key(&c.id) {
                let n = self.parents.len() as u32;
                self.ids.insert(c.id.clone(), n);
                self.names.push(c.id.clone());
                self.parents.push(None);
                self.children.push(Vec::new());
            }
        }
        for c in taxonomy.concepts() {
            let n = self.ids[&c.id];
            let parent = c.parent.as_ref().and_then(|p| self.ids.get(p).copied());
            let old = self.parents[n as usize];
            if old != parent {
                if let Some(o) = old {
                    self.children[o as usize].retain(|&c| c != n);
                }
                self.parents[n as usize] = parent;
                if let Some(p) = parent {
                    self.children[p as usize].push(n);
                }
                moved.push(n);
            }
        }
        moved
    }

    /// Number of concepts.
    pub fn len(&self) -> usize {
        self.parents.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.parents.is_empty()
    }

    /// The number of a concept.
    pub fn get(&self, id: &TagId) -> Option<u32> {
        self.ids.get(id).copied()
    }

    /// The number of the concept whose id is `text`, as a record writes it.
    pub fn get_text(&self, text: &str) -> Option<u32> {
        self.ids.get(text).copied()
    }

    /// The id of a concept number.
    pub fn name(&self, n: u32) -> &TagId {
        &self.names[n as usize]
    }

    /// The parent of a concept.
    pub fn parent(&self, n: u32) -> Option<u32> {
        self.parents.get(n as usize).copied().flatten()
    }

    /// The concepts whose parent is `n`.
    pub fn children(&self, n: u32) -> &[u32] {
        self.children.get(n as usize).map_or(&[], Vec::as_slice)
    }

    /// The concepts sharing `n`'s parent, without `n`.
    pub fn siblings(&self, n: u32) -> impl Iterator<Item = u32> + '_ {
        self.parent(n)
            .map(|p| self.children[p as usize].as_slice())
            .unwrap_or(&[])
            .iter()
            .copied()
            .filter(move |&s| s != n)
    }

    /// Ancestors of `n`, nearest first, with their distance (1, 2, ...).
    pub fn ancestors(&self, n: u32) -> impl Iterator<Item = (u32, u8)> + '_ {
        let mut at = n;
        let mut d = 0u8;
        std::iter::from_fn(move || {
            let p = self.parent(at)?;
            at = p;
            d = d.saturating_add(1);
            Some((p, d))
        })
    }

    /// True when `n` is `ancestor` or lies under it.
    pub fn is_within(&self, n: u32, ancestor: u32) -> bool {
        n == ancestor || self.ancestors(n).any(|(a, _)| a == ancestor)
    }

    /// The relation of a held concept to a wanted one: the same rules as `relation::relate`.
    pub fn relate(&self, wanted: u32, held: u32) -> Option<Relation> {
        if wanted == held {
            return Some(Relation::Exact);
        }
        if let Some((_, d)) = self.ancestors(held).find(|(a, _)| *a == wanted) {
            return Some(Relation::Narrower(d));
        }
        if let Some((_, d)) = self.ancestors(wanted).find(|(a, _)| *a == held) {
            return (broader(d) > 0.0).then_some(Relation::Broader(d));
        }
        match (self.parent(wanted), self.parent(held)) {
            (Some(a), Some(b)) if a == b => Some(Relation::Sibling),
            _ => None,
        }
    }

    /// Approximate heap bytes.
    pub fn bytes(&self) -> usize {
        self.ids.len() * 48 + self.parents.len() * 8 + self.children.iter().map(|c| 24 + c.len() * 4).sum::<usize>()
    }
}
