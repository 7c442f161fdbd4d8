//! Match payloads: ranked experts with reasons, one pair's verdict, an expert's needs, batches
//! (schemas/match-list.schema.json, match-pair.schema.json, expert-matches.schema.json, match-batch-*.schema.json).

use serde::{Deserialize, Serialize};

use crate::domain::{Expert, Need};
use crate::engine::matching::{Gate, Match, PairScore, Relation, ReverseFit, TagCredit};
use crate::engine::{ExpertMatch, NeedMatches};

/// Who a matched expert is (no contacts).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExpertSummary {
    pub name: String,
    pub country: String,
    pub city: String,
    pub organisation: String,
    pub position: String,
    pub status: String,
}

impl From<&Expert> for ExpertSummary {
    fn from(e: &Expert) -> Self {
        let p = &e.profile;
        ExpertSummary {
            name: p.name.to_string(),
            country: p.country.as_str().to_string(),
            city: p.city.to_string(),
            organisation: p.organisation.to_string(),
            position: p.position.to_string(),
            status: e.status.as_str().to_string(),
        }
    }
}

/// How one need tag was met.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TagCreditView {
    pub need_tag: String,
    pub facet: String,
    pub weight: f32,
    pub must_have: bool,
    pub matched_by: Option<String>,
    /// exact, narrower, broader or sibling; null when nothing met the tag.
    pub relation: Option<String>,
    /// Levels between the two tags for narrower and broader.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<u8>,
    pub credit: f32,
    pub contribution: f32,
}

impl From<&TagCredit> for TagCreditView {
    fn from(c: &TagCredit) -> Self {
        TagCreditView {
            need_tag: c.need_tag.to_string(),
            facet: match c.facet {
                crate::engine::matching::Facet::Skill => "skill".into(),
                crate::engine::matching::Facet::Sector => "sector".into(),
            },
            weight: c.weight,
            must_have: c.must_have,
            matched_by: c.matched_by.as_ref().map(ToString::to_string),
            relation: c.relation.map(|r| r.name().to_string()),
            levels: match c.relation {
                Some(Relation::Narrower(d)) | Some(Relation::Broader(d)) => Some(d),
                _ => None,
            },
            credit: c.credit,
            contribution: c.contribution,
        }
    }
}

/// The reverse fit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReverseFitView {
    pub score: f32,
    pub need_type: f32,
    pub sectors: f32,
    pub modes: f32,
    pub hours: f32,
}

impl From<&ReverseFit> for ReverseFitView {
    fn from(r: &ReverseFit) -> Self {
        ReverseFitView {
            score: r.score,
            need_type: r.need_type,
            sectors: r.sectors,
            modes: r.modes,
            hours: r.hours,
        }
    }
}

/// Why a match scored what it did.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Explanation {
    pub tags: Vec<TagCreditView>,
    pub must_haves_met: Vec<String>,
    /// Need tags nothing in the profile met.
    pub missing: Vec<String>,
    pub reverse: ReverseFitView,
}

impl From<&PairScore> for Explanation {
    fn from(s: &PairScore) -> Self {
        Explanation {
            tags: s.tags.iter().map(TagCreditView::from).collect(),
            must_haves_met: s
                .tags
                .iter()
                .filter(|t| t.must_have && t.credit > 0.0)
                .map(|t| t.need_tag.to_string())
                .collect(),
            missing: s
                .tags
                .iter()
                .filter(|t| t.credit <= 0.0)
                .map(|t| t.need_tag.to_string())
                .collect(),
            reverse: ReverseFitView::from(&s.reverse),
        }
    }
}

/// One ranked expert.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MatchItem {
    pub rank: usize,
    pub expert_id: String,
    pub score: f32,
    pub enterprise_fit: f32,
    pub reverse_fit: f32,
    pub expert: ExpertSummary,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

fn item(rank: usize, m: &Match, e: &Expert) -> MatchItem {
    MatchItem {
        rank,
        expert_id: m.ranked.id.to_string(),
        score: m.ranked.score,
        enterprise_fit: m.ranked.enterprise,
        reverse_fit: m.ranked.reverse,
        expert: ExpertSummary::from(e),
        explanation: m.explanation.as_ref().map(Explanation::from),
    }
}

/// Ranked experts of a need (stored, or ad hoc when `need_id` is null).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MatchList {
    pub need_id: Option<String>,
    pub k: usize,
    pub items: Vec<MatchItem>,
}

