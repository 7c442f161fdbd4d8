//! Command line and environment: parsed once at start, with defaults that make `cargo run` work.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

/// talentbridge: matches overseas experts with enterprise needs.
#[derive(Debug, Parser)]
#[command(name = "talentbridge", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// What to do; `serve` when none is given.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service (the default).
    Serve(ServeArgs),
    /// Load an export (JSON lines) into an empty data directory; the service must be stopped.
    Import(ImportArgs),
    /// Write the whole store as JSON lines; the service must be stopped (sled locks its directory).
    Export(ExportArgs),
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Settings of the service.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "TALENTBRIDGE_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Directory of the sled store.
    #[arg(long, env = "TALENTBRIDGE_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Do not load the sample experts, needs and channels (the taxonomy always loads).
    #[arg(long)]
    pub no_seed: bool,
    /// Load the samples on first start (TALENTBRIDGE_SEED=false is the same as --no-seed).
    #[arg(long = "seed", env = "TALENTBRIDGE_SEED", action = ArgAction::Set, default_value_t = true, hide = true)]
    pub seed: bool,
    /// Log format.
    #[arg(long, env = "TALENTBRIDGE_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
    /// Operator bearer token; when unset, one is generated at first start, stored hashed and printed once.
    #[arg(long, env = "TALENTBRIDGE_OPERATOR_TOKEN", hide_env_values = true)]
    pub operator_token: Option<String>,
    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "TALENTBRIDGE_WORKERS")]
    pub workers: Option<usize>,
}

impl ServeArgs {
    /// Whether the sample records should be loaded on first start.
    pub fn load_samples(&self) -> bool {
        self.seed && !self.no_seed
    }

    /// Settings for tests and tools: a data directory, a fixed token, port 0 on loopback.
    pub fn for_dir(data_dir: PathBuf, operator_token: &str) -> ServeArgs {
        ServeArgs {
            addr: "127.0.0.1:0".into(),
            data_dir,
            no_seed: false,
            seed: true,
            log_format: LogFormat::Text,
            operator_token: Some(operator_token.to_string()),
            workers: Some(2),
        }
    }
}

/// Settings of `import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// Directory of the sled store (must hold no records).
    #[arg(long, env = "TALENTBRIDGE_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// The export to read; `-` for standard input.
    pub file: PathBuf,
}

/// Settings of `export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// Directory of the sled store.
    #[arg(long, env = "TALENTBRIDGE_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Where to write; standard output when absent.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}
