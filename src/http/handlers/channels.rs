//! Channel routes: the partners abroad that bring experts.

use actix_web::{http::header, web, HttpResponse};
use chrono::Utc;
use serde::Serialize;

use crate::domain::ChannelId;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::http::{auth::Caller, blocking::run, body::Body};
use crate::wire::{patch_channel, ChannelInput, ChannelView};

/// The channel list.
#[derive(Debug, Serialize)]
struct ChannelList {
    items: Vec<ChannelView>,
}

/// `GET /channels`.
pub async fn list(engine: web::Data<Engine>, caller: Caller) -> Result<HttpResponse> {
    caller.operator()?;
    let channels = run(&engine, |e| e.channels()).await?;
    Ok(HttpResponse::Ok().json(ChannelList {
        items: channels.iter().map(ChannelView::from).collect(),
    }))
}

/// `GET /channels/{id}`.
pub async fn get(engine: web::Data<Engine>, caller: Caller, path: web::Path<String>) -> Result<HttpResponse> {
    caller.operator()?;
    let id = ChannelId::parse(&path).map_err(Error::BadParameter)?;
    let channel = run(&engine, move |e| e.channel(&id)).await?;
    Ok(HttpResponse::Ok().json(ChannelView::from(&channel)))
}

/// `POST /channels`.
pub async fn create(
    engine: web::Data<Engine>,
    caller: Caller,
    Body(input): Body<ChannelInput>,
) -> Result<HttpResponse> {
    caller.operator()?;
    let channel = input.into_channel(Utc::now())?;
    let channel = run(&engine, move |e| e.add_channel(channel)).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/channels/{}", channel.id)))
        .json(ChannelView::from(&channel)))
}

/// `PUT /channels/{id}`: replaces a channel (same id).
pub async fn replace(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    Body(input): Body<ChannelInput>,
) -> Result<HttpResponse> {
    caller.operator()?;
    let id = ChannelId::parse(&path).map_err(Error::BadParameter)?;
    let channel = run(&engine, move |e| {
        e.update_channel(&id, |current| input.into_channel(current.created_at))
    })
    .await?;
    Ok(HttpResponse::Ok().json(ChannelView::from(&channel)))
}

/// `PATCH /channels/{id}`: a JSON merge patch of a channel.
pub async fn patch(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    Body(patch): Body<serde_json::Value>,
) -> Result<HttpResponse> {
    caller.operator()?;
    let id = ChannelId::parse(&path).map_err(Error::BadParameter)?;
    let channel = run(&engine, move |e| {
        e.update_channel(&id, |current| patch_channel(current, &patch))
    })
    .await?;
    Ok(HttpResponse::Ok().json(ChannelView::from(&channel)))
}
