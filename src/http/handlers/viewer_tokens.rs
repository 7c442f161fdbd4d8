//! Viewer token routes: operators make, list and revoke the tokens that read one event's
//! anonymised shortlists and schedule.

use actix_web::{web, HttpResponse};

use super::events::event_id;
use crate::domain::TokenName;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::http::{auth::Caller, blocking::run, body::Body};
use crate::wire::{ViewerTokenCreated, ViewerTokenInput, ViewerTokenList, ViewerTokenView};

/// `POST /events/{id}/viewer-tokens`: the token is shown once.
pub async fn create(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    Body(input): Body<ViewerTokenInput>,
) -> Result<HttpResponse> {
    let me = caller.operator()?;
    let id = event_id(&path)?;
    let (name, expires_at) = input.parse()?;
    let (token, record) = run(&engine, move |e| {
        e.create_viewer_token(id, name, expires_at, &me.actor())
    })
    .await?;
    Ok(HttpResponse::Created().json(ViewerTokenCreated::new(token, &record)))
}

/// `GET /events/{id}/viewer-tokens`: without secrets, revoked ones included.
pub async fn list(engine: web::Data<Engine>, caller: Caller, path: web::Path<String>) -> Result<HttpResponse> {
    caller.operator()?;
    let id = event_id(&path)?;
    let tokens = run(&engine, move |e| e.viewer_tokens(id)).await?;
    Ok(HttpResponse::Ok().json(ViewerTokenList {
        items: tokens.iter().map(ViewerTokenView::from).collect(),
    }))
}

/// `DELETE /events/{id}/viewer-tokens/{name}`: the token stops working with the next request.
pub async fn revoke(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    let me = caller.operator()?;
    let (raw_id, raw_name) = path.into_inner();
    let id = event_id(&raw_id)?;
    let name = TokenName::parse(&raw_name).map_err(Error::BadParameter)?;
    run(&engine, move |e| {
        e.event(id)?;
        e.revoke_viewer_token(id, &name, &me.actor())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
