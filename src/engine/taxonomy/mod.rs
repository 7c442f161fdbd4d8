//! The multilingual, hierarchical taxonomy held in memory: validation, lookup and hierarchy walks.

mod normalize;
mod search;

use std::collections::HashMap;

pub use normalize::normalize;
pub use search::{Suggestion, TagHit};

use crate::domain::{Concept, Lang, TagId, TagKind, TagLookup};
use crate::error::{Error, FieldError, Result};

/// Longest label or alias, in characters.
pub const MAX_LABEL_CHARS: usize = 100;
/// Most aliases per language.
pub const MAX_ALIASES: usize = 10;

/// How a name of a concept was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameKind {
    Label,
    Alias,
}

/// One label or alias, with its normalised key, for search.
#[derive(Debug, Clone)]
pub(crate) struct Name {
    pub(crate) key: String,
    pub(crate) text: String,
    pub(crate) lang: Lang,
    pub(crate) kind: NameKind,
    pub(crate) concept: usize,
}

/// The whole taxonomy, indexed for lookup by id and by normalised name.
#[derive(Debug, Clone, Default)]
pub struct Taxonomy {
    concepts: Vec<Concept>,
    by_id: HashMap<TagId, usize>,
    by_key: HashMap<String, usize>,
    children: Vec<Vec<usize>>,
    names: Vec<Name>,
}

impl Taxonomy {
    /// Builds and checks a taxonomy: unique ids, existing parents, no cycles, kinds that nest
    /// (a sector's parent is a sector), and every normalised name naming one concept.
    pub fn build(mut concepts: Vec<Concept>) -> Result<Taxonomy> {
        concepts.sort_by(|a, b| a.id.cmp(&b.id));
        let mut t = Taxonomy::default();
        let mut problems = Vec::new();
        for (i, c) in concepts.iter().enumerate() {
            if t.by_id.insert(c.id.clone(), i).is_some() {
                problems.push(FieldError::new(c.id.as_str(), "duplicate id"));
            }
        }
        t.children = vec![Vec::new(); concepts.len()];
        for (i, c) in concepts.iter().enumerate() {
            check_names(c, &mut problems);
            let Some(parent) = &c.parent else { continue };
            match t.by_id.get(parent) {
                None => problems.push(FieldError::new(
                    c.id.as_str(),
                    format!("parent {parent} does not exist"),
                )),
                Some(&p) => {
                    if c.kind == TagKind::Sector && concepts[p].kind == TagKind::Skill {
                        problems.push(FieldError::new(c.id.as_str(), "a sector cannot sit under a skill"));
                    }
                    t.children[p].push(i);
                }
            }
        }
        t.concepts = concepts;
        if problems.is_empty() {
            t.check_acyclic(&mut problems);
            t.index_names(&mut problems);
        }
        if problems.is_empty() {
            Ok(t)
        } else {
            Err(Error::Invalid(problems))
        }
    }

    fn check_acyclic(&self, problems: &mut Vec<FieldError>) {
        for (i, c) in self.concepts.iter().enumerate() {
            let mut steps = 0;
            let mut at = i;
            while let Some(p) = self.parent_index(at) {
                at = p;
                steps += 1;
                if steps > self.concepts.len() {
                    problems.push(FieldError::new(c.id.as_str(), "the parent chain has a cycle"));
                    break;
                }
            }
        }
    }

    fn index_names(&mut self, problems: &mut Vec<FieldError>) {
        for (i, c) in self.concepts.iter().enumerate() {
            for lang in Lang::ALL {
                let labels = std::iter::once((c.labels.get(lang), NameKind::Label));
                let aliases = c.aliases.get(lang).iter().map(|a| (a.as_str(), NameKind::Alias));
                for (text, kind) in labels.chain(aliases) {
                    let key = normalize(text);
                    match self.by_key.get(&key) {
                        Some(&other) if other != i => problems.push(FieldError::new(
                            c.id.as_str(),
                            format!("{text:?} already names {}", self.concepts[other].id),
                        )),
                        _ => {
                            self.by_key.insert(key.clone(), i);
                        }
                    }
                    self.names.push(Name {
                        key,
                        text: text.to_string(),
                        lang,
                        kind,
                        concept: i,
                    });
                }
            }
        }
    }

