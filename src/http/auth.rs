//! Who is calling: the bearer token turned into a principal, and the checks handlers make with it
//! (the access fence in `access.rs` checks every route before its handler).

use std::future::{ready, Ready};

use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};

use crate::domain::{EventId, ExpertId};
use crate::engine::{Engine, Principal};
use crate::error::{Error, Result};

/// The routes a viewer token may call (with GET), each for its own event only.
pub const VIEWER_ROUTES: &[&str] = &["/api/v1/events/{id}/shortlists", "/api/v1/events/{id}/schedule"];

const VIEWER_SCOPE: &str = "a viewer token reads its own event's shortlists and schedule only";

/// The caller: nobody, or the principal its token belongs to. A token that matches no one is refused here.
#[derive(Debug, Clone)]
pub struct Caller(pub Option<Principal>);

fn unauthorized(what: &str) -> Error {
    Error::Unauthorized(format!("this needs {what} (Authorization: Bearer ...)"))
}

impl Caller {
    /// Only operators; returns the operator, whose `actor()` names it in the audit log.
    pub fn operator(&self) -> Result<Principal> {
        match &self.0 {
            Some(p @ Principal::Operator(_)) => Ok(p.clone()),
            Some(Principal::Expert(_)) => Err(Error::Forbidden("this needs an operator token".into())),
            Some(Principal::Viewer(..)) => Err(Error::Forbidden(VIEWER_SCOPE.into())),
            None => Err(unauthorized("an operator token")),
        }
    }

    /// Operators, or the expert `id` itself.
    pub fn operator_or_expert(&self, id: ExpertId) -> Result<Principal> {
        match &self.0 {
            Some(p @ Principal::Operator(_)) => Ok(p.clone()),
            Some(Principal::Expert(me)) if *me == id => Ok(Principal::Expert(*me)),
            Some(Principal::Expert(_)) => Err(Error::Forbidden(
                "an expert token gives access to its own profile only".into(),
            )),
            Some(Principal::Viewer(..)) => Err(Error::Forbidden(VIEWER_SCOPE.into())),
            None => Err(unauthorized("the expert's token or an operator token")),
        }
    }

    /// Operators, or a viewer of `event` (given as parsed from the path: the caller is checked
    /// before the id, so that nobody learns which ids are well-formed without a token). Returns the
    /// principal and the event; a viewer (`Principal::is_viewer`) must be shown anonymised data only.
    pub fn reader_of(&self, event: Result<EventId>) -> Result<(Principal, EventId)> {
        let principal = match &self.0 {
            Some(p @ (Principal::Operator(_) | Principal::Viewer(..))) => p.clone(),
            Some(Principal::Expert(_)) => {
                return Err(Error::Forbidden("this needs an operator or viewer token".into()))
            }
            None => return Err(unauthorized("an operator or viewer token")),
        };
        let event = event?;
        match &principal {
            Principal::Viewer(own, _) if *own != event => {
                Err(Error::Forbidden("a viewer token reads its own event only".into()))
            }
            _ => Ok((principal, event)),
        }
    }
}

fn bearer(req: &HttpRequest) -> Result<Option<&str>> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 200)
        .map(Some)
        .ok_or_else(|| Error::Unauthorized("the Authorization header must be `Bearer <token>`".into()))
}

/// The caller of a request: its bearer token authenticated (401 when it matches no one).
pub(super) fn caller_of(req: &HttpRequest) -> Result<Caller> {
    let Some(token) = bearer(req)? else {
        return Ok(Caller(None));
    };
    let engine = req
        .app_data::<web::Data<Engine>>()
        .ok_or_else(|| Error::Internal("engine missing from app data".into()))?;
    match engine.authenticate(token)? {
        Some(p) => Ok(Caller(Some(p))),
        None => Err(Error::Unauthorized("the token is not valid".into())),
    }
}

impl FromRequest for Caller {
    type Error = Error;
    type Future = Ready<Result<Self>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        // The access fence authenticated the token already; reuse its answer.
        if let Some(known) = req.extensions().get::<Caller>() {
            return ready(Ok(known.clone()));
        }
        ready(caller_of(req))
    }
}
