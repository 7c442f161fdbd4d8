//! Search and suggestions over the taxonomy's labels and aliases in all three languages.

use std::collections::HashMap;

use serde::Serialize;

use super::{normalize, Name, NameKind, Taxonomy};
use crate::domain::{Concept, Lang, TagId, TagKind};

/// One search result: the concept and the name that matched.
#[derive(Debug, Clone, Serialize)]
pub struct TagHit<'a> {
    /// The concept.
    pub concept: &'a Concept,
    /// The label or alias that matched.
    pub matched: String,
    /// How well, from 0 to 1 (1 is an exact label).
    pub score: f32,
}

/// A concept proposed for input that named none.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// The concept's id.
    pub id: TagId,
    /// The closest label or alias.
    pub label: String,
}

/// How well a normalised query matches a normalised name, 0 when it does not.
fn match_score(query: &str, name: &Name) -> f32 {
    let exact = match name.kind {
        NameKind::Label => 1.0,
        NameKind::Alias => 0.95,
    };
    if name.key == query {
        exact
    } else if name.key.starts_with(query) {
        0.8 - 0.2 * (1.0 - query.len() as f32 / name.key.len() as f32)
    } else if name.key.split(' ').any(|w| w.starts_with(query)) {
        0.55
    } else if name.key.contains(query) {
        0.45
    } else {
        0.0
    }
}

fn fuzzy_score(query: &str, key: &str) -> f32 {
    let lev = strsim::normalized_levenshtein(query, key) as f32;
    let jw = strsim::jaro_winkler(query, key) as f32;
    let contained = if key.contains(query) || query.contains(key) {
        0.2
    } else {
        0.0
    };
    (lev.max(jw * 0.9) + contained).min(0.99)
}

impl Taxonomy {
    fn best_per_concept(&self, kind: Option<TagKind>, score: impl Fn(&Name) -> f32) -> Vec<(usize, f32, &Name)> {
        let mut best: HashMap<usize, (f32, &Name)> = HashMap::new();
        for name in &self.names {
            if kind.is_some_and(|k| self.concepts[name.concept].kind != k) {
                continue;
            }
            let s = score(name);
            if s <= 0.0 {
                continue;
            }
            let entry = best.entry(name.concept).or_insert((s, name));
            if s > entry.0 {
                *entry = (s, name);
            }
        }
        let mut ranked: Vec<(usize, f32, &Name)> = best.into_iter().map(|(c, (s, n))| (c, s, n)).collect();
        // Best score first; equal scores: shallower concept first, then id, so results are stable.
        ranked.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then_with(|| self.depth(a.0).cmp(&self.depth(b.0)))
                .then_with(|| self.concepts[a.0].id.cmp(&self.concepts[b.0].id))
        });
        ranked
    }

    fn depth(&self, i: usize) -> usize {
        self.ancestors(&self.concepts[i].id).len()
    }

    /// Concepts whose labels or aliases (any language) match `query`: exact names first, then
    /// prefixes, word prefixes and substrings; `lang` only prefers names of that language on ties.
    pub fn search(&self, query: &str, kind: Option<TagKind>, lang: Option<Lang>, limit: usize) -> Vec<TagHit<'_>> {
        let q = normalize(query);
        if q.is_empty() {
            return Vec::new();
        }
        let bonus = |n: &Name| if Some(n.lang) == lang { 0.001 } else { 0.0 };
        self.best_per_concept(kind, |n| {
            let s = match_score(&q, n);
            if s > 0.0 {
                s + bonus(n)
            } else {
                0.0
            }
        })
        .into_iter()
        .take(limit)
        .map(|(c, s, n)| TagHit {
            concept: &self.concepts[c],
            matched: n.text.clone(),
            score: s.min(1.0),
        })
        .collect()
    }

    /// The concepts whose names are nearest to `input`, for an unknown tag.
    pub fn suggest(&self, input: &str, kind: Option<TagKind>, limit: usize) -> Vec<Suggestion> {
        let q = normalize(input);
        if q.is_empty() {
            return Vec::new();
        }
        self.best_per_concept(kind, |n| {
            let s = fuzzy_score(&q, &n.key);
            if s >= 0.5 {
                s
            } else {
                0.0
            }
        })
        .into_iter()
        .take(limit)
        .map(|(c, _, n)| Suggestion {
            id: self.concepts[c].id.clone(),
            label: n.text.clone(),
        })
        .collect()
    }
}
