//! Taxonomy routes: search in zh, en and fr, one concept, resolve free inputs, add a concept.

use actix_web::{http::header, web, HttpResponse};
use serde::Deserialize;

use crate::domain::{Lang, TagId, TagKind};
use crate::engine::{Engine, TagHit};
use crate::error::{Error, Result};
use crate::http::{auth::Caller, blocking::run, body::Body};
use crate::wire::{limits::MAX_QUERY_CHARS, ConceptInput, ResolveRequest, TagHitView, TagSearchResponse, TagView};

/// Query of `GET /tags`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagQuery {
    q: Option<String>,
    kind: Option<String>,
    lang: Option<String>,
    limit: Option<usize>,
}

/// `GET /tags?q=`: concepts whose names match, best first; without `q`, the root concepts.
pub async fn search(engine: web::Data<Engine>, query: web::Query<TagQuery>) -> Result<HttpResponse> {
    let q = query.into_inner();
    let kind = q
        .kind
        .as_deref()
        .map(TagKind::parse)
        .transpose()
        .map_err(Error::BadParameter)?;
    let lang = q
        .lang
        .as_deref()
        .map(Lang::parse)
        .transpose()
        .map_err(Error::BadParameter)?;
    let limit = match q.limit {
        None => 10,
        Some(n) if (1..=50).contains(&n) => n,
        Some(n) => return Err(Error::BadParameter(format!("limit must be from 1 to 50, got {n}"))),
    };
    if q.q.as_ref().is_some_and(|s| s.chars().count() > MAX_QUERY_CHARS) {
        return Err(Error::BadParameter(format!(
            "q must be at most {MAX_QUERY_CHARS} characters"
        )));
    }
    let taxonomy = engine.taxonomy();
    let hits: Vec<TagHit<'_>> = match q.q.as_deref() {
        Some(text) => taxonomy.search(text, kind, lang, limit),
        None => taxonomy
            .concepts()
            .iter()
            .filter(|c| c.parent.is_none() && kind.is_none_or(|k| c.kind == k))
            .take(limit)
            .map(|c| TagHit {
                concept: c,
                matched: c.labels.get(lang.unwrap_or(Lang::En)).to_string(),
                score: 1.0,
            })
            .collect(),
    };
    let items = hits
        .iter()
        .map(|h| TagHitView::new(h, lang.unwrap_or(Lang::En)))
        .collect();
    Ok(HttpResponse::Ok().json(TagSearchResponse { items }))
}

/// `GET /tags/{id}`.
pub async fn get(engine: web::Data<Engine>, path: web::Path<String>) -> Result<HttpResponse> {
    let id = TagId::parse(&path).map_err(Error::BadParameter)?;
    let taxonomy = engine.taxonomy();
    let concept = taxonomy.get(&id).ok_or_else(|| Error::not_found("tag", &id))?;
    Ok(HttpResponse::Ok().json(TagView::new(concept, &taxonomy)))
}

/// `POST /tags/resolve`: free inputs to ids, with suggestions for unknown ones.
pub async fn resolve(engine: web::Data<Engine>, Body(request): Body<ResolveRequest>) -> Result<HttpResponse> {
    let answer = request.resolve(&engine.taxonomy())?;
    Ok(HttpResponse::Ok().json(answer))
}

/// `POST /tags`: operators add a concept.
pub async fn create(
    engine: web::Data<Engine>,
    caller: Caller,
    Body(input): Body<ConceptInput>,
) -> Result<HttpResponse> {
    caller.operator()?;
    let view = run(&engine, move |e| {
        let concept = input.into_concept(&e.taxonomy())?;
        let concept = e.add_concept(concept)?;
        Ok(TagView::new(&concept, &e.taxonomy()))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/tags/{}", view.id)))
        .json(view))
}
