//! Event routes: organisers record, read, change and delete matchmaking events, and record pair
//! preferences one at a time.

use actix_web::{http::header, web, HttpResponse};
use serde::Deserialize;

use super::query::limit;
use crate::domain::EventId;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::http::{
    auth::Caller,
    blocking::run,
    body::Body,
    cursor,
    precondition::{etag, IfMatch},
};
use crate::wire::{patch_event, EventInput, EventView, ListResponse, PreferenceInput};

/// The event id of a path.
pub fn event_id(raw: &str) -> Result<EventId> {
    EventId::parse(raw).map_err(Error::BadParameter)
}

fn respond(status: actix_web::http::StatusCode, event: &crate::domain::Event) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(etag(event.version))
        .json(EventView::from(event))
}

/// `POST /events`.
pub async fn create(engine: web::Data<Engine>, caller: Caller, Body(input): Body<EventInput>) -> Result<HttpResponse> {
    caller.operator()?;
    let event = run(&engine, move |e| {
        e.create_event(input.into_spec(&e.event_lookup(None))?)
    })
    .await?;
    let mut response = respond(actix_web::http::StatusCode::CREATED, &event);
    if let Ok(v) = header::HeaderValue::from_str(&format!("/api/v1/events/{}", event.id)) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

/// `GET /events/{id}`.
pub async fn get(engine: web::Data<Engine>, caller: Caller, path: web::Path<String>) -> Result<HttpResponse> {
    caller.operator()?;
    let id = event_id(&path)?;
    let event = run(&engine, move |e| e.event(id)).await?;
    Ok(respond(actix_web::http::StatusCode::OK, &event))
}

/// `PUT /events/{id}`.
pub async fn replace(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
    Body(input): Body<EventInput>,
) -> Result<HttpResponse> {
    caller.operator()?;
    let id = event_id(&path)?;
    let event = run(&engine, move |e| {
        e.update_event(id, if_match.0, |current| {
            input.into_spec(&e.event_lookup(Some(&current.spec)))
        })
    })
    .await?;
    Ok(respond(actix_web::http::StatusCode::OK, &event))
}

/// `PATCH /events/{id}`: a JSON merge patch.
pub async fn patch(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
    Body(patch): Body<serde_json::Value>,
) -> Result<HttpResponse> {
    caller.operator()?;
    let id = event_id(&path)?;
    let event = run(&engine, move |e| {
        e.update_event(id, if_match.0, |current| {
            patch_event(current, &patch, &e.event_lookup(Some(&current.spec)))
        })
    })
    .await?;
    Ok(respond(actix_web::http::StatusCode::OK, &event))
}

/// `DELETE /events/{id}`.
pub async fn delete(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse> {
    caller.operator()?;
    let id = event_id(&path)?;
    run(&engine, move |e| e.delete_event(id, if_match.0)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Query of `GET /events`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventQuery {
    cursor: Option<String>,
    limit: Option<usize>,
}

/// `GET /events`.
pub async fn list(engine: web::Data<Engine>, caller: Caller, query: web::Query<EventQuery>) -> Result<HttpResponse> {
    caller.operator()?;
    let q = query.into_inner();
    let limit = limit(q.limit, 50)?;
    let after = cursor::decode(q.cursor.as_deref(), EventId::parse)?;
    let page = run(&engine, move |e| e.list_events(after, limit)).await?;
    Ok(HttpResponse::Ok().json(ListResponse {
        items: page.items.iter().map(EventView::from).collect(),
        next_cursor: page.next_after.map(|id| cursor::encode(&id)),
    }))
}

/// `POST /events/{id}/preferences`: records one side's preference for a pair, replacing what
/// that side said before.
pub async fn add_preference(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
    Body(input): Body<PreferenceInput>,
) -> Result<HttpResponse> {
    caller.operator()?;
    let id = event_id(&path)?;
    let pref = input.parse()?;
    let event = run(&engine, move |e| {
        e.update_event(id, if_match.0, |current| {
            let mut spec = current.spec.clone();
            if !spec.needs.iter().any(|n| n.need == pref.need) {
                return Err(Error::field(
                    "need",
                    format!("need {} does not take part in the event", pref.need),
                ));
            }
            if !spec.experts.iter().any(|x| x.expert == pref.expert) {
                return Err(Error::field(
                    "expert",
                    format!("expert {} does not take part in the event", pref.expert),
                ));
            }
            spec.preferences
                .retain(|p| !(p.need == pref.need && p.expert == pref.expert && p.from == pref.from));
            if spec.preferences.len() >= crate::wire::limits::MAX_PREFERENCES {
                return Err(Error::field(
                    "preferences",
                    "the event holds the most preferences allowed",
                ));
            }
            spec.preferences.push(pref);
            Ok(spec)
        })
    })
    .await?;
    Ok(respond(actix_web::http::StatusCode::OK, &event))
}
