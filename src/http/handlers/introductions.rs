//! Introduction routes: operators propose introductions and move them stage by stage; a need's
//! and an expert's introductions are listed with them.

use actix_web::{http::header, web, HttpResponse};
use serde::Deserialize;

use super::query::{limit, opt};
use crate::domain::{EventId, ExpertId, IntroductionId, NeedId, Problems, Stage};
use crate::engine::{Engine, IntroductionFilter};
use crate::error::{Error, Result};
use crate::http::{
    auth::Caller,
    blocking::run,
    body::Body,
    cursor,
    precondition::{etag, IfMatch},
};
use crate::wire::{
    operator_actor, IntroductionInput, IntroductionView, ListResponse, ReleasedContactsView, TransitionInput,
};

fn introduction_id(raw: &str) -> Result<IntroductionId> {
    IntroductionId::parse(raw).map_err(Error::BadParameter)
}

fn respond(status: actix_web::http::StatusCode, intro: &crate::domain::Introduction) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(etag(intro.version))
        .json(IntroductionView::from(intro))
}

/// `POST /introductions`.
pub async fn create(
    engine: web::Data<Engine>,
    caller: Caller,
    Body(input): Body<IntroductionInput>,
) -> Result<HttpResponse> {
    let me = caller.operator()?;
    let (from, note) = input.parse()?;
    let actor = operator_actor(&me)?;
    let intro = run(&engine, move |e| e.propose_introduction(from, actor, note)).await?;
    let mut response = respond(actix_web::http::StatusCode::CREATED, &intro);
    if let Ok(v) = header::HeaderValue::from_str(&format!("/api/v1/introductions/{}", intro.id)) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

/// `GET /introductions/{id}`.
pub async fn get(engine: web::Data<Engine>, caller: Caller, path: web::Path<String>) -> Result<HttpResponse> {
    caller.operator()?;
    let id = introduction_id(&path)?;
    let intro = run(&engine, move |e| e.introduction(id)).await?;
    Ok(respond(actix_web::http::StatusCode::OK, &intro))
}

/// `POST /introductions/{id}/transitions`: moves it to the next stage, or ends it.
pub async fn transition(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
    Body(input): Body<TransitionInput>,
) -> Result<HttpResponse> {
    let me = caller.operator()?;
    let id = introduction_id(&path)?;
    let (to, note) = input.parse()?;
    let actor = operator_actor(&me)?;
    let intro = run(&engine, move |e| e.move_introduction(id, if_match.0, to, actor, note)).await?;
    Ok(respond(actix_web::http::StatusCode::OK, &intro))
}

/// Query of the introduction lists.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntroductionQuery {
    need: Option<String>,
    expert: Option<String>,
    event: Option<String>,
    stage: Option<String>,
    cursor: Option<String>,
    limit: Option<usize>,
}

async fn list_with(engine: web::Data<Engine>, q: IntroductionQuery, fixed: IntroductionFilter) -> Result<HttpResponse> {
    let limit = limit(q.limit, 50)?;
    let after = cursor::decode(q.cursor.as_deref(), IntroductionId::parse)?;
    let mut p = Problems::new();
    let need = opt(&mut p, "need", q.need.as_deref(), NeedId::parse);
    let expert = opt(&mut p, "expert", q.expert.as_deref(), ExpertId::parse);
    let event = opt(&mut p, "event", q.event.as_deref(), EventId::parse);
    let stage = opt(&mut p, "stage", q.stage.as_deref(), Stage::parse);
    let filter = p.finish(|| {
        Some(IntroductionFilter {
            need: fixed.need.or(need?),
            expert: fixed.expert.or(expert?),
            event: event?,
            stage: stage?,
        })
    })?;
    let page = run(&engine, move |e| {
        if let Some(n) = fixed.need {
            e.need(n)?;
        }
        if let Some(x) = fixed.expert {
            e.expert(x)?;
        }
        e.list_introductions(&filter, after, limit)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ListResponse {
        items: page.items.iter().map(IntroductionView::from).collect(),
        next_cursor: page.next_after.map(|id| cursor::encode(&id)),
    }))
}

/// `GET /introductions`.
pub async fn list(
    engine: web::Data<Engine>,
    caller: Caller,
    query: web::Query<IntroductionQuery>,
) -> Result<HttpResponse> {
    caller.operator()?;
    list_with(engine, query.into_inner(), IntroductionFilter::default()).await
}

/// `GET /needs/{id}/introductions`.
pub async fn of_need(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<IntroductionQuery>,
) -> Result<HttpResponse> {
    caller.operator()?;
    let need = NeedId::parse(&path).map_err(Error::BadParameter)?;
    let fixed = IntroductionFilter {
        need: Some(need),
        ..Default::default()
    };
    list_with(engine, query.into_inner(), fixed).await
}

/// `GET /experts/{id}/introductions`.
pub async fn of_expert(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<IntroductionQuery>,
) -> Result<HttpResponse> {
    caller.operator()?;
    let expert = ExpertId::parse(&path).map_err(Error::BadParameter)?;
    let fixed = IntroductionFilter {
        expert: Some(expert),
        ..Default::default()
    };
    list_with(engine, query.into_inner(), fixed).await
}

/// `POST /introductions/{id}/contacts`: releases both sides' contacts for an open introduction;
/// every release is audited.
pub async fn release_contacts(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse> {
    let actor = caller.operator()?.actor();
    let id = introduction_id(&path)?;
    let released = run(&engine, move |e| e.release_contacts(id, &actor)).await?;
    Ok(HttpResponse::Ok().json(ReleasedContactsView::from(&released)))
}
