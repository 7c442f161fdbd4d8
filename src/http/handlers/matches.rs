//! Match routes: a need's experts, one pair, an expert's needs, an ad-hoc need, a batch. Scoring runs
//! on the blocking pool.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::query::{opt, tag_filter};
use crate::domain::{ChannelId, CountryCode, EngagementMode, ExpertId, LanguageCode, NeedId, Problems, TagKind};
use crate::engine::matching::{MatchFilter, PairOutcome};
use crate::engine::{Engine, Principal, Taxonomy};
use crate::error::{Error, Result};
use crate::http::{auth::Caller, blocking::run, body::Body};
use crate::wire::{
    AdhocNeedInput, BatchError, BatchRequest, BatchResponse, BatchResult, ExpertMatches, Explanation, GateView,
    MatchList, PairView,
};

/// Most results one query may ask for.
const MAX_K: usize = 100;
/// Most needs in one batch.
const MAX_BATCH: usize = 500;

fn k_of(raw: Option<usize>) -> Result<usize> {
    match raw {
        None => Ok(20),
        Some(k) if (1..=MAX_K).contains(&k) => Ok(k),
        Some(k) => Err(Error::BadParameter(format!("k must be from 1 to {MAX_K}, got {k}"))),
    }
}

/// Query of the match routes.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchQuery {
    k: Option<usize>,
    explain: Option<bool>,
    min_score: Option<f32>,
    mode: Option<String>,
    country: Option<String>,
    language: Option<String>,
    channel: Option<String>,
    sector: Option<String>,
    exclude: Option<String>,
}

impl MatchQuery {
    /// k, explain, and the filter; every bad parameter at once.
    fn parse(self, taxonomy: &Taxonomy) -> Result<(usize, bool, MatchFilter)> {
        let k = k_of(self.k)?;
        let mut p = Problems::new();
        let min_score = match self.min_score {
            Some(s) if !(0.0..=1.0).contains(&s) => {
                p.push("min_score", format!("must be from 0 to 1, got {s}"));
                None
            }
            s => Some(s.unwrap_or(0.0)),
        };
        let mode = opt(&mut p, "mode", self.mode.as_deref(), EngagementMode::parse);
        let country = opt(&mut p, "country", self.country.as_deref(), CountryCode::parse);
        let language = opt(&mut p, "language", self.language.as_deref(), LanguageCode::parse);
        let channel = opt(&mut p, "channel", self.channel.as_deref(), ChannelId::parse);
        let sector = tag_filter(
            &mut p,
            taxonomy,
            "sector",
            self.sector.as_deref(),
            Some(TagKind::Sector),
        );
        let exclude: Option<Vec<ExpertId>> = self
            .exclude
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| p.check("exclude", ExpertId::parse(s)))
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        let filter = p.finish(|| {
            Some(MatchFilter {
                min_score: min_score?,
                mode: mode?,
                country: country?,
                language: language?,
                channel: channel?,
                sector: sector?,
                exclude: exclude?.into_iter().collect(),
            })
        })?;
        Ok((k, self.explain.unwrap_or(true), filter))
    }
}

fn need_id(raw: &str) -> Result<NeedId> {
    NeedId::parse(raw).map_err(Error::BadParameter)
}

fn expert_id(raw: &str) -> Result<ExpertId> {
    ExpertId::parse(raw).map_err(Error::BadParameter)
}

/// `GET /needs/{id}/matches`.
pub async fn for_need(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<MatchQuery>,
) -> Result<HttpResponse> {
    caller.operator()?;
    let id = need_id(&path)?;
    let (k, explain, filter) = query.into_inner().parse(&engine.taxonomy())?;
    let (need, matches) = run(&engine, move |e| e.match_need(id, k, &filter, explain)).await?;
    Ok(HttpResponse::Ok().json(MatchList::new(Some(&need), k, &matches)))
}

