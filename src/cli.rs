//! The `import` and `export` subcommands: whole-store JSON lines, with the service stopped.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};

use crate::config::{ExportArgs, ImportArgs};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::store::Store;

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
    eprintln!(
        "exported {} concepts, {} channels, {} experts, {} needs, {} events",
        counts.concepts, counts.channels, counts.experts, counts.needs, counts.events
    );
    Ok(())
}
