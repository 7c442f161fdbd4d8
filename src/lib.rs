//! talentbridge: matches overseas experts with the technology and talent needs of enterprises.
//!
//! Layers point one way: `http` → `engine` → `store`, with `domain` and `error` used by all;
//! `wire` holds the JSON shapes of `schemas/`; `seed`, `cli`, `bench` and `startup` drive the engine.

pub mod bench;
pub mod cli;
pub mod config;
pub mod domain;
pub mod engine;
pub mod error;
pub mod http;
pub mod seed;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod wire;

pub use error::{Error, Result};
