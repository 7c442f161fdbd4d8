//! `bench --data`: the concepts, experts and needs of an export (JSON lines of `talentbridge export`).

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use crate::domain::{Concept, Expert};
use crate::engine::matching::MatchNeed;
use crate::engine::Taxonomy;
use crate::error::{Error, Result};
use crate::store::DumpRecord;

/// What the bench takes from an export.
#[derive(Debug, Default)]
pub struct Export {
    /// Taxonomy concepts (the seed's when the export holds none).
    pub concepts: Vec<Concept>,
    /// Every expert, in file order.
    pub experts: Vec<Expert>,
    /// Every need, whatever its status, in file order.
    pub needs: Vec<MatchNeed>,
}

fn files(path: &Path) -> Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let read = |e: std::io::Error| Error::Storage(format!("cannot list {}: {e}", path.display()));
    let mut out: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(read)?
        .map(|entry| entry.map(|e| e.path()).map_err(read))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    out.sort();
    if out.is_empty() {
        return Err(Error::Storage(format!("no .jsonl export in {}", path.display())));
    }
    Ok(out)
}

/// Reads an export file, or every `.jsonl` file of a directory in name order.
pub fn load_export(path: &Path) -> Result<Export> {
    let mut export = Export::default();
    for file in files(path)? {
        let name = file.display().to_string();
        let f = File::open(&file).map_err(|e| Error::Storage(format!("cannot read {name}: {e}")))?;
        for (n, line) in BufReader::new(f).lines().enumerate() {
            let line = line.map_err(|e| Error::Storage(format!("{name} line {}: {e}", n + 1)))?;
            if line.trim().is_empty() {
                continue;
            }
            let record: DumpRecord =
                serde_json::from_str(&line).map_err(|e| Error::Malformed(format!("{name} line {}: {e}", n + 1)))?;
            match record {
                DumpRecord::Concept { record } => export.concepts.push(record),
                DumpRecord::Expert { record, .. } => export.experts.push(record),
                DumpRecord::Need { record } => export.needs.push(MatchNeed::from_spec(&record.spec)),
                DumpRecord::Meta { .. }
                | DumpRecord::Channel { .. }
                | DumpRecord::Event { .. }
                | DumpRecord::Introduction { .. }
                | DumpRecord::OperatorToken { .. }
                | DumpRecord::ViewerToken { .. }
                | DumpRecord::Audit { .. }
                | DumpRecord::Erased { .. } => {}
            }
        }
    }
    if export.concepts.is_empty() {
        export.concepts = crate::seed::concepts()?;
    }
    Ok(export)
}

/// An export as a bench run reads it: its taxonomy, its first `needs` needs (all when `None`), in
/// file order, and its experts.
pub(super) fn load_input(path: &Path, needs: Option<usize>) -> Result<(Taxonomy, Vec<MatchNeed>, Vec<Expert>)> {
    let export = load_export(path)?;
    let taxonomy = Taxonomy::build(export.concepts)?;
    let mut kept = export.needs;
    kept.truncate(needs.unwrap_or(usize::MAX));
    Ok((taxonomy, kept, export.experts))
}
