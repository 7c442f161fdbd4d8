//! Expert routes: public registration, and reads and writes by operators or the expert itself.

use actix_web::{http::header, web, HttpResponse};
use chrono::Utc;
use serde::Deserialize;

use super::query::{limit, opt, tag_filter};
use crate::domain::{
    expert_may_set_status, AuditAction, ChannelId, CountryCode, EngagementMode, ExpertId, ExpertStatus, LanguageCode,
    Problems, TagKind,
};
use crate::engine::{Engine, ExpertFilter};
use crate::error::{Error, Result};
use crate::http::{
    auth::Caller,
    blocking::run,
    body::Body,
    cursor,
    precondition::{etag, IfMatch},
};
use crate::wire::{patch_expert, ExpertInput, ExpertView, ListResponse, PersonalDataView, Registration};

fn expert_id(raw: &str) -> Result<ExpertId> {
    ExpertId::parse(raw).map_err(Error::BadParameter)
}

/// `POST /experts`: anyone registers; the token is shown once.
pub async fn register(engine: web::Data<Engine>, Body(input): Body<ExpertInput>) -> Result<HttpResponse> {
    let (expert, token) = run(&engine, move |e| {
        let (profile, consent) = input.into_profile(&*e.taxonomy(), true, Utc::now())?;
        let consent = consent.ok_or_else(|| Error::field("consent", "consent is required"))?;
        e.register_expert(profile, consent)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/experts/{}", expert.id)))
        .insert_header(etag(expert.version))
        .json(Registration {
            id: expert.id.to_string(),
            token,
            expert: ExpertView::from(&expert),
        }))
}

/// `GET /experts/{id}`.
pub async fn get(engine: web::Data<Engine>, caller: Caller, path: web::Path<String>) -> Result<HttpResponse> {
    let id = expert_id(&path)?;
    let principal = caller.operator_or_expert(id)?;
    let expert = run(&engine, move |e| {
        let expert = e.expert(id)?;
        if principal.is_operator() {
            e.audit(
                &principal.actor(),
                AuditAction::ContactsRead,
                format!("expert:{id}"),
                "GET /api/v1/experts/{id}",
            )?;
        }
        Ok(expert)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(expert.version))
        .json(ExpertView::from(&expert)))
}

/// `PUT /experts/{id}`: replaces the profile; status and consent stay unless consent is given.
pub async fn replace(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
    Body(input): Body<ExpertInput>,
) -> Result<HttpResponse> {
    let id = expert_id(&path)?;
    caller.operator_or_expert(id)?;
    let expert = run(&engine, move |e| {
        let taxonomy = e.taxonomy();
        e.update_expert(id, if_match.0, |current| {
            let (profile, consent) = input.into_profile(&*taxonomy, false, Utc::now())?;
            Ok((profile, current.status, consent))
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(expert.version))
        .json(ExpertView::from(&expert)))
}

/// `PATCH /experts/{id}`: a JSON merge patch over the profile and `status`.
pub async fn patch(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
    Body(patch): Body<serde_json::Value>,
) -> Result<HttpResponse> {
    let id = expert_id(&path)?;
    let principal = caller.operator_or_expert(id)?;
    let expert = run(&engine, move |e| {
        let taxonomy = e.taxonomy();
        e.update_expert(id, if_match.0, |current| {
            let (profile, status, consent) = patch_expert(current, &patch, &*taxonomy, Utc::now())?;
            if !principal.is_operator() && !expert_may_set_status(current.status, status) {
                return Err(Error::Forbidden(format!(
                    "an expert cannot change its status from {} to {status}",
                    current.status
                )));
            }
            Ok((profile, status, consent))
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(expert.version))
        .json(ExpertView::from(&expert)))
}

/// `DELETE /experts/{id}`.
pub async fn delete(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse> {
    let id = expert_id(&path)?;
    let principal = caller.operator_or_expert(id)?;
    run(&engine, move |e| {
        e.delete_expert(id, if_match.0)?;
        e.audit(
            &principal.actor(),
            AuditAction::Erasure,
            format!("expert:{id}"),
            "DELETE /api/v1/experts/{id}",
        )
        .map(|_| ())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Query of `GET /experts`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpertQuery {
    tag: Option<String>,
    sector: Option<String>,
    country: Option<String>,
    mode: Option<String>,
    language: Option<String>,
    status: Option<String>,
    channel: Option<String>,
    cursor: Option<String>,
    limit: Option<usize>,
}

/// `GET /experts`: operators list with filters and a cursor.
pub async fn list(engine: web::Data<Engine>, caller: Caller, query: web::Query<ExpertQuery>) -> Result<HttpResponse> {
    let me = caller.operator()?;
    let q = query.into_inner();
    let limit = limit(q.limit, 50)?;
    let after = cursor::decode(q.cursor.as_deref(), ExpertId::parse)?;
    let page = run(&engine, move |e| {
        let taxonomy = e.taxonomy();
        let mut p = Problems::new();
        let tag = tag_filter(&mut p, &taxonomy, "tag", q.tag.as_deref(), None);
        let sector = tag_filter(&mut p, &taxonomy, "sector", q.sector.as_deref(), Some(TagKind::Sector));
        let country = opt(&mut p, "country", q.country.as_deref(), CountryCode::parse);
        let mode = opt(&mut p, "mode", q.mode.as_deref(), EngagementMode::parse);
        let language = opt(&mut p, "language", q.language.as_deref(), LanguageCode::parse);
        let status = opt(&mut p, "status", q.status.as_deref(), ExpertStatus::parse);
        let channel = opt(&mut p, "channel", q.channel.as_deref(), ChannelId::parse);
        let filter = p.finish(|| {
            Some(ExpertFilter {
                tag: tag?,
                sector: sector?,
                country: country?,
                mode: mode?,
                language: language?,
                status: status?,
                channel: channel?,
            })
        })?;
        let page = e.list_experts(&filter, after, limit)?;
        let shown = page.items.iter().map(|x| format!("expert:{}", x.id)).collect();
        e.audit_each(&me.actor(), AuditAction::ContactsRead, shown, "GET /api/v1/experts")?;
        Ok(page)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ListResponse {
        items: page.items.iter().map(ExpertView::from).collect(),
        next_cursor: page.next_after.map(|id| cursor::encode(&id)),
    }))
}

/// `DELETE /experts/{id}/consent`: the expert (or an operator for it) withdraws consent; the
/// expert leaves matching at once. Consent is given again with PUT or PATCH and a `consent` member.
pub async fn withdraw_consent(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse> {
    let id = expert_id(&path)?;
    let principal = caller.operator_or_expert(id)?;
    let expert = run(&engine, move |e| e.withdraw_consent(id, if_match.0, &principal.actor())).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(expert.version))
        .json(ExpertView::from(&expert)))
}

/// `GET /experts/{id}/export`: everything stored about the expert, for the expert (or an
/// operator acting on its request); audited.
pub async fn export(engine: web::Data<Engine>, caller: Caller, path: web::Path<String>) -> Result<HttpResponse> {
    let id = expert_id(&path)?;
    let principal = caller.operator_or_expert(id)?;
    let data = run(&engine, move |e| e.personal_data(id, &principal.actor())).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"talentbridge-expert-{id}.json\""),
        ))
        .json(PersonalDataView::new(&data)))
}
