//! Need routes: operators record, read, change, close and list enterprise needs.

use actix_web::{http::header, web, HttpResponse};
use serde::Deserialize;

use super::query::{limit, opt, tag_filter};
use crate::domain::{NeedId, NeedStatus, NeedType, Problems, TagKind};
use crate::engine::{Engine, NeedFilter};
use crate::error::{Error, Result};
use crate::http::{
    auth::Caller,
    blocking::run,
    body::Body,
    cursor,
    precondition::{etag, IfMatch},
};
use crate::wire::{patch_need, ListResponse, NeedInput, NeedView};

fn need_id(raw: &str) -> Result<NeedId> {
    NeedId::parse(raw).map_err(Error::BadParameter)
}

/// `POST /needs`.
pub async fn create(engine: web::Data<Engine>, caller: Caller, Body(input): Body<NeedInput>) -> Result<HttpResponse> {
    caller.operator()?;
    let need = run(&engine, move |e| {
        let (spec, status) = input.into_spec(&*e.taxonomy())?;
        e.create_need(spec, status)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/needs/{}", need.id)))
        .insert_header(etag(need.version))
        .json(NeedView::from(&need)))
}

/// `GET /needs/{id}`.
pub async fn get(engine: web::Data<Engine>, caller: Caller, path: web::Path<String>) -> Result<HttpResponse> {
    caller.operator()?;
    let id = need_id(&path)?;
    let need = run(&engine, move |e| e.need(id)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(need.version))
        .json(NeedView::from(&need)))
}

/// `PUT /needs/{id}`.
pub async fn replace(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
    Body(input): Body<NeedInput>,
) -> Result<HttpResponse> {
    caller.operator()?;
    let id = need_id(&path)?;
    let need = run(&engine, move |e| {
        let taxonomy = e.taxonomy();
        e.update_need(id, if_match.0, |_| input.into_spec(&*taxonomy))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(need.version))
        .json(NeedView::from(&need)))
}

/// `PATCH /needs/{id}`: a JSON merge patch; `{"status":"closed"}` closes a need.
pub async fn patch(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
    Body(patch): Body<serde_json::Value>,
) -> Result<HttpResponse> {
    caller.operator()?;
    let id = need_id(&path)?;
    let need = run(&engine, move |e| {
        let taxonomy = e.taxonomy();
        e.update_need(id, if_match.0, |current| patch_need(current, &patch, &*taxonomy))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(need.version))
        .json(NeedView::from(&need)))
}

/// `DELETE /needs/{id}`.
pub async fn delete(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse> {
    caller.operator()?;
    let id = need_id(&path)?;
    run(&engine, move |e| e.delete_need(id, if_match.0)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Query of `GET /needs`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedQuery {
    tag: Option<String>,
    sector: Option<String>,
    status: Option<String>,
    need_type: Option<String>,
    cursor: Option<String>,
    limit: Option<usize>,
}

/// `GET /needs`.
pub async fn list(engine: web::Data<Engine>, caller: Caller, query: web::Query<NeedQuery>) -> Result<HttpResponse> {
    caller.operator()?;
    let q = query.into_inner();
    let limit = limit(q.limit, 50)?;
    let after = cursor::decode(q.cursor.as_deref(), NeedId::parse)?;
    let page = run(&engine, move |e| {
        let taxonomy = e.taxonomy();
        let mut p = Problems::new();
        let tag = tag_filter(&mut p, &taxonomy, "tag", q.tag.as_deref(), None);
        let sector = tag_filter(&mut p, &taxonomy, "sector", q.sector.as_deref(), Some(TagKind::Sector));
        let status = opt(&mut p, "status", q.status.as_deref(), NeedStatus::parse);
        let need_type = opt(&mut p, "need_type", q.need_type.as_deref(), NeedType::parse);
        let filter = p.finish(|| {
            Some(NeedFilter {
                tag: tag?,
                sector: sector?,
                status: status?,
                need_type: need_type?,
            })
        })?;
        e.list_needs(&filter, after, limit)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ListResponse {
        items: page.items.iter().map(NeedView::from).collect(),
        next_cursor: page.next_after.map(|id| cursor::encode(&id)),
    }))
}
