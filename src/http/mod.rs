//! The HTTP layer (actix-web): routes, auth, bodies, one error mapping, telemetry. Never reaches past `engine`.

pub mod access;
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
mod routes;
pub mod upload;

pub use routes::{not_found, routes, ROUTES};
