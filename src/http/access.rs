//! The access fence: who may call each route, checked once for every request before any handler
//! or body reader runs, so that a caller without the right token learns nothing about the body
//! it sent (401 without a valid token, 403 with one of the wrong kind). Handlers check again.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, ResponseError};

use super::auth::{caller_of, VIEWER_ROUTES};
use super::error::problem_response;
use crate::domain::{EventId, ExpertId};
use crate::engine::Principal;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, without a token (viewer tokens excepted: they are fenced to their routes).
    Public,
    /// Operators, or the expert whose id is in the path.
    OwnExpert,
    /// Operators, or a viewer of the event in the path.
    EventReader,
    /// Operators only.
    Operator,
}

const PUBLIC: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/{file:.*}"),
    ("GET", "/api/v1/tags"),
    ("POST", "/api/v1/tags/resolve"),
    ("GET", "/api/v1/tags/{id}"),
    ("POST", "/api/v1/experts"),
];

const OWN_EXPERT: &[(&str, &str)] = &[
    ("GET", "/api/v1/experts/{id}"),
    ("PUT", "/api/v1/experts/{id}"),
    ("PATCH", "/api/v1/experts/{id}"),
    ("DELETE", "/api/v1/experts/{id}"),
    ("GET", "/api/v1/experts/{id}/matches"),
    ("DELETE", "/api/v1/experts/{id}/consent"),
    ("GET", "/api/v1/experts/{id}/export"),
];

/// The rule of a route (as the router's pattern); None for paths no route matches.
pub fn rule(method: &str, pattern: &str) -> Option<Access> {
    if PUBLIC.contains(&(method, pattern)) {
        Some(Access::Public)
    } else if OWN_EXPERT.contains(&(method, pattern)) {
        Some(Access::OwnExpert)
    } else if method == "GET" && VIEWER_ROUTES.contains(&pattern) {
        Some(Access::EventReader)
    } else if pattern.starts_with("/api/v1/") {
        Some(Access::Operator)
    } else {
        None
    }
}

/// The id after `/{segment}/` in a path.
fn id_after(path: &str, segment: &str) -> Option<String> {
    let mut parts = path.split('/');
    parts.by_ref().find(|p| *p == segment)?;
    parts.next().map(str::to_string)
}

fn allowed(access: Access, principal: &Principal, path: &str) -> bool {
    match (access, principal) {
        (Access::Public, Principal::Viewer(..)) => false,
        (Access::Public, _) | (_, Principal::Operator(_)) => true,
        (Access::OwnExpert, Principal::Expert(me)) => {
            id_after(path, "experts").and_then(|raw| ExpertId::parse(&raw).ok()) == Some(*me)
        }
        (Access::EventReader, Principal::Viewer(event, _)) => {
            id_after(path, "events").and_then(|raw| EventId::parse(&raw).ok()) == Some(*event)
        }
        _ => false,
    }
}

fn forbidden(req: ServiceRequest, detail: &str) -> ServiceResponse<BoxBody> {
    req.into_response(problem_response(
        StatusCode::FORBIDDEN,
        "forbidden",
        "Forbidden",
        detail.to_string(),
    ))
}

/// Refuses a request whose token may not call the matched route; passes the principal on to the
/// handler's `Caller` so that the token is checked once.
pub async fn access_fence(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> std::result::Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(access) = req.match_pattern().and_then(|p| rule(req.method().as_str(), &p)) else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    let caller = match caller_of(req.request()) {
        Ok(c) => c,
        Err(e) => return Ok(req.into_response(e.error_response())),
    };
    let path = req.path().to_string();
    match (&caller.0, access) {
        (None, Access::Public) => {}
        (None, _) => {
            let e = crate::error::Error::Unauthorized("this route needs a token (Authorization: Bearer ...)".into());
            return Ok(req.into_response(e.error_response()));
        }
        (Some(p), access) if !allowed(access, p, &path) => {
            let detail = match (p, access) {
                (Principal::Viewer(..), _) => "a viewer token reads its own event's shortlists and schedule only",
                (Principal::Expert(_), Access::OwnExpert) => "an expert token gives access to its own profile only",
                _ => "this token may not call this route",
            };
            return Ok(forbidden(req, detail));
        }
        _ => {}
    }
    req.extensions_mut().insert(caller);
    next.call(req).await.map(ServiceResponse::map_into_boxed_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_of_the_table_has_a_rule() {
        for (method, route) in crate::http::ROUTES {
            let pattern = if *route == "/docs/" { "/docs/{file:.*}" } else { route };
            assert!(rule(method, pattern).is_some(), "{method} {route}");
        }
    }

    #[test]
    fn ids_are_read_from_their_segment() {
        assert_eq!(
            id_after("/api/v1/experts/abc/matches", "experts").as_deref(),
            Some("abc")
        );
        assert_eq!(id_after("/api/v1/events/e1/schedule", "events").as_deref(), Some("e1"));
        assert_eq!(id_after("/api/v1/needs", "experts"), None);
    }
}
