//! The audit log route: operators read who read contacts, exported, released, erased or changed
//! tokens, newest last.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::query::{limit, opt};
use crate::domain::{AuditAction, Problems};
use crate::engine::{AuditFilter, Engine};
use crate::error::Result;
use crate::http::{auth::Caller, blocking::run, cursor};
use crate::wire::ListResponse;

/// Query of `GET /audit`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    target: Option<String>,
    since: Option<String>,
    until: Option<String>,
    cursor: Option<String>,
    limit: Option<usize>,
}

fn instant(raw: &str) -> std::result::Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("{raw:?} is not an RFC 3339 time such as 2026-11-21T08:00:00Z"))
}

fn sequence(raw: &str) -> std::result::Result<u64, String> {
    raw.parse().map_err(|_| "not a cursor of this list".to_string())
}

/// `GET /audit`.
pub async fn list(engine: web::Data<Engine>, caller: Caller, query: web::Query<AuditQuery>) -> Result<HttpResponse> {
    caller.operator()?;
    let q = query.into_inner();
    let limit = limit(q.limit, 100)?;
    let after = cursor::decode(q.cursor.as_deref(), sequence)?;
    let mut p = Problems::new();
    let action = opt(&mut p, "action", q.action.as_deref(), AuditAction::parse);
    let since = opt(&mut p, "since", q.since.as_deref(), instant);
    let until = opt(&mut p, "until", q.until.as_deref(), instant);
    let filter = p.finish(|| {
        Some(AuditFilter {
            actor: q.actor.clone(),
            action: action?,
            target: q.target.clone(),
            since: since?,
            until: until?,
        })
    })?;
    let page = run(&engine, move |e| e.audit_log(&filter, after, limit)).await?;
    Ok(HttpResponse::Ok().json(ListResponse {
        items: page.items,
        next_cursor: page.next_after.map(|seq| cursor::encode(&seq)),
    }))
}