impl MatchList {
    /// The list for `need` (None for ad hoc).
    pub fn new(need: Option<&Need>, k: usize, matches: &NeedMatches) -> Self {
        MatchList {
            need_id: need.map(|n| n.id.to_string()),
            k,
            items: matches
                .items
                .iter()
                .enumerate()
                .map(|(i, (m, e))| item(i + 1, m, e))
                .collect(),
        }
    }
}

/// A gate with a readable reason.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GateView {
    pub gate: String,
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl From<&Gate> for GateView {
    fn from(g: &Gate) -> Self {
        let code = serde_json::to_value(g)
            .ok()
            .and_then(|v| v.get("gate").and_then(|c| c.as_str()).map(str::to_string))
            .unwrap_or_default();
        let (detail, tag, language) = match g {
            Gate::NeedNotOpen { status } => (format!("the need is {status}; only open needs are matched"), None, None),
            Gate::NotActive { status } => (format!("the expert is {status}, not active"), None, None),
            Gate::IncompleteProfile { skills } => (
                format!("the profile lists {skills} skill(s); at least 2 are needed to be scored"),
                None,
                None,
            ),
            Gate::MissingMustHave { tag } => (
                format!("holds neither the must-have {tag} nor a narrower tag"),
                Some(tag.to_string()),
                None,
            ),
            Gate::NoCommonMode => ("accepts none of the need's engagement modes".into(), None, None),
            Gate::LanguageNotSpoken { language } => (
                format!("does not speak the required language {}", language.as_str()),
                None,
                Some(language.as_str().to_string()),
            ),
            Gate::Excluded => ("excluded by the query".into(), None, None),
            Gate::NoConsent => (
                "the expert withdrew consent to the processing of its profile".into(),
                None,
                None,
            ),
            Gate::NoOverlap => ("shares no skill or sector with the need".into(), None, None),
            Gate::BelowMinScore { score, min_score } => {
                (format!("scores {score:.3}, below min_score {min_score}"), None, None)
            }
            Gate::FilteredOut { filter } => (format!("left out by the {filter} filter"), None, None),
        };
        GateView {
            gate: code,
            detail,
            tag,
            language,
        }
    }
}

/// The verdict on one pair.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PairView {
    pub need_id: String,
    pub expert_id: String,
    pub matched: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_fit: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverse_fit: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
    pub gates: Vec<GateView>,
}

/// A need that fits an expert (no enterprise contacts).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NeedMatchItem {
    pub rank: usize,
    pub need_id: String,
    pub title: String,
    pub need_type: String,
    pub enterprise: String,
    pub zone: String,
    pub deadline: Option<String>,
    pub score: f32,
    pub enterprise_fit: f32,
    pub reverse_fit: f32,
    pub explanation: Explanation,
}

/// The open needs that fit an expert best.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExpertMatches {
    pub expert_id: String,
    pub items: Vec<NeedMatchItem>,
}

impl ExpertMatches {
    /// The list for an expert.
    pub fn new(expert_id: String, matches: &[ExpertMatch]) -> Self {
        let items = matches
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let s = &m.need.spec;
                NeedMatchItem {
                    rank: i + 1,
                    need_id: m.need.id.to_string(),
                    title: s.title.to_string(),
                    need_type: s.need_type.as_str().to_string(),
                    enterprise: s.enterprise.name.to_string(),
                    zone: s.enterprise.zone.to_string(),
                    deadline: s.deadline.map(|d| d.format("%Y-%m-%d").to_string()),
                    score: m.score.score,
                    enterprise_fit: m.score.enterprise,
                    reverse_fit: m.score.reverse.score,
                    explanation: Explanation::from(&m.score),
                }
            })
            .collect();
        ExpertMatches { expert_id, items }
    }
}

/// `POST /match/batch`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    pub need_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<bool>,
}

/// One need's answer in a batch: its matches or its problem.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BatchResult {
    pub need_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<MatchItem>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<BatchError>,
}

/// Why a batch entry has no matches.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BatchError {
    pub code: String,
    pub detail: String,
}

/// The answer to a batch, in request order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BatchResponse {
    pub k: usize,
    pub results: Vec<BatchResult>,
}

impl BatchResult {
    /// The answer for one need.
    pub fn new(need_id: String, matches: &NeedMatches) -> Self {
        BatchResult {
            need_id,
            items: Some(
                matches
                    .items
                    .iter()
                    .enumerate()
                    .map(|(i, (m, e))| item(i + 1, m, e))
                    .collect(),
            ),
            error: None,
        }
    }
}