    /// A taxonomy with one more concept, checked like the rest.
    pub fn with(&self, concept: Concept) -> Result<Taxonomy> {
        if self.by_id.contains_key(&concept.id) {
            return Err(Error::Conflict {
                code: "tag_exists",
                detail: format!("tag {} already exists", concept.id),
                existing: Some(concept.id.to_string()),
            });
        }
        let mut all = self.concepts.clone();
        all.push(concept);
        Taxonomy::build(all).map_err(|e| match e {
            Error::Invalid(list) if list.iter().any(|f| f.message.contains("already names")) => Error::Conflict {
                code: "label_taken",
                detail: list.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join("; "),
                existing: None,
            },
            other => other,
        })
    }

    /// Number of concepts.
    pub fn len(&self) -> usize {
        self.concepts.len()
    }

    /// True when there are no concepts.
    pub fn is_empty(&self) -> bool {
        self.concepts.is_empty()
    }

    /// Every concept, in id order.
    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    /// One concept by id.
    pub fn get(&self, id: &TagId) -> Option<&Concept> {
        self.by_id.get(id).map(|&i| &self.concepts[i])
    }

    /// The concepts directly under `id`.
    pub fn children(&self, id: &TagId) -> Vec<&Concept> {
        self.by_id
            .get(id)
            .map(|&i| self.children[i].iter().map(|&c| &self.concepts[c]).collect())
            .unwrap_or_default()
    }

    /// The chain of broader concepts of `id`, nearest first.
    pub fn ancestors(&self, id: &TagId) -> Vec<&TagId> {
        let mut out = Vec::new();
        let mut at = self.by_id.get(id).copied();
        while let Some(i) = at.and_then(|i| self.parent_index(i)) {
            out.push(&self.concepts[i].id);
            at = Some(i);
        }
        out
    }

    /// True when `id` is `ancestor` or lies under it.
    pub fn is_within(&self, id: &TagId, ancestor: &TagId) -> bool {
        id == ancestor || self.ancestors(id).contains(&ancestor)
    }

    fn parent_index(&self, i: usize) -> Option<usize> {
        self.concepts[i]
            .parent
            .as_ref()
            .and_then(|p| self.by_id.get(p).copied())
    }

    /// Resolves an id or any label or alias to a concept id, if one matches exactly after normalising.
    pub fn resolve(&self, input: &str) -> Option<&TagId> {
        if let Ok(id) = TagId::parse(input.trim()) {
            if let Some(&i) = self.by_id.get(&id) {
                return Some(&self.concepts[i].id);
            }
        }
        self.by_key.get(&normalize(input)).map(|&i| &self.concepts[i].id)
    }
}

fn check_names(c: &Concept, problems: &mut Vec<FieldError>) {
    for lang in Lang::ALL {
        let label = c.labels.get(lang);
        if normalize(label).is_empty() || label.chars().count() > MAX_LABEL_CHARS {
            problems.push(FieldError::new(
                format!("labels.{}", lang_code(lang)),
                format!("must be 1-{MAX_LABEL_CHARS} characters"),
            ));
        }
        let aliases = c.aliases.get(lang);
        if aliases.len() > MAX_ALIASES {
            problems.push(FieldError::new(
                format!("aliases.{}", lang_code(lang)),
                format!("at most {MAX_ALIASES} aliases"),
            ));
        }
        for (n, a) in aliases.iter().enumerate() {
            if normalize(a).is_empty() || a.chars().count() > MAX_LABEL_CHARS {
                problems.push(FieldError::new(
                    format!("aliases.{}[{n}]", lang_code(lang)),
                    format!("must be 1-{MAX_LABEL_CHARS} characters"),
                ));
            }
        }
    }
}

/// The wire code of a language.
pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
        Lang::Fr => "fr",
    }
}

impl TagLookup for Taxonomy {
    fn lookup(&self, input: &str, kind: Option<TagKind>) -> Result<TagId, Vec<String>> {
        match self.resolve(input) {
            Some(id) if kind.is_none_or(|k| self.get(id).is_some_and(|c| c.kind == k)) => Ok(id.clone()),
            _ => Err(self
                .suggest(input, kind, 5)
                .into_iter()
                .map(|s| format!("{} ({})", s.label, s.id))
                .collect()),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
