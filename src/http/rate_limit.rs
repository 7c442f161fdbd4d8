//! Per-client rate limits on the public routes that cost the most to abuse: registration, and tag
//! search and resolution. A GCRA limiter (`governor`) per client IP address; over the limit, 429
//! `rate_limited` with `Retry-After`. Off when a limit is 0 (as in tests).

use std::net::IpAddr;
use std::num::NonZeroU32;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::error::problem_response;

/// Clients remembered before idle ones are forgotten (their buckets are full again anyway).
const FORGET_IDLE_AFTER: usize = 10_000;

/// The limited groups of routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    /// `POST /api/v1/experts`.
    Registration,
    /// `GET /api/v1/tags`, `POST /api/v1/tags/resolve`.
    Search,
}

fn group(method: &Method, pattern: &str) -> Option<Group> {
    match (method.as_str(), pattern) {
        ("POST", "/api/v1/experts") => Some(Group::Registration),
        ("GET", "/api/v1/tags") | ("POST", "/api/v1/tags/resolve") => Some(Group::Search),
        _ => None,
    }
}

/// The limiters of the service, shared by its workers through app data.
pub struct RateLimits {
    registration: Option<DefaultKeyedRateLimiter<IpAddr>>,
    search: Option<DefaultKeyedRateLimiter<IpAddr>>,
    clock: DefaultClock,
}

fn limiter(per_minute: u32) -> Option<DefaultKeyedRateLimiter<IpAddr>> {
    // A burst of the whole minute's allowance, refilled evenly: a person filling in a form or
    // typing into an autocomplete never meets the limit, a script soon does.
    NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n)))
}

impl RateLimits {
    /// Limits of `registration` and `search` requests per client per minute; 0 turns one off.
    pub fn new(registration: u32, search: u32) -> RateLimits {
        RateLimits {
            registration: limiter(registration),
            search: limiter(search),
            clock: DefaultClock::default(),
        }
    }

    /// None when the client may go on, else the whole seconds it should wait (at least 1).
    fn check(&self, group: Group, client: IpAddr) -> Option<u64> {
        let limiter = match group {
            Group::Registration => self.registration.as_ref(),
            Group::Search => self.search.as_ref(),
        }?;
        let outcome = limiter.check_key(&client);
        if limiter.len() > FORGET_IDLE_AFTER {
            limiter.retain_recent();
        }
        outcome.err().map(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
        })
    }
}

/// The middleware function, mounted with `actix_web::middleware::from_fn`. The client is the peer
/// address of the connection: behind a reverse proxy, limit at the proxy instead.
pub async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let wait = match (
        req.match_pattern().and_then(|p| group(req.method(), &p)),
        req.peer_addr(),
        req.app_data::<web::Data<RateLimits>>(),
    ) {
        (Some(g), Some(peer), Some(limits)) => limits.check(g, peer.ip()),
        _ => None,
    };
    if let Some(seconds) = wait {
        let mut res = problem_response(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "Too many requests",
            format!("too many requests from this client; try again in {seconds} s"),
        );
        res.headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        return Ok(req.into_response(res));
    }
    next.call(req).await.map(ServiceResponse::map_into_boxed_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
    const OTHER: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 2));

    #[test]
    fn a_client_over_its_allowance_is_told_how_long_to_wait() {
        let limits = RateLimits::new(2, 0);
        assert_eq!(limits.check(Group::Registration, CLIENT), None);
        assert_eq!(limits.check(Group::Registration, CLIENT), None);
        let wait = limits.check(Group::Registration, CLIENT).expect("the third is refused");
        assert!((1..=30).contains(&wait), "{wait}");
    }

    #[test]
    fn clients_are_limited_one_by_one() {
        let limits = RateLimits::new(1, 1);
        assert_eq!(limits.check(Group::Search, CLIENT), None);
        assert!(limits.check(Group::Search, CLIENT).is_some());
        assert_eq!(limits.check(Group::Search, OTHER), None);
    }

    #[test]
    fn a_limit_of_zero_is_off() {
        let limits = RateLimits::new(0, 0);
        for _ in 0..1000 {
            assert_eq!(limits.check(Group::Registration, CLIENT), None);
        }
    }

    #[test]
    fn only_registration_and_tag_search_are_limited() {
        assert_eq!(group(&Method::POST, "/api/v1/experts"), Some(Group::Registration));
        assert_eq!(group(&Method::GET, "/api/v1/tags"), Some(Group::Search));
        assert_eq!(group(&Method::POST, "/api/v1/tags/resolve"), Some(Group::Search));
        assert_eq!(group(&Method::GET, "/api/v1/experts"), None);
        assert_eq!(group(&Method::POST, "/api/v1/tags"), None);
        assert_eq!(group(&Method::GET, "/api/v1/tags/{id}"), None);
    }
}
