//! talentbridge: matches overseas experts with the technology and talent needs of enterprises.
//!
//! Layers point one way: `http` → `engine` → `store`, with `domain` and `error` used by all;
//! `wire` holds the JSON shapes of `schemas/`, `seed` and `cli` drive the engine at start.

pub mod domain;
pub mod engine;
pub mod error;
pub mod store;
pub mod wire;

pub use error::{Error, Result};
