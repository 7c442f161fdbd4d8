//! Taxonomy payloads: concept views, search hits, resolve requests and answers, new concepts.

use serde::{Deserialize, Serialize};

use super::limits::MAX_RESOLVE_INPUTS;
use crate::domain::{Aliases, Concept, Labels, Problems, TagId, TagKind};
use crate::engine::{Suggestion, TagHit, Taxonomy};
use crate::error::Result;

/// A short reference to a concept.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TagRef {
    pub id: String,
    pub label: Labels,
}

/// One concept with its neighbours.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TagView {
    pub id: String,
    pub kind: TagKind,
    pub labels: Labels,
    pub aliases: Aliases,
    pub parent: Option<TagRef>,
    pub children: Vec<TagRef>,
}

fn tag_ref(c: &Concept) -> TagRef {
    TagRef {
        id: c.id.to_string(),
        label: c.labels.clone(),
    }
}

impl TagView {
    /// The view of `c` within `taxonomy`.
    pub fn new(c: &Concept, taxonomy: &Taxonomy) -> Self {
        TagView {
            id: c.id.to_string(),
            kind: c.kind,
            labels: c.labels.clone(),
            aliases: c.aliases.clone(),
            parent: c.parent.as_ref().and_then(|p| taxonomy.get(p)).map(tag_ref),
            children: taxonomy.children(&c.id).into_iter().map(tag_ref).collect(),
        }
    }
}

/// One search hit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TagHitView {
    pub id: String,
    pub kind: TagKind,
    pub label: String,
    pub labels: Labels,
    pub matched: String,
    pub score: f32,
    pub parent: Option<String>,
}

impl TagHitView {
    /// The view of a hit, labelled in `lang` (English by default).
    pub fn new(hit: &TagHit<'_>, lang: crate::domain::Lang) -> Self {
        TagHitView {
            id: hit.concept.id.to_string(),
            kind: hit.concept.kind,
            label: hit.concept.labels.get(lang).to_string(),
            labels: hit.concept.labels.clone(),
            matched: hit.matched.clone(),
            score: hit.score,
            parent: hit.concept.parent.as_ref().map(ToString::to_string),
        }
    }
}

/// The answer to a tag search.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TagSearchResponse {
    pub items: Vec<TagHitView>,
}

/// `POST /tags/resolve`: free inputs to turn into ids.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolveRequest {
    pub inputs: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A suggested concept for an unknown input.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SuggestionView {
    pub id: String,
    pub label: String,
}

impl From<Suggestion> for SuggestionView {
    fn from(s: Suggestion) -> Self {
        SuggestionView {
            id: s.id.to_string(),
            label: s.label,
        }
    }
}

/// How one input resolved.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Resolution {
    pub input: String,
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<SuggestionView>,
}

/// The answer to `POST /tags/resolve`, one entry per input in order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResolveResponse {
    pub results: Vec<Resolution>,
}

impl ResolveRequest {
    /// Checks the request and resolves every input against `taxonomy`.
    pub fn resolve(self, taxonomy: &Taxonomy) -> Result<ResolveResponse> {
        let mut p = Problems::new();
        if p.check_len("inputs", &self.inputs, 1, MAX_RESOLVE_INPUTS) {
            for (i, input) in self.inputs.iter().enumerate() {
                if input.chars().count() > super::limits::MAX_QUERY_CHARS {
                    p.push(
                        format!("inputs[{i}]"),
                        format!("must be at most {} characters", super::limits::MAX_QUERY_CHARS),
                    );
                }
            }
        }
        let kind = match self.kind.as_deref() {
            None => Some(None),
            Some(k) => p.check("kind", TagKind::parse(k)).map(Some),
        };
        let kind = p.finish(|| kind)?;
        let results = self
            .inputs
            .into_iter()
            .map(|input| {
                let hit = taxonomy
                    .resolve(&input)
                    .filter(|id| kind.is_none_or(|k| taxonomy.get(id).is_some_and(|c| c.kind == k)));
                match hit {
                    Some(id) => Resolution {
                        id: Some(id.to_string()),
                        input,
                        suggestions: Vec::new(),
                    },
                    None => Resolution {
                        suggestions: taxonomy.suggest(&input, kind, 5).into_iter().map(Into::into).collect(),
                        input,
                        id: None,
                    },
                }
            })
            .collect();
        Ok(ResolveResponse { results })
    }
}

/// `POST /tags`: a new concept.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConceptInput {
    pub id: String,
    pub kind: String,
    #[serde(default)]
    pub parent: Option<String>,
    pub labels: Labels,
    #[serde(default)]
    pub aliases: Aliases,
}

impl ConceptInput {
    /// Parses the payload; the taxonomy checks names and the parent when the concept is added.
    pub fn into_concept(self, taxonomy: &Taxonomy) -> Result<Concept> {
        let mut p = Problems::new();
        let id = p.check("id", TagId::parse(&self.id));
        let kind = p.check("kind", TagKind::parse(&self.kind));
        let parent = match self.parent.as_deref() {
            None => Some(None),
            Some(raw) => match TagId::parse(raw) {
                Ok(pid) if taxonomy.get(&pid).is_some() => Some(Some(pid)),
                Ok(pid) => {
                    p.push("parent", format!("tag {pid} does not exist"));
                    None
                }
                Err(e) => {
                    p.push("parent", e);
                    None
                }
            },
        };
        p.finish(|| {
            Some(Concept {
                id: id?,
                kind: kind?,
                parent: parent?,
                labels: self.labels,
                aliases: self.aliases,
            })
        })
    }
}
