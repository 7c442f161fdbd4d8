//! The subcommands that work on a stopped service's data directory: `import` and `export` (whole-store
//! JSON lines), `intake` (experts or needs from a spreadsheet or JSON lines) and `token` (named
//! operator tokens).

mod tokens;

pub use tokens::token;

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};

use chrono::Utc;

use crate::config::{ExportArgs, ImportArgs, IntakeArgs, IntakeKind};
use crate::engine::intake::{BatchDone, IntakeOptions};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::wire::intake::{expert_file, need_file, IntakeFormat, IntakeReportView, IntakeSource};

/// Reads an export into an empty data directory and checks that it opens.
pub fn import(args: &ImportArgs) -> Result<()> {
    let store = Store::open(&args.data_dir)?;
    let counts = if args.file.as_os_str() == "-" {
        store.import(&mut std::io::stdin().lock())?
    } else {
        let file =
            File::open(&args.file).map_err(|e| Error::Storage(format!("cannot read {}: {e}", args.file.display())))?;
        store.import(&mut BufReader::new(file))?
    };
    // Opening the engine checks the taxonomy and decodes every record.
    Engine::open(store, Some(String::new()))?;
    eprintln!(
        "imported {} concepts, {} channels, {} experts, {} needs, {} events into {}",
        counts.concepts,
        counts.channels,
        counts.experts,
        counts.needs,
        counts.events,
        args.data_dir.display()
    );
    Ok(())
}

/// Writes the whole store as JSON lines.
pub fn export(args: &ExportArgs) -> Result<()> {
    let store = Store::open(&args.data_dir)?;
    let counts = match &args.out {
        Some(path) => {
            let file =
                File::create(path).map_err(|e| Error::Storage(format!("cannot write {}: {e}", path.display())))?;
            let mut out = BufWriter::new(file);
            let c = store.export(&mut out)?;
            out.flush().map_err(|e| Error::Storage(e.to_string()))?;
            c
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let c = store.export(&mut out)?;
            out.flush().map_err(|e| Error::Storage(e.to_string()))?;
            c
        }
    };
    store.append_audit(crate::domain::AuditEntry {
        seq: 0,
        at: chrono::Utc::now(),
        actor: "cli".into(),
        action: crate::domain::AuditAction::Export,
        target: "store".into(),
        detail: format!(
            "talentbridge export: {} experts, {} needs, {} events, {} introductions",
            counts.experts, counts.needs, counts.events, counts.introductions
        ),
    })?;
    eprintln!(
        "exported {} concepts, {} channels, {} experts, {} needs, {} events, {} introductions, {} audit entries",
        counts.concepts,
        counts.channels,
        counts.experts,
        counts.needs,
        counts.events,
        counts.introductions,
        counts.audit
    );
    Ok(())
}

fn read_input(path: &std::path::Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin().lock().read_to_end(&mut bytes)
    } else {
        File::open(path).and_then(|mut f| f.read_to_end(&mut bytes))
    };
    read.map_err(|e| Error::BadParameter(format!("cannot read {}: {e}", path.display())))?;
    Ok(bytes)
}

fn intake_source(args: &IntakeArgs) -> Result<IntakeSource> {
    let format = match &args.format {
        Some(raw) => IntakeFormat::parse(raw).map_err(Error::BadParameter)?,
        None => IntakeFormat::of_file_name(&args.file.to_string_lossy())
            .ok_or_else(|| Error::BadParameter("say --format csv or --format jsonl".into()))?,
    };
    let mapping = match &args.mapping {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .map_err(|e| Error::BadParameter(format!("cannot read {}: {e}", path.display())))?,
        ),
        None => None,
    };
    IntakeSource::from_parameters(
        format,
        Some(&args.encoding),
        mapping.as_deref(),
        args.consent_version.clone(),
        args.status.clone(),
    )
}

/// A file-level validation error with its fields spelled out (the binary prints only `Display`).
fn spelled_out(e: Error) -> Error {
    match e {
        Error::Invalid(list) => Error::BadParameter(
            list.iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        other => other,
    }
}

/// Imports experts or needs into the data directory, printing progress per committed batch on
/// standard error and the report as JSON on standard output.
pub fn intake(args: &IntakeArgs) -> Result<()> {
    let source = intake_source(args)?;
    let bytes = read_input(&args.file)?;
    let (engine, _) = Engine::open(Store::open(&args.data_dir)?, Some(String::new()))?;
    crate::seed::load_taxonomy(&engine)?;
    let options = IntakeOptions {
        dry_run: args.dry_run,
        batch_size: args.batch_size,
    };
    let mut progress = |b: &BatchDone| {
        eprintln!(
            "batch {} committed: {} records written, through row {}",
            b.batch, b.written, b.last_row
        )
    };
    let taxonomy = engine.taxonomy();
    let view = match args.kind {
        IntakeKind::Experts => {
            let file = expert_file(&bytes, &source, &*taxonomy, Utc::now()).map_err(spelled_out)?;
            let report = engine.intake_experts(file.rows, &options, &mut progress)?;
            IntakeReportView::new(&file.meta, &report)
        }
        IntakeKind::Needs => {
            let file = need_file(&bytes, &source, &*taxonomy).map_err(spelled_out)?;
            let report = engine.intake_needs(file.rows, &options, &mut progress)?;
            IntakeReportView::new(&file.meta, &report)
        }
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, &view).map_err(|e| Error::Internal(e.to_string()))?;
    writeln!(out)
        .and_then(|_| out.flush())
        .map_err(|e| Error::Storage(e.to_string()))?;
    eprintln!(
        "{} rows{}: {} created, {} updated, {} skipped, {} rejected, {} duplicates, {} flagged",
        view.rows,
        if view.dry_run {
            " (dry run, nothing written)"
        } else {
            ""
        },
        view.created,
        view.updated,
        view.skipped,
        view.rejected,
        view.duplicates,
        view.flagged
    );
    Ok(())
}
