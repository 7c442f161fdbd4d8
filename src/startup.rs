//! Builds the service on a `TcpListener` (port 0 in tests), and runs it until SIGTERM or Ctrl-C.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::http::KeepAlive;
use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App, HttpServer};

use crate::config::ServeArgs;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::http::access::access_fence;
use crate::http::error::{path_error, query_error};
use crate::http::metrics::Metrics;
use crate::http::observe::observe;
use crate::http::rate_limit::{rate_limit, RateLimits};
use crate::store::Store;

/// A built, listening service.
pub struct Application {
    port: u16,
    server: Server,
    engine: web::Data<Engine>,
}

/// Opens the store and engine, loads the taxonomy and (first start) the samples.
/// Returns the engine and a generated operator token, if one was made.
pub fn open_engine(args: &ServeArgs) -> Result<(Engine, Option<String>)> {
    let store = Store::open(&args.data_dir)?;
    let fresh = store.is_empty();
    let (engine, generated) = Engine::open(store, args.operator_token.clone())?;
    let added = crate::seed::load_taxonomy(&engine)?;
    tracing::info!(added, total = engine.taxonomy().len(), "taxonomy loaded");
    if args.load_samples() && fresh && !engine.samples_seeded()? {
        let c = crate::seed::load_samples(&engine)?;
        tracing::info!(
            channels = c.channels,
            experts = c.experts,
            needs = c.needs,
            events = c.events,
            "samples seeded"
        );
    }
    Ok((engine, generated))
}

impl Application {
    /// Opens everything and binds `args.addr`.
    pub fn build(args: &ServeArgs) -> Result<Application> {
        let (engine, generated) = open_engine(args)?;
        if let Some(token) = generated {
            eprintln!("\ntalentbridge generated an operator token; it is stored hashed and shown only this once:\n\n    {token}\n");
        }
        let listener = TcpListener::bind(&args.addr)
            .map_err(|e| Error::Internal(format!("cannot listen on {}: {e}", args.addr)))?;
        Application::serve(engine, listener, args)
    }

    fn serve(engine: Engine, listener: TcpListener, args: &ServeArgs) -> Result<Application> {
        let port = listener
            .local_addr()
            .map_err(|e| Error::Internal(e.to_string()))?
            .port();
        let engine = web::Data::new(engine);
        let metrics = web::Data::new(Metrics::new().map_err(|e| Error::Internal(e.to_string()))?);
        let limits = web::Data::new(RateLimits::new(args.rate_limit_registration, args.rate_limit_search));
        let data = engine.clone();
        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(access_fence))
                .wrap(from_fn(rate_limit))
                .wrap(Compress::default())
                .wrap(from_fn(observe))
                .app_data(data.clone())
                .app_data(metrics.clone())
                .app_data(limits.clone())
                .app_data(web::QueryConfig::default().error_handler(query_error))
                .app_data(web::PathConfig::default().error_handler(path_error))
                .configure(crate::http::routes)
                .default_service(web::to(crate::http::not_found))
        })
        .shutdown_timeout(10)
        // A client that trickles its headers, or holds an idle connection, does not keep a worker's
        // connection slot for long.
        .client_request_timeout(Duration::from_secs(args.request_timeout_secs))
        .keep_alive(match args.keep_alive_secs {
            0 => KeepAlive::Disabled,
            n => KeepAlive::Timeout(Duration::from_secs(n)),
        });
        if let Some(n) = args.workers {
            server = server.workers(n.max(1));
        }
        let server = server
            .listen(listener)
            .map_err(|e| Error::Internal(e.to_string()))?
            .run();
        Ok(Application { port, server, engine })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until stopped (SIGTERM, SIGINT), then flushes the store.
    pub async fn run_until_stopped(self) -> Result<()> {
        let served = self.server.await;
        self.engine.flush()?;
        tracing::info!("store flushed, stopped");
        served.map_err(|e| Error::Internal(e.to_string()))
    }
}
