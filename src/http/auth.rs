//! Who is calling: the bearer token turned into a principal, and the checks handlers make with it.

use std::future::{ready, Ready};

use actix_web::{http::header, web, FromRequest, HttpRequest};

use crate::domain::ExpertId;
use crate::engine::{Engine, Principal};
use crate::error::{Error, Result};

/// The caller: nobody, an operator, or one expert. A token that matches no one is refused here.
#[derive(Debug, Clone, Copy)]
pub struct Caller(pub Option<Principal>);

impl Caller {
    /// Only operators.
    pub fn operator(&self) -> Result<()> {
        match self.0 {
            Some(Principal::Operator) => Ok(()),
            Some(Principal::Expert(_)) => Err(Error::Forbidden("this needs an operator token".into())),
            None => Err(Error::Unauthorized(
                "this needs an operator token (Authorization: Bearer ...)".into(),
            )),
        }
    }

    /// Operators, or the expert `id` itself.
    pub fn operator_or_expert(&self, id: ExpertId) -> Result<Principal> {
        match self.0 {
            Some(Principal::Operator) => Ok(Principal::Operator),
            Some(Principal::Expert(me)) if me == id => Ok(Principal::Expert(me)),
            Some(Principal::Expert(_)) => Err(Error::Forbidden(
                "an expert token gives access to its own profile only".into(),
            )),
            None => Err(Error::Unauthorized(
                "this needs the expert's token or an operator token".into(),
            )),
        }
    }
}

fn caller(req: &HttpRequest) -> Result<Caller> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(Caller(None));
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 200)
        .ok_or_else(|| Error::Unauthorized("the Authorization header must be `Bearer <token>`".into()))?;
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
        ready(caller(req))
    }
}
