//! Thin handlers: extract, convert to domain types, one engine call, respond.

pub mod audit;
pub mod channels;
pub mod docs;
mod download;
pub mod events;
pub mod experts;
pub mod health;
pub mod intake;
pub mod introductions;
pub mod matches;
pub mod metrics;
pub mod needs;
mod query;
pub mod reports;
pub mod schedule;
pub mod tags;
pub mod viewer_tokens;
