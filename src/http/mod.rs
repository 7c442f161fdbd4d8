//! The HTTP layer (actix-web): routes, auth, bodies, one error mapping, telemetry. Never reaches past `engine`.

pub mod auth;
pub mod blocking;
pub mod body;
pub mod cursor;
pub mod error;
pub mod handlers;
pub mod metrics;
pub mod observe;
pub mod precondition;
pub mod rate_limit;
pub mod upload;
mod routes;

pub use routes::{not_found, routes, ROUTES};
