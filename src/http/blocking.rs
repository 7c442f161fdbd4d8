//! Runs engine calls on actix's blocking pool: they read sled and flush to disk.

use actix_web::web;

use crate::engine::Engine;
use crate::error::{Error, Result};

/// Calls `f` with the engine on the blocking pool.
pub async fn run<T: Send + 'static>(
    engine: &web::Data<Engine>,
    f: impl FnOnce(&Engine) -> Result<T> + Send + 'static,
) -> Result<T> {
    let engine = engine.clone().into_inner();
    web::block(move || f(&engine))
        .await
        .map_err(|e| Error::Internal(format!("blocking task failed: {e}")))?
}