/// `GET /needs/{id}/matches/{expert_id}`: the pair's score and reasons, or the gates that removed it.
pub async fn pair(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    caller.operator()?;
    let (need, expert) = (need_id(&path.0)?, expert_id(&path.1)?);
    let report = run(&engine, move |e| e.match_pair(need, expert)).await?;
    let mut view = PairView {
        need_id: need.to_string(),
        expert_id: expert.to_string(),
        matched: false,
        score: None,
        enterprise_fit: None,
        reverse_fit: None,
        explanation: None,
        gates: Vec::new(),
    };
    match &report.outcome {
        PairOutcome::Scored(s) => {
            view.matched = true;
            view.score = Some(s.score);
            view.enterprise_fit = Some(s.enterprise);
            view.reverse_fit = Some(s.reverse.score);
            view.explanation = Some(Explanation::from(s));
        }
        PairOutcome::Gated(gates) => view.gates = gates.iter().map(GateView::from).collect(),
    }
    Ok(HttpResponse::Ok().json(view))
}

/// Query of `GET /experts/{id}/matches`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpertMatchQuery {
    k: Option<usize>,
}

/// `GET /experts/{id}/matches`: the open needs that fit an expert, without enterprise contacts.
pub async fn for_expert(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<ExpertMatchQuery>,
) -> Result<HttpResponse> {
    let id = expert_id(&path)?;
    let _: Principal = caller.operator_or_expert(id)?;
    let k = k_of(query.k)?;
    let matches = run(&engine, move |e| e.match_expert(id, k)).await?;
    Ok(HttpResponse::Ok().json(ExpertMatches::new(id.to_string(), &matches)))
}

/// `POST /match`: ranks experts for a need being drafted, not stored.
pub async fn adhoc(
    engine: web::Data<Engine>,
    caller: Caller,
    query: web::Query<MatchQuery>,
    Body(input): Body<AdhocNeedInput>,
) -> Result<HttpResponse> {
    caller.operator()?;
    let taxonomy = engine.taxonomy();
    let (k, explain, filter) = query.into_inner().parse(&taxonomy)?;
    let need = input.into_match_need(&*taxonomy)?;
    let matches = run(&engine, move |e| e.match_spec(&need, k, &filter, explain)).await?;
    Ok(HttpResponse::Ok().json(MatchList::new(None, k, &matches)))
}

/// `POST /match/batch`: many stored needs at once, scored in parallel.
pub async fn batch(engine: web::Data<Engine>, caller: Caller, Body(input): Body<BatchRequest>) -> Result<HttpResponse> {
    caller.operator()?;
    let k = k_of(input.k)?;
    let mut p = Problems::new();
    let ids: Vec<Option<NeedId>> = if p.check_len("need_ids", &input.need_ids, 1, MAX_BATCH) {
        input
            .need_ids
            .iter()
            .enumerate()
            .map(|(i, s)| p.check(format!("need_ids[{i}]"), NeedId::parse(s)))
            .collect()
    } else {
        Vec::new()
    };
    let ids: Vec<NeedId> = p.finish(|| ids.into_iter().collect())?;
    let explain = input.explain.unwrap_or(false);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let answers = run(&engine, move |e| Ok(e.match_batch(&ids, k, explain, threads))).await?;
    let results = answers
        .into_iter()
        .map(|(id, answer)| match answer {
            Ok(m) => BatchResult::new(id.to_string(), &m),
            Err(e) => {
                let (status, code, _) = crate::http::error::classify(&e);
                let detail = if status.is_server_error() {
                    tracing::error!(error = %e, need = %id, "batch entry failed");
                    "an internal error happened; it was logged with this request's id".to_string()
                } else {
                    e.to_string()
                };
                BatchResult {
                    need_id: id.to_string(),
                    items: None,
                    error: Some(BatchError {
                        code: code.to_string(),
                        detail,
                    }),
                }
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(BatchResponse { k, results }))
}
