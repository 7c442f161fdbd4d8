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
    /// Time the matching engine on a synthetic pool (or an export) and print the figures as JSON.
    Bench(BenchArgs),
    /// Import experts or needs from a spreadsheet (CSV) or JSON lines, with the service stopped; prints
    /// the per-row report as JSON.
    Intake(IntakeArgs),
    /// Create, list or revoke named operator tokens; the service must be stopped.
    Token(TokenArgs),
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
    /// Registrations (POST /api/v1/experts) one client IP may send per minute; 0 turns the limit off.
    #[arg(long, env = "TALENTBRIDGE_RATE_LIMIT_REGISTRATION", default_value_t = 30)]
    pub rate_limit_registration: u32,
    /// Tag searches and resolutions (GET /api/v1/tags, POST /api/v1/tags/resolve) one client IP may
    /// send per minute; 0 turns the limit off.
    #[arg(long, env = "TALENTBRIDGE_RATE_LIMIT_SEARCH", default_value_t = 120)]
    pub rate_limit_search: u32,
    /// Seconds a client has to send a request's headers before it is answered 408 and dropped.
    #[arg(long, env = "TALENTBRIDGE_REQUEST_TIMEOUT", default_value_t = 10, value_parser = positive_u64)]
    pub request_timeout_secs: u64,
    /// Seconds an idle keep-alive connection is kept open; 0 closes each connection after one request.
    #[arg(long, env = "TALENTBRIDGE_KEEP_ALIVE", default_value_t = 15)]
    pub keep_alive_secs: u64,
}

impl BenchArgs {
    /// Synthetic experts of the scoring bench.
    pub fn pool_size(&self) -> usize {
        self.experts.unwrap_or(100_000)
    }
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
            // Tests send bursts from one address: no rate limits unless a test turns them on.
            rate_limit_registration: 0,
            rate_limit_search: 0,
            request_timeout_secs: 10,
            keep_alive_secs: 15,
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

/// What an intake file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IntakeKind {
    /// Expert profiles.
    Experts,
    /// Enterprise needs.
    Needs,
}

/// Settings of `intake`.
#[derive(Debug, Clone, Args)]
pub struct IntakeArgs {
    /// What the file holds.
    #[arg(value_enum)]
    pub kind: IntakeKind,
    /// The file: CSV or JSON lines (told by its extension unless --format is given); `-` for standard input.
    pub file: PathBuf,
    /// Report what would be done, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// csv or jsonl.
    #[arg(long)]
    pub format: Option<String>,
    /// auto (UTF-8 when valid, else GB18030), utf-8 or gb18030.
    #[arg(long, default_value = "auto")]
    pub encoding: String,
    /// A JSON file mapping column headers to fields: {"Column header": "field"}.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// The consent text version the base attests it holds, for expert rows that carry none.
    #[arg(long)]
    pub consent_version: Option<String>,
    /// The status of rows that give none.
    #[arg(long)]
    pub status: Option<String>,
    /// Rows written per transaction and flush.
    #[arg(long, default_value_t = 500, value_parser = positive)]
    pub batch_size: usize,
    /// Directory of the sled store.
    #[arg(long, env = "TALENTBRIDGE_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
}

fn positive_u64(raw: &str) -> Result<u64, String> {
    match raw.parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("{raw:?} is not a positive whole number")),
    }
}

/// Settings of `token`.
#[derive(Debug, Clone, Args)]
pub struct TokenArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: TokenAction,
    /// Directory of the sled store.
    #[arg(long, env = "TALENTBRIDGE_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
}

/// What `token` does.
#[derive(Debug, Clone, Subcommand)]
pub enum TokenAction {
    /// Make a named operator token and print it once (only its hash is stored).
    Create {
        /// The operator's name: letters, digits, '-', '_' or '.'.
        #[arg(long)]
        name: String,
    },
    /// List the named operator tokens (names and dates, never secrets).
    List,
    /// Revoke a named operator token: it stops working at once.
    Revoke {
        /// The operator's name.
        #[arg(long)]
        name: String,
    },
}

fn positive(raw: &str) -> Result<usize, String> {
    match raw.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("{raw:?} is not a positive whole number")),
    }
}

/// Settings of `bench`.
#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// Synthetic experts to generate (ignored with --data); default 100000, or 300 for --schedule-slots.
    #[arg(long)]
    pub experts: Option<usize>,
    /// Needs to time: generated (200 when absent), or the first N of --data (all when absent).
    #[arg(long, value_parser = positive)]
    pub needs: Option<usize>,
    /// Matches per need.
    #[arg(long, default_value_t = 20, value_parser = positive)]
    pub k: usize,
    /// Timed passes over the needs; figures are the median and p95 over all of them.
    #[arg(long, default_value_t = 10, value_parser = positive)]
    pub runs: usize,
    /// Threads of the batch figure (default: one per core).
    #[arg(long, value_parser = positive)]
    pub threads: Option<usize>,
    /// An export of `talentbridge export` (or a directory of .jsonl exports) to use instead of a synthetic pool.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Seed of the synthetic pool.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Instead of timing, write the synthetic pool (taxonomy, experts, needs) as an export to this file,
    /// for `talentbridge import` and a timed cold start of `serve`.
    #[arg(long)]
    pub write_export: Option<PathBuf>,
    /// Instead of timing, write the engine's top `--k` for every need (JSON lines, need order) to this
    /// file, to check another tool run on the same data (`tools/baselines/numpy_scipy.py --check`).
    #[arg(long)]
    pub write_top: Option<PathBuf>,
    /// Experts kept for the scalar reference; for larger pools its time is scaled linearly from these.
    #[arg(long, default_value_t = 100_000, value_parser = positive)]
    pub reference_limit: usize,
    /// Needs the scalar reference is timed on (the first N): it takes a full pass over the experts each.
    #[arg(long, default_value_t = 20, value_parser = positive)]
    pub reference_needs: usize,
    /// Instead of the scorer, time the event scheduler against the greedy baseline on a synthetic
    /// event of `--needs` needs (default 100), `--experts` experts (default 300 here) and this many slots.
    #[arg(long, value_parser = positive)]
    pub schedule_slots: Option<usize>,
}
